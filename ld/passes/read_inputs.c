/*
 * read_inputs.c — load every input the link needs, in command-line order.
 *
 * Objects named on the command line are always loaded. An archive is different: it
 * is a library, and a member is loaded only when it defines a symbol that is still
 * undefined at the moment the linker reaches the archive (with a non-weak
 * reference). That is why `main.o -lfoo` works and `-lfoo main.o` does not, exactly
 * as with GNU ld: an archive is scanned at its position, and never again, unless it
 * sits between --start-group and --end-group, where all the group's archives are
 * rescanned until a whole pass loads nothing new.
 *
 * Each object is read (read_object.c) and its symbols resolved against the global
 * table (resolve_symbols.c) as it arrives, because the next archive's decisions
 * depend on what is undefined now. So this pass is also where symbol resolution
 * happens.
 *
 * Reads ctx->opt; fills ctx->files, ctx->archives and, through
 * resolve_file_symbols(), ctx->symtab and ctx->globals.
 */
#include "../ld.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Reads one object and resolves its symbols. Returns NULL if it cannot be used.
// Compiler IR (LTO) goes to the plugin instead; `container` and `offset` say where
// the plugin finds the bytes (the archive, for a member).
static InputFile *add_object(Ctx *ctx, const char *name, View view, const char *container,
                             uint64_t offset) {
  InputFile *file = claim_ir_file(ctx, name, view, container, offset);
  if (file) {
    resolve_file_symbols(ctx, file);
    return file;
  }
  if (is_bitcode(view)) {
    error("%s: LLVM bitcode (clang -flto) %s", name,
          ctx->opt.plugin ? "that the linker plugin does not claim"
                          : "needs the LLVM linker plugin (clang passes -plugin LLVMgold.so)");
    return NULL;
  }
  file = load_object(ctx, name, view);
  if (file)
    resolve_file_symbols(ctx, file);
  return file;
}

// Reads a shared library's dynamic symbols and resolves them: its definitions
// satisfy references (and keep archive members from being pulled for them).
// `by_l`: found by -l, so DT_NEEDED (if it has no SONAME) names the file alone,
// not the directory it was found in.
static void add_shared(Ctx *ctx, const char *name, View view, bool as_needed, bool by_l) {
  InputFile *file = arena_alloc(&ctx->arena, sizeof *file);
  file->name = name;
  file->view = view;
  file->is_shared = true;
  file->as_needed = as_needed;
  view.name = name;
  if (!read_elf_shared(view, &ctx->arena, &file->so))
    return;
  if (file->so.ehdr.e_machine != EM_X86_64) {
    error("%s: incompatible machine type %u (only x86-64 objects can be linked)", name,
          file->so.ehdr.e_machine);
    return;
  }
  // DT_NEEDED names the library by its SONAME; a library without one by the name
  // it was given on the command line (path included), or its file name if -l
  // found it, as GNU ld does.
  const char *slash = strrchr(name, '/');
  file->soname = file->so.soname ? file->so.soname : by_l && slash ? slash + 1 : name;
  for (size_t i = 0; i < ctx->shared_files.len; i++)
    if (!strcmp(((InputFile *)ctx->shared_files.data[i])->soname, file->soname))
      return;  // the same library twice: the first one counts
  if (ctx->opt.trace)
    printf("%s\n", name);
  file->priority = (uint32_t)(ctx->files.len + ctx->shared_files.len) + 1;
  vec_push(&ctx->arena, &ctx->shared_files, file);
  resolve_shared_symbols(ctx, file);
}

// The header of a member the index named (read_archive_index), read now. If there
// is no good one at its offset, reading every header says what is wrong (as when
// the archive is read whole); if they are all good, the index points at no member.
static bool read_member(Ctx *ctx, ArchiveFile *af, ArMember *m, const char *entry) {
  if (read_archive_member(&af->ar, &ctx->arena, m))
    return true;
  Archive whole;
  if (read_archive(af->ar.file, &ctx->arena, &whole))
    error("%s: symbol index entry for '%s' points to offset 0x%llx, which is not a member",
          af->name, entry, (unsigned long long)m->offset);
  return false;
}

