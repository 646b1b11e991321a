#!/bin/bash
# PE-CE eBGP over an IPv6 session (l3vpn-pece with site 2 renumbered: ce2 and
# pe2's VRF CUST-A peer between 2001:db8:2:1::2 and 2001:db8:2:1::1, with a
# TCP MD5 password, IPv6 unicast only). ce1's IPv6 prefix crosses the core as
# VPN-IPv6 (6VPE) and reaches ce2 over the IPv6 session with pe2's global
# address as next hop; ce2's goes the other way to ce1, which still peers
# over IPv4. IPv4 routes are not sent over the IPv6 session (no RFC 8950).
. "$(dirname "$0")/petopo_lib.sh"
pt_init s

cp -r "$TOPOS/l3vpn-pece" "$TOPOS/l3vpn-pece.yml" "$TMPD/"
# site 2's session moves to IPv6 (both ends), with a password
sed -i -e 's/neighbor 10\.2\.1\.1 remote-as 65000/neighbor 2001:db8:2:1::1 remote-as 65000\n neighbor 2001:db8:2:1::1 password s3cr3t-v6/' \
	-e 's/neighbor 10\.2\.1\.1 activate/neighbor 2001:db8:2:1::1 activate/' \
	-e '/address-family ipv4 unicast/,/exit-address-family/d' "$TMPD/l3vpn-pece/ce2.conf"
sed -i -e 's/neighbor 10\.2\.1\.2 remote-as 65102/neighbor 2001:db8:2:1::2 remote-as 65102\n neighbor 2001:db8:2:1::2 password s3cr3t-v6/' \
	-e 's/neighbor 10\.2\.1\.2 description/neighbor 2001:db8:2:1::2 description/' \
	-e 's/neighbor 10\.2\.1\.2 activate/neighbor 2001:db8:2:1::2 activate/' "$TMPD/l3vpn-pece/pe2.conf"
"$PETOPO" up --name "$T" "$TMPD/l3vpn-pece.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

check "pe2 VRF CUST-A: IPv6 session with ce2 Established" wait_json pe2 \
	"show bgp vrf CUST-A ipv6 unicast summary json" \
	'{"peers":{"2001:db8:2:1::2":{"state":"Established","remoteAs":65102}}}'
check "ce2: session with pe2 over IPv6 Established" wait_json ce2 \
	"show bgp ipv6 unicast summary json" \
	'{"peers":{"2001:db8:2:1::1":{"state":"Established","remoteAs":65000}}}'
check "pe2: the session's local address is its IPv6 address on the link" wait_json pe2 \
	"show bgp vrf CUST-A neighbors 2001:db8:2:1::2 json" \
	'{"2001:db8:2:1::2":{"hostLocal":"2001:db8:2:1::1"}}'
check "ce2 gets ce1's 2001:db8:101::/64 over the IPv6 session, next hop pe2" wait_json ce2 \
	"show bgp ipv6 unicast json" \
	'{"routes":{"2001:db8:101::/64":[{"valid":true,"path":"65000 65101","nexthops":[{"ip":"2001:db8:2:1::1"}]}]}}'
check "ce2 kernel: 2001:db8:101::/64 via 2001:db8:2:1::1" wait_kernel6 ce2 2001:db8:101::/64 \
	'^2001:db8:101::/64 via 2001:db8:2:1::1 dev eth0 proto 200'
check "no IPv4 route over the IPv6 session (no RFC 8950)" wait_json ce2 "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.1.0/24":null}}'
check "pe1's VRF has ce2's 2001:db8:102::/64 via pe2 (6VPE)" wait_json pe1 "show ipv6 route vrf CUST-A json" \
	'{"2001:db8:102::/64":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"::ffff:10.255.0.3"}]}]}'
check "ce1 kernel: 2001:db8:102::/64 via pe1's global address" wait_kernel6 ce1 2001:db8:102::/64 \
	'^2001:db8:102::/64 via 2001:db8:1:1::1 dev eth0 proto 200'
nopw() { ! "$PESH" -N pe2 -c "show bgp vrf CUST-A neighbors json" | grep -q s3cr3t; }
check "the password is in no show output" nopw

# a wrong password on one end: the session goes down and stays down
"$PESH" -N ce2 -c "conf t" -c "router bgp 65102" -c "neighbor 2001:db8:2:1::1 password wrong" >/dev/null
"$PESH" -N ce2 -c "clear bgp 2001:db8:2:1::1" >/dev/null
down() { ! "$PESH" -N pe2 -c "show bgp vrf CUST-A ipv6 unicast summary json" | grep -q '"state":"Established"'; }
check "MD5 mismatch on IPv6: session down" retry 60 down
check "and ce1's route left ce2's kernel" wait_kernel6 ce2 2001:db8:101::/64 ''
"$PESH" -N ce2 -c "conf t" -c "router bgp 65102" -c "neighbor 2001:db8:2:1::1 password s3cr3t-v6" >/dev/null
check "password fixed: Established again" wait_json pe2 "show bgp vrf CUST-A ipv6 unicast summary json" \
	'{"peers":{"2001:db8:2:1::2":{"state":"Established"}}}'

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
