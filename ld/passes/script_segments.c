/*
 * script_segments.c — the program headers of a linker script's layout.
 *
 * Once the script has given every output section its address (VMA) and load
 * address (LMA), the kernel needs segments: runs of sections it maps with one
 * mmap each. Without PHDRS we form them as GNU ld does. Walking the allocated
 * sections in order, a section joins the current PT_LOAD unless
 *
 *   - its load address is below the end of the previous one, or its LMA - VMA
 *     differs (a segment has one p_vaddr and one p_paddr);
 *   - there is a gap of more than a page between them;
 *   - it is writable and the segment is not, or it is code and the segment is not
 *     (or the other way round), and it starts on another page than the previous
 *     one ends on;
 *   - the previous one is zero-filled (.bss) and this one has file contents.
 *
 * So sections on one page share a segment even if that makes it writable and
 * executable (GNU ld warns about those, and so do we). The ELF header and the
 * program headers are loaded only if they fit on the page before the first
 * section: then they join its segment, or, if it is code, get a read-only one of
 * their own (GNU ld's -z separate-code, its default on x86-64).
 *
 * With PHDRS the script names the segments, and each output section says which
 * ones hold it (`:text`; a section without it goes where the previous one went).
 *
 * File offsets keep p_offset ≡ p_vaddr (mod page size), as mmap needs, without
 * padding the file more than that. A sub-step of script_layout.c; fills
 * ctx->segs, ctx->nsegs, OutputSection.offset and .seg, ctx->tls, ctx->tp,
 * ctx->unallocated_start and ctx->file_size.
 */
#include "../ld.h"

#include <string.h>

static bool is_tbss(const OutputSection *osec) {
  return (osec->sh_flags & SHF_TLS) && osec->sh_type == SHT_NOBITS;
}

// How much address space osec takes (.tbss: none, outside each thread's block).
static uint64_t mem_size(const OutputSection *osec) {
  return is_tbss(osec) ? 0 : osec->size;
}

static Segment *add_segment(Ctx *ctx, uint32_t type, uint32_t flags) {
  Segment *seg = &ctx->segs[ctx->nsegs++];
  memset(seg, 0, sizeof *seg);
  seg->p_type = type;
  seg->p_flags = flags;
  seg->p_align = type == PT_LOAD ? ctx->opt.page_size : 1;
  return seg;
}

// Does osec start a new PT_LOAD after `prev`, in a segment with flags `flags`?
static bool starts_segment(Ctx *ctx, const OutputSection *prev, const OutputSection *osec,
                           uint32_t flags) {
  uint64_t page = ctx->opt.page_size;
  uint64_t prev_end = prev->lma + mem_size(prev);
  bool same_page = (prev_end - (prev_end > prev->lma)) / page == osec->lma / page;
  if (osec->lma < prev_end || osec->lma - osec->addr != prev->lma - prev->addr)
    return true;
  if (align_to(prev_end, page) < align_to(osec->lma, page))
    return true;
  if ((osec->sh_flags & SHF_WRITE) && !(flags & PF_W) && !same_page)
    return true;
  if (!!(osec->sh_flags & SHF_EXECINSTR) != !!(flags & PF_X) && !same_page)
    return true;
  return prev->sh_type == SHT_NOBITS && !is_tbss(prev) && osec->sh_type != SHT_NOBITS;
}

static uint32_t section_flags(const OutputSection *osec) {
  return PF_R | (osec->sh_flags & SHF_WRITE ? PF_W : 0) |
         (osec->sh_flags & SHF_EXECINSTR ? PF_X : 0);
}

// Which PT_LOAD (0, 1, ...) each allocated section goes to, by GNU ld's rules;
// -1 for the others. Returns how many there are.
static size_t group_by_rules(Ctx *ctx, int *load) {
  OutputSection *prev = NULL;
  uint32_t flags = 0;
  int n = -1;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    load[i] = -1;
    if (!(osec->sh_flags & SHF_ALLOC))
      continue;
    if (!prev || starts_segment(ctx, prev, osec, flags)) {
      n++;
      flags = 0;
    }
    flags |= section_flags(osec);
    load[i] = n;
    prev = osec;
  }
  return (size_t)(n + 1);
}

