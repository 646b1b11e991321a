#!/bin/bash
# What a restarted ped does with pinned state that is not its own
# (tests/data/topo/dualstack.yml, ped node pe6 made an LSR: XDP on eth1). The running
# ped has `no dataplane keep-on-exit`, so what is planted under
# /sys/fs/bpf/pe/NETNS before `petopo restart` is what the next ped finds:
# - a meta map of another size (another version's format),
# - a meta of the right size but another format (magic, version),
# - a valid meta of another node,
# - saved labels without meta (a save that did not finish),
# - a meta claiming links and labels with a labels map of the wrong size.
# Each time: ped starts, logs that it discards the state and why, removes
# the directory, starts clean (restart state cold-start, eth1 on XDP again
# with no adopted link) and keeps answering. Then a real hitless restart
# (keep-on-exit back on) adopts its own state.
. "$(dirname "$0")/petopo_lib.sh"
pt_init p
trap 'pt_cleanup; rm -rf /sys/fs/bpf/pe/"$T"-* 2>/dev/null' EXIT
if ! command -v bpftool >/dev/null; then
	echo "SKIP: no bpftool"
	exit 77
fi

# pe6 as an LSR (LDP on eth1, no neighbor), so that eth1 is a dataplane port
cp -r "$top_srcdir/tests/data/topo/dualstack" "$top_srcdir/tests/data/topo/dualstack.yml" "$TMPD/"
printf 'mpls ldp\n router-id 10.61.3.2\n address-family ipv4\n  interface eth1\n  exit\n exit-address-family\nexit\n' >>"$TMPD/dualstack/pe6.conf"
"$PETOPO" up --name "$T" "$TMPD/dualstack.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
if [ "$(stat -f -c %t /sys/fs/bpf 2>/dev/null)" != cafe4a11 ]; then
	echo "SKIP: no bpffs at /sys/fs/bpf"
	exit 77
fi
DIR="/sys/fs/bpf/pe/$T-pe6"
LOG=$(find "$PETOPO_RUNDIR" -path '*pe6*' -name ped.log | head -1)
check "pe6: eth1 on XDP" wait_json pe6 "show dataplane json" '{"ports":{"eth1":{"backend":"xdp"}}}' 40
"$PESH" -N pe6 -c "conf t" -c "no dataplane keep-on-exit" -c "end" -c "write memory" >/dev/null

# hexadecimal bytes of a struct meta (pe/hitless.c): magic, version,
# nlinks, nlabels, bgp, ldp, pad, saved_at, id[64]
meta_hex() { # meta_hex MAGIC VERSION NLINKS NLABELS ID
	$PY -c '
import struct,sys
m, v, nl, nb, i = sys.argv[1].encode(), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].encode()
b = struct.pack("<8sIIIII4xQ64s", m, v, nl, nb, 0, 0, 0, i)
assert len(b) == 104
print(" ".join("%02x" % c for c in b))' "$@"
}
plant_meta() { # plant_meta VALUE-SIZE [HEX]
	mkdir -p "$DIR"
	bpftool map create "$DIR/meta" type array key 4 value "$1" entries 1 name meta || return 1
	[ -z "${2:-}" ] || bpftool map update pinned "$DIR/meta" key 0 0 0 0 value hex $2
}
n_discard=0
restart_discards() { # restart_discards WHY-PATTERN
	local before after
	before=$(grep -c "discarding the pinned forwarding state" "$LOG")
	"$PETOPO" restart "$T:pe6" >"$TMPD/restart.out" 2>&1 || { cat "$TMPD/restart.out"; return 1; }
	wait_json pe6 "show dataplane json" '{"restart":{"state":"cold-start"},"ports":{"eth1":{"backend":"xdp"}}}' 40 || return 1
	"$PESH" -N pe6 -c "show dataplane json" | $PY -c '
import json,sys
sys.exit(1 if json.load(sys.stdin)["ports"]["eth1"].get("adopted") else 0)' || { echo "eth1 adopted"; return 1; }
	after=$(grep -c "discarding the pinned forwarding state" "$LOG")
	[ "$after" -eq $((before + 1)) ] || { echo "no discard logged"; tail -5 "$LOG"; return 1; }
	grep "discarding the pinned forwarding state" "$LOG" | tail -1 | grep -q "$1" || { grep discarding "$LOG" | tail -1; return 1; }
	[ ! -e "$DIR" ] || { echo "$DIR left behind"; ls -la "$DIR"; return 1; }
}

plant_meta 8 && check "meta of another size: discarded" restart_discards "not this version's map"
plant_meta 104 "$(meta_hex XXXX 1 1 0 "$T-pe6")" &&
	check "meta of another format: discarded" restart_discards "format XXXX version 1"
plant_meta 104 "$(meta_hex PEKEEP 7 1 0 "$T-pe6")" &&
	check "meta of another version: discarded" restart_discards "version 7"
plant_meta 104 "$(meta_hex PEKEEP 1 1 0 other-pe9)" &&
	check "another node's state: discarded" restart_discards "node other-pe9"
mkdir -p "$DIR" && bpftool map create "$DIR/labels" type array key 4 value 136 entries 1 name labels &&
	check "labels without meta (unfinished save): discarded" restart_discards "meta: No such file"
plant_meta 104 "$(meta_hex PEKEEP 1 1 5 "$T-pe6")" &&
	bpftool map create "$DIR/labels" type array key 4 value 16 entries 5 name labels &&
	check "labels map of the wrong size: discarded" restart_discards "labels is not this version's map"
check "pe6 still answers" "$PESH" -N pe6 -c "show version"

# its own state, kept this time, is adopted
"$PESH" -N pe6 -c "conf t" -c "dataplane keep-on-exit" -c "end" -c "write memory" >/dev/null
own() {
	"$PETOPO" restart "$T:pe6" >"$TMPD/restart.out" 2>&1 || return 1
	wait_json pe6 "show dataplane json" '{"restart":{"state":"complete","portsSwitched":1}}' 200
}
check "its own pinned state: adopted, eth1 switched" own
pins_gone() { [ ! -e "$DIR" ]; }
check "after the switch nothing stays pinned" pins_gone
pt_done
