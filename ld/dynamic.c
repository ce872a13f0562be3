/*
 * dynamic.c — what a static PIE needs to move itself.
 *
 * A static PIE (gcc -static-pie) is a static executable linked at address 0 as an
 * ET_DYN file, so the kernel can load it anywhere (address-space randomisation).
 * Code reaches everything PC-relatively and needs no change; but every absolute
 * address stored in data — a pointer in .data, an .init_array entry, a GOT slot —
 * is wrong by the load address. There is no ld.so to fix them: the C library's
 * start-up code (glibc's _dl_relocate_static_pie) does it, reading the program's
 * own dynamic section:
 *
 *   .dynamic   DT_RELA/DT_RELASZ/DT_RELAENT: where .rela.dyn is; DT_RELACOUNT: how
 *              many R_X86_64_RELATIVE entries lead it; DT_SYMTAB/DT_STRTAB: an empty
 *              symbol table (the relocation code looks them up); DT_DEBUG for
 *              debuggers; DT_FLAGS_1: PIE, NOW
 *   .rela.dyn  R_X86_64_RELATIVE for each place, then R_X86_64_IRELATIVE for each
 *              IFUNC slot (a static PIE has no .rela.iplt: __rela_iplt_start and
 *              __rela_iplt_end are equal)
 *
 * and finds .dynamic through the linker-defined symbol _DYNAMIC. A 32-bit absolute
 * relocation cannot be moved (the field may not hold base + S + A), and a place in a
 * read-only section cannot be written at start-up; both are errors that ask for
 * objects compiled with -fPIE, as GNU ld does.
 */
#include "ld.h"

#include <string.h>

enum { NUM_DYNAMIC = 11 };  // entries of .dynamic, DT_NULL included

void note_absolute_in_pie(Ctx *ctx, InputSection *isec, const Elf64_Rela *rel, Symbol *sym) {
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  RelocHowto h = reloc_howto(type);
  const char *name = sym->type == STT_SECTION && sym->isec ? sym->isec->name : sym->name;
  if (h.width != 8) {
    error("%s:(%s+0x%llx): relocation %s against '%s' cannot be used in a position-"
          "independent executable; recompile with -fPIE",
          isec->file->name, isec->name, (unsigned long long)rel->r_offset, h.name, name);
    return;
  }
  if (!(isec->sh_flags & SHF_WRITE)) {
    error("%s:(%s+0x%llx): relocation %s against '%s' in read-only section '%s' cannot be "
          "moved at start-up; recompile with -fPIE",
          isec->file->name, isec->name, (unsigned long long)rel->r_offset, h.name, name,
          isec->name);
    return;
  }
  ctx->ndyn_relative++;
}

static uint64_t got_relatives(Ctx *ctx) {
  uint64_t n = 0;
  for (size_t i = 0; i < ctx->got_syms.len; i++)
    n += is_image_relative(ctx->got_syms.data[i]);
  return n;
}

void make_dynamic_sections(Ctx *ctx) {
  uint64_t nrela = ctx->ndyn_relative + got_relatives(ctx) + ctx->iplt_syms.len;
  ctx->dynsym = new_synthetic_section(ctx, ".dynsym", SHT_DYNSYM, SHF_ALLOC, sizeof(Elf64_Sym), 8);
  ctx->dynsym->sh_entsize = sizeof(Elf64_Sym);
  ctx->dynstr = new_synthetic_section(ctx, ".dynstr", SHT_STRTAB, SHF_ALLOC, 1, 1);
  ctx->rela_dyn = new_synthetic_section(ctx, ".rela.dyn", SHT_RELA, SHF_ALLOC,
                                        nrela * sizeof(Elf64_Rela), 8);
  ctx->rela_dyn->sh_entsize = sizeof(Elf64_Rela);
  ctx->dynamic = new_synthetic_section(ctx, ".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE,
                                       NUM_DYNAMIC * sizeof(Elf64_Dyn), 8);
  ctx->dynamic->sh_entsize = sizeof(Elf64_Dyn);
}

