/*
 * write_map.c — the link, explained: -Map/-M and --why-extract.
 *
 * A linker makes many decisions a user cannot see in the output: which archive
 * members it loaded and why, where each input section went, which symbols ended up
 * where. The map answers "why is this in my program?" and "where did my function
 * go?" (GNU ld's -Map, lld's and mold's --why-extract).
 *
 *   Archive member included to satisfy reference by file (symbol)
 *   ./libprocess.a(process1.o)    main.o (func1)
 *
 *   Shared libraries
 *     libc.so.6      /lib/x86_64-linux-gnu/libc.so.6  DT_NEEDED
 *         printf@GLIBC_2.2.5                  PLT       (how the program reaches it)
 *
 *   Discarded input sections
 *     b.o:(.text._Z6squarei)  size 0x6        (a COMDAT copy, or --gc-sections)
 *
 *   Output sections
 *        Address     Offset       Size  Align  Section / input section / symbol
 *       0x401158      0x158      0x446     16  .text
 *       0x401158      0x158       0x2b      1      main.o:(.text)
 *       0x401158                                       main
 *
 *   Segments
 *     Type        Offset    Address  FileSize   MemSize  Flags  Align  Sections
 *
 * Runs last: it reads everything and changes nothing. Like the executable, each
 * report is written to a temporary file and renamed into place (output_file.c).
 */
#include "../ld.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_extractions(Ctx *ctx, FILE *fp) {
  bool any = false;
  for (size_t i = 0; i < ctx->files.len; i++) {
    InputFile *file = ctx->files.data[i];
    if (!file->from_archive)
      continue;
    if (!any)
      fprintf(fp, "Archive member included to satisfy reference by file (symbol)\n\n");
    any = true;
    // GNU ld's layout: the member, then (on the same line if it fits) who needed it.
    int n = fprintf(fp, "%s", file->name);
    if (n >= 30)
      fprintf(fp, "\n%30s", "");
    else
      fprintf(fp, "%*s", 30 - n, "");
    if (!file->extracted_for)
      fprintf(fp, "(%s)\n", file->extracted_by);
    else if (file->extracted_by)
      fprintf(fp, "%s (%s)\n", file->extracted_by, file->extracted_for);
    else
      fprintf(fp, "(%s)\n", file->extracted_for);
  }
  if (any)
    fprintf(fp, "\n");
}

// Which shared library each imported symbol comes from, and how the program
// reaches it (GNU ld's map has no such section; the seeds draw it by hand).
static void print_shared(Ctx *ctx, FILE *fp) {
  if (!ctx->shared_files.len)
    return;
  fprintf(fp, "Shared libraries\n\n");
  for (size_t i = 0; i < ctx->shared_files.len; i++) {
    InputFile *so = ctx->shared_files.data[i];
    fprintf(fp, "  %-30s %s  %s\n", so->soname, so->name,
            so->is_needed ? "DT_NEEDED" : "not needed (--as-needed: nothing uses it)");
    for (size_t j = 0; j < ctx->globals.len; j++) {
      Symbol *sym = ctx->globals.data[j];
      if (sym->file != so || !sym->object_ref || (sym->state != SYM_SHARED && !sym->copied))
        continue;
      const char *version = sym->aux->version;
      const char *name =
          version ? arena_printf(&ctx->arena, "%s@%s", sym->name, version) : sym->name;
      fprintf(fp, "      %-36s%s%s%s%s\n", name, sym->aux->plt_index >= 0 ? " PLT" : "",
              sym->canonical_plt ? " (its address)" : "", sym->aux->got_index >= 0 ? " GOT" : "",
              sym->copied ? " copied into .dynbss" : "");
    }
  }
  fprintf(fp, "\n");
}

// The symbols to show under each input section: named, defined in a section that
// made it into the output. Sorted to follow the map: by output section, position
// of the input section, then address.
static int compare_syms(const void *a, const void *b) {
  const Symbol *x = *(Symbol *const *)a, *y = *(Symbol *const *)b;
  if (x->isec->osec->shndx != y->isec->osec->shndx)
    return x->isec->osec->shndx < y->isec->osec->shndx ? -1 : 1;
  if (x->isec->order != y->isec->order)
    return x->isec->order < y->isec->order ? -1 : 1;
  if (x->value != y->value)
    return x->value < y->value ? -1 : 1;
  return strcmp(x->name, y->name);
}

