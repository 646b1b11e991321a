#!/bin/bash
# LDP interop with FRR 8.4 ldpd (interop-frr: p1 is FRR with LDP on its PE
# links; pe1 and pe2 are ped with `mpls ldp` on eth3). pe1 (10.255.0.1) is
# the passive side toward p1 (10.255.0.2), pe2 (10.255.0.3) the active one
# (RFC 5036 2.5.2). Checks: sessions OPERATIONAL on both sides, bindings
# both ways (FRR's imp-null for its loopback and a real label for the other
# PE's, ped's imp-null for its own loopback at FRR), the LFIB follows the
# core route (swap/pop toward p1; a route removal takes the entry away, its
# return brings it back), a session cleared by FRR comes back (new TCP
# connection, bindings and LFIB restored) while tshark, capturing on pe1's
# eth3, decodes ped's Hello/Init/KeepAlive/Address/Label Mappings with
# nothing malformed, and teardown when LDP leaves the interface.
. "$(dirname "$0")/petopo_lib.sh"
pt_init l
if [ ! -x /usr/lib/frr/ldpd ]; then
	echo "SKIP: FRR is not installed"
	exit 77
fi

WAIT_TRIES=120
vty_json() { vty_json_at "$P1" "$@"; }
# binding PY-EXPR SOURCE...: true when some row of a {"bindings":[...]} dump
# (read from the command) satisfies the expression over row r
has_row() { # has_row 'python expr over r' cmd...
	local expr="$1"; shift
	"$@" 2>/dev/null | $PY -c "import json,sys
rows=json.load(sys.stdin).get('bindings',[])
sys.exit(0 if any(($expr) for r in rows) else 1)"
}
wait_row() { # wait_row 'expr' cmd... (bounded retries)
	local i
	for i in $(seq 120); do
		has_row "$@" && return 0
		sleep 0.25
	done
	echo "no row with: $1"; "${@:2}"
	return 1
}
lfib_has() { # lfib_has NODE PREFIX OUTLABEL NEXTHOP: an LFIB entry for PREFIX
	"$PESH" -N "$1" -c "show mpls table json" | $PY -c "import json,sys
t=json.load(sys.stdin)
ok=any(e.get('prefix')=='$2' and e['installed'] and int(k)==e['inLabel'] and
       any(n['type']=='LDP' and n['outLabel']==$3 and n['nexthop']=='$4' for n in e['nexthops'])
       for k,e in t.items())
sys.exit(0 if ok else 1)"
}
lfib_lacks() { ! "$PESH" -N "$1" -c "show mpls table json" | grep -q "\"prefix\":\"$2\""; }

"$PETOPO" up --name "$T" "$TOPOS/interop-frr.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
P1=$(find "$PETOPO_RUNDIR/$T" -maxdepth 2 -type d -name p1 | head -1)
check "p1's vty socket directory found" test -S "$P1/ldpd.vty"

# sessions: passive pe1, active pe2
check "FRR p1: pe1 and pe2 OPERATIONAL" vty_json "show mpls ldp neighbor json" \
	'{"neighbors":[{"neighborId":"10.255.0.1","state":"OPERATIONAL","transportAddress":"10.255.0.1"},{"neighborId":"10.255.0.3","state":"OPERATIONAL","transportAddress":"10.255.0.3"}]}'
check "ped pe1: p1 OPERATIONAL (passive role)" wait_json pe1 "show mpls ldp neighbor detail json" \
	'{"10.255.0.2":{"peerId":"10.255.0.2","state":"OPERATIONAL","role":"passive","tcpLocalPort":646}}'
check "ped pe2: p1 OPERATIONAL (active role)" wait_json pe2 "show mpls ldp neighbor 10.255.0.2 detail json" \
	'{"10.255.0.2":{"state":"OPERATIONAL","role":"active","tcpRemotePort":646,"sessionHoldtime":180}}'
