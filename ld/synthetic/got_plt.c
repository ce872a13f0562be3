/*
 * got_plt.c — .got.plt: the GOT of the PLT, written by the dynamic linker.
 *
 *   GOT[0]       the address of .dynamic (the dynamic linker reads it early)
 *   GOT[1]       filled by the dynamic linker: its handle for this program
 *   GOT[2]       filled by the dynamic linker: its lazy-binding resolver
 *   GOT[3 + i]   the slot of PLT entry i: at first the address of that entry's push
 *                (PLT entry + 6), so that the first call goes to the resolver;
 *                R_X86_64_JUMP_SLOT in .rela.plt names the function
 *
 * _GLOBAL_OFFSET_TABLE_ is its start in a dynamic executable, as in GNU ld. The
 * slots are rewritten while the program runs (lazy binding), so the section is in
 * the writable data, outside RELRO.
 */
#include "../ld.h"

enum { RESERVED = GOT_PLT_RESERVED };

static bool size_got_plt(Ctx *ctx, InputSection *isec) {
  isec->sh_size = 8 * (RESERVED + (uint64_t)ctx->plt_syms.len);
  return ctx->dynamic;
}

static void write_got_plt(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  write_u64le(buf, isec_address(ctx->synth[SYN_DYNAMIC]));
  for (size_t i = 0; i < ctx->plt_syms.len; i++)
    write_u64le(buf + 8 * (RESERVED + i), plt_entry_address(ctx->plt_syms.data[i]) + 6);
}

const SyntheticKind got_plt_section = {
  .name = ".got.plt",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 8,
  .sh_entsize = 8,
  .size = size_got_plt,
  .write = write_got_plt,
};
