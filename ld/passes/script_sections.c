/*
 * script_sections.c — the layout command of a linker script, SECTIONS, and the
 * statements it shares with the rest of the script (assignments,
 * PROVIDE, ASSERT, INCLUDE).
 *
 *   SECTIONS {
 *     . = 0x400000 + SIZEOF_HEADERS;                     an assignment
 *     .text : { *(.text .text.*) KEEP(*(.init)) }        an output section and its rules
 *     .data : AT(0x800000) { *(.data) } >ram             ... with its load address, region
 *   }
 *
 * Output section descriptions become OutputDesc, input section descriptions
 * InputRule (with SORT_*, EXCLUDE_FILE and KEEP recorded on them), in
 * ctx->script.sections. Nothing is evaluated here: script_layout.c runs the tree.
 * (MEMORY and PHDRS are script_regions.c's.)
 *
 * A sub-step of linker_script.c, which reads the other commands; script_lexer.c
 * gives the tokens and expressions. Errors name FILE:LINE and what was expected.
 */
#include "../ld.h"

#include <string.h>

// KEEP ( rule ), SORT_BY_NAME ( glob ), ... — the section globs of one rule, after
// its '(' up to the ')'.
static void section_patterns(ScriptParser *p, InputRule *rule) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  PtrVec excludes = {0};
  while (!lx->failed && !lex_accept(lx, LEX_NAME, ")")) {
    Token t = lex_next(lx, LEX_NAME);
    if (t.eof) {
      lex_error(lx, "expected ')' to close the section list, not the end of the file");
      return;
    }
    if (!t.quoted && !strcmp(t.s, ","))
      continue;
    if (!t.quoted && !strcmp(t.s, "EXCLUDE_FILE")) {
      lex_expect(lx, LEX_NAME, "(", "after EXCLUDE_FILE");
      while (!lx->failed && !lex_accept(lx, LEX_NAME, ")")) {
        Token f = lex_next(lx, LEX_NAME);
        if (f.eof || (!f.quoted && strchr("(;{}", f.s[0])))
          lex_error(lx, "expected ')' to close EXCLUDE_FILE(");
        else if (strcmp(f.s, ","))
          vec_push(&ctx->arena, &excludes, (void *)f.s);
      }
      continue;
    }
    int sort = SORT_NONE, then_sort = SORT_NONE;
    int nested = 0;
    while (!t.quoted && (!strcmp(t.s, "SORT") || !strcmp(t.s, "SORT_BY_NAME") ||
                         !strcmp(t.s, "SORT_BY_ALIGNMENT") || !strcmp(t.s, "SORT_BY_INIT_PRIORITY") ||
                         !strcmp(t.s, "SORT_NONE"))) {
      // SORT_BY_NAME(SORT_BY_ALIGNMENT(x)): by name, then, for equal names, by
      // alignment; the other way round too. The same key twice is the key once.
      int key = !strcmp(t.s, "SORT_BY_ALIGNMENT") ? SORT_BY_ALIGNMENT
              : !strcmp(t.s, "SORT_BY_INIT_PRIORITY") ? SORT_BY_INIT_PRIORITY
              : !strcmp(t.s, "SORT_NONE") ? SORT_KEEP : SORT_BY_NAME;
      bool by_name_or_alignment = key == SORT_BY_NAME || key == SORT_BY_ALIGNMENT;
      if (nested > 1 || (nested == 1 && (!by_name_or_alignment ||
                                         (sort != SORT_BY_NAME && sort != SORT_BY_ALIGNMENT)))) {
        lex_error(lx, "invalid nested sort: only SORT_BY_NAME and SORT_BY_ALIGNMENT nest, "
                  "one inside the other");
        return;
      }
      if (nested == 0)
        sort = key;
      else if (key != sort)
        then_sort = key;
      char context[64];
      snprintf(context, sizeof context, "after %s", t.s);
      if (!lex_expect(lx, LEX_NAME, "(", context))
        return;
      nested++;
      t = lex_next(lx, LEX_NAME);
    }
    if (t.eof || (!t.quoted && strchr("(){};", t.s[0]))) {
      lex_error(lx, "expected a section name pattern, not '%s'", t.eof ? "the end of the file" : t.s);
      return;
    }
    SectionPattern *pat = arena_alloc(&ctx->arena, sizeof *pat);
    pat->glob = t.s;
    pat->sort = sort;
    pat->then_sort = then_sort;
    pat->exclude_files = excludes;
    vec_push(&ctx->arena, &rule->patterns, pat);
    // SORT_BY_NAME(.a .b) lists several globs in one pair of parentheses.
    while (nested > 0 && !lx->failed) {
      if (lex_accept(lx, LEX_NAME, ")")) {
        nested--;
        continue;
      }
      Token more = lex_next(lx, LEX_NAME);
      if (more.eof || (!more.quoted && strchr("({};", more.s[0]))) {
        lex_error(lx, "expected ')' to close the sort, not '%s'",
                  more.eof ? "the end of the file" : more.s);
        return;
      }
      SectionPattern *next = arena_alloc(&ctx->arena, sizeof *next);
      *next = *pat;
      next->glob = more.s;
      vec_push(&ctx->arena, &rule->patterns, next);
    }
  }
}

