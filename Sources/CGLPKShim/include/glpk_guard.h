#ifndef MENTORMATCH_GLPK_GUARD_H
#define MENTORMATCH_GLPK_GUARD_H

#include <stddef.h>

/*
 * The only door to GLPK. GLPK calls abort() on any internal error; every
 * function here makes its GLPK calls under setjmp, with glp_error_hook doing
 * the longjmp back into this C frame (never across a Swift frame), so an
 * error comes back as a return code and GLPK's own message.
 *
 * A GLPK problem object never leaves the function that made it, so no object
 * crosses a thread and nothing needs freeing from Swift.
 */

/* A model in GLPK's terms. Arrays ia/ja/ar are 1-based (slot 0 unused). */
typedef struct mm_model {
    int n_rows;
    int n_cols;
    int nnz;
    const double *row_lo;          /* n_rows; -HUGE_VAL means no lower bound */
    const double *row_hi;          /* n_rows; +HUGE_VAL means no upper bound */
    const double *col_lo;          /* n_cols */
    const double *col_hi;          /* n_cols */
    const unsigned char *col_int;  /* n_cols; 1 = integer */
    const double *obj;             /* n_cols */
    double obj_const;
    int maximize;
    const int *ia;                 /* nnz + 1 */
    const int *ja;                 /* nnz + 1 */
    const double *ar;              /* nnz + 1 */
    const char *const *row_names;  /* n_rows or NULL */
    const char *const *col_names;  /* n_cols or NULL */
    const char *name;              /* or NULL */
} mm_model;

enum mm_write_format { MM_WRITE_NONE = 0, MM_WRITE_MPS = 1, MM_WRITE_LP = 2 };

typedef struct mm_params {
    double time_limit_seconds;     /* <= 0: none */
    double mip_gap;                /* relative gap at which to stop; 0 = prove */
    int verbose;                   /* 1: GLPK's log goes to stderr */
    int solve;                     /* 0: only build (and write) the model */
    const char *write_path;        /* or NULL */
    int write_format;              /* enum mm_write_format */
    const double *warm_start;      /* NULL, or a feasible solution, 1-based (n_cols + 1): the MIP's
                                      first incumbent; an lp_only simplex starts at it */
    int feasibility_pump;          /* 1: GLPK's feasibility pump heuristic */
    int cuts;                      /* 1: MIR, cover and clique cuts (GMI too at a root alone) */
    int lp_only;                   /* 1: solve the LP relaxation only; row duals in row_duals */
    int root_only;                 /* 1: branch-and-cut from the warm start's vertex, stopped where
                                      the root first branches, with the root's LP (cuts included)
                                      in root_values, root_costs and root_bound */
    const int *start_row_stat;     /* NULL, or each row's enum mm_basis_status (n_rows), */
    const int *start_col_stat;     /* and each column's (n_cols): the first simplex starts at that basis */
} mm_params;

/* A row's or column's place in a simplex basis (GLPK's own codes). */
enum mm_basis_status { MM_BASIC = 1, MM_AT_LOWER = 2, MM_AT_UPPER = 3, MM_FREE = 4, MM_FIXED = 5 };

enum mm_outcome {
    MM_OUTCOME_OPTIMAL = 0,        /* proven optimal (within mip_gap = 0) */
    MM_OUTCOME_FEASIBLE = 1,       /* a solution; stopped by gap, time or a stop request */
    MM_OUTCOME_INFEASIBLE = 2,     /* proven: no solution exists */
    MM_OUTCOME_NO_SOLUTION = 3,    /* stopped before any solution was found */
    MM_OUTCOME_UNBOUNDED = 4,
    MM_OUTCOME_ERROR = 5,          /* GLPK reported an error; see message */
    MM_OUTCOME_NOT_SOLVED = 6      /* solve == 0 */
};

enum mm_stop { MM_STOP_NONE = 0, MM_STOP_TIME = 1, MM_STOP_GAP = 2, MM_STOP_REQUEST = 3, MM_STOP_ROOT = 4 };

typedef struct mm_result {
    int outcome;                   /* enum mm_outcome */
    int stopped_by;                /* enum mm_stop */
    int glpk_return;               /* glp_intopt's return code */
    int has_solution;
    double objective;
    int has_bound;
    double best_bound;             /* best proven bound on the objective */
    double *col_values;            /* caller-allocated, n_cols */
    double *row_duals;             /* caller-allocated, n_rows; filled by lp_only solves */
    int *row_stat;                 /* NULL, or caller-allocated n_rows: lp_only's optimal basis */
    int *col_stat;                 /* NULL, or caller-allocated n_cols */
    double *root_values;           /* caller-allocated, n_cols, for root_only: the root LP's values */
    double *root_costs;            /* caller-allocated, n_cols, for root_only: its reduced costs */
    double root_bound;             /* stopped_by MM_STOP_ROOT: the root LP's optimum */
    int write_failed;
    char message[2048];
} mm_result;

/* Builds the model, optionally writes it, optionally solves it. Never aborts. */
int mm_glpk_solve(const mm_model *model, const mm_params *params, mm_result *result);

/* Asks a running solve (any thread) to stop at the next safe point. */
void mm_glpk_request_stop(void);
/* Whether a stop was requested (Ctrl-C) since the last clear. */
int mm_glpk_stop_requested(void);
/* Clears a stop request before a new solve. */
void mm_glpk_clear_stop(void);

/* Test hook: misuses GLPK on purpose (a bad column index) under the guard.
 * Returns 1 and GLPK's message when the error was caught. */
int mm_glpk_provoke_error(char *message, size_t capacity);

/* GLPK's version string, e.g. "5.0". */
const char *mm_glpk_version(void);

#endif

#ifndef MENTORMATCH_SIGINT
#define MENTORMATCH_SIGINT
/* Installs a SIGINT handler that asks the running solve to stop (the best
 * solution so far is returned); a second Ctrl-C ends the process as usual. */
void mm_install_interrupt_stop(void);
#endif

#ifndef MENTORMATCH_READ_SOLVE
#define MENTORMATCH_READ_SOLVE
/* Reads a model file (free MPS, or CPLEX LP when is_lp) with GLPK's readers,
 * maximises it and returns the MIP objective; for round-trip tests of the
 * model export. Returns 0 on success, 1 when reading or solving failed. */
int mm_glpk_read_and_maximize(const char *path, int is_lp, double *objective, char *message, size_t capacity);
#endif
