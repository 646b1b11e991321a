#!/bin/bash
# BGP VPNv4 ingestion benchmark, method A of BENCHMARK-METHODS.md (see
# bench/README.md): ped beside FRR bgpd (-Z -n: no zebra, RIB only), BIRD 2
# (one vpn4 table, no kernel protocol) and GoBGP (gobgpd, global RIB only), in
# the same run, alternating.
#
#   bench/bgp/run.sh [output.md]
#
# Namespaces joined by veths: gen (bgpgen, CPU 0) -- dut (the daemon, CPU 1)
# -- sink (used only with SINK=1: bgpgen -S, CPU 0). Each pass
# starts a fresh daemon, brings the session up with 0 routes, records the
# baseline (VmRSS, utime+stime), then bgpgen writes N pre-encoded VPNv4
# paths (4096-byte UPDATEs) and End-of-RIB; the daemon's pfxRcd is polled
# every POLL seconds until it reaches N (BIRD: "Routes: N imported" of
# `birdc show protocols all`; GoBGP: "accepted" of `gobgp neighbor -j`, every
# POLL_GOBGP seconds). Needs root, ./configure run once (config.h), `make`
# (pe/ped, cli/pesh, the libraries), Debian frr, bird2, gobgpd and jq (only
# the daemons named in IMPLS). Exits 1 when a run failed (the record is
# written all the same).
# Environment:
#   BUILD=dir       the build tree with config.h, pe/ped, cli/pesh and the
#                   libraries (default: the source tree; e.g. an out-of-tree
#                   build)
#   TABLE=path.gz   prefixes (default ../shared/data/full-table-prefixes.txt.gz)
#   SIZES="100000"  path counts to measure (e.g. "100000 500000 1000000")
#   PASSES=3        alternating passes per size (PASSES_BIG for sizes > 100k,
#                   default PASSES)
#   POLL=0.05       seconds between pfxRcd polls (the poller runs on CPU 0)
#   POLL_GOBGP=1    the same for GoBGP: its peer query counts the Adj-RIB-In
#                   by walking it (54 ms of gobgpd's CPU at 500k paths) and
#                   waits for the busy server loop, so fast polling slows
#                   GoBGP down (every 0.2 s cost about 1.5x its CPU)
#   STALL=30        a run fails after this many seconds without progress
#   COPIES="1"      generators per size: "1 2" also runs two generators
#                   (10.99.0.1 and .3) sending the same paths with different
#                   next hops, so best path has work to do
#   SINK="0"        "0 1" also runs with a sink: namespace sink (10.99.1.1,
#                   bgpgen -S on CPU 0), an iBGP peer and the only
#                   route-reflector client of the DUT (so the DUT sends every
#                   best path to the sink and nothing back to the generators);
#                   measures until the sink holds every (RD, prefix)
#   IMPLS="ped frr" what to run: any of ped frr bird gobgp (the order of
#                   pass 1; even passes run them in reverse order)
#   POLICY="0"      "0 1" also runs every size with an inbound routing policy
#                   on the generators' sessions (VPNv4 family), the same text
#                   for ped and FRR bgpd: 50 prefix-lists PL-1..PL-50 (PL-k:
#                   `permit O.0.0.0/8 le 32` for the first octets O with
#                   O % 50 = k - 1, 5 or 6 lines each) and route-map BENCH-IN
#                   with entries 10..500 (entry 10k: `match ip address
#                   prefix-list PL-k`, `set community 65000:k additive`,
#                   `set local-preference 200+k`) and a final `permit 1000`;
#                   `neighbor GEN route-map BENCH-IN in` in `address-family
#                   ipv4 vpn`. A path whose first octet is O falls through
#                   O % 50 entries (about 29 on average for the first 100k
#                   table prefixes). Runs with and without it alternate in
#                   each pass; every run checks four paths (first, first
#                   of RD 65000:11, middle, last) for the community and local
#                   preference it must (or must not) carry and fails
#                   otherwise. BIRD and GoBGP run without policy only.
#   BGPD, BIRD, BIRDC, GOBGPD, GOBGP: the daemons and their clients
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
sizes=${SIZES:-100000}
passes=${PASSES:-3}
passes_big=${PASSES_BIG:-$passes}
poll=${POLL:-0.05}
poll_gobgp=${POLL_GOBGP:-1}
qto=10 # seconds a count query may take
copies=${COPIES:-1}
sinks=${SINK:-0}
stall=${STALL:-30}
impls=${IMPLS:-ped frr}
policies=${POLICY:-0}
for pol in $policies; do
	case $pol in 0 | 1) ;; *) echo "run.sh: POLICY takes 0 and/or 1, not '$pol'" >&2; exit 1 ;; esac
done
out=${1:-$top/bench/results/bgp-$(date -u +%F).md}
bgpd=${BGPD:-/usr/lib/frr/bgpd}
bird=${BIRD:-/usr/sbin/bird}
birdc=${BIRDC:-/usr/sbin/birdc}
gobgpd=${GOBGPD:-/usr/bin/gobgpd}
gobgp=${GOBGP:-/usr/bin/gobgp}
gobgpport=50051 # gobgpd's gRPC API, on 127.0.0.1 in the DUT's namespace
build=$(cd "${BUILD:-$top}" && pwd)
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
nfail=0
rawf=$work/raw

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

need="$build/config.h $build/mpbgp/libmpbgp.a $build/lib/libpe.a $table"
for impl in $impls; do
	case $impl in
	ped) need="$need $build/pe/ped $build/cli/pesh" ;;
	frr) need="$need $bgpd $(command -v vtysh || echo vtysh)" ;;
	bird) need="$need $bird $birdc" ;;
	gobgp) need="$need $gobgpd $gobgp" ;;
	*) echo "run.sh: unknown implementation '$impl' in IMPLS (ped frr bird gobgp)" >&2; exit 1 ;;
	esac
