#!/bin/bash
# Forwarding through a veth chain, method C of BENCHMARK-METHODS.md (see
# bench/README.md):
#
#   bench/fwd/run.sh [--quick] [output.md]
#
# Three namespaces, fwdb-<pid>-{g,d,s}:
#   gen (g0, CPU 0) --veth-- (d0) dut (d1) --veth-- (s0) sink (CPU 0)
# The generator is bench/fwd/pktgen (AF_PACKET sendmmsg, PACKET_QDISC_BYPASS,
# 64-byte frames counting the FCS, i.e. 60 bytes sent), pinned to CPU 0. The
# DUT works on CPU 1:
#   K4      kernel IPv4 forwarding (ip_forward=1 in the dut namespace), a
#           default route via 10.99.2.9 whose neighbor entry is a static fake
#           MAC (the 900k-prefix table is not installed in the kernel; the
#           kernel's lookup therefore walks a 1-route FIB; K4R below puts
#           real routes in)
#   K4R     (optional, VARIANTS) K4 with the first $K4R_ROUTES prefixes of the
#           table installed as kernel routes (ip -batch), destinations drawn
#           from those prefixes only
#   U-null  bench/fwd/fwdut --mode null (our AF_PACKET I/O, rx -> tx untouched)
#   U-push  fwdut --mode push: IPv4 in, VRF LPM over the full table, 2 labels
#   U-swap  fwdut --mode swap: 2-label MPLS in, top label 1000..1015 swapped
#   U-pop   fwdut --mode pop: 1-label MPLS (2000..2015) in, pop, VRF LPM
#   U-*-kd  (optional, e.g. U-null-kd) as U-*, with the frames addressed to a
#           MAC that is not d0's, so that the dut namespace's kernel drops its
#           own copy of each frame at once (see KERNEL_COPY below)
# The XDP path (optional, VARIANTS; BENCHMARK-METHODS.md, Additions December
# 2026): the generator is bench/fwd/xdpgen (XDP live frames,
# BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on g0, XDP_TX into d0's
# XDP ring; several times what pktgen reaches), d0 gets threaded NAPI (GRO
# on, /sys/class/net/d0/threaded) with its NAPI kthread pinned to CPU 1 (and
# SCHED_FIFO, RT_NAPI below), so that everything the DUT does for a frame
# runs there, no RPS; the sink s0 runs an XDP drop program (xdpgen --sink)
# in its own threaded NAPI pinned to CPU 0:
#   K4x     kernel IPv4 forwarding as K4 (one default route), on that path
#   K4Rx    K4R on that path ($K4R_ROUTES kernel routes, dsts from them)
#   X-null  xdpgen --fwd: an XDP program on d0 that redirects every frame
#           untouched to d1 (the ceiling of an XDP forwarder here)
#   X-push  fwdut --backend xdp --mode push: ped's XDP fast path
#           (pe/fwd/xdp.c, bpf/fwd_xdp.bpf.c) on d0 and d1: VRF LPM over
#           $ROUTES prefixes, 2 labels pushed, redirected to d1
#   X-swap  the same, --mode swap (2-label frames, top label swapped)
#   X-pop   the same, --mode pop (1 label popped, VRF LPM over $ROUTES)
# XDP programs are attached through BPF links owned by fwdut / xdpgen: they
# go when the process does; the script kills its processes by pid and checks
# that no XDP program is left on its interfaces after each variant.
# Receive processing on a veth runs in the sender's context unless steered,
# so every variant has RPS on the DUT's ingress veth d0 (rps_cpus 2: the
# kernel's receive work for frames from the generator, including the copy
# into fwdut's ring or the whole forwarding path for K4, runs on CPU 1) and on
# the sink's s0 (rps_cpus 1: the sink's receive work runs on CPU 0, not in the
# DUT's transmit context). Frames reach the sink addressed to a MAC that is
# not its own (fake next-hop MAC), so it drops them right after counting;
# the sink's count is rx_packets of s0 (sysfs, read in the sink namespace).
#
# Per variant and pass: one trial with the generator unlimited (max rate:
# frames counted at the sink / trial time; DUT time = the trial's wall time
# minus CPU 1's idle+iowait from /proc/stat, and, as the method asks, CPU 1's
# busy jiffies (user+nice+system+irq+softirq; tick-sampled, which on this
# guest misses most softirq work done from idle: see the notes in the
# record); ns/packet = that time / frames that reached the sink), then a
# binary search
# for the no-drop rate: $STEPS trials of $TRIAL s between 0 and 1.02 x the max
# rate; a trial passes when the sink got at least (1 - $LOSS) of the frames
# the generator offered and the generator reached 98 % of the asked rate;
# the result is the highest offered rate that passed. Passes alternate the
# variant order (forward, reversed, rotated, ...).
#
# Needs root, ./configure once (config.h). Environment:
#   PASSES=3 TRIAL=10 STEPS=6 LOSS=0.001
#   VARIANTS="K4 U-null U-push U-swap U-pop"   (add K4R for the routed K4,
#                   K4x K4Rx X-null X-push X-swap X-pop for the XDP path)
#   K4R_ROUTES=10000
#   ROUTES=all      X-push / X-pop: the first N prefixes of the table in the
#                   VRF, and the X-path generator's destinations drawn from
#                   them (all: the whole table; U-variants always use all)
#   RT_NAPI=1       X path: the NAPI kthreads of d0 and s0 get SCHED_FIFO 50
#                   (on a shared machine other work on CPU 1 would otherwise
#                   take turns with the DUT's NAPI thread; 0: SCHED_OTHER)
#   BUILD=dir       the build tree to make and take the programs from
#                   (default: the source tree; e.g. an out-of-tree build)
#   RPS_DUT=2       rps_cpus of the DUT's ingress veth (0: no steering)
#   RPS_SINK=1      rps_cpus of the sink's veth (0: the sink's receive runs
#                   in the DUT's transmit context on CPU 1; 1 costs fwdut an
#                   IPI per frame sent, see the notes in the record)
#   KERNEL_COPY=keep|drop   U-variants: the dut namespace's kernel also gets
#                   every frame fwdut receives (AF_PACKET taps copy, they do
#                   not steal) and drops it in its IPv4 input (ip_forward=0:
#                   a route lookup and a dst per frame) or at once for MPLS;
#                   drop: the generator addresses U-variant frames to a MAC
#                   that is not d0's (fwdut takes any MAC in these modes), so
#                   the kernel drops its copy first thing in ip_rcv
#                   (PACKET_OTHERHOST), to measure fwdut without that work
#                   (tc/nft drops are not available on this kernel)
#   TABLE=path.gz   (default ../shared/data/full-table-prefixes.txt.gz)
#   --quick: PASSES=2 TRIAL=2 STEPS=4 unless set
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
quick=0
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
fi
out=${1:-$top/bench/results/fwd-$(date -u +%F).md}
if [ $quick = 1 ]; then
	passes=${PASSES:-2}; trial=${TRIAL:-2}; steps=${STEPS:-4}
