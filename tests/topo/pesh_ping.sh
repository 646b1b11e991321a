#!/bin/bash
# ping and traceroute from pesh on the shipped l3vpn-basic testbed: inside a
# VRF's namespace (pe1's CUST-A reaches ce1a, CUST-B reaches ce1b over IPv6),
# in ped's own namespace (pe1's loopback to pe2's across the OSPF core, and
# traceroute through p1); a ping to an address nobody answers fails with
# ping's own output; an unknown VRF, a bad address, repeat and size out of
# range are refused with a caret and nothing run; the output streams while
# ping runs and SIGINT to the terminal's process group stops ping, not pesh
# (the next -c command still runs); the same in an interactive session on a
# pseudo-terminal (^C, then the prompt again); '?' lists ping and traceroute
# and their options.
. "$(dirname "$0")/petopo_lib.sh"
pt_init g

for tool in ping traceroute; do
	command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] ||
		{ echo "SKIP: $tool is not installed (tests/deps.sh)"; exit 77; }
done

"$PETOPO" up --name "$T" "$TOPOS/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

# each command's output and exit status, in $out and $rc
run() { out=$("$PESH" -N pe1 -c "$1" 2>&1); rc=$?; }

# in a VRF: the CE on the other end of pe1's CUST-A port
check "ping vrf CUST-A 10.1.1.2 succeeds" retry 20 "$PESH" -N pe1 -c "ping vrf CUST-A 10.1.1.2 repeat 1"
run "ping vrf CUST-A 10.1.1.2 repeat 2"
check "ping vrf CUST-A: exit status 0" test $rc -eq 0
check "ping vrf CUST-A: ping's own output, 2 replies" sh -c "printf '%s' \"\$1\" | grep -q '2 packets transmitted, 2 received'" _ "$out"
check "ping vrf CUST-B over IPv6 (ping -6)" retry 20 "$PESH" -N pe1 -c "ping vrf CUST-B 2001:db8:1:1::2 repeat 1"
# the same address in CUST-B is ce1b, not ce1a: the namespaces are apart
# (ce1b's port stays down: IPv6 addresses and routes went with it)
ip -n "$T-ce1b" link set eth0 down
run "ping vrf CUST-B 10.1.1.2 repeat 1 timeout 1"
check "ping vrf CUST-B reaches ce1b only (down now): fails" test $rc -eq 1
check "and CUST-A still answers" "$PESH" -N pe1 -c "ping vrf CUST-A 10.1.1.2 repeat 1"
run "ping vrf CUST-A 10.1.1.2 repeat 1 size 1500 df-bit source 10.1.1.1"
check "size 1500 df-bit source: 1472 bytes of data from 10.1.1.1" sh -c "printf '%s' \"\$1\" | grep -q 'from 10.1.1.1 : 1472(1500) bytes'" _ "$out"

# the default VRF: ped's own namespace, loopbacks over the OSPF core
check "ping 10.255.0.3 source 10.255.0.1 (OSPF core)" retry 40 "$PESH" -N pe1 -c "ping 10.255.0.3 source 10.255.0.1 repeat 1"
run "traceroute 10.255.0.3"
check "traceroute 10.255.0.3: through p1 (10.0.12.2) to pe2" sh -c "printf '%s' \"\$1\" | grep -q '^ 1  10.0.12.2 ' && printf '%s' \"\$1\" | grep -q '^ 2  10.255.0.3 '" _ "$out"
run "traceroute vrf CUST-A 10.1.1.2"
check "traceroute vrf CUST-A 10.1.1.2: one hop" sh -c "test $rc -eq 0 && printf '%s' \"\$1\" | grep -q '^ 1  10.1.1.2 '" _ "$out"

# failures
run "ping vrf CUST-A 10.1.1.99 repeat 1 timeout 1"
check "ping to an address nobody answers: exit status 1" test $rc -eq 1
check "and ping's output says so" sh -c "printf '%s' \"\$1\" | grep -q '1 packets transmitted, 0 received, 100% packet loss'" _ "$out"
run "ping vrf NOPE 10.1.1.2"
check "unknown VRF: exit status 1" test $rc -eq 1
check "unknown VRF: refused with a caret under the name" test "$out" = "ping vrf NOPE 10.1.1.2
         ^
