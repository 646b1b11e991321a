#!/bin/bash
# Routing policy across an FRR 8.4 route reflector (interop-frr): route-maps
# on ped PEs and on FRR, configured at run time, give the same result as
# FRR PEs would.
# - pe1 (ped), outbound to rr1: a route-map (FRR syntax) sets community
#   65000:111 additive on the prefixes of a prefix-list and denies the PE-CE
#   link 10.1.1.0/24: FRR sees exactly those routes with the community, the
#   link withdrawn, the others unchanged; a prefix-list entry added later
#   marks one more route; removing the route-map restores everything.
# - rr1 (FRR), inbound from pe1: route-map MARK (community 65000:111 ->
#   local-preference 250); pe2 (ped), inbound from rr1: the same route-map
#   text with local-preference 300. Differential: the (RD, prefix) set FRR
#   gave 250 equals the set ped gave 300, computed from both JSON outputs,
#   whenever the marked set changes (appearance and disappearance).
# - pe2 also denies rr1's own 10.77.0.0/24 by prefix-list (gone from its VPN
#   table and VRF CUST-A; removing the entry brings it back within seconds,
#   no session reset) and matches extcommunity RT 65000:2 -> metric 5
#   (customer B's routes only).
# - `neighbor X prefix-list NAME in` naming a list not defined yet, the same
#   steps on rr1 and pe2: both accept nothing, then only what the list
#   permits, then everything again.
# - one route-map W (community lists standard/exact-match and expanded,
#   extcommunity, as-path, on-match goto, deny entries) on rr1 and on pe2,
#   setting only the local weight: the same (RD, prefix) -> weight on both.
# No session is reset by any of it.
. "$(dirname "$0")/petopo_lib.sh"
pt_init q
if [ ! -x /usr/lib/frr/bgpd ]; then
	echo "SKIP: FRR is not installed"
	exit 77
fi

# shellcheck disable=SC2034 # read by wait_json / vty_json_at
WAIT_TRIES=120
PE1=10.255.0.1 PE2=10.255.0.3 RRID=10.255.0.4
vty_json() { vty_json_at "$RR" "$@"; }
# frr_cfg LINE...: configuration lines on rr1 (after `conf t`); fails with
# vtysh's answer on any error
frr_cfg() {
	local a=(--vty_socket "$RR" -c "conf t") l out
	for l in "$@"; do a+=(-c "$l"); done
	if ! out=$(vtysh "${a[@]}" 2>&1) || printf '%s' "$out" | grep -q '^%'; then
		printf '%s\n' "$out"
		return 1
	fi
}

# Sets of (RD, prefix) computed from the routers' JSON, one "RD prefix" a
# line, sorted:
#   sel frr|NODE FIELD VALUE PEER  valid IPv4 VPN paths from PEER whose FIELD
#                                  (locPrf, metric) is VALUE
#   all frr|NODE PEER              every valid path from PEER
#   weights frr|NODE PEER ORIG     "RD prefix weight" of the valid paths from
#                                  PEER (originated by ORIG; -: any)
#   rt NODE RT:X PEER              valid paths from PEER carrying that RT
#   comm COMM PEER                 FRR: paths from PEER carrying community
#                                  COMM (per-prefix detail JSON)
#   accepted frr|NODE RD PREFIX    exit 0 if a valid path for it exists
cat >"$TMPD/pol.py" <<'EOF'
import json, os, subprocess, sys

def run(argv):
    out = subprocess.run(argv, capture_output=True, text=True).stdout
    try:
        return json.loads(out)
    except ValueError:
        sys.exit("not JSON from %s: %s" % (" ".join(argv), out[:200]))

def show(src, cmd):
    if src == "frr":
        return run(["vtysh", "--vty_socket", os.environ["RR"], "-c", cmd])
    return run([os.environ["PESH"], "-N", src, "-c", cmd])

