#!/bin/bash
# What FRR configurations mean, on two running peds (pe AS 65000, ce AS
# 65001, eBGP over a veth):
# - bgp ebgp-requires-policy (RFC 8212, on by default): pe accepts nothing
#   from ce and sends it nothing, and show bgp neighbors says why in FRR's
#   words; `no bgp ebgp-requires-policy` lets both directions through.
# - distance bgp: the distance of BGP routes in the table follows it.
# - bgp network import-check (on by default, as FRR): a network only while
#   the table has its route.
# - aggregate-address: originated while a more specific exists;
#   summary-only hides the more specifics from the peer; withdrawn with
#   the last contributor.
# - secrets: show running-config masks neighbor and line passwords (unless
#   with-secrets), write memory writes them (mode 0600), the log never.
# - interface lo vrf A: the kernel never moves lo; pesh says so and the
#   line is not kept.
. "$(dirname "$0")/lib.sh"
topo_init f

PE=${TP}pe CE=${TP}ce
for ns in $PE $CE; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add eth1 netns "$PE" type veth peer name eth0 netns "$CE"

cat >"$TMPD/pe.conf" <<EOF
password line-s3cret
interface eth1
 ip address 10.7.1.1/24
exit
router bgp 65000
 bgp router-id 10.255.0.1
 no bgp network import-check
 neighbor 10.7.1.2 remote-as 65001
 neighbor 10.7.1.2 password md5-s3cret
 neighbor 10.7.1.2 timers connect 1
 network 10.1.1.0/24
 network 10.1.2.0/24
exit
EOF
cat >"$TMPD/ce.conf" <<EOF
interface eth0
 ip address 10.7.1.2/24
exit
ip route 192.168.7.0/24 blackhole
router bgp 65001
 bgp router-id 10.255.0.2
 no bgp ebgp-requires-policy
 neighbor 10.7.1.1 remote-as 65000
 neighbor 10.7.1.1 password md5-s3cret
 neighbor 10.7.1.1 timers connect 1
exit
EOF
start_ped "$PE" "$PE" "$TMPD/pe.conf" || { fail "pe starts"; topo_done; exit 1; }
start_ped "$CE" "$CE" "$TMPD/ce.conf" || { fail "ce starts"; topo_done; exit 1; }

pe() { "$PESH" -N "$PE" "$@"; }
ce() { "$PESH" -N "$CE" "$@"; }
# updatesRecv of NODE's neighbor PEER
upd_recv() {
	"$PESH" -N "$1" -c "show bgp neighbors $2 json" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]]["messageStats"]["updatesRecv"])' "$2"
}

check "session Established" wait_json "$PE" "show bgp ipv4 unicast summary json" \
	'{"peers":{"10.7.1.2":{"state":"Established"}}}' 100
check "pe says why, in FRR's JSON" wait_json "$PE" "show bgp neighbors 10.7.1.2 json" \
	'{"10.7.1.2":{"addressFamilyInfo":{"ipv4Unicast":{
	   "inboundEbgpRequiresPolicy":"Inbound updates discarded due to missing policy",
	   "outboundEbgpRequiresPolicy":"Outbound updates discarded due to missing policy"}}}}'
pe -c "show bgp neighbors 10.7.1.2" >"$TMPD/nbr.txt"
check "and in FRR's text" grep -qx "    Inbound updates discarded due to missing policy" "$TMPD/nbr.txt"

# inbound: ce announces a route once pe has counted its updates so far;
# pe has received it (one more UPDATE) and accepted nothing
before=$(upd_recv "$PE" 10.7.1.2)
ce -c "configure" -c "router bgp 65001" -c "network 192.168.7.0/24" -c "end" >/dev/null
for _ in $(seq 100); do [ "$(upd_recv "$PE" 10.7.1.2)" -gt "$before" ] && break; sleep 0.1; done
check "pe received ce's UPDATE" test "$(upd_recv "$PE" 10.7.1.2)" -gt "$before"
check "pe accepted nothing from the eBGP neighbor without policy" wait_json "$PE" \
	"show bgp ipv4 unicast summary json" '{"peers":{"10.7.1.2":{"pfxRcd":0,"pfxSnt":0}}}'
