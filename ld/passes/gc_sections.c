/*
 * gc_sections.c — --gc-sections: drop the sections nothing can reach.
 *
 * Compiled with -ffunction-sections -fdata-sections, every function and variable
 * sits in a section of its own, so the linker can tell which ones the program
 * uses. Like a garbage collector, it marks everything reachable from a set of roots
 * by following relocations (a relocation in a live section keeps its target alive),
 * then discards the rest.
 *
 * Roots: the entry point's section and those of -u symbols (and in a shared
 * library, or with -E, of every exported symbol); constructors and destructors (.init_array,
 * .fini_array, .preinit_array, .ctors, .dtors, .init, .fini), notes, sections marked
 * SHF_GNU_RETAIN, and sections whose name is a C identifier when the program uses
 * __start_NAME or __stop_NAME to walk them. Non-allocated sections (debug
 * information) are never collected and keep nothing alive.
 *
 * .eh_frame is special: it describes every function, so following all of its
 * relocations would keep every function alive. Instead an unwind entry (FDE) is
 * followed only once the function it describes is live; its other references (the
 * exception table in .gcc_except_table) then become live too. Entries of dead
 * functions stay behind and describe address 0 (see apply_relocs.c).
 *
 * Runs once every input is in (every reference has its definition) and before
 * scan_relocs (dead code must not ask for GOT slots). Clears is_alive.
 */
#include "../ld.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  Ctx *ctx;
  PtrVec work;
} Marker;

static void mark(Marker *m, InputSection *isec) {
  if (!isec || isec->gc_live || !isec->is_alive)
    return;
  isec->gc_live = true;
  vec_push(&m->ctx->arena, &m->work, isec);
}

static void mark_symbol(Marker *m, Symbol *sym) {
  if (sym && (sym->state == SYM_DEFINED) && sym->isec)
    mark(m, sym->isec);
}

static void mark_rel(Marker *m, InputFile *file, const Elf64_Rela *rel) {
  mark_symbol(m, file->syms[ELF64_R_SYM(rel->r_info)]);
}

static bool is_root(Ctx *ctx, const InputSection *isec) {
  static const char *const kept[] = {
    ".init_array", ".fini_array", ".preinit_array", ".ctors", ".dtors", ".init", ".fini", NULL,
  };
  if (!(isec->sh_flags & SHF_ALLOC))
    return false;  // handled apart: never collected, keeps nothing
  // A linker script's KEEP(...) says so.
  OutputDesc *osd;
  if (ctx->script.has_sections) {
    const InputRule *rule = match_script_rule(ctx, isec, &osd);
    if (rule && rule->keep)
      return true;
  }
  if (isec->sh_type == SHT_NOTE || isec->sh_type == SHT_INIT_ARRAY ||
      isec->sh_type == SHT_FINI_ARRAY || isec->sh_type == SHT_PREINIT_ARRAY ||
      (isec->sh_flags & SHF_GNU_RETAIN))
    return true;
  for (int i = 0; kept[i]; i++)
    if (has_section_prefix(isec->name, kept[i]))
      return true;
  if (is_c_identifier(isec->name)) {
    const char *start = arena_printf(&ctx->arena, "__start_%s", isec->name);
    const char *stop = arena_printf(&ctx->arena, "__stop_%s", isec->name);
    if (find_symbol(ctx, start) ||
        find_symbol(ctx, stop))
      return true;
  }
  return false;
}

// Follows relocations from live sections until nothing new is marked.
static void propagate(Marker *m) {
  while (m->work.len) {
    InputSection *isec = m->work.data[--m->work.len];
    if (!strcmp(isec->name, ".eh_frame"))
      continue;  // followed per FDE, in mark_unwind_entries
    for (uint64_t i = 0; i < isec->nrels; i++)
      mark_rel(m, isec->file, &isec->rels[i]);
  }
}

// For each FDE whose function is live, marks what the FDE refers to. Returns
// whether anything new was marked.
static bool mark_unwind_entries(Marker *m, InputSection *eh) {
  bool changed = false;
  View v = eh->data;
  uint64_t r = 0, size, hdr;
  for (uint64_t off = 0; eh_record_at(v, off, &size, &hdr) > 0;) {
    uint64_t end = off + size;
    bool is_cie = read_u32le(v.data + off + hdr) == 0;
    while (r < eh->nrels && eh->rels[r].r_offset < off)
      r++;
    // The first relocation of an FDE is its initial location: the function.
    uint64_t first = r;
    bool live = is_cie;
    if (!is_cie && first < eh->nrels && eh->rels[first].r_offset < end) {
      Symbol *sym = eh->file->syms[ELF64_R_SYM(eh->rels[first].r_info)];
      live = sym && sym->isec && sym->isec->gc_live;
    }
    for (; r < eh->nrels && eh->rels[r].r_offset < end; r++) {
      if (!live)
        continue;
      Symbol *sym = eh->file->syms[ELF64_R_SYM(eh->rels[r].r_info)];
      if (sym && sym->state == SYM_DEFINED && sym->isec && !sym->isec->gc_live) {
        mark(m, sym->isec);
        changed = true;
      }
    }
    off = end;
  }
  return changed;
}

void gc_sections(Ctx *ctx) {
  Marker m = {ctx, {0}};
  Symbol *entry = find_symbol(ctx, ctx->opt.entry);
  mark_symbol(&m, entry);
  for (size_t i = 0; i < ctx->opt.undefined.len; i++) {
    const char *name = ctx->opt.undefined.data[i];
    mark_symbol(&m, find_symbol(ctx, name));
  }
  // A shared library (or a program with -E) is used from outside: everything it
  // exports is a root. (A version script's local: ones are not, but which ones
  // those are is decided later; keeping them costs space, never correctness.)
  if (ctx->opt.shared || ctx->opt.export_dynamic)
    for (size_t i = 0; i < ctx->globals.len; i++) {
      Symbol *sym = ctx->globals.data[i];
      if (sym->visibility != STV_HIDDEN && sym->visibility != STV_INTERNAL)
        mark_symbol(&m, sym);
    }
  PtrVec eh_frames = {0};
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || !isec->is_alive)
        continue;
      if (!strcmp(isec->name, ".eh_frame")) {
        isec->gc_live = true;  // kept; its entries are followed selectively
        vec_push(&ctx->arena, &eh_frames, isec);
      } else if (is_root(ctx, isec)) {
        mark(&m, isec);
      }
    }
  }
  for (;;) {
    propagate(&m);
    bool changed = false;
    for (size_t i = 0; i < eh_frames.len; i++)
      changed |= mark_unwind_entries(&m, eh_frames.data[i]);
    if (!changed)
      break;
  }

  // Sweep: what is allocated and unmarked goes.
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || !isec->is_alive || isec->gc_live || !(isec->sh_flags & SHF_ALLOC))
        continue;
      isec->is_alive = false;
      // Empty sections (the .data and .bss every object has) are not worth a
      // line, as GNU ld finds.
      if (ctx->opt.print_gc_sections && isec->sh_size)
        note("removing unused section '%s' in file '%s'", isec->name, file->name);
    }
  }
  for (size_t i = 0; i < ctx->common_sections.len; i++) {
    InputSection *isec = ctx->common_sections.data[i];
    if (!isec->gc_live) {
      isec->is_alive = false;
      if (ctx->opt.print_gc_sections)
        note("removing unused section 'COMMON' in file '%s'", isec->file->name);
    }
  }
}
