#include "glpk_guard.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(MM_BASIC == GLP_BS && MM_AT_LOWER == GLP_NL && MM_AT_UPPER == GLP_NU && MM_FREE == GLP_NF && MM_FIXED == GLP_NS,
    "mm_basis_status follows GLPK's codes");

/* Per-call state reached from GLPK's hooks. GLPK's environment is per
 * thread, and so is this. */
typedef struct guard_state {
    jmp_buf landing;
    char *message;
    size_t capacity;
    int verbose;
} guard_state;

static _Thread_local guard_state *current_guard = NULL;
static volatile sig_atomic_t stop_requested = 0;

void mm_glpk_request_stop(void) { stop_requested = 1; }
void mm_glpk_clear_stop(void) { stop_requested = 0; }
int mm_glpk_stop_requested(void) { return stop_requested != 0; }

static void append_message(const char *text) {
    guard_state *g = current_guard;
    if (g == NULL || g->message == NULL || g->capacity == 0) return;
    size_t used = strlen(g->message);
    if (used + 1 >= g->capacity) return;
    strncat(g->message, text, g->capacity - used - 1);
}

/* Every line GLPK prints comes here: kept when it explains an error, shown on
 * stderr only in verbose mode (stdout may carry JSON), otherwise dropped. */
static int term_hook(void *info, const char *text) {
    (void)info;
    if (glp_at_error()) {
        append_message(text);
    }
    if (current_guard != NULL && current_guard->verbose) {
        fputs(text, stderr);
    }
    return 1;
}

static void error_hook(void *info) {
    guard_state *g = (guard_state *)info;
    longjmp(g->landing, 1);
}

static void guard_enter(guard_state *g) {
    current_guard = g;
    glp_term_out(GLP_ON);
    glp_term_hook(term_hook, NULL);
    glp_error_hook(error_hook, g);
}

static void guard_leave(void) {
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    current_guard = NULL;
}

/* After longjmp: GLPK's environment is in an undefined state; freeing it
 * invalidates every object this thread made (none escaped this file). */
static void guard_land(void) {
    current_guard = NULL;
    glp_free_env();
}

typedef struct search_info {
    mm_result *result;
    const double *warm_start;
    int warm_given;
    int root_only;
} search_info;

static void search_callback(glp_tree *tree, void *info) {
    search_info *s = (search_info *)info;
    if (glp_ios_reason(tree) == GLP_IHEUR && s->warm_start != NULL && !s->warm_given) {
        s->warm_given = 1;
        glp_ios_heur_sol(tree, s->warm_start);
    }
    int node = glp_ios_best_node(tree);
    if (node != 0) {
        s->result->has_bound = 1;
        s->result->best_bound = glp_ios_node_bound(tree, node);
    }
    /* The root's LP, cuts included, where it must branch: optimal, with its reduced costs
     * (d_j = c_j - sum over every row, cut rows too, of a_ij y_i). */
    if (s->root_only && glp_ios_reason(tree) == GLP_IBRANCH && glp_ios_curr_node(tree) != 0
        && glp_ios_node_level(tree, glp_ios_curr_node(tree)) == 0) {
        glp_prob *lp = glp_ios_get_prob(tree);
        int n = glp_get_num_cols(lp);
        for (int j = 1; j <= n; j++) {
            s->result->root_values[j - 1] = glp_get_col_prim(lp, j);
            s->result->root_costs[j - 1] = glp_get_col_dual(lp, j);
        }
        s->result->root_bound = glp_get_obj_val(lp);
        s->result->stopped_by = MM_STOP_ROOT;
        glp_ios_terminate(tree);
        return;
    }
    if (stop_requested) {
        s->result->stopped_by = MM_STOP_REQUEST;
        glp_ios_terminate(tree);
    }
}

static void set_bounds_row(glp_prob *p, int i, double lo, double hi) {
    int has_lo = lo > -HUGE_VAL, has_hi = hi < HUGE_VAL;
    if (has_lo && has_hi) {
        if (lo == hi) glp_set_row_bnds(p, i, GLP_FX, lo, hi);
        else glp_set_row_bnds(p, i, GLP_DB, lo, hi);
    } else if (has_lo) glp_set_row_bnds(p, i, GLP_LO, lo, 0.0);
    else if (has_hi) glp_set_row_bnds(p, i, GLP_UP, 0.0, hi);
    else glp_set_row_bnds(p, i, GLP_FR, 0.0, 0.0);
}

