/*
 * write_output.c — the executable, byte by byte.
 *
 *   +---------------------+ 0
 *   | ELF header          | e_entry, e_phoff, e_shoff
 *   | program headers     | what the kernel reads: PT_LOAD, PT_NOTE, PT_GNU_STACK
 *   +---------------------+
 *   | .note.* .text ...   | allocated sections, at the offsets layout() chose
 *   | .rodata .data ...   |
 *   +---------------------+
 *   | .comment .debug_*   | sections the program never sees
 *   | .symtab .strtab     | for nm, gdb, objdump (omitted with -s)
 *   | .shstrtab           |
 *   | section headers     | what readelf -S reads
 *   +---------------------+
 *
 * The file is built in a temporary file next to the output, sized once and mapped,
 * so each section is copied straight into place and relocated there. Only when
 * everything succeeded is it renamed over the output: a failed link leaves no file
 * behind and never clobbers the previous one.
 *
 * Reads everything; writes the file named by ctx->opt.output.
 */
#include "../ld.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The temporary file, removed by the diag cleanup hook if the link dies before the
// rename. The one piece of process state outside Ctx: a fatal() anywhere must be
// able to find it.
static char *temp_path;

static void remove_temp(void) {
  if (temp_path)
    unlink(temp_path);
  free(temp_path);
  temp_path = NULL;
}

static void write_ehdr(Ctx *ctx, uint8_t *out, uint64_t shoff, uint32_t shnum, uint32_t shstrndx) {
  Elf64_Ehdr eh = {0};
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  // GNU ld marks executables that use GNU extensions to the gABI (IFUNC) as GNU/Linux.
  eh.e_ident[EI_OSABI] = has_synthetic(ctx, SYN_IPLT) ? ELFOSABI_GNU : ELFOSABI_NONE;
  eh.e_type = ctx->opt.pie ? ET_DYN : ET_EXEC;
  eh.e_machine = EM_X86_64;
  eh.e_version = EV_CURRENT;
  eh.e_entry = ctx->entry;
  eh.e_phoff = ctx->phdrs_offset;
  eh.e_shoff = shoff;
  eh.e_ehsize = sizeof(Elf64_Ehdr);
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = (uint16_t)ctx->nsegs;
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = (uint16_t)shnum;
  eh.e_shstrndx = (uint16_t)shstrndx;
  memcpy(out, &eh, sizeof eh);
}

static void write_phdrs(Ctx *ctx, uint8_t *out) {
  for (size_t i = 0; i < ctx->nsegs; i++) {
    Segment *seg = &ctx->segs[i];
    Elf64_Phdr ph = {
      .p_type = seg->p_type, .p_flags = seg->p_flags, .p_offset = seg->p_offset,
      .p_vaddr = seg->p_vaddr, .p_paddr = seg->p_paddr, .p_filesz = seg->p_filesz,
      .p_memsz = seg->p_memsz, .p_align = seg->p_align,
    };
    memcpy(out + ctx->phdrs_offset + i * sizeof ph, &ph, sizeof ph);
  }
}

// Copies the kept records of one .eh_frame member and relocates them in place; each
// FDE's CIE pointer is rewritten for the distance to where its CIE went.
static void copy_eh_frame_records(Ctx *ctx, InputSection *isec, uint8_t *osec_out) {
  for (uint64_t i = 0; i < isec->neh; i++) {
    const EhRecord *rec = &isec->eh[i];
    if (!rec->kept)
      continue;
    uint8_t *dst = osec_out + rec->out_off;
    memcpy(dst, isec->data.data + rec->in_off, rec->size);
    if (!rec->is_cie)
      write_u32le(dst + rec->id_off, (uint32_t)(rec->out_off + rec->id_off - rec->cie_out));
    apply_relocs(ctx, isec, dst, rec);
  }
}

