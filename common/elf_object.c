/*
 * elf_object.c — reading an ELF64 relocatable object (gABI ch. 4, "Object Files").
 *
 *   +-----------------+  offset 0
 *   | ELF header      |  e_shoff, e_shnum, e_shstrndx say where the rest is
 *   +-----------------+
 *   | section data    |  .text, .data, .symtab, .strtab, .rela.text, ...
 *   |  ...            |
 *   +-----------------+  e_shoff
 *   | section headers |  e_shnum entries of e_shentsize (64) bytes
 *   +-----------------+
 *
 * Everything a later pass will index is checked here, once: the header table lies in
 * the file, each section's bytes lie in the file, every name is a NUL-terminated
 * string inside its string table, every symbol's st_shndx names a real section, every
 * relocation's symbol exists and its offset lies inside the section it patches. After
 * read_elf_object() succeeds, the linker never checks these again.
 *
 * Escape hatches of the format, both supported: e_shnum == 0 with the real count in
 * section 0's sh_size, e_shstrndx == SHN_XINDEX with the real index in section 0's
 * sh_link, and st_shndx == SHN_XINDEX with the real index in SHT_SYMTAB_SHNDX. So
 * that nobody has to remember the last one, elf_symbol_section() gives every
 * symbol's real section index (0 for undefined, absolute and COMMON symbols).
 */
#include "common.h"

#include <string.h>

// The x86-64 psABI's section index for large COMMON symbols; <elf.h> does not name it.
enum { X86_64_LCOMMON = 0xff02 };

bool is_elf(View v) { return v.size >= 4 && !memcmp(v.data, ELFMAG, SELFMAG); }

View elf_section_data(const ElfObject *obj, uint64_t i) {
  const Elf64_Shdr *s = &obj->shdrs[i];
  if (s->sh_type == SHT_NOBITS)
    return view_slice(obj->file, 0, 0);
  return view_slice(obj->file, s->sh_offset, s->sh_size);
}

static bool bad(const ElfObject *obj, const char *what) {
  error("%s: %s", obj->file.name, what);
  return false;
}

static bool table_past_end(const ElfObject *obj) {
  error("%s: section header table (%llu entries at 0x%llx) extends past end of file "
        "(size 0x%llx)",
        obj->file.name, (unsigned long long)obj->shnum, (unsigned long long)obj->ehdr.e_shoff,
        (unsigned long long)obj->file.size);
  return false;
}

static bool read_header(ElfObject *obj) {
  View f = obj->file;
  if (f.size < sizeof(Elf64_Ehdr))
    return bad(obj, "file is too small to be an ELF object");
  memcpy(&obj->ehdr, f.data, sizeof obj->ehdr);
  const Elf64_Ehdr *eh = &obj->ehdr;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
    return bad(obj, "not an ELF file");
  if (eh->e_ident[EI_CLASS] != ELFCLASS64)
    return bad(obj, "not a 64-bit ELF object");
  if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
    return bad(obj, "not a little-endian ELF object");
  if (eh->e_ident[EI_VERSION] != EV_CURRENT)
    return bad(obj, "unknown ELF version");
  if (eh->e_type == ET_DYN)
    return bad(obj, "is a shared object (ET_DYN); a static link needs relocatable objects");
  if (eh->e_type == ET_EXEC)
    return bad(obj, "is an executable (ET_EXEC); only relocatable objects can be linked");
  if (eh->e_type != ET_REL)
    return bad(obj, "not a relocatable object");

  // Section header table, with the extended-numbering escape of the gABI: when there
  // are too many sections for e_shnum, it is 0 and section 0's sh_size holds the count.
  if (eh->e_shoff == 0) {
    if (eh->e_shnum != 0)
      return bad(obj, "e_shnum is non-zero but there is no section header table");
    obj->shnum = 0;
    return true;
  }
  if (eh->e_shentsize != sizeof(Elf64_Shdr)) {
    error("%s: e_shentsize is %u, not 64", f.name, eh->e_shentsize);
    return false;
  }
  // With e_shnum == 0 the count is in the first entry, which must be read first.
  obj->shnum = eh->e_shnum ? eh->e_shnum : 1;
  if (!view_has_table(f, eh->e_shoff, obj->shnum, sizeof(Elf64_Shdr)))
    return table_past_end(obj);
  if (eh->e_shnum == 0) {
    Elf64_Shdr sh0;
    memcpy(&sh0, f.data + eh->e_shoff, sizeof sh0);
    obj->shnum = sh0.sh_size;
    if (obj->shnum == 0)
      return bad(obj, "section header table is empty");
    if (!view_has_table(f, eh->e_shoff, obj->shnum, sizeof(Elf64_Shdr)))
      return table_past_end(obj);
  }
  return true;
}