check "pe's table lacks ce's route" wait_json "$PE" "show bgp ipv4 unicast json" '{"routes":{"192.168.7.0/24":null}}'
pe -c "show bgp ipv4 unicast summary" >"$TMPD/sum.txt"
check "the summary says (Policy) for PfxRcd and PfxSnt, as FRR" \
	grep -Eq '^10\.7\.1\.2 .* \(Policy\) +\(Policy\) ' "$TMPD/sum.txt"
check "ce got none of pe's networks" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.1.0/24":null,"10.1.2.0/24":null}}'

pe -c "configure" -c "router bgp 65000" -c "no bgp ebgp-requires-policy" -c "end" >/dev/null
check "no bgp ebgp-requires-policy: pe accepts ce's route (no reset)" wait_json "$PE" \
	"show bgp ipv4 unicast json" '{"routes":{"192.168.7.0/24":[{"valid":true}]}}'
check "and ce gets pe's networks" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.1.0/24":[{"valid":true}],"10.1.2.0/24":[{"valid":true}]}}'
check "the reason is gone from show" wait_json "$PE" "show bgp neighbors 10.7.1.2 json" \
	'{"10.7.1.2":{"addressFamilyInfo":{"ipv4Unicast":{"inboundEbgpRequiresPolicy":null,"outboundEbgpRequiresPolicy":null}}}}'
pe -c "show bgp ipv4 unicast summary" >"$TMPD/sum.txt"
check "and from the summary: counts again" sh -c "! grep -q Policy '$TMPD/sum.txt' && grep -Eq '^10\.7\.1\.2 .* 1 +[0-9]+ ' '$TMPD/sum.txt'"

# distance bgp: the eBGP route in pe's table at 20, then at what is set
check "ce's route in pe's table at distance 20 (FRR's default)" wait_json "$PE" "show ip route json" \
	'{"192.168.7.0/24":[{"protocol":"bgp","distance":20}]}'
pe -c "configure" -c "router bgp 65000" -c "distance bgp 30 210 220" -c "end" >/dev/null
check "distance bgp 30 210 220: at distance 30" wait_json "$PE" "show ip route json" \
	'{"192.168.7.0/24":[{"protocol":"bgp","distance":30}]}'
pe -c "configure" -c "router bgp 65000" -c "no distance bgp" -c "end" >/dev/null
check "no distance bgp: back at 20" wait_json "$PE" "show ip route json" \
	'{"192.168.7.0/24":[{"protocol":"bgp","distance":20}]}'

# bgp network import-check (FRR's default, ce): its network goes with its
# route and comes back with it; `no bgp network import-check` originates it
# without one
ce -c "configure" -c "no ip route 192.168.7.0/24 blackhole" -c "end" >/dev/null
check "import-check: ce's route gone, its network withdrawn" wait_json "$PE" "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.7.0/24":null}}'
check "and not in ce's own table either" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.7.0/24":null}}'
ce -c "configure" -c "ip route 192.168.7.0/24 blackhole" -c "end" >/dev/null
check "import-check: the route back, the network too" wait_json "$PE" "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.7.0/24":[{"valid":true}]}}'
ce -c "configure" -c "no ip route 192.168.7.0/24 blackhole" -c "router bgp 65001" \
	-c "no bgp network import-check" -c "end" >/dev/null
check "no bgp network import-check: originated without a route" wait_json "$PE" "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.7.0/24":[{"valid":true}]}}'
ce -c "show running-config" >"$TMPD/ce-run.txt"
check "and written back" grep -qx " no bgp network import-check" "$TMPD/ce-run.txt"
ce -c "configure" -c "router bgp 65001" -c "bgp network import-check" -c "end" >/dev/null
check "bgp network import-check again: withdrawn at once (no route)" wait_json "$PE" "show bgp ipv4 unicast json" \
	'{"routes":{"192.168.7.0/24":null}}'
