#!/bin/bash
# Hitless restart with FRR as the BGP helper: l3vpn-basic's pe1 -- p1 -- pe2
# (ped) with FRR 8.4 bgpd as the VPNv4/VPNv6 route reflector (rr1, hanging
# off p1, its OSPF area), the PEs peering only with rr1, `bgp
# graceful-restart` on all three, LDP graceful restart on the peds. ce1a
# pings ce2a at 100 packets/s while pe1, then pe2, restart ped (`petopo
# restart`: SIGTERM, start again from the same configuration). Checks:
# - FRR saw the restart (its neighbor JSON: the PE's graceful-restart
#   capability with the restart and forwarding-state bits as FRR shows
#   them), kept the PE's routes meanwhile and reflected them on;
# - each ped adopted its pinned forwarding and completed the restart once
#   FRR's End-of-RIB arrived;
# - 0 packets lost (the figure is printed).
. "$(dirname "$0")/petopo_lib.sh"
pt_init f
if [ ! -x /usr/lib/frr/bgpd ]; then
	echo "SKIP: FRR is not installed"
	exit 77
fi

D="$TMPD/l3vpn-basic"
cp -r "$TOPOS/l3vpn-basic" "$TOPOS/l3vpn-basic.yml" "$TMPD/"
for n in pe1 pe2; do
	sed -i -e 's/^ bgp router-id .*/&\n bgp graceful-restart/' \
		-e '/neighbor/s/10\.255\.0\.[13]\b/10.255.0.4/' "$D/$n.conf"
done
for n in pe1 p1 pe2; do
	sed -i 's/^ router-id 10\.255\..*/&\n graceful-restart/' "$D/$n.conf"
done
$PY - "$TMPD/l3vpn-basic.yml" "$D/p1-ospf.conf" <<'EOF'
import sys
y, o = sys.argv[1], sys.argv[2]
s = open(y).read()
s = s.replace("        eth2: {address: 10.0.23.2/24}\n",
              "        eth2: {address: 10.0.23.2/24}\n        eth3: {address: 10.0.24.2/24}\n", 1)
s = s.replace("    ce1a:\n", """    rr1:
      kind: frr
      daemons: [bgpd, ospfd]
      startup-config: l3vpn-basic/rr1.conf
      loopback: 10.255.0.4/32
      interfaces:
        eth1: {address: 10.0.24.4/24}
    ce1a:
""", 1)
s = s.rstrip("\n") + '\n    - endpoints: ["p1:eth3", "rr1:eth1"]\n'
open(y, "w").write(s)
c = open(o).read()
c = c.replace("router ospf\n", """interface eth3
 ip ospf area 0
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 3
exit
!
router ospf
""", 1)
open(o, "w").write(c)
EOF
cat >"$D/rr1.conf" <<'EOF'
frr defaults traditional
hostname rr1
interface lo
 ip ospf area 0
exit
interface eth1
 ip ospf area 0
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 3
exit
router ospf
 ospf router-id 10.255.0.4
exit
router bgp 65000
 bgp router-id 10.255.0.4
 bgp cluster-id 10.255.0.4
 bgp graceful-restart
 no bgp default ipv4-unicast
 neighbor PE peer-group
 neighbor PE remote-as 65000
 neighbor PE update-source lo
 neighbor PE timers connect 1
 neighbor 10.255.0.1 peer-group PE
 neighbor 10.255.0.3 peer-group PE
 address-family ipv4 vpn
  neighbor PE activate
  neighbor PE route-reflector-client
 exit-address-family
 address-family ipv6 vpn
  neighbor PE activate
  neighbor PE route-reflector-client
 exit-address-family
exit
end
EOF
grep -q "neighbor 10.255.0.4 remote-as" "$D/pe1.conf" && grep -q "neighbor 10.255.0.4 remote-as" "$D/pe2.conf" || { fail "configs"; pt_done; exit 1; }