// An archive opened on its index alone, now read whole (--whole-archive), the
// members loaded from it still loaded.
static bool read_whole(Ctx *ctx, ArchiveFile *af) {
  if (!af->ar.lazy)
    return true;
  Archive whole;
  if (!read_archive(af->ar.file, &ctx->arena, &whole))
    return false;
  bool *loaded = arena_array(&ctx->arena, whole.nmembers + 1, sizeof(bool));
  for (size_t i = 0, j = 0; i < whole.nmembers; i++) {
    while (j < af->ar.nmembers && af->ar.members[j].offset < whole.members[i].offset)
      j++;
    loaded[i] = j < af->ar.nmembers && af->ar.members[j].offset == whole.members[i].offset &&
                af->member_loaded[j];
  }
  af->ar = whole;
  af->member_loaded = loaded;
  return true;
}

// Loads one member of an archive, once. `why` is the symbol whose definition it is
// loaded for (NULL under --whole-archive), remembered for -Map and --why-extract
// together with the file that referred to it (NULL: the entry point).
static void load_member(Ctx *ctx, ArchiveFile *af, ArMember *m, const Symbol *why) {
  const char *referrer = why && why->file ? why->file->name : NULL;
  size_t idx = (size_t)(m - af->ar.members);
  if (af->member_loaded[idx])
    return;
  af->member_loaded[idx] = true;
  if (!m->read)  // (scan_archive read it; read_archive, every member)
    internal_error("%s: member at 0x%llx was not read", af->name, (unsigned long long)m->offset);
  const char *name = arena_printf(&ctx->arena, "%s(%s)", af->name, m->name);
  View data = m->data;
  if (af->ar.thin && !map_file(m->path, name, &data)) {
    error("%s: cannot open %s: %s", name, m->path, strerror(errno));
    return;
  }
  data.name = name;
  if (!is_elf(data) && !is_bitcode(data)) {
    error("%s: not an ELF object", name);
    return;
  }
  InputFile *file = af->ar.thin ? add_object(ctx, name, data, m->path, 0)
                                : add_object(ctx, name, data, af->name,
                                             (uint64_t)(data.data - af->ar.file.data));
  if (!file)
    return;
  file->from_archive = true;
  if (why) {
    file->extracted_by = referrer;
    file->extracted_for = why->name;
  } else {
    file->extracted_by = "--whole-archive";
  }
}

// An archive without a symbol index (GNU ld refuses these; lld and mold accept
// them, and so do we): build the index by reading each member's symbol table.
static void build_index(Ctx *ctx, ArchiveFile *af) {
  Archive *ar = &af->ar;
  PtrVec syms = {0};
  for (size_t i = 0; i < ar->nmembers; i++) {
    ArMember *m = &ar->members[i];
    View data = m->data;
    const char *name = arena_printf(&ctx->arena, "%s(%s)", af->name, m->name);
    if (ar->thin && !map_file(m->path, name, &data))
      continue;  // reported if the member is ever needed
    data.name = name;
    ElfObject obj;
    if (!is_elf(data) || !read_elf_object(data, &ctx->arena, &obj))
      continue;
    for (uint64_t j = obj.first_global; j < obj.nsyms; j++) {
      const Elf64_Sym *s = &obj.syms[j];
      if (s->st_shndx == SHN_UNDEF || ELF64_ST_BIND(s->st_info) == STB_LOCAL)
        continue;
      ArSymbol *as = arena_alloc(&ctx->arena, sizeof *as);
      as->name = elf_symbol_name(&obj, j);
      as->offset = m->offset;
      vec_push(&ctx->arena, &syms, as);
    }
  }
  ar->syms = arena_array(&ctx->arena, syms.len, sizeof(ArSymbol));
  for (size_t i = 0; i < syms.len; i++)
    ar->syms[i] = *(ArSymbol *)syms.data[i];
  ar->nsyms = syms.len;
}

