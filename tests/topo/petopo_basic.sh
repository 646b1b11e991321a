#!/bin/bash
# petopo on the shipped l3vpn-basic topology: up; every namespace, link and
# address exists; GRO is on at both ends of every link (ped's XDP redirects
# into a veth need it on the peer); the two ends of every link ping each
# other; pesh reaches ped by node name; status shows every daemon alive; exec
# passes the exit status; audit is one valid JSON document; a second topology
# with the same ped node names and a second up are refused without creating
# anything; down leaves nothing (namespaces, recorded pids, state, control
# sockets); zebra and ospfd run beside ped on pe1, p1 and pe2, the loopbacks
# come from OSPF and ped shows them. Then dual stack (tests/data/topo/dualstack.yml): IPv4 and IPv6
# addresses on every link end and loopback, IPv6 ones usable at once (no
# duplicate address detection) beside the kernel's link-local ones; each end
# pings the other with ping -6 and ping -4; host routes of both families and
# IPv6 forwarding carry h1's pings to h2 through r1; status and the audit
# list IPv6 beside IPv4; down leaves nothing.
. "$(dirname "$0")/petopo_lib.sh"
pt_init b

t0=$(date +%s%N)
"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1
rc=$?
t1=$(date +%s%N)
check "petopo up l3vpn-basic succeeds" test $rc -eq 0
[ $rc -eq 0 ] || { cat "$TMPD/up.out"; pt_done; exit 1; }
echo "# up took $(((t1 - t0) / 1000000)) ms"

for n in pe1 p1 pe2 ce1a ce1b ce2a ce2b; do
	check "namespace $T-$n exists" ip netns exec "$T-$n" true
done
for v in pe1-CUST-A pe1-CUST-B pe2-CUST-A pe2-CUST-B; do
	check "VRF namespace $T-$v exists" ip netns exec "$T-$v" true
done

"$PETOPO" status "$T" --json >"$TMPD/status.json"
check "status --json is valid JSON" $PY -m json.tool "$TMPD/status.json"
check "status: every daemon alive (zebra and ospfd beside ped on the core nodes)" $JSONCMP \
	'{"phase":"up","nodes":{"pe1":{"kind":"ped","daemons":[{"name":"zebra","alive":true},{"name":"ospfd","alive":true},{"name":"ped","alive":true}]},
	  "p1":{"daemons":[{"name":"zebra","alive":true},{"name":"ospfd","alive":true},{"name":"ped","alive":true}]},
	  "pe2":{"daemons":[{"name":"zebra","alive":true},{"name":"ospfd","alive":true},{"name":"ped","alive":true}]},
	  "ce2b":{"daemons":[{"name":"ped","alive":true}]},
	  "ce1a":{"kind":"host","netns":"'"$T"'-ce1a","netnsExists":true}}}' <"$TMPD/status.json"
check "status: 6 links" $PY -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["links"]) == 6' "$TMPD/status.json"

# For every link end: the namespace holding it (the VRF's for interfaces ped
# moved), its interface and address; then each end pings the other.
$PY - "$TMPD/status.json" "$T" >"$TMPD/ends" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
for l in s["links"]:
    e = l["endpoints"]
    for a, b in ((e[0], e[1]), (e[1], e[0])):
        ns = a["netns"] + ("-" + a["vrf"] if "vrf" in a else "")
        print(ns, a["ifname"], a["addresses"][0], b["addresses"][0].split("/")[0])
PYEOF
check "link ends listed" test "$(wc -l <"$TMPD/ends")" -eq 12
while read -r ns ifn addr peer; do
	check "$ns $ifn has $addr" retry 20 sh -c "ip -n $ns -br addr show $ifn | grep -q ' $addr'"
	check "$ns $ifn has GRO on" sh -c "ip netns exec $ns ethtool -k $ifn | grep -qx 'generic-receive-offload: on'"
	check "$ns $ifn has transmit checksum offload off" sh -c "ip netns exec $ns ethtool -k $ifn | grep -qx 'tx-checksumming: off'"
	check "$ns ($ifn) pings $peer" retry 8 ip netns exec "$ns" ping -c1 -W1 "$peer"
