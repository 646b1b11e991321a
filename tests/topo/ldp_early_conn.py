#!/usr/bin/python3
"""A minimal LDP speaker (RFC 5036) that connects before its first Hello.

    ldp_early_conn.py session LOCAL DUT IFNAME [FLOOD]
        Connects from LOCAL to DUT:646 with no Hello sent yet, checks the
        connection is still open 1 s later (held, not reset), sends one link
        Hello (LSR ID and transport address LOCAL) out of IFNAME, then the
        Initialization; expects the DUT's Initialization and KeepAlive on
        that same connection, answers with a KeepAlive and keeps the session
        (KeepAlives every 10 s) until stdin closes. With FLOOD, it then
        sends FLOOD Label Requests for distinct FECs without a route at the
        DUT (each answered with a No Route Notification) and stops reading
        (receive buffer 4 kB): the DUT's output piles up.
    ldp_early_conn.py orphan LOCAL DUT
        Connects from LOCAL and never sends a Hello: prints the seconds until
        the DUT closes the connection (at most 20 s).
Prints one line per step; exits 1 on the first step that fails.
"""
import select
import socket
import struct
import sys
import time

PORT = 646


def ip(a):
    return socket.inet_aton(a)


def pdu(lsr, msgs):
    body = b"".join(msgs)
    return struct.pack("!HH4sH", 1, len(body) + 6, ip(lsr), 0) + body


def msg(mtype, mid, tlvs):
    body = struct.pack("!I", mid) + b"".join(tlvs)
    return struct.pack("!HH", mtype, len(body)) + body


def tlv(t, v):
    return struct.pack("!HH", t, len(v)) + v


def recv_msgs(s, want, timeout):
    """Reads PDUs until every message type in want was seen."""
    buf, seen, end = b"", [], time.time() + timeout
    while not all(w in seen for w in want):
        s.settimeout(max(0.1, end - time.time()))
        try:
            d = s.recv(4096)
        except socket.timeout:
            break
        if not d:
            print("connection closed by the DUT")
            return seen
        buf += d
        while len(buf) >= 4:
            plen = struct.unpack("!H", buf[2:4])[0] + 4
            if len(buf) < plen:
                break
            body, buf = buf[10:plen], buf[plen:]
            while len(body) >= 4:
                mt, ml = struct.unpack("!HH", body[:4])
                seen.append(mt & 0x7fff)
                body = body[4 + ml:]
        if time.time() > end:
            break
    return seen


def connect(local, dut):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((local, 0))
    s.settimeout(5)
    s.connect((dut, PORT))
    return s


def requests(local, n):
    """n Label Requests (FEC 100.64.0.0 + i/32), packed into 4096-byte PDUs."""
    out, per = [], 200
    for base in range(0, n, per):
        msgs = []
        for i in range(base, min(n, base + per)):
            a = struct.pack("!I", (100 << 24 | 64 << 16) + i)
            fec = tlv(0x0100, struct.pack("!BHB", 2, 1, 32) + a)
            msgs.append(msg(0x0401, 1000 + i, [fec]))
        out.append(pdu(local, msgs))
    return b"".join(out)


def session(local, dut, ifname, flood=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if flood:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.bind((local, 0))
    s.settimeout(5)
    s.connect((dut, PORT))
    print("connected before any Hello")
    s.settimeout(1)
    try:
        d = s.recv(1)
        print("the DUT closed the connection at once" if not d else "unexpected data")
        return 1
    except socket.timeout:
        print("still open after 1 s: held")
    except ConnectionResetError:
        print("the DUT reset the connection at once")
        return 1
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    u.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    u.bind((local, PORT))
    hello = msg(0x0100, 1, [tlv(0x0400, struct.pack("!HH", 15, 0)),
                            tlv(0x0401, ip(local))])
    u.sendto(pdu(local, [hello]), ("224.0.0.2", PORT))
    print("Hello sent")
    init = msg(0x0200, 2, [tlv(0x0500, struct.pack("!HHBBH4sH", 1, 180, 0, 0, 0, ip(dut), 0))])
    s.sendall(pdu(local, [init]))
    seen = recv_msgs(s, [0x0200, 0x0201], 10)
    if 0x0200 not in seen or 0x0201 not in seen:
        print("no Initialization and KeepAlive from the DUT: got", [hex(x) for x in seen])
        return 1
    print("Initialization and KeepAlive received on the held connection")
    mid = 3
    s.sendall(pdu(local, [msg(0x0201, mid, [])]))
    print("KeepAlive sent", flush=True)
    if flood:
        data = requests(local, flood)
        s.settimeout(30)
        try:
            s.sendall(data)
            print("%d Label Requests sent (%d bytes), not reading" % (flood, len(data)),
                  flush=True)
        except OSError as e:
            print("Label Requests: connection reset by the DUT while sending (%s)" % e,
                  flush=True)
        s = None
    # until stdin closes: Hellos every 5 s (the adjacency stays), KeepAlives
    s_ka = s
    while True:
        r, _, _ = select.select([sys.stdin], [], [], 5)
        if r and not sys.stdin.readline():
            return 0
        u.sendto(pdu(local, [hello]), ("224.0.0.2", PORT))
        if s_ka is not None:
            mid += 1
            try:
                s_ka.sendall(pdu(local, [msg(0x0201, mid, [])]))
                s_ka.setblocking(False)
                s_ka.recv(65536)
            except (BlockingIOError, OSError):
                pass


def orphan(local, dut):
    s = connect(local, dut)
    t0 = time.time()
    s.settimeout(20)
    try:
        d = s.recv(1)
    except socket.timeout:
        print("still open after 20 s")
        return 1
    except ConnectionResetError:
        d = b""
    print("closed by the DUT after %.1f s%s" % (time.time() - t0, "" if not d else " (data)"))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "session":
        sys.exit(session(sys.argv[2], sys.argv[3], sys.argv[4],
                         int(sys.argv[5]) if len(sys.argv) > 5 else 0))
    sys.exit(orphan(sys.argv[2], sys.argv[3]))
