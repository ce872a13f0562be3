/*
 * assign_slots.c — number the slots the relocations asked for, in a fixed order.
 *
 * scan_relocs wrote down, file by file, which symbols need a GOT slot, a TLS GOT
 * slot, an IFUNC stub, a PLT entry or a copy relocation, and which places must be
 * fixed at start-up. This serial step hands out the slots: files in load order, and
 * within a file in the order its relocations first asked. A symbol two files need
 * gets its slot from the first. The numbering therefore never depends on how (or in
 * how many threads) the scan ran, and the output is the same byte for byte.
 *
 *   .got       address slots 0 .. n-1, then TP-offset slots n .. n+m-1
 *   .iplt      one stub per IFUNC, and its slot in .got.plt
 *   .plt       one entry per shared library function called, and its .got.plt slot
 *   .dynbss    the copies of shared library variables the program uses directly
 *   .rela.dyn  R_X86_64_RELATIVE for each place in the image (PIE), then for each
 *              GOT address slot of a symbol in the image; then the entries that
 *              name symbols: R_X86_64_64 places, GLOB_DAT and TPOFF64 slots, COPY;
 *              last R_X86_64_IRELATIVE for each IFUNC slot, once everything its
 *              resolver may read has been moved
 *
 * Reads InputFile.need_* and .uses_got; fills the slot fields of Symbol, makes
 * copied variables SYM_DEFINED in .dynbss, fills ctx->uses_got, ctx->got_syms,
 * ctx->gottp_syms, ctx->iplt_syms, ctx->plt_syms, ctx->copy_syms, ctx->copy_size and
 * ctx->dyn_relocs.
 */
#include "../ld.h"

static void add_dyn(Ctx *ctx, DynKind kind, InputSection *isec, uint64_t offset, Symbol *sym) {
  DynReloc *d = arena_alloc(&ctx->arena, sizeof *d);
  *d = (DynReloc){kind, isec, offset, sym, 0};
  vec_push(&ctx->arena, &ctx->dyn_relocs, d);
}

// The alignment a copied variable needs. The library's section headers would say;
// its address says enough: the largest power of two that divides it (at most 64).
static uint64_t copy_alignment(const Symbol *sym) {
  uint64_t align = 1;
  while (align < 64 && !(sym->value & align))
    align <<= 1;
  return align;
}

// A shared library's variable that non-PIC code uses directly moves into the
// executable: space in .dynbss, and from now on the symbol is defined there. The
// COPY relocation has the dynamic linker fill the space with the variable's initial
// value; the library, finding the executable's definition first, uses the copy too.
// A constant (in a read-only section of its library) goes into .data.rel.ro
// instead, which becomes read-only once the copy is made (PT_GNU_RELRO): writing
// to it faults, as it would in the library.
static void copy_variable(Ctx *ctx, Symbol *sym) {
  // Aliases (foo and bar at one address of one library) share one copy, or the
  // program would see two variables where the library has one.
  for (size_t i = 0; i < ctx->copy_syms.len; i++) {
    Symbol *other = ctx->copy_syms.data[i];
    if (other->file == sym->file && other->aux->shared_value == sym->value) {
      sym->state = SYM_DEFINED;
      sym->isec = other->isec;
      symbol_aux(ctx, sym)->shared_value = sym->value;
      sym->value = other->value;
      sym->copied = true;  // no COPY of its own: it is not in copy_syms
      return;
    }
  }
  bool relro = sym->aux->shared_readonly;
  InputSection *dst = ctx->synth[relro ? SYN_COPY_RELRO : SYN_DYNBSS];
  uint64_t *size = relro ? &ctx->copy_relro_size : &ctx->copy_size;
  uint64_t align = copy_alignment(sym);
  if (align > dst->sh_addralign)
    dst->sh_addralign = align;
  *size = align_to(*size, align);
  dst->is_alive = true;
  sym->state = SYM_DEFINED;
  sym->isec = dst;
  symbol_aux(ctx, sym)->shared_value = sym->value;
  sym->value = *size;
  sym->copied = true;
  *size += sym->size;
  vec_push(&ctx->arena, &ctx->copy_syms, sym);
}