static void set_bounds_col(glp_prob *p, int j, double lo, double hi) {
    int has_lo = lo > -HUGE_VAL, has_hi = hi < HUGE_VAL;
    if (has_lo && has_hi) {
        if (lo == hi) glp_set_col_bnds(p, j, GLP_FX, lo, hi);
        else glp_set_col_bnds(p, j, GLP_DB, lo, hi);
    } else if (has_lo) glp_set_col_bnds(p, j, GLP_LO, lo, 0.0);
    else if (has_hi) glp_set_col_bnds(p, j, GLP_UP, 0.0, hi);
    else glp_set_col_bnds(p, j, GLP_FR, 0.0, 0.0);
}

/* A starting basis at a feasible point x (1-based): each structural at one of its bounds is
 * nonbasic there, each other one basic in place of a row it appears in whose activity sits at
 * one of that row's bounds (equality rows first: they hold the count variables). The simplex
 * then starts at x itself, with no phase 1. Returns 0 when no such basis was found (the
 * standard basis stays); GLPK may still find the one set singular, which the caller handles. */
static int basis_from_point(glp_prob *p, const mm_model *m, const double *x) {
    int nr = m->n_rows, nc = m->n_cols;
    if (nr == 0 || nc == 0) return 0;
    double *act = calloc((size_t)nr + 1, sizeof(double));
    int *col_start = calloc((size_t)nc + 2, sizeof(int));
    int *rows = malloc(((size_t)m->nnz + 1) * sizeof(int));
    int *row_stat = malloc(((size_t)nr + 1) * sizeof(int));
    int *col_stat = malloc(((size_t)nc + 1) * sizeof(int));
    int ok = act && col_start && rows && row_stat && col_stat;
    if (ok) {
        for (int k = 1; k <= m->nnz; k++) {
            act[m->ia[k]] += m->ar[k] * x[m->ja[k]];
            col_start[m->ja[k] + 1]++;
        }
        /* Column-wise row lists: rows[col_start[j] .. col_start[j + 1]) for column j (1-based);
         * col_start[j] is the number of entries in columns 1 .. j − 1. */
        for (int j = 1; j <= nc + 1; j++) col_start[j] += col_start[j - 1];
        int *fill = calloc((size_t)nc + 1, sizeof(int));
        ok = fill != NULL;
        if (ok) {
            for (int k = 1; k <= m->nnz; k++) {
                int j = m->ja[k];
                rows[col_start[j] + fill[j]++] = m->ia[k];
            }
            free(fill);
        }
    }
    for (int i = 1; ok && i <= nr; i++) row_stat[i] = GLP_BS;
    for (int j = 1; ok && j <= nc; j++) {
        double lo = m->col_lo[j - 1], hi = m->col_hi[j - 1], v = x[j];
        double tol = 1e-9 * (1.0 + fabs(v));
        if (lo > -HUGE_VAL && hi < HUGE_VAL && lo == hi) { col_stat[j] = GLP_NS; continue; }
        if (lo > -HUGE_VAL && fabs(v - lo) <= tol) { col_stat[j] = GLP_NL; continue; }
        if (hi < HUGE_VAL && fabs(v - hi) <= tol) { col_stat[j] = GLP_NU; continue; }
        if (lo == -HUGE_VAL && hi == HUGE_VAL && v == 0.0) { col_stat[j] = GLP_NF; continue; }
        /* Basic: it takes the place of a row at a bound (an equality row if there is one). */
        int chosen = 0, chosen_stat = 0;
        for (int pass = 0; pass < 2 && chosen == 0; pass++) {
            for (int q = col_start[j]; q < col_start[j + 1] && chosen == 0; q++) {
                int i = rows[q];
                if (row_stat[i] != GLP_BS) continue;
                double rlo = m->row_lo[i - 1], rhi = m->row_hi[i - 1], a = act[i];
                double rtol = 1e-9 * (1.0 + fabs(a));
                int equality = rlo > -HUGE_VAL && rhi < HUGE_VAL && rlo == rhi;
                if (pass == 0 && !equality) continue;
                if (equality && fabs(a - rlo) <= rtol) { chosen = i; chosen_stat = GLP_NS; }
                else if (rlo > -HUGE_VAL && fabs(a - rlo) <= rtol) { chosen = i; chosen_stat = GLP_NL; }
                else if (rhi < HUGE_VAL && fabs(a - rhi) <= rtol) { chosen = i; chosen_stat = GLP_NU; }
            }
        }
        if (chosen == 0) { ok = 0; break; }
        col_stat[j] = GLP_BS;
        row_stat[chosen] = chosen_stat;
    }
    if (ok) {
        for (int i = 1; i <= nr; i++) glp_set_row_stat(p, i, row_stat[i]);
        for (int j = 1; j <= nc; j++) glp_set_col_stat(p, j, col_stat[j]);
    }
    free(act);
    free(col_start);
    free(rows);
    free(row_stat);
    free(col_stat);
    return ok;
}

