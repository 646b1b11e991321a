#!/bin/bash
# petopo with FRR nodes (interop-frr: our PEs, FRR P router p1 with OSPF and
# LDP, FRR route reflector rr1): every FRR daemon runs with its own vty
# socket and its config loaded; OSPF p1--rr1 comes up and carries the PE
# loopbacks; rr1's loopback reaches pe1's through p1 and ped's static
# routes; rr1 has both PEs configured as VPNv4 clients (Active: ped has no
# BGP yet); LDP is active on p1's PE links; audit has the FRR commands;
# down stops every FRR daemon and leaves nothing. A broken FRR config is
# refused before anything is created.
. "$(dirname "$0")/petopo_lib.sh"
pt_init r
if [ ! -x /usr/lib/frr/zebra ] || ! command -v vtysh >/dev/null; then
	echo "SKIP: FRR is not installed (tests/deps.sh installs it)"
	exit 77
fi

vty() { local n="$1"; shift; local a=() c; for c in "$@"; do a+=(-c "$c"); done; vtysh --vty_socket "$PETOPO_RUNDIR/$T/$n" "${a[@]}"; }

"$PETOPO" up --name "$T" "$TOPOS/interop-frr.yml" >"$TMPD/up.out" 2>&1
rc=$?
check "petopo up interop-frr succeeds" test $rc -eq 0
[ $rc -eq 0 ] || { cat "$TMPD/up.out"; pt_done; exit 1; }

"$PETOPO" status "$T" --json >"$TMPD/status.json"
check "status: FRR and ped daemons alive" $JSONCMP \
	'{"nodes":{"p1":{"kind":"frr","daemons":[{"name":"zebra","alive":true},{"name":"ospfd","alive":true},{"name":"ldpd","alive":true},{"name":"staticd","alive":true}]},
	  "rr1":{"daemons":[{"name":"zebra","alive":true},{"name":"bgpd","alive":true},{"name":"ospfd","alive":true}]},
	  "pe1":{"daemons":[{"name":"ped","alive":true}]},"pe2":{"daemons":[{"name":"ped","alive":true}]}}}' <"$TMPD/status.json"
for n in p1 rr1; do
	check "vtysh reaches $n" vty $n "show version"
done
check "FRR daemons see the node name as hostname" sh -c "nsenter -t \$(cat $PETOPO_RUNDIR/$T/p1/zebra.pid) -u hostname | grep -qx p1"
check "rr1 config loaded (route reflector)" sh -c "vtysh --vty_socket $PETOPO_RUNDIR/$T/rr1 -c 'show running-config' | grep -q 'neighbor PE route-reflector-client'"
check "p1 config loaded (mpls ldp)" sh -c "vtysh --vty_socket $PETOPO_RUNDIR/$T/p1 -c 'show running-config' | grep -q '^mpls ldp'"
check "p1: LDP active on the PE links" sh -c "vtysh --vty_socket $PETOPO_RUNDIR/$T/p1 -c 'show mpls ldp interface json' | $JSONCMP '{\"eth1: ipv4\":{\"state\":\"ACTIVE\"},\"eth2: ipv4\":{\"state\":\"ACTIVE\"}}'"
check "p1: static routes to the PE loopbacks in the kernel" sh -c "ip -n $T-p1 route show 10.255.0.1 | grep -q 'via 10.0.12.1'"
check "OSPF p1--rr1 Full" retry 120 sh -c "vtysh --vty_socket $PETOPO_RUNDIR/$T/rr1 -c 'show ip ospf neighbor json' | $JSONCMP '{\"neighbors\":{\"10.255.0.2\":[{\"converged\":\"Full\"}]}}'"
check "rr1 learns pe1's loopback over OSPF" retry 120 sh -c "vtysh --vty_socket $PETOPO_RUNDIR/$T/rr1 -c 'show ip route 10.255.0.1/32 json' | $JSONCMP '{\"10.255.0.1/32\":[{\"protocol\":\"ospf\",\"installed\":true}]}'"
check "rr1 loopback pings pe1 loopback (FRR OSPF + ped statics)" retry 20 ip netns exec "$T-rr1" ping -c1 -W1 -I 10.255.0.4 10.255.0.1
check "rr1 has pe1 and pe2 as VPNv4 peers" sh -c "vtysh --vty_socket $PETOPO_RUNDIR/$T/rr1 -c 'show bgp ipv4 vpn summary json' | $JSONCMP '{\"as\":65000,\"peers\":{\"10.255.0.1\":{\"remoteAs\":65000},\"10.255.0.3\":{\"remoteAs\":65000}}}'"
check "ce1a pings pe1 in VRF CUST-A" ip netns exec "$T-ce1a" ping -c1 -W2 10.1.1.1

"$PETOPO" audit "$T" >"$TMPD/audit.json"
check "audit: FRR nodes with their commands" $JSONCMP \
	'{"topology":"'"$T"'","nodes":{"p1":{"kind":"frr","commands":{"show ip route json":{},"show mpls ldp binding json":{},"show ip ospf neighbor json":{}},"errors":{}},
	  "rr1":{"commands":{"show bgp ipv4 vpn json":{},"show bgp summary json":{}},"errors":{}},"pe1":{"commands":{"show vrf json":{}}}}}' <"$TMPD/audit.json"

pt_pids "$T" >"$TMPD/pids"
check "9 daemons recorded" test "$(wc -l <"$TMPD/pids")" -eq 9
check "petopo down succeeds" "$PETOPO" down "$T"
check "nothing left: namespaces, state, FRR run directories" nothing_left "$T"
check "nothing left: no recorded pid alive (ldpd's children included)" pids_gone <"$TMPD/pids"
check "no FRR process of ours left" sh -c "! pgrep -f -- '--vty_socke[t] $PETOPO_RUNDIR/$T/' >/dev/null"

# a broken FRR config is refused before anything is created
mkdir -p "$TMPD/bad/interop-frr"
cp "$TOPOS/interop-frr.yml" "$TMPD/bad/"
cp "$TOPOS"/interop-frr/*.conf "$TMPD/bad/interop-frr/"
sed -i 's/^ neighbor PE remote-as 65000$/ neighbor PE remote-as sixty-five-thousand/' "$TMPD/bad/interop-frr/rr1.conf"
"$PETOPO" up --name "$T" "$TMPD/bad/interop-frr.yml" >"$TMPD/bad.out" 2>&1
check "broken FRR config: up fails" test $? -eq 1
check "broken FRR config: says so for rr1" grep -q "node rr1: startup-config interop-frr/rr1.conf has errors (vtysh -C)" "$TMPD/bad.out"
check "broken FRR config: nothing created" nothing_left "$T"
pt_done