% VRF NOPE does not exist"
run "ping vrf CUST-A 10.1.1"
check "bad address refused with the reason" test "$out" = "ping vrf CUST-A 10.1.1
                ^
% Invalid value \"10.1.1\" for A.B.C.D|X:X::X:X: not an IPv4 or IPv6 address (names are not resolved)"
run "ping 10.1.1.2 repeat 0"
check "repeat 0 refused" test "$out" = "ping 10.1.1.2 repeat 0
                     ^
% Invalid value \"0\" for repeat (1-2147483647): out of range"
run "ping 10.1.1.2 size 65000"
check "size 65000 refused" test "$out" = "ping 10.1.1.2 size 65000
                   ^
% Invalid value \"65000\" for size (36-18024): out of range"
check "refusals exit 1" test $rc -eq 1
run "traceroute 10.1.1.2 repeat 2"
check "traceroute takes no ping options" sh -c "printf '%s' \"\$1\" | grep -q '% Unknown command: traceroute takes only'" _ "$out"
out=$("$PESH" -N pe1 -c "configure terminal" -c "ping 10.1.1.2" -c "do ping vrf CUST-A 10.1.1.2 repeat 1" -c "end" 2>&1)
check "config mode: ping needs do (as in FRR), do ping runs" sh -c "printf '%s' \"\$1\" | grep -q '% Unknown command' && printf '%s' \"\$1\" | grep -q '1 packets transmitted, 1 received'" _ "$out"

# help
run "?"
check "? lists ping and traceroute" sh -c "printf '%s' \"\$1\" | grep -q '^  ping  *Send echo messages' && printf '%s' \"\$1\" | grep -q '^  traceroute  *Trace route'" _ "$out"
run "ping 10.1.1.2 ?"
check "ping ADDR ?: the options and <cr>" sh -c "printf '%s\n' \"\$1\" | grep -q '^  repeat ' && printf '%s\n' \"\$1\" | grep -q '^  df-bit ' && printf '%s\n' \"\$1\" | grep -q '^  <cr>'" _ "$out"
run "ping 10.1.1.2 repeat ?"
check "ping ADDR repeat ?: its range" sh -c "printf '%s\n' \"\$1\" | grep -q '^  (1-2147483647) '" _ "$out"

# streaming and SIGINT (as ^C sends it to the terminal's foreground group):
# ping stops, pesh goes on with the next command
setsid "$PESH" -N pe1 -c "ping vrf CUST-A 10.1.1.2 repeat 1000" -c "show version" >"$TMPD/int.out" 2>&1 &
pid=$!
check "the replies show while ping runs" retry 40 grep -q "icmp_seq=2 " "$TMPD/int.out"
kill -INT -- "-$pid"
wait $pid
rc=$?
check "SIGINT: pesh exits 0 (ping got replies)" test $rc -eq 0
check "SIGINT: ping stopped early with its summary" sh -c "grep -q 'ping statistics' '$TMPD/int.out' && ! grep -q '1000 packets transmitted' '$TMPD/int.out'"
check "SIGINT: pesh ran the next command" grep -q "pesuite ped" "$TMPD/int.out"

# interactive, on a pseudo-terminal: ^C stops ping, the prompt comes back
check "interactive: ^C stops ping and the prompt comes back" $PY - "$PESH" pe1 <<'PYEOF'
import os, pty, select, sys, time
pesh, node = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(pesh, [pesh, "-N", node])
buf = b""
def expect(s, t=15):
    global buf
    end = time.time() + t
    while s not in buf:
        if time.time() > end:
            sys.exit("did not see %r in %r" % (s, buf[-400:]))
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                buf += os.read(fd, 4096)
            except OSError:
                sys.exit("pesh went away: %r" % buf[-400:])
expect(b"pe1# ")
buf = b""
os.write(fd, b"ping vrf CUST-A 10.1.1.2 repeat 1000\r")
expect(b"icmp_seq=2 ")
os.write(fd, b"\x03")
expect(b"ping statistics")
expect(b"pe1# ")
os.write(fd, b"show version\r")
expect(b"pesuite ped")
os.write(fd, b"exit\r")
_, st = os.waitpid(pid, 0)
sys.exit(0 if os.WIFEXITED(st) else "pesh did not exit: %r" % st)
PYEOF

"$PETOPO" down "$T" >/dev/null 2>&1
check "down" test $? -eq 0
check "nothing left" nothing_left "$T"
pt_done
