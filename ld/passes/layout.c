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
 * -z separate-code pads the file instead around the code segment, so that the
 * pages mapped executable hold nothing but code (GNU ld's default on x86-64; ours
 * is -z noseparate-code, the compact layout above, without GNU ld's merging of
 * headers, code and constants into one R X segment).
 *
 * .bss takes memory but no file space: its segment's p_memsz is larger than its
 * p_filesz, and the kernel zero-fills the difference.
 *
 * --section-start (and -Ttext, -Tdata, -Tbss) overrides an address: the section
 * goes exactly there, in a PT_LOAD of its own unless it lands just past the
 * current one, and the PT_LOADs are sorted by address afterwards. Sections may then
 * be far apart; apply_relocs reports every field a displacement no longer fits.
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
// Returns -1 for a name the script does not list (GNU ld calls those orphans).
static int known_rank(const char *name) {
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
    if (!strcmp(name, known[i].name))
      return known[i].rank;
  return -1;
}

static int rank_in_segment(const OutputSection *osec, int seg) {
  int rank = known_rank(osec->name);
  if (rank >= 0)
    return rank;
  // A zero-filled orphan goes after .bss, before the large-model .lbss, as GNU ld
  // places it (glibc's __libc_freeres_ptrs, reached with 32-bit offsets, must not
  // end up beyond a .lbss of gigabytes).
  if (osec->sh_type == SHT_NOBITS)
    return 910;
  return seg == SEG_DATA ? 800 : seg == SEG_TEXT ? 400 : 200;
}

// --section-start (-Ttext, -Tdata, -Tbss) gives an output section its address; the
// last one given for a name wins. As in GNU ld, a section the layout knows by name
// (.text, .data, .tdata, ...) carries the sections after it along: -Ttext=0x800000
// moves .text, .fini and everything after them, not only .text. A section it does
// not know (GNU ld's orphans, like a function put in ".fn1") becomes an island: it
// gets a segment of its own there, and the rest of the layout goes on as if it were
// not there. Thread-local sections never become islands: PT_TLS must cover one
// contiguous block.
static void find_section_start(Ctx *ctx, OutputSection *osec) {
  for (size_t i = 0; i < ctx->opt.section_starts.len; i++) {
    const SectionStart *ss = ctx->opt.section_starts.data[i];
    if (!strcmp(ss->name, osec->name)) {
      osec->has_start = true;
      osec->start = ss->addr;
    }
  }
  if (osec->has_start && !(osec->sh_flags & SHF_ALLOC)) {
    warn("--section-start: '%s' is not loaded into memory; its address is ignored",
         osec->name);
    osec->has_start = false;
  }
  osec->island = osec->has_start && known_rank(osec->name) < 0 && !(osec->sh_flags & SHF_TLS);
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
    find_section_start(ctx, osec);
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
// A section with a --section-start address may open a PT_LOAD of its own; counting
// one for each gives an upper bound, and the table then has room to spare.
static size_t count_phdrs(Ctx *ctx) {
  bool used[SEG_NONE] = {[SEG_HEADERS] = true};
  bool tls = false;
  size_t n = 1;  // PT_GNU_STACK
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    int seg = osec->seg_kind;
    if (seg != SEG_NONE)
      used[seg] = true;
    if (seg != SEG_NONE && osec->has_start)
      n++;  // perhaps a PT_LOAD of its own
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

// Where the next section goes while addresses are handed out.
typedef struct {
  Segment *seg;       // the PT_LOAD being filled
  int kind;           // ... and what it holds (SEG_*)
  uint64_t addr;      // the next free address
  uint64_t off;       // ... and file offset (congruent to addr modulo the page size)
  uint64_t file_end;  // end of the bytes the segment has in the file
} Cursor;

// Ends the current PT_LOAD where the cursor is.
static void close_segment(Cursor *c) {
  c->seg->p_filesz = c->file_end - c->seg->p_offset;
  c->seg->p_memsz = c->addr - c->seg->p_vaddr;
}

// Closes the current PT_LOAD and opens one holding `kind` at `addr`, file offset `off`.
static void open_segment(Ctx *ctx, Cursor *c, int kind, uint64_t addr, uint64_t off) {
  close_segment(c);
  c->seg = add_segment(ctx, PT_LOAD, load_flags(kind));
  c->seg->kind = kind;
  c->seg->p_offset = off;
  c->seg->p_vaddr = addr;
  c->kind = kind;
  c->addr = addr;
  c->off = c->file_end = off;
}

// Moves the cursor to osec->start, the address --section-start gave it. Close
// enough after the current segment's end (on its last page or the next one) and of
// the same kind, the segment just stretches, its file bytes padded with zeros, as
// GNU ld does. Anywhere else, a new PT_LOAD starts there, at the first file offset
// past the bytes so far that is congruent to the address.
static void move_to_start(Ctx *ctx, Cursor *c, const OutputSection *osec) {
  uint64_t page = ctx->opt.page_size;
  uint64_t start = osec->start;
  if (osec->seg_kind == c->kind && start >= c->addr &&
      start - start % page <= align_to(c->addr, page)) {
    c->off += start - c->addr;
    c->addr = start;
    return;
  }
  // (start - file_end) mod page, in unsigned arithmetic, is the padding needed.
  uint64_t off = c->file_end + ((start - c->file_end) & (page - 1));
  open_segment(ctx, c, osec->seg_kind, start, off);
}

// Does a section of the segment that osecs[i] opens have a --section-start address?
// (The segment's sections are next to each other in the sorted list.)
static bool run_has_start(Ctx *ctx, size_t i) {
  int kind = ((OutputSection *)ctx->osecs.data[i])->seg_kind;
  for (size_t j = i; j < ctx->osecs.len; j++) {
    const OutputSection *osec = ctx->osecs.data[j];
    if (osec->seg_kind != kind)
      break;
    if (osec->has_start && !osec->island)
      return true;
  }
  return false;
}

// Puts osec at the cursor, which is already at its (aligned) address.
static void place_at_cursor(Cursor *c, OutputSection *osec) {
  osec->addr = osec->lma = c->addr;
  osec->offset = c->off;
  osec->seg = c->seg;
}

// The gABI wants PT_LOAD entries in ascending p_vaddr order (the dynamic linker
// takes a PIE's span from the first and the last one). Sections placed with
// --section-start may have opened them out of order: sort segs[first, end), and
// point every section at its segment's new place.
static void sort_load_segments(Ctx *ctx, size_t first, size_t end) {
  size_t n = end - first;
  size_t *order = arena_array(&ctx->arena, n, sizeof(size_t));
  size_t *new_index = arena_array(&ctx->arena, n, sizeof(size_t));
  Segment *sorted = arena_array(&ctx->arena, n, sizeof(Segment));
  for (size_t i = 0; i < n; i++)
    order[i] = i;
  // Insertion sort: stable, and there are only a handful of segments.
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && ctx->segs[first + order[j - 1]].p_vaddr >
                                    ctx->segs[first + order[j]].p_vaddr; j--) {
      size_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  for (size_t i = 0; i < n; i++) {
    sorted[i] = ctx->segs[first + order[i]];
    new_index[order[i]] = i;
  }
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->seg)
      osec->seg = &ctx->segs[first + new_index[osec->seg - ctx->segs - first]];
  }
  for (size_t i = 0; i < n; i++)
    ctx->segs[first + i] = sorted[i];
}

