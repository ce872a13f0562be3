/*
 * load_interp.c — the program's interpreter, as the kernel's load_elf_interp() does.
 *
 * A dynamically linked program cannot start by itself: its code calls into shared
 * libraries that are not loaded yet, and its GOT is not filled in. So PT_INTERP names
 * a program that can: the dynamic linker, ld.so (/lib64/ld-linux-x86-64.so.2). The
 * kernel loads it next to the program and starts *it*, not the program:
 *
 *   - ld.so is ET_DYN without an interpreter, so it goes wherever mmap chooses;
 *   - the process starts at ld.so's entry point (ctx->entry);
 *   - the auxv tells ld.so where everything is: AT_BASE = where ld.so was loaded,
 *     AT_PHDR/AT_PHNUM = the program's headers in memory, AT_ENTRY = the program's
 *     entry point, which ld.so calls once the libraries are mapped and relocated.
 *
 * check_plan has already opened and checked the file; here it is mapped exactly as
 * the program was.
 *
 * Reads ctx->interp (checked); fills ctx->interp.bias and ctx->entry.
 */
#include "loader.h"

void load_interp(Ctx *ctx) {
  Image *in = &ctx->interp;
  reserve_span(ctx, in);
  map_segments(ctx, in);
  zero_bss(ctx, in);
  ctx->entry = in->ehdr.e_entry + in->bias;
  trace(ctx, "load_interp", "%s is at 0x%llx (AT_BASE; load_elf_interp); the process starts at "
        "its entry 0x%llx, the program's own entry 0x%llx goes in AT_ENTRY",
        in->path, (unsigned long long)in->bias, (unsigned long long)ctx->entry,
        (unsigned long long)(ctx->exe.ehdr.e_entry + ctx->exe.bias));
}
