#!/bin/bash
# LDP at the size of a real core: one P (p1) with 64 LDP links and 70
# addresses, 8 PEs with 8 parallel links each (tests/topo/ldp_hub_gen.py
# writes the petopo testbed). Each PE reaches p1 and the other PEs through
# its last link, that is through p1 addresses at the end of p1's address list
# and on p1's last interfaces.
# Checks: every one of p1's 64 interfaces has joined 224.0.0.2 (ACTIVE, one
# adjacency each: a socket may join only 20 groups, so one socket for all
# stopped at the 21st), every PE's 8 links too; the 8 sessions are
# OPERATIONAL at both ends; every PE has p1's 70 addresses (none cut off) and
# a labelled path (the label p1 allocated, in use) to every other PE's
# loopback, and p1's LFIB pops toward each PE. A refused join is reported:
# with net.ipv4.igmp_max_memberships 0 in pe1's namespace, re-adding an LDP
# interface leaves it "JOIN FAILED" with the kernel's reason in show
# (text and JSON) and in the log; back to 20, it joins by itself.
. "$(dirname "$0")/petopo_lib.sh"
pt_init s

NPE=8 PER=8 EXTRA=5
P1=10.255.0.1
$PY "$top_srcdir/tests/topo/ldp_hub_gen.py" "$TMPD" $NPE $PER $EXTRA "$T" ||
	{ fail "generate the testbed"; pt_done; exit 1; }

"$PETOPO" up --name "$T" "$TMPD/hub.yml" >"$TMPD/up.out" 2>&1 ||
	{ cat "$TMPD/up.out"; fail "up"; pt_done; exit 1; }