check "ped pe1: GTSM on the link session (G bit both ways)" wait_json pe1 \
	"show mpls ldp neighbor detail json" '{"10.255.0.2":{"gtsm":true}}'
check "ped pe1: link adjacency on eth3" wait_json pe1 "show mpls ldp discovery json" \
	'{"adjacencies":[{"neighborId":"10.255.0.2","type":"link","interface":"eth3","helloHoldtime":15}]}'
check "ped pe1: interface eth3 with one adjacency" wait_json pe1 "show mpls ldp interface json" \
	'{"eth3: ipv4":{"name":"eth3","state":"ACTIVE","adjacencyCount":1}}'

# bindings FRR -> ped
PE1B=("$PESH" -N pe1 -c "show mpls ldp binding json")
check "pe1 has p1's imp-null for 10.255.0.2/32, in use" wait_row \
	"r['prefix']=='10.255.0.2/32' and r['neighborId']=='10.255.0.2' and r['remoteLabel']=='imp-null' and r['inUse']==1" "${PE1B[@]}"
check "pe1 has p1's real label for pe2's loopback 10.255.0.3/32, in use" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.2' and r['remoteLabel'].isdigit() and int(r['remoteLabel'])>=16 and r['inUse']==1" "${PE1B[@]}"
check "pe1 advertises imp-null for its own loopback" wait_row \
	"r['prefix']=='10.255.0.1/32' and r['localLabel']=='imp-null'" "${PE1B[@]}"
# bindings ped -> FRR
P1B=(vtysh --vty_socket "$P1" -c "show mpls ldp binding json")
check "FRR p1 has pe1's imp-null for 10.255.0.1/32, in use" wait_row \
	"r['prefix']=='10.255.0.1/32' and r['neighborId']=='10.255.0.1' and r['remoteLabel']=='imp-null' and r['inUse']==1" "${P1B[@]}"
