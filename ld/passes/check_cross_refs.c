/*
 * check_cross_refs.c — NOCROSSREFS: references a linker script forbids.
 *
 * Sections of an OVERLAY take turns at one address: while .ov1 is in memory, .ov2
 * is not, so code in .ov1 that calls a function in .ov2 jumps into whatever is
 * there. A script says so with
 *
 *   NOCROSSREFS(.ov1 .ov2)           neither may refer to the other
 *   NOCROSSREFS_TO(.ov2 .ov1 .ov3)   .ov1 and .ov3 may not refer to .ov2
 *   OVERLAY 0x500000 : NOCROSSREFS { .ov1 { ... } .ov2 { ... } }
 *
 * and the linker checks every relocation of the sections listed: one whose symbol
 * is defined in another listed section (the first, for NOCROSSREFS_TO) is an
 * error, in GNU ld's words, at the place of the reference:
 *
 *   mini-ld: a.o:(.ov1+0x1): prohibited cross reference from .ov1 to 'f2' in .ov2
 *
 * Runs after layout, when every input section and symbol has its output section.
 * Reads ctx->script.nocrossrefs, the files' sections and relocations; reports only.
 */
#include "../ld.h"

#include <string.h>

// The output section a symbol is defined in, or NULL (undefined, absolute, or in
// a section left out).
static const OutputSection *defined_in(const Symbol *sym) {
  if (sym->state == SYM_LINKER)
    return sym->aux->osec;
  if (sym->state != SYM_DEFINED && sym->state != SYM_COMMON)
    return NULL;
  return sym->isec && sym->isec->is_alive ? sym->isec->osec : NULL;
}

// Where `name` is in the group: 0, 1, ..., or -1 if it is not.
static int position(const NoCrossRefs *group, const char *name) {
  for (size_t i = 0; i < group->names.len; i++)
    if (!strcmp(group->names.data[i], name))
      return (int)i;
  return -1;
}

// Does the group forbid a reference from section `from` to section `to`?
static bool forbids(const NoCrossRefs *group, const OutputSection *from, const OutputSection *to) {
  if (from == to)
    return false;
  int f = position(group, from->name), t = position(group, to->name);
  if (f < 0 || t < 0)
    return false;
  return group->to ? t == 0 && f > 0 : true;
}

// The relocations of isec that go from one section of a group to another.
static void check_section(Ctx *ctx, InputFile *file, InputSection *isec) {
  const PtrVec *groups = &ctx->script.nocrossrefs;
  for (uint64_t r = 0; r < isec->nrels; r++) {
    const Elf64_Rela *rel = &isec->rels[r];
    Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
    const OutputSection *to = sym ? defined_in(sym) : NULL;
    if (!to)
      continue;
    for (size_t g = 0; g < groups->len; g++) {
      if (!forbids(groups->data[g], isec->osec, to))
        continue;
      const char *name = sym->type == STT_SECTION && sym->isec ? sym->isec->name : sym->name;
      const char *src = source_line(ctx, isec, rel->r_offset);
      error("%s%s%s: prohibited cross reference from %s to '%s' in %s", src ? src : "",
            src ? ": " : "", place(ctx, isec, rel->r_offset), isec->osec->name,
            shown_name(ctx, name), to->name);
      break;
    }
  }
}

void check_cross_refs(Ctx *ctx) {
  const PtrVec *groups = &ctx->script.nocrossrefs;
  if (!groups->len)
    return;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec || !isec->is_alive || !isec->osec || !isec->nrels)
        continue;
      bool listed = false;
      for (size_t g = 0; g < groups->len && !listed; g++)
        listed = position(groups->data[g], isec->osec->name) >= 0;
      if (listed)
        check_section(ctx, file, isec);
    }
  }
}