// A table of n entries at `off` in the file, read where it lies when it is aligned
// for its entries (a lone object's tables are), else copied out (an archive aligns
// its members only to 2 bytes). A big link has millions of section headers and
// symbols: copying them all doubled what the inputs cost in memory.
static const void *read_table(View f, uint64_t off, uint64_t n, size_t size, Arena *arena) {
  if ((uintptr_t)(f.data + off) % 8 == 0)
    return f.data + off;
  void *copy = arena_array(arena, n, size);
  memcpy(copy, f.data + off, n * size);
  return copy;
}

static bool read_sections(ElfObject *obj, Arena *arena) {
  View f = obj->file;
  obj->shdrs = read_table(f, obj->ehdr.e_shoff, obj->shnum, sizeof(Elf64_Shdr), arena);

  // Names first, so that every later message can name the section it is about.
  uint64_t shstrndx = obj->ehdr.e_shstrndx;
  if (shstrndx == SHN_XINDEX)
    shstrndx = obj->shdrs[0].sh_link;
  if (shstrndx == SHN_UNDEF || shstrndx >= obj->shnum ||
      obj->shdrs[shstrndx].sh_type != SHT_STRTAB)
    return bad(obj, "e_shstrndx does not name a string table");
  const Elf64_Shdr *strsec = &obj->shdrs[shstrndx];
  if (!view_has(f, strsec->sh_offset, strsec->sh_size))
    return bad(obj, "section name table extends past end of file");
  // (Each is checked to end inside the table, and found there when asked:
  // elf_section_name.)
  View shstr = elf_section_data(obj, shstrndx);
  obj->shstrtab = shstr;
  for (uint64_t i = 1; i < obj->shnum; i++) {
    if (!view_cstr(shstr, obj->shdrs[i].sh_name)) {
      error("%s: section %llu: name offset 0x%x is outside the section name table", f.name,
            (unsigned long long)i, obj->shdrs[i].sh_name);
      return false;
    }
  }

  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    const char *name = elf_section_name(obj, i);
    if (s->sh_type != SHT_NOBITS && !view_has(f, s->sh_offset, s->sh_size)) {
      error("%s: section '%s' (offset 0x%llx, size 0x%llx) extends past end of file (size 0x%llx)",
            f.name, name, (unsigned long long)s->sh_offset, (unsigned long long)s->sh_size,
            (unsigned long long)f.size);
      return false;
    }
    // No real section needs more than 4 GiB alignment (lld draws the line there too);
    // larger values only make address arithmetic overflow.
    if (s->sh_addralign > ((uint64_t)1 << 32)) {
      error("%s: section '%s' has alignment %llu, which is too large", f.name, name,
            (unsigned long long)s->sh_addralign);
      return false;
    }
    if (s->sh_addralign & (s->sh_addralign - 1)) {
      error("%s: section '%s' has alignment %llu, not a power of two", f.name, name,
            (unsigned long long)s->sh_addralign);
      return false;
    }
  }
  return true;
}

