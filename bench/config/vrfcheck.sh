#!/bin/bash
# Configuration check time against VRF count (issue [9]): `ped -C` on N VRFs,
# each with an RD, import/export route targets and a static route, side by
# side with FRR's bgpd -C on the same VRFs in FRR's syntax (router bgp vrf,
# rd/rt vpn, a network), and optionally with an older ped (REF_PED=path).
# Usage: bench/config/vrfcheck.sh [N ...]   (default 10000 40000 100000)
# Run from the build directory (./pe/ped) or set PED=path. Each run is
# bounded by TIMEOUT seconds (default 300).
set -u
PED=${PED:-./pe/ped}
REF_PED=${REF_PED:-}
BGPD=${BGPD:-/usr/lib/frr/bgpd}
TIMEOUT=${TIMEOUT:-300}
counts=${*:-10000 40000 100000}
tmp=$(mktemp -d /tmp/vrfcheck.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # FRR's daemons read their configuration as user frr

gen() { # gen N: ped and FRR configurations of N VRFs
	python3 - "$1" "$tmp" <<'PY'
import sys
n, d = int(sys.argv[1]), sys.argv[2]
with open(f"{d}/ped{n}.conf", "w") as f:
    for i in range(n):
        f.write(f"vrf V{i}\n rd 65000:{i}\n route-target import 65000:{i}\n"
                f" route-target export 65000:{i}\n ip route 10.{i%256}.{i//256%256}.0/24 192.0.2.1\nexit-vrf\n")
with open(f"{d}/frr{n}.conf", "w") as f:
    for i in range(n):
        f.write(f"router bgp 65000 vrf V{i}\n address-family ipv4 unicast\n  rd vpn export 65000:{i}\n"
                f"  rt vpn both 65000:{i}\n  network 10.{i%256}.{i//256%256}.0/24\n exit-address-family\nexit\n")
PY
}

secs() { # secs CMD...: wall seconds, or ">TIMEOUT" if cut
	local t0 t1 rc
	t0=$(date +%s.%N)
	timeout -s KILL "$TIMEOUT" "$@" >/dev/null 2>"$tmp/err"
	rc=$?
	t1=$(date +%s.%N)
	{ [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && { echo ">$TIMEOUT"; return; }
	[ "$rc" != 0 ] && { echo "failed ($(head -c 80 "$tmp/err" | tr '\n' ' '))"; return; }
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

printf '| VRFs | ped -C (s) |%s FRR bgpd -C (s) |\n' "${REF_PED:+ reference ped -C (s) |}"
printf '|---|---|%s---|\n' "${REF_PED:+---|}"
for n in $counts; do
	gen "$n"
	p=$(secs "$PED" -C -f "$tmp/ped$n.conf")
	r=""
	[ -n "$REF_PED" ] && r=" $(secs "$REF_PED" -C -f "$tmp/ped$n.conf") |"
	if [ -x "$BGPD" ]; then
		f=$(secs "$BGPD" -C -f "$tmp/frr$n.conf" -z "$tmp/none.sock")
	else
		f="(no FRR)"
	fi
	printf '| %s | %s |%s %s |\n' "$n" "$p" "$r" "$f"
	rm -f "$tmp/ped$n.conf" "$tmp/frr$n.conf"
done
