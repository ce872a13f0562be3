/*
 * read_object.c — one relocatable object, made ready for the link.
 *
 * common/elf_object.c has checked the file; this step turns it into the linker's
 * own terms: an InputSection for each section the output may need (the ones that
 * only steer the linker, like .symtab or .rela.text, are consumed here), relocation
 * tables attached to the sections they patch, COMDAT groups decided (first copy
 * wins), a Symbol for every symbol (locals private to the file, globals shared
 * through the symbol table), and .gnu.warning messages set aside.
 *
 * A sub-step of read_inputs, which calls it for each object and each archive member
 * it loads, then resolves the object's global symbols (resolve_symbols.c).
 * Fills InputFile.sections and the local entries of InputFile.syms, ctx->files,
 * ctx->comdat, ctx->link_warnings.
 */
#include "../ld.h"

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
      error("%s: section '%s': malformed section group", file->name, elf_section_name(obj, i));
      continue;
    }
    if (!(read_u32le(g.data) & GRP_COMDAT))
      continue;
    const char *sig = elf_symbol_name(obj, s->sh_info);
    if (obj->syms[s->sh_info].st_info == ELF64_ST_INFO(STB_LOCAL, STT_SECTION))
      sig = elf_section_name(obj, elf_symbol_section(obj, s->sh_info));
    HashEntry *e = hashmap_slot(&ctx->comdat, sig, strlen(sig));
    // A group that compiler IR kept (LTO) belongs, once the plugin has made its
    // objects, to them: an object read after that (a library member their code
    // needs) keeps out its copy, even if the new objects have no such group.
    bool keep = !e->value && !(ctx->lto_done && !ctx->reading_lto_objects &&
                               hashmap_get(&ctx->ir_comdat, sig, strlen(sig)));
    if (keep)
      e->value = file;
    for (uint64_t off = 4; off < g.size; off += 4) {
      uint32_t member = read_u32le(g.data + off);
      if (member == 0 || member >= obj->shnum) {
        error("%s: section '%s': group member %u is out of range", file->name,
              elf_section_name(obj, i), member);
        break;
      }
      if (!keep && file->sections[member])
        file->sections[member]->is_alive = false;
    }
  }
}

// A compressed section (gcc -gz: SHF_COMPRESSED .debug_*) is decompressed as it is
// read: relocations patch, and strings merge, in the uncompressed bytes. Its header
// says how big it will be; a header claiming more than deflate could make of the
// data (or more than 4 GiB) is refused before anything is allocated. Its relocations
// are checked against the uncompressed size by scan_relocs, as every section's are.
static bool decompress_section(Ctx *ctx, InputFile *file, InputSection *isec) {
  View v = isec->data;
  Elf64_Chdr ch;
  const char *why = NULL;
  if (isec->sh_flags & SHF_ALLOC)
    why = "SHF_COMPRESSED on an allocated section";
  else if (v.size < sizeof ch)
    why = "SHF_COMPRESSED section too small for its header";
  if (!why) {
    memcpy(&ch, v.data, sizeof ch);
    // Deflate makes at most 1032 bytes of one; debug info never gets near.
    uint64_t most = v.size * 1032 + 4096;
    if (most > (UINT64_C(1) << 32))
      most = UINT64_C(1) << 32;
    if (ch.ch_size > most)
      why = "SHF_COMPRESSED section claims an uncompressed size it cannot have";
    else if (ch.ch_addralign > (UINT64_C(1) << 32) || (ch.ch_addralign & (ch.ch_addralign - 1)))
      why = "SHF_COMPRESSED section's alignment is not a power of two up to 2^32";
  }
  uint8_t *out = NULL;
  if (!why) {
    out = arena_alloc(&ctx->arena, ch.ch_size ? ch.ch_size : 1);
    decompress(ch.ch_type, v.data + sizeof ch, v.size - sizeof ch, out, ch.ch_size, &why);
  }
  if (why) {
    error("%s: section '%s': %s", file->name, isec->name, why);
    return false;
  }
  isec->data = (View){.data = out, .size = ch.ch_size, .name = v.name};
  isec->sh_size = ch.ch_size;
  isec->sh_addralign = ch.ch_addralign ? ch.ch_addralign : 1;
  isec->sh_flags &= ~(uint64_t)SHF_COMPRESSED;
  return true;
}

