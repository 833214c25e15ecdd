#!/usr/bin/env python3
"""MentorMatch benchmarks: end-to-end `propose` on generated rosters.

Builds the release binary, generates each roster with `mentormatch generate`
(fixed seeds, so anyone can reproduce it), runs `propose` under
/usr/bin/time -v, and prints a Markdown table: wall time, peak memory,
status, gap, eligible pairs, and the ratio of solve time to one scoring pass.

    python3 Benchmarks/run.py                 # the issue's table + growth series
    python3 Benchmarks/run.py --only 3000x1000 --engine glpk-model --time-limit 900
    python3 Benchmarks/run.py --quick         # small sizes only
    python3 Benchmarks/run.py --only 3000x1000-equity --seeds 1-20   # one row on many seeds

Not part of the test suite: large rosters take minutes.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "mentormatch")

# (mentees, mentors, rules)
TABLE = [
    (3000, 1000, "plain"), (3000, 1000, "equity"),
    (20000, 5000, "plain"), (20000, 5000, "equity"),
    (100000, 25000, "plain"),
]
GROWTH = [(1000, 333), (3000, 1000), (10000, 2500), (30000, 7500), (100000, 25000)]


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def steal_seconds():
    """CPU time the hypervisor gave to others (all cores), from /proc/stat; None off Linux."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run_case(mentees, mentors, rules, engine, time_limit, seed, workdir):
    d = os.path.join(workdir, f"{mentees}x{mentors}-{rules}-s{seed}")
    if not os.path.exists(os.path.join(d, "program.yaml")):
        args = [BIN, "generate", "--mentees", str(mentees), "--mentors", str(mentors), "--seed", str(seed), "--out", d]
        if rules == "equity":
            args.append("--equity")
        r = sh(args)
        if r.returncode != 0:
            return {"error": r.stderr.strip()}
    out = os.path.join(d, f"proposal-{engine}.json")
    cmd = ["/usr/bin/time", "-v", BIN, "propose", os.path.join(d, "program.yaml"), "--format", "json",
           "--out", out, "--quiet", "--engine", engine, "--time-limit", str(time_limit)]
    stolen = steal_seconds()
    start = time.time()
    r = sh(cmd)
    wall = time.time() - start
    after = steal_seconds()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    row = {"wall": wall, "rss_mb": int(rss.group(1)) / 1024 if rss else None, "exit": r.returncode,
           "steal": after - stolen if stolen is not None and after is not None else None}
    if os.path.exists(out):
        doc = json.load(open(out))
        s = doc["solver"]
        row.update(status=doc["status"], coverage=doc["objective"]["coverage"],
                   points=doc["objective"]["total_points"], eligible=doc["metrics"]["eligible_pairs"],
                   scan=s.get("scan_seconds"), solve=s.get("seconds"), proof=s.get("proof"))
        os.remove(out)
    else:
        row["status"] = f"exit {r.returncode}"
        # Keep what the tool said (the last line that is not /usr/bin/time's report).
        said = [l for l in r.stderr.splitlines() if l.strip() and not l.startswith("\t") and "Command" not in l]
        row["proof"] = said[-1][:200] if said else ""
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default="auto", choices=["auto", "network", "glpk-model"])
    ap.add_argument("--time-limit", type=float, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--seeds", help="a range of seeds, e.g. 1-20 (one row per seed; overrides --seed)")
    ap.add_argument("--only", help="one case, e.g. 3000x1000 or 3000x1000-equity")
    ap.add_argument("--quick", action="store_true", help="sizes up to 3,000 mentees")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "mentormatch-bench"))
    a = ap.parse_args()
    b = sh(["swift", "build", "-c", "release", "--product", "mentormatch"], cwd=ROOT)
    if b.returncode != 0:
        sys.exit(b.stderr)
    cases = [(m, n, r) for (m, n, r) in TABLE] + [(m, n, "plain") for (m, n) in GROWTH if (m, n, "plain") not in TABLE]
    if a.quick:
        cases = [c for c in cases if c[0] <= 3000]
    if a.only:
        mm = re.match(r"(\d+)x(\d+)(?:-(\w+))?$", a.only)
        cases = [(int(mm.group(1)), int(mm.group(2)), mm.group(3) or "plain")]
    os.makedirs(a.workdir, exist_ok=True)
    seeds = [a.seed]
    if a.seeds:
        lo, _, hi = a.seeds.partition("-")
        seeds = list(range(int(lo), int(hi or lo) + 1))
    print(f"engine {a.engine}, seed{'s ' + a.seeds if a.seeds else ' ' + str(a.seed)}, time limit {a.time_limit:g} s, "
          f"{os.cpu_count()} cores; steal: CPU time the VM's host gave to others during the run\n")
    print("| mentees × mentors | rules | seed | eligible pairs | wall | steal | peak memory | status | solve ÷ scan | proof / gap |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (m, n, rules) in sorted(set(cases), key=lambda c: (c[0], c[2])):
        for seed in seeds:
            r = run_case(m, n, rules, a.engine, a.time_limit, seed, a.workdir)
            ratio = f"{r['solve'] / r['scan']:.1f}×" if r.get("scan") else "—"
            mem = f"{r['rss_mb']:.0f} MB" if r.get("rss_mb") else "—"
            steal = f"{r['steal']:.1f} s" if r.get("steal") is not None else "—"
            print(f"| {m:,} × {n:,} | {rules} | {seed} | {r.get('eligible', 0):,} | {r['wall']:.1f} s | {steal} | {mem} | "
                  f"{r.get('status')} | {ratio} | {r.get('proof') or ''} |", flush=True)


if __name__ == "__main__":
    main()
