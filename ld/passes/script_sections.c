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

#include <errno.h>
#include <string.h>

static ScriptCmd *new_cmd(ScriptParser *p, ScriptCmdKind kind) {
  ScriptCmd *cmd = arena_alloc(&p->lx.ctx->arena, sizeof *cmd);
  cmd->kind = kind;
  cmd->file = p->lx.path;
  cmd->line = p->lx.line;
  return cmd;
}

// One word in parentheses: ENTRY(sym), OUTPUT(file), SEARCH_DIR(dir), ...
const char *parse_one_word(ScriptParser *p, const char *cmd, LexMode mode) {
  char context[64];
  snprintf(context, sizeof context, "after %s", cmd);
  if (!lex_expect(&p->lx, LEX_EXPR, "(", context))
    return NULL;
  Token t = lex_next(&p->lx, mode);
  if (t.eof || (!t.quoted && strchr("(),;", t.s[0]))) {
    lex_error(&p->lx, "expected a name in %s()", cmd);
    return NULL;
  }
  snprintf(context, sizeof context, "to close %s(", cmd);
  return lex_expect(&p->lx, LEX_EXPR, ")", context) ? t.s : NULL;
}

bool is_assign_op(const Token *t, ExprOp *op) {
  static const struct { const char *s; ExprOp op; } ops[] = {
    {"=", OP_NONE}, {"+=", OP_ADD}, {"-=", OP_SUB}, {"*=", OP_MUL}, {"/=", OP_DIV},
    {"<<=", OP_SHL}, {">>=", OP_SHR}, {"&=", OP_AND}, {"|=", OP_OR}, {"^=", OP_XOR},
  };
  for (size_t i = 0; !t->eof && !t->quoted && i < sizeof ops / sizeof ops[0]; i++)
    if (!strcmp(t->s, ops[i].s)) {
      *op = ops[i].op;
      return true;
    }
  return false;
}

// `NAME OP EXPR ;` once NAME is read; the ';' may be left out before a '}'.
ScriptCmd *parse_assignment(ScriptParser *p, const char *name, bool provide, bool hidden) {
  Lexer *lx = &p->lx;
  ScriptCmd *cmd = new_cmd(p, SC_ASSIGN);
  Token t = lex_next(lx, LEX_EXPR);
  if (!is_assign_op(&t, &cmd->assign.op))
    lex_error(lx, "expected '=' after '%s'", name);
  if (provide && cmd->assign.op != OP_NONE)
    lex_error(lx, "PROVIDE takes '=' only");
  if (provide && !strcmp(name, "."))
    lex_error(lx, "the location counter cannot be PROVIDEd");
  cmd->assign.name = name;
  cmd->assign.provide = provide;
  cmd->assign.hidden = hidden;
  cmd->assign.expr = parse_expr(lx);
  // An assignment defines its symbol whatever the inputs say; what its expression
  // names is a reference (which may load an archive member). PROVIDE waits until
  // every input is in (reserve_linker_symbols).
  if (!lx->failed && !provide && strcmp(name, "."))
    claim_script_symbol(lx->ctx, &cmd->assign);
  note_expr_symbols(lx->ctx, cmd->assign.expr, !provide);
  return cmd;
}

// PROVIDE(sym = expr), PROVIDE_HIDDEN(...), HIDDEN(...): `kw` has been read.
ScriptCmd *parse_wrapped_assignment(ScriptParser *p, const char *kw) {
  Lexer *lx = &p->lx;
  char context[64];
  snprintf(context, sizeof context, "after %s", kw);
  lex_expect(lx, LEX_EXPR, "(", context);
  Token name = lex_next(lx, LEX_EXPR);
  if (name.eof || (!name.quoted && !strchr("_.$", name.s[0]) &&
                   !(name.s[0] >= 'A' && name.s[0] <= 'Z') && !(name.s[0] >= 'a' && name.s[0] <= 'z')))
    lex_error(lx, "expected a symbol name after %s(", kw);
  ScriptCmd *cmd = parse_assignment(p, name.s, strcmp(kw, "HIDDEN") != 0, strcmp(kw, "PROVIDE") != 0);
  snprintf(context, sizeof context, "to close %s(", kw);
  lex_expect(lx, LEX_EXPR, ")", context);
  return cmd;
}

// ASSERT(expr, "message"): the link fails with the message if expr is 0.
ScriptCmd *parse_assert(ScriptParser *p) {
  Lexer *lx = &p->lx;
  ScriptCmd *cmd = new_cmd(p, SC_ASSERT);
  lex_expect(lx, LEX_EXPR, "(", "after ASSERT");
  cmd->expr = parse_expr(lx);
  if (lex_expect(lx, LEX_EXPR, ",", "after ASSERT's expression"))
    cmd->msg = lex_next(lx, LEX_FILE).s;
  lex_expect(lx, LEX_EXPR, ")", "to close ASSERT(");
  return cmd;
}

// INCLUDE FILE: the file's commands, here. It is looked for as it is, then in the
// library path (-L, SEARCH_DIR), as GNU ld does.
void parse_include(ScriptParser *p, void (*body)(ScriptParser *, void *), void *arg) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  Token t = lex_next(lx, LEX_FILE);
  if (t.eof) {
    lex_error(lx, "expected a file name after INCLUDE");
    return;
  }
  if (p->depth >= 16) {
    lex_error(lx, "INCLUDE nested too deeply");
    return;
  }
  View v;
  const char *path = t.s;
  bool found = map_file(path, path, &v);
  int first_errno = errno;
  for (size_t i = 0; !found && path[0] != '/' && i < ctx->opt.lib_paths.len; i++) {
    const char *full = arena_printf(&ctx->arena, "%s/%s", (char *)ctx->opt.lib_paths.data[i], t.s);
    if ((found = map_file(full, full, &v)))
      path = full;
  }
  if (!found) {
    lex_error(lx, "cannot open included file '%s': %s", t.s, strerror(first_errno));
    return;
  }
  ScriptParser inner = {.lx = {.ctx = ctx, .path = path, .text = (const char *)v.data,
                         .size = v.size, .line = 1},
                  .out = p->out, .depth = p->depth + 1};
  body(&inner, arg);
  if (inner.lx.failed)
    lx->failed = true;  // the error is reported; stop here too
}

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
      cmd = new_cmd(p, SC_INPUT);
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
          cmd = new_cmd(p, SC_DATA);
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
          cmd = new_cmd(p, SC_INPUT);
          cmd->rule = input_rule(p, t);
        }
      }
    }
    vec_push(&ctx->arena, &osd->cmds, cmd);
  }
}

// NAME [ADDRESS] [(TYPE)] : [AT(LMA)] [ALIGN(A)] [SUBALIGN(A)] [ONLY_IF_RO] { ... }
//   [>REGION] [AT>REGION] [:PHDR ...] [=FILL] [,]
static ScriptCmd *output_section(ScriptParser *p, const char *name) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  ScriptCmd *cmd = new_cmd(p, SC_OUTPUT_SECTION);
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
      vec_push(&ctx->arena, &osd->phdrs, (void *)ph.s);
    } else if (lex_accept(lx, LEX_EXPR, "=")) {
      osd->fill = parse_expr(lx);
    } else {
      break;
    }
  }
  lex_accept(lx, LEX_EXPR, ",");
  return cmd;
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
      lex_error(lx, "%s is not supported", t.s);
      return;
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
