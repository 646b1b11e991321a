#!/bin/bash
# Memory given back after a large table goes away: ped's VmRSS with a VPNv4
# session up and no route (steady state), after learning N VPNv4 paths, and
# after they are gone again, either withdrawn by the peer (MP_UNREACH) or
# with the session dropped (the peer's process killed), one build against
# another (e.g. h-lead/main before the pools gave blocks back, and this tree).
#
#   bench/bgpmem/run.sh [output.md]
#
# Two namespaces joined by a veth: gen (bench/bgp/bgpgen, CPU 0) -- dut (ped,
# CPU 1). For each build and each way out: a fresh ped, bgpgen opens the
# session and waits (-w), VmRSS is read 2 s later (steady); bgpgen sends N
# paths (the table's prefixes over RDs, as in bench/bgp), pfxRcd is polled
# until it is N, VmRSS read 2 s later (learned); then bgpgen withdraws every
# path (-W) or is killed, pfxRcd is polled until the peer has none, and VmRSS
# is read WAIT seconds later (gone: ped compacts once the burst of frees is
# over, about a second after the last one). With RELEARN=1 the session-down
# run then learns the N paths again (a new bgpgen) and VmRSS is read once
# more (relearned: the memory given back is taken again without growth).
# Needs root, ./configure and `make` in both builds (pe/ped, cli/pesh,
# mpbgp/libmpbgp.a, lib/libpe.a, config.h) and
# ../shared/data/full-table-prefixes.txt.gz.
# Environment:
#   OLD=dir    the build to compare against
#   NEW=dir    this tree's build (default: the source tree)
#   N=1000000  paths
#   WAIT=5     seconds between "no path left" and the last reading
#   RELEARN=1  learn again after the session-down run (0: not)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
n=${N:-1000000}
wait_s=${WAIT:-5}
relearn=${RELEARN:-1}
new=$(cd "${NEW:-$top}" && pwd)
old=$(cd "${OLD:?OLD=build dir to compare against}" && pwd)
out=${1:-$top/bench/results/bgpmem-$(date -u +%F).md}
ns=bmem$$
gen=${ns}g
dut=${ns}d
genip=10.96.0.1
dutip=10.96.0.2
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_bgpmem.XXXXXX")
chmod 755 "$work"
pids=""

cleanup() {
	set +e
	for p in $pids; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	ip netns del "$gen" 2>/dev/null
	ip netns del "$dut" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "run.sh: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for b in "$old" "$new"; do
	for f in pe/ped cli/pesh mpbgp/libmpbgp.a lib/libpe.a config.h; do
		[ -e "$b/$f" ] || { echo "run.sh: $b/$f missing (configure and make there)" >&2; exit 1; }
	done
done
newrev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo '?')
mkdir -p "$work/old" "$work/new"
cp "$old/pe/ped" "$old/cli/pesh" "$work/old/"
cp "$new/pe/ped" "$new/cli/pesh" "$work/new/"
${CC:-cc} -std=gnu11 -g -O2 -I"$new" -I"$top" -o "$work/bgpgen" "$top/bench/bgp/bgpgen.c" \
	"$new/mpbgp/libmpbgp.a" "$new/lib/libpe.a"

ip netns add "$gen"
ip netns add "$dut"
ip link add "${ns}a" type veth peer name "${ns}b"
ip link set "${ns}a" netns "$gen"
ip link set "${ns}b" netns "$dut"
ip -n "$gen" link set lo up
ip -n "$dut" link set lo up
ip -n "$gen" addr add "$genip/24" dev "${ns}a"
ip -n "$dut" addr add "$dutip/24" dev "${ns}b"
ip -n "$gen" link set "${ns}a" up
ip -n "$dut" link set "${ns}b" up

cat >"$work/ped.conf" <<CONF
hostname benchdut
router bgp 65000
 bgp router-id $dutip
 no bgp default ipv4-unicast
 neighbor $genip remote-as 65000
 address-family ipv4 vpn
  neighbor $genip activate
 exit-address-family
exit
end
CONF
chmod 644 "$work/ped.conf"

kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# paths PESH: pfxRcd summed over the VPNv4 peers (0 when none is up)
paths() {
	$1 -c "show bgp ipv4 vpn summary json" 2>/dev/null |
		awk -F: '/"pfxRcd"/ { gsub(/[ ,]/, "", $2); s += $2 } END { print s + 0 }' || echo 0
}
# until PESH OP COUNT WHAT: poll pfxRcd until it is OP (-ge / -eq) COUNT
until_paths() {
	local t=0 c
	while :; do
		c=$(paths "$1")
		[ "$c" "$2" "$3" ] && return 0
		t=$((t + 1))
		[ "$t" -lt 1200 ] || { echo "run.sh: $4: $c paths after 10 min" >&2; exit 1; }
		sleep 0.5
	done
}
# start_gen TAG: bgpgen waiting for $work/go-TAG, withdrawing on $work/wd-TAG;
# started again while ped refuses the connection (its peer idle for a while
# after a session went down)
start_gen() {
	local t=0
	rm -f "$work/go-$1" "$work/wd-$1"
	genpid=""
	until grep -qs '^established' "$work/gen-$1.out"; do
		if [ -z "$genpid" ] || ! kill -0 "$genpid" 2>/dev/null; then
			[ -z "$genpid" ] || sleep 1
			ip netns exec "$gen" taskset -c 0 "$work/bgpgen" -b "$genip" -c "$dutip" -f "$table" \
				-n "$n" -w "$work/go-$1" -W "$work/wd-$1" >"$work/gen-$1.out" 2>"$work/gen-$1.err" &
			genpid=$!
			pids="$pids $genpid"
		fi
		t=$((t + 1))
		[ "$t" -lt 1200 ] || { echo "run.sh: $1: no session" >&2; exit 1; }
		sleep 0.5
	done
}

rows=""
for how in withdraw down; do
	for which in old new; do
		tag=$which-$how
		rm -rf "$work/run"
		mkdir -p "$work/run"
		PE_RUNDIR=$work/run ip netns exec "$dut" taskset -c 1 "$work/$which/ped" -N benchdut \
			-f "$work/ped.conf" -l "$work/ped-$tag.log" &
		ped=$!
		pids="$ped"
		pesh="$work/$which/pesh -S $work/run/benchdut/ped.sock"
		start_gen "$tag"
		sleep 2
		steady=$(kb "$ped" VmRSS)
		touch "$work/go-$tag"
		until_paths "$pesh" -ge "$n" "$tag learning"
		sleep 2
		learned=$(kb "$ped" VmRSS)
		t0=$(date +%s.%N)
		if [ "$how" = withdraw ]; then
			touch "$work/wd-$tag"
		else
			kill "$genpid"
			wait "$genpid" 2>/dev/null || true
		fi
		until_paths "$pesh" -eq 0 "$tag $how"
		t1=$(date +%s.%N)
		sleep "$wait_s"
		gone=$(kb "$ped" VmRSS)
		again="-"
		if [ "$how" = down ] && [ "$relearn" = 1 ]; then
			start_gen "$tag-2"
			touch "$work/go-$tag-2"
			until_paths "$pesh" -ge "$n" "$tag relearning"
			sleep 2
			again="$(mb "$(kb "$ped" VmRSS)")"
		fi
		echo "$tag steady $steady learned $learned gone $gone again $again" >&2
		rows="$rows| $how | $which | $(mb "$steady") | $(mb "$learned") (+$(mb $((learned - steady)))) | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') | $(mb "$gone") (+$(mb $((gone - steady)))) | $again |
"
		kill $pids 2>/dev/null || true
		wait $pids 2>/dev/null || true
		pids=""
	done
done

{
	echo "# Memory given back after a large table goes away (VPNv4, $n paths), $(date -u +%F)"
	echo
	echo "Command: \`OLD=$old NEW=$new N=$n WAIT=$wait_s RELEARN=$relearn bench/bgpmem/run.sh\` (as root)."
	echo "new: $newrev. ped pinned to CPU 1, bgpgen and pesh to CPU 0; $(nproc) CPUs, $(uname -r)."
	echo "VmRSS in MB: steady = session up, no route; learned = 2 s after pfxRcd reached N;"
	echo "gone = $wait_s s after pfxRcd fell to 0 (withdraw: bgpgen -W sent MP_UNREACH for every"
	echo "path; down: bgpgen killed, the session dropped); relearned = the same N paths again"
	echo "from a new session after that (down only). Differences are to the steady state."
	echo
	echo "| how | build | steady | learned | s to 0 paths | gone | relearned |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s' "$rows"
} >"$out"
echo "run.sh: wrote $out" >&2
