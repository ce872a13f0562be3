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

static void add_symbol(Buf *symtab, StringTable *strtab, Symbol *sym, uint8_t bind,
                       uint64_t tls_start) {
  sym->symtab_index = (uint32_t)(symtab->len / sizeof(Elf64_Sym));
  Elf64_Sym es = {0};
  es.st_name = !*sym->name       ? 0
               : sym->is_global ? add_unique_string(strtab, sym->name)
                                : add_string(strtab, sym->name);
  es.st_info = ELF64_ST_INFO(bind, sym->type);
  es.st_other = sym->visibility;
  es.st_shndx = output_shndx(sym);
  es.st_value = sym->type == STT_FILE ? 0 : symbol_definition_address(sym);
  // A TLS symbol's value is its offset in the TLS template (gABI, "Symbol Values").
  if (sym->type == STT_TLS && sym->state == SYM_DEFINED)
    es.st_value -= tls_start;
  es.st_size = sym->size;
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
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.nsyms; i++) {
      Symbol *sym = file->syms[i];
      if (sym && !sym->is_global && !ctx->opt.discard_all && keep_local(sym))
        add_symbol(symtab, strtab, sym, STB_LOCAL, ctx->tls_start);
    }
  }
  uint32_t first_global = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < ctx->globals.len; i++) {
      Symbol *sym = ctx->globals.data[i];
      bool hidden = (sym->visibility == STV_HIDDEN || sym->visibility == STV_INTERNAL ||
                     sym->version_local) &&
                    sym->state != SYM_UNDEF;
      if (sym->state == SYM_UNDEF && (sym->strong_ref || !sym->file))
        continue;  // an entry symbol nobody defined: warned about already
      if (sym->state == SYM_DEFINED && sym->isec && !sym->isec->is_alive)
        continue;  // its section was discarded (COMDAT copy, --gc-sections)
      if ((sym->state == SYM_SHARED || sym->state == SYM_UNDEF) && !sym->object_ref)
        continue;  // one of the thousands a shared library defines, unused here
      if (hidden != (pass == 0) || (hidden && ctx->opt.discard_all))
        continue;
      uint8_t bind = hidden ? STB_LOCAL : sym->state == SYM_UNDEF ? STB_WEAK : sym->binding;
      if (sym->state == SYM_SHARED)  // an import: as the program refers to it
        bind = sym->strong_ref ? STB_GLOBAL : STB_WEAK;
      add_symbol(symtab, strtab, sym, bind, ctx->tls_start);
    }
    if (pass == 0)
      first_global = (uint32_t)(symtab->len / sizeof(Elf64_Sym));
  }
  return first_global;
}
