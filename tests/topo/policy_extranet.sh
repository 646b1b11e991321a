#!/bin/bash
# Extranet with a shared-services VRF (topologies/l3vpn-extranet.yml), in the
# dataplane backend FWD_BACKEND (xdp by default, or packet):
# - pe1's SHARED imports the customers' LANs through `route-map vpn import
#   CUSTOMER-LANS` (prefix-list 192.168.0.0/16 le 24, local-preference 200):
#   their LANs with local-preference 200, never their PE-CE links;
# - routes leak between VRFs of pe1 (CUST-A <-> SHARED) with a next hop in
#   the other VRF and no label, and are forwarded: cea1 reaches srv through
#   pe1 alone; cea2 (pe2) reaches srv across the core;
# - A and B both reach the shared services, never each other: no route, no
#   ping, and the captures on ceb1's and cea1's links see none of the
#   other customer's packets;
# - the route-map changed under traffic: a deny entry for customer A's
#   site-2 LAN takes it out of SHARED (ping stops), removing it brings it
#   back, each within seconds, without a session reset.
. "$(dirname "$0")/petopo_lib.sh"
pt_init e

if ! command -v tshark >/dev/null; then
	echo "SKIP: tshark is not installed (apt-get install tshark)"
	exit 77
fi
trap 'cap_cleanup; pt_cleanup' EXIT

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-extranet.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
BACKEND=${FWD_BACKEND:-xdp}
echo "dataplane backend: $BACKEND"
if [ "$BACKEND" = packet ]; then
	for n in pe1 pe2 p1; do cfg "$n" "dataplane backend packet" >/dev/null; done
fi

no_route() { # no_route NODE VRF PREFIX
	"$PESH" -N "$1" -c "show ip route vrf $2 json" |
		$PY -c 'import json,sys; d=json.load(sys.stdin); sys.exit(1 if sys.argv[1] in d else 0)' "$3"
}

check "pe1 SHARED: customer A's site-2 LAN from pe2, local-preference 200 (route-map on import)" \
	wait_json pe1 "show bgp vrf SHARED ipv4 unicast 192.168.11.0/24 json" \
	'{"paths":[{"locPrf":200,"nexthops":[{"ip":"10.255.0.3"}]}]}' 240
check "pe1 SHARED: both customers' site-1 LANs, leaked from CUST-A / CUST-B of pe1 with local-preference 200" \
	wait_json pe1 "show bgp vrf SHARED ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"locPrf":200}],"192.168.2.0/24":[{"locPrf":200}],"192.168.12.0/24":[{"locPrf":200}]}}' 120
check "pe1 SHARED: CUST-A's site-1 LAN has its next hop in CUST-A, no label" \
	wait_json pe1 "show ip route vrf SHARED 192.168.1.0/24 json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.1.1.2","vrf":"CUST-A","active":true}]}]}' 60
for p in 10.1.1.0/24 10.1.2.0/24 10.2.1.0/24 10.2.2.0/24; do
	check "pe1 SHARED: no PE-CE link $p (the route-map's prefix-list refuses it)" no_route pe1 SHARED $p
done
check "pe1 CUST-A: the shared services 172.16.0.0/24 leaked from SHARED" \
	wait_json pe1 "show ip route vrf CUST-A 172.16.0.0/24 json" \
	'{"172.16.0.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.1.3.2","vrf":"SHARED","active":true}]}]}' 60
check "pe2 CUST-B: the shared services through pe1" \
	wait_json pe2 "show ip route vrf CUST-B 172.16.0.0/24 json" \
	'{"172.16.0.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.1","vrf":"default"}]}]}' 60
for v in CUST-A; do
	for p in 192.168.2.0/24 192.168.12.0/24 10.1.2.0/24; do
		check "pe1 $v never learns customer B's $p" no_route pe1 $v $p
	done
done
for p in 192.168.1.0/24 192.168.11.0/24; do
	check "pe1 CUST-B never learns customer A's $p" no_route pe1 CUST-B $p
	check "pe2 CUST-B never learns customer A's $p" no_route pe2 CUST-B $p
done

