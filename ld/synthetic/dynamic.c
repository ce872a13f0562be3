/*
 * dynamic.c — .dynamic of a static PIE, and PT_DYNAMIC.
 *
 * The C library's start-up code finds the PIE's own dynamic section through the
 * linker-defined symbol _DYNAMIC and reads from it where .rela.dyn is and how many
 * of its entries are RELATIVE ones:
 *
 *   DT_RELA, DT_RELASZ, DT_RELAENT   .rela.dyn (rela_dyn.c)
 *   DT_RELACOUNT                     the R_X86_64_RELATIVE entries that lead it
 *   DT_SYMTAB, DT_SYMENT             .dynsym, only the null symbol (dynsym.c)
 *   DT_STRTAB, DT_STRSZ              .dynstr, only the empty string (dynstr.c)
 *   DT_DEBUG                         for debuggers to fill in
 *   DT_FLAGS_1                       PIE, NOW
 *   DT_NULL
 */
#include "../ld.h"

#include <string.h>

enum { NUM_DYNAMIC = 11 };  // entries, DT_NULL included

static bool size_dynamic(Ctx *ctx, InputSection *isec) {
  isec->sh_size = NUM_DYNAMIC * sizeof(Elf64_Dyn);
  return ctx->opt.pie;
}

static void put_dyn(uint8_t *p, int i, int64_t tag, uint64_t val) {
  Elf64_Dyn d = {.d_tag = tag, .d_un.d_val = val};
  memcpy(p + i * sizeof d, &d, sizeof d);
}

static void write_dynamic(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  InputSection *rela = ctx->synth[SYN_RELA_DYN];
  InputSection *dynsym = ctx->synth[SYN_DYNSYM], *dynstr = ctx->synth[SYN_DYNSTR];
  int i = 0;
  put_dyn(buf, i++, DT_RELA, isec_address(rela));
  put_dyn(buf, i++, DT_RELASZ, rela->sh_size);
  put_dyn(buf, i++, DT_RELAENT, sizeof(Elf64_Rela));
  put_dyn(buf, i++, DT_RELACOUNT, ctx->dyn_relative);
  put_dyn(buf, i++, DT_SYMTAB, isec_address(dynsym));
  put_dyn(buf, i++, DT_SYMENT, sizeof(Elf64_Sym));
  put_dyn(buf, i++, DT_STRTAB, isec_address(dynstr));
  put_dyn(buf, i++, DT_STRSZ, dynstr->sh_size);
  put_dyn(buf, i++, DT_DEBUG, 0);
  put_dyn(buf, i++, DT_FLAGS_1, DF_1_NOW | DF_1_PIE);
  put_dyn(buf, i++, DT_NULL, 0);
  if (i != NUM_DYNAMIC)
    internal_error(".dynamic has %d entries, not %d", i, NUM_DYNAMIC);
}

static void link_dynamic(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSTR]->osec->shndx;
}

const SyntheticKind dynamic_section = {
  .name = ".dynamic",
  .sh_type = SHT_DYNAMIC,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 8,
  .sh_entsize = sizeof(Elf64_Dyn),
  .size = size_dynamic,
  .write = write_dynamic,
  .link = link_dynamic,
  .p_type = PT_DYNAMIC,
  .p_flags = PF_R | PF_W,
  .p_align = 8,
};
