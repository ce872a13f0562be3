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
#include "ld.h"

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

// A growable byte buffer for the string and symbol tables.
typedef struct {
  uint8_t *data;
  size_t len, cap;
} Buf;

static size_t buf_add(Buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n)
      cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data)
      fatal("out of memory");
    b->cap = cap;
  }
  size_t off = b->len;
  memcpy(b->data + off, p, n);
  b->len += n;
  return off;
}

// A string table that stores each distinct string once: static functions named
// "helper" in fifty objects share one "helper\0".
typedef struct {
  Buf buf;
  HashMap index;  // string -> its offset + 1
} StringTable;

static uint32_t add_string(StringTable *t, const char *s) {
  size_t len = strlen(s);
  HashEntry *e = hashmap_slot(&t->index, s, len);
  if (e->value)
    return (uint32_t)((uintptr_t)e->value - 1);
  uint32_t off = (uint32_t)buf_add(&t->buf, s, len + 1);
  e->value = (void *)(uintptr_t)(off + 1);
  return off;
}

static uint16_t output_shndx(const Symbol *sym) {
  if (sym->state == SYM_UNDEF)
    return SHN_UNDEF;
  if (sym->state == SYM_LINKER)
    return sym->osec ? (uint16_t)sym->osec->shndx : SHN_ABS;
  if (!sym->isec)
    return SHN_ABS;
  if (!sym->isec->is_alive || !sym->isec->osec)
    return SHN_UNDEF;
  return (uint16_t)sym->isec->osec->shndx;
}

static void add_symbol(Buf *symtab, StringTable *strtab, const Symbol *sym, uint8_t bind,
                       uint64_t tls_start) {
  Elf64_Sym es = {0};
  es.st_name = *sym->name ? add_string(strtab, sym->name) : 0;
  es.st_info = ELF64_ST_INFO(bind, sym->type);
  es.st_other = sym->visibility;
  es.st_shndx = output_shndx(sym);
  es.st_value = sym->type == STT_FILE ? 0 : symbol_definition_address(sym);
  // A TLS symbol's value is its offset in the TLS template (gABI, "Symbol Values").
  if (sym->type == STT_TLS && sym->state == SYM_DEFINED)
    es.st_value -= tls_start;
  es.st_size = sym->size;
  buf_add(symtab, &es, sizeof es);
}

// A local symbol worth keeping: named, not a section symbol, not an assembler
// temporary (.L...), and not inside something we dropped.
static bool keep_local(const Symbol *sym) {
  if (sym->type == STT_SECTION || !*sym->name || !strncmp(sym->name, ".L", 2))
    return false;
  if (sym->type == STT_FILE)
    return true;
  return !sym->isec || (sym->isec->is_alive && sym->isec->osec);
}

// .symtab: the null symbol, then each file's STT_FILE and local symbols, then the
// globals; a global with hidden visibility is local to the executable, so it joins
// the locals (as GNU ld does). sh_info is the index of the first global.
static uint32_t build_symtab(Ctx *ctx, Buf *symtab, StringTable *strtab) {
  Elf64_Sym null = {0};
  buf_add(symtab, &null, sizeof null);
  add_string(strtab, "");
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.nsyms; i++) {
      Symbol *sym = file->syms[i];
      if (sym && !sym->is_global && !ctx->opt.discard_all && keep_local(sym))
        add_symbol(symtab, strtab, sym, STB_LOCAL, ctx->tls_start);
    }
  }
  uint32_t first_global = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < ctx->globals.len; i++) {
      Symbol *sym = ctx->globals.data[i];
      bool hidden = sym->visibility == STV_HIDDEN || sym->visibility == STV_INTERNAL;
      if (sym->state == SYM_UNDEF && (sym->strong_ref || !sym->file))
        continue;  // an entry symbol nobody defined: warned about already
      if (sym->state == SYM_DEFINED && sym->isec && !sym->isec->is_alive)
        continue;  // its section was discarded (COMDAT copy, --gc-sections)
      if (hidden != (pass == 0) || (hidden && ctx->opt.discard_all))
        continue;
      uint8_t bind = hidden ? STB_LOCAL : sym->state == SYM_UNDEF ? STB_WEAK : sym->binding;
      add_symbol(symtab, strtab, sym, bind, ctx->tls_start);
    }
    if (pass == 0)
      first_global = (uint32_t)(symtab->len / sizeof(Elf64_Sym));
  }
  return first_global;
}

