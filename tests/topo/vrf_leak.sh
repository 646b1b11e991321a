#!/bin/bash
# Leaking between VRFs of one PE, and ECMP, on topologies/vrf-leak.yml:
# - ECMP: pe2 and pe3 announce 172.20.0.0/24 in VRF A under their own RDs;
#   with `maximum-paths ibgp 4` pe1's A marks both paths multipath and its
#   route has two next hops (pe2's and pe3's VPN labels); `maximum-paths
#   ibgp 1` gives one, and back; with the same RD at both (one VPN route
#   with two paths, as in a full mesh) both are imported: still two;
# - without leaking, cea (VRF A) does not reach ceb (VRF B);
# - `import vrf B` in A and `import vrf A` in B: the leaked routes show in
#   `show bgp vrf A ipv4 unicast json` (nhVrfName B) and in A's table with a
#   next hop in VRF B, and cea pings ceb through pe1, with the XDP fast path
#   and with `dataplane backend packet`; `no import vrf`: nothing crosses;
# - the same by route targets (A imports B's 65000:2 and B A's 65000:1);
# - `route-map vpn import NAME` of a route-map that is not defined (which
#   denies everything, as in FRR) removes the leaked route, `no` restores it;
# - IPv6: `import vrf` under `address-family ipv6 unicast` leaks B's
#   2001:db8:b::/64 into A (next hop in B) and back; cea pings ceb's IPv6
#   address in both backends; `no import vrf`: gone;
# - ECMP in the dataplane: `explain` of the route shows one next-hop group
#   with two adjacencies (pe2's and pe3's labels), and 24 flows from cea to
#   172.20.0.0/24 (a blackhole at both) reach both pe2 and pe3 (their drop
#   counters).
. "$(dirname "$0")/petopo_lib.sh"
pt_init l

"$PETOPO" up --name "$T" "$TOPOS/vrf-leak.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

# ---- ECMP ----
# nexthops_are VRF PREFIX IP...: the VRF route's next hops are exactly these
# gateways (any order), within the bounded retries
nexthops_are() {
	local vrf="$1" pfx="$2" out i
	shift 2
	for i in $(seq 60); do
		out=$("$PESH" -N pe1 -c "show ip route vrf $vrf json" | $PY -c '
import json, sys
r = json.load(sys.stdin).get(sys.argv[1])
print(" ".join(sorted(n.get("ip", "") for n in r[0]["nexthops"])) if r else "")' "$pfx")
		[ "$out" = "$*" ] && return 0
		sleep 0.25
	done
	echo "next hops of $pfx in $vrf: '$out', expected '$*'"
	return 1
}
check "pe1 A: 172.20.0.0/24 installed from the VPN" wait_json pe1 "show ip route vrf A json" \
	'{"172.20.0.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"vrf":"default"},{"vrf":"default"}]}]}' 120
check "pe1 A: two next hops, pe2 and pe3" nexthops_are A 172.20.0.0/24 10.255.0.2 10.255.0.3
check "pe1 A: both BGP paths flagged multipath" wait_json pe1 "show bgp vrf A ipv4 unicast json" \
	'{"routes":{"172.20.0.0/24":[{"multipath":true},{"multipath":true}]}}'
check "maximum-paths ibgp 1" cfg pe1 "router bgp 65000 vrf A" "address-family ipv4 unicast" "maximum-paths ibgp 1"
check "maximum-paths ibgp 1: one next hop" sh -c "$(declare -f nexthops_are); PESH='$PESH' PY='$PY'; nexthops_are A 172.20.0.0/24 10.255.0.2 || nexthops_are A 172.20.0.0/24 10.255.0.3"
check "maximum-paths ibgp 1: no path flagged multipath" sh -c "! '$PESH' -N pe1 -c 'show bgp vrf A ipv4 unicast json' | grep -q multipath"
check "maximum-paths ibgp 4 again" cfg pe1 "router bgp 65000 vrf A" "address-family ipv4 unicast" "maximum-paths ibgp 4"
check "two next hops again" nexthops_are A 172.20.0.0/24 10.255.0.2 10.255.0.3
dp_adjacencies() { # the number of adjacencies of the dataplane step of explain
	"$PESH" -N pe1 -c "show ip route vrf A 172.20.0.0/24 explain json" | $PY -c '
import json, sys
d = json.load(sys.stdin)
s = [x for x in d["steps"] if x["step"] == "dataplane" and x["status"] == "ok"]
print(len(s[0].get("adjacencies", [])) if s and d["result"] == "installed" else 0)'
}
dp_two() { local n; n=$(dp_adjacencies); [ "$n" = 2 ] || { echo "adjacencies: $n"; return 1; }; }
check "dataplane: one next-hop group with two adjacencies (explain)" retry 40 dp_two
# flows spread over both: 24 destinations of 172.20.0.0/24 (a blackhole at
# pe2 and pe3) from cea; each egress PE counts the drops of what reached it
bh() { "$PESH" -N "$1" -c "show dataplane json" |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["vrfs"]["A"]["drops"].get("blackhole", 0))'; }
b2=$(bh pe2)
b3=$(bh pe3)
for i in $(seq 1 24); do X cea ping -c 1 -W 0.2 172.20.0.$i >/dev/null 2>&1; done
a2=$(bh pe2)
a3=$(bh pe3)
echo "blackhole drops over 24 flows: pe2 $b2 -> $a2, pe3 $b3 -> $a3"
check "ECMP in the dataplane: both remote PEs received some of 24 flows" \
	test "$a2" -gt "$b2" -a "$a3" -gt "$b3" -a $((a2 - b2 + a3 - b3)) -ge 24
# the same RD at both PEs (a full mesh: one VPN route, two paths): both
# paths are imported and the VRF route keeps two next hops
check "pe3's VRF A takes pe2's RD 65000:12" cfg pe3 "vrf A" "rd 65000:12"
check "pe1: one VPN route 65000:12 172.20.0.0/24 with two paths" wait_json pe1 \
	"show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:12":{"172.20.0.0/24":[{"valid":true},{"valid":true}]}}}}' 120
