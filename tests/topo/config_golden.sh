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
	# each line of N.err is the start of a reported line (the whole message
	# where it matters), compared as text, not as a pattern
	while read -r want; do
		if awk -v w="$want" 'index($0, w) == 1 { f = 1 } END { exit !f }' "$T/$n.err"; then
			ok "$n: reports $want"; else fail "$n: reports $want"; fi
	done <"$D/$n.err"
	# no other line is reported
	got=$(grep -c "^$n.conf:[0-9]*:" "$T/$n.err")
	lines=$(grep -o "^$n.conf:[0-9]*:" "$T/$n.err" | sort -u | wc -l)
	if [ "$lines" -eq "$(wc -l <"$D/$n.err")" ]; then ok "$n: exactly the bad lines"; else
		cat "$T/$n.err"; fail "$n: exactly the bad lines ($lines lines, $got messages)"; fi
done

# FRR's own configurations (tests/data/config/frr/README.md): each loads
# with no line refused, except the lines its N.refused lists, exactly
# (messages included); one that loads gives a fixed point.
for conf in "$D"/frr/*.conf; do
	n=$(basename "$conf" .conf)
	(cd "$D/frr" && "$PED" -C -f "$n.conf") >"$T/frr-$n.out" 2>"$T/frr-$n.err"
	rc=$?
	grep "^$n.conf:[0-9]*:" "$T/frr-$n.err" >"$T/frr-$n.got"
	if [ -f "$D/frr/$n.refused" ]; then
		if diff -u "$D/frr/$n.refused" "$T/frr-$n.got"; then
			ok "FRR $n.conf: refused exactly the lines of $n.refused"
		else
			fail "FRR $n.conf: refused exactly the lines of $n.refused"
		fi
		continue
	fi
	if [ $rc -eq 0 ] && [ ! -s "$T/frr-$n.err" ] && [ -s "$T/frr-$n.out" ]; then
		ok "FRR $n.conf loads with no line refused"
	else
		cat "$T/frr-$n.err"; fail "FRR $n.conf loads with no line refused"
	fi
	if "$PED" -C -f "$T/frr-$n.out" >"$T/frr-$n.again" 2>&1 && cmp -s "$T/frr-$n.out" "$T/frr-$n.again"; then
		ok "FRR $n.conf: its canonical form is a fixed point"
	else
		diff -u "$T/frr-$n.out" "$T/frr-$n.again"; fail "FRR $n.conf: its canonical form is a fixed point"
	fi
done

# Input that is not a configuration: bounded in memory and time. With 64 MB
# of address space, `ped -C -f /dev/zero` must stop at once with its reason
# (it used to read the endless line whole); an over-long line is one error
# and the lines after it are read; 150 bad lines stop at 100 errors.
if (ulimit -v 262144; timeout 20 "$PED" -C -f /dev/zero) >"$T/zero.out" 2>"$T/zero.err"; then
	fail "/dev/zero accepted"
elif grep -q "^/dev/zero:1: % not a configuration file" "$T/zero.err"; then
	ok "/dev/zero: refused at line 1 within bounded memory"
else
	cat "$T/zero.err"; fail "/dev/zero: refused at line 1 within bounded memory"
fi
{ echo "hostname long"; head -c 5000 /dev/zero | tr '\0' a; echo; echo "hostname after"; } >"$T/long.conf"
"$PED" -C -f "$T/long.conf" >"$T/long.out" 2>"$T/long.err"
if grep -q "long.conf:2: % line longer than 4096 characters" "$T/long.err" &&
	[ "$(grep -c 'long.conf:[0-9]*:' "$T/long.err")" -eq 1 ]; then
	ok "an over-long line: one error, reading goes on"
else
	cat "$T/long.err"; fail "an over-long line: one error, reading goes on"
fi
for i in $(seq 150); do echo "no-such-command $i"; done >"$T/many.conf"
"$PED" -C -f "$T/many.conf" >/dev/null 2>"$T/many.err"
if grep -q "many.conf:100: % 100 errors; reading stops here" "$T/many.err" &&
	! grep -q "many.conf:101:" "$T/many.err"; then
	ok "100 errors: reading stops"
else
	tail -3 "$T/many.err"; fail "100 errors: reading stops"
fi
topo_done
