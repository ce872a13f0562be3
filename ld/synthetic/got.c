/*
 * got.c — .got, the global offset table of a static executable.
 *
 * Code compiled for position independence (-fPIC, -fPIE, and glibc's own) loads the
 * address of a global from a slot: `mov foo@GOTPCREL(%rip), %rax`. In a static
 * executable every address is known at link time, so the slots hold final values,
 * written now, and no one writes them at run time. Initial-exec TLS loads that
 * could not be rewritten use slots too, holding the variable's offset from the
 * thread pointer.
 *
 *   slot 0 .. n-1     addresses (ctx->got_syms, numbered by assign_slots)
 *   slot n .. n+m-1   TP offsets (ctx->gottp_syms)
 *   then, in a shared library: (module, offset) pairs for general-dynamic TLS, TLS
 *   descriptors, and the library's own (module, 0) pair for local dynamic
 *
 * The section exists when any relocation uses a slot or measures from the GOT's
 * base (GOTPC, GOTOFF), or when something refers to _GLOBAL_OFFSET_TABLE_. In a
 * static PIE the address slots are wrong by the load address; assign_slots lists an
 * R_X86_64_RELATIVE for each of them.
 */
#include "../ld.h"

static bool size_got(Ctx *ctx, InputSection *isec) {
  if (!ctx->uses_got && !find_symbol(ctx, "_GLOBAL_OFFSET_TABLE_"))
    return false;
  isec->sh_size = 8 * ctx->got_slots_count;
  return true;
}

static void write_got(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  for (size_t i = 0; i < ctx->got_syms.len; i++) {
    Symbol *sym = ctx->got_syms.data[i];
    write_u64le(buf + 8 * (uint64_t)sym->aux->got_index, symbol_address(sym));
  }
  for (size_t i = 0; i < ctx->gottp_syms.len; i++) {
    Symbol *sym = ctx->gottp_syms.data[i];
    // A library's variable gets its offset at run time (R_X86_64_TPOFF64), and so
    // does every one in a shared library we make.
    uint64_t v = sym->state == SYM_UNDEF || is_imported(sym) || ctx->opt.shared
                     ? 0
                     : symbol_address(sym) - ctx->tp;
    write_u64le(buf + 8 * (uint64_t)sym->aux->gottp_index, v);
  }
  // General dynamic in a shared library: the module comes at run time
  // (DTPMOD64); the offset of one of its own variables is known now.
  for (size_t i = 0; i < ctx->tlsgd_syms.len; i++) {
    Symbol *sym = ctx->tlsgd_syms.data[i];
    if (!is_imported(sym))
      write_u64le(buf + 8 * (uint64_t)sym->aux->tlsgd_index + 8,
                  symbol_address(sym) - ctx->tls_start);
  }
}

const SyntheticKind got_section = {
  .name = ".got",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 8,
  .size = size_got,
  .write = write_got,
};
