/*
 * layout.c — where every byte of the executable goes.
 *
 * Output sections (made by output_sections.c) are grouped by what the program may
 * do with them, because the kernel maps memory with one set of permissions per
 * segment (PT_LOAD):
 *
 *   R    ELF header, program headers, .note.*, .rela.*       headers
 *   R X  .init .iplt .text .fini                            code
 *   R    .rodata .eh_frame_hdr .eh_frame                    constants
 *   R W  .tdata .init_array .fini_array .data.rel.ro .got   written at start-up only
 *   R W  .got.plt .data .bss                                variables
 *
 * The first R W segment is RELRO: the C library makes it read-only once start-up
 * is done (PT_GNU_RELRO), so it ends on a page of its own (-z norelro merges the
 * two). Thread-local templates (.tdata, .tbss) also get a PT_TLS.
 *
 * No segment is both writable and executable. Each segment starts on a new page in
 * memory, but not in the file: the file is not padded to page boundaries. Instead
 * the address is chosen so that it equals the file offset modulo the page size
 * (p_vaddr ≡ p_offset mod p_align), which is all mmap needs. The page on the
 * boundary is then mapped twice, once for each neighbour, with each one's
 * permissions:
 *
 *   file:    |hdr .note|.text ....|.rodata|.data|          (no gaps)
 *   memory:  0x400000  0x401000+x  0x402000+y  0x403000+z  (x, y, z = offset % 4096)
 *
 * .bss takes memory but no file space: its segment's p_memsz is larger than its
 * p_filesz, and the kernel zero-fills the difference.
 *
 * First the output sections are made (output_sections.c, which also asks the
 * linker-made sections whether they are needed); then they are sorted, their
 * members placed, and every section and segment given an address and a file
 * offset. Fills ctx->osecs, ctx->segs, ctx->tls, ctx->tp, ctx->got_addr.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

// Where user space ends on x86-64 Linux (47-bit addresses): no image may go past.
#define MAX_USER_ADDRESS ((uint64_t)1 << 47)

// The page size the program runs with (x86-64 Linux: 4 KiB), which -z
// max-page-size does not change: the C library protects RELRO in these pages, and
// only the page that holds the segment's end is mapped past it.
enum { RUNTIME_PAGE = 4096 };

// Which PT_LOAD a section belongs to, in address order.
enum { SEG_HEADERS, SEG_TEXT, SEG_RODATA, SEG_RELRO, SEG_DATA, SEG_NONE };

// RELRO ("read-only after relocation"): data the program must be able to write
// while it starts — the C library applies IRELATIVE relocations and sets up TLS —
// but never after. PT_GNU_RELRO tells the C library to make it read-only then, which
// stops an attacker from overwriting constructor tables, GOT slots or vtables.
static bool is_relro(const OutputSection *osec) {
  static const char *const names[] = {".data.rel.ro", ".dynamic", ".got", NULL};
  if ((osec->sh_flags & SHF_TLS) || osec->sh_type == SHT_INIT_ARRAY ||
      osec->sh_type == SHT_FINI_ARRAY || osec->sh_type == SHT_PREINIT_ARRAY ||
      has_section_prefix(osec->name, ".init_array") || has_section_prefix(osec->name, ".fini_array"))
    return true;
  for (int i = 0; names[i]; i++)
    if (!strcmp(osec->name, names[i]))
      return true;
  return false;
}

static int segment_of(Ctx *ctx, const OutputSection *osec) {
  if (!(osec->sh_flags & SHF_ALLOC))
    return SEG_NONE;
  if (osec->sh_flags & SHF_EXECINSTR)
    return SEG_TEXT;
  if (osec->sh_flags & SHF_WRITE)
    return ctx->opt.relro && is_relro(osec) ? SEG_RELRO : SEG_DATA;
  if (osec->sh_type == SHT_NOTE || osec->sh_type == SHT_RELA || osec->sh_type == SHT_DYNSYM ||
      osec->sh_type == SHT_STRTAB || osec->sh_type == SHT_GNU_HASH || osec->sh_type == SHT_HASH ||
      osec->sh_type == SHT_GNU_versym || osec->sh_type == SHT_GNU_verneed ||
      osec->sh_type == SHT_GNU_verdef ||
      !strcmp(osec->name, ".interp"))
    return SEG_HEADERS;
  return SEG_RODATA;
}

// Order inside a segment, as GNU ld's default linker script has it: the linker's
// notes before the inputs' ones, sections we do not know in the middle, and
// zero-filled ones last so that .bss ends the image. Equal ranks keep the order in
// which the output sections were made (inputs first, then the linker's own).
static int rank_in_segment(const OutputSection *osec, int seg) {
  static const struct { const char *name; int rank; } known[] = {
    {".interp", 50}, {".hash", 105}, {".gnu.hash", 110}, {".dynsym", 120}, {".dynstr", 140},
    {".gnu.version", 150}, {".gnu.version_d", 155}, {".gnu.version_r", 160}, {".rela.dyn", 180}, {".rela.plt", 185},
    {".note.gnu.property", 190}, {".note.gnu.build-id", 195}, {".rela.iplt", 200},
    {".init", 100}, {".plt", 200}, {".iplt", 250}, {".text", 300}, {".fini", 500},
    {".rodata", 100}, {".eh_frame_hdr", 300}, {".eh_frame", 400}, {".gcc_except_table", 500},
    {".tdata", 100}, {".tbss", 110}, {".preinit_array", 150}, {".init_array", 200},
    {".fini_array", 300}, {".data.rel.ro", 400}, {".dynamic", 450}, {".got", 500},
    {".got.plt", 600}, {".data", 700}, {".ldata", 850}, {".bss", 900}, {".lbss", 920},
    {".lrodata", 600},
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (!strcmp(osec->name, known[i].name))
      return known[i].rank;
  if (osec->sh_type == SHT_NOBITS)
    return 950;
  return seg == SEG_DATA ? 800 : seg == SEG_TEXT ? 400 : 200;
}

static int compare_osecs(const void *a, const void *b) {
  const OutputSection *x = *(OutputSection *const *)a, *y = *(OutputSection *const *)b;
  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  return x->shndx < y->shndx ? -1 : x->shndx > y->shndx;  // creation order
}

static void sort_output_sections(Ctx *ctx) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    osec->shndx = (uint32_t)i;  // temporarily: creation order, for a stable sort
    osec->seg_kind = segment_of(ctx, osec);
    osec->rank = osec->seg_kind * 10000 + rank_in_segment(osec, osec->seg_kind);
  }
  if (ctx->osecs.len > 1)  // qsort of an empty (NULL) array is undefined
    qsort(ctx->osecs.data, ctx->osecs.len, sizeof(void *), compare_osecs);
  for (size_t i = 0; i < ctx->osecs.len; i++)
    ((OutputSection *)ctx->osecs.data[i])->shndx = (uint32_t)i + 1;
}

// Places members inside each output section; the output section's size and
// alignment follow from them.
static void size_output_sections(Ctx *ctx) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec == ctx->eh_frame_osec)
      continue;  // laid out record by record (split_eh_frame.c)
    uint64_t size = 0;
    for (size_t j = 0; j < osec->members.len; j++) {
      InputSection *isec = osec->members.data[j];
      // Nothing may wrap: a section (say a .bss from a corrupt object) bigger than
      // the user address space cannot be loaded anywhere.
      if (isec->sh_size > MAX_USER_ADDRESS - size - isec->sh_addralign) {
        error("%s: section '%s' (size 0x%llx) does not fit in the address space",
              isec->file->name, isec->name, (unsigned long long)isec->sh_size);
        isec->sh_size = 0;
      }
      size = align_to(size, isec->sh_addralign);
      isec->offset = size;
      isec->order = (uint32_t)j;
      size += isec->sh_size;
      if (isec->sh_addralign > osec->sh_addralign)
        osec->sh_addralign = isec->sh_addralign;
    }
    osec->size = size;
  }
}

static Segment *add_segment(Ctx *ctx, uint32_t type, uint32_t flags) {
  Segment *seg = &ctx->segs[ctx->nsegs++];
  seg->p_type = type;
  seg->p_flags = flags;
  seg->p_align = type == PT_LOAD ? ctx->opt.page_size : 1;
  return seg;
}

// A PT_NOTE for one note section.
static void add_note_segment(Ctx *ctx, const OutputSection *osec) {
  Segment *seg = add_segment(ctx, PT_NOTE, PF_R);
  seg->p_offset = osec->offset;
  seg->p_vaddr = seg->p_paddr = osec->addr;
  seg->p_filesz = seg->p_memsz = osec->size;
  seg->p_align = osec->sh_addralign;
}

static uint32_t load_flags(int seg) {
  switch (seg) {
  case SEG_TEXT: return PF_R | PF_X;
  case SEG_RELRO:
  case SEG_DATA: return PF_R | PF_W;
  default: return PF_R;
  }
}

// Counts the program headers first: their size decides where the first section goes.
static size_t count_phdrs(Ctx *ctx) {
  bool used[SEG_NONE] = {[SEG_HEADERS] = true};
  bool tls = false;
  size_t n = 1;  // PT_GNU_STACK
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    int seg = osec->seg_kind;
    if (seg != SEG_NONE)
      used[seg] = true;
    if (osec->sh_type == SHT_NOTE && seg != SEG_NONE)
      n++;  // PT_NOTE
    if (osec->sh_flags & SHF_TLS)
      tls = true;
  }
  n += tls;  // PT_TLS
  n += ctx->dynamic && !ctx->opt.shared ? 2 : 0;  // PT_PHDR, PT_INTERP
  n += count_synthetic_phdrs(ctx);  // PT_GNU_PROPERTY, PT_DYNAMIC, PT_GNU_EH_FRAME
  for (int s = 0; s < SEG_NONE; s++)
    n += used[s];
  n += used[SEG_RELRO];  // PT_GNU_RELRO
  return n;
}

static void assign_addresses(Ctx *ctx) {
  uint64_t page = ctx->opt.page_size;
  size_t nphdrs = count_phdrs(ctx);
  ctx->segs = arena_array(&ctx->arena, nphdrs, sizeof(Segment));
  ctx->phdrs_offset = sizeof(Elf64_Ehdr);

  // The first segment starts at file offset 0 and holds the headers, so the program
  // can find its own program headers in memory (AT_PHDR).
  uint64_t off = ctx->phdrs_offset + nphdrs * sizeof(Elf64_Phdr);
  uint64_t addr = ctx->opt.image_base + off;
  // A dynamic executable's program headers start with PT_PHDR (where the table is
  // in memory: the dynamic linker computes a PIE's load address from it) and
  // PT_INTERP, before any PT_LOAD, as the gABI requires. Both are filled in below.
  Segment *phdr = NULL, *interp = NULL;
  if (ctx->dynamic && !ctx->opt.shared) {
    phdr = add_segment(ctx, PT_PHDR, PF_R);
    interp = add_segment(ctx, PT_INTERP, PF_R);
  }
  Segment *cur = add_segment(ctx, PT_LOAD, PF_R);
  cur->p_offset = 0;
  cur->p_vaddr = ctx->opt.image_base;
  int cur_kind = SEG_HEADERS;
  uint64_t file_end = off;  // end of the bytes the current segment has in the file

  // The TLS template (.tdata, then .tbss) starts at an address aligned to its
  // strictest member, so that p_vaddr % p_align == 0 for PT_TLS, which is what the
  // C library assumes when it copies the template for each thread.
  uint64_t tls_align = 1;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if ((osec->sh_flags & SHF_TLS) && osec->sh_addralign > tls_align)
      tls_align = osec->sh_addralign;
  }
  Segment tls = {.p_type = PT_TLS, .p_flags = PF_R, .p_align = tls_align};
  bool seen_tls = false;

  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    int kind = osec->seg_kind;
    if (kind == SEG_NONE)
      continue;
    if (kind != cur_kind) {
      // A new segment: next page in memory, same offset within the page as in the file.
      cur->p_filesz = file_end - cur->p_offset;
      cur->p_memsz = addr - cur->p_vaddr;
      off = file_end;
      addr = align_to(addr, page) + off % page;
      cur = add_segment(ctx, PT_LOAD, load_flags(kind));
      cur->kind = kind;
      cur->p_offset = off;
      cur->p_vaddr = addr;
      cur_kind = kind;
    }
    // Inside a segment, offset and address advance together, so they stay congruent.
    bool is_tls = osec->sh_flags & SHF_TLS;
    uint64_t aligned = align_to(addr, is_tls && !seen_tls ? tls_align : osec->sh_addralign);
    off += aligned - addr;
    addr = aligned;
    osec->addr = addr;
    osec->offset = off;
    osec->seg = cur;
    if (is_tls && !seen_tls) {
      tls.p_vaddr = tls.p_paddr = addr;
      tls.p_offset = off;
    }
    if (is_tls) {
      seen_tls = true;
      tls.p_memsz = addr + osec->size - tls.p_vaddr;
      if (osec->sh_type != SHT_NOBITS)
        tls.p_filesz = addr + osec->size - tls.p_vaddr;
    }
    // .tbss takes no room in the image: it exists only in each thread's copy of the
    // TLS block. The sections after it reuse its addresses.
    if (is_tls && osec->sh_type == SHT_NOBITS)
      continue;
    addr += osec->size;
    off += osec->size;
    if (osec->sh_type != SHT_NOBITS)
      file_end = off;
  }
  cur->p_filesz = file_end - cur->p_offset;
  cur->p_memsz = addr - cur->p_vaddr;
  if (addr > MAX_USER_ADDRESS)
    error("the output does not fit in the address space: it would end at 0x%llx",
          (unsigned long long)addr);
  if (phdr) {
    phdr->p_offset = ctx->phdrs_offset;
    phdr->p_vaddr = ctx->opt.image_base + ctx->phdrs_offset;
    phdr->p_filesz = phdr->p_memsz = nphdrs * sizeof(Elf64_Phdr);
    phdr->p_align = 8;
    const OutputSection *osec = ctx->synth[SYN_INTERP]->osec;
    interp->p_offset = osec->offset;
    interp->p_vaddr = osec->addr;
    interp->p_filesz = interp->p_memsz = osec->size;
    interp->p_align = 1;
  }
  for (size_t i = 0; i < ctx->nsegs; i++)
    ctx->segs[i].p_paddr = ctx->segs[i].p_vaddr;

  // Zero-filled sections occupy no file space; give them the offset where their
  // segment's file bytes end, as other linkers do.
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->seg && osec->sh_type == SHT_NOBITS && osec->offset > osec->seg->p_offset + osec->seg->p_filesz)
      osec->offset = osec->seg->p_offset + osec->seg->p_filesz;
  }

  // Non-allocated sections (.comment, .debug_*) follow, packed at their alignment.
  off = file_end;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->seg_kind != SEG_NONE)
      continue;
    off = align_to(off, osec->sh_addralign);
    osec->offset = off;
    if (osec->sh_type != SHT_NOBITS)
      off += osec->size;
  }
  ctx->file_size = off;

  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->sh_type == SHT_NOTE && osec->seg)
      add_note_segment(ctx, osec);
  }
  for (size_t i = 0; i < ctx->nsegs; i++) {
    Segment load = ctx->segs[i];
    if (load.p_type != PT_LOAD || load.kind != SEG_RELRO)
      continue;
    // The C library rounds the end down to a page; the next segment starts on the
    // next page anyway, so the whole last page may be protected.
    Segment *relro = add_segment(ctx, PT_GNU_RELRO, PF_R);
    relro->p_offset = load.p_offset;
    relro->p_vaddr = relro->p_paddr = load.p_vaddr;
    relro->p_filesz = load.p_filesz;
    relro->p_memsz = align_to(load.p_vaddr + load.p_memsz, RUNTIME_PAGE) - load.p_vaddr;
    relro->p_align = 1;
  }
  add_synthetic_phdrs(ctx, add_segment);
  if (seen_tls) {
    ctx->tls = add_segment(ctx, PT_TLS, PF_R);
    *ctx->tls = tls;
    ctx->tls_start = tls.p_vaddr;
    // x86-64 uses TLS variant II: the block ends at the thread pointer, so the
    // thread pointer is the template's start plus its size, rounded up to its
    // alignment. Every TLS offset (x@tpoff) is negative.
    ctx->tp = tls.p_vaddr + align_to(tls.p_memsz, tls.p_align);
  }
  // The stack is executable only if an input asks for it (.note.GNU-stack with
  // SHF_EXECINSTR) or -z execstack does; -z execstack/noexecstack, the last one
  // given, overrides what the inputs say.
  // Its size is the main thread's stack size, if -z stack-size asks for one.
  Segment *stack = add_segment(ctx, PT_GNU_STACK, PF_R | PF_W);
  stack->p_align = 16;
  stack->p_memsz = ctx->opt.stack_size;
  if (ctx->opt.execstack > 0 || (ctx->opt.execstack == 0 && ctx->execstack_file)) {
    stack->p_flags |= PF_X;
    // An executable stack is an open door for an attacker: say where it comes
    // from (GNU ld 2.39 and later warn too).
    if (ctx->opt.execstack == 0)
      warn("%s: requires executable stack (because the .note.GNU-stack section is "
           "executable)", ctx->execstack_file);
  }
  if (ctx->nsegs != nphdrs)
    internal_error("counted %zu program headers but made %zu", nphdrs, ctx->nsegs);
}

void layout(Ctx *ctx) {
  make_output_sections(ctx);
  sort_output_sections(ctx);
  size_output_sections(ctx);
  assign_addresses(ctx);
  // The GOT's base (_GLOBAL_OFFSET_TABLE_, what GOTPC and GOTOFF measure from) is
  // .got.plt's start in a dynamic executable, as in GNU ld; .got's otherwise.
  if (has_synthetic(ctx, SYN_GOT))
    ctx->got_slots = ctx->got_addr = isec_address(ctx->synth[SYN_GOT]);
  if (has_synthetic(ctx, SYN_GOT_PLT))
    ctx->got_addr = isec_address(ctx->synth[SYN_GOT_PLT]);
}
