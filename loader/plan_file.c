/*
 * plan_file.c — what the file's bytes alone say about loading it.
 *
 * read_headers and check_plan decide whether a file can be loaded, and how. Most
 * of that depends on nothing but the file's bytes: the ELF header, each program
 * header, the span of the PT_LOADs, the entry point. Those checks live here, as
 * pure functions: bytes in, a plan or a reason out, no descriptor, no mapping, no
 * exit. The steps call them one by one, with their narration and the checks that
 * depend on the process (is the span clear of the loader? is the interpreter a
 * regular file?) in between; plan_file() calls them all in the same order, which
 * is what tests/fuzz/fuzz_loader_check.c feeds arbitrary bytes to.
 *
 * Each check returns false with the reason in `why` (WHY_SIZE bytes), worded as
 * the failure line says it after `mini-loader: PROG: ` and the image's prefix
 * ("interpreter P: "). The rules, and why each matters, are in read_headers.c and
 * check_plan.c, next to the steps that apply them.
 *
 * Reads img->file; fills img->ehdr, img->phnum (plan_file: img->phdrs too),
 * img->align, img->phdr_vaddr, img->exec_stack, img->interp, img->lo, img->hi.
 */
#include "loader.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool say(char *why, const char *fmt, ...) FORMAT_PRINTF(2, 3);

// Words the reason into why; returns false, for `return say(...)`.
static bool say(char *why, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, WHY_SIZE, fmt, ap);
  va_end(ap);
  return false;
}

bool check_elf_header(View f, Elf64_Ehdr *eh, char *why) {
  if (!view_has(f, 0, SELFMAG) || memcmp(f.data, ELFMAG, SELFMAG) != 0) {
    // A script's interpreter that is a script itself: the kernel would nest.
    if (view_has(f, 0, 2) && f.data[0] == '#' && f.data[1] == '!')
      return say(why, "not an ELF file: a #! script (nested scripts are not supported)");
    return say(why, "not an ELF file (no \\177ELF magic)");
  }
  if (!view_has(f, 0, sizeof(Elf64_Ehdr)))
    return say(why, "ELF header is truncated: the file has %llu bytes, the header needs %zu",
               (unsigned long long)f.size, sizeof(Elf64_Ehdr));
  memcpy(eh, f.data, sizeof *eh);
  const unsigned char *id = eh->e_ident;
  if (id[EI_CLASS] != ELFCLASS64)
    return say(why, "not a 64-bit ELF file (EI_CLASS is %u, not ELFCLASS64)", id[EI_CLASS]);
  if (id[EI_DATA] != ELFDATA2LSB)
    return say(why, "not a little-endian ELF file (EI_DATA is %u, not ELFDATA2LSB)",
               id[EI_DATA]);
  if (id[EI_VERSION] != EV_CURRENT)
    return say(why, "unknown ELF version (EI_VERSION is %u, not EV_CURRENT)", id[EI_VERSION]);

  if (eh->e_machine != EM_X86_64)
    return say(why, "not an x86-64 program (e_machine is %u, not EM_X86_64)", eh->e_machine);
  if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
    return say(why, "not an executable (e_type is %s, not ET_EXEC or ET_DYN)",
               eh->e_type == ET_REL    ? "ET_REL"
               : eh->e_type == ET_CORE ? "ET_CORE"
                                       : etype_name(eh->e_type));
  if (eh->e_phentsize != sizeof(Elf64_Phdr))
    return say(why, "e_phentsize is %u, not %zu", eh->e_phentsize, sizeof(Elf64_Phdr));
  // load_elf_phdrs: "size == 0 || size > 65536" is ENOEXEC.
  uint64_t max_phnum = MAX_PHDR_BYTES / sizeof(Elf64_Phdr);
  if (eh->e_phnum < 1 || eh->e_phnum > max_phnum)
    return say(why, "e_phnum %u is not in [1, %llu]", eh->e_phnum,
               (unsigned long long)max_phnum);
  if (!view_has_table(f, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr)))
    return say(why, "program header table (e_phoff 0x%llx, %u entries) extends past end of file",
               (unsigned long long)eh->e_phoff, eh->e_phnum);
  return true;
}

// "program header 3 (PT_LOAD): " — every reason about a header names it this way.
#define PH_FMT "program header %llu (%s): "
#define PH_ARGS(i, ph) (unsigned long long)(i), phdr_type_name((ph)->p_type)

