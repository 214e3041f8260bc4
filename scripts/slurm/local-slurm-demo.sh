#!/bin/bash
# A real Slurm on this one machine, to try scripts/slurm/ end to end: OPT-IN, never run by
# CI or the test suite, because it installs Debian packages and starts daemons.
#
#     sudo scripts/slurm/local-slurm-demo.sh --run
#
# For root on a Debian machine (or container) without systemd. It
#
#   1. installs the Debian packages slurmctld, slurmd, slurm-client and munge (apt-get)
#      if they are missing; their services are not started (policy-rc.d / no init);
#   2. writes, in a temporary folder, a single-node slurm.conf (node `localhost` with this
#      machine's CPUs, partition `debug`, loopback ports 16817/16818 so that it cannot
#      clash with a Slurm already configured here) and a fresh munge key;
#   3. starts munged, slurmctld and slurmd by hand in the foreground of background jobs
#      (no systemd, nothing under /etc or /run), and records their PIDs;
#   4. writes a tiny experiment on scenarios/tutorial.toml with shards = 3, submits it as
#      a job array with sweep.sbatch and the merge with merge.sbatch and
#      --dependency=afterok, and polls squeue until both are done (with a time limit);
#   5. runs the same experiment unsharded with `plenary sweep` and compares sweep.csv,
#      points.csv and summary.csv byte for byte (cmp);
#   6. prints PASS or FAIL (exit 0 or 1) and, on any exit, stops exactly the daemons it
#      started, by their PIDs, and removes its temporary folder.
#
# The installed packages stay installed. Where systemd runs, installing them would start
# their services, so the script refuses to run there: use that machine's Slurm instead.
# A Slurm or munge already running is left alone (other ports, another munge socket).
#
# Environment: PLENARY (the binary; default target/release/plenary, built if missing),
# TIMEOUT (seconds to wait for the jobs; default 300), KEEP=1 (keep the temporary folder).
#
# Last run: Debian 12 (bookworm), slurm-wlm 22.05.8, munge 0.5.15, as root in a container
# without systemd on 2 cores: PASS, in about 20 s including the package installation.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TIMEOUT=${TIMEOUT:-300}

if [ "${1:-}" != "--run" ]; then
    sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    echo "Nothing done: pass --run to install Slurm and run the demo."
    exit 0
fi

say() { printf '\n== %s\n' "$*"; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and starts daemons)"
[ -r /etc/debian_version ] || die "this script is for Debian (apt-get, Debian's Slurm packages)"
if [ -d /run/systemd/system ]; then
    die "systemd is running here: installing Slurm would start its services; use them, not this demo"
fi

# --- 1. packages ------------------------------------------------------------------------
say "packages"
missing=()
for pkg in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "$(slurmctld -V), $(munged --version 2>&1 | head -n 1)"

