/*
 * script_statements.c — the statements every part of a linker script may hold:
 * assignments, PROVIDE, HIDDEN, ASSERT, INCLUDE, and one-word commands.
 *
 *   sym = . + 4;                 an assignment (also +=, -=, ...)
 *   PROVIDE(end = .);            ... only if something needs it
 *   ASSERT(SIZEOF(.data) < 4K, "data too big")
 *   INCLUDE memory.ld            another file's text, here
 *
 * Used by linker_script.c (outside SECTIONS) and script_sections.c (inside it and
 * inside output sections); script_lexer.c gives the tokens and expressions. Builds
 * ScriptCmd trees in ctx->arena; assignments claim their symbols as they are read.
 */
#include "../ld.h"

#include <errno.h>
#include <string.h>

ScriptCmd *new_script_cmd(ScriptParser *p, ScriptCmdKind kind) {
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
  ScriptCmd *cmd = new_script_cmd(p, SC_ASSIGN);
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
  ScriptCmd *cmd = new_script_cmd(p, SC_ASSERT);
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
