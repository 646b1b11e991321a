/* Topology files: YAML, shaped like containerlab's (name, topology.nodes,
 * topology.links[].endpoints), read with libyaml's document API so that every
 * value keeps its line and column for error messages. This file only checks
 * the shape (known keys, types, syntax of names and addresses); topo_check.c
 * checks what the values mean together.
 *
 *   name: l3vpn-basic
 *   prefix: lb                      # optional namespace prefix (default: name)
 *   topology:
 *     nodes:
 *       pe1:
 *         kind: ped                 # ped | frr | host | gobgp | bird
 *         startup-config: l3vpn-basic/pe1.conf
 *         loopback: 10.255.0.1/32   # or a list, of either family
 *         vrfs: [CUST-A, CUST-B]    # ped
 *         daemons: [ospfd, ldpd]    # frr (zebra is implied); ped: ospfd, ospf6d, isisd
 *         frr-config: l3vpn-basic/pe1-frr.conf   # ped with daemons: their config
 *         routes: ["default via 10.1.1.1", "default via 2001:db8:1:1::1"]  # host
 *         forwarding: true
 *         interfaces:
 *           eth3: {address: 10.0.12.1/24}    # or a list of addresses
 *           eth4: {address: [10.0.13.1/24, "2001:db8:13::1/64"]}
 *
 * Addresses and routes are IPv4 or IPv6, told apart by their syntax (a ':'
 * makes IPv6); "default via GW" is the default route of GW's family.
 *     links:
 *       - endpoints: ["pe1:eth3", "p1:eth1"]
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "topologies/petopo.h"

struct pctx {
	struct topo *t;
	yaml_document_t doc;
};

/* Messages are kept and printed sorted by line and column (then in the
 * order found), so that a file's problems read top to bottom. */
static void vreport(struct topo *t, const struct mark *m, const char *what, const char *fmt,
		    va_list ap)
{
	struct topo_msg *tm;
	char text[2048];
	int o;

	if (m != NULL && m->line > 0)
		o = snprintf(text, sizeof(text), "%s:%d:%d: %s", t->file, m->line, m->col, what);
	else
		o = snprintf(text, sizeof(text), "%s: %s", t->file, what);
	if (o > 0 && (size_t)o < sizeof(text))
		vsnprintf(text + o, sizeof(text) - (size_t)o, fmt, ap);
	t->msgs = xrealloc(t->msgs, sizeof(*t->msgs) * (size_t)(t->nmsgs + 1));
	tm = &t->msgs[t->nmsgs];
	tm->line = m != NULL ? m->line : 0;
	tm->col = m != NULL ? m->col : 0;
	tm->seq = t->nmsgs++;
	tm->text = xstrdup(text);
}

static int msg_cmp(const void *a, const void *b)
{
	const struct topo_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void topo_report(struct topo *t)
{
	int i;

	if (t->nmsgs == 0)
		return;
	qsort(t->msgs, (size_t)t->nmsgs, sizeof(*t->msgs), msg_cmp);
	for (i = 0; i < t->nmsgs; i++) {
		fprintf(stderr, "%s\n", t->msgs[i].text);
		free(t->msgs[i].text);
	}
	free(t->msgs);
	t->msgs = NULL;
	t->nmsgs = 0;
}

void topo_err(struct topo *t, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(t, m, "", fmt, ap);
	va_end(ap);
	t->errors++;
}

void topo_warn(struct topo *t, const struct mark *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(t, m, "warning: ", fmt, ap);
	va_end(ap);
	t->warnings++;
}

static struct mark ymark(const yaml_node_t *n)
{
	struct mark m = { (int)n->start_mark.line + 1, (int)n->start_mark.column + 1 };

	return m;
}

static const char *scalar(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *ynode(struct pctx *c, int i)
{
	return yaml_document_get_node(&c->doc, i);
}

static const char *ytype(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

static bool expect(struct pctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	struct mark m = ymark(n);
	const char *want = type == YAML_SCALAR_NODE	 ? "a value"
			   : type == YAML_SEQUENCE_NODE ? "a list"
							: "a mapping";

	if (n->type == type)
		return true;
	topo_err(c->t, &m, "%s must be %s, not %s", what, want, ytype(n));
	return false;
}

static bool key_allowed(const char *key, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(key, *allowed) == 0)
			return true;
	return false;
}

static void allowed_list(const char *const *allowed, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (; *allowed != NULL && o < len; allowed++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "", *allowed);
}

typedef void (*pair_fn)(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
			void *arg);

/* Calls fn for every pair of mapping map, rejecting non-scalar keys,
 * duplicate keys and (with allowed) unknown keys. */
static void map_each(struct pctx *c, yaml_node_t *map, const char *what,
		     const char *const *allowed, pair_fn fn, void *arg)
{
	yaml_node_pair_t *p, *q;
	char list[256];

	if (!expect(c, map, YAML_MAPPING_NODE, what))
		return;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ynode(c, p->key), *v = ynode(c, p->value);
		const char *key = scalar(k);
		struct mark m = ymark(k);
		bool dup = false;

		if (key == NULL) {
			topo_err(c->t, &m, "%s: keys must be plain names", what);
			continue;
		}
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			const char *other = scalar(ynode(c, q->key));

			if (other != NULL && strcmp(other, key) == 0) {
				struct mark om = ymark(ynode(c, q->key));

				topo_err(c->t, &m, "duplicate key \"%s\" in %s (first at line %d)",
					 key, what, om.line);
				dup = true;
				break;
			}
		}
		if (dup)
			continue;
		if (allowed != NULL && !key_allowed(key, allowed)) {
			allowed_list(allowed, list, sizeof(list));
			topo_err(c->t, &m, "unknown key \"%s\" in %s (expected one of: %s)", key,
				 what, list);
			continue;
		}
		fn(c, key, k, v, arg);
	}
}

