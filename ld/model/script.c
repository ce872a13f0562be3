/*
 * script.c — what a linker script's expressions and assignments mean.
 *
 * linker_script.c reads a script into a tree (ld.h: Expr, ScriptCmd, ...); this
 * file gives the tree its values. An expression may name symbols, the location
 * counter `.`, and output sections (ADDR, SIZEOF, LOADADDR), so its value is
 * known only while the layout walks the script, and final only once every address
 * is: the layout evaluates the script again until nothing moves, and only that
 * last round (ctx->script.final) reports errors, each with the FILE:LINE where the
 * expression was written.
 *
 * Arithmetic is 64-bit unsigned, as in GNU ld; comparisons and && || ! give 0 or 1.
 *
 * A model file: the layout (script_layout.c), define_linker_symbols.c and
 * read_inputs (for --defsym) call it. Reads ctx->script, the symbol table and the
 * output sections; writes ctx->script.dot and the values of the symbols scripts
 * assign.
 */
#include "../ld.h"

#include <fnmatch.h>
#include <string.h>

// Reports a problem with e once the layout is final.
static void expr_error(Ctx *ctx, const Expr *e, const char *what, const char *name) {
  if (ctx->script.final)
    error("%s:%u: %s '%s' referenced in expression", e->file, e->line, what, name);
}

MemoryRegion *find_region(Ctx *ctx, const char *name) {
  for (size_t i = 0; i < ctx->script.memory.len; i++) {
    MemoryRegion *r = ctx->script.memory.data[i];
    if (!strcmp(r->name, name))
      return r;
  }
  return NULL;
}

// Does the script describe an output section of this name (which may have ended
// up empty, and then is not in the output)?
static bool script_names_section(Ctx *ctx, const char *name) {
  for (size_t i = 0; i < ctx->script.sections.len; i++) {
    const ScriptCmd *cmd = ctx->script.sections.data[i];
    if (cmd->kind == SC_OUTPUT_SECTION && !strcmp(cmd->osd->name, name))
      return true;
  }
  return false;
}

// ADDR, SIZEOF, LOADADDR, ALIGNOF of the section `name`. SIZEOF of a section the
// script describes but that is empty is 0, as in GNU ld.
static uint64_t section_value(Ctx *ctx, const Expr *e) {
  OutputSection *osec = find_output_section(ctx, e->name);
  if (!osec) {
    if (e->op == FN_SIZEOF && script_names_section(ctx, e->name))
      return 0;
    expr_error(ctx, e, "undefined section", e->name);
    return 0;
  }
  switch (e->op) {
  case FN_ADDR: return osec->addr;
  case FN_SIZEOF: return osec->size;
  case FN_LOADADDR: return osec->lma;
  default: return osec->sh_addralign;  // FN_ALIGNOF
  }
}

static bool is_defined(const Symbol *sym) {
  return sym && sym->state != SYM_UNDEF;
}

// ALIGN(x, a): x rounded up to a multiple of a (any a, as GNU ld allows; 0 and 1
// change nothing).
static uint64_t round_up(uint64_t x, uint64_t a) {
  return a <= 1 ? x : (x + a - 1) / a * a;
}

static uint64_t eval_func(Ctx *ctx, const Expr *e) {
  Script *s = &ctx->script;
  switch ((ScriptFunc)e->op) {
  case FN_ALIGN:
    return e->b ? round_up(eval_expr(ctx, e->a), eval_expr(ctx, e->b))
                : round_up(s->dot, eval_expr(ctx, e->a));
  case FN_NEXT:
    return round_up(s->dot, eval_expr(ctx, e->a));
  case FN_ADDR: case FN_SIZEOF: case FN_LOADADDR: case FN_ALIGNOF:
    return section_value(ctx, e);
  case FN_DEFINED:
    return is_defined(find_symbol(ctx, e->name));
  case FN_CONSTANT:
    if (!strcmp(e->name, "MAXPAGESIZE"))
      return ctx->opt.page_size;
    if (!strcmp(e->name, "COMMONPAGESIZE"))
      return 4096;
    expr_error(ctx, e, "unknown constant", e->name);
    return 0;
  case FN_MAX: {
    uint64_t a = eval_expr(ctx, e->a), b = eval_expr(ctx, e->b);
    return a > b ? a : b;
  }
  case FN_MIN: {
    uint64_t a = eval_expr(ctx, e->a), b = eval_expr(ctx, e->b);
    return a < b ? a : b;
  }
  case FN_ABSOLUTE: case FN_DATA_SEGMENT_END:
    return eval_expr(ctx, e->a);
  case FN_DATA_SEGMENT_RELRO_END:
    return eval_expr(ctx, e->b);
  case FN_SIZEOF_HEADERS:
    return s->headers_size;
  case FN_LOG2CEIL: {
    uint64_t v = eval_expr(ctx, e->a), n = 0;
    while (n < 64 && ((uint64_t)1 << n) < v)
      n++;
    return n;
  }
  case FN_ORIGIN: case FN_LENGTH: {
    MemoryRegion *r = find_region(ctx, e->name);
    if (!r) {
      expr_error(ctx, e, "undefined memory region", e->name);
      return 0;
    }
    return e->op == FN_ORIGIN ? r->origin : r->length;
  }
  case FN_DATA_SEGMENT_ALIGN: {
    // The data segment starts on a new page, at the same offset in the page as the
    // text ends: GNU ld's first form, (ALIGN(maxpagesize) + (. & (maxpagesize - 1))).
    uint64_t page = eval_expr(ctx, e->a);
    return page ? round_up(s->dot, page) + (s->dot & (page - 1)) : s->dot;
  }
  case FN_SEGMENT_START:
    if (!strcmp(e->name, "text-segment") && ctx->opt.image_base_given)
      return ctx->opt.image_base;
    return eval_expr(ctx, e->a);
  }
  return 0;
}