# ifaces_active NODE N: N LDP interfaces, each ACTIVE with one adjacency
ifaces_active() {
	"$PESH" -N "$1" -c "show mpls ldp interface json" | $PY -c "import json,sys
d=json.load(sys.stdin)
bad=[k+' '+v['state']+' adj '+str(v['adjacencyCount']) for k,v in d.items()
     if v['state']!='ACTIVE' or v['adjacencyCount']!=1]
print('%d interfaces, not ACTIVE with one adjacency: %s' % (len(d), bad[:8]))
sys.exit(0 if len(d)==$2 and not bad else 1)"
}
# nbrs_oper NODE N: N neighbors, all OPERATIONAL
nbrs_oper() {
	"$PESH" -N "$1" -c "show mpls ldp neighbor json" | $PY -c "import json,sys
n=json.load(sys.stdin)['neighbors']
up=[x['neighborId'] for x in n if x['state']=='OPERATIONAL']
print('%d neighbors, %d OPERATIONAL' % (len(n), len(up)))
sys.exit(0 if len(n)==$2 and len(up)==$2 else 1)"
}
# pe_lo K: PE K's loopback (as ldp_hub_gen.py)
pe_lo() { echo "10.255.$((1 + ($1 - 1) / 250)).$((($1 - 1) % 250 + 1))"; }
# pe_labelled K: PE K's in-use binding for every other loopback is p1's
# local label for it (and a real label: p1 is not the egress)
pe_labelled() {
	local k="$1" want
	want=$("$PESH" -N p1 -c "show mpls ldp binding json")
	"$PESH" -N "pe$k" -c "show mpls ldp binding json" | $PY -c "import json,sys
p1={r['prefix']:r['localLabel'] for r in json.loads(sys.argv[1])['bindings']}
rows=json.load(sys.stdin)['bindings']
miss=[]
for m in range(1,$NPE+1):
    if m==$k: continue
    pfx='10.255.%d.%d/32' % (1+(m-1)//250, (m-1)%250+1)
    r=[x for x in rows if x['prefix']==pfx and x['neighborId']=='$P1' and x['inUse']==1]
    if not r or not str(r[0]['remoteLabel']).isdigit() or r[0]['remoteLabel']!=p1.get(pfx):
        miss.append(pfx)
print('pe$k: no labelled path (p1\'s label in use) for', miss)
sys.exit(1 if miss else 0)" "$want"
}
# p1_lfib: p1 pops (PHP) toward every PE's loopback
p1_lfib() {
	"$PESH" -N p1 -c "show mpls table json" | $PY -c "import json,sys
t=json.load(sys.stdin)
have={e['prefix'] for e in t.values() if e['installed'] and
      any(n['type']=='LDP' and n['action']=='pop' for n in e['nexthops'])}
miss=['10.255.%d.%d/32' % (1+(m-1)//250, (m-1)%250+1) for m in range(1,$NPE+1)]
miss=[p for p in miss if p not in have]
print('p1 LFIB lacks', miss)
sys.exit(1 if miss else 0)"
}
# p1_addrs_at K: PE K's session to p1 carries p1's 65 + EXTRA addresses
p1_addrs_at() {
	"$PESH" -N "pe$1" -c "show mpls ldp neighbor $P1 detail json" 2>/dev/null | $PY -c "import json,sys
d=json.load(sys.stdin)
n=d.get('neighbors',d)
n=n.get('$P1',n) if isinstance(n,dict) else n
a=n.get('addresses') if isinstance(n,dict) else None
print('pe$1 holds', None if a is None else len(a), 'addresses of p1')
sys.exit(0 if a is not None and len(a)==$((64 + 1 + EXTRA)) else 1)"
}

check "p1: 64 LDP interfaces ACTIVE, one adjacency each" retry 160 ifaces_active p1 $((NPE * PER))
check "p1: $NPE sessions OPERATIONAL" retry 160 nbrs_oper p1 $NPE
for k in $(seq $NPE); do
	check "pe$k: $PER LDP interfaces ACTIVE, one adjacency each" retry 40 ifaces_active "pe$k" $PER
	check "pe$k: session to p1 OPERATIONAL" retry 40 nbrs_oper "pe$k" 1
done
for k in $(seq $NPE); do
	check "pe$k: p1's $((64 + 1 + EXTRA)) addresses, none cut off" retry 40 p1_addrs_at "$k"
	check "pe$k: labelled path (p1's label) to every other PE's loopback" retry 80 pe_labelled "$k"
done
check "p1: LFIB pops toward every PE loopback" retry 40 p1_lfib

# A refused join: nothing may be joined in pe1's namespace any more
X pe1 sysctl -qw net.ipv4.igmp_max_memberships=0
cfg pe1 "mpls ldp" "address-family ipv4" "no interface eth3" >/dev/null
cfg pe1 "mpls ldp" "address-family ipv4" "interface eth3" >/dev/null
join_failed() {
	"$PESH" -N pe1 -c "show mpls ldp interface json" | $PY -c "import json,sys
e=json.load(sys.stdin)['eth3: ipv4']
print(e)
sys.exit(0 if e['state']=='JOIN FAILED' and e.get('error')=='No buffer space available' else 1)"
}
check "refused join: pe1 eth3 is JOIN FAILED with the kernel's reason (JSON)" retry 40 join_failed
check "refused join: shown in the text form too" sh -c \
	"'$PESH' -N pe1 -c 'show mpls ldp interface' | grep -E '^ipv4 eth3 +JOIN FAILED.*No buffer space available'"
check "refused join: logged" retry 20 grep -q "interface eth3: cannot join 224.0.0.2: No buffer space available" \
	"$PETOPO_RUNDIR/$T/pe1/ped.log"
check "refused join: the other interfaces stay ACTIVE" sh -c \
	"'$PESH' -N pe1 -c 'show mpls ldp interface json' | $JSONCMP '{\"eth4: ipv4\":{\"state\":\"ACTIVE\"}}'"
X pe1 sysctl -qw net.ipv4.igmp_max_memberships=20
check "allowed again: pe1 eth3 joins by itself (ACTIVE, one adjacency)" retry 80 ifaces_active pe1 $PER

"$PETOPO" down "$T" >/dev/null 2>&1
check "down leaves nothing" nothing_left "$T"
pt_done
