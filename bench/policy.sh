# The routing policy of the benchmarks' POLICY=1 runs (bench/bgp/run.sh:
# inbound on the generators' sessions; bench/vrfimport/run.sh: `route-map
# vpn import` of every VRF), sourced by both. FRR syntax, the same text for
# ped and FRR bgpd:
# - 50 prefix-lists PL-1..PL-50; PL-k permits `O.0.0.0/8 le 32` for every
#   first octet O with O % 50 = k - 1 (5 or 6 lines each);
# - route-map NAME with entries 10..500: entry 10k matches PL-k and sets
#   community 65000:k (additive) and local preference 200 + k; a final
#   `permit 1000` with nothing (not reached: every octet is in one list).
# A path to O.x.y.z falls through O % 50 entries before the one that
# matches (about 29 on average for the first 100k table prefixes).

# policy_text NAME: the prefix-lists and the route-map
policy_text() {
	local k o q
	for ((k = 1; k <= 50; k++)); do
		q=5
		for ((o = k - 1; o < 256; o += 50)); do
			echo "ip prefix-list PL-$k seq $q permit $o.0.0.0/8 le 32"
			q=$((q + 5))
		done
	done
	echo "!"
	for ((k = 1; k <= 50; k++)); do
		echo "route-map $1 permit $((10 * k))"
		echo " match ip address prefix-list PL-$k"
		echo " set community 65000:$k additive"
		echo " set local-preference $((200 + k))"
		echo "exit"
	done
	echo "route-map $1 permit 1000"
	echo "exit"
	echo "!"
}

# policy_expect PREFIX: "65000:k LP", the community and local preference
# the route-map gives a path to PREFIX
policy_expect() {
	local o=${1%%.*}
	echo "65000:$((o % 50 + 1)) $((200 + o % 50 + 1))"
}

# policy_show NAME: the policy for a record, shortened (PL-1, PL-2, PL-50,
# entries 10, 20, 500, 1000)
policy_show() {
	policy_text "$1" | awk -v m="$1" '
		/^ip prefix-list PL-(1|2|50) / { print; next }
		/^ip prefix-list PL-3 seq 5 / { print "..." }
		$1 == "route-map" && ($4 == 10 || $4 == 20 || $4 == 500 || $4 == 1000) { on = 1 }
		$1 == "route-map" && $4 == 30 { print "..." }
		on { print }
		/^exit$/ { on = 0 }
		/^!$/ { print }'
}

# AWK_MED: an awk function for the reports of both scripts (put it before
# the program: awk "$AWK_MED"'...'): med(a, c) sorts a[1..c] and returns
# their median, with LO and HI the smallest and largest (0 when c is 0)
AWK_MED='
function med(a, c,   i, j, t) {
	if (c == 0) return 0
	for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	LO = a[1]; HI = a[c]
	return (c % 2) ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
'
