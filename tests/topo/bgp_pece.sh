#!/bin/bash
# PE-CE eBGP (l3vpn-pece): ped as the CE on both sides. ce1 (AS 65101)
# announces 192.168.1.0/24 in plain IPv4 unicast to pe1's VRF CUST-A; pe1
# exports it as VPNv4 (RD/RT 65000:1, its label) to pe2, which imports it into
# CUST-A and advertises it to ce2 (AS 65102) with AS path "65000 65101"; ce2's
# ped installs it into its kernel (proto 200). The other direction too; then
# withdrawal on ce1 removes the route everywhere, including ce2's kernel.
# Dual stack: the same sessions carry IPv6 unicast (ce1's 2001:db8:101::/64,
# next hop ce1's global address on the link), pe1 exports it as VPN-IPv6
# with an IPv4-mapped next hop (6VPE) and the per-VRF label, pe2 imports it
# and advertises it to ce2 with its own global address as next hop.
. "$(dirname "$0")/petopo_lib.sh"
pt_init c

WAIT_TRIES=80

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-pece.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

# sessions: the CE-facing ones live in the PEs' VRF BGP instances
check "pe1 VRF CUST-A: eBGP session with ce1 (AS 65101) Established" wait_json pe1 \
	"show bgp vrf CUST-A ipv4 unicast summary json" \
	'{"vrfName":"CUST-A","as":65000,"peers":{"10.1.1.2":{"state":"Established","remoteAs":65101,"localAs":65000}}}'
check "pe2 VRF CUST-A: eBGP session with ce2 (AS 65102) Established" wait_json pe2 \
	"show bgp vrf CUST-A ipv4 unicast summary json" \
	'{"vrfName":"CUST-A","peers":{"10.2.1.2":{"state":"Established","remoteAs":65102}}}'
check "ce1: session with pe1 (AS 65000) Established in the default VRF" wait_json ce1 \
	"show bgp ipv4 unicast summary json" \
	'{"as":65101,"vrfName":"default","peers":{"10.1.1.1":{"state":"Established","remoteAs":65000}}}'
check "pe1: VPNv4 session with pe2 Established" wait_json pe1 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.255.0.3":{"state":"Established"}}}'
check "pe1 VRF CUST-A: no CE session in the default instance" wait_json pe1 \
	"show bgp ipv4 vpn summary json" '{"peers":{"10.1.1.2":null}}'

# ce1 -> pe1 VRF
check "pe1 BGP VRF CUST-A: 192.168.1.0/24 from ce1, AS path 65101" wait_json pe1 \
	"show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"valid":true,"bestpath":true,"pathFrom":"external","path":"65101","peerId":"10.1.1.2","nexthops":[{"ip":"10.1.1.2"}]}]}}'
check "pe1 RIB VRF CUST-A: 192.168.1.0/24 bgp via 10.1.1.2" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true,"installed":true,"nexthops":[{"ip":"10.1.1.2","active":true}]}]}'
check "pe1 default RIB: no customer route" wait_json pe1 "show ip route json" '{"192.168.1.0/24":null}'

# pe1 VPN table: RD, RT, label
check "pe1 VPN table: 192.168.1.0/24 under RD 65000:1 with RT 65000:1 and AS path 65101" wait_json pe1 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	'{"65000:1":{"prefix":"192.168.1.0/24","paths":[{"valid":true,"bestpath":{"overall":true},"aspath":{"string":"65101"},"extendedCommunity":{"string":"RT:65000:1"}}]}}'
lbl=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:1"]["paths"][0]["remoteLabel"])' 2>/dev/null)
check "pe1 allocated that label ($lbl) to CUST-A" wait_json pe1 "show mpls label allocation json" \
	"{\"labels\":{\"${lbl:-none}\":{\"client\":\"bgp\",\"purpose\":\"vrf CUST-A\"}}}"

# pe2: VPN table and VRF
check "pe2 VPN table: 192.168.1.0/24 from pe1 with RD, RT and pe1's label" wait_json pe2 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	"{\"65000:1\":{\"paths\":[{\"valid\":true,\"pathFrom\":\"internal\",\"peerId\":\"10.255.0.1\",\"remoteLabel\":${lbl:-0},\"aspath\":{\"string\":\"65101\"},\"extendedCommunity\":{\"string\":\"RT:65000:1\"},\"nexthops\":[{\"ip\":\"10.255.0.1\",\"accessible\":true}]}]}}"
check "pe2 BGP VRF CUST-A: imported from vpn" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"valid":true,"bestpath":true,"importedFrom":"vpn","path":"65101"}]}}'
check "pe2 RIB VRF CUST-A: 192.168.1.0/24 via pe1 with the label" wait_json pe2 "show ip route vrf CUST-A json" \
	"{\"192.168.1.0/24\":[{\"protocol\":\"bgp\",\"selected\":true,\"nexthops\":[{\"ip\":\"10.255.0.1\",\"vrf\":\"default\",\"labels\":[${lbl:-0}]}]}]}"

