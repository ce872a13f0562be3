/*
 * elf_shared.c — reading an ELF64 shared object (a .so) as a link input.
 *
 * A linker copies no code or data out of a shared library: the dynamic linker maps
 * it at run time. The link only asks which symbols the library defines, under which
 * versions, and what the program will call it at run time (its DT_SONAME, which
 * becomes one of the program's DT_NEEDED). GNU ld and lld find the answers through
 * the section headers, and so do we:
 *
 *   .dynsym         --sh_link--> .dynstr   the dynamic symbols, locals first (sh_info)
 *   .gnu.version                           one u16 per .dynsym entry: a version index
 *   .gnu.version_d  --sh_link--> .dynstr   the versions this library defines
 *   .gnu.version_r  --sh_link--> .dynstr   the versions it needs from other libraries
 *   .dynamic        --sh_link--> .dynstr   DT_SONAME, DT_NEEDED, DT_AUDIT
 *
 * .gnu.version holds one 16-bit entry per dynamic symbol. Its low 15 bits
 * (VERSYM_VERSION) are a version index: 0 (VER_NDX_LOCAL) and 1 (VER_NDX_GLOBAL)
 * mean "no version"; any other index names a version that .gnu.version_d defines
 * (for a defined symbol) or that .gnu.version_r needs from another library (for an
 * undefined one). elf_versions.c reads those two tables. Bit 15, VERSYM_HIDDEN,
 * marks a version that is not the default: `foo@VER_1` as against `foo@@VER_2`,
 * the one a plain reference to `foo` binds to.
 *
 * Everything a linker will index is checked here, once, as elf_object.c does for
 * relocatable objects: the section header table, each section we read, every name
 * (its NUL inside its string table), every version index, and (in elf_versions.c)
 * every link of the version chains. Counts come from the file, so nothing is
 * allocated for a count unless the bytes it describes are in the file, and every
 * walk is bounded by a section's size: a corrupt file costs time in proportion to
 * its size at most, and fails with one line that says what is wrong.
 *
 * Escape hatches of the format: e_shnum == 0 (the count in section 0's sh_size) and
 * e_shstrndx == SHN_XINDEX (the index in section 0's sh_link) are supported, as in
 * elf_object.c. st_shndx == SHN_XINDEX in .dynsym is rejected with its own message:
 * it would need a SHT_SYMTAB_SHNDX section for .dynsym, which no linker writes.
 */
#include "common.h"

#include <stddef.h>
#include <string.h>

// What the reader carries from step to step. The section headers and their names
// are needed only while reading (every message names its section), so they stay
// here and not in ElfShared.
typedef struct {
  ElfShared *so;
  Arena *arena;
  Elf64_Shdr *shdrs;  // shnum entries, copied out of the file
  uint64_t shnum;
  const char **shnames;
} Reader;

bool is_elf_shared(View v) {
  // e_type sits at offset 16 for both ELF classes; read it only if it is there.
  uint64_t at = offsetof(Elf64_Ehdr, e_type);
  return is_elf(v) && view_has(v, at, 2) && read_u16le(v.data + at) == ET_DYN;
}

const char *elf_shared_version(const ElfShared *so, uint64_t i) {
  if (!so->versym)
    return NULL;
  uint16_t ndx = so->versym[i] & VERSYM_VERSION;
  if (ndx <= VER_NDX_GLOBAL)
    return NULL;
  // read_elf_shared checked that ndx names an entry of the right table.
  return so->syms[i].st_shndx == SHN_UNDEF ? so->verneed_names[ndx] : so->verdef_names[ndx];
}

static bool bad(const Reader *r, const char *what) {
  error("%s: %s", r->so->file.name, what);
  return false;
}

static bool table_past_end(const Reader *r) {
  const ElfShared *so = r->so;
  error("%s: section header table (%llu entries at 0x%llx) extends past end of file "
        "(size 0x%llx)",
        so->file.name, (unsigned long long)r->shnum, (unsigned long long)so->ehdr.e_shoff,
        (unsigned long long)so->file.size);
  return false;
}

