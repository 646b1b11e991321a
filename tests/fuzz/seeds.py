#!/usr/bin/env python3
"""Seed corpora for the fuzz targets of tests/fuzz/, from what tests/ and
topologies/ already hold. Usage: seeds.py OUTDIR  (writes OUTDIR/<target>/)

  bgp     every message of tests/data/bgp/*.hex (captured sessions with FRR,
          GoBGP, BIRD, ExaBGP: OPENs, UPDATEs of every family, NOTIFICATIONs),
          one file per message and one per session direction (the messages
          in a row, as a TCP stream)
  ldp     every PDU of tests/data/ldp/*.hex, one file each and one per TCP
          direction
  config  tests/data/config/*.conf and the node configurations of topologies/
  topo    topologies/*.yml and tests/data/topo/*.yml
  ctl     pesh requests framed as cli/ctl_proto.h says (below)
plus the checked-in tests/fuzz/corpus/<target>/ files: unit-test vectors and
every input that once crashed a target (docs/fuzzing.md)."""
import glob
import hashlib
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))

# pesh requests: (type, line). CTL_EXEC 1, CTL_DESCRIBE 2, CTL_COMPLETE 3, CTL_PROMPT 4.
CTL_SESSIONS = [
    [(1, "show version"), (4, "")],
    [(1, "configure terminal"), (1, "vrf CUST-A"), (1, " rd 65000:1"), (2, " route-target "),
     (1, "exit-vrf"), (1, "end"), (1, "show running-config")],
    [(3, "sh"), (3, "show ip r"), (2, "show "), (2, "show bgp "), (1, "show ip route vrf all json")],
    [(1, "configure terminal"), (1, "router bgp 65000"), (1, " neighbor 10.0.0.2 remote-as 65000"),
     (1, " address-family ipv4 vpn"), (1, "  neighbor 10.0.0.2 activate"), (3, "  neighbor 10.0.0.2 "),
     (1, "end"), (1, "show bgp summary json")],
    [(1, "configure terminal"), (1, "mpls ldp"), (1, " router-id 10.255.0.1"),
     (1, " address-family ipv4"), (1, "  discovery transport-address 10.255.0.1"),
     (1, "  interface eth0"), (1, "end"), (1, "show mpls ldp binding json")],
    [(1, "configure terminal"), (1, "ip route 10.9.0.0/16 10.0.0.1"),
     (1, "route-map RM permit 10"), (1, " match community CL"), (1, "end"), (1, "exit")],
    [(4, ""), (1, "write terminal"), (1, "show interface"), (1, "quit")],
]


def frame(t, line):
    b = line.encode()
    return struct.pack(">IB", len(b), t) + b


def hexlines(path, pat):
    out = []
    with open(path) as f:
        for line in f:
            m = re.match(pat, line)
            if m:
                out.append((m.group(1), bytes.fromhex(m.group(2))))
    return out


def put(outdir, target, data):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    n = {}
    for path in sorted(glob.glob(os.path.join(TOP, "tests/data/bgp/*.hex"))):
        # "SRC DST TYPE HEX", and "# peer OPEN SRC DST 1 HEX" (the OPEN of the session)
        msgs = hexlines(path, r"^(?:# peer OPEN )?(\S+) \S+ \d+ ([0-9a-fA-F]+)\s*$")
        streams = {}
        for src, m in msgs:
            put(out, "bgp", m)
            streams[src] = streams.get(src, b"") + m
        for s in streams.values():
            put(out, "bgp", s)
    for path in sorted(glob.glob(os.path.join(TOP, "tests/data/ldp/*.hex"))):
        pdus = hexlines(path, r"^(?:udp|tcp) (\S+) \S+ ([0-9a-fA-F]+)\s*$")
        streams = {}
        for src, p in pdus:
            put(out, "ldp", p)
            streams[src] = streams.get(src, b"") + p
        for s in streams.values():
            put(out, "ldp", s)
    confs = glob.glob(os.path.join(TOP, "tests/data/config/*.conf")) + \
        glob.glob(os.path.join(TOP, "tests/data/topo/*.conf")) + \
        glob.glob(os.path.join(TOP, "topologies/*/*.conf"))
    for path in sorted(confs):
        with open(path, "rb") as f:
            put(out, "config", f.read())
    for path in sorted(glob.glob(os.path.join(TOP, "topologies/*.yml")) +
                       glob.glob(os.path.join(TOP, "tests/data/topo/*.yml"))):
        with open(path, "rb") as f:
            put(out, "topo", f.read())
    for s in CTL_SESSIONS:
        put(out, "ctl", b"".join(frame(t, line) for t, line in s))
    for target in ("bgp", "ldp", "config", "ctl", "topo"):
        d = os.path.join(HERE, "corpus", target)
        for path in sorted(glob.glob(os.path.join(d, "*"))):
            with open(path, "rb") as f:
                put(out, target, f.read())
        n[target] = len(os.listdir(os.path.join(out, target)))
    print(" ".join("%s %d" % kv for kv in n.items()))


if __name__ == "__main__":
    main()