static void read_sections(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  file->sections = arena_array(&ctx->arena, obj->shnum, sizeof(InputSection *));
  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    const char *name = elf_section_name(obj, i);
    // gcc -flto's IR, which the plugin did not take (no -plugin): a "fat" object
    // (-ffat-lto-objects) has machine code too, and is linked as it is.
    if (!strncmp(name, ".gnu.lto_", 9)) {
      file->has_lto_ir = true;
      continue;
    }
    if (!strcmp(name, ".note.GNU-stack"))
      file->stack_note = s->sh_flags & SHF_EXECINSTR ? STACK_NOTE_EXEC : STACK_NOTE_NOEXEC;
    if (!strcmp(name, ".note.gnu.property"))
      file->has_gnu_property = true;
    if (!strncmp(name, ".gnu.warning", 12) && !(s->sh_flags & SHF_ALLOC)) {
      // Not output: a message to print if the program uses what it warns about.
      LinkWarning *w = arena_alloc(&ctx->arena, sizeof *w);
      w->symbol = name[12] == '.' ? name + 13 : NULL;
      w->file = file;
      View text = elf_section_data(obj, i);
      w->text = arena_strndup(&ctx->arena, (const char *)text.data,
                              strnlen((const char *)text.data, text.size));
      vec_push(&ctx->arena, &file->warnings, w);
      continue;
    }
    if (is_control_section(name, s->sh_type) || (s->sh_flags & SHF_EXCLUDE))
      continue;
    if (s->sh_entsize > UINT32_MAX) {
      error("%s: section '%s': sh_entsize %llu is too big", file->name, name,
            (unsigned long long)s->sh_entsize);
      continue;
    }
    InputSection *isec = new_input_section(ctx, file, name);
    isec->shndx = (uint32_t)i;
    isec->sh_type = s->sh_type;
    isec->sh_flags = s->sh_flags;
    isec->sh_size = s->sh_size;
    isec->sh_addralign = s->sh_addralign ? s->sh_addralign : 1;
    isec->sh_entsize = s->sh_entsize;
    isec->data = elf_section_data(obj, i);
    isec->is_alive = true;
    if ((s->sh_flags & SHF_COMPRESSED) && !decompress_section(ctx, file, isec))
      continue;
    file->sections[i] = isec;
  }

  // Attach relocation tables to the sections they patch, read in place from the
  // mapped file (a big link has millions of relocations) when they are aligned, as
  // an object's usually are; copied out when not (an archive aligns a member only
  // to 2 bytes).
  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    if (s->sh_type != SHT_RELA)
      continue;
    if (!file->sections[s->sh_info]) {
      // Relocations for a section we drop (excluded, .note.GNU-stack) are dropped
      // with it; but a table the linker reads itself cannot be patched.
      uint32_t t = obj->shdrs[s->sh_info].sh_type;
      if (t == SHT_SYMTAB || t == SHT_STRTAB || t == SHT_RELA || t == SHT_REL ||
          t == SHT_GROUP || t == SHT_SYMTAB_SHNDX || t == SHT_NULL)
        error("%s: section '%s': sh_info %u names '%s', which cannot have relocations",
              file->name, elf_section_name(obj, i), s->sh_info, elf_section_name(obj, s->sh_info));
      continue;
    }
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
    if (r.size / sizeof(Elf64_Rela) > UINT32_MAX) {
      error("%s: section '%s' has more than 2^32 relocations", file->name, target->name);
      continue;
    }
    if ((uintptr_t)r.data % _Alignof(Elf64_Rela) == 0) {
      target->rels = (const Elf64_Rela *)r.data;
    } else {
      Elf64_Rela *rels = arena_alloc(&ctx->arena, r.size);
      memcpy(rels, r.data, r.size);
      target->rels = rels;
    }
    target->nrels = (uint32_t)(r.size / sizeof(Elf64_Rela));
  }
}

