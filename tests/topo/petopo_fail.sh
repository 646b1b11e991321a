#!/bin/bash
# petopo when things go wrong during up, and that a second up right after
# each failure works:
#  1. a ped config with an error: up fails before creating anything
#  2. a daemon that fails to start: up fails with its log, removes everything
#  3. a daemon killed while up is still starting others: up fails, cleans
#  4. Ctrl-C (SIGINT) during up: up cleans and exits 130; down is a no-op
#  5. petopo itself killed (SIGKILL) during up: down removes everything,
#     including the daemon it had started (recorded before it ran)
. "$(dirname "$0")/petopo_lib.sh"
pt_init f

# ped stand-ins: check mode always goes to the real ped
cat >"$TMPD/failped" <<EOF
#!/bin/sh
case "\$*" in *-C*) exec "$PED" "\$@";; esac
echo "failped: refusing to start" >&2
exit 3
EOF
cat >"$TMPD/slowped" <<EOF
#!/bin/sh
case "\$*" in *-C*) ;; *) sleep 1;; esac
exec "$PED" "\$@"
EOF
chmod +x "$TMPD/failped" "$TMPD/slowped"

second_up() { # the normal topology comes up and goes down right after a failure
	check "$1: a second up works" "$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml"
	check "$1: and goes down" "$PETOPO" down "$T"
	check "$1: nothing left after that" nothing_left "$T"
}

# 1. broken ped config
mkdir -p "$TMPD/bad/l3vpn-basic"
cp "$TOPOS/l3vpn-basic.yml" "$TMPD/bad/"
cp "$TOPOS"/l3vpn-basic/*.conf "$TMPD/bad/l3vpn-basic/"
sed -i 's/^ rd 65000:2$/ rd 1.2.3:4/' "$TMPD/bad/l3vpn-basic/pe2.conf"
"$PETOPO" up --name "$T" "$TMPD/bad/l3vpn-basic.yml" >"$TMPD/1.out" 2>&1
check "broken ped config: up fails" test $? -eq 1
check "broken ped config: ped's error with file:line" grep -q 'pe2.conf:[0-9]*: % Invalid value "1.2.3:4"' "$TMPD/1.out"
check "broken ped config: the topology line of the node" grep -q "l3vpn-basic.yml:[0-9]*:[0-9]*: node pe2: startup-config l3vpn-basic/pe2.conf has errors (ped -C)" "$TMPD/1.out"
check "broken ped config: nothing created" nothing_left "$T"
second_up "broken config"

# 2. a daemon that fails to start
PETOPO_PED="$TMPD/failped" "$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/2.out" 2>&1
check "failing daemon: up fails" test $? -eq 1
check "failing daemon: says which and how" grep -q "ped on node pe1 exited with status 3" "$TMPD/2.out"
check "failing daemon: shows the log tail" grep -q "failped: refusing to start" "$TMPD/2.out"
check "failing daemon: nothing left" nothing_left "$T"
second_up "failing daemon"

# 3. pe1's ped killed while p1's is still starting
PETOPO_PED="$TMPD/slowped" "$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/3.out" 2>&1 &
up=$!
wait_state "$T" 'len([d for d in s["daemons"] if d["name"] == "ped"]) >= 2'
check "killed daemon: up recorded pe1's and p1's ped" test $? -eq 0
# zebra and ospfd run beside ped on pe1: the first ped recorded is pe1's
pid=$($PY -c 'import json,sys; print([d for d in json.load(open(sys.argv[1]))["daemons"] if d["name"] == "ped"][0]["pid"])' "$PETOPO_RUNDIR/$T/state.json")
pt_pids "$T" >"$TMPD/pids3"
kill -9 "$pid"
wait $up
rc=$?
check "killed daemon: up fails" test $rc -eq 1
check "killed daemon: says it died" grep -q "ped on node pe1 (pid $pid) died during up" "$TMPD/3.out"
"$PETOPO" down "$T" >/dev/null 2>&1
check "killed daemon: down after it succeeds" test $? -eq 0
check "killed daemon: nothing left" nothing_left "$T"
check "killed daemon: no recorded pid alive" pids_gone <"$TMPD/pids3"
second_up "killed daemon"

# 4. Ctrl-C during up
PETOPO_PED="$TMPD/slowped" "$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/4.out" 2>&1 &
up=$!
wait_state "$T" 'len(s["daemons"]) >= 1'
pt_pids "$T" >"$TMPD/pids4"
kill -INT $up
wait $up
rc=$?
check "SIGINT: up exits 130" test $rc -eq 130
check "SIGINT: up says it was interrupted" grep -q "interrupted" "$TMPD/4.out"
check "SIGINT: nothing left" nothing_left "$T"
check "SIGINT: no recorded pid alive" pids_gone <"$TMPD/pids4"
check "SIGINT: down afterwards is a no-op" "$PETOPO" down "$T"
second_up "SIGINT"

# 5. petopo killed outright during up: the state file is all down needs
PETOPO_PED="$TMPD/slowped" "$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/5.out" 2>&1 &
up=$!
wait_state "$T" 'len(s["daemons"]) >= 2'
{ kill -9 $up; wait $up; } 2>/dev/null
pt_pids "$T" >"$TMPD/pids5"
check "SIGKILL: namespaces are left for down" test -n "$(pt_netns "$T")"
"$PETOPO" status "$T" >"$TMPD/5.status" 2>&1
check "SIGKILL: status shows the half-built topology" grep -q "creating" "$TMPD/5.status"
"$PETOPO" down "$T" >"$TMPD/5.down" 2>&1
check "SIGKILL: down succeeds" test $? -eq 0
check "SIGKILL: nothing left" nothing_left "$T"
check "SIGKILL: no recorded pid alive (started or gated)" pids_gone <"$TMPD/pids5"
second_up "SIGKILL"
pt_done
