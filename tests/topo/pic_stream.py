#!/usr/bin/python3
"""Helpers of tests/topo/pic_edge.sh (BGP PIC edge on topologies/l3vpn-pic.yml).

  pic_stream.py send --src A --dst D1[,D2...] --port P --rate R --out FILE
      one-way UDP stream, R packets/s to each destination (flow i = the i-th
      destination), each datagram carrying flow, sequence number and send
      time (CLOCK_REALTIME); runs until SIGTERM/SIGINT or --max seconds,
      then writes "flow sent" lines to FILE.
  pic_stream.py recv --port P --out FILE [--ready F]
      receives the stream, with the kernel's arrival time (SO_TIMESTAMPNS,
      CLOCK_REALTIME) of each datagram; until SIGTERM/SIGINT or --max,
      then writes "flow seq sent_ns arrival_ns" lines to FILE.
  pic_stream.py sniff --if IFACE --out FILE [--ready F]
      BFD control packets (UDP to port 3784/4784) in and out of IFACE, with
      the kernel's timestamps: "ts_ns in|out src dst state diag" lines.
  pic_stream.py routes N GW
      the static route lines (" ip route 100.X.Y.0/24 GW") of N /24s from
      100.0.0.0/24 on, for a VRF block.
  pic_stream.py bgp --local A --peer P [--as AS] --routes N [--ready F]
      a minimal eBGP speaker (the CE's side of a PE-CE session): connects
      from A to P, announces the N /24s of `routes` with next hop A (about
      1000 prefixes per UPDATE), then End-of-RIB (the ready file is written
      then), keeps the session up and reads what the PE sends; connects
      again after a loss; until SIGTERM/SIGINT.
  pic_stream.py nexthops PREFIX < show-ip-route-json
      "nexthops IP,IP... backups IP,IP..." of PREFIX's selected route.
  pic_stream.py analyze --recv F --sent F --fail T --label L
                [--sniff F --peer IP --local IP --detect-ms D] [--log F]
      [--pic-msecs EPOCH_MS --pic-reason R]
      the figures of one failure at time T (seconds since the epoch):
      outage, lost packets, BFD detection and the switch after it; prints
      one table line per flow and "KEY=VALUE" lines for the shell.

All namespaces share CLOCK_REALTIME, so sender, receiver, sniffer and the
shell's `date +%s.%N` are on one clock."""
import argparse
import json
import os
import re
import signal
import socket
import struct
import sys
import time

SO_TIMESTAMPNS = 35
SCM_TIMESTAMPNS = SO_TIMESTAMPNS
SO_ATTACH_FILTER = 26
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
HDR = struct.Struct("!BIQ")  # flow, seq, send time (ns)
STATES = {0: "admindown", 1: "down", 2: "init", 3: "up"}

stop = False


def on_signal(signum, frame):
    global stop
    stop = True


def signals():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


def ready(path):
    if path:
        with open(path, "w") as f:
            f.write("%d\n" % os.getpid())


def write_atomic(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("".join(lines))
    os.rename(tmp, path)


def cmd_send(a):
    dsts = a.dst.split(",")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.src, 0))
    signals()
    pad = b"\0" * max(0, a.size - HDR.size)
    sent = [0] * len(dsts)
    period = 1.0 / a.rate
    t0 = time.monotonic()
    deadline = t0 + a.max
    i = 0
    ready(a.ready)
    while not stop:
        now = time.monotonic()
        if now >= deadline:
            break
        due = t0 + i * period
        if due > now:
            time.sleep(due - now)
            continue
        for f, d in enumerate(dsts):
            try:
                s.sendto(HDR.pack(f, i, time.time_ns()) + pad, (d, a.port))
                sent[f] += 1
            except OSError:
                pass  # no route for a moment: the packet counts as lost
        i += 1
        if now - due > 1.0:  # fell far behind (the machine stalled): do not burst
            t0 = now - i * period
    write_atomic(a.out, ["%d %d\n" % (f, n) for f, n in enumerate(sent)])


