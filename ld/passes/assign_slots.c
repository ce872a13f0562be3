/*
 * assign_slots.c — number the slots the relocations asked for, in a fixed order.
 *
 * scan_relocs wrote down, file by file, which symbols need a GOT slot, a TLS GOT
 * slot or an IFUNC stub, and which places a static PIE must move. This serial step
 * hands out the slots: files in load order, and within a file in the order its
 * relocations first asked. A symbol two files need gets its slot from the first.
 * The numbering therefore never depends on how (or in how many threads) the scan
 * ran, and the output is the same byte for byte.
 *
 *   .got       address slots 0 .. n-1, then TP-offset slots n .. n+m-1
 *   .iplt      one stub per IFUNC, and its slot in .got.plt
 *   .rela.dyn  (static PIE) R_X86_64_RELATIVE for each place, then for each GOT
 *              address slot that holds an address in the image, then
 *              R_X86_64_IRELATIVE for each IFUNC slot, once everything its
 *              resolver may read has been moved
 *
 * Reads InputFile.need_* and .uses_got; fills Symbol.got_index, .gottp_index,
 * .iplt_index and .iplt, ctx->uses_got, ctx->got_syms, ctx->gottp_syms,
 * ctx->iplt_syms and ctx->dyn_relocs.
 */
#include "../ld.h"

static void add_dyn(Ctx *ctx, DynKind kind, InputSection *isec, uint64_t offset, Symbol *sym) {
  DynReloc *d = arena_alloc(&ctx->arena, sizeof *d);
  *d = (DynReloc){kind, isec, offset, sym, 0};
  vec_push(&ctx->arena, &ctx->dyn_relocs, d);
}

void assign_slots(Ctx *ctx) {
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    ctx->uses_got |= file->uses_got;
    for (size_t i = 0; i < file->need_got.len; i++) {
      Symbol *sym = file->need_got.data[i];
      if (sym->got_index < 0) {
        sym->got_index = (int64_t)ctx->got_syms.len;
        vec_push(&ctx->arena, &ctx->got_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_gottp.len; i++) {
      Symbol *sym = file->need_gottp.data[i];
      if (sym->gottp_index < 0) {
        sym->gottp_index = (int64_t)ctx->gottp_syms.len;
        vec_push(&ctx->arena, &ctx->gottp_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_iplt.len; i++) {
      Symbol *sym = file->need_iplt.data[i];
      if (sym->iplt_index < 0) {
        sym->iplt_index = (int64_t)ctx->iplt_syms.len;
        sym->iplt = ctx->synth[SYN_IPLT];
        vec_push(&ctx->arena, &ctx->iplt_syms, sym);
      }
    }
  }
  // TP-offset slots follow the address slots.
  for (size_t i = 0; i < ctx->gottp_syms.len; i++)
    ((Symbol *)ctx->gottp_syms.data[i])->gottp_index += (int64_t)ctx->got_syms.len;

  if (!ctx->opt.pie)
    return;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (size_t i = 0; i < file->need_dyn.len; i++)
      vec_push(&ctx->arena, &ctx->dyn_relocs, file->need_dyn.data[i]);
  }
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *sym = ctx->got_syms.data[i];
    if (is_image_relative(sym))
      add_dyn(ctx, DYN_RELATIVE, ctx->synth[SYN_GOT], 8 * i, sym);
  }
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    add_dyn(ctx, DYN_IRELATIVE, ctx->synth[SYN_IGOT], 8 * i, ctx->iplt_syms.data[i]);
}
