/*
 * trace.c — how mini-loader talks: the --trace narration, warnings and the one
 * failure line.
 *
 * Two rules shape this file. First, messages are interface (STYLE §5): a failure is
 * exactly one line, `mini-loader: PROG: what`, and the exit status says what kind of
 * failure it was (127: not found, 126: found but cannot be loaded); a warning is one
 * line too, `mini-loader: warning: PROG: what`, and the run goes on. Second, nothing
 * here may allocate: once the loader starts placing the program, glibc's malloc
 * would grow the brk heap, which is about to become the program's. So every line is
 * formatted into a buffer on the stack with vsnprintf and written with write(2).
 *
 * Reads ctx->trace, ctx->prog and the images' mappings (to undo them on failure).
 */
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void trace(Ctx *ctx, const char *step, const char *fmt, ...) {
  if (!ctx->trace)
    return;
  char buf[4096];
  int n = snprintf(buf, sizeof buf, "[%s] ", step);
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof buf - 2)
    len = sizeof buf - 2;  // a very long environment string: cut, but keep the newline
  buf[len++] = '\n';
  write_all(2, buf, len);
}

void unmap_images(Ctx *ctx) {
  Image *imgs[] = {&ctx->exe, &ctx->interp};
  for (int i = 0; i < 2; i++) {
    if (imgs[i]->map_len)
      munmap((void *)imgs[i]->map_start, imgs[i]->map_len);
    imgs[i]->map_len = 0;
  }
  if (ctx->image)
    munmap(ctx->image, ctx->image_map_len);
  ctx->image = NULL;
}

static _Noreturn void vfail(Ctx *ctx, int status, const char *fmt, va_list ap) {
  char msg[4096];
  vsnprintf(msg, sizeof msg, fmt, ap);
  char line[8192];
  snprintf(line, sizeof line, "mini-loader: %s: %s\n", ctx->prog, msg);
  write_all(2, line, strlen(line));
  // Nothing the program asked for stays mapped: the failure leaves the process as
  // it found it (and it is about to exit anyway, but a reader of --trace should see
  // that every step can be undone until the point of no return).
  unmap_images(ctx);
  _exit(status);
}

void fail(Ctx *ctx, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(ctx, 126, fmt, ap);
}

void fail_with(Ctx *ctx, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(ctx, status, fmt, ap);
}

void warning(Ctx *ctx, const char *fmt, ...) {
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  char line[8192];
  snprintf(line, sizeof line, "mini-loader: warning: %s: %s\n", ctx->prog, msg);
  write_all(2, line, strlen(line));
}

int prot_of(uint32_t p_flags) {
  return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
         (p_flags & PF_X ? PROT_EXEC : 0);
}

// "r-x", the way /proc/self/maps writes protections. The strings are static and
// constant, one per combination, so callers may hold several at once.
const char *prot_name(int prot) {
  static const char *names[8] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
  return names[prot & 7];
}

const char *phdr_type_name(uint32_t p_type) {
  switch (p_type) {
  case PT_NULL: return "PT_NULL";
  case PT_LOAD: return "PT_LOAD";
  case PT_DYNAMIC: return "PT_DYNAMIC";
  case PT_INTERP: return "PT_INTERP";
  case PT_NOTE: return "PT_NOTE";
  case PT_SHLIB: return "PT_SHLIB";
  case PT_PHDR: return "PT_PHDR";
  case PT_TLS: return "PT_TLS";
  case PT_GNU_EH_FRAME: return "PT_GNU_EH_FRAME";
  case PT_GNU_STACK: return "PT_GNU_STACK";
  case PT_GNU_RELRO: return "PT_GNU_RELRO";
  case PT_GNU_PROPERTY: return "PT_GNU_PROPERTY";
  default: return "unknown";
  }
}

const char *etype_name(uint16_t e_type) {
  switch (e_type) {
  case ET_NONE: return "ET_NONE";
  case ET_REL: return "ET_REL";
  case ET_EXEC: return "ET_EXEC";
  case ET_DYN: return "ET_DYN";
  case ET_CORE: return "ET_CORE";
  default: return "unknown";
  }
}

// The names from <elf.h>, which the kernel's create_elf_tables() uses too.
const char *aux_name(uint64_t a_type) {
  switch (a_type) {
  case AT_NULL: return "AT_NULL";
  case AT_IGNORE: return "AT_IGNORE";
  case AT_EXECFD: return "AT_EXECFD";
  case AT_PHDR: return "AT_PHDR";
  case AT_PHENT: return "AT_PHENT";
  case AT_PHNUM: return "AT_PHNUM";
  case AT_PAGESZ: return "AT_PAGESZ";
  case AT_BASE: return "AT_BASE";
  case AT_FLAGS: return "AT_FLAGS";
  case AT_ENTRY: return "AT_ENTRY";
  case AT_NOTELF: return "AT_NOTELF";
  case AT_UID: return "AT_UID";
  case AT_EUID: return "AT_EUID";
  case AT_GID: return "AT_GID";
  case AT_EGID: return "AT_EGID";
  case AT_PLATFORM: return "AT_PLATFORM";
  case AT_HWCAP: return "AT_HWCAP";
  case AT_CLKTCK: return "AT_CLKTCK";
  case AT_SECURE: return "AT_SECURE";
  case AT_BASE_PLATFORM: return "AT_BASE_PLATFORM";
  case AT_RANDOM: return "AT_RANDOM";
  case AT_HWCAP2: return "AT_HWCAP2";
  case 29: return "AT_HWCAP3";
  case 30: return "AT_HWCAP4";
  case AT_EXECFN: return "AT_EXECFN";
  case AT_SYSINFO_EHDR: return "AT_SYSINFO_EHDR";
  case 27: return "AT_RSEQ_FEATURE_SIZE";
  case 28: return "AT_RSEQ_ALIGN";
  case 51: return "AT_MINSIGSTKSZ";
  default: return "AT_?";
  }
}
