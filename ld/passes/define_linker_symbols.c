/*
 * define_linker_symbols.c — names whose values only the linker knows.
 *
 * Start-up code needs to know things about the image it runs in: where .bss starts
 * and ends (to zero it, on systems that do not), where the list of constructors is
 * (__init_array_start), where its own ELF header is (__ehdr_start, which static glibc
 * uses to find its program headers). No object can define these: they are addresses
 * the linker picks. As with GNU ld's PROVIDE, a name is defined only if some input
 * refers to it and no input defines it.
 *
 * __start_SEC and __stop_SEC bracket every output section whose name is a valid C
 * identifier, so code can walk an array that many objects contributed to.
 *
 * reserve_linker_symbols() claims the names before undefined symbols are reported;
 * define_linker_symbols() gives them values once layout has fixed addresses, and
 * the values of --defsym symbols defined relative to another (read_inputs claimed
 * their names). It also settles the entry point. Fills Symbol.state, SymbolAux.osec
 * and Symbol.value, ctx->entry.
 */
#include "../ld.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const fixed_names[] = {
  "__ehdr_start", "__executable_start", "_etext", "etext", "__etext", "_edata", "edata",
  "_end", "end", "__bss_start", "__init_array_start", "__init_array_end",
  "__fini_array_start", "__fini_array_end", "__preinit_array_start", "__preinit_array_end",
  "__rela_iplt_start", "__rela_iplt_end", "_GLOBAL_OFFSET_TABLE_", "_DYNAMIC",
  "_TLS_MODULE_BASE_", NULL,
};

// The section name X of "__start_X" or "__stop_X", or NULL.
static const char *bracketed_section(const char *name) {
  if (!strncmp(name, "__start_", 8))
    return name + 8;
  if (!strncmp(name, "__stop_", 7))
    return name + 7;
  return NULL;
}

static bool has_live_section(Ctx *ctx, const char *name) {
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (isec && isec->is_alive && !strcmp(isec->name, name))
        return true;
    }
  }
  return false;
}

// PROVIDE(sym = expr) defines sym only if something refers to it and nothing else
// defines it, like the built-in names below.
static void claim_provided(Ctx *ctx, const PtrVec *cmds) {
  for (size_t i = 0; i < cmds->len; i++) {
    const ScriptCmd *cmd = cmds->data[i];
    if (cmd->kind == SC_OUTPUT_SECTION)
      claim_provided(ctx, &cmd->osd->cmds);
    if (cmd->kind != SC_ASSIGN || !cmd->assign.provide)
      continue;
    Symbol *sym = find_symbol(ctx, cmd->assign.name);
    if (sym && sym->state == SYM_UNDEF) {
      claim_script_symbol(ctx, &cmd->assign);
      note_expr_symbols(ctx, cmd->assign.expr, false);
    }
  }
}

void reserve_linker_symbols(Ctx *ctx) {
  claim_provided(ctx, &ctx->script.cmds);
  claim_provided(ctx, &ctx->script.sections);
  for (int i = 0; fixed_names[i]; i++) {
    Symbol *sym = find_symbol(ctx, fixed_names[i]);
    if (sym && sym->state == SYM_UNDEF)
      sym->state = SYM_LINKER;
  }
  // (The state first: reading the name of each of a million symbols would bring
  // back every input's string table.)
  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    const char *sec = sym->state == SYM_UNDEF ? bracketed_section(sym->name) : NULL;
    if (sec && is_c_identifier(sec) && has_live_section(ctx, sec))
      sym->state = SYM_LINKER;
  }
}

// Every value is kept relative to an output section (so the output .symtab can
// name a section for it); `anchor` is the first allocated section.
static void set(Ctx *ctx, const char *name, OutputSection *anchor, uint64_t addr) {
  Symbol *sym = find_symbol(ctx, name);
  if (!sym || sym->state != SYM_LINKER || sym->script)
    return;
  symbol_aux(ctx, sym)->osec = anchor;
  sym->value = anchor ? addr - anchor->addr : addr;  // may wrap: addresses add back up
  sym->binding = STB_GLOBAL;
  sym->type = STT_NOTYPE;
  sym->visibility = STV_DEFAULT;
}

static void set_bracket(Ctx *ctx, const char *start, const char *end, OutputSection *osec,
                        OutputSection *anchor, uint64_t fallback) {
  if (osec) {
    set(ctx, start, osec, osec->addr);
    set(ctx, end, osec, osec->addr + osec->size);
  } else {
    set(ctx, start, anchor, fallback);
    set(ctx, end, anchor, fallback);
  }
}

static void settle_entry(Ctx *ctx, OutputSection *text) {
  Symbol *sym = find_symbol(ctx, ctx->opt.entry);
  if (sym && (sym->state == SYM_DEFINED || sym->state == SYM_LINKER)) {
    ctx->entry = symbol_address(sym);
    return;
  }
  // GNU ld: "-e entry ... If there is no symbol named entry, the linker will try to
  // parse entry as a number".
  char *end;
  errno = 0;
  unsigned long long v = strtoull(ctx->opt.entry, &end, 0);
  if (ctx->opt.entry_given && *ctx->opt.entry && !*end && !errno) {
    ctx->entry = v;
    return;
  }
  ctx->entry = text ? text->addr : ctx->opt.image_base;
  if (ctx->opt.shared && !ctx->opt.entry_given) {
    ctx->entry = 0;  // a shared library has no entry point unless asked for one
    return;
  }
  warn("cannot find entry symbol '%s'; defaulting to 0x%llx", ctx->opt.entry,
       (unsigned long long)ctx->entry);
}

