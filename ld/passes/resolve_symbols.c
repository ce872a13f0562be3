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
 * A definition in a shared library (SYM_SHARED) ranks below every definition in
 * the program: the program's own wins, as with GNU ld.
 *
 * resolve_file_symbols() runs as each object is loaded: it is a sub-step of
 * read_inputs, which needs the current state to decide which archive members to
 * pull. allocate_common_symbols() runs once all inputs are in: the COMMON symbols
 * that no real definition replaced become .bss space.
 *
 * Fills the global entries of InputFile.syms, ctx->symtab (through intern_symbol),
 * ctx->common_sections.
 */
#include "../ld.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// --wrap=SYM, which test suites use to put a mock in front of a function: an
// undefined reference to SYM means __wrap_SYM, and one to __real_SYM means SYM
// itself. Definitions keep their names.
static const char *wrapped_name(Ctx *ctx, const char *name) {
  if (!strncmp(name, "__real_", 7) && hashmap_get(&ctx->opt.wrap, name + 7, strlen(name + 7)))
    return name + 7;
  if (hashmap_get(&ctx->opt.wrap, name, strlen(name)))
    return arena_printf(&ctx->arena, "__wrap_%s", name);
  return name;
}

// A shared library's object may give a definition a version with .symver:
// `foo@@VER_2` is foo, exported as the default version VER_2 (references to foo
// find it); `foo@VER_1` is an old foo kept for programs linked against VER_1,
// exported as foo in a version that no new link picks (.gnu.version's hidden bit).
// `foo@@` and `foo@` name the base version, which has no name: foo, exported
// without a version, as GNU ld does. Either way a version the object wrote itself is
// an explicit export, which a version script's `local:` does not take back.
// In anything else a name is just a name.
static Symbol *intern_versioned(Ctx *ctx, const char *name, bool defined) {
  if (!defined && ctx->opt.wrap.len)
    name = wrapped_name(ctx, name);
  const char *at = ctx->opt.shared && defined ? strchr(name, '@') : NULL;
  if (!at)
    return intern_symbol(ctx, name);
  const char *base = arena_strndup(&ctx->arena, name, (size_t)(at - name));
  Symbol *sym;
  SymbolAux *aux;
  if (!strcmp(at, "@") || !strcmp(at, "@@")) {
    sym = intern_symbol(ctx, base);
    aux = symbol_aux(ctx, sym);
    aux->def_version = "";
  } else if (at[1] == '@') {
    sym = intern_symbol(ctx, base);
    aux = symbol_aux(ctx, sym);
    aux->def_version = at + 2;
  } else {
    sym = intern_symbol(ctx, name);
    aux = symbol_aux(ctx, sym);
    aux->export_name = base;
    aux->def_version = at + 1;
    aux->def_version_hidden = true;
  }
  aux->symver = true;
  return sym;
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

static void add_common(Ctx *ctx, Symbol *sym, InputFile *file, const Elf64_Sym *esym) {
  // For COMMON symbols, st_value holds the required alignment (gABI, "Symbol Values").
  uint64_t align = esym->st_value ? esym->st_value : 1;
  // --warn-common: two tentative definitions (int x; in two files) are one variable,
  // which C does not promise; say so, and which size wins, in GNU ld's words.
  if (ctx->opt.warn_common && sym->state == SYM_COMMON) {
    if (esym->st_size == sym->size)
      warn("%s: multiple common of '%s' (first in %s)", file->name, sym->name, sym->file->name);
    else
      warn("%s: common of '%s' %s common from %s", file->name, sym->name,
           esym->st_size > sym->size ? "overriding smaller" : "overridden by larger",
           sym->file->name);
  } else if (ctx->opt.warn_common && sym->state == SYM_DEFINED && sym->binding == STB_WEAK)
    warn("%s: common of '%s' overrides a weak definition in %s", file->name, sym->name,
         sym->file->name);
  if (sym->state != SYM_COMMON) {
    sym->state = SYM_COMMON;
    sym->file = file;
    sym->isec = NULL;
    sym->value = 0;
    sym->size = esym->st_size;
    symbol_aux(ctx, sym)->common_align = align;
    sym->binding = STB_GLOBAL;
    sym->type = STT_OBJECT;
    sym->visibility = ELF64_ST_VISIBILITY(esym->st_other);
    return;
  }
  if (esym->st_size > sym->size) {
    sym->size = esym->st_size;
    sym->file = file;
  }
  if (align > sym->aux->common_align)
    symbol_aux(ctx, sym)->common_align = align;
}

static void define_shared(Ctx *ctx, Symbol *sym, InputFile *file, uint64_t i,
                          const char *version);
static bool find_versioned_in_shared(Ctx *ctx, Symbol *sym);

void resolve_file_symbols(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  for (uint64_t i = 1; i < obj->nsyms; i++) {
    // The Symbols are scattered over the arena: start reading one a few names
    // ahead, so that this loop, which runs alone, does not wait for each in turn
    // (the big link of tests/bench: 66 -> 51 ms of CPU).
    if (i + 8 < obj->nsyms && file->syms[i + 8])
      __builtin_prefetch(file->syms[i + 8]);
    const Elf64_Sym *esym = &obj->syms[i];
    uint8_t bind = ELF64_ST_BIND(esym->st_info);
    if (bind == STB_LOCAL)
      continue;
    // (Entered in the table already if the file was read in parallel.)
    Symbol *sym = file->syms[i] ? list_symbol(ctx, file->syms[i])
                                : intern_versioned(ctx, elf_symbol_name(obj, i), esym->st_shndx != SHN_UNDEF);
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
      // What compiler IR refers to (LTO) may be gone from the objects made of it.
      if (!file->ir)
        sym->object_ref = true;
      // A reference may narrow the visibility (the most constraining one wins,
      // gABI "Symbol Visibility"): a hidden weak reference nobody defines is 0
      // inside its own module, never looked up elsewhere.
      uint8_t vis = ELF64_ST_VISIBILITY(esym->st_other);
      if (sym->state == SYM_UNDEF && vis != STV_DEFAULT &&
          (sym->visibility == STV_DEFAULT || vis < sym->visibility))
        sym->visibility = vis;
      if (bind != STB_WEAK)
        sym->strong_ref = true;
      // `foo@VER` (.symver foo, foo@VER on an undefined foo) asks for that version
      // of foo from a shared library, even an old, hidden one; .dynsym calls it foo.
      // A library read already may have it; one read later looks for it itself.
      if (sym->state == SYM_UNDEF && !sym->file && strchr(sym->name, '@')) {
        symbol_aux(ctx, sym)->export_name = arena_strndup(&ctx->arena, sym->name,
                                         (size_t)(strchr(sym->name, '@') - sym->name));
        find_versioned_in_shared(ctx, sym);
      }
      if (sym->state == SYM_UNDEF && !sym->file)
        sym->file = file;
      continue;
    }
    if (esym->st_shndx == SHN_COMMON) {
      bool strong_def = sym->state == SYM_DEFINED && sym->binding != STB_WEAK;
      if (!strong_def && sym->state != SYM_LINKER)
        add_common(ctx, sym, file, esym);
      else if (strong_def && ctx->opt.warn_common)
        warn("%s: common of '%s' overridden by definition from %s", file->name, sym->name,
             sym->file->name);
      continue;
    }

    InputSection *isec = NULL;
    if (esym->st_shndx != SHN_ABS) {
      isec = file->sections[elf_symbol_section(obj, i)];
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
    case SYM_SHARED:
      // The program's own definition wins over a shared library's, and is
      // exported so that the library uses it too (interposition).
      define(sym, file, esym, isec);
      sym->shared_ref = true;
      break;
    case SYM_COMMON:
      if (!weak) {
        if (ctx->opt.warn_common)
          warn("%s: definition of '%s' overriding common from %s", file->name, sym->name,
               sym->file->name);
        define(sym, file, esym, isec);
      }
      break;
    case SYM_DEFINED:
      if (sym->binding == STB_WEAK && !weak)
        define(sym, file, esym, isec);
      else if (sym->binding != STB_WEAK && !weak && !ctx->opt.muldefs)
        // --noinhibit-exec: said as an error, but the first definition is kept
        // and the link goes on.
        (ctx->opt.noinhibit_exec ? note : error)("%s: duplicate symbol '%s' (first defined in %s)",
                                                 file->name, shown_name(ctx, sym->name),
                                                 sym->file->name);
      break;
    case SYM_LINKER:
      break;
    }
  }
}

