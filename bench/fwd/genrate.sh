#!/bin/bash
# What the forwarding benchmark's generators reach into a veth whose peer
# drops (bench/README.md, method C):
#
#   bench/fwd/genrate.sh [output.md]
#
# Two namespaces, genr-<pid>-{g,d}: g0 --veth-- d0. The peer d0 runs an XDP
# drop program (bench/fwd/xdpgen --sink d0: veth delivers XDP frames and skbs
# to it from its NAPI). Per pass, alternating, each generator sends 64-byte
# frames (60 bytes, destinations from the table) unlimited for $TRIAL s,
# pinned to CPU 0:
#   xdpgen   XDP live frames (BPF_PROG_TEST_RUN, XDP_TX into d0's ring)
#   pktgen   AF_PACKET sendmmsg (PACKET_QDISC_BYPASS)
# in three sink placements:
#   same     d0's NAPI not threaded: the drop runs in the sender's context
#            (CPU 0), so the figure is generator + a minimal receiver on one
#            core
#   split    d0 threaded NAPI pinned to CPU 1 (SCHED_FIFO 50): the sink has
#            its own core; the figure is whichever of the two is slower
#   none     (xdpgen only) d0 without NAPI (no program, GRO off): every
#            redirect fails in g0 at once; the generator's own ceiling
#            (frames made, none delivered)
# Reported: frames counted by the sink (rx_packets of d0) per second, and what
# the generator says it offered. Needs root, a build (BUILD=dir, default the
# source tree; `make bench/fwd/xdpgen bench/fwd/pktgen` there).
#   PASSES=3 TRIAL=5 TYPES="ipv4 mpls2" TABLE=path.gz
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/bench/results/fwd-genrate-$(date -u +%F).md}
passes=${PASSES:-3}
trial=${TRIAL:-5}
types=${TYPES:-ipv4 mpls2}
build=${BUILD:-$top}
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
cmdline="bench/fwd/genrate.sh $*"
envs=""
for v in PASSES TRIAL TYPES TABLE BUILD; do
	eval "[ -n \"\${$v:-}\" ]" && envs="$envs $v=\"$(eval echo "\$$v")\""
done
cmdline="${envs# }${envs:+ }$cmdline"

ns=genr-$$
G=$ns-g
D=$ns-d
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_genrate.XXXXXX")
pids=""
created=""
sinkpid=""

cleanup() {
	set +e
	for p in $pids; do
		kill -INT "$p" 2>/dev/null
	done
	[ -n "$pids" ] && sleep 0.5
	for p in $pids; do
		kill -9 "$p" 2>/dev/null
	done
	for n in $created; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

[ "$(id -u)" = 0 ] || { echo "genrate.sh: needs root" >&2; exit 1; }
taskset -pc 0 $$ >/dev/null
(cd "$build" && make -s bench/fwd/xdpgen bench/fwd/pktgen) >&2
cp "$build/bench/fwd/xdpgen" "$build/bench/fwd/pktgen" "$work/"
gzip -dc "$table" | tr -d '\r' | grep -v ':' | grep . >"$work/routes.txt"

idle_before=$(awk '$1 ~ /^cpu[01]$/ { print $1, $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
sleep 2
idle_before=$(awk '$1 ~ /^cpu[01]$/ { print $1, $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat |
	paste - <(echo "$idle_before") | awk '{ printf "%s %.0f %%, ", $1, 100 * ($2 - $5) / ($3 - $6) }')
idle_before=${idle_before%, }

for n in $G $D; do
	ip netns add "$n"
	created="$created $n"
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add g0 netns $G address 02:fb:00:00:00:01 type veth peer name d0 netns $D address 02:fb:00:00:01:00
ip -n $G link set g0 up
ip -n $D link set d0 up

napis() {
	ps -eo pid=,comm= | awk -v d="$1" 'index($2, "napi/" d "-") == 1 { print $1 }' | sort
}

# sink_on same|split|none
sink_on() {
	[ "$1" = none ] && return 0
	local before p
	before=$(napis d0)
	ip netns exec $D "$work/xdpgen" --sink d0 >/dev/null 2>"$work/sink.err" &
	sinkpid=$!
	pids="$pids $sinkpid"
	local i=0
	until ip -n $D -d link show d0 | grep -q 'prog/xdp'; do
		i=$((i + 1))
		[ $i -ge 100 ] && { cat "$work/sink.err" >&2; exit 1; }
		sleep 0.05
	done
	if [ "$1" = split ]; then
		ip netns exec $D sh -c 'echo 1 >/sys/class/net/d0/threaded'
		sleep 0.1
		for p in $(comm -13 <(echo "$before") <(napis d0)); do
			taskset -pc 1 "$p" >/dev/null
			chrt -f -p 50 "$p"
		done
	fi
}

sink_off() {
	[ -z "$sinkpid" ] && return 0
	ip netns exec $D sh -c 'echo 0 >/sys/class/net/d0/threaded' || true
	kill -INT "$sinkpid" 2>/dev/null || true
	wait "$sinkpid" 2>/dev/null || true
	pids=$(echo "$pids" | tr ' ' '\n' | grep -vx "$sinkpid" | tr '\n' ' ')
	sinkpid=""
	if ip -n $D -d link show d0 | grep -q 'prog/xdp'; then
		echo "genrate.sh: the sink's XDP program is still attached" >&2
		exit 1
	fi
}

rx() {
	ip netns exec $D cat /sys/class/net/d0/statistics/rx_packets
}

# one GEN TYPE PLACEMENT PASS
one() {
	local args r0 r1 g
	case $2 in
	ipv4) args="--type ipv4" ;;
	mpls1) args="--type mpls1 --labels 2000 --label-spread 16" ;;
	mpls2) args="--type mpls2 --labels 1000,3000 --label-spread 16" ;;
	esac
	sink_on "$3"
	r0=$(rx)
	# shellcheck disable=SC2086
	g=$(ip netns exec $G taskset -c 0 "$work/$1" --dev g0 --dst-mac 02:fb:00:00:01:00 $args \
		--dsts "$work/routes.txt" --duration "$trial")
	sleep 0.2
	r1=$(rx)
	sink_off
	echo "$g" | awk -v gen="$1" -v t="$2" -v pl="$3" -v p="$4" -v rx=$((r1 - r0)) -F'[:,}]' \
		'{ printf "%s %s %s %d %.0f %.0f\n", gen, t, pl, p, rx / $8, $4 / $8 }' | tee -a "$work/raw" >&2
}

