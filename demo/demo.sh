#!/usr/bin/env bash
# The README's main job: a switch and two network namespaces plugged into it, pinging each other,
# then the switch's view (ports and MACs) and a capture of the traffic. Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/bin
[ "$(id -u)" = 0 ] || { echo "demo: run as root (sudo make demo)" >&2; exit 1; }
work=$(mktemp -d /tmp/containet-demo.XXXXXX)
sock=$work/containet.sock
a=demo-a-$$ b=demo-b-$$
switch_pid=
cleanup() {
  [ -n "$switch_pid" ] && kill "$switch_pid" 2>/dev/null && wait "$switch_pid" 2>/dev/null || true
  ip netns delete "$a" 2>/dev/null || true
  ip netns delete "$b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "start the switch: containet -s $sock -w capture.pcap"
"$BIN/containet" -s "$sock" -w "$work/capture.pcap" &
switch_pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done

step "two hosts: network namespaces $a and $b, each plugged in with containet attach"
ip netns add "$a"; ip netns add "$b"
"$BIN/containet" attach -s "$sock" --netns "$a" --ip 10.0.0.1/24
"$BIN/containet" attach -s "$sock" --netns "$b" --ip 10.0.0.2/24

step "ping across the switch"
ip netns exec "$a" ping -c 3 -i 0.2 10.0.0.2

step "the switch's ports and learned MACs"
"$BIN/containet" ports -s "$sock"
"$BIN/containet" macs -s "$sock"

step "the capture, as tcpdump reads it"
kill "$switch_pid"; wait "$switch_pid" || true; switch_pid=
tcpdump -n -r "$work/capture.pcap" 2>/dev/null | head -8
echo
echo "demo: done, everything cleaned up"