ce -c "show bgp ipv4 unicast 192.168.7.0/24 explain" >"$TMPD/xp.txt" 2>&1
check "explain says why ce does not originate it" grep -q "network 192.168.7.0/24 is configured but not originated: bgp network import-check" "$TMPD/xp.txt"

# aggregate-address
pe -c "configure" -c "router bgp 65000" -c "aggregate-address 10.1.0.0/16 summary-only" -c "end" >/dev/null
check "summary-only: ce has the aggregate and not the more specifics" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.0.0/16":[{"valid":true}],"10.1.1.0/24":null,"10.1.2.0/24":null}}'
check "pe keeps the more specifics in its table" wait_json "$PE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.0.0/16":[{"valid":true}],"10.1.1.0/24":[{"valid":true}]}}'
check "pe's routing table: the aggregate as a blackhole at distance 200 (FRR)" wait_json "$PE" "show ip route json" \
	'{"10.1.0.0/16":[{"protocol":"bgp","distance":200,"selected":true,"nexthops":[{"blackhole":true}]}]}'
check "and in the text form" sh -c "\"\$1\" -N \"\$2\" -c 'show ip route 10.1.0.0/16' | grep -q 'unreachable (blackhole)'" _ "$PESH" "$PE"
pe -c "configure" -c "router bgp 65000" -c "aggregate-address 10.1.0.0/16" -c "end" >/dev/null
check "without summary-only: ce has all three" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.0.0/16":[{"valid":true}],"10.1.1.0/24":[{"valid":true}],"10.1.2.0/24":[{"valid":true}]}}'
pe -c "show running-config" >"$TMPD/run.txt"
check "running config: under address-family ipv4 unicast" grep -qx "  aggregate-address 10.1.0.0/16" "$TMPD/run.txt"
pe -c "configure" -c "router bgp 65000" -c "address-family ipv4 unicast" -c "no network 10.1.1.0/24" \
	-c "no network 10.1.2.0/24" -c "end" >/dev/null
check "the last contributor gone: the aggregate is withdrawn" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.0.0/16":null,"10.1.1.0/24":null}}'
check "and its blackhole leaves pe's routing table" wait_json "$PE" "show ip route json" '{"10.1.0.0/16":null}'
pe -c "configure" -c "router bgp 65000" -c "network 10.1.9.0/24" -c "end" >/dev/null
check "a contributor again: the aggregate is back" wait_json "$CE" "show bgp ipv4 unicast json" \
	'{"routes":{"10.1.0.0/16":[{"valid":true}],"10.1.9.0/24":[{"valid":true}]}}'

# secrets
check "show running-config masks the neighbor password" grep -qx " neighbor 10.7.1.2 password <hidden>" "$TMPD/run.txt"
check "and the line password" grep -qx "password <hidden>" "$TMPD/run.txt"
check "no secret in show running-config" sh -c "! grep -q s3cret '$TMPD/run.txt'"
pe -c "show running-config with-secrets" >"$TMPD/runs.txt"
check "with-secrets shows them" grep -qx " neighbor 10.7.1.2 password md5-s3cret" "$TMPD/runs.txt"
pe -c "write memory" >/dev/null
check "write memory writes the real password" grep -qx " neighbor 10.7.1.2 password md5-s3cret" "$TMPD/pe.conf"
check "the saved file is mode 0600" test "$(stat -c %a "$TMPD/pe.conf")" = 600
check "pe's log holds no secret" sh -c "! grep -q s3cret '$TMPD/$PE.log'"
check "the saved file loads again" "$PED" -C -f "$TMPD/pe.conf"

# interface lo vrf A: the kernel does not move lo
pe -c "configure" -c "vrf A" -c "exit-vrf" -c "interface lo vrf A" >"$TMPD/lo.out" 2>&1
check "interface lo vrf A is refused with the reason" \
	grep -q "% Interface lo cannot move to VRF A: the kernel keeps loopback devices in their namespace" "$TMPD/lo.out"
pe -c "show running-config" >"$TMPD/run2.txt"
check "and not kept in the running config" sh -c "! grep -q '^interface lo' '$TMPD/run2.txt'"

topo_done
