#!/bin/bash
# Runs the libFuzzer targets of tests/fuzz/ for a while each, one after the
# other, from seed corpora made by seeds.py, and fails on the first crash.
#   tests/fuzz/run.sh [-t SECONDS] [-o DIR] [TARGET...]
# BUILD_DIR: where `make fuzz` was run (default: build/ of the source tree;
# the targets are in BUILD_DIR/fuzz-build/tests/fuzz/ or, in a tree
# configured with --enable-fuzzing, BUILD_DIR/tests/fuzz/).
# -t: seconds per target (default 60). -o: work directory (default a new
# temporary one) holding corpus/<target>/ (grows as the fuzzer finds new
# coverage), artifacts/<target>/ (crashing inputs) and <target>.log.
# Prints one line per target: executions, coverage (libFuzzer's cov: and
# ft:), corpus size, exec/s. Exit status 1 if a target crashed, leaked, ran
# out of memory or time, or could not run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=60
work=
while getopts t:o: opt; do
	case $opt in
	t) secs=$OPTARG ;;
	o) work=$OPTARG ;;
	*) sed -n '2,15p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=${*:-bgp ldp config ctl topo bfd}
build=${BUILD_DIR:-$top/build}
bindir=$build/fuzz-build/tests/fuzz
[ -x "$bindir/fuzz_bgp" ] || bindir=$build/tests/fuzz
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/pe-fuzz.XXXXXX")
mkdir -p "$work"
python3 "$here/seeds.py" "$work/corpus" >/dev/null || exit 1

# Per target: input size limit (an UPDATE is at most 4096 bytes, a config
# line 4096 characters) and RSS limit.
maxlen() {
	case $1 in
	bgp) echo 8192 ;; ldp) echo 8192 ;; bfd) echo 4096 ;; config) echo 16384 ;; ctl) echo 16384 ;; topo) echo 8192 ;;
	esac
}

# the keywords of ped's commands (seeds.py) for the two command-line targets
dict() {
	[ -f "$work/corpus/$1.dict" ] && echo "-dict=$work/corpus/$1.dict"
}

fail=0
for t in $targets; do
	bin=$bindir/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "fuzz_$t: not built ($bin): run make fuzz" >&2
		fail=1
		continue
	fi
	mkdir -p "$work/artifacts/$t"
	log=$work/$t.log
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -max_total_time="$secs" -max_len="$(maxlen "$t")" -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" \
		$(dict "$t") "$work/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
	ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
	corp=$(echo "$last" | grep -o 'corp: [0-9]*' | grep -o '[0-9]*')
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	printf 'fuzz_%-7s %4ss  execs %-10s cov %-6s ft %-6s corpus %-6s exec/s %s\n' "$t" "$secs" \
		"${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${eps:-?}"
	if [ "$rc" -ne 0 ]; then
		echo "fuzz_$t: FAILED (exit $rc), log $log, inputs in $work/artifacts/$t/:" >&2
		grep -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]+:|Test unit written' "$log" | head -20 >&2
		fail=1
	fi
done
exit $fail
