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
 * Loading an object parses it (common/elf_object.c checks it), makes an InputSection
 * for each section the output may need, and adds its symbols to the global table as
 * it arrives, because the next archive's decisions depend on what is undefined now.
 *
 * Reads ctx->opt; fills ctx->files, ctx->archives and, through add_file_symbols(),
 * ctx->symtab.
 */
#include "ld.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

// Sections that only steer the linker and never reach the output.
static bool is_control_section(const char *name, uint32_t type) {
  switch (type) {
  case SHT_NULL: case SHT_SYMTAB: case SHT_STRTAB: case SHT_RELA: case SHT_REL:
  case SHT_GROUP: case SHT_SYMTAB_SHNDX:
    return true;
  }
  // 0x6fff4c00..: LLVM's address-significance tables and friends.
  if (type >= 0x6fff4c00 && type <= 0x6fff4cff)
    return true;
  return !strcmp(name, ".note.GNU-stack");
}

// COMDAT groups (gABI "Section Groups"): the same inline function or template may be
// emitted by many objects, each copy in a group named by a signature symbol. The first
// group with a signature is kept; the sections of every later copy are discarded, and
// their symbols resolve to the kept copy's definitions.
static void read_groups(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    if (s->sh_type != SHT_GROUP)
      continue;
    View g = elf_section_data(obj, i);
    if (g.size < 4 || g.size % 4 || s->sh_info >= obj->nsyms || s->sh_link != obj->symtab_shndx) {
      error("%s: section '%s': malformed section group", file->name, obj->shnames[i]);
      continue;
    }
    if (!(read_u32le(g.data) & GRP_COMDAT))
      continue;
    const char *sig = obj->symnames[s->sh_info];
    if (obj->syms[s->sh_info].st_info == ELF64_ST_INFO(STB_LOCAL, STT_SECTION))
      sig = obj->shnames[obj->sym_secidx[s->sh_info]];
    HashEntry *e = hashmap_slot(&ctx->comdat, sig, strlen(sig));
    bool keep = !e->value;
    if (keep)
      e->value = file;
    for (uint64_t off = 4; off < g.size; off += 4) {
      uint32_t member = read_u32le(g.data + off);
      if (member == 0 || member >= obj->shnum) {
        error("%s: section '%s': group member %u is out of range", file->name,
              obj->shnames[i], member);
        break;
      }
      if (!keep && file->sections[member])
        file->sections[member]->is_alive = false;
    }
  }
}

static void read_sections(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  file->sections = arena_array(&ctx->arena, obj->shnum, sizeof(InputSection *));
  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    const char *name = obj->shnames[i];
    if (!strncmp(name, ".gnu.lto_", 9)) {
      error("%s: LTO objects (compiled with -flto) are not supported", file->name);
      return;
    }
    if (!strcmp(name, ".note.GNU-stack") && (s->sh_flags & SHF_EXECINSTR))
      ctx->execstack_file = file->name;
    if (!strncmp(name, ".gnu.warning", 12) && !(s->sh_flags & SHF_ALLOC)) {
      // Not output: a message to print if the program uses what it warns about.
      LinkWarning *w = arena_alloc(&ctx->arena, sizeof *w);
      w->symbol = name[12] == '.' ? name + 13 : NULL;
      w->file = file;
      View text = elf_section_data(obj, i);
      w->text = arena_strndup(&ctx->arena, (const char *)text.data,
                              strnlen((const char *)text.data, text.size));
      vec_push(&ctx->arena, &ctx->link_warnings, w);
      continue;
    }
    if (is_control_section(name, s->sh_type) || (s->sh_flags & SHF_EXCLUDE))
      continue;
    InputSection *isec = arena_alloc(&ctx->arena, sizeof *isec);
    isec->file = file;
    isec->name = name;
    isec->shndx = i;
    isec->sh_type = s->sh_type;
    isec->sh_flags = s->sh_flags;
    isec->sh_size = s->sh_size;
    isec->sh_addralign = s->sh_addralign ? s->sh_addralign : 1;
    isec->sh_entsize = s->sh_entsize;
    isec->data = elf_section_data(obj, i);
    isec->is_alive = true;
    file->sections[i] = isec;
  }

  // Attach relocation tables to the sections they patch. They are copied out of the
  // file (never used in place: the file's bytes need not be aligned).
  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    if (s->sh_type != SHT_RELA || !file->sections[s->sh_info])
      continue;
    InputSection *target = file->sections[s->sh_info];
    if (target->rels) {
      error("%s: section '%s' has two relocation tables", file->name, target->name);
      continue;
    }
    if (target->sh_type == SHT_NOBITS && s->sh_size) {
      error("%s: section '%s' has no contents but has relocations", file->name, target->name);
      continue;
    }
    View r = elf_section_data(obj, i);
    Elf64_Rela *rels = arena_alloc(&ctx->arena, r.size);
    memcpy(rels, r.data, r.size);
    target->rels = rels;
    target->nrels = r.size / sizeof(Elf64_Rela);
  }
}

