#!/bin/bash
# How low BFD timers stay stable on this machine's namespaces: a pair of
# peds and, as the reference in the same run, a pair of FRR bfdd, each over
# its own veth pair, at transmit/receive intervals of 100, 50, 20 and 10 ms
# with Detect Mult 3, idle and with both CPUs kept busy by two spinning
# shell loops (one per core). Each step reconfigures the timers live, waits
# for the session to be up at the new rate, then counts session-down events
# on both ends over SECS seconds (counters read before and after). The two pairs are
# measured one after the other (the other pair shut down), in alternating
# order over PASSES passes.
#   bench/bfd/stability.sh [-s SECS] [-p PASSES] [-t "100 50 20 10"]
# Needs root, ped and pesh built (BUILD, default ./build or the tree), FRR.
# Prints a Markdown table: per implementation, timer and load, the downs per
# pass, and packets received per second on one end (the rate achieved).
set -u
SECS=10
PASSES=3
TIMERS="100 50 20 10"
while getopts s:p:t: o; do
	case $o in
	s) SECS=$OPTARG ;; p) PASSES=$OPTARG ;; t) TIMERS=$OPTARG ;;
	*) sed -n '2,16p' "$0"; exit 2 ;;
	esac
done
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${BUILD:-$top/build}
[ -x "$B/pe/ped" ] || B=$top
PED=$B/pe/ped
PESH=$B/cli/pesh
[ -x "$PED" ] && [ -x /usr/lib/frr/bfdd ] || { echo "needs ped ($PED) and FRR bfdd"; exit 1; }
P="bbs$$"
TMPD=$(mktemp -d "/tmp/$P.XXXXXX")
export PE_RUNDIR=$TMPD/run
PIDS=""
LOAD=""
cleanup() {
	for p in $LOAD $PIDS; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in $LOAD $PIDS; do kill -9 "$p" 2>/dev/null; done
	for n in p1 p2 f1 f2; do ip netns del "$P$n" 2>/dev/null; done
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pair() { # pair NS1 NS2
	ip netns add "$1" && ip netns add "$2" || exit 1
	ip -n "$1" link set lo up; ip -n "$2" link set lo up
	ip link add "${1}v" netns "$1" type veth peer name "${2}v" netns "$2"
	ip -n "$1" addr add 10.0.0.1/30 dev "${1}v"; ip -n "$1" link set "${1}v" up
	ip -n "$2" addr add 10.0.0.2/30 dev "${2}v"; ip -n "$2" link set "${2}v" up
}
pair "${P}p1" "${P}p2"
pair "${P}f1" "${P}f2"

for i in 1 2; do
	peer=10.0.0.$((3 - i))
	printf 'hostname n%s\nbfd\n peer %s\n exit\nexit\n' "$i" "$peer" >"$TMPD/n$i.conf"
	ip netns exec "${P}p$i" taskset -c $((i - 1)) "$PED" -N "n$i" -f "$TMPD/n$i.conf" -l "$TMPD/n$i.log" &
	PIDS="$PIDS $!"
	d=$TMPD/f$i
	mkdir -p "$d"
	printf 'bfd\n peer %s\n exit\nexit\n' "$peer" >"$d/bfdd.conf"
	echo "hostname f$i" >"$d/zebra.conf"
	chown -R frr:frr "$d"; chmod 755 "$TMPD" "$d"
	for dm in zebra bfdd; do
		extra=()
		[ $dm = bfdd ] && extra=(--bfdctl "$d/bfdd.sock")
		ip netns exec "${P}f$i" taskset -c $((i - 1)) /usr/lib/frr/$dm -d -u frr -g frr --vty_socket "$d" \
			-z "$d/zserv.api" -i "$d/$dm.pid" -f "$d/$dm.conf" "${extra[@]}" 2>/dev/null
		for _ in $(seq 50); do [ -s "$d/$dm.pid" ] && break; sleep 0.1; done
		PIDS="$PIDS $(cat "$d/$dm.pid")"
	done
done
for _ in $(seq 100); do [ -S "$PE_RUNDIR/n1/ped.sock" ] && [ -S "$PE_RUNDIR/n2/ped.sock" ] && break; sleep 0.1; done

J="python3 -c"
ped_set() { # ped_set NODE PEER MS SHUT
	"$PESH" -N "$1" -c "configure terminal" -c "bfd" -c "peer $2" -c "transmit-interval $3" \
		-c "receive-interval $3" -c "$([ "$4" = 1 ] && echo shutdown || echo 'no shutdown')" >/dev/null
}
frr_set() { # frr_set IDX PEER MS SHUT
	vtysh --vty_socket "$TMPD/f$1" -c "configure terminal" -c "bfd" -c "peer $2" -c "transmit-interval $3" \
		-c "receive-interval $3" -c "$([ "$4" = 1 ] && echo shutdown || echo 'no shutdown')" >/dev/null
}
show() { # show ped|frr IDX 'cmd'
	if [ "$1" = ped ]; then "$PESH" -N "n$2" -c "$3"; else vtysh --vty_socket "$TMPD/f$2" -c "$3"; fi
}
field() { $J "import json,sys; print(json.load(sys.stdin)[0]['$1'])"; }
configure() { # configure IMPL MS SHUT
	for i in 1 2; do
		if [ "$1" = ped ]; then ped_set "n$i" "10.0.0.$((3 - i))" "$2" "$3"
		else frr_set "$i" "10.0.0.$((3 - i))" "$2" "$3"; fi
	done
}
measure() { # measure IMPL MS -> "downs pps"
	local impl=$1 ms=$2 d1 d2 r0 r1 ok=0
	configure "$impl" "$ms" 0
	for _ in $(seq 100); do
		if [ "$(show "$impl" 1 'show bfd peers json' | field status)" = up ] &&
		   [ "$(show "$impl" 1 'show bfd peers json' | field remote-transmit-interval)" = "$ms" ]; then ok=1; break; fi
		sleep 0.1
	done
	[ $ok = 1 ] || { echo "never-up -"; return; }
	sleep 1
	# counters read before and after the window (bfdd's `clear ... counters`
	# leaves session-down alone, so the difference is what counts)
	a1=$(show "$impl" 1 'show bfd peers counters json' | field session-down)
	a2=$(show "$impl" 2 'show bfd peers counters json' | field session-down)
	r0=$(show "$impl" 1 'show bfd peers counters json' | field control-packet-input)
	sleep "$SECS"
	d1=$(show "$impl" 1 'show bfd peers counters json' | field session-down)
	d2=$(show "$impl" 2 'show bfd peers counters json' | field session-down)
	r1=$(show "$impl" 1 'show bfd peers counters json' | field control-packet-input)
	echo "$((d1 - a1 + d2 - a2)) $(( (r1 - r0) / SECS ))"
}
busy() {
	if [ "$1" = 1 ]; then
		for c in 0 1; do taskset -c $c sh -c 'while :; do :; done' & LOAD="$LOAD $!"; done
	else
		for p in $LOAD; do kill "$p" 2>/dev/null; done
		LOAD=""
	fi
}

declare -A R
for pass in $(seq "$PASSES"); do
	order="ped frr"
	[ $((pass % 2)) = 0 ] && order="frr ped"
	for load in 0 1; do
		busy $load
		for ms in $TIMERS; do
			for impl in $order; do
				other=frr; [ $impl = frr ] && other=ped
				configure $other 1000 1
				r=$(measure $impl "$ms")
				R[$impl,$ms,$load]="${R[$impl,$ms,$load]:-} $r"
				echo "pass $pass load $load ${ms}ms $impl: downs/pps $r" >&2
			done
		done
		busy 0
	done
done

echo "| implementation | interval x3 | load | session downs per ${SECS} s, each pass | packets/s received at one end |"
echo "|---|---|---|---|---|"
for impl in ped frr; do
	for load in 0 1; do
		for ms in $TIMERS; do
			set -- ${R[$impl,$ms,$load]}
			downs=""; pps=""
			while [ $# -ge 2 ]; do downs="$downs $1"; pps="$pps $2"; shift 2; done
			echo "| $impl | $ms ms | $([ $load = 1 ] && echo "2 CPUs busy" || echo idle) |$downs |$pps |"
		done
	done
done
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
