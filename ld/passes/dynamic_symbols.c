/*
 * dynamic_symbols.c — what a dynamic executable imports and exports.
 *
 * A dynamically linked program meets its shared libraries at run time, through
 * tables the dynamic linker reads:
 *
 *   DT_NEEDED       which libraries to load: each one linked, in command-line
 *                   order, except an --as-needed one that no non-weak reference
 *                   of the program uses (GNU ld's rule)
 *   .dynsym         the symbols the two sides share: first the ones the program
 *                   imports (undefined here; a canonical PLT entry gives one an
 *                   address), then the ones it exports: what a library refers to and
 *                   the program defines, every global with -E, and variables copied
 *                   into the program. The exported ones are ordered by their
 *                   .gnu.hash bucket, which that table requires.
 *   .gnu.version    for each .dynsym entry, which version of the symbol is meant:
 *   .gnu.version_r  `printf@GLIBC_2.2.5` was linked against, so that is what the
 *                   program gets even after libc gains a newer printf. Version
 *                   indexes from 2 up, one per (library, version) pair.
 *   .dynstr         every name these tables use
 *
 * choose_needed_libraries() runs before the relocations are scanned (what an
 * unneeded library defines is then undefined); choose_dynamic_symbols() after
 * assign_slots (copy relocations have made their variables the program's own) and
 * before layout, which sizes the tables from what is chosen here.
 * Fills ctx->needed, ctx->dynsyms, ctx->dynsym_defined, ctx->gnu_hash_buckets,
 * ctx->verneeds, ctx->dynstr, ctx->depaudit, SymbolAux.dynsym_index and .ver_index.
 */
#include "../ld.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static bool matches(const PtrVec *globs, const char *name) {
  for (size_t i = 0; i < globs->len; i++)
    if (!fnmatch(globs->data[i], name, 0))
      return true;
  return false;
}

// sym's name as C++ source writes it ("ns::f(int)"), or its name if it is not
// a C++ name we can read; worked out once per symbol.
static const char *demangled_name(Ctx *ctx, const Symbol *sym) {
  Symbol *s = (Symbol *)sym;
  if (!s->aux->demangled) {
    const char *d = demangle(&ctx->arena, dynamic_name(sym));
    symbol_aux(ctx, s)->demangled = d ? d : dynamic_name(sym);
  }
  return s->aux->demangled;
}

// How a version-script entry matches a name, best first: written out, a pattern,
// the catch-all "*".
enum { MATCH_EXACT, MATCH_GLOB, MATCH_ALL };

static int match_kind(const char *pattern) {
  if (!strcmp(pattern, "*"))
    return MATCH_ALL;
  return strpbrk(pattern, "*?[") ? MATCH_GLOB : MATCH_EXACT;
}

static bool matches_kind(const PtrVec *list, const char *name, int kind) {
  for (size_t i = 0; i < list->len; i++)
    if (match_kind(list->data[i]) == kind && !fnmatch(list->data[i], name, 0))
      return true;
  return false;
}

// The version-script node that exports sym, or NULL; *local tells whether a local:
// entry keeps it inside the library instead. GNU ld's precedence: a name written
// out beats a pattern, which beats "*"; of several patterns in different nodes the
// last node's wins (VER1 { foo*; }; VER2 { foo*bar*; }; gives foo_bar VER2).
static const VersionNode *version_node(Ctx *ctx, const Symbol *sym, bool *local) {
  const char *name = dynamic_name(sym);
  const PtrVec *nodes = &ctx->opt.version_nodes;
  *local = false;
  // extern "C++" entries match the demangled name (or, as in GNU ld, the name
  // itself when it does not demangle). Demangle only if some entry needs it.
  const char *cxx = NULL;
  for (size_t i = 0; i < nodes->len && !cxx; i++) {
    const VersionNode *node = nodes->data[i];
    if (node->cxx_globals.len || node->cxx_locals.len)
      cxx = demangled_name(ctx, sym);
  }
  for (int kind = MATCH_EXACT; kind <= MATCH_ALL; kind++) {
    for (size_t i = nodes->len; i-- > 0;) {
      const VersionNode *node = nodes->data[kind == MATCH_EXACT ? nodes->len - 1 - i : i];
      if (matches_kind(&node->globals, name, kind) ||
          (cxx && matches_kind(&node->cxx_globals, cxx, kind)))
        return node;
    }
    for (size_t i = 0; i < nodes->len; i++) {
      const VersionNode *node = nodes->data[i];
      if (matches_kind(&node->locals, name, kind) ||
          (cxx && matches_kind(&node->cxx_locals, cxx, kind))) {
        *local = true;
        return NULL;
      }
    }
  }
  return NULL;
}

