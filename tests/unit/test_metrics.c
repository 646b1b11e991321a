/* Prometheus metrics (pe/metrics.c): label value escaping, `metrics listen`
 * addresses and their canonical form, the exposition checked line by line
 * against the text format (HELP and TYPE once per family, before its
 * samples, samples of a family together, counters named _total, label
 * values escaped), VRF route counts read from the RIB's own counts (a
 * 100000-route VRF costs a scrape no more than an empty one), and the HTTP
 * side on a real listener: GET /metrics, 404, 405 with Allow, 400, 414,
 * 431, the connection limit (503 at accept) and `show running-config`'s
 * line. The timing limits (slow clients, idle connections) are exercised by
 * tests/topo/metrics.sh. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "cli/cmd.h"
#include "lib/log.h"
#include "pe/label.h"
#include "pe/metrics.h"
#include "pe/ped.h"
#include "vrf/rib.h"
#include "vrf/vrf.h"

struct ped ped; /* main.c's, not linked */

static struct event_base *base;
static char *out;
static size_t out_len, out_cap;

static void out_write(void *arg, const char *buf, size_t len)
{
	(void)arg;
	if (out_len + len + 1 > out_cap) {
		out_cap = (out_len + len + 1) * 2;
		out = xrealloc(out, out_cap);
	}
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = '\0';
}

/* Runs one command in a fresh session; its output in out. */
static int run(enum cli_node node, const char *line)
{
	struct cli *cli = cli_new(out_write, NULL);
	int rc;

	out_len = 0;
	if (out != NULL)
		out[0] = '\0';
	cli_set_node(cli, node, NULL);
	rc = cli_execute(cli, line);
	cli_free(cli);
	return rc;
}

static void setup(void)
{
	log_init("test_metrics", true, false);
	memset(&ped, 0, sizeof(ped));
	vrf_init();
	label_mgr_init();
	cmd_init();
	cmd_node_install(NODE_VIEW, "view", NODE_VIEW);
	cmd_node_install(NODE_CONFIG, "config", NODE_VIEW);
	metrics_init();
	base = event_base_new();
}

static void teardown(void)
{
	metrics_fini();
	event_base_free(base);
	label_mgr_fini();
	vrf_fini();
	cmd_fini();
	free(out);
	out = NULL;
	out_len = out_cap = 0;
}

static char *escaped(const char *s)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;
	char *r;

	metrics_put_label_value(b, s);
	n = evbuffer_get_length(b);
	r = xmalloc(n + 1);
	evbuffer_remove(b, r, n);
	r[n] = '\0';
	evbuffer_free(b);
	return r;
}

START_TEST(test_escape)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "", "" },
		{ "CUST-A", "CUST-A" },
		{ "a\"b", "a\\\"b" },
		{ "back\\slash", "back\\\\slash" },
		{ "two\nlines", "two\\nlines" },
		{ "\\\"\n", "\\\\\\\"\\n" },
		{ "10.0.0.1", "10.0.0.1" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		char *e = escaped(v[i].in);

		ck_assert_str_eq(e, v[i].out);
		free(e);
	}
}
END_TEST

START_TEST(test_parse_listen)
{
	static const struct {
		const char *in, *canon; /* canon NULL: refused */
	} v[] = {
		{ NULL, "127.0.0.1:9273" },
		{ "", "127.0.0.1:9273" },
		{ "127.0.0.1:9100", "127.0.0.1:9100" },
		{ "10.255.0.1", "10.255.0.1:9273" },
		{ "0.0.0.0:65535", "0.0.0.0:65535" },
		{ "[::1]:9300", "[::1]:9300" },
		{ "[2001:db8::1]", "[2001:db8::1]:9273" },
		{ "2001:db8::1", "[2001:db8::1]:9273" },
		{ "::", "[::]:9273" },
		{ "127.0.0.1:0", NULL },
		{ "127.0.0.1:65536", NULL },
		{ "127.0.0.1:", NULL },
		{ "127.0.0.1:80x", NULL },
		{ "127.0.0.1:-1", NULL },
		{ "300.0.0.1", NULL },
		{ "localhost:9273", NULL },
		{ ":9273", NULL },
		{ "[::1", NULL },
		{ "[::1]x", NULL },
		{ "[10.0.0.1]:80", "10.0.0.1:80" },
		{ "[]:80", NULL },
		{ "2001:db8::1::2", NULL },
	};
	struct metrics_addr a;
	char err[200], buf[80];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		int rc = metrics_parse_listen(v[i].in, &a, err, sizeof(err));

		if (v[i].canon == NULL) {
			ck_assert_msg(rc == -1, "%s accepted", v[i].in);
			ck_assert(err[0] != '\0');
			continue;
		}
		ck_assert_msg(rc == 0, "%s: %s", v[i].in ? v[i].in : "(null)", err);
		ck_assert_str_eq(metrics_addr_str(&a, buf, sizeof(buf)), v[i].canon);
	}
}
END_TEST

