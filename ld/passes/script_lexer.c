/*
 * script_lexer.c — the words of GNU ld's linker script language, and its
 * expressions.
 *
 * The language has no single way to split text into words. Where a section or a
 * file is named, `.text.*`, `*crtbegin.o` and `/DISCARD/` are one word each; in an
 * expression, `.+4` is three (`.`, `+`, `4`) and `a-b` a subtraction. GNU ld switches
 * its lexer's state from the grammar; here the parser says, for each token it asks
 * for, which mode to read it in (LexMode, in ld.h). Tokens are read on demand from
 * the current position, so peeking in one mode and then reading in another is free.
 *
 * Expressions are C's: unary - ! ~, then * / %, + -, << >>, < <= > >=, == !=, &, ^,
 * |, &&, || and ?:, with GNU ld's functions (ALIGN, ADDR, SIZEOF, LOADADDR, DEFINED,
 * CONSTANT(MAXPAGESIZE), MAX, MIN, ...). Numbers are decimal, 0x hexadecimal or 0
 * octal, with an optional K (x 1024) or M (x 1024 * 1024) suffix.
 *
 * Every error names FILE:LINE and what was expected; after the first one the lexer
 * returns only the end of the text, so the parser winds down without a cascade of
 * messages and without looping. Used by linker_script.c and, for --defsym, by
 * parse_args.c. Fills nothing in Ctx: it returns trees allocated in ctx->arena.
 */
#include "../ld.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lex_error(Lexer *lx, const char *fmt, ...) {
  if (lx->failed)
    return;
  lx->failed = true;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  error("%s:%u: %s", lx->path, lx->line, msg);
}

// Skips blanks and /* comments */, counting lines.
static void skip_space(Lexer *lx) {
  while (lx->pos < lx->size) {
    char c = lx->text[lx->pos];
    if (c == '\n') {
      lx->line++;
      lx->pos++;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      lx->pos++;
    } else if (c == '/' && lx->pos + 1 < lx->size && lx->text[lx->pos + 1] == '*') {
      uint32_t start_line = lx->line;
      size_t i = lx->pos + 2;
      while (i + 1 < lx->size && !(lx->text[i] == '*' && lx->text[i + 1] == '/'))
        lx->line += lx->text[i++] == '\n';
      if (i + 1 >= lx->size) {
        lx->line = start_line;
        lex_error(lx, "unclosed comment");
        lx->pos = lx->size;
        return;
      }
      lx->pos = i + 2;
    } else {
      return;
    }
  }
}

static bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_word_char(LexMode mode, char c) {
  switch (mode) {
  case LEX_FILE:
    return (unsigned char)c > ' ' && !strchr("(),;\"", c);
  case LEX_NAME:
    return is_alnum(c) || (c && strchr("_.$/\\~*?[]-!^", c));
  case LEX_EXPR:
    return is_alnum(c) || c == '_' || c == '.' || c == '$';
  }
  return false;
}

// Operators of more than one character, longest first.
static const char *const long_ops[] = {
  "<<=", ">>=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
  "&=", "|=", "^=", NULL,
};

static Token read_token(Lexer *lx, LexMode mode);

Token lex_peek(Lexer *lx, LexMode mode) {
  skip_space(lx);
  if (lx->failed || lx->pos >= lx->size)
    return (Token){.s = "", .eof = true, .end = lx->pos, .line = lx->line};
  if (!lx->peeked_ok || lx->peeked_pos != lx->pos || lx->peeked_mode != (int)mode) {
    lx->peeked = read_token(lx, mode);
    lx->peeked_ok = !lx->failed;
    lx->peeked_pos = lx->pos;
    lx->peeked_mode = (int)mode;
  }
  return lx->peeked;
}