// Is sym from an archive that --exclude-libs names (a file name, or ALL)? A shared
// library does not export what it took from such archives.
static bool is_excluded_lib(Ctx *ctx, const Symbol *sym) {
  if (!ctx->opt.exclude_libs.len || !sym->file || !sym->file->from_archive)
    return false;
  // The archive's file name: "dir/libfoo.a(member.o)" -> "libfoo.a".
  const char *name = sym->file->name;
  const char *paren = strrchr(name, '(');
  const char *slash = name;
  for (const char *p = name; p < paren; p++)
    if (*p == '/')
      slash = p + 1;
  size_t len = paren ? (size_t)(paren - slash) : strlen(slash);
  for (size_t i = 0; i < ctx->opt.exclude_libs.len; i++) {
    const char *list = ctx->opt.exclude_libs.data[i];
    for (const char *p = list; *p;) {
      size_t n = strcspn(p, ",:");
      if ((n == 3 && !strncmp(p, "ALL", 3)) || (n == len && !strncmp(p, slash, len)))
        return true;
      p += n + (p[n] != '\0');
    }
  }
  return false;
}

// Does a version script (or --exclude-libs) keep sym inside the library? Not a
// definition the object gave a version itself (.symver): that is exported.
static bool is_version_local(Ctx *ctx, const Symbol *sym) {
  bool local;
  if (sym->aux->shadowed_by_symver)
    return true;
  if (sym->aux->symver)
    return false;
  return (!version_node(ctx, sym, &local) && local) || is_excluded_lib(ctx, sym);
}

// Does --dynamic-list (or --dynamic-list-data, --export-dynamic-symbol) name sym?
static bool in_dynamic_list(Ctx *ctx, const Symbol *sym) {
  return (ctx->opt.export_data && sym->type == STT_OBJECT) ||
         matches(&ctx->opt.export_patterns, sym->name) ||
         (ctx->opt.export_cxx_patterns.len &&
          matches(&ctx->opt.export_cxx_patterns, demangled_name(ctx, sym)));
}