def paths(src):
    d = show(src, "show bgp ipv4 vpn json")
    for rd, pfxs in d.get("routes", {}).get("routeDistinguishers", {}).items():
        for pfx, ps in pfxs.items():
            for p in ps:
                yield rd, pfx, p

def out(s):
    for rd, pfx in sorted(s):
        print(rd, pfx)

m, a = sys.argv[1], sys.argv[2:]
if m == "sel":
    src, field, val, peer = a
    out({(rd, pfx) for rd, pfx, p in paths(src)
         if p.get("valid") and p.get("peerId") == peer and p.get(field) == int(val)})
elif m == "all":
    src, peer = a
    out({(rd, pfx) for rd, pfx, p in paths(src) if p.get("valid") and p.get("peerId") == peer})
elif m == "weights":
    src, peer, orig = a
    for rd, pfx, w in sorted((rd, pfx, p.get("weight")) for rd, pfx, p in paths(src)
                             if p.get("valid") and p.get("peerId") == peer
                             and orig in ("-", p.get("originatorId"))):
        print(rd, pfx, w)
elif m == "rt":
    src, rt, peer = a
    out({(rd, pfx) for rd, pfx, p in paths(src)
         if p.get("valid") and p.get("peerId") == peer
         and rt in p.get("extendedCommunity", {}).get("string", "").split()})
elif m == "comm":
    comm, peer = a
    s = set()
    for pfx in sorted({pfx for _, pfx, _ in paths("frr")}):
        for rd, o in show("frr", "show bgp ipv4 vpn %s json" % pfx).items():
            for p in (o.get("paths", []) if isinstance(o, dict) else []):
                if (p.get("peer", {}).get("peerId") == peer
                        and comm in p.get("community", {}).get("string", "").split()):
                    s.add((rd, pfx))
    out(s)
elif m == "accepted":
    src, rd, pfx = a
    sys.exit(0 if any(r == rd and x == pfx and p.get("valid") for r, x, p in paths(src)) else 1)
else:
    sys.exit("pol.py: unknown mode " + m)
EOF
pol() { RR="$RR" PESH="$PESH" $PY "$TMPD/pol.py" "$@"; }
# is_set 'EXPECTED LINES' POL-ARGS...: the computed set is exactly that
is_set() {
	local exp="$1" got
	shift
	got=$(pol "$@") || return 1
	[ "$got" = "$exp" ] || { echo "expected: [$exp]"; echo "got:      [$got]"; return 1; }
}
# same 'POL-ARGS A' 'POL-ARGS B' [empty]: both sets are equal (and not
# empty, unless the third argument says empty: then both must be empty)
same() {
	local a b
	# shellcheck disable=SC2086
	a=$(pol $1) && b=$(pol $2) || return 1
	if [ "${3:-}" = empty ]; then
		[ -z "$a" ] && [ -z "$b" ] && return 0
	else
		[ -n "$a" ] && [ "$a" = "$b" ] && return 0
	fi
	echo "[$1]: [$a]"
	echo "[$2]: [$b]"
	return 1
}
not_accepted() { ! pol accepted "$@"; }
no_route() { # no_route NODE VRF PREFIX
	"$PESH" -N "$1" -c "show ip route vrf $2 json" |
		$PY -c 'import json,sys; d=json.load(sys.stdin); sys.exit(1 if sys.argv[1] in d else 0)' "$3"
}
ped_conns() { # ped_conns NODE: connectionsEstablished of its session to rr1
	"$PESH" -N "$1" -c "show bgp ipv4 vpn summary json" |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["peers"]["10.255.0.4"]["connectionsEstablished"])'
}
frr_conns() { # frr_conns PEER
	vtysh --vty_socket "$RR" -c "show bgp ipv4 vpn summary json" |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["peers"][sys.argv[1]]["connectionsEstablished"])' "$1"
}

"$PETOPO" up --name "$T" "$TOPOS/interop-frr.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
RR=$(find "$PETOPO_RUNDIR/$T" -maxdepth 2 -type d -name rr1 | head -1)
check "rr1's vty socket directory found" test -S "$RR/bgpd.vty"

