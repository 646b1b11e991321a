#!/bin/bash
# petopo restart on tests/data/topo/dualstack.yml (ped node pe6).
# 1. With ped: the ped is stopped (SIGTERM) and started again as up started
#    it -- a new pid, recorded with its start time, the same argv, the node's
#    copy of its config (edited here, and not copied again from the
#    topology), the same log, appended; pesh reaches the new ped; restart
#    refuses a host node, an unknown node, an unknown testbed and a ped that
#    no longer runs, with a message, and touches nothing then.
# 2. The bpffs (topologies/topo_bpffs.c), with a stand-in for ped that pins
#    map probe<its pid> under /sys/fs/bpf/pe/NETNS/ as it starts and then
#    only answers on ped's control socket (ped itself discards pins it did
#    not make): after up /sys/fs/bpf is a bpffs; the stand-in, a daemon
#    started by petopo, sees its node's sysfs on /sys and the host's bpffs on
#    /sys/fs/bpf (its pin shows on the host and outlives it); restart keeps
#    the pins, restart --clean removes them before the new one starts, down
#    removes the rest, and so does an up that fails after its ped pinned
#    something. Skipped without bpftool or when no bpffs can be mounted.
. "$(dirname "$0")/petopo_lib.sh"
pt_init r
trap 'pt_cleanup; rm -rf /sys/fs/bpf/pe/"$T"-* 2>/dev/null' EXIT

TOPO="$top_srcdir/tests/data/topo/dualstack.yml"
PINS="/sys/fs/bpf/pe/$T-pe6"

# ped's pid, start time and argv in the state file
ped_rec() {
	$PY -c 'import json,sys
for d in json.load(open(sys.argv[1]))["daemons"]:
    if d["node"] == "pe6" and d["name"] == "ped":
        print(d["pid"], d["startTime"], " ".join(d.get("argv", [])))' "$PETOPO_RUNDIR/$T/state.json"
}
# true if pid $1 runs with start time $2
runs_as() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null |
	awk -v st="$2" '$1 != "Z" && $20 == st {ok=1} END {exit !ok}'; }
old_gone() { echo "$pid0 $st0" | pids_gone; }
is_bpffs() { [ "$(stat -f -c %t /sys/fs/bpf 2>/dev/null)" = cafe4a11 ]; }

# ---- 1. ped ----
"$PETOPO" up --name "$T" "$TOPO" >"$TMPD/up.out" 2>&1
rc=$?
check "petopo up dualstack succeeds" test $rc -eq 0
[ $rc -eq 0 ] || { cat "$TMPD/up.out"; pt_done; exit 1; }
check "after up /sys/fs/bpf is a bpffs, or up noted why not" sh -c \
	"[ \"\$(stat -f -c %t /sys/fs/bpf)\" = cafe4a11 ] || grep -q 'note: cannot mount a bpffs' '$TMPD/up.out'"
grep "bpffs" "$TMPD/up.out"
read -r pid0 st0 argv0 < <(ped_rec)
check "ped of pe6 recorded with its argv" test -n "$argv0"

# the node's config copy is what a restart reads
sed -i 's/^hostname pe6$/hostname pe6-restarted/' "$PETOPO_RUNDIR/$T/pe6/ped.conf"
log=$PETOPO_RUNDIR/$T/pe6/ped.log
logsize=$(stat -c %s "$log")
head -1 "$log" >"$TMPD/log.head"

