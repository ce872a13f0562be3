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
 * Each value also carries its kind (a plain number, an absolute address, or an
 * offset in an output section; see Value below), because GNU ld's `.` inside an
 * output section is an offset from its start.
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
  for (size_t i = 0; i < ctx->script.region_aliases.len; i++) {
    RegionAlias *a = ctx->script.region_aliases.data[i];
    if (!strcmp(a->name, name))
      return a->region;
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

// What an expression is worth, as GNU ld counts it ("Expression Section" in its
// manual). A value is one of three things:
//
//   a plain number      4, SIZEOF(.data), a comparison, `sym1 - sym2`
//   an absolute address LOADADDR(.data), ABSOLUTE(.), any number written outside
//                       an output section
//   an address relative to an output section: `.` inside one, a symbol, ADDR(.data)
//                       (kept as the section and an offset in it)
//
// The difference shows inside an output section, where `.` is an offset from the
// section's start: `.data : { . = 0x100; }` makes .data 0x100 bytes long, and
// `sym = 0x10;` there is .data + 0x10. ALIGN(16) still aligns the address.
typedef enum { VAL_NUMBER, VAL_ABS, VAL_REL } ValueKind;

typedef struct {
  uint64_t v;                 // VAL_REL: the offset in osec
  ValueKind kind;
  const OutputSection *osec;  // VAL_REL
} Value;

static Value number(uint64_t v) {
  return (Value){.v = v, .kind = VAL_NUMBER};
}

static Value absolute(uint64_t v) {
  return (Value){.v = v, .kind = VAL_ABS};
}

static uint64_t address_of(Value x) {
  return x.kind == VAL_REL ? x.osec->addr + x.v : x.v;
}

static Value relative(const OutputSection *osec, uint64_t addr) {
  return (Value){.v = addr - osec->addr, .kind = VAL_REL, .osec = osec};
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

// An address computed from `.` (ALIGN(a), ORIGIN, ...): relative to the output
// section being laid out; outside every output section, relative to the one it is
// in or just past (GNU ld's section_for_dot), so that `_end = .;` after .bss is a
// symbol of .bss; else absolute.
static Value dot_like(Ctx *ctx, uint64_t addr) {
  const OutputSection *osec = ctx->script.cur ? ctx->script.cur : section_at(ctx, addr);
  return osec ? relative(osec, addr) : absolute(addr);
}

// ADDR, SIZEOF, LOADADDR, ALIGNOF of the section `name`. SIZEOF of a section the
// script describes but that is empty is 0, as in GNU ld.
static Value section_value(Ctx *ctx, const Expr *e) {
  OutputSection *osec = find_output_section(ctx, e->name);
  if (!osec) {
    if (e->op == FN_SIZEOF && script_names_section(ctx, e->name))
      return number(0);
    expr_error(ctx, e, "undefined section", e->name);
    return number(0);
  }
  switch (e->op) {
  case FN_ADDR: return relative(osec, osec->addr);
  case FN_SIZEOF: return number(osec->size);
  case FN_LOADADDR: return absolute(osec->lma);
  default: return number(osec->sh_addralign);  // FN_ALIGNOF
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

static Value eval_value(Ctx *ctx, const Expr *e);
static Value eval_pair(Ctx *ctx, const Expr *e);

static Value eval_func(Ctx *ctx, const Expr *e) {
  Script *s = &ctx->script;
  switch ((ScriptFunc)e->op) {
  case FN_ALIGN:
    if (e->b)  // ALIGN(x, a)
      return eval_pair(ctx, e);
    return dot_like(ctx, round_up(s->dot, eval_expr(ctx, e->a)));
  case FN_NEXT:
    return absolute(round_up(s->dot, eval_expr(ctx, e->a)));
  case FN_ADDR: case FN_SIZEOF: case FN_LOADADDR: case FN_ALIGNOF:
    return section_value(ctx, e);
  case FN_DEFINED:
    return number(is_defined(find_symbol(ctx, e->name)));
  case FN_CONSTANT:
    if (!strcmp(e->name, "MAXPAGESIZE"))
      return number(ctx->opt.page_size);
    if (!strcmp(e->name, "COMMONPAGESIZE"))
      return number(4096);
    expr_error(ctx, e, "unknown constant", e->name);
    return number(0);
  case FN_MAX: case FN_MIN:
    return eval_pair(ctx, e);
  case FN_ABSOLUTE:
    return absolute(eval_expr(ctx, e->a));
  case FN_DATA_SEGMENT_END:
    return eval_value(ctx, e->a);
  case FN_DATA_SEGMENT_RELRO_END:
    return eval_value(ctx, e->b);
  case FN_SIZEOF_HEADERS:
    return number(s->headers_size);
  case FN_LOG2CEIL: {
    uint64_t v = eval_expr(ctx, e->a), n = 0;
    while (n < 64 && ((uint64_t)1 << n) < v)
      n++;
    return number(n);
  }
  case FN_ORIGIN: case FN_LENGTH: {
    MemoryRegion *r = find_region(ctx, e->name);
    if (!r) {
      expr_error(ctx, e, "undefined memory region", e->name);
      return number(0);
    }
    return e->op == FN_ORIGIN ? dot_like(ctx, r->origin) : number(r->length);
  }
  case FN_DATA_SEGMENT_ALIGN: {
    // The data segment starts on a new page, at the same offset in the page as the
    // text ends: GNU ld's first form, (ALIGN(maxpagesize) + (. & (maxpagesize - 1))).
    uint64_t page = eval_expr(ctx, e->a);
    return dot_like(ctx, page ? round_up(s->dot, page) + (s->dot & (page - 1)) : s->dot);
  }
  case FN_SEGMENT_START:
    if (!strcmp(e->name, "text-segment") && ctx->opt.image_base_given)
      return dot_like(ctx, ctx->opt.image_base);
    return eval_value(ctx, e->a);
  }
  return number(0);
}

// GNU ld's rule for the two operands of an operator, or of MAX, MIN and
// ALIGN(x, a): values of two different sections (or one absolute) are first made
// absolute addresses. Returns the kind the result has, that of the operand which is
// not a plain number; *both says that neither is.
static Value operands(Value *a, Value *b, bool *both) {
  bool same = a->kind == b->kind && a->osec == b->osec;
  if (!same && a->kind != VAL_NUMBER && b->kind != VAL_NUMBER) {
    *a = absolute(address_of(*a));
    *b = absolute(address_of(*b));
  }
  *both = a->kind != VAL_NUMBER && b->kind != VAL_NUMBER;
  return a->kind == VAL_NUMBER ? *b : *a;
}

// MAX(a, b), MIN(a, b), ALIGN(x, a): of the kind of x (or of the operand that is
// not a number), as `x + a` would be.
static Value eval_pair(Ctx *ctx, const Expr *e) {
  Value a = eval_value(ctx, e->a), b = eval_value(ctx, e->b);
  bool both;
  Value r = operands(&a, &b, &both);
  uint64_t x = a.v, y = b.v;
  r.v = e->op == FN_ALIGN ? round_up(x, y) : e->op == FN_MAX ? (x > y ? x : y) : (x < y ? x : y);
  return r;
}

// `a op b`. Arithmetic on two values of the same kind gives a plain number
// (`end - start` is a size), and so does a comparison.
static Value eval_binary(Ctx *ctx, const Expr *e, ExprOp op, Value a, Value b) {
  bool both;
  Value r = operands(&a, &b, &both);
  uint64_t x = a.v, y = b.v;
  if (both)
    r = number(0);
  switch (op) {
  case OP_MUL: r.v = x * y; break;
  case OP_DIV:
  case OP_MOD:
    if (y == 0) {
      if (ctx->script.final)
        error("%s:%u: division by zero", e->file, e->line);
      r.v = 0;
    } else {
      r.v = op == OP_DIV ? x / y : x % y;
    }
    break;
  case OP_ADD: r.v = x + y; break;
  case OP_SUB: r.v = x - y; break;
  case OP_SHL: r.v = y >= 64 ? 0 : x << y; break;
  case OP_SHR: r.v = y >= 64 ? 0 : x >> y; break;
  case OP_AND: r.v = x & y; break;
  case OP_XOR: r.v = x ^ y; break;
  case OP_OR: r.v = x | y; break;
  case OP_LT: return number(x < y);
  case OP_LE: return number(x <= y);
  case OP_GT: return number(x > y);
  case OP_GE: return number(x >= y);
  case OP_EQ: return number(x == y);
  case OP_NE: return number(x != y);
  default: return number(0);
  }
  return r;
}

// The output section a defined symbol is in, or NULL if it is absolute.
static const OutputSection *section_of(const Symbol *sym) {
  if (sym->state == SYM_LINKER)
    return sym->aux->osec && sym->aux->osec->shndx != SHN_ABS ? sym->aux->osec : NULL;
  if (sym->isec && sym->isec->osec && sym->isec->osec->shndx != SHN_ABS)
    return sym->isec->osec;
  return NULL;
}

static Value eval_value(Ctx *ctx, const Expr *e) {
  Script *s = &ctx->script;
  if (!e)
    return number(0);
  switch (e->kind) {
  case EX_NUM:
    // Outside an output section a number is an address (GNU ld without
    // SANE_EXPR); inside one it is an offset, a size, a count.
    return s->cur ? number(e->num) : absolute(e->num);
  case EX_DOT:
    if (!s->dot_ok && s->final)
      error("%s:%u: the location counter '.' is used outside SECTIONS", e->file, e->line);
    return dot_like(ctx, s->dot);
  case EX_SYM: {
    Symbol *sym = find_symbol(ctx, e->name);
    if (!is_defined(sym)) {
      expr_error(ctx, e, "undefined symbol", e->name);
      return number(0);
    }
    const OutputSection *osec = section_of(sym);
    if (osec)
      return relative(osec, symbol_address(sym));
    return s->cur ? number(symbol_address(sym)) : absolute(symbol_address(sym));
  }
  case EX_UNARY: {
    Value a = eval_value(ctx, e->a);
    if (e->op == OP_NOT)
      return number(!a.v);
    a.v = e->op == OP_NEG ? 0 - a.v : ~a.v;
    return a;
  }
  case EX_BINARY: {
    // && and || evaluate their right side only when it decides.
    if (e->op == OP_LAND || e->op == OP_LOR) {
      bool a = eval_value(ctx, e->a).v != 0;
      if (e->op == OP_LAND ? !a : a)
        return number(a);
      return number(eval_value(ctx, e->b).v != 0);
    }
    Value a = eval_value(ctx, e->a);
    return eval_binary(ctx, e, (ExprOp)e->op, a, eval_value(ctx, e->b));
  }
  case EX_COND:
    return eval_value(ctx, e->a).v ? eval_value(ctx, e->b) : eval_value(ctx, e->c);
  case EX_FUNC:
    return eval_func(ctx, e);
  }
  return number(0);
}

uint64_t eval_expr(Ctx *ctx, const Expr *e) {
  return address_of(eval_value(ctx, e));
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
  symbol_aux(ctx, sym)->osec = NULL;
  sym->value = 0;
  sym->binding = STB_GLOBAL;
  sym->type = STT_NOTYPE;
  sym->visibility = a->hidden ? STV_HIDDEN : STV_DEFAULT;
}

// The value `lhs OP= rhs` gives lhs (`.` or a symbol): GNU ld reads `x += 4` as
// `x = x + 4`, with the kinds of values that implies.
static Value assigned_value(Ctx *ctx, const ScriptAssign *a, const Expr *where) {
  if (a->op == OP_NONE)
    return eval_value(ctx, a->expr);
  Expr lhs = {.kind = strcmp(a->name, ".") ? EX_SYM : EX_DOT, .name = a->name,
              .file = where->file, .line = where->line};
  Expr e = {.kind = EX_BINARY, .op = a->op, .a = &lhs, .b = a->expr, .file = where->file,
            .line = where->line};
  return eval_value(ctx, &e);
}

void run_script_assign(Ctx *ctx, const ScriptCmd *cmd) {
  const ScriptAssign *a = &cmd->assign;
  Script *s = &ctx->script;
  Value val = assigned_value(ctx, a, a->expr);
  if (!strcmp(a->name, ".")) {
    // A plain number is an offset from the start of the output section `.` is in
    // (`.data : { . = 0x100; }` makes .data 0x100 bytes), and an address outside.
    uint64_t v = val.kind == VAL_NUMBER && s->cur ? s->cur->addr + val.v : address_of(val);
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
  // `bar = foo;` makes bar an alias: a function stays a function.
  if (a->expr->kind == EX_SYM && a->op == OP_NONE) {
    Symbol *target = find_symbol(ctx, a->expr->name);
    if (target && target != sym && target->state != SYM_UNDEF) {
      sym->type = target->type == STT_SECTION ? STT_NOTYPE : target->type;
      sym->size = target->size;
    }
  }
  // Where the symbol is: a plain number inside an output section is an offset in
  // it, as for `.`; an address relative to a section stays in that section; an
  // absolute one (ABSOLUTE(.), LOADADDR, a number outside) is absolute.
  const OutputSection *osec = NULL;
  uint64_t v = address_of(val);
  if (val.kind == VAL_NUMBER && s->cur)
    osec = s->cur, v = s->cur->addr + val.v;
  else if (val.kind == VAL_REL)
    osec = val.osec;
  symbol_aux(ctx, sym)->osec = (OutputSection *)osec;
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