// Copies each member's bytes into the image and relocates them in place. The
// linker-made sections of ld/synthetic/ are written afterwards, by their own code
// (write_synthetic_sections); those whose contents were made while sizing them
// (isec->synthetic) are copied here like any other.
static void copy_sections(Ctx *ctx, uint8_t *out) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->sh_type == SHT_NOBITS)
      continue;
    for (size_t j = 0; j < osec->members.len; j++) {
      InputSection *isec = osec->members.data[j];
      if (isec->sh_type == SHT_NOBITS)
        continue;  // its space is already zero
      if (isec->eh) {
        copy_eh_frame_records(ctx, isec, out + osec->offset);
        continue;
      }
      uint8_t *dst = out + osec->offset + isec->offset;
      const uint8_t *src = isec->synthetic ? isec->synthetic : isec->data.data;
      if (isec->sh_size && src)
        memcpy(dst, src, isec->sh_size);
      if (isec->nrels)
        apply_relocs(ctx, isec, dst, NULL);
    }
  }
}

static void write_shdr(uint8_t *out, uint64_t shoff, uint32_t idx, const Elf64_Shdr *sh) {
  memcpy(out + shoff + idx * sizeof *sh, sh, sizeof *sh);
}

// Creates the temporary file in the output's directory (so rename() is atomic) and
// maps it. Returns the mapping.
// An output that exists and is not a regular file (/dev/null, a pipe, a terminal)
// must not be replaced by renaming a new file over it: like GNU ld, we write into
// it instead. (Renaming over /dev/null would replace the device with a file.)
static bool is_special_output(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

// Creates the temporary file in the output's directory (so rename() is atomic) and
// maps it; for a special output, just memory. Returns the mapping; *fd_out is -1
// for a special output.
static uint8_t *create_output(Ctx *ctx, uint64_t size, int *fd_out) {
  const char *out = ctx->opt.output;
  if (is_special_output(out)) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
      fatal("out of memory");
    *fd_out = -1;
    return p;
  }
  temp_path = malloc(strlen(out) + 16);
  if (!temp_path)
    fatal("out of memory");
  sprintf(temp_path, "%s.tmp.XXXXXX", out);
  diag_set_cleanup(remove_temp);
  int fd = mkstemp(temp_path);
  if (fd < 0) {
    free(temp_path);
    temp_path = NULL;
    fatal("%s: cannot create: %s", out, strerror(errno));
  }
  if (ftruncate(fd, (off_t)size) < 0)
    fatal("%s: cannot set size: %s", out, strerror(errno));
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED)
    fatal("%s: cannot map: %s", out, strerror(errno));
  *fd_out = fd;
  return p;
}

