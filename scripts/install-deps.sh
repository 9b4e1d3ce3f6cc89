#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo use, and restores the .NET packages.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(busybox-static uidmap libseccomp2 libseccomp-dev golang-github-containers-common docker-registry skopeo umoci iperf3 tcpdump tshark vde2 runc bubblewrap podman iproute2 iputils-ping procps curl gcc make apache2-utils sockperf hyperfine jq util-linux e2fsprogs tmux nftables bind9-dnsutils dnsmasq-base systemd man-db bash libpcap0.8 openssl libssl-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dotnet restore containet.sln --nologo -v quiet