static bool read_symbols(ElfObject *obj, Arena *arena) {
  const char *name = obj->file.name;
  uint64_t shndx_table = 0;
  for (uint64_t i = 1; i < obj->shnum; i++) {
    uint32_t type = obj->shdrs[i].sh_type;
    if (type == SHT_SYMTAB) {
      if (obj->symtab_shndx)
        return bad(obj, "more than one symbol table");
      obj->symtab_shndx = i;
    } else if (type == SHT_SYMTAB_SHNDX) {
      shndx_table = i;
    }
  }
  if (!obj->symtab_shndx)
    return true;

  const Elf64_Shdr *st = &obj->shdrs[obj->symtab_shndx];
  if (st->sh_entsize != sizeof(Elf64_Sym) || st->sh_size % sizeof(Elf64_Sym)) {
    error("%s: symbol table entry size is %llu, not 24", obj->file.name,
          (unsigned long long)st->sh_entsize);
    return false;
  }
  if (st->sh_link == 0 || st->sh_link >= obj->shnum ||
      obj->shdrs[st->sh_link].sh_type != SHT_STRTAB)
    return bad(obj, "symbol table's sh_link does not name a string table");
  obj->nsyms = st->sh_size / sizeof(Elf64_Sym);
  if (st->sh_info > obj->nsyms)
    return bad(obj, "symbol table's sh_info is larger than its symbol count");
  obj->first_global = st->sh_info;

  View shndx_view = {0};
  if (shndx_table) {
    shndx_view = elf_section_data(obj, shndx_table);
    if (obj->shdrs[shndx_table].sh_link != obj->symtab_shndx ||
        shndx_view.size / 4 < obj->nsyms)
      return bad(obj, "SHT_SYMTAB_SHNDX section does not match the symbol table");
  }

  // Names stay where they are in the string table (elf_symbol_name): each is
  // checked here, once, to end inside it.
  View strtab = elf_section_data(obj, st->sh_link);
  obj->strtab = strtab;
  obj->syms = read_table(obj->file, st->sh_offset, obj->nsyms, sizeof(Elf64_Sym), arena);
  obj->xindex = shndx_view;
  for (uint64_t i = 0; i < obj->nsyms; i++) {
    const Elf64_Sym *sym = &obj->syms[i];
    const char *symname = view_cstr(strtab, sym->st_name);
    if (!symname) {
      error("%s: symbol %llu: name offset 0x%x is outside the string table", name,
            (unsigned long long)i, sym->st_name);
      return false;
    }
    if (sym->st_shndx == SHN_XINDEX) {
      if (!shndx_table) {
        error("%s: symbol '%s' uses SHN_XINDEX but there is no SHT_SYMTAB_SHNDX section", name,
              symname);
        return false;
      }
      uint32_t real = read_u32le(shndx_view.data + 4 * i);
      if (real == 0 || real >= obj->shnum) {
        error("%s: symbol '%s' has section index %u, which is out of range", name,
              symname, real);
        return false;
      }
      continue;
    }
    if (sym->st_shndx != SHN_UNDEF && sym->st_shndx < SHN_LORESERVE &&
        sym->st_shndx >= obj->shnum) {
      error("%s: symbol '%s' has section index %u, which is out of range", name,
            symname, sym->st_shndx);
      return false;
    }
    // x86-64 psABI §4.2.2: SHN_X86_64_LCOMMON is COMMON for the medium and large
    // code models ("large" data, which may live beyond 2 GiB). Our images stay below
    // that, so large COMMON symbols are ordinary COMMON ones: say so once, here.
    if (sym->st_shndx == X86_64_LCOMMON) {
      if (obj->syms == (const void *)(obj->file.data + st->sh_offset)) {
        Elf64_Sym *copy = arena_array(arena, obj->nsyms, sizeof(Elf64_Sym));
        memcpy(copy, obj->syms, obj->nsyms * sizeof(Elf64_Sym));
        obj->syms = copy;
      }
      ((Elf64_Sym *)obj->syms)[i].st_shndx = SHN_COMMON;
      sym = &obj->syms[i];
    }
    if (sym->st_shndx >= SHN_LORESERVE && sym->st_shndx != SHN_ABS &&
        sym->st_shndx != SHN_COMMON) {
      error("%s: symbol '%s' has unsupported special section index 0x%x", name,
            symname, sym->st_shndx);
      return false;
    }
  }
  return true;
}

// Relocation tables need the symbol count, so they are checked after the symbols.
static bool check_relocation_tables(ElfObject *obj) {
  const char *name = obj->file.name;
  for (uint64_t i = 1; i < obj->shnum; i++) {
    const Elf64_Shdr *s = &obj->shdrs[i];
    if (s->sh_type == SHT_REL) {
      error("%s: section '%s': SHT_REL relocations are not used on x86-64", name,
            elf_section_name(obj, i));
      return false;
    }
    if (s->sh_type != SHT_RELA)
      continue;
    if (s->sh_entsize != sizeof(Elf64_Rela) || s->sh_size % sizeof(Elf64_Rela)) {
      error("%s: section '%s': relocation entry size is not 24", name, elf_section_name(obj, i));
      return false;
    }
    if (s->sh_link != obj->symtab_shndx || obj->symtab_shndx == 0) {
      error("%s: section '%s': sh_link %u is not the symbol table", name, elf_section_name(obj, i),
            s->sh_link);
      return false;
    }
    if (s->sh_info == 0 || s->sh_info >= obj->shnum) {
      error("%s: section '%s': sh_info %u does not name a section", name, elf_section_name(obj, i),
            s->sh_info);
      return false;
    }
    const Elf64_Shdr *target = &obj->shdrs[s->sh_info];
    View rels = elf_section_data(obj, i);
    for (uint64_t off = 0; off < rels.size; off += sizeof(Elf64_Rela)) {
      Elf64_Rela r;
      memcpy(&r, rels.data + off, sizeof r);
      uint64_t sym = ELF64_R_SYM(r.r_info);
      if (sym >= obj->nsyms) {
        error("%s: section '%s': relocation %llu refers to symbol %llu, which is out of range",
              name, elf_section_name(obj, i), (unsigned long long)(off / sizeof r),
              (unsigned long long)sym);
        return false;
      }
      // (A compressed section's size is known once it is decompressed; mini-ld
      // checks its relocations then, in scan_relocs, as every section's.)
      if (r.r_offset >= target->sh_size && !(target->sh_flags & SHF_COMPRESSED)) {
        error("%s:(%s+0x%llx): relocation offset is outside the section (size 0x%llx)", name,
              elf_section_name(obj, s->sh_info), (unsigned long long)r.r_offset,
              (unsigned long long)target->sh_size);
        return false;
      }
    }
  }
  return true;
}

bool read_elf_object(View v, Arena *arena, ElfObject *obj) {
  memset(obj, 0, sizeof *obj);
  obj->file = v;
  return read_header(obj) && (obj->shnum == 0 ||
                              (read_sections(obj, arena) && read_symbols(obj, arena) &&
                               check_relocation_tables(obj)));
}
