#!/bin/bash
# Interop with GoBGP 3 and BIRD 2 (interop-gobgp-bird): a ped PE has iBGP
# VPNv4 sessions with a GoBGP speaker (g1) and a BIRD speaker (b1).
# - GoBGP's route (added with `gobgp global rib -a vpnv4 add`, RT 65000:1) and
#   BIRD's (from its config, RT 65000:2) arrive in ped's VPN table with their
#   RD, label and RT, and are imported only into the VRF whose import RT
#   matches (CUST-A, CUST-B);
# - ped's VRF route reaches GoBGP and BIRD with ped's RD, label, RT and next hop;
# - withdrawal in both directions;
# - VPN-IPv6 (RFC 4659): ped's IPv6 route of CUST-A reaches GoBGP and BIRD
#   with the IPv4-mapped next hop (6VPE) and its label; GoBGP's VPNv6 route
#   lands in ped's CUST-A;
# - tshark, capturing on pe1's two links from a `clear bgp *` on, decodes every
#   UPDATE (ped's, GoBGP's, BIRD's) without a malformed field or a BGP expert
#   warning, and shows the RDs and labels.
. "$(dirname "$0")/petopo_lib.sh"
pt_init g
for b in gobgpd gobgp bird birdc tshark; do
	if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$b" >/dev/null; then
		echo "SKIP: $b is not installed (apt-get install gobgpd bird2 tshark)"
		exit 77
	fi
done
export PATH="$PATH:/usr/sbin:/sbin"

