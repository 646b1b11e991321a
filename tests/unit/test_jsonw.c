/* lib/jsonw.c prints what json-c prints (JSON_C_TO_STRING_PRETTY |
 * JSON_C_TO_STRING_NOSLASHESCAPE, cli_json's format): every byte of a key
 * or string escaped the same, empty and nested objects and arrays, and
 * random trees written member by member against the same tree printed by
 * json-c at once. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/jsonw.h"
#include "lib/log.h"

static char *buf;
static size_t blen, bcap;

static void w_out(void *arg, const char *s, size_t n)
{
	(void)arg;
	if (blen + n + 1 > bcap) {
		bcap = (blen + n + 1) * 2;
		buf = xrealloc(buf, bcap);
	}
	memcpy(buf + blen, s, n);
	blen += n;
	buf[blen] = '\0';
}

static void reset(void)
{
	blen = 0;
	if (buf != NULL)
		buf[0] = '\0';
}

/* json-c's text of o plus cli_json's '\n' */
static char *jc(json_object *o)
{
	const char *s = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *r = xmalloc(strlen(s) + 2);

	strcpy(r, s);
	strcat(r, "\n");
	return r;
}

START_TEST(t_escape)
{
	char s[300];
	struct jsonw w;
	int c;

	for (c = 1; c < 256; c++) {
		json_object *o = json_object_new_object();
		char *want;

		snprintf(s, sizeof(s), "a%cb/\"%c", c, c);
		json_object_object_add(o, s, json_object_new_string(s));
		want = jc(o);
		reset();
		jsonw_init(&w, w_out, NULL);
		jsonw_open(&w, NULL, '{');
		jsonw_value(&w, s, json_object_new_string(s));
		jsonw_close(&w);
		ck_assert_msg(strcmp(buf, want) == 0, "byte %d: %s vs %s", c, buf, want);
		free(want);
		json_object_put(o);
	}
}
END_TEST

START_TEST(t_shapes)
{
	json_object *o = json_object_new_object(), *r = json_object_new_object();
	json_object *rd = json_object_new_object(), *arr = json_object_new_array();
	json_object *p = json_object_new_object(), *e = json_object_new_array();
	struct jsonw w;
	char *want;

	json_object_object_add(o, "vrfId", json_object_new_int(0));
	json_object_object_add(p, "valid", json_object_new_boolean(1));
	json_object_object_add(p, "nexthops", json_object_new_array());
	json_object_array_add(arr, p);
	json_object_object_add(rd, "10.0.0.0/8", arr);
	json_object_object_add(r, "65000:1", rd);
	json_object_object_add(r, "65000:2", json_object_new_object());
	json_object_object_add(o, "routes", r);
	json_object_object_add(o, "empty", e);
	json_object_object_add(o, "totalRoutes", json_object_new_int64(1));
	want = jc(o);

	reset();
	jsonw_init(&w, w_out, NULL);
	jsonw_open(&w, NULL, '{');
	jsonw_value(&w, "vrfId", json_object_new_int(0));
	jsonw_open(&w, "routes", '{');
	jsonw_open(&w, "65000:1", '{');
	p = json_object_new_object();
	json_object_object_add(p, "valid", json_object_new_boolean(1));
	json_object_object_add(p, "nexthops", json_object_new_array());
	arr = json_object_new_array();
	json_object_array_add(arr, p);
	jsonw_value(&w, "10.0.0.0/8", arr);
	jsonw_close(&w);
	jsonw_open(&w, "65000:2", '{');
	jsonw_close(&w);
	jsonw_close(&w);
	jsonw_open(&w, "empty", '[');
	jsonw_close(&w);
	jsonw_value(&w, "totalRoutes", json_object_new_int64(1));
	jsonw_close(&w);
	ck_assert_str_eq(buf, want);
	free(want);
	json_object_put(o);

	/* an empty top object and a top array of values */
	reset();
	jsonw_init(&w, w_out, NULL);
	jsonw_open(&w, NULL, '{');
	jsonw_close(&w);
	ck_assert_str_eq(buf, "{\n}\n");
	reset();
	jsonw_open(&w, NULL, '[');
	jsonw_value(&w, NULL, json_object_new_int(1));
	jsonw_value(&w, "ignored in arrays", json_object_new_string("x"));
	jsonw_close(&w);
	ck_assert_str_eq(buf, "[\n  1,\n  \"x\"\n]\n");
	/* depth is bounded */
	reset();
	jsonw_init(&w, w_out, NULL);
	for (int i = 0; i < JSONW_MAX_DEPTH; i++)
		ck_assert_int_eq(jsonw_open(&w, "k", '{'), 0);
	ck_assert_int_eq(jsonw_open(&w, "k", '{'), -1);
}
END_TEST

static unsigned rnd_state = 1;
static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static json_object *leaf(void)
{
	char s[16];

	switch (rnd() % 5) {
	case 0: return json_object_new_int64((int64_t)rnd() - 1000);
	case 1: return json_object_new_boolean(rnd() & 1);
	case 2: return json_object_new_array();
	case 3: return json_object_new_object();
	default:
		snprintf(s, sizeof(s), "s%u\t/", rnd() % 100);
		return json_object_new_string(s);
	}
}

/* builds a random tree in t and writes the same with w: containers opened
 * by jsonw down to depth, small subtrees handed over whole */
static void gen(json_object *t, struct jsonw *w, int depth)
{
	int i, n = (int)(rnd() % 4);
	bool arr = json_object_is_type(t, json_type_array);

	for (i = 0; i < n; i++) {
		char key[16];
		json_object *c;

		snprintf(key, sizeof(key), "k%d-%u", i, rnd() % 10);
		if (!arr && json_object_object_get_ex(t, key, NULL))
			continue; /* keys are not repeated */
		if (depth > 0 && rnd() % 2) {
			char kind = rnd() % 2 ? '[' : '{';

			c = kind == '[' ? json_object_new_array() : json_object_new_object();
			jsonw_open(w, key, kind);
			gen(c, w, depth - 1);
			jsonw_close(w);
		} else {
			c = leaf();
			jsonw_value(w, key, json_object_get(c));
		}
		if (arr)
			json_object_array_add(t, c);
		else
			json_object_object_add(t, key, c);
	}
}

START_TEST(t_random)
{
	int i;

	for (i = 0; i < 2000; i++) {
		json_object *t = json_object_new_object();
		struct jsonw w;
		char *want;

		reset();
		jsonw_init(&w, w_out, NULL);
		jsonw_open(&w, NULL, '{');
		gen(t, &w, 5);
		jsonw_close(&w);
		want = jc(t);
		ck_assert_str_eq(buf, want);
		free(want);
		json_object_put(t);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("jsonw");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, t_escape);
	tcase_add_test(tc, t_shapes);
	tcase_add_test(tc, t_random);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(buf);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
