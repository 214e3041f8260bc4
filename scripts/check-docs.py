#!/usr/bin/env python3
"""Runs the shell commands of the README and of docs/ exactly as written, in the order a
new user meets them (the README first, then the documents it points to), in one fresh
copy of the repository's scenarios. A command that fails fails the check, so a document
that collides with the no-overwrite rule (a second run into a folder that holds results)
is caught here.

Commands that cannot run unattended are skipped and listed: the build and test commands
themselves, cluster schedulers (sbatch, kubectl, GNU parallel), `plenary play` with
seats and no --moves (it waits for teams at a prompt) and `plenary room` (a server). `cargo run --release` is run as
the built binary without arguments, which is what it runs. docs/import.md and
docs/backtest.md are not run: their commands take the reader's own files (cop21.csv, a
DEU III download).

    cargo build --release && python3 scripts/check-docs.py
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLENARY = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "plenary")
# The order a reader follows: the README, then the guides it names, in its order.
DOCUMENTS = ["README.md", "docs/scenario-format.md", "docs/report.md", "docs/experiments.md", "docs/tabletop.md"]
SKIP = [
    (re.compile(r"^cargo (test|build)\b"), "builds or tests the program itself"),
    (re.compile(r"^alias "), "an alias for interactive shells"),
    (re.compile(r"^(sbatch|kubectl|parallel|jid=|N=|EXP=)|\$N\b"), "needs a cluster scheduler"),
    (re.compile(r"results/oewg-final-session-play/"), "replays the session played at the prompt above"),
    (re.compile(r"^plenary play (?!.*--(moves|replay))"), "waits for teams at a prompt"),
    (re.compile(r"^plenary room "), "serves a session to browsers until it ends (scripts/check-room.sh plays one)"),
    (re.compile(r"--moves my-moves\.toml"), "needs the trainer's own moves file"),
]


def commands(path):
    """The lines of the ```sh blocks of a document, comments dropped, continuations joined."""
    out, block, pending = [], False, ""
    for line in open(os.path.join(ROOT, path), encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("```"):
            block = line.strip() == "```sh"
            continue
        if not block:
            continue
        text = re.sub(r"\s+#.*$", "", line).strip()
        if not text or text.startswith("#"):
            continue
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        out.append(pending + text)
        pending = ""
    return out


def main():
    if not os.path.exists(PLENARY):
        sys.exit(f"build it first: cargo build --release ({PLENARY} is missing)")
    failed, ran, skipped = 0, 0, []
    with tempfile.TemporaryDirectory() as work:
        shutil.copytree(os.path.join(ROOT, "scenarios"), os.path.join(work, "scenarios"))
        # scenario-format.md's commands work on the reader's copy of the tutorial.
        shutil.copy(os.path.join(ROOT, "scenarios", "tutorial.toml"), os.path.join(work, "my-scenario.toml"))
        bin_dir = os.path.join(work, ".bin")
        os.mkdir(bin_dir)
        os.symlink(PLENARY, os.path.join(bin_dir, "plenary"))
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], NO_COLOR="1")
        env.pop("PLENARY_FAILPOINT", None)
        for document in DOCUMENTS:
            for command in commands(document):
                reason = next((why for pattern, why in SKIP if pattern.search(command)), None)
                if reason:
                    skipped.append(f"{document}: {command}  ({reason})")
                    continue
                shell = "plenary" if command.startswith("cargo run --release") else command
                done = subprocess.run(["bash", "-c", shell], cwd=work, env=env, capture_output=True, text=True,
                                      stdin=subprocess.DEVNULL)
                ran += 1
                if done.returncode != 0:
                    failed += 1
                    print(f"FAILED ({done.returncode}) {document}: {command}\n{done.stderr.strip()}\n")
    for line in skipped:
        print(f"skipped {line}")
    print(f"{ran} commands run, {failed} failed, {len(skipped)} skipped")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
