#!/bin/bash
# MP-BGP between two ped PEs (l3vpn-basic): VPNv4 over iBGP between the
# loopbacks, two customers with the very same prefixes, each VRF importing
# only its route target. Checks that routes appear with RD, label and RT,
# land only in their own VRF on the remote PE, and go away when withdrawn.
. "$(dirname "$0")/petopo_lib.sh"
pt_init b


"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

check "pe1: VPNv4 session with pe2 Established" wait_json pe1 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.255.0.3":{"state":"Established","remoteAs":65000}}}'
check "pe2: VPNv4 session with pe1 Established" wait_json pe2 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.255.0.1":{"state":"Established"}}}'

# both customers' 192.168.2.0/24 (site 2) reach pe1's VPN table under their own RDs
check "pe1 VPN table: 192.168.2.0/24 under both RDs, from pe2" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.2.0/24":[{"valid":true,"bestpath":true,"pathFrom":"internal","peerId":"10.255.0.3","nexthops":[{"ip":"10.255.0.3"}]}]},
	  "65000:2":{"192.168.2.0/24":[{"valid":true,"bestpath":true,"peerId":"10.255.0.3"}]}}}}'
check "pe1: label and route target of CUST-A's route" wait_json pe1 "show bgp ipv4 vpn rd 65000:1 192.168.2.0/24 json" \
	'{"65000:1":{"prefix":"192.168.2.0/24","paths":[{"extendedCommunity":{"string":"RT:65000:1"},"bestpath":{"overall":true},"nexthops":[{"ip":"10.255.0.3","accessible":true}]}]}}'
lblA=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:1 192.168.2.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:1"]["paths"][0]["remoteLabel"])')
lblB=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:2 192.168.2.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:2"]["paths"][0]["remoteLabel"])')
check "the two customers' routes carry different labels ($lblA, $lblB)" test -n "$lblA" -a -n "$lblB" -a "$lblA" != "$lblB"
check "pe2 allocated those labels to its VRFs" wait_json pe2 "show mpls label allocation json" \
	"{\"labels\":{\"$lblA\":{\"client\":\"bgp\",\"purpose\":\"vrf CUST-A\"},\"$lblB\":{\"client\":\"bgp\",\"purpose\":\"vrf CUST-B\"}}}"

# each VRF on pe1 imports only its own customer's routes
check "pe1 VRF CUST-A: 192.168.2.0/24 via pe2 with CUST-A's label" wait_json pe1 "show ip route vrf CUST-A json" \
	"{\"192.168.2.0/24\":[{\"protocol\":\"bgp\",\"selected\":true,\"nexthops\":[{\"ip\":\"10.255.0.3\",\"vrf\":\"default\",\"labels\":[$lblA]}]}],\"192.168.1.0/24\":[{\"protocol\":\"static\"}]}"
check "pe1 VRF CUST-B: 192.168.2.0/24 with CUST-B's label" wait_json pe1 "show ip route vrf CUST-B json" \
	"{\"192.168.2.0/24\":[{\"protocol\":\"bgp\",\"nexthops\":[{\"ip\":\"10.255.0.3\",\"labels\":[$lblB]}]}]}"
check "pe1 BGP VRF table CUST-A: imported path" wait_json pe1 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"192.168.2.0/24":[{"valid":true,"bestpath":true,"importedFrom":"vpn","pathFrom":"external","peerId":"(unspec)","nhVrfName":"default","nhVrfId":0}],"192.168.1.0/24":[{"pathFrom":"external","peerId":"(unspec)","weight":32768}]}}'
check "default VRF has no customer route" wait_json pe1 "show ip route json" '{"192.168.2.0/24":null}'

# FRR's short forms and the fields its topotests read
check "pe1: show bgp vrf CUST-A ipv4 PREFIX json (no unicast): leaked path, FRR's fields" wait_json pe1 \
	"show bgp vrf CUST-A ipv4 192.168.2.0/24 json" \
	'{"prefix":"192.168.2.0/24","advertisedTo":{},"paths":[{"valid":true,"pathFrom":"external","peerId":"(unspec)","nhVrfName":"default","nhVrfId":0,"weight":0,"aspath":{"string":"Local","segments":[],"length":0},"peer":{"peerId":"0.0.0.0","routerId":"10.255.0.1"}}]}'
