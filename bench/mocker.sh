#!/usr/bin/env bash
# Pull benchmark against a local registry, in one run: cold pull+unpack and warm re-pull of a small busybox
# image and of a ~100 MB four-layer image, with mocker and with skopeo copy + umoci unpack, and
# curl | tar as the floor. Prints medians as a markdown table: cold runs interleaved round by round
# (bench/interleave.py), warm ones through hyperfine.
# Usage: sudo bench/mocker.sh   (RUNS=5 by default, BENCH_DIR=/var/tmp, FAIR=1, IMAGES="small big"; needs `make` first)
# BASELINE=/path/to/an/older/mocker adds its pulls beside mocker's, in the same rounds: an A/B of two builds.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
BIN=$PWD/bin
for t in hyperfine docker-registry skopeo umoci jq curl; do command -v $t >/dev/null || { echo "bench: $t missing (bash scripts/install-deps.sh)" >&2; exit 1; }; done
# Not /tmp by default: on the VMs this was measured on, /tmp's inode group is churned by every build and test
# run, and creating a file there cost up to 15x what it costs elsewhere on the same disk, for whichever tool
# happened to land its directories in that group.
mkdir -p "${BENCH_DIR:=/var/tmp}"
work=$(mktemp -d "$BENCH_DIR/mocker-bench.XXXXXX")
# Every tool's tree starts in a lightly used block group (ext4's chattr +T on the work folder), as mocker's
# own trees do (it marks its store's tmp/): the comparison is then of the tools, not of where the disk put
# them. FAIR=0 leaves the others where the allocator puts them, beside this folder's churn.
[ "${FAIR:-1}" = 0 ] || chattr +T "$work" 2>/dev/null || true
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5987)
cat > "$work/config.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
log:
  level: error
YML
docker-registry serve "$work/config.yml" >/dev/null 2>&1 & registry_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.05; done

echo "bench: building images" >&2
umoci init --layout "$work/oci"
umoci new --image "$work/oci:small"
umoci unpack --image "$work/oci:small" "$work/b" >/dev/null
bash scripts/busybox-root.sh "$work/b/rootfs"
umoci repack --image "$work/oci:small" "$work/b"
umoci new --image "$work/oci:big"
umoci unpack --image "$work/oci:big" "$work/big" >/dev/null
for layer in 1 2 3 4; do
  mkdir -p "$work/big/rootfs/data$layer"
  for f in $(seq 25); do head -c 1048576 /dev/urandom > "$work/big/rootfs/data$layer/f$f"; done
  umoci repack --image "$work/oci:big" "$work/big"
done
skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:small" "docker://127.0.0.1:$port/bench/small:latest"
skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:big" "docker://127.0.0.1:$port/bench/big:latest"

# Old trees are moved aside, not deleted, between runs: on ext4 without a journal, inode allocation skips
# every inode freed in the last ~30 s (recently_deleted()), so deleting ~1000 inodes before each run made
# every tool's file creation many times slower than on a machine that pulls without deleting first.
cat > "$work/set-aside.sh" <<'SH'
#!/usr/bin/env bash
mkdir -p "$(dirname "$1")/aside"
for d in "$@"; do [ ! -e "$d" ] || mv "$d" "$(mktemp -d "$(dirname "$d")/aside/XXXXXX")/"; done
SH
chmod +x "$work/set-aside.sh"

# The floor: fetch the manifest, then each layer through curl into tar, one after another.
cat > "$work/curl-tar.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
base=$1 dest=$2
mkdir -p "$dest"
for d in $(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$base/manifests/latest" | jq -r '.layers[].digest'); do
  curl -sf "$base/blobs/$d" | tar -xzf - -C "$dest"
done
SH
chmod +x "$work/curl-tar.sh"

for image in ${IMAGES:-small big}; do
  ref=127.0.0.1:$port/bench/$image:latest
  baseline=()
  [ -z "${BASELINE:-}" ] || baseline=("mocker pull, baseline (cold)" "$BASELINE --store $work/store-base-$image pull -q $ref")
  echo "bench: $image" >&2
  # Cold runs are interleaved, round by round (bench/interleave.py): they are the comparison the target is about.
  python3 bench/interleave.py "$RUNS" "$work/$image.json" \
    "$work/set-aside.sh $work/store-$image $work/store-base-$image $work/skopeo-$image $work/bundle-$image $work/floor-$image" \
    "mocker pull (cold)" "$BIN/mocker --store $work/store-$image pull -q $ref" \
    "${baseline[@]}" \
    "skopeo copy + umoci unpack (cold)" "skopeo copy --quiet --src-tls-verify=false docker://$ref oci:$work/skopeo-$image:latest && umoci unpack --image $work/skopeo-$image:latest $work/bundle-$image >/dev/null" \
    "curl | tar (floor)" "$work/curl-tar.sh http://127.0.0.1:$port/v2/bench/$image $work/floor-$image"
  "$BIN/mocker" --store "$work/store-$image" pull -q "$ref" >/dev/null
  skopeo copy --quiet --src-tls-verify=false "docker://$ref" "oci:$work/skopeo-$image:latest"
  hyperfine -N --runs "$RUNS" --export-json "$work/$image-warm.json" \
    -n "mocker pull (warm)" "$BIN/mocker --store $work/store-$image pull -q $ref" \
    -n "skopeo copy (warm)" "skopeo copy --quiet --src-tls-verify=false docker://$ref oci:$work/skopeo-$image:latest" >/dev/null
done

echo
echo "| image | command | median (ms) | ratio to skopeo+umoci |"
echo "| --- | --- | --- | --- |"
for image in ${IMAGES:-small big}; do
  for results in "$work/$image.json" "$work/$image-warm.json"; do
    jq -r --arg image "$image" '.results as $r | ($r[] | select(.command | startswith("skopeo")) | .median) as $base
      | $r[] | "| \($image) | \(.command | gsub("\\|"; "\\|")) | \(.median * 1000 | round) | \(.median / $base | . * 100 | round / 100)× |"' "$results"
  done
done
echo
echo "big image: $(du -sh "$work/data" | cut -f1) in the registry; RUNS=$RUNS, FAIR=${FAIR:-1}, $(nproc) cores, $(skopeo --version), $(umoci --version)"
