#!/bin/bash
# An IGP beside ped (tests/data/topo/isis.yml: r1 -- r2, isisd on both):
# petopo starts zebra and isisd before ped in each node's namespace, with
# their own config; status lists zebra, isisd and ped alive; the loopbacks
# are known through IS-IS only, in the kernel (proto isis) and in ped's show
# ip route (kernel routes) and they reach each other; ped's `shutdown` of the
# link drops the route in ped too (the kernel flushes it without a netlink
# message), `no shutdown` brings it back; down stops all six daemons by pid
# and leaves nothing; the audit has isisd's neighbors beside ped's commands.
# A frr-config with an error is refused by petopo check with vtysh's message
# under the node's frr-config line.
. "$(dirname "$0")/petopo_lib.sh"
pt_init i

if ! getent passwd frr >/dev/null || [ ! -x /usr/lib/frr/isisd ]; then
	echo "SKIP: FRR (isisd) is not installed"
	exit 77
fi
DATA="$top_srcdir/tests/data/topo"

"$PETOPO" up --name "$T" "$DATA/isis.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }
check "up: 6 daemons (zebra, isisd and ped on r1 and r2)" grep -q "2 nodes, 1 links, 6 daemons" "$TMPD/up.out"

"$PETOPO" status "$T" --json >"$TMPD/status.json"
check "status: zebra, isisd, then ped, alive, on both nodes" $JSONCMP \
	'{"nodes":{"r1":{"kind":"ped","daemons":[{"name":"zebra","alive":true},{"name":"isisd","alive":true},{"name":"ped","alive":true}]},
	  "r2":{"daemons":[{"name":"zebra","alive":true},{"name":"isisd","alive":true},{"name":"ped","alive":true}]}}}' <"$TMPD/status.json"
check "isisd of r1 has r2 as an IS-IS neighbor" vty_json_at "$PETOPO_RUNDIR/$T/r1" 'show isis neighbor json' '{"areas":[{"area":"core","circuits":[{"adj":"r2"}]}]}'
check "the kernel of r1 has r2's loopback from IS-IS" \
	retry 40 sh -c "ip -n $T-r1 route show 10.255.71.2 proto isis | grep -q 'via 10.71.0.2 dev eth1'"
check "ped of r1 follows it (a kernel route)" wait_json r1 'show ip route json' \
	'{"10.255.71.2/32":[{"protocol":"kernel","selected":true,"nexthops":[{"ip":"10.71.0.2","interfaceName":"eth1"}]}]}'
check "r1's loopback reaches r2's" retry 20 ip netns exec "$T-r1" ping -c1 -W1 -I 10.255.71.1 10.255.71.2

"$PESH" -N r1 -c "configure terminal" -c "interface eth1" -c "shutdown" >/dev/null
check "link shut in ped: gone from the kernel" \
	retry 20 sh -c "! ip -n $T-r1 route show 10.255.71.2 | grep -q ."
check "and from ped, though the kernel said nothing" wait_json r1 'show ip route json' '{"10.255.71.2/32":null}'
"$PESH" -N r1 -c "configure terminal" -c "interface eth1" -c "no shutdown" >/dev/null
check "no shutdown: IS-IS brings r2's loopback back into ped" wait_json r1 'show ip route json' \
	'{"10.255.71.2/32":[{"protocol":"kernel","selected":true}]}' 120

"$PETOPO" audit "$T" --out "$TMPD/audit.json"
check "audit of r1: ped's commands and isisd's neighbors" $JSONCMP \
	'{"nodes":{"r1":{"kind":"ped","commands":{"show isis neighbor json":{"areas":[{"area":"core"}]},"show ip route json":{"10.255.71.2/32":[{"protocol":"kernel"}]}}}}}' <"$TMPD/audit.json"
pt_pids "$T" >"$TMPD/pids"
check "6 daemons recorded" test "$(wc -l <"$TMPD/pids")" -eq 6
check "down" "$PETOPO" down "$T"
check "nothing left" nothing_left "$T"
check "no recorded pid alive" pids_gone <"$TMPD/pids"

# a broken frr-config: refused before anything is created
mkdir -p "$TMPD/bad/isis"
cp "$DATA/isis.yml" "$TMPD/bad/"
cp "$DATA"/isis/*.conf "$TMPD/bad/isis/"
sed -i 's/^ is-type level-2-only$/ is-type level-9/' "$TMPD/bad/isis/r2-isis.conf"
"$PETOPO" check "$TMPD/bad/isis.yml" >"$TMPD/bad.out" 2>&1
check "broken frr-config: check fails" test $? -eq 1
check "broken frr-config: under the node's frr-config line, with vtysh's message" \
	grep -q "isis.yml:20:19: node r2: frr-config isis/r2-isis.conf has errors (vtysh -C)" "$TMPD/bad.out"
pt_done
