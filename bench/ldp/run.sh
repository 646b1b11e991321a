#!/bin/bash
# LDP label mapping ingestion benchmark, method D of BENCHMARK-METHODS.md
# (see bench/README.md): ped beside FRR ldpd (with an idle zebra, as FRR
# runs it), in the same run, alternating.
#
#   bench/ldp/run.sh [output.md]
#
# Two namespaces joined by a veth: gen (S ldpgen instances, one targeted
# session each, addresses 10.98.0.10.., CPU 0) -- dut (10.98.0.1, the daemon
# on CPU 1). Each pass starts a fresh daemon, brings the S sessions up
# (session setup time as each ldpgen measures it), records the baseline
# (VmRSS, utime+stime), then every ldpgen writes M Label Mappings (the same
# M /32 FECs from every session) and a marker (a Label Request for a FEC
# without a route: the DUT answers it with a No Route Notification after
# processing everything before it). Completion: every marker answered and
# the DUT's utime+stime unchanged for QUIET s (sampled from /proc every 20
# ms); time = first mapping byte to the last answer; then VmRSS and CPU are
# read and one LIB
# query (text `show mpls ldp binding`, rows whose nexthop is a generator and
# whose remote label is set) must find S x M remote bindings, else the LIB
# is polled until it does (marked "late"). Then the withdraw storm: every
# ldpgen withdraws its M labels; the same until none is left.
# Needs root, ./configure run once (config.h), `make` (pe/ped, cli/pesh,
# ldp/libldp.a, lib/libpe.a), Debian frr.
# Environment:
#   SIZES="1000 10000 100000"   FECs per session (M)
#   SESSIONS="1"                session counts (S), e.g. "1 10"
#   PASSES=3                    alternating passes per (S, M)
#   POLL=0.05                   seconds between LIB polls, only when the DUT
#                               went idle short of the count (POLL_BIG,
#                               default 1, when S x M > 20000)
#   STALL=30                    a run fails after this many seconds without
#                               progress
#   QUIET=0.5                   seconds of DUT idleness that end a phase
#   WITHDRAW=1                  0 skips the withdraw storm
#   IMPLS="ped frr"             what to run
#   RAW=file                    measure nothing: render the record from the
#                               per-run lines an earlier run printed on
#                               stderr (run with the same settings)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
sizes=${SIZES:-1000 10000 100000}
sessions=${SESSIONS:-1}
passes=${PASSES:-3}
poll=${POLL:-0.05}
poll_big=${POLL_BIG:-1}
stall=${STALL:-30}
quiet=${QUIET:-0.5}
withdraw=${WITHDRAW:-1}
impls=${IMPLS:-ped frr}
out=${1:-$top/bench/results/ldp-$(date -u +%F).md}
frrdir=${FRRDIR:-/usr/lib/frr}
ns=ldpb$$
gen=${ns}g
dut=${ns}d
dutip=10.98.0.1
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_ldp.XXXXXX")
chmod 755 "$work"
pids=""

