#!/bin/bash
# RT-Constrain (RFC 4684) with GoBGP 3 (tests/data/topo/rtc-gobgp.yml): a
# ped route reflector (rr), the ped PE pe1 (VRF CUST-A imports 65000:1,
# CUST-B 65000:2) and the GoBGP PE g1, both rr clients with VPN-IPv4 + RTC.
# Checks:
#  - the family is negotiated; rr sends each client the default membership
#    (GoBGP lists it as 0:default), pe1 advertises one membership per import
#    route target, End-of-RIB both ways between peds;
#  - g1, importing nothing yet, receives no VPN route at all;
#  - a GoBGP VRF importing 65000:1 makes GoBGP advertise that membership:
#    g1 then receives CUST-A's route and still not CUST-B's; a second VRF
#    importing 65000:2 brings CUST-B's;
#  - g1's routes reach rr whatever their target (rr's default), and pe1 only
#    when pe1 imports their target (65000:1 and 65000:2 yes, 65000:7 no);
#    when pe1 stops importing 65000:2 its membership is withdrawn and rr
#    withdraws the route from pe1;
#  - g1 never gets CUST-C's route (nobody there imports 65000:3) until RTC
#    is turned off on rr toward g1 (a capability: the session restarts);
#  - tshark decodes the RTC UPDATEs on rr's link to g1 (SAFI 132) with
#    nothing malformed.
. "$(dirname "$0")/petopo_lib.sh"
pt_init r
for b in gobgpd gobgp; do
	if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$b" >/dev/null; then
		echo "SKIP: $b is not installed (apt-get install gobgpd)"
		exit 77
	fi
done
export PATH="$PATH:/usr/sbin:/sbin"

WAIT_TRIES=120
gobgp() { "$PETOPO" exec "$T:g1" -- gobgp "$@"; }
# g1 has (or, with "absent", lacks) the VPN-IPv4 route with this key
g1_vpn() {
	gobgp global rib -a vpnv4 -j | $PY -c 'import json,sys
rib=json.load(sys.stdin) or {}
k,want=sys.argv[1],sys.argv[2]
sys.exit(0 if (k in rib) == (want=="present") else 1)' "$1" "$2"
}
wait_g1() { local _; for _ in $(seq 80); do g1_vpn "$@" && return 0; sleep 0.25; done; echo "g1 vpnv4: $(gobgp global rib -a vpnv4 -j)"; return 1; }
g1_count() { gobgp global rib -a vpnv4 -j | $PY -c 'import json,sys; print(len(json.load(sys.stdin) or {}))'; }
# pe1's VPN table has (or lacks) a route of this RD
pe1_rd() {
	"$PESH" -N pe1 -c "show bgp ipv4 vpn json" | $PY -c 'import json,sys
d=json.load(sys.stdin).get("routes",{}).get("routeDistinguishers",{})
sys.exit(0 if (sys.argv[1] in d) == (sys.argv[2]=="present") else 1)' "$1" "$2"
}
wait_pe1_rd() { local _; for _ in $(seq 80); do pe1_rd "$@" && return 0; sleep 0.25; done; return 1; }

"$PETOPO" up --name "$T" "$top_srcdir/tests/data/topo/rtc-gobgp.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
RRNS="$T-rr"
if command -v tshark >/dev/null && [ -n "$RRNS" ]; then
	ip netns exec "$RRNS" tshark -i eth2 -f "tcp port 179" -w "$TMPD/rr.pcap" >/dev/null 2>&1 &
	TSHARK=$!
	sleep 1
	gobgp neighbor 10.0.2.9 reset >/dev/null 2>&1 # the capture sees the session from its OPEN on
fi

check "rr: VPN-IPv4 sessions up with both clients" wait_json rr "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.0.1.1":{"state":"Established"},"10.0.2.4":{"state":"Established"}}}'
check "rr: RTC negotiated with pe1, pe1's two import targets received, the default sent, EoR both ways" \
	wait_json rr "show bgp ipv4 rtc json" \
	'{"localAs":65000,"neighbors":{"10.0.1.1":{"negotiated":true,"routeReflectorClient":true,"received":["65000:65000:1","65000:65000:2","65000:65000:3"],"advertised":["default"],"endOfRibReceived":true,"endOfRibSent":true}}}'
check "rr: RTC negotiated with GoBGP, nothing received yet, the default sent" wait_json rr "show bgp ipv4 rtc json" \
	'{"neighbors":{"10.0.2.4":{"negotiated":true,"received":[],"advertised":["default"]}}}'
check "pe1: the default received from rr, its import targets advertised" wait_json pe1 "show bgp ipv4 rtc json" \
	'{"neighbors":{"10.0.1.9":{"negotiated":true,"received":["default"],"advertised":["65000:65000:1","65000:65000:2","65000:65000:3"]}}}'
