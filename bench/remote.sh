#!/usr/bin/env bash
# containode serve benchmark, on 127.0.0.1 over mutual TLS 1.3:
#  (a) a remote round trip, `containode --host ... run --rm -r busybox /bin/true` (create, follow its output to the
#      end, its status, remove), against the local `containode run --rm -r ROOT /bin/true` (hyperfine medians), and
#      `containode --host ... ps` alone (the client's start, the handshake and one call);
#  (b) 100 `containode logs -f` of one job writing 100 MB (lines of 100 bytes) at once: the aggregate rate they
#      receive, and the server's peak RSS (VmHWM).
# Where the time goes, and what is left (2-core VM shared with other builds; load average beside each figure):
#  - a client's start was most of `ps`: .NET built a chain for the client's own certificate against the system's CA
#    bundle (now OpenSSL's default locations point at --tls-ca, Tls/OpenSslDefaults.cs), and the PEM key took a
#    PKCS#12 round trip: ps 359 -> 158 ms p50, 156 -> 47 ms of user CPU (load 10). An ended job is removed in the
#    server, not by starting `containode rm`.
#  - 1 GB/s of followers is out of this VM's reach: the server alone spends 4.6-6.2 CPU-seconds per GB sent
#    (HTTP/2 framing, TLS, copies; /proc/PID/stat over a run), i.e. 5 cores for 1 GB/s, and AES-256-GCM runs at
#    1.7 GB/s a core here (`openssl speed -evp aes-256-gcm`), so encrypting and decrypting 1 GB/s alone is over
#    half the VM, before 100 client processes do anything else. Followers of one job share one log reader (LogFeed).
#  - Server RSS (100 followers of 20 MB, fresh server each): server GC 173, workstation GC 200-238 MiB, workstation GC
#    with a 4 MiB gen0 (DOTNET_GCgen0size) 181-198 MiB;
#    DOTNET_GCHeapHardLimit=64 MiB left it at 223 and MALLOC_ARENA_MAX=1 at 202: the rest is per connection. Server
#    GC stays (this script: 176 MiB against 234 with workstation GC).
# Usage: sudo bench/remote.sh   (RUNS=30 by default; needs `make` first)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-30}
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

echo "## (a) round trip (median of $RUNS)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/a.json" \
  -n "local: containode run --rm /bin/true" "$BIN/containode run --rm -r $work/rootfs /bin/true" \
  -n "remote: containode --host run --rm /bin/true" "env $remote $BIN/containode run --rm -r busybox /bin/true" \
  -n "remote: containode --host ps" "env $remote $BIN/containode ps" >/dev/null
jq -r '"| command | median ms | mean ms |", "|---|---|---|", (.results[] | "| \(.command) | \(.median * 1000 | floor) | \(.mean * 1000 | floor) |")' "$work/a.json"
jq -r '"remote / local: \((.results[1].median / .results[0].median * 100 | floor) / 100)x"' "$work/a.json"

echo "## (b) $FOLLOWERS followers of one job writing 100 MB"
line=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789
id=$(env $remote "$BIN/containode" run -d -r busybox sh -c "sleep 2; yes ${line:0:99} | head -c 100000000")
pids=()
for i in $(seq "$FOLLOWERS"); do env $remote "$BIN/containode" logs -f "$id" > "$work/f$i" & pids+=($!); done
# The clock starts with the job's first byte (it sleeps 2 s first, while the followers connect).
log=$CONTAINET_LIB_DIR/containers/$id/container.log
until [ -s "$log" ]; do sleep 0.01; done
start=$(date +%s.%N)
rss_peak=0
while [ -n "$(jobs -rp | grep -vx "$server_pid")" ]; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"); [ "$rss" -gt "$rss_peak" ] && rss_peak=$rss
  sleep 0.1
done
wait "${pids[@]}" || true
end=$(date +%s.%N)
bytes=0; for i in $(seq "$FOLLOWERS"); do bytes=$((bytes + $(stat -c %s "$work/f$i"))); done
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
awk -v b="$bytes" -v s="$start" -v e="$end" -v n="$FOLLOWERS" -v r="$rss_peak" -v h="$hwm" 'BEGIN {
  printf "| followers | bytes received | seconds, first byte to last follower done | aggregate MB/s | server RSS peak MiB | server VmHWM MiB |\n|---|---|---|---|---|---|\n";
  printf "| %d | %.0f | %.2f | %.0f | %.0f | %.0f |\n", n, b, e - s, b / (e - s) / 1e6, r / 1024, h / 1024 }'
cmp -s "$work/f1" "$work/f$FOLLOWERS" && echo "first and last follower's output identical" || echo "first and last follower's output DIFFER"
