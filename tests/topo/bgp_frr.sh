#!/bin/bash
# Interop with FRR 8.4 (interop-frr): two ped PEs are VPNv4 clients of an FRR
# route reflector. Checks, in both directions and for appearance and
# withdrawal: ped's VRF routes reach FRR with the right RD, RT and
# remoteLabel; they are reflected to the other ped PE with ORIGINATOR_ID and
# CLUSTER_LIST and land in its VRF; FRR's own VPN route (`network ... rd ...
# label ...`) arrives in ped with RD, label and RT.
. "$(dirname "$0")/petopo_lib.sh"
pt_init f
if [ ! -x /usr/lib/frr/bgpd ]; then
	echo "SKIP: FRR is not installed"
	exit 77
fi

WAIT_TRIES=120
vty_json() { vty_json_at "$RR" "$@"; }

"$PETOPO" up --name "$T" "$TOPOS/interop-frr.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
RR=$(find "$PETOPO_RUNDIR/$T" -maxdepth 2 -type d -name rr1 | head -1)
check "rr1's vty socket directory found" test -S "$RR/bgpd.vty"

check "FRR rr1: both ped PEs Established" vty_json "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.255.0.1":{"state":"Established"},"10.255.0.3":{"state":"Established"}}}'
check "ped pe1: rr1 Established" wait_json pe1 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.255.0.4":{"state":"Established"}}}'

# ped -> FRR: RD, RT, label, next hop
check "FRR has pe1's 192.168.1.0/24 with RD 65000:1, RT and remoteLabel" vty_json \
	"show bgp ipv4 vpn 192.168.1.0/24 json" \
	'{"65000:1":{"prefix":"192.168.1.0/24","paths":[{"valid":true,"extendedCommunity":{"string":"RT:65000:1"},"nexthops":[{"ip":"10.255.0.1","accessible":true}],"peer":{"peerId":"10.255.0.1"}}]}}'
lbl=$(vtysh --vty_socket "$RR" -c "show bgp ipv4 vpn 192.168.1.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:1"]["paths"][0]["remoteLabel"])')
check "FRR's remoteLabel ($lbl) is the label pe1 allocated to CUST-A" wait_json pe1 "show mpls label allocation json" \
	"{\"labels\":{\"$lbl\":{\"client\":\"bgp\",\"purpose\":\"vrf CUST-A\"}}}"

# ped -> FRR RR -> ped
check "pe2 got pe1's route reflected (originator, cluster list)" wait_json pe2 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	'{"65000:1":{"paths":[{"valid":true,"originatorId":"10.255.0.1","clusterList":["10.255.0.4"],"nexthops":[{"ip":"10.255.0.1","accessible":true}],"extendedCommunity":{"string":"RT:65000:1"}}]}}'
check "pe2 VRF CUST-A: 192.168.1.0/24 via pe1 with pe1's label" wait_json pe2 "show ip route vrf CUST-A json" \
	"{\"192.168.1.0/24\":[{\"protocol\":\"bgp\",\"selected\":true,\"nexthops\":[{\"ip\":\"10.255.0.1\",\"labels\":[$lbl]}]}]}"

# two customers, the same prefixes: both survive in the RR's VPN table under
# their RDs and each lands only in its own VRF on the remote PE
check "FRR has 192.168.1.0/24 under both customers' RDs" vty_json "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.1.0/24":[{"valid":true}]},"65000:2":{"192.168.1.0/24":[{"valid":true}]}}}}'
lblB=$(vtysh --vty_socket "$RR" -c "show bgp ipv4 vpn 192.168.1.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:2"]["paths"][0]["remoteLabel"])')
check "customer B's label ($lblB) differs from A's ($lbl)" test -n "$lblB" -a "$lblB" != "$lbl"
check "pe2 VRF CUST-B: 192.168.1.0/24 with customer B's label" wait_json pe2 "show ip route vrf CUST-B json" \
	"{\"192.168.1.0/24\":[{\"protocol\":\"bgp\",\"nexthops\":[{\"ip\":\"10.255.0.1\",\"labels\":[$lblB]}]}]}"
check "pe2 VRF CUST-A still has customer A's" wait_json pe2 "show ip route vrf CUST-A json" \
	"{\"192.168.1.0/24\":[{\"protocol\":\"bgp\",\"nexthops\":[{\"labels\":[$lbl]}]}]}"
