/* Logging to stderr (foreground) or a log file, with levels. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"

static const char *log_procname = "pe";
static bool log_debug_on;
static FILE *log_fp;

void log_init(const char *procname, bool foreground, bool debug)
{
	log_procname = procname;
	log_debug_on = debug;
	(void)foreground;
	log_fp = NULL;
}

void log_set_file(const char *path)
{
	FILE *fp = fopen(path, "a");

	if (fp == NULL) {
		log_warn("cannot open log file %s", path);
		return;
	}
	setvbuf(fp, NULL, _IOLBF, 0);
	if (log_fp != NULL)
		fclose(log_fp);
	log_fp = fp;
}

static void vlog(enum log_level lvl, const char *fmt, va_list ap, int err)
{
	static const char *names[] = { "error", "warning", "info", "debug" };
	FILE *fp = log_fp ? log_fp : stderr;
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	if (lvl == LOG_LVL_DEBUG && !log_debug_on)
		return;
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(fp, "%s %s %s: ", ts, log_procname, names[lvl]);
	vfprintf(fp, fmt, ap);
	if (err)
		fprintf(fp, ": %s", strerror(err));
	fputc('\n', fp);
}

#define LOGFN(name, lvl, witherr)                        \
	void name(const char *fmt, ...)                  \
	{                                                \
		int saved = errno;                       \
		va_list ap;                              \
		va_start(ap, fmt);                       \
		vlog(lvl, fmt, ap, witherr ? saved : 0); \
		va_end(ap);                              \
		errno = saved;                           \
	}

LOGFN(log_warn, LOG_LVL_WARN, 1)
LOGFN(log_warnx, LOG_LVL_WARN, 0)
LOGFN(log_info, LOG_LVL_INFO, 0)
LOGFN(log_debug, LOG_LVL_DEBUG, 0)

void fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, fmt, ap, 0);
	va_end(ap);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("malloc %zu", n);
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		fatal("calloc %zu x %zu", n, sz);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		fatal("realloc %zu", n);
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		fatal("strdup");
	return p;
}