else
	passes=${PASSES:-3}; trial=${TRIAL:-10}; steps=${STEPS:-6}
fi
loss=${LOSS:-0.001}
variants=${VARIANTS:-K4 U-null U-push U-swap U-pop}
rps_dut=${RPS_DUT:-2}
rps_sink=${RPS_SINK:-1}
kcopy=${KERNEL_COPY:-keep}
k4r_routes=${K4R_ROUTES:-10000}
xroutes=${ROUTES:-all}
rt_napi=${RT_NAPI:-1}
build=${BUILD:-$top}
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
cmdline="bench/fwd/run.sh $*"
[ $quick = 1 ] && cmdline="bench/fwd/run.sh --quick $*"
envs=""
for v in PASSES TRIAL STEPS LOSS VARIANTS K4R_ROUTES ROUTES RT_NAPI RPS_DUT RPS_SINK KERNEL_COPY TABLE BUILD; do
	eval "[ -n \"\${$v:-}\" ]" && envs="$envs $v=\"$(eval echo "\$$v")\""
done
cmdline="${envs# }${envs:+ }$cmdline"

ns=fwdb-$$
G=$ns-g
D=$ns-d
S=$ns-s
MAC_G=02:fb:00:00:00:01
MAC_D0=02:fb:00:00:01:00
MAC_D1=02:fb:00:00:01:01
MAC_S=02:fb:00:00:02:00
MAC_FAKE=02:fb:00:00:ff:ff
MAC_OTHER=02:fb:00:00:01:ff
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_fwd.XXXXXX")
pids=""
dutpid=""
sinkpid=""
created=""
dnapi=""

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
		xdp_left "$n" && echo "run.sh: an XDP program was left in $n (removed with it)" >&2
		ip netns del "$n" 2>/dev/null
	done
	if [ -n "${KEEP:-}" ]; then
		echo "run.sh: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
# true if an interface of namespace $1 still has an XDP program
xdp_left() {
	ip -n "$1" -d link show 2>/dev/null | grep -q 'prog/xdp'
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root" >&2; exit 1; }
[ -r "$table" ] || { echo "run.sh: cannot read $table" >&2; exit 1; }
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] || { echo "run.sh: needs 2 CPUs" >&2; exit 1; }

# the script and everything it starts run on CPU 0, except the DUT
taskset -pc 0 $$ >/dev/null

