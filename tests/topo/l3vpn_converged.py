#!/usr/bin/python3
"""Is the l3vpn-basic testbed converged?

    l3vpn_converged.py PESH [WAIT]     (PE_RUNDIR set as for pesh -N)

Converged: the BGP sessions are Established (pe1 <-> pe2 VPNv4 and VPNv6,
pe2 <-> ce2b in VRF CUST-B); the LDP sessions pe1 <-> p1 and p1 <-> pe2 are
OPERATIONAL at both ends; and in both VRFs of both PEs the remote site's
prefix (192.168.2.0/24 at pe1, 192.168.1.0/24 at pe2) is installed through
the remote PE with an LDP label for its loopback (`show ip route vrf V P
explain json`: step ldpBinding ok, "labelled"). Exit 0 when converged, else
1 with what is missing on stdout. With WAIT (seconds), polls every 50 ms
until converged or WAIT has passed, and on success prints the wall clock
time it saw convergence ("converged at EPOCH_MS"). Only reads (show
commands).
"""
import json
import subprocess
import sys
import time

PESH = sys.argv[1]


def shows(node, cmds):
    """One pesh per node: its answers to cmds, in order ({} when unreadable)."""
    argv = [PESH, "-N", node]
    for c in cmds:
        argv += ["-c", c]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
    except subprocess.SubprocessError:
        return [{} for _ in cmds]
    dec, res, i = json.JSONDecoder(), [], 0
    while len(res) < len(cmds):
        while i < len(out) and out[i].isspace():
            i += 1
        try:
            v, i = dec.raw_decode(out, i)
        except ValueError:
            break
        res.append(v if isinstance(v, dict) else {})
    return res + [{} for _ in range(len(cmds) - len(res))]


def bgp_up(d, peer):
    fams = [f for f in d.values() if isinstance(f, dict) and peer in f.get("peers", {})]
    return bool(fams) and all(f["peers"][peer].get("state") == "Established" for f in fams)


def ldp_up(d, lsr):
    return any(n.get("neighborId") == lsr and n.get("state") == "OPERATIONAL"
               for n in d.get("neighbors", []))


def labelled(d):
    if d.get("result") != "installed":
        return False
    return any(s.get("step") == "ldpBinding" and s.get("status") == "ok" and
               s.get("ldp") == "labelled" for s in d.get("steps", []))


EXPLAIN = "show ip route vrf %s %s explain json"


def check():
    missing = []
    pe1 = shows("pe1", ["show bgp summary json", "show mpls ldp neighbor json",
                        EXPLAIN % ("CUST-A", "192.168.2.0/24"),
                        EXPLAIN % ("CUST-B", "192.168.2.0/24")])
    pe2 = shows("pe2", ["show bgp summary json", "show bgp vrf CUST-B summary json",
                        "show mpls ldp neighbor json",
                        EXPLAIN % ("CUST-A", "192.168.1.0/24"),
                        EXPLAIN % ("CUST-B", "192.168.1.0/24")])
    p1 = shows("p1", ["show mpls ldp neighbor json"])
    for ok, what in ((bgp_up(pe1[0], "10.255.0.3"), "bgp pe1 -> 10.255.0.3"),
                     (bgp_up(pe2[0], "10.255.0.1"), "bgp pe2 -> 10.255.0.1"),
                     (bgp_up(pe2[1], "10.2.1.2"), "bgp pe2 vrf CUST-B -> 10.2.1.2"),
                     (ldp_up(pe1[1], "10.255.0.2"), "ldp pe1 -> 10.255.0.2"),
                     (ldp_up(p1[0], "10.255.0.1"), "ldp p1 -> 10.255.0.1"),
                     (ldp_up(p1[0], "10.255.0.3"), "ldp p1 -> 10.255.0.3"),
                     (ldp_up(pe2[2], "10.255.0.2"), "ldp pe2 -> 10.255.0.2"),
                     (labelled(pe1[2]), "labelled pe1 vrf CUST-A 192.168.2.0/24"),
                     (labelled(pe1[3]), "labelled pe1 vrf CUST-B 192.168.2.0/24"),
                     (labelled(pe2[3]), "labelled pe2 vrf CUST-A 192.168.1.0/24"),
                     (labelled(pe2[4]), "labelled pe2 vrf CUST-B 192.168.1.0/24")):
        if not ok:
            missing.append(what)
    return missing


def main():
    end = time.time() + (float(sys.argv[2]) if len(sys.argv) > 2 else 0)
    while True:
        missing = check()
        if not missing:
            print("converged at %d" % (time.time() * 1000) if len(sys.argv) > 2 else "converged")
            return 0
        if time.time() >= end:
            print("not converged: " + ", ".join(missing))
            return 1
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
