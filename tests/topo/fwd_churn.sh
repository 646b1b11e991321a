#!/bin/bash
# Tables changed under traffic on l3vpn-basic (default backend: pe1 forwards
# with the XDP fast path): while customer A (marker 0xaa) and customer B
# (marker 0xbb, the very same addresses) flood UDP from site 1 to site 2,
# A's routes are withdrawn and re-added 1,000 times. Nothing may reach a
# wrong VRF, and once the last change has settled only the final state's
# label stack may be on the wire.
#   pe2 gives CUST-A's prefixes per-prefix VPN labels (a new label at every
#   re-add): 192.168.2.0/24 -> L24, 192.168.2.1/32 -> L32 (a static at pe2),
#   172.16.9.1/32 -> L9 (a static at pe2, on ce2a's lo); B's 192.168.2.0/24
#   (from ce2b) has LB; p1's LDP label for pe2's loopback is LDP.
# Phase 1, at pe1 (the fastest way to rewrite its XDP tables: one pesh
#   session, no BGP round trip): 1,000 times add and withdraw a static
#   192.168.2.1/32 in CUST-A, its next hop alternating between ce1a
#   (10.1.1.2: the frames go back out of the customer port, unlabelled) and
#   blackhole; withdrawn, 192.168.2.1 follows pe2's /32 [LDP, L32]. At the
#   same time a second session adds and withdraws a route in CUST-B 1,000
#   times (a next-hop group of its own: next-hop group ids of both VRFs are
#   freed and reused under the flood). Static routes cannot carry a label
#   (and a static recursive over a VPN route is not forwarded), so the
#   labelled alternative is the BGP route underneath. While the static
#   exists, pe1 redistributes it into BGP with the RD pe2 uses (65000:1):
#   the local path is best for 65000:1:192.168.2.1/32 and pe2's path leaves
#   CUST-A's RIB; withdrawing the static leaves 192.168.2.1/32 without a
#   route until pe2's path is imported again, so for that instant the /24
#   ([LDP, L24]) is the right answer too (break before make in the control
#   plane, not the dataplane's doing).
# Phase 2, at pe2 (through BGP: pe1's tables change as fast as updates
#   come): 1,000 times withdraw and re-add 172.16.9.1/32 in pe2's CUST-A,
#   pe1 alternating between [LDP, L9_k], a new L9_k every time, and no
#   route; the final state is "present" with the newest label; then one
#   last withdrawal: no route, pe1 counts noRoute.
# Checked from captures (p1 eth1, switched to backend packet for it, sees
# what pe1's XDP program puts on the core; the CE links are plain hosts):
# - B's CE links (ce1b, ce2b) never see A's marker, ce2a never B's, and
#   the UDP sinks agree;
# - on the core, A's frames to 192.168.2.1 only ever carry [LDP, L32] or,
#   during phase 1 only, [LDP, L24] (never LB, an L9_k or anything else);
#   A's frames to 172.16.9.1 only [LDP, L9_k] with L9_k one of the labels
#   pe2 allocated during the churn, B's frames only [LDP, LB];
# - 1 s after each final state: only the final state's stack ([LDP, L32];
#   [LDP, L9_final]); after the last withdrawal no A frame to 172.16.9.1 on
#   the core at all and pe1's CUST-A noRoute counter grows with the flood;
#   no frame hairpinned to ce1a after phase 1;
# - the churn was seen by the dataplane (hairpinned frames at ce1a,
#   blackhole drops at pe1); afterwards pe1 forwards both customers
#   normally, every ped still runs.
# The floods send UDP without checksum: a host CE's veth leaves the checksum
# to "offload", and neither backend completes it on what it forwards.
# CHURN_CYCLES=N changes the 1,000; CHURN_KEEP=DIR keeps the captures.
. "$(dirname "$0")/petopo_lib.sh"
pt_init h

if ! command -v tshark >/dev/null; then
	echo "SKIP: tshark is not installed (apt-get install tshark)"
	exit 77