need_fwdut=0
need_xdpgen=0
for v in $variants; do
	case $v in
	U-*) need_fwdut=1 ;;
	X-null | K4x | K4Rx) need_xdpgen=1 ;;
	X-*) need_fwdut=1; need_xdpgen=1 ;;
	esac
done
targets=bench/fwd/pktgen
[ $need_fwdut = 1 ] && targets="$targets bench/fwd/fwdut"
[ $need_xdpgen = 1 ] && targets="$targets bench/fwd/xdpgen"
(cd "$build" && make -s $targets) >&2
for t in $targets; do
	cp "$build/$t" "$work/${t##*/}"
done

# routes: IPv4 prefixes of the table, plain text (fwdut --routes, pktgen --dsts)
gzip -dc "$table" | tr -d '\r' | grep -v ':' | grep . >"$work/routes.txt"
head -n "$k4r_routes" "$work/routes.txt" >"$work/routes-k4r.txt"
nroutes=$(wc -l <"$work/routes.txt")
if [ "$xroutes" = all ]; then
	cp "$work/routes.txt" "$work/routes-x.txt"
else
	head -n "$xroutes" "$work/routes.txt" >"$work/routes-x.txt"
fi
nxroutes=$(wc -l <"$work/routes-x.txt")

# how idle the machine is before we start (other work on a shared machine)
idle_before=$(awk '$1 ~ /^cpu[01]$/ { print $1, $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
sleep 2
idle_before=$(awk '$1 ~ /^cpu[01]$/ { print $1, $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat |
	paste - <(echo "$idle_before") | awk '{ printf "%s %.0f %%, ", $1, 100 * ($2 - $5) / ($3 - $6) }')
idle_before=${idle_before%, }

# ---- topology ----
for n in $G $D $S; do
	ip netns add "$n"
	created="$created $n"
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$n" link set lo up
done
ip link add g0 netns $G address $MAC_G type veth peer name d0 netns $D address $MAC_D0
ip link add d1 netns $D address $MAC_D1 type veth peer name s0 netns $S address $MAC_S
ip -n $G addr add 10.99.1.2/24 dev g0
ip -n $D addr add 10.99.1.1/24 dev d0
ip -n $D addr add 10.99.2.1/24 dev d1
ip -n $S addr add 10.99.2.2/24 dev s0
ip -n $G link set g0 up
ip -n $D link set d0 up
ip -n $D link set d1 up
ip -n $S link set s0 up
ip netns exec $D sh -c 'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >$f; done
	sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.ip_forward=0
	for q in /sys/class/net/d0/queues/rx-*; do echo '$rps_dut' >$q/rps_cpus; done'
ip netns exec $S sh -c 'for q in /sys/class/net/s0/queues/rx-*; do echo '$rps_sink' >$q/rps_cpus; done'
ip -n $D neigh replace 10.99.2.9 lladdr $MAC_FAKE dev d1 nud permanent
ip -n $D route add default via 10.99.2.9 dev d1

sink_rx() {
	ip netns exec $S cat /sys/class/net/s0/statistics/rx_packets
}
# CPU 1 busy jiffies (user nice system irq softirq; idle, iowait, steal excluded)
busy1() {
	awk '$1 == "cpu1" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}
# CPU 1 idle + iowait jiffies, and the uptime in jiffies
idle1() {
	awk '$1 == "cpu1" { print $5 + $6 }' /proc/stat
}
upj() {
	awk -v hz="$hz" '{ printf "%.0f\n", $1 * hz }' /proc/uptime
}
hz=$(getconf CLK_TCK)
# pids of the NAPI kthreads of interfaces named $1 (napi/<dev>-<id>), sorted
napis() {
	ps -eo pid=,comm= | awk -v d="$1" 'index($2, "napi/" d "-") == 1 { print $1 }' | sort
}
# run time in ns of the threads $* (schedstat: exact, unlike the ticks)
runtime() {
	local p t=0 r
	for p in "$@"; do
		r=$(awk '{ print $1 }' "/proc/$p/schedstat" 2>/dev/null) || r=0
		t=$((t + ${r:-0}))
	done
	echo $t
}

gen_args() {
	case ${1%-kd} in
	K4 | U-null | U-push) echo "--type ipv4 --dsts $work/routes.txt" ;;
	K4R | K4Rx) echo "--type ipv4 --dsts $work/routes-k4r.txt" ;;
	U-swap) echo "--type mpls2 --labels 1000,3000 --label-spread 16 --dsts $work/routes.txt" ;;
	U-pop) echo "--type mpls1 --labels 2000 --label-spread 16 --dsts $work/routes.txt" ;;
	K4x | X-null | X-push) echo "--type ipv4 --dsts $work/routes-x.txt" ;;
	X-swap) echo "--type mpls2 --labels 1000,3000 --label-spread 16 --dsts $work/routes-x.txt" ;;
	X-pop) echo "--type mpls1 --labels 2000 --label-spread 16 --dsts $work/routes-x.txt" ;;
	esac
}
# 1 for a variant of the XDP path
is_xpath() {
	case $1 in K4x | K4Rx | X-*) echo 1 ;; *) echo 0 ;; esac
}
# the generator of a variant: xdpgen on the XDP path, else pktgen
gen_bin() {
	case $1 in
	K4x | K4Rx | X-*) echo "$work/xdpgen" ;;
	*) echo "$work/pktgen" ;;
	esac
}