check "pe1: its own export in the VPN table: weight 32768, from CUST-A, advertised to pe2" wait_json pe1 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	'{"65000:1":{"advertisedTo":{"10.255.0.3":{}},"paths":[{"pathFrom":"external","peerId":"(unspec)","weight":32768,"nhVrfName":"CUST-A","peer":{"peerId":"0.0.0.0"}}]}}'
check "pe2: pe1's route from an internal peer (peer{}, no nhVrfName)" wait_json pe2 \
	"show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" \
	'{"65000:1":{"paths":[{"pathFrom":"internal","peerId":"10.255.0.1","nhVrfName":null,"weight":0,"peer":{"peerId":"10.255.0.1","routerId":"10.255.0.1","type":"internal"}}]}}'
check "pe2: show mpls table $lblA json: that LSP alone (CUST-A's label)" wait_json pe2 "show mpls table $lblA json" \
	"{\"inLabel\":$lblA,\"vrf\":\"CUST-A\",\"nexthops\":[{\"action\":\"pop-lookup\"}]}"
check "pe2: show mpls table of a label not in use: {}" test "$("$PESH" -N pe2 -c "show mpls table 1048575 json")" = "{
}"

# withdrawal: CUST-A's site-2 route goes away on pe2; CUST-B's stays
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "no ip route 192.168.2.0/24 10.2.1.2" >/dev/null
check "withdrawn from pe1's VPN table (RD 65000:1)" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:1":{"192.168.2.0/24":null},"65000:2":{"192.168.2.0/24":[{"valid":true}]}}}}'
check "gone from pe1 VRF CUST-A" wait_json pe1 "show ip route vrf CUST-A json" '{"192.168.2.0/24":null}'
check "still in pe1 VRF CUST-B" wait_json pe1 "show ip route vrf CUST-B json" '{"192.168.2.0/24":[{"protocol":"bgp"}]}'
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "ip route 192.168.2.0/24 10.2.1.2" >/dev/null
check "re-announced" wait_json pe1 "show ip route vrf CUST-A json" '{"192.168.2.0/24":[{"protocol":"bgp"}]}'

# an RT change re-evaluates imports: CUST-A on pe1 stops importing 65000:1
"$PESH" -N pe1 -c "conf t" -c "vrf CUST-A" -c "no route-target import 65000:1" >/dev/null
check "import RT removed: CUST-A loses the remote route" wait_json pe1 "show ip route vrf CUST-A json" '{"192.168.2.0/24":null}'

# an RD change re-originates: pe2's CUST-B moves to RD 65000:22
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-B" -c "rd 65000:22" >/dev/null
check "RD change: pe1 sees CUST-B's routes under 65000:22 only" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:22":{"192.168.2.0/24":[{"valid":true}]},"65000:2":{"192.168.2.0/24":null}}}}'
check "and still imports them into CUST-B (same RT)" wait_json pe1 "show ip route vrf CUST-B json" '{"192.168.2.0/24":[{"protocol":"bgp"}]}'

# no export route target: the VRF's routes leave the VPN table (FRR); back with one
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-B" -c "no route-target export 65000:2" >/dev/null
check "export RT removed: pe2's CUST-B routes withdrawn from pe1" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:22":null}}}'
check "export RT removed: pe2 no longer exports them itself" wait_json pe2 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:22":null}}}'
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-B" -c "route-target export 65000:2" >/dev/null
check "export RT back: pe1 imports CUST-B's route again" wait_json pe1 "show ip route vrf CUST-B json" '{"192.168.2.0/24":[{"protocol":"bgp"}]}'

# label allocation modes on pe2's CUST-B: per-prefix, then per-nexthop, then back
lbl_of() { # lbl_of NODE RD PREFIX
	"$PESH" -N "$1" -c "show bgp ipv4 vpn rd $2 $3 json" | $PY -c 'import json,sys
d=json.load(sys.stdin); print([p for p in list(d.values())[0]["paths"] if p["bestpath"]["overall"]][0]["remoteLabel"])' 2>/dev/null
}
vrfB=$(lbl_of pe1 65000:22 192.168.2.0/24)
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-B" -c "address-family ipv4 unicast" \
	-c "label vpn export allocation-mode per-prefix" >/dev/null
