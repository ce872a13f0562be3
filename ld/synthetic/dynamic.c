/*
 * dynamic.c — .dynamic and PT_DYNAMIC: the table of contents the dynamic linker reads.
 *
 * A dynamic executable's (in this order; each only when it applies):
 *
 *   DT_NEEDED ...                    the libraries to load, in command-line order
 *   DT_SONAME                        a shared library's name (-soname)
 *   DT_RUNPATH (or DT_RPATH)         -rpath, where to look for them first
 *   DT_AUDIT, DT_DEPAUDIT            --audit, --depaudit
 *   DT_INIT, DT_FINI                 _init and _fini, if the program has them
 *   DT_INIT_ARRAY/SZ, DT_FINI_ARRAY/SZ, DT_PREINIT_ARRAY/SZ   constructor tables
 *   DT_HASH, DT_GNU_HASH             .hash, .gnu.hash
 *   DT_RELA, DT_RELASZ, DT_RELAENT, DT_RELACOUNT   .rela.dyn, RELATIVE entries first
 *   DT_JMPREL, DT_PLTRELSZ, DT_PLTREL, DT_PLTGOT   .rela.plt and .got.plt
 *   DT_SYMTAB, DT_SYMENT, DT_STRTAB, DT_STRSZ      .dynsym, .dynstr
 *   DT_VERSYM, DT_VERDEF(NUM), DT_VERNEED(NUM)     symbol versions
 *   DT_DEBUG                         for debuggers: the dynamic linker fills it
 *   DT_TEXTREL                       a relocation patches read-only code or data
 *   DT_FLAGS, DT_FLAGS_1             BIND_NOW with -z now; PIE; ORIGIN, NODEFLIB
 *   DT_NULL
 *
 * A static PIE's is shorter: the C library's start-up code finds it through
 * _DYNAMIC and reads where .rela.dyn is and how many RELATIVE entries lead it,
 * DT_SYMTAB and DT_STRTAB (an empty symbol table), DT_DEBUG, DT_FLAGS_1 (PIE, NOW).
 */
#include "../ld.h"

#include <string.h>

typedef struct {
  Elf64_Dyn *out;  // NULL while counting
  size_t n;
} Entries;

static void put(Entries *e, int64_t tag, uint64_t val) {
  if (e->out)
    e->out[e->n] = (Elf64_Dyn){.d_tag = tag, .d_un.d_val = val};
  e->n++;
}

static uint64_t address_of(Ctx *ctx, SyntheticId id) { return isec_address(ctx->synth[id]); }

// The constructor tables, from the output sections of their name.
static void put_array(Ctx *ctx, Entries *e, const char *name, int64_t tag, int64_t tagsz) {
  OutputSection *osec = find_output_section(ctx, name);
  if (!osec)
    return;
  put(e, tag, e->out ? osec->addr : 0);
  put(e, tagsz, e->out ? osec->size : 0);
}

static void put_symbol(Ctx *ctx, Entries *e, const char *name, int64_t tag) {
  Symbol *sym = find_symbol(ctx, name);
  if (sym && sym->state == SYM_DEFINED && sym->isec && sym->isec->is_alive)
    put(e, tag, e->out ? symbol_address(sym) : 0);
}