/* Accepts a scalar or a list of scalars; calls fn for each. */
static void scalars_each(struct pctx *c, yaml_node_t *n, const char *what,
			 void (*fn)(struct pctx *c, const char *s, struct mark *m, void *arg),
			 void *arg)
{
	yaml_node_item_t *i;
	struct mark m;

	if (n->type == YAML_SCALAR_NODE) {
		m = ymark(n);
		fn(c, scalar(n), &m, arg);
		return;
	}
	if (!expect(c, n, YAML_SEQUENCE_NODE, what))
		return;
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		yaml_node_t *e = ynode(c, *i);

		m = ymark(e);
		if (e->type != YAML_SCALAR_NODE) {
			topo_err(c->t, &m, "%s: each entry must be a value, not %s", what,
				 ytype(e));
			continue;
		}
		fn(c, scalar(e), &m, arg);
	}
}

/* ---- names and addresses ---- */

static bool name_char(char ch, bool first)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return true;
	return !first && (ch == '-' || ch == '_');
}

/* Topology, prefix and node names: letters, digits, '-', '_', starting with
 * a letter or digit; they become namespace names, paths and ped -N. */
bool topo_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > TOPO_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!name_char(s[i], i == 0))
			return false;
	return true;
}

bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > TOPO_IFNAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* "A.B.C.D/M" or "X:X::X:X/M" (the family by syntax), an interface address:
 * strict syntax; for IPv4 not the network or broadcast address of its
 * subnet (lengths below 31), for IPv6 not the subnet-router anycast address
 * (all host bits zero, lengths below 127: RFC 4291 2.6.1, RFC 6164). 0, -1
 * (syntax), -2 (not a host address of its subnet), -3 (IPv6 multicast or
 * unspecified: not an interface address at all). */