static int compare_by_address(const void *a, const void *b) {
  const OutputSection *x = *(OutputSection *const *)a, *y = *(OutputSection *const *)b;
  if (x->addr != y->addr)
    return x->addr < y->addr ? -1 : 1;
  return x->shndx < y->shndx ? -1 : x->shndx > y->shndx;
}

// The first section of a segment, to name it in messages.
static const char *first_section_in(Ctx *ctx, const Segment *seg) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->seg == seg)
      return osec->name;
  }
  return "(headers)";
}

// Addresses from --section-start can make sections collide, or put two segments
// with different permissions on one page, which the kernel cannot map. Both are
// errors: the program would run with some of its bytes overwritten.
static void check_overlaps(Ctx *ctx, size_t first_load, size_t end_load) {
  PtrVec v = {0};
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    // .tbss has addresses only in each thread's TLS block: it overlaps what
    // follows it by design.
    bool tbss = (osec->sh_flags & SHF_TLS) && osec->sh_type == SHT_NOBITS;
    if (osec->seg && osec->size && !tbss)
      vec_push(&ctx->arena, &v, osec);
  }
  if (v.len > 1)
    qsort(v.data, v.len, sizeof(void *), compare_by_address);
  bool overlap = false;
  for (size_t i = 1; i < v.len; i++) {
    const OutputSection *a = v.data[i - 1], *b = v.data[i];
    if (b->addr - a->addr < a->size && (overlap = true))
      error("section '%s' [0x%llx, 0x%llx) overlaps section '%s' [0x%llx, 0x%llx)", b->name,
            (unsigned long long)b->addr, (unsigned long long)(b->addr + b->size), a->name,
            (unsigned long long)a->addr, (unsigned long long)(a->addr + a->size));
  }
  for (size_t i = first_load + 1; i < end_load && !overlap; i++) {
    const Segment *a = &ctx->segs[i - 1], *b = &ctx->segs[i];
    uint64_t page_start = b->p_vaddr - b->p_vaddr % RUNTIME_PAGE;
    if (page_start < align_to(a->p_vaddr + a->p_memsz, RUNTIME_PAGE))
      error("the segments of '%s' and '%s' share the page at 0x%llx, which can have only "
            "one set of permissions",
            first_section_in(ctx, a), first_section_in(ctx, b), (unsigned long long)page_start);
  }
}