// The ELF header and where the section header table is (gABI ch. 4, "ELF Header").
static bool read_header(Reader *r) {
  ElfShared *so = r->so;
  View f = so->file;
  if (f.size < sizeof(Elf64_Ehdr))
    return bad(r, "file is too small to be an ELF shared object");
  memcpy(&so->ehdr, f.data, sizeof so->ehdr);
  const Elf64_Ehdr *eh = &so->ehdr;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
    return bad(r, "not an ELF file");
  if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
    error("%s: not a 64-bit ELF file (EI_CLASS is %u, not ELFCLASS64)", f.name,
          eh->e_ident[EI_CLASS]);
    return false;
  }
  if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
    error("%s: not a little-endian ELF file (EI_DATA is %u, not ELFDATA2LSB)", f.name,
          eh->e_ident[EI_DATA]);
    return false;
  }
  if (eh->e_ident[EI_VERSION] != EV_CURRENT)
    return bad(r, "unknown ELF version");
  if (eh->e_type != ET_DYN) {
    error("%s: not a shared object (e_type is %u, not ET_DYN)", f.name, eh->e_type);
    return false;
  }
  if (eh->e_machine != EM_X86_64) {
    error("%s: not an x86-64 shared object (e_machine is %u, not EM_X86_64)", f.name,
          eh->e_machine);
    return false;
  }

  // A shared object needs no section headers to run (the dynamic linker reads the
  // program headers), but a linker reads the library through them, as GNU ld and
  // lld do; without them there is nothing to link against.
  if (eh->e_shoff == 0)
    return bad(r, "no section header table (a linker reads a shared object through it)");
  if (eh->e_shentsize != sizeof(Elf64_Shdr)) {
    error("%s: e_shentsize is %u, not 64", f.name, eh->e_shentsize);
    return false;
  }
  // The gABI's extended numbering, as in elf_object.c: with e_shnum == 0 the count
  // is in section 0's sh_size, so that entry must be read first.
  r->shnum = eh->e_shnum ? eh->e_shnum : 1;
  if (!view_has_table(f, eh->e_shoff, r->shnum, sizeof(Elf64_Shdr)))
    return table_past_end(r);
  if (eh->e_shnum == 0) {
    Elf64_Shdr sh0;
    memcpy(&sh0, f.data + eh->e_shoff, sizeof sh0);
    r->shnum = sh0.sh_size;
    if (r->shnum == 0)
      return bad(r, "section header table is empty");
    if (!view_has_table(f, eh->e_shoff, r->shnum, sizeof(Elf64_Shdr)))
      return table_past_end(r);
  }
  return true;
}

// Copies the section headers out of the file and checks their names, so that
// every later message can name the section it is about. The table's bytes were
// checked by read_header, so the copy is as big as the file allows and no bigger.
static bool read_section_headers(Reader *r) {
  View f = r->so->file;
  r->shdrs = arena_array(r->arena, r->shnum, sizeof(Elf64_Shdr));
  r->shnames = arena_array(r->arena, r->shnum, sizeof(char *));
  memcpy(r->shdrs, f.data + r->so->ehdr.e_shoff, r->shnum * sizeof(Elf64_Shdr));

  uint64_t shstrndx = r->so->ehdr.e_shstrndx;
  if (shstrndx == SHN_XINDEX)
    shstrndx = r->shdrs[0].sh_link;
  if (shstrndx == SHN_UNDEF || shstrndx >= r->shnum ||
      r->shdrs[shstrndx].sh_type != SHT_STRTAB)
    return bad(r, "e_shstrndx does not name a string table");
  const Elf64_Shdr *strsec = &r->shdrs[shstrndx];
  if (!view_has(f, strsec->sh_offset, strsec->sh_size))
    return bad(r, "section name table extends past end of file");
  View shstr = view_slice(f, strsec->sh_offset, strsec->sh_size);
  r->shnames[0] = "";
  for (uint64_t i = 1; i < r->shnum; i++) {
    r->shnames[i] = view_cstr(shstr, r->shdrs[i].sh_name);
    if (!r->shnames[i]) {
      error("%s: section %llu: name offset 0x%x is outside the section name table", f.name,
            (unsigned long long)i, r->shdrs[i].sh_name);
      return false;
    }
  }
  return true;
}

