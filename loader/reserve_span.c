/*
 * reserve_span.c — choosing the load address and claiming the whole range.
 *
 * Where an image goes depends on what it is (load_elf_binary, "PIE handling"):
 *
 *   ET_EXEC                 at the addresses it was linked for: bias 0.
 *   ET_DYN with PT_INTERP   a PIE program: at ELF_ET_DYN_BASE (two thirds up the
 *                           address space, 0x555555554000 without ASLR), plus a random
 *                           number of pages when the kernel randomizes, rounded down
 *                           to the largest p_align.
 *   ET_DYN without one      a static-pie program or ld.so itself: wherever mmap puts
 *                           it (the mmap area, under the stack), aligned to p_align.
 *
 * Whatever the choice, the whole span [lo, hi) + bias is claimed first with ONE
 * PROT_NONE mapping. map_segments then maps each PT_LOAD with MAP_FIXED, which
 * silently replaces whatever is there: inside our own reservation that is harmless,
 * anywhere else it could destroy the loader's own memory. For ET_EXEC the reservation
 * uses MAP_FIXED_NOREPLACE, so a program linked on top of something already mapped
 * fails here, cleanly, instead of overwriting it.
 *
 * Reads img->lo, hi, align, ehdr.e_type, interp, ctx->stack_lo/top; fills img->bias,
 * map_start, map_len.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

// A small number from a /proc/sys file, or fallback if it cannot be read.
static uint64_t read_sysctl(const char *path, uint64_t fallback) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fallback;
  char buf[32];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return fallback;
  buf[n] = '\0';
  return strtoull(buf, NULL, 10);
}

// How much the kernel randomizes this process's layout: 0 under `setarch -R`
// (ADDR_NO_RANDOMIZE, which sets no PF_RANDOMIZE), else kernel.randomize_va_space.
int aslr_level(void) {
  int persona = personality(0xffffffff);
  if (persona != -1 && (persona & ADDR_NO_RANDOMIZE))
    return 0;
  return (int)read_sysctl("/proc/sys/kernel/randomize_va_space", 2);
}

bool randomizing(void) { return aslr_level() != 0; }

// arch_mmap_rnd(): mmap_rnd_bits (28 by default) random bits, counted in pages.
static uint64_t mmap_rnd(void) {
  uint64_t bits = read_sysctl("/proc/sys/vm/mmap_rnd_bits", 28);
  if (bits > 32)
    bits = 32;
  uint64_t r = 0;
  if (getrandom(&r, sizeof r, 0) != sizeof r)
    return 0;
  return (r & ((1ULL << bits) - 1)) * PAGESZ;
}

static void *reserve(uint64_t addr, uint64_t len, int extra_flags) {
  return mmap((void *)addr, len, PROT_NONE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra_flags, -1, 0);
}

// Exactly [addr, addr + len), or false if any of it is taken. Kernels before 4.17
// treat MAP_FIXED_NOREPLACE as a mere hint, so the result is checked too.
static bool reserve_at(uint64_t addr, uint64_t len) {
  void *p = reserve(addr, len, MAP_FIXED_NOREPLACE);
  if (p == MAP_FAILED)
    return false;
  if ((uint64_t)p != addr) {
    munmap(p, len);
    errno = EEXIST;
    return false;
  }
  return true;
}

// Anywhere mmap likes, aligned to align: ask for len + align - PAGESZ bytes, then
// give back the ends that stick out of the aligned part.
static uint64_t reserve_anywhere(Ctx *ctx, Image *img, uint64_t len) {
  uint64_t slack = img->align - PAGESZ;
  if (len > USER_ADDR_END || slack > USER_ADDR_END - len)
    fail(ctx, "%scannot reserve 0x%llx bytes aligned to 0x%llx: larger than the address space",
         img->what, (unsigned long long)len, (unsigned long long)img->align);
  void *p = reserve(0, len + slack, 0);
  if (p == MAP_FAILED)
    fail(ctx, "%scannot reserve 0x%llx bytes: %s", img->what, (unsigned long long)len,
         strerror(errno));
  uint64_t got = (uint64_t)p;
  uint64_t start = (got + img->align - 1) & ~(img->align - 1);
  if (start > got)
    munmap(p, start - got);
  if (got + len + slack > start + len)
    munmap((void *)(start + len), got + len + slack - (start + len));
  return start;
}

void reserve_span(Ctx *ctx, Image *img) {
  uint64_t len = img->hi - img->lo;
  uint64_t start;
  if (img->ehdr.e_type == ET_EXEC) {
    start = img->lo;
    trace(ctx, "reserve_span", "%s: ET_EXEC: linked for fixed addresses, bias 0", img->role);
    if (!reserve_at(start, len)) {
      int err = errno;
      fail(ctx, "%scannot reserve [0x%llx, 0x%llx): %s", img->what, (unsigned long long)start,
           (unsigned long long)(start + len),
           err == EEXIST ? "the range is already in use" : strerror(err));
    }
  } else if (img == &ctx->exe && img->interp) {
    bool rnd = randomizing();
    uint64_t base = ELF_ET_DYN_BASE + (rnd ? mmap_rnd() : 0);
    base &= ~(img->align - 1);
    start = page_down(base);
    trace(ctx, "reserve_span", "%s: ET_DYN with PT_INTERP (PIE): ELF_ET_DYN_BASE 0x%llx%s, "
          "aligned to 0x%llx: 0x%llx",
          img->role, (unsigned long long)ELF_ET_DYN_BASE,
          rnd ? " + random pages (ASLR)" : " (no ASLR)", (unsigned long long)img->align,
          (unsigned long long)start);
    if (!reserve_at(start, len)) {
      // Something is there already. Without ASLR it is always the loader's own brk
      // heap: the kernel put the brk of a static-pie (which the loader is) at
      // ELF_ET_DYN_BASE, and glibc's start-up allocated from it. So try the first
      // aligned place above our heap, and let mmap choose if that is taken too.
      uint64_t own_brk = page_up((uint64_t)syscall(SYS_brk, 0));
      uint64_t next = (own_brk + img->align - 1) & ~(img->align - 1);
      trace(ctx, "reserve_span", "%s: [0x%llx, 0x%llx) is taken (by the loader's own heap?): "
            "trying 0x%llx, just above the loader's brk", img->role, (unsigned long long)start,
            (unsigned long long)(start + len), (unsigned long long)next);
      if (next > start && next < USER_ADDR_END - len && reserve_at(next, len)) {
        start = next;
      } else {
        trace(ctx, "reserve_span", "%s: taken too: letting mmap choose", img->role);
        start = reserve_anywhere(ctx, img, len);
      }
    }
  } else {
    trace(ctx, "reserve_span", "%s: ET_DYN without PT_INTERP: placed wherever mmap chooses, "
          "aligned to 0x%llx", img->role, (unsigned long long)img->align);
    start = reserve_anywhere(ctx, img, len);
  }
  img->map_start = start;
  img->map_len = len;
  img->bias = start - img->lo;
  // NOREPLACE kept us off everything mapped, but not off the room below the stack,
  // which is not mapped yet: a huge PIE placed at ELF_ET_DYN_BASE can reach it.
  // (check_plan did this for ET_EXEC, whose place it knew.)
  if (img->ehdr.e_type != ET_EXEC)
    check_clear_of_loader(ctx, img, start, start + len);
  trace(ctx, "reserve_span", "%s: reserved [0x%llx, 0x%llx) PROT_NONE (%llu pages); load bias 0x%llx",
        img->role, (unsigned long long)start, (unsigned long long)(start + len),
        (unsigned long long)(len / PAGESZ), (unsigned long long)img->bias);
}