check "GoBGP: rr's default membership in its RTC table" sh -c \
	"'$PETOPO' exec '$T:g1' -- gobgp global rib -a rtc -j | grep -q '\"0:default\"'"
check "rr: has both of pe1's routes (its default)" wait_json rr "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{},"65000:2":{},"65000:3":{}}}}'
sleep 1
check "GoBGP: no VPN route while it imports nothing" test "$(g1_count)" = 0

gobgp vrf add GA rd 65000:11 rt import 65000:1 export 65000:1 >/dev/null
check "rr: GoBGP's membership for 65000:1 received" wait_json rr "show bgp ipv4 rtc json" \
	'{"neighbors":{"10.0.2.4":{"received":["65000:65000:1"]}}}'
check "GoBGP: CUST-A's route (RT 65000:1) arrives" wait_g1 "65000:1:192.168.1.0/24" present
check "GoBGP: CUST-B's route (RT 65000:2) does not" g1_vpn "65000:2:192.168.2.0/24" absent

gobgp vrf add GB rd 65000:12 rt import 65000:2 export 65000:7 >/dev/null
check "GoBGP: importing 65000:2 too brings CUST-B's route" wait_g1 "65000:2:192.168.2.0/24" present
check "GoBGP: never CUST-C's (RT 65000:3, imported by nobody there)" g1_vpn "65000:3:192.168.3.0/24" absent
gobgp vrf add GC rd 65000:13 rt import 65000:9 export 65000:2 >/dev/null
gobgp vrf GA rib add 10.9.1.0/24 >/dev/null
gobgp vrf GB rib add 10.9.7.0/24 >/dev/null
gobgp vrf GC rib add 10.9.2.0/24 >/dev/null
check "rr: both of GoBGP's routes (its default)" wait_json rr "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:11":{},"65000:12":{},"65000:13":{}}}}'
check "pe1: GoBGP's RT 65000:1 route, which it imports" wait_pe1_rd 65000:11 present
check "pe1: GoBGP's RT 65000:2 route, which it imports" wait_pe1_rd 65000:13 present
check "pe1: not GoBGP's RT 65000:7 route" pe1_rd 65000:12 absent

# a membership withdrawn (pe1's CUST-B stops importing 65000:2): rr withdraws
# from pe1 what it no longer covers. (GoBGP 3.10 cannot be the one to
# withdraw here: `gobgp vrf del` crashes gobgpd once it holds a default
# membership, in table.deleteRTCPathsByVrf.)
"$PESH" -N pe1 -c "configure terminal" -c "vrf CUST-B" -c "no route-target import 65000:2" >/dev/null
check "pe1: its membership for 65000:2 withdrawn" wait_json rr "show bgp ipv4 rtc json" \
	'{"neighbors":{"10.0.1.1":{"received":["65000:65000:1","65000:65000:3"]}}}'
check "pe1: GoBGP's RT 65000:2 route withdrawn by rr" wait_pe1_rd 65000:13 absent
check "pe1: GoBGP's RT 65000:1 route stays" pe1_rd 65000:11 present

"$PESH" -N rr -c "configure terminal" -c "router bgp 65000" -c "address-family ipv4 rtc" \
	-c "no neighbor 10.0.2.4 activate" >/dev/null
check "rr: RTC off toward GoBGP (not in the configuration, not negotiated)" sh -c \
	"! '$PESH' -N rr -c 'show running-config' | grep -q '  neighbor 10.0.2.4 activate\$' || \
	 '$PESH' -N rr -c 'show running-config' | sed -n '/address-family ipv4 rtc/,/exit-address-family/p' | grep -vq 10.0.2.4"
check "GoBGP: without RTC it gets every VPN route, CUST-C's too" wait_g1 "65000:3:192.168.3.0/24" present
check "running configuration is a fixed point" sh -c \
	"'$PESH' -N rr -c 'show running-config' | grep -v '^! pesuite' > '$TMPD/rr1.conf' && '$PED' -C -f '$TMPD/rr1.conf' | grep -v '^! pesuite' | diff - '$TMPD/rr1.conf'"

if [ -n "${TSHARK:-}" ]; then
	sleep 1
	kill "$TSHARK" 2>/dev/null
	wait "$TSHARK" 2>/dev/null
	check "tshark: RTC UPDATEs (SAFI 132) from both sides, nothing malformed" $PY -c "
import subprocess, sys
out = subprocess.run(['tshark', '-r', '$TMPD/rr.pcap', '-Y', 'bgp.update.path_attribute.mp_reach_nlri.safi == 132', '-T', 'fields',
                      '-e', 'ip.src', '-e', '_ws.malformed', '-e', '_ws.expert.severity'],
                     capture_output=True, text=True).stdout.split('\n')
rows = [l.split('\t') for l in out if l]
srcs = {r[0] for r in rows}
assert '10.0.2.9' in srcs and '10.0.2.4' in srcs, rows
assert all(len(r) < 2 or r[1] == '' for r in rows), rows
"
fi

pt_done