// Does the member define `name` with a real, global definition (not COMMON)?
static bool member_defines(Ctx *ctx, ArchiveFile *af, ArMember *m, const char *name) {
  View data = m->data;
  if (af->ar.thin && !map_file(m->path, m->path, &data))
    return false;
  data.name = arena_printf(&ctx->arena, "%s(%s)", af->name, m->name);
  ElfObject obj;
  if (!is_elf(data) || !read_elf_object(data, &ctx->arena, &obj))
    return false;
  for (uint64_t i = obj.first_global; i < obj.nsyms; i++) {
    const Elf64_Sym *s = &obj.syms[i];
    if (s->st_shndx != SHN_UNDEF && s->st_shndx != SHN_COMMON &&
        ELF64_ST_BIND(s->st_info) == STB_GLOBAL && !strcmp(elf_symbol_name(&obj, i), name))
      return true;
  }
  return false;
}

// One pass over an archive's index: load each member that defines a symbol some
// loaded object needs. Returns how many members were loaded. Loading a member can
// create new undefined symbols, which the same pass may then satisfy further on.
// The archive's symbol index (built, for an archive without one), and a slot per
// entry for the Symbol it names, found on first use. An archive taken whole
// (--whole-archive) gets them only if it is scanned after all: named again without
// the option, or rescanned by its group.
static void ready_index(Ctx *ctx, ArchiveFile *af) {
  if (af->index_syms)
    return;
  if (!af->ar.has_index)
    build_index(ctx, af);
  af->index_syms = arena_array(&ctx->arena, af->ar.nsyms + 1, sizeof(Symbol *));
}

static size_t scan_archive(Ctx *ctx, ArchiveFile *af) {
  ready_index(ctx, af);
  size_t loaded = 0;
  for (size_t i = 0; i < af->ar.nsyms; i++) {
    ArSymbol *as = &af->ar.syms[i];
    Symbol *sym = af->index_syms[i];
    if (!sym)
      sym = af->index_syms[i] = find_symbol(ctx, as->name);
    if (!sym || !((sym->state == SYM_UNDEF && sym->strong_ref) || sym->state == SYM_COMMON))
      continue;
    ArMember *m = archive_member_at(&af->ar, as->offset);
    if (!m) {
      error("%s: symbol index entry for '%s' points to offset 0x%llx, which is not a member",
            af->name, as->name, (unsigned long long)as->offset);
      continue;
    }
    if (af->member_loaded[m - af->ar.members])
      continue;
    if (!read_member(ctx, af, m, as->name)) {
      af->member_loaded[m - af->ar.members] = true;  // (said once)
      continue;
    }
    // A tentative definition (COMMON) is replaced by a real one from an archive, as
    // GNU ld does, but only by a real one: a member with just another COMMON copy
    // stays out.
    if (sym->state == SYM_COMMON && !member_defines(ctx, af, m, as->name))
      continue;
    load_member(ctx, af, m, sym);
    loaded++;
  }
  return loaded;
}

static void scan_until_stable(Ctx *ctx, ArchiveFile *af) {
  while (scan_archive(ctx, af) && !error_count())
    ;
}

static ArchiveFile *open_archive(Ctx *ctx, const char *name, View view, bool whole) {
  // The same archive again (-lc twice, or a library the LTO plugin adds): what
  // was loaded from it stays loaded, once.
  for (size_t i = 0; i < ctx->archives.len; i++) {
    ArchiveFile *seen = ctx->archives.data[i];
    if (!strcmp(seen->name, name)) {
      if (whole && read_whole(ctx, seen))
        for (size_t j = 0; j < seen->ar.nmembers; j++)
          load_member(ctx, seen, &seen->ar.members[j], NULL);
      return seen;
    }
  }
  ArchiveFile *af = arena_alloc(&ctx->arena, sizeof *af);
  af->name = name;
  if (!(whole ? read_archive : read_archive_index)(view, &ctx->arena, &af->ar))
    return NULL;
  af->member_loaded = arena_array(&ctx->arena, af->ar.nmembers + 1, sizeof(bool));
  vec_push(&ctx->arena, &ctx->archives, af);
  if (whole) {
    for (size_t i = 0; i < af->ar.nmembers; i++)
      load_member(ctx, af, &af->ar.members[i], NULL);
    return af;
  }
  ready_index(ctx, af);
  return af;
}

