#!/usr/bin/env python3
"""Seed corpora for the fuzz targets of tests/fuzz/, from what tests/ and
topologies/ already hold. Usage: seeds.py OUTDIR  (writes OUTDIR/<target>/)

  bgp     every message of tests/data/bgp/*.hex (captured sessions with FRR,
          GoBGP, BIRD, ExaBGP: OPENs, UPDATEs of every family, NOTIFICATIONs),
          one file per message and one per session direction (the messages
          in a row, as a TCP stream); the OPEN and UPDATE vector tables of
          tests/unit/test_bgp_wire.c (open_vecs, upd_vecs: macros expanded
          with cpp, attributes built as the test's attrs_build does)
  ldp     every PDU of tests/data/ldp/*.hex, one file each and one per TCP
          direction; the PDU and message tables of tests/unit/test_ldp_wire.c
          (pdu_vecs, msg_vecs, built as the test's pdu_build does)
  config  tests/data/config/*.conf and the node configurations of topologies/
  topo    topologies/*.yml and tests/data/topo/*.yml
  ctl     pesh requests framed as cli/ctl_proto.h says (below)
plus the checked-in tests/fuzz/corpus/<target>/ files: unit-test vectors and
every input that once crashed a target (docs/fuzzing.md).
Also OUTDIR/config.dict and OUTDIR/ctl.dict: libFuzzer dictionaries of the
keywords of every command syntax string (struct cmd_def tables) in the tree."""
import glob
import hashlib
import os
import re
import shutil
import struct
import subprocess
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


def keywords():
    words = set()
    for path in glob.glob(os.path.join(TOP, "*", "*.c")) + glob.glob(os.path.join(TOP, "*", "*", "*.c")):
        if os.sep + "tests" + os.sep in path:
            continue
        with open(path, errors="replace") as f:
            s = f.read()
        if "struct cmd_def" not in s:
            continue
        for m in re.finditer(r'\{\s*"([^"\\]+)"', s):
            for tok in re.split(r"[\s\[\](){}<>|]+", m.group(1)):
                tok = tok.split("$")[0]
                if re.fullmatch(r"[a-z][a-z0-9-]+", tok):
                    words.add(tok)
    return sorted(words)


def c_table(path, name):
    """The entries of `... name[] = { {...}, ... };` in a C file, each a list
    of its top-level fields, macros expanded by cpp (the file's own #defines
    only); string fields are the concatenation of their literals."""
    with open(path) as f:
        src = f.read()
    m = re.search(r"\b" + name + r"\[\] = \{(.*?)\n\};", src, re.S)
    if m is None:
        return []
    defines = "".join(l + "\n" for l in src.splitlines() if l.startswith("#define"))
    try:
        text = subprocess.run(["cpp", "-P"], input=defines + "TABLE_BEGIN " + m.group(1),
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    text = text.split("TABLE_BEGIN", 1)[1]
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|[{},]|[^\s{},"]+', text)
    entries, depth, field, fields = [], 0, None, []
    for t in toks:
        if t == "{":
            depth += 1
            if depth == 1:
                fields, field = [], None
        elif t == "}":
            if depth == 1:
                fields.append(field)
                entries.append(fields)
            depth -= 1
        elif t == "," and depth == 1:
            fields.append(field)
            field = None
        elif depth == 1 and t.startswith('"'):
            field = (field or "") + t[1:-1]
        elif depth == 1 and field is None:
            field = t
    return entries


def hexb(s):
    return bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", s))


def bgp_attrs(spec):
    """tests/unit/test_bgp_wire.c attrs_build: '|'-separated FLAGS TYPE VALUE."""
    out = b""
    for item in spec.split("|") if spec else []:
        if item.startswith("!"):
            out += hexb(item[1:])
            continue
        b = hexb(item)
        if len(b) < 2:
            continue
        ln = len(b) - 2
        out += b[:2] + (struct.pack(">H", ln) if b[0] & 0x10 else bytes([ln & 0xff])) + b[2:]
    return out


def bgp_msg(mtype, body):
    return b"\xff" * 16 + struct.pack(">HB", 19 + len(body), mtype) + body


def ldp_pdu(specs):
    """tests/unit/test_ldp_wire.c pdu_build: messages '|', items '/'."""
    msgs = b""
    for spec in specs.split("|"):
        items = spec.split("/")
        head = hexb(items[0])
        if len(head) != 6:
            return None
        body = head[2:]
        for it in items[1:]:
            it = it.strip()
            if it.startswith("!"):
                body += hexb(it[1:])
            else:
                b = hexb(it)
                body += b[:2] + struct.pack(">H", len(b) - 2) + b[2:]
        msgs += head[:2] + struct.pack(">H", len(body)) + body
    return struct.pack(">HH", 1, 6 + len(msgs)) + bytes.fromhex("0a00000100 00".replace(" ", "")) + msgs


def unit_vectors(out):
    bgpt = os.path.join(TOP, "tests/unit/test_bgp_wire.c")
    for e in c_table(bgpt, "open_vecs"):
        put(out, "bgp", bgp_msg(1, hexb(e[1] or "")))
    for e in c_table(bgpt, "upd_vecs"):
        wd, attrs, nlri = hexb(e[1] or ""), bgp_attrs(e[2] or ""), hexb(e[3] or "")
        body = struct.pack(">H", len(wd)) + wd + struct.pack(">H", len(attrs)) + attrs + nlri
        put(out, "bgp", bgp_msg(2, body))
    ldpt = os.path.join(TOP, "tests/unit/test_ldp_wire.c")
    for e in c_table(ldpt, "pdu_vecs"):
        put(out, "ldp", hexb(e[1] or ""))
    for e in c_table(ldpt, "msg_vecs"):
        p = ldp_pdu(e[1] or "")
        if p is not None:
            put(out, "ldp", p)


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
    unit_vectors(out)
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
    for target in ("bgp", "ldp", "config", "ctl", "topo", "bfd"):
        d = os.path.join(HERE, "corpus", target)
        for path in sorted(glob.glob(os.path.join(d, "*"))):
            with open(path, "rb") as f:
                put(out, target, f.read())
        n[target] = len(os.listdir(os.path.join(out, target)))
    words = keywords()
    for target in ("config", "ctl"):
        with open(os.path.join(out, target + ".dict"), "w") as f:
            for w in words:
                f.write('"%s "\n' % w)
    n["keywords"] = len(words)
    print(" ".join("%s %d" % kv for kv in n.items()))


if __name__ == "__main__":
    main()
