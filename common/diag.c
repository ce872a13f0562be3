/*
 * diag.c — every message a tool prints goes through here.
 *
 * The format is the interface users and tests rely on: `tool: file: what`, one line,
 * lowercase, no trailing period (STYLE §5). error() records a problem and lets the
 * pass go on, so the user sees every undefined symbol at once; the pass's caller
 * stops at the next checkpoint. fatal() is for input that cannot be used at all.
 *
 * write_all() lives here too, at the bottom of common/, because messages need it
 * and so does every tool that writes a file: diag.c calls nothing above it.
 */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

bool write_all(int fd, const void *buf, uint64_t n) {
  const uint8_t *p = buf;
  while (n > 0) {
    // At most 1 GiB per call: POSIX leaves a count above SSIZE_MAX undefined, and
    // Linux moves at most about 2 GiB per call anyway; the loop does the rest.
    ssize_t w = write(fd, p, n < (1u << 30) ? (size_t)n : (1u << 30));
    if (w < 0 && errno == EINTR)
      continue;
    if (w == 0)
      errno = EIO;  // nothing written and no reason given: do not spin
    if (w <= 0)
      return false;
    p += w;
    n -= (uint64_t)w;
  }
  return true;
}
