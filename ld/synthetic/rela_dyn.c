/*
 * rela_dyn.c — .rela.dyn: what a static PIE must fix when it is loaded.
 *
 * In a dynamic executable the list also holds the entries that name shared library
 * symbols (R_X86_64_64, GLOB_DAT, COPY, TPOFF64), after the RELATIVE ones.
 *
 * A static PIE (gcc -static-pie) is a static executable linked at address 0 as an
 * ET_DYN file, so the kernel can load it anywhere (address-space randomisation).
 * Code reaches everything PC-relatively and needs no change; but every absolute
 * address stored in data — a pointer in .data, an .init_array entry, a GOT slot —
 * is wrong by the load address. There is no ld.so to fix them: the C library's
 * start-up code (glibc's _dl_relocate_static_pie) does it, from this list:
 *
 *   R_X86_64_RELATIVE   for each such place: *place = load address + S + A
 *   R_X86_64_IRELATIVE  for each IFUNC slot, once everything it may read has moved
 *
 * scan_relocs decided which places need an entry, and assign_slots put the list
 * in order (ctx->dyn_relocs); this file only writes it. DT_RELACOUNT (dynamic.c)
 * tells the C library how many RELATIVE entries lead the list. A place in an
 * .eh_frame record that layout dropped is not in the output: its entry becomes
 * R_X86_64_NONE at the end of the list, which the C library skips.
 */
#include "../ld.h"

// Is the place in the output? Not if it was in an .eh_frame record that layout
// dropped. (Known once .eh_frame is split, before addresses are.)
static bool is_in_output(const DynReloc *d) {
  bool dropped;
  isec_output_offset(d->isec, d->offset, &dropped);
  return !dropped;
}

// One entry. RELATIVE and IRELATIVE carry the address in the addend; the others
// name their symbol by its .dynsym index.
static void write_dyn_entry(Ctx *ctx, uint8_t *p, const DynReloc *d, uint64_t addr) {
  uint64_t A = (uint64_t)d->addend;
  switch (d->kind) {
  case DYN_TPOFF64:
  case DYN_DTPOFF64:
  case DYN_TLSDESC:
    // A variable of the module itself, not in .dynsym: the offset in its TLS block
    // goes in the addend, against symbol 0.
    if (!d->sym->aux->dynsym_index) {
      write_dyn_reloc(p, d->kind, addr, 0, symbol_address(d->sym) + A - ctx->tls_start);
      break;
    }
    write_dyn_reloc(p, d->kind, addr, d->sym->aux->dynsym_index, A);
    break;
  case DYN_RELATIVE:
    write_dyn_reloc(p, d->kind, addr, 0, symbol_address_for(d->sym, A) + A);
    break;
  case DYN_IRELATIVE:
    write_dyn_reloc(p, d->kind, addr, 0, symbol_definition_address(d->sym));
    break;
  default:
    write_dyn_reloc(p, d->kind, addr, d->sym->aux->dynsym_index, A);
    break;
  }
}

static bool size_rela_dyn(Ctx *ctx, InputSection *isec) {
  if (!is_pic(ctx) && !ctx->dynamic)
    return false;
  isec->sh_size = sizeof(Elf64_Rela) * (uint64_t)ctx->dyn_relocs.len;
  // The RELATIVE entries that will be written, for DT_RELACOUNT.
  ctx->dyn_relative = 0;
  for (size_t i = 0; i < ctx->dyn_relocs.len; i++) {
    DynReloc *d = ctx->dyn_relocs.data[i];
    if (d->kind == DYN_RELATIVE && is_in_output(d))
      ctx->dyn_relative++;
  }
  return true;
}

static void write_rela_dyn(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  uint8_t *p = buf, *end = buf + isec->sh_size;
  for (size_t i = 0; i < ctx->dyn_relocs.len; i++) {
    DynReloc *d = ctx->dyn_relocs.data[i];
    if (!is_in_output(d))
      continue;
    uint64_t addr = d->isec->osec->addr + isec_output_offset(d->isec, d->offset, NULL);
    write_dyn_entry(ctx, p, d, addr);
    p += sizeof(Elf64_Rela);
  }
  for (; p < end; p += sizeof(Elf64_Rela))
    write_dyn_reloc(p, DYN_NONE, 0, 0, 0);
}

static void link_rela_dyn(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSYM]->osec->shndx;
}

const SyntheticKind rela_dyn_section = {
  .name = ".rela.dyn",
  .sh_type = SHT_RELA,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .sh_entsize = sizeof(Elf64_Rela),
  .size = size_rela_dyn,
  .write = write_rela_dyn,
  .link = link_rela_dyn,
};
