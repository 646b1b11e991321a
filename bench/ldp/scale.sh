#!/bin/bash
# LDP scale: one P hub (p1) and NPE PE routers, all ped, PER links from each
# PE to p1 (tests/topo/ldp_hub_gen.py writes the petopo testbed: static core
# routes, LDP on every link, router id = transport address = loopback).
#
#   bench/ldp/scale.sh [output.md]
#
# Per pass: `petopo up` (timed); then convergence: p1 has NPE sessions
# OPERATIONAL and every PE's in-use LDP binding for every other PE's
# loopback is p1's label for it (NPE x (NPE-1) labelled paths; each PE is
# checked until it holds, then no more); then IDLE seconds of rest and the
# VmRSS of every ped (/proc/PID/status); then `petopo down` (timed). Times
# from the start of `petopo up`, milliseconds; convergence is seen by
# polling (pesh per PE), so it is an upper bound by up to one poll round.
# Needs root and a build (topologies/petopo, pe/ped, cli/pesh).
# Environment:
#   NPE=64 PER=1 EXTRA=0   PEs, links per PE, extra p1 addresses
#   PASSES=3               passes
#   IDLE=5                 seconds after convergence before the memory read
#   BACKEND=               `dataplane backend BACKEND` in every router's config
#                          (packet: no XDP program per port at start-up)
#   BUILD=.                the build directory
#   SRC=<script>/../..     the source tree
set -eu
NPE=${NPE:-64} PER=${PER:-1} EXTRA=${EXTRA:-0} PASSES=${PASSES:-3} IDLE=${IDLE:-5}
BACKEND=${BACKEND:-}
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=$(cd "${BUILD:-.}" && pwd)
OUT=${1:-}
PETOPO=$BUILD/topologies/petopo
PESH=$BUILD/cli/pesh
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
[ -x "$PETOPO" ] && [ -x "$PESH" ] || { echo "no build in $BUILD" >&2; exit 1; }
TMPD=$(mktemp -d /tmp/ldpscale.XXXXXX)
chmod 711 "$TMPD" # FRR daemons beside ped run as user frr
export PETOPO_RUNDIR=$TMPD/run PE_RUNDIR=$TMPD/pe
NAME=ls$$
trap '"$PETOPO" down --all >/dev/null 2>&1; rm -rf "$TMPD"' EXIT
python3 "$SRC/tests/topo/ldp_hub_gen.py" "$TMPD" "$NPE" "$PER" "$EXTRA" "$NAME"
if [ -n "$BACKEND" ]; then
	for f in "$TMPD"/hub/*.conf; do sed -i "1i dataplane backend $BACKEND" "$f"; done
fi

ms() { echo $(($(date +%s%N) / 1000000)); }

# waits for convergence (at most 300 s); prints nothing, returns 1 on timeout
wait_converged() {
	python3 - "$PESH" "$NPE" <<'EOF'
import json, subprocess, sys, time
pesh, npe = sys.argv[1], int(sys.argv[2])
def show(node, cmd):
    try:
        return json.loads(subprocess.run([pesh, "-N", node, "-c", cmd], capture_output=True,
                                         text=True, timeout=20).stdout)
    except (ValueError, subprocess.SubprocessError):
        return {}
def lo(k):
    return "10.255.%d.%d/32" % (1 + (k - 1) // 250, (k - 1) % 250 + 1)
todo = set(range(1, npe + 1))
p1 = {}
deadline = time.time() + 300
while time.time() < deadline:
    n = show("p1", "show mpls ldp neighbor json").get("neighbors", [])
    if sum(1 for x in n if x.get("state") == "OPERATIONAL") == npe:
        p1 = {r["prefix"]: r["localLabel"]
              for r in show("p1", "show mpls ldp binding json").get("bindings", [])}
        for k in sorted(todo):
            rows = show("pe%d" % k, "show mpls ldp binding json").get("bindings", [])
            got = {r["prefix"]: r["remoteLabel"] for r in rows
                   if r.get("neighborId") == "10.255.0.1" and r.get("inUse") == 1}
            if all(got.get(lo(m)) == p1.get(lo(m)) and str(got.get(lo(m))).isdigit()
                   for m in range(1, npe + 1) if m != k):
                todo.discard(k)
        if not todo:
            sys.exit(0)
    time.sleep(0.2)
print("not converged: PEs", sorted(todo)[:10], file=sys.stderr)
sys.exit(1)
EOF
}

# VmRSS (kB) of every ped of the topology: "node kB" lines
rss_all() {
	python3 - "$PETOPO_RUNDIR/$NAME/state.json" <<'EOF'
import json, sys
for d in json.load(open(sys.argv[1])).get("daemons", []):
    try:
        for l in open("/proc/%d/status" % d["pid"]):
            if l.startswith("VmRSS:"):
                print(d.get("node", "?"), l.split()[1])
    except OSError:
        pass
EOF
}

ups="" convs="" downs="" prss="" pemed="" pemax=""
for p in $(seq "$PASSES"); do
	t0=$(ms)
	"$PETOPO" up --name "$NAME" "$TMPD/hub.yml" >"$TMPD/up.out" 2>&1 ||
		{ tail -20 "$TMPD/up.out" >&2; exit 1; }
	t1=$(ms)
	wait_converged || exit 1
	conv=$(ms)
	sleep "$IDLE"
	rss_all >"$TMPD/rss"
	t2=$(ms)
	"$PETOPO" down "$NAME" >/dev/null 2>&1
	t3=$(ms)
	pr=$(awk '$1=="p1" {print $2}' "$TMPD/rss")
	read -r med mx < <(awk '$1!="p1" {print $2}' "$TMPD/rss" | sort -n |
		awk '{v[NR]=$1} END {print v[int((NR+1)/2)], v[NR]}')
	echo "pass $p: up $((t1 - t0)) ms, converged $((conv - t0)) ms, down $((t3 - t2)) ms," \
		"p1 VmRSS $pr kB, PE VmRSS median $med kB max $mx kB" \
		"($(($(wc -l <"$TMPD/rss") - 1)) PEs)" >&2
	ups="$ups $((t1 - t0))" convs="$convs $((conv - t0))" downs="$downs $((t3 - t2))"
	prss="$prss $pr" pemed="$pemed $med" pemax="$pemax $mx"
done

stats() {
	printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2;
		printf "%d | %d | %d", m, v[1], v[NR]}'
}
# shellcheck disable=SC2086
report() {
	echo "| $NPE PEs x $PER links, p1 hub, dataplane ${BACKEND:-xdp} | median | min | max |"
	echo "|---|---|---|---|"
	echo "| petopo up returns (ms) | $(stats $ups) |"
	echo "| converged, from the start of up (ms) | $(stats $convs) |"
	echo "| petopo down (ms) | $(stats $downs) |"
	echo "| p1 VmRSS (kB) | $(stats $prss) |"
	echo "| PE VmRSS, median over the PEs (kB) | $(stats $pemed) |"
	echo "| PE VmRSS, largest PE (kB) | $(stats $pemax) |"
	echo
	echo "$PASSES passes; $(nproc) CPUs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ -n "$OUT" ]; then report >"$OUT"; else report; fi
