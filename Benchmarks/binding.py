#!/usr/bin/env python3
"""Equity programs whose rules bind: MentorMatch against HiGHS and CP-SAT on the same model.

For each size and seed, `mentormatch generate --binding` writes a program with
every equity rule at small tolerances and attributes correlated with site and
department. `mentormatch propose` solves it (release build) and writes its
model (`--write-model`, SPEC 5.2). The peers then solve the same lexicographic
integer program from that file, in the same run: stage 1 maximises coverage
(the `coverage_floor` row's coefficients, with the floor lifted), stage 2 the
file's own objective with the floor at stage 1's optimum; their time is the
sum of both stages. MentorMatch's time is given twice: end to end (starting the
process, reading the files, writing the model and the proposal) and its solve
alone (the proposal's `solver.seconds`), the one to set beside the peers'.

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install highspy ortools
    /tmp/bench/bin/python Benchmarks/binding.py                       # 70, 150, 400, 1500, 5000 × 10 seeds
    /tmp/bench/bin/python Benchmarks/binding.py --sizes 400 --seeds 1-20 --peers highs

Peers are optional (a missing module is reported, not fatal). Not part of the
test suite: the largest rows take minutes.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "mentormatch")
# mentees → mentors (about 0.36 mentors a mentee: places are scarce, so the rules bind).
SIZES = {70: 28, 150: 55, 400: 140, 1500: 520, 5000: 1750}


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def mentormatch(directory, time_limit, objective):
    program = os.path.join(directory, "program.yaml")
    out = os.path.join(directory, "proposal.json")
    model = os.path.join(directory, "model.mps")
    # --force: a proposal left by an earlier run (the other objective, say) is replaced, never read back.
    cmd = [BIN, "propose", program, "--format", "json", "--out", out, "--quiet", "--no-store", "--force",
           "--time-limit", str(time_limit), "--write-model", model]
    if objective != "coverage_then_score":
        cmd += ["--set", f"objective={objective}"]
    start = time.time()
    r = sh(cmd)
    wall = time.time() - start
    if r.returncode not in (0, 3) or not os.path.exists(out):
        return {"wall": wall, "status": f"exit {r.returncode}", "value": None}
    doc = json.load(open(out))
    o = doc["objective"]
    return {"wall": wall, "solve": doc["solver"].get("seconds"), "status": doc["status"], "value": (o["coverage"], o["total_points"]),
            "proof": doc["solver"].get("proof", ""), "model": model, "pairs": doc["metrics"].get("eligible_pairs")}


def peer(name, model, time_limit):
    """Runs one peer in a subprocess (a crash or hang in a peer never stops the table)."""
    code = PEER_CODE[name]
    try:
        r = sh([sys.executable, "-c", code, model, str(time_limit)], timeout=2 * time_limit + 60)
    except subprocess.TimeoutExpired:
        return {"status": "killed", "wall": 2 * time_limit + 60}
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"status": "error: " + (r.stderr.strip().splitlines() or ["?"])[-1][:80], "wall": 0}


PEER_CODE = {
    "highs": r'''
import json, sys, time, highspy, numpy as np
path, limit = sys.argv[1], float(sys.argv[2])
h = highspy.Highs(); h.setOptionValue("output_flag", False); h.setOptionValue("threads", 1)
h.setOptionValue("mip_rel_gap", 0.0)  # the program's mip_gap: "optimal" means proven, as for MentorMatch (HiGHS stops at 0.01 % by default)
h.readModel(path)
h.changeObjectiveSense(highspy.ObjSense.kMaximize)  # free MPS carries no sense (SPEC 5.2: maximising)
lp = h.getLp()
names = [lp.row_names_[i] for i in range(lp.num_row_)]
floor = names.index("coverage_floor") if "coverage_floor" in names else None
start = time.time(); status = "optimal"; values = []
cost = list(lp.col_cost_)
stages = []
if floor is not None:
    _, starts, index, value = h.getRowsEntries(1, np.array([floor], dtype=np.int32))
    coverage = [0.0] * lp.num_col_
    for j, v in zip(index, value): coverage[j] = v
    h.changeRowBounds(floor, -highspy.kHighsInf, highspy.kHighsInf)
    h.changeColsCost(lp.num_col_, np.arange(lp.num_col_, dtype=np.int32), np.array(coverage))
    stages.append("coverage")
stages.append("points")
for stage in stages:
    h.setOptionValue("time_limit", max(0.01, limit - (time.time() - start)))
    h.run()
    st = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if st != "Optimal": status = st; values.append(info.objective_function_value); break
    v = info.objective_function_value
    values.append(round(v))
    if stage == "coverage":
        h.changeRowBounds(floor, v - 1e-6, highspy.kHighsInf)
        h.changeColsCost(lp.num_col_, np.arange(lp.num_col_, dtype=np.int32), np.array(cost))
print(json.dumps({"status": status, "wall": time.time() - start, "value": values}))
''',
    "cpsat": r'''
import json, math, sys, time
from ortools.linear_solver.python import model_builder as mb
path, limit = sys.argv[1], float(sys.argv[2])
model = mb.Model(); model.import_from_mps_file(path)
model.helper.set_maximize(True)  # free MPS carries no sense (SPEC 5.2: maximising)
start = time.time(); status = "optimal"; values = []
helper = model.helper
floor = next((i for i in range(helper.num_constraints()) if helper.constraint_name(i) == "coverage_floor"), None)
variables = model.get_variables()
cost = {v.index: v.objective_coefficient for v in variables}
stages = []
if floor is not None:
    terms = dict(zip(helper.constraint_var_indices(floor), helper.constraint_coefficients(floor)))
    floor_lower = helper.constraint_lower_bound(floor)
    helper.set_constraint_lower_bound(floor, -math.inf)
    for v in variables: v.objective_coefficient = terms.get(v.index, 0.0)
    stages.append("coverage")
stages.append("points")
for stage in stages:
    solver = mb.Solver("sat")  # a solver's time limit counts from its creation
    solver.set_time_limit_in_seconds(max(0.01, limit - (time.time() - start)))
    st = solver.solve(model)
    if st != mb.SolveStatus.OPTIMAL: status = str(st).split(".")[-1].lower(); break
    v = solver.objective_value
    values.append(round(v))
    if stage == "coverage":
        helper.set_constraint_lower_bound(floor, v)
        for x in variables: x.objective_coefficient = cost[x.index]
print(json.dumps({"status": status, "wall": time.time() - start, "value": values}))
''',
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="70,150,400,1500,5000", help="mentee counts, from " + ", ".join(map(str, SIZES)))
    ap.add_argument("--seeds", default="1-10", help="a range, e.g. 1-10")
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--peers", default="highs,cpsat", help="highs, cpsat, or none")
    ap.add_argument("--objective", default="coverage_then_score", choices=["coverage_then_score", "coverage_then_fairness"])
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "mentormatch-binding"))
    a = ap.parse_args()
    b = sh(["swift", "build", "-c", "release", "--product", "mentormatch"], cwd=ROOT)
    if b.returncode != 0:
        sys.exit(b.stderr)
    lo, _, hi = a.seeds.partition("-")
    seeds = range(int(lo), int(hi or lo) + 1)
    peers = [] if a.peers == "none" else a.peers.split(",")
    print(f"binding equity rules, objective {a.objective}, time limit {a.time_limit:g} s, {os.cpu_count()} cores\n")
    print("| mentees × mentors | seed | pairs | MentorMatch | its solve | status | coverage / points | "
          + " | ".join(f"{p} | {p} status" for p in peers) + " | same optimum |")
    print("|---" * (7 + 2 * len(peers) + 1) + "|")
    for n in map(int, a.sizes.split(",")):
        for seed in seeds:
            d = os.path.join(a.workdir, f"{n}-s{seed}")
            if not os.path.exists(os.path.join(d, "program.yaml")):
                r = sh([BIN, "generate", "--mentees", str(n), "--mentors", str(SIZES[n]), "--seed", str(seed), "--binding", "--out", d])
                if r.returncode != 0:
                    sys.exit(r.stderr)
            m = mentormatch(d, a.time_limit, a.objective)
            cells = []
            same = "—"
            for p in peers:
                q = peer(p, m["model"], a.time_limit) if m.get("model") and os.path.exists(m["model"]) else {"status": "no model", "wall": 0}
                cells += [f"{q['wall']:.2f} s", q["status"]]
                if m["status"] == "optimal" and q["status"] == "optimal":
                    # Two stages give (coverage, points); a model without a coverage floor gives one value.
                    agree = list(q["value"]) == list(m["value"]) if len(q["value"]) == 2 else q["value"][-1] == m["value"][1]
                    same = ("yes" if agree else "NO") if same in ("—", "yes") else same
            value = f"{m['value'][0]} / {m['value'][1]:,}" if m["value"] else "—"
            solve = f"{m['solve']:.2f} s" if m.get("solve") is not None else "—"
            print(f"| {n:,} × {SIZES[n]:,} | {seed} | {m.get('pairs') or 0:,} | {m['wall']:.2f} s | {solve} | {m['status']} | {value} | "
                  + " | ".join(cells) + f" | {same} |", flush=True)


if __name__ == "__main__":
    main()