int taddr_parse(const char *s, struct taddr *a)
{
	struct prefix net;
	struct ipaddr host;
	char buf[PREFIX_STRLEN + 8];
	const char *slash = strchr(s, '/');
	bool host_bits = false;

	if (slash == NULL || strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (ipaddr_parse(buf, &host) < 0 || prefix_parse(s, &net, &host_bits) < 0 ||
	    net.af != host.af)
		return -1;
	if (net.len == 0)
		return -1;
	a->p = prefix_host(&host);
	a->p.len = net.len;
	if (host.af == AF_INET) {
		uint32_t h = host.v4 & ~prefix4_mask(net.len);

		if (net.len < 31 && (h == 0 || h == ~prefix4_mask(net.len)))
			return -2;
	} else {
		if (host.v6[0] == 0xff || ipaddr_is_zero(&host))
			return -3;
		if (net.len < 127 && !host_bits)
			return -2;
	}
	ipaddr_ntop(&host, buf, sizeof(buf));
	snprintf(a->str, sizeof(a->str), "%s/%u", buf, net.len);
	return 0;
}

static void add_addr(struct pctx *c, struct taddr **arr, int *n, const char *s, struct mark *m)
{
	bool v6 = strchr(s, ':') != NULL;
	struct taddr a;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = taddr_parse(s, &a);
	if (rc == -2 && !v6) {
		topo_err(c->t, m, "bad address \"%s\": the network or broadcast address of its "
				  "subnet, not a host address", s);
		return;
	}
	if (rc == -2) {
		topo_err(c->t, m, "bad address \"%s\": all host bits are zero (the subnet-router "
				  "anycast address of its subnet), not a host address", s);
		return;
	}
	if (rc == -3) {
		topo_err(c->t, m, "bad address \"%s\": a multicast or unspecified address, not "
				  "an interface address", s);
		return;
	}
	if (rc < 0 && v6) {
		topo_err(c->t, m, "bad address \"%s\": expected X:X::X:X/M (e.g. "
				  "2001:db8::1/64)", s);
		return;
	}
	if (rc < 0) {
		topo_err(c->t, m, "bad address \"%s\": expected A.B.C.D/M (e.g. 10.0.12.1/24)",
			 s);
		return;
	}
	a.m = *m;
	*arr = xrealloc(*arr, sizeof(**arr) * (size_t)(*n + 1));
	(*arr)[(*n)++] = a;
}

/* ---- nodes ---- */

struct tnode *topo_node(struct topo *t, const char *name)
{
	int i;

	for (i = 0; i < t->nnodes; i++)
		if (strcmp(t->nodes[i].name, name) == 0)
			return &t->nodes[i];
	return NULL;
}

struct tiface *tnode_iface(struct tnode *n, const char *name, bool create)
{
	struct tiface *i;
	int k;

	for (k = 0; k < n->nifaces; k++)
		if (strcmp(n->ifaces[k].name, name) == 0)
			return &n->ifaces[k];
	if (!create)
		return NULL;
	n->ifaces = xrealloc(n->ifaces, sizeof(*n->ifaces) * (size_t)(n->nifaces + 1));
	i = &n->ifaces[n->nifaces++];
	memset(i, 0, sizeof(*i));
	snprintf(i->name, sizeof(i->name), "%s", name);
	i->link = -1;
	return i;
}

static const char *const kind_names[KIND_COUNT] = { "ped", "frr", "host", "gobgp", "bird" };

const char *kind_name(enum node_kind k)
{
	return k < KIND_COUNT ? kind_names[k] : "?";
}

struct nodectx {
	struct tnode *n;
	bool has_kind;
	yaml_node_t *vals[16]; /* per key, read after kind is known */
};

static void loop_cb(struct pctx *c, const char *s, struct mark *m, void *arg)
{
	struct tnode *n = arg;

	add_addr(c, &n->loop, &n->nloop, s, m);
}

static void iface_addr_cb(struct pctx *c, const char *s, struct mark *m, void *arg)
{
	struct tiface *i = arg;

	add_addr(c, &i->addrs, &i->naddr, s, m);
}

static void iface_key_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
			 void *arg)
{
	(void)k;
	if (strcmp(key, "address") == 0)
		scalars_each(c, v, "address", iface_addr_cb, arg);
}

static void ifaces_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
	static const char *const keys[] = { "address", NULL };
	struct tnode *n = arg;
	struct mark m = ymark(k);
	struct tiface *i;
	char what[64];

	if (!ifname_ok(key)) {
		topo_err(c->t, &m, "bad interface name \"%s\": 1 to %d characters, no '/', ':' "
				   "or spaces", key, TOPO_IFNAME_MAX);
		return;
	}
	if (strcmp(key, "lo") == 0) {
		topo_err(c->t, &m, "interface lo: use the node's loopback: key");
		return;
	}
	i = tnode_iface(n, key, true);
	i->declared = true;
	i->m = m;
	snprintf(what, sizeof(what), "interface %s", key);
	if (v->type == YAML_SCALAR_NODE) {
		const char *s = scalar(v);

		if (*s != '\0') /* "eth0:" alone is an empty scalar */
			scalars_each(c, v, what, iface_addr_cb, i);
		return;
	}
	if (v->type == YAML_SEQUENCE_NODE) {
		scalars_each(c, v, what, iface_addr_cb, i);
		return;
	}
	map_each(c, v, what, keys, iface_key_cb, i);
}

