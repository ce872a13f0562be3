/*
 * build_stack.c — the process stack the program finds at its entry point.
 *
 * A program's _start reads its arguments from the stack, because that is where the
 * kernel's create_elf_tables() puts them (x86-64 psABI §3.4.1, "Initial Stack and
 * Register State"). We build the same layout, in the same order:
 *
 *      high addresses
 *   +------------------------------+ <- stack_top: end of the [stack] mapping
 *   | 8 zero bytes (end marker)    |
 *   | "/usr/bin/ls\0"              |  AT_EXECFN: the path that was executed
 *   | "HOME=/root\0" ...           |  environment strings   env_start .. env_end
 *   | "ls\0" "-l\0" ...            |  argument strings      arg_start .. arg_end
 *   | random gap, 0..8 KiB (ASLR)  |  arch_align_stack(); none under setarch -R
 *   | "x86_64\0"                   |  AT_PLATFORM
 *   | 16 random bytes              |  AT_RANDOM
 *   | padding to 16 bytes          |
 *   +------------------------------+
 *   | AT_NULL, 0                   |
 *   | ...                          |  auxv: (a_type, a_val) pairs, see auxv.c
 *   | AT_SYSINFO_EHDR, 0x7ff...    |
 *   | NULL                         |
 *   | envp[envc - 1] ... envp[0]   |  pointers into the strings above
 *   | NULL                         |
 *   | argv[argc - 1] ... argv[0]   |
 *   | argc                         | <- rsp at entry (sp), 16-byte aligned
 *   +------------------------------+
 *      low addresses (the stack grows down from here)
 *
 * Where: at the very top of the process's own [stack] mapping, exactly where the
 * kernel would have put it had it exec'd the program itself. That mapping grows on
 * demand up to RLIMIT_STACK and is called [stack] in /proc/self/maps; and with the
 * same arguments, environment and no ASLR, every address on the program's stack is
 * the one it would have had (argv[0], environ, AT_RANDOM, rsp itself).
 *
 * But the loader is standing on that very spot: the kernel put *our* arguments there,
 * and our frames are below them. So we build the stack in a scratch mapping (the
 * image), with the final addresses in every pointer, and arch_enter copies it into
 * place as its last act, when nothing of the loader is needed any more.
 *
 * If the program asks for an executable stack (PT_GNU_STACK with PF_X), the whole
 * mapping becomes executable, as setup_arg_pages() would make it.
 *
 * Reads ctx->argv, envp, path, auxv, stack_top and the placed images; fills ctx->sp,
 * image and the arg/env/auxv ranges that set_mm hands to the kernel.
 */
#include "loader.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>

enum { MAX_AUXV = 64 };

static uint64_t own_aux(Ctx *ctx, uint64_t type) {
  for (uint64_t i = 0; i < ctx->nauxv; i++)
    if (ctx->auxv[i].a_type == type)
      return ctx->auxv[i].a_un.a_val;
  return 0;
}

// Copies s into the image at final address at; returns the address after its NUL.
static uint64_t put_string(Ctx *ctx, uint64_t at, const char *s) {
  size_t len = strlen(s) + 1;
  memcpy(image_at(ctx, at), s, len);
  return at + len;
}

static void put_word(Ctx *ctx, uint64_t at, uint64_t v) { memcpy(image_at(ctx, at), &v, 8); }

static uint64_t get_word(Ctx *ctx, uint64_t at) {
  uint64_t v;
  memcpy(&v, image_at(ctx, at), 8);
  return v;
}

// One line per word, from rsp up: the picture at the top of this file, with numbers.
static void trace_pointers(Ctx *ctx, const char *name, uint64_t at, uint64_t n) {
  for (uint64_t i = 0; i <= n; i++, at += 8) {
    uint64_t p = get_word(ctx, at);
    const char *s = p ? (const char *)image_at(ctx, p) : NULL;
    trace(ctx, "build_stack", "  0x%llx  %s[%llu]%*s0x%llx%s%s%s", (unsigned long long)at, name,
          (unsigned long long)i, i < 10 ? 3 : i < 100 ? 2 : 1, "", (unsigned long long)p,
          s ? " \"" : " (NULL)", s ? s : "", s ? "\"" : "");
  }
}