// PHDRS: the program header each allocated section names (or the previous
// section's); -1 for none. Sets *nloads to the number of PT_LOADs listed.
static void group_by_phdrs(Ctx *ctx, int *load, bool final) {
  const PtrVec *phdrs = &ctx->script.phdrs;
  const PtrVec *names = NULL;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    load[i] = -1;
    for (size_t j = 0; j < ctx->script.sections.len; j++) {
      const ScriptCmd *cmd = ctx->script.sections.data[j];
      if (cmd->kind == SC_OUTPUT_SECTION && cmd->osd->osec == osec && cmd->osd->phdrs.len)
        names = &cmd->osd->phdrs;
    }
    if (!(osec->sh_flags & SHF_ALLOC) || !names)
      continue;
    // A section may be in several segments (a PT_LOAD and a PT_NOTE): the PT_LOAD
    // is the one that maps it.
    for (size_t k = 0; k < names->len; k++) {
      size_t p = 0;
      while (p < phdrs->len && strcmp(((PhdrDesc *)phdrs->data[p])->name, names->data[k]))
        p++;
      if (p == phdrs->len) {
        if (final)
          error("section '%s' is assigned to program header '%s', which PHDRS does not define",
                osec->name, (const char *)names->data[k]);
        continue;
      }
      if (((PhdrDesc *)phdrs->data[p])->p_type == PT_LOAD && load[i] < 0)
        load[i] = (int)p;
    }
  }
}

size_t script_phdr_count(Ctx *ctx, size_t loads) {
  if (ctx->script.phdrs.len)
    return ctx->script.phdrs.len;
  bool tls = false;
  size_t n = loads + 1;  // the PT_LOADs (the headers' own included), PT_GNU_STACK
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->sh_type == SHT_NOTE && (osec->sh_flags & SHF_ALLOC))
      n++;
    tls |= (osec->sh_flags & SHF_TLS) != 0;
  }
  return n + tls + count_synthetic_phdrs(ctx);
}

// The file offset of a segment's first section: the first one at or past `end`
// that is congruent to its address.
static uint64_t congruent_offset(Ctx *ctx, uint64_t end, uint64_t addr) {
  return end + ((addr - end) & (ctx->opt.page_size - 1));
}

// Lays out PT_LOAD `g` (its sections are those with load[i] == g) from file offset
// `*file_end`; `headers` puts the ELF and program headers at its start.
static void lay_out_load(Ctx *ctx, Segment *seg, const int *load, int g, bool headers,
                         uint64_t *file_end) {
  OutputSection *first = NULL;
  uint64_t mem_end = 0;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (load[i] != g)
      continue;
    if (!first) {
      first = osec;
      if (headers) {
        seg->p_offset = 0;
        seg->p_vaddr = osec->addr - osec->addr % ctx->opt.page_size;
        seg->p_paddr = osec->lma - osec->addr % ctx->opt.page_size;
      } else {
        seg->p_offset = congruent_offset(ctx, *file_end, osec->addr);
        seg->p_vaddr = osec->addr;
        seg->p_paddr = osec->lma;
      }
      seg->p_filesz = headers ? ctx->phdrs_offset : 0;
    }
    osec->seg = seg;
    osec->offset = seg->p_offset + (osec->addr - seg->p_vaddr);
    if (osec->sh_type != SHT_NOBITS) {
      seg->p_filesz = osec->offset + osec->size - seg->p_offset;
      if (osec->offset + osec->size > *file_end)
        *file_end = osec->offset + osec->size;
    }
    if (osec->addr + mem_size(osec) > mem_end)
      mem_end = osec->addr + mem_size(osec);
    seg->p_flags |= section_flags(osec);
  }
  if (first)
    seg->p_memsz = mem_end - seg->p_vaddr;
  // Nothing in the file: GNU ld's offset is the address's offset in its page.
  if (first && !headers && !seg->p_filesz)
    seg->p_offset = seg->p_vaddr % ctx->opt.page_size;
  // A zero-filled section has no bytes in the file: it gets the offset where its
  // segment's file bytes end, as other linkers do.
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (load[i] == g && osec->sh_type == SHT_NOBITS && osec->offset > seg->p_offset + seg->p_filesz)
      osec->offset = seg->p_offset + seg->p_filesz;
  }
}

// A segment that covers the allocated sections for which `in(osec)` holds, from
// the first to the last (PT_TLS, PT_NOTE, PHDRS' other types).
static void cover(Segment *seg, Ctx *ctx, bool (*in)(Ctx *, const OutputSection *, const void *),
                  const void *arg) {
  bool any = false;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (!(osec->sh_flags & SHF_ALLOC) || !in(ctx, osec, arg))
      continue;
    if (!any) {
      seg->p_offset = osec->offset;
      seg->p_vaddr = osec->addr;
      seg->p_paddr = osec->lma;
      any = true;
    }
    seg->p_memsz = osec->addr + osec->size - seg->p_vaddr;
    if (osec->sh_type != SHT_NOBITS)
      seg->p_filesz = osec->offset + osec->size - seg->p_offset;
    if (osec->sh_addralign > seg->p_align)
      seg->p_align = osec->sh_addralign;
  }
}