check "pe1 A: still two next hops, pe2 and pe3" nexthops_are A 172.20.0.0/24 10.255.0.2 10.255.0.3
check "pe3 back to RD 65000:13" cfg pe3 "vrf A" "rd 65000:13"
check "pe1 A: two next hops after the RD change back" nexthops_are A 172.20.0.0/24 10.255.0.2 10.255.0.3
check "running config: maximum-paths ibgp 4" sh -c "'$PESH' -N pe1 -c 'show running-config' | grep -q '^  maximum-paths ibgp 4'"

# ---- no leaking: nothing crosses ----
check "cea reaches pe1 (A)" retry 40 ping_ok cea 10.1.1.1
check "ceb reaches pe1 (B)" retry 40 ping_ok ceb 10.1.2.1
check "A has no route to B's LAN" sh -c "! '$PESH' -N pe1 -c 'show ip route vrf A json' | grep -q 10.1.2.0/24"
check "without import, cea does not reach ceb" ping_fails cea 10.1.2.2

leak_checks() { # leak_checks WHAT
	check "$1: A has 10.1.2.0/24 leaked from B (bgp)" wait_json pe1 "show bgp vrf A ipv4 unicast json" \
		'{"routes":{"10.1.2.0/24":[{"valid":true,"nhVrfName":"B"}]}}'
	check "$1: A's table: next hop in VRF B, no labels" wait_json pe1 "show ip route vrf A json" \
		'{"10.1.2.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"vrf":"B","interfaceName":"eth2"}]}]}'
	check "$1: B's table: next hop in VRF A" wait_json pe1 "show ip route vrf B json" \
		'{"10.1.1.0/24":[{"protocol":"bgp","nexthops":[{"vrf":"A"}]}]}'
	check "$1: no labels on the leaked next hop" sh -c "! '$PESH' -N pe1 -c 'show ip route vrf A 10.1.2.0/24 json' | grep -q labels"
	check "$1: cea pings ceb (xdp)" retry 40 ping_ok cea 10.1.2.2
	check "$1: ceb pings cea (xdp)" retry 40 ping_ok ceb 10.1.1.2
	check "$1: dataplane backend packet" cfg pe1 "dataplane backend packet"
	check "$1: cea pings ceb (packet)" retry 40 ping_ok cea 10.1.2.2
	check "$1: back to xdp" cfg pe1 "no dataplane backend packet"
	check "$1: cea pings ceb (xdp again)" retry 40 ping_ok cea 10.1.2.2
}