// Gives every symbol of the file a Symbol: locals their own, globals the shared one.
static void read_symbols(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  file->syms = arena_array(&ctx->arena, obj->nsyms, sizeof(Symbol *));
  size_t nlocal = 0;
  for (uint64_t i = 1; i < obj->nsyms; i++)
    if (ELF64_ST_BIND(obj->syms[i].st_info) == STB_LOCAL)
      nlocal++;
  Symbol *locals = arena_array(&ctx->arena, nlocal, sizeof(Symbol));
  for (uint64_t i = 1; i < obj->nsyms; i++) {
    const Elf64_Sym *esym = &obj->syms[i];
    if (ELF64_ST_BIND(esym->st_info) != STB_LOCAL)
      continue;
    Symbol *sym = locals++;
    sym->name = obj->symnames[i];
    sym->binding = STB_LOCAL;
    sym->type = ELF64_ST_TYPE(esym->st_info);
    sym->visibility = ELF64_ST_VISIBILITY(esym->st_other);
    sym->file = file;
    sym->value = esym->st_value;
    sym->size = esym->st_size;
    sym->got_index = -1;
    sym->gottp_index = -1;
    sym->iplt_index = -1;
    if (esym->st_shndx == SHN_UNDEF) {
      // A local undefined symbol means nothing; treat it as absolute zero.
      sym->state = SYM_DEFINED;
      sym->value = 0;
    } else if (esym->st_shndx == SHN_COMMON) {
      error("%s: local symbol '%s' is COMMON", file->name, sym->name);
    } else {
      sym->state = SYM_DEFINED;
      if (esym->st_shndx != SHN_ABS) {
        sym->isec = file->sections[obj->sym_secidx[i]];
        if (!sym->isec && sym->type != STT_SECTION && sym->type != STT_FILE)
          sym->isec = NULL;  // a symbol in a dropped section: addresses resolve to 0
      }
    }
    file->syms[i] = sym;
  }
  add_file_symbols(ctx, file);
}

static InputFile *load_object(Ctx *ctx, const char *name, View view) {
  InputFile *file = arena_alloc(&ctx->arena, sizeof *file);
  file->name = name;
  file->view = view;
  view.name = name;
  if (!read_elf_object(view, &ctx->arena, &file->obj))
    return NULL;
  if (file->obj.ehdr.e_machine != EM_X86_64) {
    error("%s: incompatible machine type %u (only x86-64 objects can be linked)", name,
          file->obj.ehdr.e_machine);
    return NULL;
  }
  if (ctx->opt.trace)
    printf("%s\n", name);
  file->priority = (uint32_t)ctx->files.len + 1;
  file->is_loaded = true;
  vec_push(&ctx->arena, &ctx->files, file);
  read_sections(ctx, file);
  read_groups(ctx, file);
  read_symbols(ctx, file);
  return file;
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
  const char *name = arena_printf(&ctx->arena, "%s(%s)", af->name, m->name);
  View data = m->data;
  if (af->ar.thin && !map_file(m->path, name, &data)) {
    error("%s: cannot open: %s", m->path, strerror(errno));
    return;
  }
  data.name = name;
  if (!is_elf(data)) {
    error("%s: not an ELF object", name);
    return;
  }
  InputFile *file = load_object(ctx, name, data);
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
      as->name = obj.symnames[j];
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
        ELF64_ST_BIND(s->st_info) == STB_GLOBAL && !strcmp(obj.symnames[i], name))
      return true;
  }
  return false;
}

