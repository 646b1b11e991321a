#!/bin/bash
# `explain` on l3vpn-basic (pe1 -- p1 -- pe2, customers A and B):
# - an imported route (pe1 CUST-A 192.168.2.0/24 from pe2): installed, RT
#   65000:1 matched, the LDP label named (p1's label for 10.255.0.3/32, as
#   `show mpls ldp binding json` has it), label stack and dataplane entry;
#   the same through `show ip route vrf ... explain`, and a static route
#   (192.168.1.0/24 toward ce1a; BGP only redistributes it): VRF RIB ->
#   dataplane out the CE port (the chain without BGP: tests/unit);
# - a route blocked by route target: CUST-A on pe1 imports 65000:9 instead
#   of 65000:1: firstFailure importRouteTarget naming both sets; back again:
#   installed;
# - a route blocked by `route-map vpn import` (a route-map that denies):
#   firstFailure routeMap with the route-map's trace; removed: installed;
# - a route without LDP binding: LDP stopped on p1, pe1 has no label for
#   10.255.0.3/32: firstFailure ldpBinding;
# - an absent prefix: no VPN route anywhere, said so.
. "$(dirname "$0")/petopo_lib.sh"
pt_init x

# xp NODE 'show ... explain json' PYTHON-CONDITION [tries]: asks until the
# condition holds over the document d (step(name, nth=0) finds a step);
# prints the document on failure.
xp() {
	local node="$1" cmd="$2" cond="$3" tries="${4:-$WAIT_TRIES}" out i
	for i in $(seq "$tries"); do
		out=$("$PESH" -N "$node" -c "$cmd" 2>&1)
		printf '%s' "$out" | $PY -c '
import json, sys
d = json.load(sys.stdin)
def step(name, nth=0):
    m = [s for s in d["steps"] if s["step"] == name]
    return m[nth] if len(m) > nth else {}
sys.exit(0 if eval(sys.argv[1]) else 1)' "$cond" >/dev/null 2>&1 && return 0
		sleep 0.25
	done
	echo "condition: $cond"
	printf '%s\n' "$out" | head -120
	return 1
}
cfg() { # cfg NODE LINE...: configuration lines, in order
	local node="$1" args=() l
	shift
	for l in "conf t" "$@"; do args+=(-c "$l"); done
	"$PESH" -N "$node" "${args[@]}"
}

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

BGPX="show bgp vrf CUST-A ipv4 unicast 192.168.2.0/24 explain json"
RTX="show ip route vrf CUST-A 192.168.2.0/24 explain json"
check "pe1 CUST-A: 192.168.2.0/24 from pe2" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.255.0.3"}]}]}' 240
binding() {
	"$PESH" -N pe1 -c "show mpls ldp binding json" | $PY -c '
import json,sys
for b in json.load(sys.stdin)["bindings"]:
    if b["prefix"] == "10.255.0.3/32" and b["neighborId"] == "10.255.0.2": print(b["remoteLabel"])'
}
has_binding() { l=$(binding); [ -n "$l" ] && [ "$l" != "-" ]; }
check "pe1: p1's LDP label for pe2's loopback" retry 480 has_binding
LBL=$(binding)
echo "p1's label for 10.255.0.3/32 at pe1: $LBL"

# ---- imported ----
check "explain imported: installed, no failure, schemaVersion" xp pe1 "$BGPX" \
	'd["schemaVersion"] == 1 and d["result"] == "installed" and "firstFailure" not in d' 240
check "explain imported: from VPN RD 65000:1, remote PE 10.255.0.3, a VPN label" xp pe1 "$BGPX" \
	'step("candidatePath")["source"] == "imported" and step("candidatePath")["rd"] == "65000:1" and step("candidatePath")["nexthop"] == "10.255.0.3" and step("candidatePath")["vpnLabel"] >= 16'
check "explain imported: import RT 65000:1 matched" xp pe1 "$BGPX" \
	'step("importRouteTarget")["status"] == "ok" and step("importRouteTarget")["matched"] == "65000:1"'
check "explain imported: next hop over the core route 10.255.0.3/32 via 10.0.12.2" xp pe1 "$BGPX" \
	'step("nexthopResolution")["status"] == "ok" and step("nexthopResolution")["route"] == "10.255.0.3/32" and step("nexthopResolution")["via"] == "10.0.12.2"'
check "explain imported: LDP label $LBL named" xp pe1 "$BGPX" \
	"step('ldpBinding')['status'] == 'ok' and step('ldpBinding')['label'] == $LBL and 'LDP label $LBL for 10.255.0.3/32' in step('ldpBinding')['detail']"
check "explain imported: best path, VRF RIB bgp selected, label stack transport $LBL over the VPN label" xp pe1 "$BGPX" \
	"step('bestPath')['status'] == 'ok' and step('vrfRib')['selectedProtocol'] == 'bgp' and step('labelStack')['labels'] == [$LBL, step('candidatePath')['vpnLabel']]"
