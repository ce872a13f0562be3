/*
 * apply_relocs.c — patch the copied section bytes with final addresses.
 *
 * The compiler could not know where anything would end up, so it left a relocation
 * at each place that needs an address: "here, 4 bytes, put S + A - P". Now that
 * layout has fixed every address, each one is computed and stored, with the
 * psABI's letters (x86-64 psABI §4.4):
 *
 *   S  the symbol's address          A  the addend stored in the relocation
 *   P  the address being patched     Z  the symbol's size
 *   G  the offset of the symbol's GOT slot from the GOT's base, GOT the base
 *
 * What each type computes comes from arch_x86_64.c; what to do with each
 * relocation (apply it as is, or rewrite the instruction around it) was decided by
 * scan_relocs and recorded in InputSection.actions, which this file obeys without
 * deciding again. Every value is checked against the width of its field before it
 * is stored: a value that does not fit is an error naming the place, never a
 * silently truncated address.
 *
 * A sub-step of write_output, on the output image. Reads everything layout fixed.
 */
#include "../ld.h"

#include <inttypes.h>
#include <string.h>

// Checks that v fits a field of `width` bytes under `check`, and stores it
// little-endian. Reports an overflow with the range that would have fitted.
static void store(Ctx *ctx, InputSection *isec, const Elf64_Rela *rel, const Symbol *sym,
                  uint8_t *loc, uint64_t v, uint8_t width, RangeCheck check) {
  if (width < 8 && check != CHECK_NONE) {
    int bits = width * 8;
    int64_t smin = -((int64_t)1 << (bits - 1)), smax = ((int64_t)1 << (bits - 1)) - 1;
    int64_t umax = (int64_t)(((uint64_t)1 << bits) - 1);
    int64_t sv = (int64_t)v;
    int64_t lo = check == CHECK_UNSIGNED ? 0 : smin;
    int64_t hi = check == CHECK_SIGNED ? smax : umax;
    if (sv < lo || sv > hi) {
      uint32_t type = ELF64_R_TYPE(rel->r_info);
      error("%s: relocation %s out of range: %" PRId64 " is not in [%" PRId64 ", %" PRId64
            "]; references '%s'",
            place(ctx, isec, rel->r_offset), reloc_name(ctx, type), sv, lo, hi,
            symbol_label(sym));
      return;
    }
  }
  switch (width) {
  case 1: *loc = (uint8_t)v; break;
  case 2: write_u16le(loc, (uint16_t)v); break;
  case 4: write_u32le(loc, (uint32_t)v); break;
  case 8: write_u64le(loc, v); break;
  }
}

static bool describes_code(const InputSection *isec) {
  return !strcmp(isec->name, ".eh_frame") || !strncmp(isec->name, ".gcc_except_table", 17);
}