// An input section description: `FILEGLOB(SECTIONGLOBS)`, or FILEGLOB alone (all of
// its sections). `first` has been read.
static InputRule *input_rule(ScriptParser *p, Token first) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  InputRule *rule = arena_alloc(&ctx->arena, sizeof *rule);
  rule->rank = ctx->script.nrules++;
  PtrVec excludes = {0};
  if (!first.quoted && !strcmp(first.s, "EXCLUDE_FILE")) {
    // EXCLUDE_FILE(files) *(sections): applies to every glob of the rule.
    lex_expect(lx, LEX_NAME, "(", "after EXCLUDE_FILE");
    while (!lx->failed && !lex_accept(lx, LEX_NAME, ")")) {
      Token f = lex_next(lx, LEX_NAME);
      if (f.eof || (!f.quoted && strchr("(;{}", f.s[0])))
        lex_error(lx, "expected ')' to close EXCLUDE_FILE(");
      else if (strcmp(f.s, ","))
        vec_push(&ctx->arena, &excludes, (void *)f.s);
    }
    first = lex_next(lx, LEX_NAME);
  }
  if (!first.quoted && (!strcmp(first.s, "SORT") || !strcmp(first.s, "SORT_BY_NAME"))) {
    // SORT(*)(.text): the files in name order.
    rule->file_sort = SORT_BY_NAME;
    lex_expect(lx, LEX_NAME, "(", "after SORT");
    first = lex_next(lx, LEX_NAME);
    lex_expect(lx, LEX_NAME, ")", "to close SORT(");
  }
  if (first.eof || (!first.quoted && strchr("(){};,=", first.s[0]))) {
    lex_error(lx, "expected an input section description, not '%s'",
              first.eof ? "the end of the file" : first.s);
    return rule;
  }
  rule->file_glob = first.s;
  if (lex_accept(lx, LEX_NAME, "(")) {
    section_patterns(p, rule);
  } else {
    SectionPattern *all = arena_alloc(&ctx->arena, sizeof *all);
    all->glob = "*";
    vec_push(&ctx->arena, &rule->patterns, all);
  }
  for (size_t i = 0; i < rule->patterns.len && excludes.len; i++) {
    SectionPattern *pat = rule->patterns.data[i];
    for (size_t j = 0; j < excludes.len; j++)
      vec_push(&ctx->arena, &pat->exclude_files, excludes.data[j]);
  }
  return rule;
}

// What an output section description holds, after its '{', up to its '}' (or the
// end of an INCLUDEd file).
static void output_section_items(ScriptParser *p, OutputDesc *osd, bool until_eof);

static void included_section_items(ScriptParser *p, void *osd) {
  output_section_items(p, osd, true);
}

