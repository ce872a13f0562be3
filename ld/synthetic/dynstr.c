/*
 * dynstr.c — .dynstr: the names .dynsym, .dynamic (DT_NEEDED, DT_RUNPATH) and
 * .gnu.version_r use, built by dynamic_symbols.c. A static PIE's holds only the
 * empty string.
 */
#include "../ld.h"

#include <string.h>

static bool size_dynstr(Ctx *ctx, InputSection *isec) {
  isec->sh_size = ctx->dynstr.buf.len ? ctx->dynstr.buf.len : 1;  // at least "\0"
  return is_pic(ctx) || ctx->dynamic;
}

static void write_dynstr(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  if (ctx->dynstr.buf.len)
    memcpy(buf, ctx->dynstr.buf.data, ctx->dynstr.buf.len);
}

const SyntheticKind dynstr_section = {
  .name = ".dynstr",
  .sh_type = SHT_STRTAB,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 1,
  .size = size_dynstr,
  .write = write_dynstr,
};