static const char *af_name(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

/* "PREFIX via GATEWAY" or "default via GATEWAY", either family: "default"
 * takes the gateway's (0.0.0.0/0 or ::/0); otherwise the two must agree. */
static void route_cb(struct pctx *c, const char *s, struct mark *m, void *arg)
{
	struct tnode *n = arg;
	struct troute r;
	char dst[64], via[64], extra[8], kw[8];
	char dbuf[PREFIX_STRLEN], vbuf[IPADDR_STRLEN];
	bool deflt;
	int got;

	memset(&r, 0, sizeof(r));
	got = sscanf(s, "%63s %7s %63s %7s", dst, kw, via, extra);
	if (got != 3 || strcmp(kw, "via") != 0) {
		topo_err(c->t, m, "bad route \"%s\": expected \"PREFIX via ADDRESS\" or "
				  "\"default via ADDRESS\"", s);
		return;
	}
	deflt = strcmp(dst, "default") == 0;
	if (!deflt) {
		bool host_bits;

		if (prefix_parse(dst, &r.dst, &host_bits) < 0) {
			topo_err(c->t, m, "bad route \"%s\": bad prefix \"%s\"", s, dst);
			return;
		}
		if (host_bits) {
			topo_err(c->t, m, "bad route \"%s\": prefix %s has host bits set", s, dst);
			return;
		}
	}
	if (ipaddr_parse(via, &r.via) < 0) {
		topo_err(c->t, m, "bad route \"%s\": bad gateway address \"%s\"", s, via);
		return;
	}
	if (!deflt && r.dst.af != r.via.af) {
		topo_err(c->t, m, "bad route \"%s\": prefix %s is %s but gateway %s is %s (one "
				  "family per route)", s, dst, af_name(r.dst.af), via,
			 af_name(r.via.af));
		return;
	}
	if (deflt) {
		memset(&r.dst, 0, sizeof(r.dst));
		r.dst.af = r.via.af;
	}
	if (r.via.af == AF_INET6 && ipaddr_is_linklocal(&r.via)) {
		topo_err(c->t, m, "bad route \"%s\": a link-local gateway needs an outgoing "
				  "interface, which routes cannot name: use the gateway's global "
				  "address", s);
		return;
	}
	if (r.via.af == AF_INET6 && (r.via.v6[0] == 0xff || ipaddr_is_zero(&r.via))) {
		topo_err(c->t, m, "bad route \"%s\": bad gateway address \"%s\"", s, via);
		return;
	}
	/* IPv4 as written (it is canonical already), IPv6 in RFC 5952 text */
	if (r.via.af == AF_INET)
		snprintf(r.text, sizeof(r.text), "%s via %s", dst, via);
	else
		snprintf(r.text, sizeof(r.text), "%s via %s",
			 deflt ? "default" : prefix_ntop(&r.dst, dbuf, sizeof(dbuf)),
			 ipaddr_ntop(&r.via, vbuf, sizeof(vbuf)));
	r.m = *m;
	n->routes = xrealloc(n->routes, sizeof(*n->routes) * (size_t)(n->nroutes + 1));
	n->routes[n->nroutes++] = r;
}

static void vrf_cb(struct pctx *c, const char *s, struct mark *m, void *arg)
{
	struct tnode *n = arg;
	int i;

	if (!topo_name_ok(s) || strlen(s) > TOPO_VRF_MAX) {
		topo_err(c->t, m, "bad VRF name \"%s\": letters, digits, '-' and '_'", s);
		return;
	}
	for (i = 0; i < n->nvrfs; i++)
		if (strcmp(n->vrfs[i], s) == 0) {
			topo_err(c->t, m, "VRF %s listed twice", s);
			return;
		}
	n->vrfs = xrealloc(n->vrfs, sizeof(*n->vrfs) * (size_t)(n->nvrfs + 1));
	n->vrf_m = xrealloc(n->vrf_m, sizeof(*n->vrf_m) * (size_t)(n->nvrfs + 1));
	n->vrf_m[n->nvrfs] = *m;
	n->vrfs[n->nvrfs++] = xstrdup(s);
}

static void daemon_cb(struct pctx *c, const char *s, struct mark *m, void *arg)
{
	struct tnode *n = arg;
	const char *why;
	int i;

	if (strcmp(s, "zebra") == 0)
		return; /* always runs */
	if (n->kind == KIND_PED && (why = ped_daemon_ok(s)) != NULL) {
		topo_err(c->t, m, "node %s: daemon \"%s\": %s", n->name, s, why);
		return;
	}
	if ((why = frr_daemon_ok(s)) != NULL) {
		topo_err(c->t, m, "daemon \"%s\": %s", s, why);
		return;
	}
	for (i = 0; i < n->ndaemons; i++)
		if (strcmp(n->daemons[i], s) == 0) {
			topo_err(c->t, m, "daemon %s listed twice", s);
			return;
		}
	n->daemons = xrealloc(n->daemons, sizeof(*n->daemons) * (size_t)(n->ndaemons + 1));
	n->daemons[n->ndaemons++] = xstrdup(s);
}

static const char *const node_keys[] = { "kind",   "startup-config", "loopback", "interfaces",
					 "routes", "vrfs",	     "daemons",	 "forwarding",
					 "frr-config", NULL };

static void node_key_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
			void *arg)
{
	struct nodectx *nc = arg;
	int i;

	(void)c;
	(void)k;
	for (i = 0; node_keys[i] != NULL; i++)
		if (strcmp(node_keys[i], key) == 0)
			nc->vals[i] = v;
}