static bool is_tls_section(Ctx *ctx, const OutputSection *osec, const void *arg) {
  (void)ctx, (void)arg;
  return osec->sh_flags & SHF_TLS;
}

static bool is_this_section(Ctx *ctx, const OutputSection *osec, const void *arg) {
  (void)ctx;
  return osec == arg;
}

// PHDRS: does the script put osec in the program header `arg`?
static bool is_in_phdr(Ctx *ctx, const OutputSection *osec, const void *arg) {
  const PtrVec *names = NULL;
  for (size_t j = 0; j < ctx->script.sections.len; j++) {
    const ScriptCmd *cmd = ctx->script.sections.data[j];
    if (cmd->kind != SC_OUTPUT_SECTION)
      continue;
    if (cmd->osd->phdrs.len)
      names = &cmd->osd->phdrs;
    if (cmd->osd->osec == osec)
      break;
  }
  for (size_t k = 0; names && k < names->len; k++)
    if (!strcmp(names->data[k], ((const PhdrDesc *)arg)->name))
      return true;
  return false;
}

static void add_tls(Ctx *ctx) {
  Segment tls = {.p_type = PT_TLS, .p_flags = PF_R, .p_align = 1};
  cover(&tls, ctx, is_tls_section, NULL);
  if (!tls.p_memsz && !tls.p_vaddr)
    return;
  ctx->tls = add_segment(ctx, PT_TLS, PF_R);
  *ctx->tls = tls;
  ctx->tls_start = tls.p_vaddr;
  // A static program's C library puts the TLS block at an aligned address: the
  // thread pointer is its start plus its size, rounded up (see layout.c).
  ctx->tp = tls.p_vaddr + align_to(tls.p_memsz, tls.p_align);
}

// Sections that overlap in memory would overwrite each other's bytes (but those of
// one OVERLAY are meant to: the program copies in the one it needs).
static void check_overlaps(Ctx *ctx) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    const OutputSection *a = ctx->osecs.data[i];
    for (size_t j = i + 1; j < ctx->osecs.len && (a->sh_flags & SHF_ALLOC); j++) {
      const OutputSection *b = ctx->osecs.data[j];
      if (!(b->sh_flags & SHF_ALLOC) || !mem_size(a) || !mem_size(b) ||
          (a->overlay && a->overlay == b->overlay))
        continue;
      if (b->addr < a->addr + a->size && a->addr < b->addr + b->size)
        error("section '%s' [0x%llx, 0x%llx) overlaps section '%s' [0x%llx, 0x%llx)", b->name,
              (unsigned long long)b->addr, (unsigned long long)(b->addr + b->size), a->name,
              (unsigned long long)a->addr, (unsigned long long)(a->addr + a->size));
    }
  }
}

// Do the headers fit on the page before the first allocated section?
static bool headers_fit(Ctx *ctx, const int *load, int g, uint64_t headers_end) {
  for (size_t i = 0; i < ctx->osecs.len; i++)
    if (load[i] == g) {
      const OutputSection *osec = ctx->osecs.data[i];
      return osec->addr % ctx->opt.page_size >= headers_end;
    }
  return false;
}