void dynamic_shdr_links(Ctx *ctx, const OutputSection *osec, Elf64_Shdr *sh) {
  if (!ctx->dynamic)
    return;
  if (osec == ctx->dynsym->osec) {
    sh->sh_link = ctx->dynstr->osec->shndx;
    sh->sh_info = 1;  // one past the last local symbol: the null symbol
  } else if (osec == ctx->rela_dyn->osec) {
    sh->sh_link = ctx->dynsym->osec->shndx;
  } else if (osec == ctx->dynamic->osec) {
    sh->sh_link = ctx->dynstr->osec->shndx;
  }
}

typedef struct {
  uint8_t *p;        // the next entry of .rela.dyn
  uint64_t left;     // entries still free
} RelaWriter;

static void emit_relative(RelaWriter *w, uint64_t offset, uint64_t addend) {
  if (!w->left)
    internal_error("more R_X86_64_RELATIVE entries than counted");
  write_relative(w->p, offset, addend);
  w->p += sizeof(Elf64_Rela);
  w->left--;
}

static void put_dyn(uint8_t *p, int i, int64_t tag, uint64_t val) {
  Elf64_Dyn d = {.d_tag = tag, .d_un.d_val = val};
  memcpy(p + i * sizeof d, &d, sizeof d);
}

void write_dynamic(Ctx *ctx, uint8_t *out) {
  InputSection *rela = ctx->rela_dyn;
  RelaWriter w = {out + rela->osec->offset + rela->offset, rela->sh_size / sizeof(Elf64_Rela)};
  uint64_t total = w.left;

  // The places scan_relocs counted, in the same order: pointers in writable data...
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || !isec->is_alive || !isec->osec || !(isec->sh_flags & SHF_ALLOC) ||
          !(isec->sh_flags & SHF_WRITE))
        continue;
      for (uint64_t i = 0; i < isec->nrels; i++) {
        const Elf64_Rela *rel = &isec->rels[i];
        Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
        RelocHowto h = reloc_howto(ELF64_R_TYPE(rel->r_info));
        if (h.expr == RX_ABS && h.width == 8 && sym && is_image_relative(sym))
          emit_relative(&w, isec_address(isec) + rel->r_offset,
                        symbol_address_for(sym, (uint64_t)rel->r_addend) +
                            (uint64_t)rel->r_addend);
      }
    }
  }
  // ... GOT slots holding addresses in the image...
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *sym = ctx->got_syms.data[i];
    if (is_image_relative(sym))
      emit_relative(&w, ctx->got_addr + 8 * i, symbol_address(sym));
  }
  uint64_t relatives = total - w.left;
  // ... then the IFUNC slots, once everything they may read has been moved.
  for (size_t i = 0; i < ctx->iplt_syms.len; i++) {
    if (!w.left)
      internal_error("more IRELATIVE entries than counted");
    write_irelative(w.p, isec_address(ctx->igot) + 8 * i,
                    symbol_definition_address(ctx->iplt_syms.data[i]));
    w.p += sizeof(Elf64_Rela);
    w.left--;
  }
  // Places counted in records that .eh_frame later dropped leave unused entries.
  for (; w.left; w.left--, w.p += sizeof(Elf64_Rela))
    write_none_reloc(w.p);

  uint8_t *d = out + ctx->dynamic->osec->offset + ctx->dynamic->offset;
  int i = 0;
  put_dyn(d, i++, DT_RELA, isec_address(rela));
  put_dyn(d, i++, DT_RELASZ, rela->sh_size);
  put_dyn(d, i++, DT_RELAENT, sizeof(Elf64_Rela));
  put_dyn(d, i++, DT_RELACOUNT, relatives);
  put_dyn(d, i++, DT_SYMTAB, isec_address(ctx->dynsym));
  put_dyn(d, i++, DT_SYMENT, sizeof(Elf64_Sym));
  put_dyn(d, i++, DT_STRTAB, isec_address(ctx->dynstr));
  put_dyn(d, i++, DT_STRSZ, ctx->dynstr->sh_size);
  put_dyn(d, i++, DT_DEBUG, 0);
  put_dyn(d, i++, DT_FLAGS_1, DF_1_NOW | DF_1_PIE);
  put_dyn(d, i++, DT_NULL, 0);
  if (i != NUM_DYNAMIC)
    internal_error(".dynamic has %d entries, not %d", i, NUM_DYNAMIC);
}
