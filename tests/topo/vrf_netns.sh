#!/bin/bash
# Namespace test of VRFs backed by network namespaces, driven through pesh:
# two VRFs with the same interface address and the same customer prefix,
# interfaces really moved and addressed, connected and static routes per VRF,
# core routes followed from the kernel, write memory + restart equivalence,
# undo on `no interface`, refusal to delete a used VRF, pesh exit codes.
. "$(dirname "$0")/lib.sh"
topo_init v

PE=${TP}pe1           # node namespace and node name
CEA=${TP}cea CEB=${TP}ceb
VA="$PE-CUST-A" VB="$PE-CUST-B"

for ns in $PE $CEA $CEB; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add eth1 netns "$PE" type veth peer name eth0 netns "$CEA"
ip link add eth2 netns "$PE" type veth peer name eth0 netns "$CEB"
ip link add core0 netns "$PE" type veth peer name core1 netns "$CEB"
ip -n "$CEA" addr add 10.9.1.2/24 dev eth0; ip -n "$CEA" link set eth0 up
ip -n "$CEB" addr add 10.9.1.2/24 dev eth0; ip -n "$CEB" link set eth0 up
ip -n "$CEB" link set core1 up
ip -n "$PE" addr add 10.255.0.1/30 dev core0; ip -n "$PE" link set core0 up

: >"$TMPD/pe1.conf"
start_ped "$PE" "$PE" "$TMPD/pe1.conf" || { fail "ped starts"; topo_done; exit 1; }
PID1=$LAST_PID
ok "ped starts with an empty config"

psh() { "$PESH" -N "$PE" "$@"; }

psh -c "configure terminal" \
	-c "vrf CUST-A" -c "rd 65000:1" -c "route-target both 65000:1" -c "exit-vrf" \
	-c "vrf CUST-B" -c "rd 10.0.0.1:5" -c "route-target import 4200000000:7" -c "exit-vrf" \
	-c "interface eth1 vrf CUST-A" -c "ip address 10.9.1.1/24" -c "exit" \
	-c "interface eth2 vrf CUST-B" -c "ip address 10.9.1.1/24" -c "exit" \
	-c "vrf CUST-A" -c "ip route 192.168.1.0/24 10.9.1.2" -c "exit-vrf" \
	-c "ip route 192.168.1.0/24 10.9.1.3 vrf CUST-B" \
	-c "ip route 192.168.1.0/24 10.9.1.4 vrf CUST-B" \
	-c "vrf CUST-B" -c "maximum routes 3" -c "end"
check "configuration through pesh succeeds" test $? -eq 0

check "VRF namespace $VA exists" ip netns exec "$VA" true
check "VRF namespace $VB exists" ip netns exec "$VB" true
for i in $(seq 30); do ip -n "$VA" -br addr show eth1 2>/dev/null | grep -q 10.9.1.1/24 && break; sleep 0.1; done
check "eth1 moved into $VA with 10.9.1.1/24" sh -c "ip -n $VA -br addr show eth1 | grep -q '10.9.1.1/24'"
check "eth2 moved into $VB with 10.9.1.1/24" sh -c "ip -n $VB -br addr show eth2 | grep -q '10.9.1.1/24'"
check "eth1 is gone from the node namespace" sh -c "! ip -n $PE link show eth1 2>/dev/null"
check "CE-A pings its PE address in VRF CUST-A" ip netns exec "$CEA" ping -c1 -W2 10.9.1.1
check "CE-B pings the same address in VRF CUST-B" ip netns exec "$CEB" ping -c1 -W2 10.9.1.1

check "CUST-A: connected route and static via 10.9.1.2" wait_json "$PE" "show ip route vrf CUST-A json" \
	'{"10.9.1.0/24":[{"protocol":"connected","selected":true,"installed":true,"vrfName":"CUST-A","nexthops":[{"interfaceName":"eth1","directlyConnected":true,"active":true}]}],
	  "192.168.1.0/24":[{"protocol":"static","selected":true,"installed":true,"distance":1,"metric":0,"nexthops":[{"ip":"10.9.1.2","interfaceName":"eth1","active":true,"fib":true}]}]}'
