/*
 * main.c — mini-loader, the kernel's ELF loader in user space.
 *
 *     mini-loader [--trace[=all]] [--maps[=FILE]] [--check] [--strict] PROG [ARGS...]
 *
 * It reads like the table of contents of fs/binfmt_elf.c:load_elf_binary(). Each step
 * below works on one context (Ctx) and hands its results to the next through it;
 * loader.h is the map. Until the point of no return, any step may fail, and a failure
 * is one line on stderr, everything unmapped, exit 126 (127: PROG not found).
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: mini-loader [--trace[=all]] [--maps[=FILE]] [--check] [--strict] PROG [ARGS...]\n"
    "\n"
    "Runs PROG the way the kernel's execve would, but loaded in user space:\n"
    "maps its segments, loads its interpreter, builds its stack, jumps to it.\n"
    "A PROG without '/' is looked up in PATH.\n"
    "\n"
    "  --trace   narrate each step on stderr, in the kernel's terms (the\n"
    "            environment on the new stack is folded into one line)\n"
    "  --trace=all  the same, with every environment string\n"
    "  --maps    print the program's /proc/self/maps on stderr just before the\n"
    "            jump, with the loader's own leftover mappings labelled\n"
    "  --maps=FILE  the same, written to FILE\n"
    "  --check   only check PROG (and its interpreter); map nothing, exit 0\n"
    "  --strict  refuse a segment that is both writable and executable (W+X),\n"
    "            which is otherwise loaded, as the kernel loads it, with a warning\n"
    "  --help    this text\n"
    "  --version mini-loader's version\n"
    "\n"
    "Exit status: the program's own; 126 if PROG cannot be loaded, 127 if it is\n"
    "not found, 2 for a bad command line.\n";

static const char usage_line[] =
    "usage: mini-loader [--trace[=all]] [--maps[=FILE]] [--check] [--strict] PROG [ARGS...]\n";

// A bad command line: `mini-loader: WHAT ARG`, the usage line, exit 2 (STYLE §5).
static _Noreturn void bad_usage(const char *what, const char *arg) {
  char line[1024];
  int n = snprintf(line, sizeof line, "mini-loader: %s%s\n%s", what, arg, usage_line);
  if (n > 0)
    write_all(2, line, strlen(line));
  exit(2);
}

// Options come first and stop at the first word that is not one (or at "--"), so
// that `mini-loader ls --trace` passes --trace to ls, as `env ls --trace` would.
static void parse_args(Ctx *ctx, int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *opt = argv[i];
    if (!strcmp(opt, "--")) {
      i++;
      break;
    } else if (!strcmp(opt, "--trace")) {
      ctx->trace = true;
    } else if (!strcmp(opt, "--trace=all")) {
      ctx->trace = ctx->trace_all = true;
    } else if (!strncmp(opt, "--trace=", 8)) {
      bad_usage("--trace takes no value but 'all': ", opt);
    } else if (!strcmp(opt, "--maps")) {
      ctx->show_maps = true;
      ctx->maps_file = NULL;
    } else if (!strncmp(opt, "--maps=", 7)) {
      if (!opt[7])
        bad_usage("--maps= needs a file name", "");
      ctx->show_maps = true;
      ctx->maps_file = opt + 7;
    } else if (!strcmp(opt, "--check")) {
      ctx->check_only = true;
    } else if (!strcmp(opt, "--strict")) {
      ctx->strict = true;
    } else if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
      write_all(1, usage_text, sizeof usage_text - 1);
      exit(0);
    } else if (!strcmp(opt, "--version")) {
      static const char version[] = "mini-loader " MINI_LOADER_VERSION "\n";
      write_all(1, version, sizeof version - 1);
      exit(0);
    } else {
      bad_usage("unknown option ", opt);
    }
  }
  if (i >= argc)
    bad_usage("no program to run", "");
  ctx->prog = argv[i];
  ctx->argv = argv + i;
  ctx->argc = (uint64_t)(argc - i);
}

// --maps=FILE is opened now, while failing is still clean (the map is written after
// the point of no return); plain --maps writes to stderr.
static void open_maps_file(Ctx *ctx) {
  ctx->maps_fd = 2;
  if (!ctx->show_maps || !ctx->maps_file)
    return;
  ctx->maps_fd = open(ctx->maps_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (ctx->maps_fd < 0) {
    char line[PATH_MAX + 128];
    snprintf(line, sizeof line, "mini-loader: %s: cannot create: %s\n", ctx->maps_file,
             strerror(errno));
    write_all(2, line, strlen(line));
    exit(2);
  }
}

// The auxiliary vector follows the environment's NULL on the stack the kernel built
// for us; main()'s third argument points at that environment (this is how glibc's
// own start-up finds it too).
static void find_own_auxv(Ctx *ctx, char **envp) {
  char **p = envp;
  while (*p)
    p++;
  ctx->auxv = (Elf64_auxv_t *)(p + 1);
  while (ctx->auxv[ctx->nauxv].a_type != AT_NULL)
    ctx->nauxv++;
}

int main(int argc, char **argv, char **envp) {
  // The context is on main's stack: the loader must not touch the brk heap (see
  // loader.h), and main's frame lives until the jump.
  Ctx ctx_storage = {0};
  Ctx *ctx = &ctx_storage;
  parse_args(ctx, argc, argv);
  open_maps_file(ctx);
  ctx->envp = envp;
  find_own_auxv(ctx, envp);
  ctx->loader_brk = (uint64_t)syscall(SYS_brk, 0);

  // What file does PROG name? (execve(2) is given a path; a shell or execvp(3)
  // searched PATH first.)
  find_program(ctx);

  // A "#!" script is run by the interpreter its first line names (binfmt_script).
  run_script(ctx);

  // The kernel reads the ELF header and the program header table first
  // (load_elf_binary's first lines and load_elf_phdrs) and gives up on any file that
  // is not an x86-64 executable.
  read_headers(ctx, &ctx->exe);

  // Every program header is checked before any is mapped, and so is the interpreter:
  // a bad file must fail here, while failing is still clean.
  check_plan(ctx);
  if (ctx->check_only) {
    trace(ctx, "check", "%s: ok, nothing mapped (--check)", ctx->prog);
    return 0;
  }
  // From here on, the file is trusted: every offset, size and address in the plan
  // has been checked.

  // Choose the load address and claim the whole range at once, so that every
  // MAP_FIXED below lands on memory we own.
  reserve_span(ctx, &ctx->exe);

  // Map each PT_LOAD from the file over the reservation, with its own protections.
  map_segments(ctx, &ctx->exe);

  // .bss that shares its first page with file bytes must start as zeros too.
  zero_bss(ctx, &ctx->exe);

  // A dynamically linked program names its interpreter (ld.so). Like the kernel,
  // we load it too and start there; it will link the program and then call its
  // entry point. Without one, we start at the program's own entry.
  if (ctx->exe.interp)
    load_interp(ctx);
  else
    ctx->entry = ctx->exe.ehdr.e_entry + ctx->exe.bias;
  // From here on, every byte of the program and its interpreter is in place.

  // The process stack the program expects at its entry point: argc, argv, envp,
  // auxv, strings.
  build_stack(ctx);

  // Tell the kernel where the program's brk, arguments and environment are, and
  // the program's name. Refusals are narrated, never fatal.
  set_mm(ctx);

  /* point of no return */
  // The process now belongs to the program: nothing below can fail, and nothing
  // of the loader is used again.
  enter_program(ctx);
}
