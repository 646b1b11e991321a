#!/bin/bash
# BFD between two peds: multi-hop for iBGP between loopbacks, IPv6
# single-hop, a session in a VRF's namespace, and static routes that follow
# their BFD session.
#   ${TP}a: ped "a", loopback 10.255.0.1, 10.1.0.1/30 + 2001:db8:1::1/64 on
#           the core link, 10.2.0.1/30 on a second link that a puts in VRF CUST
#   ${TP}b: ped "b", loopback 10.255.0.2, 10.1.0.2 + 2001:db8:1::2, 10.2.0.2
# Checks: a's iBGP session to b's loopback brings up a multi-hop BFD session
# keyed on both loopbacks (dynamic, one client, minimum TTL 1 as bgpd's hop count
# of 255 makes it) and shows "multi hop" in its
# peerBfdInfo; the configured IPv6 and VRF sessions come up; `ip route
# 192.0.2.0/24 10.1.0.2 bfd profile fast` is in a's table only while its
# session is up; b losing its route to a's loopback takes the multi-hop
# session and BGP down (Cease/10) but leaves the single-hop ones up; b
# losing its route to 10.1.0.1 takes the static route's session down and
# the route out of a's table, and both come back; `no neighbor X bfd`
# removes the dynamic session; the running configuration is a fixed point.
. "$(dirname "$0")/lib.sh"
topo_init bfdp
NA="${TP}a"
NB="${TP}b"
PY=/usr/bin/python3

ip netns add "$NA" && ip netns add "$NB" || exit 1
for n in "$NA" "$NB"; do ip -n "$n" link set lo up; done
ip link add "${TP}x" netns "$NA" type veth peer name "${TP}y" netns "$NB" || exit 1
ip link add "${TP}v" netns "$NA" type veth peer name "${TP}w" netns "$NB" || exit 1
ip -n "$NA" addr add 10.255.0.1/32 dev lo
ip -n "$NB" addr add 10.255.0.2/32 dev lo
ip -n "$NA" addr add 10.1.0.1/30 dev "${TP}x"
ip -n "$NA" addr add 2001:db8:1::1/64 dev "${TP}x" nodad
ip -n "$NB" addr add 10.1.0.2/30 dev "${TP}y"
ip -n "$NB" addr add 2001:db8:1::2/64 dev "${TP}y" nodad
ip -n "$NB" addr add 10.2.0.2/30 dev "${TP}w"
for i in x v; do ip -n "$NA" link set "${TP}$i" up; done
for i in y w; do ip -n "$NB" link set "${TP}$i" up; done
ip -n "$NA" route add 10.255.0.2/32 via 10.1.0.2
ip -n "$NB" route add 10.255.0.1/32 via 10.1.0.1

cat >"$TMPD/a.conf" <<EOF
hostname a
vrf CUST
 rd 65000:1
exit-vrf
!
interface ${TP}v vrf CUST
 ip address 10.2.0.1/30
!
ip route 192.0.2.0/24 10.1.0.2 bfd profile fast
!
router bgp 65000
 bgp router-id 10.255.0.1
 neighbor 10.255.0.2 remote-as 65000
 neighbor 10.255.0.2 update-source 10.255.0.1
 neighbor 10.255.0.2 timers connect 2
 neighbor 10.255.0.2 bfd
 neighbor 10.255.0.2 bfd profile fast
!
bfd
 profile fast
  detect-multiplier 3
  transmit-interval 100
  receive-interval 100
 exit
 !
 peer 2001:db8:1::2
  profile fast
 exit
 !
 peer 10.2.0.2 vrf CUST
 exit
 !
exit
!
EOF
cat >"$TMPD/b.conf" <<EOF
hostname b
router bgp 65000
 bgp router-id 10.255.0.2
 neighbor 10.255.0.1 remote-as 65000
 neighbor 10.255.0.1 update-source 10.255.0.2
 neighbor 10.255.0.1 timers connect 2
 neighbor 10.255.0.1 bfd
 neighbor 10.255.0.1 bfd profile fast
!
bfd
 profile fast
  transmit-interval 100
  receive-interval 100
 exit
 !
 peer 10.1.0.1
  profile fast
 exit
 !
 peer 2001:db8:1::1
  profile fast
 exit
 !
 peer 10.2.0.1
 exit
 !
exit
!
EOF
start_ped "$NA" "$NA" "$TMPD/a.conf" || { fail "ped a started"; topo_done; exit 1; }
start_ped "$NB" "$NB" "$TMPD/b.conf" || { fail "ped b started"; topo_done; exit 1; }
pesh() { local n="$1"; shift; "$PESH" -N "$n" -c "$*"; }
in_table() { pesh "$NA" "show ip route json" | grep -q '"192.0.2.0/24"'; }
wait_gone() { for _ in $(seq 50); do in_table || return 0; sleep 0.1; done; return 1; }
wait_in() { for _ in $(seq 80); do in_table && return 0; sleep 0.1; done; return 1; }

check "ped -C: a's configuration is a fixed point" sh -c \
	"'$PED' -C -f '$TMPD/a.conf' > '$TMPD/a1.conf' && '$PED' -C -f '$TMPD/a1.conf' | cmp - '$TMPD/a1.conf'"
check "a: multi-hop session for the iBGP peer, keyed on both loopbacks" wait_json "$NA" \
	"show bfd peer 10.255.0.2 multihop local-address 10.255.0.1 json" \
	'{"multihop":true,"peer":"10.255.0.2","local":"10.255.0.1","status":"up","minimum-ttl":1,"peerType":"dynamic","clients":1,"transmit-interval":100}' 100
