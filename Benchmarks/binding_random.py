#!/usr/bin/env python3
"""Binding equity programs drawn at random: sizes and rules other than binding.py's fixed family.

Each seed draws a size between the two given (mentors 30-45 % of mentees), writes the program
with `mentormatch generate --binding`, then draws its rules and solves it with `propose`
(release build, no store): group access on `urg` (0.01-0.05) and `gender` (0.02-0.05),
department access (0.02-0.05), at most 1-3 mentees of a department per mentor, HQ mentors'
reach outside 0.5-0.7, and either objective. With `--zero`, tolerances of 0 are drawn too (the
SPEC's own example; such programs often have only the empty cohort). One line per program:
status, wall time, coverage and points, what the proof bounds, and the rules drawn, so a slow
or unproven program can be run again by hand with the same `--set` options.

    python3 Benchmarks/binding_random.py --sizes 50-500 --seeds 31-60 --time-limit 20
    python3 Benchmarks/binding_random.py --sizes 500-2000 --seeds 61-75 --time-limit 30
    python3 Benchmarks/binding_random.py --sizes 50-500 --seeds 1-30 --zero

Not part of the test suite.
"""
import argparse, json, os, random, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "mentormatch")


def span(text):
    lo, _, hi = text.partition("-")
    return int(lo), int(hi or lo)


def draw(seed, lo, hi, zero):
    """The program's size and rules for one seed (the same on every machine)."""
    r = random.Random(seed * 7919 + lo)
    n = r.randint(lo, hi)
    m = max(3, int(n * r.uniform(0.3, 0.45)))
    urg = r.choice([0.0 if zero else 0.01, 0.01, 0.03, 0.05])
    gender = r.choice([0.0 if zero else 0.02, 0.02, 0.05])
    department = r.choice([0.0 if zero else 0.02, 0.02, 0.05])
    cap = r.choice([1, 2, 3])
    reach = r.choice([0.5, 0.6, 0.7])
    objective = r.choice(["coverage_then_score", "coverage_then_fairness"])
    sets = [
        f"equity.group_access=[{{attribute: urg, tolerance: {urg}}}, {{attribute: gender, tolerance: {gender}}}]",
        f"equity.department_access.tolerance={department}",
        f"equity.max_same_department_per_mentor={cap}",
        f"equity.location_reach={{location: HQ, min_share_outside: {reach}}}",
        f"objective={objective}",
    ]
    return n, m, sets


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50-500", help="mentee counts to draw from, e.g. 50-500")
    ap.add_argument("--seeds", default="1-30", help="a range, e.g. 1-30")
    ap.add_argument("--time-limit", type=float, default=20)
    ap.add_argument("--zero", action="store_true", help="draw tolerances of 0 as well")
    ap.add_argument("--workdir", default=None, help="where the programs are written (default: a new temporary folder)")
    args = ap.parse_args()
    lo, hi = span(args.sizes)
    first, last = span(args.seeds)
    work = args.workdir or tempfile.mkdtemp(prefix="binding-random-")
    print(f"# programs in {work}")
    proven = 0
    for seed in range(first, last + 1):
        n, m, sets = draw(seed, lo, hi, args.zero)
        folder = os.path.join(work, f"{n}x{m}-seed{seed}")
        if not os.path.exists(os.path.join(folder, "program.yaml")):
            subprocess.run([BIN, "generate", "--mentees", str(n), "--mentors", str(m), "--seed", str(seed), "--binding",
                            "--out", folder], capture_output=True, check=True)
        out = os.path.join(folder, "proposal.json")
        cmd = [BIN, "propose", os.path.join(folder, "program.yaml"), "--no-store", "--quiet", "--time-limit",
               str(args.time_limit), "--format", "json", "--out", out, "--force"]
        for s in sets:
            cmd += ["--set", s]
        start = time.time()
        run = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.time() - start
        if run.returncode not in (0, 3) or not os.path.exists(out):
            print(f"{n} x {m} seed {seed}: exit {run.returncode}: {run.stderr.strip()[-200:]}")
            continue
        doc = json.load(open(out))
        o = doc["objective"]
        proven += doc["status"] == "optimal"
        rules = "; ".join(s for s in sets)
        print(f"{n} x {m} seed {seed}: {doc['status']} {wall:.2f} s, coverage {o['coverage']}, points {o['total_points']}, "
              f"weakest pair {o['min_points']}, bounds {doc['solver'].get('bounds', {})} | {rules}", flush=True)
    print(f"# {proven} of {last - first + 1} proven optimal")


if __name__ == "__main__":
    main()
