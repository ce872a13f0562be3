/*
 * rela_iplt.c — .rela.iplt: the start-up work list of a static executable's IFUNCs.
 *
 * One R_X86_64_IRELATIVE entry per .got.plt slot: "call the resolver at r_addend
 * and store the result at r_offset". Static glibc and musl find the list through
 * the linker-defined symbols __rela_iplt_start and __rela_iplt_end (there is no
 * dynamic section to look it up in) and carry it out before main. A PIE or a
 * dynamic executable lists these entries in .rela.dyn instead, last, and has no
 * .rela.iplt.
 */
#include "../ld.h"

static bool size_rela_iplt(Ctx *ctx, InputSection *isec) {
  isec->sh_size = sizeof(Elf64_Rela) * (uint64_t)ctx->iplt_syms.len;
  return ctx->iplt_syms.len > 0 && !is_pic(ctx) && !ctx->dynamic;
}

static void write_rela_iplt(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint64_t slots = isec_address(ctx->synth[SYN_IGOT]);
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    write_irelative(buf + sizeof(Elf64_Rela) * i, slots + 8 * i,
                    symbol_definition_address(ctx->iplt_syms.data[i]));
}

const SyntheticKind rela_iplt_section = {
  .name = ".rela.iplt",
  .sh_type = SHT_RELA,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .sh_entsize = sizeof(Elf64_Rela),
  .size = size_rela_iplt,
  .write = write_rela_iplt,
};
