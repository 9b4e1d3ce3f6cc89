#!/usr/bin/env bash
# Container start-up benchmark: wall time to run /bin/true from one busybox root with containode, runc
# and bwrap, and containode with an eth0 on a running containet switch, a user namespace or a time namespace,
# and containode and runc with the same memory, CPU and pids limits (runc's in its config.json), in one run
# (hyperfine medians; the limits' ratios from interleaved rounds).
# runc gets the same confinement as a default containode container: Docker's capabilities and containode's own
# default seccomp profile (converted to the OCI form), with runc spec's masked paths and no_new_privs.
# BASELINE=PATH adds an older containode binary to the same run, and to the interleaved rounds, to compare a change against.
# Usage: sudo bench/containode.sh   (RUNS=30 by default; needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
BIN=$PWD/bin
[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
for t in hyperfine runc bwrap jq; do command -v $t >/dev/null || { echo "bench: $t missing (bash scripts/install-deps.sh)" >&2; exit 1; }; done
work=$(mktemp -d /tmp/containet-bench.XXXXXX)
switch_pid=
bench_user=ctnbench$$
# The containers this benchmark makes keep their state in $work, apart from the machine's; their names carry this
# shell's PID, since a container's cgroup (<own cgroup>/containet/NAME) is the machine's, shared with any other run.
export CONTAINET_RUN_DIR=$work/state/run CONTAINET_LIB_DIR=$work/state/lib
cleanup() {
  "$BIN/containode" ps -aq 2>/dev/null | xargs -r "$BIN/containode" rm -f >/dev/null 2>&1 || true
  [ -n "${runtime_dir:-}" ] && rm -rf "$runtime_dir"
  # Rootless podman leaves a pause process of the throwaway user's behind; nothing else runs as that user.
  id "$bench_user" >/dev/null 2>&1 && { pkill -KILL -u "$bench_user" 2>/dev/null; userdel -r -f "$bench_user" >/dev/null 2>&1; } || true
  [ -n "$switch_pid" ] && kill "$switch_pid" 2>/dev/null && wait "$switch_pid" 2>/dev/null || true
  runc delete -f "bench$$" >/dev/null 2>&1 || true
  runc delete -f "limits$$" >/dev/null 2>&1 || true
  for i in $(seq 10); do runc delete -f "pss$$-$i" >/dev/null 2>&1 || true; done
  # The containers' parent cgroup, <own>/containet in each hierarchy, once empty (another run's containers keep it).
  while IFS=: read -r _ ctrls path; do
    case $ctrls in
      "") mnt=/sys/fs/cgroup; [ -d /sys/fs/cgroup/unified ] && mnt=/sys/fs/cgroup/unified ;;
      name=*) continue ;;
      *) mnt=/sys/fs/cgroup/${ctrls%%,*} ;;
    esac
    rmdir "$mnt${path%/}/containet" 2>/dev/null || true
  done < /proc/self/cgroup
  rm -rf "$work"
}
trap cleanup EXIT

