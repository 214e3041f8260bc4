#!/usr/bin/env bash
# Compares plenary's exchange model (equal gain) with what decide-exchange-model wrote for
# the COP21 example, where the shared reference data is present.
#
# 1. The kernel, with decide's choices between exactly equal gains replayed (decide draws
#    them with an unseeded coin): the position-weighted mean ("preference MDS") of every
#    issue in every round must match to 0.01 and every final position to 0.1
#    (cargo test -- --ignored decide_cop21; this decides the exit code).
# 2. `plenary run` on the imported scenario, which breaks such ties by the order in which
#    exchanges are formed: the same measures, and per round the first exchange where the
#    two part. For information: here the two may differ widely.
#
# Usage: scripts/check-decide-cop21.sh [DATA_DIR]   (default /work/shared/data/decide-cop21)
# Needs cargo and python3. Exit 0: within tolerance; 1: not; 2: the reference data is
# absent (nothing was checked).
set -euo pipefail
data="${1:-/work/shared/data/decide-cop21}"
if [[ ! -f "$data/cop21.csv" || ! -d "$data/equal-gain-10-rounds" ]]; then
    echo "check-decide-cop21: reference data not found in $data (need cop21.csv and equal-gain-10-rounds/);"
    echo "nothing was checked. Pass the folder as the first argument."
    exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
echo "== 1. the kernel against decide, ties replayed =="
echo "(builds the test suite in release mode first: the first time, expect several minutes,"
echo " up to 14 on 2 cores, with no output until it is done)"
(cd "$root" && PLENARY_DECIDE_COP21="$data" cargo test --release --quiet --test main decide_cop21 -- --ignored --nocapture 2>&1 |
    grep -E '^decide_cop21|test result|panicked|assertion')
kernel=${PIPESTATUS[0]}
echo
echo "== 2. plenary run (ties by order of formation) against decide =="
(cd "$root" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$root/target}/release/plenary"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" import decide "$data/cop21.csv" --model exchange-equal-gain --out "$work/cop21.toml" >/dev/null
sed -i 's/^replicates = .*/replicates = 1/' "$work/cop21.toml"
"$bin" run "$work/cop21.toml" --trace --out "$work/out" >/dev/null
python3 - "$data/equal-gain-10-rounds" "$work/out" <<'PY'
import csv, os, sys
ref, out = sys.argv[1], sys.argv[2]
rounds = {}   # (round, issue) -> weighted mean; round 0 is the compromise column
for row in csv.DictReader(open(os.path.join(out, "rounds.csv"))):
    rounds[(int(row["round"]), row["issue"])] = float(row["draft"])
for row in csv.DictReader(open(os.path.join(out, "outcomes.csv"))):
    rounds[(0, row["issue"])] = float(row["compromise"])
positions = {}
for row in csv.DictReader(open(os.path.join(out, "trajectories.csv"))):
    positions[(int(row["round"]), row["actor"], row["issue"])] = float(row["position"])
worst_mean, worst_position, bad = (0.0, ""), (0.0, ""), 0
for name in sorted(os.listdir(ref)):
    if not name.endswith(".csv"):
        continue
    issue = name[:-4]
    lines = [l.rstrip("\n").split(";") for l in open(os.path.join(ref, name))]
    final_round = None
    section = None
    for cells in lines:
        if cells[0].startswith("rn-"):
            t = int(cells[0][3:])
            d = abs(float(cells[1]) - rounds[(t, issue)])
            final_round = t
            if d > worst_mean[0]:
                worst_mean = (d, f"{issue} round {t}")
            bad += d > 0.01
        elif cells[0].startswith("["):
            section = cells[0]
        elif section and section.startswith("[Preference]") and len(cells) >= 5 and cells[0] not in ("Actor", "MDS"):
            mine = positions[(final_round, cells[0], issue)]
            d = abs(float(cells[4]) - mine)
            if d > worst_position[0]:
                worst_position = (d, f"{cells[0]} on {issue}")
            bad += d > 0.1
        elif not cells[0]:
            section = None if section and not section.startswith("[Preference]") else section
# Exchanges, round by round: (actor, supply issue, partner) sets.
mine = {}
for row in csv.DictReader(open(os.path.join(out, "exchanges.csv"))):
    mine.setdefault(int(row["round"]), []).append((row["actor"], row["supply"], row["partner"]))
differing = 0
for n in range(1, 100):
    path = os.path.join(ref, "exchanges", f"round.{n}.csv")
    if not os.path.exists(path):
        break
    theirs = []
    for cells in [l.rstrip("\n").split(";") for l in open(path)][1:]:
        if len(cells) > 23 and cells[0] != "actor_name":
            a, b = cells[0], cells[22]
            theirs += [(a, cells[1].split(" [")[0], b), (b, cells[23].split(" [")[0], a)]
    ours = mine.get(n, [])
    pair = lambda x: tuple(sorted(x))
    t_pairs = [pair((theirs[k], theirs[k + 1])) for k in range(0, len(theirs), 2)]
    o_pairs = [pair((ours[k], ours[k + 1])) for k in range(0, len(ours), 2)]
    if t_pairs != o_pairs:
        differing += 1
        k = next((k for k, (a, b) in enumerate(zip(t_pairs, o_pairs)) if a != b), min(len(t_pairs), len(o_pairs)))
        show = lambda p: "/".join(f"{a}:{s}" for a, s, _ in p) if p else "none"
        print(f"round {n}: first {k} exchanges alike, then decide {show(t_pairs[k] if k < len(t_pairs) else None)}, "
              f"plenary {show(o_pairs[k] if k < len(o_pairs) else None)} ({len(t_pairs)} and {len(o_pairs)} in all)")
print(f"largest difference of a weighted mean: {worst_mean[0]:.2e} ({worst_mean[1]}); tolerance 0.01")
print(f"largest difference of a final position: {worst_position[0]:.2e} ({worst_position[1]}); tolerance 0.1")
print(f"rounds whose exchanges differ: {differing}; values beyond tolerance: {bad}")
PY
exit "$kernel"