static bool is_mappable(const Symbol *sym) {
  // (Symbols in merged string sections are not listed: their input section is no
  // longer a member of its output section.)
  return sym && sym->state == SYM_DEFINED && sym->isec && sym->isec->is_alive &&
         sym->isec->osec && !sym->isec->aux->merged && *sym->name && sym->type != STT_SECTION &&
         sym->type != STT_FILE && strncmp(sym->name, ".L", 2);
}

static PtrVec sorted_symbols(Ctx *ctx) {
  PtrVec syms = {0};
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.nsyms; i++) {
      Symbol *sym = file->syms[i];
      if (is_mappable(sym) && !sym->is_global)
        vec_push(&ctx->arena, &syms, sym);
    }
  }
  for (size_t i = 0; i < ctx->globals.len; i++)
    if (is_mappable(ctx->globals.data[i]))
      vec_push(&ctx->arena, &syms, ctx->globals.data[i]);
  if (syms.len > 1)
    qsort(syms.data, syms.len, sizeof(void *), compare_syms);
  return syms;
}

// What the link dropped: the losing copies of COMDAT groups and the sections
// --gc-sections found unreachable.
static void print_discarded(Ctx *ctx, FILE *fp) {
  bool any = false;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || isec->is_alive || isec->aux->merged || !isec->sh_size)
        continue;
      if (!any)
        fprintf(fp, "Discarded input sections\n\n");
      any = true;
      fprintf(fp, "  %s:(%s)  size %#llx\n", file->name, isec->name,
              (unsigned long long)isec->sh_size);
    }
  }
  if (any)
    fprintf(fp, "\n");
}

static void print_sections(Ctx *ctx, FILE *fp) {
  PtrVec syms = sorted_symbols(ctx);
  size_t next = 0;
  fprintf(fp, "Output sections\n\n");
  fprintf(fp, "%14s %10s %10s %6s  %s\n", "Address", "Offset", "Size", "Align",
          "Section / input section / symbol");
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    fprintf(fp, "%#14llx %#10llx %#10llx %6llu  %s\n", (unsigned long long)osec->addr,
            (unsigned long long)osec->offset, (unsigned long long)osec->size,
            (unsigned long long)osec->sh_addralign, osec->name);
    for (size_t j = 0; j < osec->members.len; j++) {
      InputSection *isec = osec->members.data[j];
      fprintf(fp, "%#14llx %#10llx %#10llx %6llu      %s:(%s)\n",
              (unsigned long long)(osec->addr + isec->offset),
              (unsigned long long)(osec->offset + isec->offset),
              (unsigned long long)isec->sh_size, (unsigned long long)isec->sh_addralign,
              isec->file->name, isec->name);
      for (; next < syms.len && ((Symbol *)syms.data[next])->isec == isec; next++) {
        Symbol *sym = syms.data[next];
        fprintf(fp, "%#14llx %10s %10s %6s          %s\n",
                (unsigned long long)symbol_address(sym), "", "", "", sym->name);
      }
    }
  }
  fprintf(fp, "\n");
}

static const char *segment_type(uint32_t type) {
  switch (type) {
  case PT_LOAD: return "LOAD";
  case PT_NOTE: return "NOTE";
  case PT_TLS: return "TLS";
  case PT_GNU_STACK: return "GNU_STACK";
  case PT_GNU_EH_FRAME: return "GNU_EH_FRAME";
  case PT_GNU_RELRO: return "GNU_RELRO";
  case PT_GNU_PROPERTY: return "GNU_PROPERTY";
  case PT_DYNAMIC: return "DYNAMIC";
  }
  return "?";
}