check "FRR rr1: both ped PEs Established" vty_json "show bgp ipv4 vpn summary json" \
	"{\"peers\":{\"$PE1\":{\"state\":\"Established\"},\"$PE2\":{\"state\":\"Established\"}}}"
for n in pe1 pe2; do
	check "ped $n: rr1 Established" wait_json $n "show bgp ipv4 vpn summary json" \
		"{\"peers\":{\"$RRID\":{\"state\":\"Established\"}}}"
done

# ---- baseline, before any policy ----
check "pe1: one more customer-A LAN (192.168.11.0/24) to stay unchanged" \
	cfg pe1 "vrf CUST-A" "ip route 192.168.11.0/24 10.1.1.2"
check "baseline FRR: pe1's LANs and PE-CE links under both RDs, local-preference 100" vty_json "show bgp ipv4 vpn json" \
	"{\"routes\":{\"routeDistinguishers\":{
	  \"65000:1\":{\"10.1.1.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\",\"locPrf\":100}],\"192.168.1.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\",\"locPrf\":100}],\"192.168.11.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\",\"locPrf\":100}]},
	  \"65000:2\":{\"10.1.1.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\"}],\"192.168.1.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\"}]}}}}"
check "baseline FRR: no route of pe1 carries community 65000:111" is_set "" comm 65000:111 $PE1
check "baseline pe2: rr1's 10.77.0.0/24 accepted (RD 65000:77)" retry 80 pol accepted pe2 65000:77 10.77.0.0/24
check "baseline pe2: 10.77.0.0/24 in VRF CUST-A" wait_json pe2 "show ip route vrf CUST-A json" \
	'{"10.77.0.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.4","labels":[777]}]}]}'
check "baseline pe2: pe1's 10.1.1.0/24 of customer B accepted" retry 80 pol accepted pe2 65000:2 10.1.1.0/24
pe1c=$(ped_conns pe1) pe2c=$(ped_conns pe2) rr_pe1c=$(frr_conns $PE1) rr_pe2c=$(frr_conns $PE2)

# ---- FRR rr1, inbound from pe1: MARK (community 65000:111 -> lp 250) ----
check "FRR rr1: community-list MARKED, route-map MARK, neighbor $PE1 route-map MARK in" frr_cfg \
	"bgp community-list standard MARKED seq 5 permit 65000:111" \
	"route-map MARK permit 10" "match community MARKED" "set local-preference 250" "on-match next" "exit" \
	"route-map MARK permit 100" "exit" \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $PE1 route-map MARK in"
check "FRR: nothing marked yet, nothing at local-preference 250" is_set "" sel frr locPrf 250 $PE1

# ---- ped pe1, outbound to rr1 ----
check "pe1: prefix-lists LAN / PECE and route-map TO-RR (set community 65000:111 additive, deny the PE-CE link)" cfg pe1 \
	"ip prefix-list LAN seq 5 permit 192.168.1.0/24" \
	"ip prefix-list PECE seq 5 permit 10.1.1.0/24" \
	"route-map TO-RR deny 5" "match ip address prefix-list PECE" "exit" \
	"route-map TO-RR permit 10" "match ip address prefix-list LAN" "set community 65000:111 additive" "exit" \
	"route-map TO-RR permit 100" "exit"
check "pe1: neighbor rr1 route-map TO-RR out (ipv4 vpn)" cfg pe1 \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $RRID route-map TO-RR out"
MARKED1=$'65000:1 192.168.1.0/24\n65000:2 192.168.1.0/24'
check "FRR: exactly pe1's 192.168.1.0/24 (both RDs) carry community 65000:111" \
	retry 120 is_set "$MARKED1" comm 65000:111 $PE1
