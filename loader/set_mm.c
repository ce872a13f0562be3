/*
 * set_mm.c — telling the kernel about the new program.
 *
 * The kernel keeps, for each process, a few addresses that describe "the program":
 * where its code and data are, where the brk heap starts, where the arguments and
 * the environment are on the stack, and a copy of the auxv. load_elf_binary() sets
 * them for the program it loads; for us they still describe mini-loader. They matter:
 *
 *   start_brk, brk    brk(2) grows the heap from here; glibc's malloc uses it, and
 *                     /proc/self/maps calls the mapping [heap]. The kernel puts it
 *                     just after the highest PT_LOAD, plus a random gap when
 *                     randomize_va_space is 2 (see randomize_brk); so do we.
 *   arg_*, env_*      what /proc/self/cmdline and /proc/self/environ read (ps too)
 *   auxv              what /proc/self/auxv shows
 *   exe_file          what /proc/self/exe links to (see exe_file.c)
 *   start_code ...    /proc/self/stat fields; set exactly as the kernel computes them
 *
 * One prctl(PR_SET_MM, PR_SET_MM_MAP) sets them all at once (it exists for CRIU, which
 * restores processes the same way; it needs CONFIG_CHECKPOINT_RESTORE). The name in
 * /proc/self/comm, which the kernel sets to the file's basename, is PR_SET_NAME.
 * Neither is essential to running the program, so a refusal is narrated under
 * --trace and the program runs anyway.
 *
 * Reads ctx->exe (placed), ctx->sp and the stack ranges; fills ctx->brk.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>

// arch_randomize_brk's range on x86-64 (arch/x86/kernel/process.c).
#define BRK_RANDOM_RANGE (32ULL << 20)

// The code/data bounds the kernel reports in /proc/PID/stat, computed as in
// load_elf_binary: code = the executable PT_LOADs' file bytes; start_data = the
// highest PT_LOAD's start, end_data = the highest end of file bytes.
static void code_and_data(const Image *img, struct prctl_mm_map *map) {
  uint64_t start_code = UINT64_MAX, end_code = 0, start_data = 0, end_data = 0;
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type != PT_LOAD)
      continue;
    uint64_t k = ph->p_vaddr;
    if ((ph->p_flags & PF_X) && k < start_code)
      start_code = k;
    if (start_data < k)
      start_data = k;
    k = ph->p_vaddr + ph->p_filesz;
    if ((ph->p_flags & PF_X) && end_code < k)
      end_code = k;
    if (end_data < k)
      end_data = k;
  }
  map->start_code = start_code + img->bias;
  map->end_code = end_code + img->bias;
  map->start_data = start_data + img->bias;
  map->end_data = end_data + img->bias;
}

// The heap's random start, as load_elf_binary gives it when the process randomizes
// (PF_RANDOMIZE, i.e. not `setarch -R`) and kernel.randomize_va_space is above 1:
// arch_randomize_brk() moves brk up by a random number of whole pages, less than
// 32 MiB on x86-64 (randomize_page(mm->brk, SZ_32M)). Level 1 randomizes the stack,
// mmap and the PIE base, but not the heap.
static uint64_t randomize_brk(Ctx *ctx, uint64_t brk) {
  int level = aslr_level();
  if (level < 2) {
    trace(ctx, "set_mm", "the heap is not randomized (randomize_va_space %d%s)", level,
          level == 0 ? " or setarch -R" : "");
    return brk;
  }
  uint64_t range_pages = BRK_RANDOM_RANGE / PAGESZ, r = 0;
  if (getrandom(&r, sizeof r, 0) != sizeof r)
    return brk;
  uint64_t gap = r % range_pages * PAGESZ;
  trace(ctx, "set_mm", "the heap starts 0x%llx bytes (%llu pages) above 0x%llx: a random gap "
        "below 32 MiB (arch_randomize_brk, randomize_va_space 2)",
        (unsigned long long)gap, (unsigned long long)(gap / PAGESZ), (unsigned long long)brk);
  return brk + gap;
}

static uint64_t choose_brk(Ctx *ctx) {
  const Image *exe = &ctx->exe;
  // The loader has not allocated from its brk heap since main() started (loader.h
  // explains why); this checks it.
  uint64_t own = (uint64_t)syscall(SYS_brk, 0);
  if (own == ctx->loader_brk)
    trace(ctx, "set_mm", "the loader's own brk is still 0x%llx, where it was when main() "
          "started: nothing of ours is on the heap", (unsigned long long)own);
  else
    trace(ctx, "set_mm", "warning: the loader's own brk moved from 0x%llx to 0x%llx",
          (unsigned long long)ctx->loader_brk, (unsigned long long)own);
  if (exe->ehdr.e_type == ET_DYN && !exe->interp) {
    // A static-pie: the kernel moves its brk away from the program, to
    // ELF_ET_DYN_BASE. The loader is a static-pie too, so its own brk is there
    // already, and glibc's start-up has used the first part of it: the program's
    // heap starts right after that.
    trace(ctx, "set_mm", "static-pie: its brk goes where the kernel put ours (the "
          "ELF_ET_DYN_BASE area), after the loader's own heap");
    return randomize_brk(ctx, page_up(own));
  }
  return randomize_brk(ctx, exe->hi + exe->bias);  // page-aligned end of the highest PT_LOAD
}

void set_mm(Ctx *ctx) {
  struct prctl_mm_map map;
  memset(&map, 0, sizeof map);
  code_and_data(&ctx->exe, &map);
  ctx->brk = choose_brk(ctx);
  map.start_brk = map.brk = ctx->brk;
  map.start_stack = ctx->sp;
  map.arg_start = ctx->arg_start;
  map.arg_end = ctx->arg_end;
  map.env_start = ctx->env_start;
  map.env_end = ctx->env_end;
  // The kernel copies the auxv at once, so it may come from the image; the other
  // addresses are final ones, valid once arch_enter has copied the image into place.
  map.auxv = (__u64 *)image_at(ctx, ctx->auxv_addr);
  map.auxv_size = (uint32_t)ctx->auxv_size;
  // /proc/self/exe: the program's file, if the loader's own can be let go of.
  int fd = detach_loader_file(ctx) ? open(ctx->exe.path, O_RDONLY | O_CLOEXEC) : -1;
  map.exe_fd = (uint32_t)fd;

  int ok = prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof map, 0);
  bool exe_changed = ok == 0 && fd >= 0;
  if (ok < 0 && fd >= 0) {
    trace(ctx, "set_mm", "prctl(PR_SET_MM_MAP) with exe_fd refused (%s): /proc/self/exe "
          "stays mini-loader", strerror(errno));
    map.exe_fd = (uint32_t)-1;
    ok = prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof map, 0);
  } else if (ok == 0 && fd >= 0) {
    trace(ctx, "set_mm", "prctl(PR_SET_MM_MAP): /proc/self/exe is now %s", ctx->exe.path);
  }
  if (fd >= 0)
    close(fd);
  if (ok == 0)
    trace(ctx, "set_mm", "prctl(PR_SET_MM_MAP): brk 0x%llx, code [0x%llx, 0x%llx), "
          "data [0x%llx, 0x%llx), args [0x%llx, 0x%llx), env [0x%llx, 0x%llx), auxv 0x%llx",
          (unsigned long long)map.brk, (unsigned long long)map.start_code,
          (unsigned long long)map.end_code, (unsigned long long)map.start_data,
          (unsigned long long)map.end_data, (unsigned long long)map.arg_start,
          (unsigned long long)map.arg_end, (unsigned long long)map.env_start,
          (unsigned long long)map.env_end, (unsigned long long)ctx->auxv_addr);
  else
    trace(ctx, "set_mm", "prctl(PR_SET_MM_MAP) refused (%s): brk, /proc/self/cmdline and "
          "/proc/self/auxv stay the loader's", strerror(errno));

  // Said whether or not --trace is on: such a program is about to run, but ld.so
  // will look for its libraries in the wrong directory (runpath.c).
  if (!exe_changed && ctx->exe.origin_path)
    warning(ctx, "its RUNPATH %s will be resolved next to mini-loader: /proc/self/exe still "
            "names mini-loader (changing it needs CAP_CHECKPOINT_RESTORE, normally root)",
            ctx->exe.origin_path);

  // comm is the basename of the file, cut to 15 bytes by the kernel (TASK_COMM_LEN).
  const char *slash = strrchr(ctx->path, '/');
  const char *name = slash ? slash + 1 : ctx->path;
  if (prctl(PR_SET_NAME, name, 0, 0, 0) == 0)
    trace(ctx, "set_mm", "prctl(PR_SET_NAME, \"%.15s\"): /proc/self/comm", name);
  else
    trace(ctx, "set_mm", "prctl(PR_SET_NAME) refused (%s)", strerror(errno));
}