// n as decimal digits with a comma between groups of three ("1,422"), into buf.
static const char *with_commas(uint64_t n, char buf[32]) {
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
  int out = 0;
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      buf[out++] = ',';
    buf[out++] = digits[i];
  }
  buf[out] = '\0';
  return buf;
}

// The environment is dozens of lines that say nothing about loading (PATH, TERM, ...),
// so plain --trace folds it into one line with its count and size; --trace=all lists
// every pointer, like argv.
static void trace_envp(Ctx *ctx, uint64_t at, uint64_t envc) {
  if (ctx->trace_all || envc < 2) {
    trace_pointers(ctx, "envp", at, envc);
    return;
  }
  char bytes[32];
  trace(ctx, "build_stack", "  0x%llx  envp[0..%llu]: %llu strings, %s bytes (--trace=all lists them)",
        (unsigned long long)at, (unsigned long long)(envc - 1), (unsigned long long)envc,
        with_commas(ctx->env_end - ctx->env_start, bytes));
  trace(ctx, "build_stack", "  0x%llx  envp[%llu]%*s0x0 (NULL)", (unsigned long long)(at + 8 * envc),
        (unsigned long long)envc, envc < 10 ? 3 : envc < 100 ? 2 : 1, "");
}

static void trace_stack(Ctx *ctx, uint64_t envc, uint64_t nauxv, uint64_t platform,
                        uint64_t execfn) {
  if (!ctx->trace)
    return;
  trace(ctx, "build_stack", "the new stack (create_elf_tables), from rsp up to the top of [stack] at 0x%llx:",
        (unsigned long long)ctx->stack_top);
  trace(ctx, "build_stack", "  0x%llx  argc       %llu", (unsigned long long)ctx->sp,
        (unsigned long long)get_word(ctx, ctx->sp));
  trace_pointers(ctx, "argv", ctx->sp + 8, ctx->argc);
  trace_envp(ctx, ctx->sp + 8 * (ctx->argc + 2), envc);
  for (uint64_t i = 0; i < nauxv; i++) {
    uint64_t at = ctx->auxv_addr + 16 * i;
    trace(ctx, "build_stack", "  0x%llx  auxv[%llu]%*s%-20s 0x%llx", (unsigned long long)at,
          (unsigned long long)i, i < 10 ? 3 : 2, "", aux_name(get_word(ctx, at)),
          (unsigned long long)get_word(ctx, at + 8));
  }
  trace(ctx, "build_stack", "  0x%llx  AT_RANDOM  16 random bytes", (unsigned long long)ctx->random_addr);
  if (platform)
    trace(ctx, "build_stack", "  0x%llx  AT_PLATFORM \"%s\"", (unsigned long long)platform,
          (const char *)image_at(ctx, platform));
  char arg_bytes[32], env_bytes[32];
  trace(ctx, "build_stack", "  0x%llx  argument strings (%s bytes), then environment strings (%s bytes)",
        (unsigned long long)ctx->arg_start, with_commas(ctx->arg_end - ctx->arg_start, arg_bytes),
        with_commas(ctx->env_end - ctx->env_start, env_bytes));
  trace(ctx, "build_stack", "  0x%llx  AT_EXECFN  \"%s\"", (unsigned long long)execfn,
        (const char *)image_at(ctx, execfn));
  trace(ctx, "build_stack", "  0x%llx  end marker (8 zero bytes)",
        (unsigned long long)(ctx->stack_top - 8));
}

