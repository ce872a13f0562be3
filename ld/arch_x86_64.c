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
#include <string.h>

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
  R(DTPOFF64, RX_DTPOFF, 8, CHECK_NONE),
  R(TPOFF64, RX_TPOFF, 8, CHECK_NONE),
  R(TLSGD, RX_TLSGD, 4, CHECK_SIGNED),
  R(TLSLD, RX_TLSLD, 4, CHECK_SIGNED),
  R(DTPOFF32, RX_DTPOFF, 4, CHECK_SIGNED),
  R(GOTTPOFF, RX_GOTTPOFF, 4, CHECK_SIGNED),
  R(TPOFF32, RX_TPOFF, 4, CHECK_SIGNED),
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
  R(GOTPC32_TLSDESC, RX_TLSDESC, 4, CHECK_SIGNED),
  R(TLSDESC_CALL, RX_TLSDESC_CALL, 0, CHECK_NONE),
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
RelAction got_relax_form(View insn, uint64_t off, uint32_t type) {
  if (off < 2)
    return ACT_AS_IS;
  uint8_t op = insn.data[off - 2], modrm = insn.data[off - 1];
  // The operand must be (%rip)+disp32: mod = 00, r/m = 101.
  bool riprel = (modrm & 0xc7) == 0x05;
  if (type == R_X86_64_GOTPCRELX) {
    if (op == 0xff && modrm == 0x15)
      return ACT_GOT_TO_CALL;
    if (op == 0xff && modrm == 0x25)
      return ACT_GOT_TO_JMP;
    if (op == 0x8b && riprel)
      return ACT_GOT_TO_LEA;
    return ACT_AS_IS;
  }
  if (type != R_X86_64_REX_GOTPCRELX || off < 3 || !riprel)
    return ACT_AS_IS;
  uint8_t rex = insn.data[off - 3];
  if ((rex & 0xf0) != 0x40)
    return ACT_AS_IS;
  if (op == 0x8b)
    return ACT_GOT_TO_LEA;
  // The immediate forms sign-extend a 32-bit value into a 64-bit register, which is
  // only right for a REX.W operation.
  if (!(rex & 0x08))
    return ACT_AS_IS;
  if (op == 0x85)
    return ACT_GOT_TO_TEST;
  if ((op & 0xc7) == 0x03)
    return ACT_GOT_TO_BINOP;
  return ACT_AS_IS;
}