// GNU ld's default library directories for x86-64 Debian, searched after -L ones.
static const char *const default_lib_dirs[] = {
  "/usr/local/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
  "/usr/local/lib64", "/lib64", "/usr/lib64", "/usr/local/lib", "/lib", "/usr/lib", NULL,
};

// An absolute path of the target system, inside --sysroot if there is one.
static const char *sysroot_path(Ctx *ctx, const char *path) {
  if (!ctx->opt.sysroot)
    return path;
  return arena_printf(&ctx->arena, "%s%s", ctx->opt.sysroot, path);
}

// Is `dir` inside --sysroot? (Both made canonical: ../ and symbolic links.)
static bool is_in_sysroot(Ctx *ctx, const char *dir) {
  char root[PATH_MAX], here[PATH_MAX];
  if (!ctx->opt.sysroot || !realpath(ctx->opt.sysroot, root) || !realpath(dir, here))
    return false;
  size_t n = strlen(root);
  return !strncmp(here, root, n) && (here[n] == '/' || here[n] == '\0');
}

// (Asked of every candidate in every library directory: mapping each one to find
// out, as before, left a mapping behind for each.)
static bool file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && !S_ISDIR(st.st_mode) && access(path, R_OK) == 0;
}

// The file `fname` (or, if `so` is given, `so` first) in directory `dir`.
static const char *find_in(Ctx *ctx, const char *dir, const char *so, const char *fname) {
  if (so) {
    const char *path = arena_printf(&ctx->arena, "%s/%s", dir, so);
    if (file_exists(path))
      return path;
  }
  const char *path = arena_printf(&ctx->arena, "%s/%s", dir, fname);
  return file_exists(path) ? path : NULL;
}

// -lNAME finds libNAME.so, or libNAME.a, in the first -L directory (then default
// directory) that holds either, as GNU ld does; after -Bstatic only libNAME.a.
// -l:FILE finds FILE.
static const char *find_library(Ctx *ctx, const char *lib, bool bstatic) {
  bool exact = lib[0] == ':';
  const char *fname = exact ? lib + 1 : arena_printf(&ctx->arena, "lib%s.a", lib);
  const char *so = exact || bstatic ? NULL : arena_printf(&ctx->arena, "lib%s.so", lib);
  for (size_t i = 0; i < ctx->opt.lib_paths.len; i++) {
    const char *path = find_in(ctx, ctx->opt.lib_paths.data[i], so, fname);
    if (path)
      return path;
  }
  if (!ctx->opt.nostdlib)
    for (int i = 0; default_lib_dirs[i]; i++) {
      const char *path = find_in(ctx, sysroot_path(ctx, default_lib_dirs[i]), so, fname);
      if (path)
        return path;
    }
  return NULL;
}

// The objects named on the command line are read before the link takes them in,
// in parallel: each parse depends on its file alone, and entering their global
// names in the symbol table needs no order either (resolution, which does, then
// runs file by file in command-line order, as before). What archives, scripts and
// shared libraries bring in is read as they are reached.
typedef struct {
  const char *path;
  View view;
  bool parsed;        // read here: the file list takes `file` as it is
  InputFile *file;    // NULL if it could not be read (the error is out)
} Preload;

typedef struct {
  Ctx *ctx;
  Preload *pre;
  size_t *which;      // the indexes of the inputs to read
  InputArg *args;
} PreloadTasks;