# ---- import vrf ----
check "import vrf B in A, A in B" cfg pe1 \
	"router bgp 65000 vrf A" "address-family ipv4 unicast" "import vrf B" "exit-address-family" "exit" \
	"router bgp 65000 vrf B" "address-family ipv4 unicast" "import vrf A"
leak_checks "import vrf"
check "running config: import vrf B under A's ipv4 unicast" sh -c "'$PESH' -N pe1 -c 'show running-config' | grep -q '^  import vrf B'"
check "route-map vpn import DENY in A" cfg pe1 "router bgp 65000 vrf A" "address-family ipv4 unicast" "route-map vpn import DENY"
check "denied: leaked route gone from A" wait_json pe1 "show ip route vrf A json" '{"10.1.2.0/24":null}'
check "no route-map vpn import" cfg pe1 "router bgp 65000 vrf A" "address-family ipv4 unicast" "no route-map vpn import DENY"
check "permitted again: leaked route back" wait_json pe1 "show ip route vrf A json" '{"10.1.2.0/24":[{"nexthops":[{"vrf":"B"}]}]}'
check "no import vrf both ways" cfg pe1 \
	"router bgp 65000 vrf A" "address-family ipv4 unicast" "no import vrf B" "exit-address-family" "exit" \
	"router bgp 65000 vrf B" "address-family ipv4 unicast" "no import vrf A"
check "no import: leaked route gone" wait_json pe1 "show ip route vrf A json" '{"10.1.2.0/24":null}'
check "no import: cea does not reach ceb" ping_fails cea 10.1.2.2

# ---- IPv6 ----
check "ipv6: import vrf B in A, A in B" cfg pe1 \
	"router bgp 65000 vrf A" "address-family ipv6 unicast" "import vrf B" "exit-address-family" "exit" \
	"router bgp 65000 vrf B" "address-family ipv6 unicast" "import vrf A"
check "ipv6: A's table has 2001:db8:b::/64 with its next hop in VRF B" wait_json pe1 \
	"show ipv6 route vrf A json" '{"2001:db8:b::/64":[{"protocol":"bgp","nexthops":[{"vrf":"B","active":true}]}]}'
check "ipv6: B's table has 2001:db8:a::/64 with its next hop in VRF A" wait_json pe1 \
	"show ipv6 route vrf B json" '{"2001:db8:a::/64":[{"protocol":"bgp","nexthops":[{"vrf":"A"}]}]}'
check "ipv6: cea pings ceb (xdp)" retry 40 ping_ok cea 2001:db8:b::2
check "ipv6: dataplane backend packet" cfg pe1 "dataplane backend packet"
check "ipv6: cea pings ceb (packet)" retry 40 ping_ok cea 2001:db8:b::2
check "ipv6: back to xdp" cfg pe1 "no dataplane backend packet"
check "ipv6: no import vrf" cfg pe1 \
	"router bgp 65000 vrf A" "address-family ipv6 unicast" "no import vrf B" "exit-address-family" "exit" \
	"router bgp 65000 vrf B" "address-family ipv6 unicast" "no import vrf A"
check "ipv6: leaked route gone" wait_json pe1 "show ipv6 route vrf A json" '{"2001:db8:b::/64":null}'
check "ipv6: cea does not reach ceb" ping_fails cea 2001:db8:b::2

# ---- by route targets ----
check "rt vpn import of the other VRF" cfg pe1 \
	"router bgp 65000 vrf A" "address-family ipv4 unicast" "rt vpn import 65000:2" "exit-address-family" "exit" \
	"router bgp 65000 vrf B" "address-family ipv4 unicast" "rt vpn import 65000:1"
leak_checks "route targets"
check "remove the route targets" cfg pe1 \
	"router bgp 65000 vrf A" "address-family ipv4 unicast" "no rt vpn import 65000:2" "exit-address-family" "exit" \
	"router bgp 65000 vrf B" "address-family ipv4 unicast" "no rt vpn import 65000:1"
check "no RT: leaked route gone" wait_json pe1 "show ip route vrf A json" '{"10.1.2.0/24":null}'
check "no RT: cea does not reach ceb" ping_fails cea 10.1.2.2

"$PETOPO" down "$T" >/dev/null 2>&1 || fail "down"
pt_done
