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
 * The file is built in a temporary file next to the output, sized once and mapped
 * (common/output_file.c), so each section is copied straight into place and
 * relocated there. Only when everything succeeded is it renamed over the output: a
 * failed link leaves no file behind and never clobbers the previous one.
 *
 * The order: headers, .symtab and section headers; every input section copied and
 * relocated (apply_relocs.c); then the linker-made sections, which may read those
 * bytes (.eh_frame_hdr indexes the relocated .eh_frame), the build ID last of all.
 *
 * Reads everything; sets ctx->image while it writes the file named by
 * ctx->opt.output.
 */
#include "../ld.h"

#include <stdatomic.h>

#include <stdlib.h>
#include <string.h>

static void write_ehdr(Ctx *ctx, uint8_t *out, uint64_t shoff, uint32_t shnum, uint32_t shstrndx) {
  Elf64_Ehdr eh = {0};
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  // GNU ld marks executables that use GNU extensions to the gABI (IFUNC) as GNU/Linux.
  eh.e_ident[EI_OSABI] = has_synthetic(ctx, SYN_IPLT) ? ELFOSABI_GNU : ELFOSABI_NONE;
  eh.e_type = is_pic(ctx) ? ET_DYN : ET_EXEC;
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
  for (uint64_t i = 0; i < isec->aux->neh; i++) {
    const EhRecord *rec = &isec->aux->eh[i];
    if (!rec->kept)
      continue;
    uint8_t *dst = osec_out + rec->out_off;
    memcpy(dst, isec->data.data + rec->in_off, rec->size);
    if (!rec->is_cie)
      write_u32le(dst + rec->id_off, (uint32_t)(rec->out_off + rec->id_off - rec->cie_out));
    apply_relocs(ctx, isec, dst, rec);
  }
}

// Reverses the order of the 8-byte entries of a relocated .ctors/.dtors table.
static void reverse_entries(uint8_t *p, uint64_t size) {
  if (size < 16)
    return;
  for (uint64_t i = 0, j = size - 8; i < j; i += 8, j -= 8) {
    uint8_t tmp[8];
    memcpy(tmp, p + i, 8);
    memcpy(p + i, p + j, 8);
    memcpy(p + j, tmp, 8);
  }
}

// Copies one member's bytes into the image and relocates them in place. The
// linker-made sections of ld/synthetic/ are written afterwards, by their own code
// (write_synthetic_sections); those whose contents were made while sizing them
// (isec->aux->synthetic) are copied here like any other.
static void copy_member(Ctx *ctx, InputSection *isec, uint8_t *osec_out) {
  if (isec->sh_type == SHT_NOBITS)
    return;  // its space is already zero
  if (isec->aux->eh) {
    copy_eh_frame_records(ctx, isec, osec_out);
    return;
  }
  uint8_t *dst = osec_out + isec->offset;
  const uint8_t *src = isec->aux->synthetic ? isec->aux->synthetic : isec->data.data;
  if (isec->sh_size && src)
    memcpy(dst, src, isec->sh_size);
  if (isec->nrels)
    apply_relocs(ctx, isec, dst, NULL);
  if (isec->reversed)
    reverse_entries(dst, isec->sh_size);
}

static void copy_members(Ctx *ctx, const OutputSection *osec, uint8_t *osec_out) {
  for (size_t j = 0; j < osec->members.len; j++)
    copy_member(ctx, osec->members.data[j], osec_out);
}

// Every member writes its own bytes of the image, so members are copied and
// relocated in parallel: a task per object, for its sections that are members (the
// objects come in load order, so no member list need be sorted into tasks), a task
// per section the linker made, and a task per compressed output section. Once a
// batch of objects (a few megabytes of input) is in the output, their pages are let
// go: a big link then never holds all of its inputs and all of its output in
// memory at once. (A batch at a time, not a file at a time: letting go costs a call
// to the kernel and a TLB flush on every CPU, whatever the size, mapped_file.c.)
enum { BATCH_BYTES = 16 << 20 };

typedef struct {
  View *views;  // the batch's files, by address (release_views_pages)
  size_t nviews;
  _Atomic size_t left;  // its files not copied yet
} CopyBatch;