# ce2: BGP table, RIB, kernel
check "ce2 BGP: 192.168.1.0/24 from pe2, AS path 65000 65101" wait_json ce2 "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"valid":true,"bestpath":true,"pathFrom":"external","path":"65000 65101","peerId":"10.2.1.1","nexthops":[{"ip":"10.2.1.1"}]}]}}'
check "ce2 RIB: bgp route installed" wait_json ce2 "show ip route json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true,"installed":true,"nexthops":[{"ip":"10.2.1.1"}]}]}'
check "ce2 kernel: 192.168.1.0/24 via 10.2.1.1 proto 200" wait_kernel ce2 192.168.1.0/24 \
	'^192\.168\.1\.0/24 via 10\.2\.1\.1 dev eth0 proto 200'

# the other direction
check "ce1 BGP: 192.168.2.0/24 with AS path 65000 65102" wait_json ce1 "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.2.0/24":[{"valid":true,"path":"65000 65102","nexthops":[{"ip":"10.1.1.1"}]}]}}'
check "ce1 kernel: 192.168.2.0/24 via 10.1.1.1 proto 200" wait_kernel ce1 192.168.2.0/24 \
	'^192\.168\.2\.0/24 via 10\.1\.1\.1 dev eth0 proto 200'
own_paths() { "$PESH" -N ce1 -c "show bgp ipv4 unicast json" | $PY -c 'import json,sys; p=json.load(sys.stdin)["routes"]["192.168.1.0/24"]; sys.exit(0 if len(p)==1 and p[0]["peerId"]=="(unspec)" and p[0]["weight"]==32768 else 1)'; }
check "ce1 has only its own path for 192.168.1.0/24 (AS loop)" own_paths

# IPv6 over the same sessions (IPv6 unicast) and VPN-IPv6 between the PEs
check "pe1 VRF CUST-A: ce1 session carries IPv6 unicast" wait_json pe1 \
	"show bgp vrf CUST-A ipv6 unicast summary json" \
	'{"peers":{"10.1.1.2":{"state":"Established"}}}'
check "pe1 BGP VRF CUST-A: 2001:db8:101::/64 from ce1, next hop ce1's global address" wait_json pe1 \
	"show bgp vrf CUST-A ipv6 unicast json" \
	'{"routes":{"2001:db8:101::/64":[{"valid":true,"bestpath":true,"pathFrom":"external","path":"65101","nexthops":[{"ip":"2001:db8:1:1::2","afi":"ipv6"}]}]}}'
check "pe1 RIB VRF CUST-A: 2001:db8:101::/64 bgp via 2001:db8:1:1::2, installed" wait_json pe1 \
	"show ipv6 route vrf CUST-A json" \
	'{"2001:db8:101::/64":[{"protocol":"bgp","selected":true,"installed":true,"nexthops":[{"ip":"2001:db8:1:1::2","afi":"ipv6","active":true}]}]}'
check "pe1 IPv4 RIB shows no IPv6 prefix" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"2001:db8:101::/64":null}'
check "pe1 VPNv6 table: RD 65000:1, RT 65000:1, the per-VRF label ($lbl)" wait_json pe1 \
	"show bgp ipv6 vpn rd 65000:1 2001:db8:101::/64 json" \
	"{\"65000:1\":{\"paths\":[{\"valid\":true,\"remoteLabel\":${lbl:-0},\"aspath\":{\"string\":\"65101\"},\"extendedCommunity\":{\"string\":\"RT:65000:1\"}}]}}"
check "pe2 VPNv6 table: next hop ::ffff:10.255.0.1 accessible over the IPv4 core" wait_json pe2 \
	"show bgp ipv6 vpn rd 65000:1 2001:db8:101::/64 json" \
	"{\"65000:1\":{\"paths\":[{\"valid\":true,\"remoteLabel\":${lbl:-0},\"nexthops\":[{\"ip\":\"::ffff:10.255.0.1\",\"afi\":\"ipv6\",\"accessible\":true}]}]}}"
check "pe2 RIB VRF CUST-A: 2001:db8:101::/64 via pe1 (6VPE) with the label, installed" wait_json pe2 \
	"show ipv6 route vrf CUST-A json" \
	"{\"2001:db8:101::/64\":[{\"protocol\":\"bgp\",\"selected\":true,\"installed\":true,\"nexthops\":[{\"ip\":\"::ffff:10.255.0.1\",\"vrf\":\"default\",\"labels\":[${lbl:-0}]}]}]}"
