#!/bin/bash
# BGP graceful restart, ped as the helper of a restarting FRR 8.4 bgpd
# (RFC 4724, RFC 8538). ped in ${TP}a (10.0.0.1, AS 65000), FRR bgpd in
# ${TP}b (10.0.0.2, AS 65001, `bgp graceful-restart`, `preserve-fw-state`,
# restart time 8 s) originating 10.9.1.0/24 and 10.9.2.0/24.
# Checks: the capability both ways with FRR's JSON fields on ped (remote
# mode Restart, received restart time, F bit) and on FRR (remote mode
# Helper); FRR's bgpd killed (no NOTIFICATION): ped keeps both routes,
# marked stale, in BGP and in its routing table; FRR back with only
# 10.9.1.0/24: after its End-of-RIB the route it announced again is no
# longer stale and the other is gone; FRR killed and not restarted: the
# stale route goes when the 8 s restart time expires (measured); with
# `bgp graceful-restart-disable` on ped, a killed FRR's routes go at once;
# a restart whose FIN was lost (FRR reconnects while ped's session still
# looks Established) is taken as a restart: the old session ends without a
# NOTIFICATION and the routes are kept. Long-lived graceful restart (RFC
# 9494): FRR with restart time 4 s and long-lived stale time 6 s killed: its
# route stays stale, then long-lived stale (llgr-stale community) after 4 s,
# in the routing table, and goes after 4 + 6 s (measured).
. "$(dirname "$0")/lib.sh"
topo_init bgr
if [ ! -x /usr/lib/frr/bgpd ]; then
	echo "SKIP: FRR is not installed"
	exit 77
fi
NA="${TP}a"
NB="${TP}b"
FRUN="$TMPD/frr"
PY=/usr/bin/python3

ns_pair "$NA" "$NB" "${TP}x" "${TP}y" 10.0.0.1/30 10.0.0.2/30 || exit 1
mkdir -p "$FRUN"
chmod 755 "$TMPD" "$FRUN"

frr_conf() { # the networks FRR originates
	{
		echo "router bgp 65001"
		echo " bgp router-id 10.0.0.2"
		echo " no bgp ebgp-requires-policy"
		echo " no bgp network import-check"
		echo " bgp graceful-restart"
		echo " bgp graceful-restart preserve-fw-state"
		echo " bgp graceful-restart restart-time ${RESTART_TIME:-8}"
		[ -z "${LLGR_TIME:-}" ] || echo " bgp long-lived-graceful-restart stale-time $LLGR_TIME"
		echo " neighbor 10.0.0.1 remote-as 65000"
		echo " neighbor 10.0.0.1 timers connect 1"
		echo " address-family ipv4 unicast"
		for n in "$@"; do echo "  network $n"; done
		echo " exit-address-family"
	} >"$FRUN/bgpd.conf"
	chown -R frr:frr "$FRUN"
}
FRRPID=""
frr_start() {
	rm -f "$FRUN/bgpd.pid"
	ip netns exec "$NB" /usr/lib/frr/bgpd -d -Z -u frr -g frr --vty_socket "$FRUN" \
		-i "$FRUN/bgpd.pid" -f "$FRUN/bgpd.conf" --log "file:$FRUN/bgpd.log" 2>/dev/null || return 1
	for _ in $(seq 50); do [ -s "$FRUN/bgpd.pid" ] && break; sleep 0.1; done
	FRRPID=$(cat "$FRUN/bgpd.pid")
	PIDS="$PIDS $FRRPID"
}
frr_kill() { # SIGKILL: the kernel closes the TCP connection, no NOTIFICATION
	kill -9 "$FRRPID" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$FRRPID" 2>/dev/null || break; sleep 0.1; done
}
VTY=(vtysh --vty_socket "$FRUN")

cat >"$TMPD/a.conf" <<EOF
hostname a
router bgp 65000
 bgp router-id 10.0.0.1
 no bgp ebgp-requires-policy
 neighbor 10.0.0.2 remote-as 65001
 neighbor 10.0.0.2 timers connect 1
