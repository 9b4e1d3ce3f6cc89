# Sourced by the network benchmarks: a work folder, the namespaces and processes a run makes, and their removal
# at exit (processes by PID, then namespaces, then anything the script adds to extra_cleanup, then the folder).
work=$(mktemp -d /tmp/containet-bench.XXXXXX)
pids=()
namespaces=()
extra_cleanup=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for n in "${namespaces[@]}"; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns delete "$n" 2>/dev/null || true; done
  for c in "${extra_cleanup[@]}"; do eval "$c" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

newns() { ip netns add "$1"; namespaces+=("$1"); ip -n "$1" link set lo up; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
