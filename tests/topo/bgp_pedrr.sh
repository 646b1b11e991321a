#!/bin/bash
# ped as a VPNv4 route reflector (l3vpn-pedrr): pe1 and pe2 are its clients;
# each PE's customer routes reach the other through p1 with ORIGINATOR_ID and
# CLUSTER_LIST, next hop and label unchanged, and go away when withdrawn.
# Then VPN-IPv6, configured at run time: p1 reflects pe1's 6VPE route to pe2
# the same way (next hop ::ffff:10.255.0.1 unchanged).
. "$(dirname "$0")/petopo_lib.sh"
pt_init r


"$PETOPO" up --name "$T" "$TOPOS/l3vpn-pedrr.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

check "RR p1: both clients Established" wait_json p1 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.255.0.1":{"state":"Established"},"10.255.0.3":{"state":"Established"}}}'
check "RR p1 keeps every VPN route (retain route-target all, no VRF)" wait_json p1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.1.0/24":[{"valid":true,"peerId":"10.255.0.1"}],"192.168.2.0/24":[{"valid":true,"peerId":"10.255.0.3"}]}}}}'
check "p1 shows its clients as route-reflector clients" wait_json p1 "show bgp neighbors 10.255.0.1 json" \
	'{"10.255.0.1":{"addressFamilyInfo":{"ipv4Vpn":{"routeReflectorClient":true}}}}'
lbl=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" | $PY -c 'import json,sys
d=json.load(sys.stdin)["65000:1"]["paths"]
print([p for p in d if p["bestpath"]["overall"]][0]["remoteLabel"])')
check "pe2 learned pe1's route via p1: originator pe1, cluster p1, next hop pe1, label $lbl" wait_json pe2 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	"{\"65000:1\":{\"paths\":[{\"valid\":true,\"originatorId\":\"10.255.0.1\",\"clusterList\":[\"10.255.0.2\"],\"remoteLabel\":$lbl,\"nexthops\":[{\"ip\":\"10.255.0.1\",\"accessible\":true}],\"peerId\":\"10.255.0.2\"}]}}"
check "pe2 VRF CUST-A: 192.168.1.0/24 via pe1" wait_json pe2 "show ip route vrf CUST-A json" \
	"{\"192.168.1.0/24\":[{\"protocol\":\"bgp\",\"nexthops\":[{\"ip\":\"10.255.0.1\",\"labels\":[$lbl]}]}]}"
check "pe1 VRF CUST-A: 192.168.2.0/24 via pe2" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.3"}]}]}'
check "pe1 drops its own route reflected back (originator loop)" wait_json pe1 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" '{"65000:1":{"paths":[{"bestpath":{"overall":true},"pathFrom":"external","peerId":"(unspec)","nhVrfName":"CUST-A"}]}}'

# VPN-IPv6 through the same reflector
check "p1: VPNv6 for both clients" cfg p1 "router bgp 65000" "address-family ipv6 vpn" \
	"neighbor 10.255.0.1 activate" "neighbor 10.255.0.1 route-reflector-client" \
	"neighbor 10.255.0.3 activate" "neighbor 10.255.0.3 route-reflector-client"
for n in pe1 pe2; do
	check "$n: VPNv6 toward p1, IPv6 in CUST-A" cfg "$n" "router bgp 65000" "address-family ipv6 vpn" \
		"neighbor 10.255.0.2 activate" "exit-address-family" "exit" \
		"router bgp 65000 vrf CUST-A" "address-family ipv6 unicast" "redistribute static" \
		"label vpn export auto" "export vpn" "import vpn"
done
check "pe1: an IPv6 static route in CUST-A" cfg pe1 "vrf CUST-A" "ipv6 route 2001:db8:1::/48 blackhole"
check "RR p1 holds pe1's VPNv6 route" wait_json p1 "show bgp ipv6 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"2001:db8:1::/48":[{"valid":true,"peerId":"10.255.0.1"}]}}}}' 240
check "pe2 learned it via p1: originator pe1, cluster p1, next hop ::ffff:10.255.0.1" wait_json pe2 \
	"show bgp ipv6 vpn rd 65000:1 2001:db8:1::/48 json" \
	'{"65000:1":{"paths":[{"valid":true,"originatorId":"10.255.0.1","clusterList":["10.255.0.2"],"nexthops":[{"ip":"::ffff:10.255.0.1","accessible":true}],"peerId":"10.255.0.2"}]}}'
check "pe2 VRF CUST-A: 2001:db8:1::/48 via pe1 (6VPE)" wait_json pe2 "show ipv6 route vrf CUST-A json" \
	'{"2001:db8:1::/48":[{"protocol":"bgp","nexthops":[{"ip":"::ffff:10.255.0.1"}]}]}'
cfg pe1 "vrf CUST-A" "no ipv6 route 2001:db8:1::/48 blackhole" >/dev/null
check "VPNv6 withdrawal reaches pe2's VRF through p1" wait_json pe2 "show ipv6 route vrf CUST-A json" \
	'{"2001:db8:1::/48":null}'

"$PESH" -N pe1 -c "conf t" -c "vrf CUST-A" -c "no ip route 192.168.1.0/24 10.1.1.2" >/dev/null
check "withdrawal reaches the RR" wait_json p1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.1.0/24":null,"192.168.2.0/24":[{"valid":true}]}}}}'
check "and pe2's VRF" wait_json pe2 "show ip route vrf CUST-A json" '{"192.168.1.0/24":null}'

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