size_t script_segments(Ctx *ctx, size_t nphdrs, bool final) {
  size_t cap = ctx->osecs.len + ctx->script.phdrs.len + count_synthetic_phdrs(ctx) + 8;
  if (nphdrs > cap)
    cap = nphdrs;
  ctx->segs = arena_array(&ctx->arena, cap, sizeof(Segment));
  ctx->nsegs = 0;
  ctx->tls = NULL;
  ctx->phdrs_offset = sizeof(Elf64_Ehdr);
  uint64_t headers_end = ctx->phdrs_offset + nphdrs * sizeof(Elf64_Phdr);
  int *load = arena_array(&ctx->arena, ctx->osecs.len + 1, sizeof(int));
  uint64_t file_end = headers_end;
  for (size_t i = 0; i < ctx->osecs.len; i++)
    ((OutputSection *)ctx->osecs.data[i])->seg = NULL;
  size_t nloads;

  if (ctx->script.phdrs.len) {
    group_by_phdrs(ctx, load, final);
    nloads = 0;
    for (size_t p = 0; p < ctx->script.phdrs.len; p++) {
      const PhdrDesc *ph = ctx->script.phdrs.data[p];
      // (GNU ld gives a PT_GNU_STACK of PHDRS no flags unless FLAGS() does.)
      Segment *seg = add_segment(ctx, ph->p_type, 0);
      if (ph->p_type == PT_GNU_STACK)
        seg->p_align = 8;
      if (ph->p_type == PT_LOAD) {
        nloads++;
        bool headers = ph->filehdr || ph->phdrs;
        if (headers && !headers_fit(ctx, load, (int)p, headers_end) && final)
          error("program header '%s': not enough room for the ELF and program headers before "
                "its first section", ph->name);
        lay_out_load(ctx, seg, load, (int)p, headers && headers_fit(ctx, load, (int)p, headers_end),
                     &file_end);
        if (!seg->p_flags)
          seg->p_flags = PF_R;
      }
      if (ph->flags)
        seg->p_flags = (uint32_t)eval_expr(ctx, ph->flags);
    }
    // The other types cover their sections once every offset is known.
    for (size_t p = 0; p < ctx->script.phdrs.len; p++) {
      const PhdrDesc *ph = ctx->script.phdrs.data[p];
      Segment *seg = &ctx->segs[p];
      if (ph->p_type == PT_PHDR) {
        seg->p_offset = ctx->phdrs_offset;
        seg->p_filesz = seg->p_memsz = nphdrs * sizeof(Elf64_Phdr);
        seg->p_align = 8;
        if (!seg->p_flags)
          seg->p_flags = PF_R;
        // Where the table is in memory: in the PT_LOAD that holds the headers.
        for (size_t q = 0; q < ctx->nsegs; q++)
          if (ctx->segs[q].p_type == PT_LOAD && ctx->segs[q].p_offset == 0 && ctx->segs[q].p_filesz) {
            seg->p_vaddr = seg->p_paddr = ctx->segs[q].p_vaddr + ctx->phdrs_offset;
            break;
          }
      } else if (ph->p_type != PT_LOAD && ph->p_type != PT_GNU_STACK) {
        cover(seg, ctx, is_in_phdr, ph);
        if (!seg->p_flags)
          seg->p_flags = PF_R;
        if (ph->p_type == PT_TLS) {
          ctx->tls = seg;
          ctx->tls_start = seg->p_vaddr;
          ctx->tp = seg->p_vaddr + align_to(seg->p_memsz, seg->p_align);
        }
      }
      if (ph->at)
        seg->p_paddr = eval_expr(ctx, ph->at);
    }
  } else {
    nloads = group_by_rules(ctx, load);
    for (size_t g = 0; g < nloads; g++) {
      bool headers = g == 0 && headers_fit(ctx, load, 0, headers_end);
      bool code_first = false;
      for (size_t i = 0; i < ctx->osecs.len && headers; i++)
        if (load[i] == 0) {
          code_first = ((OutputSection *)ctx->osecs.data[i])->sh_flags & SHF_EXECINSTR;
          break;
        }
      if (headers && code_first) {
        // -z separate-code: no code on the headers' segment.
        Segment *hdr = add_segment(ctx, PT_LOAD, PF_R);
        for (size_t i = 0; i < ctx->osecs.len; i++)
          if (load[i] == 0) {
            const OutputSection *osec = ctx->osecs.data[i];
            hdr->p_vaddr = osec->addr - osec->addr % ctx->opt.page_size;
            hdr->p_paddr = osec->lma - osec->addr % ctx->opt.page_size;
            break;
          }
        hdr->p_filesz = hdr->p_memsz = headers_end;
        headers = false;
      }
      Segment *seg = add_segment(ctx, PT_LOAD, 0);
      lay_out_load(ctx, seg, load, (int)g, headers, &file_end);
      if (final && (seg->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
        warn("%s has a LOAD segment with RWX permissions", ctx->opt.output);
    }
    nloads = ctx->nsegs;
    for (size_t i = 0; i < ctx->osecs.len; i++) {
      OutputSection *osec = ctx->osecs.data[i];
      if (osec->sh_type == SHT_NOTE && osec->seg) {
        Segment *note = add_segment(ctx, PT_NOTE, PF_R);
        cover(note, ctx, is_this_section, osec);
      }
    }
    add_synthetic_phdrs(ctx, add_segment);
    add_tls(ctx);
    StackDecision stack = decide_stack(ctx);
    if (stack != STACK_UNSAID) {
      Segment *seg = add_segment(ctx, PT_GNU_STACK,
                                 PF_R | PF_W | (stack == STACK_EXEC ? PF_X : 0));
      seg->p_align = 16;
      seg->p_memsz = ctx->opt.stack_size;
    }
  }
  if (final) {
    check_overlaps(ctx);
    if (ctx->nsegs > nphdrs)
      error("the layout keeps changing the number of program headers (%zu, then %zu); "
            "give the first section a fixed address", nphdrs, ctx->nsegs);
  }
  ctx->unallocated_start = file_end;
  ctx->file_size = place_unallocated_sections(ctx, file_end);
  return nloads;
}