// Writes the finished image to a special output, in place.
static void write_special_output(Ctx *ctx, const uint8_t *image, uint64_t size) {
  const char *out = ctx->opt.output;
  int fd = open(out, O_WRONLY | O_TRUNC);
  if (fd < 0)
    fatal("%s: cannot open: %s", out, strerror(errno));
  for (uint64_t done = 0; done < size;) {
    ssize_t n = write(fd, image + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      fatal("%s: cannot write: %s", out, n < 0 ? strerror(errno) : "short write");
    done += (uint64_t)n;
  }
  if (close(fd) < 0)
    fatal("%s: cannot write: %s", out, strerror(errno));
}

void write_output(Ctx *ctx) {
  Buf symtab = {0};
  StringTable strtab = {0}, shstrtab = {0};
  uint32_t first_global = 0;
  if (!ctx->opt.strip_all)
    first_global = build_symtab(ctx, &symtab, &strtab);

  // Section names, and where the trailing tables go.
  add_string(&shstrtab, "");
  uint32_t *names = arena_array(&ctx->arena, ctx->osecs.len, sizeof(uint32_t));
  for (size_t i = 0; i < ctx->osecs.len; i++)
    names[i] = add_string(&shstrtab, ((OutputSection *)ctx->osecs.data[i])->name);
  uint32_t symtab_name = 0, strtab_name = 0;
  if (!ctx->opt.strip_all) {
    symtab_name = add_string(&shstrtab, ".symtab");
    strtab_name = add_string(&shstrtab, ".strtab");
  }
  uint32_t shstrtab_name = add_string(&shstrtab, ".shstrtab");

  uint64_t off = ctx->file_size;
  uint64_t symtab_off = off = align_to(off, 8);
  off += symtab.len;
  uint64_t strtab_off = off;
  off += strtab.buf.len;
  uint64_t shstrtab_off = off;
  off += shstrtab.buf.len;
  uint64_t shoff = align_to(off, 8);
  uint32_t nosecs = (uint32_t)ctx->osecs.len;
  uint32_t shnum = 1 + nosecs + (ctx->opt.strip_all ? 0 : 2) + 1;
  uint64_t size = shoff + (uint64_t)shnum * sizeof(Elf64_Shdr);

  int fd;
  uint8_t *out = create_output(ctx, size, &fd);
  ctx->image = out;
  ctx->image_size = size;
  write_ehdr(ctx, out, shoff, shnum, shnum - 1);
  write_phdrs(ctx, out);

  for (uint32_t i = 0; i < nosecs; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    Elf64_Shdr sh = {
      .sh_name = names[i], .sh_type = osec->sh_type, .sh_flags = osec->sh_flags,
      .sh_addr = osec->addr, .sh_offset = osec->offset, .sh_size = osec->size,
      .sh_addralign = osec->sh_addralign, .sh_entsize = osec->sh_entsize,
    };
    synthetic_shdr_links(ctx, osec, &sh);
    write_shdr(out, shoff, osec->shndx, &sh);
  }
  uint32_t idx = nosecs + 1;
  if (!ctx->opt.strip_all) {
    memcpy(out + symtab_off, symtab.data, symtab.len);
    memcpy(out + strtab_off, strtab.buf.data, strtab.buf.len);
    Elf64_Shdr sh = {
      .sh_name = symtab_name, .sh_type = SHT_SYMTAB, .sh_offset = symtab_off,
      .sh_size = symtab.len, .sh_link = idx + 1, .sh_info = first_global, .sh_addralign = 8,
      .sh_entsize = sizeof(Elf64_Sym),
    };
    write_shdr(out, shoff, idx++, &sh);
    Elf64_Shdr st = {
      .sh_name = strtab_name, .sh_type = SHT_STRTAB, .sh_offset = strtab_off,
      .sh_size = strtab.buf.len, .sh_addralign = 1,
    };
    write_shdr(out, shoff, idx++, &st);
  }
  memcpy(out + shstrtab_off, shstrtab.buf.data, shstrtab.buf.len);
  Elf64_Shdr ss = {
    .sh_name = shstrtab_name, .sh_type = SHT_STRTAB, .sh_offset = shstrtab_off,
    .sh_size = shstrtab.buf.len, .sh_addralign = 1,
  };
  write_shdr(out, shoff, idx, &ss);
  free(symtab.data);
  free_string_table(&strtab);
  free_string_table(&shstrtab);

  // The sections' bytes, relocated; then the linker's own sections, which may read
  // them (.eh_frame_hdr indexes the relocated .eh_frame; the build ID, last, hashes
  // everything).
  copy_sections(ctx, out);
  write_synthetic_sections(ctx, out);

  // Relocation overflows were recorded while the sections were copied; a link with
  // errors must not produce a file.
  if (error_count()) {
    remove_temp();
    exit(1);
  }
  if (fd < 0) {
    write_special_output(ctx, out, size);
    munmap(out, size);
    return;
  }
  if (munmap(out, size) < 0)
    fatal("%s: cannot write: %s", ctx->opt.output, strerror(errno));
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0777 & ~mask) < 0 || close(fd) < 0)
    fatal("%s: cannot write: %s", ctx->opt.output, strerror(errno));
  if (rename(temp_path, ctx->opt.output) < 0)
    fatal("%s: cannot create: %s", ctx->opt.output, strerror(errno));
  free(temp_path);
  temp_path = NULL;
}
