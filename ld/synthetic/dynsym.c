/*
 * dynsym.c — .dynsym of a static PIE: a symbol table with only the null symbol.
 *
 * A static PIE moves itself at start-up (rela_dyn.c), and the C library's relocation
 * code looks up DT_SYMTAB and DT_STRTAB in .dynamic before it reads a single entry,
 * even though R_X86_64_RELATIVE and IRELATIVE name no symbol. So the PIE carries a
 * symbol table that holds just the null symbol, and an empty string table
 * (dynstr.c), as GNU ld's static PIEs do.
 */
#include "../ld.h"

static bool size_dynsym(Ctx *ctx, InputSection *isec) {
  isec->sh_size = sizeof(Elf64_Sym);  // the null symbol: zeros
  return ctx->opt.pie;
}

static void link_dynsym(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSTR]->osec->shndx;
  sh->sh_info = 1;  // one past the last local symbol: the null symbol
}

const SyntheticKind dynsym_section = {
  .name = ".dynsym",
  .sh_type = SHT_DYNSYM,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .sh_entsize = sizeof(Elf64_Sym),
  .size = size_dynsym,
  .link = link_dynsym,
};
