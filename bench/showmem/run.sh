#!/bin/bash
# Memory of large shows: ped's RSS while it writes `show bgp ipv4 vpn json`
# (and the text form) of a large VPNv4 table, one build against another
# (e.g. main before streaming, and this tree), and whether both write the
# same bytes.
#
#   bench/showmem/run.sh [output.md]
#
# Two namespaces joined by a veth: gen (bench/bgp/bgpgen, CPU 0) -- dut (ped,
# CPU 1). For each size and each build: a fresh ped, bgpgen sends N VPNv4
# paths (the table's prefixes over RDs, as in bench/bgp), pfxRcd is polled
# until it is N, then, for each show: ped's peak RSS is reset (5 >
# /proc/PID/clear_refs), pesh runs the show with its output piped into
# sha256sum and wc -c (nothing kept), and VmHWM (peak during the show),
# VmRSS 2 s after it, and the wall time of the show are recorded against
# VmRSS before it (the steady state). The two builds' outputs must hash the
# same (the report says when they do not).
# With LDP="S M" the same for `show mpls ldp binding [json]` after S targeted
# LDP sessions (bench/ldp/ldpgen, addresses 10.97.0.10..) each sent the same M
# Label Mappings: S x M rows (no route for the FECs, as in bench/ldp).
# Needs root, ./configure and `make` in both builds (pe/ped, cli/pesh,
# mpbgp/libmpbgp.a, ldp/libldp.a, lib/libpe.a) and
# ../shared/data/full-table-prefixes.txt.gz.
# Environment:
#   OLD=dir    the build to compare against (e.g. a build of main)
#   NEW=dir    this tree's build (default: the source tree)
#   SIZES="200000 1000000"   path counts ("" for none)
#   SHOWS="show bgp ipv4 vpn json|show bgp ipv4 vpn"  the shows, |-separated
#   LDP="10 100000"          LDP sessions and FECs per session (default: none)
#   SAVE=dir                 also keep every output there (to diff them)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
sizes=${SIZES-200000 1000000}
ldp=${LDP:-}
IFS='|' read -r -a shows <<<"${SHOWS:-show bgp ipv4 vpn json|show bgp ipv4 vpn}"
new=$(cd "${NEW:-$top}" && pwd)
old=$(cd "${OLD:?OLD=build dir to compare against}" && pwd)
out=${1:-$top/bench/results/showmem-$(date -u +%F).md}
ns=shmb$$
gen=${ns}g
dut=${ns}d
genip=10.97.0.1
dutip=10.97.0.2
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_showmem.XXXXXX")
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
${CC:-cc} -std=gnu11 -g -O2 -I"$new" -I"$top" -o "$work/ldpgen" "$top/bench/ldp/ldpgen.c" \
	"$new/ldp/libldp.a" "$new/lib/libpe.a"

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

rows=""
declare -A hash
# measure N WHICH PED PESH SHOW...: one row per show
measure() {
	local n=$1 which=$2 ped=$3 pesh=$4 s base t0 t1 r h peak after savef
	shift 4
	for s in "$@"; do
		base=$(kb "$ped" VmRSS)
		echo 5 >"/proc/$ped/clear_refs"
		t0=$(date +%s.%N)
		savef=/dev/null
		[ -z "${SAVE:-}" ] || savef="$SAVE/$which-${n// /_}-${s// /_}.out"
		r=$(taskset -c 0 $pesh -c "$s" | tee >(sha256sum | cut -c1-16 >"$work/h") "$savef" | wc -c)
		t1=$(date +%s.%N)
		sleep 0.2
		h=$(cat "$work/h")
		peak=$(kb "$ped" VmHWM)
		sleep 2
		after=$(kb "$ped" VmRSS)
		hash["$n|$s|$which"]=$h
		rows="$rows| $n | \`$s\` | $which | $(mb "$base") | $(mb "$peak") (+$(mb $((peak - base)))) | $(mb "$after") (+$(mb $((after - base)))) | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') | $r | $h |
"
		echo "$n $s $which base $base peak $peak after $after bytes $r hash $h" >&2
	done
}

for n in $sizes; do
	for which in old new; do
		rm -rf "$work/run"
		mkdir -p "$work/run"
		PE_RUNDIR=$work/run ip netns exec "$dut" taskset -c 1 "$work/$which/ped" -N benchdut \
			-f "$work/ped.conf" -l "$work/ped-$which-$n.log" &
		ped=$!
		pids="$pids $ped"
		sock=$work/run/benchdut/ped.sock
		pesh="$work/$which/pesh -S $sock"
		ip netns exec "$gen" taskset -c 0 "$work/bgpgen" -b "$genip" -c "$dutip" -f "$table" -n "$n" \
			>"$work/gen-$which-$n.out" 2>"$work/gen-$which-$n.err" &
		genpid=$!
		pids="$pids $genpid"
		t=0
		while :; do
			c=$($pesh -c "show bgp ipv4 vpn summary json" 2>/dev/null |
				awk -F: '/"pfxRcd"/ { gsub(/[ ,]/, "", $2); s += $2 } END { print s + 0 }') || c=0
			[ "$c" -ge "$n" ] && break
			t=$((t + 1))
			[ "$t" -lt 1200 ] || { echo "run.sh: $which: $c of $n paths after 10 min" >&2; exit 1; }
			sleep 0.5
		done
		sleep 2
		measure "$n" "$which" "$ped" "$pesh" "${shows[@]}"
		kill "$genpid" "$ped" 2>/dev/null || true
		wait "$genpid" "$ped" 2>/dev/null || true
		pids=""
	done