// Lists the entries (into e->out, once addresses are known) or only counts them.
static void entries(Ctx *ctx, Entries *e) {
  bool w = e->out != NULL;  // addresses are only final when writing
  InputSection *rela = ctx->synth[SYN_RELA_DYN];
  if (ctx->dynamic) {
    for (size_t i = 0; i < ctx->needed.len; i++)
      put(e, DT_NEEDED, find_string(&ctx->dynstr, ((InputFile *)ctx->needed.data[i])->soname));
    if (ctx->opt.soname)
      put(e, DT_SONAME, find_string(&ctx->dynstr, ctx->opt.soname));
    if (ctx->rpath)
      put(e, ctx->opt.new_dtags ? DT_RUNPATH : DT_RPATH, find_string(&ctx->dynstr, ctx->rpath));
    if (ctx->opt.audit)
      put(e, DT_AUDIT, find_string(&ctx->dynstr, ctx->opt.audit));
    if (ctx->depaudit)
      put(e, DT_DEPAUDIT, find_string(&ctx->dynstr, ctx->depaudit));
    put_symbol(ctx, e, ctx->opt.init_symbol, DT_INIT);
    put_symbol(ctx, e, ctx->opt.fini_symbol, DT_FINI);
    put_array(ctx, e, ".preinit_array", DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ);
    put_array(ctx, e, ".init_array", DT_INIT_ARRAY, DT_INIT_ARRAYSZ);
    put_array(ctx, e, ".fini_array", DT_FINI_ARRAY, DT_FINI_ARRAYSZ);
    if (has_synthetic(ctx, SYN_HASH))
      put(e, DT_HASH, w ? address_of(ctx, SYN_HASH) : 0);
    if (has_synthetic(ctx, SYN_GNU_HASH))
      put(e, DT_GNU_HASH, w ? address_of(ctx, SYN_GNU_HASH) : 0);
  }
  put(e, DT_RELA, w ? isec_address(rela) : 0);
  put(e, DT_RELASZ, rela->sh_size);
  put(e, DT_RELAENT, sizeof(Elf64_Rela));
  put(e, DT_RELACOUNT, ctx->dyn_relative);
  if (ctx->dynamic && has_synthetic(ctx, SYN_RELA_PLT)) {
    put(e, DT_JMPREL, w ? address_of(ctx, SYN_RELA_PLT) : 0);
    put(e, DT_PLTRELSZ, ctx->synth[SYN_RELA_PLT]->sh_size);
    put(e, DT_PLTREL, DT_RELA);
  }
  if (ctx->dynamic)
    put(e, DT_PLTGOT, w ? address_of(ctx, SYN_GOT_PLT) : 0);
  put(e, DT_SYMTAB, w ? address_of(ctx, SYN_DYNSYM) : 0);
  put(e, DT_SYMENT, sizeof(Elf64_Sym));
  put(e, DT_STRTAB, w ? address_of(ctx, SYN_DYNSTR) : 0);
  put(e, DT_STRSZ, ctx->synth[SYN_DYNSTR]->sh_size);
  if (has_synthetic(ctx, SYN_VERSYM))
    put(e, DT_VERSYM, w ? address_of(ctx, SYN_VERSYM) : 0);
  if (has_synthetic(ctx, SYN_VERDEF)) {
    put(e, DT_VERDEF, w ? address_of(ctx, SYN_VERDEF) : 0);
    put(e, DT_VERDEFNUM, 1 + ctx->verdefs.len);
  }
  if (has_synthetic(ctx, SYN_VERNEED)) {
    put(e, DT_VERNEED, w ? address_of(ctx, SYN_VERNEED) : 0);
    put(e, DT_VERNEEDNUM, ctx->verneeds.len);
  }
  if (!ctx->opt.shared)
    put(e, DT_DEBUG, 0);  // an executable's: debuggers find the link map through it
  // The dynamic linker must make read-only segments writable while it relocates
  // (DF_TEXTREL says the same in the newer form; glibc reads either).
  if (ctx->textrel)
    put(e, DT_TEXTREL, 0);
  if (!ctx->dynamic) {
    put(e, DT_FLAGS_1, DF_1_NOW | DF_1_PIE);  // a static PIE relocates itself at once
  } else {
    // DF_STATIC_TLS: a shared library using initial-exec TLS needs room in the
    // static TLS block, so dlopen may refuse it late.
    uint64_t flags = (ctx->opt.z_now ? DF_BIND_NOW : 0) | (ctx->opt.z_origin ? DF_ORIGIN : 0) |
                     (ctx->opt.shared && ctx->gottp_syms.len ? DF_STATIC_TLS : 0) |
                     (ctx->textrel ? DF_TEXTREL : 0);
    if (flags)
      put(e, DT_FLAGS, flags);
    uint64_t flags1 = (ctx->opt.z_now ? DF_1_NOW : 0) | (ctx->opt.pie ? DF_1_PIE : 0) |
                      (ctx->opt.z_origin ? DF_1_ORIGIN : 0) |
                      (ctx->opt.z_nodefaultlib ? DF_1_NODEFLIB : 0) | ctx->opt.dt_flags_1;
    if (flags1)
      put(e, DT_FLAGS_1, flags1);
  }
  put(e, DT_NULL, 0);
}

static bool size_dynamic(Ctx *ctx, InputSection *isec) {
  if (!is_pic(ctx) && !ctx->dynamic)
    return false;
  Entries e = {0};
  entries(ctx, &e);
  isec->sh_size = e.n * sizeof(Elf64_Dyn);
  return true;
}

static void write_dynamic(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  size_t n = isec->sh_size / sizeof(Elf64_Dyn);
  Elf64_Dyn *dyn = arena_array(&ctx->arena, n, sizeof(Elf64_Dyn));
  Entries e = {dyn, 0};
  entries(ctx, &e);
  if (e.n != n)
    internal_error(".dynamic has %zu entries, not %zu", e.n, n);
  memcpy(buf, dyn, isec->sh_size);
}

static void link_dynamic(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSTR]->osec->shndx;
}

const SyntheticKind dynamic_section = {
  .name = ".dynamic",
  .sh_type = SHT_DYNAMIC,
  .sh_flags = SHF_ALLOC | SHF_WRITE,
  .sh_addralign = 8,
  .sh_entsize = sizeof(Elf64_Dyn),
  .size = size_dynamic,
  .write = write_dynamic,
  .link = link_dynamic,
  .p_type = PT_DYNAMIC,
  .p_flags = PF_R | PF_W,
  .p_align = 8,
};
