/*
 * dynsym.c — .dynsym: the symbols a program shares with its shared libraries.
 *
 * The null symbol, then (dynamic_symbols.c chose them) the symbols the program
 * imports, undefined here, and the ones it exports, defined here and hashed by
 * .gnu.hash. An imported function whose PLT entry is its address everywhere
 * (canonical_plt) is undefined but has that address as its value, which tells the
 * dynamic linker to use it for every library's references too.
 *
 * A static PIE carries the null symbol alone: the C library's self-relocation code
 * looks up DT_SYMTAB and DT_STRTAB in .dynamic before it reads a single entry,
 * although R_X86_64_RELATIVE and IRELATIVE name no symbol (as GNU ld's static PIEs).
 */
#include "../ld.h"

#include <string.h>

static bool size_dynsym(Ctx *ctx, InputSection *isec) {
  isec->sh_size = sizeof(Elf64_Sym) * (1 + (uint64_t)ctx->dynsyms.len);
  return is_pic(ctx) || ctx->dynamic;
}

static void write_dynsym(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    Symbol *sym = ctx->dynsyms.data[i];
    Elf64_Sym es = {0};
    es.st_name = find_string(&ctx->dynstr, dynamic_name(sym));
    // An import (or a copy) is weak if every reference to it is, else global:
    // what binding the library gave it (even STB_GNU_UNIQUE) is the library's.
    uint8_t bind = sym->binding;
    if (sym->state == SYM_SHARED || sym->copied || sym->state == SYM_UNDEF)
      bind = sym->strong_ref ? STB_GLOBAL : STB_WEAK;
    if (bind == STB_LOCAL)
      bind = STB_GLOBAL;
    // An IFUNC (STT_GNU_IFUNC) tells the dynamic linker "call me for the address".
    // That is wrong in two cases, which become plain functions here: an import, whose
    // library says what it is (and a canonical PLT entry is a function); and an
    // IFUNC an executable defines and reaches through its .iplt stub, where the stub
    // is the function's one address, which the libraries must see as well.
    uint8_t type = sym->type;
    bool stub_is_address = sym->state == SYM_DEFINED && sym->aux->iplt && !ctx->opt.shared;
    if (type == STT_GNU_IFUNC && (sym->state == SYM_SHARED || stub_is_address))
      type = STT_FUNC;
    es.st_info = ELF64_ST_INFO(bind, type);
    es.st_other = sym->visibility;
    es.st_shndx = output_shndx(sym);
    es.st_size = sym->size;
    if (sym->state == SYM_SHARED)
      es.st_value = sym->canonical_plt ? plt_entry_address(sym) : 0;
    else if (type == STT_FUNC && sym->type == STT_GNU_IFUNC)
      es.st_value = symbol_address(sym);
    else if (sym->type == STT_TLS)
      es.st_value = symbol_definition_address(sym) - ctx->tls_start;
    else
      es.st_value = symbol_definition_address(sym);
    memcpy(buf + sizeof es * (1 + i), &es, sizeof es);
  }
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
  .write = write_dynsym,
  .link = link_dynsym,
};
