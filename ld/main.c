/*
 * main.c — mini-ld, a static linker for x86-64 Linux.
 *
 * It reads like the table of contents of a linker: each pass below runs over one
 * context (Ctx) and hands its results to the next through it. ld.h is the map.
 */
#include "ld.h"

#include <stdlib.h>

void checkpoint(Ctx *ctx) {
  (void)ctx;
  if (error_count())
    exit(1);
}

int main(int argc, char **argv) {
  diag_set_tool("mini-ld");
  Ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    fatal("out of memory");
  ctx->internal = arena_alloc(&ctx->arena, sizeof *ctx->internal);
  ctx->internal->name = "<internal>";

  // The command line says what to link, in which order, and how.
  parse_args(ctx, argc, argv);

  // Load every object, and the archive members they need, in command-line order;
  // symbols are resolved as each file arrives, since that decides which members
  // are needed next.
  read_inputs(ctx);
  checkpoint(ctx);

  // From here on, the set of input files is final. Settle what is left: linker-made
  // symbols and COMMON space.
  resolve_symbols(ctx);
  checkpoint(ctx);

  // With --gc-sections, drop what the program cannot reach, before anything is
  // spent on it; then report every symbol that live code needs and nobody defined.
  if (ctx->opt.gc_sections)
    gc_sections(ctx);
  report_undefined(ctx);
  checkpoint(ctx);

  // From here on, every symbol is defined (or weak and undefined, hence 0).
  // Find the relocations that need GOT slots or IFUNC stubs (and, in a static PIE,
  // the places to move at start-up), before layout sizes those tables.
  scan_relocs(ctx);
  checkpoint(ctx);

  // Group input sections into output sections (merging strings and .eh_frame
  // records on the way), then give every section an address and a file offset.
  layout(ctx);
  checkpoint(ctx);

  // From here on, addresses never change. Now _end and friends can have values.
  define_linker_symbols(ctx);
  checkpoint(ctx);

  // Copy the sections into the output, relocate them there, and rename into place.
  write_output(ctx);

  // Explain the link, if asked: what was loaded and why, and where everything went.
  write_map(ctx);
  checkpoint(ctx);
  return 0;
}
