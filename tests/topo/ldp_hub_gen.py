#!/usr/bin/python3
"""Writes a petopo testbed of one LDP P hub and N PEs (ped everywhere).

    ldp_hub_gen.py DIR NPE LINKS_PER_PE EXTRA_P_ADDRS [NAME]

DIR/hub.yml and DIR/hub/*.conf. Link i (1..NPE*LINKS_PER_PE) joins p1:eth<i>
(10.100.x.y: .1 p1, .2 the PE; x.y = i in base 256 of /24s) to the PE's
next free port; PE k (1..NPE) has loopback 10.255.(1 + (k-1)/250).((k-1)%250 + 1),
p1 10.255.0.1 plus EXTRA_P_ADDRS more addresses on lo (10.254.0.1..). Every core route is static (no IGP in ped):
each PE reaches p1 and every other PE through its LAST link, and p1 reaches
PE k through PE k's last link, so that the next hops are p1 addresses at the
end of p1's address list and on its last interfaces (what a fixed-size
address table or a per-socket multicast limit loses first). LDP runs on every
link, router id and transport address = the loopback (the PEs' are higher:
they are the active side).
"""
import os
import sys


def link_net(i):
    return "10.%d.%d" % (100 + i // 256, i % 256)


def pe_lo(k):
    return "10.255.%d.%d" % (1 + (k - 1) // 250, (k - 1) % 250 + 1)


def main():
    out, npe, per, extra = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    name = sys.argv[5] if len(sys.argv) > 5 else "ldphub"
    os.makedirs(os.path.join(out, "hub"), exist_ok=True)
    nlinks = npe * per
    y = ["name: %s" % name, "topology:", "  nodes:", "    p1:", "      kind: ped",
         "      startup-config: hub/p1.conf"]
    y.append("      loopback: [%s]" % ", ".join(
        ["10.255.0.1/32"] + ["10.254.0.%d/32" % (a + 1) for a in range(extra)]))
    y.append("      interfaces:")
    for i in range(1, nlinks + 1):
        y.append("        eth%d: {address: %s.1/24}" % (i, link_net(i)))
    for k in range(1, npe + 1):
        y += ["    pe%d:" % k, "      kind: ped", "      startup-config: hub/pe%d.conf" % k,
              "      loopback: %s/32" % pe_lo(k), "      interfaces:"]
        for j in range(1, per + 1):
            i = (k - 1) * per + j
            y.append("        eth%d: {address: %s.2/24}" % (j, link_net(i)))
    y.append("  links:")
    for i in range(1, nlinks + 1):
        k, j = (i - 1) // per + 1, (i - 1) % per + 1
        y.append('    - endpoints: ["p1:eth%d", "pe%d:eth%d"]' % (i, k, j))
    with open(os.path.join(out, "hub.yml"), "w") as f:
        f.write("\n".join(y) + "\n")

    def ldp(rid, ifaces):
        c = ["mpls ldp", " router-id %s" % rid, " address-family ipv4",
             "  discovery transport-address %s" % rid]
        for ifn in ifaces:
            c += ["  interface %s" % ifn, "  exit"]
        return c + [" exit-address-family", "exit", "!", "end"]

    p = ["hostname p1", "!"]
    for k in range(1, npe + 1):
        p.append("ip route %s/32 %s.2" % (pe_lo(k), link_net(k * per)))
    p += ["!"] + ldp("10.255.0.1", ["eth%d" % i for i in range(1, nlinks + 1)])
    with open(os.path.join(out, "hub", "p1.conf"), "w") as f:
        f.write("\n".join(p) + "\n")
    for k in range(1, npe + 1):
        via = "%s.1" % link_net(k * per)
        c = ["hostname pe%d" % k, "!", "ip route 10.255.0.1/32 %s" % via]
        for m in range(1, npe + 1):
            if m != k:
                c.append("ip route %s/32 %s" % (pe_lo(m), via))
        c += ["!"] + ldp(pe_lo(k), ["eth%d" % j for j in range(1, per + 1)])
        with open(os.path.join(out, "hub", "pe%d.conf" % k), "w") as f:
            f.write("\n".join(c) + "\n")


if __name__ == "__main__":
    main()
