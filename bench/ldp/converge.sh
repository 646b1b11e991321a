#!/bin/bash
# l3vpn-basic convergence: the time from `petopo up` to a converged testbed
# (tests/topo/l3vpn_converged.py: BGP Established, LDP OPERATIONAL at both
# ends of both core links, the remote site's prefix installed with an LDP
# label for the remote PE's loopback in both VRFs of both PEs).
#
#   bench/ldp/converge.sh [output.md]
#
# Per pass: the predicate is started, then `petopo up` (timed); the predicate
# polls every 50 ms (one python process, one pesh per router and poll) until
# it holds (at most 90 s) and reports when; then `petopo down` (timed). Times from the start of
# `petopo up`. Reports the median, minimum and maximum over the passes.
# Needs root and a build (topologies/petopo, pe/ped, cli/pesh).
# Environment:
#   PASSES=5            passes
#   BUILD=.             the build directory (the one to measure)
#   SRC=<script>/../..  the source tree (topologies/, tests/topo/)
#   KEEP_SLOW_MS=N KEEP_DIR=D  keep the ped logs of passes slower than N ms in D
set -eu
PASSES=${PASSES:-5}
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=$(cd "${BUILD:-.}" && pwd)
OUT=${1:-}
PETOPO=$BUILD/topologies/petopo
PESH=$BUILD/cli/pesh
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
[ -x "$PETOPO" ] && [ -x "$PESH" ] || { echo "no build in $BUILD" >&2; exit 1; }
TMPD=$(mktemp -d /tmp/ldpconv.XXXXXX)
chmod 711 "$TMPD" # FRR daemons beside ped (l3vpn-basic's OSPF) run as user frr
export PETOPO_RUNDIR=$TMPD/run PE_RUNDIR=$TMPD/pe
NAME=lc$$
trap '"$PETOPO" down --all >/dev/null 2>&1; rm -rf "$TMPD"' EXIT

ms() { echo $(($(date +%s%N) / 1000000)); }
ups="" convs="" downs=""
for p in $(seq "$PASSES"); do
	# the poller starts first: python's start-up is not counted
	python3 "$SRC/tests/topo/l3vpn_converged.py" "$PESH" 90 >"$TMPD/conv.out" 2>&1 &
	cpid=$!
	t0=$(ms)
	"$PETOPO" up --name "$NAME" "$SRC/topologies/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 ||
		{ cat "$TMPD/up.out" >&2; kill "$cpid"; exit 1; }
	t1=$(ms)
	wait "$cpid" || { echo "pass $p: $(cat "$TMPD/conv.out")" >&2; exit 1; }
	conv=$(sed -n 's/^converged at //p' "$TMPD/conv.out")
	if [ $((conv - t0)) -gt "${KEEP_SLOW_MS:-999999}" ]; then # for a diagnosis
		mkdir -p "$KEEP_DIR/pass$p"
		cp "$PETOPO_RUNDIR/$NAME"/*/ped.log "$KEEP_DIR/pass$p/" 2>/dev/null || true
		for n in pe1 p1 pe2 ce2b; do
			cp "$PETOPO_RUNDIR/$NAME/$n/ped.log" "$KEEP_DIR/pass$p/$n.log" 2>/dev/null || true
		done
	fi
	t2=$(ms)
	"$PETOPO" down "$NAME" >/dev/null 2>&1
	t3=$(ms)
	echo "pass $p: up $((t1 - t0)) ms, converged $((conv - t0)) ms, down $((t3 - t2)) ms" >&2
	ups="$ups $((t1 - t0))" convs="$convs $((conv - t0))" downs="$downs $((t3 - t2))"
done

stats() { # median min max of the arguments
	printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2;
		printf "%d | %d | %d", m, v[1], v[NR]}'
}
# shellcheck disable=SC2086
report() {
	echo "| | median (ms) | min | max |"
	echo "|---|---|---|---|"
	echo "| petopo up returns | $(stats $ups) |"
	echo "| converged (from the start of up) | $(stats $convs) |"
	echo "| petopo down | $(stats $downs) |"
	echo
	echo "$PASSES passes; $(nproc) CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ -n "$OUT" ]; then report >"$OUT"; else report; fi