cleanup() {
	set +e
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	sleep 0.5
	for p in $pids; do
		kill -9 "$p" 2>/dev/null
	done
	ip netns del "$gen" 2>/dev/null
	ip netns del "$dut" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then
		echo "run.sh: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for f in "$top/config.h" "$top/pe/ped" "$top/cli/pesh" "$top/ldp/libldp.a" "$top/lib/libpe.a" \
	"$frrdir/ldpd" "$frrdir/zebra"; do
	[ -e "$f" ] || { echo "run.sh: missing $f (./configure && make; apt-get install frr)" >&2; exit 1; }
done

# Private copies of the binaries: a rebuild in the tree during the run
# cannot change what is measured.
cp "$top/pe/ped" "$top/cli/pesh" "$work/"
pedbin=$work/ped
peshbin=$work/pesh
pedinfo="pe/ped built $(date -u -r "$top/pe/ped" +%Y-%m-%dT%H:%M:%SZ)"
if [ -d "$top/.git" ] && command -v git >/dev/null; then
	pedinfo="$pedinfo, tree $(git -C "$top" describe --always --dirty 2>/dev/null)"
fi
cc=${CC:-cc}
$cc -std=gnu11 -g -O2 -I"$top" -o "$work/ldpgen" "$top/bench/ldp/ldpgen.c" \
	"$top/ldp/libldp.a" "$top/lib/libpe.a"

maxs=1
for s in $sessions; do [ "$s" -gt "$maxs" ] && maxs=$s; done
genip() { echo "10.98.0.$((9 + $1))"; }

if [ -z "${RAW:-}" ]; then
	ip netns add "$gen"
	ip netns add "$dut"
	ip link add "${ns}a" type veth peer name "${ns}b"
	ip link set "${ns}a" netns "$gen"
	ip link set "${ns}b" netns "$dut"
	ip -n "$gen" link set lo up
	ip -n "$dut" link set lo up
	for i in $(seq 1 "$maxs"); do
		ip -n "$gen" addr add "$(genip "$i")/24" dev "${ns}a"
	done
	ip -n "$dut" addr add "$dutip/24" dev "${ns}b"
	ip -n "$gen" link set "${ns}a" up
	ip -n "$dut" link set "${ns}b" up

fi

# configs for S sessions: ped-S.conf, frr-S.conf
for s in $sessions; do
	{
		echo "hostname benchdut"
		echo "!"
		echo "mpls ldp"
		echo " router-id $dutip"
		echo " address-family ipv4"
		echo "  discovery transport-address $dutip"
		for i in $(seq 1 "$s"); do echo "  neighbor $(genip "$i") targeted"; done
		echo " exit-address-family"
		echo "exit"
		echo "end"
	} >"$work/ped-$s.conf"
	{ echo "frr defaults traditional"; cat "$work/ped-$s.conf"; } >"$work/frr-$s.conf"
	chmod 644 "$work/ped-$s.conf" "$work/frr-$s.conf"
done

# count IMPL S -> remote bindings from the generators in the DUT's LIB
# (the poller runs on CPU 0, away from the DUT)
count() {
	local gl
	gl=$(for i in $(seq 1 "$2"); do genip "$i"; done | tr '\n' ' ')
	if [ "$1" = ped ]; then
		taskset -c 0 "$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show mpls ldp binding" 2>/dev/null
	else
		taskset -c 0 vtysh --vty_socket "$work/frrrun" -c "show mpls ldp binding" 2>/dev/null
	fi | awk -v gl="$gl" 'BEGIN { n = split(gl, a, " "); for (i = 1; i <= n; i++) g[a[i]] = 1; c = 0 }
		$1 == "ipv4" && ($3 in g) && $5 != "-" { c++ } END { print c }'
}
dutpids() { # the DUT's processes: ped, or ldpd and its children (lde, ldpe)
	echo "$1"
	[ "$2" = frr ] && pgrep -P "$1" 2>/dev/null || true
}
cputicks() { # pids -> utime + stime ticks, summed
	local t=0 p l
	for p in "$@"; do
		l=$(<"/proc/$p/stat")
		l=${l##*) }
		set -- $l
		t=$((t + ${12} + ${13}))
	done
	echo $t
}
rsskb() {
	local t=0 p
	for p in "$@"; do
		t=$((t + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status")))
	done
	echo $t
}
hz=$(getconf CLK_TCK)

start_dut() { # IMPL TAG S -> sets dutpid
	if [ "$1" = ped ]; then
		rm -rf "$work/pedrun"
		mkdir -p "$work/pedrun"
		PE_RUNDIR=$work/pedrun ip netns exec "$dut" taskset -c 1 "$pedbin" -N benchdut \
			-f "$work/ped-$3.conf" -l "$work/ped-$2.log" &
		dutpid=$!
		pids="$pids $dutpid"
	else
		rm -rf "$work/frrrun"
		mkdir -p "$work/frrrun"
		chown frr:frr "$work/frrrun"
		touch "$work/frr-$2.log" "$work/zebra-$2.log"
		chown frr:frr "$work/frr-$2.log" "$work/zebra-$2.log"
		ip netns exec "$dut" taskset -c 1 "$frrdir/zebra" -u frr -g frr -P 0 --vty_socket "$work/frrrun" \
			-i "$work/frrrun/zebra.pid" -z "$work/frrrun/zserv.api" --log "file:$work/zebra-$2.log" &
		zebrapid=$!
		pids="$pids $zebrapid"
		for _ in $(seq 50); do [ -S "$work/frrrun/zserv.api" ] && break; sleep 0.1; done
		ip netns exec "$dut" taskset -c 1 "$frrdir/ldpd" -u frr -g frr -P 0 --vty_socket "$work/frrrun" \
			-i "$work/frrrun/ldpd.pid" -z "$work/frrrun/zserv.api" --ctl_socket "$work/frrrun" \
			--log "file:$work/frr-$2.log" -f "$work/frr-$3.conf" &
		dutpid=$!
		pids="$pids $dutpid"
	fi
}

stop_pid() {
	local i=0
	kill "$1" 2>/dev/null || return 0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# wait_count IMPL S TARGET DIR(up|down) POLL -> sets tdone, status
wait_count() {
	local last lastt cnt now
	last=-1
	lastt=$(date +%s.%N)
	while :; do
		sleep "$5"
		cnt=$(count "$1" "$2")
		now=$(date +%s.%N)
		if ! kill -0 "$dutpid" 2>/dev/null; then
			status="dut-died-at-$cnt"
			return
		fi
		if grep -q '^closed' "$work/gen-$tag"-*.out 2>/dev/null; then
			status="session-dropped-at-$cnt"
			return
		fi
		if { [ "$4" = up ] && [ "$cnt" -ge "$3" ]; } || { [ "$4" = down ] && [ "$cnt" -le "$3" ]; }; then
			tdone=$now
			return
		fi
		if [ "$cnt" != "$last" ]; then
			last=$cnt
			lastt=$now
		elif awk -v a="$now" -v b="$lastt" -v s="$stall" 'BEGIN { exit !(a - b > s) }'; then
			status="stall-at-$cnt"
			return
		fi
	done
}

# wait_quiet LINE: every generator printed LINE (done / wd_done: the DUT
# answered the marker Label Request sent after the stream) and the DUT's CPU
# (pids in $dp, sampled from /proc every 20 ms) has not moved for QUIET s;
# sets tdone to the last LINE time, status. No query disturbs the DUT.
wait_quiet() {
	local last lastt c now got
	last=$(cputicks $dp)
	lastt=$(date +%s.%N)
	while :; do
		sleep 0.02
		if ! kill -0 "$dutpid" 2>/dev/null; then
			status="dut-died"
			return
		fi
		c=$(cputicks $dp)
		now=$(date +%s.%N)
		if [ "$c" != "$last" ]; then
			last=$c
			lastt=$now
		fi
		if grep -q '^closed' "$work/gen-$tag"-*.out 2>/dev/null; then
			status="session-dropped"
			return
		fi
		got=$(cat "$work/gen-$tag"-*.out | grep -c "^$1 " || true)
		if [ "$got" -ge "$s" ] && awk -v a="$now" -v b="$lastt" -v q="$quiet" 'BEGIN { exit !(a - b > q) }'; then
			tdone=$(cat "$work/gen-$tag"-*.out | sed -n "s/^$1 //p" | sort -g | tail -1)
			return
		fi
		if awk -v a="$now" -v b="$lastt" -v q="$stall" 'BEGIN { exit !(a - b > q) }'; then
			status="stall-no-$1"
			return
		fi
	done
}

# run_one IMPL M S PASS: appends "impl m s pass status setup time cpu rss0
# rss1 senddone wdtime wdcpu" to raw
run_one() {
	local impl=$1 n=$2 s=$3 pass=$4 target=$(($2 * $3))
	local genpids="" c0 c1 c2 c3 r0 r1 rq t0 t1done tsend i p dp setup wt wc twd cnt pl=$poll verify=ok wverify=ok keep=0
	status=ok
	tag="$1-$2-$3-$4"
	[ "$target" -gt 20000 ] && pl=$poll_big
	rm -f "$work/go" "$work/wd"
	start_dut "$impl" "$tag" "$s"
	sleep 1
	for i in $(seq 1 "$s"); do
		ip netns exec "$gen" taskset -c 0 "$work/ldpgen" -l "$(genip "$i")" -d "$dutip" -r "$dutip" \
			-n "$n" -w "$work/go" -W "$work/wd" >"$work/gen-$tag-$i.out" 2>"$work/gen-$tag-$i.err" &
		genpids="$genpids $!"
	done
	pids="$pids $genpids"
	i=0
	while [ "$(cat "$work/gen-$tag"-*.out 2>/dev/null | grep -c '^established')" -lt "$s" ]; do
		i=$((i + 1))
		if [ $i -gt 900 ] || ! kill -0 "$dutpid" 2>/dev/null; then
			status="no-session"
			break
		fi
		sleep 0.1
	done
	dp=$(dutpids "$dutpid" "$impl")
	if [ "$status" = ok ]; then
		sleep 1
		setup=$(sed -n 's/^established .* setup \([0-9.]*\) .*/\1/p' "$work/gen-$tag"-*.out | sort -g | tail -1)
		c0=$(cputicks $dp)
		r0=$(rsskb $dp)
		touch "$work/go"
		wait_quiet done
		c1=$(cputicks $dp)
		r1=$(rsskb $dp)
		t1done=$tdone
		if [ "$status" = ok ]; then
			# verify with one LIB query; if short, poll (time then
			# from the polls)
			cnt=$(count "$impl" "$s")
			rq=$(rsskb $dp)
			if [ "$cnt" -ne "$target" ]; then
				echo "run.sh: $tag: quiet at $cnt of $target bindings, polling" >&2
				verify="late-$cnt"
				wait_count "$impl" "$s" "$target" up "$pl"
				t1done=$tdone
				c1=$(cputicks $dp)
			fi
		fi
	fi
	if [ "$status" = ok ]; then
		t0=$(sed -n 's/^first_byte //p' "$work/gen-$tag"-*.out | sort -g | head -1)
		tsend=$(sed -n 's/^last_byte //p' "$work/gen-$tag"-*.out | sort -g | tail -1)
		[ -n "$tsend" ] || tsend=$tdone
		wt=- wc=-
		if [ "$withdraw" = 1 ]; then
			sleep 1
			c2=$(cputicks $dp)
			touch "$work/wd"
			wait_quiet wd_done
			c3=$(cputicks $dp)
			if [ "$status" = ok ] && [ "$(count "$impl" "$s")" -ne 0 ]; then
				wverify=late
				wait_count "$impl" "$s" 0 down "$pl"
				c3=$(cputicks $dp)
			fi
			if [ "$status" = ok ]; then
				twd=$(sed -n 's/^wd_first_byte //p' "$work/gen-$tag"-*.out | sort -g | head -1)
				wt=$(awk -v a="$tdone" -v b="$twd" 'BEGIN { printf "%.3f", a - b }')
				wc=$(awk -v a="$c3" -v b="$c2" -v hz="$hz" 'BEGIN { printf "%.2f", (a - b) / hz }')
			else
				wt="$status"
				wverify=$status
				status=ok
				keep=1
			fi
		fi
		echo "$impl $n $s $pass ok $setup $(awk -v a="$t1done" -v b="$t0" -v c0="$c0" -v c1="$c1" -v hz="$hz" \
			'BEGIN { printf "%.3f %.2f", a - b, (c1 - c0) / hz }') $r0 $r1 $(awk -v a="$tsend" -v b="$t0" \
			'BEGIN { printf "%.3f", a - b }') $wt $wc $rq $verify $wverify" >>"$work/raw"
	else
		echo "$impl $n $s $pass $status - - - - - - - - - - -" >>"$work/raw"
		keep=1
	fi
	for p in $genpids; do stop_pid "$p"; done
	# Label Releases the generators received (they print it at exit)
	sed -i "\$s/\$/ $(cat "$work/gen-$tag"-*.out 2>/dev/null | sed -n 's/^rx .* releases \([0-9]*\) .*/\1/p' | awk '{ t += $1 } END { print t + 0 }')/" "$work/raw"
	tail -1 "$work/raw" >&2
	if [ "$keep" = 1 ]; then
		# keep the logs of a failed run (or failed withdraw storm)
		faild="${TMPDIR:-/tmp}/bench_ldp-fail-$tag.$$"
		mkdir -p "$faild"
		cp "$work"/*"$tag"* "$faild/" 2>/dev/null || true
		echo "run.sh: $tag: $status / withdraw $wverify, logs in $faild" >&2
	fi
	if [ "$impl" = frr ]; then
		stop_pid "$dutpid"
		stop_pid "$zebrapid"
	else
		stop_pid "$dutpid"
	fi
}

: >"$work/raw"
if [ -n "${RAW:-}" ]; then
	# re-render the record from the raw lines of an earlier run (the lines
	# run.sh prints on stderr, one per run), with the same settings
	grep -E '^(ped|frr) [0-9]' "$RAW" >"$work/raw"
	sizes=${SIZES:-$(awk '{ print $2 }' "$work/raw" | sort -gu | tr '\n' ' ')}
	sessions=${SESSIONS:-$(awk '{ print $3 }' "$work/raw" | sort -gu | tr '\n' ' ')}
	passes=${PASSES:-$(awk '{ print $4 }' "$work/raw" | sort -gu | tail -1)}
fi
[ -z "${RAW:-}" ] && for n in $sizes; do
	for s in $sessions; do
		p=1
		while [ $p -le "$passes" ]; do
			order=$impls
			# alternate which one goes first
			[ $((p % 2)) -eq 0 ] && order=$(echo "$impls" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
			for impl in $order; do
				run_one "$impl" "$n" "$s" "$p"
			done
			p=$((p + 1))
		done
	done
done

# ---- the record ----
med() { # values on stdin -> "median|min|max" or "-"
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%s|%s|%s\n", m, v[1], v[NR] }'
}
col() { # impl m s field-index -> numeric values of ok runs
	awk -v i="$1" -v n="$2" -v s="$3" -v f="$4" '$1 == i && $2 == n && $3 == s && $5 == "ok" && $f ~ /^[0-9.]+$/ { print $f }' "$work/raw"
}
bpb() { # impl m s -> bytes per binding of ok runs
	awk -v i="$1" -v n="$2" -v s="$3" '$1 == i && $2 == n && $3 == s && $5 == "ok" { print ($10 - $9) * 1024 / (n * s) }' "$work/raw"
}
fmt() { # "median|min|max" -> "m (min - max)"
	[ "$1" = - ] && { echo -; return; }
	echo "$1" | awk -F'|' -v d="${2:-2}" '{ printf "%.*f (%.*f - %.*f)\n", d, $1, d, $2, d, $3 }'
}
cmd="bench/ldp/run.sh"
[ -n "${SIZES:-}" ] && cmd="SIZES=\"$sizes\" $cmd"
[ -n "${SESSIONS:-}" ] && cmd="SESSIONS=\"$sessions\" $cmd"
[ -n "${PASSES:-}" ] && cmd="PASSES=$passes $cmd"
[ -n "${POLL:-}" ] && cmd="POLL=$poll $cmd"
[ -n "${POLL_BIG:-}" ] && cmd="POLL_BIG=$poll_big $cmd"
[ -n "${WITHDRAW:-}" ] && cmd="WITHDRAW=$withdraw $cmd"
[ -n "${QUIET:-}" ] && cmd="QUIET=$quiet $cmd"
{
	echo "# LDP label mapping ingestion (method D): ped beside FRR ldpd"
	echo
	echo "Target: ahead of FRR on both time and memory."
	echo
	echo "## Machine"
	echo
	echo "- nproc: $(nproc)"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- kernel: $(uname -r)"
	echo "- ped: $pedinfo"
	echo "- FRR: $("$frrdir/ldpd" -v 2>/dev/null | head -1)"
	echo "- load average at the end (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- compiler: $($cc --version | head -1), -O2"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	[ -n "${RAW:-}" ] && echo "- this record was rendered (RAW=) from the per-run lines the run printed; date and load average are from the rendering"
	echo
	echo "## Command"
	echo
	echo "\`$cmd $out\` (as root, after \`./configure && make\`)"
	echo
	echo "- namespaces gen (S addresses 10.98.0.10.., one \`ldpgen\` per session, all pinned to CPU 0)"
	echo "  -- veth -- dut ($dutip, the daemon pinned to CPU 1 with \`taskset -c 1\`)."
	echo "- ped: \`PE_RUNDIR=RUN ip netns exec DUT taskset -c 1 pe/ped -N benchdut -f ped.conf -l LOG\`"
	echo "- FRR: \`ip netns exec DUT taskset -c 1 $frrdir/zebra -u frr -g frr -P 0 --vty_socket RUN -i RUN/zebra.pid"
	echo "  -z RUN/zserv.api --log file:LOG\` (idle: no routes, no kernel MPLS), then \`ip netns exec DUT taskset -c 1"
	echo "  $frrdir/ldpd -u frr -g frr -P 0 --vty_socket RUN -i RUN/ldpd.pid -z RUN/zserv.api --ctl_socket RUN"
	echo "  --log file:LOG -f frr.conf\`. FRR's CPU and VmRSS are summed over ldpd and its two children"
	echo "  (lde, ldpe); zebra is not counted."
	echo "- both configs: \`mpls ldp\` / \` router-id $dutip\` / \` address-family ipv4\` /"
	echo "  \`  discovery transport-address $dutip\` / \`  neighbor 10.98.0.1x targeted\` (one per session)"
	echo "  (FRR's file starts with \`frr defaults traditional\`). Defaults otherwise: liberal retention,"
	echo "  downstream unsolicited, session holdtime 180 s."
	echo "- generator: \`ip netns exec GEN taskset -c 0 ldpgen -l 10.98.0.1x -d $dutip -r $dutip -n M -w GO -W WD\`:"
	echo "  targeted Hellos (hold 45 s) every 5 s, active side of the session (its address is higher),"
	echo "  Initialization (keepalive 180 s, max PDU 4096), KeepAlive, Address; on GO, M Label Mappings, one"
	echo "  /32 prefix FEC each (100.64.0.0 upwards, the same FECs from every session), labels 16..,"
	echo "  packed into 4096-byte PDUs (146 mappings per PDU) by ldp/wire.h's PDU builder, all pre-encoded"
	echo "  before the session opens; on WD, a Label Withdraw (FEC + label) for each, packed the same way."
	echo "- per pass: fresh daemon; 1 s later the S ldpgen start; session setup = first Hello sent to the"
	echo "  DUT's KeepAlive answering the Initialization exchange (the generator retries the TCP connect"
	echo "  every 20 ms until the DUT has the adjacency; the largest over the S sessions); 1 s after all are"
	echo "  up, baseline VmRSS and utime+stime (/proc/PID); GO."
	echo "- completion without disturbing the DUT: after its M mappings each generator sends a Label"
	echo "  Request for 192.0.2.1/32, which has no route at the DUT; the DUT answers it with a No Route"
	echo "  Notification once it has processed everything before it (a session is processed in order)."
	echo "  Time = first mapping byte to the last generator's answer (generator clock, microseconds)."
	echo "  Then the phase ends when the DUT's utime+stime (sampled from /proc every 20 ms, on CPU 0) has"
	echo "  not moved for ${quiet} s; VmRSS and CPU are read then, before any query. Then one"
	echo "  LIB query must find every binding: text \`show mpls ldp binding\` (pesh -S / vtysh --vty_socket,"
	echo "  on CPU 0), rows whose nexthop is a generator's LSR ID with a remote label (the JSON form is"
	echo "  bigger and neither daemon offers a per-neighbor binding count). Had it found fewer, the LIB would"
	echo "  have been polled (every ${poll} s, ${poll_big} s above 20000 bindings) and the run marked \"late\"."
	echo "  VmRSS right after that one query is also recorded (what a single show costs)."
	echo "- withdraw storm: 1 s later WD: M Label Withdraws per generator and a Label Request for"
	echo "  192.0.2.2/32; time from the first withdraw byte to the last No Route answer, which arrives after"
	echo "  the DUT's Label Release for every withdraw; then one query must find 0 bindings."
	echo "  A run fails on ${stall} s without progress, the DUT dying or a session closing."
	echo "  Passes alternate the order of the two daemons."
	echo "- sizes (FECs per session): $sizes; sessions: $sessions; passes: $passes."
	echo
	echo "## Results"
	echo
	echo "bindings = S x M remote bindings. bytes/binding = (VmRSS after all mappings - VmRSS baseline)"
	echo "/ bindings. \"sender done\": first to last mapping byte written (TCP backpressure shows here)."
	echo
	echo "| bindings | M x S | daemon | runs ok | session setup, ms, median (range) | time to all in LIB, ms, median (range) | bindings/s (median) | sender done, ms | DUT CPU s, median (range) | VmRSS baseline, MB | VmRSS after, MB | bytes/binding, median (range) | VmRSS after one \`show mpls ldp binding\`, MB | withdraw storm: time to empty LIB, ms, median (range) | withdraw CPU s (median) |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for n in $sizes; do
		for s in $sessions; do
			for impl in $impls; do
				ok=$(awk -v i="$impl" -v n="$n" -v s="$s" '$1 == i && $2 == n && $3 == s && $5 == "ok"' "$work/raw" | wc -l)
				tot=$(awk -v i="$impl" -v n="$n" -v s="$s" '$1 == i && $2 == n && $3 == s' "$work/raw" | wc -l)
				if [ "$ok" -eq 0 ]; then
					echo "| $((n * s)) | $n x $s | $impl | 0/$tot | failed | - | - | - | - | - | - | - | - | - | - |"
					continue
				fi
				su=$(col "$impl" "$n" "$s" 6 | awk '{ print $1 * 1000 }' | med)
				t=$(col "$impl" "$n" "$s" 7 | awk '{ print $1 * 1000 }' | med)
				c=$(col "$impl" "$n" "$s" 8 | med)
				r0=$(col "$impl" "$n" "$s" 9 | med)
				r1=$(col "$impl" "$n" "$s" 10 | med)
				sd=$(col "$impl" "$n" "$s" 11 | awk '{ print $1 * 1000 }' | med)
				wt=$(col "$impl" "$n" "$s" 12 | awk '{ print $1 * 1000 }' | med)
				wc=$(col "$impl" "$n" "$s" 13 | med)
				bp=$(bpb "$impl" "$n" "$s" | med)
				rq=$(col "$impl" "$n" "$s" 14 | med)
				wok=$(col "$impl" "$n" "$s" 12 | wc -l)
				echo "| $((n * s)) | $n x $s | $impl | $ok/$tot | $(fmt "$su" 1) | $(fmt "$t" 1) | $(awk -v b="$((n * s))" -v t="${t%%|*}" 'BEGIN { printf "%.0f", b / t * 1000 }') | ${sd%%|*} | $(fmt "$c" 2) | $(awk -v a="${r0%%|*}" 'BEGIN { printf "%.1f", a / 1024 }') | $(awk -v a="${r1%%|*}" 'BEGIN { printf "%.1f", a / 1024 }') | $(fmt "$bp" 0) | $(awk -v a="${rq%%|*}" 'BEGIN { printf "%.1f", a / 1024 }') | $(fmt "$wt" 1) ($wok/$ok) | ${wc%%|*} |"
			done
		done
	done
	if echo "$impls" | grep -q ped && echo "$impls" | grep -q frr; then
		echo
		echo "### Ratios ped / FRR (medians; below 1 = ped ahead)"
		echo
		echo "| bindings | M x S | session setup | time to all in LIB | DUT CPU s | bytes/binding | withdraw storm time |"
		echo "|---|---|---|---|---|---|---|"
		for n in $sizes; do
			for s in $sessions; do
				r=""
				for f in 6 7 8 B 12; do
					if [ "$f" = B ]; then
						a=$(bpb ped "$n" "$s" | med); b=$(bpb frr "$n" "$s" | med)
					else
						a=$(col ped "$n" "$s" $f | med); b=$(col frr "$n" "$s" $f | med)
					fi
					r="$r | $(awk -v a="${a%%|*}" -v b="${b%%|*}" 'BEGIN { if (a == "-" || b == "-" || b + 0 <= 0 || a + 0 <= 0) print "-"; else printf "%.2f", a / b }')"
				done
				echo "| $((n * s)) | $n x $s$r |"
			done
		done
	fi
	echo
	echo "## Raw runs"
	echo
	echo "In run order."
	echo
	echo "| daemon | M | S | pass | status | setup s | time s | CPU s | VmRSS before kB | VmRSS after kB | sender done s | withdraw s | withdraw CPU s | VmRSS after one query kB | count check | withdraw check | Label Releases received (of S x M) |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 }' "$work/raw"
} >"$out"

# the record names no path of this machine
sed -i -e "s|$top/||g" -e "s|$work/|\\\$BUILD/|g" "$out"
echo "run.sh: wrote $out" >&2
