#!/bin/sh
# LPM benchmark, method B of BENCHMARK-METHODS.md (see bench/README.md).
#
#   bench/lpm/run.sh [output.md]        IPv4: vrf/fib.c
#   bench/lpm/run.sh -6 [output.md]     IPv6: vrf/fib6.c beside vrf/fib.c
#
# Builds bench_lpm (bench_lpm6 with -6) from the sources (needs config.h from
# ./configure), runs it pinned to CPU 1, then (IPv4) dpdk-test-fib (Debian
# package dpdk) over the same route and key files, then callgrind instruction
# counts per lookup. Environment:
#   TABLE=path.gz     the table (default ../shared/data/full-table-prefixes.txt.gz)
#   RUNS=5            runs per measurement
#   KEYS=10000000     lookups per run
#   CPU=1             core to pin to
#   NO_DPDK=1, NO_CALLGRIND=1   skip those parts
#   DPDK_HUGEDIR=dir  run dpdk-test-fib on hugepages mounted there (default
#                     --no-huge, which needs no setup)
#   BUILD=dir         a configured build tree (out-of-tree builds) to take
#                     config.h from (default: the source tree)
set -eu

v6=
if [ "${1:-}" = -6 ]; then
	v6=1
	shift
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$top}" && pwd)
table=${TABLE:-$top/../shared/data/full-table-prefixes.txt.gz}
runs=${RUNS:-5}
keys=${KEYS:-10000000}
cpu=${CPU:-1}
out=${1:-/dev/stdout}
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_lpm.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

if [ ! -r "$table" ]; then
	echo "run.sh: cannot read $table" >&2
	exit 1
fi

# Same flags as the default autotools build (-g -O2), no -march.
cc=${CC:-cc}
[ -f "$build/config.h" ] || { echo "run.sh: run ./configure first (config.h)" >&2; exit 1; }
[ -n "$v6" ] || $cc -std=gnu11 -g -O2 -I"$top" -I"$build" -o "$work/bench_lpm" \
	"$top/bench/lpm/bench_lpm.c" "$top/bench/table.c" "$top/vrf/fib.c" "$top/lib/prefix.c" \
	"$top/lib/log.c" -lm

machine() {
	echo "## Machine"
	echo
	echo "- nproc: $(nproc)"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- kernel: $(uname -r)"
	echo "- compiler: $($cc --version | head -1), -O2 (POPCNT/BMI2 clones chosen at load time)"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
}

if [ -n "$v6" ]; then
	$cc -std=gnu11 -g -O2 -I"$top" -I"$build" -o "$work/bench_lpm6" \
		"$top/bench/lpm/bench_lpm6.c" "$top/bench/table.c" "$top/vrf/fib6.c" "$top/vrf/fib.c" \
		"$top/lib/prefix.c" "$top/lib/log.c" -lm
	cmd="taskset -c $cpu $work/bench_lpm6 -f $table -r $runs -n $keys"
	{
		machine
		echo "## bench_lpm6"
		echo
		echo "Command: \`$cmd\` (built by bench/lpm/run.sh -6)"
		echo
		[ -n "${NO_MAIN:-}" ] || $cmd
	} >"$out"
	if [ -z "${NO_CALLGRIND:-}" ]; then
		{
			echo
			echo "## Callgrind instructions per lookup (1,000,000 keys, fib6_lookup_bulk / fib_lookup_bulk / naive_lookup_bulk)"
			echo
		} >>"$out"
		if command -v valgrind >/dev/null 2>&1; then
			echo "| keys | IPv6 ours Ir/lookup | IPv4 ours Ir/lookup | IPv6 naive Ir/lookup |" >>"$out"
			echo "|---|---|---|---|" >>"$out"
			for kind in random table zipf; do
				line="| $kind |"
				for impl in ours6 ours4 naive6; do
					case $impl in
					ours6) fn='fib6_lookup_bulk*' ;;
					ours4) fn='fib_lookup_bulk*' ;;
					*) fn=naive_lookup_bulk ;;
					esac
					valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
						--toggle-collect="$fn" "$work/bench_lpm6" -f "$table" -n 1000000 \
						-c "$kind" -C "$impl" >/dev/null 2>"$work/cg.err"
					ir=$(sed -n 's/^summary: //p' "$work/cg.out" | awk '{print $1}')
					line="$line $(awk -v ir="$ir" 'BEGIN { printf "%.1f", ir / 1000000 }') |"
				done
				echo "$line" >>"$out"
			done
			echo >>"$out"
			echo "Command: \`valgrind --tool=callgrind --toggle-collect='fib6_lookup_bulk*' bench_lpm6 -f TABLE -n 1000000 -c KIND -C ours6\` (ours4: 'fib_lookup_bulk*', naive6: naive_lookup_bulk). Under valgrind the baseline or POPCNT clone runs, not the x86-64-v3 one." >>"$out"
		else
			echo "valgrind not installed; skipped." >>"$out"
		fi
	fi
	# the record names no path of this machine; the build directory is "build"
	sed -i -e "s|$top/\\.\\./shared/|../shared/|g" -e "s|$top/|./|g" -e "s|$work/|build/|g" \
		-e "s|$build/|build/|g" "$out"
	exit 0
fi