static void output_section_items(ScriptParser *p, OutputDesc *osd, bool until_eof) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  static const struct { const char *name; uint32_t size; } data[] = {
    {"BYTE", 1}, {"SHORT", 2}, {"LONG", 4}, {"QUAD", 8}, {"SQUAD", 8},
  };
  while (!lx->failed) {
    Token t = lex_peek(lx, LEX_NAME);
    if (t.eof) {
      if (!until_eof)
        lex_error(lx, "expected '}' to close output section '%s', not the end of the file",
                  osd->name);
      return;
    }
    if (is_keyword(&t, "}") && !until_eof)
      return;
    lex_next(lx, LEX_NAME);
    if (is_keyword(&t, ";"))
      continue;
    ScriptCmd *cmd = NULL;
    if (is_keyword(&t, "KEEP")) {
      lex_expect(lx, LEX_NAME, "(", "after KEEP");
      cmd = new_script_cmd(p, SC_INPUT);
      cmd->rule = input_rule(p, lex_next(lx, LEX_NAME));
      cmd->rule->keep = true;
      lex_expect(lx, LEX_NAME, ")", "to close KEEP(");
    } else if (is_keyword(&t, "PROVIDE") || is_keyword(&t, "PROVIDE_HIDDEN") ||
               is_keyword(&t, "HIDDEN")) {
      cmd = parse_wrapped_assignment(p, t.s);
    } else if (is_keyword(&t, "ASSERT")) {
      cmd = parse_assert(p);
    } else if (is_keyword(&t, "INCLUDE")) {
      parse_include(p, included_section_items, osd);
      continue;
    } else if (is_keyword(&t, "FILL")) {
      lex_expect(lx, LEX_EXPR, "(", "after FILL");
      osd->fill = parse_expr(lx);
      lex_expect(lx, LEX_EXPR, ")", "to close FILL(");
      continue;
    } else if (is_keyword(&t, "CREATE_OBJECT_SYMBOLS") || is_keyword(&t, "CONSTRUCTORS")) {
      continue;  // a.out and ECOFF only: nothing to do in ELF
    } else {
      for (size_t i = 0; i < sizeof data / sizeof data[0] && !cmd; i++)
        if (is_keyword(&t, data[i].name) && lex_is(lx, LEX_EXPR, "(")) {
          cmd = new_script_cmd(p, SC_DATA);
          cmd->size = data[i].size;
          lex_next(lx, LEX_EXPR);
          cmd->expr = parse_expr(lx);
          lex_expect(lx, LEX_EXPR, ")", "to close the data statement");
        }
      if (!cmd) {
        ExprOp op;
        Token next = lex_peek(lx, LEX_EXPR);
        if (is_assign_op(&next, &op)) {
          cmd = parse_assignment(p, t.s, false, false);
        } else {
          cmd = new_script_cmd(p, SC_INPUT);
          cmd->rule = input_rule(p, t);
        }
      }
    }
    vec_push(&ctx->arena, &osd->cmds, cmd);
  }
}

// What may follow an output section's '}': [>REGION] [AT>REGION] [:PHDR ...] [=FILL].
static void section_trailer(ScriptParser *p, OutputDesc *osd) {
  Lexer *lx = &p->lx;
  for (;;) {
    if (lex_accept(lx, LEX_EXPR, ">")) {
      osd->region = lex_next(lx, LEX_NAME).s;
    } else if (lex_is(lx, LEX_NAME, "AT")) {
      lex_next(lx, LEX_NAME);
      lex_expect(lx, LEX_EXPR, ">", "after AT (AT>REGION)");
      osd->lma_region = lex_next(lx, LEX_NAME).s;
    } else if (lex_accept(lx, LEX_EXPR, ":")) {
      Token ph = lex_next(lx, LEX_NAME);
      if (ph.eof || (!ph.quoted && strchr("(){};,=", ph.s[0])))
        lex_error(lx, "expected a program header name after ':'");
      vec_push(&lx->ctx->arena, &osd->phdrs, (void *)ph.s);
    } else if (lex_accept(lx, LEX_EXPR, "=")) {
      osd->fill = parse_expr(lx);
    } else {
      return;
    }
  }
}