typedef struct {
  Ctx *ctx;
  uint8_t *out;
  uint32_t *batch_of;       // per object: its batch
  CopyBatch *batches;
  PtrVec compressed;        // OutputSection *, each copied whole
  _Atomic size_t copied;    // members copied, to check against the members
} CopyTasks;

// Whether isec is a member of an output section whose members are copied (a
// section whose strings went to a merged copy is not: the copy is; nor is one of an
// empty output section a script left out, script_layout.c).
static bool copied_member(const InputSection *isec) {
  return isec && isec->is_alive && isec->osec && !isec->aux->merged &&
         !isec->osec->compressed && isec->osec->sh_type != SHT_NOBITS &&
         isec->osec->shndx != SHN_ABS;
}

static void copy_task(void *arg, size_t i) {
  CopyTasks *t = arg;
  Ctx *ctx = t->ctx;
  size_t nfiles = ctx->files.len, nlinker = ctx->linker_sections.len;
  if (i >= nfiles + nlinker) {
    OutputSection *osec = t->compressed.data[i - nfiles - nlinker];
    memcpy(t->out + osec->offset, osec->compressed, osec->size);
    return;
  }
  if (i >= nfiles) {
    InputSection *isec = ctx->linker_sections.data[i - nfiles];
    if (copied_member(isec)) {
      copy_member(ctx, isec, t->out + isec->osec->offset);
      atomic_fetch_add_explicit(&t->copied, 1, memory_order_relaxed);
    }
    return;
  }
  InputFile *file = ctx->files.data[i];
  size_t n = 0;
  for (uint64_t s = 1; s < file->obj.shnum; s++) {
    InputSection *isec = file->sections[s];
    if (copied_member(isec)) {
      copy_member(ctx, isec, t->out + isec->osec->offset);
      n++;
    }
  }
  atomic_fetch_add_explicit(&t->copied, n, memory_order_relaxed);
  CopyBatch *b = &t->batches[t->batch_of[i]];
  if (atomic_fetch_sub(&b->left, 1) == 1)
    release_views_pages(b->views, b->nviews);
}

static int by_address(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const View *)a)->data, y = (uintptr_t)((const View *)b)->data;
  return (x > y) - (x < y);
}

// Groups the objects, in load order, into batches of about BATCH_BYTES of input.
static CopyBatch *make_batches(Ctx *ctx, uint32_t *batch_of) {
  size_t nfiles = ctx->files.len;
  CopyBatch *batches = arena_array(&ctx->arena, nfiles + 1, sizeof *batches);
  View *views = arena_array(&ctx->arena, nfiles + 1, sizeof *views);
  size_t nbatches = 0, bytes = 0;
  for (size_t f = 0; f < nfiles; f++) {
    InputFile *file = ctx->files.data[f];
    if (!nbatches || bytes >= BATCH_BYTES) {
      batches[nbatches++] = (CopyBatch){views, 0, 0};
      bytes = 0;
    }
    CopyBatch *b = &batches[nbatches - 1];
    batch_of[f] = (uint32_t)(nbatches - 1);
    b->left++;
    if (file->view.size) {
      b->views[b->nviews++] = file->view;
      views++;
      bytes += file->view.size;
    }
  }
  for (size_t i = 0; i < nbatches; i++)
    qsort(batches[i].views, batches[i].nviews, sizeof(View), by_address);
  return batches;
}

static void copy_sections(Ctx *ctx, uint8_t *out) {
  uint32_t *batch_of = arena_array(&ctx->arena, ctx->files.len + 1, sizeof(uint32_t));
  CopyTasks t = {ctx, out, batch_of, make_batches(ctx, batch_of), {0}, 0};
  size_t members = 0;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->compressed)
      vec_push(&ctx->arena, &t.compressed, osec);
    else if (osec->sh_type != SHT_NOBITS)
      members += osec->members.len;
  }
  parallel_for(ctx->files.len + ctx->linker_sections.len + t.compressed.len, copy_task, &t);
  // (Every member is copied by its file's task or as a section the linker made.)
  if (atomic_load(&t.copied) != members)
    internal_error("copied %zu sections of the %zu in the output sections",
                   (size_t)atomic_load(&t.copied), members);
}