// One pass over an archive's index: load each member that defines a symbol some
// loaded object needs. Returns how many members were loaded. Loading a member can
// create new undefined symbols, which the same pass may then satisfy further on.
static size_t scan_archive(Ctx *ctx, ArchiveFile *af) {
  size_t loaded = 0;
  for (size_t i = 0; i < af->ar.nsyms; i++) {
    ArSymbol *as = &af->ar.syms[i];
    Symbol *sym = hashmap_get(&ctx->symtab, as->name, strlen(as->name));
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
  ArchiveFile *af = arena_alloc(&ctx->arena, sizeof *af);
  af->name = name;
  if (!read_archive(view, &ctx->arena, &af->ar))
    return NULL;
  af->member_loaded = arena_array(&ctx->arena, af->ar.nmembers + 1, sizeof(bool));
  vec_push(&ctx->arena, &ctx->archives, af);
  if (whole) {
    for (size_t i = 0; i < af->ar.nmembers; i++)
      load_member(ctx, af, &af->ar.members[i], NULL);
    return af;
  }
  if (!af->ar.has_index)
    build_index(ctx, af);
  return af;
}

// GNU ld's default library directories for x86-64 Debian, searched after -L ones.
static const char *const default_lib_dirs[] = {
  "/usr/local/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
  "/usr/local/lib64", "/lib64", "/usr/lib64", "/usr/local/lib", "/lib", "/usr/lib", NULL,
};

static bool file_exists(const char *path) {
  View v;
  return map_file(path, path, &v);
}

// -lNAME finds libNAME.a; -l:FILE finds FILE; in each -L directory in order.
static const char *find_library(Ctx *ctx, const char *lib) {
  const char *fname = lib[0] == ':' ? lib + 1 : arena_printf(&ctx->arena, "lib%s.a", lib);
  for (size_t i = 0; i < ctx->opt.lib_paths.len; i++) {
    const char *path = arena_printf(&ctx->arena, "%s/%s", (char *)ctx->opt.lib_paths.data[i], fname);
    if (file_exists(path))
      return path;
  }
  if (!ctx->opt.nostdlib)
    for (int i = 0; default_lib_dirs[i]; i++) {
      const char *path = arena_printf(&ctx->arena, "%s/%s", default_lib_dirs[i], fname);
      if (file_exists(path))
        return path;
    }
  return NULL;
}

// Reads a list of inputs in order: the command line, or what a linker script names.
// `whole` is the --whole-archive state, which carries across the list.
static void read_input_list(Ctx *ctx, InputArg *args, size_t n, bool *whole, int depth) {
  size_t group_start = 0;
  for (size_t i = 0; i < n; i++) {
    InputArg *arg = &args[i];
    const char *path = arg->value;
    switch (arg->kind) {
    case ARG_WHOLE_ARCHIVE: *whole = true; continue;
    case ARG_NO_WHOLE_ARCHIVE: *whole = false; continue;
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
      path = find_library(ctx, arg->value);
      if (!path) {
        error("cannot find -l%s", arg->value);
        continue;
      }
      break;
    case ARG_FILE:
      break;
    }

    View view;
    if (!map_file(path, path, &view)) {
      error("%s: cannot open: %s", path, strerror(errno));
      continue;
    }
    PtrVec script = {0};
    if (is_archive(view)) {
      ArchiveFile *af = open_archive(ctx, path, view, *whole);
      if (af && !*whole)
        scan_until_stable(ctx, af);
    } else if (is_elf(view)) {
      load_object(ctx, path, view);
    } else if (view.size && read_input_script(ctx, path, view, &script)) {
      if (depth > 16) {
        error("%s: linker scripts nested too deeply", path);
        continue;
      }
      InputArg *list = arena_array(&ctx->arena, script.len, sizeof(InputArg));
      for (size_t j = 0; j < script.len; j++)
        list[j] = *(InputArg *)script.data[j];
      read_input_list(ctx, list, script.len, whole, depth + 1);
    } else {
      error("%s: unknown file type (not an ELF object, ar archive or linker script)", path);
    }
  }
}

void read_inputs(Ctx *ctx) {
  // The entry point is a reference the linker itself makes: it is what pulls _start
  // out of an archive (crt1.o is usually named directly, but it need not be).
  intern_symbol(ctx, ctx->opt.entry)->strong_ref = true;
  for (size_t i = 0; i < ctx->opt.trace_symbols.len; i++)
    intern_symbol(ctx, ctx->opt.trace_symbols.data[i])->traced = true;

  bool whole = false;
  read_input_list(ctx, ctx->opt.inputs, ctx->opt.ninputs, &whole, 0);
}