check "explain imported: dataplane entry out eth3 to 10.0.12.2 pushing both labels, neighbor resolved" xp pe1 "$BGPX" \
	"step('dataplane')['status'] == 'ok' and step('dataplane')['nexthopGroupId'] > 0 and step('dataplane')['adjacencies'][0]['interface'] == 'eth3' and step('dataplane')['adjacencies'][0]['gateway'] == '10.0.12.2' and step('dataplane')['adjacencies'][0]['labels'] == [$LBL, step('candidatePath')['vpnLabel']] and step('dataplane')['adjacencies'][0]['neighborResolved']" 120
check "explain via show ip route vrf: installed, same chain" xp pe1 "$RTX" \
	'd["result"] == "installed" and step("importRouteTarget")["status"] == "ok"'
check "explain a static route: local BGP path (redistributed), VRF RIB static -> dataplane out eth1" xp pe1 \
	"show ip route vrf CUST-A 192.168.1.0/24 explain json" \
	'd["result"] == "installed" and step("candidatePath")["source"] == "local" and step("vrfRib")["selectedProtocol"] == "static" and step("dataplane")["adjacencies"][0]["interface"] == "eth1" and step("dataplane")["adjacencies"][0]["labels"] == []'
"$PESH" -N pe1 -c "show bgp vrf CUST-A ipv4 unicast 192.168.2.0/24 explain" | sed 's/^/# /'
check "explain text: numbered steps" sh -c "\"$PESH\" -N pe1 -c 'show bgp vrf CUST-A ipv4 unicast 192.168.2.0/24 explain' | grep -q '  1\\. info vrf: VRF CUST-A'"

# ---- blocked by route target ----
cfg pe1 "vrf CUST-A" "route-target import 65000:9" "no route-target import 65000:1" >/dev/null
check "RT blocked: firstFailure importRouteTarget naming both sets" xp pe1 "$BGPX" \
	'd["result"] == "absent" and d["firstFailure"]["step"] == "importRouteTarget" and "none of 65000:1 in import set 65000:9" in d["firstFailure"]["reason"]' 120
check "RT blocked: the VPN route is named (RD 65000:1, next hop 10.255.0.3)" xp pe1 "$BGPX" \
	'step("vpnRoute")["rd"] == "65000:1" and step("vpnRoute")["nexthop"] == "10.255.0.3" and step("vpnRoute")["routeTargets"] == ["65000:1"]'
"$PESH" -N pe1 -c "show bgp vrf CUST-A ipv4 unicast 192.168.2.0/24 explain" | sed 's/^/# /'
check "RT blocked: text says where it failed" sh -c "\"$PESH\" -N pe1 -c 'show bgp vrf CUST-A ipv4 unicast 192.168.2.0/24 explain' | grep -q '^failed at: import route target: none of 65000:1 in import set 65000:9'"
cfg pe1 "vrf CUST-A" "route-target import 65000:1" "no route-target import 65000:9" >/dev/null
check "RT restored: installed again" xp pe1 "$BGPX" 'd["result"] == "installed"' 120

# ---- blocked by route-map vpn import ----
if [ "$(grep -c regcomp "$top_srcdir/mpbgp/policy.c")" -gt 0 ] &&
	grep -q '"route-map vpn' "$top_srcdir/mpbgp/bgp_cli.c"; then
	cfg pe1 "route-map NO-SITE2 deny 10" "exit" "router bgp 65000 vrf CUST-A" \
		"address-family ipv4 unicast" "route-map vpn import NO-SITE2" >/dev/null
	check "route-map vpn import denies: firstFailure routeMap, its trace" xp pe1 "$BGPX" \
		'd["result"] == "absent" and d["firstFailure"]["step"] == "routeMap" and step("routeMap")["routeMap"] == "NO-SITE2" and step("routeMap")["result"] == "deny" and step("routeMap")["attachment"] == "route-map vpn import"' 120
	cfg pe1 "router bgp 65000 vrf CUST-A" "address-family ipv4 unicast" \
		"no route-map vpn import NO-SITE2" >/dev/null
	check "route-map removed: installed again" xp pe1 "$BGPX" 'd["result"] == "installed"' 120
else
	echo "SKIP route-map vpn import case: the policy engine or the command is not there"
fi

# ---- absent everywhere ----
check "absent: no VPN route with this prefix in any RD" xp pe1 \
	"show bgp vrf CUST-A ipv4 unicast 10.99.0.0/16 explain json" \
	'd["result"] == "absent" and d["firstFailure"]["step"] == "vpnRoute" and "no VPN route with this prefix in any RD" in d["firstFailure"]["reason"]'

# ---- no LDP binding ----
cfg p1 "no mpls ldp" >/dev/null
check "LDP stopped on p1: firstFailure ldpBinding, no LDP label for 10.255.0.3/32" xp pe1 "$BGPX" \
	'd["result"] == "absent" and d["firstFailure"]["step"] == "ldpBinding" and d["firstFailure"]["reason"] == "no LDP label for 10.255.0.3/32" and step("nexthopResolution")["status"] == "ok"' 480

pt_done
