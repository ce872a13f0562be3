/*
 * report_undefined.c — what the program needs and nobody defines, and the
 * warnings the inputs asked for.
 *
 * Every undefined symbol is reported with the places that refer to it (at most a
 * few, then a count), in a stable order: symbols in the order first seen, places
 * in link order, each place with the function it is in, as GNU ld does, and, when
 * the object was compiled with -g, first the source line it came from:
 *
 *   mini-ld: main.c:2: main.o:(.text+0x5): in function 'main': undefined symbol 'foo'
 *
 * The source line leads, as in GNU ld's and compilers' messages, so that an editor
 * can jump to it; the rest is the line a place gets without debug information. Only
 * the objects with such places have their line tables read (debug_line.c).
 *
 * As in GNU ld, a name that an object lists as undefined but no relocation uses is
 * not an error: nothing in the output would point at it (compilers leave such names
 * behind, e.g. __tls_get_addr after TLS sequences the linker rewrites). Runs after
 * --gc-sections, so only live code counts (lld's behaviour).
 *
 * Each is explained where we can: the archive that defines it but came too early on
 * the command line, or the defined name it was probably meant to be.
 *
 * .gnu.warning.SYM sections (glibc's getpwnam in a static link): a warning at the
 * first place in each object that refers to SYM.
 *
 * Reads ctx->files, ctx->link_warnings, ctx->opt.require_defined; reports only.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

// A shared library may leave symbols undefined: the program or another library
// will define them at run time, unless --no-undefined (-z defs) says otherwise.
static bool is_undefined_error(Ctx *ctx, const Symbol *sym) {
  return (!ctx->opt.shared || ctx->opt.no_undefined) && !ctx->opt.ignore_undefined && sym &&
         sym->is_global && sym->state == SYM_UNDEF && sym->strong_ref;
}

// Is one of the file's symbols one of these?
static bool refers_to_any(const InputFile *file, Symbol *const *syms, size_t n) {
  if (!file->syms)
    return false;
  for (uint64_t i = file->obj.first_global; i < file->obj.nsyms; i++)
    for (size_t j = 0; j < n; j++)
      if (file->syms[i] == syms[j])
        return true;
  return false;
}

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
  // The warned symbols themselves: a file none of whose symbols is one of them has
  // no relocation to look at (most files, in a static glibc link that warns about
  // dlopen). With many warnings, every file is read.
  enum { FEW = 16 };
  Symbol *warned[FEW];
  size_t nwarned = 0;
  for (size_t i = 0; i < ctx->link_warnings.len && nwarned <= FEW; i++) {
    LinkWarning *w = ctx->link_warnings.data[i];
    Symbol *sym = w->symbol ? find_symbol(ctx, w->symbol) : NULL;
    if (sym && nwarned < FEW)
      warned[nwarned] = sym;
    nwarned += sym != NULL;
  }
  for (size_t f = 0; f < ctx->files.len && by_symbol.len; f++) {
    InputFile *file = ctx->files.data[f];
    if (nwarned <= FEW && !refers_to_any(file, warned, nwarned))
      continue;
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
        warn("%s: %s", place(ctx, isec, rel->r_offset), w->text);
      }
    }
  }
  free(by_symbol.entries);
  free(seen.entries);
}

// The function whose code contains offset `off` of isec, for messages: a symbol of
// type STT_FUNC defined there whose [value, value + size) covers it. NULL if none
// (hand-written assembly often gives its labels no type or size).
static const char *enclosing_function(Ctx *ctx, InputFile *file, InputSection *isec,
                                      uint64_t off) {
  for (uint64_t i = 1; i < file->obj.nsyms; i++) {
    Symbol *sym = file->syms[i];
    if (sym && sym->type == STT_FUNC && sym->state == SYM_DEFINED && sym->isec == isec &&
        sym->value <= off && off - sym->value < sym->size)
      return shown_name(ctx, sym->name);
  }
  return NULL;
}

// How an undefined symbol is reported: as an error; as a warning
// (--warn-unresolved-symbols); or in an error's words, but without failing the link
// (--noinhibit-exec).
typedef void (*Report)(const char *fmt, ...);
static Report undefined_report(Ctx *ctx) {
  return ctx->opt.warn_undefined ? warn : ctx->opt.noinhibit_exec ? note : error;
}

// Are the undefined symbols of this shared library errors? GNU ld's default: in an
// executable, yes (the dynamic linker would fail when the program starts, or when
// the function is first called); in a shared library, no (the program that loads
// it may define them) — but for a library one of whose dependencies is missing,
// where we check anyway, as we always did.
static bool checks_shlib(Ctx *ctx, const InputFile *file) {
  if (ctx->opt.allow_shlib_undefined >= 0)
    return !ctx->opt.allow_shlib_undefined;
  return !ctx->opt.shared || file->missing_dependency;
}

// A shared library's own undefined symbols must be defined somewhere the dynamic
// linker will look: in the program, in a library on the command line, or in a
// library one of them needs. Checked for the libraries on the command line and
// those they need, as GNU ld does. Weak references may stay undefined.
static void report_shlib_undefined(Ctx *ctx) {
  size_t nlibs = ctx->shared_files.len + ctx->dependencies.len;
  HashMap by_dependency = {0};  // names the needed libraries define
  bool indexed = false;
  for (size_t i = 0; i < nlibs; i++) {
    InputFile *file = i < ctx->shared_files.len ? ctx->shared_files.data[i]
                                                : ctx->dependencies.data[i - ctx->shared_files.len];
    if (!checks_shlib(ctx, file))
      continue;
    ElfShared *so = &file->so;
    for (uint64_t j = so->first_global; j < so->nsyms; j++) {
      const Elf64_Sym *es = &so->syms[j];
      if (es->st_shndx != SHN_UNDEF || ELF64_ST_BIND(es->st_info) == STB_WEAK ||
          !*so->symnames[j])
        continue;
      Symbol *sym = find_symbol(ctx, so->symnames[j]);
      if (sym && sym->state != SYM_UNDEF)
        continue;
      if (!indexed) {
        // The needed libraries' definitions are not in the symbol table: only
        // what the command line names is. Index them once.
        for (size_t d = 0; d < ctx->dependencies.len; d++) {
          ElfShared *dso = &((InputFile *)ctx->dependencies.data[d])->so;
          for (uint64_t k = dso->first_global; k < dso->nsyms; k++)
            if (dso->syms[k].st_shndx != SHN_UNDEF)
              hashmap_slot(&by_dependency, dso->symnames[k], strlen(dso->symnames[k]))->value =
                  dso;
        }
        indexed = true;
      }
      if (hashmap_get(&by_dependency, so->symnames[j], strlen(so->symnames[j])))
        continue;
      undefined_report(ctx)("%s: undefined reference to '%s'", file->name,
                            shown_name(ctx, so->symnames[j]));
    }
  }
  free(by_dependency.entries);
}

// The cheapest number of one-letter edits (insert, delete, replace, swap two
// neighbours) that turn a into b, or `most` + 1 if it is more than `most`.
static size_t edit_distance(const char *a, const char *b, size_t most) {
  size_t la = strlen(a), lb = strlen(b);
  if ((la > lb ? la - lb : lb - la) > most || lb > 255)
    return most + 1;
  // Three rows of the table: the one being filled and the two before it (a swap
  // looks two rows back).
  size_t rows[3][256], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= lb; j++)
    prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    size_t row_min = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (prev[j] + 1 < best)
        best = prev[j] + 1;
      if (cur[j - 1] + 1 < best)
        best = cur[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
        best = prev2[j - 2] + 1;
      cur[j] = best;
      if (best < row_min)
        row_min = best;
    }
    if (row_min > most)
      return most + 1;
    size_t *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

// The part of a C++ name before its parameters: "geo::area(int, int)" -> "geo::area".
static size_t base_length(const char *shown) {
  const char *paren = strchr(shown, '(');
  return paren ? (size_t)(paren - shown) : strlen(shown);
}

// What else to say about a symbol nobody defines, once, after its error lines:
//   - an archive defines it, but was searched before anything referred to it (the
//     order `-lfoo main.o`): no linker says so, and it is the most common reason;
//   - or a defined name is close to it: a typo, or the same C++ function with other
//     parameters or in another namespace.
static void explain_undefined(Ctx *ctx, const Symbol *sym, bool look_for_typos) {
  for (size_t a = 0; a < ctx->archives.len; a++) {
    ArchiveFile *af = ctx->archives.data[a];
    for (size_t i = 0; i < af->ar.nsyms; i++) {
      if (strcmp(af->ar.syms[i].name, sym->name))
        continue;
      ArMember *m = archive_member_at(&af->ar, af->ar.syms[i].offset);
      if (!m || af->member_loaded[m - af->ar.members] ||
          !read_archive_member(&af->ar, &ctx->arena, m))
        continue;
      note("note: '%s' is defined in %s(%s), but %s was searched before anything referred "
           "to it; put %s after the files that use it, or put the archives between "
           "--start-group and --end-group", shown_name(ctx, sym->name), af->name, m->name,
           af->name, af->name);
      return;
    }
  }
  if (!look_for_typos)
    return;
  const char *shown = shown_name(ctx, sym->name);
  size_t base = base_length(shown);
  const Symbol *best = NULL;
  size_t best_distance = strlen(sym->name) < 4 ? 1 : 2;
  for (size_t i = 0; i < ctx->globals.len; i++) {
    const Symbol *g = ctx->globals.data[i];
    if (g == sym || (g->state != SYM_DEFINED && g->state != SYM_SHARED) || !g->file ||
        g->file->ir)
      continue;
    size_t d = edit_distance(sym->name, g->name, best_distance);
    if (d > best_distance && shown != sym->name) {
      // A C++ name: the same function with other parameters, or another namespace.
      const char *other = shown_name(ctx, g->name);
      size_t ob = base_length(other);
      const char *a = strrchr(shown, ':'), *b = strrchr(other, ':');
      bool same_base = ob == base && !strncmp(other, shown, base);
      bool same_last = a && b && a < shown + base && b < other + ob &&
                       (size_t)(shown + base - a) == (size_t)(other + ob - b) &&
                       !strncmp(a, b, (size_t)(shown + base - a));
      d = same_base || same_last ? best_distance : d;
    }
    if (d <= best_distance && (!best || d < best_distance)) {
      best = g;
      best_distance = d;
    }
  }
  if (best)
    note("note: did you mean '%s'? (defined in %s)", shown_name(ctx, best->name),
         best->file->name);
}

void report_undefined(Ctx *ctx) {
  if (ctx->link_warnings.len)
    report_link_warnings(ctx);
  report_shlib_undefined(ctx);
  for (size_t i = 0; i < ctx->opt.require_defined.len; i++) {
    const char *name = ctx->opt.require_defined.data[i];
    Symbol *sym = find_symbol(ctx, name);
    if (!sym || sym->state == SYM_UNDEF)
      error("required symbol '%s' is not defined (--require-defined)", name);
  }
  // The places are found by reading every relocation, which only a link with an
  // undefined symbol needs to pay for.
  bool any = false;
  for (size_t i = 0; i < ctx->globals.len && !any; i++)
    any = is_undefined_error(ctx, ctx->globals.data[i]);
  if (!any)
    return;
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
        if (!is_undefined_error(ctx, sym))
          continue;
        HashEntry *e = hashmap_slot(&counts, sym->name, strlen(sym->name));
        if (!e->value)
          vec_push(&ctx->arena, &order, sym);
        uintptr_t n = (uintptr_t)e->value + 1;
        e->value = (void *)n;
        if (n <= MAX_PLACES) {
          const char *fn = enclosing_function(ctx, file, isec, rel->r_offset);
          const char *src = source_line(ctx, isec, rel->r_offset);
          vec_push(&ctx->arena, &lines,
                   arena_printf(&ctx->arena, "%s\t%s%s%s%s%s%s", sym->name, src ? src : "",
                                src ? ": " : "", place(ctx, isec, rel->r_offset),
                                fn ? ": in function '" : "", fn ? fn : "", fn ? "'" : ""));
        }
      }
    }
  }
  // --warn-unresolved-symbols: the same lines, as warnings (the symbols are 0).
  Report report = undefined_report(ctx);
  for (size_t i = 0; i < order.len; i++) {
    Symbol *sym = order.data[i];
    size_t namelen = strlen(sym->name);
    for (size_t j = 0; j < lines.len; j++) {
      const char *line = lines.data[j];
      if (!strncmp(line, sym->name, namelen) && line[namelen] == '\t')
        report("%s: undefined symbol '%s'", line + namelen + 1, shown_name(ctx, sym->name));
    }
    uintptr_t n = (uintptr_t)hashmap_get(&counts, sym->name, namelen);
    if (n > MAX_PLACES)
      report("undefined symbol '%s' is referenced %lu more times", shown_name(ctx, sym->name),
             (unsigned long)(n - MAX_PLACES));
    // Looking for typos costs a pass over every name: only for the first few.
    explain_undefined(ctx, sym, i < 8);
  }
  free(counts.entries);
}