// Maps input i if it is a relocatable object. Only regular files: a pipe is read
// once, in its turn. (Nothing is reported here: a file that cannot be opened is
// reported in its turn too.)
static void preload_map(void *arg, size_t i) {
  PreloadTasks *t = arg;
  const InputArg *a = &t->args[i];
  struct stat st;
  View v;
  if (a->kind != ARG_FILE || stat(a->value, &st) < 0 || !S_ISREG(st.st_mode) ||
      !map_file(a->value, a->value, &v))
    return;
  if (v.size < sizeof(Elf64_Ehdr) || !is_elf(v) || read_u16le(v.data + 16) != ET_REL)
    return;
  t->pre[i] = (Preload){.path = a->value, .view = v, .parsed = true};
}

static void preload_parse(void *arg, size_t k) {
  PreloadTasks *t = arg;
  Preload *p = &t->pre[t->which[k]];
  p->file = parse_object(t->ctx, p->path, p->view);
}

static void preload_intern(void *arg, size_t k) {
  PreloadTasks *t = arg;
  InputFile *file = t->pre[t->which[k]].file;
  if (file)
    intern_file_globals(t->ctx, file);
}

static Preload *preload_objects(Ctx *ctx, InputArg *args, size_t n) {
  // Compiler IR goes to the plugin, in order; such links are left as they are.
  if (ctx->opt.plugin)
    return NULL;
  Preload *pre = arena_array(&ctx->arena, n + 1, sizeof(Preload));
  size_t *which = arena_array(&ctx->arena, n + 1, sizeof(size_t));
  PreloadTasks t = {ctx, pre, which, args};
  // (Opening and mapping 1,600 files, one after another, was 30 ms of a big link.)
  parallel_for(n, preload_map, &t);
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (pre[i].parsed)
      which[count++] = i;
  parallel_for(count, preload_parse, &t);
  // Room for every definition and some references: most references name what
  // another object defines. (Room for all would cost three times the memory; what
  // does not fit is entered later, in order.)
  size_t globals = 0;
  for (size_t k = 0; k < count; k++) {
    InputFile *file = pre[which[k]].file;
    for (uint64_t i = file ? file->obj.first_global : 0; file && i < file->obj.nsyms; i++)
      globals += file->obj.syms[i].st_shndx != SHN_UNDEF ? 8 : 1;
  }
  hashmap_reserve(&ctx->symtab, globals / 8);
  parallel_for(count, preload_intern, &t);
  // Resolution lists each of these names in ctx->globals (list_symbol).
  vec_reserve(&ctx->arena, &ctx->globals, ctx->symtab.len);
  return pre;
}

// The InputArgs a script named, as an array.
static InputArg *list_of(Ctx *ctx, const PtrVec *script) {
  InputArg *list = arena_array(&ctx->arena, script->len, sizeof(InputArg));
  for (size_t j = 0; j < script->len; j++)
    list[j] = *(InputArg *)script->data[j];
  return list;
}

// The directory a script is in, for the files it names; NULL for the current one.
static const char *directory_of(Ctx *ctx, const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? arena_strndup(&ctx->arena, path, (size_t)(slash - path)) : NULL;
}