// PT_GNU_STACK: whether the main thread's stack is executable (decide_stack), and
// its size (-z stack-size).
static void add_stack_segment(Ctx *ctx) {
  StackDecision stack = decide_stack(ctx);
  if (stack == STACK_UNSAID)
    return;
  Segment *seg = add_segment(ctx, PT_GNU_STACK, PF_R | PF_W | (stack == STACK_EXEC ? PF_X : 0));
  seg->p_align = 16;
  seg->p_memsz = ctx->opt.stack_size;
}

static void assign_addresses(Ctx *ctx) {
  uint64_t page = ctx->opt.page_size;
  size_t nphdrs = count_phdrs(ctx);
  ctx->segs = arena_array(&ctx->arena, nphdrs, sizeof(Segment));
  ctx->phdrs_offset = sizeof(Elf64_Ehdr);

  // A dynamic executable's program headers start with PT_PHDR (where the table is
  // in memory: the dynamic linker computes a PIE's load address from it) and
  // PT_INTERP, before any PT_LOAD, as the gABI requires. Both are filled in below.
  Segment *phdr = NULL, *interp = NULL;
  if (ctx->dynamic && !ctx->opt.shared) {
    phdr = add_segment(ctx, PT_PHDR, PF_R);
    interp = add_segment(ctx, PT_INTERP, PF_R);
  }
  // The first segment starts at file offset 0 and holds the headers, so the program
  // can find its own program headers in memory (AT_PHDR).
  size_t first_load = ctx->nsegs;
  Cursor c = {.seg = add_segment(ctx, PT_LOAD, PF_R), .kind = SEG_HEADERS};
  c.off = c.file_end = ctx->phdrs_offset + nphdrs * sizeof(Elf64_Phdr);
  c.addr = ctx->opt.image_base + c.off;
  c.seg->p_offset = 0;
  c.seg->p_vaddr = ctx->opt.image_base;

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
    if (kind == SEG_NONE || osec->island)
      continue;
    bool is_tls = osec->sh_flags & SHF_TLS;
    if (osec->has_start) {
      // An address the user chose is taken as it is, aligned or not.
      move_to_start(ctx, &c, osec);
    } else {
      if (kind != c.kind) {
        // A new segment: next page in memory, same offset within the page as in the
        // file. If --section-start puts a later section of it at a chosen address,
        // start on a fresh page of the file instead, as GNU ld does, so that an
        // address just past the page start (-Ttext=0x401200) is still ahead of us.
        uint64_t off = c.file_end;
        if (run_has_start(ctx, i))
          off = align_to(off, page);
        // -z separate-code: code gets file pages of its own, so that no page mapped
        // executable holds other bytes (headers, constants: gadgets for an
        // attacker). The file is padded before the code and after it.
        if (ctx->opt.separate_code && (kind == SEG_TEXT || c.kind == SEG_TEXT))
          off = align_to(off, page);
        open_segment(ctx, &c, kind, align_to(c.addr, page) + off % page, off);
      }
      // Inside a segment, offset and address advance together, so they stay congruent.
      uint64_t aligned = align_to(c.addr, is_tls && !seen_tls ? tls_align : osec->sh_addralign);
      c.off += aligned - c.addr;
      c.addr = aligned;
    }
    place_at_cursor(&c, osec);
    if (is_tls && !seen_tls) {
      tls.p_vaddr = tls.p_paddr = c.addr;
      tls.p_offset = c.off;
    }
    if (is_tls) {
      seen_tls = true;
      tls.p_memsz = c.addr + osec->size - tls.p_vaddr;
      if (osec->sh_type != SHT_NOBITS)
        tls.p_filesz = c.addr + osec->size - tls.p_vaddr;
    }
    // .tbss takes no room in the image: it exists only in each thread's copy of the
    // TLS block. The sections after it reuse its addresses.
    if (is_tls && osec->sh_type == SHT_NOBITS)
      continue;
    c.addr += osec->size;
    c.off += osec->size;
    if (osec->sh_type != SHT_NOBITS)
      c.file_end = c.off;
  }
  // The islands, each where --section-start put it, their bytes after all the others
  // in the file.
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (!osec->island)
      continue;
    move_to_start(ctx, &c, osec);
    place_at_cursor(&c, osec);
    c.addr += osec->size;
    c.off += osec->size;
    if (osec->sh_type != SHT_NOBITS)
      c.file_end = c.off;
  }
  close_segment(&c);
  size_t end_load = ctx->nsegs;
  sort_load_segments(ctx, first_load, end_load);
  check_overlaps(ctx, first_load, end_load);
  for (size_t i = first_load; i < end_load; i++) {
    uint64_t end = ctx->segs[i].p_vaddr + ctx->segs[i].p_memsz;
    if (end > MAX_USER_ADDRESS || end < ctx->segs[i].p_vaddr)
      error("the output does not fit in the address space: it would end at 0x%llx",
            (unsigned long long)end);
  }
  uint64_t file_end = c.file_end;
  if (phdr) {
    phdr->p_offset = ctx->phdrs_offset;
    phdr->p_vaddr = ctx->opt.image_base + ctx->phdrs_offset;
    phdr->p_align = 8;  // its size is known at the end
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
  ctx->unallocated_start = file_end;
  ctx->file_size = place_unallocated_sections(ctx, file_end);

  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->sh_type == SHT_NOTE && osec->seg)
      add_note_segment(ctx, osec);
  }
  for (size_t i = 0; i < ctx->nsegs; i++) {
    Segment load = ctx->segs[i];
    if (load.p_type != PT_LOAD || load.kind != SEG_RELRO)
      continue;
    // The C library protects one RELRO range: if --section-start split the RELRO
    // sections over two segments, only the first is protected.
    // The C library rounds the end down to a page; the next segment starts on the
    // next page anyway, so the whole last page may be protected.
    Segment *relro = add_segment(ctx, PT_GNU_RELRO, PF_R);
    relro->p_offset = load.p_offset;
    relro->p_vaddr = relro->p_paddr = load.p_vaddr;
    relro->p_filesz = load.p_filesz;
    relro->p_memsz = align_to(load.p_vaddr + load.p_memsz, RUNTIME_PAGE) - load.p_vaddr;
    relro->p_align = 1;
    break;
  }
  add_synthetic_phdrs(ctx, add_segment);
  if (seen_tls) {
    ctx->tls = add_segment(ctx, PT_TLS, PF_R);
    *ctx->tls = tls;
    ctx->tls_start = tls.p_vaddr;
    // x86-64 uses TLS variant II: the block ends at the thread pointer, so the
    // thread pointer is the template's end, rounded up to its alignment. Every TLS
    // offset (x@tpoff) is negative. Where exactly depends on who sets up TLS when
    // the template's start is not aligned (--section-start=.tdata=0x100001): the
    // dynamic linker keeps the block's misalignment (TP = template end rounded up),
    // while a static program's C library puts the block at an aligned address
    // (TP = start + size rounded up). Both agree when the start is aligned.
    if (ctx->dynamic)
      ctx->tp = align_to(tls.p_vaddr + tls.p_memsz, tls.p_align);
    else
      ctx->tp = tls.p_vaddr + align_to(tls.p_memsz, tls.p_align);
  }
  add_stack_segment(ctx);
  if (ctx->nsegs > nphdrs)
    internal_error("counted %zu program headers but made %zu", nphdrs, ctx->nsegs);
  if (phdr)
    phdr->p_filesz = phdr->p_memsz = ctx->nsegs * sizeof(Elf64_Phdr);
}

