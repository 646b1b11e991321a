/* Logging, after OpenBGPD log.h: log_warn adds errno, fatal only for broken
 * invariants and failed allocation, never for peer input or config. */
#ifndef PE_LOG_H
#define PE_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>

#define PE_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* log.c */
void log_init(const char *procname, bool foreground, bool debug);
void log_set_file(const char *path);
void log_warn(const char *fmt, ...) PE_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) PE_PRINTF(1, 2);
void log_info(const char *fmt, ...) PE_PRINTF(1, 2);
void log_debug(const char *fmt, ...) PE_PRINTF(1, 2);
void fatal(const char *fmt, ...) PE_PRINTF(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) PE_PRINTF(1, 2) __attribute__((noreturn));

/* Allocation wrappers that fatal() on failure (out of memory is not recoverable). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
