/*
 * versym.c — .gnu.version: which version of each .dynsym symbol the program means.
 *
 * One u16 per .dynsym entry: 0 for the null symbol, 1 (VER_NDX_GLOBAL) for a symbol
 * with no version (and for what the program exports), else the index that
 * .gnu.version_r (verneed.c) gives a version of a needed library: `printf` linked
 * against libc.so.6's GLIBC_2.2.5 stays bound to that version when libc grows a
 * newer printf.
 */
#include "../ld.h"

static bool size_versym(Ctx *ctx, InputSection *isec) {
  isec->sh_size = 2 * (1 + (uint64_t)ctx->dynsyms.len);
  return ctx->dynamic && (ctx->verneeds.len > 0 || ctx->verdefs.len > 0);
}

static void write_versym(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  for (size_t i = 0; i < ctx->dynsyms.len; i++)
    write_u16le(buf + 2 * (1 + i), ((Symbol *)ctx->dynsyms.data[i])->aux->ver_index);
}

static void link_versym(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSYM]->osec->shndx;
}

const SyntheticKind versym_section = {
  .name = ".gnu.version",
  .sh_type = SHT_GNU_versym,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 2,
  .sh_entsize = 2,
  .size = size_versym,
  .write = write_versym,
  .link = link_versym,
};