// Reads a list of inputs in order: the command line, or what a linker script names.
// `st` is the positional state (--whole-archive, -Bstatic, --as-needed), which
// carries across the list.
// `script_dir` is the directory of the linker script the list comes from (NULL for
// the command line, or a script in the current directory).
// `pre`: the command line's objects, parsed already (preload_objects), or NULL.
static void read_input_list(Ctx *ctx, InputArg *args, size_t n, InputState *st, int depth,
                            const char *script_dir, const Preload *pre) {
  size_t group_start = 0;
  for (size_t i = 0; i < n; i++) {
    InputArg *arg = &args[i];
    const char *path = arg->value;
    switch (arg->kind) {
    case ARG_WHOLE_ARCHIVE: st->whole = true; continue;
    case ARG_NO_WHOLE_ARCHIVE: st->whole = false; continue;
    case ARG_BSTATIC: st->bstatic = true; continue;
    case ARG_BDYNAMIC: st->bstatic = false; continue;
    case ARG_AS_NEEDED: st->as_needed = true; continue;
    case ARG_NO_AS_NEEDED: st->as_needed = false; continue;
    case ARG_PUSH_STATE:
      if (ctx->state_depth == sizeof ctx->state_stack / sizeof ctx->state_stack[0]) {
        error("--push-state nested too deeply");
        continue;
      }
      ctx->state_stack[ctx->state_depth++] = *st;
      continue;
    case ARG_POP_STATE:
      if (ctx->state_depth == 0) {
        error("--pop-state without --push-state");
        continue;
      }
      *st = ctx->state_stack[--ctx->state_depth];
      continue;
    case ARG_GROUP_START:
      group_start = ctx->archives.len;
      continue;
    case ARG_GROUP_END:
      // Rescan every archive of the group until a whole pass pulls in nothing.
      for (;;) {
        size_t loaded = 0;
        for (size_t j = group_start; j < ctx->archives.len && !error_count(); j++)
          loaded += scan_archive(ctx, ctx->archives.data[j]);
        if (!loaded || error_count())
          break;
      }
      continue;
    case ARG_LIBRARY:
      path = find_library(ctx, arg->value, st->bstatic);
      if (!path) {
        error("cannot find -l%s", arg->value);
        continue;
      }
      break;
    case ARG_SCRIPT:
      // -T FILE: as it is, or in the library path (GNU ld looks there too).
      for (size_t j = 0; !file_exists(path) && path[0] != '/' && j < ctx->opt.lib_paths.len; j++) {
        const char *in = arena_printf(&ctx->arena, "%s/%s", (char *)ctx->opt.lib_paths.data[j],
                                      arg->value);
        if (file_exists(in))
          path = in;
      }
      break;
    case ARG_FILE:
      // In a script: =/path and $SYSROOT/path are inside --sysroot, and so is an
      // absolute path if the script itself is (GNU ld's rule).
      if (depth > 0 && path[0] == '=')
        path = sysroot_path(ctx, path + 1);
      else if (depth > 0 && !strncmp(path, "$SYSROOT", 8))
        path = sysroot_path(ctx, path + 8);
      else if (depth > 0 && path[0] == '/' && is_in_sysroot(ctx, script_dir ? script_dir : "."))
        path = sysroot_path(ctx, path);
      // A linker script may name a library without a directory (libgcc_s.so is
      // "GROUP ( libgcc_s.so.1 -lgcc )"): if it is not in the current directory,
      // it is looked for in the library path, as GNU ld does.
      if (depth > 0 && !strchr(path, '/') && !file_exists(path)) {
        // ... or next to the script itself, as lld and mold do too.
        const char *beside = script_dir ? arena_printf(&ctx->arena, "%s/%s", script_dir, path)
                                        : NULL;
        const char *found = beside && file_exists(beside)
                                ? beside
                                : find_library(ctx, arena_printf(&ctx->arena, ":%s", path), true);
        if (found)
          path = found;
      }
      break;
    }

    if (pre && pre[i].parsed) {
      if (pre[i].file && admit_object(ctx, pre[i].file))
        resolve_file_symbols(ctx, pre[i].file);
      continue;
    }
    View view;
    if (!map_file(path, path, &view)) {
      error("%s: cannot open: %s", path, strerror(errno));
      continue;
    }
    PtrVec script = {0};
    if (arg->kind == ARG_SCRIPT && (view.size == 0 || !read_input_script(ctx, path, view, &script))) {
      error("%s: not a linker script", path);
    } else if (arg->kind == ARG_SCRIPT) {
      read_input_list(ctx, list_of(ctx, &script), script.len, st, depth + 1,
                      directory_of(ctx, path), NULL);
    } else if (is_archive(view)) {
      ArchiveFile *af = open_archive(ctx, path, view, st->whole);
      if (af && !st->whole)
        scan_until_stable(ctx, af);
    } else if (is_elf_shared(view)) {
      if (st->bstatic)
        error("%s: a shared library cannot be linked after -static or -Bstatic", path);
      else
        add_shared(ctx, path, view, st->as_needed, arg->kind == ARG_LIBRARY);
    } else if (is_elf(view) || is_bitcode(view)) {
      add_object(ctx, path, view, path, 0);
    } else if (view.size == 0) {
      error("%s: file is empty", path);
    } else if (read_input_script(ctx, path, view, &script)) {
      if (depth > 16) {
        error("%s: linker scripts nested too deeply", path);
        continue;
      }
      read_input_list(ctx, list_of(ctx, &script), script.len, st, depth + 1,
                      directory_of(ctx, path), NULL);
    } else {
      error("%s: unknown file type (not an ELF object, ar archive or linker script)", path);
    }
  }
}