// The token at lx->pos (after the spaces), which is not the end.
static Token read_token(Lexer *lx, LexMode mode) {
  Token t = {.s = "", .eof = true, .end = lx->pos, .line = lx->line};
  const char *p = lx->text + lx->pos;
  size_t left = lx->size - lx->pos, len = 0;
  t.eof = false;
  if (*p == '"') {
    const char *close = memchr(p + 1, '"', left - 1);
    if (!close) {
      lex_error(lx, "unterminated string");
      t.eof = true;
      return t;
    }
    t.quoted = true;
    t.s = arena_strndup(&lx->ctx->arena, p + 1, (size_t)(close - p - 1));
    t.end = lx->pos + (size_t)(close - p) + 1;
    for (const char *q = p; q < close; q++)
      t.line += *q == '\n';
    return t;
  }
  while (len < left && is_word_char(mode, p[len]))
    len++;
  if (len == 0 && mode == LEX_EXPR)
    for (int i = 0; long_ops[i] && !len; i++)
      if (left >= strlen(long_ops[i]) && !memcmp(p, long_ops[i], strlen(long_ops[i])))
        len = strlen(long_ops[i]);
  if (len == 0)
    len = 1;  // a character that is a token by itself: ( ) { } ; , = : ...
  t.s = arena_strndup(&lx->ctx->arena, p, len);
  t.end = lx->pos + len;
  return t;
}

Token lex_next(Lexer *lx, LexMode mode) {
  Token t = lex_peek(lx, mode);
  lx->pos = t.end;
  lx->line = t.line;
  return t;
}

bool lex_is(Lexer *lx, LexMode mode, const char *want) {
  Token t = lex_peek(lx, mode);
  return !t.eof && !t.quoted && !strcmp(t.s, want);
}

bool lex_accept(Lexer *lx, LexMode mode, const char *want) {
  if (!lex_is(lx, mode, want))
    return false;
  lex_next(lx, mode);
  return true;
}

bool lex_expect(Lexer *lx, LexMode mode, const char *want, const char *context) {
  if (lex_accept(lx, mode, want))
    return true;
  Token t = lex_peek(lx, mode);
  if (t.eof)
    lex_error(lx, "expected '%s' %s, not the end of the file", want, context);
  else
    lex_error(lx, "expected '%s' %s, not '%s'", want, context, t.s);
  return false;
}

bool is_keyword(const Token *t, const char *kw) {
  return !t->eof && !t->quoted && !strcmp(t->s, kw);
}

static Expr *new_expr(Lexer *lx, ExprKind kind) {
  Expr *e = arena_alloc(&lx->ctx->arena, sizeof *e);
  e->kind = kind;
  e->file = lx->path;
  e->line = lx->line;
  return e;
}

// A number as GNU ld writes them: 0x1F, 017 (octal), 42, 4K, 1M.
static bool parse_number(const char *s, uint64_t *out) {
  uint64_t base = 10, v = 0, mult = 1;
  size_t len = strlen(s);
  if (len > 1 && (s[len - 1] == 'K' || s[len - 1] == 'k'))
    mult = 1024, len--;
  else if (len > 1 && (s[len - 1] == 'M' || s[len - 1] == 'm'))
    mult = 1024 * 1024, len--;
  size_t i = 0;
  if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    base = 16, i = 2;
  else if (len > 1 && s[0] == '0')
    base = 8, i = 1;
  if (i >= len)
    return false;
  for (; i < len; i++) {
    char c = s[i];
    uint64_t d = c >= '0' && c <= '9' ? (uint64_t)(c - '0')
               : c >= 'a' && c <= 'f' ? (uint64_t)(c - 'a' + 10)
               : c >= 'A' && c <= 'F' ? (uint64_t)(c - 'A' + 10) : 99;
    if (d >= base || v > (UINT64_MAX - d) / base)
      return false;
    v = v * base + d;
  }
  if (v > UINT64_MAX / mult)
    return false;
  *out = v * mult;
  return true;
}