void apply_relocs(Ctx *ctx, InputSection *isec, uint8_t *out, const EhRecord *rec) {
  InputFile *file = isec->file;
  bool alloc = isec->sh_flags & SHF_ALLOC;
  // Offsets below are from `base` in the input and land at `out` in the output.
  uint64_t base = rec ? rec->in_off : 0;
  uint64_t out_addr = !alloc ? 0 : rec ? isec->osec->addr + rec->out_off : isec_address(isec);
  uint64_t end = rec ? rec->rel_end : isec->nrels;
  for (uint64_t i = rec ? rec->rel_begin : 0; i < end; i++) {
    const Elf64_Rela *rel = &isec->rels[i];
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    RelocHowto h = reloc_howto(type);
    RelAction act = isec->actions ? (RelAction)isec->actions[i] : ACT_AS_IS;
    Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
    uint8_t *loc = out + (rel->r_offset - base);
    if (act == ACT_SKIP)
      continue;
    // Instruction rewrites (GOT and TLS relaxation) only happen in code, which is
    // always relocated whole.
    if (rec && act != ACT_AS_IS) {
      error("%s: unexpected %s in .eh_frame", place(ctx, isec, rel->r_offset), h.name);
      continue;
    }

    // A reference from kept code or data into a discarded section would point at
    // nothing. Tables that describe code may: debug information and the unwind
    // tables (.eh_frame, .gcc_except_table) of a discarded COMDAT copy still hold
    // entries for it, which then describe address 0, where no code is.
    if (alloc && sym->state == SYM_DEFINED && sym->isec && !sym->isec->is_alive &&
        !describes_code(isec)) {
      error("%s: relocation refers to '%s' in discarded section '%s'",
            place(ctx, isec, rel->r_offset), symbol_label(sym), sym->isec->name);
      continue;
    }

    uint64_t A = (uint64_t)rel->r_addend;
    uint64_t S = symbol_address_for(sym, A);
    uint64_t P = out_addr + (rel->r_offset - base);
    uint64_t GOT = ctx->got_addr;
    // G: the slot's offset from the GOT base (slots are in .got, the base may be
    // .got.plt's start).
    uint64_t G = sym->got_index >= 0 ? ctx->got_slots + 8 * (uint64_t)sym->got_index - GOT : 0;
    uint64_t Z = sym->size;
    // TLS: offsets from the thread pointer. An undefined weak TLS symbol has none:
    // its offset is 0.
    uint64_t TP = ctx->tp;
    if (sym->state == SYM_UNDEF)
      TP = 0;
    uint64_t field;

    switch (act) {
    case ACT_AS_IS:
      break;
    case ACT_GOT_TO_LEA:
    case ACT_GOT_TO_CALL:
    case ACT_GOT_TO_JMP:
      got_relax_rewrite(loc, act);
      store(ctx, isec, rel, sym, loc, S + A - P, 4, CHECK_SIGNED);
      continue;
    case ACT_GOT_TO_TEST:
    case ACT_GOT_TO_BINOP:
      got_relax_rewrite(loc, act);
      store(ctx, isec, rel, sym, loc, S, 4, CHECK_SIGNED);
      continue;
    case ACT_TLS_TO_LE:
      // The field (if the sequence keeps one) became an immediate: the offset
      // itself, without the -4 that made the PC-relative form point past the
      // instruction.
      if (!relax_tls(isec->data, out, rel->r_offset, type, &field))
        internal_error("%s: TLS sequence no longer matches", place(ctx, isec, rel->r_offset));
      if (field != UINT64_MAX)
        store(ctx, isec, rel, sym, out + field, S + A + 4 - TP, 4, CHECK_SIGNED);
      continue;
    case ACT_TLS_TO_IE:
      if (!relax_tls_to_ie(isec->data, out, rel->r_offset, type, &field))
        internal_error("%s: TLS sequence no longer matches", place(ctx, isec, rel->r_offset));
      // The field ends its instruction: the displacement is from the field's end.
      if (field != UINT64_MAX)
        store(ctx, isec, rel, sym, out + field,
              ctx->got_slots + 8 * (uint64_t)sym->gottp_index - (out_addr + field + 4), 4,
              CHECK_SIGNED);
      continue;
    case ACT_TLS_GOT_TP:
      store(ctx, isec, rel, sym, loc, ctx->got_slots + 8 * (uint64_t)sym->gottp_index + A - P,
            h.width, h.check);
      continue;
    case ACT_SKIP:
      continue;
    }

    switch (h.expr) {
    case RX_NONE:
      break;
    case RX_ABS:
      store(ctx, isec, rel, sym, loc, S + A, h.width, h.check);
      break;
    case RX_PC:
      store(ctx, isec, rel, sym, loc, S + A - P, h.width, h.check);
      break;
    case RX_GOT:
      store(ctx, isec, rel, sym, loc, G + A, h.width, h.check);
      break;
    case RX_GOTPCREL:
      store(ctx, isec, rel, sym, loc, GOT + G + A - P, h.width, h.check);
      break;
    case RX_GOTPC:
      store(ctx, isec, rel, sym, loc, GOT + A - P, h.width, h.check);
      break;
    case RX_GOTOFF:
      store(ctx, isec, rel, sym, loc, S + A - GOT, h.width, h.check);
      break;
    case RX_SIZE:
      store(ctx, isec, rel, sym, loc, Z + A, h.width, h.check);
      break;
    case RX_TPOFF:
      store(ctx, isec, rel, sym, loc, S + A - TP, h.width, h.check);
      break;
    case RX_DTPOFF:
      // Code reaches variables through %fs:0 once local dynamic became local exec;
      // debug information, and a shared library's code (which asked for its
      // block's address), keep offsets from the start of the TLS block.
      store(ctx, isec, rel, sym, loc,
            S + A - (alloc && !ctx->opt.shared ? TP : ctx->tls_start), h.width, h.check);
      break;
    case RX_TLSGD:
    case RX_TLSLD:
    case RX_TLSDESC: {
      // A shared library keeps its TLS sequences: the field points at the GOT pair
      // (or descriptor) the dynamic linker fills.
      int64_t slot = h.expr == RX_TLSGD   ? sym->tlsgd_index
                     : h.expr == RX_TLSLD ? ctx->tlsld_index
                                          : sym->tlsdesc_index;
      if (!ctx->opt.shared || slot < 0)
        internal_error("%s: %s has no recorded action", place(ctx, isec, rel->r_offset),
                       h.name);
      store(ctx, isec, rel, sym, loc, ctx->got_slots + 8 * (uint64_t)slot + A - P, h.width,
            h.check);
      break;
    }
    case RX_TLSDESC_CALL:
      if (!ctx->opt.shared)
        internal_error("%s: %s has no recorded action", place(ctx, isec, rel->r_offset),
                       h.name);
      break;  // the call through the descriptor stays as it is
    case RX_GOTTPOFF:
      internal_error("%s: %s has no recorded action", place(ctx, isec, rel->r_offset), h.name);
    }
  }
}
