/*
 * resolve_symbols.c — one definition for every global name.
 *
 * Each object's symbol table says, for each global name, "I define it" or "I need
 * it". The linker keeps one Symbol per name in ctx->symtab and, as objects arrive,
 * decides which definition wins:
 *
 *   strong definition  >  COMMON  >  weak definition  >  undefined
 *
 * Two strong definitions of one name are an error naming both files. Two COMMON
 * symbols (C's tentative definitions, `int x;` under -fcommon) merge into one, with
 * the largest size and the strictest alignment. A weak undefined symbol that nobody
 * defines is not an error: its address is 0, so `if (&f) f();` works.
 *
 * add_file_symbols() runs as each object is loaded (read_inputs.c needs the current
 * state to decide which archive members to pull). resolve_symbols() runs once all
 * inputs are in: it turns COMMON symbols into .bss space and reports every
 * undefined symbol with the places that use it.
 *
 * Fills ctx->symtab, ctx->globals, ctx->internal.
 */
#include "ld.h"

#include <stdlib.h>
#include <string.h>

Symbol *intern_symbol(Ctx *ctx, const char *name) {
  HashEntry *e = hashmap_slot(&ctx->symtab, name, strlen(name));
  if (!e->value) {
    Symbol *sym = arena_alloc(&ctx->arena, sizeof *sym);
    sym->name = name;
    sym->is_global = true;
    sym->state = SYM_UNDEF;
    sym->binding = STB_GLOBAL;
    sym->got_index = -1;
    sym->gottp_index = -1;
    sym->iplt_index = -1;
    e->value = sym;
    vec_push(&ctx->arena, &ctx->globals, sym);
  }
  return e->value;
}

static void define(Symbol *sym, InputFile *file, const Elf64_Sym *esym, InputSection *isec) {
  sym->state = SYM_DEFINED;
  sym->file = file;
  sym->isec = isec;
  sym->value = esym->st_value;
  sym->size = esym->st_size;
  sym->binding = ELF64_ST_BIND(esym->st_info);
  sym->type = ELF64_ST_TYPE(esym->st_info);
  sym->visibility = ELF64_ST_VISIBILITY(esym->st_other);
}

static void add_common(Symbol *sym, InputFile *file, const Elf64_Sym *esym) {
  // For COMMON symbols, st_value holds the required alignment (gABI, "Symbol Values").
  uint64_t align = esym->st_value ? esym->st_value : 1;
  if (sym->state != SYM_COMMON) {
    sym->state = SYM_COMMON;
    sym->file = file;
    sym->isec = NULL;
    sym->value = 0;
    sym->size = esym->st_size;
    sym->common_align = align;
    sym->binding = STB_GLOBAL;
    sym->type = STT_OBJECT;
    sym->visibility = ELF64_ST_VISIBILITY(esym->st_other);
    return;
  }
  if (esym->st_size > sym->size) {
    sym->size = esym->st_size;
    sym->file = file;
  }
  if (align > sym->common_align)
    sym->common_align = align;
}

void add_file_symbols(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  for (uint64_t i = 1; i < obj->nsyms; i++) {
    const Elf64_Sym *esym = &obj->syms[i];
    uint8_t bind = ELF64_ST_BIND(esym->st_info);
    if (bind == STB_LOCAL)
      continue;
    Symbol *sym = intern_symbol(ctx, obj->symnames[i]);
    file->syms[i] = sym;
    if (sym->traced)
      note("%s: %s '%s'", file->name,
           esym->st_shndx == SHN_UNDEF    ? "reference to"
           : esym->st_shndx == SHN_COMMON ? "common definition of"
                                          : "definition of",
           sym->name);

    if (sym->defsym)
      continue;  // --defsym wins over any definition in the inputs, as in GNU ld
    if (esym->st_shndx == SHN_UNDEF) {
      if (bind != STB_WEAK)
        sym->strong_ref = true;
      if (sym->state == SYM_UNDEF && !sym->file)
        sym->file = file;
      continue;
    }
    if (esym->st_shndx == SHN_COMMON) {
      bool strong_def = sym->state == SYM_DEFINED && sym->binding != STB_WEAK;
      if (!strong_def && sym->state != SYM_LINKER)
        add_common(sym, file, esym);
      continue;
    }

    InputSection *isec = NULL;
    if (esym->st_shndx != SHN_ABS) {
      isec = file->sections[obj->sym_secidx[i]];
      // A definition inside a discarded COMDAT copy is not a definition: the kept
      // copy of the group defines the same name. Nor is one in a section that never
      // reaches the output (SHF_EXCLUDE and the like).
      if (!isec || !isec->is_alive)
        continue;
    }
    bool weak = bind == STB_WEAK;
    switch (sym->state) {
    case SYM_UNDEF:
      define(sym, file, esym, isec);
      break;
    case SYM_COMMON:
      if (!weak)
        define(sym, file, esym, isec);
      break;
    case SYM_DEFINED:
      if (sym->binding == STB_WEAK && !weak)
        define(sym, file, esym, isec);
      else if (sym->binding != STB_WEAK && !weak)
        error("%s: duplicate symbol '%s' (first defined in %s)", file->name, sym->name,
              sym->file->name);
      break;
    case SYM_LINKER:
      break;
    }
  }
}

// Tentative definitions that no real definition replaced become zeroed space in
// .bss, one linker-made section each, in the order the names were first seen.
static void allocate_commons(Ctx *ctx) {
  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    if (sym->state != SYM_COMMON)
      continue;
    InputSection *isec = new_synthetic_section(ctx, "COMMON", SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
                                               sym->size, sym->common_align);
    isec->file = sym->file;  // the object with the largest tentative definition
    vec_push(&ctx->arena, &ctx->common_sections, isec);
    sym->state = SYM_DEFINED;
    sym->isec = isec;
    sym->value = 0;
  }
}