// Makes sym the definition at index i of the shared library `file`, in `version`
// (NULL: unversioned).
static void define_shared(Ctx *ctx, Symbol *sym, InputFile *file, uint64_t i,
                          const char *version) {
  const ElfShared *so = &file->so;
  const Elf64_Sym *esym = &so->syms[i];
  sym->state = SYM_SHARED;
  sym->file = file;
  sym->isec = NULL;
  sym->value = esym->st_value;
  sym->size = esym->st_size;
  sym->binding = ELF64_ST_BIND(esym->st_info);
  sym->type = ELF64_ST_TYPE(esym->st_info);
  sym->visibility = STV_DEFAULT;
  SymbolAux *aux = symbol_aux(ctx, sym);
  aux->shared_protected = ELF64_ST_VISIBILITY(esym->st_other) == STV_PROTECTED;
  aux->version = version;
  // Read-only: in a section that is never writable, or in the library's RELRO
  // (.data.rel.ro: a constant that needed relocating). Its copy in the program must
  // be read-only too, or the program could write what the library cannot.
  aux->shared_readonly = esym->st_shndx < so->shnum &&
                         (!(so->shdrs[esym->st_shndx].sh_flags & SHF_WRITE) ||
                          (esym->st_value >= so->relro_start && esym->st_value < so->relro_end));
}

