/*
 * write_symtab.c — .symtab and .strtab: the names nm, gdb and objdump show.
 *
 * The program never reads its own symbol table; tools do. It lists, as GNU ld
 * does: the null symbol, then each file's STT_FILE and local symbols, then the
 * globals; a global with hidden visibility is local to the executable, so it joins
 * the locals. sh_info is the index of the first global. Values are addresses, except
 * for TLS symbols, whose value is their offset in the TLS template (gABI, "Symbol
 * Values").
 *
 * A sub-step of write_output, which builds the tables in memory first because their
 * size decides the size of the file. Reads the symbols and ctx->tls_start.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

static Elf64_Sym make_entry(const Symbol *sym, uint8_t bind, uint32_t name, uint64_t tls_start) {
  Elf64_Sym es = {0};
  es.st_name = name;
  es.st_info = ELF64_ST_INFO(bind, sym->type);
  es.st_other = sym->visibility;
  es.st_shndx = output_shndx(sym);
  es.st_value = sym->type == STT_FILE ? 0 : symbol_definition_address(sym);
  // A TLS symbol's value is its offset in the TLS template (gABI, "Symbol Values").
  if (sym->type == STT_TLS && sym->state == SYM_DEFINED)
    es.st_value -= tls_start;
  es.st_size = sym->size;
  return es;
}

static void add_symbol(Buf *symtab, StringTable *strtab, Symbol *sym, uint8_t bind,
                       uint64_t tls_start) {
  sym->symtab_index = (uint32_t)(symtab->len / sizeof(Elf64_Sym));
  Elf64_Sym es = make_entry(sym, bind, *sym->name ? add_string(strtab, sym->name) : 0, tls_start);
  buf_add(symtab, &es, sizeof es);
}

// A local symbol worth keeping: named, not a section symbol, not an assembler
// temporary (.L...), and not inside something we dropped.
static bool keep_local(const Symbol *sym) {
  if (sym->type == STT_SECTION || !*sym->name || !strncmp(sym->name, ".L", 2))
    return false;
  if (sym->type == STT_FILE)
    return true;
  return !sym->isec || (sym->isec->is_alive && sym->isec->osec);
}

// The locals worth keeping are few among many (a big link's objects have 600 K
// locals, nearly all section symbols): each file's (file->locals, in symbol order)
// are found at once, in parallel, then entered in file order.
typedef struct {
  Ctx *ctx;
  Symbol ***kept;  // per file: its locals worth keeping, in symbol order
  size_t *nkept;
} LocalTasks;

static void find_locals(void *arg, size_t f) {
  LocalTasks *t = arg;
  InputFile *file = t->ctx->files.data[f];
  size_t n = 0;
  for (uint32_t i = 0; i < file->nlocals; i++)
    n += keep_local(&file->locals[i]);
  t->nkept[f] = n;
  if (!n)
    return;
  t->kept[f] = arena_array(&t->ctx->arena, n, sizeof(Symbol *));
  n = 0;
  for (uint32_t i = 0; i < file->nlocals; i++)
    if (keep_local(&file->locals[i]))
      t->kept[f][n++] = &file->locals[i];
}

// Which table a global goes in: 0 among the locals (hidden: local to the output),
// 1 among the globals, or -1 not at all.
static int global_part(Ctx *ctx, const Symbol *sym) {
  bool hidden = (sym->visibility == STV_HIDDEN || sym->visibility == STV_INTERNAL ||
                 sym->version_local) &&
                sym->state != SYM_UNDEF;
  if (sym->state == SYM_UNDEF && (sym->strong_ref || !sym->file))
    return -1;  // an entry symbol nobody defined: warned about already
  if (sym->state == SYM_DEFINED && sym->isec && !sym->isec->is_alive)
    return -1;  // its section was discarded (COMDAT copy, --gc-sections)
  if ((sym->state == SYM_SHARED || sym->state == SYM_UNDEF) && !sym->object_ref)
    return -1;  // one of the thousands a shared library defines, unused here
  if (hidden && ctx->opt.discard_all)
    return -1;
  return hidden ? 0 : 1;
}

// The globals are most of a big table: they are written in parallel, in chunks of
// ctx->globals. A first loop counts each chunk's entries and name bytes per part;
// their running sums say where each chunk writes; a second loop writes there. The
// entries come out in the order of ctx->globals, hidden ones first, whatever the
// threads. (A global's name is distinct from every other global's; it shares a
// local's string if one was added, which is only read here.)
enum { GLOBAL_CHUNK = 4096 };

typedef struct {
  Ctx *ctx;
  StringTable *strtab;
  uint64_t (*count)[2];     // per chunk and part: entries
  uint64_t (*bytes)[2];     // ... and bytes of new names
  uint64_t (*at)[2];        // ... where its entries start (index)
  uint64_t (*str_at)[2];    // ... where its names start (offset)
  Elf64_Sym *syms;          // the whole table
  uint8_t *names;           // the whole string table
} GlobalTasks;

static uint32_t shared_name(GlobalTasks *t, const char *name) {
  return t->strtab->index.len ? (uint32_t)(uintptr_t)hashmap_get(&t->strtab->index, name,
                                                                  strlen(name))
                              : 0;
}

static void count_globals(void *arg, size_t c) {
  GlobalTasks *t = arg;
  Ctx *ctx = t->ctx;
  size_t end = (c + 1) * GLOBAL_CHUNK < ctx->globals.len ? (c + 1) * GLOBAL_CHUNK : ctx->globals.len;
  for (size_t i = c * GLOBAL_CHUNK; i < end; i++) {
    Symbol *sym = ctx->globals.data[i];
    int part = global_part(ctx, sym);
    if (part < 0)
      continue;
    t->count[c][part]++;
    if (*sym->name && !shared_name(t, sym->name))
      t->bytes[c][part] += strlen(sym->name) + 1;
  }
}

static void write_globals(void *arg, size_t c) {
  GlobalTasks *t = arg;
  Ctx *ctx = t->ctx;
  size_t end = (c + 1) * GLOBAL_CHUNK < ctx->globals.len ? (c + 1) * GLOBAL_CHUNK : ctx->globals.len;
  uint64_t at[2] = {t->at[c][0], t->at[c][1]};
  uint64_t str_at[2] = {t->str_at[c][0], t->str_at[c][1]};
  for (size_t i = c * GLOBAL_CHUNK; i < end; i++) {
    Symbol *sym = ctx->globals.data[i];
    int part = global_part(ctx, sym);
    if (part < 0)
      continue;
    uint32_t name = 0;
    if (*sym->name && !(name = shared_name(t, sym->name))) {
      size_t len = strlen(sym->name) + 1;
      name = (uint32_t)str_at[part];
      memcpy(t->names + str_at[part], sym->name, len);
      str_at[part] += len;
    } else if (name) {
      name--;  // the index holds offset + 1
    }
    uint8_t bind = part == 0 ? STB_LOCAL : sym->state == SYM_UNDEF ? STB_WEAK : sym->binding;
    if (sym->state == SYM_SHARED)  // an import: as the program refers to it
      bind = sym->strong_ref ? STB_GLOBAL : STB_WEAK;
    sym->symtab_index = (uint32_t)at[part];
    t->syms[at[part]++] = make_entry(sym, bind, name, ctx->tls_start);
  }
}

// Appends the globals to the table; returns the index of the first one that is not
// local (sh_info).
static uint32_t add_globals(Ctx *ctx, Buf *symtab, StringTable *strtab) {
  size_t chunks = (ctx->globals.len + GLOBAL_CHUNK - 1) / GLOBAL_CHUNK;
  GlobalTasks t = {ctx, strtab, arena_array(&ctx->arena, chunks + 1, sizeof *t.count),
                   arena_array(&ctx->arena, chunks + 1, sizeof *t.bytes),
                   arena_array(&ctx->arena, chunks + 1, sizeof *t.at),
                   arena_array(&ctx->arena, chunks + 1, sizeof *t.str_at), NULL, NULL};
  parallel_for(chunks, count_globals, &t);
  uint64_t index = symtab->len / sizeof(Elf64_Sym), offset = strtab->buf.len;
  uint32_t first_global = 0;
  for (int part = 0; part < 2; part++) {
    if (part == 1)
      first_global = (uint32_t)index;
    for (size_t c = 0; c < chunks; c++) {
      t.at[c][part] = index;
      t.str_at[c][part] = offset;
      index += t.count[c][part];
      offset += t.bytes[c][part];
    }
  }
  if (index > UINT32_MAX || offset > UINT32_MAX)
    fatal("the symbol table would need more than 2^32 entries or name bytes");
  // Grow both tables to their final size, then let the chunks fill them in.
  uint64_t first = symtab->len / sizeof(Elf64_Sym), names = strtab->buf.len;
  buf_add(symtab, NULL, (index - first) * sizeof(Elf64_Sym));
  buf_add(&strtab->buf, NULL, offset - names);
  t.syms = (Elf64_Sym *)symtab->data;
  t.names = strtab->buf.data;
  parallel_for(chunks, write_globals, &t);
  return first_global;
}

uint32_t build_symtab(Ctx *ctx, Buf *symtab, StringTable *strtab) {
  Elf64_Sym null = {0};
  buf_add(symtab, &null, sizeof null);
  add_string(strtab, "");
  // --emit-relocs: relocations kept in the output may name an output section (where
  // the input named a section of its own, or a local the table leaves out), so each
  // output section gets its section symbol, as in a relocatable object.
  for (size_t i = 0; ctx->opt.emit_relocs && i < ctx->osecs.len; i++) {
    const OutputSection *osec = ctx->osecs.data[i];
    Elf64_Sym es = {
      .st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION), .st_shndx = (uint16_t)osec->shndx,
      .st_value = osec->addr,
    };
    buf_add(symtab, &es, sizeof es);
  }
  if (!ctx->opt.discard_all) {
    LocalTasks t = {ctx, arena_array(&ctx->arena, ctx->files.len + 1, sizeof(Symbol **)),
                    arena_array(&ctx->arena, ctx->files.len + 1, sizeof(size_t))};
    parallel_for(ctx->files.len, find_locals, &t);
    for (size_t f = 0; f < ctx->files.len; f++)
      for (size_t k = 0; k < t.nkept[f]; k++)
        add_symbol(symtab, strtab, t.kept[f][k], STB_LOCAL, ctx->tls_start);
  }
  return add_globals(ctx, symtab, strtab);
}