// NAME [ADDRESS] [(TYPE)] : [AT(LMA)] [ALIGN(A)] [SUBALIGN(A)] [ONLY_IF_RO] { ... }
//   [>REGION] [AT>REGION] [:PHDR ...] [=FILL] [,]
static ScriptCmd *output_section(ScriptParser *p, const char *name) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  ScriptCmd *cmd = new_script_cmd(p, SC_OUTPUT_SECTION);
  OutputDesc *osd = arena_alloc(&ctx->arena, sizeof *osd);
  cmd->osd = osd;
  osd->name = name;
  osd->file = lx->path;
  osd->line = lx->line;
  for (int round = 0; round < 2 && !lex_is(lx, LEX_EXPR, ":") && !lx->failed; round++) {
    // (NOLOAD) and friends look like a parenthesized address: look past the '('.
    size_t pos = lx->pos;
    uint32_t line = lx->line;
    if (lex_accept(lx, LEX_EXPR, "(")) {
      Token type = lex_next(lx, LEX_NAME);
      if (lex_is(lx, LEX_EXPR, ")") &&
          (is_keyword(&type, "NOLOAD") || is_keyword(&type, "COPY") || is_keyword(&type, "INFO") ||
           is_keyword(&type, "DSECT") || is_keyword(&type, "OVERLAY") || is_keyword(&type, "READONLY"))) {
        lex_next(lx, LEX_EXPR);
        osd->noload = is_keyword(&type, "NOLOAD");
        continue;
      }
      lx->pos = pos;
      lx->line = line;
    }
    if (round == 0)
      osd->addr = parse_expr(lx);
  }
  char context[128];
  snprintf(context, sizeof context, "after output section name '%s'", name);
  lex_expect(lx, LEX_EXPR, ":", context);
  for (;;) {
    Token t = lex_peek(lx, LEX_NAME);
    if (is_keyword(&t, "AT")) {
      lex_next(lx, LEX_NAME);
      lex_expect(lx, LEX_EXPR, "(", "after AT");
      osd->lma = parse_expr(lx);
      lex_expect(lx, LEX_EXPR, ")", "to close AT(");
    } else if (is_keyword(&t, "ALIGN") || is_keyword(&t, "SUBALIGN")) {
      lex_next(lx, LEX_NAME);
      lex_expect(lx, LEX_EXPR, "(", is_keyword(&t, "ALIGN") ? "after ALIGN" : "after SUBALIGN");
      *(is_keyword(&t, "ALIGN") ? &osd->align : &osd->subalign) = parse_expr(lx);
      lex_expect(lx, LEX_EXPR, ")", "to close the alignment");
    } else if (is_keyword(&t, "ONLY_IF_RO") || is_keyword(&t, "ONLY_IF_RW") ||
               is_keyword(&t, "ALIGN_WITH_INPUT")) {
      lex_next(lx, LEX_NAME);
    } else {
      break;
    }
  }
  snprintf(context, sizeof context, "to open output section '%s'", name);
  if (!lex_expect(lx, LEX_EXPR, "{", context))
    return cmd;
  output_section_items(p, osd, false);
  snprintf(context, sizeof context, "to close output section '%s'", name);
  lex_expect(lx, LEX_EXPR, "}", context);
  section_trailer(p, osd);
  lex_accept(lx, LEX_EXPR, ",");
  return cmd;
}

static Expr *new_expr(ScriptParser *p, ExprKind kind, int op, const char *name) {
  Expr *e = arena_alloc(&p->lx.ctx->arena, sizeof *e);
  e->kind = kind;
  e->op = op;
  e->name = name;
  e->file = p->lx.path;
  e->line = p->lx.line;
  return e;
}

static Expr *new_binary(ScriptParser *p, int op, Expr *a, Expr *b) {
  Expr *e = new_expr(p, op == FN_MAX ? EX_FUNC : EX_BINARY, op, NULL);
  e->a = a;
  e->b = b;
  return e;
}

// PROVIDE(name = expr), made by the linker.
static ScriptCmd *provide(ScriptParser *p, const char *name, Expr *expr) {
  ScriptCmd *cmd = new_script_cmd(p, SC_ASSIGN);
  cmd->assign.name = name;
  cmd->assign.expr = expr;
  cmd->assign.provide = true;
  return cmd;
}