// --compress-debug-sections: each .debug_* section is relocated in memory and
// compressed there, to go out as a compression header (Elf64_Chdr: the algorithm,
// the size and alignment of the data) and the compressed bytes, flagged
// SHF_COMPRESSED; the sections after it in the file then move up. (A section that
// would not get smaller stays as it is, as with GNU ld.)
static void compress_debug_sections(Ctx *ctx) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if ((osec->sh_flags & SHF_ALLOC) || osec->sh_type == SHT_NOBITS || !osec->size ||
        strncmp(osec->name, ".debug", 6))
      continue;
    uint8_t *raw = calloc(1, osec->size);
    const char *why = NULL;
    size_t bound = compress_bound(ctx->opt.compress_debug, osec->size, &why);
    uint8_t *buf = bound ? malloc(sizeof(Elf64_Chdr) + bound) : NULL;
    if (!raw || (bound && !buf))
      fatal("out of memory");
    if (!bound) {
      error("--compress-debug-sections: %s", why);
      free(raw);
      return;
    }
    copy_members(ctx, osec, raw);
    size_t n = compress(ctx->opt.compress_debug, raw, osec->size, buf + sizeof(Elf64_Chdr),
                        bound, &why);
    free(raw);
    if (!n) {
      error("%s: cannot compress: %s", osec->name, why);
      free(buf);
      return;
    }
    if (sizeof(Elf64_Chdr) + n >= osec->size) {
      free(buf);
      continue;
    }
    Elf64_Chdr ch = {.ch_type = ctx->opt.compress_debug, .ch_size = osec->size,
                     .ch_addralign = osec->sh_addralign};
    memcpy(buf, &ch, sizeof ch);
    osec->compressed = buf;
    osec->size = sizeof ch + n;
    osec->sh_flags |= SHF_COMPRESSED;
    osec->sh_addralign = 8;  // the header's
  }
  ctx->file_size = place_unallocated_sections(ctx, ctx->unallocated_start);
}

// --emit-relocs: the relocations of the sections in output section i, as they stand
// in the output: each place by its address, each symbol by its .symtab index. A
// symbol the table leaves out (a section symbol, a .L label) becomes its output
// section's symbol plus its offset there. Relocations in what was dropped (an
// .eh_frame record of a discarded function, a string merged away) are left out.
static Buf emitted_relocs(Ctx *ctx, size_t i) {
  OutputSection *osec = ctx->osecs.data[i];
  Buf b = {0};
  for (size_t j = 0; j < osec->members.len; j++) {
    InputSection *isec = osec->members.data[j];
    for (uint64_t k = 0; k < isec->nrels; k++) {
      Elf64_Rela rel = isec->rels[k];
      bool dropped = false;
      uint64_t place = isec_output_offset(isec, rel.r_offset, &dropped);
      if (dropped)
        continue;
      const Symbol *sym = isec->file->syms[ELF64_R_SYM(rel.r_info)];
      uint32_t index = sym->symtab_index;
      if (!index && sym != ctx->null_symbol && sym->isec && sym->isec->osec) {
        const OutputSection *to = sym->isec->osec;
        index = section_symbol_index(to->shndx - 1);
        rel.r_addend += (int64_t)(symbol_definition_address(sym) - to->addr);
      }
      rel.r_offset = osec->addr + place;
      rel.r_info = ELF64_R_INFO(index, ELF64_R_TYPE(rel.r_info));
      buf_add(&b, &rel, sizeof rel);
    }
  }
  return b;
}

static void write_shdr(uint8_t *out, uint64_t shoff, uint32_t idx, const Elf64_Shdr *sh) {
  memcpy(out + shoff + idx * sizeof *sh, sh, sizeof *sh);
}