static void print_segments(Ctx *ctx, FILE *fp) {
  fprintf(fp, "Segments\n\n");
  fprintf(fp, "  %-12s %10s %10s %10s %10s  %-5s %6s  %s\n", "Type", "Offset", "Address",
          "FileSize", "MemSize", "Flags", "Align", "Sections");
  for (size_t i = 0; i < ctx->nsegs; i++) {
    Segment *seg = &ctx->segs[i];
    fprintf(fp, "  %-12s %#10llx %#10llx %#10llx %#10llx  %c%c%c   %#6llx",
            segment_type(seg->p_type), (unsigned long long)seg->p_offset,
            (unsigned long long)seg->p_vaddr, (unsigned long long)seg->p_filesz,
            (unsigned long long)seg->p_memsz, seg->p_flags & PF_R ? 'R' : ' ',
            seg->p_flags & PF_W ? 'W' : ' ', seg->p_flags & PF_X ? 'X' : ' ',
            (unsigned long long)seg->p_align);
    if (seg->p_type == PT_LOAD && i == 0)
      fprintf(fp, "  (ELF header, program headers)");
    for (size_t j = 0; j < ctx->osecs.len; j++) {
      OutputSection *osec = ctx->osecs.data[j];
      if (!(osec->sh_flags & SHF_ALLOC))
        continue;
      // As readelf decides it: only TLS sections are in PT_TLS, and .tbss, which
      // takes no room in memory but each thread's copy, is in no other segment
      // (its addresses are those of the sections after it).
      bool tls = osec->sh_flags & SHF_TLS;
      if ((seg->p_type == PT_TLS) != tls && (seg->p_type == PT_TLS || osec->sh_type == SHT_NOBITS))
        continue;
      // An empty section is in the segment its address is inside of.
      uint64_t end = seg->p_vaddr + seg->p_memsz;
      if (osec->addr >= seg->p_vaddr &&
          (osec->size ? osec->addr + osec->size <= end : osec->addr < end))
        fprintf(fp, "  %s", osec->name);
    }
    fprintf(fp, "\n");
  }
}

// lld's format: a header, then one row per member loaded from an archive.
static void print_why_extract(Ctx *ctx, FILE *fp) {
  fprintf(fp, "reference\textracted\tsymbol\n");
  for (size_t i = 0; i < ctx->files.len; i++) {
    InputFile *file = ctx->files.data[i];
    if (!file->from_archive || !file->extracted_for)
      continue;
    fprintf(fp, "%s\t%s\t%s\n", file->extracted_by ? file->extracted_by : "--entry",
            file->name, file->extracted_for);
  }
}

// The symbols the linker defined itself (_end, __bss_start, __start_SEC,
// _GLOBAL_OFFSET_TABLE_, ...), those the program refers to, by address.
static int compare_addresses(const void *a, const void *b) {
  const Symbol *x = *(Symbol *const *)a, *y = *(Symbol *const *)b;
  uint64_t ax = symbol_address(x), ay = symbol_address(y);
  if (ax != ay)
    return ax < ay ? -1 : 1;
  return strcmp(x->name, y->name);
}

static void print_linker_symbols(Ctx *ctx, FILE *fp) {
  PtrVec syms = {0};
  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    if (sym->state == SYM_LINKER)
      vec_push(&ctx->arena, &syms, sym);
  }
  if (!syms.len)
    return;
  qsort(syms.data, syms.len, sizeof(void *), compare_addresses);
  fprintf(fp, "Linker-defined symbols\n\n");
  for (size_t i = 0; i < syms.len; i++) {
    const Symbol *sym = syms.data[i];
    fprintf(fp, "%#14llx  %s\n", (unsigned long long)symbol_address(sym), sym->name);
  }
  fprintf(fp, "\n");
}

// One line of the cross-reference table: sym is defined (kind 0), tentatively
// defined (1) or referred to (2) in file.
typedef struct {
  const Symbol *sym;
  const char *shown;  // its name as the table shows it (demangled), and sorts it
  const InputFile *file;
  int kind;
  size_t order;  // the file's place on the command line
} CrefEntry;

static int compare_cref(const void *a, const void *b) {
  const CrefEntry *x = a, *y = b;
  int c = strcmp(x->shown, y->shown);
  if (c || x->sym != y->sym)
    return c ? c : strcmp(x->sym->name, y->sym->name);
  if (x->kind != y->kind)
    return x->kind - y->kind;
  return x->order > y->order ? -1 : x->order < y->order;  // the last loaded first
}