// OVERLAY [START] : [NOCROSSREFS] [AT(LDADDR)] [SUBALIGN(A)] {
//   SEC1 { ... } [:PHDR ...] [=FILL]
//   SEC2 { ... } ...
// } [>REGION] [AT>REGION] [:PHDR ...] [=FILL] [,]
//
// Sections that take turns at one address: a program without room for all of its
// code copies the one it needs from where it is loaded to where it runs. As GNU ld
// does, this is written as ordinary output sections: the first at START (or `.`),
// loaded at LDADDR; the others at ADDR(SEC1), each loaded right after the one
// before (OutputDesc.overlay); PROVIDE(__load_start_SEC = LOADADDR(SEC)) and
// __load_stop_SEC (its end) for the copying code, SEC's name without what C does
// not allow in a name (.ov1 gives __load_start_ov1); and after the last one,
// `. = ADDR(SEC1) + MAX(SIZEOF(SEC1), SIZEOF(SEC2), ...)` (OutputDesc.dot_after).
static void overlay(ScriptParser *p) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  Expr *start = lex_is(lx, LEX_EXPR, ":") ? NULL : parse_expr(lx), *lma = NULL, *subalign = NULL;
  lex_expect(lx, LEX_EXPR, ":", "after OVERLAY's address");
  bool nocrossrefs = lex_accept(lx, LEX_NAME, "NOCROSSREFS");
  if (lex_accept(lx, LEX_NAME, "AT")) {
    lex_expect(lx, LEX_EXPR, "(", "after AT");
    lma = parse_expr(lx);
    lex_expect(lx, LEX_EXPR, ")", "to close AT(");
  }
  if (lex_accept(lx, LEX_NAME, "SUBALIGN")) {
    lex_expect(lx, LEX_EXPR, "(", "after SUBALIGN");
    subalign = parse_expr(lx);
    lex_expect(lx, LEX_EXPR, ")", "to close the alignment");
  }
  if (!lex_expect(lx, LEX_EXPR, "{", "to open OVERLAY"))
    return;
  PtrVec members = {0};  // OutputDesc *
  Expr *max_size = NULL;
  uint32_t id = ++ctx->script.noverlays;
  while (!lx->failed && !lex_accept(lx, LEX_EXPR, "}")) {
    Token name = lex_next(lx, LEX_NAME);
    if (name.eof || (!name.quoted && strchr("(){};,=:", name.s[0]))) {
      lex_error(lx, "expected a section name or '}' in OVERLAY, not '%s'",
                name.eof ? "the end of the file" : name.s);
      return;
    }
    ScriptCmd *cmd = new_script_cmd(p, SC_OUTPUT_SECTION);
    OutputDesc *osd = arena_alloc(&ctx->arena, sizeof *osd);
    cmd->osd = osd;
    osd->name = name.s;
    osd->file = lx->path;
    osd->line = lx->line;
    osd->overlay = id;
    osd->subalign = subalign;
    if (members.len) {
      osd->addr = new_expr(p, EX_FUNC, FN_ADDR, ((OutputDesc *)members.data[0])->name);
      osd->overlay_next = true;
    } else {
      osd->addr = start;
      osd->lma = lma;
    }
    char context[128];
    snprintf(context, sizeof context, "to open overlay section '%s'", name.s);
    if (!lex_expect(lx, LEX_EXPR, "{", context))
      return;
    output_section_items(p, osd, false);
    snprintf(context, sizeof context, "to close overlay section '%s'", name.s);
    lex_expect(lx, LEX_EXPR, "}", context);
    section_trailer(p, osd);
    lex_accept(lx, LEX_EXPR, ",");
    vec_push(&ctx->arena, &ctx->script.sections, cmd);
    vec_push(&ctx->arena, &members, osd);
    Expr *size = new_expr(p, EX_FUNC, FN_SIZEOF, name.s);
    max_size = max_size ? new_binary(p, FN_MAX, max_size, size) : size;
    // The name as C can spell it: letters, digits and '_'.
    char *clean = arena_strndup(&ctx->arena, name.s, strlen(name.s)), *out = clean;
    for (const char *c = name.s; *c; c++)
      if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')
        *out++ = *c;
    *out = '\0';
    Expr *load = new_expr(p, EX_FUNC, FN_LOADADDR, name.s);
    vec_push(&ctx->arena, &ctx->script.sections,
             provide(p, arena_printf(&ctx->arena, "__load_start_%s", clean), load));
    vec_push(&ctx->arena, &ctx->script.sections,
             provide(p, arena_printf(&ctx->arena, "__load_stop_%s", clean),
                     new_binary(p, OP_ADD, load, size)));
  }
  // What follows the braces applies to every section (a fill or program headers
  // only to those without their own).
  OutputDesc all = {0};
  section_trailer(p, &all);
  lex_accept(lx, LEX_EXPR, ",");
  for (size_t i = 0; i < members.len; i++) {
    OutputDesc *osd = members.data[i];
    osd->region = all.region;
    osd->lma_region = all.lma_region;
    if (all.lma_region)
      osd->lma = NULL;  // AT>REGION says where the first is loaded
    if (!osd->fill)
      osd->fill = all.fill;
    if (!osd->phdrs.len)
      osd->phdrs = all.phdrs;
  }
  if (nocrossrefs && members.len) {
    NoCrossRefs *group = arena_alloc(&ctx->arena, sizeof *group);
    for (size_t i = 0; i < members.len; i++)
      vec_push(&ctx->arena, &group->names, (void *)((OutputDesc *)members.data[i])->name);
    vec_push(&ctx->arena, &ctx->script.nocrossrefs, group);
  }
  if (members.len)
    ((OutputDesc *)members.data[members.len - 1])->dot_after =
        new_binary(p, OP_ADD, new_expr(p, EX_FUNC, FN_ADDR, ((OutputDesc *)members.data[0])->name),
                   max_size);
}

