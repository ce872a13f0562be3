/*
 * read_headers.c — the ELF header and the program header table.
 *
 * The first thing load_elf_binary() does is read the start of the file and decide
 * whether it is an ELF executable for this machine at all; load_elf_phdrs() then
 * reads the program header table. We do the same, field by field, in the order the
 * ELF header lays them out (gABI, "ELF Header"):
 *
 *   offset  field                      we need
 *   0x00    e_ident[EI_MAG0..3]        7f 'E' 'L' 'F'
 *   0x04    e_ident[EI_CLASS]          ELFCLASS64
 *   0x05    e_ident[EI_DATA]           ELFDATA2LSB (x86-64 is little-endian)
 *   0x06    e_ident[EI_VERSION]        EV_CURRENT
 *   0x10    e_type                     ET_EXEC (fixed addresses) or ET_DYN (PIE, ld.so)
 *   0x12    e_machine                  EM_X86_64
 *   0x18    e_entry                    (checked by check_plan)
 *   0x20    e_phoff                    the table must lie inside the file
 *   0x36    e_phentsize                sizeof(Elf64_Phdr) == 56
 *   0x38    e_phnum                    at least 1, at most 64 KiB of headers
 *
 * The checks themselves need nothing but the file's bytes, so they are in
 * plan_file.c (check_elf_header), where a fuzz harness can reach them. The file is
 * mapped read-only and read through a View (STYLE §4); the headers are copied out
 * with memcpy, never used in place. The descriptor stays open: the
 * segments are mapped from it later.
 *
 * Fills img->file, img->fd, img->dev, img->ino, img->ehdr, img->phdrs, img->phnum.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void open_file(Ctx *ctx, Image *img) {
  // O_NONBLOCK: check_executable has refused FIFOs, but the path may name one by now;
  // a blocking open would then wait for a writer for ever instead of failing below.
  // (It changes nothing for a regular file.)
  img->fd = open(img->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (img->fd < 0)
    fail(ctx, "%scannot open: %s", img->what, strerror(errno));
  struct stat st;
  if (fstat(img->fd, &st) < 0)
    fail(ctx, "%scannot stat: %s", img->what, strerror(errno));
  if (!S_ISREG(st.st_mode))
    fail(ctx, "%snot a regular file", img->what);
  img->dev = st.st_dev;
  img->ino = st.st_ino;
  static const uint8_t empty[1];
  img->file = (View){empty, (uint64_t)st.st_size, img->path};
  if (st.st_size == 0)
    return;  // nothing to map; check_ident says what is wrong with it
  void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, img->fd, 0);
  if (p == MAP_FAILED)
    fail(ctx, "%scannot map: %s", img->what, strerror(errno));
  img->file.data = p;
}

// Copies the table out of the file into pages of our own (mmap, not malloc: see
// loader.h), so no one reads a struct at an unaligned place in the mapping.
static void copy_phdrs(Ctx *ctx, Image *img) {
  img->phnum = img->ehdr.e_phnum;
  size_t bytes = img->phnum * sizeof(Elf64_Phdr);
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    fail(ctx, "%scannot allocate the program headers: %s", img->what, strerror(errno));
  memcpy(p, img->file.data + img->ehdr.e_phoff, bytes);
  img->phdrs = p;
}

void read_headers(Ctx *ctx, Image *img) {
  open_file(ctx, img);
  char why[WHY_SIZE];
  if (!check_elf_header(img->file, &img->ehdr, why))  // plan_file.c
    fail(ctx, "%s%s", img->what, why);
  copy_phdrs(ctx, img);

  const Elf64_Ehdr *eh = &img->ehdr;
  trace(ctx, "read_headers", "%s %s: %llu bytes, ELF64, little-endian, EV_CURRENT, EM_X86_64, %s "
        "(the checks at the top of load_elf_binary)",
        img->role, img->path, (unsigned long long)img->file.size, etype_name(eh->e_type));
  trace(ctx, "read_headers", "%s: e_entry 0x%llx, %u program headers of %u bytes at offset 0x%llx "
        "(load_elf_phdrs)",
        img->role, (unsigned long long)eh->e_entry, eh->e_phnum, eh->e_phentsize,
        (unsigned long long)eh->e_phoff);
}
