/*
 * diag.c — every message a tool prints goes through here.
 *
 * The format is the interface users and tests rely on: `tool: file: what`, one line,
 * lowercase, no trailing period (STYLE §5). error() records a problem and lets the
 * pass go on, so the user sees every undefined symbol at once; the pass's caller
 * stops at the next checkpoint. fatal() is for input that cannot be used at all.
 *
 * Passes may run on several threads (STYLE §6), and any thread may report. So the
 * error count is a C11 atomic, and each line is formatted whole (tool, level, text,
 * newline) into one buffer on the stack and handed to the kernel in one write(2).
 * Two lines then never mix, neither between our threads nor with another process
 * writing to the same terminal or pipe: how many writes stdio would make of one
 * fprintf is stdio's business, and a pipe keeps a write of up to PIPE_BUF bytes
 * whole. Only a short write (a signal, a full pipe) makes us write the rest.
 *
 * A tool may also run in-process, more than once (a fuzz harness, a test driver):
 * run_catching() runs it so that fatal() and friends, on the thread that called
 * run_catching(), unwind back to it with their exit status instead of ending the
 * process (longjmp: fatal() keeps its _Noreturn contract, and no pass has to learn
 * a new way to fail). The cleanup hook runs first, told that the process goes on,
 * so that it gives back what the run held below the point of failure; what the
 * tool's context owns, the tool's entry point frees after run_catching() returns.
 * A fatal() on any other thread still ends the process: a thread cannot unwind
 * another one's stack; and so does one inside a parallel_for shared with workers,
 * which would go on running the loop in the frame being unwound.
 *
 * Inside a parallel loop, the lines a task reports are held back and written when
 * the loop ends, in the order of the tasks' indices (and, within a task, in the
 * order it reported them): the same messages in the same order whatever the number
 * of threads, as on one. A fatal() inside a loop writes what is held back, then its
 * own line, at once.
 *
 * write_all() lives here too, at the bottom of common/, because messages need it
 * and so does every tool that writes a file: diag.c calls nothing above it.
 */
#include "common.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Set once by main() before any thread starts; only read afterwards.
static const char *tool_name = "mini";
static atomic_int errors;
// Atomic because the thread that registers the hook (the output writer) need not
// be the one that dies and calls it.
static void (*_Atomic cleanup)(bool unwinding);
// Inside run_catching() on this thread: where to unwind to, and the status to
// return from there. NULL: fatal() ends the process.
static _Thread_local jmp_buf *catcher;
static _Thread_local int caught_status;

void diag_set_tool(const char *tool) { tool_name = tool; }
void diag_set_cleanup(void (*fn)(bool unwinding)) { atomic_store(&cleanup, fn); }
int error_count(void) { return atomic_load(&errors); }

// Lines held back inside a parallel loop (see the top of the file).
typedef struct {
  size_t task;
  uint64_t seq;
  char *text;
  size_t len;
} HeldLine;

static struct {
  pthread_mutex_t lock;
  HeldLine *lines;
  size_t len, cap;
  uint64_t seq;
} held = {.lock = PTHREAD_MUTEX_INITIALIZER};

static _Thread_local bool holding;  // this thread runs a task of a parallel loop...
static _Thread_local size_t task;   // ... this one

void diag_hold(bool on, size_t index) {
  holding = on;
  task = index;
}

static bool hold(const char *line, size_t len) {
  pthread_mutex_lock(&held.lock);
  if (held.len == held.cap) {
    size_t cap = held.cap ? 2 * held.cap : 64;
    HeldLine *lines = realloc(held.lines, cap * sizeof *lines);
    if (!lines) {
      pthread_mutex_unlock(&held.lock);
      return false;  // out of memory: the line goes out now, out of order
    }
    held.lines = lines;
    held.cap = cap;
  }
  char *copy = malloc(len);
  if (!copy) {
    pthread_mutex_unlock(&held.lock);
    return false;
  }
  memcpy(copy, line, len);
  held.lines[held.len++] = (HeldLine){task, held.seq++, copy, len};
  pthread_mutex_unlock(&held.lock);
  return true;
}

