#!/bin/bash
# BFD interop with FRR 8.4 bfdd, and BGP torn down by BFD.
# ped in ${TP}a (10.0.0.1, AS 65000) and FRR (zebra, bfdd, bgpd) in ${TP}b
# (10.0.0.2, AS 65001) over one veth pair this script creates; eBGP with
# `neighbor X bfd profile fast` on both sides and a configured `peer` in
# each `bfd` block at 100 ms x 3.
# Checks: the session comes Up on both sides with each other's
# discriminators and timers (after the Poll Sequence from the 1 s slow
# rate), FRR's and ped's "peerBfdInfo" in `show bgp neighbors json`; no
# flap over 10 s at 100 ms x 3; tshark decodes ped's packets (version 1,
# TTL 255, nothing malformed); a packet with TTL 254 is dropped (RFC 5881
# GTSM); losing FRR's packets (a blackhole route toward ped on its side: this kernel
# has neither netem nor tc classifiers) takes the BFD
# session down within the detection time and BGP down with Cease/10 "BFD
# Down" long before the 180 s hold time, on both sides; the session and BGP
# come back when packets flow again; FRR's `shutdown` of its peer (remote
# AdminDown, RFC 5880 6.8.16) takes ped's session down without resetting
# BGP. Prints the measured detection times (not asserted).
. "$(dirname "$0")/lib.sh"
topo_init bfd
if [ ! -x /usr/lib/frr/bfdd ]; then
	echo "SKIP: FRR is not installed"
	exit 77
fi
NA="${TP}a"
NB="${TP}b"
VA="${TP}x"
VB="${TP}y"
FRUN="$TMPD/frr"
PY=/usr/bin/python3

ns_pair "$NA" "$NB" "$VA" "$VB" 10.0.0.1/30 10.0.0.2/30 || exit 1

mkdir -p "$FRUN"
cat >"$FRUN/zebra.conf" <<EOF
hostname frr
EOF
cat >"$FRUN/bfdd.conf" <<EOF
bfd
 profile fast
  transmit-interval 100
  receive-interval 100
 exit
 peer 10.0.0.1
  profile fast
 exit
exit
EOF
cat >"$FRUN/bgpd.conf" <<EOF
router bgp 65001
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 neighbor 10.0.0.1 remote-as 65000
 neighbor 10.0.0.1 timers connect 2
 neighbor 10.0.0.1 bfd
 neighbor 10.0.0.1 bfd profile fast
EOF
chown -R frr:frr "$FRUN"
chmod 755 "$TMPD" "$FRUN"
for d in zebra bfdd bgpd; do
	extra=()
	[ $d = bfdd ] && extra=(--bfdctl "$FRUN/bfdd.sock")
	ip netns exec "$NB" /usr/lib/frr/$d -d -u frr -g frr --vty_socket "$FRUN" -z "$FRUN/zserv.api" \
		-i "$FRUN/$d.pid" -f "$FRUN/$d.conf" --log "file:$FRUN/$d.log" "${extra[@]}" 2>/dev/null ||
		{ fail "FRR $d started"; topo_done; exit 1; }
	for _ in $(seq 50); do [ -s "$FRUN/$d.pid" ] && break; sleep 0.1; done
	PIDS="$PIDS $(cat "$FRUN/$d.pid")"
done
VTY=(vtysh --vty_socket "$FRUN")

cat >"$TMPD/a.conf" <<EOF
hostname a
bfd
 profile fast
  transmit-interval 100
  receive-interval 100
 exit
 peer 10.0.0.2
  profile fast
 exit
exit
router bgp 65000
 bgp router-id 10.0.0.1
 no bgp ebgp-requires-policy
 neighbor 10.0.0.2 remote-as 65001
 neighbor 10.0.0.2 timers connect 2
 neighbor 10.0.0.2 bfd
 neighbor 10.0.0.2 bfd profile fast
