// libFuzzer harness: the linker-script reader. Today that is read_input_script
// (ld/passes/linker_script.c), which reads the scripts that stand in for libraries
// (GROUP, INPUT, AS_NEEDED, -lNAME, SEARCH_DIR, OUTPUT_FORMAT, ...) and turns them
// into input arguments. Any text must give arguments or error() lines, never a
// crash, a hang or a read past the end of the bytes (which are not NUL-terminated
// here, as a mapped file is not); every argument it gives is walked.
//
// parse() below is the only place that names the parser: when the full
// linker-script parser lands, point parse() at it (and walk what it returns), and
// build this harness from its file instead (run.sh, sources()). The seeds already
// include GNU ld's default script, which the full parser must read.
#include "../../ld/ld.h"

#include <stdlib.h>
#include <string.h>

static void parse(Ctx *ctx, View v) {
  PtrVec args = {0};
  if (!read_input_script(ctx, v.name, v, &args))
    return;
  volatile size_t sum = 0;
  for (size_t i = 0; i < args.len; i++) {
    const InputArg *a = args.data[i];
    sum += (size_t)a->kind + (a->value ? strlen(a->value) : 0);
  }
  for (size_t i = 0; i < ctx->opt.lib_paths.len; i++)
    sum += strlen(ctx->opt.lib_paths.data[i]);  // SEARCH_DIR
  (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // One context for every input, its arena kept for 256 of them: an arena starts
  // with a 1 MiB block, and zeroing one per input would cost far more than parsing.
  static Ctx *ctx;
  static unsigned runs;
  if (!ctx && !(ctx = calloc(1, sizeof *ctx)))
    abort();
  Arena arena = ctx->arena;
  memset(ctx, 0, sizeof *ctx);
  ctx->arena = arena;
  parse(ctx, (View){data, size, "fuzz.ld"});
  if (++runs % 256 == 0)
    arena_free(&ctx->arena);
  return 0;
}
