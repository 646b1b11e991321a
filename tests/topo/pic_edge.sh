#!/bin/bash
# BGP PIC edge on topologies/l3vpn-pic.yml: ce2 is dual-homed to pe2 (the
# primary for pe1, lower router id) and pe3 (the backup). The testbed is run
# twice, with 1 and with $PIC_ROUTES (default 100000) extra VPN prefixes
# behind ce2 (static /24s from 100.0.0.0/24 on, in pe2's and pe3's VRF
# CUST-A, generated into a copy of the topology; ce2 holds 100.0.0.1/24).
# Each run:
#   a. waits until pe1 has every prefix from both PEs in VRF CUST-A and BFD
#      up to both; checks that pe1's 192.168.2.0/24 goes via 10.255.0.3 with
#      a backup next hop 10.255.0.4 (PIC: "backupNexthops", FRR's field);
#   b. ce1 sends a one-way UDP stream to 192.168.2.1 and another to 100.0.0.1
#      (one of the extra prefixes), 1000 packets/s each, every datagram with
#      a sequence number and its send time; ce2 records arrival times
#      (kernel timestamps; all namespaces share CLOCK_REALTIME); pe1's core
#      port is watched for BFD packets;
#   c. fails pe2: first its core link (`shutdown` on pe2's eth3 through
#      pesh: a silent death for pe1, only BFD or the loss of the LSP tells;
#      not `ip link set eth3 down`, which pe2's ped undoes at once, its
#      config saying the link is up), then, with the link back and everything
#      converged again, pe2's ped killed with SIGKILL (the pid petopo
#      recorded; pe2's kernel then closes the BGP and LDP TCP sessions at
#      once, so pe1's BGP hears of it before BFD does). The link goes first
#      because `petopo restart` refuses a ped that is no longer running: the
#      kill ends a run;
#   d. measures per flow: the outage (the longest gap in received sequence
#      numbers, as the time between the arrivals at its ends), the packets
#      lost, BFD's detection at pe1 (failure -> pe1's session to pe2 Down)
#      and the switch after detection (first packet received after the gap
#      - BFD Down at pe1; 0 when nothing was lost). The Down moment is exact where pe1 has PIC (`show
#      dataplane json`: picRemotePes[].lastChangeEpochMsecs, downReason bfd,
#      the slot flips in BFD's callback) or a log with fractions of a second;
#      else it is estimated: the last BFD packet from pe2 at pe1's core port
#      (a packet socket in pe1's namespace) plus the detection time (300
#      ms), when pe1's timer is due, but not before the second of pe1's log
#      line (a busy event loop handles the expiry late) nor after the first
#      BFD Down packet pe1 sends (printed too). The arrival gaps, pe1's log
#      lines and the PIC slot's flip (time and reason) are printed as well;
#   e. asserts: the route moves to 10.255.0.4, traffic resumes through pe3
#      (packets sent after the failure arrive, ce2's link from pe3 carries
#      them), and the switch after detection is at most $PIC_SWITCH_MAX_MS
#      (50) ms for both flows, both failures, both table sizes: without PIC
#      every prefix waits for BGP to withdraw and select again.
# Environment: PIC_ROUTES (the big count, 100000), PIC_SIZES (the runs, "1
# $PIC_ROUTES"), PIC_SWITCH_MAX_MS (50),
# PIC_INJECT=static (default: the extra prefixes are static routes of pe2's
# and pe3's VRF) or bgp (ce2 announces them over eBGP to both PEs' VRF
# CUST-A: a small speaker of pic_stream.py in ce2's namespace), PIC_OFF=1
# (`no bgp pic` on every PE: the figures without PIC on a build that has it).
# Lines starting "PIC |" are the figures (repeated as a table at the end).
# Everything it creates (namespaces, daemons, its stream processes, pins
# under /sys/fs/bpf/pe, temporary files) goes on exit, failure or not.
. "$(dirname "$0")/petopo_lib.sh"
pt_init p