static void sections_items(ScriptParser *p, bool until_eof);

static void included_sections(ScriptParser *p, void *unused) {
  (void)unused;
  sections_items(p, true);
}

// What SECTIONS holds, after its '{', up to its '}' (or the end of an INCLUDEd file).
static void sections_items(ScriptParser *p, bool until_eof) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  while (!lx->failed) {
    Token t = lex_peek(lx, LEX_NAME);
    if (t.eof) {
      if (!until_eof)
        lex_error(lx, "expected '}' to close SECTIONS, not the end of the file");
      return;
    }
    if (is_keyword(&t, "}") && !until_eof)
      return;
    lex_next(lx, LEX_NAME);
    ScriptCmd *cmd;
    if (is_keyword(&t, ";")) {
      continue;
    } else if (is_keyword(&t, "ENTRY")) {
      const char *sym = parse_one_word(p, "ENTRY", LEX_NAME);
      if (sym && !ctx->opt.entry_given)
        ctx->opt.entry = sym;
      continue;
    } else if (is_keyword(&t, "INCLUDE")) {
      parse_include(p, included_sections, NULL);
      continue;
    } else if (is_keyword(&t, "ASSERT")) {
      cmd = parse_assert(p);
    } else if (is_keyword(&t, "PROVIDE") || is_keyword(&t, "PROVIDE_HIDDEN") ||
               is_keyword(&t, "HIDDEN")) {
      cmd = parse_wrapped_assignment(p, t.s);
    } else if (is_keyword(&t, "OVERLAY")) {
      overlay(p);  // (it adds its sections and assignments itself)
      continue;
    } else {
      ExprOp op;
      Token next = lex_peek(lx, LEX_EXPR);
      if (t.quoted || strchr("(){},=:", t.s[0]))
        lex_error(lx, "expected an output section or an assignment, not '%s'", t.s);
      cmd = is_assign_op(&next, &op) ? parse_assignment(p, t.s, false, false) : output_section(p, t.s);
    }
    vec_push(&ctx->arena, &ctx->script.sections, cmd);
  }
}

void parse_sections(ScriptParser *p) {
  Lexer *lx = &p->lx;
  lx->ctx->script.has_sections = true;
  if (lex_expect(lx, LEX_EXPR, "{", "after SECTIONS")) {
    sections_items(p, false);
    lex_expect(lx, LEX_EXPR, "}", "to close SECTIONS");
  }
}
