#!/bin/bash
# The demo: the l3vpn-basic testbed built by petopo. Two customers, A and B,
# use the very same addresses at both of their sites; VRFs CUST-A and CUST-B
# on pe1 and pe2 keep them apart.
#
#   ce1a --+                         +-- ce2a     192.168.1.0/24 behind ce1a and ce1b
#          pe1 ---- p1 ---- pe2                   192.168.2.0/24 behind ce2a and ce2b
#   ce1b --+                         +-- ce2b     (topologies/l3vpn-basic.yml)
#
# Installs the dependencies, builds if needed, brings the testbed up, shows
# the VRFs and their routes, pings each CE's PE inside its VRF, and tears
# everything down (also on failure or Ctrl-C). With --keep it stays up for
# you to explore:
#   pesh -N pe1                       then e.g.  show ip route vrf all
#   topologies/petopo exec ce1a -- ping 10.1.1.1
#   topologies/petopo status l3vpn-basic
# and `topologies/demo.sh --down` (or `petopo down l3vpn-basic`) removes it.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
TOPO=l3vpn-basic
PETOPO="$top/topologies/petopo"
PESH="$top/cli/pesh"

if [ "${1:-}" = "--down" ]; then
	"$PETOPO" down "$TOPO"
	exit 0
fi
keep=0
[ "${1:-}" = "--keep" ] && keep=1

bash tests/deps.sh
if [ ! -x pe/ped ] || [ ! -x cli/pesh ] || [ ! -x topologies/petopo ]; then
	[ -x configure ] || autoreconf -fi
	[ -f Makefile ] || ./configure
	make -j"$(nproc)"
fi

"$PETOPO" down "$TOPO" >/dev/null 2>&1 || true # a testbed left up by --keep
[ $keep -eq 1 ] || trap '"$PETOPO" down "$TOPO"' EXIT
"$PETOPO" up "topologies/$TOPO.yml"
echo

run() { echo "$1# $2"; "$PESH" -N "$1" -c "$2"; echo; }
run pe1 "show vrf"
run pe1 "show ip route vrf all"
run pe2 "show ip route vrf all"
for c in "ce1a CUST-A 10.1.1.1 pe1" "ce1b CUST-B 10.1.1.1 pe1" \
	"ce2a CUST-A 10.2.1.1 pe2" "ce2b CUST-B 10.2.1.1 pe2"; do
	set -- $c
	echo "$1\$ ping $3    (its PE $4, in VRF $2: both customers use this address)"
	"$PETOPO" exec "$1" -- ping -c 2 -W 2 "$3"
done
echo
"$PETOPO" status "$TOPO"
if [ $keep -eq 1 ]; then
	echo
	echo "the testbed is up: pesh -N pe1, $PETOPO exec ce1a -- ..., $PETOPO audit $TOPO"
	echo "remove it with: $0 --down"
else
	echo
	echo "demo done; tearing down"
fi