done <"$TMPD/ends"
check "pe1 has its loopback" sh -c "ip -n $T-pe1 -br addr show lo | grep -q 10.255.0.1/32"
check "ce1a has 192.168.1.1/24 on lo" sh -c "ip -n $T-ce1a -br addr show lo | grep -q 192.168.1.1/24"
check "ce1b has the same 192.168.1.1/24" sh -c "ip -n $T-ce1b -br addr show lo | grep -q 192.168.1.1/24"
check "ce2a default route via its PE" sh -c "ip -n $T-ce2a route show default | grep -q 'via 10.2.1.1'"
check "ip_forward on in pe1" sh -c "test \$(ip netns exec $T-pe1 cat /proc/sys/net/ipv4/ip_forward) = 1"
check "ip_forward off in pe1's VRF CUST-A" sh -c "test \$(ip netns exec $T-pe1-CUST-A cat /proc/sys/net/ipv4/ip_forward) = 0"
check "ip_forward off on host ce1a" sh -c "test \$(ip netns exec $T-ce1a cat /proc/sys/net/ipv4/ip_forward) = 0"
check "core: pe1 loopback reaches pe2 loopback through p1 (OSPF)" \
	retry 40 ip netns exec "$T-pe1" ping -c1 -W1 -I 10.255.0.1 10.255.0.3
check "core: ospfd on pe1 is fully adjacent with p1 over eth3" vty_json_at "$PETOPO_RUNDIR/$T/pe1" \
	'show ip ospf neighbor json' '{"neighbors":{"10.255.0.2":[{"ifaceName":"eth3:10.0.12.1"}]}}'
check "core: the kernel of pe1 has pe2's loopback from OSPF" \
	sh -c "ip -n $T-pe1 route show 10.255.0.3 proto ospf | grep -q 'via 10.0.12.2 dev eth3'"
check "pesh -N pe1: show ip route has the other loopbacks, OSPF-learned from the kernel" \
	wait_json pe1 'show ip route json' \
	'{"10.255.0.2/32":[{"protocol":"ospf","selected":true,"nexthops":[{"ip":"10.0.12.2","interfaceName":"eth3"}]}],
	  "10.255.0.3/32":[{"protocol":"ospf","selected":true}],"10.0.23.0/24":[{"protocol":"ospf"}]}'
check "pesh -N p1: both PE loopbacks from OSPF" wait_json p1 'show ip route json' \
	'{"10.255.0.1/32":[{"protocol":"ospf"}],"10.255.0.3/32":[{"protocol":"ospf"}]}'

check "pesh -N pe1: show vrf json has CUST-A and CUST-B" retry 10 sh -c \
	"'$PESH' -N pe1 -c 'show vrf json' | $JSONCMP '{\"vrfs\":{\"CUST-A\":{\"rd\":\"65000:1\",\"netns\":\"$T-pe1-CUST-A\"},\"CUST-B\":{\"rd\":\"65000:2\",\"netns\":\"$T-pe1-CUST-B\"}}}'"
check "pesh -N pe2: CE prefix in both VRFs (static for A, eBGP from ce2b for B)" retry 120 sh -c \
	"'$PESH' -N pe2 -c 'show ip route vrf all json' | $JSONCMP '{\"CUST-A\":{\"192.168.2.0/24\":[{\"protocol\":\"static\"}]},\"CUST-B\":{\"192.168.2.0/24\":[{\"protocol\":\"bgp\"}]}}'"

"$PETOPO" exec ce1a -- sh -c 'exit 7'
check "exec passes the exit status" test $? -eq 7
check "exec NAME:NODE" "$PETOPO" exec "$T:ce2b" -- ping -c1 -W2 10.2.1.1
check "exec --vrf runs in the VRF namespace" sh -c "'$PETOPO' exec --vrf CUST-B pe1 -- ip -br addr | grep -q '^eth2'"
"$PETOPO" exec nosuchnode -- true >/dev/null 2>&1
check "exec on an unknown node fails" test $? -ne 0

"$PETOPO" audit "$T" --out "$TMPD/audit.json"
check "audit exits 0" test $? -eq 0
check "audit is one JSON document with every router" $JSONCMP \
	'{"schemaVersion":1,"topology":"'"$T"'","nodes":{"pe1":{"kind":"ped","commands":{"show vrf json":{"vrfs":{"CUST-A":{},"CUST-B":{}}},"show ip route vrf all json":{"CUST-A":{}}}},
	  "p1":{"kind":"ped","commands":{"show vrf json":{}}},"pe2":{"commands":{"show ip route vrf all json":{"CUST-B":{"192.168.2.0/24":[]}}}},"ce1a":null}}' <"$TMPD/audit.json"
