#!/bin/bash
# What a PE's own kernel sends inside a VRF crosses the VPN (pe/localport.c),
# on l3vpn-basic with the dataplane backend FWD_BACKEND (xdp, the default, or
# packet: `dataplane backend packet` on every ped, switched at run time):
# - each VRF namespace of pe1 holds its local port (pelocal, the kernel's
#   end, with the worst-metric default routes; pefwd<id>, a dataplane port
#   with the role "local" in `show dataplane json`, not in `show interface`);
# - `ping vrf CUST-A 192.168.2.1` (customer A's remote site behind pe2)
#   succeeds, IPv4 and IPv6, and the replies went out of CUST-A's local port
#   (its tx counter), not to the core port's kernel;
# - a connected CE and the default VRF (loopback to loopback) still answer,
#   and ce1a's own pings to the remote site are not duplicated;
# - CUST-B's ping to the very same address reaches customer B's site: with
#   ce2a's link down, CUST-A's ping fails and CUST-B's still succeeds;
# - a VRF configured at run time gets a local port, and it goes with the VRF;
# - when ped exits, the local ports leave the namespaces it did not create;
#   after `petopo down` nothing is left.
. "$(dirname "$0")/petopo_lib.sh"
pt_init v

command -v ping >/dev/null || [ -x /usr/sbin/ping ] ||
	{ echo "SKIP: ping is not installed (tests/deps.sh)"; exit 77; }

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
BACKEND=${FWD_BACKEND:-xdp}
echo "dataplane backend: $BACKEND"
if [ "$BACKEND" = packet ]; then
	for n in pe1 p1 pe2; do
		"$PESH" -N "$n" -c "conf t" -c "dataplane backend packet" >/dev/null
	done
fi

run() { out=$("$PESH" -N pe1 -c "$1" 2>&1); rc=$?; }
# json_get NODE CMD PYTHON-EXPR (d = the JSON): prints the value
json_get() {
	"$PESH" -N "$1" -c "$2" | $PY -c "import json,sys
d=json.load(sys.stdin)
print($3)"
}

