/* Streaming JSON writer in json-c's pretty format (see jsonw.h). */
#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "lib/jsonw.h"

static const char spaces[] = "                                                                ";

static void put(struct jsonw *w, const char *s, size_t n)
{
	if (n > 0)
		w->write(w->arg, s, n);
}

static void indent(struct jsonw *w, int level)
{
	size_t n = (size_t)level * 2;

	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		put(w, spaces, k);
		n -= k;
	}
}

void jsonw_init(struct jsonw *w, jsonw_write_fn write, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->write = write;
	w->arg = arg;
}

/* json-c's json_escape_str with JSON_C_TO_STRING_NOSLASHESCAPE */
void jsonw_string(struct jsonw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put(w, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = "\\u00";
		const char *e = NULL;

		switch (c) {
		case '\b': e = "\\b"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\f': e = "\\f"; break;
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		default:
			if (c < ' ') {
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xf];
				esc[6] = '\0';
				e = esc;
			}
		}
		if (e == NULL)
			continue;
		put(w, run, (size_t)(s - run));
		put(w, e, strlen(e));
		run = s + 1;
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

/* the separator, newline, indent and key before a member */
static void member(struct jsonw *w, const char *key)
{
	if (w->depth == 0)
		return;
	if (w->has_items[w->depth - 1])
		put(w, ",", 1);
	w->has_items[w->depth - 1] = true;
	put(w, "\n", 1);
	indent(w, w->depth);
	if (key != NULL && w->closer[w->depth - 1] == '}') {
		jsonw_string(w, key);
		put(w, ":", 1);
	}
}

int jsonw_open(struct jsonw *w, const char *key, char kind)
{
	if (w->depth >= JSONW_MAX_DEPTH)
		return -1;
	member(w, key);
	put(w, kind == '[' ? "[" : "{", 1);
	w->closer[w->depth] = kind == '[' ? ']' : '}';
	w->has_items[w->depth] = false;
	w->depth++;
	return 0;
}

void jsonw_close(struct jsonw *w)
{
	if (w->depth == 0)
		return;
	w->depth--;
	put(w, "\n", 1);
	indent(w, w->depth);
	put(w, &w->closer[w->depth], 1);
	if (w->depth == 0)
		put(w, "\n", 1);
}

void jsonw_value(struct jsonw *w, const char *key, struct json_object *v)
{
	size_t len = 0;
	const char *s, *nl;

	member(w, key);
	s = json_object_to_json_string_length(
		v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	/* a nested value's lines move right by the depth: json-c escapes
	 * newlines inside strings, so every '\n' here is a line break */
	while ((nl = memchr(s, '\n', len)) != NULL) {
		put(w, s, (size_t)(nl - s) + 1);
		indent(w, w->depth);
		len -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	put(w, s, len);
	if (w->depth == 0)
		put(w, "\n", 1);
	json_object_put(v);
}
