#!/usr/bin/env bash
# Switch benchmark: containet against the kernel bridge (veth), a minimal C forwarder (bench/tapfwd.c, two
# TAPs with vnet_hdr and one thread: the floor of a userspace hop here) and vde_switch (TAP fds), in one run.
# Each path gets two fresh namespaces A and B. The paths are measured in interleaved rounds, each path once a
# round, so drift in the machine's speed weighs on all alike: iperf3 TCP (single stream and -P 4) and
# sockperf UDP ping-pong latency (p50, p99); the medians over ROUNDS rounds are reported, as ratios to the
# bridge and to the C forwarder, with the load average seen in each round. Then containet's memory with two
# busy ports, and its memory and CPU with 200 idle ports.
# BASELINE=PATH adds an older containet binary as one more path in the same rounds.
# Usage: sudo bench/switch.sh   (ROUNDS=3 SECONDS_PER_RUN=3 by default; needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-${RUNS:-3}}
SECS=${SECONDS_PER_RUN:-3}
IDLE_PORTS=${IDLE_PORTS:-200}
BIN=$PWD/bin/containet
[ -x "$BIN" ] || { echo "bench: run make first" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
for t in iperf3 sockperf vde_switch ip; do command -v $t >/dev/null || { echo "bench: $t missing (bash scripts/install-deps.sh)" >&2; exit 1; }; done

tag=b$$
source bench/namespaces.sh
extra_cleanup+=("ip link delete ${tag}va")

# iperf3 Gbit/s (receiver side), single stream or with -P.
iperf_server() { # ns ip: one iperf3 server for one test, once it listens
  ip netns exec "$1" iperf3 -s -1 -D --bind "$2" --pidfile "$work/iperf.pid" >/dev/null
  for _ in $(seq 50); do ip netns exec "$1" ss -ltn | grep -q "$2:5201" && break; sleep 0.05; done
}
tcp() { # ns-a ns-b ip-b parallel
  local out
  iperf_server "$2" "$3"
  out=$(ip netns exec "$1" timeout $((SECS + 15)) iperf3 -c "$3" -t "$SECS" -P "$4" -f g 2>&1) || { echo "iperf3 failed: $out" >&2; echo 0; return; }
  if [ "$4" = 1 ]; then echo "$out" | awk '/receiver/ {print $(NF-2); exit}'; else echo "$out" | awk '/SUM.*receiver/ {print $(NF-2); exit}'; fi
}

# sockperf UDP ping-pong percentiles in microseconds: prints "p50 p99".
latency() { # ns-a ns-b ip-b
  ip netns exec "$2" sockperf sr -i "$3" -p 11111 >/dev/null 2>&1 &
  local server=$!
  sleep 0.3
  local out
  out=$(ip netns exec "$1" timeout $((SECS + 15)) sockperf pp -i "$3" -p 11111 -t "$SECS" 2>&1) || true
  kill $server 2>/dev/null || true; wait $server 2>/dev/null || true
  echo "$(echo "$out" | awk '/percentile 50.000/ {print $NF}') $(echo "$out" | awk '/percentile 99.000/ {print $NF}')"
}

paths=()
path() { # label ns-a ns-b ip-a ip-b: a path to measure in every round
  ip netns exec "$2" ping -c 1 -W 2 "$5" >/dev/null || { echo "bench: $1: no connectivity" >&2; exit 1; }
  paths+=("$1|$2|$3|$5")
}

# 1. Kernel bridge with veth pairs, the bridge in a namespace of its own.
newns "${tag}-br"; newns "${tag}-ka"; newns "${tag}-kb"
ip -n "${tag}-br" link add br0 type bridge && ip -n "${tag}-br" link set br0 up
for side in a b; do
  ip link add "${tag}v$side" type veth peer name eth0 netns "${tag}-k$side"
  ip link set "${tag}v$side" netns "${tag}-br"
  ip -n "${tag}-br" link set "${tag}v$side" master br0 up
done
ip -n "${tag}-ka" addr add 10.201.0.1/24 dev eth0 && ip -n "${tag}-ka" link set eth0 up
ip -n "${tag}-kb" addr add 10.201.0.2/24 dev eth0 && ip -n "${tag}-kb" link set eth0 up
path "kernel bridge (veth)" "${tag}-ka" "${tag}-kb" 10.201.0.1 10.201.0.2

# 2. The C reference: two TAPs with vnet_hdr forwarded by one thread.
gcc -O2 -o "$work/tapfwd" bench/tapfwd.c
newns "${tag}-ra"; newns "${tag}-rb"
"$work/tapfwd" "${tag}ra" "${tag}rb" > "$work/tapfwd.out" & pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/tapfwd.out" 2>/dev/null && break; sleep 0.05; done
for side in a b; do
  ip link set "${tag}r$side" netns "${tag}-r$side"
  ip -n "${tag}-r$side" link set "${tag}r$side" name eth0
  ip -n "${tag}-r$side" link set eth0 up
done
ip -n "${tag}-ra" addr add 10.207.0.1/24 dev eth0; ip -n "${tag}-rb" addr add 10.207.0.2/24 dev eth0
path "C forwarder (epoll, 1 thread)" "${tag}-ra" "${tag}-rb" 10.207.0.1 10.207.0.2

# 3. containet, default settings (MTU 1500 in the containers, TAP offloads on).
"$BIN" -s "$work/containet.sock" --log-level Warning & pids+=($!); sw=$!
for _ in $(seq 100); do [ -S "$work/containet.sock" ] && break; sleep 0.05; done
newns "${tag}-ca"; newns "${tag}-cb"
"$BIN" attach -s "$work/containet.sock" --netns "${tag}-ca" --ip 10.202.0.1/24 2>/dev/null
"$BIN" attach -s "$work/containet.sock" --netns "${tag}-cb" --ip 10.202.0.2/24 2>/dev/null
path "containet (MTU 1500, offloads)" "${tag}-ca" "${tag}-cb" 10.202.0.1 10.202.0.2
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE" -s "$work/baseline.sock" --log-level Warning & pids+=($!)
  for _ in $(seq 100); do [ -S "$work/baseline.sock" ] && break; sleep 0.05; done
  newns "${tag}-oa"; newns "${tag}-ob"
  "$BASELINE" attach -s "$work/baseline.sock" --netns "${tag}-oa" --ip 10.208.0.1/24 2>/dev/null
  "$BASELINE" attach -s "$work/baseline.sock" --netns "${tag}-ob" --ip 10.208.0.2/24 2>/dev/null
  path "containet baseline (offloads)" "${tag}-oa" "${tag}-ob" 10.208.0.1 10.208.0.2
fi

# 4. containet without offloads, to show what the virtio-net header buys.
newns "${tag}-na"; newns "${tag}-nb"
"$BIN" attach -s "$work/containet.sock" --netns "${tag}-na" --ip 10.203.0.1/24 --no-offload 2>/dev/null
"$BIN" attach -s "$work/containet.sock" --netns "${tag}-nb" --ip 10.203.0.2/24 --no-offload 2>/dev/null
path "containet (MTU 1500, no offloads)" "${tag}-na" "${tag}-nb" 10.203.0.1 10.203.0.2

# 5. vde_switch holding two TAP fds, the TAPs moved into the namespaces.
newns "${tag}-va"; newns "${tag}-vb"
ip tuntap add mode tap "${tag}ta" && ip tuntap add mode tap "${tag}tb"
vde_switch -d -p "$work/vde.pid" -s "$work/vde.ctl" -t "${tag}ta" -t "${tag}tb" </dev/null >/dev/null 2>&1
for _ in $(seq 100); do [ -s "$work/vde.pid" ] && break; sleep 0.05; done
pids+=("$(cat "$work/vde.pid")")
for side in a b; do
  ip link set "${tag}t$side" netns "${tag}-v$side"
  ip -n "${tag}-v$side" link set "${tag}t$side" name eth0
  ip -n "${tag}-v$side" link set eth0 up
done
ip -n "${tag}-va" addr add 10.204.0.1/24 dev eth0; ip -n "${tag}-vb" addr add 10.204.0.2/24 dev eth0
path "vde_switch (TAP fds)" "${tag}-va" "${tag}-vb" 10.204.0.1 10.204.0.2

# The rounds: every path once a round, in the same order, the load average noted before each round.
for round in $(seq "$ROUNDS"); do
  echo "round $round: load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/loads"
  for p in "${paths[@]}"; do
    IFS='|' read -r label a b ip <<< "$p"
    s1=$(tcp "$a" "$b" "$ip" 1); s4=$(tcp "$a" "$b" "$ip" 4)
    read -r p50 p99 < <(latency "$a" "$b" "$ip")
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$s1" "$s4" "$p50" "$p99" >> "$work/rounds"
  done
  echo "bench: round $round done" >&2
done
busy_rss=$(awk '/VmHWM/ {print $2}' /proc/$sw/status)
for p in "${paths[@]}"; do
  label=${p%%|*}
  col() { awk -F'\t' -v l="$label" -v c="$1" '$1 == l {print $c}' "$work/rounds" | median; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" >> "$work/results"
done

# 7. What containet spends per frame while one TCP stream runs through it: context switches and CPU (perf stat),
# then system calls by name (strace -c, which slows the switch, so only its counts are used), each divided by
# the frames the two ports took in meanwhile.
frames() { "$BIN" ports -s "$work/containet.sock" --json | jq '[.ports[] | select(.nodeid | test("^'"${tag}"'-c")) | .frames_in] | add'; }
per_frame() { # tool-output-file frames: the strace -c table with a per-frame column
  awk -v f="$2" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" {printf "| %s | %d | %.2f |\n", $NF, $4, $4 / f}' "$1"
}
under_one_stream() { # COMMAND...: runs it while one TCP stream goes through containet; prints the frames taken in meanwhile
  iperf_server "${tag}-cb" 10.202.0.2
  local before load
  before=$(frames)
  ip netns exec "${tag}-ca" timeout $((SECS + 15)) iperf3 -c 10.202.0.2 -t "$SECS" >/dev/null 2>&1 &
  load=$!
  "$@" 2>/dev/null || true
  wait $load || true
  echo $(($(frames) - before))
}
if command -v perf >/dev/null && command -v strace >/dev/null; then
  perf_frames=$(under_one_stream perf stat -e task-clock,context-switches -p "$sw" -x, -o "$work/perf.csv" -- sleep "$SECS")
  strace_frames=$(under_one_stream timeout "$SECS" strace -c -f -o "$work/strace.txt" $(ls /proc/$sw/task | sed 's/^/-p /'))
fi

# 6. Memory and CPU with many idle ports on a fresh switch. Idle means no frames: the namespace's IPv6 is off,
# since 200 fresh interfaces' router solicitations and MLD reports, each flooded to the 199 others, are traffic
# (they kept the switch at 2-4% of a core for the first 15 s).
"$BIN" -s "$work/idle.sock" --log-level Warning & pids+=($!); idle=$!
for _ in $(seq 100); do [ -S "$work/idle.sock" ] && break; sleep 0.05; done
newns "${tag}-idle"
ip netns exec "${tag}-idle" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
for i in $(seq "$IDLE_PORTS"); do
  "$BIN" attach -s "$work/idle.sock" --netns "${tag}-idle" --ifname "i$i" --nodeid "idle$i" --ip "10.205.$((i / 250)).$((i % 250 + 1))/16" 2>/dev/null
done
ports=$("$BIN" ports -s "$work/idle.sock" --json | jq '.ports | length')
idle_rss=$(awk '/VmRSS/ {print $2}' /proc/$idle/status)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
t0=$(ticks "$idle"); sleep 10; t1=$(ticks "$idle")
idle_cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", d / hz / 10 * 100}')

echo
echo "| path | TCP 1 stream (Gbit/s) | ÷ bridge | ÷ C ref | TCP -P 4 (Gbit/s) | ÷ bridge | latency p50 (µs) | ÷ bridge | ÷ C ref | p99 (µs) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
awk -F'\t' '{l[NR]=$1; t1[NR]=$2; t4[NR]=$3; p50[NR]=$4; p99[NR]=$5}
  END {for (i = 1; i <= NR; i++) printf "| %s | %.2f | %.2f× | %.2f× | %.2f | %.2f× | %.1f | %.2f× | %.2f× | %.1f |\n", l[i], t1[i], t1[i]/t1[1], t1[i]/t1[2], t4[i], t4[i]/t4[1], p50[i], p50[i]/p50[1], p50[i]/p50[2], p99[i]}' "$work/results"
vde=$(awk -F'\t' '/vde_switch/ {print $2}' "$work/results")
ct=$(awk -F'\t' '/offloads\)/ && !/no offloads/ {print $2}' "$work/results")
echo
echo "containet ÷ vde_switch, TCP single stream at MTU 1500: $(awk -v a="$ct" -v b="$vde" 'BEGIN {printf "%.1f×", a/b}')"
echo "containet peak RSS with two busy ports: $((busy_rss / 1024)) MB"
echo "containet RSS with $ports idle ports attached: $((idle_rss / 1024)) MB; CPU while they idle: ${idle_cpu}% of a core"
if [ -s "$work/perf.csv" ]; then
  echo
  echo "containet per frame, one TCP stream, $perf_frames frames in ${SECS}s (perf stat -p):"
  awk -F, -v f="$perf_frames" '$3 == "task-clock" {printf "  CPU %.2f µs per frame\n", $1 * 1000 / f} $3 == "context-switches" {printf "  %.2f context switches per frame\n", $1 / f}' "$work/perf.csv"
  echo
  echo "| system call (strace -c, $strace_frames frames) | calls | per frame |"
  echo "| --- | --- | --- |"
  per_frame "$work/strace.txt" "$strace_frames"
fi
cat "$work/loads"
echo "(ROUNDS=$ROUNDS, ${SECS}s per iperf3 run, $(nproc) cores, kernel $(uname -r))"