static bool check_load(Image *img, uint64_t i, const Elf64_Phdr *ph, const Elf64_Phdr *prev,
                       char *why) {
  if (!view_has(img->file, ph->p_offset, ph->p_filesz))
    return say(why, PH_FMT "file range [0x%llx, +0x%llx) extends past end of file (0x%llx bytes)",
               PH_ARGS(i, ph), (unsigned long long)ph->p_offset,
               (unsigned long long)ph->p_filesz, (unsigned long long)img->file.size);
  if (ph->p_filesz > ph->p_memsz)
    return say(why, PH_FMT "p_filesz 0x%llx is larger than p_memsz 0x%llx", PH_ARGS(i, ph),
               (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
  if (ph->p_vaddr > UINT64_MAX - ph->p_memsz)
    return say(why, PH_FMT "p_vaddr 0x%llx + p_memsz 0x%llx wraps around", PH_ARGS(i, ph),
               (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_memsz);
  if (ph->p_vaddr + ph->p_memsz > USER_ADDR_END)
    return say(why, PH_FMT "end 0x%llx is not in [0, 0x%llx]: above the user address space",
               PH_ARGS(i, ph), (unsigned long long)(ph->p_vaddr + ph->p_memsz),
               (unsigned long long)USER_ADDR_END);
  if (ph->p_vaddr % PAGESZ != ph->p_offset % PAGESZ)
    return say(why, PH_FMT "p_vaddr 0x%llx and p_offset 0x%llx differ modulo the page size 0x%llx",
               PH_ARGS(i, ph), (unsigned long long)ph->p_vaddr,
               (unsigned long long)ph->p_offset, (unsigned long long)PAGESZ);
  if (prev && ph->p_vaddr < prev->p_vaddr)
    return say(why, PH_FMT "p_vaddr 0x%llx is below the previous PT_LOAD's 0x%llx "
                           "(PT_LOADs must be sorted by address)",
               PH_ARGS(i, ph), (unsigned long long)ph->p_vaddr,
               (unsigned long long)prev->p_vaddr);
  if (prev && ph->p_vaddr < prev->p_vaddr + prev->p_memsz)
    return say(why, PH_FMT "[0x%llx, 0x%llx) overlaps the previous PT_LOAD [0x%llx, 0x%llx)",
               PH_ARGS(i, ph), (unsigned long long)ph->p_vaddr,
               (unsigned long long)(ph->p_vaddr + ph->p_memsz),
               (unsigned long long)prev->p_vaddr,
               (unsigned long long)(prev->p_vaddr + prev->p_memsz));
  // The kernel's maximum_alignment() ignores an alignment that is not a power of
  // two; so do we.
  if (ph->p_align > img->align && (ph->p_align & (ph->p_align - 1)) == 0)
    img->align = ph->p_align;
  // AT_PHDR: the kernel finds the program headers in the first PT_LOAD whose file
  // bytes contain e_phoff, and tells the program where that is in memory.
  uint64_t phoff = img->ehdr.e_phoff;
  if (!img->phdr_vaddr && ph->p_offset <= phoff && phoff - ph->p_offset < ph->p_filesz)
    img->phdr_vaddr = phoff - ph->p_offset + ph->p_vaddr;
  return true;
}

// Sets img->interp to the path, which lies inside the file's bytes.
static bool check_interp(Image *img, uint64_t i, const Elf64_Phdr *ph, char *why) {
  if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX)
    return say(why, PH_FMT "p_filesz %llu is not in [2, %d]", PH_ARGS(i, ph),
               (unsigned long long)ph->p_filesz, PATH_MAX);
  if (!view_has(img->file, ph->p_offset, ph->p_filesz))
    return say(why, PH_FMT "file range [0x%llx, +0x%llx) extends past end of file (0x%llx bytes)",
               PH_ARGS(i, ph), (unsigned long long)ph->p_offset,
               (unsigned long long)ph->p_filesz, (unsigned long long)img->file.size);
  const char *path = (const char *)img->file.data + ph->p_offset;
  if (path[ph->p_filesz - 1] != '\0')
    return say(why, PH_FMT "the interpreter's path does not end in NUL", PH_ARGS(i, ph));
  if (path[0] == '\0')
    return say(why, PH_FMT "the interpreter's path is empty", PH_ARGS(i, ph));
  img->interp = path;
  return true;
}

bool check_phdr(Image *img, uint64_t i, const Elf64_Phdr *prev, char *why) {
  const Elf64_Phdr *ph = &img->phdrs[i];
  if (ph->p_type == PT_LOAD)
    return check_load(img, i, ph, prev, why);
  if (ph->p_type == PT_INTERP && !img->interp)
    return check_interp(img, i, ph, why);  // the kernel, too, uses only the first
  if (ph->p_type == PT_GNU_STACK)
    img->exec_stack = (ph->p_flags & PF_X) != 0;
  return true;
}

bool check_span(Image *img, const Elf64_Phdr *first, const Elf64_Phdr *last, char *why) {
  if (!first)
    return say(why, "no PT_LOAD segment: nothing to load");
  img->lo = page_down(first->p_vaddr);
  img->hi = page_up(last->p_vaddr + last->p_memsz);
  return true;
}

bool check_entry(const Image *img, char *why) {
  uint64_t entry = img->ehdr.e_entry;
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && entry >= ph->p_vaddr &&
        entry - ph->p_vaddr < ph->p_memsz)
      return true;
  }
  return say(why, "entry point 0x%llx is not in an executable segment", (unsigned long long)entry);
}

bool plan_file(Image *img, char *why) {
  if (!check_elf_header(img->file, &img->ehdr, why))
    return false;
  img->phnum = img->ehdr.e_phnum;
  memcpy(img->phdrs, img->file.data + img->ehdr.e_phoff, img->phnum * sizeof(Elf64_Phdr));
  img->align = PAGESZ;
  const Elf64_Phdr *first = NULL, *prev = NULL;
  for (uint64_t i = 0; i < img->phnum; i++) {
    if (!check_phdr(img, i, prev, why))
      return false;
    if (img->phdrs[i].p_type == PT_LOAD) {
      if (!first)
        first = &img->phdrs[i];
      prev = &img->phdrs[i];
    }
  }
  return check_span(img, first, prev, why) && check_entry(img, why);
}
