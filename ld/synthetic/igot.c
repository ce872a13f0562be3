/*
 * igot.c — .got.plt of a static executable: the slots the IFUNC stubs jump through.
 *
 * Slot i belongs to ctx->iplt_syms[i]. It starts out holding the resolver's
 * address; the C library replaces that with the resolver's answer at start-up
 * (glibc's apply_irel, musl's static start-up), following the R_X86_64_IRELATIVE
 * entries of .rela.iplt or, in a static PIE, .rela.dyn. The slots are written
 * while the program starts, so they sit in the writable data, outside RELRO.
 */
#include "../ld.h"

static bool size_igot(Ctx *ctx, InputSection *isec) {
  isec->sh_size = 8 * (uint64_t)ctx->iplt_syms.len;
  return ctx->iplt_syms.len > 0;
}

static void write_igot(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    write_u64le(buf + 8 * i, symbol_definition_address(ctx->iplt_syms.data[i]));
}

const SyntheticKind igot_section = {
  .name = ".got.plt",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 8,
  .size = size_igot,
  .write = write_igot,
};
