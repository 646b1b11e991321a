#!/bin/bash
# What the per-port XDP stub costs a frame (pe/fwd/bpf/fwd_xdp.bpf.c,
# fwd_xdp_port: it writes its port into a per-CPU slot and tail-calls
# fwd_xdp). On l3vpn-basic, pe1's core port carries the stub; the program it
# enters is found by the maps they share. Each round runs the stub, then the
# program directly (the slot then still holds the stub's port, so both take
# the same path), BPF_PROG_TEST_RUN through `bpftool prog run ... repeat N`
# on CPU 1, for two frames the program does not change (so that every
# repetition is the same): an ARP request (handed to the kernel) and an MPLS
# frame with an unknown label (dropped). The difference of the averages is
# the stub's cost.
#
#   bench/fwd/stubcost.sh [output.md]
#
# Needs root, a build (BUILD=dir, default .) and bpftool. Environment:
#   ROUNDS=5 REPEAT=2000000
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${BUILD:-.}" && pwd)
rounds=${ROUNDS:-5}
repeat=${REPEAT:-2000000}
out=${1:-/dev/stdout}
name=sc$$
work=$(mktemp -d "${TMPDIR:-/tmp}/bench_stubcost.XXXXXX")
chmod 755 "$work" # FRR daemons run as user frr
export PETOPO_RUNDIR=$work/run PE_RUNDIR=$work/pe

cleanup() {
	set +e
	"$BUILD/topologies/petopo" down --all >/dev/null 2>&1
	for ns in $(ip netns list | awk '{print $1}' | grep "^$name-"); do ip netns del "$ns"; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

command -v bpftool >/dev/null || { echo "stubcost.sh: bpftool missing" >&2; exit 1; }
"$BUILD/topologies/petopo" up --name "$name" "$top/topologies/l3vpn-basic.yml" >"$work/up.log" 2>&1 ||
	{ cat "$work/up.log" >&2; exit 1; }

# pe1's core port (eth3: toward p1) and its stub
stub=
for _ in $(seq 50); do
	stub=$(ip -n "$name-pe1" -j link show eth3 |
		python3 -c 'import json,sys; l=json.load(sys.stdin)[0]; print(l.get("xdp",{}).get("prog",{}).get("id",""))')
	[ -n "$stub" ] && break
	sleep 0.2
done
[ -n "$stub" ] || { echo "stubcost.sh: no XDP program on pe1 eth3" >&2; exit 1; }
main=$(bpftool -j prog show | python3 -c '
import json, sys
progs = json.load(sys.stdin)
stub = [p for p in progs if p["id"] == int(sys.argv[1])][0]
shared = set(stub.get("map_ids", []))
print([p["id"] for p in progs if p["name"] == "fwd_xdp" and shared & set(p.get("map_ids", []))][0])' "$stub")

python3 - "$work" <<'PY'
import struct, sys
w = sys.argv[1]
src = bytes.fromhex("020000000001")
arp = b"\xff" * 6 + src + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + src \
    + bytes([10, 0, 12, 2]) + bytes(6) + bytes([10, 0, 12, 1])
ip = bytes([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 1, 1, 2, 192, 168, 2, 1]) + bytes(8)
mpls = bytes.fromhex("020000000002") + src + b"\x88\x47" + struct.pack("!I", 999999 << 12 | 1 << 8 | 64) + ip
for n, f in (("arp", arp), ("mpls", mpls)):
    open(w + "/" + n + ".bin", "wb").write(f + bytes(max(0, 60 - len(f))))
PY

run() { # run PROG FRAME: average ns of one BPF_PROG_TEST_RUN
	taskset -c 1 bpftool prog run id "$1" data_in "$work/$2.bin" repeat "$repeat" 2>&1 |
		sed -n 's/.*duration (average): \([0-9]*\)ns.*/\1/p'
}

{
	echo "# The per-port XDP stub's cost, $(date -u +%F)"
	echo
	echo "Command: \`ROUNDS=$rounds REPEAT=$repeat bench/fwd/stubcost.sh\` (as root). $(nproc) CPUs, $(uname -r)."
	echo "ns = BPF_PROG_TEST_RUN's average over $repeat runs, on CPU 1; stub = pe1's core port"
	echo "entry (fwd_xdp_port, then fwd_xdp by tail call), program = fwd_xdp run directly."
	echo
	echo "| frame | round | stub (ns) | program (ns) | stub's cost (ns) |"
	echo "|---|---|---|---|---|"
	for f in arp mpls; do
		for r in $(seq "$rounds"); do
			s=$(run "$stub" "$f")
			m=$(run "$main" "$f")
			echo "| $f | $r | $s | $m | $((s - m)) |"
		done
	done
} >"$out"
