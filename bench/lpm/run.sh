#!/bin/sh
# LPM benchmark, method B of BENCHMARK-METHODS.md (see bench/README.md).
#
#   bench/lpm/run.sh [output.md]
#
# Builds bench_lpm from the sources (no configure needed), runs it pinned to
# CPU 1, then dpdk-test-fib (Debian package dpdk) over the same route and key
# files, then callgrind instruction counts per lookup. Environment:
#   TABLE=path.gz     the table (default ../shared/data/full-table-prefixes.txt.gz)
#   RUNS=5            runs per measurement
#   KEYS=10000000     lookups per run
#   CPU=1             core to pin to
#   NO_DPDK=1, NO_CALLGRIND=1   skip those parts
#   DPDK_HUGEDIR=dir  run dpdk-test-fib on hugepages mounted there (default
#                     --no-huge, which needs no setup)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
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
[ -f "$top/config.h" ] || { echo "run.sh: run ./configure first (config.h)" >&2; exit 1; }
$cc -std=gnu11 -g -O2 -I"$top" -o "$work/bench_lpm" \
	"$top/bench/lpm/bench_lpm.c" "$top/bench/table.c" "$top/vrf/fib.c" "$top/lib/prefix.c" \
	"$top/lib/log.c" -lm

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
