#!/usr/bin/env bash
# Builds a small root filesystem from Debian's busybox-static: the test, demo and benchmark root.
# Usage: scripts/busybox-root.sh DIR
set -euo pipefail
dir=${1:?usage: busybox-root.sh DIR}
busybox=$(command -v busybox || echo /bin/busybox)
[ -x "$busybox" ] || { echo "busybox-root: install busybox-static" >&2; exit 1; }
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,proc,dev,sys,tmp,root,var/tmp}
chmod 1777 "$dir/tmp" "$dir/var/tmp"
cp "$busybox" "$dir/bin/busybox"
# One process makes all 400-odd links (perl-base is essential in Debian): an ln each took over a minute on a
# loaded 2-core machine.
(cd "$dir/bin" && "$busybox" --list | perl -ne 'chomp; symlink("busybox", $_) or die "busybox-root: $_: $!\n" unless -e $_ || -l $_')
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$dir/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$dir/etc/group"
: > "$dir/etc/hostname"
printf '127.0.0.1\tlocalhost\n' > "$dir/etc/hosts"
