#!/bin/bash
# The demo testbed (until petopo lands): one PE with two customers that use the
# very same addresses, each in its own VRF backed by a network namespace.
#
#   ce1a (10.9.1.2) --eth1-- [ pe1: VRF CUST-A | VRF CUST-B ] --eth2-- ce1b (10.9.1.2)
#
# Installs dependencies, builds, brings the testbed up, shows the VRF tables,
# pings each CE's PE address inside its VRF, and tears everything down
# (also on failure or Ctrl-C). With --keep it stays up for you to explore:
#   pesh -N demo-pe1          then e.g.  show ip route vrf all
# and `topologies/demo.sh --down` removes it.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
P=demo
export PE_RUNDIR=/run/pe

down() {
	if [ -f "/run/pe/$P-pe1/ped.pid" ]; then
		pid=$(cat "/run/pe/$P-pe1/ped.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	for ns in $(ip netns list | awk '{print $1}' | grep "^$P-" || true); do
		ip netns del "$ns"
	done
	rm -rf "/run/pe/$P-pe1"
}

if [ "${1:-}" = "--down" ]; then down; exit 0; fi
keep=0
[ "${1:-}" = "--keep" ] && keep=1

bash tests/deps.sh
if [ ! -x pe/ped ] || [ ! -x cli/pesh ]; then
	[ -x configure ] || autoreconf -fi
	[ -f Makefile ] || ./configure
	make -j"$(nproc)"
fi
[ $keep -eq 1 ] || trap down EXIT INT TERM
down

ip netns add $P-pe1; ip netns add $P-ce1a; ip netns add $P-ce1b
for ns in $P-pe1 $P-ce1a $P-ce1b; do ip -n $ns link set lo up; done
ip link add eth1 netns $P-pe1 type veth peer name eth0 netns $P-ce1a
ip link add eth2 netns $P-pe1 type veth peer name eth0 netns $P-ce1b
for ce in $P-ce1a $P-ce1b; do
	ip -n $ce addr add 10.9.1.2/24 dev eth0
	ip -n $ce link set eth0 up
	ip -n $ce route add default via 10.9.1.1
done

conf=$(mktemp /tmp/demo-pe1.XXXXXX.conf)
cat >"$conf" <<'CONF'
hostname pe1
vrf CUST-A
 rd 65000:1
 route-target both 65000:1
 ip route 192.168.1.0/24 10.9.1.2
exit-vrf
vrf CUST-B
 rd 65000:2
 route-target both 65000:2
 ip route 192.168.1.0/24 10.9.1.2
 ip route 192.168.9.0/24 blackhole
exit-vrf
interface eth1 vrf CUST-A
 description to ce1a
 ip address 10.9.1.1/24
exit
interface eth2 vrf CUST-B
 description to ce1b
 ip address 10.9.1.1/24
exit
CONF
ip netns exec $P-pe1 "$top/pe/ped" -d -N $P-pe1 -f "$conf" -l /tmp/$P-pe1.log
for _ in $(seq 50); do [ -S /run/pe/$P-pe1/ped.sock ] && break; sleep 0.1; done
sleep 1

run() { echo "pe1# $1"; "$top/cli/pesh" -N $P-pe1 -c "$1"; echo; }
run "show vrf"
run "show interface brief"
run "show ip route vrf all"
run "show ip route vrf CUST-A 192.168.1.0/24 json"
echo "ce1a$ ping 10.9.1.1 (its PE, inside VRF CUST-A)"
ip netns exec $P-ce1a ping -c 2 -W 2 10.9.1.1
echo "ce1b$ ping 10.9.1.1 (its PE, inside VRF CUST-B: same address, other VRF)"
ip netns exec $P-ce1b ping -c 2 -W 2 10.9.1.1
if [ $keep -eq 1 ]; then
	echo "testbed is up: pesh -N $P-pe1 ; remove it with: $0 --down"
else
	echo "demo done; tearing down"
fi
