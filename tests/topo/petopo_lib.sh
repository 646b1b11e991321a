# Shared by the petopo tests (source it, then pt_init LETTER). Each test
# works in its own temporary directory, with its own PETOPO_RUNDIR (petopo
# state) and PE_RUNDIR (ped control sockets), and names its topologies with
# a unique prefix ($T = pt<pid><letter>). On exit, whatever happened, every
# topology it brought up is taken down by petopo (recorded pids only), and
# any namespace still carrying its prefix is removed.
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
PETOPO="$top_builddir/topologies/petopo"
PESH="$top_builddir/cli/pesh"
PED="$top_builddir/pe/ped"
TOPOS="$top_srcdir/topologies"
PY=/usr/bin/python3
JSONCMP="$PY $top_srcdir/tests/topo/jsoncmp.py"
FAILS=0
PASSES=0

pt_init() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: namespace tests need root"
		exit 77
	fi
	T="pt$$$1"
	TMPD=$(mktemp -d "/tmp/$T.XXXXXX")
	chmod 755 "$TMPD" # FRR daemons run as user frr
	export PETOPO_RUNDIR="$TMPD/run" PE_RUNDIR="$TMPD/pe"
	trap pt_cleanup EXIT
	trap 'exit 1' INT TERM
}

pt_cleanup() {
	local ns
	"$PETOPO" down --all >/dev/null 2>&1
	for ns in $(ip netns list | awk '{print $1}' | grep "^$T" || true); do
		echo "cleanup: namespace $ns was left behind" >&2
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMPD"
}

ok() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL - $*"; }
check() { # check "description" command...
	local d="$1"; shift
	local out
	if out=$("$@" 2>&1); then ok "$d"; else fail "$d"; printf '%s\n' "$out" | sed 's/^/    /' | tail -20; fi
}
pt_done() {
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}

# retry TRIES CMD...: bounded retries, 0.25 s apart
retry() {
	local n="$1" i; shift
	for i in $(seq "$n"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.25
	done
	"$@"
}

# wait_json NODE 'show cmd json' 'expected subset' [tries]: asks the ped of NODE
# through pesh until the output contains the subset (tests/topo/jsoncmp.py),
# 0.25 s apart, at most tries (default $WAIT_TRIES) times; prints the
# difference on failure.
WAIT_TRIES=${WAIT_TRIES:-60}
wait_json() {
	local node="$1" cmd="$2" exp="$3" tries="${4:-$WAIT_TRIES}" out i
	for i in $(seq "$tries"); do
		out=$("$PESH" -N "$node" -c "$cmd" 2>&1)
		printf '%s' "$out" | $JSONCMP "$exp" >/dev/null 2>&1 && return 0
		sleep 0.25
	done
	printf '%s' "$out" | $JSONCMP "$exp"
	return 1
}

# vty_json_at DIR 'show cmd json' 'expected subset' [tries]: the same against
# the FRR daemons whose vty sockets are in DIR.
vty_json_at() {
	local dir="$1" cmd="$2" exp="$3" tries="${4:-$WAIT_TRIES}" out i
	for i in $(seq "$tries"); do
		out=$(vtysh --vty_socket "$dir" -c "$cmd" 2>&1)
		printf '%s' "$out" | $JSONCMP "$exp" >/dev/null 2>&1 && return 0
		sleep 0.25
	done
	printf '%s' "$out" | $JSONCMP "$exp"
	return 1
}

# Namespaces of topology $1 (its prefix) that exist now.
pt_netns() { ip netns list | awk '{print $1}' | grep "^$1-" || true; }

# "pid startTime" of every daemon recorded for topology $1.
pt_pids() {
	local f="$PETOPO_RUNDIR/$1/state.json"
	[ -f "$f" ] || return 0
	$PY -c 'import json,sys
for d in json.load(open(sys.argv[1])).get("daemons", []):
    print(d["pid"], d["startTime"])' "$f"
}

# True if no pid of the list on stdin ("pid startTime") is still that process.
pids_gone() {
	local pid st cur
	while read -r pid st; do
		[ -r "/proc/$pid/stat" ] || continue
		cur=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $1, $20}')
		case "$cur" in
		"Z "*|"X "*) ;;
		*" $st") echo "pid $pid still runs"; return 1 ;;
		esac
	done
	return 0
}

# Nothing of topology $1 is left: namespaces, state directory.
nothing_left() {
	local left
	left=$(pt_netns "$1")
	[ -z "$left" ] || { echo "namespaces left: $left"; return 1; }
	[ ! -e "$PETOPO_RUNDIR/$1" ] || { echo "state left: $PETOPO_RUNDIR/$1"; return 1; }
}

# wait_state NAME PYTHON-EXPR: until the state file satisfies expr (s = state)
wait_state() {
	local f="$PETOPO_RUNDIR/$1/state.json" i
	for i in $(seq 200); do
		if [ -f "$f" ] && $PY -c "import json,sys
s=json.load(open(sys.argv[1]))
sys.exit(0 if ($2) else 1)" "$f" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# cfg NODE LINE...: configuration lines through pesh (after `conf t`); fails
# and prints the reply when ped answers with an error (a line starting "%")
cfg() {
	local node="$1" out a l
	shift
	a=(-N "$node" -c "conf t")
	for l in "$@"; do a+=(-c "$l"); done
	out=$("$PESH" "${a[@]}" 2>&1)
	if printf '%s' "$out" | grep -q '^%'; then
		printf '%s\n' "$out"
		return 1
	fi
}

# wait_kernel NODE PREFIX REGEX (wait_kernel6 for IPv6): `ip route show PREFIX`
# in NODE matches REGEX within 20 s (an empty REGEX: no route at all)
_wait_kernel() {
	local fam="$1" node="$2" pfx="$3" re="$4" out
	for _ in $(seq 80); do
		out=$("$PETOPO" exec "$T:$node" -- ip "$fam" route show "$pfx" 2>&1)
		if [ -z "$re" ]; then [ -z "$out" ] && return 0
		else printf '%s' "$out" | grep -Eq "$re" && return 0; fi
		sleep 0.25
	done
	echo "ip $fam route show $pfx in $node: '$out'"
	return 1
}
wait_kernel() { _wait_kernel -4 "$@"; }
wait_kernel6() { _wait_kernel -6 "$@"; }

# X NODE CMD...: run CMD in NODE's namespace; ping_ok / ping_fails NODE ARGS
X() { "$PETOPO" exec "$T:$1" -- "${@:2}"; }
ping_ok() { X "$1" ping -c 1 -W 1 "${@:2}" >/dev/null 2>&1; }
ping_fails() { ! X "$1" ping -c 2 -W 1 "${@:2}" >/dev/null 2>&1; }

# Captures: cap_start NS IFACE FILE runs tshark on IFACE of namespace NS
# (the namespace's full name), writing FILE, and returns once it captures;
# cap_cleanup stops them all (call it from the EXIT trap, before
# pt_cleanup); pkts FILE FILTER counts the packets matching a display filter.
CAPS=""
cap_cleanup() {
	local p
	for p in $CAPS; do kill -INT "$p" 2>/dev/null; done
	for p in $CAPS; do wait "$p" 2>/dev/null; done
	CAPS=""
}
cap_start() {
	ip netns exec "$1" tshark -q -i "$2" -w "$3" -a duration:90 >"$3.log" 2>&1 &
	CAPS="$CAPS $!"
	retry 80 sh -c "grep -q 'Capturing on' '$3.log'" >/dev/null
	sleep 1 # dumpcap opens the interface after the message
}
pkts() { tshark -r "$1" -Y "$2" 2>/dev/null | wc -l; }