// The name of the version of definition i of `so` (hidden or not), or NULL.
static const char *definition_version(const ElfShared *so, uint64_t i) {
  uint16_t ver = so->versym ? (uint16_t)(so->versym[i] & ~VERSYM_HIDDEN) : VER_NDX_GLOBAL;
  return ver > VER_NDX_GLOBAL && ver < so->nverdefs ? so->verdef_names[ver] : NULL;
}

// Is definition i of `so` the one the versioned reference `name@version` asks for?
static bool is_versioned_match(const ElfShared *so, uint64_t i, const char *name) {
  const char *at = strchr(name, '@');
  const char *version = definition_version(so, i);
  return version && so->syms[i].st_shndx != SHN_UNDEF &&
         ELF64_ST_BIND(so->syms[i].st_info) != STB_LOCAL && !strcmp(at + 1, version) &&
         !strncmp(so->symnames[i], name, (size_t)(at - name)) &&
         so->symnames[i][at - name] == '\0';
}

// A versioned reference (sym is `foo@VER`, undefined) met after the shared
// libraries were read: looks for the definition in them, in command-line order.
// Such references are rare (a .symver in a program), so a linear scan will do.
static bool find_versioned_in_shared(Ctx *ctx, Symbol *sym) {
  for (size_t f = 0; f < ctx->shared_files.len; f++) {
    InputFile *file = ctx->shared_files.data[f];
    for (uint64_t i = file->so.first_global; i < file->so.nsyms; i++)
      if (is_versioned_match(&file->so, i, sym->name)) {
        define_shared(ctx, sym, file, i, definition_version(&file->so, i));
        return true;
      }
  }
  return false;
}

// A shared library's definitions satisfy what is still undefined; what the program
// defines itself, or an earlier library defines, stays. Only a symbol's default
// version can satisfy an unversioned reference: `memcpy@GLIBC_2.2.5`, an old
// version kept for old programs (VERSYM_HIDDEN), is not `memcpy`. What the library
// leaves undefined may be the program's to define: such a definition must then be
// exported (.dynsym), so the library can find it at run time.
void resolve_shared_symbols(Ctx *ctx, InputFile *file) {
  ElfShared *so = &file->so;
  for (uint64_t i = so->first_global; i < so->nsyms; i++) {
    const Elf64_Sym *esym = &so->syms[i];
    uint8_t bind = ELF64_ST_BIND(esym->st_info);
    if (bind == STB_LOCAL || !*so->symnames[i])
      continue;
    uint16_t ver = so->versym ? so->versym[i] : VER_NDX_GLOBAL;
    // A reference to this very version, `foo@VER`, takes it, even if hidden.
    const char *version = definition_version(so, i);
    // (The name is built on the stack if it fits: libc alone has thousands.)
    char buf[256];
    if (version && esym->st_shndx != SHN_UNDEF) {
      const char *vname = buf;
      if (snprintf(buf, sizeof buf, "%s@%s", so->symnames[i], version) >= (int)sizeof buf)
        vname = arena_printf(&ctx->arena, "%s@%s", so->symnames[i], version);
      Symbol *vsym = find_symbol(ctx, vname);
      if (vsym && vsym->state == SYM_UNDEF && !vsym->defsym)
        define_shared(ctx, vsym, file, i, version);
    }
    Symbol *sym = intern_symbol(ctx, so->symnames[i]);
    if (esym->st_shndx == SHN_UNDEF) {
      sym->shared_ref = true;
      continue;
    }
    if ((ver & VERSYM_HIDDEN) || ver == VER_NDX_LOCAL)
      continue;
    if (sym->traced)
      note("%s: definition of '%s'", file->name, sym->name);
    // The program defines it too: its definition wins everywhere, the library's
    // own calls included (interposition), so it must be exported.
    if (sym->state == SYM_DEFINED || sym->state == SYM_COMMON)
      sym->shared_ref = true;
    if (sym->state != SYM_UNDEF || sym->defsym)
      continue;
    define_shared(ctx, sym, file, i, version);
  }
}

// Tentative definitions that no real definition replaced become zeroed space in
// .bss, one linker-made section each, in the order the names were first seen.
void allocate_common_symbols(Ctx *ctx) {
  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    if (sym->state != SYM_COMMON)
      continue;
    InputSection *isec = new_linker_section(ctx, "COMMON", SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
                                            sym->size, sym->aux->common_align);
    isec->file = sym->file;  // the object with the largest tentative definition
    vec_push(&ctx->arena, &ctx->common_sections, isec);
    sym->state = SYM_DEFINED;
    sym->isec = isec;
    sym->value = 0;
  }
}
