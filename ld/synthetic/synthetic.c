/*
 * synthetic.c — the table of sections the linker makes itself.
 *
 * Objects bring .text and .data; the linker adds what only it can write: the GOT,
 * the IFUNC stubs and their relocations, a static PIE's .dynamic, the
 * .eh_frame_hdr search table, the build ID. Each kind is one small file in this
 * folder that says, through a SyntheticKind, four things: whether this link needs
 * it and how big it is, how to write its bytes, what its section header links to,
 * and which program header (if any) covers it. This file runs them all, in the
 * order of SYNTHETIC_SECTIONS (ld.h), so that no pass names a linker-made section:
 *
 *   create_synthetic_sections   one InputSection of each kind, before scan_relocs,
 *                               so slots and dynamic relocations can point into them
 *   size_synthetic_sections     layout: size each; those needed join the output
 *   relocatable_synthetic_sections  -r: the few an object has too (in_relocatable)
 *   count/add_synthetic_phdrs   layout: PT_DYNAMIC, PT_GNU_EH_FRAME, ...
 *   synthetic_shdr_links        write_output: sh_link and sh_info
 *   write_synthetic_sections    write_output: their bytes, once all else is final
 *
 * Reads and fills ctx->synth.
 */
#include "../ld.h"

#define X(id, kind) &kind,
static const SyntheticKind *const kinds[NUM_SYNTHETIC] = {SYNTHETIC_SECTIONS(X)};
#undef X

void create_synthetic_sections(Ctx *ctx) {
  for (int i = 0; i < NUM_SYNTHETIC; i++) {
    const SyntheticKind *k = kinds[i];
    InputSection *isec =
        new_linker_section(ctx, k->name, k->sh_type, k->sh_flags, 0, k->sh_addralign);
    isec->sh_entsize = k->sh_entsize;
    isec->is_alive = false;  // until layout finds this link needs it
    ctx->synth[i] = isec;
  }
}

// -r: the kinds an object has too, sized; those needed are appended to `out`.
void relocatable_synthetic_sections(Ctx *ctx, PtrVec *out) {
  for (int i = 0; i < NUM_SYNTHETIC; i++)
    if (kinds[i]->in_relocatable && kinds[i]->size(ctx, ctx->synth[i]))
      vec_push(&ctx->arena, out, ctx->synth[i]);
}

void size_synthetic_sections(Ctx *ctx) {
  for (int i = 0; i < NUM_SYNTHETIC; i++)
    ctx->synth[i]->is_alive = kinds[i]->size(ctx, ctx->synth[i]);
}

size_t count_synthetic_phdrs(Ctx *ctx) {
  size_t n = 0;
  for (int i = 0; i < NUM_SYNTHETIC; i++)
    n += kinds[i]->p_type && ctx->synth[i]->is_alive;
  return n;
}

// A program header that describes exactly one section's output section.
void add_synthetic_phdrs(Ctx *ctx, Segment *(*add)(Ctx *ctx, uint32_t type, uint32_t flags)) {
  for (int i = 0; i < NUM_SYNTHETIC; i++) {
    const SyntheticKind *k = kinds[i];
    const OutputSection *osec = ctx->synth[i]->osec;
    if (!k->p_type || !ctx->synth[i]->is_alive)
      continue;
    Segment *seg = add(ctx, k->p_type, k->p_flags);
    seg->p_offset = osec->offset;
    seg->p_vaddr = seg->p_paddr = osec->addr;
    seg->p_filesz = seg->p_memsz = osec->size;
    seg->p_align = k->p_align;
  }
}

void synthetic_shdr_links(Ctx *ctx, const OutputSection *osec, Elf64_Shdr *sh) {
  for (int i = 0; i < NUM_SYNTHETIC; i++)
    if (kinds[i]->link && ctx->synth[i]->is_alive && ctx->synth[i]->osec == osec)
      kinds[i]->link(ctx, sh);
}

void write_synthetic_sections(Ctx *ctx, uint8_t *out) {
  for (int i = 0; i < NUM_SYNTHETIC; i++) {
    InputSection *isec = ctx->synth[i];
    if (kinds[i]->write && isec->is_alive)
      kinds[i]->write(ctx, isec, out + isec->osec->offset + isec->offset);
  }
}