EOF
start_ped "$NA" a "$TMPD/a.conf" || { fail "ped started"; topo_done; exit 1; }
pesh() { "$PESH" -N a -c "$*"; }
frr_json() { # frr_json 'cmd' 'expected subset' [tries]
	local out
	for _ in $(seq "${3:-50}"); do
		out=$("${VTY[@]}" -c "$1" 2>&1)
		printf '%s' "$out" | $JSONCMP "$2" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	printf '%s' "$out" | $JSONCMP "$2"
	return 1
}
jget() { $PY -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

# ---- up, with each other's discriminators and timers ----
check "ped: session up at 100 ms" wait_json a "show bfd peers json" \
	'[{"peer":"10.0.0.2","vrf":"default","multihop":false,"status":"up","diagnostic":"ok","detect-multiplier":3,"receive-interval":100,"transmit-interval":100,"remote-detect-multiplier":3,"peerType":"configured","clients":1}]' 50
check "FRR: session up" frr_json "show bfd peers json" '[{"peer":"10.0.0.1","status":"up"}]'
PED_ID=$(pesh "show bfd peer 10.0.0.2 json" | jget 'd["id"]')
FRR_ID=$("${VTY[@]}" -c "show bfd peers json" | jget 'd[0]["id"]')
check "FRR knows ped's discriminator" frr_json "show bfd peers json" "[{\"remote-id\":$PED_ID}]"
check "ped knows FRR's discriminator" wait_json a "show bfd peer 10.0.0.2 json" "{\"remote-id\":$FRR_ID}"
check "after the Poll Sequence both run at 100 ms (FRR sees ped's 100/100)" frr_json \
	"show bfd peers json" '[{"remote-receive-interval":100,"remote-transmit-interval":100}]'
check "ped sees FRR's 100/100 and runs at 100 ms" wait_json a "show bfd peer 10.0.0.2 json" \
	'{"remote-receive-interval":100,"remote-transmit-interval":100,"actualTransmitIntervalMs":100,"detectTimeMs":300}'
check "BGP Established (ped)" wait_json a "show bgp neighbors 10.0.0.2 json" \
	'{"10.0.0.2":{"bgpState":"Established","peerBfdInfo":{"type":"single hop","profile":"fast","detectMultiplier":3,"rxMinInterval":100,"txMinInterval":100,"status":"Up"}}}' 100
check "BGP Established (FRR) with BFD Up in its peerBfdInfo" frr_json "show bgp neighbors 10.0.0.1 json" \
	'{"10.0.0.1":{"bgpState":"Established","peerBfdInfo":{"type":"single hop","status":"Up"}}}' 100
check "text: show bfd peers in bfdd's layout" sh -c "'$PESH' -N a -c 'show bfd peers' | grep -q '^		Status: up'"
check "text: show bgp neighbors has the BFD lines" sh -c \
	"'$PESH' -N a -c 'show bgp neighbors 10.0.0.2' | grep -q '  BFD: Type: single hop'"

# ---- 100 ms x 3 holds ----
sleep 10
DOWNS=$(pesh "show bfd peers counters json" | jget 'd[0]["session-down"]')
FRR_DOWNS=$("${VTY[@]}" -c "show bfd peers counters json" | jget 'd[0]["session-down"]')
RX=$(pesh "show bfd peers counters json" | jget 'd[0]["control-packet-input"]')
check "no flap over 10 s at 100 ms x 3 (ped $DOWNS, FRR $FRR_DOWNS downs; ped received $RX packets)" \
	test "$DOWNS" = 0 -a "$FRR_DOWNS" = 0 -a "$RX" -ge 80

# ---- on the wire ----
if command -v tshark >/dev/null; then
	ip netns exec "$NA" tshark -i "$VA" -a duration:2 -f "udp dst port 3784 and src host 10.0.0.1" \
		-T fields -e ip.ttl -e bfd.version -e bfd.sta -e bfd.my_discriminator -e _ws.malformed \
		>"$TMPD/tshark.out" 2>/dev/null
	check "tshark: ped's packets are BFD v1 Up with TTL 255 and ped's discriminator" $PY -c "
import sys
rows=[l.split('\t') for l in open('$TMPD/tshark.out').read().split('\n') if l]
assert len(rows)>=10, rows
for r in rows:
    assert r[0]=='255' and r[1]=='1' and int(r[2],0)==3 and int(r[3],0)==$PED_ID and (len(r)<5 or r[4]==''), r
"
fi

# ---- GTSM: TTL 254 on the single-hop port is dropped ----
DROP0=$(pesh "show bfd peers counters json" | jget 'd[0]["control-packet-dropped"]')
ip netns exec "$NB" $PY - "$PED_ID" "$FRR_ID" <<'EOF'
import socket, struct, sys
your, my = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 254)
s.bind(("10.0.0.2", 0))
pkt = struct.pack("!BBBBIIIII", 0x20, 3 << 6, 3, 24, my, your, 100000, 100000, 0)
for _ in range(5):
    s.sendto(pkt, ("10.0.0.1", 3784))