check "FRR: the community is exactly 65000:111, RT and label kept" vty_json "show bgp ipv4 vpn 192.168.1.0/24 json" \
	"{\"65000:1\":{\"paths\":[{\"community\":{\"string\":\"65000:111\"},\"extendedCommunity\":{\"string\":\"RT:65000:1\"},\"peer\":{\"peerId\":\"$PE1\"}}]},
	  \"65000:2\":{\"paths\":[{\"community\":{\"string\":\"65000:111\"},\"extendedCommunity\":{\"string\":\"RT:65000:2\"}}]}}"
check "FRR: pe1's PE-CE link 10.1.1.0/24 withdrawn under both RDs, 192.168.11.0/24 unchanged (lp 100)" vty_json "show bgp ipv4 vpn json" \
	"{\"routes\":{\"routeDistinguishers\":{\"65000:1\":{\"10.1.1.0/24\":null,\"192.168.11.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\",\"locPrf\":100}],\"10.2.1.0/24\":[{\"valid\":true}]},
	  \"65000:2\":{\"10.1.1.0/24\":null,\"10.2.1.0/24\":[{\"valid\":true}]}}}}"
check "FRR: 192.168.11.0/24 has no community" vty_json "show bgp ipv4 vpn 192.168.11.0/24 json" \
	"{\"65000:1\":{\"paths\":[{\"community\":null,\"peer\":{\"peerId\":\"$PE1\"}}]}}"
check "FRR: pe1's VPNv6 route untouched by the ipv4 vpn route-map (no community)" vty_json "show bgp ipv6 vpn 2001:db8:1::/48 json" \
	"{\"65000:1\":{\"paths\":[{\"valid\":true,\"community\":null,\"peer\":{\"peerId\":\"$PE1\"}}]}}"
check "FRR's MARK gave local-preference 250 to exactly the routes carrying 65000:111" \
	retry 80 same "sel frr locPrf 250 $PE1" "comm 65000:111 $PE1"

# ---- ped pe2, inbound from rr1: the same MARK text with lp 300, plus a deny
# entry for rr1's own route and an extcommunity match ----
check "pe2: lists and route-map MARK (deny 10.77.0.0/24, community -> lp 300, RT 65000:2 -> metric 5)" cfg pe2 \
	"ip prefix-list RR-OWN seq 5 permit 10.77.0.0/24" \
	"bgp community-list standard MARKED seq 5 permit 65000:111" \
	"bgp extcommunity-list standard CUST-B-RT seq 5 permit rt 65000:2" \
	"route-map MARK deny 5" "match ip address prefix-list RR-OWN" "exit" \
	"route-map MARK permit 10" "match community MARKED" "set local-preference 300" "on-match next" "exit" \
	"route-map MARK permit 20" "match extcommunity CUST-B-RT" "set metric 5" "exit" \
	"route-map MARK permit 100" "exit"
check "pe2: neighbor rr1 route-map MARK in (ipv4 vpn)" cfg pe2 \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $RRID route-map MARK in"
check "differential: (RD, prefix) FRR gave lp 250 == those ped pe2 gave lp 300" \
	retry 120 same "sel frr locPrf 250 $PE1" "sel pe2 locPrf 300 $RRID"
check "pe2: lp 300 went to exactly the routes FRR marked (192.168.1.0/24 under both RDs)" is_set "$MARKED1" sel pe2 locPrf 300 $RRID
check "pe2: rr1's 10.77.0.0/24 no longer accepted in its VPN table" retry 80 not_accepted pe2 65000:77 10.77.0.0/24
check "pe2: and gone from VRF CUST-A" wait_json pe2 "show ip route vrf CUST-A json" '{"10.77.0.0/24":null,"192.168.1.0/24":[{"protocol":"bgp"}]}'
check "pe1 (no inbound policy) still has 10.77.0.0/24 in CUST-A" wait_json pe1 "show ip route vrf CUST-A json" '{"10.77.0.0/24":[{"protocol":"bgp"}]}'
check "pe2: metric 5 on exactly the routes carrying RT 65000:2 (customer B)" \
	retry 80 same "sel pe2 metric 5 $RRID" "rt pe2 RT:65000:2 $RRID"