check "audit of the dual-stack l3vpn-basic has pe1's IPv6 routes per VRF" $JSONCMP \
	'{"nodes":{"pe1":{"commands":{"show ipv6 route vrf all json":{"CUST-A":{"2001:db8:1:1::/64":[{"protocol":"connected"}]},"CUST-B":{}}}}}}' <"$TMPD/audit.json"
check "audit of pe1 has ospfd's neighbors beside ped's own commands" $JSONCMP \
	'{"nodes":{"pe1":{"commands":{"show ip ospf neighbor json":{"neighbors":{"10.255.0.2":[{}]}},"show vrf json":{}}}}}' <"$TMPD/audit.json"
check "audit has a time stamp" $PY -c 'import json,sys,datetime; datetime.datetime.strptime(json.load(open(sys.argv[1]))["time"], "%Y-%m-%dT%H:%M:%S.%fZ")' "$TMPD/audit.json"

# refusals: nothing created by them
"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/again.out" 2>&1
check "a second up of the same topology is refused" test $? -ne 0
check "the refusal says how to proceed" grep -q "already up" "$TMPD/again.out"
"$PETOPO" up --name "${T}x" "$TOPOS/l3vpn-basic.yml" >"$TMPD/clash.out" 2>&1
check "a topology with the same ped node names is refused" test $? -ne 0
check "the refusal names the node and the socket" grep -q "node pe1: a ped already answers" "$TMPD/clash.out"
check "the refused topology created nothing" nothing_left "${T}x"

pt_pids "$T" >"$TMPD/pids"
check "10 daemons recorded (ped on pe1 p1 pe2 ce2b, zebra and ospfd on pe1 p1 pe2)" \
	test "$(wc -l <"$TMPD/pids")" -eq 10
t0=$(date +%s%N)
"$PETOPO" down "$T"
rc=$?
t1=$(date +%s%N)
check "petopo down succeeds" test $rc -eq 0
echo "# down took $(((t1 - t0) / 1000000)) ms"
check "nothing left: namespaces, state" nothing_left "$T"
check "nothing left: no recorded pid alive" pids_gone <"$TMPD/pids"
check "nothing left: ped control socket directories" sh -c "! ls '$PE_RUNDIR'/pe1 '$PE_RUNDIR'/p1 '$PE_RUNDIR'/pe2 2>/dev/null"
"$PETOPO" down "$T" >/dev/null 2>&1
check "down again is a no-op" test $? -eq 0
check "up works again right after down" "$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml"
check "and down again" "$PETOPO" down "$T"
check "nothing left at the end" nothing_left "$T"

# ---- dual stack ----
D="${T}6"
"$PETOPO" up --name "$D" "$top_srcdir/tests/data/topo/dualstack.yml" >"$TMPD/up6.out" 2>&1
rc=$?
check "petopo up dualstack succeeds" test $rc -eq 0
[ $rc -eq 0 ] || { cat "$TMPD/up6.out"; pt_done; exit 1; }
"$PETOPO" status "$D" --json >"$TMPD/status6.json"
check "status: loopbacks and link addresses of both families, IPv6 beside IPv4" $JSONCMP \
	'{"nodes":{"h1":{"loopback":["10.255.61.1/32","2001:db8:ff::1/128"]},"h2":{"loopback":["2001:db8:ff::2/128"]}},
	  "links":[{"endpoints":[{"node":"h1","addresses":["10.61.1.2/24","2001:db8:61:1::2/64"]},
	                         {"node":"r1","addresses":["10.61.1.1/24","2001:db8:61:1::1/64"]}]},
	           {},{"endpoints":[{},{"node":"pe6","addresses":["10.61.3.2/24","2001:db8:61:3::2/64"]}]}]}' <"$TMPD/status6.json"
check "state: host routes of both families as written" $JSONCMP \
	'{"nodes":{"h1":{"routes":["default via 10.61.1.1","default via 2001:db8:61:1::1"]},
	  "h2":{"routes":["default via 10.61.2.1","2001:db8::/32 via 2001:db8:61:2::1"]}}}' <"$PETOPO_RUNDIR/$D/state.json"
