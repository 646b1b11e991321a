#!/usr/bin/python3
"""Extract LDP PDUs from pcapng captures into hex vector files.

Run once (stdlib only); the output is committed so the unit tests need no
tshark. Usage: extract.py OUT.hex CAPTURE.pcapng

Adapted from tests/data/bgp/extract.py. Supports pcapng with Ethernet link
type (802.1Q tags skipped), IPv4, UDP and TCP port 646. UDP datagrams
(Hellos) are one PDU each; each TCP direction is reassembled by sequence
number (retransmissions dropped) and split into PDUs at the LDP header
(version 1, PDU length + 4 bytes). Output lines:
    <udp|tcp> <src>:<sport> <dst>:<dport> <hex of the whole PDU>
Lines starting with '#' are comments.
"""
import os
import struct
import sys

LDP_PORT = 646


# the pcapng block/packet reader is the BGP extractor's
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bgp'))
from extract import packets  # noqa: E402  (tests/data/bgp/extract.py)


def ip_payload(frame):
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
    src = '.'.join(str(b) for b in ip[12:16])
    dst = '.'.join(str(b) for b in ip[16:20])
    return ip[9], src, dst, ip[ihl:tot]


def main():
    out, caps = sys.argv[1], sys.argv[2:]
    lines = []
    for cap in caps:
        data = open(cap, 'rb').read()
        streams = {}
        lines.append('# from %s' % cap.split('/')[-1])
        for frame in packets(data):
            r = ip_payload(frame)
            if r is None:
                continue
            proto, src, dst, l4 = r
            if proto == 17:
                sport, dport, ulen = struct.unpack_from('>HHH', l4, 0)
                if LDP_PORT not in (sport, dport):
                    continue
                lines.append('udp %s:%d %s:%d %s' % (src, sport, dst, dport,
                                                     l4[8:ulen].hex()))
                continue
            if proto != 6:
                continue
            sport, dport, seq = struct.unpack_from('>HHI', l4, 0)
            if LDP_PORT not in (sport, dport):
                continue
            doff = (l4[12] >> 4) * 4
            flags = l4[13]
            key = (src, sport, dst, dport)
            st = streams.setdefault(key, {'isn': None, 'segs': {}})
            if flags & 0x02:  # SYN
                st['isn'] = seq + 1
                continue
            payload = l4[doff:]
            if payload:
                st['segs'].setdefault(seq, payload)
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
            while off + 10 <= len(buf):
                ver, ln = struct.unpack_from('>HH', buf, off)
                if ver != 1 or ln < 6 or off + 4 + ln > len(buf):
                    break
                lines.append('tcp %s:%d %s:%d %s' % (key[0], key[1], key[2], key[3],
                                                     buf[off:off + 4 + ln].hex()))
                off += 4 + ln
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