static const struct {
  const char *name;
  ScriptFunc fn;
  int nargs;       // expressions in parentheses; -1: one name (a section, symbol,
                   // region or constant); 0: no parentheses at all
} funcs[] = {
  {"ALIGN", FN_ALIGN, 1},        // ALIGN(a) or ALIGN(x, a): parse_func allows both
  {"ADDR", FN_ADDR, -1},         {"SIZEOF", FN_SIZEOF, -1},
  {"LOADADDR", FN_LOADADDR, -1}, {"ALIGNOF", FN_ALIGNOF, -1},
  {"DEFINED", FN_DEFINED, -1},   {"CONSTANT", FN_CONSTANT, -1},
  {"MAX", FN_MAX, 2},            {"MIN", FN_MIN, 2},
  {"ABSOLUTE", FN_ABSOLUTE, 1},  {"SIZEOF_HEADERS", FN_SIZEOF_HEADERS, 0},
  {"NEXT", FN_NEXT, 1},          {"LOG2CEIL", FN_LOG2CEIL, 1},
  {"ORIGIN", FN_ORIGIN, -1},     {"org", FN_ORIGIN, -1},      {"o", FN_ORIGIN, -1},
  {"LENGTH", FN_LENGTH, -1},     {"len", FN_LENGTH, -1},      {"l", FN_LENGTH, -1},
  {"DATA_SEGMENT_ALIGN", FN_DATA_SEGMENT_ALIGN, 2},
  {"DATA_SEGMENT_END", FN_DATA_SEGMENT_END, 1},
  {"DATA_SEGMENT_RELRO_END", FN_DATA_SEGMENT_RELRO_END, 2},
  {"SEGMENT_START", FN_SEGMENT_START, 2},
};

static Expr *parse_ternary(Lexer *lx);

static Expr *parse_func(Lexer *lx, int i) {
  Expr *e = new_expr(lx, EX_FUNC);
  e->op = funcs[i].fn;
  if (funcs[i].nargs == 0)
    return e;
  char context[64];
  snprintf(context, sizeof context, "after %s", funcs[i].name);
  if (!lex_expect(lx, LEX_EXPR, "(", context))
    return e;
  snprintf(context, sizeof context, "to close %s(", funcs[i].name);
  if (funcs[i].nargs < 0) {
    Token t = lex_next(lx, LEX_NAME);
    if (t.eof || (!t.quoted && strchr("(),;", t.s[0])))
      lex_error(lx, "expected a name in %s()", funcs[i].name);
    e->name = t.s;
  } else if (funcs[i].fn == FN_SEGMENT_START) {
    Token t = lex_next(lx, LEX_NAME);  // "text-segment", "data-segment", "bss-segment"
    e->name = t.s;
    if (lex_expect(lx, LEX_EXPR, ",", "after SEGMENT_START's segment name"))
      e->a = parse_ternary(lx);
  } else {
    e->a = parse_ternary(lx);
    if (funcs[i].nargs == 2 || (funcs[i].fn == FN_ALIGN && lex_is(lx, LEX_EXPR, ","))) {
      if (lex_expect(lx, LEX_EXPR, ",", "between the arguments"))
        e->b = parse_ternary(lx);
    }
  }
  lex_expect(lx, LEX_EXPR, ")", context);
  return e;
}

enum { MAX_DEPTH = 200, MAX_OPS = 5000 };

static Expr *parse_primary(Lexer *lx);

// Each level of nesting is a level of recursion here, and later in eval_expr: a
// script of a million '(' must get an error, not a crash.
static Expr *parse_unary(Lexer *lx) {
  if (++lx->depth > MAX_DEPTH) {
    lex_error(lx, "expression nested too deeply");
    lx->depth--;
    return new_expr(lx, EX_NUM);
  }
  Expr *e = parse_primary(lx);
  lx->depth--;
  return e;
}