static int by_task(const void *a, const void *b) {
  const HeldLine *x = a, *y = b;
  if (x->task != y->task)
    return x->task < y->task ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_release(void) {
  pthread_mutex_lock(&held.lock);
  if (held.len == 0) {  // the usual case (and qsort may not be given NULL)
    pthread_mutex_unlock(&held.lock);
    return;
  }
  qsort(held.lines, held.len, sizeof *held.lines, by_task);
  for (size_t i = 0; i < held.len; i++) {
    write_all(2, held.lines[i].text, held.lines[i].len);
    free(held.lines[i].text);
  }
  free(held.lines);
  held.lines = NULL;
  held.len = held.cap = 0;
  pthread_mutex_unlock(&held.lock);
}

// One line, `tool: LEVELtext\n`, in one write(2). A text too long for the buffer is
// cut, but the line still ends with its newline.
static void vprint(const char *level, const char *fmt, va_list ap) {
  char line[8192];
  size_t cap = sizeof line - 1;  // keeps room for the newline
  int n = snprintf(line, cap, "%s: %s", tool_name, level);
  size_t len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
  int m = vsnprintf(line + len, cap - len, fmt, ap);
  if (m > 0)
    len += (size_t)m < cap - len ? (size_t)m : cap - len - 1;
  line[len++] = '\n';
  if (holding && hold(line, len))
    return;
  write_all(2, line, len);  // if stderr fails, there is nobody left to tell
}

// For fatal() and friends: what is held back goes out first, then their own line.
static void vprint_now(const char *level, const char *fmt, va_list ap) {
  if (holding) {
    diag_release();
    holding = false;
  }
  vprint(level, fmt, ap);
}

void error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
  atomic_fetch_add(&errors, 1);
}

// --no-warnings / -w: none; --fatal-warnings: each is also counted as an error, so
// the run fails at the next checkpoint (and writes no output), as in GNU ld.
static _Atomic int warning_mode = WARNINGS_SHOW;

void diag_set_warnings(int mode) { warning_mode = mode; }
bool warnings_shown(void) { return warning_mode != WARNINGS_NONE; }

void warn(const char *fmt, ...) {
  if (warning_mode == WARNINGS_NONE)
    return;
  va_list ap;
  va_start(ap, fmt);
  vprint("warning: ", fmt, ap);
  va_end(ap);
  if (warning_mode == WARNINGS_FATAL)
    atomic_fetch_add(&errors, 1);
}

void note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint("", fmt, ap);
  va_end(ap);
}

// Runs the cleanup hook, then unwinds to run_catching() if this thread is inside
// one (and not inside a parallel loop), or else exits. exit() must run only once (C11 7.22.4.4: a second call is
// undefined), so when two threads fail at the same moment the second one waits
// here for the first to end the process. The hook therefore must not call fatal()
// itself: it would wait for itself.
static _Noreturn void die(int status) {
  if (catcher && !holding) {  // (holding: inside a task of a shared parallel loop)
    void (*fn)(bool) = atomic_load(&cleanup);
    if (fn)
      fn(true);
    caught_status = status;
    longjmp(*catcher, 1);
  }
  static atomic_flag dying = ATOMIC_FLAG_INIT;
  if (atomic_flag_test_and_set(&dying))
    for (;;)
      pause();
  void (*fn)(bool) = atomic_load(&cleanup);
  if (fn)
    fn(false);
  exit(status);
}

void end_run(int status) { die(status); }

int run_catching(int (*fn)(void *arg), void *arg) {
  jmp_buf env;
  jmp_buf *outer = catcher;
  atomic_store(&errors, 0);
  warning_mode = WARNINGS_SHOW;
  int status;
  // Nothing local changes between setjmp and longjmp, so nothing needs volatile.
  if (setjmp(env) == 0) {
    catcher = &env;
    status = fn(arg);
  } else {
    status = caught_status;
  }
  catcher = outer;
  return status;
}

void fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint_now("", fmt, ap);
  va_end(ap);
  die(1);
}

void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint_now("", fmt, ap);
  va_end(ap);
  die(2);
}

void internal_error_at(const char *file, int line, const char *fmt, ...) {
  char level[512];
  snprintf(level, sizeof level, "internal error: %s:%d: ", file, line);
  va_list ap;
  va_start(ap, fmt);
  vprint_now(level, fmt, ap);
  va_end(ap);
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
