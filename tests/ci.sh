#!/bin/bash
# The test command of README.md: installs dependencies, builds with -Werror
# (out of tree, in build/), runs `make check` (unit tests + namespace tests, as
# root), then the unit tests once more under AddressSanitizer +
# UndefinedBehaviorSanitizer (build-asan/), then `make distcheck` (unit tests
# only; the namespace tests already ran), then a short run of every fuzz
# target (tests/fuzz/run.sh, FUZZ_SECONDS each, default 60).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc)
bash tests/deps.sh
[ -f Makefile ] && make distclean >/dev/null 2>&1 || true
autoreconf -fi

showlogs() { for f in $(find "$1" -name '*.log' -path '*tests*'); do echo "== $f"; tail -60 "$f"; done; }

rm -rf build && mkdir build && cd build
../configure --enable-werror
make -j"$jobs"
make check || { showlogs .; exit 1; }
for f in tests/unit/*.log tests/topo/*.log topologies/*.log; do
	[ -f "$f" ] && printf '%-40s %s\n' "$f" "$(grep -E '^[0-9]+%: Checks|passed, [0-9]+ failed' "$f" | tail -1)"
done

unit=$(sed -n '/^UNIT_TESTS =/,/^$/p' "$top/tests/subdir.am" | grep -o 'tests/unit/test_[a-z_]*' | tr '\n' ' ')
cd "$top" && rm -rf build-asan && mkdir build-asan && cd build-asan
../configure --enable-werror --enable-sanitizers
make -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	make check TESTS="$unit" || { showlogs .; exit 1; }
echo "ASan/UBSan unit run:"
for f in tests/unit/*.log; do printf '%-40s %s\n' "$f" "$(grep -E '^[0-9]+%: Checks' "$f" | tail -1)"; done

cd "$top/build"
PE_SHARED_DIR="$top/../shared" make distcheck TESTS="$unit" DISTCHECK_CONFIGURE_FLAGS="--enable-werror"

# Fuzzing (docs/fuzzing.md): the libFuzzer targets built by `make fuzz`
# (clang, ASan+UBSan, in build/fuzz-build/), then FUZZ_SECONDS (default 60)
# of each target from the seed corpora; a crash, leak or hang fails CI and
# its input is left in build/fuzz-run/artifacts/.
make fuzz
[ -x fuzz-build/tests/fuzz/fuzz_bgp ] || { echo "make fuzz built no target (libFuzzer missing?)"; exit 1; }
rm -rf fuzz-run
BUILD_DIR="$top/build" bash "$top/tests/fuzz/run.sh" -t "${FUZZ_SECONDS:-60}" -o "$top/build/fuzz-run"
echo "all checks passed"