def cmd_recv(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("0.0.0.0", a.port))
    s.settimeout(0.2)
    signals()
    out = []
    deadline = time.monotonic() + a.max
    ready(a.ready)
    while not stop and time.monotonic() < deadline:
        try:
            data, anc, _, _ = s.recvmsg(2048, 64)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if len(data) < HDR.size:
            continue
        ts = None
        for lvl, typ, val in anc:
            if lvl == socket.SOL_SOCKET and typ == SCM_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", val[:16])
                ts = sec * 1000000000 + nsec
        if ts is None:
            ts = time.time_ns()
        f, seq, sent = HDR.unpack_from(data)
        out.append("%d %d %d %d\n" % (f, seq, sent, ts))
    write_atomic(a.out, out)


def bfd_filter():
    # classic BPF: IPv4, UDP, not a fragment, destination port 3784 or 4784
    ins = [
        (0x28, 0, 0, 12),          # ldh [12]
        (0x15, 0, 9, 0x0800),      # jeq IPv4 else drop
        (0x30, 0, 0, 23),          # ldb [23]
        (0x15, 0, 7, 17),          # jeq UDP else drop
        (0x28, 0, 0, 20),          # ldh [20]
        (0x45, 5, 0, 0x1FFF),      # jset fragment offset: drop
        (0xB1, 0, 0, 14),          # ldxb 4*([14]&0xf)
        (0x48, 0, 0, 16),          # ldh [x+16]: destination port
        (0x15, 1, 0, 4784),        # multi-hop BFD
        (0x15, 0, 1, 3784),        # single-hop BFD
        (0x06, 0, 0, 0xFFFF),      # accept
        (0x06, 0, 0, 0),           # drop
    ]
    import ctypes
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *i) for i in ins))
    return buf, struct.pack("HL", len(ins), ctypes.addressof(buf))


def cmd_sniff(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep, prog = bfd_filter()
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((a.iface, ETH_P_ALL))
    # what queued before the filter was attached
    s.setblocking(False)
    try:
        while True:
            s.recv(65536)
    except BlockingIOError:
        pass
    s.settimeout(0.2)
    signals()
    out = []
    deadline = time.monotonic() + a.max
    ready(a.ready)
    while not stop and time.monotonic() < deadline:
        try:
            data, anc, _, addr = s.recvmsg(2048, 64)
        except (socket.timeout, InterruptedError):
            continue
        ts = None
        for lvl, typ, val in anc:
            if lvl == socket.SOL_SOCKET and typ == SCM_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", val[:16])
                ts = sec * 1000000000 + nsec
        if ts is None:
            ts = time.time_ns()
        if len(data) < 14 + 20 + 8 + 24:
            continue
        ihl = (data[14] & 0xF) * 4
        src = socket.inet_ntoa(data[26:30])
        dst = socket.inet_ntoa(data[30:34])
        b = 14 + ihl + 8
        diag = data[b] & 0x1F
        state = STATES[data[b + 1] >> 6]
        d = "out" if addr[2] == PACKET_OUTGOING else "in"
        out.append("%d %s %s %s %s %d\n" % (ts, d, src, dst, state, diag))
    write_atomic(a.out, out)


def cmd_routes(a):
    w = sys.stdout.write
    for n in prefixes24(a.n):
        w(" ip route %d.%d.%d.0/24 %s\n" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, a.gw))


def prefixes24(n):
    base = 100 << 24
    for i in range(n):
        yield base + (i << 8)


def bgp_msg(typ, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), typ) + body


def bgp_read(sk, buf):
    """One message from sk (buf: bytes already read): (type, body, rest)."""
    while len(buf) < 19 or len(buf) < struct.unpack("!H", buf[16:18])[0]:
        d = sk.recv(65536)
        if not d:
            raise ConnectionError("closed by the peer")
        buf += d
    ln = struct.unpack("!H", buf[16:18])[0]
    return buf[18], buf[19:ln], buf[ln:]


