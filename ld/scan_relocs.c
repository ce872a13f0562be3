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
// or a linker symbol relative to an output section.
static bool is_image_relative(const Symbol *sym) {
  if (sym->state == SYM_DEFINED)
    return sym->isec && sym->isec->is_alive;
  return sym->state == SYM_LINKER && sym->osec;
}

GotRelax got_relax(const InputSection *isec, const Elf64_Rela *rel, const Symbol *sym) {
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  // The rewrites assume the field is the last 4 bytes of the instruction (A = -4)
  // and that the symbol's address is a link-time constant inside the image; an
  // undefined weak symbol (address 0) or an absolute one keeps its GOT slot.
  if (!reloc_howto(type).relaxable || rel->r_addend != -4 || !is_image_relative(sym))
    return RELAX_NONE;
  return got_relax_form(isec->data, rel->r_offset, type);
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
    if (!sym)  // symbol 0: no symbol, S = 0
      continue;
    switch (h.expr) {
    case RX_GOTPCREL:
      if (got_relax(isec, rel, sym) != RELAX_NONE)
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
    default:
      break;
    }
  }
}

void scan_relocs(Ctx *ctx) {
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
  if (ctx->needs_got || hashmap_get(&ctx->symtab, "_GLOBAL_OFFSET_TABLE_", 21)) {
    InputSection *got = arena_alloc(&ctx->arena, sizeof *got);
    got->file = ctx->internal;
    got->name = ".got";
    got->sh_type = SHT_PROGBITS;
    got->sh_flags = SHF_ALLOC | SHF_WRITE;
    got->sh_size = 8 * ctx->got_syms.len;
    got->sh_addralign = 8;
    got->is_alive = true;
    ctx->got = got;
  }
}