EOF
sleep 0.3
DROP1=$(pesh "show bfd peers counters json" | jget 'd[0]["control-packet-dropped"]')
check "5 packets with TTL 254 dropped ($DROP0 -> $DROP1)" test "$DROP1" -ge $((DROP0 + 5))
check "and the session is still up" wait_json a "show bfd peer 10.0.0.2 json" '{"status":"up"}' 1

# ---- failure: FRR's packets lost ----
EST0=$(pesh "show bgp neighbors 10.0.0.2 json" | jget 'd["10.0.0.2"]["connectionsDropped"]')
T0=$(date +%s%N)
ip -n "$NB" route add blackhole 10.0.0.1/32 || fail "blackhole route"
for _ in $(seq 200); do
	pesh "show bfd peer 10.0.0.2 json" | grep -q '"status":"down"' && break
	sleep 0.02
done
T1=$(date +%s%N)
echo "    measured: ped saw BFD down $(( (T1 - T0) / 1000000 )) ms after FRR's packets stopped (detection time 300 ms)"
check "ped: BFD down, control detection time expired" wait_json a "show bfd peer 10.0.0.2 json" \
	'{"status":"down","diagnostic":"control detection time expired"}' 5
check "ped: BGP reset by BFD (Cease/10)" wait_json a "show bgp neighbors 10.0.0.2 json" \
	'{"10.0.0.2":{"peerBfdInfo":{"status":"Down"}}}' 10
LAST=$(pesh "show bgp neighbors 10.0.0.2 json" | jget 'd["10.0.0.2"].get("lastErrorCodeSubcode","")')
STATE=$(pesh "show bgp neighbors 10.0.0.2 json" | jget 'd["10.0.0.2"]["bgpState"]')
T2=$(date +%s%N)
echo "    measured: BGP $STATE $(( (T2 - T0) / 1000000 )) ms after the loss began; last error: $LAST"
check "ped's BGP left Established with Cease/10 BFD Down" sh -c "[ '$STATE' != Established ] && echo '$LAST' | grep -q '6/10'"
check "FRR: BFD down (ped signaled it) and its BGP not Established" frr_json "show bgp neighbors 10.0.0.1 json" \
	'{"10.0.0.1":{"peerBfdInfo":{"status":"Down"}}}' 25
ip -n "$NB" route del blackhole 10.0.0.1/32
check "BFD up again once packets flow" wait_json a "show bfd peer 10.0.0.2 json" '{"status":"up"}' 50
check "BGP Established again" wait_json a "show bgp neighbors 10.0.0.2 json" \
	'{"10.0.0.2":{"bgpState":"Established","peerBfdInfo":{"status":"Up"}}}' 100
EST1=$(pesh "show bgp neighbors 10.0.0.2 json" | jget 'd["10.0.0.2"]["connectionsDropped"]')
check "one connection dropped ($EST0 -> $EST1)" test "$EST1" = $((EST0 + 1))

# ---- remote AdminDown: session down, BGP stays ----
"${VTY[@]}" -c "configure terminal" -c "bfd" -c "peer 10.0.0.1" -c "shutdown" >/dev/null
check "ped: down by the remote's AdminDown" wait_json a "show bfd peer 10.0.0.2 json" \
	'{"status":"down","diagnostic":"neighbor signaled session down"}' 25
sleep 1
check "ped's BGP stays Established (RFC 5880 6.8.16)" wait_json a "show bgp neighbors 10.0.0.2 json" \
	"{\"10.0.0.2\":{\"bgpState\":\"Established\",\"connectionsDropped\":$EST1}}" 1
"${VTY[@]}" -c "configure terminal" -c "bfd" -c "peer 10.0.0.1" -c "no shutdown" >/dev/null
check "up again after FRR's no shutdown" wait_json a "show bfd peer 10.0.0.2 json" '{"status":"up"}' 50

# ---- ped's own shutdown: FRR sees AdminDown ----
"$PESH" -N a -c "configure terminal" -c "bfd" -c "peer 10.0.0.2" -c "shutdown" >/dev/null
check "ped: shutdown shows as status shutdown" wait_json a "show bfd peer 10.0.0.2 json" \
	'{"status":"shutdown","diagnostic":"administratively down"}' 5
check "FRR: remote diagnostic administratively down" frr_json "show bfd peers json" \
	'[{"status":"down","remote-diagnostic":"administratively down"}]' 25
check "running-config keeps the peer block" sh -c "'$PESH' -N a -c 'show running-config' | grep -A3 '^ peer 10.0.0.2' | grep -q '  shutdown'"

topo_done