"$PETOPO" up --name "$T" "$TMPD/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
VTY="$PETOPO_RUNDIR/$T/rr1"
rr() { vtysh --vty_socket "$VTY" -c "$1"; }
check "pe1 CUST-A: 192.168.2.0/24 reflected by rr1" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp","selected":true}]}' 240
check "pe2 CUST-A: 192.168.1.0/24 reflected by rr1" wait_json pe2 "show ip route vrf CUST-A json" \
	'{"192.168.1.0/24":[{"protocol":"bgp","selected":true}]}' 240
X() { "$PETOPO" exec "$T:$1" -- "${@:2}"; }
ping_ok() { X ce1a ping -c 1 -W 1 -I 192.168.1.1 192.168.2.1 >/dev/null 2>&1; }
check "ce1a reaches ce2a" retry 120 ping_ok
# FRR's view of pe1's capability: restart mode, our restart time
rr_sees_gr() {
	rr "show bgp neighbors 10.255.0.1 json" | $PY -c '
import json,sys
n = json.load(sys.stdin)["10.255.0.1"]
g = n.get("gracefulRestartInfo", {})
assert g.get("remoteGrMode") == "Restart", g
assert n["neighborCapabilities"].get("gracefulRestart") == "advertisedAndReceived", n["neighborCapabilities"]'
}
check "rr1 (FRR): pe1 is a graceful-restart speaker in Restart mode" retry 40 rr_sees_gr

# ping_during NODE: 100 packets/s from ce1a to ce2a while NODE restarts;
# sets tx and rx
ping_during() {
	local n="$1" pid
	"$PETOPO" exec "$T:ce1a" -- ping -q -i 0.01 -W 1 -I 192.168.1.1 192.168.2.1 >"$TMPD/ping.$n" 2>&1 &
	pid=$!
	sleep 1
	check "$n: restarted, adopted its forwarding, completed on FRR's End-of-RIB" restart_node "$n"
	sleep 1
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	read -r tx rx < <(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$TMPD/ping.$n")
	"$PESH" -N "$n" -c "show dataplane json" | $PY -c '
import json,sys
r = json.load(sys.stdin)["restart"]
print("    %s: restart complete after %.2f s (%s); %s sent, %s received" % (sys.argv[1], r["tookSecs"], r["completedBy"], sys.argv[2], sys.argv[3]))' "$n" "$tx" "$rx"
	total_tx=$((total_tx + tx)); total_rx=$((total_rx + rx))
}
restart_node() {
	local n="$1"
	"$PETOPO" restart "$T:$n" >"$TMPD/restart.$n" 2>&1 || { cat "$TMPD/restart.$n"; return 1; }
	wait_json "$n" "show dataplane json" '{"restart":{"state":"complete"}}' 400 || return 1
	"$PESH" -N "$n" -c "show dataplane json" | $PY -c '
import json,re,sys
r = json.load(sys.stdin)["restart"]
m = re.match(r"(\d+)/(\d+) BGP peers back", r["completedBy"])
sys.exit(0 if r["portsSwitched"] > 0 and m and m.group(1) == m.group(2) else 1)'
}
total_tx=0 total_rx=0
for n in pe1 pe2; do
	ping_during "$n"
done
tx=$total_tx rx=$total_rx
echo "    FRR route reflector as helper: $tx sent, $rx received, $((tx - rx)) lost over two restarts"
lost_ok() { [ "$tx" -gt 500 ] && [ "$rx" -eq "$tx" ]; }
check "0 packets lost at 100/s while pe1 and pe2 restart behind FRR's reflector" lost_ok
rr_fresh() { # rr1 holds pe1's and pe2's routes, none stale
	rr "show bgp ipv4 vpn json" | $PY -c '
import json,sys
d = json.load(sys.stdin)
paths = [p for rd in d["routes"]["routeDistinguishers"].values() for ps in rd.values() for p in ps]
assert len(paths) >= 4, len(paths)
assert not any(p.get("stale") for p in paths), "stale paths left"'
}
check "rr1: the PEs' routes are fresh again after their End-of-RIB" retry 40 rr_fresh
pt_done
