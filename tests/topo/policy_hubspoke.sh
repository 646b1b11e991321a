#!/bin/bash
# Hub-and-spoke VPN (topologies/l3vpn-hubspoke.yml), in the dataplane backend
# FWD_BACKEND (xdp by default, or packet):
# - the spokes import only the hub's route target: spoke 1 has the hub's
#   aggregate 192.168.0.0/16 but not spoke 2's 192.168.2.0/24 (and back);
# - the hub PE's HUB-IN has both spokes' routes, HUB-OUT none of them;
# - spoke-to-spoke traffic works and crosses the hub CE: the capture on the
#   hub's HUB-OUT link (eth1) sees ce1's echo requests arrive, the one on its
#   HUB-IN link (eth0) sees them leave toward ce2, and the replies the other
#   way round;
# - the hub reaches both spokes;
# - with the hub CE's routes gone, spoke-to-spoke traffic stops (it has no
#   other way).
. "$(dirname "$0")/petopo_lib.sh"
pt_init h

if ! command -v tshark >/dev/null; then
	echo "SKIP: tshark is not installed (apt-get install tshark)"
	exit 77
fi
trap 'cap_cleanup; pt_cleanup' EXIT

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-hubspoke.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
BACKEND=${FWD_BACKEND:-xdp}
echo "dataplane backend: $BACKEND"
if [ "$BACKEND" = packet ]; then
	for n in pe1 pe2 pe3 p1; do cfg "$n" "dataplane backend packet" >/dev/null; done
fi

check "pe1 SPOKE: the hub's aggregate 192.168.0.0/16, imported from pe3" \
	wait_json pe1 "show ip route vrf SPOKE json" \
	'{"192.168.0.0/16":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.255.0.3","vrf":"default"}]}]}' 240
check "pe2 SPOKE: the hub's aggregate 192.168.0.0/16" \
	wait_json pe2 "show ip route vrf SPOKE json" '{"192.168.0.0/16":[{"protocol":"bgp","selected":true}]}' 120
check "pe3 HUB-IN: both spoke LANs, from pe1 and pe2" \
	wait_json pe3 "show ip route vrf HUB-IN json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.1"}]}],"192.168.2.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.2"}]}]}' 120

# spokes never learn each other's routes; HUB-OUT imports nothing
no_route() { # no_route NODE VRF PREFIX
	"$PESH" -N "$1" -c "show ip route vrf $2 json" |
		$PY -c 'import json,sys; d=json.load(sys.stdin); sys.exit(1 if sys.argv[1] in d else 0)' "$3"
}
check "pe1 SPOKE has no route to spoke 2's LAN" no_route pe1 SPOKE 192.168.2.0/24
check "pe1 SPOKE has no route to spoke 2's link" no_route pe1 SPOKE 10.2.1.0/24
check "pe2 SPOKE has no route to spoke 1's LAN" no_route pe2 SPOKE 192.168.1.0/24
check "pe3 HUB-OUT imports no spoke route" no_route pe3 HUB-OUT 192.168.1.0/24

check "ce1 reaches the hub LAN" retry 80 ping_ok ce1 -I 192.168.1.1 192.168.100.1
check "ce2 reaches the hub LAN" retry 80 ping_ok ce2 -I 192.168.2.1 192.168.100.1

cap_start "$T-hub" eth1 "$TMPD/hubout.pcap"
cap_start "$T-hub" eth0 "$TMPD/hubin.pcap"
check "ce1 reaches ce2 (spoke to spoke)" retry 40 ping_ok ce1 -I 192.168.1.1 192.168.2.1
X ce1 ping -c 5 -i 0.2 -W 1 -I 192.168.1.1 192.168.2.1 >/dev/null 2>&1
sleep 1
cap_cleanup
REQ='icmp.type==8 && ip.src==192.168.1.1 && ip.dst==192.168.2.1'
REP='icmp.type==0 && ip.src==192.168.2.1 && ip.dst==192.168.1.1'
n_out=$(pkts "$TMPD/hubout.pcap" "$REQ && eth.dst==$(X hub cat /sys/class/net/eth1/address)")
n_in=$(pkts "$TMPD/hubin.pcap" "$REQ && eth.src==$(X hub cat /sys/class/net/eth0/address)")
r_out=$(pkts "$TMPD/hubout.pcap" "$REP")
r_in=$(pkts "$TMPD/hubin.pcap" "$REP")
echo "hub CE: requests in on HUB-OUT link $n_out, out on HUB-IN link $n_in; replies $r_out / $r_in"
check "spoke-to-spoke requests enter the hub CE from HUB-OUT (>= 5)" test "$n_out" -ge 5
check "and leave it toward HUB-IN (>= 5)" test "$n_in" -ge 5
check "the replies cross the hub CE too (>= 5 each way)" test "$r_out" -ge 5 -a "$r_in" -ge 5

# the hub CE is the only way between the spokes
X hub ip route del 192.168.2.0/24
check "without the hub CE's route, ce1 no longer reaches ce2" ping_fails ce1 -I 192.168.1.1 192.168.2.1
check "ce1 still reaches the hub" ping_ok ce1 -I 192.168.1.1 192.168.100.1
X hub ip route add 192.168.2.0/24 via 10.100.1.1
check "route back: ce1 reaches ce2 again" retry 40 ping_ok ce1 -I 192.168.1.1 192.168.2.1

"$PETOPO" down "$T" >/dev/null 2>&1
check "nothing left" nothing_left "$T"
pt_done
