#!/usr/bin/env python3
"""What each SPEC 9 addition costs: `propose` on one generated roster, with and
without each addition (time, peak memory, status, engine), side by side.

    python3 Benchmarks/models.py                        # 3000x1000 and 20000x5000, seed 1
    python3 Benchmarks/models.py --sizes 3000x1000 --seed 2 --time-limit 120

Each variant is the generated program plus one addition (all of them in the
last row): the roster's `mentors` column (every third mentee 2), a floor,
a criterion over a generated `interests` column, external scores for a tenth
of the pairs, two tiers, stability (mentors rank back the mentees who ranked
them), level access and a `mentors_used` stage. Not part of the test suite.
"""
import argparse, json, os, random, re, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "mentormatch")

ADDITIONS = {
    "mentors column": {"roster_mentors": True},
    "min_pair_points 300": {"rules": "  min_pair_points: 300\n"},
    "criterion (overlap)": {"criteria": True},
    "external scores": {"scores": True},
    "tiers (peer, senior)": {"yaml": "tiers:\n  peer: {level_gap: {min: 0, max: 1, ideal: 1}}\n  senior: {level_gap: {min: 2, max: 6, ideal: 3}}\n"},
    "stable": {"rules": "  stable: true\n", "reverse_preferences": True},
    "level_access 0.1": {"yaml": "equity: {level_access: {tolerance: 0.1, bands: [[1, 3], [4, 6], [7, 15]]}}\n"},
    "[coverage, mentors_used]": {"objective": "[coverage, mentors_used, total_points]"},
}


def prepare(base, name, spec, out):
    os.makedirs(out, exist_ok=True)
    rows = list(open(os.path.join(base, "roster.csv")).read().splitlines())
    header = rows[0].split(",")
    role = header.index("role")
    rng = random.Random(7)
    specs = spec if isinstance(spec, list) else [spec]
    want = {k: v for s in specs for k, v in s.items() if not isinstance(v, str)}
    if want.get("roster_mentors") or want.get("criteria"):
        extra = []
        if want.get("roster_mentors"):
            extra.append("mentors")
        if want.get("criteria"):
            extra.append("interests")
        new = [rows[0] + "," + ",".join(extra)]
        items = ["chess", "running", "music", "ai", "design", "writing", "travel"]
        for i, line in enumerate(rows[1:]):
            cells = []
            if want.get("roster_mentors"):
                cells.append("2" if i % 3 == 0 and line.split(",")[role] != "mentor" else "")
            if want.get("criteria"):
                cells.append(";".join(rng.sample(items, rng.randint(0, 3))))
            new.append(line + "," + ",".join(cells))
        rows = new
    open(os.path.join(out, "roster.csv"), "w").write("\n".join(rows) + "\n")
    for f in ["exclusions.csv", "history.csv", "org.csv"]:
        open(os.path.join(out, f), "w").write(open(os.path.join(base, f)).read())
    prefs = open(os.path.join(base, "preferences.csv")).read()
    if want.get("reverse_preferences"):
        lines = prefs.splitlines()
        prefs += "".join(f"{c[1]},{c[0]},{1 + i % 3}\n" for i, c in enumerate(l.split(",") for l in lines[1:]))
    open(os.path.join(out, "preferences.csv"), "w").write(prefs)
    yaml = open(os.path.join(base, "program.yaml")).read()
    for s in specs:
        if "rules" in s:
            yaml = yaml.replace("  no_repeat_pairs: true\n", "  no_repeat_pairs: true\n" + s["rules"])
        if "objective" in s:
            yaml = re.sub(r"objective: .*", "objective: " + s["objective"], yaml)
        if "yaml" in s:
            yaml += s["yaml"]
        if s.get("criteria"):
            yaml += "criteria:\n  - {name: interests, column: interests, kind: overlap, weight: 0.1}\n"
        if s.get("scores"):
            ids = [l.split(",") for l in rows[1:]]
            mentors = [c[0] for c in ids if c[role] in ("mentor", "both")]
            mentees = [c[0] for c in ids if c[role] in ("mentee", "both")]
            with open(os.path.join(out, "scores.csv"), "w") as f:
                f.write("mentor_id,mentee_id,score\n")
                for m in mentors:
                    for e in rng.sample(mentees, max(1, len(mentees) // 10)):
                        f.write(f"{m},{e},{rng.random():.3f}\n")
            yaml += "scores: {file: scores.csv, weight: 0.2}\n"
    # The equity key may appear twice when level access is combined: merge into one mapping.
    open(os.path.join(out, "program.yaml"), "w").write(yaml)
    return os.path.join(out, "program.yaml")


def run(program, time_limit):
    out = program.replace("program.yaml", "proposal.json")
    cmd = ["/usr/bin/time", "-v", BIN, "propose", program, "--no-store", "--format", "json", "--out", out,
           "--force", "--quiet", "--time-limit", str(time_limit)]
    start = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    row = {"wall": wall, "rss_mb": int(rss.group(1)) / 1024 if rss else None, "exit": r.returncode}
    try:
        doc = json.load(open(out))
        row.update(status=doc["status"], engine=doc["solver"]["engine"], coverage=doc["objective"]["coverage"],
                   points=doc["objective"]["total_points"], pairs=doc["metrics"]["eligible_pairs"])
    except (OSError, ValueError, KeyError):
        row.update(status="error: " + r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "error")
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="3000x1000,20000x5000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--only", help="comma-separated addition names (default: all)")
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args()
    work = a.workdir or tempfile.mkdtemp(prefix="mm-models-")
    print("| roster | addition | status | engine | wall s | peak MB | coverage | total points | eligible pairs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in a.sizes.split(","):
        n, m = size.split("x")
        base = os.path.join(work, f"{size}-s{a.seed}")
        if not os.path.exists(os.path.join(base, "program.yaml")):
            subprocess.run([BIN, "generate", "--mentees", n, "--mentors", m, "--seed", str(a.seed), "--out", base],
                           check=True, capture_output=True)
        variants = [("none", {})] + [(k, v) for k, v in ADDITIONS.items()]
        if a.only:
            keep = set(a.only.split(","))
            variants = [v for v in variants if v[0] in keep or v[0] == "none"]
        for name, spec in variants:
            program = prepare(base, name, spec, os.path.join(work, f"{size}-s{a.seed}-{re.sub(r'[^a-z0-9]+', '-', name)}"))
            r = run(program, a.time_limit)
            print(f"| {size} | {name} | {r.get('status')} | {r.get('engine', '')} | {r['wall']:.1f} | "
                  f"{(r['rss_mb'] or 0):.0f} | {r.get('coverage', '')} | {r.get('points', '')} | {r.get('pairs', '')} |", flush=True)


if __name__ == "__main__":
    main()