static int key_index(const char *key)
{
	int i;

	for (i = 0; node_keys[i] != NULL; i++)
		if (strcmp(node_keys[i], key) == 0)
			return i;
	return -1;
}

/* A key that the node's kind does not take. */
static bool kind_refuses(struct pctx *c, struct nodectx *nc, const char *key, const char *why)
{
	yaml_node_t *v = nc->vals[key_index(key)];
	struct mark m;

	if (v == NULL)
		return false;
	m = ymark(v);
	topo_err(c->t, &m, "node %s: %s is not for kind %s (%s)", nc->n->name, key,
		 kind_name(nc->n->kind), why);
	return true;
}

/* startup-config or frr-config: a file, relative to the topology file. */
static void set_config(struct pctx *c, struct tnode *n, yaml_node_t *v, const char *key,
		       struct mark *mk, char **arg, char **abspath)
{
	char path[PATH_MAX], *abs;
	const char *s;

	*mk = ymark(v);
	if (!expect(c, v, YAML_SCALAR_NODE, key))
		return;
	s = scalar(v);
	*arg = xstrdup(s);
	if (*s == '/')
		snprintf(path, sizeof(path), "%s", s);
	else
		snprintf(path, sizeof(path), "%s/%s", c->t->dir, s);
	abs = realpath(path, NULL);
	if (abs == NULL) {
		topo_err(c->t, mk, "node %s: %s %s: %s", n->name, key, s, strerror(errno));
		return;
	}
	*abspath = abs;
}

