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
 *   TP the thread pointer (just above the TLS block), TLS the block's start
 *
 * What each type computes comes from arch_x86_64.c; what to do with each
 * relocation (apply it as is, or rewrite the instruction around it) was decided by
 * scan_relocs and recorded in InputSection.actions, which this file obeys without
 * deciding again. Every value is checked against the width of its field before it
 * is stored: a value that does not fit is an error naming the place, never a
 * silently truncated address.
 *
 * The work is in two steps, both used by --explain-reloc (explain_relocs.c) too,
 * so that what it shows is what was done: work_out_reloc picks the formula and its
 * operands and computes the value; rewrite_instruction makes the GOT or TLS
 * rewrite scan_relocs chose. The formulas are listed once, as text and as
 * arithmetic, side by side (formula_text, evaluate).
 *
 * A sub-step of write_output, on the output image. Reads everything layout fixed.
 */
#include "../ld.h"

#include <inttypes.h>
#include <string.h>

const char *formula_text(RelFormula f) {
  switch (f) {
  case F_NONE: return "(nothing is stored)";
  case F_S: return "S";
  case F_S_A: return "S + A";
  case F_S_A_P: return "S + A - P";
  case F_G_A: return "G + A";
  case F_G_GOT_A_P: return "G + GOT + A - P";
  case F_G_GOT_P_4: return "G + GOT - P - 4";
  case F_GOT_A_P: return "GOT + A - P";
  case F_S_A_GOT: return "S + A - GOT";
  case F_Z_A: return "Z + A";
  case F_S_A_TP: return "S + A - TP";
  case F_S_A_4_TP: return "S + A + 4 - TP";
  case F_S_A_TLS: return "S + A - TLS";
  }
  return "?";
}

// The arithmetic of each formula. (Inlined where relocations are applied: this is
// the linker's inner loop.)
static inline uint64_t evaluate(const RelocValue *v) {
  switch (v->formula) {
  case F_NONE: return 0;
  case F_S: return v->S;
  case F_S_A: return v->S + v->A;
  case F_S_A_P: return v->S + v->A - v->P;
  case F_G_A: return v->G + v->A;
  case F_G_GOT_A_P: return v->G + v->GOT + v->A - v->P;
  case F_G_GOT_P_4: return v->G + v->GOT - v->P - 4;
  case F_GOT_A_P: return v->GOT + v->A - v->P;
  case F_S_A_GOT: return v->S + v->A - v->GOT;
  case F_Z_A: return v->Z + v->A;
  case F_S_A_TP: return v->S + v->A - v->TP;
  case F_S_A_4_TP: return v->S + v->A + 4 - v->TP;
  case F_S_A_TLS: return v->S + v->A - v->TLS;
  }
  return 0;
}

uint64_t formula_value(const RelocValue *v) { return evaluate(v); }

static inline bool fits(uint64_t v, uint8_t width, int check, int64_t *lo, int64_t *hi) {
  if (width >= 8 || check == CHECK_NONE)
    return true;
  int bits = width * 8;
  int64_t smin = -((int64_t)1 << (bits - 1)), smax = ((int64_t)1 << (bits - 1)) - 1;
  int64_t umax = (int64_t)(((uint64_t)1 << bits) - 1);
  int64_t sv = (int64_t)v;
  *lo = check == CHECK_UNSIGNED ? 0 : smin;
  *hi = check == CHECK_SIGNED ? smax : umax;
  return sv >= *lo && sv <= *hi;
}

bool reloc_fits(uint64_t v, uint8_t width, int check, int64_t *lo, int64_t *hi) {
  return fits(v, width, check, lo, hi);
}