void layout(Ctx *ctx) {
  make_output_sections(ctx);
  if (ctx->script.has_sections) {
    script_layout(ctx);  // a linker script's SECTIONS says where everything goes
  } else {
    // GNU ld sorts the wildcards of its default script too; our built-in layout is
    // not a script (--verbose prints it as one: -T that file to have it sorted).
    if (ctx->opt.sort_section != SORT_NONE)
      warn("--sort-section sorts the wildcards of a linker script's SECTIONS only; "
           "the built-in layout keeps input order");
    sort_output_sections(ctx);
    size_output_sections(ctx);
    assign_addresses(ctx);
  }
  // The GOT's base (_GLOBAL_OFFSET_TABLE_, what GOTPC and GOTOFF measure from) is
  // .got.plt's start, as in GNU ld: in a dynamic executable, and in a static one
  // whose IFUNC slots make a .got.plt; .got's otherwise.
  if (has_synthetic(ctx, SYN_GOT))
    ctx->got_slots = ctx->got_addr = isec_address(ctx->synth[SYN_GOT]);
  if (has_synthetic(ctx, SYN_GOT_PLT))
    ctx->got_addr = isec_address(ctx->synth[SYN_GOT_PLT]);
  else if (has_synthetic(ctx, SYN_IGOT) && ctx->synth[SYN_IGOT]->osec &&
           !strcmp(ctx->synth[SYN_IGOT]->osec->name, ".got.plt"))
    ctx->got_addr = ctx->synth[SYN_IGOT]->osec->addr;
}
