#!/bin/bash
# aggregate-address in a VRF (FRR's bgp_vpnv4_ebgp does this), on
# l3vpn-pece: ce1 announces 192.168.1.0/24 and 192.168.201.0/24 to pe1's VRF
# CUST-A; `aggregate-address 192.168.0.0/16 summary-only` there exports the
# aggregate to the VPN and keeps the more specifics out of it: pe2's VRF and
# ce2 see 192.168.0.0/16 alone, while pe1's VRF keeps ce1's routes. Without
# the aggregate the more specifics come back.
. "$(dirname "$0")/petopo_lib.sh"
pt_init a

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-pece.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

check "pe2's VRF has ce1's 192.168.1.0/24 through the VPN" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":[{"valid":true}]}}' 150
"$PESH" -N ce1 -c "conf t" -c "ip route 192.168.201.0/24 blackhole" -c "router bgp 65101" -c "address-family ipv4 unicast" -c "network 192.168.201.0/24" >/dev/null
check "and 192.168.201.0/24" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.201.0/24":[{"valid":true}]}}' 150

"$PESH" -N pe1 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" \
	-c "aggregate-address 192.168.0.0/16 summary-only" >/dev/null
check "pe1's VRF: the aggregate, and ce1's routes kept" wait_json pe1 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.0.0/16":[{"valid":true}],"192.168.1.0/24":[{"valid":true}],"192.168.201.0/24":[{"valid":true}]}}'
check "pe2's VRF: the aggregate from the VPN, not the more specifics" wait_json pe2 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.0.0/16":[{"valid":true}],"192.168.1.0/24":null,"192.168.201.0/24":null}}' 150
check "pe2's VPN table: 192.168.0.0/16 under RD 65000:1" wait_json pe2 "show bgp ipv4 vpn rd 65000:1 192.168.0.0/16 json" \
	'{"65000:1":{"paths":[{"valid":true}]}}'
check "ce2 gets the aggregate alone" wait_json ce2 "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.0.0/16":[{"valid":true}],"192.168.1.0/24":null,"192.168.201.0/24":null}}' 150

"$PESH" -N pe1 -c "conf t" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" \
	-c "no aggregate-address 192.168.0.0/16" >/dev/null
check "no aggregate-address: the more specifics are back at pe2, the aggregate gone" wait_json pe2 \
	"show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.0.0/16":null,"192.168.1.0/24":[{"valid":true}],"192.168.201.0/24":[{"valid":true}]}}' 150

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