// A shared library's global symbols of default visibility may be replaced at run
// time by another module's definition (interposition: the program's own malloc
// for everyone's): references to them go through the GOT and the PLT, never
// straight to the library's own copy. Hidden and protected ones, and the ones a
// version script keeps local, bind inside the library. What the library leaves
// undefined is found at run time.
void mark_preemptible(Ctx *ctx) {
  if (!ctx->opt.shared) {
    // An executable's version script can only take symbols in: what its local:
    // patterns match is local to the program, neither exported nor global in
    // .symtab, as GNU ld does.
    for (size_t i = 0; ctx->opt.version_nodes.len && i < ctx->globals.len; i++) {
      Symbol *sym = ctx->globals.data[i];
      if ((sym->state == SYM_DEFINED || sym->state == SYM_COMMON) && is_version_local(ctx, sym))
        sym->version_local = true;
    }
    return;
  }
  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    if (sym->state == SYM_UNDEF) {
      // (A hidden one cannot come from another module: it stays 0. Nor, with
      // -z nodynamic-undefined-weak, can one that is only weakly referenced.)
      sym->dynamic_undef = sym->object_ref && sym->visibility == STV_DEFAULT &&
                           (sym->strong_ref || !ctx->opt.z_nodynamic_undefined_weak);
      continue;
    }
    // Its version: from .symver in the object, else from the script's node.
    bool local;
    const VersionNode *node = version_node(ctx, sym, &local);
    if (!sym->aux->def_version && node && node->name) {
      SymbolAux *aux = symbol_aux(ctx, sym);
      aux->def_version = node->name;
      // The object may define foo@VER itself (.symver foo, foo@VER), an old
      // version kept for old programs, next to the plain foo that the script also
      // puts in VER. One name cannot be both the default and a hidden entry of
      // one version: GNU ld keeps the .symver one and exports no foo@@VER.
      const char *twin = arena_printf(&ctx->arena, "%s@%s", sym->name, node->name);
      const Symbol *old = find_symbol(ctx, twin);
      aux->shadowed_by_symver =
          old && old->state == SYM_DEFINED && old->aux->def_version_hidden;
    }
    // --default-symver: what no named node of a script versions is versioned by the
    // library's name.
    if (!sym->aux->def_version && ctx->opt.default_symver && sym->state != SYM_UNDEF)
      symbol_aux(ctx, sym)->def_version = version_base_name(ctx);
    // -Bsymbolic, or a dynamic list that does not name it: exported, yet bound to
    // this library's own definition. A dynamic list overrides -Bsymbolic, wherever
    // each is on the command line (GNU ld's reading of --dynamic-list).
    bool symbolic = ctx->opt.dynamic_list
                        ? !in_dynamic_list(ctx, sym)
                        : ctx->opt.bsymbolic == BSYMBOLIC_ALL ||
                              (ctx->opt.bsymbolic == BSYMBOLIC_FUNCTIONS &&
                               sym->type == STT_FUNC);
    if ((sym->state == SYM_DEFINED || sym->state == SYM_COMMON) &&
        sym->visibility == STV_DEFAULT && !(sym->isec && !sym->isec->is_alive) &&
        !is_version_local(ctx, sym) && !symbolic)
      sym->preemptible = true;
  }
}

// --no-undefined-version: a name a version script writes out (no pattern) that no
// input defines is an error, most likely a typo or a symbol that was removed.
// GNU ld allows it by default, so that one script can serve several builds.
static void check_undefined_versions(Ctx *ctx) {
  for (size_t i = 0; i < ctx->opt.version_nodes.len; i++) {
    const VersionNode *node = ctx->opt.version_nodes.data[i];
    for (size_t j = 0; j < node->globals.len; j++) {
      const char *name = node->globals.data[j];
      if (match_kind(name) != MATCH_EXACT)
        continue;
      const Symbol *sym = find_symbol(ctx, name);
      if (sym && (sym->state == SYM_DEFINED || sym->state == SYM_LINKER))
        continue;
      if (node->name)
        error("version script assigns version '%s' to symbol '%s', which is not defined",
              node->name, name);
      else
        error("version script exports symbol '%s', which is not defined", name);
    }
  }
}

// The versions the library defines (.gnu.version_d): the script's named nodes in
// order, after the library's name if --default-symver uses it (GNU ld's order).
// A .symver version the script does not define is an error, as in GNU ld.
static void choose_version_definitions(Ctx *ctx) {
  if (ctx->opt.no_undefined_version)
    check_undefined_versions(ctx);
  if (ctx->opt.default_symver)
    vec_push(&ctx->arena, &ctx->verdefs, (void *)version_base_name(ctx));
  for (size_t i = 0; i < ctx->opt.version_nodes.len; i++) {
    const VersionNode *node = ctx->opt.version_nodes.data[i];
    if (node->name)
      vec_push(&ctx->arena, &ctx->verdefs, (void *)node->name);
  }
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    Symbol *sym = ctx->dynsyms.data[i];
    // (The base version, `foo@@`, is no version at all: VER_NDX_GLOBAL.)
    const char *def = sym->aux->def_version;
    if (sym->state == SYM_SHARED || sym->copied || !def || !*def)
      continue;
    size_t j = 0;
    while (j < ctx->verdefs.len && strcmp(ctx->verdefs.data[j], def))
      j++;
    if (j == ctx->verdefs.len) {
      error("%s: version '%s' of symbol '%s' is not defined by a version script",
            sym->file->name, def, dynamic_name(sym));
      continue;
    }
    SymbolAux *aux = symbol_aux(ctx, sym);
    aux->ver_index = (uint16_t)(2 + j) | (aux->def_version_hidden ? VERSYM_HIDDEN : 0);
  }
}