// The index of the one section of `type` in *out, or 0 if there is none. Two would
// leave us guessing which one the dynamic linker uses, so that is an error.
static bool find_section(const Reader *r, uint32_t type, const char *type_name, uint64_t *out) {
  *out = 0;
  for (uint64_t i = 1; i < r->shnum; i++) {
    if (r->shdrs[i].sh_type != type)
      continue;
    if (*out) {
      error("%s: more than one %s section", r->so->file.name, type_name);
      return false;
    }
    *out = i;
  }
  return true;
}

// The bytes of section i, checked to lie inside the file. Only the sections this
// reader uses are checked; the others are none of a linker's business.
static bool section_bytes(const Reader *r, uint64_t i, View *out) {
  const Elf64_Shdr *s = &r->shdrs[i];
  View f = r->so->file;
  if (!view_has(f, s->sh_offset, s->sh_size)) {
    error("%s: section '%s' (offset 0x%llx, size 0x%llx) extends past end of file (size 0x%llx)",
          f.name, r->shnames[i], (unsigned long long)s->sh_offset,
          (unsigned long long)s->sh_size, (unsigned long long)f.size);
    return false;
  }
  *out = view_slice(f, s->sh_offset, s->sh_size);
  return true;
}

// The bytes of the string table that section i names in its sh_link.
static bool linked_strtab(const Reader *r, uint64_t i, View *out) {
  uint32_t link = r->shdrs[i].sh_link;
  if (link == 0 || link >= r->shnum || r->shdrs[link].sh_type != SHT_STRTAB) {
    error("%s: section '%s': sh_link %u does not name a string table", r->so->file.name,
          r->shnames[i], link);
    return false;
  }
  return section_bytes(r, link, out);
}

// Checks that section i is a table of entries of `entsize` bytes.
static bool check_entsize(const Reader *r, uint64_t i, uint64_t entsize) {
  const Elf64_Shdr *s = &r->shdrs[i];
  if (s->sh_entsize != entsize) {
    error("%s: section '%s': entry size is %llu, not %llu", r->so->file.name, r->shnames[i],
          (unsigned long long)s->sh_entsize, (unsigned long long)entsize);
    return false;
  }
  if (s->sh_size % entsize) {
    error("%s: section '%s': size 0x%llx is not a multiple of %llu", r->so->file.name,
          r->shnames[i], (unsigned long long)s->sh_size, (unsigned long long)entsize);
    return false;
  }
  return true;
}

// .dynsym: the symbols other modules may bind to. A library without one is valid
// and simply defines nothing.
static bool read_dynsym(Reader *r) {
  ElfShared *so = r->so;
  const char *name = so->file.name;
  uint64_t shndx;
  if (!find_section(r, SHT_DYNSYM, "SHT_DYNSYM", &shndx))
    return false;
  if (!shndx)
    return true;
  const Elf64_Shdr *s = &r->shdrs[shndx];
  View data, strtab;
  if (!check_entsize(r, shndx, sizeof(Elf64_Sym)) || !section_bytes(r, shndx, &data) ||
      !linked_strtab(r, shndx, &strtab))
    return false;
  so->nsyms = data.size / sizeof(Elf64_Sym);
  if (s->sh_info > so->nsyms) {
    error("%s: section '%s': sh_info %u is larger than its symbol count %llu", name,
          r->shnames[shndx], s->sh_info, (unsigned long long)so->nsyms);
    return false;
  }
  so->first_global = s->sh_info;

  so->syms = arena_array(r->arena, so->nsyms, sizeof(Elf64_Sym));
  so->symnames = arena_array(r->arena, so->nsyms, sizeof(char *));
  memcpy(so->syms, data.data, so->nsyms * sizeof(Elf64_Sym));
  for (uint64_t i = 0; i < so->nsyms; i++) {
    const Elf64_Sym *sym = &so->syms[i];
    so->symnames[i] = view_cstr(strtab, sym->st_name);
    const char *symname = so->symnames[i];
    if (!symname) {
      error("%s: symbol %llu: name offset 0x%x is outside the string table", name,
            (unsigned long long)i, sym->st_name);
      return false;
    }
    if (sym->st_shndx == SHN_XINDEX) {
      error("%s: symbol '%s' uses SHN_XINDEX, which a dynamic symbol table cannot use", name,
            symname);
      return false;
    }
    if (sym->st_shndx >= SHN_LORESERVE && sym->st_shndx != SHN_ABS) {
      error("%s: symbol '%s' has unsupported special section index 0x%x", name, symname,
            sym->st_shndx);
      return false;
    }
    if (sym->st_shndx < SHN_LORESERVE && sym->st_shndx >= r->shnum) {
      error("%s: symbol '%s' has section index %u, which is out of range", name, symname,
            sym->st_shndx);
      return false;
    }
    // gABI: locals come first and sh_info is the first global. A linker looks at
    // symbols from sh_info on only, so a local among them would be exported (lld
    // rejects it too).
    if (i >= so->first_global && ELF64_ST_BIND(sym->st_info) == STB_LOCAL) {
      error("%s: symbol '%s' is local but comes after sh_info (%llu) in '%s'", name, symname,
            (unsigned long long)so->first_global, r->shnames[shndx]);
      return false;
    }
  }
  return true;
}

