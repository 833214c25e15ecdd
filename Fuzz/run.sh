#!/usr/bin/env bash
# Coverage-guided fuzzing of what MentorMatch reads (program file, roster,
# side files, what-if file) with libFuzzer, for a bounded time.
#
#   Fuzz/run.sh [SECONDS] [extra libFuzzer flags…]     (default 600 s)
#
# Builds Fuzz/Sources/FuzzProgram with --sanitize=fuzzer into .build-fuzz/,
# starts from the seed corpus in Fuzz/corpus/ and keeps what it learns in
# .build-fuzz/corpus/. A crash or a hang (an input that runs past 30 s) is
# written to .build-fuzz/crash-* / timeout-* and ends the run with exit 1;
# replay one with:  .build-fuzz/release/FuzzProgram .build-fuzz/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
swift build -c release --sanitize=fuzzer --product FuzzProgram --scratch-path .build-fuzz
mkdir -p .build-fuzz/corpus
exec .build-fuzz/release/FuzzProgram \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix=.build-fuzz/ "$@" .build-fuzz/corpus Fuzz/corpus