# trial VARIANT RATE SECONDS ->
#   "offered_frames sink_frames seconds busy_jiffies asked_rate nonidle_jiffies wall_jiffies napi_ns"
# nonidle = wall jiffies - CPU 1 idle jiffies (counts time the tick did not see);
# napi_ns = run time of d0's NAPI kthread (XDP path; 0 elsewhere)
trial() {
	local r0 b0 r1 b1 g i0 i1 u0 u1 n0 n1
	n0=$(runtime $dnapi)
	r0=$(sink_rx)
	u0=$(upj)
	i0=$(idle1)
	b0=$(busy1)
	# shellcheck disable=SC2046
	local dmac=$MAC_D0
	case $1 in U-*-kd) dmac=$MAC_OTHER ;; U-*) [ "$kcopy" = drop ] && dmac=$MAC_OTHER ;; esac
	g=$(ip netns exec $G "$(gen_bin "$1")" --dev g0 --dst-mac $dmac --src-mac $MAC_G \
		$(gen_args "$1") --rate "$2" --duration "$3")
	# drain: until the sink's count stands still for 0.1 s (at most 3 s)
	r1=$(sink_rx)
	local k=0 r2
	while [ $k -lt 30 ]; do
		sleep 0.1
		r2=$(sink_rx)
		[ "$r2" = "$r1" ] && break
		r1=$r2
		k=$((k + 1))
	done
	b1=$(busy1)
	i1=$(idle1)
	u1=$(upj)
	n1=$(runtime $dnapi)
	echo "$g" | awk -v rx=$((r1 - r0)) -v busy=$((b1 - b0)) -v rate="$2" \
		-v nonidle=$((u1 - u0 - (i1 - i0))) -v wall=$((u1 - u0)) -v napi=$((n1 - n0)) -F'[:,}]' \
		'{ print $4, rx, $8, busy, rate, nonidle, wall, napi }'
}

dut_start() {
	local mode=${1#?-} extra="" backend=afpacket
	mode=${mode%-kd}
	case $1 in X-*) backend=xdp ;; esac
	case $1 in
	U-push* | U-pop*) extra="--routes $work/routes.txt" ;;
	X-push | X-pop) extra="--routes $work/routes-x.txt" ;;
	esac
	if [ "$1" = X-null ]; then
		ip netns exec $D "$work/xdpgen" --fwd d0 --out d1 >"$work/dut.out" 2>"$work/dut.err" &
	else
		# shellcheck disable=SC2086
		ip netns exec $D taskset -c 1 "$work/fwdut" --backend $backend --mode "$mode" \
			--in d0 --out d1 --dst-mac $MAC_FAKE --cpu 1 $extra >"$work/dut.out" 2>"$work/dut.err" &
	fi
	dutpid=$!
	pids="$pids $dutpid"
}

# The XDP path on (before the DUT starts) and off (after it stopped): the
# sink's XDP drop program on s0, GRO and threaded NAPI on d0 and s0, their
# NAPI kthreads pinned (d0's to CPU 1, s0's to CPU 0; SCHED_FIFO with
# RT_NAPI=1), no RPS on d0. The kthreads are told apart from other
# namespaces' by appearing while we switch threaded NAPI on.
xpath_on() {
	local before_d before_s p
	before_d=$(napis d0)
	before_s=$(napis s0)
	ip netns exec $S "$work/xdpgen" --sink s0 >"$work/sink.out" 2>"$work/sink.err" &
	sinkpid=$!
	pids="$pids $sinkpid"
	local i=0
	until ip -n $S -d link show s0 | grep -q 'prog/xdp'; do
		i=$((i + 1))
		if [ $i -ge 100 ] || ! kill -0 $sinkpid 2>/dev/null; then
			echo "run.sh: xdpgen --sink did not attach" >&2
			cat "$work/sink.err" >&2
			exit 1
		fi
		sleep 0.05
	done
	ip netns exec $S sh -c 'echo 1 >/sys/class/net/s0/threaded'
	ip netns exec $D sh -c 'for q in /sys/class/net/d0/queues/rx-*; do echo 0 >$q/rps_cpus; done'
	ip netns exec $D ethtool -K d0 gro on >/dev/null
	ip netns exec $D sh -c 'echo 1 >/sys/class/net/d0/threaded'
	sleep 0.1
	dnapi=$(comm -13 <(echo "$before_d") <(napis d0) | tr '\n' ' ')
	snapi=$(comm -13 <(echo "$before_s") <(napis s0) | tr '\n' ' ')
	if [ -z "$dnapi" ] || [ -z "$snapi" ]; then
		echo "run.sh: no NAPI kthread for d0 ($dnapi) or s0 ($snapi)" >&2
		exit 1
	fi
	for p in $dnapi; do
		taskset -pc 1 "$p" >/dev/null
		[ "$rt_napi" = 1 ] && chrt -f -p 50 "$p"
	done
	for p in $snapi; do
		taskset -pc 0 "$p" >/dev/null
		[ "$rt_napi" = 1 ] && chrt -f -p 50 "$p"
	done
	return 0
}

