"""An outside check of `coverage_then_fairness` answers with HiGHS.

For each program folder, MentorMatch answers the fairness objective, and the score
objective with `--write-model` (the final stage's model: every eligible pair, the
coverage held at its optimum, total points as the objective — pair columns
`x_<mentor>_<mentee>` cost their points). HiGHS then solves that model twice:

- pairs below the reported weakest pair T fixed out: its optimum must be the reported
  total points (so T is reachable at the most coverage, and the total is the best there);
- pairs below the next points value above T fixed out: it must be infeasible (so no
  cohort with the most coverage has a stronger weakest pair).

Both hold exactly when the fairness answer is optimal. HiGHS's two solves are timed:
they are two of the checks a threshold search needs, not the whole search.

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install highspy
    python3 Benchmarks/binding.py --sizes 400 --seeds 1-10 --peers none --workdir /tmp/b
    /tmp/bench/bin/python Benchmarks/fairness_check.py /tmp/b/400-s*

Not part of the test suite (the tests check the same against brute force and the full model).
"""
import argparse, json, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "mentormatch")


def propose(folder, objective, extra, time_limit):
    out = os.path.join(folder, f"check-{objective}.json")
    subprocess.run([BIN, "propose", os.path.join(folder, "program.yaml"), "--no-store", "--format", "json", "--out", out,
                    "--force", "--quiet", "--time-limit", str(time_limit), "--set", f"objective={objective}"] + extra)
    return json.load(open(out))


def highs_with_pairs_from(model, threshold, time_limit):
    """HiGHS on `model` with every pair column of fewer than `threshold` points fixed at 0."""
    import highspy, numpy as np
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", float(time_limit))
    h.readModel(model)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)  # free MPS carries no sense (SPEC 5.2: maximising)
    lp = h.getLp()
    pairs = [j for j in range(lp.num_col_) if lp.col_names_[j].startswith("x_")]
    out = np.array([j for j in pairs if lp.col_cost_[j] < threshold], dtype=np.int32)
    if len(out):
        h.changeColsBounds(len(out), out, np.zeros(len(out)), np.zeros(len(out)))
    start = time.time()
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    value = round(h.getInfo().objective_function_value) if status == "Optimal" else None
    return status, value, time.time() - start, sorted({round(lp.col_cost_[j]) for j in pairs})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", help="program folders (each with program.yaml)")
    ap.add_argument("--time-limit", type=float, default=120)
    a = ap.parse_args()
    failures = 0
    print("| program | MentorMatch | status | coverage / weakest / total | HiGHS at T | HiGHS at next | check |")
    print("|---|---|---|---|---|---|---|")
    for folder in a.folders:
        model = os.path.join(folder, "check-score.mps")
        propose(folder, "coverage_then_score", ["--write-model", model], a.time_limit)
        fair = propose(folder, "coverage_then_fairness", [], a.time_limit)
        o = fair["objective"]
        t = o["min_points"]
        at, value, s1, values = highs_with_pairs_from(model, t, a.time_limit)
        following = min((v for v in values if v > t), default=None)
        above, _, s2, _ = highs_with_pairs_from(model, following, a.time_limit) if following is not None else ("none above", None, 0, None)
        if fair["status"] == "optimal":
            ok = at == "Optimal" and value == o["total_points"] and above in ("Infeasible", "none above")
            verdict = "agrees" if ok else "DISAGREES"
            failures += not ok
        else:
            verdict = "not proven: nothing to check"
        print(f"| {os.path.basename(folder.rstrip('/'))} | {fair['solver']['seconds']:.2f} s | {fair['status']} | "
              f"{o['coverage']} / {t} / {o['total_points']:,} | {at} {value if value is not None else ''} ({s1:.1f} s) | "
              f"{following}: {above} ({s2:.1f} s) | {verdict} |", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
