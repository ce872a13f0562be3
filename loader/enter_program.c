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

// --maps: the program's memory as the kernel sees it, on stdout. (The loader's own
// mappings are still there too: its code, its heap, its TLS; the program never
// touches them.)
static void print_maps(void) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    write_all(1, buf, (size_t)n);
  close(fd);
}

_Noreturn void enter_program(Ctx *ctx) {
  drop_views(&ctx->exe);
  if (ctx->exe.interp)
    drop_views(&ctx->interp);
  if (ctx->show_maps)
    print_maps();

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
