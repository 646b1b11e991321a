#!/bin/bash
# Bad topology files (tests/data/topo/bad-*.yml) are rejected by `petopo up`
# with exactly the messages of the matching .err file (FILE:LINE:COLUMN:
# problem, in file order), exit status 1, and nothing created. Lines quoted
# from a node's own config check (ped -C) are compared up to their
# FILE:LINE, so that a rewording in ped does not break this test.
. "$(dirname "$0")/petopo_lib.sh"
pt_init x

DATA=$(cd "$top_srcdir/tests/data/topo" && pwd -P) # canonical: petopo prints real paths
norm() { sed -e "s|$DATA/||g" -E -e 's/^(    [^ ]+:[0-9]+:) .*/\1 .../'; }

cd "$DATA" || exit 1
for f in bad-*.yml; do
	"$PETOPO" up --name "$T" "$f" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	check "$f: rejected with exit status 1" test $rc -eq 1
	norm <"$TMPD/err" >"$TMPD/got"
	norm <"${f%.yml}.err" >"$TMPD/want"
	if diff -u "$TMPD/want" "$TMPD/got" >"$TMPD/diff"; then
		ok "$f: the expected messages"
	else
		fail "$f: the expected messages"
		sed 's/^/    /' "$TMPD/diff"
	fi
	check "$f: nothing created" nothing_left "$T"
done

check "petopo check accepts l3vpn-basic.yml" "$PETOPO" check "$TOPOS/l3vpn-basic.yml"
check "petopo check accepts dualstack.yml (IPv4 and IPv6)" "$PETOPO" check dualstack.yml
if [ -x /usr/lib/frr/zebra ]; then
	check "petopo check accepts interop-frr.yml" "$PETOPO" check "$TOPOS/interop-frr.yml"
fi
"$PETOPO" check bad-keys.yml >/dev/null 2>&1
check "petopo check rejects bad-keys.yml" test $? -eq 1
"$PETOPO" up --name "bad/name" "$TOPOS/l3vpn-basic.yml" >/dev/null 2>&1
check "a bad --name is refused" test $? -ne 0
"$PETOPO" down no-such-topology >/dev/null 2>&1
check "down of a topology that is not up is a no-op" test $? -eq 0
"$PETOPO" status no-such-topology >/dev/null 2>&1
check "status of a topology that is not up fails" test $? -eq 1
pt_done
