/*
 * symbols.c — the symbol table, and the one place that knows where a symbol is.
 *
 * Every pass asks the same questions about symbols: which Symbol is `foo`, what
 * address does a reference to it use, is that address part of the image (so that a
 * PIE must move it at start-up). The answers live here, next to the data, so that
 * no pass has to know how merged strings, .eh_frame records or IFUNC stubs move a
 * symbol: a symbol in a merged string section lives where its string went; one in
 * .eh_frame moves with its record; an IFUNC is called through its stub.
 *
 * This file is part of the model: passes call it, it calls no pass. It reads what
 * layout has decided (output section addresses, member offsets) and never changes
 * the link.
 */
#include "../ld.h"

#include <string.h>

// A big link has over a million Symbols (1.2 M in tests/bench's generated one): a
// field added here costs its size that many times. What only some symbols need
// goes in SymbolAux.
_Static_assert(sizeof(Symbol) <= 64, "Symbol has grown: does the new field belong in SymbolAux?");

// What a symbol without a SymbolAux of its own reads: no slots, no version.
static const SymbolAux no_aux = {
    .got_index = -1,
    .gottp_index = -1,
    .tlsgd_index = -1,
    .tlsdesc_index = -1,
    .iplt_index = -1,
    .plt_index = -1,
};

void init_symbol(Symbol *sym, const char *name) {
  sym->name = name;
  sym->state = SYM_UNDEF;
  sym->aux = &no_aux;
}

SymbolAux *symbol_aux(Ctx *ctx, Symbol *sym) {
  if (sym->aux == &no_aux) {
    SymbolAux *aux = arena_alloc(&ctx->arena, sizeof *aux);
    *aux = no_aux;
    sym->aux = aux;
  }
  return (SymbolAux *)sym->aux;
}

static void *new_global(void *arg, const char *name) {
  Ctx *ctx = arg;
  Symbol *sym = arena_alloc_aligned(&ctx->arena, sizeof *sym, 64);
  init_symbol(sym, name);
  sym->is_global = true;
  sym->binding = STB_GLOBAL;
  return sym;
}

Symbol *list_symbol(Ctx *ctx, Symbol *sym) {
  if (!sym->listed) {
    sym->listed = true;
    vec_push(&ctx->arena, &ctx->globals, sym);
  }
  return sym;
}

Symbol *intern_symbol(Ctx *ctx, const char *name) {
  HashEntry *e = hashmap_slot(&ctx->symtab, name, strlen(name));
  if (!e->value)
    e->value = new_global(ctx, name);
  return list_symbol(ctx, e->value);
}

// NULL if the table is full: the caller leaves the name to intern_symbol.
Symbol *intern_symbol_concurrent(Ctx *ctx, const char *name, size_t len, uint64_t hash) {
  return hashmap_insert_concurrent(&ctx->symtab, name, len, hash, new_global, ctx);
}

uint64_t symbol_hash(Ctx *ctx, const char *name, size_t len) {
  uint64_t hash = hash_string(name, len);
  hashmap_prefetch(&ctx->symtab, hash);
  return hash;
}

Symbol *find_symbol(Ctx *ctx, const char *name) {
  return hashmap_get(&ctx->symtab, name, strlen(name));
}

uint64_t symbol_address(const Symbol *sym) {
  const SymbolAux *aux = sym->aux;
  if (aux->iplt)
    return isec_address(aux->iplt) + IPLT_STUB_SIZE * (uint64_t)aux->iplt_index;
  // A shared library's function is reached through its PLT entry. (Where its
  // address is taken, that entry is its address everywhere: canonical_plt.)
  if (aux->plt)
    return plt_entry_address(sym);
  return symbol_definition_address(sym);
}

uint64_t plt_entry_address(const Symbol *sym) {
  return isec_address(sym->aux->plt) + PLT_ENTRY_SIZE * (1 + (uint64_t)sym->aux->plt_index);
}

uint64_t got_plt_slot(Ctx *ctx, size_t i) {
  return isec_address(ctx->synth[SYN_GOT_PLT]) + 8 * (GOT_PLT_RESERVED + (uint64_t)i);
}

bool is_imported(const Symbol *sym) {
  return sym->state == SYM_SHARED || sym->preemptible || (sym->dynamic_undef && sym->state == SYM_UNDEF);
}

// Whether sym's address is its section's address plus its offset, for good: defined
// in a section that is kept, whose bytes were not merged, split into records or
// reversed on the way out (isec_output_offset).
static bool can_settle(const Symbol *sym) {
  const InputSection *isec = sym->isec;
  return sym->state == SYM_DEFINED && !sym->settled && isec && isec->is_alive && isec->osec &&
         !isec->reversed && !isec->aux->merged && !isec->aux->eh;
}

