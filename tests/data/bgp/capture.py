#!/usr/bin/python3
"""Passive BGP capture listener and hex-vector decoder (Python 3 stdlib only).

Capture mode: listen on ADDR:PORT, accept exactly one BGP session, send our
OPEN, answer KEEPALIVEs, and write every UPDATE received (the whole message,
19-byte header included) as one line into the output file, in the format of
the other vector files here:

    <peer>:<port> <local>:<port> 2 <hex of the whole message>

Lines starting with '#' are comments (the peer's OPEN is kept as a comment
"# peer OPEN <peer>:<port> <local>:<port> 1 <hex>").  The session ends when
End-of-RIB has been seen for every negotiated address family (and, with
--wait-withdraw, a real withdrawal after that) plus --linger seconds without
another UPDATE, or at --timeout.

    capture.py --as 65000 --router-id 10.0.0.1 --listen 10.0.0.1 \\
               --out vpnv6.hex [--family-out 1/128=vpnv4.hex] [--timeout 60]

Our OPEN: hold time --hold, capabilities multiprotocol 1/1 1/128 2/1 2/128,
route refresh, extended next hop (RFC 8950) for 1/1 and 1/128 with next-hop
AFI 2, 4-octet AS, and graceful restart without address families (restart
time 0, "GR aware" only: FRR 8.4 sends End-of-RIB only to GR-aware peers;
--no-graceful-restart leaves it out).

Exit status: 0 done (all End-of-RIB seen), 1 error (bad message, NOTIFICATION,
connection closed, hold timer), 2 usage, 3 timeout before End-of-RIB (the
UPDATEs received so far are written).

Dump mode: capture.py --dump FILE... prints a human decoding of every message
line (AFI/SAFI, next-hop length and bytes, labels, RD, prefixes, attributes).
"""
import argparse
import ipaddress
import os
import select
import signal
import socket
import struct
import sys
import time

