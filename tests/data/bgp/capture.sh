#!/bin/bash
# Regenerate the VPN-IPv6 / IPv6 BGP UPDATE vectors of this folder from real daemons.
#
#   usage: sudo tests/data/bgp/capture.sh [frr] [frr-v6] [gobgp] [bird]   (default: all four)
#
# Each run builds two network namespaces joined by a veth pair (capture side 10.0.0.1,
# daemon side 10.0.0.2; 2001:db8:ffff::1 / ::2 where the run uses IPv6 on the link), starts
# capture.py (passive BGP listener, stdlib Python) in the capture namespace and the daemon in
# the other, waits for End-of-RIB, withdraws a route where the run asks for one, and installs
# the hex files into this folder only when the run succeeded. Everything it creates (namespaces,
# processes, a scratch directory) is removed on exit, also on failure or Ctrl-C; only processes
# it started are signalled, by pid.
#
# Needs: root, iproute2, python3 (/usr/bin/python3), and per run: FRR 8.4 (/usr/lib/frr/zebra,
# bgpd, vtysh), gobgpd + gobgp 3.x, BIRD 2.0 (bird, birdc). See README.md for what each file holds.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
CAP="$HERE/capture.py"
RUNS=("$@")
[ ${#RUNS[@]} -eq 0 ] && RUNS=(frr frr-v6 gobgp bird)

die() { echo "capture.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
for r in "${RUNS[@]}"; do
	case $r in frr|frr-v6|gobgp|bird) ;; *) echo "usage: $0 [frr] [frr-v6] [gobgp] [bird]" >&2; exit 2;; esac
done
command -v ip >/dev/null || die "iproute2 (ip) not found"
[ -x $PY ] || die "$PY not found"

TMP=$(mktemp -d -t bgpcap.XXXXXX) || die "mktemp failed"
chmod 755 "$TMP"
NSC=bgpcap$$c   # capture side
NSD=bgpcap$$d   # daemon side
NSV=bgpcap$$v   # FRR's VRF (netns backend)
PIDS=""         # every process we started and must stop

log() { echo "capture.sh: $*" >&2; }

stop_pids() {   # SIGTERM, up to 5 s grace, then SIGKILL; only our own pids
	local p alive i
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for i in $(seq 50); do
		alive=""
		for p in $PIDS; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && break
		sleep 0.1
	done
	for p in $alive; do kill -9 "$p" 2>/dev/null; done
	PIDS=""
}

teardown() {
	stop_pids
	for n in $NSC $NSD $NSV; do ip netns del $n 2>/dev/null; done
	return 0
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	teardown
	rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# mklink v6: namespaces + veth (fixed MACs, so link-local next hops are the same every run:
# capture side fe80::ff:fe00:1, daemon side fe80::ff:fe00:2)
mklink() {
	local v6=$1 i
	ip netns add $NSC || die "ip netns add failed"
	ip netns add $NSD || die "ip netns add failed"
	ip -n $NSC link set lo up; ip -n $NSD link set lo up
	ip link add cap0 netns $NSC address 02:00:00:00:00:01 type veth \
		peer name eth0 netns $NSD address 02:00:00:00:00:02 || die "veth creation failed"
	if [ "$v6" = 0 ]; then
		# IPv4-only core: no IPv6 at all on the daemon's interface
		ip netns exec $NSD sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	fi
	ip -n $NSC addr add 10.0.0.1/24 dev cap0
	ip -n $NSD addr add 10.0.0.2/24 dev eth0
	if [ "$v6" = 1 ]; then
		ip -n $NSC addr add 2001:db8:ffff::1/64 dev cap0 nodad
		ip -n $NSD addr add 2001:db8:ffff::2/64 dev eth0 nodad
	fi
	ip -n $NSC link set cap0 up; ip -n $NSD link set eth0 up
	if [ "$v6" = 1 ]; then  # wait for the link-local addresses to leave DAD
		for i in $(seq 50); do
			[ -n "$(ip -n $NSD -6 addr show dev eth0 scope link -tentative)" ] &&
				[ -n "$(ip -n $NSC -6 addr show dev cap0 scope link -tentative)" ] && break
			sleep 0.1
		done
	fi
	ip netns exec $NSD ping -c1 -W2 10.0.0.1 >/dev/null || die "veth link does not work"
}

# start_cap NAME ARGS...: capture.py in the capture namespace, output files in $TMP/out
start_cap() {
	local name=$1 i; shift
	( cd "$TMP/out" && exec ip netns exec $NSC $PY "$CAP" --as 65000 --router-id 10.0.0.1 \
		--timeout 60 "$@" ) 2>"$TMP/$name.log" &
	eval "CAP_$name=$!"
	PIDS="$PIDS $!"
	for i in $(seq 50); do
		grep -q 'listening on' "$TMP/$name.log" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$TMP/$name.log" >&2
	die "capture.py ($name) did not start"
}

# wait_log NAME PATTERN SECONDS
wait_log() {
	local i
	for i in $(seq $(($3 * 10))); do
		grep -q "$2" "$TMP/$1.log" && return 0
		grep -q 'capture: error\|capture: timeout' "$TMP/$1.log" && break
		sleep 0.1
	done
	log "capture.py ($1): no '$2' within $3 s"
	return 1
}

# finish_cap NAME: wait for capture.py, show its log, fail the run on a non-zero status
finish_cap() {
	local pid rc
	eval "pid=\$CAP_$1"
	wait "$pid"; rc=$?
	sed "s/^/  [$1] /" "$TMP/$1.log" >&2
	[ $rc = 0 ] || { log "capture.py ($1) exited with status $rc"; return 1; }
}

install_out() {
	local f
	for f in "$@"; do
		[ -s "$TMP/out/$f" ] || { log "missing output $f"; return 1; }
	done
	for f in "$@"; do cp "$TMP/out/$f" "$HERE/$f" && log "wrote $f"; done
}

fail_run() { # fail_run RUN LOGFILE...
	local r=$1 f; shift
	for f in "$@"; do [ -f "$f" ] && { echo "== $(basename "$f") (last lines)"; tail -20 "$f"; } >&2; done
	log "run '$r' FAILED; its files were left unchanged"
	FAILED="$FAILED $r"
}

# ------------------------------------------------------------------ FRR
FRRD=$TMP/frr
frr_version() { /usr/lib/frr/bgpd --version 2>/dev/null | sed -n 's/^bgpd version //p' | head -1; }

# frr_start VRFNS: zebra (+ netns VRF backend when VRFNS is set) + bgpd in $NSD, then the config
frr_start() {
	local vrfns=$1 run=$FRRD/run script zopt="" d extra f i
	mkdir -p $run; chown -R frr:frr $FRRD; chmod 755 $FRRD $run
	script="set -e; hostname frr; "
	if [ -n "$vrfns" ]; then
		# zebra -n turns every file of /var/run/netns into a VRF: give the daemons a private
		# /var/run/netns (tmpfs, in the mount namespace of ip netns exec) holding only CUST
		zopt="-n"; mkdir -p $FRRD/nsfs; touch $FRRD/nsfs/CUST
		script+="mount --bind /var/run/netns/$vrfns $FRRD/nsfs/CUST; "
		script+="mount -t tmpfs -o mode=755 tmpfs /var/run/netns; "
		script+="touch /var/run/netns/CUST; mount --bind $FRRD/nsfs/CUST /var/run/netns/CUST; "
	fi
	for d in zebra bgpd; do
		extra=""; [ $d = zebra ] && extra="$zopt"
		script+="/usr/lib/frr/$d -d -u frr -g frr -P 0 --vty_socket $run -i $run/$d.pid -z $run/zserv.api --log file:$FRRD/$d.log $extra; "
		[ $d = zebra ] && script+="sleep 1; "
	done
	ip netns exec $NSD unshare --uts sh -c "$script" || return 1
	for f in $run/zebra.pid $run/bgpd.pid; do
		for i in $(seq 50); do [ -s $f ] && break; sleep 0.1; done
		[ -s $f ] && PIDS="$PIDS $(cat $f)" || log "warning: no pid file $(basename $f)"
	done
	sleep 1
	vtysh --vty_socket $run -f $FRRD/frr.conf || return 1
}
vty() { local a=() c; for c in "$@"; do a+=(-c "$c"); done; vtysh --vty_socket $FRRD/run "${a[@]}"; }

run_frr() {   # IPv4-only core: VPNv6 (static + VRF 6VPE), VPNv4, IPv6 unicast; withdraws
	local v; v=$(frr_version)
	[ -x /usr/lib/frr/bgpd ] && command -v vtysh >/dev/null || { log "FRR not installed"; return 1; }
	mklink 0
	ip netns add $NSV; ip -n $NSV link set lo up
	ip -n $NSV addr add 2001:db8:10:1::1/64 dev lo   # connected route of VRF CUST
	mkdir -p $FRRD
	cat > $FRRD/frr.conf <<'EOF'
frr defaults traditional
route-map RT1 permit 10
 set extcommunity rt 65000:1
exit
route-map RT11 permit 10
 set extcommunity rt 65000:11
exit
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp default ipv4-unicast
 no bgp network import-check
 neighbor 10.0.0.1 remote-as 65000
 address-family ipv4 vpn
  neighbor 10.0.0.1 activate
  network 10.1.0.0/24 rd 65000:1 label 100 route-map RT1
 exit-address-family
 address-family ipv6 vpn
  neighbor 10.0.0.1 activate
  network 2001:db8:1::/48 rd 65000:1 label 100 route-map RT1
  network 2001:db8:1:1::/64 rd 65000:11 label 110 route-map RT11
  network 2001:db8:1:2::1/128 rd 65000:11 label 111 route-map RT11
 exit-address-family
 address-family ipv6 unicast
  neighbor 10.0.0.1 activate
  network 2001:db8:100::/48
 exit-address-family
exit
router bgp 65000 vrf CUST
 bgp router-id 10.0.0.2
 no bgp network import-check
 address-family ipv6 unicast
  redistribute connected
  rd vpn export 65000:10
  rt vpn both 65000:10
  label vpn export 1000
  export vpn
 exit-address-family
exit
EOF
	start_cap frr --listen 10.0.0.1 --peer-as 65000 --wait-withdraw --linger 3 \
		--out vpnv6-frr.hex --family-out 1/128=vpnv4-frr.hex --family-out 2/1=ipv6-ext-nh-frr.hex \
		--comment "FRR $v (bgpd + zebra, frr defaults traditional) AS 65000 router-id 10.0.0.2 -> capture.py AS 65000, iBGP over IPv4 10.0.0.2 -> 10.0.0.1" \
		--comment "IPv4-only core: IPv6 disabled on the FRR interface. VPN routes: network ... rd ... label ... route-map (RT); 2001:db8:10:1::/64 = VRF CUST (netns VRF) connected route, rd vpn export 65000:10, label vpn export 1000" \
		--comment "after End-of-RIB: vtysh 'no network' of 2001:db8:1:2::1/128 (VPNv6), 10.1.0.0/24 (VPNv4), 2001:db8:100::/48 (IPv6 unicast) -> MP_UNREACH" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh frr; decode: tests/data/bgp/capture.py --dump FILE"
	frr_start $NSV || { fail_run frr "$TMP/frr.log" $FRRD/zebra.log $FRRD/bgpd.log; return 1; }
	if ! wait_log frr 'End-of-RIB received for all' 60; then
		finish_cap frr; fail_run frr $FRRD/bgpd.log; return 1
	fi
	sleep 1
	if ! vty 'configure terminal' 'router bgp 65000' \
		'address-family ipv6 vpn' 'no network 2001:db8:1:2::1/128 rd 65000:11 label 111' 'exit-address-family' \
		'address-family ipv4 vpn' 'no network 10.1.0.0/24 rd 65000:1 label 100' 'exit-address-family' \
		'address-family ipv6 unicast' 'no network 2001:db8:100::/48' 'end'; then
		log "vtysh withdraw failed"; stop_pids; finish_cap frr; fail_run frr $FRRD/bgpd.log; return 1
	fi
	finish_cap frr || { fail_run frr $FRRD/bgpd.log; return 1; }
	install_out vpnv6-frr.hex vpnv4-frr.hex ipv6-ext-nh-frr.hex
}

run_frr_v6() {  # IPv6 on the link: 48-/32-byte next hops; IPv4 unicast + VPNv4 over an IPv6 session (RFC 8950)
	local v; v=$(frr_version)
	[ -x /usr/lib/frr/bgpd ] && command -v vtysh >/dev/null || { log "FRR not installed"; return 1; }
	mklink 1
	mkdir -p $FRRD
	cat > $FRRD/frr.conf <<'EOF'
frr defaults traditional
route-map RT1 permit 10
 set extcommunity rt 65000:1
exit
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp default ipv4-unicast
 no bgp network import-check
 neighbor 10.0.0.1 remote-as 65000
 neighbor 2001:db8:ffff::1 remote-as 65000
 neighbor 2001:db8:ffff::1 capability extended-nexthop
 address-family ipv4 unicast
  neighbor 2001:db8:ffff::1 activate
  network 10.20.0.0/24
 exit-address-family
 address-family ipv4 vpn
  neighbor 2001:db8:ffff::1 activate
  network 10.1.0.0/24 rd 65000:1 label 100 route-map RT1
 exit-address-family
 address-family ipv6 vpn
  neighbor 10.0.0.1 activate
  network 2001:db8:1::/48 rd 65000:1 label 100 route-map RT1
 exit-address-family
 address-family ipv6 unicast
  neighbor 10.0.0.1 activate
  network 2001:db8:100::/48
 exit-address-family
exit
EOF
	start_cap frr6a --listen 10.0.0.1 --peer-as 65000 --linger 3 \
		--out vpnv6-frr-nh48.hex --family-out 2/1=ipv6-ext-nh-frr-nh32.hex \
		--comment "FRR $v (bgpd + zebra, frr defaults traditional) AS 65000 router-id 10.0.0.2 -> capture.py AS 65000, iBGP over IPv4 10.0.0.2 -> 10.0.0.1" \
		--comment "the FRR interface has 2001:db8:ffff::2/64 and link-local fe80::ff:fe00:2: FRR sends global + link-local next hops" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh frr-v6; decode: tests/data/bgp/capture.py --dump FILE"
	start_cap frr6b --listen 2001:db8:ffff::1 --peer-as 65000 --linger 3 --out ipv4-ext-nh-frr.hex \
		--comment "FRR $v (bgpd + zebra) AS 65000 -> capture.py AS 65000, iBGP over IPv6 2001:db8:ffff::2 -> 2001:db8:ffff::1, neighbor ... capability extended-nexthop" \
		--comment "RFC 8950: IPv4 unicast and VPN-IPv4 NLRI with IPv6 next hops (both sides advertise capability 5 for 1/1 and 1/128, next-hop AFI 2)" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh frr-v6; decode: tests/data/bgp/capture.py --dump FILE"
	frr_start "" || { fail_run frr-v6 $FRRD/zebra.log $FRRD/bgpd.log; return 1; }
	local ok=1
	finish_cap frr6a || ok=0
	finish_cap frr6b || ok=0
	[ $ok = 1 ] || { fail_run frr-v6 $FRRD/bgpd.log; return 1; }
	install_out vpnv6-frr-nh48.hex ipv6-ext-nh-frr-nh32.hex ipv4-ext-nh-frr.hex
}

# ------------------------------------------------------------------ GoBGP
run_gobgp() {
	local v g=$TMP/gobgp
	command -v gobgpd >/dev/null && command -v gobgp >/dev/null || { log "gobgpd/gobgp not installed"; return 1; }
	v=$(gobgpd --version 2>/dev/null | sed -n 's/^gobgpd version //p')
	mklink 0
	mkdir -p $g
	# graceful restart: without it GoBGP 3.10 sends no End-of-RIB
	cat > $g/gobgpd.toml <<'EOF'
[global.config]
  as = 65000
  router-id = "10.0.0.2"
  local-address-list = ["10.0.0.2"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.0.0.1"
    peer-as = 65000
  [neighbors.graceful-restart.config]
    enabled = true
    restart-time = 120
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l3vpn-ipv6-unicast"
    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true
EOF
	# own UTS namespace: GoBGP sends the host name in its FQDN capability
	ip netns exec $NSD unshare --uts sh -c "hostname gobgp; exec gobgpd -f $g/gobgpd.toml -t toml --api-hosts 127.0.0.1:50051" >$g/gobgpd.log 2>&1 &
	PIDS="$PIDS $!"
	local i gb="ip netns exec $NSD gobgp"
	for i in $(seq 50); do $gb global >/dev/null 2>&1 && break; sleep 0.2; done
	# routes first (they are in the initial update burst, before End-of-RIB), then the session
	$gb global rib add -a vpnv6 2001:db8:2::/48 label 200 rd 65000:2 rt 65000:2 nexthop ::ffff:10.0.0.2 &&
	$gb global rib add -a vpnv6 2001:db8:2:1::/64 label 201 rd 65000:21 rt 65000:2 &&
	$gb global rib add -a vpnv6 2001:db8:2:2::/64 label 202 rd 65000:22 rt 65000:2 nexthop 2001:db8:ffff::2 &&
	$gb global rib add -a ipv6 2001:db8:20::/48 ||
		{ fail_run gobgp $g/gobgpd.log; return 1; }
	start_cap gobgp --listen 10.0.0.1 --peer-as 65000 --wait-withdraw --linger 3 \
		--out vpnv6-gobgp.hex --family-out 2/1=ipv6-ext-nh-gobgp.hex \
		--comment "GoBGP gobgpd $v AS 65000 router-id 10.0.0.2 -> capture.py AS 65000, iBGP over IPv4 10.0.0.2 -> 10.0.0.1 (graceful-restart enabled so that GoBGP sends End-of-RIB)" \
		--comment "gobgp global rib add -a vpnv6 2001:db8:2::/48 label 200 rd 65000:2 rt 65000:2 nexthop ::ffff:10.0.0.2; ... 2001:db8:2:1::/64 label 201 rd 65000:21 rt 65000:2 (no nexthop); ... 2001:db8:2:2::/64 label 202 rd 65000:22 rt 65000:2 nexthop 2001:db8:ffff::2; -a ipv6 2001:db8:20::/48 (no nexthop)" \
		--comment "after End-of-RIB: gobgp global rib del -a vpnv6 2001:db8:2:1::/64 label 201 rd 65000:21 -> MP_UNREACH" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh gobgp; decode: tests/data/bgp/capture.py --dump FILE"
	if ! wait_log gobgp 'End-of-RIB received for all' 60; then
		finish_cap gobgp; fail_run gobgp $g/gobgpd.log; return 1
	fi
	sleep 1
	if ! $gb global rib del -a vpnv6 2001:db8:2:1::/64 label 201 rd 65000:21 rt 65000:2; then
		log "gobgp withdraw failed"; stop_pids; finish_cap gobgp; fail_run gobgp $g/gobgpd.log; return 1
	fi
	finish_cap gobgp || { fail_run gobgp $g/gobgpd.log; return 1; }
	install_out vpnv6-gobgp.hex ipv6-ext-nh-gobgp.hex
}

# ------------------------------------------------------------------ BIRD
run_bird() {
	local v b=$TMP/bird
	command -v bird >/dev/null && command -v birdc >/dev/null || { log "bird/birdc not installed"; return 1; }
	v=$(bird --version 2>&1 | sed -n 's/^BIRD version //p')
	mklink 1
	ip -n $NSC addr add 10.0.0.3/24 dev cap0     # second capture address for the eBGP session
	mkdir -p $b
	cat > $b/bird.conf <<EOF
log "$b/bird.log" all;
router id 10.0.0.2;
vpn6 table vpntab6;
vpn4 table vpntab4;
protocol device { }
protocol direct { ipv4; ipv6; }
# VPN-IPv6 routes; the via is a third party on the session's interface, so BIRD keeps it
# (and the label); with "next hop self" BIRD 2.0 would advertise label 3 instead
protocol static vpn6_a {
  vpn6 { table vpntab6; };
  route 65000:3 2001:db8:3::/48 via 2001:db8:ffff::7 mpls 300 { bgp_ext_community.add((rt, 65000, 3)); };
}
protocol static vpn6_b {
  vpn6 { table vpntab6; };
  route 65000:31 2001:db8:3:1::/64 via 2001:db8:ffff::7 mpls 310/311 { bgp_ext_community.add((rt, 65000, 3)); };
}
protocol static st6 {
  ipv6;
  route 2001:db8:30::/48 via 2001:db8:ffff::7;
  route 2001:db8:31::/48 blackhole;
}
protocol static st4 {
  ipv4;
  route 10.30.0.0/24 blackhole;
}
protocol static vpn4_a {
  vpn4 { table vpntab4; };
  route 65000:33 10.33.0.0/24 via 10.0.0.7 mpls 330 { bgp_ext_community.add((rt, 65000, 3)); };
}
# iBGP over IPv4: VPN-IPv6 + IPv6 unicast
protocol bgp cap {
  local 10.0.0.2 as 65000;
  neighbor 10.0.0.1 as 65000;
  vpn6 mpls { table vpntab6; import none; export all; };
  ipv6 { import none; export where net = 2001:db8:30::/48; };
}
# iBGP over IPv6 with RFC 8950 extended next hop: IPv4 unicast + VPN-IPv4, next hop self
protocol bgp cap6 {
  local 2001:db8:ffff::2 as 65000;
  neighbor 2001:db8:ffff::1 as 65000;
  ipv4 { import none; export where proto = "st4"; next hop self; extended next hop; };
  vpn4 mpls { table vpntab4; import none; export all; next hop self; extended next hop; };
}
# eBGP over IPv4: IPv6 unicast, next hop self -> global + link-local
protocol bgp cap_ebgp {
  local 10.0.0.2 as 65000;
  neighbor 10.0.0.3 as 65001;
  ipv6 { import none; export where proto = "st6"; };
}
EOF
	local common="BIRD $v AS 65000 router-id 10.0.0.2 -> capture.py"
	start_cap bird --listen 10.0.0.1 --peer-as 65000 --wait-withdraw --linger 3 \
		--out vpnv6-bird.hex --family-out 2/1=ipv6-ext-nh-bird.hex \
		--comment "$common AS 65000, iBGP over IPv4 10.0.0.2 -> 10.0.0.1 (link also has 2001:db8:ffff::/64)" \
		--comment "vpn6 table + static vpn6: route 65000:3 2001:db8:3::/48 via 2001:db8:ffff::7 mpls 300; route 65000:31 2001:db8:3:1::/64 via 2001:db8:ffff::7 mpls 310/311 (RT 65000:3); BGP channel vpn6 mpls; ipv6 channel: 2001:db8:30::/48 via 2001:db8:ffff::7" \
		--comment "after End-of-RIB: birdc disable vpn6_b -> MP_UNREACH of 65000:31 2001:db8:3:1::/64" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh bird; decode: tests/data/bgp/capture.py --dump FILE"
	start_cap bird6 --listen 2001:db8:ffff::1 --peer-as 65000 --linger 3 --out ipv4-ext-nh-bird.hex \
		--comment "$common AS 65000, iBGP over IPv6 2001:db8:ffff::2 -> 2001:db8:ffff::1, channels ipv4 and vpn4 mpls with 'next hop self; extended next hop;' (RFC 8950)" \
		--comment "routes: 10.30.0.0/24 (static blackhole), 65000:33 10.33.0.0/24 mpls 330 (next hop self: BIRD 2.0 advertises label 3)" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh bird; decode: tests/data/bgp/capture.py --dump FILE"
	start_cap birde --as 65001 --router-id 10.0.0.3 --listen 10.0.0.3 --peer-as 65000 --linger 3 \
		--out ipv6-ext-nh-bird-ebgp.hex \
		--comment "$common AS 65001, eBGP over IPv4 10.0.0.2 -> 10.0.0.3, ipv6 channel (default next hop handling)" \
		--comment "routes: 2001:db8:31::/48 (static blackhole: next hop self = global + link-local), 2001:db8:30::/48 via 2001:db8:ffff::7 (third party kept)" \
		--comment "regenerate: sudo tests/data/bgp/capture.sh bird; decode: tests/data/bgp/capture.py --dump FILE"
	ip netns exec $NSD bird -c $b/bird.conf -s $b/bird.ctl -P $b/bird.pid || { fail_run bird $b/bird.log; return 1; }
	local i
	for i in $(seq 50); do [ -s $b/bird.pid ] && break; sleep 0.1; done   # written after the fork
	[ -s $b/bird.pid ] && PIDS="$PIDS $(cat $b/bird.pid)" || log "warning: no bird pid file"
	if ! wait_log bird 'End-of-RIB received for all' 60; then
		finish_cap bird; fail_run bird $b/bird.log; return 1
	fi
	sleep 1
	if ! ip netns exec $NSD birdc -s $b/bird.ctl disable vpn6_b >/dev/null; then
		log "birdc disable failed"; stop_pids; finish_cap bird; fail_run bird $b/bird.log; return 1
	fi
	local ok=1
	finish_cap bird || ok=0
	finish_cap bird6 || ok=0
	finish_cap birde || ok=0
	[ $ok = 1 ] || { fail_run bird $b/bird.log; return 1; }
	install_out vpnv6-bird.hex ipv6-ext-nh-bird.hex ipv4-ext-nh-bird.hex ipv6-ext-nh-bird-ebgp.hex
}

FAILED=""
for r in "${RUNS[@]}"; do
	log "=== run $r"
	rm -rf "$TMP/out" "$FRRD"; mkdir -p "$TMP/out"
	case $r in
	frr) run_frr ;;
	frr-v6) run_frr_v6 ;;
	gobgp) run_gobgp ;;
	bird) run_bird ;;
	esac
	teardown
done
[ -z "$FAILED" ] || die "failed runs:$FAILED"
log "all runs done"
