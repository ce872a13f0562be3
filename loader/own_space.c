/*
 * own_space.c — the memory a program must leave alone (a sub-step of check_plan).
 *
 * When the kernel execs a program, the old one is gone: the new address space holds
 * nothing but the stack (and the vDSO). Ours is not empty. Two things in it must
 * survive until the jump, and the program's segments must not land on them:
 *
 *   mini-loader itself   our code and data, [__ehdr_start, _end) as the linker that
 *                        built us defines those symbols. Mapping the program over
 *                        them would replace the code that is doing the mapping.
 *   the stack            the [stack] mapping the kernel made, which build_stack
 *                        reuses for the program, and the room below it that the
 *                        stack may grow into: RLIMIT_STACK (ulimit -s), at most
 *                        128 MiB. A segment there would not be refused by mmap (the
 *                        room is not mapped yet), but the program's stack could not
 *                        grow past it: a crash, much later, far from the cause.
 *
 *     stack_top  +------------------+  end of [stack] (AT_EXECFN's page)
 *                | the stack        |
 *     stack_lo   +- - - - - - - - - +  stack_top - min(RLIMIT_STACK, 128 MiB)
 *                .     ...          .
 *                | mini-loader      |  in the mmap area, below the stack's room
 *                +------------------+
 *
 * The kernel keeps mmap_base at least RLIMIT_STACK plus a guard gap below the top of
 * the stack (mm/util.c, mmap_base()), so nothing mmap places (ld.so, a static-pie)
 * ever lands in the stack's room: only a program linked for fixed addresses, or a
 * huge PIE, can. Above 128 MiB (or with no limit at all) we stop counting: the
 * kernel then keeps just 128 MiB free for sure (MIN_GAP), and a larger room would
 * refuse programs the kernel places without a second thought.
 *
 * Other memory of ours (the file views, the brk heap) is caught by reserve_span's
 * MAP_FIXED_NOREPLACE, with a plainer message.
 *
 * Reads ctx->auxv, ctx->envp; fills ctx->self_lo, self_hi, stack_lo, stack_top.
 */
#include "loader.h"

#include <string.h>
#include <sys/resource.h>

// Defined by the linker that linked mini-loader: the first byte of its ELF header and
// the end of its .bss. (GNU ld, gold, lld and mold all define both.)
extern const char __ehdr_start[];
extern const char _end[];

// The most stack room we insist on; the kernel's MIN_GAP for mmap_base.
#define STACK_ROOM_MAX (128ULL << 20)

static uint64_t own_aux(Ctx *ctx, uint64_t type) {
  for (uint64_t i = 0; i < ctx->nauxv; i++)
    if (ctx->auxv[i].a_type == type)
      return ctx->auxv[i].a_un.a_val;
  return 0;
}

// The kernel's stack mapping holds the loader's own AT_EXECFN string, which the
// kernel put just below the end marker at its very top; returns the end of the page
// holding that string's NUL.
static uint64_t find_stack_top(Ctx *ctx) {
  uint64_t s = own_aux(ctx, AT_EXECFN);
  if (!s)
    s = (uint64_t)ctx->envp;
  return page_down(s + strlen((const char *)s)) + PAGESZ;
}

void find_own_space(Ctx *ctx) {
  ctx->self_lo = page_down((uint64_t)__ehdr_start);
  ctx->self_hi = page_up((uint64_t)_end);
  ctx->stack_top = find_stack_top(ctx);
  struct rlimit rl;
  uint64_t room = STACK_ROOM_MAX;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      rl.rlim_cur < STACK_ROOM_MAX)
    room = page_up(rl.rlim_cur);
  ctx->stack_lo = ctx->stack_top > room ? ctx->stack_top - room : 0;
  trace(ctx, "check_plan", "mini-loader itself is at [0x%llx, 0x%llx); the stack ends at 0x%llx "
        "and may grow down to 0x%llx (RLIMIT_STACK, at most 128 MiB): the program must keep "
        "out of both", (unsigned long long)ctx->self_lo, (unsigned long long)ctx->self_hi,
        (unsigned long long)ctx->stack_top, (unsigned long long)ctx->stack_lo);
}

void check_clear_of_loader(Ctx *ctx, const Image *img, uint64_t lo, uint64_t hi) {
  if (lo < ctx->self_hi && hi > ctx->self_lo)
    fail(ctx, "%ssegments [0x%llx, 0x%llx) overlap mini-loader itself [0x%llx, 0x%llx)",
         img->what, (unsigned long long)lo, (unsigned long long)hi,
         (unsigned long long)ctx->self_lo, (unsigned long long)ctx->self_hi);
  if (lo < ctx->stack_top && hi > ctx->stack_lo)
    fail(ctx, "%ssegments [0x%llx, 0x%llx) overlap the stack and the room it may grow into "
              "[0x%llx, 0x%llx)",
         img->what, (unsigned long long)lo, (unsigned long long)hi,
         (unsigned long long)ctx->stack_lo, (unsigned long long)ctx->stack_top);
}
