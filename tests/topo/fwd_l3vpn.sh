#!/bin/bash
# Labelled forwarding end to end on l3vpn-basic, with the dataplane backend
# FWD_BACKEND (xdp, the default: the XDP fast path with the C pipeline as slow
# path; packet: the AF_PACKET worker alone, switched at run time):
#   ce1a/ce1b -- pe1 -- p1 -- pe2 -- ce2a/ce2b, customers A and B with the
#   very same addresses, ce2b a CE router speaking eBGP to pe2.
# - both customers reach their own remote site through the same addresses;
# - on pe1-p1 every customer packet carries two labels: outer = p1's LDP
#   label for pe2's loopback (pe1's `show mpls ldp binding json`), inner =
#   the VPN label of the route (pe1's `show bgp ipv4 vpn ... json`
#   remoteLabel); on p1-pe2 one label (PHP: pe2 advertises implicit-null);
# - customer A's packets never appear on customer B's CE links (captured),
#   also for an address only A has a route for (B's PE counts noRoute);
# - a withdrawn route stops the traffic at once with pe1 counting why; back:
#   traffic resumes; the p1-pe2 link down removes bindings and LFIB entries,
#   up again: traffic resumes;
# - MTU: a DF packet over core MTU - 8 gets ICMP fragmentation-needed with
#   MTU 1492 and the CE's path MTU follows; TTL 1 gets time-exceeded.
# A capture sees what XDP forwards only where the receiving port is not
# XDP's (frames redirected by XDP skip the sender's taps, and XDP sees them
# before the receiver's): with xdp, the two capturing core ports (p1 eth1,
# pe2 eth3) are switched to `dataplane backend packet` for the captures, so
# they show what pe1's and p1's XDP programs put on the wire.
. "$(dirname "$0")/petopo_lib.sh"
pt_init f

if ! command -v tshark >/dev/null; then
	echo "SKIP: tshark is not installed (apt-get install tshark)"
	exit 77
fi

# captures, X, ping_ok/ping_fails: petopo_lib.sh
trap 'cap_cleanup; pt_cleanup' EXIT
# labels FILE FILTER: label stacks ("L1,L2") of the matching packets, unique
stacks() { tshark -r "$1" -Y "$2" -T fields -e mpls.label 2>/dev/null | sort -u; }
counter() { # counter NODE VRF CAUSE
	"$PESH" -N "$1" -c "show dataplane json" |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["vrfs"][sys.argv[1]]["drops"][sys.argv[2]])' "$2" "$3"
}

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
BACKEND=${FWD_BACKEND:-xdp}
echo "dataplane backend: $BACKEND"
if [ "$BACKEND" = packet ]; then
	for n in pe1 p1 pe2; do
		"$PESH" -N "$n" -c "conf t" -c "dataplane backend packet" >/dev/null
	done
fi
# if_backend NODE IFACE xdp|packet: one port's backend, switched at run time
if_backend() {
	if [ "$3" = packet ]; then
		"$PESH" -N "$1" -c "conf t" -c "interface $2" -c "dataplane backend packet" >/dev/null
	else
		"$PESH" -N "$1" -c "conf t" -c "interface $2" -c "no dataplane backend packet" >/dev/null
	fi
	wait_json "$1" "show dataplane json" "{\"ports\":{\"$2\":{\"backend\":\"$3\",\"open\":true}}}"
}

check "pe1 CUST-A: 192.168.2.0/24 from pe2 (static at pe2)" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.255.0.3"}]}]}' 240
check "pe1 CUST-B: 192.168.2.0/24 from pe2 (learned from ce2b over eBGP)" wait_json pe1 "show ip route vrf CUST-B json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.255.0.3"}]}]}' 240
check "ce2b learned customer B's site 1 from pe2" wait_json ce2b "show ip route json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.2.1.1"}]}]}' 240
# binding NODE PREFIX LSR: the remote label LSR advertised for PREFIX ("-" if none)
binding() {
	"$PESH" -N "$1" -c "show mpls ldp binding json" | $PY -c '
import json,sys
for b in json.load(sys.stdin)["bindings"]:
    if b["prefix"] == sys.argv[1] and b["neighborId"] == sys.argv[2]: print(b["remoteLabel"])' "$2" "$3"
}
has_binding() { l=$(binding pe1 10.255.0.3/32 10.255.0.2); [ -n "$l" ] && [ "$l" != "-" ]; }
no_binding() { l=$(binding pe1 10.255.0.3/32 10.255.0.2); [ -z "$l" ] || [ "$l" = "-" ]; }
check "pe1: a labelled path to pe2 (p1's LDP label)" retry 480 has_binding
check "pe1 dataplane: worker running, ports open, backend $BACKEND" wait_json pe1 "show dataplane json" \
	"{\"workerRunning\":true,\"backend\":\"$BACKEND\",\"ports\":{\"eth1\":{\"vrf\":\"CUST-A\",\"role\":\"customer\",\"open\":true,\"backend\":\"$BACKEND\"},\"eth2\":{\"vrf\":\"CUST-B\",\"open\":true,\"backend\":\"$BACKEND\"},\"eth3\":{\"vrf\":\"default\",\"role\":\"core\",\"open\":true,\"backend\":\"$BACKEND\"}}}"