check "ce2 BGP: 2001:db8:101::/64, AS path 65000 65101, next hop pe2's global address" wait_json ce2 \
	"show bgp ipv6 unicast json" \
	'{"routes":{"2001:db8:101::/64":[{"valid":true,"bestpath":true,"path":"65000 65101","nexthops":[{"ip":"2001:db8:2:1::1"}]}]}}'
check "ce2 kernel: 2001:db8:101::/64 via 2001:db8:2:1::1 proto 200" wait_kernel6 ce2 2001:db8:101::/64 \
	'^2001:db8:101::/64 via 2001:db8:2:1::1 dev eth0 proto 200'
check "ce1 kernel: 2001:db8:102::/64 via 2001:db8:1:1::1 proto 200" wait_kernel6 ce1 2001:db8:102::/64 \
	'^2001:db8:102::/64 via 2001:db8:1:1::1 dev eth0 proto 200'
check "link-local connected subnets stay out of BGP" wait_json pe1 "show bgp ipv6 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"fe80::/64":null}}}}'
"$PESH" -N ce1 -c "conf t" -c "router bgp 65101" -c "address-family ipv6 unicast" -c "no network 2001:db8:101::/64" >/dev/null
check "IPv6 withdrawn: pe2 VRF" wait_json pe2 "show ipv6 route vrf CUST-A json" '{"2001:db8:101::/64":null}'
check "IPv6 withdrawn: ce2 kernel" wait_kernel6 ce2 2001:db8:101::/64 ''
check "IPv6 withdrawal left IPv4 alone: ce2 kernel still has 192.168.1.0/24" wait_kernel ce2 192.168.1.0/24 \
	'via 10\.2\.1\.1 dev eth0 proto 200'

# withdrawal: ce1 stops announcing 192.168.1.0/24
"$PESH" -N ce1 -c "conf t" -c "router bgp 65101" -c "address-family ipv4 unicast" -c "no network 192.168.1.0/24" >/dev/null
check "withdrawn: pe1 BGP VRF CUST-A" wait_json pe1 "show bgp vrf CUST-A ipv4 unicast json" '{"routes":{"192.168.1.0/24":null}}'
check "withdrawn: pe1 RIB VRF CUST-A" wait_json pe1 "show ip route vrf CUST-A json" '{"192.168.1.0/24":null}'
check "withdrawn: pe1 VPN table" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.1.0/24":null,"192.168.2.0/24":[{"valid":true}]}}}}'
check "withdrawn: pe2 VPN table" wait_json pe2 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.1.0/24":null}}}}'
check "withdrawn: pe2 RIB VRF CUST-A" wait_json pe2 "show ip route vrf CUST-A json" '{"192.168.1.0/24":null}'
check "withdrawn: ce2 BGP" wait_json ce2 "show bgp ipv4 unicast json" '{"routes":{"192.168.1.0/24":null}}'
check "withdrawn: ce2 RIB" wait_json ce2 "show ip route json" '{"192.168.1.0/24":null}'
check "withdrawn: ce2 kernel" wait_kernel ce2 192.168.1.0/24 ''
check "ce1 still has ce2's route" wait_json ce1 "show bgp ipv4 unicast json" '{"routes":{"192.168.2.0/24":[{"valid":true}]}}'

# re-announce
"$PESH" -N ce1 -c "conf t" -c "router bgp 65101" -c "address-family ipv4 unicast" -c "network 192.168.1.0/24" >/dev/null
check "re-announced: ce2 kernel again" wait_kernel ce2 192.168.1.0/24 'via 10\.2\.1\.1 dev eth0 proto 200'

# CE session down: pe1 drops what it learned from ce1, everywhere
"$PESH" -N pe1 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "neighbor 10.1.1.2 shutdown" >/dev/null
not_established() { ! "$PESH" -N pe1 -c "show bgp vrf CUST-A ipv4 unicast summary json" | grep -q '"state":"Established"'; }
check "pe1 shut ce1: session administratively down" wait_json pe1 "show bgp vrf CUST-A ipv4 unicast summary json" \
	'{"peers":{"10.1.1.2":{"peerState":"Admin"}}}'
check "pe1 shut ce1: session no longer Established" retry 40 not_established
check "pe1 shut ce1: gone from pe2's VRF" wait_json pe2 "show ip route vrf CUST-A json" '{"192.168.1.0/24":null}'
check "pe1 shut ce1: gone from ce2's kernel" wait_kernel ce2 192.168.1.0/24 ''

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