cap_start "$T-ceb1" eth0 "$TMPD/ceb1.pcap"
cap_start "$T-cea1" eth0 "$TMPD/cea1.pcap"
cap_start "$T-srv" eth0 "$TMPD/srv.pcap"
check "cea1 reaches srv (leaked on pe1: CUST-A -> SHARED)" retry 80 ping_ok cea1 -I 192.168.1.1 172.16.0.1
check "ceb1 reaches srv (leaked on pe1: CUST-B -> SHARED)" retry 40 ping_ok ceb1 -I 192.168.2.1 172.16.0.1
check "cea2 reaches srv across the core" retry 40 ping_ok cea2 -I 192.168.11.1 172.16.0.1
check "ceb2 reaches srv across the core" retry 40 ping_ok ceb2 -I 192.168.12.1 172.16.0.1
check "cea1 does not reach ceb1" ping_fails cea1 -I 192.168.1.1 192.168.2.1
check "cea1 does not reach ceb2" ping_fails cea1 -I 192.168.1.1 192.168.12.1
check "ceb2 does not reach cea1" ping_fails ceb2 -I 192.168.12.1 192.168.1.1
check "cea1 does not reach ceb1's link address" ping_fails cea1 -I 192.168.1.1 10.1.2.2
X cea1 ping -c 5 -i 0.2 -W 1 -I 192.168.1.1 172.16.0.1 >/dev/null 2>&1
sleep 1
cap_cleanup
n_srv=$(pkts "$TMPD/srv.pcap" 'icmp.type==8 && ip.src==192.168.1.1 && ip.dst==172.16.0.1')
n_b=$(pkts "$TMPD/ceb1.pcap" 'ip.src==192.168.1.1 || ip.src==192.168.11.1 || ip.src==10.1.1.2 || ip.src==10.2.1.2')
n_a=$(pkts "$TMPD/cea1.pcap" 'ip.src==192.168.2.1 || ip.src==192.168.12.1 || ip.src==10.1.2.2 || ip.src==10.2.2.2')
echo "srv link: $n_srv requests from cea1; customer A packets on ceb1's link: $n_b; B packets on cea1's link: $n_a"
check "cea1's requests reach srv's link (>= 5)" test "$n_srv" -ge 5
check "no packet of customer A on customer B's CE link" test "$n_b" -eq 0
check "no packet of customer B on customer A's CE link" test "$n_a" -eq 0

# the import route-map changed under traffic: no session reset
est=$("$PESH" -N pe1 -c "show bgp neighbors 10.255.0.3 json" |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["10.255.0.3"]["connectionsEstablished"])')
# petopo exec replaces itself with ping: $! is the ping (stopped by pid below)
"$PETOPO" exec "$T:cea2" -- ping -i 0.1 -W 1 -w 120 -I 192.168.11.1 172.16.0.1 >"$TMPD/flood.out" 2>&1 &
FLOOD=$!
sleep 1
cfg pe1 "ip prefix-list A-SITE2 seq 5 permit 192.168.11.0/24" \
	"route-map CUSTOMER-LANS deny 5" "match ip address prefix-list A-SITE2" "exit"
check "deny entry: customer A's site-2 LAN leaves SHARED" \
	retry 40 no_route pe1 SHARED 192.168.11.0/24
check "deny entry: cea2 no longer reaches srv" ping_fails cea2 -I 192.168.11.1 172.16.0.1
check "deny entry: cea1 still reaches srv" ping_ok cea1 -I 192.168.1.1 172.16.0.1
cfg pe1 "no route-map CUSTOMER-LANS deny 5"
check "entry removed: the LAN is back in SHARED" \
	wait_json pe1 "show ip route vrf SHARED 192.168.11.0/24 json" '{"192.168.11.0/24":[{"protocol":"bgp","selected":true}]}' 40
check "entry removed: cea2 reaches srv again" retry 40 ping_ok cea2 -I 192.168.11.1 172.16.0.1
# deleting a route-map in use: allowed; a route-map that does not exist
# denies everything (FRR), at once; defining it again brings the routes back
cfg pe1 "no route-map CUSTOMER-LANS"
check "route-map deleted: SHARED imports no customer LAN" \
	retry 40 sh -c "! '$PESH' -N pe1 -c 'show ip route vrf SHARED json' | grep -q '192\.168\.'"
check "route-map deleted: its own route stays" \
	wait_json pe1 "show ip route vrf SHARED json" '{"172.16.0.0/24":[{"protocol":"static"}]}' 4
check "route-map deleted: cea1 no longer reaches srv" ping_fails cea1 -I 192.168.1.1 172.16.0.1
check "explain names the missing route-map" wait_json pe1 \
	"show bgp vrf SHARED ipv4 unicast 192.168.1.0/24 explain json" \
	'{"result":"absent","firstFailure":{"step":"routeMap"}}' 8
cfg pe1 "route-map CUSTOMER-LANS permit 10" "match ip address prefix-list CUSTOMER-LANS" \
	"set local-preference 200" "exit"
check "route-map defined again: the LANs are back with local-preference 200" \
	wait_json pe1 "show bgp vrf SHARED ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"locPrf":200}],"192.168.11.0/24":[{"locPrf":200}]}}' 40
check "route-map defined again: cea1 reaches srv" retry 40 ping_ok cea1 -I 192.168.1.1 172.16.0.1
kill -INT "$FLOOD" 2>/dev/null; wait "$FLOOD" 2>/dev/null
echo "under traffic: $(tail -2 "$TMPD/flood.out" | head -1)"
check "the BGP session was never reset" \
	wait_json pe1 "show bgp neighbors 10.255.0.3 json" "{\"10.255.0.3\":{\"connectionsEstablished\":$est,\"bgpState\":\"Established\"}}" 4

"$PETOPO" down "$T" >/dev/null 2>&1
check "nothing left" nothing_left "$T"
pt_done