// Does the command line ask for sym to be exported (-E, --dynamic-list, ...)?
static bool export_asked(Ctx *ctx, const Symbol *sym) {
  if (ctx->opt.export_dynamic)
    return true;
  return in_dynamic_list(ctx, sym);
}

static bool is_exported(Ctx *ctx, const Symbol *sym) {
  if (!sym->is_global || sym->visibility == STV_HIDDEN || sym->visibility == STV_INTERNAL)
    return false;
  // A shared library exports every global it defines, but for what a version
  // script keeps local.
  if (ctx->opt.shared && sym->state == SYM_DEFINED)
    return (!sym->isec || sym->isec->is_alive) && !is_version_local(ctx, sym);
  if (sym->state == SYM_DEFINED)
    return sym->copied ||
           ((sym->shared_ref || export_asked(ctx, sym)) && !sym->version_local &&
            (!sym->isec || sym->isec->is_alive));
  // What a linker script defines is the program's own, like an input's definition
  // (`bar = foo;` exports bar from a shared library); the built-in names are not.
  if (sym->state == SYM_LINKER && sym->script && ctx->opt.shared)
    return sym->visibility == STV_DEFAULT && !is_version_local(ctx, sym);
  if (sym->state == SYM_LINKER)
    return sym->shared_ref || export_asked(ctx, sym);
  return false;
}

static bool is_dynamic_import(const Symbol *sym) {
  return (sym->state == SYM_SHARED && sym->object_ref) ||
         (sym->dynamic_undef && sym->state == SYM_UNDEF);
}

// A function whose PLT entry is its address everywhere must be found when the
// dynamic linker looks it up in the program, for the libraries' references: it
// goes with the exports, into .gnu.hash, though it stays undefined.
static bool is_hashed(Ctx *ctx, const Symbol *sym) {
  return is_exported(ctx, sym) || (is_dynamic_import(sym) && sym->canonical_plt);
}

void choose_needed_libraries(Ctx *ctx) {
  if (!ctx->dynamic)
    return;
  for (size_t i = 0; i < ctx->shared_files.len; i++) {
    InputFile *so = ctx->shared_files.data[i];
    so->is_needed = !so->as_needed;
    for (size_t j = 0; j < ctx->globals.len && !so->is_needed; j++) {
      Symbol *sym = ctx->globals.data[j];
      so->is_needed = sym->state == SYM_SHARED && sym->file == so && sym->strong_ref;
    }
    if (so->is_needed)
      vec_push(&ctx->arena, &ctx->needed, so);
  }
  // What only an unneeded library defines is not defined at all: a weak reference
  // to it is 0, as with GNU ld.
  for (size_t j = 0; j < ctx->globals.len; j++) {
    Symbol *sym = ctx->globals.data[j];
    if (sym->state == SYM_SHARED && !sym->file->is_needed) {
      sym->state = SYM_UNDEF;
      sym->type = STT_NOTYPE;
      sym->size = 0;
      if (sym->aux->version)
        symbol_aux(ctx, sym)->version = NULL;
    }
  }
}