def bgp_session(a, sk):
    caps = struct.pack("!BBHBB", 1, 4, 1, 0, 1)      # multiprotocol IPv4 unicast
    caps += struct.pack("!BBI", 65, 4, a.asn)        # 4-octet AS
    opt = struct.pack("!BB", 2, len(caps)) + caps
    rid = socket.inet_aton(a.router_id or a.local)
    sk.sendall(bgp_msg(1, struct.pack("!BHH4sB", 4, a.asn if a.asn < 65536 else 23456, 90, rid, len(opt)) + opt))
    buf = b""
    typ, body, buf = bgp_read(sk, buf)
    if typ != 1:
        raise ConnectionError("expected an OPEN, got type %d" % typ)
    as4 = False                                      # the peer has the 4-octet AS capability
    i, end = 10, 10 + body[9]
    while i + 2 <= end:
        if body[i] == 2:
            j = i + 2
            while j + 2 <= i + 2 + body[i + 1]:
                as4 = as4 or body[j] == 65
                j += 2 + body[j + 1]
        i += 2 + body[i + 1]
    sk.sendall(bgp_msg(4, b""))
    while True:
        typ, body, buf = bgp_read(sk, buf)
        if typ == 3:
            raise ConnectionError("NOTIFICATION %d/%d" % (body[0], body[1]))
        if typ == 4:
            break
    aspath = struct.pack("!BBI", 2, 1, a.asn) if as4 else struct.pack("!BBH", 2, 1, a.asn)
    attrs = (struct.pack("!BBBB", 0x40, 1, 1, 0) + struct.pack("!BBB", 0x40, 2, len(aspath)) + aspath +
             struct.pack("!BBB", 0x40, 3, 4) + socket.inet_aton(a.local))
    room = (4096 - 19 - 4 - len(attrs)) // 4
    nlri = []
    for p in prefixes24(a.routes):
        nlri.append(struct.pack("!BBBB", 24, p >> 24, (p >> 16) & 255, (p >> 8) & 255))
        if len(nlri) == room:
            sk.sendall(bgp_msg(2, struct.pack("!HH", 0, len(attrs)) + attrs + b"".join(nlri)))
            nlri = []
    if nlri:
        sk.sendall(bgp_msg(2, struct.pack("!HH", 0, len(attrs)) + attrs + b"".join(nlri)))
    sk.sendall(bgp_msg(2, struct.pack("!HH", 0, 0)))  # End-of-RIB
    ready(a.ready)
    sk.settimeout(1.0)
    last = time.monotonic()
    while not stop:
        try:
            typ, body, buf = bgp_read(sk, buf)
            if typ == 3:
                raise ConnectionError("NOTIFICATION %d/%d" % (body[0], body[1]))
        except socket.timeout:
            pass
        if time.monotonic() - last >= 20:
            sk.sendall(bgp_msg(4, b""))
            last = time.monotonic()


def cmd_bgp(a):
    signals()
    said = None
    while not stop:
        sk = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sk.bind((a.local, 0))
            sk.settimeout(5.0)
            sk.connect((a.peer, 179))
            sk.settimeout(30.0)
            bgp_session(a, sk)
        except (OSError, ConnectionError, IndexError, struct.error) as e:
            if not stop and str(e) != said:  # each error once, not each retry
                print("bgp %s -> %s: %s (trying again every second)" % (a.local, a.peer, e), file=sys.stderr)
                said = str(e)
        finally:
            sk.close()
        if not stop:
            time.sleep(1)


def cmd_nexthops(a):
    try:
        d = json.load(sys.stdin)
    except json.JSONDecodeError:
        print("nexthops - backups -")
        return 1
    nh, bk = [], []
    for r in d.get(a.prefix, []):
        if not r.get("selected"):
            continue
        nh += [n.get("ip", "?") for n in r.get("nexthops", []) if n.get("active", True)]
        bk += [n.get("ip", "?") for n in r.get("backupNexthops", [])]
    print("nexthops %s backups %s" % (",".join(nh) or "-", ",".join(bk) or "-"))
    return 0