check "b: the same from its side" wait_json "$NB" "show bfd peer 10.255.0.1 multihop local-address 10.255.0.2 json" \
	'{"status":"up","peerType":"dynamic"}' 50
check "a: BGP Established, peerBfdInfo multi hop Up" wait_json "$NA" "show bgp neighbors 10.255.0.2 json" \
	'{"10.255.0.2":{"bgpState":"Established","peerBfdInfo":{"type":"multi hop","status":"Up","txMinInterval":100}}}' 100
check "a: IPv6 single-hop session up" wait_json "$NA" "show bfd peer 2001:db8:1::2 json" \
	'{"multihop":false,"peer":"2001:db8:1::2","vrf":"default","status":"up","peerType":"configured"}' 50
check "a: session in VRF CUST up" wait_json "$NA" "show bfd vrf CUST peers json" \
	'[{"peer":"10.2.0.2","vrf":"CUST","status":"up","receive-interval":300}]' 50
check "a: show bfd vrf CUST lists only that VRF" sh -c \
	"[ \"\$('$PESH' -N '$NA' -c 'show bfd vrf CUST peers json' | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')\" = 1 ]"
check "a: the static route's session (single-hop, dynamic) up" wait_json "$NA" "show bfd peer 10.1.0.2 json" \
	'{"status":"up","peerType":"dynamic","transmit-interval":100}' 50
check "a: the BFD-watched static route is in the table" wait_in
check "show running-config writes the route's bfd options" sh -c \
	"'$PESH' -N '$NA' -c 'show running-config' | grep -qx 'ip route 192.0.2.0/24 10.1.0.2 bfd profile fast'"

# b loses its route to a's loopback: the multi-hop session and BGP go down
ip -n "$NB" route replace blackhole 10.255.0.1/32
check "a: multi-hop session down (detection time expired)" wait_json "$NA" \
	"show bfd peer 10.255.0.2 multihop local-address 10.255.0.1 json" \
	'{"status":"down","diagnostic":"control detection time expired"}' 20
check "a: BGP reset by BFD (Cease/10)" wait_json "$NA" "show bgp neighbors 10.255.0.2 json" \
	'{"10.255.0.2":{"peerBfdInfo":{"status":"Down"}}}' 20
check "a: last error names BFD" sh -c "'$PESH' -N '$NA' -c 'show bgp neighbors 10.255.0.2 json' | grep -q 'Cease/BFD Down'"
check "a: the single-hop sessions stay up" wait_json "$NA" "show bfd peer 10.1.0.2 json" '{"status":"up"}' 1
check "a: the static route stays" in_table
ip -n "$NB" route replace 10.255.0.1/32 via 10.1.0.1
check "a: multi-hop session up again" wait_json "$NA" \
	"show bfd peer 10.255.0.2 multihop local-address 10.255.0.1 json" '{"status":"up"}' 50
check "a: BGP Established again" wait_json "$NA" "show bgp neighbors 10.255.0.2 json" \
	'{"10.255.0.2":{"bgpState":"Established"}}' 100

# b loses its route to 10.1.0.1: the static route goes with its session
ip -n "$NB" route add blackhole 10.1.0.1/32
check "a: the static route's session down" wait_json "$NA" "show bfd peer 10.1.0.2 json" '{"status":"down"}' 20
check "a: the static route left the table" wait_gone
ip -n "$NB" route del blackhole 10.1.0.1/32
check "a: the static route's session up again" wait_json "$NA" "show bfd peer 10.1.0.2 json" '{"status":"up"}' 50
check "a: the static route is back" wait_in

# configuration changes
"$PESH" -N "$NA" -c "configure terminal" -c "router bgp 65000" -c "no neighbor 10.255.0.2 bfd" >/dev/null
check "a: no neighbor bfd removes the dynamic session" sh -c \
	"! '$PESH' -N '$NA' -c 'show bfd peers json' | grep -q '10.255.0.1'"
check "a: peerBfdInfo gone" wait_json "$NA" "show bgp neighbors 10.255.0.2 json" '{"10.255.0.2":{"peerBfdInfo":null}}' 5
"$PESH" -N "$NA" -c "configure terminal" -c "no ip route 192.0.2.0/24 10.1.0.2" >/dev/null
check "a: removing the route removes its session" sh -c \
	"! '$PESH' -N '$NA' -c 'show bfd peers json' | grep -q '\"10.1.0.2\"'"
check "bad input: a multi-hop peer without local-address is refused" sh -c \
	"'$PESH' -N '$NA' -c 'configure terminal' -c 'bfd' -c 'peer 10.9.9.9 multihop' | grep -q 'multihop sessions need a local-address'"
check "bad input: an unknown VRF is refused" sh -c \
	"'$PESH' -N '$NA' -c 'configure terminal' -c 'bfd' -c 'peer 10.9.9.9 vrf NOPE' | grep -q 'VRF NOPE does not exist'"
check "bad input: echo mode is refused with a reason" sh -c \
	"'$PESH' -N '$NA' -c 'configure terminal' -c 'bfd' -c 'peer 2001:db8:1::2' -c 'echo-mode' | grep -q 'Echo mode is not supported'"
check "bad input: minimum-ttl on a single-hop peer is refused" sh -c \
	"'$PESH' -N '$NA' -c 'configure terminal' -c 'bfd' -c 'peer 2001:db8:1::2' -c 'minimum-ttl 10' | grep -q 'only available for multi hop'"
check "bad input: bfd on a route without a gateway is refused" sh -c \
	"'$PESH' -N '$NA' -c 'configure terminal' -c 'ip route 198.51.100.0/24 blackhole bfd' | grep -q 'needs a gateway'"

topo_done