// Notes that the program needs `version` of `file` (once per pair).
static void need_version(Ctx *ctx, InputFile *file, const char *version) {
  Verneed *vn = NULL;
  for (size_t i = 0; i < ctx->verneeds.len && !vn; i++)
    if (((Verneed *)ctx->verneeds.data[i])->file == file)
      vn = ctx->verneeds.data[i];
  if (!vn) {
    vn = arena_alloc(&ctx->arena, sizeof *vn);
    vn->file = file;
    vec_push(&ctx->arena, &ctx->verneeds, vn);
  }
  for (size_t j = 0; j < vn->versions.len; j++)
    if (!strcmp(vn->versions.data[j], version))
      return;
  vec_push(&ctx->arena, &vn->versions, (void *)version);
}

// The version index of sym's version of its library (after need_version).
static uint16_t version_index(Ctx *ctx, const Symbol *sym) {
  for (size_t i = 0; i < ctx->verneeds.len; i++) {
    Verneed *vn = ctx->verneeds.data[i];
    for (size_t j = 0; vn->file == sym->file && j < vn->versions.len; j++)
      if (!strcmp(vn->versions.data[j], sym->aux->version))
        return (uint16_t)(vn->first_index + j);
  }
  internal_error("no version index for '%s@%s'", sym->name, sym->aux->version);
}

// DT_DEPAUDIT: the auditing libraries the dynamic linker loads before this
// module's dependencies. A library linked with --audit asks, through its DT_AUDIT,
// that whoever links against it be audited too: GNU ld adds each needed library's
// DT_AUDIT to --depaudit's list (each name once).
static void choose_depaudit(Ctx *ctx) {
  Buf b = {0};
  PtrVec seen = {0};
  for (size_t i = 0; i <= ctx->needed.len; i++) {
    const InputFile *so = i ? ctx->needed.data[i - 1] : NULL;
    const char *list = so ? so->so.audit : ctx->opt.depaudit;
    for (const char *p = list; p && *p;) {
      size_t n = strcspn(p, ":");
      const char *name = arena_strndup(&ctx->arena, p, n);
      p += n + (p[n] == ':');
      bool dup = false;
      for (size_t j = 0; j < seen.len && !dup; j++)
        dup = !strcmp(seen.data[j], name);
      if (dup || !*name)
        continue;
      vec_push(&ctx->arena, &seen, (void *)name);
      if (b.len)
        buf_add(&b, ":", 1);
      buf_add(&b, name, n);
    }
  }
  if (!b.len)
    return;
  buf_add(&b, "", 1);
  ctx->depaudit = arena_strdup(&ctx->arena, (const char *)b.data);
  free(b.data);
}

typedef struct {
  Symbol *sym;
  uint32_t bucket;
  uint32_t order;
} Export;

