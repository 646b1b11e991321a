#!/bin/bash
# BGP VPNv4 ingestion benchmark, method A of BENCHMARK-METHODS.md (see
# bench/README.md): ped beside FRR bgpd (-Z -n: no zebra, RIB only), in the
# same run, alternating.
#
#   bench/bgp/run.sh [output.md]
#
# Namespaces joined by veths: gen (bgpgen, CPU 0) -- dut (the daemon, CPU 1)
# -- sink (used only with SINK=1: bgpgen -S, CPU 0). Each pass
# starts a fresh daemon, brings the session up with 0 routes, records the
# baseline (VmRSS, utime+stime), then bgpgen writes N pre-encoded VPNv4
# paths (4096-byte UPDATEs) and End-of-RIB; the daemon's pfxRcd is polled
# every POLL seconds until it reaches N. Needs root, ./configure run once
# (config.h), `make` (pe/ped, cli/pesh, the libraries), Debian frr and jq.
# Environment:
#   TABLE=path.gz   prefixes (default ../shared/data/full-table-prefixes.txt.gz)
#   SIZES="100000"  path counts to measure (e.g. "100000 500000 1000000")
#   PASSES=3        alternating passes per size (PASSES_BIG for sizes > 100k,
#                   default PASSES)
#   POLL=0.05       seconds between pfxRcd polls (the poller runs on CPU 0)
#   STALL=30        a run fails after this many seconds without progress
#   COPIES="1"      generators per size: "1 2" also runs two generators
#                   (10.99.0.1 and .3) sending the same paths with different
#                   next hops, so best path has work to do
#   SINK="0"        "0 1" also runs with a sink: namespace sink (10.99.1.1,
#                   bgpgen -S on CPU 0), an iBGP peer and the only
#                   route-reflector client of the DUT (so the DUT sends every
#                   best path to the sink and nothing back to the generators);
#                   measures until the sink holds every (RD, prefix)
#   IMPLS="ped frr" what to run
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
sizes=${SIZES:-100000}
passes=${PASSES:-3}
passes_big=${PASSES_BIG:-$passes}
poll=${POLL:-0.05}
copies=${COPIES:-1}
sinks=${SINK:-0}
stall=${STALL:-30}
impls=${IMPLS:-ped frr}
out=${1:-$top/bench/results/bgp-$(date -u +%F).md}
bgpd=${BGPD:-/usr/lib/frr/bgpd}
ns=bgpb$$
gen=${ns}g
dut=${ns}d
snk=${ns}s
sinkip=10.99.1.1
dutip2=10.99.1.2
genip=10.99.0.1
genip2=10.99.0.3
dutip=10.99.0.2
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_bgp.XXXXXX")
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
	ip netns del "$snk" 2>/dev/null
	if [ -n "${KEEP:-}" ]; then
		echo "run.sh: kept $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for f in "$top/config.h" "$top/pe/ped" "$top/cli/pesh" "$top/mpbgp/libmpbgp.a" "$top/lib/libpe.a" "$bgpd" "$table"; do
	[ -e "$f" ] || { echo "run.sh: missing $f (./configure && make; apt-get install frr)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "run.sh: needs jq" >&2; exit 1; }

# Private copies of the binaries: a rebuild in the tree during the run
# cannot change what is measured.
cp "$top/pe/ped" "$top/cli/pesh" "$work/"
pedbin=$work/ped
peshbin=$work/pesh
pedinfo="pe/ped built $(date -u -r "$top/pe/ped" +%Y-%m-%dT%H:%M:%SZ)"
if [ -d "$top/.git" ] && command -v git >/dev/null; then
	pedinfo="$pedinfo, tree $(git -C "$top" describe --always --dirty 2>/dev/null)"
fi

# Same flags as the default autotools build (-g -O2).
cc=${CC:-cc}
$cc -std=gnu11 -g -O2 -I"$top" -o "$work/bgpgen" "$top/bench/bgp/bgpgen.c" \
	"$top/mpbgp/libmpbgp.a" "$top/lib/libpe.a"

ip netns add "$gen"
ip netns add "$dut"
ip link add "${ns}a" type veth peer name "${ns}b"
ip link set "${ns}a" netns "$gen"
ip link set "${ns}b" netns "$dut"
ip -n "$gen" link set lo up
ip -n "$dut" link set lo up
ip -n "$gen" addr add "$genip/24" dev "${ns}a"
ip -n "$gen" addr add "$genip2/24" dev "${ns}a"
ip -n "$dut" addr add "$dutip/24" dev "${ns}b"
ip -n "$gen" link set "${ns}a" up
ip -n "$dut" link set "${ns}b" up
ip netns add "$snk"
ip link add "${ns}c" type veth peer name "${ns}e"
ip link set "${ns}c" netns "$dut"
ip link set "${ns}e" netns "$snk"
ip -n "$snk" link set lo up
ip -n "$dut" addr add "$dutip2/24" dev "${ns}c"
ip -n "$snk" addr add "$sinkip/24" dev "${ns}e"
ip -n "$dut" link set "${ns}c" up
ip -n "$snk" link set "${ns}e" up

# configs for K generators, with (S = 1) or without a sink: ped-K-S.conf,
# frr-K-S.conf
for k in $copies; do
	for sk in $sinks; do
		nb=$genip
		[ "$k" -ge 2 ] && nb="$genip $genip2"
		{
			echo "hostname benchdut"
			echo "!"
			echo "router bgp 65000"
			echo " bgp router-id $dutip"
			echo " no bgp default ipv4-unicast"
			for a in $nb; do echo " neighbor $a remote-as 65000"; done
			[ "$sk" = 1 ] && echo " neighbor $sinkip remote-as 65000"
			echo " address-family ipv4 vpn"
			for a in $nb; do echo "  neighbor $a activate"; done
			if [ "$sk" = 1 ]; then
				echo "  neighbor $sinkip activate"
				echo "  neighbor $sinkip route-reflector-client"
			fi
			echo " exit-address-family"
			echo "exit"
			echo "end"
		} >"$work/ped-$k-$sk.conf"
		{ echo "frr defaults traditional"; cat "$work/ped-$k-$sk.conf"; } >"$work/frr-$k-$sk.conf"
		chmod 644 "$work/ped-$k-$sk.conf" "$work/frr-$k-$sk.conf"
	done
done

# query IMPL NPEERS -> "sum of pfxRcd" and "Established" when all NPEERS are
# (the poller runs on CPU 0, away from the DUT)
query() {
	local j r
	if [ "$1" = ped ]; then
		j=$(taskset -c 0 "$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show bgp ipv4 vpn summary json" 2>/dev/null) || true
	else
		j=$(taskset -c 0 vtysh --vty_socket "$work/frrrun" -c "show bgp ipv4 vpn summary json" 2>/dev/null) || true
	fi
	r=$(echo "$j" | jq -r --argjson k "$2" '([.. | objects | select(has("peers"))][0].peers // {}) | [to_entries[] | .value] | "\(map(.pfxRcd // 0) | add // 0) \(if length == $k and all(.state == "Established") then "Established" else (map(.state) | join(",") | if . == "" then "none" else . end) end)"' 2>/dev/null) || true
	echo "${r:-0 none}"
}
cputicks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
rsskb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

start_dut() { # IMPL TAG K-S -> sets dutpid
	if [ "$1" = ped ]; then
		rm -rf "$work/pedrun"
		mkdir -p "$work/pedrun"
		PE_RUNDIR=$work/pedrun ip netns exec "$dut" taskset -c 1 "$pedbin" -N benchdut \
			-f "$work/ped-$3.conf" -l "$work/ped-$2.log" &
		dutpid=$!
	else
		rm -rf "$work/frrrun"
		mkdir -p "$work/frrrun"
		chown frr:frr "$work/frrrun"
		touch "$work/frr-$2.log"
		chown frr:frr "$work/frr-$2.log"
		ip netns exec "$dut" taskset -c 1 "$bgpd" -Z -n -u frr -g frr \
			--vty_socket "$work/frrrun" -i "$work/frrrun/bgpd.pid" -z "$work/frrrun/zserv.api" \
			--log "file:$work/frr-$2.log" -f "$work/frr-$3.conf" &
		dutpid=$!
	fi
	pids="$pids $dutpid"
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

# run_one IMPL N K S PASS: appends "impl n K[s] pass status secs cpus rss0
# rss1 sendsecs cpus2 rss2 sinksecs" to raw (N paths per generator, K
# generators, S = 1: with the sink)
run_one() {
	local impl=$1 n=$2 k=$3 sk=$4 pass=$5 status=ok target=$(($2 * $3))
	local genpids="" c0 c1 c2 r2 r0 r1 t0 tdone tsend cnt st last lastt now i j src
	local kk=$3 sinkpid="" tsink=- sline
	[ "$sk" = 1 ] && kk=${k}s
	local tag="$1-$2-$kk-$5"
	rm -f "$work/go"
	start_dut "$impl" "$tag" "$k-$sk"
	if [ "$sk" = 1 ]; then
		ip netns exec "$snk" taskset -c 0 "$work/bgpgen" -c "$dutip2" -S "$n" \
			>"$work/sink-$tag.out" 2>"$work/sink-$tag.err" &
		sinkpid=$!
		pids="$pids $sinkpid"
	fi
	j=1
	for src in $genip $genip2; do
		[ "$j" -le "$k" ] || break
		ip netns exec "$gen" taskset -c 0 "$work/bgpgen" -b "$src" -c "$dutip" -f "$table" -n "$n" \
			-w "$work/go" >"$work/gen-$tag-$j.out" 2>"$work/gen-$tag-$j.err" &
		genpids="$genpids $!"
		j=$((j + 1))
	done
	pids="$pids $genpids"
	# sessions up on both sides
	i=0
	while :; do
		read -r cnt st < <(query "$impl" "$((k + sk))")
		if [ "$(cat "$work/gen-$tag"-*.out | grep -c '^established')" -eq "$k" ] && [ "$st" = Established ] &&
			{ [ "$sk" = 0 ] || grep -q '^established' "$work/sink-$tag.out"; }; then
			break
		fi
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$dutpid" 2>/dev/null; then
			status="no-session"
			break
		fi
		sleep 0.1
	done
	if [ "$status" = ok ]; then
		sleep 1
		c0=$(cputicks "$dutpid")
		r0=$(rsskb "$dutpid")
		touch "$work/go"
		last=0
		lastt=$(date +%s.%N)
		while :; do
			sleep "$poll"
			read -r cnt st < <(query "$impl" "$((k + sk))")
			now=$(date +%s.%N)
			if ! kill -0 "$dutpid" 2>/dev/null; then
				status="dut-died-at-$last"
				break
			fi
			if [ "$st" != Established ]; then
				status="session-$st-at-$cnt"
				break
			fi
			if [ "$cnt" -ge "$target" ]; then
				tdone=$now
				break
			fi
			if [ "$cnt" -lt "$last" ]; then
				status="count-dropped-$last-to-$cnt"
				break
			fi
			if [ "$cnt" -gt "$last" ]; then
				last=$cnt
				lastt=$now
			elif awk -v a="$now" -v b="$lastt" -v s="$stall" 'BEGIN { exit !(a - b > s) }'; then
				status="stall-at-$cnt"
				break
			fi
		done
	fi
	if [ "$status" = ok ]; then
		c1=$(cputicks "$dutpid")
		r1=$(rsskb "$dutpid")
		if [ "$sk" = 1 ]; then
			# until the sink holds every (RD, prefix)
			lastt=$(date +%s.%N)
			last=""
			while ! grep -q '^sink_done' "$work/sink-$tag.out"; do
				sleep "$poll"
				now=$(date +%s.%N)
				sline=$(grep '^progress' "$work/sink-$tag.out" | tail -1)
				if [ "$sline" != "$last" ]; then
					last=$sline
					lastt=$now
				elif awk -v a="$now" -v b="$lastt" -v s="$stall" 'BEGIN { exit !(a - b > s) }'; then
					status="sink-stall-at-${sline##* }"
					break
				fi
				if ! kill -0 "$dutpid" 2>/dev/null || ! kill -0 "$sinkpid" 2>/dev/null; then
					status="sink-or-dut-died-at-${sline##* }"
					break
				fi
			done
		fi
	fi
	if [ "$status" = ok ]; then
		if [ "$pass" = 1 ] && [ ! -e "$work/check-$impl" ]; then
			# one cross-check of what the daemon decoded: a path of a big RD
			# (the first table prefix) and one of the first small RD
			{
				for rq in "rd 65000:1 1.0.0.0/24" "rd 65000:11 $(sed -n 's/^first_small //p' "$work/gen-$tag-1.out")"; do
					echo "show bgp ipv4 vpn $rq json:"
					if [ "$impl" = ped ]; then
						"$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show bgp ipv4 vpn $rq json"
					else
						vtysh --vty_socket "$work/frrrun" -c "show bgp ipv4 vpn $rq json"
					fi | jq -c '[.. | objects | select(has("remoteLabel"))][0] // . | with_entries(select(.key | test("label|nexthops|valid|extendedCommunity|bestpath|origin|locPrf"; "i")))' 2>&1 | cut -c1-600
				done
			} >"$work/check-$impl" 2>&1 || true
		fi
		# deferred work would show here: CPU and RSS 2 s later
		sleep 2
		c2=$(cputicks "$dutpid")
		r2=$(rsskb "$dutpid")
		t0=$(sed -n 's/^first_byte //p' "$work/gen-$tag"-*.out | sort -g | head -1)
		tsend=$(sed -n 's/^last_byte //p' "$work/gen-$tag"-*.out | sort -g | tail -1)
		[ -n "$tsend" ] || tsend=$tdone
		if [ "$sk" = 1 ]; then
			tsink=$(awk -v a="$(sed -n 's/^sink_done \([0-9.]*\).*/\1/p' "$work/sink-$tag.out")" -v b="$t0" \
				'BEGIN { printf "%.3f", a - b }')
		fi
		echo "$impl $n $kk $pass ok $(awk -v a="$tdone" -v b="$t0" -v c0="$c0" -v c1="$c1" -v hz="$hz" \
			'BEGIN { printf "%.3f %.2f", a - b, (c1 - c0) / hz }') $r0 $r1 $(awk -v a="$tsend" -v b="$t0" \
			'BEGIN { printf "%.3f", a - b }') $(awk -v c0="$c0" -v c2="$c2" -v hz="$hz" \
			'BEGIN { printf "%.2f", (c2 - c0) / hz }') $r2 $tsink" >>"$work/raw"
	else
		echo "$impl $n $kk $pass $status - - - - - - - -" >>"$work/raw"
		# keep the logs of a failed run for diagnosis
		faild="${TMPDIR:-/tmp}/bench_bgp-fail-$tag.$$"
		mkdir -p "$faild"
		cp "$work"/*"$tag"* "$faild/" 2>/dev/null || true
		echo "run.sh: $tag failed ($status), logs in $faild" >&2
	fi
	tail -1 "$work/raw" >&2
	for i in $genpids $sinkpid; do stop_pid "$i"; done
	stop_pid "$dutpid"
}

: >"$work/raw"
for n in $sizes; do
	np=$passes
	[ "$n" -gt 100000 ] && np=$passes_big
	for k in $copies; do
		for sk in $sinks; do
			p=1
			while [ $p -le "$np" ]; do
				order=$impls
				# alternate which one goes first
				[ $((p % 2)) -eq 0 ] && order=$(echo "$impls" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
				for impl in $order; do
					run_one "$impl" "$n" "$k" "$sk" "$p"
				done
				p=$((p + 1))
			done
		done
	done
done

# ---- the record ----
klist=""
for k in $copies; do
	for sk in $sinks; do
		if [ "$sk" = 1 ]; then klist="$klist ${k}s"; else klist="$klist $k"; fi
	done
done
med() { # values on stdin -> "median|min|max" or "-"
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%s|%s|%s\n", m, v[1], v[NR] }'
}
col() { # impl n k field-index -> values of ok runs
	awk -v i="$1" -v n="$2" -v k="$3" -v f="$4" '$1 == i && $2 == n && $3 == k && $5 == "ok" { print $f }' "$work/raw"
}
bpp() { # impl n k -> bytes per path of ok runs
	awk -v i="$1" -v n="$2" -v k="$3" '$1 == i && $2 == n && $3 == k && $5 == "ok" { print ($9 - $8) * 1024 / (n * k) }' "$work/raw"
}
cmd="bench/bgp/run.sh"
[ -n "${SIZES:-}" ] && cmd="SIZES=\"$sizes\" $cmd"
[ -n "${PASSES:-}" ] && cmd="PASSES=$passes $cmd"
[ -n "${PASSES_BIG:-}" ] && cmd="PASSES_BIG=$passes_big $cmd"
[ -n "${COPIES:-}" ] && cmd="COPIES=\"$copies\" $cmd"
[ -n "${POLL:-}" ] && cmd="POLL=$poll $cmd"
[ -n "${SINK:-}" ] && cmd="SINK=\"$sinks\" $cmd"
{
	echo "# BGP VPNv4 ingestion (method A): ped beside FRR bgpd"
	echo
	echo "## Machine"
	echo
	echo "- nproc: $(nproc)"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- kernel: $(uname -r)"
	echo "- ped: $pedinfo"
	echo "- FRR: $("$bgpd" -v 2>/dev/null | head -1)"
	echo "- load average at the end (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- compiler: $($cc --version | head -1), -O2"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "## Command"
	echo
	echo "\`$cmd $out\` (as root, after \`./configure && make\`)"
	echo
	echo "- namespaces gen ($genip and $genip2, bgpgen pinned to CPU 0) -- veth -- dut ($dutip, the daemon pinned"
	echo "  to CPU 1 with \`taskset -c 1\`) -- veth -- sink ($sinkip, \`bgpgen -S N\`, CPU 0; only in the runs"
	echo "  marked sink: the DUT's config then adds \`neighbor $sinkip remote-as 65000\`, \`activate\` and"
	echo "  \`neighbor $sinkip route-reflector-client\`, so it reflects every best path to the sink and"
	echo "  nothing to the generators; the sink decodes the UPDATEs with mpbgp's decoder and counts"
	echo "  distinct (RD, prefix))."
	echo "- ped: \`PE_RUNDIR=RUN ip netns exec DUT taskset -c 1 pe/ped -N benchdut -f ped.conf -l LOG\`"
	echo "- FRR: \`ip netns exec DUT taskset -c 1 $bgpd -Z -n -u frr -g frr --vty_socket RUN -i RUN/bgpd.pid"
	echo "  -z RUN/zserv.api --log file:LOG -f frr.conf\` (no zebra, no kernel)"
	echo "- both configs: \`router bgp 65000\`, \`bgp router-id $dutip\`, \`no bgp default ipv4-unicast\`,"
	echo "  \`neighbor $genip remote-as 65000\`, \`address-family ipv4 vpn\` / \`neighbor $genip activate\`"
	echo "  (FRR's file starts with \`frr defaults traditional\`)."
	echo "- generator: \`ip netns exec GEN taskset -c 0 bgpgen -c $dutip -f TABLE -n N -w GOFILE\`: iBGP"
	echo "  AS 65000, OPEN with MP VPNv4 + 4-octet AS + route refresh, hold 240 s. N paths: prefixes in"
	echo "  table order (IPv4 lines of ../shared/data/full-table-prefixes.txt.gz), 10 RDs with 8 % of"
	echo "  the paths each, the rest in RDs of 200; label 16 + RD index; one RT 65000:1; ORIGIN IGP,"
	echo "  empty AS_PATH, LOCAL_PREF 100, next hop $genip; UPDATEs packed to 4096 bytes by"
	echo "  mpbgp's bgp_update_encode_reach, then End-of-RIB; all pre-encoded before the session opens."
	echo "- per pass: fresh daemon; session Established with 0 routes; after 1 s baseline VmRSS and"
	echo "  utime+stime (/proc/PID); bgpgen starts writing (first_byte timestamp); pfxRcd of"
	echo "  \`show bgp ipv4 vpn summary json\` (pesh -S / vtysh --vty_socket) polled every ${poll} s"
	echo "  (summed over the generators' sessions) until it reaches N. Time = first UPDATE byte to the poll that saw N (resolution ~${poll} s"
	echo "  + one query). A run fails on ${stall} s without progress, a count that drops or the session"
	echo "  going down. Passes alternate the order of the two daemons."
	echo "- sizes (paths per generator): $sizes; generators: $copies; passes: $passes (sizes > 100k:"
	echo "  $passes_big). The pfxRcd poller (pesh / vtysh) runs on CPU 0."
	echo
	echo "## Results"
	echo
	echo "paths = paths per generator x generators (with 2 generators every prefix arrives twice,"
	echo "with different next hops). Time: first UPDATE byte to the poll that saw all paths in pfxRcd;"
	echo "\"sender done\": first to last byte written by the generator(s) (TCP backpressure from the"
	echo "DUT shows here). bytes/path = (VmRSS after - VmRSS baseline) / paths."
	echo
	echo "| paths | per gen x gens | sink | daemon | runs ok | time to all accepted, s, median (range) | paths/s (median) | sender done, s (median) | sink has all, s, median (range) | DUT CPU s, median (range) | DUT CPU s at +2 s (median) | VmRSS baseline, MB | VmRSS after, MB | bytes/path, median (range) |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for n in $sizes; do
		for kk in $klist; do
			k=${kk%s}
			sk=no
			[ "$kk" != "$k" ] && sk=yes
			for impl in $impls; do
				ok=$(col "$impl" "$n" "$kk" 6 | wc -l)
				tot=$(awk -v i="$impl" -v n="$n" -v k="$kk" '$1 == i && $2 == n && $3 == k' "$work/raw" | wc -l)
				t=$(col "$impl" "$n" "$kk" 6 | med)
				c=$(col "$impl" "$n" "$kk" 7 | med)
				r0=$(col "$impl" "$n" "$kk" 8 | med)
				r1=$(col "$impl" "$n" "$kk" 9 | med)
				sd=$(col "$impl" "$n" "$kk" 10 | med)
				c2=$(col "$impl" "$n" "$kk" 11 | med)
				ts=$(col "$impl" "$n" "$kk" 13 | grep -v '^-' | med)
				bp=$(bpp "$impl" "$n" "$kk" | med)
				if [ "$t" = - ]; then
					echo "| $((n * k)) | $n x $k | $sk | $impl | 0/$tot | failed | - | - | - | - | - | - | - | - |"
					continue
				fi
				echo "$t $c $sd $r0 $r1 $bp $c2 $ts" | awk -v n="$((n * k))" -v k="$n x $k" -v sk="$sk" -v impl="$impl" -v ok="$ok/$tot" '{
					split($1, t, "|"); split($2, c, "|"); split($3, s, "|"); split($4, a, "|"); split($5, b, "|"); split($6, p, "|"); split($7, c2, "|")
					if ($8 == "-") ts = "-"; else { split($8, x, "|"); ts = sprintf("%.2f (%.2f - %.2f)", x[1], x[2], x[3]) }
					printf "| %d | %s | %s | %s | %s | %.2f (%.2f - %.2f) | %.0f | %.2f | %s | %.2f (%.2f - %.2f) | %.2f | %.1f | %.1f | %.0f (%.0f - %.0f) |\n",
						n, k, sk, impl, ok, t[1], t[2], t[3], n / t[1], s[1], ts, c[1], c[2], c[3], c2[1], a[1] / 1024, b[1] / 1024, p[1], p[2], p[3] }'
			done
		done
	done
	if echo "$impls" | grep -q ped && echo "$impls" | grep -q frr; then
		echo
		echo "### Ratios (medians), against the targets of the issue"
		echo
		echo "| paths | per gen x gens | sink | ingest rate ped / FRR (target >= 2) | until the sink has all, ped / FRR rate | CPU s ped / FRR | bytes/path ped / FRR (target <= 0.5) | ped bytes/path (stretch <= 250) |"
		echo "|---|---|---|---|---|---|---|---|"
		for n in $sizes; do
			for kk in $klist; do
				k=${kk%s}
				sk=no
				[ "$kk" != "$k" ] && sk=yes
				tp=$(col ped "$n" "$kk" 6 | med); tf=$(col frr "$n" "$kk" 6 | med)
				cp_=$(col ped "$n" "$kk" 7 | med); cf=$(col frr "$n" "$kk" 7 | med)
				sp=$(col ped "$n" "$kk" 13 | grep -v '^-' | med); sf=$(col frr "$n" "$kk" 13 | grep -v '^-' | med)
				bp=$(bpp ped "$n" "$kk" | med); bf=$(bpp frr "$n" "$kk" | med)
				if [ "$tp" = - ] || [ "$tf" = - ]; then
					echo "| $((n * k)) | $n x $k | $sk | - | - | - | - | ${bp%%|*} |"
					continue
				fi
				awk -v n="$((n * k))" -v k="$n x $k" -v sk="$sk" -v tp="${tp%%|*}" -v tf="${tf%%|*}" -v cp="${cp_%%|*}" -v cf="${cf%%|*}" \
					-v bp="${bp%%|*}" -v bf="${bf%%|*}" -v sp="${sp%%|*}" -v sf="${sf%%|*}" 'BEGIN {
					sr = (sp != "-" && sf != "-" && sp > 0) ? sprintf("%.2fx", sf / sp) : "-"
					printf "| %d | %s | %s | %.2fx | %s | %.2fx | %.2fx | %.0f |\n", n, k, sk, tf / tp, sr, (cf > 0 ? cp / cf : 0), (bf > 0 ? bp / bf : 0), bp }'
			done
		done
	fi
	echo
	echo "## Cross-check (pass 1 of the first size: what each daemon decoded)"
	echo
	echo "These queries run between the two CPU readings of that pass (its \"CPU s at +2 s\")."
	echo
	for impl in $impls; do
		echo "$impl:"
		echo
		echo '```'
		cat "$work/check-$impl" 2>/dev/null || echo "(none)"
		echo '```'
		echo
	done
	echo "## Raw runs"
	echo
	echo "In run order; the last two columns are read 2 s after the count was complete (work the"
	echo "daemon deferred past pfxRcd would show there)."
	echo
	echo "| daemon | paths per gen | gens (s: with sink) | pass | status | time s | CPU s | VmRSS before kB | VmRSS after kB | sender done s | CPU s at +2 s | VmRSS at +2 s, kB | sink has all, s |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 }' "$work/raw"
} >"$out"

# the record names no path of this machine
sed -i -e "s|$top/\\.\\./shared/|../shared/|g" -e "s|$top/|./|g" -e "s|$work/|\\\$BUILD/|g" "$out"
echo "run.sh: wrote $out" >&2
