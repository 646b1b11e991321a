#!/bin/bash
# Golden config round trips: `ped -C -f N.conf` (parse, print the canonical
# running config) must equal N.ok, and feeding N.ok back must give N.ok again.
# Bad files must make ped exit non-zero with FILE:LINE for each bad line.
. "$(dirname "$0")/lib.sh"
D="$top_srcdir/tests/data/config"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

for conf in "$D"/[0-9]*.conf; do
	n=$(basename "$conf" .conf)
	if "$PED" -C -f "$conf" >"$T/$n.out" 2>"$T/$n.err" && diff -u "$D/$n.ok" "$T/$n.out"; then
		ok "golden $n.conf"
	else
		cat "$T/$n.err"; fail "golden $n.conf"
	fi
	if "$PED" -C -f "$D/$n.ok" >"$T/$n.again" 2>&1 && cmp -s "$D/$n.ok" "$T/$n.again"; then
		ok "golden $n.ok is a fixed point"
	else
		diff -u "$D/$n.ok" "$T/$n.again"; fail "golden $n.ok is a fixed point"
	fi
done

for conf in "$D"/bad*.conf; do
	n=$(basename "$conf" .conf)
	(cd "$D" && "$PED" -C -f "$n.conf") >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
	if [ $rc -ne 0 ]; then ok "$n.conf rejected (exit $rc)"; else fail "$n.conf rejected"; fi
	if [ -s "$T/$n.out" ]; then fail "$n.conf printed a config"; else ok "$n.conf printed no config"; fi
	while read -r want; do
		if grep -q "^$want" "$T/$n.err"; then ok "$n: reports $want"; else fail "$n: reports $want"; fi
	done <"$D/$n.err"
	# no other line is reported
	got=$(grep -c "^$n.conf:[0-9]*:" "$T/$n.err")
	lines=$(grep -o "^$n.conf:[0-9]*:" "$T/$n.err" | sort -u | wc -l)
	if [ "$lines" -eq "$(wc -l <"$D/$n.err")" ]; then ok "$n: exactly the bad lines"; else
		cat "$T/$n.err"; fail "$n: exactly the bad lines ($lines lines, $got messages)"; fi
done
topo_done