// Is a library of this SONAME among the ones read?
static bool have_library(Ctx *ctx, const char *soname) {
  for (size_t i = 0; i < ctx->shared_files.len; i++)
    if (!strcmp(((InputFile *)ctx->shared_files.data[i])->soname, soname))
      return true;
  for (size_t i = 0; i < ctx->dependencies.len; i++)
    if (!strcmp(((InputFile *)ctx->dependencies.data[i])->soname, soname))
      return true;
  return false;
}

// Where the dynamic linker will look for a library's own DT_NEEDED libraries, as
// GNU ld searches them at link time: -rpath-link, then -rpath, then the default
// directories.
static const char *find_dependency(Ctx *ctx, const char *name) {
  const PtrVec *lists[] = {&ctx->opt.rpath_link, &ctx->opt.rpath};
  for (int l = 0; l < 2; l++)
    for (size_t i = 0; i < lists[l]->len; i++) {
      const char *path = find_in(ctx, lists[l]->data[i], NULL, name);
      if (path)
        return path;
    }
  for (int i = 0; default_lib_dirs[i]; i++) {
    const char *path = find_in(ctx, sysroot_path(ctx, default_lib_dirs[i]), NULL, name);
    if (path)
      return path;
  }
  return NULL;
}

// The libraries that the shared libraries need (their DT_NEEDED), and theirs in
// turn, are read too: not to satisfy the program's references (GNU ld does not let
// an indirect dependency do that), but to know what the libraries' own undefined
// symbols will find at run time (report_undefined.c). A dependency that cannot be
// found is a warning, as in GNU ld.
static void read_dependencies(Ctx *ctx) {
  for (size_t i = 0; i < ctx->shared_files.len + ctx->dependencies.len; i++) {
    InputFile *so = i < ctx->shared_files.len ? ctx->shared_files.data[i]
                                               : ctx->dependencies.data[i - ctx->shared_files.len];
    for (size_t j = 0; j < so->so.nneeded; j++) {
      const char *name = so->so.needed[j];
      if (have_library(ctx, name))
        continue;
      const char *path = find_dependency(ctx, name);
      View view;
      if (!path || !map_file(path, path, &view)) {
        warn("%s, needed by %s, not found (try using -rpath or -rpath-link)", name, so->name);
        so->missing_dependency = true;
        continue;
      }
      InputFile *dep = arena_alloc(&ctx->arena, sizeof *dep);
      dep->name = path;
      dep->is_shared = true;
      view.name = path;
      if (!read_elf_shared(view, &ctx->arena, &dep->so))
        continue;
      dep->soname = dep->so.soname ? dep->so.soname : name;
      vec_push(&ctx->arena, &ctx->dependencies, dep);
    }
  }
}