void build_stack(Ctx *ctx) {
  uint64_t envc = 0, arg_bytes = 0, env_bytes = 0;
  while (ctx->envp[envc])
    env_bytes += strlen(ctx->envp[envc++]) + 1;
  for (uint64_t i = 0; i < ctx->argc; i++)
    arg_bytes += strlen(ctx->argv[i]) + 1;
  const char *platform_str = (const char *)own_aux(ctx, AT_PLATFORM);

  // First decide where everything goes, top down, as create_elf_tables does, from
  // the top of the stack mapping that check_plan found (own_space.c).
  uint64_t p = ctx->stack_top - 8;            // the end marker
  uint64_t execfn = p -= strlen(ctx->path) + 1;
  ctx->env_start = p -= env_bytes;
  ctx->arg_start = p -= arg_bytes;
  ctx->arg_end = ctx->env_start;
  ctx->env_end = ctx->env_start + env_bytes;
  if (randomizing()) {
    uint16_t r = 0;
    if (getrandom(&r, sizeof r, 0) == sizeof r)
      p -= r % 8192;
  }
  p &= ~15ULL;
  uint64_t platform = 0;
  if (platform_str)
    platform = p -= strlen(platform_str) + 1;
  ctx->random_addr = p -= 16;
  Elf64_auxv_t auxv[MAX_AUXV];
  if (ctx->nauxv + AUXV_EXTRA > MAX_AUXV)
    fail(ctx, "the loader's auxiliary vector has %llu entries, more than %d",
         (unsigned long long)ctx->nauxv, MAX_AUXV - AUXV_EXTRA);
  uint64_t nauxv = make_auxv(ctx, auxv, execfn, platform, ctx->random_addr);
  uint64_t items = ctx->argc + 1 + envc + 1 + 1;  // argc, argv + NULL, envp + NULL
  ctx->sp = (p - nauxv * sizeof(Elf64_auxv_t) - items * 8) & ~15ULL;
  ctx->auxv_addr = ctx->sp + items * 8;
  ctx->auxv_size = nauxv * sizeof(Elf64_auxv_t);

  // The stack may grow only to RLIMIT_STACK (the kernel says E2BIG when the
  // arguments alone take more than a quarter of it).
  uint64_t size = ctx->stack_top - ctx->sp;
  struct rlimit rl;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && size > rl.rlim_cur / 4)
    fail(ctx, "arguments and environment (%llu bytes) do not fit in a quarter of the stack "
         "limit (%llu bytes)", (unsigned long long)size, (unsigned long long)rl.rlim_cur);

  // Then write the image, from the strings down to argc.
  ctx->image_map_len = page_up(size);
  void *image = mmap(NULL, ctx->image_map_len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (image == MAP_FAILED)
    fail(ctx, "cannot map 0x%llx bytes for the new stack: %s", (unsigned long long)size,
         strerror(errno));
  ctx->image = image;  // zero-filled: padding, the end marker
  put_string(ctx, execfn, ctx->path);
  put_word(ctx, ctx->sp, ctx->argc);
  uint64_t s = ctx->arg_start;
  for (uint64_t i = 0; i < ctx->argc; i++) {
    put_word(ctx, ctx->sp + 8 * (1 + i), s);
    s = put_string(ctx, s, ctx->argv[i]);
  }
  uint64_t envp = ctx->sp + 8 * (ctx->argc + 2);  // after argc, argv[], NULL
  for (uint64_t i = 0; i < envc; i++) {
    put_word(ctx, envp + 8 * i, s);
    s = put_string(ctx, s, ctx->envp[i]);
  }
  if (platform)
    put_string(ctx, platform, platform_str);
  if (getrandom(image_at(ctx, ctx->random_addr), 16, 0) != 16)
    fail(ctx, "cannot get 16 random bytes for AT_RANDOM: %s", strerror(errno));
  memcpy(image_at(ctx, ctx->auxv_addr), auxv, ctx->auxv_size);

  trace_stack(ctx, envc, nauxv, platform, execfn);

  if (ctx->exe.exec_stack) {
    // PROT_GROWSDOWN applies the change from this page down to the start of the
    // mapping, and pages the stack grows into later inherit it.
    uint64_t page = ctx->stack_top - PAGESZ;
    if (mprotect((void *)page, PAGESZ, PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN) < 0)
      fail(ctx, "cannot make the stack executable: %s", strerror(errno));
    trace(ctx, "build_stack", "PT_GNU_STACK has PF_X: the stack is now rwx");
  }
}
