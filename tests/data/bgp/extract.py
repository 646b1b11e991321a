#!/usr/bin/python3
"""Extract BGP messages from pcapng captures into hex vector files.

Run once (stdlib only); the output is committed so the unit tests need no
tshark. Usage: extract.py OUT.hex CAPTURE.pcapng

Supports pcapng with Ethernet link type, IPv4, TCP port 179. Each TCP
direction is reassembled by sequence number (retransmissions dropped) and
split into BGP messages at the 16-byte marker + length. Output lines:
    <src>:<sport> <dst>:<dport> <type> <hex of the whole message>
Lines starting with '#' are comments.
"""
import struct
import sys


def blocks(data):
    off = 0
    endian = '<'
    while off + 12 <= len(data):
        btype, blen = struct.unpack_from(endian + 'II', data, off)
        if btype == 0x0A0D0D0A:
            bom = data[off + 8:off + 12]
            endian = '<' if bom == b'\x4d\x3c\x2b\x1a' else '>'
            btype, blen = struct.unpack_from(endian + 'II', data, off)
        yield btype, data[off + 8:off + blen - 4], endian
        off += blen


def packets(data):
    for btype, body, e in blocks(data):
        if btype == 6:  # Enhanced Packet Block
            _, _, _, caplen, _ = struct.unpack_from(e + 'IIIII', body, 0)
            yield body[20:20 + caplen]
        elif btype == 3:  # Simple Packet Block
            yield body[4:]


def tcp_segments(frame):
    off = 12
    etype = struct.unpack_from('>H', frame, off)[0]
    off += 2
    while etype == 0x8100:
        etype = struct.unpack_from('>H', frame, off + 2)[0]
        off += 4
    if etype != 0x0800:
        return None
    ip = frame[off:]
    ihl = (ip[0] & 0x0F) * 4
    tot = struct.unpack_from('>H', ip, 2)[0]
    if ip[9] != 6:
        return None
    src = '.'.join(str(b) for b in ip[12:16])
    dst = '.'.join(str(b) for b in ip[16:20])
    tcp = ip[ihl:tot]
    sport, dport, seq = struct.unpack_from('>HHI', tcp, 0)
    doff = (tcp[12] >> 4) * 4
    flags = tcp[13]
    return (src, sport, dst, dport), seq, flags, tcp[doff:]


def main():
    out, caps = sys.argv[1], sys.argv[2:]
    lines = []
    for cap in caps:
        data = open(cap, 'rb').read()
        streams = {}
        for frame in packets(data):
            seg = tcp_segments(frame)
            if seg is None:
                continue
            key, seq, flags, payload = seg
            if key[1] != 179 and key[3] != 179:
                continue
            st = streams.setdefault(key, {'isn': None, 'segs': {}})
            if flags & 0x02:  # SYN
                st['isn'] = seq + 1
                continue
            if payload:
                st['segs'].setdefault(seq, payload)
        lines.append('# from %s' % cap.split('/')[-1])
        for key, st in streams.items():
            if not st['segs']:
                continue
            seqs = sorted(st['segs'])
            nxt = st['isn'] if st['isn'] is not None else seqs[0]
            buf = b''
            for s in seqs:
                p = st['segs'][s]
                if s + len(p) <= nxt:
                    continue
                if s > nxt:
                    break  # gap: stop this stream
                buf += p[nxt - s:]
                nxt = s + len(p)
            off = 0
            while off + 19 <= len(buf):
                if buf[off:off + 16] != b'\xff' * 16:
                    break
                ln = struct.unpack_from('>H', buf, off + 16)[0]
                if ln < 19 or off + ln > len(buf):
                    break
                msg = buf[off:off + ln]
                lines.append('%s:%d %s:%d %d %s' % (key[0], key[1], key[2], key[3],
                                                     msg[18], msg.hex()))
                off += ln
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
