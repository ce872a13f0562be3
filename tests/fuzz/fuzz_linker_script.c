// libFuzzer harness: the linker-script reader, read_input_script (ld/passes/
// linker_script.c, with script_lexer.c and script_sections.c): the whole language,
// the scripts that stand in for libraries (GROUP, INPUT, AS_NEEDED, -lNAME,
// SEARCH_DIR, ...) turned into input arguments, and SECTIONS, MEMORY, PHDRS and
// assignments into ctx->script. Any text must give arguments or error() lines, never a
// crash, a hang or a read past the end of the bytes (which are not NUL-terminated
// here, as a mapped file is not); every argument it gives is walked.
//
// The seeds include GNU ld's default script.
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

typedef struct {
  Ctx *ctx;
  View v;
} ParseArgs;

static int parse_caught(void *arg) {
  ParseArgs *a = arg;
  parse(a->ctx, a->v);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context for every input, everything freed after it: libFuzzer looks for
  // leaks after any input that mallocs more than it frees, and an arena's first
  // block is small (64 KiB), so nothing is gained by keeping it.
  Ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    abort();
  // A bad version script in VERSION { } is a usage error, which ends the run: here
  // it unwinds back (run_catching), as in an in-process link.
  run_catching(parse_caught, &(ParseArgs){ctx, (View){data, size, "fuzz.ld"}});
  free(ctx->symtab.entries);  // (ENTRY, assignments and PROVIDE name symbols)
  arena_free(&ctx->arena);
  free(ctx);
  return 0;
}
