/*
 * enter_program.c — after the point of no return.
 *
 * Everything the program needs is in place. What is left is to stop being the
 * loader: drop our own views of the files (the program never mapped them), show the
 * memory map if asked, tell the kernel to forget glibc's rseq area, and jump. None of
 * this can fail in a way that matters: from the jump on, the process is the
 * program's, and its exit status is the program's own.
 *
 * Why rseq: glibc (2.35 and later) registers a "restartable sequences" area for the
 * main thread at start-up, inside the loader's TLS block. The kernel writes the
 * current CPU number there on every context switch, forever, unless told to stop. If
 * we left it registered, the program's own libc could not register its area (the
 * kernel allows one per thread: glibc would quietly do without, musl never asks),
 * and the kernel would go on writing into the loader's memory, which nobody owns
 * any more.
 *
 * Reads the whole context; never returns.
 */
#include "loader.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void drop_views(Image *img) {
  if (img->file.size)
    munmap((void *)img->file.data, img->file.size);
  if (img->phdrs)
    munmap(img->phdrs, img->phnum * sizeof(Elf64_Phdr));
  img->file.data = NULL;
  img->phdrs = NULL;
}

// What a line of /proc/self/maps is, when it is something of the loader's that stays
// behind in the program's address space, or NULL. The program never looks at these,
// as it never looks at the kernel's memory, but a reader of the map should not
// mistake them for the program's.
static const char *leftover_label(Ctx *ctx, uint64_t start, uint64_t end) {
  if (start < ctx->self_hi && end > ctx->self_lo)
    return "mini-loader's own code and data (left behind, unused)";
  if (ctx->image && start < (uint64_t)ctx->image + ctx->image_map_len &&
      end > (uint64_t)ctx->image)
    return "mini-loader's scratch copy of the new stack (unmapped at the jump)";
  if (ctx->loader_brk && end == page_up(ctx->loader_brk) && start < end &&
      !(start < ctx->brk + PAGESZ && end > ctx->brk))
    return "mini-loader's heap: its TLS (left behind, unused)";
  return NULL;
}

// --maps: the program's memory as the kernel sees it, on stderr or in --maps=FILE,
// each line as /proc/self/maps has it, with a label after the loader's leftovers.
static void print_maps(Ctx *ctx) {
  static char buf[256 * 1024];  // static: no malloc here (loader.h)
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  size_t len = 0;
  ssize_t n;
  while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t)n;
  close(fd);
  buf[len] = '\0';
  for (char *line = buf; *line;) {
    char *nl = strchr(line, '\n');
    size_t line_len = nl ? (size_t)(nl - line) : strlen(line);
    unsigned long start = 0, end = 0;
    const char *label = NULL;
    if (sscanf(line, "%lx-%lx", &start, &end) == 2)
      label = leftover_label(ctx, start, end);
    write_all(ctx->maps_fd, line, line_len);
    if (label) {
      write_all(ctx->maps_fd, "   <- ", 6);
      write_all(ctx->maps_fd, label, strlen(label));
    }
    write_all(ctx->maps_fd, "\n", 1);
    if (!nl)
      break;
    line = nl + 1;
  }
  if (ctx->maps_fd != 2)
    close(ctx->maps_fd);
}

_Noreturn void enter_program(Ctx *ctx) {
  drop_views(&ctx->exe);
  if (ctx->exe.interp)
    drop_views(&ctx->interp);
  if (ctx->show_maps)
    print_maps(ctx);

  int err = arch_unregister_rseq();
  if (err)
    trace(ctx, "enter_program", "rseq: could not unregister glibc's area (%s)", strerror(err));
  else
    trace(ctx, "enter_program", "rseq: glibc's area unregistered");

  trace(ctx, "enter_program", "copying the new stack over ours, to [0x%llx, 0x%llx)",
        (unsigned long long)ctx->sp, (unsigned long long)ctx->stack_top);
  trace(ctx, "enter_program", "jumping to 0x%llx (%s entry) with rsp 0x%llx, rdx 0, "
        "every other register 0 (start_thread)",
        (unsigned long long)ctx->entry, ctx->exe.interp ? "the interpreter's" : "the program's",
        (unsigned long long)ctx->sp);
  arch_enter(ctx->entry, ctx->sp, ctx->image, ctx->stack_top - ctx->sp, ctx->image_map_len);
}