static void settle(Symbol *sym) {
  if (can_settle(sym)) {
    sym->value += isec_address(sym->isec);
    sym->settled = true;
  }
}

enum { SETTLE_CHUNK = 4096 };

static void settle_task(void *arg, size_t k) {
  Ctx *ctx = arg;
  if (k < ctx->files.len) {
    InputFile *file = ctx->files.data[k];
    for (uint32_t i = 0; i < file->nlocals; i++)
      settle(&file->locals[i]);
    return;
  }
  size_t from = (k - ctx->files.len) * SETTLE_CHUNK;
  size_t to = from + SETTLE_CHUNK < ctx->globals.len ? from + SETTLE_CHUNK : ctx->globals.len;
  for (size_t i = from; i < to; i++)
    settle(ctx->globals.data[i]);
}

void settle_addresses(Ctx *ctx) {
  size_t chunks = (ctx->globals.len + SETTLE_CHUNK - 1) / SETTLE_CHUNK;
  parallel_for(ctx->files.len + chunks, settle_task, ctx);
}

uint64_t symbol_definition_address(const Symbol *sym) {
  if (sym->settled)
    return sym->value;
  switch (sym->state) {
  case SYM_UNDEF:
    return 0;  // only undefined weak symbols get here
  case SYM_SHARED:
    return 0;  // known at run time only (references go through the GOT or the PLT)
  case SYM_LINKER:
    return sym->aux->osec ? sym->aux->osec->addr + sym->value : sym->value;
  case SYM_COMMON:
  case SYM_DEFINED:
    break;
  }
  if (!sym->isec)
    return sym->value;  // absolute
  if (!sym->isec->is_alive || !sym->isec->osec)
    return 0;  // defined in a discarded section
  return sym->isec->osec->addr + isec_output_offset(sym->isec, sym->value, NULL);
}

uint64_t symbol_address_for(const Symbol *sym, uint64_t A) {
  if (sym->settled)  // (not in a merged section)
    return symbol_address(sym);
  const InputSection *isec = sym->isec;
  // A reference through the section symbol names the string at offset A. (Assemblers
  // keep a symbol per string instead whenever the addend would not say which string,
  // e.g. the -4 of a PC-relative reference; a negative offset is taken as 0.)
  if (sym->type == STT_SECTION && sym->state == SYM_DEFINED && isec && isec->aux->merged &&
      isec->is_alive) {
    uint64_t off = sym->value + A;
    if ((int64_t)off < 0 || off >= isec->sh_size)
      return isec_address(isec->aux->merged) + merged_offset(isec, sym->value);
    return isec_address(isec->aux->merged) + merged_offset(isec, off) - A;
  }
  return symbol_address(sym);
}

uint16_t output_shndx(const Symbol *sym) {
  if (sym->state == SYM_UNDEF || sym->state == SYM_SHARED)
    return SHN_UNDEF;
  if (sym->state == SYM_LINKER)
    return sym->aux->osec ? (uint16_t)sym->aux->osec->shndx : SHN_ABS;
  if (!sym->isec)
    return SHN_ABS;
  if (!sym->isec->is_alive || !sym->isec->osec)
    return SHN_UNDEF;
  return (uint16_t)sym->isec->osec->shndx;
}

bool is_image_relative(const Symbol *sym) {
  if (sym->preemptible)
    return false;  // another module's definition may be the one used
  if (sym->state == SYM_DEFINED)
    return sym->isec && sym->isec->is_alive;
  // Linker symbols get their values after layout, but every one of them is an
  // address inside the image (define_linker_symbols.c anchors it to a section).
  return sym->state == SYM_LINKER;
}

const char *symbol_label(const Symbol *sym) {
  if (sym->type == STT_SECTION && sym->isec)
    return sym->isec->name;
  return sym->name;
}

bool is_c_identifier(const char *s) {
  if (!*s || (*s >= '0' && *s <= '9'))
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return false;
  return true;
}

uint32_t gnu_hash(const char *name) {
  uint32_t h = 5381;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++)
    h = h * 33 + *p;
  return h;
}

// The gABI's hash function ("Hash Table").
uint32_t elf_hash(const char *name) {
  uint32_t h = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000;
    if (g)
      h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

const char *dynamic_name(const Symbol *sym) {
  return sym->aux->export_name ? sym->aux->export_name : sym->name;
}

const char *version_base_name(Ctx *ctx) {
  if (ctx->opt.soname)
    return ctx->opt.soname;
  const char *slash = strrchr(ctx->opt.output, '/');
  return slash ? slash + 1 : ctx->opt.output;
}