check "pe2: customer B's routes are 65000:2 ones only; no customer-A route has metric 5" \
	is_set "65000:2 192.168.1.0/24" sel pe2 metric 5 $RRID
check "pe2 VRF CUST-B: the imported 192.168.1.0/24 keeps lp 300 and metric 5" wait_json pe2 \
	"show bgp vrf CUST-B ipv4 unicast 192.168.1.0/24 json" '{"paths":[{"locPrf":300,"metric":5}]}'
check "pe2 CUST-A's 192.168.11.0/24 (unmarked, customer A): lp 100, metric 0" wait_json pe2 \
	"show bgp ipv4 vpn rd 65000:1 192.168.11.0/24 json" '{"65000:1":{"paths":[{"valid":true,"locPrf":100,"metric":0}]}}'

# the marked set grows: a prefix-list entry on pe1 (change hook, no route-map edit)
check "pe1: ip prefix-list LAN seq 10 permit 192.168.11.0/24" cfg pe1 "ip prefix-list LAN seq 10 permit 192.168.11.0/24"
MARKED2=$'65000:1 192.168.1.0/24\n65000:1 192.168.11.0/24\n65000:2 192.168.1.0/24'
check "FRR: 192.168.11.0/24 now carries 65000:111 too" retry 120 is_set "$MARKED2" comm 65000:111 $PE1
check "differential after the change: FRR's lp-250 set == pe2's lp-300 set" \
	retry 120 same "sel frr locPrf 250 $PE1" "sel pe2 locPrf 300 $RRID"
check "pe2: the new member is 192.168.11.0/24 under 65000:1" is_set "$MARKED2" sel pe2 locPrf 300 $RRID

# pe2's deny entry removed: 10.77.0.0/24 comes back, no session reset
t0=$(date +%s)
check "pe2: no route-map MARK deny 5" cfg pe2 "no route-map MARK deny 5"
check "pe2: 10.77.0.0/24 accepted again within seconds" retry 40 pol accepted pe2 65000:77 10.77.0.0/24
check "pe2: and back in VRF CUST-A (label 777)" wait_json pe2 "show ip route vrf CUST-A json" \
	'{"10.77.0.0/24":[{"protocol":"bgp","nexthops":[{"ip":"10.255.0.4","labels":[777]}]}]}' 40
echo "    (10.77.0.0/24 back after $(($(date +%s) - t0)) s)"
check "pe2: it is neither marked (lp 300) ..." is_set "$MARKED2" sel pe2 locPrf 300 $RRID
check "pe2: ... nor customer B (metric 5)" is_set "65000:2 192.168.1.0/24" sel pe2 metric 5 $RRID
check "pe2: session to rr1 not reset (connectionsEstablished $pe2c)" test "$(ped_conns pe2)" = "$pe2c"
check "FRR: session to pe2 not reset" test "$(frr_conns $PE2)" = "$rr_pe2c"

# pe1's outbound route-map removed: everything as before, on both sides
check "pe1: no neighbor rr1 route-map TO-RR out" cfg pe1 \
	"router bgp 65000" "address-family ipv4 vpn" "no neighbor $RRID route-map TO-RR out"
check "FRR: community 65000:111 gone from every route" retry 120 is_set "" comm 65000:111 $PE1
check "FRR: pe1's PE-CE links back under both RDs" vty_json "show bgp ipv4 vpn json" \
	"{\"routes\":{\"routeDistinguishers\":{\"65000:1\":{\"10.1.1.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\"}]},\"65000:2\":{\"10.1.1.0/24\":[{\"valid\":true,\"peerId\":\"$PE1\"}]}}}}"
check "differential: nothing at lp 250 on FRR, nothing at lp 300 on pe2" \
	retry 120 same "sel frr locPrf 250 $PE1" "sel pe2 locPrf 300 $RRID" empty
check "pe2: pe1's PE-CE link of customer B back, with metric 5" retry 80 is_set \
	$'65000:2 10.1.1.0/24\n65000:2 192.168.1.0/24' sel pe2 metric 5 $RRID
