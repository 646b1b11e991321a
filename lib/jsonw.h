/* Streaming JSON writer that prints exactly what json-c prints for
 * JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE (cli_json's
 * format), so a show can write a large answer while it walks its table
 * instead of building one json-c tree of the whole table.
 *
 * The enclosing objects and arrays are opened and closed here; the small
 * pieces (one path, one binding) are json-c objects handed to
 * jsonw_value(), which prints them indented at the current depth and puts
 * them. Object keys are written in the order given: the caller keeps
 * json-c's order (insertion order) and must not repeat a key.
 *
 *	struct jsonw w;
 *	jsonw_init(&w, write_fn, arg);
 *	jsonw_open(&w, NULL, '{');
 *	jsonw_value(&w, "vrfId", json_object_new_int(0));
 *	jsonw_open(&w, "routes", '{');
 *	...
 *	jsonw_close(&w);
 *	jsonw_close(&w);       the outermost close also writes the final '\n'
 */
#ifndef PE_JSONW_H
#define PE_JSONW_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

#define JSONW_MAX_DEPTH 16

typedef void (*jsonw_write_fn)(void *arg, const char *buf, size_t len);

struct jsonw {
	jsonw_write_fn write;
	void *arg;
	int depth;
	bool has_items[JSONW_MAX_DEPTH]; /* per open level: a member was written */
	char closer[JSONW_MAX_DEPTH];    /* '}' or ']' */
};

/* jsonw.c */
void jsonw_init(struct jsonw *w, jsonw_write_fn write, void *arg);
/* Opens an object ('{') or array ('['); key is NULL at the top and inside
 * arrays. -1 (nothing written) beyond JSONW_MAX_DEPTH. */
int jsonw_open(struct jsonw *w, const char *key, char kind);
void jsonw_close(struct jsonw *w);
/* Writes v (a json-c value; NULL prints null) as the next member, then
 * puts v. */
void jsonw_value(struct jsonw *w, const char *key, struct json_object *v);
/* json-c's string escaping ('/' not escaped) of s into the writer. */
void jsonw_string(struct jsonw *w, const char *s);

#endif
