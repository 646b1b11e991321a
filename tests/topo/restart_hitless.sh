#!/bin/bash
# Hitless restart on l3vpn-basic (ce1a -- pe1 -- p1 -- pe2 -- ce2a) with
# graceful restart on: `bgp graceful-restart` on pe1 and pe2, LDP
# `graceful-restart` on pe1, p1 and pe2 (RFC 4724, RFC 3478), and
# `dataplane keep-on-exit` (the default). ce1a pings ce2a at 100 packets/s
# while `petopo restart` stops ped with SIGTERM and starts it again from the
# same configuration on pe1, then p1, then pe2. Checks:
# - each new ped adopts the pinned XDP links (`show dataplane json`:
#   restart.state adopting, then complete, every XDP port switched);
# - pe1 restarted a second time while its first restart is still adopting:
#   0 lost, same labels (everything stays pinned until the switch);
# - its labels are those of the previous run (show mpls table);
# - the helpers kept its routes meanwhile (no route lost on the other PE);
# - 0 packets lost over the three restarts (the figure is printed);
# then, with `no dataplane keep-on-exit` on pe1, the same restart loses
# packets: the loss is measured and printed (and must be > 0, or the test
# above proves nothing).
. "$(dirname "$0")/petopo_lib.sh"
pt_init h

cp -r "$TOPOS/l3vpn-basic" "$TOPOS/l3vpn-basic.yml" "$TMPD/"
for n in pe1 pe2; do
	sed -i 's/^ bgp router-id .*/&\n bgp graceful-restart/' "$TMPD/l3vpn-basic/$n.conf"
done
for n in pe1 p1 pe2; do
	sed -i 's/^ router-id 10\.255\..*/&\n graceful-restart/' "$TMPD/l3vpn-basic/$n.conf"
done
grep -q "^ bgp graceful-restart" "$TMPD/l3vpn-basic/pe1.conf" && grep -q "^ graceful-restart" "$TMPD/l3vpn-basic/p1.conf" || { fail "configs"; pt_done; exit 1; }

"$PETOPO" up --name "$T" "$TMPD/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
check "pe1 CUST-A: 192.168.2.0/24 from pe2" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true}]}' 240
check "pe2 CUST-A: 192.168.1.0/24 from pe1" wait_json pe2 "show ip route vrf CUST-A json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true}]}' 240
check "pe1: ports on XDP" wait_json pe1 "show dataplane json" \
	'{"ports":{"eth1":{"backend":"xdp"},"eth3":{"backend":"xdp"}},"restart":{"state":"cold-start","keepOnExit":true}}' 40
X() { "$PETOPO" exec "$T:$1" -- "${@:2}"; }
ping_ok() { X ce1a ping -c 1 -W 1 -I 192.168.1.1 192.168.2.1 >/dev/null 2>&1; }
check "ce1a reaches ce2a" retry 120 ping_ok

labels() { # the local labels of NODE's MPLS table, sorted
	"$PESH" -N "$1" -c "show mpls table json" | $PY -c '
import json,sys
d = json.load(sys.stdin)
print(" ".join(sorted(str(k) for k in d)))'
}

# pinger: 100 packets/s from ce1a to ce2a until stopped (SIGINT: summary)
PINGPID=""
ping_start() {
	"$PETOPO" exec "$T:ce1a" -- ping -q -i 0.01 -W 1 -I 192.168.1.1 192.168.2.1 >"$TMPD/ping.$1" 2>&1 &
	PINGPID=$!
	sleep 1
}
ping_stop() { # prints "transmitted received"
	kill -INT "$PINGPID" 2>/dev/null
	wait "$PINGPID" 2>/dev/null
	sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$TMPD/ping.$1"
}

