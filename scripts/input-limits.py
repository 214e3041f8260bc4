#!/usr/bin/env python3
"""Peak memory and time of plenary on the worst inputs just under each size limit
(src/scenario/limits.rs), for BENCHMARKS.md. Writes the inputs into a temporary folder and
runs target/release/plenary (under $CARGO_TARGET_DIR if set) on each under /usr/bin/time.

    cargo build --release && python3 scripts/input-limits.py
"""

import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLENARY = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "plenary")
BASE = open(os.path.join(ROOT, "tests", "data", "invalid", "base.toml")).read()
MIB = 1 << 20
HEADER = "id,name,region,blocs,capability,population\n"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def array_of_ones(limit, around):
    """`junk = [1,1,...]` filling a file of `around` to just under `limit` bytes."""
    n = (limit - len(around) - 64) // 2
    return "junk = [" + "1," * (n - 1) + "1]\n"


def inputs(d):
    with_table = BASE.replace("replicates = 10", 'replicates = 10\nactors_table = "table.csv"')
    # A 64 MiB table of 99,990 valid rows with long names.
    per = 64 * MIB // 99_990
    rows = []
    for i in range(99_990):
        pre, post = f"X{i},", ",,EU,1,1\n"
        rows.append(pre + "n" * (per - len(pre) - len(post)) + post)
    write(f"{d}/table.csv", HEADER + "".join(rows))
    write(f"{d}/with-table.toml", with_table)
    # The scenario at 4 MiB: one long array, beside the 64 MiB table.
    write(f"{d}/array.toml", with_table.replace("[parameters]\n", array_of_ones(4 * MIB, with_table) + "\n[parameters]\n"))
    # The scenario at 4 MiB of [[actor]] tables.
    actors, i = [], 0
    while len(BASE) + sum(map(len, actors)) < 4 * MIB - 200:
        actors.append(f'[[actor]]\nid = "A{i}"\ncapability = 1\nblocs = ["EU"]\n')
        i += 1
    write(f"{d}/actors.toml", BASE + "".join(actors))
    # The experiment at 4 MiB of values, on the scenario above and its table.
    head = '[experiment]\nid = "x"\nscenario = "array.toml"\nseed = 1\nreplicates = 1\n\n[design]\nkind = "grid"\n\n[[vary]]\npath = "parameters.tolerance"\nvalues = ['
    n = (4 * MIB - len(head) - 64) // 2
    write(f"{d}/experiment.toml", head + "0," * (n - 1) + "0]\n")
    # A 64 MiB table whose second line is one row of commas.
    write(f"{d}/wide.csv", HEADER + "X," + ",".join(["1"] * (32 * MIB - 100)) + "\n")
    write(f"{d}/with-wide.toml", BASE.replace("replicates = 10", 'replicates = 10\nactors_table = "wide.csv"'))
    # 99,998 rows, each naming a bloc that does not exist.
    write(f"{d}/bad-rows.csv", HEADER + "".join(f"X{i},Actor {i},,NoSuchBloc{i},1,1\n" for i in range(99_998)))
    write(f"{d}/with-bad-rows.toml", BASE.replace("replicates = 10", 'replicates = 10\nactors_table = "bad-rows.csv"'))
    # A moves file at 4 MiB of decisions, each with a problem.
    decision = '\n[[decision]]\nforum = "wg"\nround = 1\nseat = "USA"\nresponse = "accept"\nmoves = {{ treaty = {x} }}\n'
    moves, i = [], 0
    while sum(map(len, moves)) < 4 * MIB - 200:
        moves.append(decision.format(x=i % 100))
        i += 1
    write(f"{d}/moves.toml", "".join(moves))
    write(f"{d}/base.toml", BASE)
    # A KTAB file at 1 MiB: 30,000 actors.
    rows, n = [], 0
    while sum(map(len, rows)) < MIB - 300:
        rows.append(f"A{n},Actor {n},10,20,50,40,100\n")
        n += 1
    write(f"{d}/ktab.csv", f"toy,big,{n},2\nActor,Description,Power,Pstn1,Sal1,Pstn2,Sal2\n" + "".join(rows))
    # Backtest data at 8 MiB: 197,000 cases.
    head = "case,issue,outcome,status_quo,position.a,salience.a,position.b,salience.b,position.c,salience.c,capability.a,capability.b,capability.c\n"
    cases, i = [], 0
    while len(head) + sum(map(len, cases)) < 8 * MIB - 200:
        cases.append(f"c{i},i,50,10,20,0.5,60,0.5,80,0.5,1,2,3\n")
        i += 1
    write(f"{d}/backtest.csv", head + "".join(cases))


CASES = [
    ("scenario, 4 MiB array, with a 64 MiB actors table", ["validate", "array.toml"]),
    ("scenario, 4 MiB of [[actor]] tables (77,859 actors)", ["validate", "actors.toml"]),
    ("actors table, 64 MiB (99,990 rows)", ["validate", "with-table.toml"]),
    ("experiment, 4 MiB array, on the two above", ["validate", "experiment.toml"]),
    ("actors table, a 64 MiB line of commas", ["validate", "with-wide.toml"]),
    ("actors table, 99,998 rows with an unknown bloc", ["validate", "with-bad-rows.toml"]),
    ("moves file, 4 MiB of decisions with a problem each", ["play", "base.toml", "--seat", "USA", "--moves", "moves.toml", "--out", "p"]),
    ("import ktab, 1 MiB (30,586 actors)", ["import", "ktab", "ktab.csv"]),
    ("backtest, 8 MiB (197,661 cases), --replicates 1", ["backtest", "backtest.csv", "--replicates", "1"]),
]


def main():
    if not os.path.exists(PLENARY):
        sys.exit("build it first: cargo build --release")
    with tempfile.TemporaryDirectory() as d:
        inputs(d)
        print("| input | peak memory | time | exit |")
        print("|---|---|---|---|")
        for what, args in CASES:
            done = subprocess.run(
                ["/usr/bin/time", "-f", "%M %e", PLENARY, *args], cwd=d, capture_output=True, text=True
            )
            kb, seconds = done.stderr.strip().splitlines()[-1].split()
            print(f"| {what} | {int(kb) / 1024:.0f} MiB | {seconds} s | {done.returncode} |")


if __name__ == "__main__":
    main()
