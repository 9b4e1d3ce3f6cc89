#!/usr/bin/env bash
# The README's main job: a containet switch, two busybox containers on it pinging each other, the switch's
# view of them, and a capture of the traffic. Everything it starts it stops, also when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/bin
[ "$(id -u)" = 0 ] || { echo "demo: run as root (sudo make demo)" >&2; exit 1; }
work=$(mktemp -d /tmp/containet-demo.XXXXXX)
sock=$work/containet.sock
switch_pid= server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$switch_pid" ] && kill "$switch_pid" 2>/dev/null && wait "$switch_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "a root filesystem from busybox-static: scripts/busybox-root.sh"
bash scripts/busybox-root.sh "$work/rootfs"

step "start the switch: containet -s $sock -w capture.pcap"
"$BIN/containet" -s "$sock" -w "$work/capture.pcap" &
switch_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done

step "container b (10.0.0.3) waits: containode --rm -r rootfs -i b -s SOCK -4 10.0.0.3/24 --init sh -c 'touch /tmp/ready; exec sleep 60'"
"$BIN/containode" --rm -r "$work/rootfs" -t "$work/top-b" -i b -s "$sock" -4 10.0.0.3/24 --init /bin/sh -c 'touch /tmp/ready; exec sleep 60' &
server_pid=$!
# b is up once its command ran (its network is plugged in before that): look at its root from outside.
for _ in $(seq 200); do
  first=$(pgrep -P "$server_pid" | head -1 || true)
  [ -n "$first" ] && [ -e "/proc/$first/root/tmp/ready" ] && break
  sleep 0.05
done

step "container a (10.0.0.2) pings b through the switch"
"$BIN/containode" --rm -r "$work/rootfs" -t "$work/top-a" -i a -s "$sock" -4 10.0.0.2/24 /bin/sh -c 'hostname; ip -o -4 addr show eth0; ping -c 3 10.0.0.3'

step "the switch's ports and learned MACs"
"$BIN/containet" ports -s "$sock"
"$BIN/containet" macs -s "$sock"

step "stop b (SIGTERM goes to the container), then the switch"
kill -TERM "$server_pid"; status=0; wait "$server_pid" || status=$?; server_pid=
echo "b exited with status $status"
kill "$switch_pid"; wait "$switch_pid" || true; switch_pid=

step "the capture, as tcpdump reads it"
tcpdump -n -r "$work/capture.pcap" 2>/dev/null | grep -E 'ICMP|ARP' | head -8
echo
echo "demo: done, everything cleaned up"
