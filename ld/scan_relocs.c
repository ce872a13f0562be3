/*
 * scan_relocs.c — decide what the relocations need before addresses exist.
 *
 * Some relocations need more than a symbol's address: GOTPCREL loads a pointer from
 * a GOT slot, so the slot must exist, which changes the size of .got, which changes
 * the layout. So every relocation is looked at once before layout: each symbol that
 * needs a slot gets one, unless the instruction can be relaxed to address the symbol
 * directly (arch_x86_64.c explains the rewrites). This pass also rejects relocation
 * types we do not know and offsets that would patch past the end of their section,
 * so that apply_relocs() can trust every relocation it sees.
 *
 * Reads ctx->files; fills Symbol.needs_got, Symbol.got_index, ctx->got_syms, ctx->got.
 */
#include "ld.h"

// A symbol whose address is fixed relative to the image: defined in a kept section,
// or defined by the linker. Its address moves with the image in a PIE.
bool is_image_relative(const Symbol *sym) {
  if (sym->state == SYM_DEFINED)
    return sym->isec && sym->isec->is_alive;
  // Linker symbols get their values after layout, but every one of them is an
  // address inside the image (define_linker_symbols.c anchors it to a section).
  return sym->state == SYM_LINKER;
}

GotRelax got_relax(Ctx *ctx, const InputSection *isec, const Elf64_Rela *rel,
                   const Symbol *sym) {
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  // The rewrites assume the field is the last 4 bytes of the instruction (A = -4)
  // and that the symbol's address is a link-time constant inside the image; an
  // undefined weak symbol (address 0) or an absolute one keeps its GOT slot. The
  // rewritten instruction must also reach the symbol with 32 bits, which holds
  // when the whole image lies below 2 GiB (see image_fits_32).
  if (!reloc_howto(type).relaxable || rel->r_addend != -4 || !is_image_relative(sym) ||
      !ctx->image_fits_32)
    return RELAX_NONE;
  GotRelax form = got_relax_form(isec->data, rel->r_offset, type);
  // An immediate operand holds an absolute address, which a PIE does not know at
  // link time; the PC-relative forms are fine.
  if (ctx->opt.pie && (form == RELAX_TEST || form == RELAX_BINOP))
    return RELAX_NONE;
  return form;
}

static void scan_section(Ctx *ctx, InputSection *isec) {
  InputFile *file = isec->file;
  for (uint64_t i = 0; i < isec->nrels; i++) {
    const Elf64_Rela *rel = &isec->rels[i];
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    RelocHowto h = reloc_howto(type);
    if (!h.name) {
      error("%s:(%s+0x%llx): unknown relocation type %u", file->name, isec->name,
            (unsigned long long)rel->r_offset, type);
      continue;
    }
    if (!h.supported) {
      error("%s:(%s+0x%llx): unsupported relocation %s", file->name, isec->name,
            (unsigned long long)rel->r_offset, h.name);
      continue;
    }
    if (h.width > isec->sh_size || rel->r_offset > isec->sh_size - h.width) {
      error("%s:(%s+0x%llx): relocation %s patches past the end of the section (size 0x%llx)",
            file->name, isec->name, (unsigned long long)rel->r_offset, h.name,
            (unsigned long long)isec->sh_size);
      continue;
    }
    Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
    uint64_t field;
    switch (h.expr) {
    case RX_TLSGD:
    case RX_TLSLD:
    case RX_TLSDESC:
    case RX_TLSDESC_CALL:
      // In a static executable these sequences always become local exec.
      if (!relax_tls(isec->data, NULL, rel->r_offset, type, &field))
        error("%s:(%s+0x%llx): %s is not in a recognised TLS code sequence", file->name,
              isec->name, (unsigned long long)rel->r_offset, h.name);
      if ((h.expr == RX_TLSGD || h.expr == RX_TLSLD) && i + 1 < isec->nrels &&
          is_tls_get_addr_call(rel, &isec->rels[i + 1]))
        i++;  // the __tls_get_addr call is gone
      continue;
    case RX_GOTTPOFF:
      if (sym && !relax_tls(isec->data, NULL, rel->r_offset, type, &field) &&
          sym->gottp_index < 0) {
        ctx->needs_got = true;
        sym->gottp_index = (int64_t)ctx->gottp_syms.len;
        vec_push(&ctx->arena, &ctx->gottp_syms, sym);
      }
      continue;
    default:
      break;
    }
    if (!sym)  // symbol 0: no symbol, S = 0
      continue;
    // Every reference to an IFUNC goes through its stub, so that the function has
    // one address everywhere: in code, in data, and compared by pointer.
    if (sym->type == STT_GNU_IFUNC && sym->state == SYM_DEFINED && sym->iplt_index < 0) {
      sym->iplt_index = (int64_t)ctx->iplt_syms.len;
      vec_push(&ctx->arena, &ctx->iplt_syms, sym);
    }
    switch (h.expr) {
    case RX_GOTPCREL:
      if (got_relax(ctx, isec, rel, sym) != RELAX_NONE)
        break;
      // fall through
    case RX_GOT:
      ctx->needs_got = true;
      if (!sym->needs_got) {
        sym->needs_got = true;
        sym->got_index = (int64_t)ctx->got_syms.len;
        vec_push(&ctx->arena, &ctx->got_syms, sym);
      }
      break;
    case RX_GOTPC:
    case RX_GOTOFF:
      ctx->needs_got = true;
      break;
    case RX_ABS:
      if (ctx->opt.pie && (isec->sh_flags & SHF_ALLOC) && is_image_relative(sym))
        note_absolute_in_pie(ctx, isec, rel, sym);
      break;
    default:
      break;
    }
  }
}