bash scripts/busybox-root.sh "$work/bundle/rootfs"
root=$work/bundle/rootfs
caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
# The Docker-format profile in OCI form: the entries these capabilities select, on this machine's architectures.
jq --argjson caps "$caps" '{defaultAction, defaultErrnoRet, architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
    syscalls: [.syscalls[] | select(((.includes.caps // []) - $caps) == [] and ((.excludes.caps // []) - ((.excludes.caps // []) - $caps)) == [])
      | {names, action, errnoRet, args} | with_entries(select(.value != null))]}' Containode/Security/default-seccomp.json > "$work/seccomp.json"
(cd "$work/bundle" && runc spec && jq --argjson caps "$caps" --slurpfile seccomp "$work/seccomp.json" \
  '.process.terminal = false | .process.args = ["/bin/true"] | .root.readonly = false
   | .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps, inheritable: $caps}
   | .linux.seccomp = $seccomp[0]' config.json > c && mv c config.json)
# The same container with containode's -m 64m --cpus 1 --pids-limit 100 in runc's terms.
limits="-m 64m --cpus 1 --pids-limit 100"
mkdir -p "$work/limits"
jq --arg root "$root" '.root.path = $root | .linux.resources.memory.limit = 67108864 | .linux.resources.cpu.quota = 100000 | .linux.resources.cpu.period = 100000 | .linux.resources.pids.limit = 100' \
  "$work/bundle/config.json" > "$work/limits/config.json"

"$BIN/containet" -s "$work/sw.sock" --log-level Warning & switch_pid=$!
for _ in $(seq 100); do [ -S "$work/sw.sock" ] && break; sleep 0.05; done

hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/r.json" --show-output \
  -n "runc run" "runc run --bundle $work/bundle bench$$" \
  -n "bwrap --unshare-all" "bwrap --unshare-all --bind $root / --proc /proc --dev /dev /bin/true" \
  -n "containode" "$BIN/containode -r $root -t $work/top -i bench$$ /bin/true" \
  -n "containode -s -4" "$BIN/containode -r $root -t $work/top -i bench$$ -s $work/sw.sock -4 10.206.0.2/24 /bin/true" \
  -n "containode seccomp=unconfined" "$BIN/containode -r $root -t $work/top -i bench$$ --security-opt seccomp=unconfined /bin/true" \
  -n "containode --userns private" "$BIN/containode -r $root -t $work/topu -i bench$$ --userns private /bin/true" \
  -n "containode --timens" "$BIN/containode -r $root -t $work/top -i bench$$ --timens /bin/true" \
  ${BASELINE:+-n "containode (baseline)" "$BASELINE -r $root -t $work/top -i bench$$ /bin/true"} \
  >"$work/first.out" 2>&1 || { tail -20 "$work/first.out" >&2; exit 1; }
# The limits' targets are ratios between starts a few ms apart: those three run interleaved, round by round,
# so that a host whose load drifts during the run weighs on each alike (hyperfine runs one command at a time).
# The same rounds hold BASELINE's start, when given: a change's cost is a ratio of starts a few ms apart too.
baseline_pair=()
[ -n "${BASELINE:-}" ] && baseline_pair=("containode (baseline)" "$BASELINE -r $root -t $work/top -i bench$$ /bin/true 2>/dev/null")
python3 bench/interleave.py "$RUNS" "$work/limits.json" true \
  "containode" "$BIN/containode -r $root -t $work/top -i bench$$ /bin/true 2>/dev/null" \
  "containode $limits" "$BIN/containode -r $root -t $work/top -i bench$$ $limits /bin/true 2>/dev/null" \
  "runc run, limits" "runc run --bundle $work/limits limits$$" \
  "${baseline_pair[@]}"

echo "| command | median (ms) | mean ± σ (ms) | ratio to runc |"
echo "| --- | --- | --- | --- |"
jq -r '.results as $r | ($r[] | select(.command == "runc run") | .median) as $runc
  | $r[] | "| \(.command) | \(.median * 1000 | . * 10 | round / 10) | \(.mean * 1000 | . * 10 | round / 10) ± \(.stddev * 1000 | . * 10 | round / 10) | \(.median / $runc | . * 100 | round / 100)× |"' "$work/r.json"
jq -r '.results as $r | ($r[] | select(.command == "containode") | .median) as $plain | ($r[] | select(.command == "containode -s -4") | .median) as $net
  | "\ncontainode with a switch port ÷ without: \($net / $plain | . * 100 | round / 100)×"' "$work/r.json"
jq -r '.results as $r | ($r[] | select(.command == "containode") | .median) as $plain | ($r[] | select(.command == "containode --userns private") | .median) as $users
  | "containode --userns private ÷ without: \($users / $plain | . * 100 | round / 100)× (target ≤ 1.2×)"' "$work/r.json"

echo
echo "| interleaved | median (ms) |"
echo "| --- | --- |"
jq -r '.results[] | "| \(.command) | \(.median * 1000 | . * 10 | round / 10) |"' "$work/limits.json"
jq -r --arg l "containode $limits" '.results as $r | ($r[] | select(.command == "containode") | .median) as $plain
  | ($r[] | select(.command == $l) | .median) as $lim | ($r[] | select(.command == "runc run, limits") | .median) as $runc
  | "containode with limits ÷ without: \($lim / $plain | . * 100 | round / 100)× (at most 1.15×); ÷ runc with the same limits: \($lim / $runc | . * 100 | round / 100)× (at most 0.5×)"' "$work/limits.json"
[ -n "${BASELINE:-}" ] && jq -r '.results as $r | ($r[] | select(.command == "containode") | .median) as $plain
  | ($r[] | select(.command == "containode (baseline)") | .median) as $base
  | "containode ÷ the baseline build: \($plain / $base | . * 100 | round / 100)× (issue 10: at most 1.15× the start before it)"' "$work/limits.json"

# Rootless: a throwaway user (useradd, removed at exit) starts /bin/true from its own copy of the root, with
# containode and with bwrap (podman is compared instead when it is installed and runs rootless here).
useradd -m -s /bin/sh "$bench_user"
home=/home/$bench_user
cp -a "$root" "$home/rootfs" && chown -R "$bench_user:" "$home/rootfs"
runtime_dir=$(mktemp -d /tmp/containet-bench-xdg.XXXXXX)  # the user's own: $work is root's alone
chown "$bench_user" "$runtime_dir"
as_user="setpriv --reuid=$(id -u "$bench_user") --regid=$(id -g "$bench_user") --init-groups env HOME=$home XDG_RUNTIME_DIR=$runtime_dir"
rival=("bwrap --unshare-all (rootless)" "$as_user bwrap --unshare-all --bind $home/rootfs / --proc /proc --dev /dev /bin/true")
# podman with lo only, as containode has without -s (its default slirp4netns needs /dev/net/tun, which may be root's only).
if command -v podman >/dev/null && (cd / && $as_user podman run --rm --network none --rootfs "$home/rootfs" /bin/true) >/dev/null 2>&1; then
  rival=("podman run --rootfs (rootless)" "$as_user podman run --rm --network none --rootfs $home/rootfs /bin/true")
fi
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/rootless.json" \
  -n "containode (rootless)" "$as_user $BIN/containode -r $home/rootfs -i bench /bin/true" \
  -n "${rival[0]}" "${rival[1]}" >/dev/null 2>&1
echo
echo "| rootless, /bin/true | median (ms) | ratio to ${rival[0]} |"
echo "| --- | --- | --- |"
jq -r '.results as $r | ($r[1].median) as $rival
  | $r[] | "| \(.command) | \(.median * 1000 | . * 10 | round / 10) | \(.median / $rival | . * 100 | round / 100)× |"' "$work/rootless.json"
echo "(target: ≤ 0.5× podman rootless, or ≤ 2× bwrap when podman cannot run rootless here)"

# Memory: the PSS of one waiting launcher while 10 containers of each kind run (shared pages split 10 ways).
pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
median_pss() { # PIDS...: waits until each has settled into waiting, prints the median PSS in kB
  for p in "$@"; do pss "$p"; done | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
(cd "$work/bundle" && jq '.process.args = ["/bin/sleep", "30"] | .root.readonly = true' config.json > c && mv c config.json)
runc_pids=() node_pids=()
for i in $(seq 10); do
  runc run --bundle "$work/bundle" "pss$$-$i" >/dev/null 2>&1 & runc_pids+=($!)
  "$BIN/containode" -r "$root" -t "$work/top$i" -i "pss$$-$i" $limits /bin/sleep 30 2>/dev/null & node_pids+=($!)
done
for _ in $(seq 100); do  # until every container runs its command: runc's state says so, containode has become containet-wait
  ready=$(runc list -q 2>/dev/null | grep -c "^pss$$-" || true)
  waiting=$(for p in "${node_pids[@]}"; do cat "/proc/$p/comm" 2>/dev/null; done | grep -c containet-wait || true)
  [ "$ready" = 10 ] && [ "$waiting" = 10 ] && break; sleep 0.1
done
runc_pss=$(median_pss "${runc_pids[@]}") node_pss=$(median_pss "${node_pids[@]}")
for i in $(seq 10); do runc kill "pss$$-$i" KILL >/dev/null 2>&1 || true; done
kill "${node_pids[@]}" 2>/dev/null || true
wait "${runc_pids[@]}" "${node_pids[@]}" 2>/dev/null || true
for i in $(seq 10); do runc delete -f "pss$$-$i" >/dev/null 2>&1 || true; done
echo
echo "| waiting launcher, 10 containers running (containode with $limits) | PSS (kB) | ratio to runc |"
echo "| --- | --- | --- |"
echo "| runc run | $runc_pss | 1.00× |"
echo "| containode | $node_pss | $(awk "BEGIN {printf \"%.2f\", $node_pss / $runc_pss}")× |"

# Managed containers: the detached cycle (run -d, then remove it, running) against runc's; ps with 100 containers
# running; the PSS of a detached container's monitor (containet-wait with its log pipes) among those 100.
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/cycle.json" \
  -n "runc run -d + runc delete -f" "sh -c 'runc run -d --bundle $work/bundle cyc$$ >/dev/null 2>&1 && runc delete -f cyc$$'" \
  -n "containode run -d + rm -f" "sh -c '$BIN/containode run -d --name cyc$$ -r $root /bin/sleep 30 >/dev/null && $BIN/containode rm -f cyc$$ >/dev/null'" \
  >"$work/first.out" 2>&1 || { tail -20 "$work/first.out" >&2; exit 1; }
for i in $(seq 100); do "$BIN/containode" run -d --name "ps$$-$i" -r "$root" /bin/sleep 300 >/dev/null; done
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/ps.json" -n "containode ps -a (100 running)" "$BIN/containode ps -a" >/dev/null
monitors=($(cat "$CONTAINET_RUN_DIR"/containers/*/pids | awk '{print $3}'))
monitor_pss=$(median_pss "${monitors[@]}")
"$BIN/containode" ps -aq | xargs -r "$BIN/containode" rm -f >/dev/null
echo
echo "| managed containers | median (ms) | target |"
echo "| --- | --- | --- |"
jq -r '.results as $r | ($r[0].median) as $runc
  | "| \($r[0].command) | \($runc * 1000 | . * 10 | round / 10) | |",
    "| \($r[1].command) | \($r[1].median * 1000 | . * 10 | round / 10) | \($r[1].median / $runc | . * 100 | round / 100)× runc (≤ 0.5×) |"' "$work/cycle.json"
jq -r '.results[0] | "| \(.command) | \(.median * 1000 | . * 10 | round / 10) | ≤ 50 ms |"' "$work/ps.json"
echo "| a detached container's monitor, PSS | $monitor_pss kB | ≤ 200 kB |"
echo "(RUNS=$RUNS, $(nproc) cores, kernel $(uname -r), $(runc --version | head -1), $(bwrap --version))"