check "p1 dataplane: both core ports on $BACKEND" wait_json p1 "show dataplane json" \
	"{\"ports\":{\"eth1\":{\"role\":\"core\",\"backend\":\"$BACKEND\"},\"eth2\":{\"role\":\"core\",\"backend\":\"$BACKEND\"}}}"
check "pe2 dataplane: ports on $BACKEND" wait_json pe2 "show dataplane json" \
	"{\"ports\":{\"eth1\":{\"backend\":\"$BACKEND\"},\"eth3\":{\"backend\":\"$BACKEND\"}}}"
check "pe1 eth1: customer MTU 1492 (core 1500 - 8 bytes of labels)" wait_json pe1 "show interface eth1 json" \
	'{"eth1":{"mtu":1500,"customerMtu":1492}}'

# ---- both customers, identical addresses, each to its own site ----
check "ce1a (A) -> 192.168.2.1 reaches A's site 2" retry 80 ping_ok ce1a -I 192.168.1.1 192.168.2.1
check "ce1b (B) -> 192.168.2.1 reaches B's site 2 (ce2b, BGP CE)" retry 80 ping_ok ce1b -I 192.168.1.1 192.168.2.1
# TCP across the VPN: the checksums the CE's kernel computed arrive intact
# (what the dataplane rewrites, the IP header, keeps its checksum right)
tcp_ok() {
	X ce2a timeout 10 $PY -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.168.2.1", 5001)); s.listen(1); s.settimeout(8)
c, _ = s.accept(); c.settimeout(8)
data = b""
while len(data) < 100000:
    b = c.recv(65536)
    if not b: break
    data += b
c.sendall(str(len(data)).encode()); c.close()' >"$TMPD/tcp.out" 2>&1 &
	local srv=$!
	sleep 0.5
	local got
	got=$(X ce1a timeout 10 $PY -c '
import socket
c = socket.create_connection(("192.168.2.1", 5001), timeout=8, source_address=("192.168.1.1", 0))
c.sendall(bytes(range(256)) * 400); c.shutdown(socket.SHUT_WR)
print(c.recv(100).decode())' 2>&1)
	wait $srv
	[ "$got" = 102400 ]
}
check "TCP ce1a -> ce2a across the VPN: 102400 bytes echoed as counted" retry 3 tcp_ok
check "ce1a -> 10.2.1.2 (A's PE-CE link at site 2)" ping_ok ce1a 10.2.1.2
check "ce2a -> 192.168.1.1 (reverse direction)" ping_ok ce2a -I 192.168.2.1 192.168.1.1

# expected labels
lblA=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:1 192.168.2.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:1"]["paths"][0]["remoteLabel"])')
lblB=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:2 192.168.2.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:2"]["paths"][0]["remoteLabel"])')
ldp=$(binding pe1 10.255.0.3/32 10.255.0.2)
check "labels known (VPN A $lblA, VPN B $lblB, LDP $ldp), A and B differ" test -n "$lblA" -a -n "$lblB" -a -n "$ldp" -a "$lblA" != "$lblB"

# ---- captures: core links and CE links, each on the receiving side (the
# dataplane transmits with PACKET_QDISC_BYPASS: a capture on the sending
# interface does not see what it sends) ----
if [ "$BACKEND" = xdp ]; then
	check "p1 eth1 to backend packet for the capture" if_backend p1 eth1 packet
	check "pe2 eth3 to backend packet for the capture" if_backend pe2 eth3 packet
	check "running config: interface eth1 / dataplane backend packet" sh -c \
		"'$PESH' -N p1 -c 'show running-config' | grep -A3 '^interface eth1' | grep -qx ' dataplane backend packet'"
	check "ce1a -> 192.168.2.1 still reaches A's site 2" retry 40 ping_ok ce1a -I 192.168.1.1 192.168.2.1
fi
cap_start "$T-p1" eth1 "$TMPD/pe1p1.pcap"
cap_start "$T-pe2" eth3 "$TMPD/p1pe2.pcap"
cap_start "$T-ce2a" eth0 "$TMPD/ceA2.pcap"
cap_start "$T-ce2b" eth0 "$TMPD/ceB2.pcap"
cap_start "$T-ce1b" eth0 "$TMPD/ceB1.pcap"

X ce1a ping -c 5 -i 0.2 -W 1 -p aa -I 192.168.1.1 192.168.2.1 >/dev/null 2>&1
X ce1b ping -c 5 -i 0.2 -W 1 -p bb -I 192.168.1.1 192.168.2.1 >/dev/null 2>&1
# an address only customer A has: 172.16.9.1 on ce2a, a static route in pe2's CUST-A
X ce2a ip addr add 172.16.9.1/32 dev lo
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "ip route 172.16.9.1/32 10.2.1.2" >/dev/null
check "pe1 CUST-A learns 172.16.9.1/32, CUST-B does not" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"172.16.9.1/32":[{"protocol":"bgp"}]}'
nr0=$(counter pe1 CUST-B noRoute)
check "A reaches 172.16.9.1" retry 40 ping_ok ce1a -p aa -I 192.168.1.1 172.16.9.1
X ce1a ping -c 3 -i 0.2 -W 1 -p aa -I 192.168.1.1 172.16.9.1 >/dev/null 2>&1
check "B cannot reach 172.16.9.1 (no route in CUST-B)" ping_fails ce1b -p bb -I 192.168.1.1 172.16.9.1
nr1=$(counter pe1 CUST-B noRoute)
check "pe1 CUST-B counted B's packets as noRoute ($nr0 -> $nr1)" test "$nr1" -ge $((nr0 + 2))
sleep 1
cap_cleanup
if [ "$BACKEND" = xdp ]; then
	check "p1 eth1 back to xdp" if_backend p1 eth1 xdp
	check "pe2 eth3 back to xdp" if_backend pe2 eth3 xdp
