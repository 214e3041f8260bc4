#!/usr/bin/env bash
# plenary room end to end in Debian's chromium, driven by Playwright (scripts/e2e/room.mjs).
# Needs chromium (CI installs it) and Node.js; installs playwright-core locally from the lock.
#   scripts/check-room.sh [SCREENSHOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
npm ci --prefix scripts/e2e --no-audit --no-fund --silent
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
node scripts/e2e/room.mjs "${CARGO_TARGET_DIR:-target}/release/plenary" "$out" ${1:+"$1"}
