#!/bin/bash
# Installs everything the suite needs to build and test on Debian 12 (root).
# libclang-rt-dev (libclang-rt-14-dev): libFuzzer and the sanitizer runtimes
# for `make fuzz`; clang only recommends it, and recommendations are not
# installed here.
set -eu
PKGS="build-essential autoconf automake pkg-config libevent-dev libjson-c-dev check
libmnl-dev libreadline-dev libyaml-dev liburcu-dev iproute2 iputils-ping traceroute procps
python3 gzip frr gobgpd bird2 tshark jq
clang llvm libbpf-dev bpftool ethtool
libclang-rt-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing
fi