int mm_glpk_solve(const mm_model *m, const mm_params *params, mm_result *r) {
    guard_state g;
    memset(&g, 0, sizeof g);
    r->message[0] = '\0';
    g.message = r->message;
    g.capacity = sizeof r->message;
    g.verbose = params->verbose;
    r->outcome = MM_OUTCOME_ERROR;
    r->stopped_by = MM_STOP_NONE;
    r->has_solution = 0;
    r->has_bound = 0;
    r->write_failed = 0;
    r->glpk_return = 0;

    glp_prob *volatile p = NULL;
    if (setjmp(g.landing)) {
        guard_land();
        p = NULL;
        r->outcome = MM_OUTCOME_ERROR;
        if (r->message[0] == '\0') {
            strncpy(r->message, "GLPK stopped with an internal error", sizeof r->message - 1);
        }
        return r->outcome;
    }
    guard_enter(&g);

    p = glp_create_prob();
    if (m->name) glp_set_prob_name(p, m->name);
    glp_set_obj_dir(p, m->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(p, 0, m->obj_const);
    if (m->n_rows > 0) glp_add_rows(p, m->n_rows);
    if (m->n_cols > 0) glp_add_cols(p, m->n_cols);
    for (int i = 0; i < m->n_rows; i++) {
        set_bounds_row(p, i + 1, m->row_lo[i], m->row_hi[i]);
        if (m->row_names) glp_set_row_name(p, i + 1, m->row_names[i]);
    }
    for (int j = 0; j < m->n_cols; j++) {
        set_bounds_col(p, j + 1, m->col_lo[j], m->col_hi[j]);
        glp_set_obj_coef(p, j + 1, m->obj[j]);
        if (m->col_int[j]) glp_set_col_kind(p, j + 1, GLP_IV);
        if (m->col_names) glp_set_col_name(p, j + 1, m->col_names[j]);
    }
    if (m->nnz > 0) glp_load_matrix(p, m->nnz, m->ia, m->ja, m->ar);

    if (params->write_path && params->write_format != MM_WRITE_NONE) {
        int rc = params->write_format == MM_WRITE_MPS
            ? glp_write_mps(p, GLP_MPS_FILE, NULL, params->write_path)
            : glp_write_lp(p, NULL, params->write_path);
        if (rc != 0) r->write_failed = 1;
    }

    if (!params->solve) {
        glp_delete_prob(p);
        p = NULL;
        guard_leave();
        r->outcome = MM_OUTCOME_NOT_SOLVED;
        return r->outcome;
    }

    /* An empty model has nothing to decide: its optimum is the constant. */
    if (m->n_cols == 0) {
        glp_delete_prob(p);
        p = NULL;
        guard_leave();
        r->has_solution = 1;
        r->objective = m->obj_const;
        r->has_bound = 1;
        r->best_bound = m->obj_const;
        r->outcome = MM_OUTCOME_OPTIMAL;
        return r->outcome;
    }
    if (m->n_rows == 0) {
        /* GLPK's simplex refuses a model without rows; a free empty row changes nothing. */
        glp_add_rows(p, 1);
        glp_set_row_bnds(p, 1, GLP_FR, 0.0, 0.0);
    }

    /* LP relaxation first (GLPK's MIP presolver fails on models it reduces
     * to nothing), then branch-and-cut from that basis. */
    double started = glp_time();
    double limit_ms = params->time_limit_seconds > 0 ? params->time_limit_seconds * 1000.0 : 0;
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = params->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    smcp.presolve = GLP_OFF;
    if (limit_ms > 0) smcp.tm_lim = limit_ms > 2.0e9 ? 2000000000 : (int)(limit_ms < 1 ? 1 : limit_ms);
    /* A relaxation solved alone, or a root whose tree is not kept, starts at the known solution
     * (no phase 1: on the largest reduced models that is most of the time); a basis GLPK finds
     * singular or invalid gives way to the standard one. A whole branch-and-cut keeps the
     * standard start: its root vertex, and with it the cuts and the tree, then do not depend on
     * which solution was known (measured: from the solution's vertex GLPK proved fewer of the
     * same programs, and others sooner: a root from each start is tried). */
    int root_only = params->root_only && r->root_values != NULL && r->root_costs != NULL;
    int from_basis = params->start_row_stat != NULL && params->start_col_stat != NULL && m->n_rows > 0 && m->n_cols > 0;
    if (from_basis) {
        /* An earlier relaxation's basis, carried over: GLPK corrects a nonbasic status its bounds do
         * not allow, and a basis with the wrong number of basic entries or singular gives way below. */
        for (int i = 1; i <= m->n_rows; i++) glp_set_row_stat(p, i, params->start_row_stat[i - 1]);
        for (int j = 1; j <= m->n_cols; j++) glp_set_col_stat(p, j, params->start_col_stat[j - 1]);
    }
    int from_point = from_basis
        || ((params->lp_only || root_only) && params->warm_start != NULL && m->n_rows > 0
            && basis_from_point(p, m, params->warm_start));
    int sret = glp_simplex(p, &smcp);
    if (from_point && (sret == GLP_EBADB || sret == GLP_ESING || sret == GLP_ECOND)) {
        glp_std_basis(p);
        sret = glp_simplex(p, &smcp);
    }
    if (sret == GLP_ETMLIM || stop_requested) {
        r->stopped_by = stop_requested ? MM_STOP_REQUEST : MM_STOP_TIME;
        r->outcome = MM_OUTCOME_NO_SOLUTION;
        glp_delete_prob(p);
        p = NULL;
        guard_leave();
        return r->outcome;
    }
    if (sret != 0) {
        snprintf(r->message, sizeof r->message, "glp_simplex failed with code %d", sret);
        r->outcome = MM_OUTCOME_ERROR;
        glp_delete_prob(p);
        p = NULL;
        guard_leave();
        return r->outcome;
    }
    int lp_status = glp_get_status(p);
    if (lp_status == GLP_NOFEAS || lp_status == GLP_UNBND) {
        r->outcome = lp_status == GLP_NOFEAS ? MM_OUTCOME_INFEASIBLE : MM_OUTCOME_UNBOUNDED;
        glp_delete_prob(p);
        p = NULL;
        guard_leave();
        return r->outcome;
    }
    r->has_bound = 1;
    r->best_bound = glp_get_obj_val(p);

    if (params->lp_only) {
        /* The relaxation's optimum, primal values and row duals (d_j = c_j - sum_i a_ij y_i). */
        r->has_solution = 1;
        r->objective = glp_get_obj_val(p);
        for (int j = 0; j < m->n_cols; j++) r->col_values[j] = glp_get_col_prim(p, j + 1);
        if (r->row_duals != NULL) {
            for (int i = 0; i < m->n_rows; i++) r->row_duals[i] = glp_get_row_dual(p, i + 1);
        }
        if (r->row_stat != NULL && r->col_stat != NULL) {
            for (int i = 0; i < m->n_rows; i++) r->row_stat[i] = glp_get_row_stat(p, i + 1);
            for (int j = 0; j < m->n_cols; j++) r->col_stat[j] = glp_get_col_stat(p, j + 1);
        }
        r->outcome = MM_OUTCOME_OPTIMAL;
        glp_delete_prob(p);
        p = NULL;
        guard_leave();
        return r->outcome;
    }

    glp_iocp iocp;
    glp_init_iocp(&iocp);
    iocp.presolve = GLP_OFF;
    iocp.msg_lev = params->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    iocp.mip_gap = params->mip_gap > 0 ? params->mip_gap : 0.0;
    if (limit_ms > 0) {
        double left = limit_ms - (glp_time() - started);
        iocp.tm_lim = left > 2.0e9 ? 2000000000 : (int)(left < 1 ? 1 : left);
    }
    if (params->cuts) {
        iocp.mir_cuts = GLP_ON;
        /* Gomory's cuts only where the search stops at the root: GLPK generates them at every
         * node, and on some programs they grow the tree a hundredfold (a 70-mentee program with
         * binding rules: 1,741 nodes with them, 5 without); at a root they still round the count
         * rows whose reduced costs then fix columns. */
        iocp.gmi_cuts = root_only ? GLP_ON : GLP_OFF;
        iocp.cov_cuts = GLP_ON;
        iocp.clq_cuts = GLP_ON;
    }
    if (params->feasibility_pump) iocp.fp_heur = GLP_ON;
    search_info info = { r, params->warm_start, 0, root_only };
    iocp.cb_func = search_callback;
    iocp.cb_info = &info;

    int ret = glp_intopt(p, &iocp);
    r->glpk_return = ret;
    int status = glp_mip_status(p);

    if (status == GLP_OPT || status == GLP_FEAS) {
        r->has_solution = 1;
        r->objective = glp_mip_obj_val(p);
        for (int j = 0; j < m->n_cols; j++) r->col_values[j] = glp_mip_col_val(p, j + 1);
    }

    switch (ret) {
    case 0:
        if (status == GLP_OPT) r->outcome = MM_OUTCOME_OPTIMAL;
        else if (status == GLP_NOFEAS) r->outcome = MM_OUTCOME_INFEASIBLE;
        else if (status == GLP_FEAS) r->outcome = MM_OUTCOME_FEASIBLE;
        else r->outcome = MM_OUTCOME_ERROR;
        if (r->has_solution && status == GLP_OPT) {
            r->has_bound = 1;
            r->best_bound = r->objective;
        }
        break;
    case GLP_ENOPFS:
        r->outcome = MM_OUTCOME_INFEASIBLE;
        break;
    case GLP_ENODFS:
        r->outcome = MM_OUTCOME_UNBOUNDED;
        break;
    case GLP_ETMLIM:
        r->stopped_by = MM_STOP_TIME;
        r->outcome = r->has_solution ? MM_OUTCOME_FEASIBLE : MM_OUTCOME_NO_SOLUTION;
        break;
    case GLP_EMIPGAP:
        r->stopped_by = MM_STOP_GAP;
        r->outcome = r->has_solution ? MM_OUTCOME_FEASIBLE : MM_OUTCOME_NO_SOLUTION;
        break;
    case GLP_ESTOP:
        if (r->stopped_by != MM_STOP_ROOT) r->stopped_by = MM_STOP_REQUEST;
        r->outcome = r->has_solution ? MM_OUTCOME_FEASIBLE : MM_OUTCOME_NO_SOLUTION;
        break;
    default:
        r->outcome = MM_OUTCOME_ERROR;
        if (r->message[0] == '\0') {
            snprintf(r->message, sizeof r->message, "glp_intopt failed with code %d", ret);
        }
        break;
    }

    glp_delete_prob(p);
    p = NULL;
    guard_leave();
    return r->outcome;
}

int mm_glpk_provoke_error(char *message, size_t capacity) {
    guard_state g;
    memset(&g, 0, sizeof g);
    if (capacity > 0) message[0] = '\0';
    g.message = message;
    g.capacity = capacity;
    glp_prob *volatile p = NULL;
    if (setjmp(g.landing)) {
        guard_land();
        return 1;
    }
    guard_enter(&g);
    p = glp_create_prob();
    glp_add_cols(p, 1);
    glp_set_obj_coef(p, 7, 1.0); /* column 7 does not exist: GLPK errors */
    glp_delete_prob(p);
    guard_leave();
    return 0;
}

const char *mm_glpk_version(void) { return glp_version(); }

static void on_interrupt(int sig) {
    (void)sig;
    stop_requested = 1;
    signal(SIGINT, SIG_DFL);
}

void mm_install_interrupt_stop(void) { signal(SIGINT, on_interrupt); }

int mm_glpk_read_and_maximize(const char *path, int is_lp, double *objective, char *message, size_t capacity) {
    guard_state g;
    memset(&g, 0, sizeof g);
    if (capacity > 0) message[0] = '\0';
    g.message = message;
    g.capacity = capacity;
    glp_prob *volatile p = NULL;
    if (setjmp(g.landing)) {
        guard_land();
        return 1;
    }
    guard_enter(&g);
    p = glp_create_prob();
    int rc = is_lp ? glp_read_lp(p, NULL, path) : glp_read_mps(p, GLP_MPS_FILE, NULL, path);
    int ok = 0;
    if (rc == 0) {
        glp_set_obj_dir(p, GLP_MAX);
        glp_smcp s;
        glp_init_smcp(&s);
        s.msg_lev = GLP_MSG_OFF;
        if (glp_get_num_rows(p) == 0) { glp_add_rows(p, 1); glp_set_row_bnds(p, 1, GLP_FR, 0.0, 0.0); }
        if (glp_simplex(p, &s) == 0) {
            glp_iocp io;
            glp_init_iocp(&io);
            io.msg_lev = GLP_MSG_OFF;
            if (glp_intopt(p, &io) == 0 && glp_mip_status(p) == GLP_OPT) {
                *objective = glp_mip_obj_val(p);
                ok = 1;
            }
        }
    }
    glp_delete_prob(p);
    p = NULL;
    guard_leave();
    return ok ? 0 : 1;
}