fi

CYCLES=${CHURN_CYCLES:-1000}
RATE_A=10000 # A's packets/s, alternating 192.168.2.1 and 172.16.9.1
RATE_B=4000  # B's packets/s, same destinations
PORT=40000
D1=192.168.2.1
D2=172.16.9.1

BG="" # pids of what this test started in the background (tshark, floods, sinks, pesh)
# bg_stop PID...: a signal to those of ours still running (TERM: python
# started in the background ignores INT; tshark stops cleanly on either),
# wait for them, forget them
bg_stop() {
	local p q keep=""
	for p in "$@"; do
		case " $BG " in *" $p "*) kill -TERM "$p" 2>/dev/null ;; esac
	done
	for p in "$@"; do
		case " $BG " in *" $p "*) wait "$p" 2>/dev/null ;; esac
	done
	for q in $BG; do
		case " $* " in *" $q "*) ;; *) keep="$keep $q" ;; esac
	done
	BG=$keep
}
bg_cleanup() { bg_stop $BG; }
# CHURN_KEEP=DIR: the captures and their extracts are copied there at exit
keep() { [ -z "${CHURN_KEEP:-}" ] || { mkdir -p "$CHURN_KEEP" && cp "$TMPD"/*.pcap "$TMPD"/*.txt "$TMPD"/*.out "$CHURN_KEEP"/ 2>/dev/null; }; }
trap 'bg_cleanup; keep; pt_cleanup' EXIT

X() { "$PETOPO" exec "$T:$1" -- "${@:2}"; }
NS() { local n="$1"; shift; ip netns exec "$T-$n" "$@"; }
ping_ok() { X "$1" ping -c 1 -W 1 "${@:2}" >/dev/null 2>&1; }
now() { date +%s.%N; }
counter() { # counter NODE VRF CAUSE
	"$PESH" -N "$1" -c "show dataplane json" |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["vrfs"][sys.argv[1]]["drops"][sys.argv[2]])' "$2" "$3"
}
# vpn_label NODE RD PREFIX: the remote label of the (first) VPN path, "" if none
vpn_label() {
	"$PESH" -N "$1" -c "show bgp ipv4 vpn rd $2 $3 json" | $PY -c '
import json,sys
try: print(json.load(sys.stdin)[sys.argv[1]]["paths"][0]["remoteLabel"])
except Exception: pass' "$2"
}
binding() { # binding NODE PREFIX LSR: the remote label LSR advertised
	"$PESH" -N "$1" -c "show mpls ldp binding json" | $PY -c '
import json,sys
for b in json.load(sys.stdin)["bindings"]:
    if b["prefix"] == sys.argv[1] and b["neighborId"] == sys.argv[2]: print(b["remoteLabel"])' "$2" "$3"
}
has_binding() { l=$(binding pe1 10.255.0.3/32 10.255.0.2); [ -n "$l" ] && [ "$l" != "-" ]; }
if_backend() { # if_backend NODE IFACE xdp|packet
	if [ "$3" = packet ]; then
		"$PESH" -N "$1" -c "conf t" -c "interface $2" -c "dataplane backend packet" >/dev/null
	else
		"$PESH" -N "$1" -c "conf t" -c "interface $2" -c "no dataplane backend packet" >/dev/null
	fi
	wait_json "$1" "show dataplane json" "{\"ports\":{\"$2\":{\"backend\":\"$3\",\"open\":true}}}"
}
# rib_label NODE VRF PREFIX: label of the selected route, "none" if no route
rib_label() {
	"$PESH" -N "$1" -c "show ip route vrf $2 $3 json" | $PY -c '
import json,sys
try:
    r = [x for x in json.load(sys.stdin)[sys.argv[1]] if x.get("selected")][0]
    print(",".join(str(l) for l in r["nexthops"][0].get("labels", [])) or "nolabel")
except Exception: print("none")' "$3"
}
wait_rib_label() { # wait_rib_label NODE VRF PREFIX WANT TRIES (0.02 s apart)
	local i
	for i in $(seq "$5"); do
		[ "$(rib_label "$1" "$2" "$3")" = "$4" ] && return 0
		sleep 0.02
	done
	echo "$1 $2 $3: $(rib_label "$1" "$2" "$3"), expected $4"
	return 1
}
peds_alive() { # every ped petopo started for $T is still that process
	local pid st cur n=0
	while read -r pid st; do
		n=$((n + 1))
		cur=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $1, $20}')
		case "$cur" in
		"Z "* | "X "* | "") echo "ped pid $pid is gone"; return 1 ;;
		*" $st") ;;
		*) echo "pid $pid is another process now"; return 1 ;;
		esac
	done < <(pt_pids "$T")
	[ "$n" -ge 4 ] || { echo "only $n daemons recorded"; return 1; }
}

# ---- helpers run inside the namespaces ----
cat >"$TMPD/flood.py" <<'EOF'
# flood SRC PORT MARKER(hex byte) RATE SECONDS DST...: UDP at RATE packets/s,
# round robin over DST, payload 16 x MARKER + sequence number; stops after
# SECONDS or at SIGINT/SIGTERM; prints "attempted sent".
import signal, socket, struct, sys, time
src, port, mark, rate, dur = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16), int(sys.argv[4]), float(sys.argv[5])
dsts = sys.argv[6:]
signal.signal(signal.SIGTERM, signal.default_int_handler)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# no UDP checksum (0): a veth leaves it to "offload", and a frame the XDP
# program redirects arrives with the checksum never completed
s.setsockopt(socket.SOL_SOCKET, 11, 1)  # SO_NO_CHECK
s.bind((src, 0))
pad = bytes([mark]) * 16
n = sent = 0
t0 = time.monotonic()
try:
    while True:
        now = time.monotonic()
        if now - t0 >= dur:
            break
        due = min(int((now - t0) * rate), n + rate // 100)
        while n < due:
            try:
                s.sendto(pad + struct.pack("!I", n), (dsts[n % len(dsts)], port))
                sent += 1
            except OSError:
                pass
            n += 1
        time.sleep(0.0005)
except KeyboardInterrupt:
    pass
print(n, sent, flush=True)
EOF
cat >"$TMPD/sink.py" <<'EOF'
# sink PORT SECONDS: counts the UDP datagrams to PORT by first payload byte
# (the marker) until SECONDS or SIGINT/SIGTERM; prints {"aa": n, ...}.
import json, signal, socket, sys, time
port, dur = int(sys.argv[1]), float(sys.argv[2])
signal.signal(signal.SIGTERM, signal.default_int_handler)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind(("0.0.0.0", port))
s.settimeout(0.2)
counts = {}
end = time.monotonic() + dur
try:
    while time.monotonic() < end:
        try:
            d = s.recv(4096)
        except socket.timeout:
            continue
        k = "%02x" % d[0] if d else "-"
        counts[k] = counts.get(k, 0) + 1
except KeyboardInterrupt:
    pass
print(json.dumps(counts), flush=True)
EOF
# stacks FIELDS MARKER DST FROM TO: "stack count" per label stack ("-": no
# label) of the frames of FIELDS (tshark fields: time, ip.dst, mpls.label,
# udp.payload) with that marker and destination, FROM <= time < TO
cat >"$TMPD/stacks.py" <<'EOF'
import sys
f, mark, dst, t_from, t_to = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
out = {}
for line in open(f):
    p = line.rstrip("\n").split("\t")
    if len(p) < 4 or not p[3].startswith(mark * 4):
        continue
    if p[1].split(",")[-1] != dst or not (t_from <= float(p[0]) < t_to):
        continue
    k = p[2] or "-"
    out[k] = out.get(k, 0) + 1
for k in sorted(out):
    print(k, out[k])
EOF
stacks() { $PY "$TMPD/stacks.py" "$@"; }
nframes() { stacks "$@" | awk '{n += $2} END {print n + 0}'; }
# only_stack FIELDS MARKER DST FROM TO WANT MIN [ALSO...]: every such frame
# has stack WANT (or one of ALSO), and at least MIN of them have WANT
only_stack() {
	local s n
	s=$(stacks "$1" "$2" "$3" "$4" "$5")
	n=$(printf '%s\n' "$s" | awk -v w="$6" '$1 == w {print $2}')
	echo "$s"
	[ -n "$s" ] && [ "${n:-0}" -ge "$7" ] &&
		printf '%s\n' "$s" | awk -v ok=" $6 ${*:8} " 'index(ok, " " $1 " ") == 0 {bad = 1} END {exit bad}'
}

cap_start() { # cap_start NS IFACE FILE [capture filter]
	ip netns exec "$T-$1" tshark -q -i "$2" -B 16 -w "$3" -a duration:60 ${4:+-f "$4"} >"$3.log" 2>&1 &
	BG="$BG $!"
	retry 80 sh -c "grep -q 'Capturing on' '$3.log'" >/dev/null
}

# ---- the testbed ----
"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
check "pe1 CUST-A: 192.168.2.0/24 from pe2" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.255.0.3"}]}]}' 240
check "pe1 CUST-B: 192.168.2.0/24 from pe2 (ce2b's)" wait_json pe1 "show ip route vrf CUST-B json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.255.0.3"}]}]}' 240
check "pe1: a labelled path to pe2 (p1's LDP label)" retry 480 has_binding
check "pe1 dataplane: customer and core ports on xdp" wait_json pe1 "show dataplane json" \
	'{"workerRunning":true,"ports":{"eth1":{"vrf":"CUST-A","open":true,"backend":"xdp"},"eth2":{"vrf":"CUST-B","open":true,"backend":"xdp"},"eth3":{"role":"core","open":true,"backend":"xdp"}}}'

# A's site 2: a /32 at pe2 for 192.168.2.1 and 172.16.9.1 (on ce2a's lo),
# per-prefix labels; B's site 1: a second address for B's churned route
X ce2a ip addr add $D2/32 dev lo
X ce1b ip addr add 10.1.1.3/24 dev eth0
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "ip route $D1/32 10.2.1.2" -c "ip route $D2/32 10.2.1.2" \
	-c "exit-vrf" -c "router bgp 65000 vrf CUST-A" -c "address-family ipv4 unicast" \
	-c "label vpn export allocation-mode per-prefix" >/dev/null
check "pe1 CUST-A: $D1/32 and $D2/32 from pe2" wait_json pe1 "show ip route vrf CUST-A json" \
	"{\"$D1/32\":[{\"protocol\":\"bgp\",\"selected\":true}],\"$D2/32\":[{\"protocol\":\"bgp\",\"selected\":true}]}" 120
lbls_ok() {
	L24=$(vpn_label pe1 65000:1 192.168.2.0/24)
	L32=$(vpn_label pe1 65000:1 $D1/32)
	L9=$(vpn_label pe1 65000:1 $D2/32)
	LB=$(vpn_label pe1 65000:2 192.168.2.0/24)
	LDP=$(binding pe1 10.255.0.3/32 10.255.0.2)
	[ -n "$L24" ] && [ -n "$L32" ] && [ -n "$L9" ] && [ -n "$LB" ] && [ -n "$LDP" ] &&
		[ "$(printf '%s\n' "$L24" "$L32" "$L9" "$LB" | sort -u | wc -l)" = 4 ] &&
		[ "$L9" = "$(vpn_label pe2 65000:1 $D2/32)" ] && [ "$L32" = "$(vpn_label pe2 65000:1 $D1/32)" ]
}
L24='' L32='' L9='' LB='' LDP=''
check "per-prefix labels at pe1 as pe2 exports them" retry 80 lbls_ok
lbls_ok # sets them here (check runs it in a subshell)
echo "labels: LDP $LDP, A: /24 $L24, $D1/32 $L32, $D2/32 $L9; B: $LB"
check "pe1 CUST-A installs $D1/32 with [$L32]" wait_rib_label pe1 CUST-A $D1/32 "$L32" 100
check "ce1a -> $D1 reaches A's site 2" retry 80 ping_ok ce1a -I 192.168.1.1 $D1
check "ce1a -> $D2 reaches A's site 2" retry 40 ping_ok ce1a -I 192.168.1.1 $D2
check "ce1b -> $D1 reaches B's site 2" retry 80 ping_ok ce1b -I 192.168.1.1 $D1
MAC_CE1A=$(NS ce1a cat /sys/class/net/eth0/address)

# ---- captures, sinks, floods ----
check "p1 eth1 to backend packet for the capture" if_backend p1 eth1 packet
check "ce1a -> $D1 still reaches A's site 2" retry 40 ping_ok ce1a -I 192.168.1.1 $D1
cap_start p1 eth1 "$TMPD/core.pcap"
cap_start ce1b eth0 "$TMPD/ce1b.pcap"
cap_start ce2b eth0 "$TMPD/ce2b.pcap"
cap_start ce2a eth0 "$TMPD/ce2a.pcap" "udp dst port $PORT"
cap_start ce1a eth0 "$TMPD/ce1a.pcap" "udp dst port $PORT and ether dst $MAC_CE1A"
sleep 1 # dumpcap opens the interfaces after the message
ip netns exec "$T-ce2a" $PY "$TMPD/sink.py" $PORT 45 >"$TMPD/sinkA.out" 2>&1 &
SINK_A=$!
ip netns exec "$T-ce2b" $PY "$TMPD/sink.py" $PORT 45 >"$TMPD/sinkB.out" 2>&1 &
SINK_B=$!
BG="$BG $SINK_A $SINK_B"
sleep 0.3
ip netns exec "$T-ce1a" $PY "$TMPD/flood.py" 192.168.1.1 $PORT aa $RATE_A 40 $D1 $D2 >"$TMPD/floodA.out" 2>&1 &
FLOOD_A=$!
ip netns exec "$T-ce1b" $PY "$TMPD/flood.py" 192.168.1.1 $PORT bb $RATE_B 40 $D1 $D2 >"$TMPD/floodB.out" 2>&1 &
FLOOD_B=$!
BG="$BG $FLOOD_A $FLOOD_B"
sleep 1.5
bh0=$(counter pe1 CUST-A blackhole)

# ---- phase 1: pe1, static 192.168.2.1/32 in CUST-A, CYCLES add/withdraw ----
{
	echo "configure terminal"
	echo "vrf CUST-A"
	for i in $(seq "$CYCLES"); do
		if [ $((i % 2)) = 1 ]; then nh=10.1.1.2; else nh=blackhole; fi
		echo "ip route $D1/32 $nh"
		echo "no ip route $D1/32 $nh"
	done
} >"$TMPD/churn1a.txt"
{
	echo "configure terminal"
	echo "vrf CUST-B"
	for i in $(seq "$CYCLES"); do
		echo "ip route 10.99.0.0/24 10.1.1.3"
		echo "no ip route 10.99.0.0/24 10.1.1.3"
	done
} >"$TMPD/churn1b.txt"
"$PESH" -N pe1 <"$TMPD/churn1b.txt" >"$TMPD/churn1b.out" 2>&1 &
CHURN_B=$!
BG="$BG $CHURN_B"
t1s=$(now)
"$PESH" -N pe1 <"$TMPD/churn1a.txt" >"$TMPD/churn1a.out" 2>&1
rc1=$?
t1e=$(now)
wait $CHURN_B
rc1b=$?
BG=$(echo " $BG " | sed "s/ $CHURN_B / /")
rate1=$($PY -c "print('%.0f' % ($CYCLES / ($t1e - $t1s)))")
echo "phase 1: $CYCLES cycles in $($PY -c "print('%.3f' % ($t1e - $t1s))") s: $rate1 cycles/s (a CUST-B churn alongside)"
check "phase 1: pe1 took every command (A's session rc $rc1, B's $rc1b)" \
	sh -c "[ $rc1 = 0 ] && [ $rc1b = 0 ] && ! grep -q '%' '$TMPD/churn1a.out' '$TMPD/churn1b.out'"
check "phase 1 final state: $D1/32 is pe2's BGP route again, [$L32]" wait_rib_label pe1 CUST-A $D1/32 "$L32" 50
check "phase 1 final state: no static left in CUST-A or CUST-B" sh -c \
	"! '$PESH' -N pe1 -c 'show running-config' | grep -E 'ip route ($D1/32|10.99.0.0/24)'"
sleep 2.2
bh1=$(counter pe1 CUST-A blackhole)

# ---- phase 2: pe2, 172.16.9.1/32 in CUST-A, CYCLES withdraw/re-add ----
{
	echo "configure terminal"
	echo "vrf CUST-A"
	for i in $(seq "$CYCLES"); do
		echo "no ip route $D2/32 10.2.1.2"
		echo "ip route $D2/32 10.2.1.2"
	done
} >"$TMPD/churn2.txt"
L9_0=$L9
t2s=$(now)
"$PESH" -N pe2 <"$TMPD/churn2.txt" >"$TMPD/churn2.out" 2>&1
rc2=$?
t2e=$(now)
rate2=$($PY -c "print('%.0f' % ($CYCLES / ($t2e - $t2s)))")
check "phase 2: pe2 took every command (rc $rc2)" sh -c "[ $rc2 = 0 ] && ! grep -q '%' '$TMPD/churn2.out'"
L9_F=$(vpn_label pe2 65000:1 $D2/32)
check "phase 2: pe2 exports $D2/32 with a new label ($L9_0 -> $L9_F)" \
	sh -c "[ -n '$L9_F' ] && [ '$L9_F' -gt '$L9_0' ]"
check "phase 2 final state: pe1 installs $D2/32 with the newest label [$L9_F]" \
	wait_rib_label pe1 CUST-A $D2/32 "$L9_F" 500
t2c=$(now)
echo "phase 2: $CYCLES cycles in $($PY -c "print('%.3f' % ($t2e - $t2s))") s at pe2: $rate2 cycles/s; pe1 converged $($PY -c "print('%.3f' % ($t2c - $t2e))") s after the last command"
sleep 2.2

# ---- phase 2b: the last withdrawal: no route at pe1 ----
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "no ip route $D2/32 10.2.1.2" >/dev/null
check "withdrawn: pe1 CUST-A has no route for $D2 any more" wait_rib_label pe1 CUST-A $D2/32 none 500
t3c=$(now)
sleep 1
nr1=$(counter pe1 CUST-A noRoute)
sleep 1
nr2=$(counter pe1 CUST-A noRoute)
sleep 0.5
t_end=$(now)
echo "times: t1s $t1s t1e $t1e t2s $t2s t2e $t2e t2c $t2c t3c $t3c t_end $t_end"
bg_stop $FLOOD_A $FLOOD_B
sleep 0.5
bg_cleanup
echo "flood A (attempted sent): $(cat "$TMPD/floodA.out"); flood B: $(cat "$TMPD/floodB.out")"
echo "sink at ce2a: $(cat "$TMPD/sinkA.out"); sink at ce2b: $(cat "$TMPD/sinkB.out")"
check "pe1 CUST-A counts A's flood to $D2 as noRoute after the withdrawal ($nr1 -> $nr2)" \
	test "$nr2" -ge $((nr1 + RATE_A / 8))

# ---- what the wire saw ----
F='-T fields -E separator=/t -e frame.time_epoch -e ip.dst -e mpls.label -e udp.payload'
tshark -r "$TMPD/core.pcap" -Y "udp.dstport==$PORT && !icmp" $F >"$TMPD/core.txt" 2>/dev/null
tshark -r "$TMPD/ce1a.pcap" -Y "udp.dstport==$PORT && !icmp" $F >"$TMPD/ce1a.txt" 2>/dev/null
tshark -r "$TMPD/ce2a.pcap" -Y "udp.dstport==$PORT" $F >"$TMPD/ce2a.txt" 2>/dev/null
for c in core ce1a ce1b ce2b ce2a; do
	grep -h -E 'packets (captured|dropped)' "$TMPD/$c.pcap.log" 2>/dev/null | tr '\n' ' ' | sed "s/^/capture $c: /"
	echo
done
AA='frame contains aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa'
BB='frame contains bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb'
pkts() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }
cnt() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], 0))' "$1" "$2"; }

# wrong VRF
check "ce1b (B, site 1) saw none of A's frames" test "$(pkts "$TMPD/ce1b.pcap" "$AA")" -eq 0
check "ce2b (B, site 2) saw none of A's frames" test "$(pkts "$TMPD/ce2b.pcap" "$AA")" -eq 0
check "ce2b's sink got none of A's datagrams" test "$(cnt "$TMPD/sinkB.out" aa)" -eq 0
check "ce2a (A, site 2) saw none of B's frames" test "$(pkts "$TMPD/ce2a.pcap" "$BB")" -eq 0
check "ce2a's sink got none of B's datagrams" test "$(cnt "$TMPD/sinkA.out" bb)" -eq 0
check "the markers are seen where they belong: A's at ce2a, B's at ce1b and ce2b" sh -c \
	"[ $(pkts "$TMPD/ce2a.pcap" "$AA") -ge 1000 ] && [ $(pkts "$TMPD/ce1b.pcap" "$BB") -ge 1000 ] && [ $(pkts "$TMPD/ce2b.pcap" "$BB") -ge 1000 ]"
check "the floods were delivered: ce2b's sink got B's, ce2a's sink A's" \
	sh -c "[ $(cnt "$TMPD/sinkB.out" bb) -ge 1000 ] && [ $(cnt "$TMPD/sinkA.out" aa) -ge 1000 ]"
check "B's frames to $D2 (no route in CUST-B) never on the core" test "$(nframes "$TMPD/core.txt" bb $D2 0 9e9)" -eq 0

# the windows: 1 s after each final state (phase 1, phase 2, withdrawal)
s1=$($PY -c "print($t1e + 1)")
s2=$($PY -c "print($t2c + 1)")
s3=$($PY -c "print($t3c + 1)")
# label stacks on the core, whole run
check "core: B's frames to $D1 only with [$LDP, $LB]" only_stack "$TMPD/core.txt" bb $D1 0 9e9 "$LDP,$LB" 1000
check "core: A's frames to $D1 before and after phase 1 only with [$LDP, $L32]" \
	only_stack "$TMPD/core.txt" aa $D1 0 "$t1s" "$LDP,$L32" 500
check "core: A's frames to $D1 during phase 1 with [$LDP, $L32] or [$LDP, $L24] (never LB $LB or another)" \
	only_stack "$TMPD/core.txt" aa $D1 "$t1s" "$s1" "$LDP,$L32" 100 "$LDP,$L24"
check "core: A's frames to $D1 after phase 1 (phase 2, withdrawal) only with [$LDP, $L32]" \
	only_stack "$TMPD/core.txt" aa $D1 "$s1" 9e9 "$LDP,$L32" 1000
echo "phase 1: $(nframes "$TMPD/core.txt" aa $D1 "$t1s" "$s1" | tr -d '\n') A frames to $D1 on the core during the churn, $(stacks "$TMPD/core.txt" aa $D1 "$t1s" "$s1" | awk -v w="$LDP,$L24" '$1 == w {print $2}') of them in the /32's gaps with [$LDP, $L24]"
valid9() { # every A frame to D2: [LDP, L] with L one of pe2's labels of the churn
	stacks "$TMPD/core.txt" aa $D2 0 9e9 | awk -v ldp="$LDP" -v lo="$L9_0" -v hi="$L9_F" \
		-v l24="$L24" -v l32="$L32" -v lb="$LB" '
		{ n = split($1, l, ","); total += $2; kinds++
		  if (n != 2 || l[1] != ldp || l[2] + 0 < lo + 0 || l[2] + 0 > hi + 0 ||
		      l[2] == l24 || l[2] == l32 || l[2] == lb) { print "invalid stack " $1 " x" $2; bad = 1 } }
		END { print total + 0, "frames,", kinds + 0, "stacks"; exit bad || total == 0 }'
}
check "core: A's frames to $D2 only with [$LDP, L9_k], L9_k in pe2's churn labels $L9_0..$L9_F" valid9
seen9=$(stacks "$TMPD/core.txt" aa $D2 $t2s $t2c | wc -l)
echo "phase 2: A's frames to $D2 on the core carried $seen9 different VPN labels during the churn"

# after each final state has settled (1 s)
check "core, phase 1 settled: A's frames to $D1 only [$LDP, $L32]" \
	only_stack "$TMPD/core.txt" aa $D1 "$s1" "$t2s" "$LDP,$L32" 500
check "core, phase 2 settled: A's frames to $D2 only [$LDP, $L9_F] (no stale label)" \
	only_stack "$TMPD/core.txt" aa $D2 "$s2" "$t3c" "$LDP,$L9_F" 500
check "core, withdrawn and settled: no A frame to $D2 at all" \
	test "$(nframes "$TMPD/core.txt" aa $D2 "$s3" 9e9)" -eq 0
# the churn reached the dataplane, and left nothing behind
hp=$(nframes "$TMPD/ce1a.txt" aa $D1 "$t1s" "$s1")
check "phase 1 reached pe1's tables: $hp frames hairpinned to ce1a, blackhole drops $bh0 -> $bh1" \
	sh -c "[ $hp -ge 1 ] && [ $bh1 -gt $bh0 ]"
check "ce1a: no frame hairpinned back after phase 1 settled" test "$(nframes "$TMPD/ce1a.txt" aa $D1 "$s1" 9e9)" -eq 0
check "ce2a: A's frames to $D1 arrive after phase 1 settled" test "$(nframes "$TMPD/ce2a.txt" aa $D1 "$s1" "$t2s")" -ge 500
check "ce2a: A's frames to $D2 arrive after phase 2 settled" test "$(nframes "$TMPD/ce2a.txt" aa $D2 "$s2" "$t3c")" -ge 500
check "ce2a: no A frame to $D2 after the withdrawal settled" test "$(nframes "$TMPD/ce2a.txt" aa $D2 "$s3" 9e9)" -eq 0

# ---- afterwards: normal forwarding, every ped alive ----
check "p1 eth1 back to xdp" if_backend p1 eth1 xdp
check "every ped still runs" peds_alive
for n in pe1 p1 pe2 ce2b; do
	check "$n answers pesh" "$PESH" -N $n -c "show dataplane json"
done
check "ce1a -> $D1 (A)" retry 40 ping_ok ce1a -I 192.168.1.1 $D1
check "ce1b -> $D1 (B)" retry 40 ping_ok ce1b -I 192.168.1.1 $D1
check "ce2a -> 192.168.1.1 (A, reverse)" retry 40 ping_ok ce2a -I 192.168.2.1 192.168.1.1
"$PESH" -N pe2 -c "conf t" -c "vrf CUST-A" -c "ip route $D2/32 10.2.1.2" >/dev/null
check "re-added once more: ce1a -> $D2" retry 80 ping_ok ce1a -I 192.168.1.1 $D2
check "pe1 CUST-B: 192.168.2.0/24 untouched, [$LB]" wait_rib_label pe1 CUST-B 192.168.2.0/24 "$LB" 10
echo "runtime: $SECONDS s"

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
