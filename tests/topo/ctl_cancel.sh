#!/bin/bash
# ^C during a streamed dump (cli/ctl_proto.h CTL_CANCEL): ped stops writing
# it. A ped in its own namespace with 30000 BGP networks; a client on the
# control socket asks for `show bgp ipv4 unicast json` (about 20 MB), reads
# one frame, sends CTL_CANCEL, then reads to the end of the reply: a DONE
# with status CMD_WARNING after far less than the whole output; the session
# still works (the next command's reply is complete, JSON that parses, all
# 30000 networks), and a CTL_CANCEL sent when no output is pending gets no
# reply (the next request's DONE is the next frame). pesh sends CTL_CANCEL
# on SIGINT during output (its side is in cli/pesh.c, recv_reply).
. "$(dirname "$0")/lib.sh"
topo_init cc

N=30000
ip netns add "$TP-r"
ip -n "$TP-r" link set lo up
{
	echo "router bgp 65000"
	echo " bgp router-id 10.255.0.1"
	echo " no bgp network import-check"
	echo " address-family ipv4 unicast"
	i=0
	while [ $i -lt $N ]; do
		echo "  network 10.$((i / 256 % 256)).$((i % 256)).0/24"
		i=$((i + 1))
	done
	echo " exit-address-family"
	echo "exit"
} >"$TMPD/r.conf"
start_ped "$TP-r" r "$TMPD/r.conf" || { fail "ped started"; topo_done; exit 1; }
check "the last network is in the BGP table" wait_json r "show bgp ipv4 unicast 10.117.47.0/24 json" '{"prefix":"10.117.47.0/24"}'

cat >"$TMPD/client.py" <<'PY'
import json, socket, struct, sys
sock_path, n = sys.argv[1], int(sys.argv[2])
EXEC, CANCEL, OUTPUT, DONE = 1, 5, 0x81, 0x82
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock_path)
def send(t, payload=b""):
    s.sendall(struct.pack("!IB", len(payload), t) + payload)
def recv_exact(k):
    b = b""
    while len(b) < k:
        c = s.recv(k - len(b))
        if not c:
            sys.exit("connection closed")
        b += c
    return b
def frame():
    ln, t = struct.unpack("!IB", recv_exact(5))
    return t, recv_exact(ln)
def reply():
    out = b""
    while True:
        t, p = frame()
        if t == OUTPUT:
            out += p
        elif t == DONE:
            return p[0], out
        else:
            sys.exit("unexpected frame type %d" % t)
# the whole table once: its size
send(EXEC, b"show bgp ipv4 unicast json")
st, full = reply()
assert st == 0, st
doc = json.loads(full)
routes = doc.get("routes", {})
assert len(routes) == n, len(routes)
# again, cancelled after the first frame
send(EXEC, b"show bgp ipv4 unicast json")
t, first = frame()
assert t == OUTPUT, t
send(CANCEL)
got = len(first)
while True:
    t, p = frame()
    if t == DONE:
        st = p[0]
        break
    got += len(p)
print("full %d bytes, cancelled after %d bytes, status %d" % (len(full), got, st))
assert st == 1, "status %d, want CMD_WARNING (1)" % st
assert got < len(full) // 4, "%d of %d bytes written after the cancel" % (got, len(full))
# a late cancel has no reply: the next frame is the next request's
send(CANCEL)
send(EXEC, b"show bgp ipv4 unicast json")
st, again = reply()
assert st == 0, st
assert len(json.loads(again).get("routes", {})) == n
print("session fine after the cancel")
PY
check "a dump cancelled after its first frame ends early with status warning; the session goes on" \
	ip netns exec "$TP-r" python3 "$TMPD/client.py" "$PE_RUNDIR/r/ped.sock" "$N"
check "ped still answers pesh" "$PESH" -N r -c "show bgp ipv4 unicast 10.0.5.0/24"
check "ped did not crash" kill -0 "$LAST_PID"

topo_done
