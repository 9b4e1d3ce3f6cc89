#!/bin/sh
# Installs the published programs (out/NAME), their manual pages, bash and zsh completions and the systemd units
# under DESTDIR/PREFIX. The manuals and completions are printed by the programs themselves, from the definitions
# they parse with. Usage: scripts/install.sh DESTDIR PREFIX
set -eu
destdir=$1 prefix=$2
cd "$(dirname "$0")/.."
root=$destdir$prefix
mkdir -p "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" \
  "$root/lib/systemd/system"
for p in containet containode mocker; do
  rm -rf "$root/lib/containet/$p"
  mkdir -p "$root/lib/containet/$p"
  cp -a "out/$p/." "$root/lib/containet/$p/"
  ln -sfn "../lib/containet/$p/$p" "$root/bin/$p"
  "out/$p/$p" man > "$root/share/man/man1/$p.1"
  "out/$p/$p" completion bash > "$root/share/bash-completion/completions/$p"
  "out/$p/$p" completion zsh > "$root/share/zsh/site-functions/_$p"
done
# containode execs these from beside its own folder: the job server, and the client of a remote node.
for p in containode-serve containode-remote; do
  rm -rf "$root/lib/containet/$p"
  mkdir -p "$root/lib/containet/$p"
  cp -a "out/$p/." "$root/lib/containet/$p/"
done
for unit in systemd/*.service; do
  sed "s|@PREFIX@|$prefix|g" "$unit" > "$root/lib/systemd/system/$(basename "$unit")"
done