void write_output(Ctx *ctx) {
  if (ctx->opt.compress_debug)
    compress_debug_sections(ctx);
  Buf symtab = {0};
  StringTable strtab = {0}, shstrtab = {0};
  uint32_t first_global = 0;
  if (!ctx->opt.strip_all)
    first_global = build_symtab(ctx, &symtab, &strtab);
  // The names came from the inputs' string tables, read for the last time
  // (mapped_file.c): not kept while the tables are copied into the output, nor
  // while the sections are (which read the contents and relocations once more).
  release_mapped_pages();
  stats_mark(ctx, "write_output: build_symtab");

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

  // --emit-relocs: a .rela section for each output section that had relocations,
  // after the sections and before .symtab.
  uint64_t off = ctx->file_size;
  Buf *relas = arena_array(&ctx->arena, ctx->osecs.len + 1, sizeof(Buf));
  uint32_t *rela_names = arena_array(&ctx->arena, ctx->osecs.len + 1, sizeof(uint32_t));
  uint64_t *rela_offs = arena_array(&ctx->arena, ctx->osecs.len + 1, sizeof(uint64_t));
  uint32_t nrelas = 0;
  for (size_t i = 0; ctx->opt.emit_relocs && !ctx->opt.strip_all && i < ctx->osecs.len; i++) {
    relas[i] = emitted_relocs(ctx, i);
    if (!relas[i].len)
      continue;
    rela_names[i] = add_string(&shstrtab, arena_printf(&ctx->arena, ".rela%s",
                                                       ((OutputSection *)ctx->osecs.data[i])->name));
    rela_offs[i] = off = align_to(off, 8);
    off += relas[i].len;
    nrelas++;
  }
  uint64_t symtab_off = off = align_to(off, 8);
  off += symtab.len;
  uint64_t strtab_off = off;
  off += strtab.buf.len;
  uint64_t shstrtab_off = off;
  off += shstrtab.buf.len;
  uint64_t shoff = align_to(off, 8);
  uint32_t nosecs = (uint32_t)ctx->osecs.len;
  uint32_t shnum = 1 + nosecs + nrelas + (ctx->opt.strip_all ? 0 : 2) + 1;
  uint64_t size = shoff + (uint64_t)shnum * sizeof(Elf64_Shdr);

  // A symbolic link as the output is replaced by the new file, its target left
  // alone, as GNU ld and lld do; a device or pipe (/dev/null) is written in place
  // (output_file.c).
  OutputFile of;
  uint8_t *out = output_open(&of, ctx->opt.output, 0777, 0) ? output_map(&of, size) : NULL;
  if (!out) {
    // (The link ends here: a run in a process that goes on, ld_main, must not
    // leave the tables behind.)
    for (size_t i = 0; i < ctx->osecs.len; i++)
      free(relas[i].data);
    free(symtab.data);
    free_string_table(&strtab);
    free_string_table(&shstrtab);
    end_run(1);
  }
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
  uint32_t symtab_idx = idx + nrelas;
  for (uint32_t i = 0; i < nosecs; i++) {
    if (!relas[i].len)
      continue;
    memcpy(out + rela_offs[i], relas[i].data, relas[i].len);
    Elf64_Shdr sh = {
      .sh_name = rela_names[i], .sh_type = SHT_RELA, .sh_flags = SHF_INFO_LINK,
      .sh_offset = rela_offs[i], .sh_size = relas[i].len, .sh_link = symtab_idx,
      .sh_info = ((OutputSection *)ctx->osecs.data[i])->shndx, .sh_addralign = 8,
      .sh_entsize = sizeof(Elf64_Rela),
    };
    write_shdr(out, shoff, idx++, &sh);
    free(relas[i].data);
  }
  if (!ctx->opt.strip_all) {
    parallel_memcpy(out + symtab_off, symtab.data, symtab.len);
    parallel_memcpy(out + strtab_off, strtab.buf.data, strtab.buf.len);
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
  stats_mark(ctx, "write_output: headers, .symtab");
  copy_sections(ctx, out);
  stats_mark(ctx, "write_output: copy_sections");
  write_synthetic_sections(ctx, out);
  stats_mark(ctx, "write_output: linker sections");
  // --explain-reloc: the relocations asked about, beside the bytes now written (and
  // before an overflow stops the link, so that it can be explained too).
  if (ctx->opt.explain_relocs.len)
    explain_relocs(ctx);
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    free(osec->compressed);
    osec->compressed = NULL;
  }

  // Relocation overflows were recorded while the sections were copied; a link with
  // errors must not produce a file.
  if (error_count()) {
    output_discard(&of);
    end_run(1);
  }
  if (!output_commit(&of))
    end_run(1);
  ctx->image = NULL;
  stats_mark(ctx, "write_output: commit");
}