// .gnu.version_d or .gnu.version_r (type), read by elf_versions.c into its table.
// sh_info is the number of entries; sh_link names the string table.
static bool read_version_table(Reader *r, uint32_t type, const char *type_name) {
  uint64_t shndx;
  if (!find_section(r, type, type_name, &shndx))
    return false;
  if (!shndx)
    return true;
  View sec, strtab;
  if (!section_bytes(r, shndx, &sec) || !linked_strtab(r, shndx, &strtab))
    return false;
  const char *where = arena_printf(r->arena, "%s: section '%s'", r->so->file.name,
                                   r->shnames[shndx]);
  uint32_t count = r->shdrs[shndx].sh_info;
  if (type == SHT_GNU_verdef)
    return read_version_definitions(sec, count, strtab, where, r->arena, r->so);
  return read_version_needs(sec, count, strtab, where, r->arena, r->so);
}

// .gnu.version: each symbol's version index, checked against the tables above.
static bool read_versym(Reader *r) {
  ElfShared *so = r->so;
  const char *name = so->file.name;
  uint64_t shndx;
  if (!find_section(r, SHT_GNU_versym, "SHT_GNU_versym", &shndx))
    return false;
  if (!shndx)
    return true;
  View data;
  if (!section_bytes(r, shndx, &data))
    return false;
  // nsyms came from a section of 24-byte entries in the file, so 2 * nsyms cannot wrap.
  if (data.size != 2 * so->nsyms) {
    error("%s: section '%s' has size 0x%llx, but %llu dynamic symbols need 0x%llx", name,
          r->shnames[shndx], (unsigned long long)data.size, (unsigned long long)so->nsyms,
          (unsigned long long)(2 * so->nsyms));
    return false;
  }
  so->versym = arena_array(r->arena, so->nsyms, sizeof(uint16_t));
  for (uint64_t i = 0; i < so->nsyms; i++) {
    so->versym[i] = read_u16le(data.data + 2 * i);
    uint16_t ndx = so->versym[i] & VERSYM_VERSION;
    if (ndx <= VER_NDX_GLOBAL)
      continue;
    if (so->syms[i].st_shndx != SHN_UNDEF) {
      if (ndx >= so->nverdefs || !so->verdef_names[ndx]) {
        error("%s: symbol '%s' has version index %u, but no version definition has that index",
              name, so->symnames[i], ndx);
        return false;
      }
    } else if (ndx >= so->nverneeds || !so->verneed_names[ndx]) {
      error("%s: undefined symbol '%s' has version index %u, but no version need has that index",
            name, so->symnames[i], ndx);
      return false;
    }
  }
  return true;
}