fi

ECHO_A='icmp.type==8 && data.data contains aa:aa:aa:aa'
ECHO_B='icmp.type==8 && data.data contains bb:bb:bb:bb'
check "pe1-p1: A's echo requests carry [LDP $ldp, VPN $lblA]" test "$(stacks "$TMPD/pe1p1.pcap" "$ECHO_A && ip.dst==192.168.2.1")" = "$ldp,$lblA"
check "pe1-p1: B's echo requests carry [LDP $ldp, VPN $lblB]" test "$(stacks "$TMPD/pe1p1.pcap" "$ECHO_B && ip.dst==192.168.2.1")" = "$ldp,$lblB"
check "p1-pe2: A's echo requests carry only [VPN $lblA] (PHP)" test "$(stacks "$TMPD/p1pe2.pcap" "$ECHO_A && ip.dst==192.168.2.1")" = "$lblA"
check "p1-pe2: B's echo requests carry only [VPN $lblB]" test "$(stacks "$TMPD/p1pe2.pcap" "$ECHO_B && ip.dst==192.168.2.1")" = "$lblB"
check "pe1-p1: 5 of A's echo requests to 192.168.2.1 seen" test "$(pkts "$TMPD/pe1p1.pcap" "$ECHO_A && ip.dst==192.168.2.1")" -ge 5
check "A's CE link at site 2 saw A's packets (incl. 172.16.9.1)" test "$(pkts "$TMPD/ceA2.pcap" "$ECHO_A && ip.dst==172.16.9.1")" -ge 3
check "A's CE link at site 2 saw none of B's" test "$(pkts "$TMPD/ceA2.pcap" "$ECHO_B")" -eq 0
check "B's CE link at site 2 saw B's packets" test "$(pkts "$TMPD/ceB2.pcap" "$ECHO_B")" -ge 5
check "B's CE link at site 2 saw none of A's" test "$(pkts "$TMPD/ceB2.pcap" "$ECHO_A")" -eq 0
check "B's CE link at site 1 saw none of A's (replies included)" test "$(pkts "$TMPD/ceB1.pcap" "data.data contains aa:aa:aa:aa")" -eq 0
check "the packets to 172.16.9.1 never left on a B link" test "$(pkts "$TMPD/ceB2.pcap" "ip.dst==172.16.9.1 && $ECHO_A")" -eq 0

# ---- the installed LFIB ----
check "p1 show mpls table: pe2's loopback label popped toward pe2 (PHP)" wait_json p1 "show mpls table json" \
	"{\"$ldp\":{\"inLabel\":$ldp,\"installed\":true,\"prefix\":\"10.255.0.3/32\",\"nexthops\":[{\"type\":\"LDP\",\"outLabel\":3,\"nexthop\":\"10.0.23.3\",\"interface\":\"eth2\"}]}}"