WAIT_TRIES=120
gobgp() { "$PETOPO" exec "$T:g1" -- gobgp "$@"; }
birdc_() { birdc -s "$PETOPO_RUNDIR/$T/b1/bird.ctl" "$@"; }
# gobgp_has KEY 'python condition on r (the first path of KEY)' | gobgp_has KEY absent
gobgp_has() {
	gobgp global rib -a "${GOBGP_AF:-vpnv4}" -j | $PY -c 'import json,sys
rib=json.load(sys.stdin) or {}
key,cond=sys.argv[1],sys.argv[2]
if cond=="absent":
    sys.exit(1 if key in rib else 0)
if key not in rib:
    print("no", key, "in", sorted(rib)); sys.exit(1)
r=rib[key][0]
a={x["type"]:x for x in r["attrs"]}
ok=eval(cond)
if not ok: print(json.dumps(r))
sys.exit(0 if ok else 1)' "$1" "$2"
}
wait_gobgp() { local _; for _ in $(seq 120); do gobgp_has "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done; gobgp_has "$@"; }
# wait_bird RD PREFIX 'egrep over the route block' | wait_bird RD PREFIX absent
bird_route() {
	birdc_ show route table "${BIRD_TABLE:-vpntab}" all | awk -v k="$1 $2 " '
		/^[0-9]/ { on = (index($0, k) == 1) } on { print }'
}
wait_bird() {
	local out
	for _ in $(seq 120); do
		out=$(bird_route "$1" "$2")
		if [ "$3" = absent ]; then [ -z "$out" ] && return 0
		else
			local pat miss=0
			while IFS= read -r pat; do
				printf '%s\n' "$out" | grep -Eq -- "$pat" || miss=1
			done <<<"$3"
			[ "$miss" = 0 ] && [ -n "$out" ] && return 0
		fi
		sleep 0.25
	done
	echo "BIRD route $1 $2:"; printf '%s\n' "$out"; return 1
}

"$PETOPO" up --name "$T" "$TOPOS/interop-gobgp-bird.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

check "pe1: VPNv4 sessions with GoBGP and BIRD Established" wait_json pe1 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.0.14.4":{"state":"Established","remoteAs":65000},"10.0.15.5":{"state":"Established","remoteAs":65000}}}'
check "BIRD: protocol pe1 Established" retry 40 sh -c "birdc -s '$PETOPO_RUNDIR/$T/b1/bird.ctl' show protocols pe1 | grep -q Established"
check "GoBGP: neighbor 10.0.14.1 established" retry 40 sh -c "'$PETOPO' exec '$T:g1' -- gobgp neighbor 10.0.14.1 | grep -q 'BGP state = ESTABLISHED'"

# capture everything from here on: clear the sessions so that the OPENs and
# the full table exchange are in the capture
PCAP="$TMPD/pe1.pcapng"
"$PETOPO" exec "$T:pe1" -- tshark -q -i eth1 -i eth2 -f 'tcp port 179' -w "$PCAP" -a duration:150 \
	>"$TMPD/tshark.out" 2>&1 &
TSHARK=$!
trap '[ -n "${TSHARK:-}" ] && kill -INT "$TSHARK" 2>/dev/null; wait "${TSHARK:-0}" 2>/dev/null; pt_cleanup' EXIT
# tshark prints "Capturing on" before dumpcap opens the interfaces; the
# "Capture started" / "File:" messages come once dumpcap captures
check "tshark captures on pe1's eth1 and eth2" retry 80 sh -c "grep -q \"Capturing on 'eth1' and 'eth2'\" '$TMPD/tshark.out' && grep -q 'Capture started' '$TMPD/tshark.out'"
"$PESH" -N pe1 -c "clear bgp *" >/dev/null
check "sessions come back after clear bgp *" wait_json pe1 "show bgp ipv4 vpn summary json" \
	'{"peers":{"10.0.14.4":{"state":"Established","connectionsDropped":1},"10.0.15.5":{"state":"Established","connectionsDropped":1}}}' 160

# GoBGP -> ped
gobgp global rib -a vpnv4 add 10.50.0.0/24 label 500 rd 65000:50 rt 65000:1 nexthop 10.0.14.4 >/dev/null
check "pe1 VPN table: GoBGP's 10.50.0.0/24, RD 65000:50, label 500, RT 65000:1" wait_json pe1 \
	"show bgp ipv4 vpn rd 65000:50 10.50.0.0/24 json" \
	'{"65000:50":{"prefix":"10.50.0.0/24","paths":[{"valid":true,"pathFrom":"internal","peerId":"10.0.14.4","remoteLabel":500,"extendedCommunity":{"string":"RT:65000:1"},"nexthops":[{"ip":"10.0.14.4","accessible":true}]}]}}'
# BIRD -> ped
check "pe1 VPN table: BIRD's 10.60.0.0/24, RD 65000:60, label 600, RT 65000:2" wait_json pe1 \
	"show bgp ipv4 vpn rd 65000:60 10.60.0.0/24 json" \
	'{"65000:60":{"prefix":"10.60.0.0/24","paths":[{"valid":true,"pathFrom":"internal","peerId":"10.0.15.5","remoteLabel":600,"extendedCommunity":{"string":"RT:65000:2"},"nexthops":[{"ip":"10.0.15.7","accessible":true}]}]}}'
check "pe1 VRF CUST-A (import RT 65000:1): GoBGP's route with label 500, not BIRD's" wait_json pe1 \
	"show ip route vrf CUST-A json" \
	'{"10.50.0.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.0.14.4","vrf":"default","labels":[500]}]}],"10.60.0.0/24":null}'
check "pe1 VRF CUST-B (import RT 65000:2): BIRD's route with label 600, not GoBGP's" wait_json pe1 \
	"show ip route vrf CUST-B json" \
	'{"10.60.0.0/24":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"10.0.15.7","vrf":"default","labels":[600]}]}],"10.50.0.0/24":null}'
check "pe1 BGP VRF CUST-A: 10.50.0.0/24 imported from vpn" wait_json pe1 "show bgp vrf CUST-A ipv4 unicast json" \
	'{"routes":{"10.50.0.0/24":[{"valid":true,"importedFrom":"vpn","remoteLabel":500}]}}'
check "pe1 default VRF RIB: no VPN route" wait_json pe1 "show ip route json" '{"10.50.0.0/24":null,"10.60.0.0/24":null}'

# ped -> GoBGP and BIRD
lbl=$("$PESH" -N pe1 -c "show bgp ipv4 vpn rd 65000:1 192.168.1.0/24 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["65000:1"]["paths"][0]["remoteLabel"])' 2>/dev/null)
check "pe1 exports CUST-A's 192.168.1.0/24 with a label ($lbl) allocated to CUST-A" wait_json pe1 \
	"show mpls label allocation json" "{\"labels\":{\"${lbl:-none}\":{\"client\":\"bgp\",\"purpose\":\"vrf CUST-A\"}}}"
lbl=${lbl:-0}
check "GoBGP: 65000:1:192.168.1.0/24 with label $lbl, RD 65000:1, RT 65000:1, next hop 10.0.14.1" wait_gobgp \
	"65000:1:192.168.1.0/24" "r['nlri']['labels']==[$lbl] and r['nlri']['rd']=={'type':0,'admin':65000,'assigned':1} and a[14]['nexthop']=='10.0.14.1' and {'type':0,'subtype':2,'value':'65000:1'} in a[16]['value'] and r.get('neighbor-ip')=='10.0.14.1'"
check "BIRD: 65000:1 192.168.1.0/24 via 10.0.15.1 with label $lbl and RT 65000:1" wait_bird 65000:1 192.168.1.0/24 \
	"via 10\.0\.15\.1 on eth0 mpls $lbl\$
BGP.mpls_label_stack: $lbl\$
BGP.ext_community: \(rt, 65000, 1\)
\[pe1 "
check "iBGP: GoBGP does not get BIRD's route through ped" gobgp_has "65000:60:10.60.0.0/24" absent
check "iBGP: BIRD does not get GoBGP's route through ped" wait_bird 65000:50 10.50.0.0/24 absent

# VPN-IPv6 both ways
check "pe1: VPNv6 sessions with GoBGP and BIRD" wait_json pe1 "show bgp ipv6 vpn summary json" \
	'{"peers":{"10.0.14.4":{"state":"Established"},"10.0.15.5":{"state":"Established"}}}'
check "pe1 VPNv6 table: CUST-A's 2001:db8:1::/48 with the per-VRF label $lbl" wait_json pe1 \
	"show bgp ipv6 vpn rd 65000:1 2001:db8:1::/48 json" \
	"{\"65000:1\":{\"paths\":[{\"valid\":true,\"remoteLabel\":$lbl}]}}"
# (GoBGP prints an IPv4-mapped next hop as the IPv4 address)
check "GoBGP decodes pe1's VPNv6 route: RD 65000:1, label $lbl, next hop ::ffff:10.0.14.1, RT 65000:1" \
	env GOBGP_AF=vpnv6 bash -c "$(declare -f gobgp gobgp_has wait_gobgp); PETOPO='$PETOPO' T='$T' PY='$PY' wait_gobgp '65000:1:2001:db8:1::/48' \"r['nlri']['labels']==[$lbl] and r['nlri']['rd']=={'type':0,'admin':65000,'assigned':1} and a[14]['nexthop'] in ('::ffff:10.0.14.1','10.0.14.1') and {'type':0,'subtype':2,'value':'65000:1'} in a[16]['value']\""
# (BIRD reads the IPv4-mapped next hop as the IPv4 address: extended next hop)
check "BIRD decodes it: 65000:1 2001:db8:1::/48, label $lbl, RT 65000:1, next hop ::ffff:10.0.15.1" \
	env BIRD_TABLE=vpntab6 bash -c "$(declare -f birdc_ bird_route wait_bird); PETOPO_RUNDIR='$PETOPO_RUNDIR' T='$T' wait_bird 65000:1 2001:db8:1::/48 'BGP.mpls_label_stack: $lbl\$
BGP.ext_community: \(rt, 65000, 1\)
BGP.next_hop: 10\.0\.15\.1\$
via 10\.0\.15\.1 on eth0 mpls $lbl'"
gobgp global rib -a vpnv6 add 2001:db8:50::/48 label 501 rd 65000:50 rt 65000:1 nexthop ::ffff:10.0.14.4 >/dev/null
check "pe1 VPNv6 table: GoBGP's 2001:db8:50::/48, RD 65000:50, label 501, RT 65000:1" wait_json pe1 \
	"show bgp ipv6 vpn rd 65000:50 2001:db8:50::/48 json" \
	'{"65000:50":{"paths":[{"valid":true,"remoteLabel":501,"extendedCommunity":{"string":"RT:65000:1"},"nexthops":[{"ip":"::ffff:10.0.14.4","accessible":true}]}]}}'
check "pe1 VRF CUST-A (IPv6): GoBGP's route via ::ffff:10.0.14.4 with label 501" wait_json pe1 \
	"show ipv6 route vrf CUST-A json" \
	'{"2001:db8:50::/48":[{"protocol":"bgp","selected":true,"nexthops":[{"ip":"::ffff:10.0.14.4","vrf":"default","labels":[501]}]}]}'
check "and not in CUST-B" wait_json pe1 "show ipv6 route vrf CUST-B json" '{"2001:db8:50::/48":null}'
gobgp global rib -a vpnv6 del 2001:db8:50::/48 label 501 rd 65000:50 rt 65000:1 nexthop ::ffff:10.0.14.4 >/dev/null
check "GoBGP withdraws the VPNv6 route: gone from pe1 VRF CUST-A" wait_json pe1 "show ipv6 route vrf CUST-A json" \
	'{"2001:db8:50::/48":null}'

# withdrawal GoBGP -> ped
gobgp global rib -a vpnv4 del 10.50.0.0/24 label 500 rd 65000:50 rt 65000:1 nexthop 10.0.14.4 >/dev/null
check "GoBGP withdraws: gone from pe1's VPN table" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:50":null,"65000:60":{"10.60.0.0/24":[{"valid":true}]}}}}'
check "GoBGP withdraws: gone from pe1 VRF CUST-A" wait_json pe1 "show ip route vrf CUST-A json" '{"10.50.0.0/24":null}'
# withdrawal BIRD -> ped
birdc_ disable vpn_static >/dev/null
check "BIRD withdraws: gone from pe1's VPN table" wait_json pe1 "show bgp ipv4 vpn json" \
	'{"routes":{"routeDistinguishers":{"65000:60":null}}}'
check "BIRD withdraws: gone from pe1 VRF CUST-B" wait_json pe1 "show ip route vrf CUST-B json" '{"10.60.0.0/24":null}'
birdc_ enable vpn_static >/dev/null
check "BIRD re-announces: back in pe1 VRF CUST-B" wait_json pe1 "show ip route vrf CUST-B json" \
	'{"10.60.0.0/24":[{"protocol":"bgp","nexthops":[{"labels":[600]}]}]}'
# withdrawal ped -> both
"$PESH" -N pe1 -c "conf t" -c "vrf CUST-A" -c "no ip route 192.168.1.0/24 10.1.1.2" >/dev/null
check "pe1 withdraws: gone from GoBGP" wait_gobgp "65000:1:192.168.1.0/24" absent
check "pe1 withdraws: gone from BIRD" wait_bird 65000:1 192.168.1.0/24 absent

# the capture: libpcap hands packets over in blocks, so give dumpcap time to
# write the last ones (the withdrawals) before stopping it
tsh() { tshark -r "$PCAP" "$@" 2>/dev/null; }
for _ in $(seq 40); do
	[ "$(tsh -Y 'bgp.mp_unreach_nlri_ipv4_prefix == 192.168.1.0' | wc -l)" -ge 2 ] && break
	sleep 0.25
done
kill -INT "$TSHARK" 2>/dev/null
wait "$TSHARK" 2>/dev/null
TSHARK=
check "capture has BGP UPDATEs" test "$(tsh -Y 'bgp.type == 2' | wc -l)" -gt 0
check "tshark: no malformed packet" test -z "$(tsh -Y '_ws.malformed')"
bad=$(tsh -Y 'bgp && _ws.expert.severity >= warning')
check "tshark: no BGP frame with an expert warning or error" test -z "$bad"
[ -z "$bad" ] || printf '%s\n' "$bad" | head -5 | sed 's/^/    /'
tsh -Y 'bgp.type == 2' -T fields -E separator='|' -e ip.src -e bgp.rd -e bgp.label_stack \
	-e bgp.mp_reach_nlri_ipv4_prefix -e bgp.ext_com.value_as2 -e bgp.ext_com.value_an4 >"$TMPD/updates.txt"
# a frame may carry several UPDATEs (pe1's VPNv4 and VPNv6 ones): tshark then
# joins each field's values with commas; match the fields one by one
has_update() {
	$PY - "$TMPD/updates.txt" "$@" <<'PYEOF' || { cat "$TMPD/updates.txt"; return 1; }
import re, sys
want = sys.argv[2:]
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("|")
    if len(f) == len(want) and all(any(re.fullmatch(w, v) for v in x.split(",")) for w, x in zip(want, f)):
        sys.exit(0)
sys.exit(1)
PYEOF
}
check "tshark: pe1's UPDATE to GoBGP: RD 65000:1, label $lbl, 192.168.1.0, RT 65000:1" \
	has_update '10\.0\.14\.1' 65000:1 "$lbl \(bottom\)" '192\.168\.1\.0' 65000 1
check "tshark: pe1's UPDATE to BIRD: RD 65000:1, label $lbl, 192.168.1.0, RT 65000:1" \
	has_update '10\.0\.15\.1' 65000:1 "$lbl \(bottom\)" '192\.168\.1\.0' 65000 1
check "tshark: GoBGP's UPDATE: RD 65000:50, label 500" has_update '10\.0\.14\.4' 65000:50 '500 \(bottom\)' '10\.50\.0\.0' 65000 1
check "tshark: BIRD's UPDATE: RD 65000:60, label 600" has_update '10\.0\.15\.5' 65000:60 '600 \(bottom\)' '10\.60\.0\.0' 65000 2
unreach() { # pe1's MP_UNREACH_NLRI: one line per peer with RD 65000:1, the withdrawn label and the prefix
	local out
	out=$(tsh -Y 'bgp.update.path_attribute.mp_unreach_nlri && (ip.src == 10.0.14.1 || ip.src == 10.0.15.1)' \
		-T fields -E separator='|' -e ip.src -e bgp.rd -e bgp.label_stack -e bgp.mp_unreach_nlri_ipv4_prefix | sort -u)
	printf '%s\n' "$out" | grep -q '^10\.0\.14\.1|65000:1|0 (withdrawn)|192\.168\.1\.0$' &&
		printf '%s\n' "$out" | grep -q '^10\.0\.15\.1|65000:1|0 (withdrawn)|192\.168\.1\.0$' || { echo "$out"; return 1; }
}
check "tshark: pe1's withdrawals (MP_UNREACH_NLRI) of 65000:1 192.168.1.0/24 to GoBGP and BIRD" unreach

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
