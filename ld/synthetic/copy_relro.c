/*
 * copy_relro.c — where copy relocations put a shared library's constants.
 *
 * Like .dynbss (dynbss.c), but for variables a library keeps in a read-only
 * section (`const char table[]`): the copy goes into the program's .data.rel.ro,
 * which the dynamic linker makes read-only once relocations are done
 * (PT_GNU_RELRO). Writing to the copy then faults, as writing to the original
 * would, as with GNU ld. Its bytes are zeros in the file; R_X86_64_COPY fills them.
 */
#include "../ld.h"

static bool size_copy_relro(Ctx *ctx, InputSection *isec) {
  isec->sh_size = ctx->copy_relro_size;
  return ctx->copy_relro_size > 0;
}

const SyntheticKind copy_relro_section = {
  .name = ".data.rel.ro",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 1,  // raised by assign_slots to the strictest copy
  .size = size_copy_relro,
};