static void nodes_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
	struct topo *t = c->t;
	struct nodectx nc;
	struct tnode *n;
	struct mark m = ymark(k);
	const char *s;
	char what[64];
	int i, vi;

	(void)arg;
	if (!topo_name_ok(key)) {
		topo_err(t, &m, "bad node name \"%s\": 1 to %d letters, digits, '-' or '_', "
				"starting with a letter or digit", key, TOPO_NAME_MAX);
		return;
	}
	t->nodes = xrealloc(t->nodes, sizeof(*t->nodes) * (size_t)(t->nnodes + 1));
	n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", key);
	n->m = m;
	n->forwarding = -1;
	n->kind = KIND_COUNT;
	snprintf(what, sizeof(what), "node %s", key);
	memset(&nc, 0, sizeof(nc));
	nc.n = n;
	map_each(c, v, what, node_keys, node_key_cb, &nc);
	if (v->type != YAML_MAPPING_NODE)
		return;

	if (nc.vals[0] == NULL) {
		topo_err(t, &m, "node %s: missing kind (ped, frr, host, gobgp or bird)", key);
		return;
	}
	n->kind_m = ymark(nc.vals[0]);
	if ((s = scalar(nc.vals[0])) == NULL) {
		topo_err(t, &n->kind_m, "node %s: kind must be a value", key);
		return;
	}
	for (i = 0; i < KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			n->kind = (enum node_kind)i;
	if (n->kind == KIND_COUNT) {
		if (strcmp(s, "exabgp") == 0)
			topo_err(t, &n->kind_m, "node %s: kind exabgp is not supported yet "
						"(supported: ped, frr, host, gobgp, bird)", key);
		else
			topo_err(t, &n->kind_m, "node %s: unknown kind \"%s\" (expected ped, frr, "
						"host, gobgp or bird)", key, s);
		return;
	}

	if ((vi = key_index("startup-config"), nc.vals[vi]) != NULL) {
		if (n->kind == KIND_HOST)
			kind_refuses(c, &nc, "startup-config", "hosts get addresses and routes only");
		else
			set_config(c, n, nc.vals[vi], "startup-config", &n->config_m,
				   &n->config_arg, &n->config);
	} else if (kind_needs_config(n->kind)) {
		topo_err(t, &m, "node %s: kind %s needs a startup-config", key,
			 kind_name(n->kind));
	}
	if ((vi = key_index("loopback"), nc.vals[vi]) != NULL)
		scalars_each(c, nc.vals[vi], "loopback", loop_cb, n);
	if ((vi = key_index("interfaces"), nc.vals[vi]) != NULL) {
		snprintf(what, sizeof(what), "interfaces of node %s", key);
		map_each(c, nc.vals[vi], what, NULL, ifaces_cb, n);
	}
	if ((vi = key_index("routes"), nc.vals[vi]) != NULL &&
	    (n->kind == KIND_HOST ||
	     !kind_refuses(c, &nc, "routes", "put static routes in the node's startup-config")))
		scalars_each(c, nc.vals[vi], "routes", route_cb, n);
	if ((vi = key_index("vrfs"), nc.vals[vi]) != NULL &&
	    (n->kind == KIND_PED || !kind_refuses(c, &nc, "vrfs", "only ped nodes have VRFs")))
		scalars_each(c, nc.vals[vi], "vrfs", vrf_cb, n);
	if ((vi = key_index("daemons"), nc.vals[vi]) != NULL &&
	    (n->kind == KIND_FRR || n->kind == KIND_PED ||
	     !kind_refuses(c, &nc, "daemons", "only frr and ped nodes list daemons")))
		scalars_each(c, nc.vals[vi], "daemons", daemon_cb, n);
	/* ped with FRR's IGP beside it: the daemons' own config */
	if ((vi = key_index("frr-config"), nc.vals[vi]) != NULL &&
	    (n->kind == KIND_PED ||
	     !kind_refuses(c, &nc, "frr-config",
			   n->kind == KIND_FRR ? "an frr node's config is its startup-config"
					       : "only ped nodes with daemons take it")))
		set_config(c, n, nc.vals[vi], "frr-config", &n->frr_config_m, &n->frr_config_arg,
			   &n->frr_config);
	if (n->kind == KIND_PED && nc.vals[key_index("daemons")] != NULL &&
	    nc.vals[key_index("frr-config")] == NULL)
		topo_err(t, &m, "node %s: daemons beside ped need their config (frr-config: FILE)",
			 key);
	else if (n->kind == KIND_PED && nc.vals[key_index("frr-config")] != NULL &&
		 nc.vals[key_index("daemons")] == NULL)
		topo_err(t, &n->frr_config_m,
			 "node %s: frr-config without daemons (daemons: [ospfd] or [isisd])", key);
	if ((vi = key_index("forwarding"), nc.vals[vi]) != NULL) {
		struct mark fm = ymark(nc.vals[vi]);

		s = scalar(nc.vals[vi]);
		if (s != NULL && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")))
			n->forwarding = 1;
		else if (s != NULL &&
			 (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off")))
			n->forwarding = 0;
		else
			topo_err(t, &fm, "node %s: forwarding must be true or false", key);
	}
}

/* ---- links ---- */

static void endpoint(struct pctx *c, struct tlink *l, int e, yaml_node_t *v)
{
	struct topo *t = c->t;
	struct mark m = ymark(v);
	const char *s = scalar(v), *colon;
	char node[64];
	struct tnode *n;
	struct tiface *i;

	l->end[e].node = -1;
	l->end[e].iface = -1;
	l->end[e].m = m;
	if (s == NULL) {
		topo_err(t, &m, "link endpoint must be \"NODE:INTERFACE\", not %s", ytype(v));
		return;
	}
	colon = strchr(s, ':');
	if (colon == NULL || colon == s || colon[1] == '\0' || strchr(colon + 1, ':') != NULL ||
	    (size_t)(colon - s) >= sizeof(node)) {
		topo_err(t, &m, "bad link endpoint \"%s\": expected \"NODE:INTERFACE\" "
				"(e.g. \"pe1:eth1\")", s);
		return;
	}
	memcpy(node, s, (size_t)(colon - s));
	node[colon - s] = '\0';
	if ((n = topo_node(t, node)) == NULL) {
		topo_err(t, &m, "link endpoint \"%s\": unknown node \"%s\"", s, node);
		return;
	}
	if (!ifname_ok(colon + 1)) {
		topo_err(t, &m, "link endpoint \"%s\": bad interface name \"%s\" (1 to %d "
				"characters, no '/', ':' or spaces)", s, colon + 1, TOPO_IFNAME_MAX);
		return;
	}
	if (strcmp(colon + 1, "lo") == 0) {
		topo_err(t, &m, "link endpoint \"%s\": lo cannot be on a link", s);
		return;
	}
	i = tnode_iface(n, colon + 1, true);
	if (i->link >= 0) {
		struct tlink *o = &t->links[i->link];
		int oe = o->end[0].node == (int)(n - t->nodes) &&
				 o->end[0].iface == (int)(i - n->ifaces)
			 ? 0
			 : 1;

		topo_err(t, &m, "duplicate interface %s:%s (already on the link at line %d)",
			 node, colon + 1, o->end[oe].m.line);
		return;
	}
	if (!i->declared)
		i->m = m;
	i->link = (int)(l - t->links);
	l->end[e].node = (int)(n - t->nodes);
	l->end[e].iface = (int)(i - n->ifaces);
}

static void link_key_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
			void *arg)
{
	struct tlink *l = arg;
	struct mark m = ymark(v);

	(void)k;
	if (strcmp(key, "endpoints") != 0)
		return;
	if (!expect(c, v, YAML_SEQUENCE_NODE, "endpoints"))
		return;
	if (v->data.sequence.items.top - v->data.sequence.items.start != 2) {
		topo_err(c->t, &m, "endpoints must list exactly two \"NODE:INTERFACE\" entries");
		return;
	}
	endpoint(c, l, 0, ynode(c, v->data.sequence.items.start[0]));
	endpoint(c, l, 1, ynode(c, v->data.sequence.items.start[1]));
}

static void links(struct pctx *c, yaml_node_t *seq)
{
	static const char *const keys[] = { "endpoints", NULL };
	struct topo *t = c->t;
	yaml_node_item_t *it;
	int count = 0;

	if (!expect(c, seq, YAML_SEQUENCE_NODE, "links"))
		return;
	/* interfaces point into links: allocate once */
	t->links = xcalloc((size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) +
				   1, sizeof(*t->links));
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *v = ynode(c, *it);
		struct tlink *l = &t->links[count];
		struct mark m = ymark(v);
		int before = t->errors;

		memset(l, 0, sizeof(*l));
		l->m = m;
		l->end[0].node = l->end[1].node = -1;
		t->nlinks = count + 1; /* endpoint() looks links up by index */
		map_each(c, v, "link", keys, link_key_cb, l);
		if (v->type == YAML_MAPPING_NODE && l->end[0].m.line == 0 && t->errors == before)
			topo_err(t, &m, "link without endpoints");
		if (l->end[0].node < 0 || l->end[1].node < 0) {
			/* keep interfaces consistent: drop a half-made link */
			int e;

			for (e = 0; e < 2; e++)
				if (l->end[e].node >= 0)
					t->nodes[l->end[e].node].ifaces[l->end[e].iface].link = -1;
			t->nlinks = count;
			continue;
		}
		count++;
	}
	t->nlinks = count;
}

/* ---- top level ---- */

struct topctx {
	yaml_node_t *name, *prefix, *topology;
};

static void top_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v, void *arg)
{
	struct topctx *tc = arg;

	(void)c;
	(void)k;
	if (strcmp(key, "name") == 0)
		tc->name = v;
	else if (strcmp(key, "prefix") == 0)
		tc->prefix = v;
	else
		tc->topology = v;
}

