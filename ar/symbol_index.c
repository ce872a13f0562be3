/*
 * symbol_index.c — which symbols the archive's index lists.
 *
 * A linker that needs `printf` should not have to parse every member of libc.a to
 * find it; the index (the "/" member) maps each symbol to the member defining it,
 * and the linker reads only that member. An index entry is only useful for a symbol
 * that can satisfy another file's reference, so the rules are GNU ar's (bfd's
 * _bfd_compute_and_write_armap), which list a symbol when it is
 *
 *   - defined: st_shndx is not SHN_UNDEF (an undefined or undefined-weak reference
 *     is what the linker looks *for*, not something a member offers), and
 *   - global, weak or GNU_UNIQUE, or COMMON (a tentative definition such as
 *     `int x;` under -fcommon). TLS, IFUNC, hidden and absolute symbols are not
 *     special: if they pass these two tests they are listed.
 *
 * The order is member order, then symbol-table order within a member, which is the
 * order the linker searches in. A symbol defined by two members is listed twice.
 *
 * Which members: an index is written if any member is an ELF object (and S was not
 * given), even if no symbol qualifies; an archive of text files gets none. Members
 * that are not ELF are stored but not indexed, like GNU ar. For ELF members we do
 * what GNU ar does with a broken one: if the ELF header or the section header table
 * is cut off, the file is no object to bfd, and it is stored unindexed (we also
 * warn); if anything deeper is wrong (a section or the symbol table past the end, a
 * bad name offset), the command fails, here with read_elf_object()'s message. We
 * index 64-bit little-endian relocatable objects only: other ELF files (32-bit
 * objects, shared libraries) are stored with a warning, where GNU ar indexes them.
 *
 * Reads ctx->opt and ctx->members; fills each member's syms and nsyms, and
 * ctx->want_index, nsyms and strsize.
 */
#include "ar.h"

#include <string.h>

static bool is_indexed(const Elf64_Sym *sym) {
  if (sym->st_shndx == SHN_UNDEF)
    return false;
  unsigned bind = ELF64_ST_BIND(sym->st_info);
  return bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE ||
         sym->st_shndx == SHN_COMMON;
}

// The ELF kinds read_elf_object() accepts; v holds at least an e_type.
static bool is_readable_kind(View v) {
  return v.data[EI_CLASS] == ELFCLASS64 && v.data[EI_DATA] == ELFDATA2LSB &&
         read_u16le(v.data + 16) == ET_REL;
}

static void index_member(Ctx *ctx, Member *m, View v) {
  ElfObject obj;
  if (!read_elf_object(v, &ctx->arena, &obj))
    return;  // the reader has reported it; main() stops before writing
  // Count, then fill: the names point into the mapped member.
  size_t n = 0;
  for (uint64_t i = 1; i < obj.nsyms; i++)
    n += is_indexed(&obj.syms[i]);
  m->syms = arena_array(&ctx->arena, n, sizeof(char *));
  for (uint64_t i = 1; i < obj.nsyms; i++) {
    if (!is_indexed(&obj.syms[i]))
      continue;
    m->syms[m->nsyms++] = elf_symbol_name(&obj, i);
    ctx->strsize += strlen(elf_symbol_name(&obj, i)) + 1;
  }
  ctx->nsyms += m->nsyms;
}

// The ELF header and the section header table lie inside the file. bfd does not
// take a file that fails this for an object, so GNU ar stores it unindexed; so do we
// (with a warning). Everything deeper is checked by read_elf_object().
static bool has_section_table(View v) {
  if (v.size < sizeof(Elf64_Ehdr))
    return false;
  Elf64_Ehdr eh;
  memcpy(&eh, v.data, sizeof eh);
  if (eh.e_shoff == 0)
    return true;  // no sections, hence no symbols: an object all the same
  if (eh.e_shentsize != sizeof(Elf64_Shdr))
    return false;
  return view_has_table(v, eh.e_shoff, eh.e_shnum ? eh.e_shnum : 1, sizeof(Elf64_Shdr));
}

void build_index(Ctx *ctx) {
  if (ctx->opt.index < 0)
    return;
  for (size_t i = 0; i < ctx->members.len; i++) {
    Member *m = ctx->members.data[i];
    View v = member_data(m);
    if (!is_elf(v) || v.size < 18)
      continue;
    // Any ELF file long enough to have an e_type makes GNU ar 2.40 write an index
    // here, even one it cannot read (its LTO plugin takes it for an object with no
    // symbols), so an archive of broken objects gets an empty index, not none.
    ctx->want_index = true;
    if (!is_readable_kind(v)) {
      warn("%s: not indexed: only 64-bit little-endian relocatable objects are", m->label);
      continue;
    }
    if (!has_section_table(v)) {
      warn("%s: not indexed: truncated or corrupt ELF header", m->label);
      continue;
    }
    index_member(ctx, m, v);
  }
}
