/*
 * dynstr.c — .dynstr of a static PIE: the string table of .dynsym (dynsym.c), which
 * holds only the empty string.
 */
#include "../ld.h"

static bool size_dynstr(Ctx *ctx, InputSection *isec) {
  isec->sh_size = 1;  // "\0"
  return ctx->opt.pie;
}

const SyntheticKind dynstr_section = {
  .name = ".dynstr",
  .sh_type = SHT_STRTAB,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 1,
  .size = size_dynstr,
};