EOF
frr_conf 10.9.1.0/24 10.9.2.0/24
frr_start || { fail "FRR bgpd started"; topo_done; exit 1; }
start_ped "$NA" "$NA" "$TMPD/a.conf" || { fail "ped started"; topo_done; exit 1; }
N=(wait_json "$NA" "show bgp neighbors 10.0.0.2 json")
route() { # route PREFIX: its BGP path as JSON, or nothing
	"$PESH" -N "$NA" -c "show bgp ipv4 unicast json" | $PY -c 'import json,sys
d=json.load(sys.stdin).get("routes",{}).get(sys.argv[1])
print(json.dumps(d[0]) if d else "")' "$1"
}
has_stale() { route "$1" | grep -q '"stale": *true'; }
has_fresh() { local r; r=$(route "$1"); [ -n "$r" ] && ! printf '%s' "$r" | grep -q '"stale"'; }
absent() { [ -z "$(route "$1")" ]; }
in_table() { "$PESH" -N "$NA" -c "show ip route json" | grep -q "\"$1\""; }
waitfor() { local _; for _ in $(seq "${TRIES:-60}"); do "$@" && return 0; sleep 0.2; done; return 1; }

check "Established with the capability both ways (ped's view, FRR's field names)" "${N[@]}" \
	'{"10.0.0.2":{"bgpState":"Established","neighborCapabilities":{"gracefulRestart":"advertisedAndReceived","gracefulRestartRemoteTimerMsecs":8000},"gracefulRestartInfo":{"localGrMode":"Helper*","remoteGrMode":"Restart","timers":{"configuredRestartTimer":120,"receivedRestartTimer":8},"ipv4Unicast":{"fBit":true}}}}' 100
check "FRR sees ped as a helper" sh -c "'${VTY[0]}' '${VTY[1]}' '${VTY[2]}' -c 'show bgp neighbors 10.0.0.1 json' | $JSONCMP '{\"10.0.0.1\":{\"gracefulRestartInfo\":{\"remoteGrMode\":\"Helper\"}}}'"
check "both routes received" waitfor has_fresh 10.9.2.0/24
check "FRR's End-of-RIB recorded" "${N[@]}" '{"10.0.0.2":{"gracefulRestartInfo":{"endOfRibRecv":{"ipv4Unicast":true}}}}' 20

frr_kill
check "FRR killed: the session is down" "${N[@]}" '{"10.0.0.2":{"bgpState":"Active"}}' 50
check "its routes are kept, stale" waitfor has_stale 10.9.1.0/24
check "both of them" has_stale 10.9.2.0/24
check "and still in the routing table" in_table 10.9.2.0/24
check "ped shows the family as kept" "${N[@]}" '{"10.0.0.2":{"gracefulRestartInfo":{"ipv4Unicast":{"staleRoutesKept":true}}}}' 5

frr_conf 10.9.1.0/24
frr_start || fail "FRR bgpd restarted"
check "FRR back: Established again" "${N[@]}" '{"10.0.0.2":{"bgpState":"Established"}}' 100
check "after its End-of-RIB: the route announced again is fresh" waitfor has_fresh 10.9.1.0/24
check "and the one it no longer announces is gone" waitfor absent 10.9.2.0/24
check "nothing kept any more" "${N[@]}" '{"10.0.0.2":{"gracefulRestartInfo":{"ipv4Unicast":{"staleRoutesKept":false}}}}' 5

T0=$(date +%s%N)
frr_kill
check "killed again: the route is kept, stale" waitfor has_stale 10.9.1.0/24
TRIES=100 waitfor absent 10.9.1.0/24
T1=$(date +%s%N)
echo "    measured: the stale route went $(( (T1 - T0) / 1000000 )) ms after FRR died (its restart time: 8 s)"
check "gone after the restart time" test $(( (T1 - T0) / 1000000 )) -ge 7500 -a $(( (T1 - T0) / 1000000 )) -le 12000
check "the kernel route too" sh -c "! '$PESH' -N '$NA' -c 'show ip route json' | grep -q 10.9.1.0/24"

