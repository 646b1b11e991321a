#!/bin/bash
# Session-layer interop: tests/bgp_harness (mpbgp/session.c + fsm.c) against
# FRR bgpd over a veth pair between two namespaces this script creates
# (ptb$$a: harness 10.0.0.1 AS 65000; ptb$$b: FRR 10.0.0.2 AS 65001).
# Cases: plain eBGP with IPv4 unicast + VPNv4 (Established, KEEPALIVEs,
# Cease/3 on exit), TCP MD5 with the same password on both sides, and the
# harness left in the host namespace working through an nsfd (netns_socket,
# as the peers of a VRF instance do).
# Everything created is named ptb$$*, removed on exit; only pids we started
# are killed. Needs root and FRR (/usr/lib/frr/bgpd); skips (77) otherwise.
#   HARNESS=/path/to/bgp_harness (default: $top_builddir/tests/bgp_harness)
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
HARNESS="${HARNESS:-$top_builddir/tests/bgp_harness}"
P="ptb$$"
NA="${P}a"
NB="${P}b"
TMPD=$(mktemp -d "/tmp/$P.XXXXXX")
RUN="$TMPD/run"
FRRPID=""
FAILS=0

cleanup() {
	local p
	if [ -f "$RUN/bgpd.pid" ]; then
		p=$(cat "$RUN/bgpd.pid")
		kill "$p" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	fi
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
[ -x /usr/lib/frr/bgpd ] || { echo "SKIP: no FRR"; exit 77; }
[ -x "$HARNESS" ] || { echo "SKIP: no $HARNESS"; exit 77; }

ip netns add "$NA" && ip netns add "$NB" || exit 1
ip -n "$NA" link set lo up
ip -n "$NB" link set lo up
ip link add "${P}x" netns "$NA" type veth peer name "${P}y" netns "$NB" || exit 1
ip -n "$NA" addr add 10.0.0.1/30 dev "${P}x"
ip -n "$NA" link set "${P}x" up
ip -n "$NB" addr add 10.0.0.2/30 dev "${P}y"
ip -n "$NB" link set "${P}y" up

frr_start() { # $1: password or ""
	mkdir -p "$RUN"
	cat > "$TMPD/frr.conf" <<EOF
router bgp 65001
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 neighbor 10.0.0.1 remote-as 65000
 neighbor 10.0.0.1 timers 3 9
 neighbor 10.0.0.1 timers connect 2
$( [ -n "$1" ] && echo " neighbor 10.0.0.1 password $1" )
 address-family ipv4 vpn
  neighbor 10.0.0.1 activate
 exit-address-family
EOF
	chown -R frr:frr "$TMPD"
	chmod 755 "$TMPD" "$RUN"
	ip netns exec "$NB" /usr/lib/frr/bgpd -d -Z -u frr -g frr --vty_socket "$RUN" \
		-i "$RUN/bgpd.pid" -f "$TMPD/frr.conf" --log "file:$TMPD/bgpd.log" || return 1
	for _ in $(seq 50); do [ -s "$RUN/bgpd.pid" ] && return 0; sleep 0.1; done
	return 1
}

frr_stop() {
	local p
	[ -f "$RUN/bgpd.pid" ] || return 0
	p=$(cat "$RUN/bgpd.pid")
	kill "$p" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$p" 2>/dev/null
	rm -f "$RUN/bgpd.pid"
}

run_case() { # name password [nsfd]: with nsfd the harness stays in the host
	local name="$1" pw="$2" how="${3:-}" out
	local -a pre=(ip netns exec "$NA") opt=()
	if [ -n "$how" ]; then pre=(); opt=(-N "$NA"); fi
	frr_start "$pw" || { echo "FAIL - $name: bgpd did not start"; FAILS=$((FAILS + 1)); return; }
	out=$(timeout 60 "${pre[@]}" "$HARNESS" -a 65000 -i 10.0.0.1 -n 10.0.0.2 \
		-r 65001 -s 10.0.0.1 -H 9 -t 40 -w 5 ${pw:+-P "$pw"} "${opt[@]}" 2>&1)
	if [ $? = 0 ] && printf '%s\n' "$out" | grep -q "vpnv4 yes"; then
		echo "ok - $name"; printf "%s\n" "$out" | sed "s/^/    /"
	else
		echo "FAIL - $name"
		printf '%s\n' "$out" | sed 's/^/    /' | tail -20
		tail -20 "$TMPD/bgpd.log" 2>/dev/null | sed 's/^/    frr: /'
		FAILS=$((FAILS + 1))
	fi
	frr_stop
}

run_case "established with FRR (eBGP, VPNv4)" ""
run_case "established with FRR over TCP MD5" "s3cret"
run_case "established with FRR from a namespace fd (VRF-style)" "" nsfd

[ $FAILS = 0 ]
