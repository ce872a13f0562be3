/*
 * auxv.c — the auxiliary vector: what the kernel tells a new program.
 *
 * After the environment's NULL, the kernel leaves a table of (a_type, a_val) pairs
 * ending in AT_NULL (create_elf_tables in fs/binfmt_elf.c). Some entries describe the
 * machine and the process (AT_PAGESZ, AT_HWCAP, AT_CLKTCK, AT_UID, AT_SYSINFO_EHDR for
 * the vDSO, ...): they are as true for the program as for the loader, so we hand on
 * the loader's own, in the kernel's order. The others describe the program that was
 * exec'd, which the kernel thought was mini-loader; those we patch:
 *
 *   AT_PHDR      where the program headers are in memory (static glibc and ld.so find
 *                PT_TLS, PT_DYNAMIC ... through it)
 *   AT_PHENT     sizeof(Elf64_Phdr)            AT_PHNUM   e_phnum
 *   AT_BASE      where the interpreter was loaded, 0 without one
 *   AT_ENTRY     the program's entry point (ld.so jumps there when it is done)
 *   AT_FLAGS     0
 *   AT_EXECFN    the path string on the new stack
 *   AT_PLATFORM  the "x86_64" string on the new stack
 *   AT_RANDOM    16 fresh random bytes on the new stack (stack protector canary,
 *                pointer guard: the program must not share the loader's)
 *
 * AT_EXECFD (a file descriptor the kernel opened for binfmt_misc) is dropped: there
 * is no such descriptor for the program.
 *
 * Reads ctx->auxv and the placed images.
 */
#include "loader.h"

typedef struct {
  Elf64_auxv_t *out;
  uint64_t n;
} AuxWriter;

static void put(AuxWriter *w, uint64_t type, uint64_t val) {
  w->out[w->n].a_type = type;
  w->out[w->n].a_un.a_val = val;
  w->n++;
}

uint64_t make_auxv(Ctx *ctx, Elf64_auxv_t *out, uint64_t execfn, uint64_t platform,
                   uint64_t random) {
  const Image *exe = &ctx->exe;
  uint64_t phdr = exe->phdr_vaddr ? exe->phdr_vaddr + exe->bias : 0;
  uint64_t base = exe->interp ? ctx->interp.bias : 0;
  uint64_t entry = exe->ehdr.e_entry + exe->bias;

  // The entries we must provide even if the loader's vector lacked them.
  struct {
    uint64_t type, val;
    bool seen;
  } ours[] = {
      {AT_PHDR, phdr, false},     {AT_PHENT, sizeof(Elf64_Phdr), false},
      {AT_PHNUM, exe->phnum, false}, {AT_BASE, base, false},
      {AT_FLAGS, 0, false},       {AT_ENTRY, entry, false},
      {AT_RANDOM, random, false}, {AT_EXECFN, execfn, false},
      {AT_PLATFORM, platform, false},
  };
  size_t nours = sizeof ours / sizeof ours[0];

  AuxWriter w = {out, 0};
  for (uint64_t i = 0; i < ctx->nauxv; i++) {
    uint64_t type = ctx->auxv[i].a_type;
    uint64_t val = ctx->auxv[i].a_un.a_val;
    if (type == AT_EXECFD)
      continue;
    for (size_t k = 0; k < nours; k++) {
      if (ours[k].type == type) {
        val = ours[k].val;
        ours[k].seen = true;
      }
    }
    put(&w, type, val);
  }
  for (size_t k = 0; k < nours; k++)
    if (!ours[k].seen && !(ours[k].type == AT_PLATFORM && !platform))
      put(&w, ours[k].type, ours[k].val);
  put(&w, AT_NULL, 0);
  return w.n;
}