NS_A="$T-pe1-CUST-A"
NS_B="$T-pe1-CUST-B"
check "CUST-A's namespace holds pelocal" ip -n "$NS_A" link show pelocal
check "CUST-B's namespace holds pelocal" ip -n "$NS_B" link show pelocal
check "pelocal: default route of the worst metric, through 169.254.0.1" sh -c "ip -n '$NS_A' route show default | grep -q 'default via 169.254.0.1 dev pelocal .*metric 4294967295 onlink'"
check "pelocal: 169.254.0.1 is a permanent neighbor" sh -c "ip -n '$NS_A' neigh show dev pelocal | grep -q '169.254.0.1 lladdr .* PERMANENT'"
check "pelocal: rp_filter loose" test "$(ip netns exec "$NS_A" cat /proc/sys/net/ipv4/conf/pelocal/rp_filter)" = 2
check "the dataplane end is a port of role local" retry 40 sh -c "\"\$1\" -N pe1 -c 'show dataplane json' | $PY -c 'import json,sys
d=json.load(sys.stdin)[\"ports\"]
l=[k for k,v in d.items() if v[\"role\"]==\"local\"]
sys.exit(0 if len(l)==2 and {d[k][\"vrf\"] for k in l}=={\"CUST-A\",\"CUST-B\"} and all(d[k][\"open\"] and d[k][\"backend\"]==\"$BACKEND\" for k in l) else 1)'" _ "$PESH"
LP_A=$(json_get pe1 "show dataplane json" "[k for k,v in d['ports'].items() if v['role']=='local' and v['vrf']=='CUST-A'][0]")
run "show interface brief"
check "show interface: no local port" sh -c "! printf '%s' \"\$1\" | grep -q -e pelocal -e pefwd" _ "$out"
run "show interface json"
check "show interface json: no local port" sh -c "! printf '%s' \"\$1\" | grep -q -e pelocal -e pefwd" _ "$out"

# across the VPN, from the VRF's kernel
check "ping vrf CUST-A 192.168.2.1 (remote site) succeeds" retry 80 "$PESH" -N pe1 -c "ping vrf CUST-A 192.168.2.1 repeat 1 timeout 1"
tx0=$(json_get pe1 "show dataplane json" "d['ports']['$LP_A']['txPackets']")
run "ping vrf CUST-A 192.168.2.1 repeat 3"
check "ping vrf CUST-A 192.168.2.1 repeat 3: exit status 0" test $rc -eq 0
check "ping vrf CUST-A 192.168.2.1 repeat 3: 3 replies" sh -c "printf '%s' \"\$1\" | grep -q '3 packets transmitted, 3 received'" _ "$out"
tx1=$(json_get pe1 "show dataplane json" "d['ports']['$LP_A']['txPackets']")
check "the replies went out of CUST-A's local port ($tx0 -> $tx1)" test "$tx1" -ge $((tx0 + 3))
check "ping vrf CUST-A 2001:db8:2::1 (IPv6, 6VPE) succeeds" retry 40 "$PESH" -N pe1 -c "ping vrf CUST-A 2001:db8:2::1 repeat 1 timeout 1"
check "ping vrf CUST-B 192.168.2.1 succeeds" retry 40 "$PESH" -N pe1 -c "ping vrf CUST-B 192.168.2.1 repeat 1 timeout 1"
# what worked before still works
check "ping vrf CUST-A 10.1.1.2 (connected CE)" "$PESH" -N pe1 -c "ping vrf CUST-A 10.1.1.2 repeat 2"
check "ping 10.255.0.3 source 10.255.0.1 (default VRF)" retry 40 "$PESH" -N pe1 -c "ping 10.255.0.3 source 10.255.0.1 repeat 1"
out=$(ip netns exec "$T-ce1a" ping -c 3 -i 0.2 -W 1 192.168.2.1 2>&1)
check "ce1a -> 192.168.2.1: 3 replies, none duplicated (the VRF's kernel does not forward)" sh -c "printf '%s' \"\$1\" | grep -q '3 packets transmitted, 3 received' && ! printf '%s' \"\$1\" | grep -q DUP" _ "$out"

# the same address behind both customers: take customer A's site away
# (for good: ce2a's routes go with its link)
ip -n "$T-ce2a" link set eth0 down
check "ce2a gone: ping vrf CUST-A 192.168.2.1 fails" retry 40 sh -c "! \"\$1\" -N pe1 -c 'ping vrf CUST-A 192.168.2.1 repeat 1 timeout 1'" _ "$PESH"
run "ping vrf CUST-B 192.168.2.1 repeat 3"
check "ce2a gone: ping vrf CUST-B 192.168.2.1 still gets 3 replies (customer B's site)" sh -c "printf '%s' \"\$1\" | grep -q '3 packets transmitted, 3 received'" _ "$out"

# a VRF of its own: the local port comes and goes with it
"$PESH" -N pe1 -c "conf t" -c "vrf LP-TEST" -c "exit-vrf" >/dev/null
# (ped made that namespace in its mount namespace: look from there)
pid=$(cat "$PE_RUNDIR/pe1/ped.pid")
check "VRF LP-TEST: its namespace holds pelocal" retry 40 nsenter -t "$pid" -m ip -n "$T-pe1-LP-TEST" link show pelocal
check "VRF LP-TEST: a local port in the dataplane" retry 40 sh -c "\"\$1\" -N pe1 -c 'show dataplane json' | $PY -c 'import json,sys
d=json.load(sys.stdin)[\"ports\"]
sys.exit(0 if any(v[\"role\"]==\"local\" and v[\"vrf\"]==\"LP-TEST\" for v in d.values()) else 1)'" _ "$PESH"
"$PESH" -N pe1 -c "conf t" -c "no vrf LP-TEST" >/dev/null
check "no vrf LP-TEST: namespace gone" retry 40 sh -c "! ip netns list | grep -q '^$T-pe1-LP-TEST\\b'"
check "no vrf LP-TEST: its local port left the dataplane" sh -c "! \"\$1\" -N pe1 -c 'show dataplane json' | grep -q LP-TEST" _ "$PESH"

# ped exits: petopo's namespaces stay until down, the local ports do not
kill -TERM "$pid"
check "pe1's ped exits" retry 80 sh -c "! kill -0 $pid"
check "ped gone: no pelocal in CUST-A" sh -c "! ip -n '$NS_A' link show pelocal"
check "ped gone: no pefwd in CUST-A" sh -c "! ip -n '$NS_A' link | grep -q pefwd"
check "ped gone: no pelocal in CUST-B" sh -c "! ip -n '$NS_B' link show pelocal"

"$PETOPO" down "$T" >/dev/null 2>&1
check "down" test $? -eq 0
check "nothing left" nothing_left "$T"
pt_done