// Relaxation is decided before layout, so it cannot look at final addresses. It can
// bound them: the image is at most the sum of everything that will be allocated,
// each piece with its worst-case alignment padding, plus a page per segment. If
// that ends below 2 GiB, every address fits a sign-extended 32-bit immediate and
// every displacement inside the image fits 32 bits.
static bool image_fits_32(Ctx *ctx) {
  uint64_t total = ctx->opt.image_base + 8 * ctx->opt.page_size;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (isec && isec->is_alive && (isec->sh_flags & SHF_ALLOC))
        total += isec->sh_size + isec->sh_addralign;
    }
  }
  for (size_t i = 0; i < ctx->common_sections.len; i++) {
    InputSection *isec = ctx->common_sections.data[i];
    total += isec->sh_size + isec->sh_addralign;
  }
  // GOT slots, IFUNC stubs and tables, build-id and .eh_frame_hdr are small, but
  // count them generously: a few entries per relocation at most.
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++)
      if (file->sections[s])
        total += 64 * file->sections[s]->nrels;
  }
  return total < 0x7fff0000;
}

void scan_relocs(Ctx *ctx) {
  ctx->image_fits_32 = image_fits_32(ctx);
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (isec && isec->is_alive && isec->nrels)
        scan_section(ctx, isec);
    }
  }

  // The GOT of a static executable holds final addresses, written at link time. It
  // exists if any relocation uses a slot or measures from the GOT's base.
  if (ctx->needs_got || hashmap_get(&ctx->symtab, "_GLOBAL_OFFSET_TABLE_", 21))
    ctx->got = new_synthetic_section(ctx, ".got", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
                             8 * (ctx->got_syms.len + ctx->gottp_syms.len), 8);

  size_t n = ctx->iplt_syms.len;
  if (n) {
    ctx->iplt = new_synthetic_section(ctx, ".iplt", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
                              IPLT_STUB_SIZE * n, 16);
    ctx->igot = new_synthetic_section(ctx, ".got.plt", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 8 * n, 8);
    // A static PIE lists its IRELATIVE entries in .rela.dyn instead, with the rest
    // of its start-up relocations.
    if (!ctx->opt.pie) {
      ctx->rela_iplt = new_synthetic_section(ctx, ".rela.iplt", SHT_RELA, SHF_ALLOC, 24 * n, 8);
      ctx->rela_iplt->sh_entsize = 24;
    }
    for (size_t i = 0; i < n; i++)
      ((Symbol *)ctx->iplt_syms.data[i])->iplt = ctx->iplt;
  }
  if (ctx->opt.pie)
    make_dynamic_sections(ctx);
}