# (the VRF labels of CUST-A and CUST-B, and CUST-B's four prefixes: two IPv4,
# two IPv6 since l3vpn-basic is dual stack)
check "per-prefix: pe2 allocates a label per exported prefix of CUST-B" wait_json pe2 "show mpls label allocation json" \
	'{"counts":{"bgp":6}}'
check "per-prefix: IPv6 prefixes get theirs too" sh -c "'$PESH' -N pe2 -c 'show mpls label allocation json' | grep -q '\"vrf CUST-B prefix 2001:db8:2::/48\"'"
sleep 1
l1=$(lbl_of pe1 65000:22 192.168.2.0/24); l2=$(lbl_of pe1 65000:22 10.2.1.0/24)
check "per-prefix: pe1 sees two different labels ($l1, $l2), neither the VRF label $vrfB" \
	test -n "$l1" -a -n "$l2" -a "$l1" != "$l2" -a "$l1" != "$vrfB" -a "$l2" != "$vrfB"
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-B" -c "address-family ipv4 unicast" \
	-c "label vpn export allocation-mode per-nexthop" >/dev/null
# (the two VRF labels, one for ce2b's IPv4 address, one for its IPv6 one)
check "per-nexthop: the static route via the CE gets the CE's label" wait_json pe2 "show mpls label allocation json" \
	'{"counts":{"bgp":4}}'
check "per-nexthop: ce2b's IPv6 next hop has its own label" sh -c "'$PESH' -N pe2 -c 'show mpls label allocation json' | grep -q '\"vrf CUST-B nexthop 2001:db8:2:1::2\"'"
sleep 1
l1=$(lbl_of pe1 65000:22 192.168.2.0/24); l2=$(lbl_of pe1 65000:22 10.2.1.0/24)
check "per-nexthop: connected route keeps the VRF label ($l2 = $vrfB), the CE route has its own ($l1)" \
	test "$l2" = "$vrfB" -a -n "$l1" -a "$l1" != "$vrfB"
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-B" -c "address-family ipv4 unicast" \
	-c "no label vpn export allocation-mode" >/dev/null
check "back to per-VRF: the extra labels are released" wait_json pe2 "show mpls label allocation json" \
	'{"counts":{"bgp":2}}'

# no label vpn export: FRR keeps exporting, with implicit null (3) as the VPN
# label; pe2 releases CUST-B's VRF label, pe1 pushes only the transport label
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-B" -c "address-family ipv4 unicast" \
	-c "no label vpn export" >/dev/null
check "no label vpn export: CUST-B's VRF label released on pe2" wait_json pe2 "show mpls label allocation json" \
	'{"counts":{"bgp":1}}'
check "no label vpn export: still exported, label 3 (implicit null)" wait_json pe1 "show bgp ipv4 vpn rd 65000:22 192.168.2.0/24 json" \
	'{"65000:22":{"paths":[{"valid":true,"remoteLabel":3}]}}'
check "no label vpn export: imported into pe1's CUST-B with no VPN label" wait_json pe1 "show ip route vrf CUST-B json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.3","labels":null}]}]}'
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000 vrf CUST-B" -c "address-family ipv4 unicast" \
	-c "label vpn export auto" >/dev/null
relabel() { l=$(lbl_of pe1 65000:22 192.168.2.0/24); [ -n "$l" ] && [ "$l" -ge 16 ]; }
check "label vpn export auto again: a real label" retry 60 relabel

# maximum-prefix: pe2 sends more VPN routes than pe1 accepts -> Cease, and the
# session stays down until cleared
"$PESH" -N pe1 -c "conf t" -c "router bgp 65000" -c "address-family ipv4 vpn" -c "neighbor 10.255.0.3 maximum-prefix 2" >/dev/null
"$PESH" -N pe1 -c "clear bgp 10.255.0.3" >/dev/null
check "maximum-prefix 2: pe1 drops the session and stays down" wait_json pe1 "show bgp neighbors 10.255.0.3 json" \
	'{"10.255.0.3":{"bgpState":"Idle"}}' 80
