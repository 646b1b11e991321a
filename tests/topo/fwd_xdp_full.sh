#!/bin/bash
# The XDP route table full (l3vpn-basic with pe1's `dataplane xdp route-nodes
# 256`): static routes of CUST-A that do not fit send the VRF to the slow
# path; ped says so once for the VRF (not once per route), CUST-B keeps its
# XDP routes, and both customers still reach their remote sites.
. "$(dirname "$0")/petopo_lib.sh"
pt_init x

cp -r "$TOPOS/l3vpn-basic" "$TOPOS/l3vpn-basic.yml" "$TMPD/"
sed -i 's/^hostname pe1$/hostname pe1\ndataplane xdp route-nodes 256/' "$TMPD/l3vpn-basic/pe1.conf"
"$PETOPO" up --name "$T" "$TMPD/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
LOG="$PETOPO_RUNDIR/$T/pe1/ped.log"
X() { "$PETOPO" exec "$T:$1" -- "${@:2}"; }
ping_ok() { X "$1" ping -c 1 -W 1 "${@:2}" >/dev/null 2>&1; }

check "pe1 runs with 256 XDP route nodes" sh -c "'$PESH' -N pe1 -c 'show running-config' | grep -qx 'dataplane xdp route-nodes 256'"
check "ce1a -> 192.168.2.1 before" retry 160 ping_ok ce1a -I 192.168.1.1 192.168.2.1
# 600 host routes in 600 different /16s of CUST-A: far more trie nodes than 256
args=()
for i in $(seq 0 599); do
	args+=(-c "ip route 100.$((i / 200)).$((i % 200)).1/32 blackhole")
	if [ ${#args[@]} -ge 100 ]; then
		"$PESH" -N pe1 -c "conf t" -c "vrf CUST-A" "${args[@]}" >/dev/null
		args=()
	fi
done
check "pe1 CUST-A holds the 600 routes" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"100.2.199.1/32":[{"protocol":"static","selected":true}],"100.0.0.1/32":[{"protocol":"static"}]}'
refused() { grep -c "VRF CUST-A: .* not in the XDP route table" "$LOG"; }
once() { [ "$(refused)" = 1 ]; }
check "ped said once that CUST-A no longer fits (not once per route)" retry 40 once
check "the message names the knob" grep -q "dataplane xdp route-nodes N. makes room" "$LOG"
check "nothing of the kind for CUST-B" sh -c "! grep -q 'VRF CUST-B: .* not in the XDP route table' '$LOG'"
check "ce1a -> 192.168.2.1 still works (CUST-A through the slow path)" retry 40 ping_ok ce1a -I 192.168.1.1 192.168.2.1
check "ce1b -> 192.168.2.1 still works (CUST-B in XDP)" retry 40 ping_ok ce1b -I 192.168.1.1 192.168.2.1

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
