/*
 * arch_x86_64.c — everything mini-ld knows about x86-64 relocations.
 *
 * This is the only file that names R_X86_64_* (numbers from the System V x86-64 psABI,
 * §4.4.1, table 4.9 "Relocation Types"). It turns each type into a generic recipe:
 * what to compute, in the psABI's letters, how many bytes to store and how to check
 * the value fits. apply_relocs.c then does the arithmetic for every type alike.
 *
 * The code model. gcc's default "small" model assumes the program's code and data
 * lie in the low 2 GiB of the address space, so a 32-bit PC-relative displacement
 * reaches everything (PC32), and an absolute address fits a sign-extended 32-bit
 * immediate (32S) or a zero-extended one (32). Base 0x400000 keeps us well inside.
 * Whatever does not fit is a link error, never silently truncated code.
 *
 * Why PLT32 is PC32 here. A PLT entry exists so that a call can be redirected at run
 * time to a function in a shared library. A static executable has no shared
 * libraries: every function's address is final at link time, so `call foo@PLT` can
 * go straight to foo, and L + A - P is just S + A - P.
 *
 * Why GOT loads can disappear. `mov foo@GOTPCREL(%rip), %rax` loads foo's address
 * from a GOT slot. When the linker knows that address, the psABI (Appendix B,
 * "Linker Optimizations") lets it rewrite the instruction — if the compiler marked
 * the relocation GOTPCRELX or REX_GOTPCRELX — so that no slot and no load are needed:
 *
 *   mov  foo@GOTPCREL(%rip), %reg   8b /r        -> lea  foo(%rip), %reg   8d /r
 *   call *foo@GOTPCREL(%rip)        ff 15        -> addr32 call foo        67 e8
 *   jmp  *foo@GOTPCREL(%rip)        ff 25        -> nop; jmp foo           90 e9
 *   test %reg, foo@GOTPCREL(%rip)   85 /r        -> test $foo, %reg        f7 /0 imm32
 *   add/or/adc/sbb/and/sub/xor/cmp  03+8n /r     -> op $foo, %reg          81 /n imm32
 *
 * The last two need foo's absolute address as an immediate, which a non-PIC
 * executable like ours may use. In every form the 32-bit field stays where it was,
 * so the relocation's offset does not move.
 */
#include "ld.h"

#include <stdio.h>