cmd="taskset -c $cpu $work/bench_lpm -f $table -r $runs -n $keys"
{
	echo "## Machine"
	echo
	echo "- nproc: $(nproc)"
	echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- kernel: $(uname -r)"
	echo "- compiler: $($cc --version | head -1), -O2 (POPCNT/BMI2 clones chosen at load time)"
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "## bench_lpm"
	echo
	echo "Command: \`$cmd\` (built by bench/lpm/run.sh)"
	echo
	[ -n "${NO_MAIN:-}" ] || $cmd
} >"$out"

if [ -z "${NO_DPDK:-}" ]; then
	{
		echo
		echo "## dpdk-test-fib (DIR-24-8), same route and key files"
		echo
	} >>"$out"
	if command -v dpdk-test-fib >/dev/null 2>&1; then
		"$work/bench_lpm" -f "$table" -n "$keys" -w "$work" >/dev/null
		# --file-prefix: the EAL runtime directory is ours, removed below
		prefix=bench_lpm$$
		if [ -n "${DPDK_HUGEDIR:-}" ]; then
			eal="--huge-dir $DPDK_HUGEDIR -m 1024 --file-prefix $prefix -l $cpu --no-pci --log-level=lib.eal:error"
		else
			eal="--no-huge -m 2048 --file-prefix $prefix -l $cpu --no-pci --log-level=lib.eal:error"
		fi
		{
			echo "Command: \`taskset -c $cpu dpdk-test-fib $eal -- -f routes-NH.txt -t keys-KIND.txt -b dir -v s1\`,"
			echo "alternating with \`taskset -c $cpu bench_lpm -f TABLE -n $keys -p KIND -N NH\` (ours on the same keys,"
			echo "timed the same way). Both report TSC cycles per lookup over bursts of 64 keys"
			echo "(rte_fib_lookup_bulk / fib_lookup_bulk), each burst timed with a serialised TSC read."
			echo "$runs alternating passes each; M lookups/s = TSC Hz / cycles."
			echo
			echo "| next hops | keys | DPDK dir24_8 cycles/lookup, median (range) | ours cycles/lookup, median (range) | DPDK/ours |"
			echo "|---|---|---|---|---|"
		} >>"$out"
		med() {
			tr ' ' '\n' | grep . | sort -g | awk '
				{ v[NR] = $1 }
				END {
					if (NR == 0) { printf "failed|0"; exit }
					m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
					printf "%.1f (%.1f - %.1f)|%.3f", m, v[1], v[NR], m
				}'
		}
		for nh in 16 1000; do
			for kind in random table zipf; do
				dv=""
				ov=""
				i=0
				while [ "$i" -lt "$runs" ]; do
					v=$(cd "$work" && taskset -c "$cpu" dpdk-test-fib $eal -- \
						-f "routes-$nh.txt" -t "keys-$kind.txt" -b dir -v s1 2>&1 |
						sed -n 's/^AVG FIB lookup //p')
					dv="$dv $v"
					v=$(taskset -c "$cpu" "$work/bench_lpm" -f "$table" -n "$keys" -p "$kind" -N "$nh" |
						sed -n 's/^AVG ours lookup //p')
					ov="$ov $v"
					i=$((i + 1))
				done
				rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$prefix"
				d=$(echo "$dv" | med)
				o=$(echo "$ov" | med)
				echo "| $nh | $kind | ${d%|*} | ${o%|*} | $(awk -v a="${d#*|}" -v b="${o#*|}" 'BEGIN { if (b > 0) printf "%.2fx", a / b }') |" >>"$out"
			done
		done
	else
		echo "dpdk-test-fib not installed (apt-get install dpdk); skipped." >>"$out"
	fi
fi

if [ -z "${NO_CALLGRIND:-}" ]; then
	{
		echo
		echo "## Callgrind instructions per lookup (1,000,000 keys, fib_lookup_bulk / naive_lookup_bulk)"
		echo
	} >>"$out"
	if command -v valgrind >/dev/null 2>&1; then
		echo "| keys | ours Ir/lookup | naive Ir/lookup |" >>"$out"
		echo "|---|---|---|" >>"$out"
		for kind in random table zipf; do
			line="| $kind |"
			for impl in ours naive; do
				fn=fib_lookup_bulk*
				[ "$impl" = naive ] && fn=naive_lookup_bulk
				valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
					--toggle-collect="$fn" "$work/bench_lpm" -f "$table" -n 1000000 \
					-c "$kind" -C "$impl" >/dev/null 2>"$work/cg.err"
				ir=$(sed -n 's/^summary: //p' "$work/cg.out" | awk '{print $1}')
				line="$line $(awk -v ir="$ir" 'BEGIN { printf "%.1f", ir / 1000000 }') |"
			done
			echo "$line" >>"$out"
		done
		echo >>"$out"
		echo "Command: \`valgrind --tool=callgrind --toggle-collect='fib_lookup_bulk*' bench_lpm -f TABLE -n 1000000 -c KIND -C ours\`" >>"$out"
	else
		echo "valgrind not installed; skipped." >>"$out"
	fi
fi

# the record names no path of this machine
sed -i -e "s|$top/\\.\\./shared/|../shared/|g" -e "s|$top/|./|g" -e "s|$work/|\\$BUILD/|g" "$out"