check "FRR p1 has pe2's imp-null for 10.255.0.3/32" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.3' and r['remoteLabel']=='imp-null'" "${P1B[@]}"
lbl=$("${PE1B[@]}" | $PY -c "import json,sys
print([r['localLabel'] for r in json.load(sys.stdin)['bindings'] if r['prefix']=='10.255.0.3/32'][0])")
check "FRR p1 has pe1's label $lbl for 10.255.0.3/32" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.1' and r['remoteLabel']=='$lbl'" "${P1B[@]}"
check "the label ($lbl) is the label manager's, client ldp" wait_json pe1 \
	"show mpls label allocation json" "{\"labels\":{\"$lbl\":{\"client\":\"ldp\"}}}"

# LFIB: swap toward p1 for pe2's loopback, pop for p1's own
out=$("${PE1B[@]}" | $PY -c "import json,sys
print([r['remoteLabel'] for r in json.load(sys.stdin)['bindings'] if r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.2'][0])")
check "pe1 LFIB: 10.255.0.3/32 swap to p1's label $out via 10.0.12.2" retry 40 lfib_has pe1 10.255.0.3/32 "$out" 10.0.12.2
check "pe1 LFIB: 10.255.0.2/32 pop (imp-null) via 10.0.12.2" retry 40 lfib_has pe1 10.255.0.2/32 3 10.0.12.2

# address changes reach the peer (Address / Address Withdraw, RFC 5036 3.5.5-6)
"$PETOPO" exec "$T:pe1" -- ip addr add 10.255.100.1/32 dev lo
check "new address on pe1: FRR got a second Address message" vty_json \
	"show mpls ldp neighbor detail json" '{"10.255.0.1":{"receivedMessages":[{},{"address":2},{"addressWithdraw":0}]}}'
"$PETOPO" exec "$T:pe1" -- ip addr del 10.255.100.1/32 dev lo
check "address removed: FRR got an Address Withdraw" vty_json \
	"show mpls ldp neighbor detail json" '{"10.255.0.1":{"receivedMessages":[{},{"address":2},{"addressWithdraw":1}]}}'

# a fake LDP peer in p1's namespace (LSR 10.9.9.9, transport 10.0.12.2, lower
# than pe1's: pe1 connects): after pe1's Init it gets a PDU with version 2
# and must answer Notification "Bad Protocol Version" (0x80000002, fatal),
# close, and back off (RFC 5036 2.5.3); the FRR session stays up.
cat >"$TMPD/fake.py" <<'PYEOF'
import socket, struct, sys, time
def pdu(lsr, msgs):
    body = struct.pack("!IH", lsr, 0) + msgs
    return struct.pack("!HH", 1, len(body)) + body
def hello(lsr, trans):
    tlvs = struct.pack("!HHHH", 0x0400, 4, 3, 0) + struct.pack("!HHI", 0x0401, 4, trans)
    return struct.pack("!HHI", 0x0100, 4 + len(tlvs), 1) + tlvs
lsr, trans = 0x0a090909, 0x0a000c02
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.0.12.2"))
u.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.0.12.2", 646)); t.listen(1); t.settimeout(0.5)
c = None
for i in range(40):
    u.sendto(pdu(lsr, hello(lsr, trans)), ("224.0.0.2", 646))
    try:
        c, _ = t.accept(); break
    except socket.timeout:
        pass
if c is None:
    print("no connection from pe1"); sys.exit(1)
c.settimeout(5)
data = c.recv(4096)
if len(data) < 18 or struct.unpack("!H", data[10:12])[0] != 0x0200:
    print("expected an Init, got", data.hex()); sys.exit(1)
c.sendall(struct.pack("!HH", 2, 6) + struct.pack("!IH", lsr, 0))  # version 2
got = b""
try:
    while True:
        d = c.recv(4096)
        if not d: break
        got += d
except socket.timeout:
    print("connection not closed"); sys.exit(1)
# Notification: PDU header 10, msg header 8, Status TLV header 4, status code
if len(got) < 26 or struct.unpack("!H", got[10:12])[0] != 0x0001:
    print("expected a Notification, got", got.hex()); sys.exit(1)
st = struct.unpack("!I", got[22:26])[0] & 0xbfffffff
print("status 0x%08x" % st)
sys.exit(0 if st == 0x80000002 else 1)
PYEOF
check "malformed PDU (bad version): Notification Bad Protocol Version, reset" \
	"$PETOPO" exec "$T:p1" -- "$PY" "$TMPD/fake.py"
check "pe1 still answers, backs off 15 s before reconnecting to the fake peer" wait_json pe1 \
	"show mpls ldp neighbor detail json" '{"10.9.9.9":{"state":"NONEXISTENT","backoffSeconds":15},"10.255.0.2":{"state":"OPERATIONAL"}}'
check "the fake peer's adjacency expires (hold time 3 s)" retry 40 sh -c \
	"! '$PESH' -N pe1 -c 'show mpls ldp discovery json' | grep -q 10.9.9.9"

# malformed PDUs on an OPERATIONAL session from a fake active peer (LSR
# 10.9.9.9, transport 10.255.9.9 on p1's lo, higher than pe1's): each one
# is answered with the right Notification (fatal ones close the session,
# Unknown Message Type keeps it), and ped carries on (RFC 5036 3.5.1.2)
cat >"$TMPD/fake2.py" <<'PYEOF'
import socket, struct, sys, time
LSR, TRANS, PE = 0x0a090909, 0x0aff0909, "10.255.0.1"
PE_ID = struct.unpack("!I", socket.inet_aton(PE))[0]
mid = [100]
def msg(t, body):
    mid[0] += 1
    return struct.pack("!HHI", t, 4 + len(body), mid[0]) + body
def pdu(msgs, lsr=LSR, ver=1, plen=None):
    body = struct.pack("!IH", lsr, 0) + msgs
    return struct.pack("!HH", ver, len(body) if plen is None else plen) + body
def hello():
    tlvs = struct.pack("!HHHH", 0x0400, 4, 15, 0) + struct.pack("!HHI", 0x0401, 4, TRANS)
    return pdu(msg(0x0100, tlvs))
def init():
    csp = struct.pack("!HHBBH", 1, 30, 0, 0, 0) + struct.pack("!IH", PE_ID, 0)
    return pdu(msg(0x0200, struct.pack("!HH", 0x0500, len(csp)) + csp))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.0.12.2"))
u.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
def recv_msgs(c, want_close=False):
    """reads PDUs until timeout/close; returns list of (type, body) and closed flag"""
    out, buf, closed = [], b"", False
    c.settimeout(1.5)
    try:
        while True:
            d = c.recv(4096)
            if not d:
                closed = True; break
            buf += d
    except socket.timeout:
        pass
    while len(buf) >= 10:
        plen = struct.unpack("!H", buf[2:4])[0]
        p, buf = buf[4 + 6:4 + plen], buf[4 + plen:]
        while len(p) >= 8:
            t, l = struct.unpack("!HH", p[:4])
            out.append((t & 0x7fff, p[8:4 + l])); p = p[4 + l:]
    return out, closed
def session():
    u.sendto(hello(), ("224.0.0.2", 646))
    time.sleep(0.3)
    c = socket.socket()
    c.bind((socket.inet_ntoa(struct.pack("!I", TRANS)), 0))
    c.connect((PE, 646))
    c.sendall(init())
    got, closed = recv_msgs(c)
    types = [t for t, _ in got]
    if 0x0200 not in types or 0x0201 not in types:
        print("no Init+KeepAlive from pe1:", types); sys.exit(1)
    c.sendall(pdu(msg(0x0201, b"")))
    got, closed = recv_msgs(c)  # Address, Label Mappings
    return c
def status_of(got):
    for t, b in got:
        if t == 0x0001:
            return struct.unpack("!I", b[4:8])[0] & 0xbfffffff
    return None
cases = [
    ("bad TLV length in Label Mapping", lambda: pdu(msg(0x0400, struct.pack("!HH", 0x0100, 200) + b"\x02\x00\x01\x20")), 0x80000007, True),
    ("unknown message type (U=0)", lambda: pdu(msg(0x0999, b"")), 0x00000004, False),
    ("message length beyond the PDU", lambda: pdu(struct.pack("!HHI", 0x0201, 40, 7)), 0x80000005, True),
    ("wrong LDP ID in the PDU header", lambda: pdu(msg(0x0201, b""), lsr=0x0a080808), 0x80000001, True),
    ("PDU length over the maximum", lambda: pdu(msg(0x0201, b""), plen=5000), 0x80000003, True),
]
fails = 0
for name, mk, want, fatal in cases:
    c = session()
    c.sendall(mk())
    got, closed = recv_msgs(c)
    st = status_of(got)
    ok = st == want and closed == fatal
    print("%s - %s: status %s, closed %s" % ("ok" if ok else "FAIL", name, None if st is None else "0x%08x" % st, closed))
    fails += not ok
    c.close()
    time.sleep(0.3)
sys.exit(1 if fails else 0)
PYEOF
"$PETOPO" exec "$T:p1" -- ip addr add 10.255.9.9/32 dev lo
"$PESH" -N pe1 -c "conf t" -c "ip route 10.255.9.9/32 10.0.12.2" >/dev/null
check "malformed PDUs on a session: right Notification each, reset when fatal" \
	"$PETOPO" exec "$T:p1" -- "$PY" "$TMPD/fake2.py"
check "after them pe1 still has p1 OPERATIONAL" wait_json pe1 "show mpls ldp neighbor detail json" \
	'{"10.255.0.2":{"state":"OPERATIONAL"}}'
"$PESH" -N pe1 -c "conf t" -c "no ip route 10.255.9.9/32 10.0.12.2" >/dev/null
"$PETOPO" exec "$T:p1" -- ip addr del 10.255.9.9/32 dev lo

# a session torn down by FRR comes back, and Wireshark's LDP dissector
# finds nothing malformed in what ped sends: capture on pe1's eth3 (port
# 646, UDP hellos and the TCP session) while FRR clears the session
TSP=
stop_tshark() { # stop_tshark: ends the capture started below (its pid only)
	[ -n "$TSP" ] || return 0
	kill -TERM "$TSP" 2>/dev/null
	for _ in $(seq 40); do kill -0 "$TSP" 2>/dev/null || break; sleep 0.25; done
	kill -KILL "$TSP" 2>/dev/null
	wait "$TSP" 2>/dev/null
	TSP=
}
trap 'stop_tshark; pt_cleanup' EXIT
CAP="$TMPD/ldp.pcapng"
port0=$("$PESH" -N pe1 -c "show mpls ldp neighbor detail json" | $PY -c "import json,sys
print(json.load(sys.stdin)['10.255.0.2']['tcpRemotePort'])")
"$PETOPO" exec "$T:pe1" -- tshark -i eth3 -f "port 646" -w "$CAP" -a duration:120 >"$TMPD/tshark.out" 2>&1 &
TSP=$!
check "tshark capture started on pe1's eth3" retry 80 grep -q "Capture started" "$TMPD/tshark.out"
check "FRR clears the session with pe1" vtysh --vty_socket "$P1" -c "clear mpls ldp neighbor 10.255.0.1"
new_session() { # pe1 has p1 OPERATIONAL on another TCP connection than before
	"$PESH" -N pe1 -c "show mpls ldp neighbor detail json" | $PY -c "import json,sys
n=json.load(sys.stdin).get('10.255.0.2',{})
sys.exit(0 if n.get('state')=='OPERATIONAL' and n.get('tcpRemotePort') not in (None, $port0) else 1)"
}
check "after the clear: pe1 has p1 OPERATIONAL again, on a new connection (was port $port0)" retry 200 new_session
check "after the clear: FRR has pe1 OPERATIONAL again" vty_json "show mpls ldp neighbor json" \
	'{"neighbors":[{"neighborId":"10.255.0.1","state":"OPERATIONAL"},{"neighborId":"10.255.0.3","state":"OPERATIONAL"}]}'
lbl=$("${PE1B[@]}" | $PY -c "import json,sys
print([r['localLabel'] for r in json.load(sys.stdin)['bindings'] if r['prefix']=='10.255.0.3/32'][0])")
check "after the clear: FRR p1 has pe1's label $lbl for 10.255.0.3/32 again" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.1' and r['remoteLabel']=='$lbl'" "${P1B[@]}"
check "after the clear: pe1 has p1's label for 10.255.0.3/32 again, in use" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.2' and r['remoteLabel'].isdigit() and r['inUse']==1" "${PE1B[@]}"
out=$("${PE1B[@]}" | $PY -c "import json,sys
print([r['remoteLabel'] for r in json.load(sys.stdin)['bindings'] if r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.2'][0])")
check "after the clear: pe1 LFIB swaps to p1's label $out again" retry 40 lfib_has pe1 10.255.0.3/32 "$out" 10.0.12.2
sleep 1 # the last segments reach the capture
stop_tshark
check "capture written" test -s "$CAP"
tsh() { tshark -r "$CAP" "$@" 2>/dev/null; }
check "tshark: no malformed packet in the capture" sh -c \
	"out=\$(tshark -r '$CAP' -Y '_ws.malformed' 2>/dev/null) || exit 1; [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
check "tshark: no decoding error in the capture" sh -c \
	"! tshark -r '$CAP' -Y '_ws.expert.severity == error' 2>/dev/null | grep ."
check "tshark: ped's link Hello decoded (10.0.12.1 to 224.0.0.2, transport 10.255.0.1)" sh -c \
	"tshark -r '$CAP' -Y 'ip.src == 10.0.12.1 && ldp.msg.type == 0x0100' -T fields -e ldp.msg.tlv.ipv4.taddr 2>/dev/null | grep -qx 10.255.0.1"
check "tshark: ped's Initialization decoded (LSR 10.255.0.1, receiver 10.255.0.2)" sh -c \
	"tshark -r '$CAP' -Y 'ip.src == 10.255.0.1 && ldp.msg.type == 0x0200' -T fields -e ldp.hdr.ldpid.lsr -e ldp.msg.tlv.sess.rxlsr 2>/dev/null | grep -q '10.255.0.1.*10.255.0.2'"
check "tshark: ped's KeepAlive and Address (with 10.255.0.1) decoded" sh -c \
	"tshark -r '$CAP' -Y 'ip.src == 10.255.0.1 && ldp.msg.type == 0x0201' 2>/dev/null | grep -q . &&
	 tshark -r '$CAP' -Y 'ip.src == 10.255.0.1 && ldp.msg.type == 0x0300' -T fields -e ldp.msg.tlv.addrl.addr 2>/dev/null | grep -q '10.255.0.1'"
# ped's Label Mappings, one FEC and one label each: "prefix label" pairs
tsh -Y 'ip.src == 10.255.0.1 && ldp.msg.type == 0x0400' -T fields -E occurrence=a -E aggregator=' ' \
	-e ldp.msg.tlv.fec.pfval -e ldp.msg.tlv.generic.label |
	$PY -c "import sys
for l in sys.stdin:
    p, g = l.rstrip('\n').split('\t')
    for a, b in zip(p.split(), g.split()):
        print(a, b)" >"$TMPD/maps.txt"
check "tshark: ped's Label Mapping 10.255.0.1 -> imp-null (3) decoded" grep -qx "10.255.0.1 3" "$TMPD/maps.txt"
check "tshark: ped's Label Mapping 10.255.0.3 -> $lbl decoded" grep -qx "10.255.0.3 $lbl" "$TMPD/maps.txt"
check "tshark: every FEC of pe1's LIB mapped once, with pe1's local label" sh -c \
	"'$PESH' -N pe1 -c 'show mpls ldp binding json' | $PY -c \"import json,sys
want={}
for r in json.load(sys.stdin)['bindings']:
    l=r['localLabel']
    if l!='-':
        want[r['prefix'].split('/')[0]]='3' if l=='imp-null' else l
got=[tuple(x.split()) for x in open('$TMPD/maps.txt')]
print('want', sorted(want.items()), 'got', sorted(got))
sys.exit(0 if sorted(got)==sorted(want.items()) else 1)\""

# the in-use binding follows the core route
"$PESH" -N pe1 -c "conf t" -c "no ip route 10.255.0.3/32 10.0.12.2" >/dev/null
check "route to pe2 removed: LFIB entry gone" retry 40 lfib_lacks pe1 10.255.0.3/32
check "route to pe2 removed: p1's binding kept (liberal retention), not in use" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.2' and r['inUse']==0" "${PE1B[@]}"
"$PESH" -N pe1 -c "conf t" -c "ip route 10.255.0.3/32 10.0.12.2" >/dev/null
check "route back: LFIB swap entry back" retry 40 lfib_has pe1 10.255.0.3/32 "$out" 10.0.12.2

# targeted discovery: a multi-hop session pe1 <-> pe2 through p1 (pe2 active)
"$PESH" -N pe1 -c "conf t" -c "mpls ldp" -c "address-family ipv4" -c "neighbor 10.255.0.3 targeted" >/dev/null
"$PESH" -N pe2 -c "conf t" -c "mpls ldp" -c "address-family ipv4" -c "neighbor 10.255.0.1 targeted" >/dev/null
check "pe1: targeted adjacency with pe2" wait_json pe1 "show mpls ldp discovery json" \
	'{"adjacencies":[{"neighborId":"10.255.0.3","type":"targeted","helloHoldtime":45}]}'
check "pe1 <-> pe2 targeted session OPERATIONAL (pe2 active)" wait_json pe2 "show mpls ldp neighbor detail json" \
	'{"10.255.0.1":{"state":"OPERATIONAL","role":"active","gtsm":false,"discoverySources":{"ipv4":["targetedHello: 10.255.0.1"]}}}'
check "pe1 has pe2's imp-null for 10.255.0.3/32 (not in use: p1 is the next hop)" wait_row \
	"r['prefix']=='10.255.0.3/32' and r['neighborId']=='10.255.0.3' and r['remoteLabel']=='imp-null' and r['inUse']==0" "${PE1B[@]}"
check "pe1 LFIB still swaps toward p1 for 10.255.0.3/32" retry 40 lfib_has pe1 10.255.0.3/32 "$out" 10.0.12.2

# TCP MD5 (RFC 2385) on the pe1 <-> p1 session
"$PESH" -N pe1 -c "conf t" -c "mpls ldp" -c "neighbor 10.255.0.2 password LdpS3cret" >/dev/null
vtysh --vty_socket "$P1" -c "conf t" -c "mpls ldp" -c "neighbor 10.255.0.1 password LdpS3cret" >/dev/null
check "MD5: p1 session OPERATIONAL again, signed" wait_json pe1 "show mpls ldp neighbor detail json" \
	'{"10.255.0.2":{"state":"OPERATIONAL","authentication":"TCP MD5 Signature"}}'
check "MD5: FRR sees pe1 OPERATIONAL with TCP MD5" vty_json "show mpls ldp neighbor detail json" \
	'{"10.255.0.1":{"state":"OPERATIONAL","authentication":"TCP MD5 Signature"}}'

# teardown: LDP leaves pe1's eth3
"$PESH" -N pe1 -c "conf t" -c "mpls ldp" -c "address-family ipv4" -c "no interface eth3" >/dev/null
check "FRR p1: pe1 gone, pe2 still OPERATIONAL" vty_json "show mpls ldp neighbor json" \
	'{"neighbors":[{"neighborId":"10.255.0.3","state":"OPERATIONAL"}]}'
check "FRR p1: no neighbor 10.255.0.1 any more" retry 40 sh -c \
	"! vtysh --vty_socket '$P1' -c 'show mpls ldp neighbor json' | grep -q 10.255.0.1"
check "pe1: no adjacency, no neighbor" retry 40 sh -c \
	"! '$PESH' -N pe1 -c 'show mpls ldp discovery json' -c 'show mpls ldp neighbor json' | grep -q 10.255.0.2"
check "pe1: remote bindings from p1 gone" retry 40 sh -c \
	"! '$PESH' -N pe1 -c 'show mpls ldp binding json' | grep -q '\"neighborId\":\"10.255.0.2\"'"
check "pe1: no LDP entry left in the LFIB (VPN labels stay)" retry 40 sh -c "! '$PESH' -N pe1 -c 'show mpls table json' | grep -q '\"type\":\"LDP\"'"
check "pe1: LDP interface gone" wait_json pe1 "show mpls ldp interface json" '{"eth3: ipv4":null}'
# and back
"$PESH" -N pe1 -c "conf t" -c "mpls ldp" -c "address-family ipv4" -c "interface eth3" >/dev/null
check "interface back: session OPERATIONAL again at FRR" vty_json "show mpls ldp neighbor json" \
	'{"neighbors":[{"neighborId":"10.255.0.1","state":"OPERATIONAL"},{"neighborId":"10.255.0.3","state":"OPERATIONAL"}]}'
check "running config keeps FRR's layout" sh -c "'$PESH' -N pe1 -c 'show running-config' | grep -A20 '^mpls ldp' | grep -q '^  interface eth3'"

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
