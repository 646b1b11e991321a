#!/bin/bash
# The test command of README.md: installs dependencies, builds with -Werror,
# runs `make check` (unit tests + namespace tests, as root), then the unit
# tests once more under AddressSanitizer + UndefinedBehaviorSanitizer, then
# `make distcheck` (unit tests only, the namespace tests already ran).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
bash tests/deps.sh
autoreconf -fi
./configure --enable-werror
make -j"$(nproc)"
make check || { cat tests/unit/*.log tests/topo/*.log 2>/dev/null | tail -200; exit 1; }
for f in tests/unit/*.log tests/topo/*.log; do
	tail -n 1 "$f"
done

unit=$(sed -n 's/^UNIT_TESTS = //p; /^UNIT_TESTS =/,/^$/p' tests/subdir.am | grep -o 'tests/unit/test_[a-z_]*' | sort -u | tr '\n' ' ')
rm -rf "$top/build-asan" && mkdir "$top/build-asan" && cd "$top/build-asan"
"$top/configure" --enable-werror --enable-sanitizers CC="${CC:-gcc}"
make -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	make check TESTS="$unit" || { cat tests/unit/*.log | tail -200; exit 1; }
echo "ASan/UBSan unit run:"
for f in tests/unit/*.log; do tail -n 1 "$f"; done
cd "$top"
make distcheck TESTS="$unit" PE_SHARED_DIR="$top/../shared"
echo "all checks passed"
