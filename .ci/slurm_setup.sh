#!/usr/bin/env bash
# A single-node Slurm cluster on this machine (node "localhost") for the sweep's Slurm backend in CI.
# Runs as root without systemd (a container-like sandbox): installs munge and Slurm from Debian,
# writes /etc/slurm/slurm.conf, starts munged, slurmctld and slurmd as plain daemons and waits until
# the node is idle. Idempotent: a second call with everything up only checks and returns.
set -euo pipefail

conf=/etc/slurm/slurm.conf
log_dir=/var/log/slurm
state_dir=/var/lib/slurm

log() { echo "slurm_setup: $*" >&2; }
die() { log "$*"; for f in "$log_dir"/slurmctld.log "$log_dir"/slurmd.log; do [ -f "$f" ] && tail -n 20 "$f" >&2; done; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (installs packages and starts daemons)"

install_packages() {
  local packages=(munge slurmctld slurmd slurm-client) missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d (if any) keeps the packages' init scripts from starting daemons: we start them below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Hardware line from slurmd itself, so the node's CPUs and memory match what slurmd detects
# (a node configured with more than it has is drained as "Low RealMemory" / "Low CPUs").
write_conf() {
  local hw
  hw="$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]* //')"
  local new
  new="$(cat <<EOF
# Written by .ci/slurm_setup.sh: one node, this machine, no cgroups, no accounting.
ClusterName=vpci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
# Start tasks as soon as CPUs free up (the default batches scheduling in 3 s steps).
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$state_dir/slurmctld
SlurmdSpoolDir=$state_dir/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
)"
  if [ -f "$conf" ] && [ "$(cat "$conf")" = "$new" ]; then
    return 1  # unchanged
  fi
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$new" > "$conf.tmp"
  mv "$conf.tmp" "$conf"
  return 0
}

# True when the pid file names a live process (not a zombie) running that program.
running() {
  local pidfile="$1" name="$2" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)"
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && grep -q "^$name" "/proc/$pid/comm" &&
    ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$pid/stat"
}

stop() {
  local pidfile="$1" name="$2"
  running "$pidfile" "$name" || return 0
  local pid
  pid="$(cat "$pidfile")"
  log "stopping $name ($pid) for the new configuration"
  kill "$pid"
  for _ in $(seq 50); do running "$pidfile" "$name" || return 0; sleep 0.1; done
  die "$name ($pid) did not stop"
}

start_munge() {
  mkdir -p /run/munge
  chown munge:munge /run/munge
  chmod 0755 /run/munge
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -s /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null \
      || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none; }
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    log "starting munged"
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "munged does not answer (munge -n | unmunge)"
  fi
}

node_state() { sinfo -h -n localhost -o %T 2>/dev/null | head -n 1; }

start=$(date +%s.%N)
install_packages
mkdir -p "$log_dir" "$state_dir/slurmctld" "$state_dir/slurmd"
if write_conf; then
  stop /run/slurmd.pid slurmd
  stop /run/slurmctld.pid slurmctld
fi
start_munge
if ! running /run/slurmctld.pid slurmctld; then
  log "starting slurmctld"
  slurmctld -i || die "slurmctld did not start"
fi
if ! running /run/slurmd.pid slurmd; then
  log "starting slurmd"
  slurmd -N localhost || die "slurmd did not start"
fi

state=""
for _ in $(seq 120); do
  state="$(node_state)"
  case "$state" in
    idle|mixed|allocated|completing) break ;;
    drain*|down*|fail*) scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
case "$state" in
  idle|mixed|allocated|completing) ;;
  *) die "node localhost is '${state:-unknown}' after 60 s (sinfo -R: $(sinfo -h -R 2>/dev/null | tr '\n' ' '))" ;;
esac
log "node localhost is $state ($(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s)"