# --- the temporary folder and the clean-up ----------------------------------------------
TMP=$(mktemp -d /tmp/plenary-slurm-demo.XXXXXX)
PIDS=()     # daemons started here, in start order
JOBS=()     # jobs submitted here
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    local status=$?
    set +e
    if [ ${#JOBS[@]} -gt 0 ] && [ ${#PIDS[@]} -ge 2 ]; then
        scancel "${JOBS[@]}" 2>/dev/null
    fi
    # Stop the daemons in reverse order, by PID: TERM, up to 15 s, then KILL.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        local pid=${PIDS[i]}
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
        wait "$pid" 2>/dev/null
        echo "stopped pid $pid"
    done
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$TMP"/{etc,munge,state/ctld,state/d,log,bin,work}
chmod 700 "$TMP/munge"

# The plenary binary, copied so that a rebuild during the demo cannot change it.
PLENARY_SRC=${PLENARY:-$REPO/target/release/plenary}
if [ ! -x "$PLENARY_SRC" ]; then
    say "building plenary"
    (cd "$REPO" && cargo build --release --quiet)
fi
cp "$PLENARY_SRC" "$TMP/bin/plenary"
export PLENARY=$TMP/bin/plenary

# --- 2. configuration ---------------------------------------------------------------------
say "configuration in $TMP"
dd if=/dev/urandom of="$TMP/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$TMP/munge/munge.key"
SOCKET=$TMP/munge/munge.socket.2
export SLURM_CONF=$TMP/etc/slurm.conf
cat >"$SLURM_CONF" <<CONF
# Single-node Slurm for scripts/slurm/local-slurm-demo.sh.
ClusterName=plenary-demo
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$TMP/state/ctld
SlurmdSpoolDir=$TMP/state/d
SlurmctldPidFile=$TMP/state/slurmctld.pid
SlurmdPidFile=$TMP/state/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
DependencyParameters=kill_invalid_depend
MinJobAge=600
NodeName=localhost CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
cat "$SLURM_CONF"

# --- 3. daemons, by hand --------------------------------------------------------------------
say "daemons"
# munged refuses root and a key under /tmp unless forced; the key is ours, fresh, mode 400.
munged --foreground --force --key-file="$TMP/munge/munge.key" --socket="$SOCKET" \
    --pid-file="$TMP/munge/munged.pid" --log-file="$TMP/log/munged.log" \
    --seed-file="$TMP/munge/munged.seed" 2>>"$TMP/log/munged.stderr" &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.2; done
[ -S "$SOCKET" ] || { cat "$TMP/log/munged".* >&2; die "munged did not start"; }
echo "munged    pid ${PIDS[0]}"

slurmctld -D -f "$SLURM_CONF" >>"$TMP/log/slurmctld.stderr" 2>&1 &
PIDS+=($!)
echo "slurmctld pid ${PIDS[1]}"
slurmd -D -N localhost -f "$SLURM_CONF" >>"$TMP/log/slurmd.stderr" 2>&1 &
PIDS+=($!)
echo "slurmd    pid ${PIDS[2]}"

# Wait for the node to register and become idle.
state=
for _ in $(seq 60); do
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$TMP"/log/*.log "$TMP"/log/*.stderr >&2; die "a daemon (pid $pid) exited"; }
    done
    state=$(sinfo -h -n localhost -o '%T' 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 1
done
[ "$state" = idle ] || { tail -n 20 "$TMP"/log/*.log >&2; die "node localhost is '$state', not idle, after 60 s"; }
sinfo

# --- 4. the sharded sweep as a job array, then the merge --------------------------------
say "sharded sweep on Slurm"
cd "$TMP/work"
cat >tiny.toml <<TOML
# A tiny sweep for the Slurm demo: 3 points x 20 replicates = 60 runs in 3 shards.
[experiment]
id = "slurm-demo"
scenario = "$REPO/scenarios/tutorial.toml"
seed = 11
replicates = 20
shards = 3

[design]
kind = "grid"

[[vary]]
path = "parameters.stakeholder_weight"
values = [0.0, 0.3, 0.6]
TOML
"$PLENARY" validate tiny.toml
N=$(sed -n '/^\[experiment\]/,/^\[/s/^[[:space:]]*shards[[:space:]]*=[[:space:]]*\([0-9_]*\).*/\1/p' tiny.toml | tr -d _)

# Shard 1 as a kill -9 or a power cut would leave it: the plan, a hidden partial sweep.csv
# with 7 complete runs and a torn line. Its task must resume it (--resume), not start over.
"$PLENARY" sweep tiny.toml --shard "1/$N" --out "results/slurm-demo/shard-1-of-$N" --threads 1 >/dev/null
(
    cd "results/slurm-demo/shard-1-of-$N"
    sed -n '/^  "plan": {/,/^  },/p' manifest.json | sed '1s/.*/{/; $s/.*/}/' >.sweep-plan.json
    { head -n 8 sweep.csv; sed -n 9p sweep.csv | head -c 10; } >.sweep.csv.partial
    rm sweep.csv manifest.json
    # shellcheck disable=SC2012
    echo "shard 1 interrupted by hand: $(ls -A | tr '\n' ' ')"
)
# One CPU per task, so that the tasks share this machine's CPUs.
array=$(sbatch --parsable --array=0-$((N - 1)) --cpus-per-task=1 \
    "$REPO/scripts/slurm/sweep.sbatch" tiny.toml)
array=${array%%;*}
JOBS+=("$array")
echo "sbatch --array=0-$((N - 1)) sweep.sbatch tiny.toml -> job $array"
merge=$(sbatch --parsable --dependency=afterok:"$array" "$REPO/scripts/slurm/merge.sbatch" tiny.toml)
merge=${merge%%;*}
JOBS+=("$merge")
echo "sbatch --dependency=afterok:$array merge.sbatch tiny.toml -> job $merge"

start=$SECONDS
while true; do
    queue=$(squeue -h -j "$array,$merge" -o '%i %T %r' 2>/dev/null || true)
    [ -z "$queue" ] && break
    if grep -q DependencyNeverSatisfied <<<"$queue"; then
        echo "$queue"
        die "a shard failed, so the merge will never run"
    fi
    if ((SECONDS - start > TIMEOUT)); then
        echo "$queue"
        die "the jobs did not finish within $TIMEOUT s"
    fi
    sleep 2
done
echo "all jobs left the queue after $((SECONDS - start)) s"
for job in "$array" "$merge"; do
    scontrol -o show job "$job" 2>/dev/null | awk '{
        for (i = 1; i <= NF; i++) if ($i ~ /^(JobId|ArrayJobId|ArrayTaskId|JobName|JobState|ExitCode)=/) printf "%s ", $i
        print ""
    }' || true
done
for out in slurm-*.out; do
    echo "--- $out"
    cat "$out"
done

# --- 5. the same experiment, unsharded ------------------------------------------------------
say "unsharded sweep, for comparison"
"$PLENARY" sweep tiny.toml --out whole --threads "$(nproc)"
ls results/slurm-demo

# --- 6. verdict --------------------------------------------------------------------------
say "comparison"
ok=1
for file in sweep.csv points.csv summary.csv; do
    if cmp "results/slurm-demo/$file" "whole/$file"; then
        echo "identical: $file ($(wc -l <"whole/$file") lines)"
    else
        ok=0
    fi
done
if [ "$ok" = 1 ]; then
    echo "PASS: the merged Slurm job array equals the unsharded sweep"
    exit 0
fi
echo "FAIL: the merged sweep differs from the unsharded one"
exit 1
