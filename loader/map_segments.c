/*
 * map_segments.c — each PT_LOAD from the file, with its own protections.
 *
 * mmap works in whole pages, so a segment is mapped from the page that holds its
 * first byte (that is why check_plan insisted on p_vaddr ≡ p_offset mod page size):
 *
 *   file:    |.... page ....|.... page ....|.... page ....|
 *                 ^p_offset          ^p_offset + p_filesz
 *   memory:  |.... page ....|.... page ....|.... page ....|.... page ....|
 *                 ^p_vaddr           ^ + p_filesz             ^ + p_memsz
 *            \____ file pages, MAP_PRIVATE from the fd ____/\_ anonymous _/
 *                                      (zero_bss clears this tail)
 *
 * The file part is mapped MAP_PRIVATE, so a write (to .data) copies the page and
 * never reaches the file. Pages wholly beyond p_filesz are anonymous: zero-filled,
 * with the segment's protections. Like elf_map() in the kernel, the protections come
 * straight from p_flags: PF_R → PROT_READ, PF_W → PROT_WRITE, PF_X → PROT_EXEC.
 *
 * After all segments are in, the parts of the reservation between segments are
 * given back (the kernel's elf_map unmaps them too), so /proc/self/maps looks as it
 * does under the kernel.
 *
 * Reads img->phdrs, img->bias, img->fd; closes img->fd.
 */
#include "loader.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void map_at(Ctx *ctx, Image *img, uint64_t addr, uint64_t len, int prot, int flags,
                   int fd, uint64_t off) {
  void *p = mmap((void *)addr, len, prot, flags | MAP_FIXED, fd, (off_t)off);
  if (p == MAP_FAILED)
    fail(ctx, "%scannot map [0x%llx, 0x%llx) %s: %s", img->what, (unsigned long long)addr,
         (unsigned long long)(addr + len), prot_name(prot), strerror(errno));
}

// Maps one PT_LOAD. prev_end is the page-aligned end of what earlier segments cover:
// a segment starting inside that page must not wipe out its earlier part.
static void map_one(Ctx *ctx, Image *img, uint64_t i, const Elf64_Phdr *ph, uint64_t prev_end) {
  int prot = prot_of(ph->p_flags);
  uint64_t start = ph->p_vaddr + img->bias;        // first byte of the segment
  uint64_t file_end = start + ph->p_filesz;        // first byte not from the file
  uint64_t mem_end = start + ph->p_memsz;          // first byte after the segment
  uint64_t page = page_down(start);

  trace(ctx, "map_segments", "%s: #%llu [0x%llx, 0x%llx) %s, file bytes [0x%llx, 0x%llx):",
        img->role, (unsigned long long)i, (unsigned long long)start,
        (unsigned long long)mem_end, prot_name(prot), (unsigned long long)ph->p_offset,
        (unsigned long long)(ph->p_offset + ph->p_filesz));
  if (ph->p_filesz > 0) {
    uint64_t len = page_up(file_end) - page;
    uint64_t off = page_down(ph->p_offset);
    map_at(ctx, img, page, len, prot, MAP_PRIVATE, img->fd, off);
    trace(ctx, "map_segments", "%s:     mmap(0x%llx, 0x%llx, %s, MAP_PRIVATE|MAP_FIXED, fd, 0x%llx)  (elf_map)",
          img->role, (unsigned long long)page, (unsigned long long)len, prot_name(prot),
          (unsigned long long)off);
  }
  // Whole pages past the file bytes: anonymous memory, already zero. (A segment
  // with no file bytes that starts in a page an earlier segment covers leaves that
  // page alone; zero_bss clears its part of it.)
  uint64_t anon = ph->p_filesz > 0 ? page_up(file_end) : page < prev_end ? prev_end : page;
  if (page_up(mem_end) > anon) {
    uint64_t len = page_up(mem_end) - anon;
    map_at(ctx, img, anon, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    trace(ctx, "map_segments", "%s:     mmap(0x%llx, 0x%llx, %s, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0)"
          "  bss: zero pages (vm_brk_flags)", img->role, (unsigned long long)anon, (unsigned long long)len,
          prot_name(prot));
  }
}

void map_segments(Ctx *ctx, Image *img) {
  uint64_t prev_end = img->map_start;  // end of what the previous segment covers
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type != PT_LOAD)
      continue;
    uint64_t page = page_down(ph->p_vaddr + img->bias);
    // Two segments may share a page (when one ends and the next starts in it, as
    // linkers that do not pad do). The later mapping wins that page, as in the kernel.
    if (page < prev_end && ph->p_memsz)
      trace(ctx, "map_segments", "%s: #%llu shares page 0x%llx with the previous segment",
            img->role, (unsigned long long)i, (unsigned long long)page);
    if (page > prev_end) {
      munmap((void *)prev_end, page - prev_end);
      trace(ctx, "map_segments", "%s: hole [0x%llx, 0x%llx) between segments given back",
            img->role, (unsigned long long)prev_end, (unsigned long long)page);
    }
    map_one(ctx, img, i, ph, prev_end);
    uint64_t end = page_up(ph->p_vaddr + img->bias + ph->p_memsz);
    if (end > prev_end)
      prev_end = end;
  }
  close(img->fd);
  img->fd = -1;
}