done
for f in $need; do
	[ -e "$f" ] || { echo "run.sh: missing $f (./configure && make; apt-get install frr bird2 gobgpd)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "run.sh: needs jq" >&2; exit 1; }

# Private copies of the binaries: a rebuild in the tree during the run
# cannot change what is measured.
pedinfo=-
if [ -e "$build/pe/ped" ]; then
	cp "$build/pe/ped" "$build/cli/pesh" "$work/"
	pedinfo="pe/ped built $(date -u -r "$build/pe/ped" +%Y-%m-%dT%H:%M:%SZ)"
fi
pedbin=$work/ped
peshbin=$work/pesh
if [ -d "$top/.git" ] && command -v git >/dev/null; then
	if [ "$build" != "$top" ]; then
		pedinfo="$pedinfo in the build directory; source tree at run time $(git -C "$top" describe --always --dirty 2>/dev/null) (the build may predate it)"
	else
		pedinfo="$pedinfo, tree $(git -C "$top" describe --always --dirty 2>/dev/null)"
	fi
fi

# Same flags as the default autotools build (-g -O2). An out-of-tree build's
# own bgpgen (`make bench` there) is taken as it is: it was compiled against
# the same headers as that build's libraries, which the source tree may have
# moved past since.
cc=${CC:-cc}
if [ "$build" != "$top" ] && [ -x "$build/bench/bgp/bgpgen" ]; then
	cp "$build/bench/bgp/bgpgen" "$work/bgpgen"
	geninfo="bench/bgp/bgpgen of the build directory (make bench), built $(date -u -r "$build/bench/bgp/bgpgen" +%Y-%m-%dT%H:%M:%SZ)"
else
	$cc -std=gnu11 -g -O2 -I"$build" -I"$top" -o "$work/bgpgen" "$top/bench/bgp/bgpgen.c" \
		"$build/mpbgp/libmpbgp.a" "$build/lib/libpe.a"
	geninfo="bench/bgp/bgpgen.c compiled by run.sh"
fi

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

# The inbound policy of POLICY=1 (see the header): policy_text NAME,
# policy_expect PREFIX, policy_show NAME
# shellcheck source=bench/policy.sh
. "$top/bench/policy.sh"

# policy_check IMPL N POL FIRST_SMALL K SINKOUT: looks up four paths (the
# first, the first of RD 65000:11, the middle and the last of the N) with
# `show bgp ipv4 vpn rd RD PREFIX json` and prints "OK|BAD rd prefix:
# community C local-pref L (expected ...)" for each; fails when one is BAD.
# With POL = 1 each must carry the community and local preference of
# policy_expect; without, no community and local preference 100. A daemon
# whose show has no standard communities (ped's, so far) is checked on the
# local preference there ("not shown"). With POL = 1 also `show route-map
# BENCH-IN json`: invoked at least N x K times. With the sink (SINKOUT, its
# output): the sink's tally of (LOCAL_PREF, communities) over every
# (RD, prefix) it received must equal the policy's for the N prefixes.
policy_check() {
	local impl=$1 n=$2 pol=$3 rd pfx j com lp exp bad=0 res inv
	for res in "1 $(tablepfx 1)" "11 $4" "$(pathrd "$n" $((n / 2))) $(tablepfx $((n / 2 + 1)))" \
		"$(pathrd "$n" $((n - 1))) $(tablepfx "$n")"; do
		rd=${res%% *}
		pfx=${res#* }
		if [ "$impl" = ped ]; then
			j=$(timeout "$qto" "$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show bgp ipv4 vpn rd 65000:$rd $pfx json" 2>&1) || true
		else
			j=$(timeout "$qto" vtysh --vty_socket "$work/frrrun" -c "show bgp ipv4 vpn rd 65000:$rd $pfx json" 2>&1) || true
		fi
		# the first path object (it has a next hop list or a local
		# preference); its community as a string
		read -r com lp < <(echo "$j" | jq -r '[.. | objects | select(has("nexthops") or has("locPrf") or has("remoteLabel"))][0] // {} |
			"\(.community | if type == "object" then (.string // (.list // [] | join(","))) elif type == "array" then join(",") elif type == "string" then gsub(" "; ",") else "none" end) \(.locPrf // .localPref // "none")"' 2>/dev/null || echo "unparsed unparsed")
		if [ "$impl" = ped ] && [ "$com" = none ] && ! "$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show bgp ipv4 vpn rd 65000:$rd $pfx" 2>/dev/null | grep -q '^ *Community'; then
			# ped's show prints no standard communities at all (not
			# in json, not in text): the local preference set by the
			# same entry and the sink's tally are the checks
			com=not-shown
		fi
		if [ "$com" = not-shown ]; then
			exp=$(policy_expect "$pfx")
			[ "$pol" = 1 ] || exp="none 100"
			if [ "$lp" = "${exp#* }" ]; then
				echo "OK rd 65000:$rd $pfx: local-pref $lp, community not shown by $impl (expected ${exp% *} and ${exp#* })"
			else
				echo "BAD rd 65000:$rd $pfx: local-pref ${lp:-?}, community not shown by $impl (expected ${exp% *} and ${exp#* }); answer: $(echo "$j" | tr -s ' \n' ' ' | cut -c1-300)"
				bad=1
			fi
		elif [ "$pol" = 1 ]; then
			exp=$(policy_expect "$pfx")
			if [ "$com" = "${exp% *}" ] && [ "$lp" = "${exp#* }" ]; then
				echo "OK rd 65000:$rd $pfx: community $com local-pref $lp (route-map BENCH-IN: ${exp% *} and ${exp#* })"
			else
				echo "BAD rd 65000:$rd $pfx: community ${com:-?} local-pref ${lp:-?} (route-map BENCH-IN: ${exp% *} and ${exp#* }); answer: $(echo "$j" | tr -s ' \n' ' ' | cut -c1-300)"
				bad=1
			fi
		elif [ "$com" = none ] && [ "$lp" = 100 ]; then
			echo "OK rd 65000:$rd $pfx: no community, local-pref 100 (no policy)"
		else
			echo "BAD rd 65000:$rd $pfx: community ${com:-?} local-pref ${lp:-?} (no policy: none and 100); answer: $(echo "$j" | tr -s ' \n' ' ' | cut -c1-300)"
			bad=1
		fi
	done
	if [ "$pol" = 1 ]; then
		if [ "$impl" = ped ]; then
			j=$(timeout "$qto" "$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show route-map BENCH-IN json" 2>&1) || true
		else
			j=$(timeout "$qto" vtysh --vty_socket "$work/frrrun" -c "show route-map BENCH-IN json" 2>&1) || true
		fi
		inv=$(echo "$j" | jq -r '[.. | objects | select(has("rules"))][0] // {} | "\(.invoked // "?") \([.rules[]?.invoked // 0] | add // "?")"' 2>/dev/null) || inv="? ?"
		if [ "${inv%% *}" != "?" ] && [ "${inv%% *}" -ge $((n * $5)) ]; then
			echo "OK route-map BENCH-IN invoked ${inv%% *} times, entries matched ${inv#* } times ($((n * $5)) paths received)"
		else
			echo "BAD route-map BENCH-IN invoked ${inv%% *} times, entries matched ${inv#* } times ($((n * $5)) paths received); answer: $(echo "$j" | tr -s ' \n' ' ' | cut -c1-300)"
			bad=1
		fi
	fi
	if [ -n "${6:-}" ]; then
		# the sink's tally against the policy's, over the N prefixes
		gzip -dc "$table" | awk -v n="$n" -v pol="$pol" 'NF && !/:/ {
				if (++i > n) exit
				split($1, o, ".")
				if (pol == 1) c[sprintf("lp %d comm 65000:%d", 200 + o[1] % 50 + 1, o[1] % 50 + 1)]++
				else c["lp 100 comm none"]++
			}
			END { for (k in c) print c[k], k }' | sort >"$work/polexp"
		sed -n 's/^sink_attrs //p' "$6" | sort >"$work/polgot"
		if cmp -s "$work/polexp" "$work/polgot"; then
			echo "OK sink: (LOCAL_PREF, communities) of all $n (RD, prefix) as the policy sets them ($(wc -l <"$work/polgot") distinct: $(head -3 "$work/polgot" | tr '\n' ';' | sed 's/;$//'); ...)"
		else
			echo "BAD sink: (LOCAL_PREF, communities) tally differs from the policy's; expected/got:"
			diff "$work/polexp" "$work/polgot" | head -10
			bad=1
		fi
	fi
	return $bad
}
# pathrd N I: the RD number bgpgen gives path I (0-based) of N: 10 RDs of
# 8 % of the paths, then RDs of 200
pathrd() {
	local big=$(($1 * 8 / 100))
	if [ "$2" -lt $((10 * big)) ]; then
		echo $(($2 / big + 1))
	else
		echo $((11 + ($2 - 10 * big) / 200))
	fi
}
# tablepfx I: the I-th IPv4 prefix of the table (1-based; as bgpgen reads it)
tablepfx() {
	gzip -dc "$table" | awk -v i="$1" 'NF && !/:/ { if (++n == i) { print $1; exit } if (n == 1) f = $1 }
		END { if (n < i) { k = (i - 1) % n + 1; if (k == 1) print f; else print "wrap", k } }' |
		while read -r a b; do
			# past the end of the table: bgpgen wraps around (path i uses prefix i % table size)
			if [ "$a" = wrap ]; then tablepfx "$b"; else echo "$a"; fi
		done
}

# configs for K generators, with (S = 1) or without a sink: ped-K-S.conf,
# frr-K-S.conf, bird-K-S.conf, gobgp-K-S.toml (and 1-0 for GoBGP's
# cross-check run)
# shellcheck disable=SC2086 # word splitting of the lists is intended
for k in $(printf '%s\n' 1 $copies | sort -un); do
	for sk in $(printf '%s\n' 0 $sinks | sort -un); do
		nb=$genip
		[ "$k" -ge 2 ] && nb="$genip $genip2"
		for pol in $(printf '%s\n' 0 $policies | sort -un); do
			rm=""
			[ "$pol" = 1 ] && rm=-rm
			{
				echo "hostname benchdut"
				echo "!"
				[ "$pol" = 1 ] && policy_text BENCH-IN
				echo "router bgp 65000"
				echo " bgp router-id $dutip"
				echo " no bgp default ipv4-unicast"
				for a in $nb; do echo " neighbor $a remote-as 65000"; done
				[ "$sk" = 1 ] && echo " neighbor $sinkip remote-as 65000"
				echo " address-family ipv4 vpn"
				for a in $nb; do
					echo "  neighbor $a activate"
					[ "$pol" = 1 ] && echo "  neighbor $a route-map BENCH-IN in"
				done
				if [ "$sk" = 1 ]; then
					echo "  neighbor $sinkip activate"
					echo "  neighbor $sinkip route-reflector-client"
				fi
				echo " exit-address-family"
				echo "exit"
				echo "end"
			} >"$work/ped-$k-$sk$rm.conf"
			{ echo "frr defaults traditional"; cat "$work/ped-$k-$sk$rm.conf"; } >"$work/frr-$k-$sk$rm.conf"
			chmod 644 "$work/ped-$k-$sk$rm.conf" "$work/frr-$k-$sk$rm.conf"
		done
		# BIRD: the generators' next hops are resolved recursively
		# through master4 (the vpn4 channel's default IGP table), which
		# holds the connected 10.99.0.0/24 from protocol direct; without
		# it every path is imported, but as unreachable
		{
			echo "log stderr { info, remote, warning, error, auth, fatal, bug };"
			echo "router id $dutip;"
			echo "vpn4 table vpntab;"
			echo "protocol device { }"
			echo "protocol direct { ipv4; interface \"*\"; }"
			j=1
			for a in $nb; do
				echo "protocol bgp gen$j {"
				echo "	local $dutip as 65000;"
				echo "	neighbor $a as 65000;"
				echo "	passive on;"
				echo "	hold time 240;"
				echo "	keepalive time 80;"
				echo "	vpn4 mpls { table vpntab; import all; export none; };"
				echo "}"
				j=$((j + 1))
			done
			if [ "$sk" = 1 ]; then
				echo "protocol bgp sink {"
				echo "	local $dutip2 as 65000;"
				echo "	neighbor $sinkip as 65000;"
				echo "	passive on;"
				echo "	hold time 240;"
				echo "	keepalive time 80;"
				echo "	rr client;"
				echo "	vpn4 mpls { table vpntab; import none; export all; };"
				echo "}"
			fi
		} >"$work/bird-$k-$sk.conf"
		# GoBGP: passive neighbors, VPNv4 only; the generators are not
		# route-reflector clients, so GoBGP sends them nothing back
		{
			echo "[global.config]"
			echo "  as = 65000"
			echo "  router-id = \"$dutip\""
			echo "  port = 179"
			echo "  local-address-list = [\"$dutip\", \"$dutip2\"]"
			for a in $nb $([ "$sk" = 1 ] && echo "$sinkip"); do
				echo
				echo "[[neighbors]]"
				echo "  [neighbors.config]"
				echo "    neighbor-address = \"$a\""
				echo "    peer-as = 65000"
				echo "  [neighbors.timers.config]"
				echo "    hold-time = 240"
				echo "    keepalive-interval = 80"
				echo "  [neighbors.transport.config]"
				echo "    passive-mode = true"
				if [ "$a" = "$sinkip" ]; then
					echo "    local-address = \"$dutip2\""
					echo "  [neighbors.route-reflector.config]"
					echo "    route-reflector-client = true"
					echo "    route-reflector-cluster-id = \"$dutip\""
				else
					echo "    local-address = \"$dutip\""
				fi
				echo "  [[neighbors.afi-safis]]"
				echo "    [neighbors.afi-safis.config]"
				echo "      afi-safi-name = \"l3vpn-ipv4-unicast\""
			done
		} >"$work/gobgp-$k-$sk.toml"
		chmod 644 "$work/ped-$k-$sk.conf" "$work/frr-$k-$sk.conf" "$work/bird-$k-$sk.conf" "$work/gobgp-$k-$sk.toml"
	done
done

# ask CMD...: its output in j; fails only when it took more than qto s
ask() { j=$(timeout "$qto" "$@" 2>/dev/null) || [ $? != 124 ]; }
# query IMPL NPEERS -> "sum of pfxRcd" and "Established" when all NPEERS are
# (the poller runs on CPU 0, away from the DUT); "0 timeout" when the daemon
# did not answer within qto seconds (counts as no progress). BIRD: the "Routes: N
# imported" lines of its BGP protocols (one birdc call for all of them);
# GoBGP: the "accepted" counts of `gobgp neighbor -j` (its CLI must run in the
# DUT's namespace, where its API listens on loopback)
query() {
	local j r
	case $1 in
	bird)
		ask taskset -c 0 "$birdc" -s "$work/birdrun/bird.ctl" show protocols all ||
			{ echo "0 timeout"; return 0; }
		r=$(echo "$j" |
			awk -v k="$2" '
				/^[^ ]/ { bgp = ($2 == "BGP"); if (bgp) n++ }
				bgp && $1 == "BGP" && $2 == "state:" { if ($3 == "Established") est++; else bad = bad (bad == "" ? "" : ",") $3 }
				bgp && $1 == "Routes:" { sum += $2 }
				END { printf "%d %s\n", sum, (n == k && est == k) ? "Established" : (bad == "" ? "none" : bad) }') || true
		echo "${r:-0 none}"
		return
		;;
	gobgp)
		ask taskset -c 0 ip netns exec "$dut" "$gobgp" -p "$gobgpport" neighbor -j ||
			{ echo "0 timeout"; return 0; }
		r=$(echo "$j" | jq -r --argjson k "$2" 'if type == "array" then . else [] end | "\(map([.afi_safis[]?.state.accepted // 0] | add // 0) | add // 0) \(if length == $k and all(.state.session_state == 6) then "Established" else (map(.state.session_state // 0 | tostring) | join(",") | if . == "" then "none" else . end) end)"' 2>/dev/null) || true
		echo "${r:-0 none}"
		return
		;;
	ped)
		ask taskset -c 0 "$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show bgp ipv4 vpn summary json" ||
			{ echo "0 timeout"; return 0; }
		;;
	*)
		ask taskset -c 0 vtysh --vty_socket "$work/frrrun" -c "show bgp ipv4 vpn summary json" ||
			{ echo "0 timeout"; return 0; }
		;;
	esac
	r=$(echo "$j" | jq -r --argjson k "$2" '([.. | objects | select(has("peers"))][0].peers // {}) | [to_entries[] | .value] | "\(map(.pfxRcd // 0) | add // 0) \(if length == $k and all(.state == "Established") then "Established" else (map(.state) | join(",") | if . == "" then "none" else . end) end)"' 2>/dev/null) || true
	echo "${r:-0 none}"
}
cputicks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
# run time of every thread of PID, ns (schedstat: exact, unlike the 10 ms
# ticks of utime+stime)
cpuns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
# CPU 1's busy ticks (user nice system irq softirq), all tasks
cpu1ticks() { awk '$1 == "cpu1" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
rsskb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

start_dut() { # IMPL TAG K-S -> sets dutpid
	if [ "$1" = ped ]; then
		rm -rf "$work/pedrun"
		mkdir -p "$work/pedrun"
		PE_RUNDIR=$work/pedrun ip netns exec "$dut" taskset -c 1 "$pedbin" -N benchdut \
			-f "$work/ped-$3.conf" -l "$work/ped-$2.log" &
		dutpid=$!
	elif [ "$1" = bird ]; then
		# foreground (-f): the pid is BIRD's own; control socket and
		# pid file in the run's directory
		rm -rf "$work/birdrun"
		mkdir -p "$work/birdrun"
		ip netns exec "$dut" taskset -c 1 "$bird" -f -c "$work/bird-$3.conf" -s "$work/birdrun/bird.ctl" \
			-P "$work/birdrun/bird.pid" 2>"$work/bird-$2.log" &
		dutpid=$!
	elif [ "$1" = gobgp ]; then
		ip netns exec "$dut" taskset -c 1 "$gobgpd" -f "$work/gobgp-$3.toml" -t toml \
			--api-hosts "127.0.0.1:$gobgpport" --pprof-disable -p -l info >"$work/gobgp-$2.log" 2>&1 &
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
	local i=0 p rest=""
	for p in $pids; do [ "$p" = "$1" ] || rest="$rest $p"; done
	if kill "$1" 2>/dev/null; then
		while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$1" 2>/dev/null || true
	fi
	wait "$1" 2>/dev/null || true
	# stopped and reaped: the cleanup must not signal a reused pid
	pids=$rest
}

# run_one IMPL N K S PASS [POL]: appends "impl n K[s][+rm] pass status secs
# cpus rss0 rss1 sendsecs cpus2 rss2 sinksecs others cpuexact" to raw (N
# paths per generator, K generators, S = 1: with the sink, POL = 1: with
# the route-map, "+rm"). PASS "check": GoBGP's cross-check run (not
# recorded; see below)
run_one() {
	local impl=$1 n=$2 k=$3 sk=$4 pass=$5 pol=${6:-0} status=ok target=$(($2 * $3))
	local genpids="" c0 c1 c2 r2 r0 r1 t0 tdone tsend cnt st last lastt now i j src
	local kk=$3 sinkpid="" tsink=- sline why pl=$poll fs rq tmo=0 b0 b1 e0 e1 rm=""
	[ "$impl" = gobgp ] && pl=$poll_gobgp
	[ "$sk" = 1 ] && kk=${k}s
	[ "$pol" = 1 ] && rm=-rm && kk=$kk+rm
	local tag="$1-$2-$kk-$5"
	rm -f "$work/go"
	start_dut "$impl" "$tag" "$k-$sk$rm"
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
		e0=$(cpuns "$dutpid")
		b0=$(cpu1ticks)
		r0=$(rsskb "$dutpid")
		touch "$work/go"
		last=0
		lastt=$(date +%s.%N)
		while :; do
			sleep "$pl"
			read -r cnt st < <(query "$impl" "$((k + sk))")
			now=$(date +%s.%N)
			if ! kill -0 "$dutpid" 2>/dev/null; then
				status="dut-died-at-$last"
				break
			fi
			if [ "$st" = timeout ]; then
				# no answer within qto s: no progress
				cnt=$last
				tmo=1
			elif [ "$st" != Established ]; then
				status="session-$st-at-$cnt"
				break
			else
				tmo=0
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
		e1=$(cpuns "$dutpid")
		b1=$(cpu1ticks)
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
		fs=$(sed -n 's/^first_small //p' "$work/gen-$tag-1.out")
		if [ "$impl" = gobgp ] && [ "$pass" = check ]; then
			# GoBGP cannot look VPNv4 paths up by prefix ("route filtering
			# is not supported for this family") and lists every path
			# with the whole MP_REACH_NLRI of its UPDATE (12 s for 10k
			# paths): so its cross-check is this small unrecorded run
			{
				echo "gobgp global rib -a vpnv4 (the lines of 65000:1:1.0.0.0/24 and 65000:11:$fs, of $target paths):"
				taskset -c 0 ip netns exec "$dut" "$gobgp" -p "$gobgpport" global rib -a vpnv4 |
					awk -v a="65000:1:1.0.0.0/24" -v b="65000:11:$fs" 'NR == 1 || $2 == a || $2 == b || $1 == a || $1 == b' |
					sed 's/  */ /g'
				echo "gobgp neighbor -j, per peer and family:"
				taskset -c 0 ip netns exec "$dut" "$gobgp" -p "$gobgpport" neighbor -j |
					jq -c '.[] | {peer: .conf.neighbor_address, session_state: .state.session_state, families: [.afi_safis[]?.state]}' 2>&1
			} >"$work/check-$impl" 2>&1 || true
		elif [ "$pass" = 1 ] && [ "$pol" = 0 ] && [ ! -e "$work/check-$impl" ] && [ "$impl" != gobgp ]; then
			# one cross-check of what the daemon decoded: a path of a big RD
			# (the first table prefix) and one of the first small RD
			{
				if [ "$impl" = bird ]; then
					for rq in "65000:1 1.0.0.0/24" "65000:11 $fs"; do
						echo "birdc show route table vpntab $rq all:"
						"$birdc" -s "$work/birdrun/bird.ctl" show route table vpntab "$rq" all | sed 1d
					done
					echo "birdc show route table vpntab where dest = RTD_UNICAST count (next hop resolved):"
					"$birdc" -s "$work/birdrun/bird.ctl" show route table vpntab where dest = RTD_UNICAST count | sed 1d
				else
					for rq in "rd 65000:1 1.0.0.0/24" "rd 65000:11 $fs"; do
						echo "show bgp ipv4 vpn $rq json:"
						if [ "$impl" = ped ]; then
							"$peshbin" -S "$work/pedrun/benchdut/ped.sock" -c "show bgp ipv4 vpn $rq json"
						else
							vtysh --vty_socket "$work/frrrun" -c "show bgp ipv4 vpn $rq json"
						fi | jq -c '[.. | objects | select(has("remoteLabel"))][0] // . | with_entries(select(.key | test("label|nexthops|valid|extendedCommunity|bestpath|origin|locPrf"; "i")))' 2>&1 | cut -c1-600
					done
				fi
			} >"$work/check-$impl" 2>&1 || true
		fi
		# deferred work would show here: CPU and RSS 2 s later
		sleep 2
		c2=$(cputicks "$dutpid")
		r2=$(rsskb "$dutpid")
		# with POLICY: four paths carry what the route-map sets (or,
		# without it, not); after the CPU readings
		if [ "$policies" != 0 ] && { [ "$impl" = ped ] || [ "$impl" = frr ]; } &&
			! policy_check "$impl" "$n" "$pol" "$fs" "$k" "$([ "$sk" = 1 ] && echo "$work/sink-$tag.out")" >"$work/polcheck-$tag" 2>&1; then
			status=policy-check-failed
		fi
		if [ "$pol" = 1 ] && [ -e "$work/polcheck-$tag" ] && [ ! -e "$work/polcheck-$impl-$sk" ]; then
			cp "$work/polcheck-$tag" "$work/polcheck-$impl-$sk"
		fi
	fi
	if [ "$status" = ok ]; then
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
			'BEGIN { printf "%.2f", (c2 - c0) / hz }') $r2 $tsink $(awk -v c0="$c0" -v c1="$c1" -v b0="$b0" -v b1="$b1" -v hz="$hz" \
			'BEGIN { o = (b1 - b0 - (c1 - c0)) / hz; printf "%.2f", o < 0 ? 0 : o }') $(awk -v a="$e0" -v b="$e1" \
			'BEGIN { printf "%.4f", (b - a) / 1e9 }')" >>"$rawf"
	else
		echo "$impl $n $kk $pass $status - - - - - - - - - -" >>"$rawf"
		nfail=$((nfail + 1))
		# keep the logs of a failed run for diagnosis
		faild="${TMPDIR:-/tmp}/bench_bgp-fail-$tag.$$"
		mkdir -p "$faild"
		cp "$work"/*"$tag"* "$faild/" 2>/dev/null || true
		case $status in
		stall-at-*)
			why="stall: no progress for $stall s at ${status#stall-at-} of $target paths"
			[ "$tmo" = 1 ] && why="$why (its last count queries got no answer within $qto s)"
			;;
		sink-stall-at-*) why="stall: the sink made no progress for $stall s (at ${status#sink-stall-at-} of $target)" ;;
		no-session) why="the sessions did not come up (600 polls 0.1 s apart)" ;;
		dut-died-at-*) why="the daemon died at ${status#dut-died-at-} of $target paths" ;;
		count-dropped-*) why="the path count dropped ($status)" ;;
		session-*) why="a session left Established ($status)" ;;
		policy-check-failed) why="policy check: $(grep -c '^BAD' "$work/polcheck-$tag") checked path(s) without what the route-map sets (or with it, without policy); see polcheck-$tag" ;;
		*) why=$status ;;
		esac
		echo "run.sh: FAILED: $impl, $n paths x $k$([ "$sk" = 1 ] && echo ", with the sink")$([ "$pol" = 1 ] && echo ", with the route-map"), pass $pass: $why; logs in $faild" >&2
	fi
	tail -1 "$rawf" >&2
	for i in $genpids $sinkpid; do stop_pid "$i"; done
	stop_pid "$dutpid"
}

: >"$work/raw"
if echo " $impls " | grep -q ' gobgp '; then
	# GoBGP's cross-check (a small run of one generator, not recorded)
	rawf=$work/raw-check
	run_one gobgp 2000 1 0 check
	rawf=$work/raw
fi
for n in $sizes; do
	np=$passes
	[ "$n" -gt 100000 ] && np=$passes_big
	for k in $copies; do
		for sk in $sinks; do
			# IMPL:POL pairs of a pass: without policy first, then with
			# (BIRD and GoBGP without only)
			runs=""
			for pol in $policies; do
				for impl in $impls; do
					[ "$pol" = 1 ] && [ "$impl" != ped ] && [ "$impl" != frr ] && continue
					runs="$runs $impl:$pol"
				done
			done
			p=1
			while [ $p -le "$np" ]; do
				order=$runs
				# alternate which one goes first
				[ $((p % 2)) -eq 0 ] && order=$(echo "$runs" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
				for r in $order; do
					run_one "${r%:*}" "$n" "$k" "$sk" "$p" "${r#*:}"
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
		for pol in $policies; do
			kk=$k
			[ "$sk" = 1 ] && kk=${k}s
			[ "$pol" = 1 ] && kk=$kk+rm
			klist="$klist $kk"
		done
	done
done
ksplit() { # K[s][+rm] -> k, sk (yes/no), pol (0/1), plab (the daemon's label suffix)
	local x=${1%+rm}
	pol=0
	plab=""
	if [ "$x" != "$1" ]; then
		pol=1
		plab=" + route-map"
	fi
	k=${x%s}
	sk=no
	[ "$x" != "$k" ] && sk=yes
	return 0
}
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
cmd=""
[ -n "${BUILD:-}" ] && [ "$build" != "$top" ] && cmd="BUILD=build"
[ -n "${SIZES:-}" ] && cmd="$cmd SIZES=\"$sizes\""
[ -n "${PASSES:-}" ] && cmd="$cmd PASSES=$passes"
[ -n "${PASSES_BIG:-}" ] && cmd="$cmd PASSES_BIG=$passes_big"
[ -n "${COPIES:-}" ] && cmd="$cmd COPIES=\"$copies\""
[ -n "${SINK:-}" ] && cmd="$cmd SINK=\"$sinks\""
[ -n "${POLL:-}" ] && cmd="$cmd POLL=$poll"
[ -n "${POLL_GOBGP:-}" ] && cmd="$cmd POLL_GOBGP=$poll_gobgp"
[ -n "${STALL:-}" ] && cmd="$cmd STALL=$stall"
[ -n "${IMPLS:-}" ] && cmd="$cmd IMPLS=\"$impls\""
[ -n "${POLICY:-}" ] && cmd="$cmd POLICY=\"$policies\""
cmd="${cmd# } bench/bgp/run.sh"
cmd=${cmd# }
name() { # impl -> how the record names it
	case $1 in frr) echo FRR ;; bird) echo BIRD ;; gobgp) echo GoBGP ;; *) echo "$1" ;; esac
}
refs="" # the references, in IMPLS order
for impl in $impls; do [ "$impl" = ped ] || refs="$refs $impl"; done
title=""
for impl in $refs; do
	case $impl in frr) t="FRR bgpd" ;; bird) t="BIRD 2" ;; gobgp) t="GoBGP" ;; esac
	title="$title${title:+, }$t"
done
case $title in *", "*) title="${title%, *} and ${title##*, }" ;; esac
{
	echo "# BGP VPNv4 ingestion (method A): ped beside $title"
	echo
	echo "## Machine"
	echo
	echo "- nproc: $(nproc)"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- kernel: $(uname -r)"
	echo "- ped: $pedinfo"
	for impl in $refs; do
		case $impl in
		frr) echo "- FRR: $("$bgpd" -v 2>/dev/null | head -1) (Debian $(dpkg-query -W -f='${Version}' frr 2>/dev/null))" ;;
		bird) echo "- BIRD: $("$bird" --version 2>&1 | head -1) (Debian bird2 $(dpkg-query -W -f='${Version}' bird2 2>/dev/null))" ;;
		gobgp) echo "- GoBGP: $("$gobgpd" --version 2>&1 | head -1) (Debian gobgpd $(dpkg-query -W -f='${Version}' gobgpd 2>/dev/null))" ;;
		esac
	done
	echo "- load average at the end (other work on the machine): $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- compiler: $($cc --version | head -1), -O2"
	echo "- generator: $geninfo"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "## Command"
	echo
	if [ "$build" != "$top" ]; then
		echo "\`$cmd $out\` (as root, after \`./configure && make\` in the build directory 'build')"
	else
		echo "\`$cmd $out\` (as root, after \`./configure && make\`)"
	fi
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
	if echo " $impls " | grep -q ' bird '; then
		echo "- BIRD: \`ip netns exec DUT taskset -c 1 $bird -f -c bird.conf -s RUN/bird.ctl -P RUN/bird.pid\`"
		echo "  (foreground, its own control socket; no kernel protocol, so nothing reaches the kernel)."
		echo "  Its paths are counted by the \"Routes: N imported\" lines of \`birdc -s RUN/bird.ctl show protocols all\`"
		echo "  (one call for all BGP protocols). The generators' next hop ($genip) is resolved recursively"
		echo "  (iBGP default \`gateway recursive\`) through master4, the vpn4 channel's default IGP table;"
		echo "  \`protocol direct\` puts the connected ${genip%.*}.0/24 there. Without it BIRD imports and counts every path"
		echo "  all the same, but as \`unreachable\`; with it every path is \`unicast via $genip ... mpls LABEL\`"
		echo "  (checked below). bird.conf for one generator without the sink:"
		echo
		echo '```'
		cat "$work/bird-${copies%% *}-0.conf" 2>/dev/null || cat "$work/bird-${copies%% *}-1.conf"
		echo '```'
		echo
		echo "  With the sink it adds \`protocol bgp sink\` (local $dutip2, neighbor $sinkip, passive, \`rr client\`,"
		echo "  \`vpn4 mpls { table vpntab; import none; export all; }\`); a second generator is \`gen2\`."
	fi
	if echo " $impls " | grep -q ' gobgp '; then
		echo "- GoBGP: \`ip netns exec DUT taskset -c 1 $gobgpd -f gobgp.toml -t toml --api-hosts 127.0.0.1:$gobgpport"
		echo "  --pprof-disable -p -l info\` (global RIB only, no zebra; Go picks GOMAXPROCS 1 from the CPU"
		echo "  affinity). Its paths are counted by the \"accepted\" counts of \`gobgp -p $gobgpport neighbor -j\` (run"
		echo "  in the DUT's namespace, on CPU 0) polled every ${poll_gobgp} s, not ${poll} s: the query walks the Adj-RIB-In"
		echo "  (54 ms of gobgpd's CPU per query with 500k paths held, measured idle; \`gobgp global rib summary\`"
		echo "  costs four times that) and waits for the server loop, busy with the UPDATEs, so fast polling"
		echo "  slows GoBGP down (every 0.2 s cost it about 1.5x the CPU in a trial). At ${poll_gobgp} s the polls"
		echo "  cost it well under 1 s of CPU per 500k pass; its times are resolved to ~${poll_gobgp} s."
		echo "  gobgp.toml for one generator without the sink:"
		echo
		echo '```'
		cat "$work/gobgp-${copies%% *}-0.toml" 2>/dev/null || cat "$work/gobgp-${copies%% *}-1.toml"
		echo '```'
		echo
		echo "  With the sink it adds a neighbor $sinkip (local-address $dutip2, route-reflector-client,"
		echo "  cluster id $dutip)."
	fi
	echo "- generator: \`ip netns exec GEN taskset -c 0 bgpgen -c $dutip -f TABLE -n N -w GOFILE\`: iBGP"
	echo "  AS 65000, OPEN with MP VPNv4 + 4-octet AS + route refresh, hold 240 s. N paths: prefixes in"
	echo "  table order (IPv4 lines of ../shared/data/full-table-prefixes.txt.gz), 10 RDs with 8 % of"
	echo "  the paths each, the rest in RDs of 200; label 16 + RD index; one RT 65000:1; ORIGIN IGP,"
	echo "  empty AS_PATH, LOCAL_PREF 100, next hop $genip; UPDATEs packed to 4096 bytes by"
	echo "  mpbgp's bgp_update_encode_reach, then End-of-RIB; all pre-encoded before the session opens."
	echo "- per pass: fresh daemon; session Established with 0 routes; after 1 s baseline VmRSS and"
	echo "  utime+stime (/proc/PID); bgpgen starts writing (first_byte timestamp); pfxRcd of"
	echo "  \`show bgp ipv4 vpn summary json\` (pesh -S / vtysh --vty_socket) polled every ${poll} s"
	echo "  (summed over the generators' sessions) until it reaches N (BIRD, GoBGP: their counts above)."
	echo "  Time = first UPDATE byte to the poll that saw N (resolution ~${poll} s + one query; GoBGP"
	echo "  ~${poll_gobgp} s). A run fails on ${stall} s without progress, a count that drops or the session"
	echo "  going down. Passes alternate the order of the daemons (pass 1: $impls; pass 2 the reverse; ...)."
	echo "- sizes (paths per generator): $sizes; generators: $copies; passes: $passes (sizes > 100k:"
	echo "  $passes_big). The pollers (pesh / vtysh / birdc / gobgp) run on CPU 0."
	echo
	echo "## Results"
	echo
	echo "paths = paths per generator x generators (with 2 generators every prefix arrives twice,"
	echo "with different next hops). Time: first UPDATE byte to the poll that saw all paths in pfxRcd"
	echo "(BIRD: imported; GoBGP: accepted);"
	echo "\"sender done\": first to last byte written by the generator(s) (TCP backpressure from the"
	echo "DUT shows here). bytes/path = (VmRSS after - VmRSS baseline) / paths. \"Other work on CPU 1\":"
	echo "CPU 1's busy time in /proc/stat (user, nice, system, irq, softirq) between the two CPU readings,"
	echo "minus the DUT's own CPU time: the DUT's TCP receive softirqs and whatever else ran there"
	echo "(this machine is shared; other work on CPU 1 makes the DUT wait and slows it through the caches)."
	echo
	echo "| paths | per gen x gens | sink | daemon | runs ok | time to all accepted, s, median (range) | paths/s (median) | sender done, s (median) | sink has all, s, median (range) | DUT CPU s, median (range) | DUT CPU s at +2 s (median) | VmRSS baseline, MB | VmRSS after, MB | bytes/path, median (range) | other work on CPU 1 meanwhile, s (median) |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for n in $sizes; do
		for kk in $klist; do
			ksplit "$kk"
			for impl in $impls; do
				[ "$pol" = 1 ] && [ "$impl" != ped ] && [ "$impl" != frr ] && continue
				ok=$(col "$impl" "$n" "$kk" 6 | wc -l)
				tot=$(awk -v i="$impl" -v n="$n" -v k="$kk" '$1 == i && $2 == n && $3 == k' "$work/raw" | wc -l)
				t=$(col "$impl" "$n" "$kk" 6 | med)
				c=$(col "$impl" "$n" "$kk" 7 | med)
				r0=$(col "$impl" "$n" "$kk" 8 | med)
				r1=$(col "$impl" "$n" "$kk" 9 | med)
				sd=$(col "$impl" "$n" "$kk" 10 | med)
				c2=$(col "$impl" "$n" "$kk" 11 | med)
				ts=$(col "$impl" "$n" "$kk" 13 | grep -v '^-' | med)
				ot=$(col "$impl" "$n" "$kk" 14 | med)
				bp=$(bpp "$impl" "$n" "$kk" | med)
				if [ "$t" = - ]; then
					echo "| $((n * k)) | $n x $k | $sk | $impl$plab | 0/$tot | failed | - | - | - | - | - | - | - | - | - |"
					continue
				fi
				echo "$t $c $sd $r0 $r1 $bp $c2 $ts $ot" | awk -v n="$((n * k))" -v k="$n x $k" -v sk="$sk" -v impl="$impl$plab" -v ok="$ok/$tot" '{
					split($1, t, "|"); split($2, c, "|"); split($3, s, "|"); split($4, a, "|"); split($5, b, "|"); split($6, p, "|"); split($7, c2, "|")
					if ($8 == "-") ts = "-"; else { split($8, x, "|"); ts = sprintf("%.2f (%.2f - %.2f)", x[1], x[2], x[3]) }
					split($9, o, "|")
					printf "| %d | %s | %s | %s | %s | %.2f (%.2f - %.2f) | %.0f | %.2f | %s | %.2f (%.2f - %.2f) | %.2f | %.1f | %.1f | %.0f (%.0f - %.0f) | %s |\n",
						n, k, sk, impl, ok, t[1], t[2], t[3], n / t[1], s[1], ts, c[1], c[2], c[3], c2[1], a[1] / 1024, b[1] / 1024, p[1], p[2], p[3],
						($9 == "-" ? "-" : sprintf("%.2f", o[1])) }'
			done
		done
	done
	if echo " $impls " | grep -q ' ped ' && [ -n "$refs" ]; then
		echo
		echo "### Ratios (medians), against the targets of the issue"
		echo
		echo "Rate and time ratios are reference time / ped time (above 1: ped is faster); CPU and"
		echo "bytes ratios are ped / reference (below 1: ped uses less). The issue's targets are"
		echo "against FRR (rate >= 2, bytes/path <= 0.5); the goal is to be ahead of every reference."
		echo
		echo "| paths | per gen x gens | sink | reference | ingest rate ped / reference (target >= 2) | until the sink has all, ped / reference rate | CPU s ped / reference | bytes/path ped / reference (target <= 0.5) | ped bytes/path (stretch <= 250) |"
		echo "|---|---|---|---|---|---|---|---|---|"
		for n in $sizes; do
			for kk in $klist; do
				ksplit "$kk"
				tp=$(col ped "$n" "$kk" 6 | med)
				cp_=$(col ped "$n" "$kk" 7 | med)
				sp=$(col ped "$n" "$kk" 13 | grep -v '^-' | med)
				bp=$(bpp ped "$n" "$kk" | med)
				for ref in $refs; do
					[ "$pol" = 1 ] && [ "$ref" != frr ] && continue
					tf=$(col "$ref" "$n" "$kk" 6 | med)
					cf=$(col "$ref" "$n" "$kk" 7 | med)
					sf=$(col "$ref" "$n" "$kk" 13 | grep -v '^-' | med)
					bf=$(bpp "$ref" "$n" "$kk" | med)
					if [ "$tp" = - ] || [ "$tf" = - ]; then
						echo "| $((n * k)) | $n x $k | $sk | $(name "$ref")${plab:+ (both$plab)} | - | - | - | - | ${bp%%|*} |"
						continue
					fi
					awk -v n="$((n * k))" -v k="$n x $k" -v sk="$sk" -v ref="$(name "$ref")${plab:+ (both$plab)}" -v tp="${tp%%|*}" -v tf="${tf%%|*}" \
						-v cp="${cp_%%|*}" -v cf="${cf%%|*}" -v bp="${bp%%|*}" -v bf="${bf%%|*}" -v sp="${sp%%|*}" -v sf="${sf%%|*}" 'BEGIN {
						sr = (sp != "-" && sf != "-" && sp > 0) ? sprintf("%.2fx", sf / sp) : "-"
						printf "| %d | %s | %s | %s | %.2fx | %s | %.2fx | %.2fx | %.0f |\n", n, k, sk, ref, tf / tp, sr, (cf > 0 ? cp / cf : 0), (bf > 0 ? bp / bf : 0), bp }'
				done
			done
		done
	fi
	if echo " $policies " | grep -q ' 1 '; then
		echo
		echo "### Routing policy: cost per path with and without the route-map"
		echo
		echo "CPU µs/path = the daemon's run time from /proc/PID/task/*/schedstat (all threads, ns, exact)"
		echo "between the baseline and the poll that saw every path, over the paths; paths/s from the"
		echo "time to all accepted (resolution ~${poll} s + one query). Overhead = CPU per path with the"
		echo "route-map / without - 1: from the medians, and per pass (the two runs of one pass are"
		echo "close in time) as median (range). Target of the issue: ped's overhead <= 30 % and ped's"
		echo "rate >= 2x FRR's with the policy."
		echo
		echo "| paths | per gen x gens | sink | daemon | runs ok without / with | paths/s without, median (range) | paths/s with, median (range) | CPU µs/path without, median (range) | CPU µs/path with, median (range) | overhead from medians | overhead per pass, median (range) |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|"
		for n in $sizes; do
			for kk in $klist; do
				ksplit "$kk"
				[ "$pol" = 0 ] || continue
				for impl in $impls; do
					[ "$impl" = ped ] || [ "$impl" = frr ] || continue
					awk -v i="$impl" -v n="$n" -v kk="$kk" -v np="$((n * k))" -v k="$n x $k" -v sk="$sk" "$AWK_MED"'
						$1 == i && $2 == n && ($3 == kk || $3 == kk "+rm") {
							w = ($3 != kk)
							tot[w]++
							if ($5 != "ok") next
							ok[w]++
							r[w, ok[w]] = np / $6; c[w, ok[w]] = $15 * 1e6 / np
							pc[w, $4] = $15
						}
						END {
							s = sprintf("| %d | %s | %s | %s | %d/%d / %d/%d |", np, k, sk, i, ok[0], tot[0], ok[1], tot[1])
							for (w = 0; w <= 1; w++) {
								delete a; for (x = 1; x <= ok[w]; x++) a[x] = r[w, x]
								if (ok[w]) { M = med(a, ok[w]); s = s sprintf(" %.0f (%.0f - %.0f) |", M, LO, HI) } else s = s " - |"
							}
							for (w = 0; w <= 1; w++) {
								delete a; for (x = 1; x <= ok[w]; x++) a[x] = c[w, x]
								if (ok[w]) { M = med(a, ok[w]); s = s sprintf(" %.3f (%.3f - %.3f) |", M, LO, HI); cm[w] = M } else { s = s " - |"; cm[w] = 0 }
							}
							s = s (cm[0] > 0 && cm[1] > 0 ? sprintf(" %+.1f %% |", (cm[1] / cm[0] - 1) * 100) : " - |")
							m = 0; delete a
							for (key in pc) { split(key, q, SUBSEP); if (q[1] == 1 && (0 SUBSEP q[2]) in pc && pc[0, q[2]] > 0) a[++m] = (pc[1, q[2]] / pc[0, q[2]] - 1) * 100 }
							if (m) { M = med(a, m); s = s sprintf(" %+.1f %% (%+.1f - %+.1f %%), %d passes |", M, LO, HI, m) } else s = s " - |"
							print s
						}' "$work/raw"
				done
			done
		done
		if echo " $impls " | grep -q ' ped ' && echo " $impls " | grep -q ' frr '; then
			echo
			echo "Against the targets (medians; per-pass ranges pair the runs of one pass):"
			echo
			echo "| paths | per gen x gens | sink | ped CPU overhead of the route-map (target <= 30 %) | met | ped / FRR rate, both with the route-map (target >= 2) | per pass, range | met | ped / FRR rate without policy | ped / FRR CPU per path, with |"
			echo "|---|---|---|---|---|---|---|---|---|---|"
			for n in $sizes; do
				for kk in $klist; do
					ksplit "$kk"
					[ "$pol" = 0 ] || continue
					awk -v n="$n" -v kk="$kk" -v np="$((n * k))" -v k="$n x $k" -v sk="$sk" "$AWK_MED"'
						$2 == n && ($3 == kk || $3 == kk "+rm") && $5 == "ok" && ($1 == "ped" || $1 == "frr") {
							w = ($3 != kk)
							t[$1, w, ++nt[$1, w]] = $6; c[$1, w, ++nc[$1, w]] = $15 * 1e6 / np
							pt[$1, w, $4] = $6
						}
						END {
							for (d = 1; d <= 2; d++) { im = (d == 1) ? "ped" : "frr"
								for (w = 0; w <= 1; w++) {
									delete a; for (x = 1; x <= nt[im, w]; x++) a[x] = t[im, w, x]; T[im, w] = med(a, nt[im, w])
									delete a; for (x = 1; x <= nc[im, w]; x++) a[x] = c[im, w, x]; C[im, w] = med(a, nc[im, w])
								}
							}
							ov = (C["ped", 0] > 0 && C["ped", 1] > 0) ? (C["ped", 1] / C["ped", 0] - 1) * 100 : ""
							rr = (T["ped", 1] > 0 && T["frr", 1] > 0) ? T["frr", 1] / T["ped", 1] : ""
							r0 = (T["ped", 0] > 0 && T["frr", 0] > 0) ? sprintf("%.2fx", T["frr", 0] / T["ped", 0]) : "-"
							cr = (C["ped", 1] > 0 && C["frr", 1] > 0) ? sprintf("%.2fx", C["ped", 1] / C["frr", 1]) : "-"
							m = 0; delete a
							for (key in pt) { split(key, q, SUBSEP); if (q[1] == "ped" && q[2] == 1 && ("frr" SUBSEP 1 SUBSEP q[3]) in pt) a[++m] = pt["frr", 1, q[3]] / pt["ped", 1, q[3]] }
							pr = "-"
							if (m) { med(a, m); pr = sprintf("%.2fx - %.2fx (%d passes)", LO, HI, m) }
							printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", np, k, sk,
								(ov == "" ? "-" : sprintf("%+.1f %%", ov)), (ov == "" ? "-" : (ov <= 30 ? "yes" : "no")),
								(rr == "" ? "-" : sprintf("%.2fx", rr)), pr, (rr == "" ? "-" : (rr >= 2 ? "yes" : "no")), r0, cr
						}' "$work/raw"
				done
			done
		fi
		echo
		echo "### The policy (POLICY=1), the same text for ped and FRR"
		echo
		echo "In ped.conf and frr.conf before \`router bgp 65000\`, and in \`address-family ipv4 vpn\`"
		echo "\`neighbor $genip route-map BENCH-IN in\` (each generator). PL-k permits the /8s whose first"
		echo "octet O has O % 50 = k - 1 (5 or 6 lines each), so a path to O.x.y.z falls through O % 50"
		echo "entries before entry 10 x (O % 50 + 1) matches; \`permit 1000\` is never reached here."
		echo "Shown: PL-1, PL-2, ..., PL-50, entries 10, 20, ..., 500, 1000:"
		echo
		echo '```'
		policy_show BENCH-IN
		echo '```'
		echo
		echo "Policy check (the first run with the route-map of each daemon, without and with the"
		echo "sink; every run checks the same four paths, and the runs with the route-map its"
		echo "invocation count, and fails when one lacks what the route-map sets, or has it without"
		echo "policy; with the sink, the sink's tally of (LOCAL_PREF, communities) over every"
		echo "(RD, prefix) it received must equal the policy's over the N table prefixes):"
		echo
		for impl in $impls; do
			[ "$impl" = ped ] || [ "$impl" = frr ] || continue
			for sk in $sinks; do
				echo "$impl$([ "$sk" = 1 ] && echo ", with the sink"):"
				echo
				echo '```'
				cat "$work/polcheck-$impl-$sk" 2>/dev/null || echo "(none)"
				echo '```'
				echo
			done
		done
	fi
	echo
	echo "## Cross-check (pass 1 of the first size: what each daemon decoded)"
	echo
	echo "These queries run between the two CPU readings of that pass (its \"CPU s at +2 s\")."
	if echo " $impls " | grep -q ' gobgp '; then
		echo "GoBGP's come from a separate unrecorded run of 2000 paths before the measured ones: it"
		echo "cannot look VPNv4 paths up by prefix (\"route filtering is not supported for this family\")"
		echo "and lists every path with the whole MP_REACH_NLRI of the UPDATE it came in (about 12 s for"
		echo "10k paths), so the two paths are picked out of the full text listing of that small table."
	fi
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
	echo "In run order; the two \"at +2 s\" columns are read 2 s after the count was complete (work the"
	echo "daemon deferred past pfxRcd would show there)."
	echo
	echo "| daemon | paths per gen | gens (s: with sink; +rm: with the route-map) | pass | status | time s | CPU s | VmRSS before kB | VmRSS after kB | sender done s | CPU s at +2 s | VmRSS at +2 s, kB | sink has all, s | other work on CPU 1, s | CPU s, schedstat (all threads) |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 }' "$work/raw"
} >"$out"

# the record names no path of this machine
if [ "$build" != "$top" ]; then
	sed -i -e "s|$build/|build/|g" -e "s|$build\\b|build|g" "$out"
fi
sed -i -e "s|$top/\\.\\./shared/|../shared/|g" -e "s|$top/|./|g" -e "s|$work/|WORK/|g" "$out"
echo "run.sh: wrote $out" >&2
if [ "$nfail" -gt 0 ]; then
	echo "run.sh: $nfail run(s) failed (see the FAILED lines above and the record)" >&2
	exit 1
fi