"$PETOPO" restart "$T:pe6" >"$TMPD/r1.out" 2>&1
rc=$?
cat "$TMPD/r1.out"
check "restart T:pe6 succeeds" test $rc -eq 0
read -r pid1 st1 argv1 < <(ped_rec)
check "the pid changed ($pid0 -> $pid1)" test -n "$pid1" -a "$pid1" != "$pid0"
check "the old ped is gone" old_gone
check "the new ped runs with the recorded start time" runs_as "$pid1" "$st1"
check "the same argv" test "$argv1" = "$argv0"
check "restart says how the old ped exited" grep -q "ped pid $pid0 exited .* after SIGTERM" "$TMPD/r1.out"
check "restart says when the new one was ready" grep -q "ped pid $pid1 started, ready in" "$TMPD/r1.out"
check "pesh reaches the new ped" retry 20 "$PESH" -N pe6 -c 'show version'
check "the new ped read the node's copy of its config, not the topology's" sh -c \
	"'$PESH' -N pe6 -c 'show running-config' | grep -qx 'hostname pe6-restarted'"
check "the log was appended to" sh -c \
	"test \$(stat -c %s '$log') -gt $logsize && head -1 '$log' | cmp -s - '$TMPD/log.head'"
"$PETOPO" status "$T" --json >"$TMPD/status.json"
check "status: the new ped alive" $JSONCMP \
	'{"nodes":{"pe6":{"daemons":[{"name":"ped","pid":'"$pid1"',"alive":true}]}}}' <"$TMPD/status.json"

"$PETOPO" restart pe6 --clean >"$TMPD/r2.out" 2>&1
rc=$?
cat "$TMPD/r2.out"
check "restart NODE --clean succeeds" test $rc -eq 0
read -r pid2 st2 argv2 < <(ped_rec)
check "--clean: a new pid again" test -n "$pid2" -a "$pid2" != "$pid1"
check "--clean: pesh reaches it" retry 20 "$PESH" -N pe6 -c 'show version'

# refusals
"$PETOPO" restart "$T:h1" >"$TMPD/e1.out" 2>&1
check "restart of a host node fails" test $? -eq 1
check "and says it is not a ped node" grep -q "node h1 of $T is a host node: restart is for ped nodes" "$TMPD/e1.out"
"$PETOPO" restart "$T:nosuch" >"$TMPD/e2.out" 2>&1
check "restart of an unknown node fails" test $? -eq 1
check "and names it" grep -q "topology $T has no node nosuch" "$TMPD/e2.out"
"$PETOPO" restart nosuchnode >"$TMPD/e3.out" 2>&1
check "restart of a node no testbed has fails" test $? -eq 1
check "and says so" grep -q "no topology that is up has a node nosuchnode" "$TMPD/e3.out"
"$PETOPO" restart "${T}x:pe6" >"$TMPD/e4.out" 2>&1
check "restart in an unknown testbed fails" test $? -eq 1
check "and says so" grep -q "topology ${T}x is not up" "$TMPD/e4.out"
"$PETOPO" restart >/dev/null 2>&1
check "restart without a node is a usage error" test $? -eq 2
check "refusals left the ped alone" runs_as "$pid2" "$st2"
kill -9 "$pid2"
retry 20 sh -c "! kill -0 $pid2 2>/dev/null || grep -q '^State:.Z' /proc/$pid2/status"
"$PETOPO" restart "$T:pe6" >"$TMPD/e5.out" 2>&1
check "restart of a ped that no longer runs fails" test $? -eq 1
check "and says so" grep -q "ped on node pe6 of $T is not running" "$TMPD/e5.out"
check "petopo down succeeds" "$PETOPO" down "$T"
check "nothing left: namespaces, state" nothing_left "$T"

# ---- 2. pins ----
if ! is_bpffs || ! command -v bpftool >/dev/null; then
	echo "# SKIP: pin checks ($(is_bpffs && echo "no bpftool" || echo "no bpffs at /sys/fs/bpf"))"
	pt_done
	exit
fi
# pinped: pins, notes /sys/class/net, answers on ped's control socket until
# SIGTERM; pinfail: pins and exits. ped -C (up's check) goes to ped.
cat >"$TMPD/pinped" <<EOF
#!$PY
import os, socket, subprocess, sys
a = sys.argv[1:]
if "-C" in a:
    os.execv("$PED", ["$PED"] + a)
