#!/bin/bash
# The demo: two customers with identical addresses talk across an MPLS core.
#
#   ce1a --+                         +-- ce2a     customer A: 192.168.1.0/24 and
#          pe1 ---- p1 ---- pe2                   2001:db8:1::/48 at site 1,
#   ce1b --+                         +-- ce2b     192.168.2.0/24 and 2001:db8:2::/48
#                                                 at site 2; customer B: the very
#                                                 same prefixes
#                                                 (topologies/l3vpn-basic.yml)
#
# pe1/pe2 keep the customers apart in VRFs CUST-A and CUST-B, exchange their
# routes over MP-BGP (VPNv4, and VPNv6 for IPv6 over the same IPv4 core:
# 6VPE) and push two labels on customer traffic: the
# VPN label (which VRF at pe2) under p1's LDP label for pe2's loopback. p1
# swaps/pops, pe2 pops and forwards to the right CE. The core's loopbacks
# come from OSPF (FRR's ospfd beside ped). ce2b is a CE router
# speaking eBGP to pe2; the other CEs are plain hosts. Forwarding runs in
# ped's XDP fast path on every port (`show dataplane` says so per port).
#
# Installs the dependencies, builds if needed, brings the testbed up, shows
# the pings, the VPN table and the label stack of a captured packet, writes
# the audit JSON (l3vpn-basic-audit.json), and leaves the testbed up for you:
#   pesh -N pe1                        then e.g.  show bgp ipv4 vpn, show dataplane
#   topologies/petopo exec ce1a -- ping 192.168.2.1
#   topologies/demo.sh --down          removes it (or: topologies/petopo down l3vpn-basic)
# With --once it tears the testbed down at the end (also on failure).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
TOPO=l3vpn-basic
PETOPO="$top/topologies/petopo"
PESH="$top/cli/pesh"
AUDIT="$top/$TOPO-audit.json"

if [ "${1:-}" = "--down" ]; then
	"$PETOPO" down "$TOPO"
	exit 0
fi
once=0
[ "${1:-}" = "--once" ] && once=1

bash tests/deps.sh
if [ ! -x pe/ped ] || [ ! -x cli/pesh ] || [ ! -x topologies/petopo ]; then
	[ -x configure ] || autoreconf -fi
	[ -f Makefile ] || ./configure
	make -j"$(nproc)"
fi

"$PETOPO" down "$TOPO" >/dev/null 2>&1 || true # a testbed left up before
CAP=""
cleanup() {
	[ -n "$CAP" ] && kill -INT "$CAP" 2>/dev/null && wait "$CAP" 2>/dev/null
	[ -n "${PCAP:-}" ] && rm -f "$PCAP" "$PCAP.log"
	if [ $once -eq 1 ]; then "$PETOPO" down "$TOPO"; fi
}
trap cleanup EXIT
"$PETOPO" up "topologies/$TOPO.yml"
echo

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "$1# $2"; "$PESH" -N "$1" -c "$2"; echo; }
# wait_for NODE 'cmd json' PYTHON-EXPR-ON-j: up to 120 s
wait_for() {
	local i
	for i in $(seq 240); do
		if "$PESH" -N "$1" -c "$2" 2>/dev/null | python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if ($3) else 1)" 2>/dev/null; then
			return 0
		fi
		sleep 0.5
	done
	echo "demo: timed out waiting for $1: $2" >&2
	return 1
}

say "waiting for BGP (VPNv4 and VPNv6 pe1<->pe2, eBGP ce2b<->pe2) and LDP (pe1-p1-pe2)"
wait_for pe1 "show ip route vrf CUST-A json" '"192.168.2.0/24" in j'
wait_for pe1 "show ip route vrf CUST-B json" '"192.168.2.0/24" in j'
wait_for ce2b "show ip route json" '"192.168.1.0/24" in j'
wait_for pe1 "show ipv6 route vrf CUST-A json" '"2001:db8:2::/48" in j'
wait_for pe1 "show ipv6 route vrf CUST-B json" '"2001:db8:2::/48" in j'
wait_for ce2b "show ipv6 route json" '"2001:db8:1::/48" in j'
wait_for pe1 "show mpls ldp binding json" \
	'any(b["prefix"]=="10.255.0.3/32" and b["neighborId"]=="10.255.0.2" and b.get("inUse") for b in j["bindings"])'
echo "converged"

say "the core runs OSPF: FRR's zebra and ospfd beside ped on pe1, p1 and pe2; ped follows the kernel"
run pe1 "show ip route"
say "ping from the PE's shell, inside VRF CUST-A's namespace (^C would stop it)"
run pe1 "ping vrf CUST-A 10.1.1.2 repeat 2"

