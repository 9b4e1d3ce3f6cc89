#!/usr/bin/env bash
# containode serve benchmark, on 127.0.0.1 over mutual TLS 1.3:
#  (a) a remote round trip, `containode --host ... run --rm -r busybox /bin/true` (create, follow its output to the
#      end, its status, remove), against the local `containode run --rm -r ROOT /bin/true` (hyperfine medians), and
#      `containode --host ... ps` alone (the client's start, the handshake and one call);
#  (b) 100 `containode logs -f` of one job writing 100 MB (lines of 100 bytes) at once: the aggregate rate they
#      receive, and the server's peak RSS (VmHWM);
#  (c) the limit of this machine for (b): a C sender of bare TLS 1.3 (bench/tlsfloor.c) to as many client processes
#      (run before (b), whose 10 GB of followers' files the disk then writes back).
# Where the time goes (2-core VM shared with other builds; load average beside each figure):
#  - (a) A remote `run --rm` is one client process and one Run call: the client's start (the runtime, then OpenSSL,
#    the TLS 1.3 handshake and HTTP/2), then on the node the job made and started by the server itself (containode's
#    own code; running `containode run -d` cost one more program start), its monitor's start (a containode again) and
#    the container's, the output followed through inotify until the exit status is written, and the status. With --rm the job
#    leaves the caller's view before that status is sent and its files go after the reply, off the client's path.
#    `ps` alone is the client's fixed cost: containode's C main execs containode-remote before any runtime starts
#    (the managed hand-off cost 10 ms), then containode-remote's own start.
#    That client is linked at a fixed address and not dehydrated (Makefile): as a PIE, rehydrating and relocating its
#    15 MB image's data was 60% of its bare start (26 ms, against 10). A TLS-only NativeAOT client (SslStream, the same
#    certificates and trust setup, no HTTP/2 or gRPC) takes 30 ms to connect and finish its handshake here; gRPC's
#    channel, HTTP/2 and the call add some 20 ms to that (of which about 4 ms is NativeAOT's type loader building
#    the first call's generic virtual method, CallInvoker.AsyncUnaryCall, at run time: perf).
#  - (b) Followers: the server spends about 5 CPU-seconds per GB it sends (TLS, HTTP/2 framing, copies) and the 100
#    client processes about 11 per GB (15 when each reads 20 MB: their starts weigh more), so 1 GB/s would take some
#    16 cores, eight times this VM. Thread pool workers do not spin before sleeping (sched_yield was a tenth of all
#    CPU here, and clients' CPU per GB 18-21 s), and clients ask for TLS_AES_128_GCM_SHA256, cheaper than AES-256.
#  - Server peak RSS: 229 MiB with 100 followers of 100 MB, server GC and 64 KiB chunks; 148 with workstation GC, a
#    4 MiB gen0 budget and 16 KiB chunks (CriChunker); 129 with a 2 MiB gen0 (RemoteHandOff sets DOTNET_GCgen0size).
#    Over a run it saws between a floor (what the followers hold: pipes, TLS buffers, their readers) and that floor
#    plus what gen0 collects. A shared feed window of 8 MiB instead of 1 (LogFeed) raised it: its chunks lived into
#    older generations.
#  - The physical limit here: a C program with OpenSSL (TLS 1.3, AES-128-GCM, one epoll thread) sending 100 MB to
#    each of 100 client processes that read and drop it moves 1.18 GB/s on these two cores, at 0.78 CPU-s/GB for the
#    sender and 0.93 for the clients. 1 GB/s through gRPC, HTTP/2 and 100 .NET clients would need the whole stack
#    within 15% of bare TLS.
# Usage: sudo bench/remote.sh   (ROUNDS=5 of RUNS=10 by default; PARTS="a c b" by default, PARTS=a for the round trip alone;
#        needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
ROUNDS=${ROUNDS:-5}
PARTS=${PARTS:-a c b}
FOLLOWERS=${FOLLOWERS:-100}
BIN=$PWD/bin
[ "$(id -u)" = 0 ] || { echo "bench: needs root" >&2; exit 1; }
for t in hyperfine openssl jq; do command -v $t >/dev/null || { echo "bench: $t missing (bash scripts/install-deps.sh)" >&2; exit 1; }; done
work=$(mktemp -d /tmp/containet-bench-remote.XXXXXX)
server_pid=
export CONTAINET_RUN_DIR=$work/state/run CONTAINET_LIB_DIR=$work/state/lib
cleanup() {
  env -u CONTAINODE_HOST "$BIN/containode" ps -aq 2>/dev/null | xargs -r env -u CONTAINODE_HOST "$BIN/containode" rm -f >/dev/null 2>&1 || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bash scripts/busybox-root.sh "$work/rootfs" >/dev/null
# A CA, the node's certificate (127.0.0.1) and a client's, as PEM files.
pki=$work/pki; mkdir -p "$pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -subj /CN=bench-ca -days 1 2>/dev/null
issue() { # NAME EXTENSIONS
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "/CN=$1" 2>/dev/null
  printf '%b\n' "$2" > "$pki/$1.ext"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -out "$pki/$1.crt" -days 1 -extfile "$pki/$1.ext" 2>/dev/null
}
issue node 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'
issue bench 'extendedKeyUsage=clientAuth'

"$BIN/containode" serve --listen 127.0.0.1:0 --tls-cert "$pki/node.crt" --tls-key "$pki/node.key" --tls-ca "$pki/ca.crt" \
  --root "busybox=$work/rootfs" --max-jobs 100000 > "$work/server.log" 2>&1 & server_pid=$!
for _ in $(seq 200); do grep -q 'listening on' "$work/server.log" && break; sleep 0.05; done
address=$(grep -o 'listening on https://[^ ]*' "$work/server.log" | sed 's|.*https://||')
[ -n "$address" ] || { cat "$work/server.log" >&2; exit 1; }
remote="CONTAINODE_HOST=$address CONTAINODE_TLS_CERT=$pki/bench.crt CONTAINODE_TLS_KEY=$pki/bench.key CONTAINODE_TLS_CA=$pki/ca.crt"

if [[ " $PARTS " == *" a "* ]]; then
# Interleaved rounds: this VM's speed drifts over minutes (the same command took 50 ms in one run and 62 in the
# next), so each round times all three side by side, and the ratio is each round's, then their median.
echo "## (a) round trip ($ROUNDS interleaved rounds, each the median of $RUNS runs)"
echo "| round | local run --rm ms | remote run --rm ms | remote ps ms | remote / local |"
echo "|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/a$round.json" \
    -n "local: containode run --rm /bin/true" "$BIN/containode run --rm -r $work/rootfs /bin/true" \
    -n "remote: containode --host run --rm /bin/true" "env $remote $BIN/containode run --rm -r busybox /bin/true" \
    -n "remote: containode --host ps" "env $remote $BIN/containode ps" >/dev/null
  jq -r --arg r "$round" '[.results[].median * 1000] | "| \($r) | \(.[0] | floor) | \(.[1] | floor) | \(.[2] | floor) | \((.[1] / .[0] * 100 | floor) / 100)x |"' "$work/a$round.json"
done
jq -s -r '[.[] | .results[1].median / .results[0].median] | sort | "remote / local, median of the rounds: \((.[length / 2 | floor] * 100 | floor) / 100)x"' "$work"/a[0-9]*.json

fi
if [[ " $PARTS " == *" c "* ]]; then
echo "## (c) the limit here: bare TLS 1.3 from C (bench/tlsfloor.c) to $FOLLOWERS clients of 100 MB each"
gcc -O2 -o "$work/tlsfloor" bench/tlsfloor.c -lssl -lcrypto
echo "| clients | aggregate MB/s | sender CPU s/GB | clients CPU s/GB | failed |"
echo "|---|---|---|---|---|"
"$work/tlsfloor" "$FOLLOWERS" 100000000 "$pki/node.crt" "$pki/node.key"

fi
if [[ " $PARTS " == *" b "* ]]; then
echo "## (b) $FOLLOWERS followers of one job writing 100 MB"
line=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789
id=$(env $remote "$BIN/containode" run -d -r busybox sh -c "sleep 2; yes ${line:0:99} | head -c 100000000")
times > "$work/times0"
pids=()
for i in $(seq "$FOLLOWERS"); do env $remote "$BIN/containode" logs -f "$id" > "$work/f$i" & pids+=($!); done
# The clock starts with the job's first byte (it sleeps 2 s first, while the followers connect).
log=$CONTAINET_LIB_DIR/containers/$id/container.log
until [ -s "$log" ]; do sleep 0.01; done
start=$(date +%s.%N)
server_cpu0=$(awk '{print $14 + $15}' "/proc/$server_pid/stat")
rss_peak=0
while [ -n "$(jobs -rp | grep -vx "$server_pid")" ]; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"); [ "$rss" -gt "$rss_peak" ] && rss_peak=$rss
  sleep 0.1
done
wait "${pids[@]}" || true
end=$(date +%s.%N)
server_cpu=$(( $(awk '{print $14 + $15}' "/proc/$server_pid/stat") - server_cpu0 ))
# The followers' CPU: what this shell's waited-for children used since they started (times, in this shell itself;
# the sampling loop's own commands add a few percent).
times > "$work/times1"
clients_cpu=$(tail -qn1 "$work/times0" "$work/times1" | awk '{ split($1, u, /[ms]/); split($2, t, /[ms]/); c[NR] = u[1] * 60 + u[2] + t[1] * 60 + t[2] } END { print c[2] - c[1] }')
bytes=0; for i in $(seq "$FOLLOWERS"); do bytes=$((bytes + $(stat -c %s "$work/f$i"))); done
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
awk -v b="$bytes" -v s="$start" -v e="$end" -v n="$FOLLOWERS" -v r="$rss_peak" -v h="$hwm" -v sc="$server_cpu" -v cc="$clients_cpu" -v hz="$(getconf CLK_TCK)" 'BEGIN {
  printf "| followers | bytes received | seconds, first byte to last follower done | aggregate MB/s | server RSS peak MiB | server VmHWM MiB | server CPU s/GB | clients CPU s/GB |\n|---|---|---|---|---|---|---|---|\n";
  printf "| %d | %.0f | %.2f | %.0f | %.0f | %.0f | %.2f | %.2f |\n", n, b, e - s, b / (e - s) / 1e6, r / 1024, h / 1024, sc / hz / (b / 1e9), cc / (b / 1e9) }'
cmp -s "$work/f1" "$work/f$FOLLOWERS" && echo "first and last follower's output identical" || echo "first and last follower's output DIFFER"
fi