BIG=${PIC_ROUTES:-100000}
SWITCH_MAX_MS=${PIC_SWITCH_MAX_MS:-50}
STREAM="$PY $top_srcdir/tests/topo/pic_stream.py"
RATE=1000
INJECT=${PIC_INJECT:-static}
NOPIC=""
[ "${PIC_OFF:-0}" = 1 ] && NOPIC=" nopic"
SPEAKERS=""
case "$INJECT" in static | bgp) ;; *) echo "PIC_INJECT: static or bgp"; exit 1 ;; esac
SPIDS=""   # the stream, receiver and sniffer processes this test started
TABLE=""
T0=$(date +%s)

pic_cleanup() {
	local p
	for p in $SPIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $SPIDS; do
		for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
	pt_cleanup
	for p in /sys/fs/bpf/pe/"$T"-*; do
		[ -e "$p" ] && rm -rf "$p"
	done
}
trap pic_cleanup EXIT

# the 192.168.2.0/24 route of pe1's CUST-A: "nexthops IP,.. backups IP,.."
nexthops() {
	"$PESH" -N pe1 -c "show ip route vrf CUST-A ${1:-192.168.2.0/24} json" 2>/dev/null |
		$STREAM nexthops "${1:-192.168.2.0/24}"
}
# route_via PREFIX IP: pe1's selected route for PREFIX has IP among its next hops
route_via() {
	case "$(nexthops "$1")" in
	"nexthops $2 "* | "nexthops $2,"* | "nexthops "*",$2 "* | "nexthops "*",$2,"*) return 0 ;;
	esac
	return 1
}
wait_via() { # wait_via PREFIX IP TRIES (0.2 s apart)
	local i
	for i in $(seq "$3"); do route_via "$1" "$2" && return 0; sleep 0.2; done
	echo "pe1 CUST-A $1: $(nexthops "$1") (expected via $2)"
	return 1
}
has_backup() { # PIC before the failure: primary pe2, backup pe3
	local nh
	nh=$(nexthops "$1")
	case "$nh" in
	"nexthops 10.255.0.3 backups "*10.255.0.4*) return 0 ;;
	esac
	echo "pe1 CUST-A $1: $nh (expected: nexthops 10.255.0.3 backups 10.255.0.4)"
	return 1
}