done

ldpshows=("show mpls ldp binding json" "show mpls ldp binding")
if [ -n "$ldp" ]; then
	read -r ls lm <<<"$ldp"
	ln=$((ls * lm))
	for i in $(seq 1 "$ls"); do ip -n "$gen" addr add "10.97.0.$((9 + i))/24" dev "${ns}a"; done
	{
		echo "hostname benchdut"
		echo "mpls ldp"
		echo " router-id $dutip"
		echo " address-family ipv4"
		echo "  discovery transport-address $dutip"
		for i in $(seq 1 "$ls"); do echo "  neighbor 10.97.0.$((9 + i)) targeted"; done
		echo " exit-address-family"
		echo "exit"
		echo "end"
	} >"$work/ped-ldp.conf"
	chmod 644 "$work/ped-ldp.conf"
	for which in old new; do
		rm -rf "$work/run" "$work/go"
		mkdir -p "$work/run"
		PE_RUNDIR=$work/run ip netns exec "$dut" taskset -c 1 "$work/$which/ped" -N benchdut \
			-f "$work/ped-ldp.conf" -l "$work/ped-ldp-$which.log" &
		ped=$!
		pids="$ped"
		sleep 1
		for i in $(seq 1 "$ls"); do
			ip netns exec "$gen" taskset -c 0 "$work/ldpgen" -l "10.97.0.$((9 + i))" -d "$dutip" -r "$dutip" \
				-n "$lm" -w "$work/go" >"$work/ldpgen-$which-$i.out" 2>&1 &
			pids="$pids $!"
		done
		t=0
		until [ "$(cat "$work/ldpgen-$which"-*.out 2>/dev/null | grep -c '^established')" -ge "$ls" ]; do
			t=$((t + 1))
			[ "$t" -lt 600 ] || { echo "run.sh: $which: LDP sessions not up" >&2; exit 1; }
			sleep 0.1
		done
		touch "$work/go"
		t=0
		until [ "$(cat "$work/ldpgen-$which"-*.out 2>/dev/null | grep -c '^done')" -ge "$ls" ]; do
			t=$((t + 1))
			[ "$t" -lt 6000 ] || { echo "run.sh: $which: mappings not all processed" >&2; exit 1; }
			sleep 0.1
		done
		sleep 2
		measure "$ln bindings" "$which" "$ped" "$work/$which/pesh -S $work/run/benchdut/ped.sock" "${ldpshows[@]}"
		kill $pids 2>/dev/null || true
		wait $pids 2>/dev/null || true
		pids=""
	done
fi

same=""
for n in $sizes; do
	for s in "${shows[@]}"; do
		if [ "${hash["$n|$s|old"]}" = "${hash["$n|$s|new"]}" ]; then
			same="$same- $n paths, \`$s\`: same bytes (sha256 ${hash["$n|$s|new"]}...)
"
		else
			same="$same- $n paths, \`$s\`: **DIFFERENT** output (old ${hash["$n|$s|old"]}, new ${hash["$n|$s|new"]})
"
		fi
	done
done

if [ -n "$ldp" ]; then
	for s in "${ldpshows[@]}"; do
		if [ "${hash["$ln bindings|$s|old"]}" = "${hash["$ln bindings|$s|new"]}" ]; then
			same="$same- $ln bindings, \`$s\`: same bytes (sha256 ${hash["$ln bindings|$s|new"]}...)
"
		else
			same="$same- $ln bindings, \`$s\`: **DIFFERENT** output (old ${hash["$ln bindings|$s|old"]}, new ${hash["$ln bindings|$s|new"]})
"
		fi
	done
fi

{
	echo "# Memory of large shows: \`show bgp ipv4 vpn [json]\`, \`show mpls ldp binding [json]\`, $(date -u +%F)"
	echo
	echo "Command: \`OLD=$old NEW=$new SIZES=\"$sizes\" LDP=\"$ldp\" bench/showmem/run.sh\` (as root)."
	echo "old: $(git -C "$top" rev-parse --short main 2>/dev/null || echo '?') (main, whole answer built as one json-c tree);"
	echo "new: $newrev (streamed in steps)."
	echo "ped pinned to CPU 1, pesh and bgpgen to CPU 0; $(nproc) CPUs, $(uname -r)."
	echo "RSS in MB: steady state before the show, peak during it (VmHWM after clear_refs) and"
	echo "2 s after it, each with the difference to the steady state; time = wall time of pesh."
	echo
	echo "| table | show | build | RSS before | peak | after | time s | bytes | sha256 |"
	echo "|---|---|---|---|---|---|---|---|---|"
	printf '%s' "$rows"
	echo
	echo "Same output:"
	echo
	printf '%s' "$same"
} >"$out"
echo "run.sh: wrote $out" >&2