# a restart whose FIN is lost (a blackhole on FRR's side when it dies): ped's
# session still looks up when FRR's new connection arrives (RFC 4724 4.2)
frr_start || fail "FRR bgpd restarted"
check "FRR back once more" "${N[@]}" '{"10.0.0.2":{"bgpState":"Established"}}' 100
check "its route is back" waitfor has_fresh 10.9.1.0/24
EST0=$("$PESH" -N "$NA" -c "show bgp neighbors 10.0.0.2 json" | $PY -c 'import json,sys; print(json.load(sys.stdin)["10.0.0.2"]["connectionsEstablished"])')
ip -n "$NB" route add blackhole 10.0.0.1/32
frr_kill
# the dead process's socket would retransmit its FIN once the route is back:
# destroy it (ss -K, INET_DIAG_DESTROY) so that it never reaches ped
ip netns exec "$NB" ss -K '( sport = :179 or dport = :179 )' >/dev/null 2>&1
ip -n "$NB" route del blackhole 10.0.0.1/32
check "FRR dead with its FIN lost: ped's session still Established" "${N[@]}" '{"10.0.0.2":{"bgpState":"Established"}}' 1
frr_start || fail "FRR bgpd restarted"
check "the new connection replaces the old one" "${N[@]}" \
	"{\"10.0.0.2\":{\"bgpState\":\"Established\",\"connectionsEstablished\":$((EST0 + 1))}}" 100
check "as a restart: the route stayed and is fresh again after End-of-RIB" waitfor has_fresh 10.9.1.0/24
check "ped said why" grep -q "new connection while Established: the peer restarted" "$TMPD/$NA.log"

# long-lived graceful restart (RFC 9494): FRR with restart time 4 s and a
# long-lived stale time of 6 s
frr_kill
RESTART_TIME=4 LLGR_TIME=6 frr_conf 10.9.1.0/24
frr_start || fail "FRR bgpd restarted"
check "with LLGR: FRR's capability received (FRR's field name)" "${N[@]}" \
	'{"10.0.0.2":{"bgpState":"Established","neighborCapabilities":{"longLivedGracefulRestart":"received"}}}' 100
check "the route is back, fresh" waitfor has_fresh 10.9.1.0/24
llgr_stale() { route "$1" | grep -q '"llgr-stale"'; }
T0=$(date +%s%N)
frr_kill
check "killed: kept, stale" waitfor has_stale 10.9.1.0/24
check "not yet long-lived (restart time first)" sh -c "! '$PESH' -N '$NA' -c 'show bgp ipv4 unicast json' | grep -q llgr-stale"
check "after the restart time: LLGR stale (community llgr-stale)" waitfor llgr_stale 10.9.1.0/24
T1=$(date +%s%N)
check "still in the routing table" in_table 10.9.1.0/24
check "ped says so in its log" grep -q "long-lived graceful restart: 1 ipv4 unicast routes kept as LLGR stale for up to 6 s" "$TMPD/$NA.log"
TRIES=100 waitfor absent 10.9.1.0/24
T2=$(date +%s%N)
echo "    measured: long-lived stale $(( (T1 - T0) / 1000000 )) ms after FRR died (restart time 4 s), gone after $(( (T2 - T0) / 1000000 )) ms (4 + 6 s)"
check "gone after restart time + long-lived stale time" test $(( (T2 - T0) / 1000000 )) -ge 9500 -a $(( (T2 - T0) / 1000000 )) -le 14000
frr_start || fail "FRR bgpd restarted"

"$PESH" -N "$NA" -c "configure terminal" -c "router bgp 65000" -c "bgp graceful-restart-disable" >/dev/null
frr_kill
frr_start || fail "FRR bgpd restarted"
check "with graceful-restart-disable: Established, no capability from ped" "${N[@]}" \
	'{"10.0.0.2":{"bgpState":"Established","neighborCapabilities":{"gracefulRestartCapability":"received"},"gracefulRestartInfo":{"localGrMode":"Disable*"}}}' 100
check "the route is back" waitfor has_fresh 10.9.1.0/24
frr_kill
check "killed: its routes go at once" waitfor absent 10.9.1.0/24
check "running configuration writes the mode" sh -c "'$PESH' -N '$NA' -c 'show running-config' | grep -q '^ bgp graceful-restart-disable'"

topo_done