# `neighbor X prefix-list NAME in` naming a list defined only later, the same
# steps on FRR (rr1, inbound from pe2) and on ped (pe2, inbound from rr1):
# a missing list denies everything (FRR's prefix_list_apply(NULL)); once
# defined (PE-CE links denied, the rest permitted) and after `clear ... soft
# in`, each keeps what it had minus the links; without the attachment,
# everything is back.
base_rr=$(pol all frr $PE2) base_pe2=$(pol all pe2 $RRID)
check "FRR rr1: neighbor $PE2 prefix-list LATER in (LATER not defined)" frr_cfg \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $PE2 prefix-list LATER in"
check "pe2: neighbor rr1 prefix-list LATER in (LATER not defined)" cfg pe2 \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $RRID prefix-list LATER in"
check "FRR: nothing accepted from pe2 (had $(printf '%s\n' "$base_rr" | grep -c .) routes)" retry 80 is_set "" all frr $PE2
check "pe2: nothing accepted from rr1 (had $(printf '%s\n' "$base_pe2" | grep -c .)), as FRR does" retry 80 is_set "" all pe2 $RRID
check "pe2: 10.77.0.0/24 gone from VRF CUST-A" wait_json pe2 "show ip route vrf CUST-A json" '{"10.77.0.0/24":null,"192.168.1.0/24":null}'
check "FRR rr1: ip prefix-list LATER defined (PE-CE links denied)" frr_cfg \
	"ip prefix-list LATER seq 5 deny 10.1.1.0/24" "ip prefix-list LATER seq 10 deny 10.2.1.0/24" \
	"ip prefix-list LATER seq 15 permit 0.0.0.0/0 le 32"
check "pe2: ip prefix-list LATER defined, the same lines" cfg pe2 \
	"ip prefix-list LATER seq 5 deny 10.1.1.0/24" "ip prefix-list LATER seq 10 deny 10.2.1.0/24" \
	"ip prefix-list LATER seq 15 permit 0.0.0.0/0 le 32"
# FRR 8.4 re-applies a neighbor's prefix-list only on a soft clear (ped
# re-evaluates by itself; both are asked the same)
check "FRR rr1: clear bgp ipv4 vpn $PE2 soft in" vtysh --vty_socket "$RR" -c "clear bgp ipv4 vpn $PE2 soft in"
check "pe2: clear bgp ipv4 vpn $RRID soft in (FRR's form)" "$PESH" -N pe2 -c "clear bgp ipv4 vpn $RRID soft in"
check "FRR: pe2's routes back except its PE-CE links" retry 80 is_set "$(printf '%s\n' "$base_rr" | grep -v ' 10\.2\.1\.0/24$')" all frr $PE2
check "pe2: rr1's routes back except pe1's PE-CE links" retry 80 is_set "$(printf '%s\n' "$base_pe2" | grep -v ' 10\.1\.1\.0/24$')" all pe2 $RRID
check "pe2: 10.77.0.0/24 back in VRF CUST-A, pe1's 10.1.1.0/24 not" wait_json pe2 "show ip route vrf CUST-A json" \
	'{"10.77.0.0/24":[{"protocol":"bgp"}],"192.168.1.0/24":[{"protocol":"bgp"}],"10.1.1.0/24":null}'
check "pe2: customer B's 10.1.1.0/24 (pe1's link) not in VRF CUST-B, its LAN is" wait_json pe2 "show ip route vrf CUST-B json" \
	'{"10.1.1.0/24":null,"192.168.1.0/24":[{"protocol":"bgp"}]}'
check "FRR rr1: no neighbor $PE2 prefix-list LATER in" frr_cfg \
	"router bgp 65000" "address-family ipv4 vpn" "no neighbor $PE2 prefix-list LATER in"
check "pe2: no neighbor rr1 prefix-list LATER in" cfg pe2 \
	"router bgp 65000" "address-family ipv4 vpn" "no neighbor $RRID prefix-list LATER in"
