#!/bin/bash
# Prometheus metrics (pe/metrics.c, docs/metrics.md) on l3vpn-basic, with
# `metrics listen 127.0.0.1:PORT` in pe1's startup configuration.
#  - The exposition is well formed (a strict parser of the text format: HELP
#    and TYPE once per family, samples together under them, counters named
#    _total, escaped label values), carries every documented family, and
#    agrees with ped's own JSON: BGP peer up and pfxRcd, Loc-RIB size, VRF
#    route counts against `show ip[v6] route vrf X json`, LDP neighbor, label
#    counts, dataplane ports whose counters grow with traffic; `show metrics`
#    prints the same families; `show running-config` writes the line back.
#  - HTTP: 404 for other paths, 405 (Allow: GET) for POST and HEAD, 431 for
#    an oversized head; a client that sends nothing and one that sends a
#    header byte every 0.4 s hold no scrape and no pesh command back and are
#    cut at the request deadline (5 s); a client that asks and never reads
#    holds nothing back and still gets its whole answer later; beyond the
#    connection limit (8) connections get a 503 and are closed; `no metrics
#    listen` closes the port, `metrics listen` at run time opens another.
#  - A scrape costs ped well under a millisecond here (it reads counts;
#    bench: 1M routes, docs/metrics.md).
. "$(dirname "$0")/petopo_lib.sh"
pt_init m

PORT=9273
BG=""
m_cleanup() {
	local p
	for p in $BG; do kill "$p" 2>/dev/null; done
	for p in $BG; do wait "$p" 2>/dev/null; done
	pt_cleanup
}
trap m_cleanup EXIT

# l3vpn-basic with the metrics line in pe1's startup configuration
mkdir -p "$TMPD/topo"
cp -r "$TOPOS/l3vpn-basic.yml" "$TOPOS/l3vpn-basic" "$TMPD/topo/"
printf 'metrics listen 127.0.0.1:%s\n' "$PORT" >>"$TMPD/topo/l3vpn-basic/pe1.conf"

cat >"$TMPD/m.py" <<'PY'
# Client side of the metrics test: runs inside pe1's namespace.
import http.client, json, re, socket, sys, time

PORT = int(sys.argv[1])
NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LNAME = r"[a-zA-Z_][a-zA-Z0-9_]*"
LVAL = r'(?:[^"\\\n]|\\[\\"n])*'  # escapes: \\ \" \n only
LABEL = r'(%s)="(%s)"' % (LNAME, LVAL)
LABEL_NC = r'%s="%s"' % (LNAME, LVAL)
SAMPLE = re.compile(r"^(%s)(?:\{(%s(?:,%s)*)?\})? (\S+)$" % (NAME, LABEL_NC, LABEL_NC))


def parse(text):
    """The text format 0.0.4, strictly: {(name, ((k, v), ...)): value}, {family: type}."""
    assert text.endswith("\n"), "no final newline"
    types, helps, samples, cur = {}, set(), {}, None
    for line in text[:-1].split("\n"):
        if line.startswith("# HELP "):
            name = line.split(" ")[2]
            assert name not in helps, "family %s twice" % name
            helps.add(name)
            cur = name
            continue
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ")
            assert name == cur and name not in types, "TYPE %s out of place" % name
            assert typ in ("gauge", "counter"), typ
            assert (typ == "counter") == name.endswith("_total"), "%s %s" % (typ, name)
            types[name] = typ
            continue
        assert not line.startswith("#"), line
        m = SAMPLE.match(line)
        assert m, "malformed: %r" % line
        name = m.group(1)
        assert name == cur and name in types, "sample outside its family: %r" % line
        labels = tuple(sorted(re.findall(LABEL, m.group(2) or "")))
        key = (name, labels)
        assert key not in samples, "duplicate %r" % line
        samples[key] = float(m.group(3))
    return samples, types