static uint64_t eval_binary(Ctx *ctx, const Expr *e) {
  uint64_t a = eval_expr(ctx, e->a);
  // && and || evaluate their right side only when it decides.
  if (e->op == OP_LAND)
    return a && eval_expr(ctx, e->b);
  if (e->op == OP_LOR)
    return a || eval_expr(ctx, e->b);
  uint64_t b = eval_expr(ctx, e->b);
  switch ((ExprOp)e->op) {
  case OP_MUL: return a * b;
  case OP_DIV:
  case OP_MOD:
    if (b == 0) {
      if (ctx->script.final)
        error("%s:%u: division by zero", e->file, e->line);
      return 0;
    }
    return e->op == OP_DIV ? a / b : a % b;
  case OP_ADD: return a + b;
  case OP_SUB: return a - b;
  case OP_SHL: return b >= 64 ? 0 : a << b;
  case OP_SHR: return b >= 64 ? 0 : a >> b;
  case OP_LT: return a < b;
  case OP_LE: return a <= b;
  case OP_GT: return a > b;
  case OP_GE: return a >= b;
  case OP_EQ: return a == b;
  case OP_NE: return a != b;
  case OP_AND: return a & b;
  case OP_XOR: return a ^ b;
  case OP_OR: return a | b;
  default: return 0;
  }
}

uint64_t eval_expr(Ctx *ctx, const Expr *e) {
  if (!e)
    return 0;
  switch (e->kind) {
  case EX_NUM:
    return e->num;
  case EX_DOT:
    if (!ctx->script.dot_ok && ctx->script.final)
      error("%s:%u: the location counter '.' is used outside SECTIONS", e->file, e->line);
    return ctx->script.dot;
  case EX_SYM: {
    Symbol *sym = find_symbol(ctx, e->name);
    if (!is_defined(sym)) {
      expr_error(ctx, e, "undefined symbol", e->name);
      return 0;
    }
    return symbol_address(sym);
  }
  case EX_UNARY: {
    uint64_t a = eval_expr(ctx, e->a);
    return e->op == OP_NEG ? 0 - a : e->op == OP_NOT ? !a : ~a;
  }
  case EX_BINARY:
    return eval_binary(ctx, e);
  case EX_COND:
    return eval_expr(ctx, e->a) ? eval_expr(ctx, e->b) : eval_expr(ctx, e->c);
  case EX_FUNC:
    return eval_func(ctx, e);
  }
  return 0;
}

void note_expr_symbols(Ctx *ctx, const Expr *e, bool strong) {
  if (!e)
    return;
  if (e->kind == EX_SYM) {
    Symbol *sym = intern_symbol(ctx, e->name);
    sym->script_ref = true;
    if (strong)
      sym->strong_ref = true;
  }
  note_expr_symbols(ctx, e->a, strong);
  note_expr_symbols(ctx, e->b, strong);
  note_expr_symbols(ctx, e->c, strong);
}

void claim_script_symbol(Ctx *ctx, const ScriptAssign *a) {
  Symbol *sym = intern_symbol(ctx, a->name);
  sym->state = SYM_LINKER;
  sym->script = true;
  sym->file = ctx->internal;
  sym->isec = NULL;
  sym->osec = NULL;
  sym->value = 0;
  sym->binding = STB_GLOBAL;
  sym->type = STT_NOTYPE;
  sym->visibility = a->hidden ? STV_HIDDEN : STV_DEFAULT;
}

// The allocated output section an address is in (or just past the end of), to
// anchor a symbol the script sets to an address; NULL if none is near.
static OutputSection *section_at(Ctx *ctx, uint64_t addr) {
  OutputSection *best = NULL;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (!(osec->sh_flags & SHF_ALLOC))
      continue;
    if (addr >= osec->addr && addr - osec->addr < osec->size)
      return osec;
    if (addr >= osec->addr && addr - osec->addr == osec->size)
      best = osec;
  }
  return best;
}

