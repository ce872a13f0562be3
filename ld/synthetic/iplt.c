/*
 * iplt.c — .iplt: one stub per IFUNC that the program calls or takes the address of.
 *
 * An IFUNC (STT_GNU_IFUNC) is a function whose address is chosen at start-up by
 * calling its resolver: glibc picks the memcpy that suits the CPU. Every reference
 * to it goes to its 16-byte stub here, which jumps through the function's slot in
 * .got.plt (igot.c); the C library fills the slot before main, as .rela.iplt (or a
 * static PIE's .rela.dyn) tells it to. So the function has one address everywhere,
 * in code, in data, and compared by pointer: the stub's.
 *
 * Stub i serves ctx->iplt_syms[i] (numbered by assign_slots); symbol_address()
 * returns it for every reference.
 */
#include "../ld.h"

static bool size_iplt(Ctx *ctx, InputSection *isec) {
  isec->sh_size = IPLT_STUB_SIZE * (uint64_t)ctx->iplt_syms.len;
  return ctx->iplt_syms.len > 0;
}

static void write_iplt(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  uint64_t slots = isec_address(ctx->synth[SYN_IGOT]);
  for (size_t i = 0; i < ctx->iplt_syms.len; i++)
    write_iplt_stub(buf + IPLT_STUB_SIZE * i, isec_address(isec) + IPLT_STUB_SIZE * i,
                    slots + 8 * i);
}

const SyntheticKind iplt_section = {
  .name = ".iplt",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
  .sh_addralign = 16,
  .size = size_iplt,
  .write = write_iplt,
};
