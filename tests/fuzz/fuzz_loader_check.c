// libFuzzer harness: mini-loader's checking step as a pure function. plan_file()
// (loader/plan_file.c) takes a file's bytes to a mapping plan or a reason, with the
// same checks, in the same order, that read_headers and check_plan apply before
// anything is mapped. Any input must give one or the other, never a crash; and a
// plan must keep the promises the mapping steps rely on, which are checked here:
//
//   - lo and hi are page-aligned, lo < hi <= USER_ADDR_END, and every PT_LOAD's
//     [p_vaddr, p_vaddr + p_memsz) lies inside [lo, hi);
//   - every PT_LOAD's file bytes are inside the file, p_filesz <= p_memsz, and
//     p_vaddr ≡ p_offset modulo the page size;
//   - PT_LOADs are sorted and do not overlap;
//   - align is a power of two, at least a page;
//   - the entry point is inside an executable PT_LOAD;
//   - the interpreter's path, if any, is a non-empty string inside the file.
// A reason must be one non-empty line.
#include "../../loader/loader.h"

#include <stdlib.h>
#include <string.h>

static void expect(bool ok) {
  if (!ok)
    abort();
}

static void check_promises(const Image *img) {
  expect(img->lo % PAGESZ == 0 && img->hi % PAGESZ == 0);
  expect(img->lo < img->hi && img->hi <= USER_ADDR_END);
  expect(img->align >= PAGESZ && (img->align & (img->align - 1)) == 0);
  const Elf64_Phdr *prev = NULL;
  bool entry_ok = false;
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type != PT_LOAD)
      continue;
    expect(view_has(img->file, ph->p_offset, ph->p_filesz));
    expect(ph->p_filesz <= ph->p_memsz);
    expect(ph->p_vaddr % PAGESZ == ph->p_offset % PAGESZ);
    expect(ph->p_vaddr >= img->lo && ph->p_memsz <= img->hi - ph->p_vaddr);
    if (prev)
      expect(ph->p_vaddr >= prev->p_vaddr + prev->p_memsz);
    if ((ph->p_flags & PF_X) && img->ehdr.e_entry >= ph->p_vaddr &&
        img->ehdr.e_entry - ph->p_vaddr < ph->p_memsz)
      entry_ok = true;
    prev = ph;
  }
  expect(entry_ok);
  if (img->interp) {
    const uint8_t *p = (const uint8_t *)img->interp;
    expect(p >= img->file.data && p < img->file.data + img->file.size);
    size_t room = (size_t)(img->file.data + img->file.size - p);
    expect(img->interp[0] != '\0' && memchr(p, '\0', room) != NULL);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Elf64_Phdr phdrs[MAX_PHDR_BYTES / sizeof(Elf64_Phdr)];
  Image img = {.file = {data, size, "fuzz"}, .phdrs = phdrs};
  char why[WHY_SIZE];
  why[0] = '\0';
  if (plan_file(&img, why))
    check_promises(&img);
  else
    expect(why[0] != '\0' && !strchr(why, '\n'));
  return 0;
}