// Does e depend on where things are (., a section, a symbol)? Then its value is an
// address in the image, not a plain number.
static bool is_address(const Expr *e) {
  if (!e)
    return false;
  if (e->kind == EX_DOT || e->kind == EX_SYM)
    return true;
  if (e->kind == EX_FUNC && (e->op == FN_ADDR || e->op == FN_LOADADDR || e->op == FN_ALIGN ||
                             e->op == FN_NEXT || e->op == FN_DATA_SEGMENT_ALIGN))
    return true;
  return is_address(e->a) || is_address(e->b) || is_address(e->c);
}

// `lhs OP= rhs` for the compound assignments.
static uint64_t combine(Ctx *ctx, const ScriptAssign *a, uint64_t old, const Expr *where) {
  uint64_t v = eval_expr(ctx, a->expr);
  Expr e = {.kind = EX_BINARY, .op = a->op, .file = where->file, .line = where->line};
  Expr lhs = {.kind = EX_NUM, .num = old}, rhs = {.kind = EX_NUM, .num = v};
  if (a->op == OP_NONE)
    return v;
  e.a = &lhs;
  e.b = &rhs;
  return eval_expr(ctx, &e);
}

void run_script_assign(Ctx *ctx, const ScriptCmd *cmd) {
  const ScriptAssign *a = &cmd->assign;
  Script *s = &ctx->script;
  if (!strcmp(a->name, ".")) {
    uint64_t v = combine(ctx, a, s->dot, a->expr);
    // Inside an output section `.` only moves forward: its bytes are already placed.
    if (s->cur && v < s->dot) {
      if (s->final)
        error("%s:%u: cannot move the location counter backwards (from 0x%llx to 0x%llx)",
              cmd->file, cmd->line, (unsigned long long)s->dot, (unsigned long long)v);
      return;
    }
    s->dot = v;
    return;
  }
  Symbol *sym = find_symbol(ctx, a->name);
  if (!sym || !sym->script)
    return;  // PROVIDE of a symbol nothing needs, or one an input defines
  uint64_t v = combine(ctx, a, symbol_address(sym), a->expr);
  // `bar = foo;` makes bar an alias: a function stays a function.
  if (a->expr->kind == EX_SYM && a->op == OP_NONE) {
    Symbol *target = find_symbol(ctx, a->expr->name);
    if (target && target != sym && target->state != SYM_UNDEF) {
      sym->type = target->type == STT_SECTION ? STT_NOTYPE : target->type;
      sym->size = target->size;
    }
  }
  OutputSection *osec = s->cur;
  if (!osec && is_address(a->expr))
    osec = section_at(ctx, v);
  sym->osec = osec;
  sym->value = osec ? v - osec->addr : v;  // may wrap: addresses add back up
}

void run_script_assert(Ctx *ctx, const ScriptCmd *cmd) {
  if (!eval_expr(ctx, cmd->expr) && ctx->script.final)
    error("%s:%u: %s", cmd->file, cmd->line, cmd->msg ? cmd->msg : "assertion failed");
}

// Does a file glob name `file`? A plain file is matched by its name; an archive
// member, written "lib.a(m.o)" in messages, by "m.o" and by GNU ld's "lib.a:m.o".
static bool file_matches(Ctx *ctx, const char *glob, const InputFile *file) {
  if (!strcmp(glob, "*") || !fnmatch(glob, file->name, 0))
    return true;
  const char *open = file->from_archive ? strrchr(file->name, '(') : NULL;
  size_t len = strlen(file->name);
  if (!open || len < 2 || file->name[len - 1] != ')')
    return false;
  const char *member = arena_strndup(&ctx->arena, open + 1, len - (size_t)(open - file->name) - 2);
  const char *both = arena_printf(&ctx->arena, "%.*s:%s", (int)(open - file->name), file->name,
                                  member);
  return !fnmatch(glob, member, 0) || !fnmatch(glob, both, 0);
}

static bool pattern_matches(Ctx *ctx, const SectionPattern *pat, const InputSection *isec) {
  if (fnmatch(pat->glob, isec->name, 0))
    return false;
  for (size_t i = 0; i < pat->exclude_files.len; i++)
    if (file_matches(ctx, pat->exclude_files.data[i], isec->file))
      return false;
  return true;
}

InputRule *match_script_rule(Ctx *ctx, const InputSection *isec, OutputDesc **osd) {
  for (size_t i = 0; i < ctx->script.sections.len; i++) {
    const ScriptCmd *cmd = ctx->script.sections.data[i];
    if (cmd->kind != SC_OUTPUT_SECTION)
      continue;
    for (size_t j = 0; j < cmd->osd->cmds.len; j++) {
      const ScriptCmd *in = cmd->osd->cmds.data[j];
      if (in->kind != SC_INPUT || !file_matches(ctx, in->rule->file_glob, isec->file))
        continue;
      for (size_t k = 0; k < in->rule->patterns.len; k++)
        if (pattern_matches(ctx, in->rule->patterns.data[k], isec)) {
          *osd = cmd->osd;
          return in->rule;
        }
    }
  }
  *osd = NULL;
  return NULL;
}
