/*
 * interp.c — .interp: the path of the dynamic linker, and PT_INTERP.
 *
 * The kernel's exec reads PT_INTERP (the seeds' fourth article, part 三2): a
 * program with one is not started at its own entry point; the kernel loads the
 * program named there (/lib64/ld-linux-x86-64.so.2 for glibc, -dynamic-linker to
 * choose another, as musl-gcc does) and starts that, which loads the shared
 * libraries, relocates everything and only then jumps to the program.
 *
 * Layout puts the section first after the ELF header, and the PT_INTERP program
 * header right after PT_PHDR, before every PT_LOAD, as the gABI asks.
 */
#include "../ld.h"

#include <string.h>

static bool size_interp(Ctx *ctx, InputSection *isec) {
  if (!ctx->dynamic || ctx->opt.shared)
    return false;  // a shared library is loaded by the program's dynamic linker
  isec->sh_size = strlen(ctx->opt.dynamic_linker) + 1;
  section_aux(ctx, isec)->synthetic = (const uint8_t *)ctx->opt.dynamic_linker;
  return true;
}

const SyntheticKind interp_section = {
  .name = ".interp",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 1,
  .size = size_interp,
};
