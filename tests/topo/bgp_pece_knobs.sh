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
# FRR drops a looped route at input: not kept as an invalid path, not in
# pfxRcd; ped counts it in prefixesDroppedLoop
check "pe2 sent ce1's route to ce2" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"valid":true}]}}'
dropped_loop() { "$PESH" -N ce2 -c "show bgp neighbors 10.2.1.1 json" | $PY -c 'import json,sys
sys.exit(0 if json.load(sys.stdin)["10.2.1.1"]["prefixesDroppedLoop"] >= 2 else 1)'; }
check "ce2 drops ce1's IPv4 and IPv6 routes at input: its own AS 65101 in the path" retry 60 dropped_loop
check "not kept as an invalid path" wait_json ce2 "show bgp ipv4 unicast json" '{"routes":{"192.168.1.0/24":null}}'
pfx_rcd() { "$PESH" -N ce2 -c "show bgp summary json" | $PY -c 'import json,sys
d=json.load(sys.stdin)["ipv4Unicast"]["peers"]["10.2.1.1"]; print(d["pfxRcd"])'; }
rcd=$(pfx_rcd)
acc=$("$PESH" -N ce2 -c "show bgp ipv4 unicast json" | $PY -c 'import json,sys
r=json.load(sys.stdin)["routes"]; print(sum(1 for ps in r.values() for p in ps if p.get("peerId")=="10.2.1.1"))')
check "pfxRcd ($rcd) counts only the paths kept ($acc): none, the looped one is not" test "$rcd" = 0 -a "$acc" = 0
check "so it is not in ce2's kernel" kernel_lacks ce2 192.168.1.0/24

"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" -c "neighbor 10.2.1.2 as-override" >/dev/null
"$PESH" -N pe2 -c "clear bgp vrf CUST-A 10.2.1.2 soft" >/dev/null
check "as-override: ce2 gets path 65000 65000 and accepts it" wait_json ce2 "show bgp ipv4 unicast 192.168.1.0/24 json" \
	'{"paths":[{"valid":true,"aspath":{"string":"65000 65000"}}]}'
check "as-override: in ce2's kernel" retry 40 kernel_has ce2 192.168.1.0/24

"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" -c "no neighbor 10.2.1.2 as-override" >/dev/null
"$PESH" -N pe2 -c "clear bgp vrf CUST-A 10.2.1.2 soft" >/dev/null
check "without as-override again: dropped" wait_json ce2 "show bgp ipv4 unicast json" '{"routes":{"192.168.1.0/24":null}}'
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

# an iBGP CE (site 2 renumbered into the provider's AS 65000): routes
# imported from the VPN reach it with pe2 as next hop (FRR's next-hop-self
# for leaked routes), not pe1's loopback, which ce2 cannot reach
"$PESH" -N ce2 -c "conf t" -c "no router bgp 65101" -c "router bgp 65000" -c "bgp router-id 192.168.2.1" \
	-c "neighbor 10.2.1.1 remote-as 65000" -c "address-family ipv4 unicast" -c "network 192.168.2.0/24" >/dev/null
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "no neighbor 10.2.1.2" \
	-c "neighbor 10.2.1.2 remote-as internal" >/dev/null
check "pe2: iBGP CE session with ce2 Established" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast summary json" \
	'{"peers":{"10.2.1.2":{"state":"Established","remoteAs":65000}}}' 160
check "ce2 gets ce1's route from pe2 over iBGP, next hop pe2 (10.2.1.1)" wait_json ce2 "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"valid":true,"pathFrom":"internal","nexthops":[{"ip":"10.2.1.1"}]}]}}' 120
check "and installs it via pe2" retry 40 kernel_has ce2 192.168.1.0/24
check "pe1 imports ce2's route learned by pe2 over iBGP" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.3"}]}]}' 120

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
