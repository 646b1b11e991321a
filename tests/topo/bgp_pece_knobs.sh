#!/bin/bash
# PE-CE knobs (l3vpn-pece with both customer sites in the same AS 65101, as
# many enterprises number their sites): without help, ce2 drops ce1's route
# (its own AS in the path); `as-override` on pe2 or `allowas-in` on ce2 makes
# it accept; a Site of Origin shared by both attachments keeps the route out
# of the "same" site, and is carried in the VPN route.
. "$(dirname "$0")/petopo_lib.sh"
pt_init k

kernel_has() { "$PETOPO" exec "$T:$1" -- ip route show "$2" | grep -q "proto 200"; }
kernel_lacks() { ! kernel_has "$@"; }

# the shipped topology, with site 2 renumbered into AS 65101
cp -r "$TOPOS/l3vpn-pece" "$TOPOS/l3vpn-pece.yml" "$TMPD/"
sed -i 's/65102/65101/g' "$TMPD/l3vpn-pece/ce2.conf" "$TMPD/l3vpn-pece/pe2.conf"
"$PETOPO" up --name "$T" "$TMPD/l3vpn-pece.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

check "pe2: CE session with ce2 (AS 65101) Established" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast summary json" \
	'{"peers":{"10.2.1.2":{"state":"Established","remoteAs":65101}}}'
check "pe2's VRF has ce1's route via the VPN" wait_json pe2 "show ip route vrf CUST-A json" '{"192.168.1.0/24":[{"protocol":"bgp"}]}'
check "ce2 rejects it: its own AS 65101 in the path" wait_json ce2 "show bgp ipv4 unicast 192.168.1.0/24 json" \
	'{"paths":[{"valid":false,"notUsedReason":"as-path, originator or cluster loop"}]}'
check "so it is not in ce2's kernel" kernel_lacks ce2 192.168.1.0/24

"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" -c "neighbor 10.2.1.2 as-override" >/dev/null
"$PESH" -N pe2 -c "clear bgp vrf CUST-A 10.2.1.2 soft" >/dev/null
check "as-override: ce2 gets path 65000 65000 and accepts it" wait_json ce2 "show bgp ipv4 unicast 192.168.1.0/24 json" \
	'{"paths":[{"valid":true,"aspath":{"string":"65000 65000"}}]}'
check "as-override: in ce2's kernel" retry 40 kernel_has ce2 192.168.1.0/24

"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" -c "no neighbor 10.2.1.2 as-override" >/dev/null
"$PESH" -N pe2 -c "clear bgp vrf CUST-A 10.2.1.2 soft" >/dev/null
check "without as-override again: rejected" wait_json ce2 "show bgp ipv4 unicast 192.168.1.0/24 json" '{"paths":[{"valid":false}]}'
"$PESH" -N ce2 -c "conf t" -c "router bgp 65101" -c "address-family ipv4 unicast" -c "neighbor 10.2.1.1 allowas-in 1" >/dev/null
"$PESH" -N ce2 -c "clear bgp 10.2.1.1" >/dev/null
check "allowas-in 1 on ce2: path 65000 65101 accepted" wait_json ce2 "show bgp ipv4 unicast 192.168.1.0/24 json" \
	'{"paths":[{"valid":true,"aspath":{"string":"65000 65101"}}]}' 120
check "allowas-in: in ce2's kernel" retry 40 kernel_has ce2 192.168.1.0/24

# Site of Origin: both attachments say they are site 65000:7
"$PESH" -N pe1 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" -c "neighbor 10.1.1.2 soo 65000:7" >/dev/null
"$PESH" -N pe1 -c "clear bgp vrf CUST-A 10.1.1.2" >/dev/null
check "pe1 tags ce1's route with SoO:65000:7 in the VPN" wait_json pe2 "show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	'{"65000:1":{"paths":[{"extendedCommunity":{"string":"SoO:65000:7 RT:65000:1"}}]}}' 120
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" -c "neighbor 10.2.1.2 soo 65000:7" >/dev/null
"$PESH" -N pe2 -c "clear bgp vrf CUST-A 10.2.1.2 soft" >/dev/null
check "pe2 does not send a site-65000:7 route to a site-65000:7 CE" wait_json ce2 "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":null}}'
check "and ce2's kernel lost it" retry 40 kernel_lacks ce2 192.168.1.0/24

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
