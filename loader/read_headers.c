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
 * The file is mapped read-only and read through a View (STYLE §4); the headers are
 * copied out with memcpy, never used in place. The descriptor stays open: the
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

static void check_ident(Ctx *ctx, Image *img) {
  View f = img->file;
  if (!view_has(f, 0, SELFMAG) || memcmp(f.data, ELFMAG, SELFMAG) != 0) {
    // A script's interpreter that is a script itself: the kernel would nest.
    if (view_has(f, 0, 2) && f.data[0] == '#' && f.data[1] == '!')
      fail(ctx, "%snot an ELF file: a #! script (nested scripts are not supported)",
           img->what);
    fail(ctx, "%snot an ELF file (no \\177ELF magic)", img->what);
  }
  if (!view_has(f, 0, sizeof(Elf64_Ehdr)))
    fail(ctx, "%sELF header is truncated: the file has %llu bytes, the header needs %zu",
         img->what, (unsigned long long)f.size, sizeof(Elf64_Ehdr));
  memcpy(&img->ehdr, f.data, sizeof img->ehdr);
  const unsigned char *id = img->ehdr.e_ident;
  if (id[EI_CLASS] != ELFCLASS64)
    fail(ctx, "%snot a 64-bit ELF file (EI_CLASS is %u, not ELFCLASS64)", img->what,
         id[EI_CLASS]);
  if (id[EI_DATA] != ELFDATA2LSB)
    fail(ctx, "%snot a little-endian ELF file (EI_DATA is %u, not ELFDATA2LSB)", img->what,
         id[EI_DATA]);
  if (id[EI_VERSION] != EV_CURRENT)
    fail(ctx, "%sunknown ELF version (EI_VERSION is %u, not EV_CURRENT)", img->what,
         id[EI_VERSION]);
}

static void check_ehdr(Ctx *ctx, Image *img) {
  const Elf64_Ehdr *eh = &img->ehdr;
  if (eh->e_machine != EM_X86_64)
    fail(ctx, "%snot an x86-64 program (e_machine is %u, not EM_X86_64)", img->what,
         eh->e_machine);
  if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
    fail(ctx, "%snot an executable (e_type is %s, not ET_EXEC or ET_DYN)", img->what,
         eh->e_type == ET_REL ? "ET_REL" : eh->e_type == ET_CORE ? "ET_CORE"
                                                                   : etype_name(eh->e_type));
  if (eh->e_phentsize != sizeof(Elf64_Phdr))
    fail(ctx, "%se_phentsize is %u, not %zu", img->what, eh->e_phentsize,
         sizeof(Elf64_Phdr));
  // load_elf_phdrs: "size == 0 || size > 65536" is ENOEXEC.
  uint64_t max_phnum = MAX_PHDR_BYTES / sizeof(Elf64_Phdr);
  if (eh->e_phnum < 1 || eh->e_phnum > max_phnum)
    fail(ctx, "%se_phnum %u is not in [1, %llu]", img->what, eh->e_phnum,
         (unsigned long long)max_phnum);
  if (!view_has_table(img->file, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr)))
    fail(ctx, "%sprogram header table (e_phoff 0x%llx, %u entries) extends past end of file",
         img->what, (unsigned long long)eh->e_phoff, eh->e_phnum);
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
  check_ident(ctx, img);
  check_ehdr(ctx, img);
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
