#!/bin/bash
# l3vpn-basic converges: BGP sessions Established (pe1 <-> pe2, pe2 <-> ce2b),
# LDP sessions OPERATIONAL at both ends of both core links, and the remote
# site's prefix installed in both VRFs of both PEs through the remote PE
# with an LDP label for its loopback (tests/topo/l3vpn_converged.py).
# The time from `petopo up` to convergence is measured and printed, not
# asserted (bench/ldp/converge.sh measures it for the record). Also: the
# first LDP sessions come up at the first attempt: no neighbor of any
# router had a session closed before OPERATIONAL (initFailures 0) (the P's connection
# that arrives before the PE heard the P's Hello is held, not reset).
. "$(dirname "$0")/petopo_lib.sh"
pt_init v

# the poller starts first (python's start-up is not counted) and polls every
# 50 ms until converged (at most 60 s)
$PY "$top_srcdir/tests/topo/l3vpn_converged.py" "$PESH" 60 >"$TMPD/conv.out" 2>&1 &
cpid=$!
t0=$(date +%s%N)
"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 ||
	{ cat "$TMPD/up.out"; kill "$cpid"; fail "up"; pt_done; exit 1; }
t1=$(date +%s%N)
conv=""
if wait "$cpid"; then
	conv=$(($(sed -n 's/^converged at //p' "$TMPD/conv.out") * 1000000))
fi
if [ -n "$conv" ]; then
	ok "l3vpn-basic converged"
	echo "# petopo up returned after $(((t1 - t0) / 1000000)) ms; converged" \
		"$(((conv - t0) / 1000000)) ms after petopo up started"
else
	fail "l3vpn-basic converged"
	sed 's/^/    /' "$TMPD/conv.out"
fi

# first_attempt NODE: every LDP neighbor of NODE came up without a failed
# attempt (no session closed before OPERATIONAL, no backoff, no last error)
first_attempt() {
	"$PESH" -N "$1" -c "show mpls ldp neighbor detail json" | $PY -c "import json,sys
d=json.load(sys.stdin)
bad={k:(v.get('initFailures'),v.get('lastError'),v.get('backoffSeconds')) for k,v in d.items()
     if v.get('initFailures',1) or v.get('lastError') or v.get('backoffSeconds')}
print('$1', bad)
sys.exit(1 if bad or not d else 0)"
}
for n in pe1 p1 pe2; do
	check "$n: LDP sessions up at the first attempt (no error, no backoff)" first_attempt $n
done

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