check "pe2 show mpls table: VPN label $lblA pops into CUST-A" wait_json pe2 "show mpls table json" \
	"{\"$lblA\":{\"installed\":true,\"vrf\":\"CUST-A\",\"nexthops\":[{\"type\":\"BGP\",\"action\":\"pop-lookup\"}]}}"

# ---- withdraw at pe2: traffic stops, pe1 says why; back: resumes ----
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "no ip route 192.168.2.0/24 10.2.1.2" >/dev/null
check "withdrawn: gone from pe1 CUST-A" wait_json pe1 "show ip route vrf CUST-A json" '{"192.168.2.0/24":null}'
"$PESH" -N pe1 -c "clear dataplane counters" >/dev/null
check "A can no longer reach 192.168.2.1" ping_fails ce1a -I 192.168.1.1 192.168.2.1
check "pe1 CUST-A counts noRoute for them" test "$(counter pe1 CUST-A noRoute)" -ge 2
check "B still reaches 192.168.2.1" ping_ok ce1b -I 192.168.1.1 192.168.2.1
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "ip route 192.168.2.0/24 10.2.1.2" >/dev/null
check "restored: A reaches 192.168.2.1 again" retry 80 ping_ok ce1a -I 192.168.1.1 192.168.2.1

# ---- the p1-pe2 link down: bindings and LFIB entries go; up: traffic resumes ----
"$PESH" -N p1 -c "conf t" -c "interface eth2" -c "shutdown" >/dev/null
check "p1: no LFIB entry toward pe2 any more" wait_json p1 "show mpls table json" "{\"$ldp\":null}" 120
check "pe1: p1's binding for 10.255.0.3/32 is gone" retry 240 no_binding
check "A cannot cross the core" ping_fails ce1a -I 192.168.1.1 192.168.2.1
"$PESH" -N p1 -c "conf t" -c "interface eth2" -c "no shutdown" >/dev/null
check "link up: A reaches 192.168.2.1 again" retry 400 ping_ok ce1a -I 192.168.1.1 192.168.2.1
check "and B too" retry 40 ping_ok ce1b -I 192.168.1.1 192.168.2.1

# ---- TTL modes: uniform shows the core hops, pipe hides them ----
reply_ttl() { X ce1a ping -c 1 -W 2 -I 192.168.1.1 192.168.2.1 2>&1 | sed -n 's/.*ttl=\([0-9]*\).*/\1/p' | head -1; }
t=$(retry 10 reply_ttl >/dev/null; reply_ttl)
check "uniform TTL: ce2a's reply (64) crossed pe2, p1 and pe1: ttl=61 (got $t)" test "$t" = 61
for n in pe1 pe2 p1; do "$PESH" -N $n -c "conf t" -c "no mpls ip propagate-ttl" >/dev/null; done
check "running config says pipe mode" sh -c "'$PESH' -N pe2 -c 'show running-config' | grep -qx 'no mpls ip propagate-ttl'"
t=$(reply_ttl)
check "pipe TTL: only the two PEs count: ttl=62 (got $t)" test "$t" = 62
for n in pe1 pe2 p1; do "$PESH" -N $n -c "conf t" -c "mpls ip propagate-ttl" >/dev/null; done
check "show dataplane: ttlMode uniform again" wait_json pe1 "show dataplane json" '{"ttlMode":"uniform"}'

# ---- MTU and TTL: ICMP from the ingress PE ----
X ce1a ip route flush cache >/dev/null 2>&1
out=$(X ce1a ping -c 1 -W 2 -M do -s 1465 -I 192.168.1.1 192.168.2.1 2>&1)
check "DF 1493-byte packet: fragmentation needed, mtu = 1492" sh -c "printf '%s' '$out' | grep -q 'mtu = 1492'"
check "ce1a's route to 192.168.2.1 now has PMTU 1492" sh -c "'$PETOPO' exec '$T:ce1a' -- ip route get 192.168.2.1 | grep -q 'mtu 1492'"
check "DF 1492-byte packet gets through" ping_ok ce1a -M do -s 1464 -I 192.168.1.1 192.168.2.1
out=$(X ce1a ping -c 1 -W 2 -t 1 -I 192.168.1.1 192.168.2.1 2>&1)
check "TTL 1: time exceeded from pe1 (10.1.1.1)" sh -c "printf '%s' '$out' | grep -qi 'from 10.1.1.1.*time to live exceeded'"
check "pe1 CUST-A counts ttlExpired" test "$(counter pe1 CUST-A ttlExpired)" -ge 1
check "pe1 CUST-A counts mtuExceeded" test "$(counter pe1 CUST-A mtuExceeded)" -ge 1

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