$PY - "$TMPD/status6.json" >"$TMPD/ends6" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
for l in s["links"]:
    e = l["endpoints"]
    for a, b in ((e[0], e[1]), (e[1], e[0])):
        for fam in (4, 6):
            mine = [x for x in a["addresses"] if (":" in x) == (fam == 6)][0]
            peer = [x for x in b["addresses"] if (":" in x) == (fam == 6)][0]
            print(fam, a["netns"], a["ifname"], mine, peer.split("/")[0])
PYEOF
check "dual-stack link ends listed" test "$(wc -l <"$TMPD/ends6")" -eq 12
while read -r fam ns ifn addr peer; do
	check "$ns $ifn has $addr" retry 20 sh -c "ip -n $ns -br addr show $ifn | grep -q ' $addr'"
	if [ "$fam" = 6 ]; then
		check "$ns $ifn: $addr is not tentative (nodad)" sh -c \
			"ip -n $ns -6 addr show dev $ifn | grep -F ' $addr ' | grep -q nodad && ! ip -n $ns -6 addr show dev $ifn | grep -F ' $addr ' | grep -q tentative"
		check "$ns $ifn keeps its kernel link-local address" sh -c "ip -n $ns -6 addr show dev $ifn scope link | grep -q 'inet6 fe80::'"
	fi
	check "$ns ($ifn) ping -$fam $peer" retry 8 ip netns exec "$ns" ping -"$fam" -c1 -W1 "$peer"
done <"$TMPD/ends6"
check "h1: IPv4 and IPv6 default routes" sh -c \
	"ip -n $D-h1 route show default | grep -q 'via 10.61.1.1' && ip -n $D-h1 -6 route show default | grep -q 'via 2001:db8:61:1::1'"
check "h2: 2001:db8::/32 via r1" sh -c "ip -n $D-h2 -6 route show 2001:db8::/32 | grep -q 'via 2001:db8:61:2::1'"
check "IPv6 forwarding on in router r1" sh -c "test \$(ip netns exec $D-r1 cat /proc/sys/net/ipv6/conf/all/forwarding) = 1"
check "IPv6 forwarding on in ped node pe6" sh -c "test \$(ip netns exec $D-pe6 cat /proc/sys/net/ipv6/conf/all/forwarding) = 1"
check "IPv6 forwarding off on host h1" sh -c "test \$(ip netns exec $D-h1 cat /proc/sys/net/ipv6/conf/all/forwarding) = 0"
check "h1 pings h2 through r1 (ping -6)" retry 8 "$PETOPO" exec "$D:h1" -- ping -6 -c1 -W1 2001:db8:61:2::2
check "h1 pings h2 through r1 (ping -4)" retry 8 "$PETOPO" exec "$D:h1" -- ping -4 -c1 -W1 10.61.2.2
check "h1's IPv6 loopback pings h2's" retry 8 "$PETOPO" exec "$D:h1" -- ping -6 -c1 -W1 -I 2001:db8:ff::1 2001:db8:ff::2
check "h1's IPv6 loopback pings pe6 (ped's ipv6 route back)" retry 8 \
	"$PETOPO" exec "$D:h1" -- ping -6 -c1 -W1 -I 2001:db8:ff::1 2001:db8:61:3::2
"$PETOPO" audit "$D" --out "$TMPD/audit6.json"
check "audit of a dual-stack topology exits 0" test $? -eq 0
check "audit: pe6's IPv6 routes beside its IPv4 ones" $JSONCMP \
	'{"nodes":{"pe6":{"commands":{"show ip route json":{"10.61.3.0/24":[{"protocol":"connected"}]},
	  "show ipv6 route json":{"2001:db8:61:3::/64":[{"protocol":"connected"}],"2001:db8:ff::/48":[{"protocol":"static"}]},
	  "show ipv6 route vrf all json":{}},"errors":{}},"h1":null}}' <"$TMPD/audit6.json"
pt_pids "$D" >"$TMPD/pids6"
check "petopo down dualstack succeeds" "$PETOPO" down "$D"
check "dualstack: nothing left" nothing_left "$D"
check "dualstack: no recorded pid alive" pids_gone <"$TMPD/pids6"
pt_done