// --cref: GNU ld's cross-reference table. Each global symbol an object names, by
// name as shown (demangled): the files that define it, then (aligned under them)
// those with tentative definitions, then those that refer to it; in each group the
// last one loaded first, as GNU ld lists them.
//
//   Symbol                                            File
//   main                                              main.o
//                                                     start.o
static void print_cref(Ctx *ctx, FILE *fp) {
  enum { FILE_COLUMN = 50 };
  size_t n = 0;
  for (size_t f = 0; f < ctx->files.len; f++)
    n += ((InputFile *)ctx->files.data[f])->obj.nsyms;
  CrefEntry *entries = arena_array(&ctx->arena, n + ctx->globals.len, sizeof *entries);
  n = 0;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.nsyms; i++) {
      const Symbol *sym = file->syms[i];
      const Elf64_Sym *esym = &file->obj.syms[i];
      if (!sym || !sym->is_global || ELF64_ST_BIND(esym->st_info) == STB_LOCAL)
        continue;
      int kind = esym->st_shndx == SHN_UNDEF ? 2 : esym->st_shndx == SHN_COMMON ? 1 : 0;
      entries[n++] = (CrefEntry){sym, shown_name(ctx, sym->name), file, kind, f};
    }
  }
  // What a shared library defines for the program.
  for (size_t i = 0; i < ctx->globals.len; i++) {
    const Symbol *sym = ctx->globals.data[i];
    if (sym->state == SYM_SHARED && sym->object_ref)
      entries[n++] = (CrefEntry){sym, shown_name(ctx, sym->name), sym->file, 0, ctx->files.len};
  }
  qsort(entries, n, sizeof *entries, compare_cref);
  fprintf(fp, "\nCross Reference Table\n\n%-*s File\n", FILE_COLUMN - 1, "Symbol");
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || entries[i].sym != entries[i - 1].sym) {
      const char *name = entries[i].shown;
      fprintf(fp, "%s", name);
      if (strlen(name) >= FILE_COLUMN)
        fprintf(fp, "\n%*s", FILE_COLUMN, "");
      else
        fprintf(fp, "%*s", (int)(FILE_COLUMN - strlen(name)), "");
    } else if (entries[i].file == entries[i - 1].file) {
      continue;  // a file that names a symbol twice (foo and foo@VER) counts once
    } else {
      fprintf(fp, "%*s", FILE_COLUMN, "");
    }
    fprintf(fp, "%s\n", entries[i].file->name);
  }
}

static void print_map(Ctx *ctx, FILE *fp) {
  print_extractions(ctx, fp);
  print_shared(ctx, fp);
  print_discarded(ctx, fp);
  print_sections(ctx, fp);
  print_linker_symbols(ctx, fp);
  print_segments(ctx, fp);
  if (ctx->opt.cref)
    print_cref(ctx, fp);
}

// Writes one report to `path` ("-": standard output), all or nothing, as the
// executable is written (common/output_file.c). A failure is an error: the link's
// exit status says so, but the executable stays.
static void write_report(Ctx *ctx, const char *path, void (*print)(Ctx *ctx, FILE *fp)) {
  OutputFile of;
  if (!output_open(&of, path, 0666, OUTPUT_DASH_IS_STDOUT))
    return;
  FILE *fp = output_stream(&of);
  if (!fp)
    return;
  print(ctx, fp);
  output_commit(&of);
}

void write_map(Ctx *ctx) {
  if (ctx->opt.map_file)
    write_report(ctx, ctx->opt.map_file, print_map);
  else if (ctx->opt.cref)
    write_report(ctx, "-", print_cref);
  // GNU ld lists the MEMORY regions of its linker script; ours has none.
  if (ctx->opt.print_memory_usage)
    printf("Memory region         Used Size  Region Size  %%age Used\n");
  if (ctx->opt.why_extract)
    write_report(ctx, ctx->opt.why_extract, print_why_extract);
}
