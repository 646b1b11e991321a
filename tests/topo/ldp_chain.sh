#!/bin/bash
# LDP between ped routers only (l3vpn-basic: pe1 -- p1 -- pe2, `mpls ldp` on
# every core link, router id and transport address = the loopback).
# Checks: sessions pe1 <-> p1 and p1 <-> pe2 OPERATIONAL at both ends; for
# each loopback, the label a router holds from its neighbor is the label
# that neighbor allocated (both ways on both sessions), PEs advertise
# imp-null for their own loopback; pe1's in-use binding for pe2's loopback
# is p1's label, and p1's LFIB carries pe1 -> pe2 transit (in = that label,
# pop toward pe2: PHP) and back. Link down (ped `shutdown` on pe1's eth3:
# a plain `ip link set down` is undone by ped at once, the interface being
# configured) removes the session, the bindings learnt over it and the LFIB
# entries that used it, on pe1, p1 and, through p1's withdraw, pe2; link up
# (`no shutdown`) brings all of it back.
. "$(dirname "$0")/petopo_lib.sh"
pt_init c

PE1=10.255.0.1 P1=10.255.0.2 PE2=10.255.0.3

# bindings NODE: the rows of `show mpls ldp binding json`
bindings() { "$PESH" -N "$1" -c "show mpls ldp binding json"; }
# nbr_oper NODE LSR: LSR is OPERATIONAL at NODE
nbr_oper() {
	"$PESH" -N "$1" -c "show mpls ldp neighbor json" | $PY -c "import json,sys
sys.exit(0 if any(n['neighborId']=='$2' and n['state']=='OPERATIONAL'
                  for n in json.load(sys.stdin)['neighbors']) else 1)"
}
nbr_gone() { ! "$PESH" -N "$1" -c "show mpls ldp neighbor json" | grep -q "\"$2\""; }
# local_label NODE PREFIX: NODE's local label for PREFIX ("imp-null", "17", ...)
local_label() {
	bindings "$1" | $PY -c "import json,sys
r=[r['localLabel'] for r in json.load(sys.stdin)['bindings'] if r['prefix']=='$2']
print(r[0] if r else 'none')"
}
# remote_label NODE NBR PREFIX [inuse]: the label NODE holds from NBR for PREFIX
# (with inuse: only if it is the one in use)
remote_label() {
	bindings "$1" | $PY -c "import json,sys
r=[r['remoteLabel'] for r in json.load(sys.stdin)['bindings'] if r['prefix']=='$3'
   and r['neighborId']=='$2' and ('${4:-}'!='inuse' or r['inUse']==1)]
print(r[0] if r else 'none')"
}
# inuse_is NODE NBR PREFIX LABEL: NODE's in-use binding for PREFIX is NBR's LABEL
inuse_is() {
	local r
	r=$(remote_label "$1" "$2" "$3" inuse)
	echo "$1's in-use label from $2 for $3: '$r' (want '$4')"
	[ "$r" = "$4" ]
}
# label_match NODE NBRNODE PREFIX: NODE's label from NBRNODE = NBRNODE's local label
label_match() {
	local l r
	l=$(local_label "$2" "$3")
	r=$(remote_label "$1" "$(lsr "$2")" "$3")
	echo "$1 holds '$r' from $2 for $3, $2's local label is '$l'"
	[ "$l" != none ] && [ "$l" != - ] && [ "$l" = "$r" ]
}
lsr() { case "$1" in pe1) echo $PE1 ;; p1) echo $P1 ;; pe2) echo $PE2 ;; esac; }
# all_labels_match: every loopback, both directions of both sessions
all_labels_match() {
	local pfx
	for pfx in $PE1/32 $P1/32 $PE2/32; do
		label_match pe1 p1 $pfx && label_match p1 pe1 $pfx &&
			label_match p1 pe2 $pfx && label_match pe2 p1 $pfx || return 1
	done
}
# lfib_has NODE PREFIX INLABEL OUTLABEL NEXTHOP ACTION
lfib_has() {
	"$PESH" -N "$1" -c "show mpls table json" | $PY -c "import json,sys
t=json.load(sys.stdin)
e=t.get('$3')
ok=(e is not None and e['prefix']=='$2' and e['installed'] and e['inLabel']==int('$3') and
    any(n['type']=='LDP' and n['outLabel']==$4 and n['nexthop']=='$5' and n['action']=='$6'
        for n in e['nexthops']))
sys.exit(0 if ok else 1)" || { "$PESH" -N "$1" -c "show mpls table"; return 1; }
}
lfib_lacks() { ! "$PESH" -N "$1" -c "show mpls table json" | grep -q "\"prefix\":\"$2\""; }
lfib_empty() { ! "$PESH" -N "$1" -c "show mpls table json" | grep -q "\"type\":\"LDP\""; } # VPN labels stay
no_rows_from() { ! bindings "$1" | $PY -c "import json,sys
sys.exit(0 if any(r['neighborId']=='$2' for r in json.load(sys.stdin)['bindings']) else 1)"; }

# the chain is up and labelled: sessions, bindings, pe1's in-use label, p1's LFIB
chain_checks() { # chain_checks WHEN
	local w="$1" lp1 lpe1
	check "$w: pe1 has p1 OPERATIONAL" retry 200 nbr_oper pe1 $P1
	check "$w: p1 has pe1 OPERATIONAL" retry 200 nbr_oper p1 $PE1
	check "$w: p1 has pe2 OPERATIONAL" retry 200 nbr_oper p1 $PE2
	check "$w: pe2 has p1 OPERATIONAL" retry 200 nbr_oper pe2 $P1
	check "$w: each loopback's label matches on both sides of both sessions" \
		retry 120 all_labels_match
	lp1=$(local_label pe1 $PE1/32)
	check "$w: pe1's local label for its loopback is imp-null ($lp1)" test "$lp1" = imp-null
	lp1=$(local_label pe2 $PE2/32)
	check "$w: pe2's local label for its loopback is imp-null ($lp1)" test "$lp1" = imp-null
	lp1=$(local_label p1 $PE2/32)
	check "$w: p1's local label for pe2's loopback is a real label ($lp1)" \
		sh -c "[ '$lp1' -ge 16 ] 2>/dev/null"
	check "$w: pe1's in-use binding for $PE2/32 is p1's label ($lp1)" retry 40 \
		inuse_is pe1 $P1 $PE2/32 "$lp1"
	check "$w: pe1 LFIB swaps toward p1 for $PE2/32 (out $lp1)" retry 40 lfib_has pe1 $PE2/32 \
		"$(local_label pe1 $PE2/32)" "$lp1" 10.0.12.2 swap
	check "$w: p1 LFIB pe1 -> pe2 transit: in $lp1, pop (PHP) to 10.0.23.3" retry 40 \
		lfib_has p1 $PE2/32 "$lp1" 3 10.0.23.3 pop
	lpe1=$(local_label p1 $PE1/32)
	check "$w: p1 LFIB pe2 -> pe1 transit: in $lpe1, pop (PHP) to 10.0.12.1" retry 40 \
		lfib_has p1 $PE1/32 "$lpe1" 3 10.0.12.1 pop
	check "$w: pe2's in-use binding for $PE1/32 is p1's label ($lpe1)" retry 40 \
		inuse_is pe2 $P1 $PE1/32 "$lpe1"
}

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

chain_checks "start"

# link down: ped shuts pe1's eth3 (p1's eth1 loses its carrier); the link
# adjacencies expire (hello hold time 15 s) and the sessions close
"$PESH" -N pe1 -c "conf t" -c "interface eth3" -c "shutdown" >/dev/null
check "link down: pe1's eth3 is down in the kernel" retry 40 sh -c \
	"'$PETOPO' exec '$T:pe1' -- ip -br link show eth3 | grep -q DOWN"
check "link down: p1 loses pe1" retry 200 nbr_gone p1 $PE1
check "link down: pe1 loses p1" retry 200 nbr_gone pe1 $P1
check "link down: p1 <-> pe2 stays OPERATIONAL" nbr_oper p1 $PE2
check "link down: pe1 has no binding from p1" retry 40 no_rows_from pe1 $P1
check "link down: p1 has no binding from pe1" retry 40 no_rows_from p1 $PE1
check "link down: pe1's LFIB is empty (every entry went through p1)" retry 40 lfib_empty pe1
check "link down: p1's LFIB has no entry toward pe1's loopback" retry 40 lfib_lacks p1 $PE1/32
check "link down: p1 keeps pe1 -> pe2 transit for $PE2/32" lfib_has p1 $PE2/32 \
	"$(local_label p1 $PE2/32)" 3 10.0.23.3 pop
check "link down: pe2 lost its labelled path to pe1's loopback (p1 withdrew)" retry 40 \
	lfib_lacks pe2 $PE1/32

# link up: everything comes back
"$PESH" -N pe1 -c "conf t" -c "interface eth3" -c "no shutdown" >/dev/null
chain_checks "link up"

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
