#!/bin/bash
# RT-Constrain benchmark (issue [10]): a ped route reflector with 100 PE
# clients, each importing 1 % of 100k VPN-IPv4 routes, with and without
# RTC (RFC 4684). Bytes the reflector sends its clients, its CPU time and
# memory, and the time until every client has what it should.
#
#   bench/rtc/run.sh [output.md]
#
# Namespaces gen (CPU 0: bench/bgp/bgpgen and bench/rtc/rtcpe) -- veth --
# dut (CPU 1: ped as the reflector). bgpgen (a non-client iBGP peer) sends
# PATHS paths over CLIENTS route targets 65000:1..CLIENTS, PATHS/CLIENTS
# each (bgpgen -V CLIENTS -L CLIENTS). rtcpe opens CLIENTS sessions, all
# route reflector clients; with RTC ("rtc" mode) client i advertises the
# membership 65000:65000:i and gets PATHS/CLIENTS routes; without ("all"
# mode, the reference: what a reflector does today without RTC) every
# client gets all PATHS routes. Per run: ped started fresh with the
# configuration of its mode; the clients Established (and, with RTC, every
# membership received); 1 s later baseline CPU (utime+stime) and bytes;
# then bgpgen sends everything; the run ends when the clients hold the
# expected number of routes in all (CLIENTS x PATHS/CLIENTS with RTC,
# CLIENTS x PATHS without). Recorded: seconds from bgpgen's first byte to
# the clients' last byte, the reflector's CPU seconds over that interval,
# bytes received by the clients, the reflector's VmRSS at the end.
# PASSES passes, the two modes in alternating order.
# Environment: BUILD (build tree, default the source tree), TABLE (prefixes,
# default ../shared/data/full-table-prefixes.txt.gz), PATHS=100000,
# CLIENTS=100, PASSES=3, STALL=120 (seconds without progress: the run fails).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${BUILD:-$top}
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
paths=${PATHS:-100000}
clients=${CLIENTS:-100}
passes=${PASSES:-3}
stall=${STALL:-120}
out=${1:-}
PED=$B/pe/ped
PESH=$B/cli/pesh
GEN=$B/bench/bgp/bgpgen
PE=$B/bench/rtc/rtcpe
for x in "$PED" "$PESH" "$GEN" "$PE"; do
	[ -x "$x" ] || { echo "missing $x (make && make bench)"; exit 1; }
done
[ -f "$table" ] || { echo "missing $table"; exit 1; }
P="brtc$$"
G="${P}g"
D="${P}d"
TMPD=$(mktemp -d "/tmp/$P.XXXXXX")
export PE_RUNDIR=$TMPD/run
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
	ip netns del "$G" 2>/dev/null || true
	ip netns del "$D" 2>/dev/null || true
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
stop() { kill "$1" 2>/dev/null || true; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' '); }

ip netns add "$G"; ip netns add "$D"
ip -n "$G" link set lo up; ip -n "$D" link set lo up
ip link add "${P}a" netns "$G" type veth peer name "${P}b" netns "$D"
ip -n "$D" addr add 10.0.0.1/16 dev "${P}b"; ip -n "$D" link set "${P}b" up
ip -n "$G" addr add 10.0.0.2/16 dev "${P}a"
for i in $(seq "$clients"); do ip -n "$G" addr add "10.0.$((1 + (i - 1) / 250)).$((1 + (i - 1) % 250))/16" dev "${P}a"; done
ip -n "$G" link set "${P}a" up
client_addr() { echo "10.0.$((1 + ($1 - 1) / 250)).$((1 + ($1 - 1) % 250))"; }

config() { # config MODE
	echo "hostname rr"
	echo "router bgp 65000"
	echo " bgp router-id 10.0.0.1"
	echo " no bgp default ipv4-unicast"
	echo " no bgp labelled-nexthop-resolution"
	echo " neighbor 10.0.0.2 remote-as 65000"
	for i in $(seq "$clients"); do echo " neighbor $(client_addr "$i") remote-as 65000"; done
	echo " address-family ipv4 vpn"
	echo "  neighbor 10.0.0.2 activate"
	for i in $(seq "$clients"); do
		echo "  neighbor $(client_addr "$i") activate"
		echo "  neighbor $(client_addr "$i") route-reflector-client"
	done
	echo " exit-address-family"
	if [ "$1" = rtc ]; then
		echo " address-family ipv4 rtc"
		for i in $(seq "$clients"); do echo "  neighbor $(client_addr "$i") activate"; done
		echo " exit-address-family"
	fi
	echo "exit"
}
stat_field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' "$TMPD/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