def load_recv(path):
    flows = {}
    with open(path) as f:
        for line in f:
            fl, seq, sent, arr = (int(x) for x in line.split())
            flows.setdefault(fl, {})[seq] = (sent, arr)
    return flows


def log_time(path, peer):
    """The time of pe1's log line "BFD peer PEER ...: up -> down": (seconds
    since the epoch, exact) where the log has fractions of a second, else
    (the whole second, False). None without such a line."""
    rx = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(\S*) .*BFD peer %s .*: up -> down"
                    % re.escape(peer))
    found = None
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = rx.match(line)
                if m:
                    found = m
    except OSError:
        return None
    if found is None:
        return None
    base = time.mktime(time.strptime(found.group(1), "%Y-%m-%dT%H:%M:%S"))
    frac = found.group(2)
    return (base + float(frac), True) if frac else (base, False)


def pic_log_reason(path, peer, fail):
    """The reason of the first "PIC: remote PE PEER down (REASON)" line of
    the log from the second of the failure on, None without one."""
    rx = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\S* .*PIC: remote PE %s down \(([^)]*)\)"
                    % re.escape(peer))
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = rx.match(line)
                if m and time.mktime(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) >= int(fail):
                    return m.group(2)
    except OSError:
        pass
    return None


def cmd_analyze(a):
    fail = a.fail
    res = {"label": a.label}
    # BFD detection at pe1
    det, how = None, "none"
    last_rx = first_down = None
    if a.sniff and os.path.exists(a.sniff):
        with open(a.sniff) as f:
            pk = [l.split() for l in f]
        pk = [(int(p[0]) / 1e9, p[1], p[2], p[3], p[4]) for p in pk if len(p) >= 5]
        for ts, d, src, dst, st in pk:
            if d == "out" and src == a.local and dst == a.peer and st == "down" and ts > fail:
                first_down = ts
                break
        for ts, d, src, dst, st in pk:
            if d == "in" and src == a.peer and (first_down is None or ts < first_down):
                last_rx = ts
    logt = log_time(a.log, a.peer) if a.log else None
    pic = a.pic_msecs / 1000.0 if a.pic_msecs and a.pic_msecs / 1000.0 > fail else None
    # why the slot went down first: the log's line "PIC: remote PE X down
    # (REASON)" (the JSON's downReason is that of the last cause: BFD also
    # goes down after a flip for the loss of the core path)
    reason = a.pic_reason
    first = pic_log_reason(a.log, a.peer, fail) if a.log else None
    if first is not None:
        reason = "bfd" if first.startswith("BFD") else first
    res["pic_ms"] = (pic - fail) * 1000 if pic is not None else None
    res["pic_reason"] = reason if pic is not None else None
    if pic is not None and reason == "bfd":
        det, how = pic, "pic-slot"  # the slot flips in BFD's callback: exact
    elif logt and logt[1]:
        det, how = logt[0], "log"
    elif last_rx is not None and a.detect_ms:
        # pe1's detection timer is due at the last packet from the peer plus
        # the detection time; pe1 handles it then or, when its event loop is
        # busy, later: not before the second its log names, and before the
        # first Down packet it sends (after its BFD clients ran)
        det, how = last_rx + a.detect_ms / 1000.0, "lastrx+%dms" % a.detect_ms
        if logt and logt[0] > det and (first_down is None or logt[0] <= first_down):
            det, how = logt[0], "log-second"
        if first_down is not None and first_down < det:
            det, how = first_down, "downpkt"
    elif first_down is not None:
        det, how = first_down, "downpkt"
    elif logt:
        det, how = logt[0] + 0.5, "log+-0.5s"
    res["detect_how"] = how
    res["detect_ms"] = (det - fail) * 1000 if det is not None else None
    res["downpkt_ms"] = (first_down - fail) * 1000 if first_down is not None else None

    sent = {}
    with open(a.sent) as f:
        for line in f:
            fl, n = line.split()
            sent[int(fl)] = int(n)
    flows = load_recv(a.recv)
    names = (a.names or "").split(",")
    lines = []
    for fl in sorted(sent):
        got = flows.get(fl, {})
        nsent = sent[fl]
        seqs = sorted(s for s in got if s < nsent)
        # the packets of the failure: those sent from 1 s before it on
        start = next((s for s in seqs if got[s][0] / 1e9 >= fail - 1.0), nsent)
        inwin = sum(1 for s in seqs if s >= start)
        lost = (nsent - start) - inwin
        r = {"sent": nsent - start, "received": inwin, "lost": lost,
             "lost_before": start - (len(seqs) - inwin)}
        # the longest gap in received sequence numbers around the failure (the
        # packets sent from 1 s before it on; the arrival times of its ends);
        # without loss, the longest gap in arrival times there
        best = None
        prev = None
        for s in seqs:
            st, ar = got[s]
            if prev is not None and st / 1e9 >= fail - 1.0:
                ps, (pst, par) = prev, got[prev]
                key = (s - ps, ar - par)
                if best is None or key > best[0]:
                    best = (key, ps, s, par, ar)
            prev = s
        gaps = []
        prev = None
        for s in seqs:
            if prev is not None and got[s][0] / 1e9 >= fail - 1.0 and got[s][1] - got[prev][1] >= 10e6:
                gaps.append("%+.0f..%+.0f ms (%d lost)" % ((got[prev][1] / 1e9 - fail) * 1000,
                                                          (got[s][1] / 1e9 - fail) * 1000, s - prev - 1))
            prev = s
        r["gaps"] = gaps
        after = [got[s][1] for s in seqs if got[s][0] / 1e9 > fail]
        r["after_fail"] = len(after)
        r["resumed"] = bool(after) and seqs[-1] >= nsent - 50
        if best is not None:
            (_, _), ps, s, par, ar = best
            r["gap_seqs"] = s - ps - 1
            r["outage_ms"] = (ar - par) / 1e6
            r["first_after"] = ar / 1e9
            r["resume_ms"] = (ar / 1e9 - fail) * 1000
            r["switch_ms"] = (ar / 1e9 - det) * 1000 if det is not None else None
        else:
            r.update(gap_seqs=None, outage_ms=None, first_after=None, resume_ms=None, switch_ms=None)
        if best is not None and best[0][0] <= 1:
            # nothing lost: the longest gap is jitter, not an outage; the
            # traffic did not wait for the detection
            r["switch_ms"] = 0.0 if det is not None else None
            r["resume_ms"] = 0.0
        if not r["resumed"]:
            r["switch_ms"] = None
        res["flow%d" % fl] = r
        nm = names[fl] if fl < len(names) and names[fl] else "flow%d" % fl

        def f(v, fmt="%.1f"):
            return "-" if v is None else fmt % v
        lines.append("PIC | %-19s | %-14s | outage %8s ms | lost %6d/%-6d | detect %6s ms | "
                     "after-detect %8s ms | resumed %8s ms | pic flip %s"
                     % (a.label, nm, f(r["outage_ms"]), lost, nsent - start, f(res["detect_ms"]),
                        f(r["switch_ms"]), f(r["resume_ms"]) if r["resumed"] else "NEVER",
                        "%.1f ms (%s)" % (res["pic_ms"], res["pic_reason"]) if res["pic_ms"] is not None else "-"))
    lines.append("    BFD Down at pe1 from: %s" % {
        "pic-slot": "show dataplane json picRemotePes lastChangeEpochMsecs (downReason bfd), exact",
        "log": "pe1's log (milliseconds)",
        "downpkt": "the first BFD Down packet pe1 sent (an upper bound)",
        "log-second": "the start of the second of pe1's log line (pe1's event loop was busy past the "
                      "expiry of the detection time; the log has no milliseconds)"}.get(
            how, how + ": the last BFD packet from the peer at pe1's core port + the detection time"))
    for l in lines:
        print(l)
    for fl in sorted(sent):
        if res["flow%d" % fl]["lost_before"]:
            print("    WARNING: %s lost %d packets more than 1 s before the failure (not counted above)"
                  % (names[fl] if fl < len(names) and names[fl] else "flow%d" % fl, res["flow%d" % fl]["lost_before"]))
        g = res["flow%d" % fl]["gaps"]
        print("    %s: arrival gaps >= 10 ms (relative to the failure): %s"
              % (names[fl] if fl < len(names) and names[fl] else "flow%d" % fl,
                 ", ".join(g[:8]) + (" ..." if len(g) > 8 else "") if g else "none"))
    if res["downpkt_ms"] is not None:
        print("    pe1 sent its first BFD Down to %s %.1f ms after the failure" % (a.peer, res["downpkt_ms"]))
    r0 = res.get("flow0", {})

    def sh(v):
        return "" if v is None else ("%.1f" % v if isinstance(v, float) else str(v))
    print("DETECT_MS=%s" % sh(res["detect_ms"]))
    print("DETECT_HOW=%s" % how.split("(")[0])
    for fl in sorted(sent):
        r = res["flow%d" % fl]
        print("F%d_OUTAGE_MS=%s" % (fl, sh(r["outage_ms"])))
        print("F%d_LOST=%d" % (fl, r["lost"]))
        print("F%d_SWITCH_MS=%s" % (fl, sh(r["switch_ms"])))
        print("F%d_RESUMED=%d" % (fl, 1 if r["resumed"] else 0))
        print("F%d_AFTER=%d" % (fl, r["after_fail"]))
        print("F%d_LOST_BEFORE=%d" % (fl, r["lost_before"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0 if r0 else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("--src", required=True)
    s.add_argument("--dst", required=True)
    s.add_argument("--port", type=int, default=4000)
    s.add_argument("--rate", type=float, default=1000)
    s.add_argument("--size", type=int, default=64)
    s.add_argument("--max", type=float, default=300)
    s.add_argument("--out", required=True)
    s.add_argument("--ready")
    s = sub.add_parser("recv")
    s.add_argument("--port", type=int, default=4000)
    s.add_argument("--max", type=float, default=300)
    s.add_argument("--out", required=True)
    s.add_argument("--ready")
    s = sub.add_parser("sniff")
    s.add_argument("--if", dest="iface", required=True)
    s.add_argument("--max", type=float, default=300)
    s.add_argument("--out", required=True)
    s.add_argument("--ready")
    s = sub.add_parser("routes")
    s.add_argument("n", type=int)
    s.add_argument("gw")
    s = sub.add_parser("bgp")
    s.add_argument("--local", required=True)
    s.add_argument("--peer", required=True)
    s.add_argument("--as", dest="asn", type=int, default=65002)
    s.add_argument("--router-id")
    s.add_argument("--routes", type=int, default=0)
    s.add_argument("--ready")
    s = sub.add_parser("nexthops")
    s.add_argument("prefix")
    s = sub.add_parser("analyze")
    s.add_argument("--recv", required=True)
    s.add_argument("--sent", required=True)
    s.add_argument("--fail", type=float, required=True)
    s.add_argument("--label", default="")
    s.add_argument("--names")
    s.add_argument("--sniff")
    s.add_argument("--peer", default="10.255.0.3")
    s.add_argument("--local", default="10.255.0.1")
    s.add_argument("--detect-ms", type=float, default=0)
    s.add_argument("--log")
    s.add_argument("--pic-msecs", type=float, default=0)
    s.add_argument("--pic-reason", default="")
    s.add_argument("--json")
    a = p.parse_args()
    return {"send": cmd_send, "recv": cmd_recv, "sniff": cmd_sniff, "routes": cmd_routes,
            "bgp": cmd_bgp, "nexthops": cmd_nexthops, "analyze": cmd_analyze}[a.cmd](a) or 0


sys.exit(main())
