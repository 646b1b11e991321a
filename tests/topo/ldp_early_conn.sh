#!/bin/bash
# A session that arrives before its adjacency (RFC 5036 2.5.3 race: the
# active peer heard our Hello, we have not heard its own yet) is held, not
# reset (a reset costs the peer its 15 s initialization backoff), and bound
# to the adjacency when the Hello comes: tests/topo/ldp_early_conn.py in
# namespace gen (10.97.0.2, the active side) connects to ped in namespace dut
# (10.97.0.1, passive), is still connected 1 s later, sends its Hello, then
# its Initialization on that connection and gets ped's Initialization and
# KeepAlive; ped shows the neighbor OPERATIONAL (passive role, no failed
# initialization). A connection from an address that never sends a Hello
# (10.97.0.3) is closed after the hold (about 5 s) and logged.
# A peer that stops reading (10.97.0.4: 400000 Label Requests, each answered
# with a Notification, receive buffer 4 kB) has its session reset once ped's
# output for it passes the bound (logged), instead of ped dropping messages
# on a live session or buffering without end; the other session stays.
# A targeted Hello the kernel refuses (no route) is logged with the reason.
. "$(dirname "$0")/lib.sh"
topo_init e

DUT="$TP-dut" GEN="$TP-gen"
ip netns add "$DUT"
ip netns add "$GEN"
ip link add "${TP}d" netns "$DUT" type veth peer name "${TP}g" netns "$GEN"
ip -n "$DUT" link set "${TP}d" name eth0
ip -n "$GEN" link set "${TP}g" name eth0
ip -n "$DUT" addr add 10.97.0.1/24 dev eth0
ip -n "$GEN" addr add 10.97.0.2/24 dev eth0
ip -n "$GEN" addr add 10.97.0.3/24 dev eth0
ip -n "$GEN" addr add 10.97.0.4/24 dev eth0
for ns in "$DUT" "$GEN"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
done
cat >"$TMPD/dut.conf" <<EOF
hostname dut
mpls ldp
 router-id 10.97.0.1
 address-family ipv4
  discovery transport-address 10.97.0.1
  interface eth0
  exit
 exit-address-family
exit
EOF
start_ped "$DUT" dut "$TMPD/dut.conf" || { fail "ped starts"; topo_done; exit 1; }
check "dut: eth0 joined 224.0.0.2 (ACTIVE)" wait_json dut "show mpls ldp interface json" \
	'{"eth0: ipv4":{"state":"ACTIVE"}}'
# retry_file TRIES REGEX FILE: FILE has a line matching REGEX (0.1 s apart)
retry_file() {
	for _ in $(seq "$1"); do grep -q "$2" "$3" 2>/dev/null && return 0; sleep 0.1; done
	echo "no '$2' in $3"; tail -5 "$3"
	return 1
}
# the generator holds its session while its stdin (a fifo) stays open
mkfifo "$TMPD/hold"
ip netns exec "$GEN" /usr/bin/python3 "$top_srcdir/tests/topo/ldp_early_conn.py" session \
	10.97.0.2 10.97.0.1 eth0 <"$TMPD/hold" >"$TMPD/gen.out" 2>&1 &
GENPID=$!
PIDS="$PIDS $GENPID"
exec 9>"$TMPD/hold"
for _ in $(seq 100); do grep -q "KeepAlive sent\|closed\|reset\|no Init" "$TMPD/gen.out" && break; sleep 0.1; done
check "gen: connection held 1 s before any Hello" grep -q "still open after 1 s: held" "$TMPD/gen.out"
check "gen: ped's Initialization and KeepAlive on that connection" \
	grep -q "Initialization and KeepAlive received on the held connection" "$TMPD/gen.out"
check "dut: gen OPERATIONAL, passive role, no failed initialization" wait_json dut \
	"show mpls ldp neighbor 10.97.0.2 detail json" \
	'{"10.97.0.2":{"state":"OPERATIONAL","role":"passive","tcpRemoteAddress":"10.97.0.2","initFailures":0}}'
sed 's/^/    gen: /' "$TMPD/gen.out"

# no Hello ever: closed after the hold, and logged
out=$(ip netns exec "$GEN" /usr/bin/python3 "$top_srcdir/tests/topo/ldp_early_conn.py" orphan \
	10.97.0.3 10.97.0.1 2>&1)
echo "    orphan: $out"
check "orphan connection closed by ped after the hold (4..8 s)" sh -c \
	"echo '$out' | grep -Eq 'closed by the DUT after [4-7]\\.'"
check "orphan connection logged" grep -q "connection from 10.97.0.3 closed: no Hello from it within 5 s" \
	"$TMPD/dut.log"
check "dut: the session with gen is still OPERATIONAL" wait_json dut "show mpls ldp neighbor json" \
	'{"neighbors":[{"neighborId":"10.97.0.2","state":"OPERATIONAL"}]}'

# a peer that does not read
mkfifo "$TMPD/hold2"
ip netns exec "$GEN" /usr/bin/python3 "$top_srcdir/tests/topo/ldp_early_conn.py" session \
	10.97.0.4 10.97.0.1 eth0 400000 <"$TMPD/hold2" >"$TMPD/flood.out" 2>&1 &
FLOODPID=$!
PIDS="$PIDS $FLOODPID"
exec 8>"$TMPD/hold2"
check "flood: session up, requests sent" retry_file 600 "Label Requests" "$TMPD/flood.out"
sed 's/^/    flood: /' "$TMPD/flood.out"
check "flood: ped resets the session whose output passes the bound (logged)" retry_file 200 \
	"ldp nbr 10.97.0.4: more than [0-9]* bytes waiting to be sent (the peer does not read): session reset" \
	"$TMPD/dut.log"
check "flood: 10.97.0.4 no longer OPERATIONAL at ped" wait_json dut \
	"show mpls ldp neighbor 10.97.0.4 detail json" '{"10.97.0.4":{"state":"NONEXISTENT"}}'
check "flood: the session with 10.97.0.2 is still OPERATIONAL" wait_json dut \
	"show mpls ldp neighbor 10.97.0.2 detail json" '{"10.97.0.2":{"state":"OPERATIONAL"}}'

# a kernel refusal to send is logged: a targeted neighbor without a route
cfg_dut() { local a=(-N dut -c "conf t") l; for l in "$@"; do a+=(-c "$l"); done; "$PESH" "${a[@]}"; }
cfg_dut "mpls ldp" "address-family ipv4" "neighbor 10.99.99.99 targeted" >/dev/null
check "a targeted Hello the kernel refuses is logged with the reason" retry_file 40 \
	"ldp: cannot send targeted Hello to 10.99.99.99: Network is unreachable" "$TMPD/dut.log"

exec 9>&- 8>&-
for _ in $(seq 50); do kill -0 "$GENPID" 2>/dev/null || kill -0 "$FLOODPID" 2>/dev/null || break
	sleep 0.1; done
topo_done