sleep 6
check "still down after the idle hold time" wait_json pe1 "show bgp ipv4 vpn summary json" '{"peers":{"10.255.0.3":{"state":"Idle"}}}' 2
lasterr=$("$PESH" -N pe1 -c "show bgp neighbors 10.255.0.3 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["10.255.0.3"].get("lastErrorCodeSubcode",""))')
check "pe1 sent Cease 6/1 (maximum number of prefixes reached): $lasterr" test "${lasterr#sent NOTIFICATION 6/1}" != "$lasterr"
"$PESH" -N pe1 -c "conf t" -c "router bgp 65000" -c "address-family ipv4 vpn" -c "no neighbor 10.255.0.3 maximum-prefix" >/dev/null
"$PESH" -N pe1 -c "clear bgp 10.255.0.3" >/dev/null
check "cleared: Established again" wait_json pe1 "show bgp ipv4 vpn summary json" '{"peers":{"10.255.0.3":{"state":"Established"}}}' 80

# with LDP running, VPN next hops need a labelled path: pe1 stops LDP on its
# core link -> pe2's routes become unusable; the knob turns that off
ldp_lsp_to_pe2() {
	"$PESH" -N pe1 -c "show mpls table json" | $PY -c 'import json,sys
t=json.load(sys.stdin)
sys.exit(0 if any(nh.get("nexthop")=="10.0.12.2" for e in t.values() for nh in e.get("nexthops",[])) else 1)'
}
check "pe1 has an LDP LSP through p1 (LFIB entry toward 10.0.12.2)" retry 120 ldp_lsp_to_pe2
only_binding() {
	"$PESH" -N pe1 -c "show mpls ldp binding 10.255.0.3/32 json" | $PY -c 'import json,sys
b=json.load(sys.stdin)["bindings"]
sys.exit(0 if b and all(r["prefix"]=="10.255.0.3/32" for r in b) and any(r["neighborId"]=="10.255.0.2" and r["remoteLabel"]!="-" for r in b) else 1)'
}
check "pe1: show mpls ldp binding 10.255.0.3/32 json: that FEC alone, p1's label" retry 40 only_binding
check "pe1: show mpls ldp binding 10.255.0.3/32 detail json" wait_json pe1 "show mpls ldp binding 10.255.0.3/32 detail json" \
	'{"10.255.0.3/32":{"remoteLabels":[{"neighborId":"10.255.0.2"}]}}'
check "pe1: a FEC LDP does not know: no bindings" wait_json pe1 "show mpls ldp binding 10.99.99.0/24 json" '{"bindings":[]}'
"$PESH" -N pe1 -c "conf t" -c "mpls ldp" -c "address-family ipv4" -c "no interface eth3" >/dev/null
check "no labelled path: pe2's route is not usable on pe1" wait_json pe1 "show bgp ipv4 vpn rd 65000:22 192.168.2.0/24 json" \
	'{"65000:22":{"paths":[{"valid":false,"nexthops":[{"accessible":false}]}]}}' 120
check "and leaves pe1's VRF" wait_json pe1 "show ip route vrf CUST-B json" '{"192.168.2.0/24":null}'
"$PESH" -N pe1 -c "conf t" -c "router bgp 65000" -c "no bgp labelled-nexthop-resolution" >/dev/null
check "no bgp labelled-nexthop-resolution: usable through the plain core route" wait_json pe1 "show ip route vrf CUST-B json" \
	'{"192.168.2.0/24":[{"protocol":"bgp"}]}'
"$PESH" -N pe1 -c "conf t" -c "router bgp 65000" -c "bgp labelled-nexthop-resolution" >/dev/null
"$PESH" -N pe1 -c "conf t" -c "mpls ldp" -c "address-family ipv4" -c "interface eth3" >/dev/null
check "LDP back: usable again through the labelled path" wait_json pe1 "show bgp ipv4 vpn rd 65000:22 192.168.2.0/24 json" \
	'{"65000:22":{"paths":[{"valid":true,"nexthops":[{"accessible":true}]}]}}' 160

# session down: every route learned from the peer goes
"$PESH" -N pe2 -c "conf t" -c "router bgp 65000" -c "neighbor 10.255.0.1 shutdown" >/dev/null
check "pe1 sees the session down" wait_json pe1 "show bgp ipv4 vpn summary json" '{"peers":{"10.255.0.3":{"state":"Active"}}}' 80
check "pe1's VPN table lost pe2's routes" wait_json pe1 "show bgp ipv4 vpn json" '{"routes":{"routeDistinguishers":{"65000:2":{"192.168.2.0/24":null}}}}'
check "pe1 VRF CUST-B lost them" wait_json pe1 "show ip route vrf CUST-B json" '{"192.168.2.0/24":null}'

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
