#!/usr/bin/env bash
# Network benchmark: a container's way out through containet (--subnet --nat) against the docker-style kernel path
# (a bridge, a veth per container and nftables masquerade), both built here in namespaces, in one run. For each
# path: a "host" namespace, a "container" namespace behind its switch or bridge, and an "outside" namespace on a
# veth from the host. Measures the median of RUNS iperf3 runs container -> outside through NAT and container ->
# host through the gateway; the p50 of a DNS query for a container's name at the switch's gateway; and containode's
# start with a leased address against one with -4 (hyperfine medians). Nothing outside these namespaces is touched.
# Usage: sudo bench/network.sh   (RUNS=3 SECONDS_PER_RUN=3 STARTS=30 by default; needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SECS=${SECONDS_PER_RUN:-3}
STARTS=${STARTS:-30}
BIN=$PWD/bin
[ -x "$BIN/containet" ] && [ -x "$BIN/containode" ] || { echo "bench: run make first" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
for t in iperf3 nft hyperfine python3 ip; do command -v $t >/dev/null || { echo "bench: $t missing (bash scripts/install-deps.sh)" >&2; exit 1; }; done

tag=n$$
source bench/namespaces.sh
# The host and its outside: 198.51.100.2 and .1 on a veth.
outside() { # host-ns outside-ns
  ip link add "${2}v" netns "$1" type veth peer name "${2}o" netns "$2"
  ip -n "$1" addr add 198.51.100.2/24 dev "${2}v"; ip -n "$1" link set "${2}v" up
  ip -n "$2" addr add 198.51.100.1/24 dev "${2}o"; ip -n "$2" link set "${2}o" up
}
tcp() { # client-ns server-ns server-ip: Gbit/s at the receiver, median of RUNS
  for _ in $(seq "$RUNS"); do
    ip netns exec "$2" iperf3 -s -1 -D --bind "$3" --pidfile "$work/iperf.pid" >/dev/null
    for _ in $(seq 50); do ip netns exec "$2" ss -ltn | grep -q "$3:5201" && break; sleep 0.05; done
    ip netns exec "$1" timeout $((SECS + 15)) iperf3 -c "$3" -t "$SECS" -f g 2>&1 | awk '/receiver/ {print $(NF-2); exit}'
  done | median
}

# The kernel path, as docker builds it: br0 in the host with the gateway, a veth to the container, masquerade.
newns "${tag}kh"; newns "${tag}kc"; newns "${tag}ko"
outside "${tag}kh" "${tag}ko"
ip -n "${tag}kh" link add br0 type bridge; ip -n "${tag}kh" addr add 10.88.0.1/16 dev br0; ip -n "${tag}kh" link set br0 up
ip link add "${tag}kv" netns "${tag}kh" type veth peer name eth0 netns "${tag}kc"
ip -n "${tag}kh" link set "${tag}kv" master br0 up
ip -n "${tag}kc" addr add 10.88.0.2/16 dev eth0; ip -n "${tag}kc" link set eth0 up; ip -n "${tag}kc" route add default via 10.88.0.1
ip netns exec "${tag}kh" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "${tag}kh" nft -f - <<NFT
table ip bench { chain postrouting { type nat hook postrouting priority 100; policy accept; ip saddr 10.88.0.0/16 oifname != "br0" masquerade; }; }
NFT

# containet: the switch in its host with --subnet --nat; a container started by containode for its name, and an
# attached namespace (a TAP with offloads, as take-netns gives) to run iperf3 in.
newns "${tag}ch"; newns "${tag}cc"; newns "${tag}co"
outside "${tag}ch" "${tag}co"
mkdir -p "$work/net"
ip netns exec "${tag}ch" "$BIN/containet" -s "$work/sw.sock" --subnet 10.88.0.0/16 --nat --network-dir "$work/net" --log-level Warning & pids+=($!)
for _ in $(seq 200); do [ -S "$work/sw.sock" ] && break; sleep 0.05; done
"$BIN/containet" attach -s "$work/sw.sock" --netns "${tag}cc" --ip 10.88.0.250/16 --gateway 10.88.0.1 --nodeid bench-cc 2>/dev/null
bash scripts/busybox-root.sh "$work/root" >/dev/null
"$BIN/containode" -r "$work/root" -C -i web -s "$work/sw.sock" /bin/sleep 600 & pids+=($!)
for _ in $(seq 200); do "$BIN/containet" -s "$work/sw.sock" leases | grep -q '^web ' && break; sleep 0.05; done

ip netns exec "${tag}kc" ping -c 1 -W 2 198.51.100.1 >/dev/null || { echo "bench: the kernel path does not reach the outside" >&2; exit 1; }
ip netns exec "${tag}cc" ping -c 1 -W 2 198.51.100.1 >/dev/null || { echo "bench: containet does not reach the outside" >&2; exit 1; }

k_nat=$(tcp "${tag}kc" "${tag}ko" 198.51.100.1); c_nat=$(tcp "${tag}cc" "${tag}co" 198.51.100.1)
k_host=$(tcp "${tag}kc" "${tag}kh" 10.88.0.1); c_host=$(tcp "${tag}cc" "${tag}ch" 10.88.0.1)
read -r dns50 dns99 < <(ip netns exec "${tag}cc" python3 bench/dns-p50.py 10.88.0.1 web 2000)

hyperfine -N --warmup 3 --runs "$STARTS" --export-json "$work/start.json" \
  -n "leased" "$BIN/containode -r $work/root -C -i start -s $work/sw.sock /bin/true" \
  -n "fixed" "$BIN/containode -r $work/root -C -i start -s $work/sw.sock -4 10.88.1.1/16 /bin/true" >/dev/null
leased=$(jq '.results[] | select(.command == "leased") | .median * 1000' "$work/start.json")
fixed=$(jq '.results[] | select(.command == "fixed") | .median * 1000' "$work/start.json")

echo "| measure | kernel bridge + veth + masquerade | containet --subnet --nat | ratio | goal |"
echo "| --- | --- | --- | --- | --- |"
awk -v k="$k_nat" -v c="$c_nat" 'BEGIN {printf "| TCP container -> outside through NAT (Gbit/s) | %.2f | %.2f | %.2f× | ≥ 0.6× |\n", k, c, c/k}'
awk -v k="$k_host" -v c="$c_host" 'BEGIN {printf "| TCP container -> host through the gateway (Gbit/s) | %.2f | %.2f | %.2f× | ≥ 0.6× |\n", k, c, c/k}'
echo "| DNS query for a container name, p50 / p99 (µs) | | $dns50 / $dns99 | | p50 ≤ 200 µs |"
awk -v l="$leased" -v f="$fixed" 'BEGIN {printf "| containode start, leased address vs -4 (ms, median) | | %.1f vs %.1f | %.2f× | ≤ 1.1× |\n", l, f, l/f}'
