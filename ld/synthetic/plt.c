/*
 * plt.c — .plt: how a dynamic executable calls a shared library's functions.
 *
 * Each function the program calls gets a 16-byte entry (arch_x86_64.c draws them),
 * after PLT0, the entry they all share; entry i jumps through slot i of .got.plt
 * (got_plt.c). Until the first call that slot points back into the entry, whose
 * push and jump to PLT0 hand the dynamic linker the entry's number; the dynamic
 * linker then looks the function up, writes its address into the slot, and every
 * later call jumps straight there: lazy binding. With -z now the dynamic linker
 * fills every slot before the program starts, and the entries are only jumps.
 *
 * The entry of ctx->plt_syms[i] (numbered by assign_slots) is where calls to it
 * go; if the program also takes the function's address, that entry is its address
 * everywhere (canonical_plt).
 */
#include "../ld.h"

static bool size_plt(Ctx *ctx, InputSection *isec) {
  isec->sh_size = PLT_ENTRY_SIZE * (1 + (uint64_t)ctx->plt_syms.len);
  return ctx->plt_syms.len > 0;
}

static void write_plt(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  uint64_t plt0 = isec_address(isec);
  InputSection *gotplt = ctx->synth[SYN_GOT_PLT];
  write_plt0(buf, plt0, isec_address(gotplt));
  for (size_t i = 0; i < ctx->plt_syms.len; i++) {
    uint64_t entry = plt0 + PLT_ENTRY_SIZE * (1 + i);
    write_plt_entry(buf + PLT_ENTRY_SIZE * (1 + i), entry, got_plt_slot(ctx, i), (uint32_t)i,
                    plt0);
  }
}

const SyntheticKind plt_section = {
  .name = ".plt",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
  .sh_addralign = 16,
  .sh_entsize = PLT_ENTRY_SIZE,
  .size = size_plt,
  .write = write_plt,
};