// LTO: once every input is in, the plugin turns the IR into objects. They take
// the place of the first IR file on the command line (as in GNU ld), so that the
// output's order does not depend on which file held IR. The libraries the plugin
// adds are searched with the positional state at the end of the command line.
static void read_lto_output(Ctx *ctx, InputState *st) {
  run_lto(ctx);
  if (error_count())
    return;
  size_t before = ctx->files.len;
  PtrVec *in = &ctx->lto_inputs;
  InputArg *list = arena_array(&ctx->arena, in->len, sizeof(InputArg));
  size_t nfiles = 0;
  for (int pass = 0; pass < 2; pass++)  // the objects first, then the libraries
    for (size_t i = 0; i < in->len; i++)
      if ((((InputArg *)in->data[i])->kind == ARG_FILE) == (pass == 0))
        list[nfiles++] = *(InputArg *)in->data[i];
  size_t nobjects = 0;
  while (nobjects < nfiles && list[nobjects].kind == ARG_FILE)
    nobjects++;
  ctx->reading_lto_objects = true;
  read_input_list(ctx, list, nobjects, st, 0, NULL, NULL);
  ctx->reading_lto_objects = false;
  read_input_list(ctx, list + nobjects, nfiles - nobjects, st, 0, NULL, NULL);
  finish_lto(ctx);

  size_t pos = ctx->lto_position, added = ctx->files.len - before;
  void **f = ctx->files.data;
  for (size_t k = 0; k < added; k++) {
    void *moved = f[before + k];
    memmove(&f[pos + k + 1], &f[pos + k], (before - pos) * sizeof *f);
    f[pos + k] = moved;
  }
  for (size_t i = 0; i < ctx->files.len; i++)
    ((InputFile *)f[i])->priority = (uint32_t)i + 1;
}

// --defsym names are claimed before any input is read, so that no input defines
// them (GNU ld lets the command line win); their values come after layout.
static void reserve_defsyms(Ctx *ctx) {
  for (size_t i = 0; i < ctx->opt.defsyms.len; i++) {
    Defsym *d = ctx->opt.defsyms.data[i];
    Symbol *sym = intern_symbol(ctx, d->name);
    sym->defsym = true;
    sym->state = SYM_DEFINED;  // absolute (isec NULL); its value is set after layout
    sym->binding = STB_GLOBAL;
    sym->type = STT_NOTYPE;
    if (d->expr->kind == EX_NUM)
      sym->value = d->expr->num;
    // What the expression names may come from an archive.
    note_expr_symbols(ctx, d->expr, true);
  }
}

void read_inputs(Ctx *ctx) {
  // The entry point is a reference the linker itself makes: it is what pulls _start
  // out of an archive (crt1.o is usually named directly, but it need not be).
  if (!ctx->opt.relocatable)  // an object made with -r has no entry point yet
    intern_symbol(ctx, ctx->opt.entry)->strong_ref = true;
  for (size_t i = 0; i < ctx->opt.trace_symbols.len; i++)
    intern_symbol(ctx, ctx->opt.trace_symbols.data[i])->traced = true;
  reserve_defsyms(ctx);
  // -u SYM: a reference made on the command line, to pull a member out of an archive.
  for (size_t i = 0; i < ctx->opt.undefined.len; i++)
    intern_symbol(ctx, ctx->opt.undefined.data[i])->strong_ref = true;

  InputState st = {0};
  Preload *pre = preload_objects(ctx, ctx->opt.inputs, ctx->opt.ninputs);
  stats_mark(ctx, "read_inputs: parse objects");
  read_input_list(ctx, ctx->opt.inputs, ctx->opt.ninputs, &st, 0, NULL, pre);
  if (ctx->ir_files.len)
    read_lto_output(ctx, &st);
  read_dependencies(ctx);
  // The inputs' tables have been read; what later passes read again (relocations,
  // contents) comes back from the page cache as they need it (mapped_file.c).
  release_mapped_pages();

  // A program that uses a shared library is loaded by the dynamic linker named in
  // PT_INTERP; so is a PIE, unless it relocates itself (static PIE).
  ctx->dynamic = ctx->opt.shared ||
                 (!ctx->opt.no_dynamic_linker && (ctx->shared_files.len > 0 || ctx->opt.pie));
}
