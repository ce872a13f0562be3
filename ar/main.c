/*
 * main.c — mini-ar, an archiver for static libraries.
 *
 * A static library is an ar archive: object files stored one after the other, plus
 * an index saying which member defines which symbol, so that a linker can pull in
 * only the members a program needs. This file reads like the table of contents of
 * the tool; ar.h is the map.
 *
 * ar_main() is one whole run that returns its exit status, so that a program can
 * run mini-ar many times in one process (tests/fuzz/fuzz_ar.c): a failure anywhere
 * unwinds to it through run_catching() (common/diag.c), and it then gives back the
 * mapped files and the arena. main() is ar_main() and exit.
 */
#include "ar.h"

#include <stdlib.h>

// The pipeline, for one archive: ctx->opt names it and says what to do. Returns the
// exit status.
static int update_archive(Ctx *ctx) {
  // Map the archive and turn it into a list of members; a missing archive is an
  // empty list when the operation creates one.
  load_archive(ctx);

  // t, x and p only read the list. r, q, d, m and s edit it and set ctx->changed.
  apply_command(ctx);
  if (error_count())
    return 1;
  if (!ctx->changed)
    return 0;

  // From here on, the list of members is final. The index is computed from it,
  // because the offsets it records depend on every member before.
  build_index(ctx);
  if (error_count())
    return 1;

  // Write everything to a temporary file and rename it over the archive.
  write_archive(ctx);
  return 0;
}

typedef struct {
  Ctx *ctx;
  int argc;
  char **argv;
  Ctx *one;  // as ranlib: the archive's context, whose arena is to be freed
} RunArgs;

static int run_ar(void *arg) {
  RunArgs *a = arg;
  Ctx *ctx = a->ctx;

  // The command line names one operation, its modifiers, the archive and files.
  parse_args(ctx, a->argc, a->argv);
  if (!ctx->opt.ranlib)
    return update_archive(ctx);

  // As ranlib, each word names an archive to index, as `mini-ar s` would, one after
  // the other. Each gets a fresh context (members, index sizes), allocated in the
  // first one's arena. The first archive that fails ends the run, so an error is
  // never counted against the next archive.
  for (size_t k = 0; k < ctx->opt.nfiles; k++) {
    Ctx *one = arena_alloc(&ctx->arena, sizeof *one);
    one->opt = ctx->opt;
    one->opt.archive = ctx->opt.files[k];
    one->opt.files = NULL;
    one->opt.nfiles = 0;
    a->one = one;
    int status = update_archive(one);
    arena_free(&one->arena);
    a->one = NULL;
    if (status != 0)
      return status;
  }
  return 0;
}

int ar_main(int argc, char **argv) {
  diag_set_tool("mini-ar");
  Ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    fatal("out of memory");
  RunArgs args = {ctx, argc, argv, NULL};
  int status = run_catching(run_ar, &args);
  if (args.one)
    arena_free(&args.one->arena);
  unmap_files();
  arena_free(&ctx->arena);
  free(ctx);
  return status;
}

int main(int argc, char **argv) { return ar_main(argc, argv); }
