# Shared helpers for namespace tests. Source it; call topo_init NAME first.
# Everything a test creates carries the prefix $TP so cleanup removes exactly
# that (also on failure), and processes are killed by the pids we recorded.
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
PED="$top_builddir/pe/ped"
PESH="$top_builddir/cli/pesh"
JSONCMP="/usr/bin/python3 $top_srcdir/tests/topo/jsoncmp.py"
PIDS=""
FAILS=0
PASSES=0

topo_init() {
	TP="pt$$$1"
	TMPD=$(mktemp -d "/tmp/$TP.XXXXXX")
	export PE_RUNDIR="$TMPD/run"
	trap topo_cleanup EXIT
	trap 'exit 1' INT TERM # cleanup runs once, then the script stops
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: namespace tests need root"
		exit 77
	fi
}

topo_cleanup() {
	local p ns
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $PIDS; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	for ns in $(ip netns list | awk '{print $1}' | grep "^$TP" || true); do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMPD"
}

# ns_pair NSA NSB IFA IFB ADDRA ADDRB: two namespaces with lo up, joined by a
# veth pair IFA (in NSA, ADDRA) -- IFB (in NSB, ADDRB), both up
ns_pair() {
	ip netns add "$1" && ip netns add "$2" || return 1
	ip -n "$1" link set lo up
	ip -n "$2" link set lo up
	ip link add "$3" netns "$1" type veth peer name "$4" netns "$2" || return 1
	ip -n "$1" addr add "$5" dev "$3"
	ip -n "$1" link set "$3" up
	ip -n "$2" addr add "$6" dev "$4"
	ip -n "$2" link set "$4" up
}

ok() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL - $*"; }
check() { # check "description" command...
	local d="$1"; shift
	local out
	if out=$("$@" 2>&1); then ok "$d"; else fail "$d"; printf '%s\n' "$out" | sed 's/^/    /' | tail -20; fi
}

# start_ped NODE_NS NODE CONFIG [args]: ped inside namespace NODE_NS, waits for its socket
start_ped() {
	local ns="$1" node="$2" conf="$3"; shift 3
	ip netns exec "$ns" "$PED" -N "$node" -f "$conf" -l "$TMPD/$node.log" "$@" &
	local pid=$!
	PIDS="$PIDS $pid"
	LAST_PID=$pid
	for _ in $(seq 100); do
		[ -S "$PE_RUNDIR/$node/ped.sock" ] && return 0
		kill -0 "$pid" 2>/dev/null || { cat "$TMPD/$node.log" >&2; return 1; }
		sleep 0.1
	done
	return 1
}

stop_ped() { # stop_ped PID
	kill "$1" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

# wait_json NODE 'show cmd json' 'expected subset json' [tries]: bounded retries
wait_json() {
	local node="$1" cmd="$2" exp="$3" tries="${4:-30}" out
	for _ in $(seq "$tries"); do
		out=$("$PESH" -N "$node" -c "$cmd" 2>&1)
		if printf '%s' "$out" | $JSONCMP "$exp" >/dev/null 2>&1; then return 0; fi
		sleep 0.2
	done
	printf '%s' "$out" | $JSONCMP "$exp" >&2
	return 1
}

topo_done() {
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