declare -A R
run() { # run MODE PASS
	local mode=$1 pass=$2 ped gen pe want c0 c1 b0 b1 t0 t1 rss last now_n prog i
	config "$mode" >"$TMPD/rr.conf"
	ip netns exec "$D" taskset -c 1 "$PED" -N rr -f "$TMPD/rr.conf" -l "$TMPD/rr.log" &
	ped=$!; PIDS="$PIDS $ped"
	for _ in $(seq 100); do [ -S "$PE_RUNDIR/rr/ped.sock" ] && break; sleep 0.1; done
	rm -f "$TMPD/status" "$TMPD/go"
	ip netns exec "$G" taskset -c 0 "$PE" -c 10.0.0.1 -b "$(client_addr 1)" -n "$clients" \
		$([ "$mode" = rtc ] && echo -r) -s "$TMPD/status" 2>"$TMPD/pe.err" &
	pe=$!; PIDS="$PIDS $pe"
	for i in $(seq 300); do [ "$(stat_field established)" = "$clients" ] && break; sleep 0.1; done
	[ "$(stat_field established)" = "$clients" ] || { echo "clients not established: $(cat "$TMPD/status" 2>&1)"; cat "$TMPD/pe.err"; tail -5 "$TMPD/rr.log"; return 1; }
	if [ "$mode" = rtc ]; then
		for i in $(seq 100); do
			n=$("$PESH" -N rr -c "show bgp ipv4 rtc json" | python3 -c 'import json,sys
print(sum(1 for v in json.load(sys.stdin)["neighbors"].values() if v["received"]))')
			[ "$n" = "$clients" ] && break; sleep 0.2
		done
	fi
	ip netns exec "$G" taskset -c 0 "$GEN" -b 10.0.0.2 -c 10.0.0.1 -f "$table" -n "$paths" \
		-V "$clients" -L "$clients" -w "$TMPD/go" >"$TMPD/gen.out" 2>&1 &
	gen=$!; PIDS="$PIDS $gen"
	for i in $(seq 600); do grep -q '^established' "$TMPD/gen.out" && break; sleep 0.1; done
	sleep 1
	c0=$(cpu_ticks "$ped"); b0=$(stat_field bytes)
	touch "$TMPD/go"
	if [ "$mode" = rtc ]; then want=$(( (paths / clients) * clients )); else want=$((paths * clients)); fi
	last=0; prog=$(date +%s)
	while :; do
		now_n=$(stat_field nlri)
		[ "$now_n" -ge "$want" ] && break
		if [ "$now_n" != "$last" ]; then last=$now_n; prog=$(date +%s); fi
		[ $(( $(date +%s) - prog )) -lt "$stall" ] || { echo "$mode pass $pass: stalled at $now_n of $want"; return 1; }
		sleep 0.2
	done
	c1=$(cpu_ticks "$ped"); b1=$(stat_field bytes)
	t0=$(sed -n 's/^first_byte //p' "$TMPD/gen.out"); t1=$(stat_field last_rx)
	rss=$(awk '/VmRSS/ {print $2}' "/proc/$ped/status")
	R[$mode]="${R[$mode]:-} $(python3 -c "print('%.2f %.2f %d %d' % ($t1 - $t0, ($c1 - $c0) / $hz, $b1 - $b0, $rss // 1024))")"
	echo "$mode pass $pass: secs cpu bytes rss_mb: $(python3 -c "print('%.2f %.2f %d %d' % ($t1 - $t0, ($c1 - $c0) / $hz, $b1 - $b0, $rss // 1024))")" >&2
	stop "$gen"; stop "$pe"; stop "$ped"
}

for pass in $(seq "$passes"); do
	order="rtc all"; [ $((pass % 2)) = 0 ] && order="all rtc"
	for m in $order; do run "$m" "$pass" || exit 1; done
done

med() { python3 -c "import statistics,sys
v=[float(x) for x in sys.argv[1:]]
f=(lambda x: '{:,}'.format(int(x))) if all(x == int(x) for x in v) else (lambda x: '%.2f' % x)
print('%s (%s-%s)' % (f(statistics.median(v)), f(min(v)), f(max(v))))" "$@"; }
col() { local m=$1 k=$2; set -- ${R[$m]}; local v=(); while [ $# -ge 4 ]; do case $k in 1) v+=("$1");; 2) v+=("$2");; 3) v+=("$3");; 4) v+=("$4");; esac; shift 4; done; med "${v[@]}"; }
{
	echo "RT-Constrain benchmark: a ped route reflector, $clients PE clients each importing 1/$clients of $paths VPN-IPv4 routes"
	echo
	echo "| mode | routes sent to the clients | seconds to the last client's last byte | RR CPU seconds | bytes sent to the clients | RR VmRSS MB |"
	echo "|---|---|---|---|---|---|"
	for m in rtc all; do
		echo "| $m | $([ $m = rtc ] && echo $(( (paths / clients) * clients )) || echo $((paths * clients))) | $(col $m 1) | $(col $m 2) | $(col $m 3) | $(col $m 4) |"
	done
	echo
	echo "median (min-max) of $passes passes, modes alternating; raw (secs cpu bytes rss_mb per pass): rtc:${R[rtc]} / all:${R[all]}"
	echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
} | tee "${out:-/dev/null}"