#define R(type, expr, width, check) \
  [R_X86_64_##type] = {"R_X86_64_" #type, expr, width, check, true, false}
#define R_TODO(type) [R_X86_64_##type] = {"R_X86_64_" #type, RX_NONE, 0, CHECK_NONE, false, false}

static const RelocHowto howtos[] = {
  R(NONE, RX_NONE, 0, CHECK_NONE),
  R(64, RX_ABS, 8, CHECK_NONE),
  R(PC32, RX_PC, 4, CHECK_SIGNED),
  R(GOT32, RX_GOT, 4, CHECK_SIGNED),
  R(PLT32, RX_PC, 4, CHECK_SIGNED),
  R_TODO(COPY),
  R_TODO(GLOB_DAT),
  R_TODO(JUMP_SLOT),
  R_TODO(RELATIVE),
  R(GOTPCREL, RX_GOTPCREL, 4, CHECK_SIGNED),
  R(32, RX_ABS, 4, CHECK_UNSIGNED),
  R(32S, RX_ABS, 4, CHECK_SIGNED),
  R(16, RX_ABS, 2, CHECK_EITHER),
  R(PC16, RX_PC, 2, CHECK_SIGNED),
  R(8, RX_ABS, 1, CHECK_EITHER),
  R(PC8, RX_PC, 1, CHECK_SIGNED),
  R_TODO(DTPMOD64),
  R_TODO(DTPOFF64),
  R_TODO(TPOFF64),
  R_TODO(TLSGD),
  R_TODO(TLSLD),
  R_TODO(DTPOFF32),
  R_TODO(GOTTPOFF),
  R_TODO(TPOFF32),
  R(PC64, RX_PC, 8, CHECK_NONE),
  R(GOTOFF64, RX_GOTOFF, 8, CHECK_NONE),
  R(GOTPC32, RX_GOTPC, 4, CHECK_SIGNED),
  R(GOT64, RX_GOT, 8, CHECK_NONE),
  R(GOTPCREL64, RX_GOTPCREL, 8, CHECK_NONE),
  R(GOTPC64, RX_GOTPC, 8, CHECK_NONE),
  // In a static link there is no PLT: its GOT entry is the ordinary one, and an
  // offset of the PLT entry from the GOT is the function's offset.
  R(GOTPLT64, RX_GOT, 8, CHECK_NONE),
  R(PLTOFF64, RX_GOTOFF, 8, CHECK_NONE),
  R(SIZE32, RX_SIZE, 4, CHECK_UNSIGNED),
  R(SIZE64, RX_SIZE, 8, CHECK_NONE),
  R_TODO(GOTPC32_TLSDESC),
  R_TODO(TLSDESC_CALL),
  R_TODO(TLSDESC),
  R_TODO(IRELATIVE),
  R_TODO(RELATIVE64),
  [R_X86_64_GOTPCRELX] = {"R_X86_64_GOTPCRELX", RX_GOTPCREL, 4, CHECK_SIGNED, true, true},
  [R_X86_64_REX_GOTPCRELX] = {"R_X86_64_REX_GOTPCRELX", RX_GOTPCREL, 4, CHECK_SIGNED, true,
                              true},
};

RelocHowto reloc_howto(uint32_t type) {
  if (type < sizeof howtos / sizeof howtos[0] && howtos[type].name)
    return howtos[type];
  return (RelocHowto){0};
}

const char *reloc_name(Ctx *ctx, uint32_t type) {
  RelocHowto h = reloc_howto(type);
  return h.name ? h.name : arena_printf(&ctx->arena, "type %u", type);
}

// Looks at the instruction whose 32-bit displacement starts at `off` in `insn` (the
// section's input bytes) and says how the GOT load can be rewritten.
GotRelax got_relax_form(View insn, uint64_t off, uint32_t type) {
  if (off < 2)
    return RELAX_NONE;
  uint8_t op = insn.data[off - 2], modrm = insn.data[off - 1];
  // The operand must be (%rip)+disp32: mod = 00, r/m = 101.
  bool riprel = (modrm & 0xc7) == 0x05;
  if (type == R_X86_64_GOTPCRELX) {
    if (op == 0xff && modrm == 0x15)
      return RELAX_CALL;
    if (op == 0xff && modrm == 0x25)
      return RELAX_JMP;
    if (op == 0x8b && riprel)
      return RELAX_MOV;
    return RELAX_NONE;
  }
  if (type != R_X86_64_REX_GOTPCRELX || off < 3 || !riprel)
    return RELAX_NONE;
  uint8_t rex = insn.data[off - 3];
  if ((rex & 0xf0) != 0x40)
    return RELAX_NONE;
  if (op == 0x8b)
    return RELAX_MOV;
  // The immediate forms sign-extend a 32-bit value into a 64-bit register, which is
  // only right for a REX.W operation.
  if (!(rex & 0x08))
    return RELAX_NONE;
  if (op == 0x85)
    return RELAX_TEST;
  if ((op & 0xc7) == 0x03)
    return RELAX_BINOP;
  return RELAX_NONE;
}

void got_relax_rewrite(uint8_t *loc, GotRelax form) {
  uint8_t modrm = loc[-1];
  uint8_t reg = (modrm >> 3) & 7;
  switch (form) {
  case RELAX_NONE:
    break;
  case RELAX_MOV:
    loc[-2] = 0x8d;
    break;
  case RELAX_CALL:
    loc[-2] = 0x67;  // addr32 prefix: pads the 5-byte call to the original 6 bytes
    loc[-1] = 0xe8;
    break;
  case RELAX_JMP:
    loc[-2] = 0x90;
    loc[-1] = 0xe9;
    break;
  case RELAX_TEST:
  case RELAX_BINOP: {
    // The register moves from ModRM.reg to ModRM.r/m, so REX.R becomes REX.B.
    uint8_t rex = loc[-3];
    loc[-3] = (uint8_t)((rex & ~0x04) | ((rex & 0x04) >> 2));
    if (form == RELAX_TEST) {
      loc[-2] = 0xf7;
      loc[-1] = (uint8_t)(0xc0 | reg);
    } else {
      uint8_t n = (uint8_t)(loc[-2] >> 3);  // which of the eight operations
      loc[-2] = 0x81;
      loc[-1] = (uint8_t)(0xc0 | (n << 3) | reg);
    }
    break;
  }
  }
}
