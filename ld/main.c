/*
 * main.c — mini-ld, a static linker for x86-64 Linux.
 *
 * It reads like the table of contents of a linker: each pass below runs over one
 * context (Ctx) and hands its results to the next through it. ld.h is the map; the
 * passes are in ld/passes/, what they ask about symbols and sections in ld/model/,
 * the sections the linker makes itself in ld/synthetic/.
 *
 * ld_main() is one whole link that returns its exit status, so that a program can
 * link many times in one process (tests/fuzz/fuzz_link.c): a failure anywhere
 * (checkpoint, fatal) unwinds to it through run_catching() (common/diag.c), and it
 * then frees everything the link held. main() is ld_main() and exit.
 */
#include "ld.h"

#include <stdlib.h>

void checkpoint(Ctx *ctx) {
  (void)ctx;
  if (error_count())
    end_run(1);
}

typedef struct {
  Ctx *ctx;
  int argc;
  char **argv;
} LinkArgs;

static int run_link(void *arg) {
  LinkArgs *a = arg;
  Ctx *ctx = a->ctx;
  ctx->internal = arena_alloc(&ctx->arena, sizeof *ctx->internal);
  ctx->internal->name = "<internal>";
  ctx->null_symbol = arena_alloc(&ctx->arena, sizeof *ctx->null_symbol);
  init_symbol(ctx->null_symbol, "");
  ctx->null_symbol->state = SYM_DEFINED;

  // The command line says what to link, in which order, and how.
  stats_start(ctx);
  parse_args(ctx, a->argc, a->argv);
  stats_mark(ctx, "parse_args");

  // --layout --from=EXE: a picture of a file that exists already; nothing to link.
  if (ctx->opt.layout_from) {
    draw_layout(ctx);
    checkpoint(ctx);
    return 0;
  }

  // Load every object, and the archive members they need, in command-line order;
  // symbols are resolved as each file arrives, since that decides which members
  // are needed next.
  read_inputs(ctx);
  checkpoint(ctx);
  stats_mark(ctx, "read_inputs: resolve, archives");

  // -r: the output is an object again. Nothing gets an address and nothing is
  // relocated; the sections, symbols and relocations go out for a later link.
  if (ctx->opt.relocatable) {
    write_relocatable(ctx);
    stats_mark(ctx, "write_relocatable");
    print_stats(ctx);
    return 0;
  }

  // From here on, the set of input files is final. Settle what is left of
  // resolution: the names only the linker can define (_end, __start_SEC, ...), and
  // tentative definitions, which become .bss space.
  reserve_linker_symbols(ctx);
  allocate_common_symbols(ctx);
  checkpoint(ctx);

  // With --gc-sections, drop what the program cannot reach, before anything is
  // spent on it; then report every symbol that live code needs and nobody defined.
  if (ctx->opt.gc_sections)
    gc_sections(ctx);
  report_undefined(ctx);
  checkpoint(ctx);
  stats_mark(ctx, "gc_sections, report_undefined");

  // A dynamic program needs the shared libraries that define what it uses (all of
  // them, but for --as-needed ones); in a shared library we make, what another
  // module may replace at run time is reached like what others define.
  choose_needed_libraries(ctx);
  mark_preemptible(ctx);

  // From here on, every symbol is defined (or weak and undefined, hence 0).
  // Make the sections only the linker can write (.got, .iplt, ...), still empty, so
  // that the decisions below can point into them.
  create_synthetic_sections(ctx);
  stats_mark(ctx, "create_synthetic_sections");

  // Decide, once, what each relocation needs: a GOT slot, an IFUNC stub, a
  // rewritten instruction, a place a PIE moves at start-up. File by file, writing
  // down needs only; then number the slots in a fixed order, before layout sizes
  // the tables that hold them.
  scan_relocs(ctx);
  checkpoint(ctx);
  assign_slots(ctx);
  stats_mark(ctx, "scan_relocs, assign_slots");

  // A dynamic executable: which libraries it needs, which symbols it shares with
  // them, and in which versions (.dynsym, .gnu.version_r), before layout sizes them.
  choose_dynamic_symbols(ctx);
  stats_mark(ctx, "choose_dynamic_symbols");

  // Group input sections into output sections (merging strings and .eh_frame
  // records on the way, and adding the linker's sections this link needs), then
  // give every section an address and a file offset.
  layout(ctx);
  checkpoint(ctx);
  // Now every input section is in its output section: a script's NOCROSSREFS can
  // tell which references go from one of its sections to another.
  check_cross_refs(ctx);
  checkpoint(ctx);
  // (What layout read of the inputs, .eh_frame and strings, is not read again
  // before the output is written: let the pages go, mapped_file.c.)
  release_mapped_pages();
  stats_mark(ctx, "layout");

  // From here on, addresses never change. Now _end and friends can have values.
  define_linker_symbols(ctx);
  checkpoint(ctx);
  stats_mark(ctx, "define_linker_symbols");
  settle_addresses(ctx);
  stats_mark(ctx, "settle_addresses");

  // Copy the sections into the output, relocate them there, write the linker's
  // sections, and rename into place.
  write_output(ctx);

  // Explain the link, if asked: what was loaded and why, and where everything went.
  write_map(ctx);
  checkpoint(ctx);
  stats_mark(ctx, "write_map");

  // Draw it, if asked, from the finished file's own headers.
  draw_layout(ctx);
  checkpoint(ctx);
  stats_mark(ctx, "draw_layout");
  print_stats(ctx);
  return 0;
}

// What a link holds outside its arena, given back: the input files' mappings,
// the tables that grow with malloc, the LTO plugin's descriptors (the outputs were
// committed, or discarded by diag's cleanup hook). Then the arena, with every
// Symbol, section and string in it.
static void free_link(Ctx *ctx) {
  release_lto(ctx);
  unmap_files();
  for (size_t i = 0; i < ctx->osecs.len; i++)
    free(((OutputSection *)ctx->osecs.data[i])->compressed);
  free(ctx->symtab.entries);
  free(ctx->comdat.entries);
  free(ctx->ir_comdat.entries);
  free(ctx->opt.wrap.entries);
  free_string_table(&ctx->dynstr);
  arena_free(&ctx->arena);
  free(ctx);
}

static Ctx *new_ctx(void) {
  diag_set_tool("mini-ld");
  Ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx)
    fatal("out of memory");
  return ctx;
}

int ld_main(int argc, char **argv) {
  Ctx *ctx = new_ctx();
  int status = run_catching(run_link, &(LinkArgs){ctx, argc, argv});
  free_link(ctx);
  return status;
}

// The program: one link, then exit, which gives everything back at once. Giving it
// back piece by piece first (every input's mapping, the arena's blocks, with the
// worker threads' TLBs flushed at each munmap) would only make the user wait:
// 23 ms of a 300 MB link, 2 ms (5%) of a static glibc program. The LTO plugin's
// cleanup still runs: it removes its temporary files. The context stays reachable
// from a static, so that LeakSanitizer (make check) finds nothing lost.
int main(int argc, char **argv) {
  static Ctx *ctx;
  ctx = new_ctx();
  int status = run_catching(run_link, &(LinkArgs){ctx, argc, argv});
  release_lto(ctx);
  return status;
}