xpath_off() {
	ip netns exec $D sh -c 'echo 0 >/sys/class/net/d0/threaded' || true
	ip netns exec $D ethtool -K d0 gro off >/dev/null
	ip netns exec $D sh -c 'for q in /sys/class/net/d0/queues/rx-*; do echo '$rps_dut' >$q/rps_cpus; done'
	# (threaded can only be switched while the device has NAPI: before the
	# sink's program goes)
	ip netns exec $S sh -c 'echo 0 >/sys/class/net/s0/threaded' || true
	kill -INT "$sinkpid" 2>/dev/null || true
	wait "$sinkpid" 2>/dev/null || true
	pids=$(echo "$pids" | tr ' ' '\n' | grep -vx "$sinkpid" | tr '\n' ' ')
	sinkpid=""
	dnapi=""
	snapi=""
	local n
	for n in $G $D $S; do
		if xdp_left "$n"; then
			echo "run.sh: an XDP program is still attached in $n" >&2
			ip -n "$n" -d link show >&2
			exit 1
		fi
	done
}

dut_stop() {
	kill -INT "$dutpid" 2>/dev/null || true
	wait "$dutpid" 2>/dev/null || true
	pids=$(echo "$pids" | tr ' ' '\n' | grep -vx "$dutpid" | tr '\n' ' ')
	dutpid=""
}

variant_setup() {
	case $1 in K4x | K4Rx | X-*) xpath_on ;; esac
	case $1 in
	K4 | K4x)
		ip netns exec $D sysctl -qw net.ipv4.ip_forward=1
		;;
	K4R | K4Rx)
		ip netns exec $D sysctl -qw net.ipv4.ip_forward=1
		sed "s|^|route add |; s|\$| via 10.99.2.9 dev d1 proto 99|" "$work/routes-k4r.txt" |
			ip -n $D -batch -
		;;
	U-* | X-*)
		dut_start "$1"
		;;
	esac
	# warm-up, and wait until frames get through (fwdut loading its table)
	local i=0 t
	while :; do
		t=$(trial "$1" 0 0.5)
		set -- "$1" $t
		[ "$3" -gt 0 ] && break
		i=$((i + 1))
		if [ $i -ge 60 ]; then
			echo "run.sh: $1: nothing reaches the sink" >&2
			[ -n "${dutpid:-}" ] && cat "$work/dut.err" >&2
			exit 1
		fi
		sleep 0.5
	done
}

variant_teardown() {
	case $1 in
	K4 | K4x) ip netns exec $D sysctl -qw net.ipv4.ip_forward=0 ;;
	K4R | K4Rx)
		ip netns exec $D sysctl -qw net.ipv4.ip_forward=0
		ip -n $D route flush proto 99
		;;
	U-* | X-*)
		dut_stop
		echo "$1 pass $2 dut: $(tail -n 1 "$work/dut.out")" >&2
		echo "$1 $2 $(tail -n 1 "$work/dut.out")" >>"$work/dut.json"
		;;
	esac
	case $1 in K4x | K4Rx | X-*) xpath_off ;; esac
}