check "CUST-B: same prefix, its own ECMP next hops" wait_json "$PE" "show ip route vrf CUST-B json" \
	'{"10.9.1.0/24":[{"protocol":"connected","nexthops":[{"interfaceName":"eth2"}]}],
	  "192.168.1.0/24":[{"protocol":"static","selected":true,"nexthops":[{"ip":"10.9.1.3","active":true},{"ip":"10.9.1.4","active":true}]}]}'
check "abbreviated command works" wait_json "$PE" "sh ip ro vrf CUST-A json" '{"192.168.1.0/24":[{"protocol":"static"}]}'
# an unknown VRF: the error alone, before any header
psh -c "show ip route vrf UNKNOWN" >"$TMPD/unk.out" 2>&1
psh -c "configure terminal" -c "interface eth7 vrf TYPO" >"$TMPD/typo.out" 2>&1
check "interface eth7 vrf TYPO: refused, the VRF must be declared first" \
	grep -q '% VRF TYPO is not configured: declare it first' "$TMPD/typo.out"
check "and no VRF, no namespace created" sh -c "! ip netns list | grep -q -- 'TYPO' && ! \"\$1\" -N \"\$2\" -c 'show vrf' | grep -q TYPO" _ "$PESH" "$PE"
check "show ip route vrf UNKNOWN: only the error" sh -c "[ \"\$(cat '$TMPD/unk.out')\" = '% VRF UNKNOWN does not exist' ]"
check "default VRF does not see customer routes" wait_json "$PE" "show ip route json" '{"192.168.1.0/24":null,"10.9.1.0/24":null}'
check "show vrf json" wait_json "$PE" "show vrf json" \
	'{"schemaVersion":1,"vrfs":{"CUST-A":{"rd":"65000:1","importRts":["65000:1"],"exportRts":["65000:1"],"netns":"'"$VA"'","interfaces":["eth1"]},
	  "CUST-B":{"rd":"10.0.0.1:5","importRts":["4200000000:7"],"exportRts":[],"maximumRoutes":3,"routeCount":2}}}'
check "show interface json" wait_json "$PE" "show interface json" \
	'{"eth1":{"vrfName":"CUST-A","operationalStatus":"up","ipAddresses":[{"address":"10.9.1.1/24"}]},"core0":{"vrfName":"default"}}'

# route limit: CUST-B holds 2 prefixes, maximum 3
psh -c "conf t" -c "ip route 10.50.0.0/16 10.9.1.2 vrf CUST-B" >/dev/null
psh -c "conf t" -c "ip route 10.51.0.0/16 10.9.1.2 vrf CUST-B" >"$TMPD/lim.out" 2>&1
rc=$?
check "4th prefix refused by maximum routes 3 (exit status)" test $rc -ne 0
check "limit message names the VRF" grep -q "CUST-B" "$TMPD/lim.out"
check "limit visible in show vrf json" wait_json "$PE" "show vrf json" '{"vrfs":{"CUST-B":{"routeCount":3,"limitExceeded":true,"routesRejected":1}}}'
psh -c "conf t" -c "ip route 10.50.0.0/16 10.9.1.2 vrf CUST-B" >"$TMPD/dup.out" 2>&1
check "duplicate static route says it exists" grep -q "already exists" "$TMPD/dup.out"
check "route summary per source" wait_json "$PE" "show ip route vrf CUST-B summary json" \
	'{"routes":[{"type":"connected","rib":1,"fib":1},{"type":"static","rib":2,"fib":2}],"routesTotal":3,"routesTotalFib":3}'


# core routes follow the kernel table of ped's namespace
ip -n "$PE" route add 10.200.0.0/16 via 10.255.0.2
check "kernel route appears in show ip route json" wait_json "$PE" "show ip route json" \
	'{"10.200.0.0/16":[{"protocol":"kernel","selected":true,"nexthops":[{"ip":"10.255.0.2","interfaceName":"core0"}]}]}' 5
ip -n "$PE" route del 10.200.0.0/16
check "kernel route withdrawal follows" wait_json "$PE" "show ip route json" '{"10.200.0.0/16":null}' 5
check "connected core route" wait_json "$PE" "show ip route json" '{"10.255.0.0/30":[{"protocol":"connected"}]}'