struct topoctx {
	yaml_node_t *nodes, *links;
};

static void topology_cb(struct pctx *c, const char *key, yaml_node_t *k, yaml_node_t *v,
			void *arg)
{
	struct topoctx *tc = arg;

	(void)c;
	(void)k;
	if (strcmp(key, "nodes") == 0)
		tc->nodes = v;
	else
		tc->links = v;
}

static void toplevel(struct pctx *c, yaml_node_t *root)
{
	static const char *const keys[] = { "name", "prefix", "topology", NULL };
	static const char *const tkeys[] = { "nodes", "links", NULL };
	struct topo *t = c->t;
	struct topctx tc = { 0 };
	struct topoctx tt = { 0 };
	struct mark m = ymark(root);
	const char *s;

	map_each(c, root, "the topology file", keys, top_cb, &tc);
	if (root->type != YAML_MAPPING_NODE)
		return;
	if (tc.name == NULL) {
		topo_err(t, &m, "missing name");
	} else {
		t->name_m = ymark(tc.name);
		s = scalar(tc.name);
		if (s == NULL || !topo_name_ok(s))
			topo_err(t, &t->name_m, "bad name \"%s\": 1 to %d letters, digits, '-' or "
						"'_', starting with a letter or digit",
				 s ? s : "", TOPO_NAME_MAX);
		else
			snprintf(t->name, sizeof(t->name), "%s", s);
	}
	if (tc.prefix != NULL) {
		t->prefix_m = ymark(tc.prefix);
		s = scalar(tc.prefix);
		if (s == NULL || !topo_name_ok(s))
			topo_err(t, &t->prefix_m, "bad prefix \"%s\": 1 to %d letters, digits, "
						  "'-' or '_'", s ? s : "", TOPO_NAME_MAX);
		else {
			snprintf(t->prefix, sizeof(t->prefix), "%s", s);
			t->has_prefix = true;
		}
	}
	if (tc.topology == NULL) {
		topo_err(t, &m, "missing topology (with nodes and links)");
		return;
	}
	map_each(c, tc.topology, "topology", tkeys, topology_cb, &tt);
	if (tc.topology->type != YAML_MAPPING_NODE)
		return;
	if (tt.nodes == NULL) {
		struct mark tm = ymark(tc.topology);

		topo_err(t, &tm, "topology: missing nodes");
		return;
	}
	map_each(c, tt.nodes, "nodes", NULL, nodes_cb, NULL);
	if (tt.links != NULL)
		links(c, tt.links);
}

