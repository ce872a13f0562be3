/*
 * exe_file.c — making /proc/self/exe name the program (a sub-step of set_mm).
 *
 * The kernel remembers which file a process was exec'd from (mm->exe_file): it is
 * what /proc/self/exe links to, and programs use it. ld.so expands $ORIGIN in a
 * program's RUNPATH from it (that is how /usr/bin/jar finds ../lib/libjli.so); tools
 * re-exec themselves through it. After our execve it names mini-loader.
 *
 * prctl(PR_SET_MM_MAP) can change it (its exe_fd field), with one condition: nothing
 * may still be mapped from the old file ("Forbid mm->exe_file change if old file
 * still mapped", kernel/fork.c). But the loader is running from its own file
 * mappings! So first we turn each of them into an anonymous copy of itself, at the
 * same address, with the same protections:
 *
 *   1. mmap a fresh anonymous area and copy the mapping's bytes into it
 *   2. give the copy the mapping's protections (r-x for the code)
 *   3. mremap(copy, ..., MREMAP_FIXED, old address): the kernel swaps the copy in
 *      where the file mapping was, in one step
 *
 * Step 3 may replace the very code that is running: the instruction after the
 * syscall is fetched from the copy, which holds the same bytes. After that the
 * loader's file is no longer mapped, and set_mm's prctl can point exe_file at the
 * program. (/proc/self/maps shows the loader as anonymous memory from then on.)
 *
 * Changing exe_file needs CAP_CHECKPOINT_RESTORE (or CAP_SYS_ADMIN); without it the
 * program runs with /proc/self/exe still naming mini-loader, as --trace says, and
 * set_mm warns in one line when the program's RUNPATH needs it (runpath.c).
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

enum { MAX_OWN_MAPPINGS = 32, MAPS_BUF = 64 * 1024 };

typedef struct {
  uint64_t start, end;
  int prot;
} OwnMapping;

// Does [start, end) lie in the span reserved for an image (the program is mapped
// from the same file when it is mini-loader itself)?
static bool in_image(const Image *img, uint64_t start, uint64_t end) {
  return img->map_len && start < img->map_start + img->map_len && end > img->map_start;
}

// The loader's own mappings of the file at `self`, from /proc/self/maps; returns how
// many, or -1.
static int find_own_mappings(Ctx *ctx, const char *self, OwnMapping *out) {
  static char buf[MAPS_BUF];  // read whole before anything changes the map
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t len = 0;
  ssize_t n;
  while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t)n;
  close(fd);
  buf[len] = '\0';
  int count = 0;
  for (char *line = buf; *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    unsigned long start, end;
    char perms[8];
    int path_at = 0;
    if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, perms, &path_at) == 3 &&
        path_at > 0 && strcmp(line + path_at, self) == 0 && !in_image(&ctx->exe, start, end) &&
        !in_image(&ctx->interp, start, end)) {
      if (count == MAX_OWN_MAPPINGS)
        return -1;
      out[count++] = (OwnMapping){start, end,
                                  (perms[0] == 'r' ? PROT_READ : 0) |
                                      (perms[1] == 'w' ? PROT_WRITE : 0) |
                                      (perms[2] == 'x' ? PROT_EXEC : 0)};
    }
    if (!nl)
      break;
    line = nl + 1;
  }
  return count;
}

// Copies whole pages, word by word. The pages hold whatever the loader's image holds,
// including the gaps between variables that AddressSanitizer (in the sanitizer
// build) poisons, so this one copy is exempt from its checks; the volatile keeps the
// compiler from turning the loop back into a (checked) memcpy call.
__attribute__((no_sanitize("address"))) static void copy_pages(void *dst, const void *src,
                                                               size_t len) {
  volatile uint64_t *d = dst;
  const volatile uint64_t *s = src;
  for (size_t i = 0; i < len / 8; i++)
    d[i] = s[i];
}

// Replaces one file mapping by an anonymous one with the same bytes and protections.
static bool make_anonymous(const OwnMapping *m) {
  size_t len = m->end - m->start;
  if (!(m->prot & PROT_READ)) {
    // Nothing readable to keep (a guard page): plain anonymous memory will do.
    return mmap((void *)m->start, len, m->prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                0) != MAP_FAILED;
  }
  void *copy = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (copy == MAP_FAILED)
    return false;
  copy_pages(copy, (void *)m->start, len);
  if (mprotect(copy, len, m->prot) < 0 ||
      mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)m->start) == MAP_FAILED) {
    munmap(copy, len);
    return false;
  }
  return true;
}

bool detach_loader_file(Ctx *ctx) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    trace(ctx, "set_mm", "/proc/self/exe unreadable (%s): it stays as it is", strerror(errno));
    return false;
  }
  self[n] = '\0';
  OwnMapping own[MAX_OWN_MAPPINGS];
  int count = find_own_mappings(ctx, self, own);
  if (count < 0) {
    trace(ctx, "set_mm", "cannot list the loader's own mappings: /proc/self/exe stays %s", self);
    return false;
  }
  for (int i = 0; i < count; i++) {
    if (!make_anonymous(&own[i])) {
      trace(ctx, "set_mm", "cannot copy [0x%llx, 0x%llx) of %s (%s): /proc/self/exe stays",
            (unsigned long long)own[i].start, (unsigned long long)own[i].end, self,
            strerror(errno));
      return false;
    }
  }
  trace(ctx, "set_mm", "the loader's %d mappings of %s are now anonymous copies of themselves, "
        "so /proc/self/exe may change", count, self);
  return true;
}