restart_node() { # restart_node NODE: petopo restart, then wait until complete
	local node="$1" before after
	before=$(labels "$node")
	"$PETOPO" restart "$T:$node" >"$TMPD/restart.$node" 2>&1 || { cat "$TMPD/restart.$node"; return 1; }
	wait_json "$node" "show dataplane json" '{"restart":{"state":"complete"}}' 400 || return 1
	"$PESH" -N "$node" -c "show dataplane json" | $PY -c '
import json,sys
r = json.load(sys.stdin)["restart"]
print("    %s: restart complete after %.2f s, %d ports switched (%s)" % (sys.argv[1], r["tookSecs"], r["portsSwitched"], r["completedBy"]))
sys.exit(0 if r["portsSwitched"] > 0 else 1)' "$node" || return 1
	after=$(labels "$node")
	[ "$before" = "$after" ] || { echo "labels before: $before"; echo "labels after:  $after"; return 1; }
}

ping_start gr
for n in pe1 p1 pe2; do
	check "$n: restarted, adopted the pinned forwarding, same labels" restart_node "$n"
	sleep 1
done
sleep 1
read -r tx rx < <(ping_stop gr)
echo "    graceful restart on: $tx sent, $rx received, $((tx - rx)) lost over three restarts"
lost_ok() { [ -n "$tx" ] && [ "$tx" -gt 1000 ] && [ "$rx" -eq "$tx" ]; }
check "0 packets lost at 100/s while pe1, p1 and pe2 restart" lost_ok
check "pe1 CUST-A still has 192.168.2.0/24" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true}]}' 40
check "pe2: pe1's routes are not stale any more" wait_json pe2 "show ip route vrf CUST-A json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true}]}' 40

# pe1 restarted again before its restart completed (still adopting): the
# second ped adopts what the first one was still running on
twice() {
	local st
	"$PETOPO" restart "$T:pe1" >"$TMPD/restart.twice1" 2>&1 || return 1
	st=$("$PESH" -N pe1 -c "show dataplane json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["restart"]["state"])')
	[ "$st" = adopting ] || { echo "first restart already $st"; return 1; }
	"$PETOPO" restart "$T:pe1" >"$TMPD/restart.twice2" 2>&1 || return 1
	wait_json pe1 "show dataplane json" '{"restart":{"state":"complete"}}' 400 || return 1
	"$PESH" -N pe1 -c "show dataplane json" | $PY -c '
import json,sys
r = json.load(sys.stdin)["restart"]
sys.exit(0 if r["portsSwitched"] >= 3 else 1)'
}
before=$(labels pe1)
ping_start twice
check "pe1 restarted twice in a row, the second time while still adopting" twice
sleep 1
read -r ttx trx < <(ping_stop twice)
echo "    restart during a restart: $ttx sent, $trx received, $((ttx - trx)) lost"
twice_ok() { [ "$ttx" -gt 100 ] && [ "$trx" -eq "$ttx" ]; }
check "0 packets lost across both" twice_ok
same_labels() { [ "$(labels pe1)" = "$before" ]; }
check "pe1 kept its labels through both" same_labels

# the same restart without keeping forwarding
"$PESH" -N pe1 -c "conf t" -c "no dataplane keep-on-exit" -c "end" -c "write memory" >/dev/null
check "pe1 ready again" retry 40 ping_ok
ping_start cold
"$PETOPO" restart "$T:pe1" >"$TMPD/restart.cold" 2>&1 || fail "cold restart"
check "pe1 after a cold restart: cold-start" wait_json pe1 "show dataplane json" '{"restart":{"state":"cold-start"}}' 40
check "pe1 after a cold restart: 192.168.2.0/24 again" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true}]}' 240
retry 120 ping_ok
sleep 2
read -r ctx crx < <(ping_stop cold)
echo "    keep-on-exit off: $ctx sent, $crx received, $((ctx - crx)) lost in one restart of pe1"
cold_lost() { [ -n "$ctx" ] && [ "$crx" -lt "$ctx" ]; }
check "without keep-on-exit a restart loses packets" cold_lost

pins_gone() { ! ls /sys/fs/bpf/pe/ 2>/dev/null | grep -q "^$T"; }
"$PETOPO" down "$T" >/dev/null 2>&1
check "petopo down leaves nothing pinned" pins_gone
pt_done