say "pe1's VPN table: the same prefixes under two route distinguishers"
run pe1 "show bgp ipv4 vpn"
say "and the IPv6 ones (6VPE: next hop pe2's loopback as ::ffff:10.255.0.3)"
run pe1 "show bgp ipv6 vpn"
say "pe1's VRFs: customer routes, remote ones with their VPN label"
run pe1 "show ip route vrf all"
run pe1 "show ipv6 route vrf all"
say "p1's installed LFIB (swap toward pe1, pop toward pe2: PHP)"
run p1 "show mpls table"

say "the dataplane backend of every port: XDP (the C pipeline is the slow path)"
for n in pe1 p1 pe2; do
	"$PESH" -N "$n" -c "show dataplane json" | python3 -c '
import json,sys
d = json.load(sys.stdin)
for name, p in sorted(d["ports"].items()):
    print("  %-4s %-5s %-8s %-7s %s" % (sys.argv[1], name, p["role"], p["backend"], p.get("backendReason", "")))' "$n"
done

# A capture does not see what XDP forwards (it takes frames before the
# taps): p1's eth1 is served by the AF_PACKET worker while we look at the
# wire, then goes back to XDP.
"$PESH" -N p1 -c "conf t" -c "interface eth1" -c "dataplane backend packet" >/dev/null
for i in $(seq 40); do
	"$PESH" -N p1 -c "show dataplane json" |
		python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["ports"]["eth1"]["backend"] != "packet")' && break
	sleep 0.25
done
PCAP=$(mktemp "/tmp/$TOPO-demo.XXXXXX.pcap")
"$PETOPO" exec p1 -- tshark -q -i eth1 -f 'mpls' -w "$PCAP" -a duration:60 >"$PCAP.log" 2>&1 &
CAP=$!
for i in $(seq 40); do grep -q 'Capturing on' "$PCAP.log" 2>/dev/null && break; sleep 0.25; done
sleep 1

say "customer A: ce1a pings 192.168.2.1 (ce2a, behind pe2)"
"$PETOPO" exec ce1a -- ping -c 3 -i 0.3 -I 192.168.1.1 192.168.2.1
say "customer B: ce1b pings the very same 192.168.2.1 (ce2b, a CE router)"
"$PETOPO" exec ce1b -- ping -c 3 -i 0.3 -I 192.168.1.1 192.168.2.1
say "IPv6: ce1a and ce1b ping the very same 2001:db8:2::1, each its own site"
"$PETOPO" exec ce1a -- ping -6 -c 3 -i 0.3 -I 2001:db8:1::1 2001:db8:2::1
"$PETOPO" exec ce1b -- ping -6 -c 3 -i 0.3 -I 2001:db8:1::1 2001:db8:2::1
sleep 1
kill -INT "$CAP" 2>/dev/null; wait "$CAP" 2>/dev/null || true; CAP=""
"$PESH" -N p1 -c "conf t" -c "interface eth1" -c "no dataplane backend packet" >/dev/null

say "captured on the pe1-p1 link (what pe1's XDP program sent): [outer LDP label, inner VPN label] per echo request"
tshark -r "$PCAP" -Y 'icmp.type==8' -T fields -E header=y -e frame.number -e mpls.label \
	-e mpls.bottom -e mpls.ttl -e ip.src -e ip.dst 2>/dev/null | column -t
say "one of customer A's packets, decoded"
tshark -r "$PCAP" -Y 'icmp.type==8' -c 1 -O mpls,ip 2>/dev/null | grep -v '^\s*$' | head -40
say "the IPv6 echo requests: the same two labels over the IPv4 core"
tshark -r "$PCAP" -Y 'icmpv6.type==128' -T fields -E header=y -e frame.number -e mpls.label \
	-e mpls.bottom -e ipv6.hlim -e ipv6.src -e ipv6.dst 2>/dev/null | column -t
la=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:1 192.168.2.0/24 json" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["65000:1"]["paths"][0]["remoteLabel"])')
lb=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:2 192.168.2.0/24 json" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["65000:2"]["paths"][0]["remoteLabel"])')
echo
echo "pe2 advertised VPN label $la for CUST-A's 192.168.2.0/24 and $lb for CUST-B's:"
echo "the inner label is what keeps the two customers apart in the core."

say "pe1's dataplane counters"
run pe1 "show dataplane"

"$PETOPO" audit "$TOPO" --out "$AUDIT"
echo "audit of every node written to $AUDIT"
"$PETOPO" status "$TOPO"
if [ $once -eq 0 ]; then
	echo
	echo "The testbed stays up. Explore it:"
	echo "  $PESH -N pe1                      (show bgp ipv4 vpn, show ip route vrf all, show dataplane)"
	echo "  $PETOPO exec ce1b -- ping 192.168.2.1"
	echo "  $PETOPO exec ce1b -- ping -6 2001:db8:2::1"
	echo "Remove it with: $0 --down"
fi
