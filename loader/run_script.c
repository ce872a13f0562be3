/*
 * run_script.c — "#!" files, as the kernel's binfmt_script runs them.
 *
 * execve(2) accepts more than ELF files: a file that starts with "#!" names the
 * program that should run it. The kernel reads that first line and starts the
 * interpreter instead, with the script's path as an argument:
 *
 *   ./hello.py a b          with first line   #!/usr/bin/python3 -u
 *   runs   /usr/bin/python3 -u ./hello.py a b
 *
 * Rules from fs/binfmt_script.c: only the first 256 bytes are read; blanks after
 * "#!" are skipped; the interpreter's path ends at a blank or the line's end; the
 * rest of the line, trimmed, is one argument (spaces and all), or none; argv[0] is
 * replaced by the interpreter's path. AT_EXECFN, /proc/self/comm and the trace keep
 * naming the script (the kernel's bprm->filename); /proc/self/exe is the interpreter.
 * The interpreter must be an ELF file (the kernel allows a few nested scripts; we
 * do not).
 *
 * Reads ctx->path; may replace ctx->argv/argc and point ctx->exe.path at the
 * interpreter.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { SCRIPT_HEAD = 256 };  // BINPRM_BUF_SIZE

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

void run_script(Ctx *ctx) {
  char head[SCRIPT_HEAD + 1];
  int fd = open(ctx->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;  // read_headers reports it
  ssize_t n = read(fd, head, SCRIPT_HEAD);
  close(fd);
  if (n < 2 || head[0] != '#' || head[1] != '!')
    return;
  head[n] = '\0';

  // The first line only; a line longer than the buffer must at least hold the whole
  // interpreter path, or the kernel refuses (ENOEXEC).
  char *end = memchr(head, '\n', (size_t)n);
  if (!end)
    end = head + n;
  *end = '\0';
  char *p = head + 2;
  while (is_blank(*p))
    p++;
  if (!*p)
    fail(ctx, "#! line names no interpreter");
  char *interp = p;
  while (*p && !is_blank(*p))
    p++;
  if (!*p && end == head + SCRIPT_HEAD)
    fail(ctx, "#! line's interpreter path is longer than %d bytes", SCRIPT_HEAD);
  char *arg = NULL;
  if (*p) {
    *p++ = '\0';
    while (is_blank(*p))
      p++;
    char *q = p + strlen(p);
    while (q > p && is_blank(q[-1]))
      *--q = '\0';
    if (*p)
      arg = p;
  }
  if (strlen(interp) >= sizeof ctx->script_interp)
    fail(ctx, "#! interpreter: %s", strerror(ENAMETOOLONG));
  strcpy(ctx->script_interp, interp);
  if (arg)
    strcpy(ctx->script_arg, arg);

  int err = check_executable(ctx->script_interp);
  if (err)
    fail_with(ctx, err == ENOENT ? 127 : 126, "#! interpreter %s: %s", ctx->script_interp,
              exec_error(ctx->script_interp, err));

  // The new argv: interpreter, its argument, the script, then the script's own
  // arguments. mmap, not malloc: the loader keeps its hands off brk.
  uint64_t argc = ctx->argc + 1 + (arg != NULL);
  char **argv = mmap(NULL, (argc + 1) * sizeof(char *), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (argv == MAP_FAILED)
    fail(ctx, "cannot allocate the script's arguments: %s", strerror(errno));
  uint64_t i = 0;
  argv[i++] = ctx->script_interp;
  if (arg)
    argv[i++] = ctx->script_arg;
  argv[i++] = ctx->path;
  for (uint64_t k = 1; k < ctx->argc; k++)
    argv[i++] = ctx->argv[k];
  argv[i] = NULL;
  ctx->argv = argv;
  ctx->argc = argc;
  ctx->exe.path = ctx->script_interp;
  trace(ctx, "run_script", "%s: a #! script: running %s%s%s %s (binfmt_script)", ctx->path,
        ctx->script_interp, arg ? " " : "", arg ? arg : "", ctx->path);
}