# converged N TRIES: the three PEs have settled: pe1 has the N+2 prefixes
# of each of pe2 and pe3 (N extra, the static 192.168.2.0/24 and each one's
# connected PE-CE link) and N+5 routes in CUST-A, pe2 and pe3 have each
# other's N+2 and pe1's 2, every BFD session of the three has been up for
# 3 s (100,000 routes keep an event loop busy long enough for BFD to flap
# while they are learned), and pe1 goes via pe2
converged() {
	local n="$1" tries="$2" out node
	for _ in $(seq "$tries"); do
		out=$({ for node in pe1 pe2 pe3; do
			"$PESH" -N "$node" -c "show bgp ipv4 vpn summary json"; echo; echo "#"
			"$PESH" -N "$node" -c "show bfd peers json"; echo; echo "#"
		done
		"$PESH" -N pe1 -c "show ip route vrf CUST-A summary json"; } 2>&1 | $PY -c '
import json, sys
n = int(sys.argv[1])
parts = sys.stdin.read().split("\n#\n")
try:
    docs = [json.loads(p) for p in parts]
except ValueError as e:
    print("not JSON yet:", e); sys.exit(1)
want = {"pe1": {"10.255.0.3": n + 2, "10.255.0.4": n + 2},
        "pe2": {"10.255.0.1": 2, "10.255.0.4": n + 2},
        "pe3": {"10.255.0.1": 2, "10.255.0.3": n + 2}}
why = []
for k, node in enumerate(("pe1", "pe2", "pe3")):
    bgp, bfd = docs[2 * k], docs[2 * k + 1]
    for p, cnt in want[node].items():
        q = bgp.get("peers", {}).get(p, {})
        if q.get("state") != "Established" or q.get("pfxRcd") != cnt:
            why.append("%s: %s %s pfxRcd %s" % (node, p, q.get("state"), q.get("pfxRcd")))
        if not any(s.get("peer") == p and s.get("status") == "up" and s.get("uptime", 0) >= 3 for s in bfd):
            why.append("%s: BFD %s not up for 3 s" % (node, p))
rt = docs[6]
if rt.get("routesTotal") != n + 5 or rt.get("routesTotalFib") != n + 5:
    why.append("pe1: CUST-A routes %s fib %s (want %d)" % (rt.get("routesTotal"), rt.get("routesTotalFib"), n + 5))
print("; ".join(why))
sys.exit(1 if why else 0)' "$n") && route_via 192.168.2.0/24 10.255.0.3 && return 0
		sleep 0.5
	done
	echo "$out"
	return 1
}

# topo_up N: l3vpn-pic from a copy with N extra prefixes at pe2 and pe3
topo_up() {
	local n="$1" d="$TMPD/n$1" t
	rm -rf "$d" && mkdir -p "$d" || return 1
	cp -r "$TOPOS/l3vpn-pic" "$TOPOS/l3vpn-pic.yml" "$d/" || return 1
	if [ "$INJECT" = static ]; then
		$STREAM routes "$n" 10.2.1.2 >"$d/routes.pe2" && $STREAM routes "$n" 10.3.1.2 >"$d/routes.pe3" || return 1
		sed -i "/^ ip route 192.168.2.0\/24 10.2.1.2\$/r $d/routes.pe2" "$d/l3vpn-pic/pe2.conf"
		sed -i "/^ ip route 192.168.2.0\/24 10.3.1.2\$/r $d/routes.pe3" "$d/l3vpn-pic/pe3.conf"
		for t in pe2 pe3; do
			[ "$(grep -c '^ ip route 10[01]\.' "$d/l3vpn-pic/$t.conf")" = "$n" ] || { echo "$t: routes not inserted"; return 1; }
		done
	else # PE-CE eBGP toward ce2 (AS 65002) in pe2's and pe3's CUST-A
		sed -i 's|^router bgp 65000 vrf CUST-A$|&\n no bgp ebgp-requires-policy\n neighbor 10.2.1.2 remote-as 65002|' "$d/l3vpn-pic/pe2.conf"
		sed -i 's|^router bgp 65000 vrf CUST-A$|&\n no bgp ebgp-requires-policy\n neighbor 10.3.1.2 remote-as 65002|' "$d/l3vpn-pic/pe3.conf"
		for t in pe2 pe3; do
			grep -q "remote-as 65002" "$d/l3vpn-pic/$t.conf" || { echo "$t: PE-CE session not added"; return 1; }
		done
	fi
	if [ "${PIC_OFF:-0}" = 1 ]; then
		for t in pe1 pe2 pe3; do
			sed -i 's|^ bgp router-id .*|&\n no bgp pic|' "$d/l3vpn-pic/$t.conf"
			grep -q "^ no bgp pic" "$d/l3vpn-pic/$t.conf" || { echo "$t: no bgp pic not added"; return 1; }
		done
	fi
	sed -i 's|^\(      loopback: \)192.168.2.1/24$|\1[192.168.2.1/24, 100.0.0.1/24]|' "$d/l3vpn-pic.yml"
	grep -q '100.0.0.1/24' "$d/l3vpn-pic.yml" || { echo "ce2: 100.0.0.1/24 not added"; return 1; }
	PETOPO_TIMEOUT=120 "$PETOPO" up --name "$T" "$d/l3vpn-pic.yml" >"$d/up.out" 2>&1 || { cat "$d/up.out"; return 1; }
	# traffic toward ce2 arrives from pe2 while ce2's route back goes to pe3
	X ce2 sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0 >/dev/null
	SPEAKERS=""
	if [ "$INJECT" = bgp ]; then
		BG_TRIES=1200 bg "$T-ce2" "$d/bgp2.rdy" $STREAM bgp --local 10.2.1.2 --peer 10.2.1.1 --routes "$n" --ready "$d/bgp2.rdy" ||
			{ echo "ce2's speaker toward pe2 did not send its routes"; return 1; }
		SPEAKERS="$SPEAKERS $LASTPID"
		BG_TRIES=1200 bg "$T-ce2" "$d/bgp3.rdy" $STREAM bgp --local 10.3.1.2 --peer 10.3.1.1 --routes "$n" --ready "$d/bgp3.rdy" ||
			{ echo "ce2's speaker toward pe3 did not send its routes"; return 1; }
		SPEAKERS="$SPEAKERS $LASTPID"
	fi
}
topo_down() {
	local p
	for p in $SPEAKERS; do stop_bg "$p"; done
	SPEAKERS=""
	"$PETOPO" down "$T" >/dev/null 2>&1
}

ping_ce() { X ce1 ping -c 1 -W 1 -I 192.168.1.1 192.168.2.1 >/dev/null 2>&1; }
ped_pid() { # the pid petopo recorded for NODE's ped
	$PY -c 'import json,sys
for d in json.load(open(sys.argv[1]))["daemons"]:
    if d["node"] == sys.argv[2] and d["name"] == "ped": print(d["pid"])' "$PETOPO_RUNDIR/$T/state.json" "$1"
}
rx_packets() { ip netns exec "$T-ce2" cat "/sys/class/net/$1/statistics/rx_packets"; }
now() { date +%s.%N; }
ms_since() { $PY -c 'import sys; print("%.0f" % ((float(sys.argv[2]) - float(sys.argv[1])) * 1000))' "$1" "$2"; }

# bg NS READY-FILE CMD...: CMD in namespace NS, in the background; waits
# until it says it is ready ($BG_TRIES x 0.05 s, default 100)
bg() {
	local ns="$1" rdy="$2" tries="${BG_TRIES:-100}"
	shift 2
	ip netns exec "$ns" "$@" &
	LASTPID=$!
	SPIDS="$SPIDS $LASTPID"
	for _ in $(seq "$tries"); do
		[ -s "$rdy" ] && return 0
		kill -0 "$LASTPID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
stop_bg() { # stop_bg PID: SIGTERM, wait for it (it writes its file on the way out)
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	SPIDS=$(echo "$SPIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# phase N KIND (link | kill): one failure of pe2 under the streams
phase() {
	local n="$1" kind="$2" d="$TMPD/n$1/$2" label rpid spid tpid detect last tfail tmoved e1 e1b out v picst
	label="N=$n $kind$NOPIC"
	mkdir -p "$d"
	detect=$("$PESH" -N pe1 -c "show bfd peers json" | $PY -c 'import json,sys
print(next((s.get("detectTimeMs", 300) for s in json.load(sys.stdin) if s["peer"] == "10.255.0.3"), 300))')
	last=$($STREAM routes "$n" x | tail -1 | awk '{print $3}')
	# the data plane works through pe2 (the control plane may be ahead of it)
	check "$label: before the failure, ce1 reaches 192.168.2.1 through pe2" retry 120 ping_ce
	rpid="" spid="" tpid=""
	abort() { # a failed step: stop what this phase started
		local p
		for p in $tpid $rpid $spid; do stop_bg "$p"; done
		fail "$label: $1"
		return 1
	}
	bg "$T-ce2" "$d/recv.rdy" $STREAM recv --port 4000 --out "$d/recv" --ready "$d/recv.rdy" --max 200
	rpid=$LASTPID
	[ -s "$d/recv.rdy" ] || { abort "receiver in ce2"; return 1; }
	bg "$T-pe1" "$d/sniff.rdy" $STREAM sniff --if eth3 --out "$d/sniff" --ready "$d/sniff.rdy" --max 200
	spid=$LASTPID
	[ -s "$d/sniff.rdy" ] || { abort "BFD sniffer in pe1"; return 1; }
	bg "$T-ce1" "$d/send.rdy" $STREAM send --src 192.168.1.1 --dst 192.168.2.1,100.0.0.1 --port 4000 \
		--rate "$RATE" --out "$d/sent" --ready "$d/send.rdy" --max 190
	tpid=$LASTPID
	[ -s "$d/send.rdy" ] || { abort "sender in ce1"; return 1; }
	sleep 2
	e1=$(rx_packets eth1)
	if [ "$kind" = kill ]; then
		v=$(ped_pid pe2)
		[ -n "$v" ] || { abort "pe2's pid in petopo's state"; return 1; }
		tfail=$(now)
		kill -KILL "$v"
	else
		tfail=$(now)
		"$PESH" -N pe2 -c "conf t" -c "interface eth3" -c "shutdown" >"$d/shut.out" 2>&1
		echo "    $label: pe2's eth3 shut $(ms_since "$tfail" "$(now)") ms after the failure time taken (pesh's round trip)"
	fi
	# the control plane: pe1's routes move to pe3 (the first, a prefix of the
	# second flow and the last generated one)
	check "$label: pe1 CUST-A 192.168.2.0/24 moves to 10.255.0.4" wait_via 192.168.2.0/24 10.255.0.4 300
	tmoved=$(now)
	check "$label: pe1 CUST-A 100.0.0.0/24 moves to 10.255.0.4" wait_via 100.0.0.0/24 10.255.0.4 300
	[ "$last" = 100.0.0.0/24 ] ||
		check "$label: pe1 CUST-A $last moves to 10.255.0.4" wait_via "$last" 10.255.0.4 300
	echo "    $label: pe1 had 192.168.2.0/24 via pe3 after $(ms_since "$tfail" "$tmoved") ms (pesh polling), the last prefix after $(ms_since "$tfail" "$(now)") ms"
	picst=$("$PESH" -N pe1 -c "show dataplane json" 2>/dev/null | $PY -c 'import json,sys
try:
    d = json.load(sys.stdin)
except ValueError:
    d = {}
for p in d.get("picRemotePes", []):
    if p.get("address") == "10.255.0.3" and p.get("state") == "down":
        print(p.get("lastChangeEpochMsecs", 0), p.get("downReason", "?"))')
	[ -n "$picst" ] || picst="0 -"
	sleep 2
	stop_bg "$tpid"
	sleep 0.5
	stop_bg "$rpid"
	stop_bg "$spid"
	e1b=$(rx_packets eth1)
	cp "$PETOPO_RUNDIR/$T/pe1/ped.log" "$d/pe1.log" 2>/dev/null
	out=$($STREAM analyze --recv "$d/recv" --sent "$d/sent" --fail "$tfail" --label "$label" \
		--names "to 192.168.2.1,to 100.0.0.1" --sniff "$d/sniff" --peer 10.255.0.3 --local 10.255.0.1 \
		--detect-ms "$detect" --log "$d/pe1.log" --pic-msecs "${picst% *}" --pic-reason "${picst#* }" \
		--json "$d/result.json") || { printf '%s\n' "$out"; fail "$label: analysis"; return 1; }
	printf '%s\n' "$out" | grep -v '^[A-Z0-9_]*='
	# what pe1 said about it (its log has whole seconds)
	$PY -c 'import sys, time
t = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(int(float(sys.argv[1]))))
n = 0
for l in open(sys.argv[2], errors="replace"):
    if l[:19] >= t and any(k in l for k in ("BFD peer", "PIC:", "BGP peer", "NOTIFICATION", "ldp nbr")):
        n += 1
        if n <= 12:
            print("    pe1 log: " + l.rstrip())
if n > 12:
    print("    pe1 log: ... %d lines more" % (n - 12))' "$tfail" "$d/pe1.log"
	TABLE="$TABLE$(printf '%s\n' "$out" | grep '^PIC |')
"
	eval "$(printf '%s\n' "$out" | grep '^[A-Z0-9_]*=')"
	# e. the assertions
	nonempty() { [ "$1" ]; }
	clean_before() { [ "$F0_LOST_BEFORE" = 0 ] && [ "$F1_LOST_BEFORE" = 0 ]; }
	check "$label: no loss in the streams before the failure ($F0_LOST_BEFORE and $F1_LOST_BEFORE lost)" clean_before
	check "$label: BFD at pe1 saw pe2 go down (detection ${DETECT_MS:--} ms, $DETECT_HOW)" nonempty "$DETECT_MS"
	resumed() { [ "$F0_RESUMED" = 1 ] && [ "$F1_RESUMED" = 1 ] && [ "$F0_AFTER" -gt 0 ] && [ "$F1_AFTER" -gt 0 ]; }
	check "$label: traffic resumes after the failure (both flows: $F0_AFTER and $F1_AFTER packets sent after it arrived)" resumed
	# (a few packets sent just after the failure still went through pe2)
	viape3() { [ $((e1b - e1)) -ge $(((F0_AFTER + F1_AFTER) * 9 / 10)) ]; }
	check "$label: ...through pe3 (ce2's link from pe3 received $((e1b - e1)) packets)" viape3
	within() { $PY -c 'import sys; sys.exit(0 if sys.argv[1] and float(sys.argv[1]) <= float(sys.argv[2]) else 1)' "$1" "$SWITCH_MAX_MS"; }
	check "$label: switch after BFD detection <= $SWITCH_MAX_MS ms, to 192.168.2.1 (${F0_SWITCH_MS:--} ms)" within "$F0_SWITCH_MS"
	check "$label: switch after BFD detection <= $SWITCH_MAX_MS ms, to 100.0.0.1 (${F1_SWITCH_MS:--} ms)" within "$F1_SWITCH_MS"
}

run() { # run N: up, link failure, recovery, kill, down
	local n="$1" t0
	t0=$(now)
	topo_up "$n" || { fail "N=$n: petopo up"; topo_down; return 1; }
	echo "    N=$n: up in $(ms_since "$t0" "$(now)") ms"
	check "N=$n: ce1 reaches ce2 (192.168.2.1)" retry 120 ping_ce
	check "N=$n: pe1 has the $n prefixes from pe2 and pe3, BFD up to both" converged "$n" 240
	echo "    N=$n: converged $(ms_since "$t0" "$(now)") ms after up began"
	check "N=$n: pe1 CUST-A 192.168.2.0/24 via 10.255.0.3, backup 10.255.0.4" has_backup 192.168.2.0/24
	check "N=$n: pe1 CUST-A 100.0.0.0/24 via 10.255.0.3, backup 10.255.0.4" has_backup 100.0.0.0/24

	phase "$n" link
	"$PESH" -N pe2 -c "conf t" -c "interface eth3" -c "no shutdown" >/dev/null 2>&1
	t0=$(now)
	check "N=$n: everything back after pe2's core link came up" converged "$n" 240
	echo "    N=$n: converged again $(ms_since "$t0" "$(now)") ms after the link came up"
	check "N=$n: backup 10.255.0.4 again" has_backup 192.168.2.0/24

	phase "$n" kill
	topo_down
	left_nothing() {
		nothing_left "$T" || return 1
		local f
		for f in /sys/fs/bpf/pe/"$T"-*; do
			[ -e "$f" ] && { echo "left pinned: $f"; return 1; }
		done
		return 0
	}
	check "N=$n: petopo down leaves nothing (namespaces, state, bpffs pins)" left_nothing
}

for n in ${PIC_SIZES:-1 $BIG}; do
	run "$n"
done

echo "---- PIC edge figures (outage: longest gap in sequence numbers at ce2 (arrival times of its ends); lost: of the packets sent from 1 s before the failure on; detect: failure -> BFD Down at pe1; after-detect: first packet after the gap - BFD Down, 0 when nothing was lost; resumed: that packet - failure; pic flip: failure -> pe1's PIC slot of pe2 down, and why)"
printf '%s' "$TABLE"
echo "---- $(($(date +%s) - T0)) s"
pt_done
