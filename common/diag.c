/*
 * diag.c — every message a tool prints goes through here.
 *
 * The format is the interface users and tests rely on: `tool: file: what`, one line,
 * lowercase, no trailing period (STYLE §5). error() records a problem and lets the
 * pass go on, so the user sees every undefined symbol at once; the pass's caller
 * stops at the next checkpoint. fatal() is for input that cannot be used at all.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>

static const char *tool_name = "mini";
static int errors;
static void (*cleanup)(void);

void diag_set_tool(const char *tool) { tool_name = tool; }
void diag_set_cleanup(void (*fn)(void)) { cleanup = fn; }
int error_count(void) { return errors; }

static void vprint(const char *level, const char *fmt, va_list ap) {
  // One fprintf per line, so messages from two tools writing to one terminal do not
  // interleave mid-line.
  char buf[4096];
  vsnprintf(buf, sizeof buf, fmt, ap);
  fprintf(stderr, "%s: %s%s\n", tool_name, level, buf);
}

void error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
  errors++;
}

void warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("warning: ", fmt, ap);
  va_end(ap);
}

void note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
}

static _Noreturn void die(int status) {
  if (cleanup)
    cleanup();
  exit(status);
}

void fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
  die(1);
}

void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
  die(2);
}

void internal_error_at(const char *file, int line, const char *fmt, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s: internal error: %s:%d: %s\n", tool_name, file, line, buf);
  die(3);
}
