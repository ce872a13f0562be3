/*
 * zero_bss.c — the part of .bss that shares a page with file bytes.
 *
 * A segment with p_memsz > p_filesz ends in .bss, which must start as zeros. The
 * whole pages of it are anonymous memory (map_segments), already zero. But the page
 * that holds the last file byte was mapped from the file, and mmap filled the rest of
 * that page with whatever follows the segment in the file (often .symtab or the next
 * section's bytes), not zeros:
 *
 *        last file page
 *   |....data....|######## file bytes after the segment ########|  anonymous pages ...
 *                ^p_vaddr + p_filesz                            ^page end
 *                \________ must be zero: .bss starts here _______/
 *
 * So we clear from p_vaddr + p_filesz to the end of that page, as the kernel's
 * padzero() does. Like the kernel, only when the page is writable: clearing a
 * read-only page would fault (the kernel ignores the failure; we do not try). If the
 * next segment starts in that same page, we stop where it starts.
 *
 * Reads img->phdrs, img->bias.
 */
#include "loader.h"

#include <string.h>

// Where the bytes to clear in segment ph start, and whether the page they are in is
// writable; false if ph has nothing to clear. prev is the PT_LOAD before ph, or NULL.
static bool bss_start(const Image *img, const Elf64_Phdr *ph, const Elf64_Phdr *prev,
                      uint64_t *from, bool *writable) {
  uint64_t start = ph->p_vaddr + img->bias;
  if (ph->p_filesz > 0 && ph->p_memsz > ph->p_filesz) {
    *from = start + ph->p_filesz;
    *writable = ph->p_flags & PF_W;
    return true;
  }
  if (ph->p_filesz == 0 && ph->p_memsz > 0 && prev &&
      page_down(start) < page_up(prev->p_vaddr + img->bias + prev->p_memsz)) {
    // All bss, starting in a page the previous segment mapped (map_segments left
    // that page to it): clear our part of it, if that mapping allows.
    *from = start;
    *writable = prev->p_flags & PF_W;
    return true;
  }
  return false;
}

void zero_bss(Ctx *ctx, Image *img) {
  const Elf64_Phdr *prev = NULL;  // the previous PT_LOAD
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type != PT_LOAD)
      continue;
    uint64_t from;
    bool writable;
    bool has_bss = bss_start(img, ph, prev, &from, &writable);
    prev = ph;
    if (!has_bss)
      continue;
    uint64_t to = page_up(from);
    // A later PT_LOAD starting in this page owns its bytes (they are sorted).
    for (uint64_t j = i + 1; j < img->phnum; j++) {
      const Elf64_Phdr *next = &img->phdrs[j];
      if (next->p_type == PT_LOAD && next->p_memsz) {
        if (next->p_vaddr + img->bias < to)
          to = next->p_vaddr + img->bias;
        break;
      }
    }
    if (from >= to)
      continue;  // the file part ends on a page boundary: nothing to clear
    if (!writable) {
      trace(ctx, "zero_bss", "%s: #%llu [0x%llx, 0x%llx) left as is: the page is not writable",
            img->role, (unsigned long long)i, (unsigned long long)from, (unsigned long long)to);
      continue;
    }
    memset((void *)from, 0, to - from);
    trace(ctx, "zero_bss", "%s: #%llu cleared [0x%llx, 0x%llx): the bss part of the last file page "
          "(%llu bytes, padzero)", img->role, (unsigned long long)i, (unsigned long long)from,
          (unsigned long long)to, (unsigned long long)(to - from));
  }
}