node, ns = a[a.index("-N") + 1], a[a.index("-P") + 1].rstrip("-")
open("$TMPD/net.%d" % os.getpid(), "w").write("\n".join(sorted(os.listdir("/sys/class/net"))) + "\n")
os.makedirs("/sys/fs/bpf/pe/" + ns, exist_ok=True)
r = subprocess.run(["bpftool", "map", "create", "/sys/fs/bpf/pe/%s/probe%d" % (ns, os.getpid()),
                    "type", "array", "key", "4", "value", "4", "entries", "1", "name", "probe"])
if sys.argv[0].endswith("pinfail"):
    if r.returncode == 0:
        open("$TMPD/pinfail.pinned", "w").close()
    sys.exit(3)
d = os.path.join(os.environ["PE_RUNDIR"], node)
os.makedirs(d, exist_ok=True)
s = socket.socket(socket.AF_UNIX)
if os.path.exists(d + "/ped.sock"):
    os.unlink(d + "/ped.sock")
s.bind(d + "/ped.sock")
s.listen()
while True:
    s.accept()[0].close()
EOF
cp "$TMPD/pinped" "$TMPD/pinfail"
chmod +x "$TMPD/pinped" "$TMPD/pinfail"

PETOPO_PED="$TMPD/pinped" "$PETOPO" up --name "$T" "$TOPO" >"$TMPD/up2.out" 2>&1
rc=$?
check "up with the pinning stand-in succeeds" test $rc -eq 0
[ $rc -eq 0 ] || { cat "$TMPD/up2.out"; pt_done; exit 1; }
check "an up finding a bpffs mounts none" sh -c "! grep -q 'mounted a bpffs' '$TMPD/up2.out'"
read -r pid0 st0 argv0 < <(ped_rec)
check "the daemon sees its node's sysfs (eth1) on /sys" grep -qx eth1 "$TMPD/net.$pid0"
check "its pin shows in the host's /sys/fs/bpf" test -e "$PINS/probe$pid0"
check "and is the map it made" sh -c "bpftool map show pinned '$PINS/probe$pid0' | grep -q 'name probe'"

"$PETOPO" restart "$T:pe6" >"$TMPD/p1.out" 2>&1
rc=$?
cat "$TMPD/p1.out"
check "restart succeeds" test $rc -eq 0
read -r pid1 st1 argv1 < <(ped_rec)
check "the pin outlived the process that made it, restart kept it" test -e "$PINS/probe$pid0"
check "the new one pinned beside it" test -e "$PINS/probe$pid1"
check "restart says what it kept" grep -q "1 pinned object in $PINS, kept for the new ped" "$TMPD/p1.out"

"$PETOPO" restart "$T:pe6" --clean >"$TMPD/p2.out" 2>&1
rc=$?
cat "$TMPD/p2.out"
check "restart --clean succeeds" test $rc -eq 0
read -r pid2 st2 argv2 < <(ped_rec)
check "--clean removed the old pins before the new one started" sh -c \
	"! test -e '$PINS/probe$pid0' && ! test -e '$PINS/probe$pid1' && test -e '$PINS/probe$pid2'"
check "--clean says so" grep -q "removed 2 pinned objects in $PINS" "$TMPD/p2.out"

check "petopo down succeeds" "$PETOPO" down "$T"
check "nothing left: namespaces, state" nothing_left "$T"
check "nothing left pinned for pe6" test ! -e "$PINS"

# a failed up removes what its ped pinned
PETOPO_PED="$TMPD/pinfail" "$PETOPO" up --name "$T" "$TOPO" >"$TMPD/fail.out" 2>&1
check "up with a stand-in that pins and exits fails" test $? -eq 1
check "the stand-in had pinned (so its removal is tested)" test -e "$TMPD/pinfail.pinned"
check "the failed up left nothing" nothing_left "$T"
check "the failed up left nothing pinned" test ! -e "$PINS"
pt_done