static bool is_undefined_error(const Symbol *sym) {
  return sym && sym->is_global && sym->state == SYM_UNDEF && sym->strong_ref;
}

// Every undefined symbol, each with the places that refer to it (at most a few, then
// a count), in a stable order: symbols in the order first seen, places in link order.
// As in GNU ld, a name that an object lists as undefined but no relocation uses is
// not an error: nothing in the output would point at it (compilers leave such names
// behind, e.g. __tls_get_addr after TLS sequences the linker rewrites).
// .gnu.warning.SYM: warn at the first place in each object that refers to SYM.
static void report_link_warnings(Ctx *ctx) {
  HashMap by_symbol = {0}, seen = {0};
  for (size_t i = 0; i < ctx->link_warnings.len; i++) {
    LinkWarning *w = ctx->link_warnings.data[i];
    if (!w->symbol)
      warn("%s: %s", w->file->name, w->text);
    else
      hashmap_slot(&by_symbol, w->symbol, strlen(w->symbol))->value = w;
  }
  for (size_t f = 0; f < ctx->files.len && by_symbol.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || !isec->is_alive)
        continue;
      for (uint64_t r = 0; r < isec->nrels; r++) {
        const Elf64_Rela *rel = &isec->rels[r];
        Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
        if (!sym || !sym->is_global)
          continue;
        LinkWarning *w = hashmap_get(&by_symbol, sym->name, strlen(sym->name));
        if (!w)
          continue;
        const char *key = arena_printf(&ctx->arena, "%s\t%s", file->name, sym->name);
        HashEntry *e = hashmap_slot(&seen, key, strlen(key));
        if (e->value)
          continue;
        e->value = w;
        warn("%s:(%s+0x%llx): %s", file->name, isec->name, (unsigned long long)rel->r_offset,
             w->text);
      }
    }
  }
  free(by_symbol.entries);
  free(seen.entries);
}

// The function whose code contains offset `off` of isec, for messages: a symbol of
// type STT_FUNC defined there whose [value, value + size) covers it. NULL if none
// (hand-written assembly often gives its labels no type or size).
static const char *enclosing_function(InputFile *file, InputSection *isec, uint64_t off) {
  for (uint64_t i = 1; i < file->obj.nsyms; i++) {
    Symbol *sym = file->syms[i];
    if (sym && sym->type == STT_FUNC && sym->state == SYM_DEFINED && sym->isec == isec &&
        sym->value <= off && off - sym->value < sym->size)
      return sym->name;
  }
  return NULL;
}

void report_undefined(Ctx *ctx) {
  if (ctx->link_warnings.len)
    report_link_warnings(ctx);
  for (size_t i = 0; i < ctx->opt.require_defined.len; i++) {
    const char *name = ctx->opt.require_defined.data[i];
    Symbol *sym = hashmap_get(&ctx->symtab, name, strlen(name));
    if (!sym || sym->state == SYM_UNDEF)
      error("required symbol '%s' is not defined (--require-defined)", name);
  }
  enum { MAX_PLACES = 3 };
  HashMap counts = {0};  // symbol name -> (uintptr_t) references reported
  PtrVec order = {0};
  PtrVec lines = {0};
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || !isec->is_alive)
        continue;
      for (uint64_t r = 0; r < isec->nrels; r++) {
        const Elf64_Rela *rel = &isec->rels[r];
        Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
        // The __tls_get_addr call of a general- or local-dynamic TLS sequence
        // disappears when the sequence is relaxed (scan_relocs.c): not a reference.
        if (r + 1 < isec->nrels && is_tls_sequence_start(rel) &&
            is_tls_get_addr_call(rel, &isec->rels[r + 1]))
          r++;
        if (!is_undefined_error(sym))
          continue;
        HashEntry *e = hashmap_slot(&counts, sym->name, strlen(sym->name));
        if (!e->value)
          vec_push(&ctx->arena, &order, sym);
        uintptr_t n = (uintptr_t)e->value + 1;
        e->value = (void *)n;
        if (n <= MAX_PLACES) {
          const char *fn = enclosing_function(file, isec, rel->r_offset);
          vec_push(&ctx->arena, &lines,
                   arena_printf(&ctx->arena, "%s\t%s:(%s+0x%llx)%s%s%s", sym->name, file->name,
                                isec->name, (unsigned long long)rel->r_offset,
                                fn ? ": in function '" : "", fn ? fn : "", fn ? "'" : ""));
        }
      }
    }
  }
  for (size_t i = 0; i < order.len; i++) {
    Symbol *sym = order.data[i];
    size_t namelen = strlen(sym->name);
    for (size_t j = 0; j < lines.len; j++) {
      const char *line = lines.data[j];
      if (!strncmp(line, sym->name, namelen) && line[namelen] == '\t')
        error("%s: undefined symbol '%s'", line + namelen + 1, sym->name);
    }
    uintptr_t n = (uintptr_t)hashmap_get(&counts, sym->name, namelen);
    if (n > MAX_PLACES)
      error("undefined symbol '%s' is referenced %lu more times", sym->name,
            (unsigned long)(n - MAX_PLACES));
  }
  free(counts.entries);
}

void resolve_symbols(Ctx *ctx) {
  reserve_linker_symbols(ctx);
  allocate_commons(ctx);
}