// Gives every symbol of the file a Symbol: locals their own, globals the shared one.
static void read_symbols(Ctx *ctx, InputFile *file) {
  ElfObject *obj = &file->obj;
  file->syms = arena_array(&ctx->arena, obj->nsyms ? obj->nsyms : 1, sizeof(Symbol *));
  // A relocation with symbol index 0 refers to no symbol: S is 0. Giving it a
  // symbol of its own, absolute 0, lets every pass treat it like any other (a GOT
  // load through it gets a slot holding 0, as in GNU ld).
  file->syms[0] = ctx->null_symbol;
  size_t nlocal = 0;
  for (uint64_t i = 1; i < obj->nsyms; i++)
    if (ELF64_ST_BIND(obj->syms[i].st_info) == STB_LOCAL)
      nlocal++;
  Symbol *locals = arena_alloc_aligned(&ctx->arena, nlocal * sizeof(Symbol), 64);
  file->locals = locals;
  file->nlocals = (uint32_t)nlocal;
  for (uint64_t i = 1; i < obj->nsyms; i++) {
    const Elf64_Sym *esym = &obj->syms[i];
    if (ELF64_ST_BIND(esym->st_info) != STB_LOCAL)
      continue;
    Symbol *sym = locals++;
    init_symbol(sym, elf_symbol_name(obj, i));
    sym->binding = STB_LOCAL;
    sym->type = ELF64_ST_TYPE(esym->st_info);
    sym->visibility = ELF64_ST_VISIBILITY(esym->st_other);
    sym->file = file;
    sym->value = esym->st_value;
    sym->size = esym->st_size;
    if (esym->st_shndx == SHN_UNDEF) {
      // A local undefined symbol means nothing; treat it as absolute zero.
      sym->state = SYM_DEFINED;
      sym->value = 0;
    } else if (esym->st_shndx == SHN_COMMON) {
      error("%s: local symbol '%s' is COMMON", file->name, sym->name);
    } else {
      sym->state = SYM_DEFINED;
      if (esym->st_shndx != SHN_ABS) {
        sym->isec = file->sections[elf_symbol_section(obj, i)];
        // In a section that never reaches the output (SHF_EXCLUDE, .note.GNU-stack,
        // a .gnu.warning): it has no address, so references get 0 rather than the
        // section offset taken for an absolute value.
        if (!sym->isec)
          sym->value = 0;
      }
    }
    file->syms[i] = sym;
  }
  // Global symbols get theirs from the symbol table (resolve_symbols.c).
}

// Enters the file's global names in the symbol table, from any thread; resolution
// finds them in file->syms. Names that resolution rewrites (--wrap, foo@VER) are
// left to it, and so are those that no longer fit (file->syms[i] stays NULL).
//
// The names go in windows of a few: each name's table entry is prefetched when its
// hash is computed, and looked up once the window's every hash is, so that the
// cache misses of a big link's table (nearly one per name) overlap.
void intern_file_globals(Ctx *ctx, InputFile *file) {
  if (ctx->opt.wrap.len)
    return;
  enum { WINDOW = 16 };
  ElfObject *obj = &file->obj;
  for (uint64_t base = obj->first_global; base < obj->nsyms; base += WINDOW) {
    uint64_t end = base + WINDOW < obj->nsyms ? base + WINDOW : obj->nsyms;
    size_t len[WINDOW];
    uint64_t hash[WINDOW];
    for (uint64_t i = base; i < end; i++) {
      const char *name = elf_symbol_name(obj, i);
      bool wanted = ELF64_ST_BIND(obj->syms[i].st_info) != STB_LOCAL && !strchr(name, '@');
      len[i - base] = wanted ? strlen(name) : SIZE_MAX;
      if (wanted)
        hash[i - base] = symbol_hash(ctx, name, len[i - base]);
    }
    for (uint64_t i = base; i < end; i++)
      if (len[i - base] != SIZE_MAX)
        file->syms[i] = intern_symbol_concurrent(ctx, elf_symbol_name(obj, i), len[i - base],
                                                 hash[i - base]);
  }
}

InputFile *parse_object(Ctx *ctx, const char *name, View view) {
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
  read_sections(ctx, file);
  read_symbols(ctx, file);
  return file;
}

InputFile *admit_object(Ctx *ctx, InputFile *file) {
  if (ctx->opt.trace)
    printf("%s\n", file->name);
  file->priority = (uint32_t)ctx->files.len + 1;
  vec_push(&ctx->arena, &ctx->files, file);
  for (size_t i = 0; i < file->warnings.len; i++)
    vec_push(&ctx->arena, &ctx->link_warnings, file->warnings.data[i]);
  read_groups(ctx, file);
  ElfObject *obj = &file->obj;
  // ... but a slim one has nothing else.
  for (uint64_t i = obj->first_global; file->has_lto_ir && i < obj->nsyms; i++)
    if (!strcmp(elf_symbol_name(obj, i), "__gnu_lto_slim")) {
      error("%s: compiled with -flto, it holds no machine code: link through gcc, which "
            "passes its LTO plugin (-plugin), or compile with -ffat-lto-objects", file->name);
      return NULL;
    }
  return file;
}

InputFile *load_object(Ctx *ctx, const char *name, View view) {
  InputFile *file = parse_object(ctx, name, view);
  return file ? admit_object(ctx, file) : NULL;
}