check "FRR's customer-A route 10.77.0.0/24 stays out of CUST-B" wait_json pe1 "show ip route vrf CUST-B json" '{"10.77.0.0/24":null}'

# FRR -> ped: FRR's own VPN route
check "pe1 has FRR's 10.77.0.0/24 (RD 65000:77, label 777, RT 65000:1)" wait_json pe1 \
	"show bgp ipv4 vpn rd 65000:77 10.77.0.0/24 json" \
	'{"65000:77":{"paths":[{"valid":true,"remoteLabel":777,"extendedCommunity":{"string":"RT:65000:1"},"nexthops":[{"ip":"10.255.0.4","accessible":true}]}]}}'
check "and imported it into VRF CUST-A" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"10.77.0.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.4","labels":[777]}]}]}'

# VPN-IPv6 (6VPE, RFC 4659) through the same reflector: next hops are the
# IPv4-mapped addresses of the PE loopbacks, resolved over the IPv4 core
check "FRR rr1: both ped PEs negotiated VPNv6" vty_json "show bgp ipv6 vpn summary json" \
	'{"peers":{"10.255.0.1":{"state":"Established"},"10.255.0.3":{"state":"Established"}}}'
# (FRR 8.4 prints the IPv4-mapped next hop ::ffff:10.255.0.1 as ::ffff:aff:1)
check "FRR has pe1's 2001:db8:1::/48 (RD 65000:1, label 1001, next hop ::ffff:10.255.0.1)" vty_json \
	"show bgp ipv6 vpn 2001:db8:1::/48 json" \
	'{"65000:1":{"prefix":"2001:db8:1::/48","paths":[{"valid":true,"remoteLabel":1001,"nexthops":[{"ip":"::ffff:aff:1"}],"peer":{"peerId":"10.255.0.1"}}]}}'
check "pe2 got pe1's VPNv6 route reflected, next hop accessible over the IPv4 LSP" wait_json pe2 \
	"show bgp ipv6 vpn rd 65000:1 2001:db8:1::/48 json" \
	'{"65000:1":{"paths":[{"valid":true,"remoteLabel":1001,"originatorId":"10.255.0.1","nexthops":[{"ip":"::ffff:10.255.0.1","afi":"ipv6","accessible":true}]}]}}'
check "pe1 has FRR's 2001:db8:77::/48 (RD 65000:77, label 778, RT 65000:1)" wait_json pe1 \
	"show bgp ipv6 vpn rd 65000:77 2001:db8:77::/48 json" \
	'{"65000:77":{"paths":[{"valid":true,"remoteLabel":778,"extendedCommunity":{"string":"RT:65000:1"},"nexthops":[{"ip":"::ffff:10.255.0.4","accessible":true}]}]}}'
check "ped's summary lists the VPNv6 family" wait_json pe1 "show bgp ipv6 vpn summary json" \
	'{"peers":{"10.255.0.4":{"state":"Established"}}}'
vtysh --vty_socket "$RR" -c "conf t" -c "router bgp 65000" -c "address-family ipv6 vpn" \
	-c "no network 2001:db8:77::/48 rd 65000:77 label 778" >/dev/null 2>&1
check "pe1: FRR's VPNv6 route withdrawn (MP_UNREACH)" wait_json pe1 "show bgp ipv6 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:77":null,"65000:2":{"2001:db8:2::/48":[{"valid":true}]}}}}'

# withdrawal both ways
"$PESH" -N pe1 -c "conf t" -c "vrf CUST-A" -c "no ip route 192.168.1.0/24 10.1.1.2" >/dev/null
check "FRR: pe1's route withdrawn" vty_json "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.1.0/24":null,"10.2.1.0/24":[{"valid":true}]}}}}'
check "pe2: gone from VRF CUST-A" wait_json pe2 "show ip route vrf CUST-A json" '{"192.168.1.0/24":null}'
check "pe2: customer B's 192.168.1.0/24 is untouched" wait_json pe2 "show ip route vrf CUST-B json" '{"192.168.1.0/24":[{"protocol":"bgp"}]}'
vtysh --vty_socket "$RR" -c "conf t" -c "router bgp 65000" -c "address-family ipv4 vpn" \
	-c "no network 10.77.0.0/24 rd 65000:77 label 777" >/dev/null 2>&1
check "pe1: FRR's route withdrawn from the VPN table" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:77":null}}}'
check "pe1: and from VRF CUST-A" wait_json pe1 "show ip route vrf CUST-A json" '{"10.77.0.0/24":null}'

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
