/*
 * dynbss.c — .dynbss: where copy relocations put shared library variables.
 *
 * Code compiled without -fPIC (and -fPIE code, which gcc lets assume this) reads a
 * library's variable such as stdout directly, at an address fixed when the program
 * is linked. So the variable must live in the program: assign_slots gives each such
 * variable space here, the program's .dynsym exports it, and R_X86_64_COPY has the
 * dynamic linker copy its initial value from the library at start-up. The library,
 * finding the program's definition first, uses the copy too. Layout puts it in .bss.
 */
#include "../ld.h"

static bool size_dynbss(Ctx *ctx, InputSection *isec) {
  isec->sh_size = ctx->copy_size;
  return ctx->copy_syms.len > 0;
}

const SyntheticKind dynbss_section = {
  .name = ".dynbss",
  .sh_type = SHT_NOBITS,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 1,  // raised by assign_slots to the strictest copy
  .size = size_dynbss,
};