def get(path="/metrics", method="GET", body=None, headers=None, timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read().decode()
    c.close()
    return r.status, dict(r.getheaders()), data


def scrape():
    st, h, body = get()
    assert st == 200, st
    assert h["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8", h
    return body


def dump(out):
    """scrape -> JSON list of [name, {labels}, value] (and check the format)"""
    t0 = time.monotonic()
    body = scrape()
    took = time.monotonic() - t0
    samples, types = parse(body)
    json.dump({"took": took, "types": types,
               "samples": [[n, dict(l), v] for (n, l), v in samples.items()]}, open(out, "w"))


def parse_file(path):
    samples, types = parse(open(path).read())
    print(json.dumps(sorted(types)))


def status(path, method):
    st, h, body = get(path, method, body="x=1" if method == "POST" else None)
    print(st, h.get("Allow", "-"))


def oversized():
    st, h, body = get(headers={"X-Big": "a" * 9000})
    print(st)


def hold(secs):
    """A silent client and one sending a header byte every 0.4 s: when does
    the server close each (seconds after connect, or 'open')?"""
    silent = socket.create_connection(("127.0.0.1", PORT))
    slow = socket.create_connection(("127.0.0.1", PORT))
    slow.sendall(b"GET /metrics HTTP/1.1\r\n")
    t0 = time.monotonic()
    closed = {"silent": None, "slow": None}
    for s in (silent, slow):
        s.setblocking(False)
    i = 0
    while time.monotonic() - t0 < secs and None in closed.values():
        for name, s in (("silent", silent), ("slow", slow)):
            if closed[name] is not None:
                continue
            try:
                if name == "slow":
                    s.send(b"X-Slow: " if i == 0 else b"a")
                d = s.recv(4096)
                if d == b"":
                    closed[name] = round(time.monotonic() - t0, 1)
            except BlockingIOError:
                pass
            except (ConnectionResetError, BrokenPipeError):
                closed[name] = round(time.monotonic() - t0, 1)
        i += 1
        time.sleep(0.4)
    print(json.dumps({k: v if v is not None else "open" for k, v in closed.items()}))


def noread(secs):
    """Asks for /metrics with a tiny receive buffer, reads nothing for secs,
    then reads: the whole answer must be there."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    s.connect(("127.0.0.1", PORT))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(secs)
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    head, _, body = data.partition(b"\r\n\r\n")
    n = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    assert head.startswith(b"HTTP/1.1 200"), head[:40]
    assert len(body) == n, (len(body), n)
    parse(body.decode())
    print("complete", n)


def cap(n):
    """n idle connections (the limit), then two more: 503 and closed."""
    held = [socket.create_connection(("127.0.0.1", PORT)) for _ in range(n)]
    time.sleep(0.5)
    res = []
    for req in (b"", b"GET /metrics HTTP/1.1\r\n\r\n"):
        s = socket.create_connection(("127.0.0.1", PORT))
        s.settimeout(2)
        try:
            if req:
                s.sendall(req)
            d = b""
            while True:
                c = s.recv(4096)
                if not c:
                    break
                d += c
            res.append(d.split(b"\r\n")[0].decode() or "closed")
        except (ConnectionResetError, BrokenPipeError):
            res.append("reset")
        except socket.timeout:
            res.append("timeout")
        s.close()
    for s in held:
        s.close()
    print(json.dumps(res))


cmd = sys.argv[2]
if cmd == "dump":
    dump(sys.argv[3])
elif cmd == "parse":
    parse_file(sys.argv[3])
elif cmd == "status":
    status(sys.argv[3], sys.argv[4])
elif cmd == "oversized":
    oversized()
elif cmd == "hold":
    hold(float(sys.argv[3]))
elif cmd == "noread":
    noread(float(sys.argv[3]))
elif cmd == "cap":
    cap(int(sys.argv[3]))
PY

# M ARGS: the client in pe1's namespace
M() { X pe1 "$PY" "$TMPD/m.py" "$PORT" "$@"; }
# val FILE NAME 'k=v,k=v': the value of one sample of a dump ("absent")
val() {
	"$PY" - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = dict(kv.split("=", 1) for kv in sys.argv[3].split(",") if kv)
for n, l, v in d["samples"]:
    if n == sys.argv[2] and l == want:
        print(int(v) if v == int(v) else v)
        break
else:
    print("absent")
PY
}
# jq_py 'pesh command' 'python expression on d': a value of a JSON show
jq_py() { "$PESH" -N pe1 -c "$1" | "$PY" -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
# wait_val NAME LABELS EXPECTED: scrapes until the sample has that value
wait_val() {
	local i v
	for i in $(seq 80); do
		M dump "$TMPD/w.json" >/dev/null 2>&1 && v=$(val "$TMPD/w.json" "$1" "$2")
		[ "$v" = "$3" ] && return 0
		sleep 0.25
	done
	echo "$1{$2} = $v, expected $3"
	return 1
}
# prompt MAX_SECS CMD...: CMD succeeds within MAX_SECS
prompt() {
	local max="$1" t0 t1
	shift
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || { echo "failed: $*"; return 1; }
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -le $((max * 1000)) ] || { echo "$* took $(((t1 - t0) / 1000000)) ms"; return 1; }
}

"$PETOPO" up --name "$T" "$TMPD/topo/l3vpn-basic.yml" >"$TMPD/up.out" 2>&1 || { cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

# ---- contents ----
if retry 40 M dump "$TMPD/m0.json" >/dev/null 2>&1; then
	ok "pe1 serves /metrics from its startup configuration"
else # the rest still runs: configured at run time
	fail "pe1 serves /metrics from its startup configuration"
	cfg pe1 "metrics listen 127.0.0.1:$PORT"
fi
check "pe1 writes the line back" sh -c "'$PESH' -N pe1 -c 'show running-config' | grep -qx 'metrics listen 127.0.0.1:$PORT'"
check "BGP: the VPN session with pe2 is up" wait_val pe_bgp_peer_up "vrf=default,peer=10.255.0.3" 1
bgp_state() {
	[ "$(val "$TMPD/w.json" pe_bgp_peer_state 'vrf=default,peer=10.255.0.3,state=Established')" = 1 ] &&
		[ "$(val "$TMPD/w.json" pe_bgp_peer_state 'vrf=default,peer=10.255.0.3,state=Active')" = 0 ]
}
check "BGP: state Established 1, the other states 0" bgp_state
check "LDP: the session with p1 is up" wait_val pe_ldp_neighbor_up "neighbor=10.255.0.2" 1
check "pe2's VPN routes are in VRF CUST-A" wait_json pe1 "show ip route vrf CUST-A json" \
	'{"192.168.2.0/24":[{"protocol":"bgp"}]}'
sleep 2 # let the last updates settle: what follows compares two reads

# same 'pesh command' 'python on d' NAME LABELS: the sample equals ped's JSON,
# read back to back (retried: routes may still move)
same() {
	local i a b
	for i in $(seq 20); do
		M dump "$TMPD/s.json" >/dev/null 2>&1
		a=$(val "$TMPD/s.json" "$3" "$4")
		b=$(jq_py "$1" "$2" 2>/dev/null)
		[ -n "$b" ] && [ "$a" = "$b" ] && return 0
		sleep 0.5
	done
	echo "$3{$4} = $a, ped says $b"
	return 1
}
for v in CUST-A CUST-B; do
	check "VRF $v: IPv4 route count = show ip route vrf $v json" \
		same "show ip route vrf $v json" "len(d)" pe_vrf_routes "vrf=$v,afi=ipv4"
	check "VRF $v: IPv6 route count = show ipv6 route vrf $v json" \
		same "show ipv6 route vrf $v json" "len(d)" pe_vrf_routes "vrf=$v,afi=ipv6"
done
check "default VRF: IPv4 route count = show ip route json" \
	same "show ip route json" "len(d)" pe_vrf_routes "vrf=default,afi=ipv4"
check "BGP: prefixes received from pe2 (ipv4Vpn) = pfxRcd" \
	same "show bgp ipv4 vpn summary json" 'd["peers"]["10.255.0.3"]["pfxRcd"]' \
	pe_bgp_peer_prefixes_received "vrf=default,peer=10.255.0.3,afi_safi=ipv4Vpn"
check "BGP: prefixes sent to pe2 (ipv6Vpn) = pfxSnt" \
	same "show bgp ipv6 vpn summary json" 'd["peers"]["10.255.0.3"]["pfxSnt"]' \
	pe_bgp_peer_prefixes_sent "vrf=default,peer=10.255.0.3,afi_safi=ipv6Vpn"
check "BGP: VPNv4 table size = ribCount" \
	same "show bgp ipv4 vpn summary json" 'd["ribCount"]' pe_bgp_rib_prefixes "vrf=default,afi_safi=ipv4Vpn"
check "labels: BGP's count = show mpls label allocation json" \
	same "show mpls label allocation json" 'd["counts"]["bgp"]' pe_label_used "client=bgp"
check "labels: LDP's count = show mpls label allocation json" \
	same "show mpls label allocation json" 'd["counts"]["ldp"]' pe_label_used "client=ldp"

M dump "$TMPD/m1.json" >/dev/null
check "every documented family is there; ports with their VRF and role" "$PY" - "$TMPD/m1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = """pe_build_info process_start_time_seconds process_resident_memory_bytes
pe_bgp_peer_up pe_bgp_peer_shutdown pe_bgp_peer_remote_as pe_bgp_peer_last_state_change_timestamp_seconds
pe_bgp_peer_established_total pe_bgp_peer_dropped_total pe_bgp_peer_state
pe_bgp_peer_messages_received_total pe_bgp_peer_messages_sent_total
pe_bgp_peer_prefixes_received pe_bgp_peer_prefixes_sent pe_bgp_rib_prefixes pe_bgp_rib_paths
pe_vrf_routes pe_vrf_route_limit pe_vrf_routes_rejected_total
pe_ldp_enabled pe_ldp_neighbors pe_ldp_neighbor_up pe_ldp_adjacencies pe_ldp_fecs
pe_ldp_local_bindings pe_ldp_lfib_entries pe_ldp_messages_sent_total pe_ldp_messages_received_total
pe_label_used pe_label_dynamic_block_size pe_bfd_sessions
pe_dataplane_worker_running pe_dataplane_port_up pe_dataplane_port_info
pe_dataplane_port_rx_packets_total pe_dataplane_port_rx_bytes_total pe_dataplane_port_tx_packets_total
pe_dataplane_port_tx_bytes_total pe_dataplane_port_punted_total pe_dataplane_port_icmp_sent_total
pe_dataplane_port_ring_drops_total pe_dataplane_port_drops_total
pe_dataplane_vrf_rx_packets_total pe_dataplane_vrf_rx_bytes_total pe_dataplane_vrf_tx_packets_total
pe_dataplane_vrf_tx_bytes_total pe_dataplane_vrf_punted_total pe_dataplane_vrf_icmp_sent_total
pe_dataplane_vrf_drops_total
pe_metrics_connections pe_metrics_connections_refused_total pe_metrics_requests_total
pe_metrics_scrape_duration_seconds""".split()
missing = [f for f in want if f not in d["types"]]
assert not missing, missing
ports = {l["port"]: l for n, l, v in d["samples"] if n == "pe_dataplane_port_up"}
assert ports["eth1"]["vrf"] == "CUST-A" and ports["eth1"]["role"] == "customer", ports
assert ports["eth2"]["vrf"] == "CUST-B" and ports["eth3"]["role"] == "core", ports
causes = {l["cause"] for n, l, v in d["samples"] if n == "pe_dataplane_port_drops_total" and l["port"] == "eth1"}
assert {"noRoute", "noLsp", "blackhole"} <= causes, causes
PY
check "the Grafana dashboard asks only for families pe1 exports" "$PY" - "$TMPD/m1.json" \
	"$top_srcdir/contrib/grafana/pe-dashboard.json" <<'PY'
import json, re, sys
types = json.load(open(sys.argv[1]))["types"]
dash = json.load(open(sys.argv[2]))
used = {n for p in dash["panels"] for t in p.get("targets", [])
        for n in re.findall(r"\b((?:pe|process)_[a-z_]+)\b", t["expr"])}
assert used and not used - set(types), sorted(used - set(types))
PY
cost() {
	"$PY" -c "import json,sys
d = json.load(open('$TMPD/m1.json'))
v = [s[2] for s in d['samples'] if s[0] == 'pe_metrics_scrape_duration_seconds'][0]
print('ped: %.3f ms, the HTTP client: %.1f ms' % (v * 1e3, d['took'] * 1e3))"
}
# the cost is reported, not asserted (no timing assertions in tests)
echo "# a scrape of pe1: $(cost)"
rx0=$(val "$TMPD/m1.json" pe_dataplane_port_rx_packets_total "port=eth1,vrf=CUST-A,role=customer")
X ce1a ping -c 5 -i 0.2 -W 1 192.168.2.1 >/dev/null 2>&1
M dump "$TMPD/m2.json" >/dev/null
rx1=$(val "$TMPD/m2.json" pe_dataplane_port_rx_packets_total "port=eth1,vrf=CUST-A,role=customer")
check "dataplane: eth1 received the 5 pings ($rx0 -> $rx1)" test "$rx1" -ge $((rx0 + 5))
check "dataplane: VRF CUST-A sent them on" "$PY" -c "
import json
a, b = (json.load(open(f)) for f in ('$TMPD/m1.json', '$TMPD/m2.json'))
g = lambda d: [s[2] for s in d['samples'] if s[0] == 'pe_dataplane_vrf_tx_packets_total' and s[1] == {'vrf': 'CUST-A'}][0]
assert g(b) >= g(a) + 5, (g(a), g(b))"
"$PESH" -N pe1 -c "show metrics" >"$TMPD/show.txt"
same_families() {
	[ "$("$PY" "$TMPD/m.py" 0 parse "$TMPD/show.txt")" = \
		"$("$PY" -c "import json; print(json.dumps(sorted(json.load(open('$TMPD/m2.json'))['types'])))")" ]
}
check "show metrics: well formed, the same families as GET /metrics" same_families

# ---- HTTP ----
check "GET / : 404" test "$(M status / GET)" = "404 -"
check "GET /metrics/x : 404" test "$(M status /metrics/x GET)" = "404 -"
check "POST /metrics : 405, Allow: GET" test "$(M status /metrics POST)" = "405 GET"
check "HEAD /metrics : 405" test "$(M status /metrics HEAD)" = "405 GET"
check "a 9000-byte header: 431" test "$(M oversized)" = "431"

# slow clients: neither holds a scrape or the shell back; both are cut at 5 s
(exec "$PETOPO" exec "$T:pe1" -- "$PY" "$TMPD/m.py" "$PORT" hold 12 >"$TMPD/hold.out" 2>&1) &
holdpid=$!
BG="$BG $holdpid"
sleep 1
check "while they hang: a scrape answers within 2 s" prompt 2 M dump "$TMPD/m3.json"
check "while they hang: pesh show version answers within 2 s" prompt 2 "$PESH" -N pe1 -c "show version"
wait "$holdpid"
check "the silent and the trickling client are cut at the request deadline (5 s): $(cat "$TMPD/hold.out")" \
	"$PY" -c "
import json; d = json.load(open('$TMPD/hold.out'))
assert all(v != 'open' and 4.5 <= v <= 7 for v in d.values()), d"

# a client that asks and does not read: nothing waits for it, it gets everything later
(exec "$PETOPO" exec "$T:pe1" -- "$PY" "$TMPD/m.py" "$PORT" noread 4 >"$TMPD/noread.out" 2>&1) &
nrpid=$!
BG="$BG $nrpid"
sleep 1
check "a client that does not read: a scrape answers within 2 s" prompt 2 M dump "$TMPD/m4.json"
check "a client that does not read: pesh answers within 2 s" prompt 2 "$PESH" -N pe1 -c "show bgp ipv4 vpn summary json"
wait "$nrpid"
check "the client that did not read gets its whole answer afterwards: $(cat "$TMPD/noread.out")" \
	grep -q '^complete' "$TMPD/noread.out"

# the connection limit
check "beyond 8 connections: 503 and closed" \
	test "$(M cap 8)" = '["HTTP/1.1 503 Service Unavailable", "HTTP/1.1 503 Service Unavailable"]'
after_cap() {
	M dump "$TMPD/m5.json" &&
		[ "$(val "$TMPD/m5.json" pe_metrics_connections_refused_total '')" -ge 2 ] &&
		[ "$(val "$TMPD/m5.json" pe_metrics_connections '')" = 1 ]
}
check "after them: scrapes again, the refusals counted" after_cap

# configuration at run time
cfg pe1 "no metrics listen" >/dev/null
port_closed() { ! M status /metrics GET >/dev/null 2>&1; }
check "no metrics listen: the port is closed" port_closed
check "no metrics listen: gone from the running configuration" \
	sh -c "! '$PESH' -N pe1 -c 'show running-config' | grep -q '^metrics'"
check "an address that is not pe1's is refused" \
	sh -c "'$PESH' -N pe1 -c 'conf t' -c 'metrics listen 192.0.2.1:9273' | grep -q 'Cannot listen'"
PORT=9274
check "metrics listen 127.0.0.1:$PORT at run time: served at once" cfg pe1 "metrics listen 127.0.0.1:$PORT"
check "... and scraped" M dump "$TMPD/m6.json"
check "pe1 still routes: the VPN session is up" wait_val pe_bgp_peer_up "vrf=default,peer=10.255.0.3" 1

pt_done