// --defsym values are absolute, as in GNU ld. `--defsym bar=foo` makes bar an
// alias of foo: a function stays a function.
static void define_defsyms(Ctx *ctx) {
  ctx->script.final = true;
  ctx->script.dot_ok = false;
  for (size_t i = 0; i < ctx->opt.defsyms.len; i++) {
    Defsym *d = ctx->opt.defsyms.data[i];
    Symbol *sym = find_symbol(ctx, d->name);
    sym->value = eval_expr(ctx, d->expr);
    Symbol *target = d->expr->kind == EX_SYM ? find_symbol(ctx, d->expr->name) : NULL;
    if (target && target != sym && target->state != SYM_UNDEF && target->type != STT_SECTION) {
      sym->type = target->type;
      sym->size = target->size;
    }
  }
}

// The assignments and ASSERTs of linker scripts outside SECTIONS, in script order,
// once every address is known (those inside SECTIONS ran with the layout).
static void run_script_commands(Ctx *ctx) {
  ctx->script.final = true;
  ctx->script.dot_ok = false;
  ctx->script.cur = NULL;
  for (size_t i = 0; i < ctx->script.cmds.len; i++) {
    const ScriptCmd *cmd = ctx->script.cmds.data[i];
    if (cmd->kind == SC_ASSIGN)
      run_script_assign(ctx, cmd);
    else
      run_script_assert(ctx, cmd);
  }
}

void define_linker_symbols(Ctx *ctx) {
  OutputSection *first = NULL, *text = find_output_section(ctx, ".text"), *bss = find_output_section(ctx, ".bss");
  uint64_t etext = 0, edata = 0, end = 0;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (!(osec->sh_flags & SHF_ALLOC))
      continue;
    if (!first)
      first = osec;
    if (osec->sh_flags & SHF_EXECINSTR)
      etext = osec->addr + osec->size;
    if (osec->sh_type != SHT_NOBITS)
      edata = osec->addr + osec->size;
    end = osec->addr + osec->size;
  }
  uint64_t base = ctx->opt.image_base;
  if (!etext)
    etext = base;
  if (!edata)
    edata = base;
  if (!end)
    end = base;

  set(ctx, "__ehdr_start", first, base);
  set(ctx, "__executable_start", first, base);
  set(ctx, "_etext", first, etext);
  set(ctx, "etext", first, etext);
  set(ctx, "__etext", first, etext);
  set(ctx, "_edata", first, edata);
  set(ctx, "edata", first, edata);
  set(ctx, "_end", first, end);
  set(ctx, "end", first, end);
  set(ctx, "__bss_start", bss ? bss : first, bss ? bss->addr : edata);
  set_bracket(ctx, "__init_array_start", "__init_array_end", find_output_section(ctx, ".init_array"),
              first, base);
  set_bracket(ctx, "__fini_array_start", "__fini_array_end", find_output_section(ctx, ".fini_array"),
              first, base);
  set_bracket(ctx, "__preinit_array_start", "__preinit_array_end",
              find_output_section(ctx, ".preinit_array"), first, base);
  set_bracket(ctx, "__rela_iplt_start", "__rela_iplt_end", find_output_section(ctx, ".rela.iplt"), first,
              base);
  if (has_synthetic(ctx, SYN_GOT))
    set(ctx, "_GLOBAL_OFFSET_TABLE_", ctx->synth[SYN_GOT]->osec, ctx->got_addr);
  // TLS descriptors in local-dynamic code ask for the module's TLS block through
  // _TLS_MODULE_BASE_, then add each variable's offset. In a shared library that
  // is the block's start. In an executable the sequence becomes local exec and
  // offsets count from the thread pointer (apply_relocs.c), so the base is the
  // thread pointer: its offset is 0.
  if (ctx->tls) {
    OutputSection *tls_osec = NULL;
    for (size_t i = 0; i < ctx->osecs.len && !tls_osec; i++)
      if (((OutputSection *)ctx->osecs.data[i])->sh_flags & SHF_TLS)
        tls_osec = ctx->osecs.data[i];
    set(ctx, "_TLS_MODULE_BASE_", tls_osec, ctx->opt.shared ? ctx->tls_start : ctx->tp);
  }
  if (has_synthetic(ctx, SYN_DYNAMIC))
    set(ctx, "_DYNAMIC", ctx->synth[SYN_DYNAMIC]->osec, isec_address(ctx->synth[SYN_DYNAMIC]));

  for (size_t i = 0; i < ctx->globals.len; i++) {
    Symbol *sym = ctx->globals.data[i];
    const char *sec = sym->state == SYM_LINKER ? bracketed_section(sym->name) : NULL;
    OutputSection *osec = sec ? find_output_section(ctx, sec) : NULL;
    if (osec)
      set(ctx, sym->name, osec,
          !strncmp(sym->name, "__start_", 8) ? osec->addr : osec->addr + osec->size);
  }
  run_script_commands(ctx);
  define_defsyms(ctx);
  settle_entry(ctx, text);
}