# one pass of one variant: appends "variant pass maxpps offeredpps nspp busyfrac nodrop" to raw
run_variant() {
	local v=$1 p=$2 t maxpps offpps nspp nsppw nsppn busyf lo hi mid best i r offered rx secs busy nonidle wall napi
	variant_setup "$v"
	t=$(trial "$v" 0 "$trial")
	read -r offered rx secs busy _ nonidle wall napi <<<"$t"
	nsppw=$(awk -v b="$nonidle" -v hz="$hz" -v rx="$rx" 'BEGIN { printf "%.1f", (rx > 0) ? b * 1e9 / hz / rx : 0 }')
	nsppn=$(awk -v n="$napi" -v rx="$rx" 'BEGIN { printf "%.1f", (rx > 0) ? n / rx : 0 }')
	maxpps=$(awk -v rx="$rx" -v s="$secs" 'BEGIN { printf "%.0f", rx / s }')
	offpps=$(awk -v o="$offered" -v s="$secs" 'BEGIN { printf "%.0f", o / s }')
	nspp=$(awk -v b="$busy" -v hz="$hz" -v rx="$rx" 'BEGIN { printf "%.1f", (rx > 0) ? b * 1e9 / hz / rx : 0 }')
	busyf=$(awk -v b="$busy" -v w="$wall" 'BEGIN { printf "%.2f", (w > 0) ? b / w : 0 }')
	echo "$v pass $p max: offered $offpps pps, sink $maxpps pps, busy $busyf, $nspp ns/pkt ($nsppw wall - idle, $nsppn NAPI thread)" >&2
	lo=0
	hi=$(awk -v m="$maxpps" 'BEGIN { printf "%.0f", m * 1.02 }')
	best=0
	i=0
	while [ $i -lt "$steps" ]; do
		mid=$(( (lo + hi) / 2 ))
		t=$(trial "$v" "$mid" "$trial")
		read -r offered rx secs busy _ _ _ _ <<<"$t"
		# XDP path: the generator shares CPU 0 with the sink (and on a shared
		# machine with others); a trial it could not offer at the asked rate
		# still passes when nothing was lost, at the rate it did offer
		r=$(awk -v o="$offered" -v rx="$rx" -v s="$secs" -v ask="$mid" -v l="$loss" -v x="$(is_xpath "$v")" \
			'BEGIN { op = o / s; ok = (rx >= o * (1 - l) && (x || op >= 0.98 * ask)); printf "%d %.0f", ok, op }')
		echo "$v pass $p search $mid: offered ${r#* } sink $(awk -v rx="$rx" -v s="$secs" 'BEGIN { printf "%.0f", rx / s }') pps, lost $((offered - rx)) -> ${r%% *}" >&2
		if [ "${r%% *}" = 1 ]; then
			lo=$mid
			[ "${r#* }" -gt "$best" ] && best=${r#* }
		else
			hi=$mid
		fi
		i=$((i + 1))
	done
	variant_teardown "$v" "$p"
	echo "$v $p $maxpps $offpps $nspp $busyf $best $nsppw $nsppn" >>"$work/raw"
}

: >"$work/raw"
: >"$work/dut.json"
set -- $variants
nv=$#
p=1
while [ $p -le "$passes" ]; do
	# alternate: forward, reversed, then rotations of both
	order=""
	for v in $variants; do order="$order $v"; done
	rot=$(( (p - 1) / 2 % nv ))
	i=0
	while [ $i -lt $rot ]; do
		set -- $order
		first=$1
		shift
		order="$* $first"
		i=$((i + 1))
	done
	if [ $((p % 2)) = 0 ]; then
		order=$(echo $order | tr ' ' '\n' | tac | tr '\n' ' ')
	fi
	echo "pass $p: $order" >&2
	echo "$p $order" >>"$work/orders"
	for v in $order; do
		run_variant "$v" "$p"
	done
	p=$((p + 1))
done

# ---- report ----
# median (range) of column c for variant v
stat() {
	awk -v v="$1" -v c="$2" '$1 == v { print $c }' "$work/raw" | sort -g |
		awk -v f="${3:-%.0f}" -v d="${4:-1}" '{ x[++n] = $1 / d }
		END {
			if (!n) { print "-"; exit }
			m = n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
			printf f " (" f " - " f ")\n", m, x[1], x[n]
		}'
}
med() {
	awk -v v="$1" -v c="$2" '$1 == v { print $c }' "$work/raw" | sort -g |
		awk '{ x[++n] = $1 } END { if (!n) { print 0; exit } print n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2 }'
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a > 0) printf "%.2f", a / b; else printf "-" }'
}
{
	echo "# Forwarding through veth (method C)"
	echo
	echo "## Machine"
	echo
	echo "- nproc: $(getconf _NPROCESSORS_ONLN)"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- kernel: $(uname -r)"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "- idle in the 2 s before the run: $idle_before"
	echo
	echo "## Command"
	echo
	echo "    $cmdline"
	echo
	echo "Passes: $passes, trials of $trial s, binary search $steps steps over [0, 1.02 x max],"
	echo "no-drop = at most $loss of the offered frames missing at the sink. Pass orders:"
	echo
	while read -r pn rest; do echo "- pass $pn: $rest"; done <"$work/orders"
	echo
	echo "Routes: $nroutes IPv4 prefixes (../shared/data/full-table-prefixes.txt.gz); generator"
	echo "destinations: 16384 frames, each to a random address inside a random prefix."
	echo
	echo "## Results (median (min - max) of the passes)"
	echo
	echo "| variant | max rate at sink, Mpps | no-drop rate, Mpps | ns/packet at max (wall - idle) | ns/packet at max (busy ticks) | CPU1 busy fraction at max (ticks) | max / U-null | max / K4 | ns/pkt / U-null | ns/pkt / K4 | no-drop / U-null | no-drop / K4 |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	k4max=$(med K4 3); k4ns=$(med K4 8); k4nd=$(med K4 7)
	nmax=$(med U-null 3); nns=$(med U-null 8); nnd=$(med U-null 7)
	for v in $variants; do
		vmax=$(med "$v" 3); vns=$(med "$v" 8); vnd=$(med "$v" 7)
		echo "| $v | $(stat "$v" 3 %.3f 1e6) | $(stat "$v" 7 %.3f 1e6) | $(stat "$v" 8 %.0f) | $(stat "$v" 5 %.0f) | $(stat "$v" 6 %.2f) | $(ratio "$vmax" "$nmax") | $(ratio "$vmax" "$k4max") | $(ratio "$vns" "$nns") | $(ratio "$vns" "$k4ns") | $(ratio "$vnd" "$nnd") | $(ratio "$vnd" "$k4nd") |"
	done
	echo
	xvars=""
	for v in $variants; do
		case $v in K4x | K4Rx | X-*) xvars="$xvars $v" ;; esac
	done
	if [ -n "$xvars" ]; then
		echo "### The XDP path (generator xdpgen, threaded NAPI of d0 on CPU 1)"
		echo
		echo "The primary figure: DUT CPU per forwarded frame at the max rate, as the run time of"
		echo "d0's NAPI kthread (schedstat, exact; all the DUT's work for a frame runs there) and as"
		echo "CPU 1's busy ticks (which also count whatever else ran on CPU 1). Rates are"
		echo "secondary: generator and sink share CPU 0."
		echo
		echo "| variant | ns/frame, NAPI thread | ns/frame, CPU1 busy ticks | ns/frame, CPU1 wall - idle | max rate at sink, Mpps | no-drop rate, Mpps | ns (thread) / K4x | ns (thread) / X-null | ns (ticks) / K4x | max / K4x |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		k4max=$(med K4x 3); k4ns=$(med K4x 9); k4nt=$(med K4x 5)
		nns=$(med X-null 9)
		for v in $xvars; do
			vmax=$(med "$v" 3); vns=$(med "$v" 9); vnt=$(med "$v" 5)
			echo "| $v | $(stat "$v" 9 %.0f) | $(stat "$v" 5 %.0f) | $(stat "$v" 8 %.0f) | $(stat "$v" 3 %.3f 1e6) | $(stat "$v" 7 %.3f 1e6) | $(ratio "$vns" "$k4ns") | $(ratio "$vns" "$nns") | $(ratio "$vnt" "$k4nt") | $(ratio "$vmax" "$k4max") |"
		done
		echo
	fi
	echo "Generator offered rate in the max-rate trials (pktgen, or xdpgen on the XDP path, alone on CPU 0), Mpps:"
	for v in $variants; do echo "$v $(stat "$v" 4 %.3f 1e6)"; done | sed 's/^/- /'
	echo
	echo "## Notes"
	echo
	cat <<-EOF
	- Topology: gen (g0) --veth-- (d0) dut (d1) --veth-- (s0) sink, namespaces fwdb-<pid>-{g,d,s}.
	  pktgen (AF_PACKET sendmmsg bursts of 64, PACKET_QDISC_BYPASS; 60-byte frames, i.e. 64 with
	  the FCS a wire would add) on CPU 0; the DUT on CPU 1; IPv6 off in all three namespaces.
	- RPS: d0 rps_cpus=$rps_dut (the kernel's receive work for the DUT's input runs on CPU 1: the
	  whole forwarding path for K4, the copy into fwdut's TPACKET_V3 ring for the U-variants;
	  without it a veth's receive runs in the sender's context on CPU 0), s0 rps_cpus=$rps_sink
	  (1: the sink's receive work is not charged to the DUT, but each frame fwdut sends then
	  costs an IPI from process context; 0: the sink's cheap drop runs on CPU 1). netdev_max_backlog left at the kernel default
	  (global sysctl, not changed).
	- K4: ip_forward=1 in the dut namespace, one default route via 10.99.2.9 with a permanent
	  neighbor entry to a fake MAC; the $nroutes-prefix table is not installed in the kernel (too
	  slow to insert), so K4's FIB lookup walks a one-route trie, cheaper than a full table would
	  be. K4R (when run) installs the first $k4r_routes prefixes (ip -batch) and draws the
	  destinations from them.
	- U-variants: bench/fwd/fwdut (pe/fwd worker + pipeline) with --dst-mac set to the fake MAC;
	  push and pop load all $nroutes prefixes into VRF 1; swap frames carry 2 labels (top
	  1000..1015, bottom 3000), pop frames 1 label (2000..2015) over IPv4. Kernel copy:
	  $kcopy for U-*, drop for U-*-kd (keep: the generator addresses frames to d0's MAC, so the
	  dut namespace's kernel also receives every IPv4 frame fwdut gets (AF_PACKET taps copy, they
	  do not steal) and drops it in its IPv4 input after a route lookup, ip_forward being 0;
	  MPLS frames are dropped at once, no MPLS module; drop: frames to a foreign MAC, dropped by
	  the kernel first thing in ip_rcv, fwdut takes any MAC in these modes).
	- Sink: counts rx_packets of s0 (sysfs, read in the sink namespace); the frames carry a
	  destination MAC that is not s0's, so the sink drops them in ip_rcv.
	- DUT time per trial, two ways: "wall - idle" = trial wall time minus CPU 1's idle+iowait
	  (/proc/stat; nohz idle time is measured with the clock, so this counts all non-idle time,
	  softirq work included); "busy ticks" = CPU 1 user+nice+system+irq+softirq jiffies
	  (tick-sampled, CONFIG_TICK_CPU_ACCOUNTING, no IRQ time accounting). The tick count misses
	  most of K4's work (softirq run from the idle loop after an RPS IPI, between ticks), so the
	  ratios use "wall - idle"; for the U-variants (fwdut spinning while frames arrive) the two
	  agree. ns/packet = that time / frames counted at the sink. A trial ends when the sink's
	  count stands still for 0.1 s.
	- No-drop: binary search, $steps trials of $trial s in [0, 1.02 x that pass's max rate]; pass =
	  at least (1 - $loss) of the offered frames (including those the generator's send refused
	  with ENOBUFS because the DUT's backlog was full) counted at the sink and the generator
	  reaching 98 % of the asked rate (XDP path: no 98 % condition; the result is then the
	  highest rate actually offered in a passing trial).
	EOF
	if [ -n "$xvars" ]; then
		cat <<-EOF
		- XDP path (K4x, K4Rx, X-*): generator bench/fwd/xdpgen on CPU 0: BPF_PROG_TEST_RUN with
		  BPF_F_TEST_XDP_LIVE_FRAMES on g0 (65536 runs per call, batches of 64), its program writes
		  each frame's headers from the template, a destination from 16384 drawn as pktgen's and
		  the label, and returns XDP_TX: the frame goes straight into d0's XDP ring (veth
		  ndo_xdp_xmit). Offered = frames sent to g0 (also those d0's full ring refused, counted
		  lost); --rate is paced per frame inside the program. d0: GRO on, threaded NAPI, its
		  kthread pinned to CPU 1$( [ "$rt_napi" = 1 ] && echo ", SCHED_FIFO 50"), rps_cpus 0. Sink: xdpgen --sink, an XDP drop
		  program on s0 (rx_packets counts it), s0's NAPI kthread on CPU 0. K4x/K4Rx: the kernel
		  forwards the skbs d0's NAPI builds from the frames; X-null: an XDP program on d0 that
		  redirects every frame untouched to d1 (bpf_redirect); X-push/swap/pop: fwdut --backend
		  xdp, ped's XDP program (pe/fwd/bpf/fwd_xdp.bpf.c) attached to d0 and d1 through BPF links,
		  maps written from fwdut's tables by fwd_xdp_sync. X-push/X-pop VRF: $nxroutes prefixes
		  (ROUTES=$xroutes), destinations drawn from them; K4Rx: $k4r_routes kernel routes.
		- "ns/frame, NAPI thread": run time of d0's NAPI kthread over the trial (/proc/PID/schedstat,
		  ns, not tick-sampled) / frames counted at the sink; the DUT's whole receive, XDP program or
		  kernel forwarding, and transmit into s0's ring run there, and nothing else does. The busy
		  ticks of CPU 1 also count other processes that ran on CPU 1 (on a shared machine).
		EOF
	fi
	echo
	echo "## Raw (variant, pass, sink pps at max, offered pps at max, ns/pkt, CPU1 busy fraction, no-drop pps, ns/pkt wall - idle, ns/pkt NAPI thread)"
	echo
	sed 's/^/    /' "$work/raw"
	if [ -s "$work/dut.json" ]; then
		echo
		echo "fwdut exit lines (variant, pass, JSON; counters over the whole pass):"
		echo
		sed 's/^/    /' "$work/dut.json"
	fi
} >"$out"
sed -i -e "s|$top/\\.\\./shared/|../shared/|g" -e "s|$top/|./|g" -e "s|$work/|\$WORK/|g" "$out"
echo "run.sh: wrote $out" >&2