# a default-VRF static route goes into the kernel
psh -c "conf t" -c "ip route 10.201.0.0/16 10.255.0.2" >/dev/null
for i in $(seq 20); do ip -n "$PE" route show 10.201.0.0/16 | grep -q 'proto 200' && break; sleep 0.1; done
check "default-VRF static installed in the kernel" sh -c "ip -n $PE route show 10.201.0.0/16 | grep -q 'via 10.255.0.2'"

# shell errors and exit codes
psh -c "show ip rooote" >"$TMPD/e1" 2>&1; rc=$?
check "unknown command: exit 1" test $rc -eq 1
check "unknown command: message" grep -q "% Unknown command" "$TMPD/e1"
psh -c "conf t" -c "ip route 300.1.1.1/24 10.0.0.1" >"$TMPD/e2" 2>&1
check "invalid value names it" grep -q '% Invalid value "300.1.1.1/24"' "$TMPD/e2"
psh -c "show" >"$TMPD/e3" 2>&1
check "incomplete command" grep -q "% Incomplete command" "$TMPD/e3"
psh -c "conf t" -c "no vrf CUST-A" >"$TMPD/e4" 2>&1; rc=$?
check "deleting a used VRF is refused" test $rc -ne 0
check "refusal names the interface" grep -q "eth1" "$TMPD/e4"

# write memory, restart, byte-identical running config
psh -c "write memory" >/dev/null
check "write memory wrote the file" grep -q "interface eth1 vrf CUST-A" "$TMPD/pe1.conf"
psh -c "show running-config" >"$TMPD/run1"
stop_ped "$PID1"
start_ped "$PE" "$PE" "$TMPD/pe1.conf" || fail "ped restarts"
PID2=$LAST_PID
psh -c "show running-config" >"$TMPD/run2"
if cmp -s "$TMPD/run1" "$TMPD/run2"; then ok "restart gives a byte-identical running config"; else
	diff -u "$TMPD/run1" "$TMPD/run2"; fail "restart gives a byte-identical running config"; fi
check "routes are back after restart" wait_json "$PE" "show ip route vrf CUST-A json" \
	'{"192.168.1.0/24":[{"selected":true,"nexthops":[{"ip":"10.9.1.2","active":true}]}]}'

# undo: the interface leaves the VRF and returns to the node namespace
psh -c "conf t" -c "no interface eth1 vrf CUST-A" >/dev/null
for i in $(seq 30); do ip -n "$PE" link show eth1 >/dev/null 2>&1 && break; sleep 0.1; done
check "no interface moves eth1 back" ip -n "$PE" link show eth1
check "eth1 left the VRF namespace" sh -c "! ip -n $VA link show eth1 2>/dev/null"
check "CUST-A lost its connected route" wait_json "$PE" "show ip route vrf CUST-A json" '{"10.9.1.0/24":null,"192.168.1.0/24":[{"nexthops":[{"active":null}]}]}'
psh -c "conf t" -c "no vrf CUST-A" >/dev/null
check "unused VRF can be deleted" wait_json "$PE" "show vrf json" '{"vrfs":{"CUST-A":null}}'
check "its namespace was removed" sh -c "! ip netns exec $VA true 2>/dev/null"

# a config file with errors: ped exits non-zero, names the line, applies nothing
printf 'vrf BAD\n rd 1.2.3:4\nexit-vrf\ninterface core0 vrf BAD\n' >"$TMPD/bad.conf"
ip netns exec "$PE" "$PED" -N "${TP}x" -f "$TMPD/bad.conf" >"$TMPD/bad.out" 2>&1; rc=$?
check "bad config: non-zero exit" test $rc -ne 0
check "bad config: file:line" grep -q "bad.conf:2:" "$TMPD/bad.out"
check "bad config: nothing applied (no namespace)" sh -c "! ip netns list | grep -q ${TP}x-BAD"
check "bad config: core0 untouched" ip -n "$PE" link show core0

stop_ped "$PID2"
check "static route removed from the kernel at shutdown" sh -c "! ip -n $PE route show 10.201.0.0/16 | grep -q ."
topo_done
