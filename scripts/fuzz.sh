#!/usr/bin/env bash
# The fuzzing campaign: the property tests of tests/fuzz.rs (scenario files, actors tables)
# and tests/fuzz_files.rs (experiment files, decisions logs) run again and again with fresh
# seeds for as long as asked, in release mode. It is mutation-based, not coverage-guided:
# cargo-fuzz needs a nightly toolchain, and these run on stable.
#
# Usage: scripts/fuzz.sh [MINUTES]   (default 60; CASES=N cases per property and round,
# default 2000). Prints the executions and any failure; a failing round's output (with
# proptest's minimal input) is kept in fuzz-failures/. Exit 1 if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-60}"
cases="${CASES:-2000}"
echo "building the test suite in release mode (the first time: several minutes)..."
bin=$(cargo test --release --locked --test main --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "main":
        print(m["executable"])' | tail -1)
# The tests that are not properties run once per round, whatever CASES says.
plain="the_un_scenario_is_valid|the_mutations_change_the_text|the_corpus_reads_without_panic"
properties=$("$bin" fuzz --list 2>/dev/null | grep ': test$' | grep -cvE "$plain")
end=$(( $(date +%s) + minutes * 60 ))
rounds=0
failed=0
mkdir -p fuzz-failures
while [ "$(date +%s)" -lt "$end" ]; do
    seed=$(( (RANDOM << 15) | RANDOM ))
    log="fuzz-failures/seed-$seed.log"
    if PROPTEST_CASES="$cases" PROPTEST_RNG_SEED="$seed" "$bin" fuzz --test-threads=1 -q >"$log" 2>&1; then
        rm -f "$log"
    else
        failed=$((failed + 1))
        echo "round $rounds (seed $seed) FAILED: see $log"
    fi
    rounds=$((rounds + 1))
done
rmdir fuzz-failures 2>/dev/null || true
echo "$rounds rounds x $properties properties x $cases cases = $((rounds * properties * cases)) executions in $minutes minutes; $failed round(s) failed"
[ "$failed" -eq 0 ]