/* One line of the text format: name, labels, value. Returns the name's
 * length; 0 if the line is not a sample. */
static size_t sample_ok(const char *l, const char *end)
{
	const char *p = l;
	size_t n;

	while (p < end && (*p == '_' || *p == ':' || (*p >= 'a' && *p <= 'z') ||
			   (*p >= 'A' && *p <= 'Z') || (p > l && *p >= '0' && *p <= '9')))
		p++;
	n = (size_t)(p - l);
	if (n == 0)
		return 0;
	if (p < end && *p == '{') {
		p++;
		for (;;) {
			const char *k = p;

			while (p < end &&
			       (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
				p++;
			if (p == k || p + 1 >= end || p[0] != '=' || p[1] != '"')
				return 0;
			for (p += 2; p < end && *p != '"'; p++)
				if (*p == '\\') {
					if (p + 1 >= end ||
					    (p[1] != '\\' && p[1] != '"' && p[1] != 'n'))
						return 0;
					p++;
				}
			if (p >= end)
				return 0;
			p++;
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			if (p < end && *p == '}') {
				p++;
				break;
			}
			return 0;
		}
	}
	if (p >= end || *p != ' ')
		return 0;
	p++;
	{
		char num[64], *e;
		size_t vl = (size_t)(end - p);

		if (vl == 0 || vl >= sizeof(num))
			return 0;
		memcpy(num, p, vl);
		num[vl] = '\0';
		strtod(num, &e);
		if (*e != '\0')
			return 0;
	}
	return n;
}

/* Checks a whole exposition; returns the number of samples. */
static int check_exposition(const char *text)
{
	char fam[128] = "", type[16] = "", seen[128][128];
	int nseen = 0, samples = 0, i;
	const char *l = text, *end;

	ck_assert(text[0] != '\0');
	ck_assert(text[strlen(text) - 1] == '\n');
	for (; *l != '\0'; l = end + 1) {
		end = strchr(l, '\n');
		ck_assert_ptr_nonnull(end);
		if (strncmp(l, "# HELP ", 7) == 0) {
			const char *sp = memchr(l + 7, ' ', (size_t)(end - l - 7));

			ck_assert_ptr_nonnull(sp);
			snprintf(fam, sizeof(fam), "%.*s", (int)(sp - l - 7), l + 7);
			for (i = 0; i < nseen; i++)
				ck_assert_msg(strcmp(seen[i], fam) != 0, "family %s twice", fam);
			ck_assert_int_lt(nseen, 128);
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", fam);
			type[0] = '\0';
			continue;
		}
		if (strncmp(l, "# TYPE ", 7) == 0) {
			size_t fl = strlen(fam);

			ck_assert_msg(strncmp(l + 7, fam, fl) == 0 && l[7 + fl] == ' ',
				      "TYPE without HELP");
			snprintf(type, sizeof(type), "%.*s", (int)(end - l - 8 - (long)fl),
				 l + 8 + fl);
			ck_assert_msg(strcmp(type, "gauge") == 0 || strcmp(type, "counter") == 0,
				      "type %s", type);
			if (strcmp(type, "counter") == 0)
				ck_assert_msg(fl > 6 && strcmp(fam + fl - 6, "_total") == 0,
					      "counter %s not _total", fam);
			else
				ck_assert_msg(fl <= 6 || strcmp(fam + fl - 6, "_total") != 0,
					      "gauge %s named _total", fam);
			continue;
		}
		ck_assert_msg(l[0] != '#', "comment %.*s", (int)(end - l), l);
		ck_assert_msg(sample_ok(l, end) == strlen(fam) && strncmp(l, fam, strlen(fam)) == 0,
			      "bad sample or outside its family (%s): %.*s", fam, (int)(end - l),
			      l);
		ck_assert(type[0] != '\0');
		samples++;
	}
	return samples;
}

/* the value of the sample line that starts with prefix (-1: none) */
static double value_of(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	for (; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return -1;
}

START_TEST(test_exposition)
{
	char err[128];
	struct vrf *v = vrf_create("CUST-A", err, sizeof(err));
	struct rib_nh nh;
	struct prefix p;
	uint32_t i;
	double small, big;

	ck_assert_ptr_nonnull(v);
	v->max_routes = 200000;
	ck_assert_int_eq(run(NODE_VIEW, "show metrics"), CMD_SUCCESS);
	ck_assert_int_gt(check_exposition(out), 20);
	ck_assert(value_of(out, "pe_build_info{version=\"" PACKAGE_VERSION "\"}") == 1);
	ck_assert(value_of(out, "pe_vrf_routes{vrf=\"CUST-A\",afi=\"ipv4\"}") == 0);
	ck_assert(value_of(out, "pe_vrf_route_limit{vrf=\"CUST-A\"}") == 200000);
	ck_assert(value_of(out, "pe_vrf_route_limit{vrf=\"default\"}") == -1); /* no limit */
	ck_assert(value_of(out, "pe_label_used{client=\"bgp\"}") == 0);
	ck_assert(value_of(out, "pe_ldp_enabled") == 0);
	ck_assert(value_of(out, "pe_metrics_connections") == 0);
	small = value_of(out, "pe_metrics_scrape_duration_seconds");
	ck_assert(small >= 0);

	/* 100000 routes: the count comes from the RIB, the scrape stays as cheap */
	memset(&nh, 0, sizeof(nh));
	nh.blackhole = true;
	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	p.len = 32;
	for (i = 0; i < 100000; i++) {
		p.v4 = 0x0a000000u + i;
		ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	}
	p.af = AF_INET6;
	p.len = 64;
	memset(p.v6, 0, sizeof(p.v6));
	p.v6[0] = 0x20;
	p.v6[1] = 0x01;
	ck_assert_int_eq(rib_update(v->rib, &p, RIB_STATIC, 1, 1, 0, &nh, 1), 0);
	ck_assert_int_eq(run(NODE_VIEW, "show metrics"), CMD_SUCCESS);
	check_exposition(out);
	ck_assert(value_of(out, "pe_vrf_routes{vrf=\"CUST-A\",afi=\"ipv4\"}") == 100000);
	ck_assert(value_of(out, "pe_vrf_routes{vrf=\"CUST-A\",afi=\"ipv6\"}") == 1);
	big = value_of(out, "pe_metrics_scrape_duration_seconds");
	ck_assert(big >= 0);
	/* no timing assertion here (tests assert behaviour): the cost is printed,
	 * and measured in docs/metrics.md */
	fprintf(stderr, "show metrics: %g s empty, %g s with a 100000-route VRF\n", small, big);
}
END_TEST

/* ---- HTTP on a real listener, driven by this thread's event loop ---- */

static uint16_t free_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

static uint16_t port;

static int client(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void loop_a_bit(void)
{
	for (int i = 0; i < 5; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

/* Reads the answer to the end (the server closes), running the server's
 * loop meanwhile; the status code, the whole answer in *resp. */
static int read_answer(int fd, char *resp, size_t len)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 2000; i++) {
		ssize_t r;

		event_base_loop(base, EVLOOP_NONBLOCK);
		r = recv(fd, resp + n, len - 1 - n, 0);
		if (r == 0)
			break;
		if (r > 0) {
			n += (size_t)r;
			ck_assert_uint_lt(n, len - 1);
			continue;
		}
		if (errno == ECONNRESET)
			break;
		ck_assert_int_eq(errno, EAGAIN);
		usleep(1000);
	}
	ck_assert_int_lt(i, 2000);
	resp[n] = '\0';
	close(fd);
	return strncmp(resp, "HTTP/1.1 ", 9) == 0 ? atoi(resp + 9) : -1;
}

static int http(const char *req, char *resp, size_t len)
{
	int fd = client();

	ck_assert_int_eq(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	return read_answer(fd, resp, len);
}

START_TEST(test_http)
{
	static char resp[1 << 20];
	char line[64], big[METRICS_MAX_REQUEST + 200], cfg[64];
	const char *body;
	int fds[METRICS_MAX_CONNS], fd, i;

	port = free_port();
	snprintf(line, sizeof(line), "metrics listen 127.0.0.1:%u", port);
	ck_assert_int_eq(run(NODE_CONFIG, line), CMD_SUCCESS); /* recorded: not started */
	ck_assert_int_eq(run(NODE_CONFIG, "metrics listen 127.0.0.1:99999"), CMD_ERROR);
	metrics_start(base);
	snprintf(cfg, sizeof(cfg), "metrics listen 127.0.0.1:%u\n!\n", port);
	{
		struct cli *cli = cli_new(out_write, NULL);

		out_len = 0;
		metrics_config_write(cli);
		cli_free(cli);
		ck_assert_str_eq(out, cfg);
	}

	ck_assert_int_eq(http("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", resp, sizeof(resp)), 200);
	ck_assert_ptr_nonnull(
		strstr(resp, "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	ck_assert_ptr_nonnull(strstr(resp, "\r\nConnection: close\r\n"));
	body = strstr(resp, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	ck_assert_uint_eq(strlen(body + 4), (size_t)atoi(strstr(resp, "Content-Length: ") + 16));
	check_exposition(body + 4);
	ck_assert(value_of(body + 4, "pe_metrics_connections") == 1);
	ck_assert(value_of(body + 4, "pe_metrics_requests_total{code=\"200\"}") == 0);
	/* a bare LF ends lines too; a query string is ignored */
	ck_assert_int_eq(http("GET /metrics?x=1 HTTP/1.0\n\n", resp, sizeof(resp)), 200);

	ck_assert_int_eq(http("GET / HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 404);
	ck_assert_int_eq(http("GET /metricsx HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 404);
	ck_assert_int_eq(http("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", resp,
			      sizeof(resp)),
			 405);
	ck_assert_ptr_nonnull(strstr(resp, "\r\nAllow: GET\r\n"));
	ck_assert_int_eq(http("HEAD /metrics HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 405);
	ck_assert_int_eq(http("GET /metrics\r\n\r\n", resp, sizeof(resp)), 400);
	ck_assert_int_eq(http("GET /metrics SPDY/3\r\n\r\n", resp, sizeof(resp)), 400);
	ck_assert_int_eq(http("\r\n\r\n", resp, sizeof(resp)), 400);
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	memcpy(big + 2000, " HTTP/1.1\r\n\r\n", 14);
	big[2014] = '\0';
	ck_assert_int_eq(http(big, resp, sizeof(resp)), 414);
	/* a head that never ends within the limit */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(http(big, resp, sizeof(resp)), 431);

	/* the connection limit: idle connections up to it, the next one 503 */
	for (i = 0; i < METRICS_MAX_CONNS; i++) {
		fds[i] = client();
		loop_a_bit();
	}
	fd = client();
	ck_assert_int_eq(read_answer(fd, resp, sizeof(resp)), 503);
	for (i = 0; i < METRICS_MAX_CONNS; i++)
		close(fds[i]);
	loop_a_bit();
	ck_assert_int_eq(run(NODE_VIEW, "show metrics"), CMD_SUCCESS);
	ck_assert(value_of(out, "pe_metrics_connections") == 0);
	ck_assert(value_of(out, "pe_metrics_connections_refused_total") == 1);
	ck_assert(value_of(out, "pe_metrics_requests_total{code=\"200\"}") == 2);
	ck_assert(value_of(out, "pe_metrics_requests_total{code=\"404\"}") == 2);
	ck_assert(value_of(out, "pe_metrics_requests_total{code=\"405\"}") == 2);
	ck_assert(value_of(out, "pe_metrics_requests_total{code=\"400\"}") == 3);
	ck_assert(value_of(out, "pe_metrics_requests_total{code=\"414\"}") == 1);
	ck_assert(value_of(out, "pe_metrics_requests_total{code=\"431\"}") == 1);
	ck_assert_int_eq(http("GET /metrics HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 200);

	/* `no metrics listen`: closed */
	ck_assert_int_eq(run(NODE_CONFIG, "no metrics listen"), CMD_SUCCESS);
	{
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons(port),
					   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		fd = socket(AF_INET, SOCK_STREAM, 0);
		ck_assert_int_ne(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
		close(fd);
	}
	/* at run time a change applies at once */
	port = free_port();
	snprintf(line, sizeof(line), "metrics listen 127.0.0.1:%u", port);
	ck_assert_int_eq(run(NODE_CONFIG, line), CMD_SUCCESS);
	ck_assert_int_eq(http("GET /metrics HTTP/1.1\r\n\r\n", resp, sizeof(resp)), 200);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_parse_listen);
	tcase_add_test(tc, test_exposition);
	tcase_add_test(tc, test_http);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