MARKER = b'\xff' * 16
MAX_MSG = 4096  # no extended-message capability is offered
T_OPEN, T_UPDATE, T_NOTIFICATION, T_KEEPALIVE, T_ROUTE_REFRESH = 1, 2, 3, 4, 5
TYPE_NAMES = {1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH'}
OUR_FAMILIES = [(1, 1), (1, 128), (2, 1), (2, 128)]
EXT_NH = [(1, 1, 2), (1, 128, 2)]
AFI_NAMES = {1: 'IPv4', 2: 'IPv6', 25: 'L2VPN'}
SAFI_NAMES = {1: 'unicast', 2: 'multicast', 4: 'labeled-unicast', 70: 'EVPN',
              128: 'VPN', 129: 'VPN-multicast', 133: 'flowspec', 134: 'VPN-flowspec'}


class DecodeError(Exception):
    pass


def log(msg):
    sys.stderr.write('capture: %s\n' % msg)
    sys.stderr.flush()


def fam(afi, safi):
    return '%d/%d (%s %s)' % (afi, safi, AFI_NAMES.get(afi, 'AFI?'), SAFI_NAMES.get(safi, 'SAFI?'))


# ------------------------------------------------------------------ encoding

def msg(mtype, body=b''):
    return MARKER + struct.pack('>HB', 19 + len(body), mtype) + body


def build_open(asn, router_id, hold, gr=True):
    caps = b''
    for afi, safi in OUR_FAMILIES:
        caps += struct.pack('>BBHBB', 1, 4, afi, 0, safi)
    caps += struct.pack('>BB', 2, 0)                                 # route refresh
    ext = b''.join(struct.pack('>HHH', *t) for t in EXT_NH)
    caps += struct.pack('>BB', 5, len(ext)) + ext                    # extended next hop
    caps += struct.pack('>BBI', 65, 4, asn)                          # 4-octet AS
    if gr:
        caps += struct.pack('>BBH', 64, 2, 0)                        # graceful restart, aware only
    opt = struct.pack('>BB', 2, len(caps)) + caps
    as2 = asn if asn <= 0xffff else 23456
    body = struct.pack('>BHH', 4, as2, hold) + socket.inet_aton(router_id) + \
        struct.pack('>B', len(opt)) + opt
    return msg(T_OPEN, body)


# ------------------------------------------------------------------ decoding

class Rd:
    """Bounds-checked reader over a bytes object."""

    def __init__(self, data, what):
        self.d, self.o, self.what = data, 0, what

    def left(self):
        return len(self.d) - self.o

    def take(self, n, what=None):
        if n < 0 or self.o + n > len(self.d):
            raise DecodeError('%s: need %d bytes at offset %d, only %d left'
                              % (what or self.what, n, self.o, self.left()))
        b = self.d[self.o:self.o + n]
        self.o += n
        return b

    def u8(self, what=None):
        return self.take(1, what)[0]

    def u16(self, what=None):
        return struct.unpack('>H', self.take(2, what))[0]

    def u32(self, what=None):
        return struct.unpack('>I', self.take(4, what))[0]


def parse_open(body):
    r = Rd(body, 'OPEN')
    o = {'version': r.u8(), 'as': r.u16(), 'hold': r.u16(),
         'id': socket.inet_ntoa(r.take(4)), 'mp': [], 'caps': [], 'as4': None, 'ext_nh': [],
         'gr': False}
    optlen = r.u8()
    opt = Rd(r.take(optlen, 'OPEN optional parameters'), 'OPEN optional parameter')
    while opt.left():
        ptype, plen = opt.u8(), opt.u8()
        pval = opt.take(plen)
        if ptype != 2:
            o['caps'].append('param%d' % ptype)
            continue
        c = Rd(pval, 'capability')
        while c.left():
            code, clen = c.u8(), c.u8()
            val = c.take(clen, 'capability %d' % code)
            if code == 1 and clen == 4:
                afi, _, safi = struct.unpack('>HBB', val)
                o['mp'].append((afi, safi))
                o['caps'].append('mp %d/%d' % (afi, safi))
            elif code == 65 and clen == 4:
                o['as4'] = struct.unpack('>I', val)[0]
                o['caps'].append('as4 %d' % o['as4'])
            elif code == 5:
                tuples = [struct.unpack_from('>HHH', val, i) for i in range(0, clen - clen % 6, 6)]
                o['ext_nh'] += tuples
                o['caps'].append('ext-nh ' + ','.join('%d/%d nh-afi %d' % t for t in tuples))
            elif code == 64:
                o['gr'] = True
                o['caps'].append('graceful-restart')
            else:
                names = {2: 'route-refresh', 6: 'extended-message', 69: 'add-path',
                         70: 'enhanced-route-refresh', 71: 'long-lived-gr', 73: 'fqdn',
                         128: 'route-refresh(old)', 9: 'bgp-role', 74: 'software-version'}
                o['caps'].append('%s(%d)%s' % (names.get(code, 'cap'), code,
                                               (' ' + val.hex()) if val and code not in (73, 74) else ''))
    return o


def fmt_rd(b):
    t = struct.unpack_from('>H', b)[0]
    if t == 0:
        return '%d:%d' % struct.unpack_from('>HI', b, 2)
    if t == 1:
        return '%s:%d' % (socket.inet_ntoa(b[2:6]), struct.unpack_from('>H', b, 6)[0])
    if t == 2:
        return '%dL:%d' % struct.unpack_from('>IH', b, 2)
    return 'type%d:%s' % (t, b[2:].hex())


def fmt_addr(b):
    if len(b) == 4:
        return socket.inet_ntop(socket.AF_INET, b)
    if len(b) == 16:
        return socket.inet_ntop(socket.AF_INET6, b)
    return b.hex()


def fmt_nexthop(afi, safi, nh):
    """Decode an MP_REACH next hop according to its length."""
    n = len(nh)
    if safi in (128, 129):
        if n in (12, 24, 48):
            step = 12 if n == 12 else 24
            parts = []
            for i in range(0, n, step):
                parts.append('RD %s %s' % (fmt_rd(nh[i:i + 8]), fmt_addr(nh[i + 8:i + step])))
            return ' + '.join(parts)
        return 'unexpected length: %s' % nh.hex()
    if n in (4, 16):
        return fmt_addr(nh)
    if n == 32:
        return '%s + link-local %s' % (fmt_addr(nh[:16]), fmt_addr(nh[16:]))
    return 'unexpected length: %s' % nh.hex()


def parse_prefixes(data, afi, safi, withdraw):
    """Return a list of strings, one per NLRI (RFC 4271 / 8277 / 4364 / 4659)."""
    r = Rd(data, 'NLRI')
    out = []
    alen = 4 if afi == 1 else 16
    while r.left():
        bits = r.u8('NLRI length')
        desc = []
        if safi in (4, 128, 129):
            labels = []
            while True:
                if bits < 24:
                    raise DecodeError('NLRI: length %d bits leaves no room for a label' % bits)
                v = int.from_bytes(r.take(3, 'label'), 'big')
                bits -= 24
                if withdraw and v in (0x800000, 0x000000):
                    labels.append('field 0x%06x (withdraw, no label)' % v)
                    break
                labels.append('%d [0x%06x%s%s]' % (v >> 4, v, ' TC %d' % ((v >> 1) & 7) if v & 0xe else '',
                                                   ' BoS' if v & 1 else ' no BoS'))
                if v & 1:
                    break
            desc.append('label ' + ', '.join(labels))
            if safi != 4:
                if bits < 64:
                    raise DecodeError('NLRI: length leaves no room for the RD')
                desc.insert(0, 'RD ' + fmt_rd(r.take(8, 'RD')))
                bits -= 64
        if bits > alen * 8:
            raise DecodeError('NLRI: prefix length %d bits > %d' % (bits, alen * 8))
        pb = r.take((bits + 7) // 8, 'prefix')
        addr = pb + b'\0' * (alen - len(pb))
        net = '%s/%d' % (fmt_addr(addr), bits)
        out.append('%s %s' % (net, ' '.join(desc)) if desc else net)
    return out


def fmt_extcomm(b):
    t, st = b[0], b[1]
    kind = {2: 'RT', 3: 'SoO'}.get(st)
    if kind and t in (0x00, 0x40):
        return '%s %d:%d' % ((kind,) + struct.unpack_from('>HI', b, 2))
    if kind and t in (0x01, 0x41):
        return '%s %s:%d' % (kind, socket.inet_ntoa(b[2:6]), struct.unpack_from('>H', b, 6)[0])
    if kind and t in (0x02, 0x42):
        return '%s %dL:%d' % ((kind,) + struct.unpack_from('>IH', b, 2))
    if t == 0x03 and st == 0x0c:
        return 'encapsulation %d' % struct.unpack_from('>H', b, 6)[0]
    return 'type 0x%02x/0x%02x %s' % (t, st, b[2:].hex())


ATTR_NAMES = {1: 'ORIGIN', 2: 'AS_PATH', 3: 'NEXT_HOP', 4: 'MED', 5: 'LOCAL_PREF',
              6: 'ATOMIC_AGGREGATE', 7: 'AGGREGATOR', 8: 'COMMUNITIES', 9: 'ORIGINATOR_ID',
              10: 'CLUSTER_LIST', 14: 'MP_REACH_NLRI', 15: 'MP_UNREACH_NLRI',
              16: 'EXTENDED_COMMUNITIES', 17: 'AS4_PATH', 18: 'AS4_AGGREGATOR',
              22: 'PMSI_TUNNEL', 32: 'LARGE_COMMUNITY', 40: 'PREFIX_SID'}


def decode_update(body, as4=True):
    """Return (lines, summary dicts) for an UPDATE body (after the header)."""
    r = Rd(body, 'UPDATE')
    lines, routes = [], []
    wl = r.u16('withdrawn routes length')
    wd = r.take(wl, 'withdrawn routes')
    al = r.u16('path attributes length')
    attrs = Rd(r.take(al, 'path attributes'), 'path attribute')
    nlri = r.d[r.o:]
    if wl == 0 and al == 0 and not nlri:
        return ['End-of-RIB 1/1 (IPv4 unicast)'], [{'eor': (1, 1)}]
    for p in parse_prefixes(wd, 1, 1, True):
        lines.append('withdrawn %s' % p)
        routes.append({'withdraw': p, 'afi': 1, 'safi': 1})
    attr_txt = []
    mp_only_unreach = None
    nattrs = 0
    nh4 = None
    while attrs.left():
        flags, code = attrs.u8(), attrs.u8()
        ln = attrs.u16() if flags & 0x10 else attrs.u8()
        v = attrs.take(ln, 'attribute %d value' % code)
        nattrs += 1
        name = ATTR_NAMES.get(code, 'attr%d' % code)
        a = Rd(v, name)
        if code == 1:
            attr_txt.append('ORIGIN %s' % {0: 'IGP', 1: 'EGP', 2: 'INCOMPLETE'}.get(v[0] if v else -1, v.hex()))
        elif code in (2, 17):
            segs = []
            w = 4 if (as4 or code == 17) else 2
            while a.left():
                st, cnt = a.u8(), a.u8()
                asns = [int.from_bytes(a.take(w), 'big') for _ in range(cnt)]
                s = ' '.join(str(x) for x in asns)
                segs.append('{%s}' % s if st == 1 else s)
            attr_txt.append('%s [%s]' % (name, ' '.join(segs)))
        elif code == 3 and ln == 4:
            nh4 = socket.inet_ntoa(v)
            attr_txt.append('NEXT_HOP %s' % nh4)
        elif code in (4, 5) and ln == 4:
            attr_txt.append('%s %d' % (name, struct.unpack('>I', v)[0]))
        elif code == 9 and ln == 4:
            attr_txt.append('ORIGINATOR_ID %s' % socket.inet_ntoa(v))
        elif code == 10:
            attr_txt.append('CLUSTER_LIST %s' % ' '.join(socket.inet_ntoa(v[i:i + 4])
                                                          for i in range(0, ln - 3, 4)))
        elif code == 8:
            attr_txt.append('COMMUNITIES %s' % ' '.join('%d:%d' % struct.unpack_from('>HH', v, i)
                                                        for i in range(0, ln - 3, 4)))
        elif code == 16:
            attr_txt.append('EXT_COMMUNITIES %s' % ', '.join(fmt_extcomm(v[i:i + 8])
                                                              for i in range(0, ln - 7, 8)))
        elif code == 14:
            afi, safi, nhl = a.u16(), a.u8(), a.u8()
            nh = a.take(nhl, 'MP_REACH next hop')
            snpa = a.u8('MP_REACH reserved')
            lines.append('MP_REACH_NLRI AFI/SAFI %s, next-hop length %d: %s [%s]%s'
                         % (fam(afi, safi), nhl, fmt_nexthop(afi, safi, nh), nh.hex(),
                            '' if snpa == 0 else ' (reserved byte %d)' % snpa))
            for p in parse_prefixes(a.d[a.o:], afi, safi, False):
                lines.append('  announce %s' % p)
                routes.append({'announce': p, 'afi': afi, 'safi': safi, 'nhl': nhl,
                               'nh': fmt_nexthop(afi, safi, nh)})
        elif code == 15:
            afi, safi = a.u16(), a.u8()
            rest = a.d[a.o:]
            if not rest:
                mp_only_unreach = (afi, safi)
            lines.append('MP_UNREACH_NLRI AFI/SAFI %s' % fam(afi, safi))
            for p in parse_prefixes(rest, afi, safi, True):
                lines.append('  withdraw %s' % p)
                routes.append({'withdraw': p, 'afi': afi, 'safi': safi})
        else:
            attr_txt.append('%s(flags 0x%02x) %s' % (name, flags, v.hex()))
    if mp_only_unreach and nattrs == 1 and not nlri and wl == 0:
        return ['End-of-RIB %s' % fam(*mp_only_unreach)], [{'eor': mp_only_unreach}]
    for p in parse_prefixes(nlri, 1, 1, False):
        lines.append('announce %s (IPv4 unicast, NEXT_HOP %s)' % (p, nh4))
        routes.append({'announce': p, 'afi': 1, 'safi': 1, 'nhl': 4, 'nh': nh4})
    if attr_txt:
        lines.append('attributes: ' + '; '.join(attr_txt))
    return lines, routes


def split_msg(m):
    if len(m) < 19 or m[:16] != MARKER:
        raise DecodeError('not a BGP message (marker)')
    ln, t = struct.unpack_from('>HB', m, 16)
    if ln != len(m):
        raise DecodeError('header length %d, line holds %d bytes' % (ln, len(m)))
    return t, m[19:]


def dump(files):
    rc = 0
    for fn in files:
        print('== %s' % os.path.basename(fn))
        with open(fn) as f:
            for no, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                if line.startswith('# peer OPEN '):
                    fields = line[len('# peer OPEN '):].split()
                elif line.startswith('#'):
                    continue
                else:
                    fields = line.split()
                try:
                    if len(fields) == 1:
                        src = dst = '?'
                        hx = fields[0]
                    elif len(fields) == 4:
                        src, dst, _, hx = fields
                    else:
                        raise DecodeError('expected "<src> <dst> <type> <hex>" or "<hex>"')
                    m = bytes.fromhex(hx)
                    t, body = split_msg(m)
                    print('line %d: %s -> %s %s, %d bytes' % (no, src, dst, TYPE_NAMES.get(t, t), len(m)))
                    if t == T_UPDATE:
                        for ln in decode_update(body)[0]:
                            print('    ' + ln)
                    elif t == T_NOTIFICATION and len(body) >= 2:
                        print('    code %d subcode %d data %s' % (body[0], body[1], body[2:].hex() or '-'))
                    elif t == T_OPEN:
                        o = parse_open(body)
                        print('    AS %d hold %d id %s; %s' % (o['as'], o['hold'], o['id'], ', '.join(o['caps'])))
                except (DecodeError, ValueError, IndexError, struct.error) as e:
                    print('line %d: DECODE ERROR: %s' % (no, e))
                    rc = 1
    return rc


# ------------------------------------------------------------------ session

class Session:
    def __init__(self, sock):
        self.s = sock
        self.buf = b''
        self.last_rx = time.monotonic()

    def send(self, m):
        self.s.sendall(m)

    def read_msg(self, wait):
        """Return (type, whole message) or None if nothing arrived within `wait` s."""
        end = time.monotonic() + wait
        while True:
            if len(self.buf) >= 19:
                if self.buf[:16] != MARKER:
                    raise DecodeError('bad marker from peer: %s' % self.buf[:19].hex())
                ln, t = struct.unpack_from('>HB', self.buf, 16)
                if ln < 19 or ln > MAX_MSG:
                    raise DecodeError('bad message length %d (type %d)' % (ln, t))
                if len(self.buf) >= ln:
                    m, self.buf = self.buf[:ln], self.buf[ln:]
                    self.last_rx = time.monotonic()
                    return t, m
            left = end - time.monotonic()
            if left <= 0:
                return None
            rd, _, _ = select.select([self.s], [], [], left)
            if not rd:
                return None
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError('peer closed the connection')
            self.buf += chunk


def is_eor(body):
    if body == b'\0\0\0\0':
        return (1, 1)
    # withdrawn len 0, attr len 6, MP_UNREACH (flags 0x80 or 0x90) with AFI/SAFI only
    if len(body) == 10 and body[:4] == b'\0\0\0\x06' and body[5] == 15 and body[6] == 3:
        return struct.unpack_from('>HB', body, 7)
    if len(body) == 11 and body[:4] == b'\0\0\0\x07' and body[5] == 15 and body[6:8] == b'\0\x03':
        return struct.unpack_from('>HB', body, 8)
    return None


def family_of(body):
    """AFI/SAFI an UPDATE belongs to (first MP attribute, else 1/1)."""
    try:
        r = Rd(body, 'UPDATE')
        r.take(r.u16())
        a = Rd(r.take(r.u16()), 'attrs')
        while a.left():
            flags, code = a.u8(), a.u8()
            ln = a.u16() if flags & 0x10 else a.u8()
            v = a.take(ln)
            if code in (14, 15) and ln >= 3:
                return struct.unpack_from('>HB', v)
    except DecodeError:
        pass
    return (1, 1)


def capture(args):
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    fam_out = {}
    for spec in args.family_out:
        try:
            f, path = spec.split('=', 1)
            afi, safi = (int(x) for x in f.split('/'))
        except ValueError:
            log('bad --family-out %r (want AFI/SAFI=FILE)' % spec)
            return 2
        fam_out[(afi, safi)] = path
    files = {}

    def out_for(key):
        path = fam_out.get(key, args.out)
        if path not in files:
            fh = open(path, 'w')
            for c in args.comment:
                fh.write('# %s\n' % c)
            files[path] = fh
        return files[path]

    v6 = ':' in args.listen
    ls = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        ls.bind((args.listen, args.port))
    except OSError as e:
        log('cannot bind %s port %d: %s' % (args.listen, args.port, e))
        return 1
    ls.listen(1)
    log('listening on %s port %d (timeout %d s)' % (args.listen, args.port, args.timeout))
    ls.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        sock, peer = ls.accept()
    except socket.timeout:
        log('timeout: no connection within %d s' % args.timeout)
        return 3
    finally:
        ls.close()
    local = sock.getsockname()
    pname = '%s:%d' % (peer[0], peer[1])
    lname = '%s:%d' % (local[0], local[1])
    log('connection from %s' % pname)
    s = Session(sock)
    rc = 0
    try:
        s.send(build_open(args.asn, args.router_id, args.hold, not args.no_graceful_restart))
        r = s.read_msg(min(30, max(0.1, deadline - time.monotonic())))
        if r is None:
            raise TimeoutError('no OPEN from the peer')
        t, m = r
        if t == T_NOTIFICATION:
            raise ConnectionError('NOTIFICATION instead of OPEN: code %d subcode %d %s'
                                  % (m[19], m[20], m[21:].hex()) if len(m) >= 21 else m.hex())
        if t != T_OPEN:
            raise DecodeError('expected OPEN, got type %d' % t)
        o = parse_open(m[19:])
        peer_as = o['as4'] if o['as4'] is not None else o['as']
        log('peer OPEN: AS %d id %s hold %d caps: %s' % (peer_as, o['id'], o['hold'], ', '.join(o['caps'])))
        if args.peer_as is not None and peer_as != args.peer_as:
            raise DecodeError('peer AS %d, expected %d' % (peer_as, args.peer_as))
        hold = min(args.hold, o['hold'])
        if hold and hold < 3:
            raise DecodeError('unacceptable hold time %d' % hold)
        families = [f for f in OUR_FAMILIES if f in o['mp']] if o['mp'] else [(1, 1)]
        log('negotiated families: %s' % ', '.join(fam(*f) for f in families))
        opencomment = '# peer OPEN %s %s 1 %s\n' % (pname, lname, m.hex())
        for key in set(families) | {(1, 1)}:
            out_for(key)
        for fh in files.values():
            fh.write(opencomment)
            fh.flush()
        s.send(msg(T_KEEPALIVE))
        last_tx = time.monotonic()
        eor = set()
        eor_all_at = None
        withdraw_seen = False
        last_update = time.monotonic()
        n_upd = 0
        while True:
            now = time.monotonic()
            if now >= deadline:
                missing = [f for f in families if f not in eor]
                if missing:
                    log('timeout after %d s: End-of-RIB missing for %s (%d UPDATEs written)'
                        % (args.timeout, ', '.join(fam(*f) for f in missing), n_upd))
                    rc = 3
                elif args.wait_withdraw and not withdraw_seen:
                    log('timeout after %d s: no withdrawal after End-of-RIB (%d UPDATEs written)'
                        % (args.timeout, n_upd))
                    rc = 3
                break
            if eor_all_at is not None and (withdraw_seen or not args.wait_withdraw) and \
                    now - last_update >= args.linger:
                log('done: %d UPDATEs' % n_upd)
                break
            if hold and now - last_tx >= hold / 3:
                s.send(msg(T_KEEPALIVE))
                last_tx = now
            if hold and now - s.last_rx > hold:
                raise TimeoutError('hold timer expired (%d s)' % hold)
            r = s.read_msg(min(0.5, max(0.01, deadline - now)))
            if r is None:
                continue
            t, m = r
            if t == T_KEEPALIVE:
                if len(m) != 19:
                    raise DecodeError('KEEPALIVE of length %d' % len(m))
                s.send(msg(T_KEEPALIVE))
                last_tx = time.monotonic()
            elif t == T_UPDATE:
                n_upd += 1
                last_update = time.monotonic()
                body = m[19:]
                e = is_eor(body)
                key = e if e else family_of(body)
                fh = out_for(key)
                fh.write('%s %s 2 %s\n' % (pname, lname, m.hex()))
                fh.flush()
                if e:
                    log('End-of-RIB %s' % fam(*e))
                    eor.add(e)
                    if eor_all_at is None and all(f in eor for f in families):
                        eor_all_at = time.monotonic()
                        log('End-of-RIB received for all negotiated families')
                else:
                    log('UPDATE %d bytes, family %s' % (len(m), fam(*key)))
                    if eor_all_at is not None:
                        try:
                            rt = decode_update(body)[1]
                        except DecodeError:
                            rt = []
                        if any('withdraw' in x for x in rt):
                            withdraw_seen = True
                            log('withdrawal received after End-of-RIB')
            elif t == T_NOTIFICATION:
                raise ConnectionError('NOTIFICATION from peer: code %d subcode %d data %s'
                                      % (m[19], m[20], m[21:].hex()) if len(m) >= 21 else m.hex())
            elif t == T_ROUTE_REFRESH:
                log('ROUTE-REFRESH received (ignored)')
            else:
                raise DecodeError('unexpected message type %d after OPEN' % t)
        try:
            s.send(msg(T_NOTIFICATION, b'\x06\x02'))  # Cease / administrative shutdown
        except OSError:
            pass
    except (DecodeError, ConnectionError, TimeoutError, OSError) as e:
        log('error: %s' % e)
        rc = 1
    finally:
        sock.close()
        for fh in files.values():
            fh.close()
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dump', nargs='+', metavar='FILE', help='decode hex vector files and exit')
    ap.add_argument('--as', dest='asn', type=int, help='our AS number')
    ap.add_argument('--router-id', help='our BGP identifier (dotted quad)')
    ap.add_argument('--peer-as', type=int, help='refuse the session if the peer has another AS')
    ap.add_argument('--listen', help='local address to listen on (IPv4 or IPv6)')
    ap.add_argument('--port', type=int, default=179)
    ap.add_argument('--out', help='output file (UPDATEs of families without --family-out)')
    ap.add_argument('--family-out', action='append', default=[], metavar='AFI/SAFI=FILE',
                    help='write UPDATEs of this family to FILE instead (repeatable)')
    ap.add_argument('--comment', action='append', default=[], help='comment line for the output header')
    ap.add_argument('--hold', type=int, default=90)
    ap.add_argument('--timeout', type=int, default=60, help='overall limit in seconds')
    ap.add_argument('--linger', type=float, default=3.0,
                    help='seconds without UPDATE after End-of-RIB before closing')
    ap.add_argument('--wait-withdraw', action='store_true',
                    help='after End-of-RIB, wait (up to --timeout) for an UPDATE withdrawing a route')
    ap.add_argument('--no-graceful-restart', action='store_true')
    args = ap.parse_args()
    if args.dump:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
        return dump(args.dump)
    missing = [n for n in ('asn', 'router_id', 'listen', 'out') if getattr(args, n) is None]
    if missing:
        ap.error('capture mode needs --as, --router-id, --listen and --out (missing: %s)'
                 % ', '.join('--' + n.replace('_', '-').replace('asn', 'as') for n in missing))
    if not 0 < args.asn < 2 ** 32:
        ap.error('--as out of range')
    try:
        socket.inet_aton(args.router_id)
        ipaddress.ip_address(args.listen)
    except (OSError, ValueError) as e:
        ap.error('bad address: %s' % e)
    return capture(args)


if __name__ == '__main__':
    sys.exit(main())