void got_relax_rewrite(uint8_t *loc, RelAction form) {
  uint8_t modrm = loc[-1];
  uint8_t reg = (modrm >> 3) & 7;
  switch (form) {
  case ACT_AS_IS:
  case ACT_TLS_TO_IE:
  case ACT_TLS_TO_LE:
  case ACT_TLS_GOT_TP:
  case ACT_SKIP:
    break;
  case ACT_GOT_TO_LEA:
    loc[-2] = 0x8d;
    break;
  case ACT_GOT_TO_CALL:
    loc[-2] = 0x67;  // addr32 prefix: pads the 5-byte call to the original 6 bytes
    loc[-1] = 0xe8;
    break;
  case ACT_GOT_TO_JMP:
    loc[-2] = 0x90;
    loc[-1] = 0xe9;
    break;
  case ACT_GOT_TO_TEST:
  case ACT_GOT_TO_BINOP: {
    // The register moves from ModRM.reg to ModRM.r/m, so REX.R becomes REX.B.
    uint8_t rex = loc[-3];
    loc[-3] = (uint8_t)((rex & ~0x04) | ((rex & 0x04) >> 2));
    if (form == ACT_GOT_TO_TEST) {
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

/*
 * Thread-local storage in a static executable (the psABI's "ELF Handling For
 * Thread-Local Storage", x86-64 part, and its TLSDESC supplement).
 *
 * A compiler does not know whether a __thread variable will end up in the
 * executable or in a shared library loaded later, so it may emit a general sequence
 * that asks the runtime (__tls_get_addr, or a TLS descriptor) for the address. In a
 * static executable every TLS variable lives in the one TLS block, at a fixed
 * offset from the thread pointer %fs:0 (x86-64 uses variant II: the block sits just
 * below the thread pointer, so offsets are negative). The linker therefore rewrites
 * each sequence into the "local exec" form, which just adds that offset:
 *
 *   general dynamic (TLSGD, 16 bytes)
 *     66 48 8d 3d <x@tlsgd>        data16 lea x@tlsgd(%rip), %rdi
 *     66 66 48 e8 <__tls_get_addr> data16 data16 rex64 call __tls_get_addr@PLT
 *     (or 66 48 ff 15 <...>: call *__tls_get_addr@GOTPCREL(%rip), with -fno-plt)
 *   -> 64 48 8b 04 25 00 00 00 00  mov %fs:0, %rax
 *      48 8d 80 <x@tpoff>          lea x@tpoff(%rax), %rax
 *
 *   (-mcmodel=large calls through "movabs $__tls_get_addr@PLTOFF64, %rax; add %rbx,
 *   %rax; call *%rax" instead: 22 bytes, rewritten to the same two instructions
 *   plus a nop, or for local dynamic to a 13-byte nop and the load of %fs:0)
 *
 *   local dynamic (TLSLD, 12 or 13 bytes), then DTPOFF32 offsets per variable
 *     48 8d 3d <x@tlsld>           lea x@tlsld(%rip), %rdi
 *     e8 <__tls_get_addr>          call __tls_get_addr@PLT   (or ff 15 <...>)
 *   -> 66 66 66 [66] 64 48 8b 04 25 00 00 00 00   mov %fs:0, %rax (padded with prefixes)
 *
 *   initial exec (GOTTPOFF): the offset is loaded from a GOT slot
 *     48/4c 8b /r <x@gottpoff>     mov x@gottpoff(%rip), %reg
 *   -> 48/49 c7 c0+r <x@tpoff>     mov $x@tpoff, %reg
 *     48/4c 03 /r <x@gottpoff>     add x@gottpoff(%rip), %reg
 *   -> 48/4d 8d 80+r <x@tpoff>     lea x@tpoff(%reg), %reg   (add $imm for %rsp)
 *
 *   TLS descriptors (GOTPC32_TLSDESC, TLSDESC_CALL)
 *     48 8d 05 <x@tlsdesc>         lea x@tlsdesc(%rip), %rax
 *   -> 48 c7 c0 <x@tpoff>          mov $x@tpoff, %rax
 *     ff 10                        call *x@tlsdesc(%rax)
 *   -> 66 90                       xchg %ax, %ax (a 2-byte nop)
 *
 * An initial-exec load we do not recognise keeps its GOT slot, which then holds the
 * offset; the other sequences must match exactly, or the link fails.
 */
static bool bytes_at(View in, uint64_t off, int64_t delta, const uint8_t *want, size_t n) {
  if ((delta < 0 && off < (uint64_t)-delta) || !view_has(in, off + (uint64_t)delta, n))
    return false;
  return !memcmp(in.data + off + delta, want, n);
}

// The two instructions of a general-dynamic sequence around the TLSGD field at
// `off`: data16 lea x@tlsgd(%rip), %rdi, then a call to __tls_get_addr (through the
// PLT, or with -fno-plt through the GOT).
static bool is_gd_sequence(View in, uint64_t off) {
  static const uint8_t gd_lea[] = {0x66, 0x48, 0x8d, 0x3d};
  static const uint8_t gd_call[] = {0x66, 0x66, 0x48, 0xe8};
  static const uint8_t gd_call_got[] = {0x66, 0x48, 0xff, 0x15};
  return bytes_at(in, off, -4, gd_lea, 4) &&
         (bytes_at(in, off, 4, gd_call, 4) || bytes_at(in, off, 4, gd_call_got, 4)) &&
         view_has(in, off, 12);
}

// The large code model's general-dynamic sequence around the TLSGD field at `off`
// (22 bytes, from off - 3):
//   48 8d 3d <x@tlsgd>  48 b8 <__tls_get_addr@PLTOFF64>  48 01 d8  ff d0
// lea x@tlsgd(%rip), %rdi; movabs $..., %rax; add %rbx, %rax; call *%rax
static bool is_gd_large_sequence(View in, uint64_t off) {
  static const uint8_t lea[] = {0x48, 0x8d, 0x3d};
  static const uint8_t movabs[] = {0x48, 0xb8};
  static const uint8_t add_call[] = {0x48, 0x01, 0xd8, 0xff, 0xd0};
  return bytes_at(in, off, -3, lea, 3) && bytes_at(in, off, 4, movabs, 2) &&
         bytes_at(in, off, 14, add_call, 5);
}

// lea x@tlsdesc(%rip), %reg (REX.W, possibly REX.R) around the field at `off`.
static bool is_desc_lea(View in, uint64_t off) {
  if (off < 3)
    return false;
  uint8_t rex = in.data[off - 3], op = in.data[off - 2], modrm = in.data[off - 1];
  return (rex == 0x48 || rex == 0x4c) && op == 0x8d && (modrm & 0xc7) == 0x05;
}

// call *x@tlscall(%rax) -> a 2-byte nop: the offset is in %rax already.
static bool relax_desc_call(View in, uint8_t *out, uint64_t off) {
  static const uint8_t desc_call[] = {0xff, 0x10};
  if (!bytes_at(in, off, 0, desc_call, 2))
    return false;
  if (out) {
    out[off] = 0x66;
    out[off + 1] = 0x90;
  }
  return true;
}

bool relax_tls(View in, uint8_t *out, uint64_t off, uint32_t type, uint64_t *field) {
  static const uint8_t le_gd[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x8d, 0x80};
  static const uint8_t ld_lea[] = {0x48, 0x8d, 0x3d};
  static const uint8_t call[] = {0xe8};
  static const uint8_t call_got[] = {0xff, 0x15};
  static const uint8_t le_ld[] = {0x66, 0x66, 0x66, 0x66, 0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0};
  // The large code model calls through a 64-bit PLT offset (22 bytes in all):
  //   48 8d 3d <x>  48 b8 <__tls_get_addr@PLTOFF64>  48 01 d8  ff d0
  static const uint8_t large_call[] = {0x48, 0xb8};
  static const uint8_t large_add_call[] = {0x48, 0x01, 0xd8, 0xff, 0xd0};
  static const uint8_t le_gd_large[] = {
    0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
    0x48, 0x8d, 0x80, 0, 0, 0, 0,              // lea x@tpoff(%rax), %rax
    0x66, 0x0f, 0x1f, 0x44, 0, 0,              // nopw 0(%rax,%rax,1)
  };
  static const uint8_t le_ld_large[] = {
    0x66, 0x66, 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0,  // a 13-byte nop
    0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,                        // mov %fs:0, %rax
  };
  *field = UINT64_MAX;

  switch (type) {
  case R_X86_64_TLSGD:
    if (is_gd_large_sequence(in, off)) {
      if (out)
        memcpy(out + off - 3, le_gd_large, sizeof le_gd_large);
      *field = off + 9;
      return true;
    }
    if (!is_gd_sequence(in, off))
      return false;
    if (out)
      memcpy(out + off - 4, le_gd, sizeof le_gd);
    *field = off + 8;
    return true;
  case R_X86_64_TLSLD:
    if (!bytes_at(in, off, -3, ld_lea, 3))
      return false;
    if (bytes_at(in, off, 4, large_call, 2) &&
        bytes_at(in, off, 14, large_add_call, 5) && view_has(in, off, 18)) {
      if (out)
        memcpy(out + off - 3, le_ld_large, sizeof le_ld_large);
      return true;
    }
    if (bytes_at(in, off, 4, call, 1) && view_has(in, off, 9)) {
      if (out)
        memcpy(out + off - 3, le_ld + 1, 12);
      return true;
    }
    if (bytes_at(in, off, 4, call_got, 2) && view_has(in, off, 10)) {
      if (out)
        memcpy(out + off - 3, le_ld, 13);
      return true;
    }
    return false;
  case R_X86_64_GOTTPOFF: {
    if (off < 3)
      return false;
    uint8_t rex = in.data[off - 3], op = in.data[off - 2], modrm = in.data[off - 1];
    if ((rex != 0x48 && rex != 0x4c) || (modrm & 0xc7) != 0x05 || (op != 0x8b && op != 0x03))
      return false;
    *field = off;
    if (!out)
      return true;
    uint8_t reg = (modrm >> 3) & 7;
    bool high = rex == 0x4c;  // r8..r15: REX.R moves to REX.B (and REX.R for lea)
    if (op == 0x8b) {
      out[off - 3] = high ? 0x49 : 0x48;
      out[off - 2] = 0xc7;
      out[off - 1] = (uint8_t)(0xc0 | reg);
    } else if (reg == 4 && !high) {
      // lea cannot use %rsp as base without a SIB byte; add $imm32 can.
      out[off - 2] = 0x81;
      out[off - 1] = (uint8_t)(0xc0 | reg);
    } else {
      out[off - 3] = high ? 0x4d : 0x48;
      out[off - 2] = 0x8d;
      out[off - 1] = (uint8_t)(0x80 | reg << 3 | reg);
    }
    return true;
  }
  case R_X86_64_GOTPC32_TLSDESC: {
    if (!is_desc_lea(in, off))
      return false;
    *field = off;
    if (out) {
      uint8_t rex = in.data[off - 3], modrm = in.data[off - 1];
      out[off - 3] = (uint8_t)(0x48 | ((rex >> 2) & 1));
      out[off - 2] = 0xc7;
      out[off - 1] = (uint8_t)(0xc0 | ((modrm >> 3) & 7));
    }
    return true;
  }
  case R_X86_64_TLSDESC_CALL:
    return relax_desc_call(in, out, off);
  }
  return false;
}

/*
 * When the variable is a shared library's, its offset from the thread pointer is
 * known only at run time, but it is fixed once the program starts (the library
 * was loaded with it): GNU ld rewrites general dynamic and TLS descriptor
 * sequences of an executable to initial exec, a load from a GOT slot that
 * R_X86_64_TPOFF64 fills.
 *
 *   66 48 8d 3d <x@tlsgd>  66 66 48 e8 <__tls_get_addr>     (or 66 48 ff 15 <...>)
 *   -> 64 48 8b 04 25 00 00 00 00   mov %fs:0, %rax
 *      48 03 05 <x@gottpoff>        add x@gottpoff(%rip), %rax
 *   (the large code model's 22 bytes: the same, then a 6-byte nop)
 *   48 8d 05 <x@tlsdesc>            lea x@tlsdesc(%rip), %rax
 *   -> 48 8b 05 <x@gottpoff>        mov x@gottpoff(%rip), %rax
 *   ff 10                           call *x@tlsdesc(%rax)  ->  66 90 (nop)
 *
 * *field is where the 32-bit PC-relative displacement of the GOT slot goes (the
 * field ends its instruction), or UINT64_MAX for the call.
 */
bool relax_tls_to_ie(View in, uint8_t *out, uint64_t off, uint32_t type, uint64_t *field) {
  static const uint8_t ie_gd[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0, 0x48, 0x03, 0x05};
  // The large code model's 22 bytes become the same two instructions and a nop.
  static const uint8_t ie_gd_large[] = {
    0x64, 0x48, 0x8b, 0x04, 0x25, 0, 0, 0, 0,  // mov %fs:0, %rax
    0x48, 0x03, 0x05, 0, 0, 0, 0,              // add x@gottpoff(%rip), %rax
    0x66, 0x0f, 0x1f, 0x44, 0, 0,              // nopw 0(%rax,%rax,1)
  };
  *field = UINT64_MAX;
  switch (type) {
  case R_X86_64_TLSGD:
    if (is_gd_large_sequence(in, off)) {
      if (out)
        memcpy(out + off - 3, ie_gd_large, sizeof ie_gd_large);
      *field = off + 9;
      return true;
    }
    if (!is_gd_sequence(in, off))
      return false;
    if (out)
      memcpy(out + off - 4, ie_gd, sizeof ie_gd);
    *field = off + 8;
    return true;
  case R_X86_64_GOTPC32_TLSDESC:
    if (!is_desc_lea(in, off))
      return false;
    if (out)
      out[off - 2] = 0x8b;  // lea -> mov: load the offset from the slot
    *field = off;
    return true;
  case R_X86_64_TLSDESC_CALL:
    return relax_desc_call(in, out, off);
  }
  return false;
}

bool is_tls_sequence_start(const Elf64_Rela *rel) {
  uint32_t t = ELF64_R_TYPE(rel->r_info);
  return t == R_X86_64_TLSGD || t == R_X86_64_TLSLD;
}

// The call to __tls_get_addr that follows a TLSGD or TLSLD relocation has its own
// relocation; once the sequence is rewritten it must not be applied.
bool is_tls_get_addr_call(const Elf64_Rela *tls, const Elf64_Rela *next) {
  uint32_t t = ELF64_R_TYPE(next->r_info);
  return (t == R_X86_64_PLT32 || t == R_X86_64_PC32 || t == R_X86_64_GOTPCREL ||
          t == R_X86_64_GOTPCRELX || t == R_X86_64_REX_GOTPCRELX || t == R_X86_64_PLTOFF64) &&
         next->r_offset > tls->r_offset && next->r_offset <= tls->r_offset + 8;
}

/*
 * IFUNC (STT_GNU_IFUNC): a function whose address is chosen at start-up by calling
 * its resolver (glibc picks the memcpy that suits the CPU). A static executable
 * cannot ask a dynamic linker, so the linker leaves a note for the C library: every
 * reference goes to a stub that jumps through a GOT slot, and .rela.iplt (bracketed
 * by __rela_iplt_start/__rela_iplt_end) lists an R_X86_64_IRELATIVE entry per slot,
 * "call the resolver at r_addend and store the result at r_offset", which static
 * glibc and musl carry out before main.
 *
 *   stub:  ff 25 <slot - next>   jmp *slot(%rip)
 *          66 0f 1f 84 00 00 00 00 00 90   padding to 16 bytes (nops)
 */
void write_iplt_stub(uint8_t *p, uint64_t stub_addr, uint64_t slot_addr) {
  static const uint8_t pad[] = {0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0, 0x90};
  p[0] = 0xff;
  p[1] = 0x25;
  write_u32le(p + 2, (uint32_t)(slot_addr - (stub_addr + 6)));
  memcpy(p + 6, pad, sizeof pad);
}

// The x86-64 number of each kind of dynamic relocation (psABI table 4.9).
static uint32_t dyn_type(DynKind kind) {
  switch (kind) {
  case DYN_NONE: return R_X86_64_NONE;
  case DYN_RELATIVE: return R_X86_64_RELATIVE;
  case DYN_IRELATIVE: return R_X86_64_IRELATIVE;
  case DYN_GLOB_DAT: return R_X86_64_GLOB_DAT;
  case DYN_JUMP_SLOT: return R_X86_64_JUMP_SLOT;
  case DYN_ABS64: return R_X86_64_64;
  case DYN_COPY: return R_X86_64_COPY;
  case DYN_TPOFF64: return R_X86_64_TPOFF64;
  case DYN_DTPMOD64: return R_X86_64_DTPMOD64;
  case DYN_DTPOFF64: return R_X86_64_DTPOFF64;
  case DYN_TLSDESC: return R_X86_64_TLSDESC;
  }
  return R_X86_64_NONE;
}

/*
 * A static PIE is linked at address 0 and moved by the kernel. Every absolute
 * address stored in its data (R_X86_64_64 places, GOT slots) must then have the load
 * address added, which the C library does at start-up (_dl_relocate_static_pie)
 * from .rela.dyn entries: R_X86_64_RELATIVE means *offset = base + addend. A
 * dynamic executable's entries also name symbols of shared libraries, by their
 * index in .dynsym: GLOB_DAT and JUMP_SLOT fill GOT slots with their addresses,
 * R_X86_64_64 a pointer in data, COPY copies a variable's initial value into the
 * executable, TPOFF64 a thread-local variable's offset from the thread pointer.
 */
void write_dyn_reloc(uint8_t *p, DynKind kind, uint64_t offset, uint32_t dynsym,
                     uint64_t addend) {
  Elf64_Rela r = {.r_offset = offset, .r_info = ELF64_R_INFO(dynsym, dyn_type(kind)),
                  .r_addend = (int64_t)addend};
  memcpy(p, &r, sizeof r);
}

const char *dyn_reloc_name(Ctx *ctx, DynKind kind) { return reloc_name(ctx, dyn_type(kind)); }

void write_irelative(uint8_t *p, uint64_t slot_addr, uint64_t resolver) {
  write_dyn_reloc(p, DYN_IRELATIVE, slot_addr, 0, resolver);
}

/*
 * The PLT of a dynamic executable (the x86-64 psABI's "Procedure Linkage Table", in
 * its chapter on dynamic linking): calls
 * to a shared library's function go to its 16-byte entry, which jumps through the
 * function's slot in .got.plt. The slot starts out pointing back into the entry,
 * at the push: the first call pushes the entry's number and goes to PLT0, which
 * pushes GOT[1] (the dynamic linker's handle for this object) and jumps to GOT[2]
 * (its resolver). The resolver finds the function, writes its address into the
 * slot, and jumps there; later calls jump straight to it (lazy binding).
 *
 *   PLT0:  ff 35 <GOT+8 - next>    push GOT[1]
 *          ff 25 <GOT+16 - next>   jmp *GOT[2]
 *          0f 1f 40 00             nop (padding to 16 bytes)
 *   PLTn:  ff 25 <slot - next>     jmp *slot
 *          68 <n>                  push $n      (its index in .rela.plt)
 *          e9 <PLT0 - next>        jmp PLT0
 */
void write_plt0(uint8_t *p, uint64_t plt0_addr, uint64_t gotplt_addr) {
  static const uint8_t nop4[] = {0x0f, 0x1f, 0x40, 0x00};
  p[0] = 0xff;
  p[1] = 0x35;
  write_u32le(p + 2, (uint32_t)(gotplt_addr + 8 - (plt0_addr + 6)));
  p[6] = 0xff;
  p[7] = 0x25;
  write_u32le(p + 8, (uint32_t)(gotplt_addr + 16 - (plt0_addr + 12)));
  memcpy(p + 12, nop4, sizeof nop4);
}

void write_plt_entry(uint8_t *p, uint64_t entry_addr, uint64_t slot_addr, uint32_t index,
                     uint64_t plt0_addr) {
  p[0] = 0xff;
  p[1] = 0x25;
  write_u32le(p + 2, (uint32_t)(slot_addr - (entry_addr + 6)));
  p[6] = 0x68;
  write_u32le(p + 7, index);
  p[11] = 0xe9;
  write_u32le(p + 12, (uint32_t)(plt0_addr - (entry_addr + 16)));
}

// A call through the PLT (call foo@PLT): never an address taken.
bool is_plt_reloc(uint32_t type) { return type == R_X86_64_PLT32; }

// Is the 32-bit field at `off` the target of a call or jmp (e8/e9 rel32), rather
// than an address being taken (lea, mov)? A call can go through a PLT entry; an
// address taken must be the function's one address.
bool is_branch_field(View insn, uint64_t off) {
  return off >= 1 && off <= insn.size && (insn.data[off - 1] == 0xe8 || insn.data[off - 1] == 0xe9);
}