// The library's other names for a copied variable (glibc's environ has __environ
// and _environ) move with it, though the program never names them: the library's
// own code reaches the variable by one of them, and must find the program's copy,
// which only an exported name can show it. (Without this, glibc set its own
// __environ at start-up and the program's environ stayed NULL.)
static void copy_aliases(Ctx *ctx) {
  for (size_t i = 0; i < ctx->globals.len && ctx->copy_syms.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    if (sym->state != SYM_SHARED || sym->type == STT_FUNC || sym->type == STT_GNU_IFUNC)
      continue;
    for (size_t j = 0; j < ctx->copy_syms.len; j++) {
      Symbol *copy = ctx->copy_syms.data[j];
      if (copy->file == sym->file && copy->aux->shared_value == sym->value) {
        copy_variable(ctx, sym);
        break;
      }
    }
  }
}

// Does the GOT slot of sym hold an address the linker knows (relative to the image)?
static bool got_holds_image_address(const Symbol *sym) {
  return is_image_relative(sym) || sym->canonical_plt;
}

void assign_slots(Ctx *ctx) {
  bool tlsld = false;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    ctx->uses_got |= file->uses_got;
    for (size_t i = 0; i < file->need_got.len; i++) {
      Symbol *sym = file->need_got.data[i];
      if (sym->aux->got_index < 0) {
        symbol_aux(ctx, sym)->got_index = (int32_t)ctx->got_syms.len;
        vec_push(&ctx->arena, &ctx->got_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_gottp.len; i++) {
      Symbol *sym = file->need_gottp.data[i];
      if (sym->aux->gottp_index < 0) {
        symbol_aux(ctx, sym)->gottp_index = (int32_t)ctx->gottp_syms.len;
        vec_push(&ctx->arena, &ctx->gottp_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_tlsgd.len; i++) {
      Symbol *sym = file->need_tlsgd.data[i];
      if (sym->aux->tlsgd_index < 0) {
        symbol_aux(ctx, sym)->tlsgd_index = (int32_t)ctx->tlsgd_syms.len;
        vec_push(&ctx->arena, &ctx->tlsgd_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_tlsdesc.len; i++) {
      Symbol *sym = file->need_tlsdesc.data[i];
      if (sym->aux->tlsdesc_index < 0) {
        symbol_aux(ctx, sym)->tlsdesc_index = (int32_t)ctx->tlsdesc_syms.len;
        vec_push(&ctx->arena, &ctx->tlsdesc_syms, sym);
      }
    }
    tlsld |= file->uses_tlsld;
    for (size_t i = 0; i < file->need_iplt.len; i++) {
      Symbol *sym = file->need_iplt.data[i];
      if (sym->aux->iplt_index < 0) {
        SymbolAux *aux = symbol_aux(ctx, sym);
        aux->iplt_index = (int32_t)ctx->iplt_syms.len;
        aux->iplt = ctx->synth[SYN_IPLT];
        vec_push(&ctx->arena, &ctx->iplt_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_plt.len; i++) {
      Symbol *sym = file->need_plt.data[i];
      if (sym->aux->plt_index < 0) {
        SymbolAux *aux = symbol_aux(ctx, sym);
        aux->plt_index = (int32_t)ctx->plt_syms.len;
        aux->plt = ctx->synth[SYN_PLT];
        vec_push(&ctx->arena, &ctx->plt_syms, sym);
      }
    }
    for (size_t i = 0; i < file->need_canonical.len; i++)
      ((Symbol *)file->need_canonical.data[i])->canonical_plt = true;
    for (size_t i = 0; i < file->need_copy.len; i++) {
      Symbol *sym = file->need_copy.data[i];
      if (!sym->copied)
        copy_variable(ctx, sym);
    }
  }
  copy_aliases(ctx);
  // TP-offset slots follow the address slots; then (in a shared library) the
  // general-dynamic pairs, the TLS descriptors and the local-dynamic pair.
  int64_t next = (int64_t)ctx->got_syms.len;
  for (size_t i = 0; i < ctx->gottp_syms.len; i++)
    symbol_aux(ctx, ctx->gottp_syms.data[i])->gottp_index += next;
  next += (int64_t)ctx->gottp_syms.len;
  for (size_t i = 0; i < ctx->tlsgd_syms.len; i++)
    symbol_aux(ctx, ctx->tlsgd_syms.data[i])->tlsgd_index = (int32_t)(next + 2 * (int64_t)i);
  next += 2 * (int64_t)ctx->tlsgd_syms.len;
  for (size_t i = 0; i < ctx->tlsdesc_syms.len; i++)
    symbol_aux(ctx, ctx->tlsdesc_syms.data[i])->tlsdesc_index = (int32_t)(next + 2 * (int64_t)i);
  next += 2 * (int64_t)ctx->tlsdesc_syms.len;
  ctx->tlsld_index = tlsld ? next : -1;
  next += tlsld ? 2 : 0;
  ctx->got_slots_count = (uint64_t)next;

  bool pie = is_pic(ctx);
  if (!pie && !ctx->dynamic)
    return;
  // A pointer to a function whose PLT entry is its address everywhere (canonical)
  // points into the image: the linker writes it (moved by RELATIVE in a PIE), and
  // the dynamic linker does not look the function up.
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (size_t i = 0; i < file->need_dyn.len; i++) {
      DynReloc *d = file->need_dyn.data[i];
      if (d->kind == DYN_ABS64 && d->sym->canonical_plt)
        d->kind = pie ? DYN_RELATIVE : DYN_NONE;
    }
  }
  InputSection *got = ctx->synth[SYN_GOT];
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (size_t i = 0; i < file->need_dyn.len; i++) {
      DynReloc *d = file->need_dyn.data[i];
      if (d->kind == DYN_RELATIVE)
        vec_push(&ctx->arena, &ctx->dyn_relocs, d);
    }
  }
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *sym = ctx->got_syms.data[i];
    if (pie && got_holds_image_address(sym))
      add_dyn(ctx, DYN_RELATIVE, got, 8 * i, sym);
  }
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (size_t i = 0; i < file->need_dyn.len; i++) {
      DynReloc *d = file->need_dyn.data[i];
      if (d->kind != DYN_RELATIVE && d->kind != DYN_NONE)
        vec_push(&ctx->arena, &ctx->dyn_relocs, d);
    }
  }
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *sym = ctx->got_syms.data[i];
    if (!got_holds_image_address(sym) && is_imported(sym))
      add_dyn(ctx, DYN_GLOB_DAT, got, 8 * i, sym);
  }
  // TP offsets: a library's variables in an executable; in a shared library we
  // make, every one (its own block's place is known at run time only).
  for (size_t i = 0; i < ctx->gottp_syms.len; i++) {
    Symbol *sym = ctx->gottp_syms.data[i];
    if (is_imported(sym) || ctx->opt.shared)
      add_dyn(ctx, DYN_TPOFF64, got, 8 * (uint64_t)sym->aux->gottp_index, sym);
  }
  for (size_t i = 0; i < ctx->tlsgd_syms.len; i++) {
    Symbol *sym = ctx->tlsgd_syms.data[i];
    add_dyn(ctx, DYN_DTPMOD64, got, 8 * (uint64_t)sym->aux->tlsgd_index, sym);
    // A variable of this library is at a known offset in its block: only the module
    // is asked for (the slot is written now). An interposable one needs both.
    if (is_imported(sym))
      add_dyn(ctx, DYN_DTPOFF64, got, 8 * (uint64_t)sym->aux->tlsgd_index + 8, sym);
  }
  for (size_t i = 0; i < ctx->tlsdesc_syms.len; i++) {
    Symbol *sym = ctx->tlsdesc_syms.data[i];
    add_dyn(ctx, DYN_TLSDESC, got, 8 * (uint64_t)sym->aux->tlsdesc_index, sym);
  }
  if (ctx->tlsld_index >= 0)
    add_dyn(ctx, DYN_DTPMOD64, got, 8 * (uint64_t)ctx->tlsld_index, ctx->null_symbol);
  for (size_t i = 0; i < ctx->copy_syms.len; i++) {
    Symbol *sym = ctx->copy_syms.data[i];
    add_dyn(ctx, DYN_COPY, sym->isec, sym->value, sym);
  }
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    add_dyn(ctx, DYN_IRELATIVE, ctx->synth[SYN_IGOT], 8 * i, ctx->iplt_syms.data[i]);
}