// .dynamic: DT_SONAME, DT_NEEDED and DT_AUDIT, whose values are offsets into the string
// table the section's sh_link names (.dynstr). The array ends at DT_NULL.
static bool read_dynamic(Reader *r) {
  ElfShared *so = r->so;
  uint64_t shndx;
  if (!find_section(r, SHT_DYNAMIC, "SHT_DYNAMIC", &shndx))
    return false;
  // Every shared library has one (the dynamic linker starts from it). An ET_DYN
  // file without it (an object whose e_type was changed, say) cannot be linked
  // against.
  if (!shndx) {
    error("%s: no dynamic section (SHT_DYNAMIC): not a shared library", so->file.name);
    return false;
  }
  View data, strtab;
  if (!check_entsize(r, shndx, sizeof(Elf64_Dyn)) || !section_bytes(r, shndx, &data) ||
      !linked_strtab(r, shndx, &strtab))
    return false;
  uint64_t n = data.size / sizeof(Elf64_Dyn);

  // Count, then fill: the count is bounded by the section's bytes.
  size_t nneeded = 0;
  for (uint64_t i = 0; i < n; i++) {
    Elf64_Dyn dyn;
    memcpy(&dyn, data.data + i * sizeof dyn, sizeof dyn);
    if (dyn.d_tag == DT_NULL)
      break;
    nneeded += dyn.d_tag == DT_NEEDED;
  }
  so->needed = arena_array(r->arena, nneeded, sizeof(char *));
  for (uint64_t i = 0; i < n; i++) {
    Elf64_Dyn dyn;
    memcpy(&dyn, data.data + i * sizeof dyn, sizeof dyn);
    if (dyn.d_tag == DT_NULL)
      break;
    if (dyn.d_tag != DT_SONAME && dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_AUDIT)
      continue;
    const char *s = view_cstr(strtab, dyn.d_un.d_val);
    if (!s) {
      error("%s: %s offset 0x%llx is outside the dynamic string table", so->file.name,
            dyn.d_tag == DT_SONAME   ? "DT_SONAME"
            : dyn.d_tag == DT_NEEDED ? "DT_NEEDED"
                                     : "DT_AUDIT",
            (unsigned long long)dyn.d_un.d_val);
      return false;
    }
    if (dyn.d_tag == DT_NEEDED)
      so->needed[so->nneeded++] = s;
    else if (dyn.d_tag == DT_AUDIT)
      so->audit = s;
    else  // of two DT_SONAMEs, GNU ld, lld and ld.so all keep the last
      so->soname = s;
  }
  return true;
}

// PT_GNU_RELRO: the part of the library's data that the dynamic linker makes
// read-only once it has relocated it (.data.rel.ro, .got, ...). A linker only needs
// it to tell which of the library's variables are constants (see relro_start), so a
// library without usable program headers is read as one without RELRO.
static void read_relro(Reader *r) {
  ElfShared *so = r->so;
  const Elf64_Ehdr *eh = &so->ehdr;
  if (!eh->e_phoff || eh->e_phentsize != sizeof(Elf64_Phdr) ||
      !view_has_table(so->file, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr)))
    return;
  for (uint64_t i = 0; i < eh->e_phnum; i++) {
    Elf64_Phdr ph;
    memcpy(&ph, so->file.data + eh->e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_GNU_RELRO && ph.p_memsz <= UINT64_MAX - ph.p_vaddr) {
      so->relro_start = ph.p_vaddr;
      so->relro_end = ph.p_vaddr + ph.p_memsz;
    }
  }
}

bool read_elf_shared(View v, Arena *arena, ElfShared *so) {
  memset(so, 0, sizeof *so);
  so->file = v;
  Reader r = {.so = so, .arena = arena};
  // The version tables come before .gnu.version, which is checked against them.
  if (!(read_header(&r) && read_section_headers(&r) && read_dynsym(&r) &&
        read_version_table(&r, SHT_GNU_verdef, "SHT_GNU_verdef") &&
        read_version_table(&r, SHT_GNU_verneed, "SHT_GNU_verneed") && read_versym(&r) &&
        read_dynamic(&r)))
    return false;
  so->shdrs = r.shdrs;
  so->shnum = r.shnum;
  read_relro(&r);
  return true;
}