static void write_ehdr(Ctx *ctx, uint8_t *out, uint64_t shoff, uint32_t shnum, uint32_t shstrndx) {
  Elf64_Ehdr eh = {0};
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  // GNU ld marks executables that use GNU extensions to the gABI (IFUNC) as GNU/Linux.
  eh.e_ident[EI_OSABI] = ctx->iplt ? ELFOSABI_GNU : ELFOSABI_NONE;
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

// The IFUNC stubs, their slots (holding the resolver until start-up code calls it)
// and the IRELATIVE entries that tell the C library to.
static void write_ifunc_tables(Ctx *ctx, InputSection *isec, uint8_t *dst) {
  for (size_t i = 0; i < ctx->iplt_syms.len; i++) {
    Symbol *sym = ctx->iplt_syms.data[i];
    uint64_t stub = isec_address(ctx->iplt) + IPLT_STUB_SIZE * i;
    uint64_t slot = isec_address(ctx->igot) + 8 * i;
    uint64_t resolver = symbol_definition_address(sym);
    if (isec == ctx->iplt)
      write_iplt_stub(dst + IPLT_STUB_SIZE * i, stub, slot);
    else if (isec == ctx->igot)
      write_u64le(dst + 8 * i, resolver);
    else
      write_irelative(dst + 24 * i, slot, resolver);
  }
}

// Copies each member's bytes into the image and relocates them in place.
static void write_sections(Ctx *ctx, uint8_t *out) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->sh_type == SHT_NOBITS)
      continue;
    for (size_t j = 0; j < osec->members.len; j++) {
      InputSection *isec = osec->members.data[j];
      if (isec->sh_type == SHT_NOBITS)
        continue;  // its space is already zero
      uint8_t *dst = out + osec->offset + isec->offset;
      if (isec == ctx->got) {
        // A static executable's GOT holds final addresses, written now.
        for (size_t k = 0; k < ctx->got_syms.len; k++)
          write_u64le(dst + 8 * k, symbol_address(ctx->got_syms.data[k]));
        // Initial-exec slots that could not be relaxed hold thread-pointer offsets.
        for (size_t k = 0; k < ctx->gottp_syms.len; k++) {
          Symbol *sym = ctx->gottp_syms.data[k];
          uint64_t v = sym->state == SYM_UNDEF ? 0 : symbol_address(sym) - ctx->tp;
          write_u64le(dst + 8 * (ctx->got_syms.len + k), v);
        }
        continue;
      }
      if (isec == ctx->eh_frame_hdr || isec == ctx->rela_dyn || isec == ctx->dynamic)
        continue;  // filled in below, once everything else is relocated
      if (isec->eh) {
        write_eh_frame_records(ctx, isec, out + osec->offset);
        continue;
      }
      if (isec == ctx->iplt || isec == ctx->igot || isec == ctx->rela_iplt) {
        write_ifunc_tables(ctx, isec, dst);
        continue;
      }
      // Linker-made sections without contents of their own (.dynsym's null symbol,
      // .dynstr's empty string) are zeros, which the new file already holds.
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
  write_ehdr(ctx, out, shoff, shnum, shnum - 1);
  write_phdrs(ctx, out);
  write_sections(ctx, out);
  if (ctx->eh_frame_hdr)
    write_eh_frame_hdr(ctx, out);
  if (ctx->dynamic)
    write_dynamic(ctx, out);

  for (uint32_t i = 0; i < nosecs; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    Elf64_Shdr sh = {
      .sh_name = names[i], .sh_type = osec->sh_type, .sh_flags = osec->sh_flags,
      .sh_addr = osec->addr, .sh_offset = osec->offset, .sh_size = osec->size,
      .sh_addralign = osec->sh_addralign, .sh_entsize = osec->sh_entsize,
    };
    dynamic_shdr_links(ctx, osec, &sh);
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
  free(strtab.buf.data);
  free(strtab.index.entries);
  free(shstrtab.buf.data);
  free(shstrtab.index.entries);
  if (ctx->build_id)
    write_build_id(ctx, out, size);

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