struct topo *topo_load(const char *path)
{
	struct topo *t = xcalloc(1, sizeof(*t));
	yaml_parser_t parser;
	yaml_node_t *root;
	struct pctx c;
	char *copy;
	FILE *fp;

	t->file = xstrdup(path);
	t->abspath = realpath(path, NULL);
	if (t->abspath == NULL || (fp = fopen(path, "r")) == NULL) {
		topo_err(t, NULL, "cannot read: %s", strerror(errno));
		return t;
	}
	copy = xstrdup(t->abspath);
	t->dir = xstrdup(dirname(copy));
	free(copy);
	memset(&c, 0, sizeof(c));
	c.t = t;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &c.doc)) {
		struct mark m = { (int)parser.problem_mark.line + 1,
				  (int)parser.problem_mark.column + 1 };

		topo_err(t, &m, "YAML syntax error: %s%s%s", parser.problem ? parser.problem : "?",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		fclose(fp);
		return t;
	}
	root = yaml_document_get_root_node(&c.doc);
	if (root == NULL)
		topo_err(t, NULL, "empty topology file");
	else
		toplevel(&c, root);
	yaml_document_delete(&c.doc);
	yaml_parser_delete(&parser);
	fclose(fp);
	return t;
}

void topo_free(struct topo *t)
{
	int i, k;

	if (t == NULL)
		return;
	topo_report(t);
	for (i = 0; i < t->nnodes; i++) {
		struct tnode *n = &t->nodes[i];

		for (k = 0; k < n->nifaces; k++) {
			free(n->ifaces[k].addrs);
			free(n->ifaces[k].cfg_addrs);
		}
		for (k = 0; k < n->nvrfs; k++)
			free(n->vrfs[k]);
		for (k = 0; k < n->ndaemons; k++)
			free(n->daemons[k]);
		free(n->ifaces);
		free(n->loop);
		free(n->routes);
		free(n->vrfs);
		free(n->vrf_m);
		free(n->daemons);
		free(n->config);
		free(n->config_arg);
		free(n->config_text);
		free(n->frr_config);
		free(n->frr_config_arg);
	}
	free(t->nodes);
	free(t->links);
	free(t->file);
	free(t->dir);
	free(t->abspath);
	free(t);
}
