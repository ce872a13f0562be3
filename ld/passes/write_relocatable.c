/*
 * write_relocatable.c — -r: many relocatable objects combined into one.
 *
 * `ld -r a.o b.o -o c.o` makes an object that links like a.o and b.o together
 * (build systems use it to pre-link a library into one object, kernels for their
 * modules). Nothing has an address yet, so nothing is relocated: the relocations
 * go into the output, rewritten to their new places. The output has
 *
 *   - the input sections, those of one name, type and flags concatenated into one
 *     output section in command-line order (.text.foo stays .text.foo: only the
 *     final link decides what goes together);
 *   - each kept COMDAT group still a group: its sections stay apart from every
 *     other section, and a SHT_GROUP section names them, so that the final link
 *     can still keep one copy among other objects' (a group that lost to an
 *     earlier copy here is gone, as in a final link);
 *   - for each section with relocations, a .rela section. An offset moves by the
 *     place of its input section in the output section. A relocation against a
 *     section symbol now names the output section's symbol, its addend moved by
 *     the same amount; one against another symbol names that symbol's new index;
 *   - a symbol table: a section symbol for each section, each file's local
 *     symbols, then the global ones: defined, COMMON (still tentative), or
 *     undefined, to be found by the final link;
 *   - .note.gnu.property merged as a final link merges it; .note.GNU-stack, empty,
 *     so the object still says it needs no executable stack.
 *
 * Past 65,279 sections the ELF extensions for many sections are used: e_shnum 0
 * with the count in section 0's sh_size, and a .symtab_shndx with the section
 * index of each symbol whose st_shndx says SHN_XINDEX.
 *
 * Runs instead of layout and write_output. Reads ctx->files, ctx->globals and
 * ctx->comdat; fills ctx->osecs.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

// A COMDAT (or other) group that the output keeps.
typedef struct {
  InputFile *file;
  uint64_t shndx;        // its SHT_GROUP section in the file
  uint32_t flags;        // GRP_COMDAT, or 0
  bool placed;           // it has its index (just before its first member)
} Group;

// One section of the output, in output order.
typedef struct {
  OutputSection *osec;   // a section made of input sections; NULL for the others
  Group *group;          // a SHT_GROUP section
  uint32_t target;       // a .rela section: the index of the section it patches
  Group *member_of;      // osec (and its .rela) belong to this group
  Buf rela;              // osec: its relocations, rewritten
  uint32_t shndx;
  uint32_t secsym;       // osec: its section symbol
  uint32_t name;         // in .shstrtab
  uint64_t offset;       // in the file
} OutSec;

typedef struct {
  Ctx *ctx;
  PtrVec outs;           // OutSec *, in output order (without the tables at the end)
  Group ***group_of;     // per file (ctx->files order): section index -> its group
  uint32_t **local_index;  // per file: symbol index -> output index (0: not kept)
  HashMap global_index;  // name -> output index + 1
  OutSec **out_of_osec;  // OutputSection's shndx (its position in outs) -> OutSec
} Rel;

static OutSec *add_out(Rel *r) {
  OutSec *o = arena_alloc(&r->ctx->arena, sizeof *o);
  vec_push(&r->ctx->arena, &r->outs, o);
  return o;
}

// The groups each file keeps: the COMDAT groups it won (read_object.c decided),
// and any group without the COMDAT flag.
static void find_groups(Rel *r) {
  Ctx *ctx = r->ctx;
  r->group_of = arena_array(&ctx->arena, ctx->files.len, sizeof(Group **));
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    ElfObject *obj = &file->obj;
    r->group_of[f] = arena_array(&ctx->arena, obj->shnum, sizeof(Group *));
    for (uint64_t i = 1; i < obj->shnum; i++) {
      const Elf64_Shdr *s = &obj->shdrs[i];
      if (s->sh_type != SHT_GROUP)
        continue;
      View g = elf_section_data(obj, i);
      if (g.size < 4 || g.size % 4 || s->sh_info >= obj->nsyms)
        continue;  // reported by read_object.c
      uint32_t flags = read_u32le(g.data);
      const char *sig = elf_symbol_name(obj, s->sh_info);
      if (obj->syms[s->sh_info].st_info == ELF64_ST_INFO(STB_LOCAL, STT_SECTION))
        sig = elf_section_name(obj, elf_symbol_section(obj, s->sh_info));
      if ((flags & GRP_COMDAT) && hashmap_get(&ctx->comdat, sig, strlen(sig)) != file)
        continue;
      Group *grp = arena_alloc(&ctx->arena, sizeof *grp);
      grp->file = file;
      grp->shndx = i;
      grp->flags = flags;
      for (uint64_t off = 4; off + 4 <= g.size; off += 4) {
        uint32_t m = read_u32le(g.data + off);
        if (m < obj->shnum)
          r->group_of[f][m] = grp;
      }
    }
  }
}

static bool is_merged_note(const InputSection *isec) {
  return !strcmp(isec->name, ".note.gnu.property");
}

// Input sections into output sections, in command-line order. A section in a
// group, or one that names another in sh_link (SHF_LINK_ORDER), stays alone.
static void group_sections(Rel *r) {
  Ctx *ctx = r->ctx;
  HashMap by_key = {0};
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.shnum; i++) {
      InputSection *isec = file->sections[i];
      if (!isec || !isec->is_alive || is_merged_note(isec))
        continue;
      Group *grp = r->group_of[f][i];
      uint64_t flags = isec->sh_flags & ~(uint64_t)SHF_GROUP;
      OutSec *o = NULL;
      if (!grp && !(flags & SHF_LINK_ORDER)) {
        const char *key = arena_printf(&ctx->arena, "%s%c%u%c%llx%c%llu", isec->name, 0,
                                       isec->sh_type, 0, (unsigned long long)flags, 0,
                                       (unsigned long long)isec->sh_entsize);
        size_t keylen = strlen(isec->name) + 1;
        keylen += strlen(key + keylen) + 1;
        keylen += strlen(key + keylen) + 1;
        keylen += strlen(key + keylen);
        HashEntry *e = hashmap_slot(&by_key, key, keylen);
        if (!e->value) {
          o = add_out(r);
          e->value = o;
        }
        o = e->value;
      } else {
        if (grp && !grp->placed) {  // the group's own section comes first
          grp->placed = true;
          add_out(r)->group = grp;
        }
        o = add_out(r);
        o->member_of = grp;
      }
      if (!o->osec) {
        o->osec = new_output_section(ctx, isec->name, isec);
        o->osec->sh_flags = flags | (grp ? SHF_GROUP : 0);
      }
      OutputSection *osec = o->osec;
      osec->sh_addralign = isec->sh_addralign > osec->sh_addralign ? isec->sh_addralign
                                                                    : osec->sh_addralign;
      isec->osec = osec;
      isec->offset = align_to(osec->size, isec->sh_addralign);
      osec->size = isec->offset + isec->sh_size;
      vec_push(&ctx->arena, &osec->members, isec);
    }
  }
  free(by_key.entries);
}

// Section indices: each section, its .rela (if it has relocations) right after it.
static uint32_t number_sections(Rel *r) {
  Ctx *ctx = r->ctx;
  PtrVec numbered = {0};
  uint32_t next = 1;
  for (size_t i = 0; i < r->outs.len; i++) {
    OutSec *o = r->outs.data[i];
    o->shndx = next++;
    vec_push(&ctx->arena, &numbered, o);
    if (!o->osec)
      continue;
    o->osec->shndx = o->shndx;
    bool has_rels = false;
    for (size_t m = 0; m < o->osec->members.len && !has_rels; m++)
      has_rels = ((InputSection *)o->osec->members.data[m])->nrels > 0;
    if (has_rels) {
      OutSec *rela = arena_alloc(&ctx->arena, sizeof *rela);
      rela->target = o->shndx;
      rela->member_of = o->member_of;
      rela->shndx = next++;
      vec_push(&ctx->arena, &numbered, rela);
    }
  }
  r->outs = numbered;
  r->out_of_osec = arena_array(&ctx->arena, next, sizeof(OutSec *));
  for (size_t i = 0; i < r->outs.len; i++) {
    OutSec *o = r->outs.data[i];
    if (o->osec)
      r->out_of_osec[o->shndx] = o;
  }
  return next;
}

// A symbol's section, as put_symbol takes it: an output section index (which may
// be past 0xff00), or one of these.
enum { IN_ABS = 0xffffffffu, IN_COMMON = 0xfffffffeu };

static void put_symbol(Buf *symtab, Buf *shndx, StringTable *strtab, const char *name,
                       uint8_t info, uint8_t other, uint32_t sec, uint64_t value,
                       uint64_t size) {
  Elf64_Sym es = {
    .st_name = *name ? add_string(strtab, name) : 0, .st_info = info, .st_other = other,
    .st_shndx = sec == IN_ABS               ? SHN_ABS
                : sec == IN_COMMON          ? SHN_COMMON
                : sec >= SHN_LORESERVE      ? SHN_XINDEX
                                            : (uint16_t)sec,
    .st_value = value, .st_size = size,
  };
  buf_add(symtab, &es, sizeof es);
  uint32_t x = es.st_shndx == SHN_XINDEX ? sec : 0;
  buf_add(shndx, &x, sizeof x);
}

// Where a defined symbol is in the output: its section's index and its offset.
// Returns false if its section is not in the output.
static bool place_in_output(const Symbol *sym, uint32_t *sec, uint64_t *value) {
  if (!sym->isec) {
    *sec = IN_ABS;
    *value = sym->value;
    return true;
  }
  if (!sym->isec->is_alive || !sym->isec->osec)
    return false;
  *sec = sym->isec->osec->shndx;
  *value = sym->isec->offset + sym->value;
  return true;
}

// Does a loaded object define or refer to this global? (The table also holds
// names only a shared library or the command line brought.)
static bool in_objects(const Symbol *sym) {
  if (sym->state == SYM_DEFINED || sym->state == SYM_COMMON)
    return sym->file && !sym->file->is_shared && !sym->file->ir;
  return sym->object_ref;
}

// Returns the index of the first global.
static uint32_t build_symbols(Rel *r, Buf *symtab, Buf *shndx, StringTable *strtab) {
  Ctx *ctx = r->ctx;
  add_string(strtab, "");
  put_symbol(symtab, shndx, strtab, "", 0, 0, 0, 0, 0);
  uint32_t n = 1;
  for (size_t i = 0; i < r->outs.len; i++) {
    OutSec *o = r->outs.data[i];
    if (!o->osec)
      continue;
    o->secsym = n++;
    put_symbol(symtab, shndx, strtab, "", ELF64_ST_INFO(STB_LOCAL, STT_SECTION), 0, o->shndx,
               0, 0);
  }
  r->local_index = arena_array(&ctx->arena, ctx->files.len, sizeof(uint32_t *));
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    r->local_index[f] = arena_array(&ctx->arena, file->obj.nsyms + 1, sizeof(uint32_t));
    for (uint64_t i = 1; i < file->obj.nsyms; i++) {
      const Symbol *sym = file->syms[i];
      if (!sym || sym->is_global || sym->type == STT_SECTION)
        continue;
      uint32_t sec = IN_ABS;
      uint64_t value = 0;
      if (sym->type != STT_FILE && !place_in_output(sym, &sec, &value))
        continue;  // in a section that is not output (a discarded COMDAT copy)
      r->local_index[f][i] = n++;
      put_symbol(symtab, shndx, strtab, sym->name, ELF64_ST_INFO(STB_LOCAL, sym->type),
                 sym->visibility, sec, value, sym->size);
    }
  }
  uint32_t first_global = n;
  for (size_t i = 0; i < ctx->globals.len; i++) {
    const Symbol *sym = ctx->globals.data[i];
    if (!in_objects(sym))
      continue;
    uint32_t sec = SHN_UNDEF;
    uint64_t value = 0, size = sym->size;
    uint8_t bind = sym->binding;
    if (sym->state == SYM_COMMON) {
      sec = IN_COMMON;
      value = sym->aux->common_align;  // a COMMON symbol's value is its alignment (gABI)
    } else if (sym->state == SYM_DEFINED) {
      if (!place_in_output(sym, &sec, &value))
        continue;
    } else {
      bind = sym->strong_ref ? STB_GLOBAL : STB_WEAK;
      size = 0;
    }
    HashEntry *e = hashmap_slot(&r->global_index, sym->name, strlen(sym->name));
    e->value = (void *)(uintptr_t)(n + 1);
    n++;
    put_symbol(symtab, shndx, strtab, sym->name, ELF64_ST_INFO(bind, sym->type),
               sym->visibility, sec, value, size);
  }
  return first_global;
}

static uint32_t global_index(Rel *r, const Symbol *sym) {
  uintptr_t v = (uintptr_t)hashmap_get(&r->global_index, sym->name, strlen(sym->name));
  return v ? (uint32_t)(v - 1) : 0;
}

// The output index of symbol i of a file (the file's position f in ctx->files),
// and what its relocations' addends must add. Returns false if it names nothing in
// the output (a symbol of a discarded section).
static bool symbol_for(Rel *r, size_t f, uint32_t i, uint32_t *out, int64_t *adjust) {
  InputFile *file = r->ctx->files.data[f];
  const Symbol *sym = file->syms[i];
  *adjust = 0;
  if (i == 0) {
    *out = 0;
    return true;
  }
  if (sym->is_global) {
    *out = global_index(r, sym);
    return *out != 0;
  }
  if (sym->type == STT_SECTION) {
    if (!sym->isec || !sym->isec->is_alive || !sym->isec->osec)
      return false;
    *out = r->out_of_osec[sym->isec->osec->shndx]->secsym;
    *adjust = (int64_t)sym->isec->offset;
    return true;
  }
  *out = r->local_index[f][i];
  return *out != 0;
}

// Each input section's relocations, moved to its place in the output section. One
// against something that is not in the output (a discarded COMDAT copy's section)
// becomes R_X86_64_NONE, which patches nothing, as GNU ld does for -r.
static void rewrite_relocations(Rel *r) {
  Ctx *ctx = r->ctx;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.shnum; i++) {
      InputSection *isec = file->sections[i];
      if (!isec || !isec->is_alive || !isec->osec || !isec->nrels)
        continue;
      OutSec *o = r->out_of_osec[isec->osec->shndx];
      for (uint64_t k = 0; k < isec->nrels; k++) {
        Elf64_Rela rel = isec->rels[k];
        uint32_t sym;
        int64_t adjust;
        rel.r_offset += isec->offset;
        if (ELF64_R_SYM(rel.r_info) >= file->obj.nsyms ||
            !symbol_for(r, f, ELF64_R_SYM(rel.r_info), &sym, &adjust)) {
          rel.r_info = ELF64_R_INFO(0, R_X86_64_NONE);
          rel.r_addend = 0;
        } else {
          rel.r_info = ELF64_R_INFO(sym, ELF64_R_TYPE(rel.r_info));
          rel.r_addend += adjust;
        }
        buf_add(&o->rela, &rel, sizeof rel);
      }
    }
  }
}

// The output index of a group's signature symbol.
static uint32_t signature_index(Rel *r, const Group *grp) {
  for (size_t f = 0; f < r->ctx->files.len; f++) {
    if (r->ctx->files.data[f] != grp->file)
      continue;
    uint32_t out;
    int64_t adjust;
    uint32_t sig = grp->file->obj.shdrs[grp->shndx].sh_info;
    return symbol_for(r, f, sig, &out, &adjust) ? out : 0;
  }
  return 0;
}

// A group's contents: its flag word, then the output indices of its members
// (the output sections made of its input sections, and their .rela sections).
static Buf group_contents(Rel *r, const Group *grp) {
  Buf b = {0};
  buf_add(&b, &grp->flags, 4);
  for (size_t i = 0; i < r->outs.len; i++) {
    const OutSec *o = r->outs.data[i];
    if (o->member_of == grp)
      buf_add(&b, &o->shndx, 4);
  }
  return b;
}

static void write_shdr(uint8_t *out, uint64_t shoff, uint32_t idx, const Elf64_Shdr *sh) {
  memcpy(out + shoff + (uint64_t)idx * sizeof(Elf64_Shdr), sh, sizeof *sh);
}

// The malloc'd tables of the output: the rewritten relocations, the symbol and
// string tables, the index of globals.
static void free_tables(Rel *r, Buf *symtab, Buf *shndx, StringTable *strtab,
                        StringTable *shstrtab) {
  for (size_t i = 0; i < r->outs.len; i++)
    free(((OutSec *)r->outs.data[i])->rela.data);
  free(symtab->data);
  free(shndx->data);
  free(r->global_index.entries);
  free_string_table(strtab);
  free_string_table(shstrtab);
}

void write_relocatable(Ctx *ctx) {
  Rel rel = {.ctx = ctx};
  Rel *r = &rel;
  find_groups(r);
  group_sections(r);
  uint32_t nsec = number_sections(r);
  Buf symtab = {0}, symtab_shndx = {0};
  StringTable strtab = {0}, shstrtab = {0};
  uint32_t first_global = build_symbols(r, &symtab, &symtab_shndx, &strtab);
  rewrite_relocations(r);

  // The linker-made sections an object can have (.note.gnu.property, merged).
  create_synthetic_sections(ctx);
  PtrVec notes = {0};
  relocatable_synthetic_sections(ctx, &notes);

  // The tables at the end: the merged notes, .note.GNU-stack, .symtab,
  // .symtab_shndx (if some section index needs it), .strtab, .shstrtab.
  // .note.GNU-stack says what the inputs said, together (GNU ld's rule, as in a
  // final link): nothing if none of them had the note.
  StackDecision stack_need = decide_stack(ctx);
  uint32_t notes_at = nsec, stack_at = notes_at + (uint32_t)notes.len;
  uint32_t symtab_at = stack_at + (stack_need != STACK_UNSAID), shndx_at = 0, strtab_at;
  uint32_t shnum = symtab_at + 1;
  if (shnum + 2 > SHN_LORESERVE)
    shndx_at = shnum++;
  strtab_at = shnum++;
  uint32_t shstrtab_at = shnum++;

  add_string(&shstrtab, "");
  const char *const table_names[] = {".note.GNU-stack", ".symtab", ".symtab_shndx", ".strtab",
                                     ".shstrtab"};
  for (size_t i = 0; i < sizeof table_names / sizeof *table_names; i++)
    add_string(&shstrtab, table_names[i]);
  for (size_t i = 0; i < notes.len; i++)
    add_string(&shstrtab, ((InputSection *)notes.data[i])->name);
  for (size_t i = 0; i < r->outs.len; i++) {
    OutSec *o = r->outs.data[i];
    o->name = o->group    ? add_string(&shstrtab, ".group")
              : o->osec   ? add_string(&shstrtab, o->osec->name)
                          : add_string(&shstrtab, arena_printf(&ctx->arena, ".rela%s",
                                       ((OutSec *)r->out_of_osec[o->target])->osec->name));
  }

  // File offsets: the header, each section's bytes, the tables, the section headers.
  uint64_t off = sizeof(Elf64_Ehdr);
  Buf *groups = arena_array(&ctx->arena, r->outs.len, sizeof(Buf));
  for (size_t i = 0; i < r->outs.len; i++) {
    OutSec *o = r->outs.data[i];
    uint64_t size = 0, align = 8;
    if (o->group) {
      groups[i] = group_contents(r, o->group);
      size = groups[i].len, align = 4;
    } else if (o->osec) {
      size = o->osec->sh_type == SHT_NOBITS ? 0 : o->osec->size;
      align = o->osec->sh_addralign;
    } else {
      size = ((OutSec *)r->out_of_osec[o->target])->rela.len;
    }
    o->offset = align_to(off, align);
    off = o->offset + size;
  }
  uint64_t *note_off = arena_array(&ctx->arena, notes.len + 1, sizeof(uint64_t));
  for (size_t i = 0; i < notes.len; i++) {
    note_off[i] = align_to(off, 8);
    off = note_off[i] + ((InputSection *)notes.data[i])->sh_size;
  }
  uint64_t symtab_off = align_to(off, 8);
  uint64_t shndx_off = symtab_off + symtab.len;
  uint64_t strtab_off = shndx_off + (shndx_at ? symtab_shndx.len : 0);
  uint64_t shstrtab_off = strtab_off + strtab.buf.len;
  uint64_t shoff = align_to(shstrtab_off + shstrtab.buf.len, 8);
  uint64_t size = shoff + (uint64_t)shnum * sizeof(Elf64_Shdr);

  OutputFile of;
  uint8_t *out = output_open(&of, ctx->opt.output, 0666, 0) ? output_map(&of, size) : NULL;
  if (!out) {
    // (The link ends here: a run in a process that goes on, ld_main, must not
    // leave the tables behind.)
    for (size_t i = 0; i < r->outs.len; i++)
      free(groups[i].data);
    free_tables(r, &symtab, &symtab_shndx, &strtab, &shstrtab);
    end_run(1);
  }

  Elf64_Ehdr eh = {
    .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT,
                ELFOSABI_NONE},
    .e_type = ET_REL, .e_machine = EM_X86_64, .e_version = EV_CURRENT, .e_shoff = shoff,
    .e_ehsize = sizeof(Elf64_Ehdr), .e_shentsize = sizeof(Elf64_Shdr),
    .e_shnum = shnum < SHN_LORESERVE ? (uint16_t)shnum : 0,
    .e_shstrndx = shstrtab_at < SHN_LORESERVE ? (uint16_t)shstrtab_at : SHN_XINDEX,
  };
  memcpy(out, &eh, sizeof eh);
  // Section 0 holds the counts that do not fit in the ELF header.
  Elf64_Shdr zero = {
    .sh_size = shnum < SHN_LORESERVE ? 0 : shnum,
    .sh_link = shstrtab_at < SHN_LORESERVE ? 0 : shstrtab_at,
  };
  write_shdr(out, shoff, 0, &zero);

  for (size_t i = 0; i < r->outs.len; i++) {
    OutSec *o = r->outs.data[i];
    Elf64_Shdr sh = {.sh_name = o->name, .sh_offset = o->offset};
    if (o->group) {
      memcpy(out + o->offset, groups[i].data, groups[i].len);
      sh.sh_type = SHT_GROUP;
      sh.sh_size = groups[i].len;
      sh.sh_link = symtab_at;
      sh.sh_info = signature_index(r, o->group);
      sh.sh_addralign = 4;
      sh.sh_entsize = 4;
      free(groups[i].data);
    } else if (o->osec) {
      OutputSection *osec = o->osec;
      for (size_t m = 0; m < osec->members.len && osec->sh_type != SHT_NOBITS; m++) {
        InputSection *isec = osec->members.data[m];
        memcpy(out + o->offset + isec->offset, isec->data.data, isec->data.size);
      }
      sh.sh_type = osec->sh_type;
      sh.sh_flags = osec->sh_flags;
      sh.sh_size = osec->size;
      sh.sh_addralign = osec->sh_addralign;
      sh.sh_entsize = osec->sh_entsize;
      InputSection *first = osec->members.data[0];
      if (first->sh_flags & SHF_LINK_ORDER) {
        uint32_t link = first->file->obj.shdrs[first->shndx].sh_link;
        InputSection *to = link < first->file->obj.shnum ? first->file->sections[link] : NULL;
        sh.sh_link = to && to->is_alive && to->osec ? to->osec->shndx : 0;
      }
    } else {
      Buf *rb = &((OutSec *)r->out_of_osec[o->target])->rela;
      memcpy(out + o->offset, rb->data, rb->len);
      sh.sh_type = SHT_RELA;
      sh.sh_flags = SHF_INFO_LINK | (o->member_of ? SHF_GROUP : 0);
      sh.sh_size = rb->len;
      sh.sh_link = symtab_at;
      sh.sh_info = o->target;
      sh.sh_addralign = 8;
      sh.sh_entsize = sizeof(Elf64_Rela);
    }
    write_shdr(out, shoff, o->shndx, &sh);
  }
  for (size_t i = 0; i < notes.len; i++) {
    InputSection *isec = notes.data[i];
    memcpy(out + note_off[i], isec->aux->synthetic, isec->sh_size);
    Elf64_Shdr sh = {
      .sh_name = find_string(&shstrtab, isec->name), .sh_type = isec->sh_type,
      .sh_flags = isec->sh_flags, .sh_offset = note_off[i], .sh_size = isec->sh_size,
      .sh_addralign = isec->sh_addralign,
    };
    write_shdr(out, shoff, notes_at + (uint32_t)i, &sh);
  }
  Elf64_Shdr stack = {
    .sh_name = find_string(&shstrtab, ".note.GNU-stack"), .sh_type = SHT_PROGBITS,
    .sh_flags = stack_need == STACK_EXEC ? SHF_EXECINSTR : 0, .sh_offset = symtab_off,
    .sh_addralign = 1,
  };
  if (stack_need != STACK_UNSAID)
    write_shdr(out, shoff, stack_at, &stack);
  memcpy(out + symtab_off, symtab.data, symtab.len);
  Elf64_Shdr st = {
    .sh_name = find_string(&shstrtab, ".symtab"), .sh_type = SHT_SYMTAB,
    .sh_offset = symtab_off, .sh_size = symtab.len, .sh_link = strtab_at,
    .sh_info = first_global, .sh_addralign = 8, .sh_entsize = sizeof(Elf64_Sym),
  };
  write_shdr(out, shoff, symtab_at, &st);
  if (shndx_at) {
    memcpy(out + shndx_off, symtab_shndx.data, symtab_shndx.len);
    Elf64_Shdr sx = {
      .sh_name = find_string(&shstrtab, ".symtab_shndx"), .sh_type = SHT_SYMTAB_SHNDX,
      .sh_offset = shndx_off, .sh_size = symtab_shndx.len, .sh_link = symtab_at,
      .sh_addralign = 4, .sh_entsize = 4,
    };
    write_shdr(out, shoff, shndx_at, &sx);
  }
  memcpy(out + strtab_off, strtab.buf.data, strtab.buf.len);
  Elf64_Shdr sst = {
    .sh_name = find_string(&shstrtab, ".strtab"), .sh_type = SHT_STRTAB,
    .sh_offset = strtab_off, .sh_size = strtab.buf.len, .sh_addralign = 1,
  };
  write_shdr(out, shoff, strtab_at, &sst);
  Elf64_Shdr ss = {
    .sh_name = find_string(&shstrtab, ".shstrtab"), .sh_type = SHT_STRTAB,
    .sh_offset = shstrtab_off, .sh_size = shstrtab.buf.len, .sh_addralign = 1,
  };
  write_shdr(out, shoff, shstrtab_at, &ss);
  memcpy(out + shstrtab_off, shstrtab.buf.data, shstrtab.buf.len);

  free_tables(r, &symtab, &symtab_shndx, &strtab, &shstrtab);
  if (error_count()) {
    output_discard(&of);
    end_run(1);
  }
  if (!output_commit(&of))
    end_run(1);
}
