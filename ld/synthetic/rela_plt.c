/*
 * rela_plt.c — .rela.plt: one R_X86_64_JUMP_SLOT per PLT entry.
 *
 * Entry i says "the .got.plt slot of PLT entry i holds the address of this
 * .dynsym symbol". The push in PLT entry i is this entry's index, which is how the
 * lazy resolver knows which function a first call wants. DT_JMPREL and
 * DT_PLTRELSZ (dynamic.c) point the dynamic linker here.
 */
#include "../ld.h"

static bool size_rela_plt(Ctx *ctx, InputSection *isec) {
  isec->sh_size = sizeof(Elf64_Rela) * (uint64_t)ctx->plt_syms.len;
  return ctx->plt_syms.len > 0;
}

static void write_rela_plt(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  for (size_t i = 0; i < ctx->plt_syms.len; i++) {
    Symbol *sym = ctx->plt_syms.data[i];
    write_dyn_reloc(buf + sizeof(Elf64_Rela) * i, DYN_JUMP_SLOT, got_plt_slot(ctx, i),
                    sym->aux->dynsym_index, 0);
  }
}

// sh_link: the symbol table; sh_info: the section it patches (.got.plt), as GNU ld.
static void link_rela_plt(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSYM]->osec->shndx;
  sh->sh_info = ctx->synth[SYN_GOT_PLT]->osec->shndx;
}

const SyntheticKind rela_plt_section = {
  .name = ".rela.plt",
  .sh_type = SHT_RELA,
  .sh_flags = SHF_ALLOC | SHF_INFO_LINK,
  .sh_addralign = 8,
  .sh_entsize = sizeof(Elf64_Rela),
  .size = size_rela_plt,
  .write = write_rela_plt,
  .link = link_rela_plt,
};