check "FRR: everything from pe2 back" retry 80 is_set "$base_rr" all frr $PE2
check "pe2: everything from rr1 back" retry 80 is_set "$base_pe2" all pe2 $RRID
check "pe2: 10.1.1.0/24 of customer B back in VRF CUST-B" wait_json pe2 "show ip route vrf CUST-B json" \
	'{"10.1.1.0/24":[{"protocol":"bgp"}]}'

# The same route-map W on FRR (rr1, in from pe1) and on ped (pe2, in from
# rr1), setting only the weight, which is local and never sent: for pe1's
# routes both must end with the same (RD, prefix) -> weight. W exercises
# standard (exact-match) and expanded community lists, extcommunity and
# as-path matches, on-match goto (which skips the deny entry 8), deny entries
# and the fall-through. pe1 marks its LANs 65000:111 and every route
# 65000:222 no-export.
W=("bgp community-list standard STD2 seq 5 permit 65000:222 no-export"
	"bgp community-list expanded EXP seq 5 permit ^65000:111 "
	"bgp extcommunity-list standard RTB seq 5 permit rt 65000:2"
	"bgp as-path access-list EMPTY seq 5 permit ^$"
	"ip prefix-list P11 seq 5 permit 192.168.11.0/24"
	"route-map W deny 2" "match extcommunity RTB" "match community STD2 exact-match" "exit"
	"route-map W permit 4" "match community STD2 exact-match" "set weight 40" "exit"
	"route-map W permit 6" "match community EXP" "set weight 60" "on-match goto 30" "exit"
	"route-map W deny 8" "match ip address prefix-list P11" "exit"
	"route-map W permit 30" "match as-path EMPTY" "match extcommunity RTB" "set weight 3" "exit"
	"route-map W permit 50" "set weight 1" "exit")
check "FRR rr1: route-map W, neighbor $PE1 route-map W in" frr_cfg "${W[@]}" \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $PE1 route-map W in"
check "pe2: the same route-map W, neighbor rr1 route-map W in" cfg pe2 "${W[@]}" \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $RRID route-map W in"
check "pe1: route-map TAG out (65000:111 on its LANs, 65000:222 no-export on all)" cfg pe1 \
	"route-map TAG permit 5" "match ip address prefix-list LAN" "set community 65000:111 additive" "on-match next" "exit" \
	"route-map TAG permit 10" "set community 65000:222 no-export additive" "exit" \
	"router bgp 65000" "address-family ipv4 vpn" "neighbor $RRID route-map TAG out"
check "FRR: pe1's LANs carry 65000:111 again" retry 120 is_set "$MARKED2" comm 65000:111 $PE1
check "differential: weights FRR set on pe1's routes == weights ped pe2 set" \
	retry 120 same "weights frr $PE1 -" "weights pe2 $RRID $PE1"
wts=$(pol weights pe2 $RRID $PE1)
printf '    %s\n' "${wts//$'\n'/$'\n'    }"
check "and the route-map took every path: 40 (A's link), 3 (B's LAN), 1 (A's LANs)" \
	test "$(echo "$wts" | awk '{print $3}' | sort -n | uniq | tr '\n' ' ')" = "1 3 40 "
check "FRR: customer B's PE-CE link denied by W (deny 2)" not_accepted frr 65000:2 10.1.1.0/24
check "pe2: the same" not_accepted pe2 65000:2 10.1.1.0/24
check "pe2: 192.168.11.0/24 kept: on-match goto 30 skipped deny 8, as on FRR" \
	grep -qx '65000:1 192.168.11.0/24 1' <<<"$wts"

check "pe2: session to rr1 not reset" test "$(ped_conns pe2)" = "$pe2c"
check "FRR: session to pe2 not reset" test "$(frr_conns $PE2)" = "$rr_pe2c"
check "pe1: session to rr1 not reset" test "$(ped_conns pe1)" = "$pe1c"
check "FRR: session to pe1 not reset" test "$(frr_conns $PE1)" = "$rr_pe1c"

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
