#!/bin/bash
# A long fuzzing run, recorded: runs the libFuzzer targets of tests/fuzz/ one
# process at a time (nice -n 10), each for the seconds given, in slices of at
# most SLICE seconds taken in turn, keeping each target's corpus in WORK
# between slices; after every slice it rewrites the results file with the
# executions, coverage (libFuzzer's cov: and ft: of the last status line),
# corpus size and exec/s per target, and the totals.
#   tests/fuzz/run-long.sh [-o WORK] [-r RESULTS] [-s SLICE] TARGET=SECONDS...
#   e.g. tests/fuzz/run-long.sh -o /var/tmp/pe-fuzz bgp=1500 ldp=1200 config=300 ctl=300 topo=300
# BUILD_DIR as for run.sh (default build/); WORK default /var/tmp/pe-fuzz;
# RESULTS default bench/results/fuzz-DATE.md; SLICE default 600.
# A crash stops that target (its input is in WORK/artifacts/TARGET/) and is
# listed in the results; the exit status is 1 if any target crashed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=/var/tmp/pe-fuzz
results=$top/bench/results/fuzz-$(date -u +%F).md
slice=600
cmdline="tests/fuzz/run-long.sh $*"
while getopts o:r:s: opt; do
	case $opt in
	o) work=$OPTARG ;;
	r) results=$OPTARG ;;
	s) slice=$OPTARG ;;
	*) sed -n '2,15p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '2,15p' "$0"; exit 2; }
build=${BUILD_DIR:-$top/build}
bindir=$build/fuzz-build/tests/fuzz
[ -x "$bindir/fuzz_bgp" ] || bindir=$build/tests/fuzz
mkdir -p "$work"
python3 "$here/seeds.py" "$work/corpus" >/dev/null || exit 1 # adds to a kept corpus

declare -A left done_s execs cov ft corp crash
order=()
for a in "$@"; do
	t=${a%%=*}
	[ -x "$bindir/fuzz_$t" ] || { echo "fuzz_$t: not built in $bindir: run make fuzz" >&2; exit 1; }
	left[$t]=${a#*=}
	done_s[$t]=0 execs[$t]=0 cov[$t]=- ft[$t]=- corp[$t]=- crash[$t]=
	order+=("$t")
done
start=$(date -u '+%Y-%m-%d %H:%M UTC')

dict() {
	[ -f "$work/corpus/$1.dict" ] && echo "-dict=$work/corpus/$1.dict"
}

maxlen() {
	case $1 in config | ctl) echo 16384 ;; *) echo 8192 ;; esac
}

write_results() {
	local t total=0 secs=0 crashes=0
	{
		echo "# Fuzzing: long run ($start)"
		echo
		echo "Command (from the source tree, after \`make fuzz\` in build/):"
		echo
		echo "    $cmdline"
		echo
		echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
		echo "shared with other jobs; one fuzzing process at a time, nice -n 10."
		echo "libFuzzer of clang $(clang -dumpversion 2>/dev/null), targets built with -fsanitize=fuzzer,address,undefined,"
		echo "ASan leak detection on, UBSan fatal. Seeds: tests/fuzz/seeds.py."
		echo
		echo "| target | seconds | executions | exec/s | cov | ft | corpus | result |"
		echo "|---|---:|---:|---:|---:|---:|---:|---|"
		for t in "${order[@]}"; do
			local eps=-
			[ "${done_s[$t]}" -gt 0 ] && eps=$((execs[$t] / done_s[$t]))
			echo "| fuzz_$t | ${done_s[$t]} | ${execs[$t]} | $eps | ${cov[$t]} | ${ft[$t]} | ${corp[$t]} | ${crash[$t]:-no crash} |"
			total=$((total + execs[$t]))
			secs=$((secs + done_s[$t]))
			[ -n "${crash[$t]}" ] && crashes=$((crashes + 1))
		done
		echo
		echo "Total: $total executions in $secs s, $crashes target(s) with a crash."
		echo "(updated $(date -u '+%Y-%m-%d %H:%M UTC'))"
	} >"$results.tmp" && mv "$results.tmp" "$results"
}

while :; do
	ran=0
	for t in "${order[@]}"; do
		[ "${left[$t]}" -gt 0 ] && [ -z "${crash[$t]}" ] || continue
		s=$((left[$t] < slice ? left[$t] : slice))
		mkdir -p "$work/artifacts/$t"
		log=$work/$t.$(date -u +%H%M%S).log
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			nice -n 10 "$bindir/fuzz_$t" -max_total_time="$s" -max_len="$(maxlen "$t")" \
			-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 $(dict "$t") \
			-artifact_prefix="$work/artifacts/$t/" "$work/corpus/$t" >"$log" 2>&1
		rc=$?
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		last=$(grep -E '^#[0-9]+' "$log" | tail -1)
		[ -z "$n" ] && n=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
		execs[$t]=$((execs[$t] + ${n:-0}))
		done_s[$t]=$((done_s[$t] + s))
		left[$t]=$((left[$t] - s))
		c=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*') && cov[$t]=$c
		c=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*') && ft[$t]=$c
		corp[$t]=$(ls "$work/corpus/$t" | wc -l)
		if [ "$rc" -ne 0 ]; then
			crash[$t]="CRASH (exit $rc): $(grep -m1 -E 'ERROR:|runtime error|fuzz_[a-z]+:' "$log" | cut -c1-120); log $log"
		fi
		write_results
		echo "$(date -u +%T) fuzz_$t ${s}s: ${n:-?} execs, cov ${cov[$t]}, exit $rc" >&2
		ran=1
	done
	[ "$ran" -eq 1 ] || break
done
write_results
for t in "${order[@]}"; do [ -z "${crash[$t]}" ] || exit 1; done
exit 0