: >"$work/raw"
p=1
while [ $p -le "$passes" ]; do
	order="xdpgen pktgen"
	[ $((p % 2)) = 0 ] && order="pktgen xdpgen"
	for t in $types; do
		for pl in same split none; do
			for g in $order; do
				[ "$pl" = none ] && [ "$g" = pktgen ] && continue
				one "$g" "$t" "$pl" "$p"
			done
		done
	done
	p=$((p + 1))
done

stat() {
	awk -v g="$1" -v t="$2" -v pl="$3" -v c="$4" '$1 == g && $2 == t && $3 == pl { print $c }' "$work/raw" |
		sort -g | awk '{ x[++n] = $1 / 1e6 }
		END {
			if (!n) { print "-"; exit }
			m = n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
			printf "%.2f (%.2f - %.2f)\n", m, x[1], x[n]
		}'
}
{
	echo "# Generator rates into a veth whose peer drops (method C)"
	echo
	echo "- nproc: $(getconf _NPROCESSORS_ONLN); CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); kernel: $(uname -r)"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); idle in the 2 s before: $idle_before"
	echo
	echo "    $cmdline"
	echo
	echo "$passes passes of $trial s per cell, generators alternating; 60-byte frames (64 with FCS);"
	echo "generator pinned to CPU 0. Median (min - max), Mpps."
	echo
	echo "| frames | sink placement | xdpgen, at sink | xdpgen, offered | pktgen, at sink | pktgen, offered | xdpgen / pktgen at sink |"
	echo "|---|---|---|---|---|---|---|"
	for t in $types; do
		for pl in same split none; do
			xs=$(stat xdpgen "$t" "$pl" 5); xo=$(stat xdpgen "$t" "$pl" 6)
			ps_=$(stat pktgen "$t" "$pl" 5); po=$(stat pktgen "$t" "$pl" 6)
			r=$(awk -v a="${xs%% *}" -v b="${ps_%% *}" 'BEGIN { if (b > 0 && a != "-") printf "%.1f", a / b; else printf "-" }')
			echo "| $t | $pl | $xs | $xo | $ps_ | $po | $r |"
		done
	done
	echo
	echo "Placements: same = the sink's XDP drop runs in the generator's context on CPU 0 (d0's"
	echo "NAPI not threaded); split = d0's threaded NAPI on CPU 1 (SCHED_FIFO 50); none = d0 has no"
	echo "NAPI, every xdpgen redirect fails at once in g0 (the generator's own ceiling; nothing"
	echo "delivered). pktgen offered = frames sendmmsg accepted or refused; xdpgen offered = frames"
	echo "its program returned XDP_TX for (those the peer's full ring refused included)."
	echo
	echo "## Raw (generator, frames, placement, pass, sink pps, offered pps)"
	echo
	sed 's/^/    /' "$work/raw"
} >"$out"
sed -i -e "s|$top/\\.\\./shared/|../shared/|g" -e "s|$top/|./|g" "$out"
echo "genrate.sh: wrote $out" >&2