static int compare_buckets(const void *a, const void *b) {
  const Export *x = a, *y = b;
  if (x->bucket != y->bucket)
    return x->bucket < y->bucket ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static bool has_version(const Symbol *sym) {
  return (sym->state == SYM_SHARED || sym->copied) && sym->aux->version;
}

void choose_dynamic_symbols(Ctx *ctx) {
  if (!ctx->dynamic)
    return;

  // Imports first, then exports; each in the order the names were first seen.
  PtrVec defined = {0};
  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    if (is_hashed(ctx, sym))
      vec_push(&ctx->arena, &defined, sym);
    else if (is_dynamic_import(sym))
      vec_push(&ctx->arena, &ctx->dynsyms, sym);
  }
  ctx->dynsym_defined = (uint32_t)ctx->dynsyms.len + 1;

  // .gnu.hash: one bucket per four exported symbols; the exported symbols sorted
  // by bucket (stable, so the order still follows the names' first appearance).
  uint32_t nbuckets = (uint32_t)(defined.len / 4);
  ctx->gnu_hash_buckets = nbuckets ? nbuckets : 1;
  Export *ex = arena_array(&ctx->arena, defined.len ? defined.len : 1, sizeof(Export));
  for (size_t i = 0; i < defined.len; i++)
    ex[i] = (Export){defined.data[i], gnu_hash(dynamic_name(defined.data[i])) %
                                          ctx->gnu_hash_buckets, (uint32_t)i};
  if (defined.len > 1)
    qsort(ex, defined.len, sizeof(Export), compare_buckets);
  for (size_t i = 0; i < defined.len; i++)
    vec_push(&ctx->arena, &ctx->dynsyms, ex[i].sym);
  for (size_t i = 0; i < ctx->dynsyms.len; i++)
    symbol_aux(ctx, ctx->dynsyms.data[i])->dynsym_index = (uint32_t)i + 1;

  // Versions: every imported or copied symbol with a version names it; each
  // library's versions get consecutive indexes, from 2 (0 and 1 mean local and
  // global).
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    Symbol *sym = ctx->dynsyms.data[i];
    if (has_version(sym))
      need_version(ctx, sym->file, sym->aux->version);
  }
  uint16_t index = 2;
  for (size_t i = 0; i < ctx->verneeds.len; i++) {
    Verneed *vn = ctx->verneeds.data[i];
    vn->first_index = index;
    index += (uint16_t)vn->versions.len;
  }
  for (size_t i = 0; i < ctx->dynsyms.len; i++) {
    Symbol *sym = ctx->dynsyms.data[i];
    symbol_aux(ctx, sym)->ver_index = has_version(sym) ? version_index(ctx, sym) : VER_NDX_GLOBAL;
  }
  // The versions it defines number from 2 too: .gnu.version_d and .gnu.version_r
  // share one index space, definitions first.
  if (ctx->opt.shared) {
    choose_version_definitions(ctx);
    for (size_t i = 0; i < ctx->verneeds.len; i++)
      ((Verneed *)ctx->verneeds.data[i])->first_index += (uint16_t)ctx->verdefs.len;
    for (size_t i = 0; i < ctx->dynsyms.len; i++) {
      Symbol *sym = ctx->dynsyms.data[i];
      if (has_version(sym))
        symbol_aux(ctx, sym)->ver_index += (uint16_t)ctx->verdefs.len;
    }
  }

  // The strings: DT_NEEDED names, the run path, symbol names, version names.
  StringTable *t = &ctx->dynstr;
  add_string(t, "");
  for (size_t i = 0; i < ctx->needed.len; i++)
    add_string(t, ((InputFile *)ctx->needed.data[i])->soname);
  if (ctx->opt.rpath.len) {
    // Each directory once, in the order first given (as GNU ld).
    Buf b = {0};
    for (size_t i = 0; i < ctx->opt.rpath.len; i++) {
      const char *dir = ctx->opt.rpath.data[i];
      bool seen = false;
      for (size_t j = 0; j < i && !seen; j++)
        seen = !strcmp(ctx->opt.rpath.data[j], dir);
      if (seen)
        continue;
      if (b.len)
        buf_add(&b, ":", 1);
      buf_add(&b, dir, strlen(dir));
    }
    buf_add(&b, "", 1);
    ctx->rpath = arena_strdup(&ctx->arena, (const char *)b.data);
    free(b.data);
    add_string(t, ctx->rpath);
  }
  if (ctx->opt.audit)
    add_string(t, ctx->opt.audit);
  choose_depaudit(ctx);
  if (ctx->depaudit)
    add_string(t, ctx->depaudit);
  if (ctx->opt.soname)
    add_string(t, ctx->opt.soname);
  for (size_t i = 0; i < ctx->dynsyms.len; i++)
    add_string(t, dynamic_name(ctx->dynsyms.data[i]));
  for (size_t i = 0; i < ctx->verdefs.len; i++)
    add_string(t, ctx->verdefs.data[i]);
  if (ctx->verdefs.len)
    add_string(t, version_base_name(ctx));
  for (size_t i = 0; i < ctx->verneeds.len; i++) {
    Verneed *vn = ctx->verneeds.data[i];
    add_string(t, vn->file->soname);
    for (size_t j = 0; j < vn->versions.len; j++)
      add_string(t, vn->versions.data[j]);
  }
}