// Checks that v fits a field of `width` bytes under `check`, and stores it
// little-endian. Reports an overflow with the range that would have fitted.
static void store(Ctx *ctx, InputSection *isec, const Elf64_Rela *rel, const Symbol *sym,
                  uint8_t *loc, uint64_t v, uint8_t width, int check) {
  int64_t lo, hi;
  if (!fits(v, width, check, &lo, &hi)) {
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    error("%s: relocation %s out of range: %" PRId64 " is not in [%" PRId64 ", %" PRId64
          "]; references '%s'",
          place(ctx, isec, rel->r_offset), reloc_name(ctx, type), (int64_t)v, lo, hi,
          symbol_label(sym));
    return;
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

// The formula a relocation type asks for by itself, before any rewrite.
static inline RelFormula type_formula(Ctx *ctx, const InputSection *isec, RelExpr expr) {
  switch (expr) {
  case RX_NONE: return F_NONE;
  case RX_ABS: return F_S_A;
  case RX_PC: return F_S_A_P;
  case RX_GOT: return F_G_A;
  case RX_GOTPCREL: return F_G_GOT_A_P;
  case RX_GOTPC: return F_GOT_A_P;
  case RX_GOTOFF: return F_S_A_GOT;
  case RX_SIZE: return F_Z_A;
  case RX_TPOFF: return F_S_A_TP;
  case RX_DTPOFF:
    // Code reaches variables through %fs:0 once local dynamic became local exec;
    // debug information, and a shared library's code (which asked for its
    // block's address), keep offsets from the start of the TLS block.
    return (isec->sh_flags & SHF_ALLOC) && !ctx->opt.shared ? F_S_A_TP : F_S_A_TLS;
  case RX_GOTTPOFF:
  case RX_TLSGD:
  case RX_TLSLD:
  case RX_TLSDESC:
    return F_G_GOT_A_P;  // a GOT slot (or pair, or descriptor) for the variable
  case RX_TLSDESC_CALL: return F_NONE;
  }
  return F_NONE;
}

// work_out_reloc's body. apply_relocs is the linker's inner loop, and has it inlined:
// called as a function, it made relocating cost a third more instructions
// (callgrind, a static glibc link).
__attribute__((always_inline)) static inline void work_out(Ctx *ctx, const InputSection *isec,
                                                           uint64_t i, uint64_t P,
                                                           RelocValue *v) {
  const Elf64_Rela *rel = &isec->rels[i];
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  RelocHowto h = reloc_howto(type);
  RelAction act = isec->actions ? (RelAction)isec->actions[i] : ACT_AS_IS;
  const Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
  uint64_t A = (uint64_t)rel->r_addend;
  uint64_t GOT = ctx->got_addr;
  *v = (RelocValue){
    .A = A, .P = P, .GOT = GOT, .TP = ctx->tp, .TLS = ctx->tls_start, .Z = sym->size,
    .S = symbol_address_for(sym, A), .width = h.width, .check = h.check,
    .type_formula = type_formula(ctx, isec, h.expr),
  };
  // G: the slot's offset from the GOT base (slots are in .got, the base may be
  // .got.plt's start).
  if (sym->aux->got_index >= 0)
    v->G = ctx->got_slots + 8 * (uint64_t)sym->aux->got_index - GOT;
  // TLS: offsets from the thread pointer. An undefined weak TLS symbol has none:
  // its offset is 0.
  if (sym->state == SYM_UNDEF)
    v->TP = 0;
  uint64_t field;

  switch (act) {
  case ACT_AS_IS:
    break;
  case ACT_GOT_TO_LEA:
  case ACT_GOT_TO_CALL:
  case ACT_GOT_TO_JMP:
    v->formula = F_S_A_P;
    v->width = 4;
    v->check = CHECK_SIGNED;
    v->value = evaluate(v);
    return;
  case ACT_GOT_TO_TEST:
  case ACT_GOT_TO_BINOP:
    v->formula = F_S;
    v->width = 4;
    v->check = CHECK_SIGNED;
    v->value = evaluate(v);
    return;
  case ACT_TLS_TO_LE:
    // The field (if the sequence keeps one) became an immediate: the offset
    // itself, without the -4 that made the PC-relative form point past the
    // instruction.
    if (!relax_tls(isec->data, NULL, rel->r_offset, type, &field))
      internal_error("%s: TLS sequence no longer matches", place(ctx, isec, rel->r_offset));
    v->formula = F_NONE;
    v->width = 0;
    if (field != UINT64_MAX) {
      v->formula = F_S_A_4_TP;
      v->field = (int64_t)(field - rel->r_offset);
      v->width = 4;
      v->check = CHECK_SIGNED;
    }
    v->value = evaluate(v);
    return;
  case ACT_TLS_TO_IE:
    if (!relax_tls_to_ie(isec->data, NULL, rel->r_offset, type, &field))
      internal_error("%s: TLS sequence no longer matches", place(ctx, isec, rel->r_offset));
    v->formula = F_NONE;
    v->width = 0;
    if (field != UINT64_MAX) {
      // The field ends its instruction: the displacement is from the field's end,
      // and the field may have moved (P is then the field's new address).
      v->formula = F_G_GOT_P_4;
      v->field = (int64_t)(field - rel->r_offset);
      v->P = P + (uint64_t)v->field;
      v->G = ctx->got_slots + 8 * (uint64_t)sym->aux->gottp_index - GOT;
      v->width = 4;
      v->check = CHECK_SIGNED;
    }
    v->value = evaluate(v);
    return;
  case ACT_TLS_GOT_TP:
    v->formula = F_G_GOT_A_P;
    v->G = ctx->got_slots + 8 * (uint64_t)sym->aux->gottp_index - GOT;
    v->value = evaluate(v);
    return;
  case ACT_SKIP:
    v->formula = F_NONE;
    v->width = 0;
    return;
  }

  v->formula = v->type_formula;
  switch (h.expr) {
  case RX_TLSGD:
  case RX_TLSLD:
  case RX_TLSDESC: {
    // A shared library keeps its TLS sequences: the field points at the GOT pair
    // (or descriptor) the dynamic linker fills.
    int64_t slot = h.expr == RX_TLSGD   ? sym->aux->tlsgd_index
                   : h.expr == RX_TLSLD ? ctx->tlsld_index
                                        : sym->aux->tlsdesc_index;
    if (!ctx->opt.shared || slot < 0)
      internal_error("%s: %s has no recorded action", place(ctx, isec, rel->r_offset),
                     h.name);
    v->G = ctx->got_slots + 8 * (uint64_t)slot - GOT;
    break;
  }
  case RX_TLSDESC_CALL:
    if (!ctx->opt.shared)
      internal_error("%s: %s has no recorded action", place(ctx, isec, rel->r_offset),
                     h.name);
    break;  // the call through the descriptor stays as it is
  case RX_GOTTPOFF:
    internal_error("%s: %s has no recorded action", place(ctx, isec, rel->r_offset), h.name);
  default:
    break;
  }
  if (v->formula == F_NONE)
    v->width = 0;
  v->value = evaluate(v);
}

void work_out_reloc(Ctx *ctx, const InputSection *isec, uint64_t i, uint64_t P,
                    RelocValue *v) {
  work_out(ctx, isec, i, P, v);
}

void rewrite_instruction(Ctx *ctx, const InputSection *isec, uint64_t i, uint8_t *out) {
  const Elf64_Rela *rel = &isec->rels[i];
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  RelAction act = isec->actions ? (RelAction)isec->actions[i] : ACT_AS_IS;
  uint64_t field;
  switch (act) {
  case ACT_GOT_TO_LEA:
  case ACT_GOT_TO_CALL:
  case ACT_GOT_TO_JMP:
  case ACT_GOT_TO_TEST:
  case ACT_GOT_TO_BINOP:
    got_relax_rewrite(out + rel->r_offset, act);
    break;
  case ACT_TLS_TO_LE:
    if (!relax_tls(isec->data, out, rel->r_offset, type, &field))
      internal_error("%s: TLS sequence no longer matches", place(ctx, isec, rel->r_offset));
    break;
  case ACT_TLS_TO_IE:
    if (!relax_tls_to_ie(isec->data, out, rel->r_offset, type, &field))
      internal_error("%s: TLS sequence no longer matches", place(ctx, isec, rel->r_offset));
    break;
  case ACT_AS_IS:
  case ACT_TLS_GOT_TP:
  case ACT_SKIP:
    break;
  }
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
    RelAction act = isec->actions ? (RelAction)isec->actions[i] : ACT_AS_IS;
    Symbol *sym = file->syms[ELF64_R_SYM(rel->r_info)];
    uint8_t *loc = out + (rel->r_offset - base);
    if (act == ACT_SKIP)
      continue;
    // Instruction rewrites (GOT and TLS relaxation) only happen in code, which is
    // always relocated whole.
    if (rec && act != ACT_AS_IS) {
      error("%s: unexpected %s in .eh_frame", place(ctx, isec, rel->r_offset),
            reloc_name(ctx, ELF64_R_TYPE(rel->r_info)));
      continue;
    }

    // A reference from kept code or data into a discarded section would point at
    // nothing. Tables that describe code may: debug information and the unwind
    // tables (.eh_frame, .gcc_except_table) of a discarded COMDAT copy still hold
    // entries for it, which then describe address 0, where no code is.
    // (A settled symbol's section is kept: that is read without reading the section.)
    if (alloc && sym->state == SYM_DEFINED && !sym->settled && sym->isec &&
        !sym->isec->is_alive && !describes_code(isec)) {
      error("%s: relocation refers to '%s' in discarded section '%s'",
            place(ctx, isec, rel->r_offset), symbol_label(sym), sym->isec->name);
      continue;
    }

    RelocValue v;
    work_out(ctx, isec, i, out_addr + (rel->r_offset - base), &v);
    if (act != ACT_AS_IS)
      rewrite_instruction(ctx, isec, i, out);
    if (v.width)
      store(ctx, isec, rel, sym, loc + v.field, v.value, v.width, v.check);
  }
}