static Expr *parse_primary(Lexer *lx) {
  static const struct { const char *s; ExprOp op; } unary[] = {
    {"-", OP_NEG}, {"!", OP_NOT}, {"~", OP_BITNOT},
  };
  for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++)
    if (lex_accept(lx, LEX_EXPR, unary[i].s)) {
      Expr *e = new_expr(lx, EX_UNARY);
      e->op = unary[i].op;
      e->a = parse_unary(lx);
      return e;
    }
  if (lex_accept(lx, LEX_EXPR, "+"))
    return parse_unary(lx);
  if (lex_accept(lx, LEX_EXPR, "(")) {
    Expr *e = parse_ternary(lx);
    lex_expect(lx, LEX_EXPR, ")", "to close the parenthesis");
    return e;
  }
  Token t = lex_peek(lx, LEX_EXPR);
  if (t.eof) {
    lex_error(lx, "expected an expression, not the end of the file");
    return new_expr(lx, EX_NUM);
  }
  if (!t.quoted && !is_word_char(LEX_EXPR, t.s[0])) {
    lex_error(lx, "expected an expression, not '%s'", t.s);
    return new_expr(lx, EX_NUM);
  }
  lex_next(lx, LEX_EXPR);
  if (!t.quoted && !strcmp(t.s, "."))
    return new_expr(lx, EX_DOT);
  if (!t.quoted && t.s[0] >= '0' && t.s[0] <= '9') {
    Expr *e = new_expr(lx, EX_NUM);
    e->name = t.s;  // as written: a fill pattern's width depends on it
    if (!parse_number(t.s, &e->num))
      lex_error(lx, "invalid number '%s'", t.s);
    return e;
  }
  for (size_t i = 0; !t.quoted && i < sizeof funcs / sizeof funcs[0]; i++)
    if (!strcmp(t.s, funcs[i].name) && (funcs[i].nargs == 0 || lex_is(lx, LEX_EXPR, "(")))
      return parse_func(lx, (int)i);
  Expr *e = new_expr(lx, EX_SYM);
  e->name = t.s;
  return e;
}

// Binary operators by precedence level, loosest first (C's, as GNU ld has them).
static const struct { const char *s; ExprOp op; int level; } binary[] = {
  {"||", OP_LOR, 0}, {"&&", OP_LAND, 1}, {"|", OP_OR, 2}, {"^", OP_XOR, 3}, {"&", OP_AND, 4},
  {"==", OP_EQ, 5}, {"!=", OP_NE, 5}, {"<", OP_LT, 6}, {"<=", OP_LE, 6}, {">", OP_GT, 6},
  {">=", OP_GE, 6}, {"<<", OP_SHL, 7}, {">>", OP_SHR, 7}, {"+", OP_ADD, 8}, {"-", OP_SUB, 8},
  {"*", OP_MUL, 9}, {"/", OP_DIV, 9}, {"%", OP_MOD, 9},
};
enum { TOP_LEVEL = 9 };

static Expr *parse_level(Lexer *lx, int level) {
  if (level > TOP_LEVEL)
    return parse_unary(lx);
  Expr *lhs = parse_level(lx, level + 1);
  // `1 + 1 + ...` makes a tree as deep as the chain is long: bound it too.
  for (;;) {
    if (lx->ops > MAX_OPS) {
      lex_error(lx, "expression too long");
      return lhs;
    }
    Token t = lex_peek(lx, LEX_EXPR);
    int found = -1;
    for (size_t i = 0; !t.eof && !t.quoted && i < sizeof binary / sizeof binary[0]; i++)
      if (binary[i].level == level && !strcmp(t.s, binary[i].s))
        found = (int)i;
    if (found < 0)
      return lhs;
    lex_next(lx, LEX_EXPR);
    lx->ops++;
    Expr *e = new_expr(lx, EX_BINARY);
    e->op = binary[found].op;
    e->a = lhs;
    e->b = parse_level(lx, level + 1);
    lhs = e;
  }
}

static Expr *parse_ternary(Lexer *lx) {
  Expr *cond = parse_level(lx, 0);
  if (!lex_accept(lx, LEX_EXPR, "?"))
    return cond;
  Expr *e = new_expr(lx, EX_COND);
  e->a = cond;
  if (++lx->depth > MAX_DEPTH) {
    lex_error(lx, "expression nested too deeply");
  } else {
    e->b = parse_ternary(lx);
    if (lex_expect(lx, LEX_EXPR, ":", "in 'a ? b : c'"))
      e->c = parse_ternary(lx);
  }
  lx->depth--;
  return e;
}

Expr *parse_expr(Lexer *lx) {
  lx->ops = 0;
  return parse_ternary(lx);
}

Expr *parse_expr_string(Ctx *ctx, const char *what, const char *text) {
  Lexer lx = {.ctx = ctx, .path = what, .text = text, .size = strlen(text), .line = 1};
  Expr *e = parse_expr(&lx);
  Token t = lex_peek(&lx, LEX_EXPR);
  if (!t.eof)
    lex_error(&lx, "unexpected '%s' after the expression", t.s);
  return lx.failed ? NULL : e;
}
