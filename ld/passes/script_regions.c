/*
 * script_regions.c — where a linker script puts things in memory and in segments:
 * MEMORY, REGION_ALIAS and PHDRS.
 *
 *   MEMORY { rom (rx) : ORIGIN = 0x08000000, LENGTH = 256K
 *            ram (rw) : ORIGIN = 0x20000000, LENGTH = 64K }
 *   REGION_ALIAS("REGION_TEXT", rom);       another name, for a shared script
 *   PHDRS { text PT_LOAD FILEHDR PHDRS; data PT_LOAD; }
 *
 * An output section then says `>ram AT>rom :data`. Regions go to
 * ctx->script.memory (aliases to .region_aliases), program headers to
 * ctx->script.phdrs; the layout (script_layout.c, script_segments.c) gives them
 * their meaning. A sub-step of linker_script.c, like script_sections.c.
 */
#include "../ld.h"

#include <string.h>

// MEMORY { NAME [(ATTR)] : ORIGIN = EXPR, LENGTH = EXPR ... }
void parse_memory(ScriptParser *p) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  lex_expect(lx, LEX_EXPR, "{", "after MEMORY");
  while (!lx->failed && !lex_accept(lx, LEX_NAME, "}")) {
    Token name = lex_next(lx, LEX_NAME);
    if (name.eof || (!name.quoted && strchr("(){};,=:", name.s[0]))) {
      lex_error(lx, "expected a memory region name, not '%s'", name.eof ? "the end of the file" : name.s);
      return;
    }
    MemoryRegion *r = arena_alloc(&ctx->arena, sizeof *r);
    r->name = name.s;
    r->file = lx->path;
    r->line = lx->line;
    if (lex_accept(lx, LEX_EXPR, "(")) {  // attributes (rwx!): not used to pick regions
      while (!lx->failed && !lex_accept(lx, LEX_EXPR, ")"))
        if (lex_next(lx, LEX_EXPR).eof)
          lex_error(lx, "expected ')' to close the attributes of region '%s'", r->name);
    }
    lex_expect(lx, LEX_EXPR, ":", "after the region name");
    for (int i = 0; i < 2 && !lx->failed; i++) {
      Token kw = lex_next(lx, LEX_EXPR);
      bool origin = is_keyword(&kw, "ORIGIN") || is_keyword(&kw, "org") || is_keyword(&kw, "o");
      bool length = is_keyword(&kw, "LENGTH") || is_keyword(&kw, "len") || is_keyword(&kw, "l");
      if (!origin && !length) {
        lex_error(lx, "expected %s in region '%s', not '%s'", i ? "LENGTH" : "ORIGIN", r->name,
                  kw.eof ? "the end of the file" : kw.s);
        return;
      }
      lex_expect(lx, LEX_EXPR, "=", origin ? "after ORIGIN" : "after LENGTH");
      *(origin ? &r->origin_expr : &r->length_expr) = parse_expr(lx);
      if (i == 0)
        lex_expect(lx, LEX_EXPR, ",", "between ORIGIN and LENGTH");
    }
    if (!r->origin_expr || !r->length_expr)
      lex_error(lx, "region '%s' needs an ORIGIN and a LENGTH", r->name);
    if (find_region(ctx, r->name))
      lex_error(lx, "region '%s' is defined twice", r->name);
    vec_push(&ctx->arena, &ctx->script.memory, r);
  }
}

// PHDRS { NAME TYPE [FILEHDR] [PHDRS] [AT(ADDR)] [FLAGS(F)] ; ... }
void parse_phdrs(ScriptParser *p) {
  static const struct { const char *name; uint32_t type; } types[] = {
    {"PT_NULL", PT_NULL}, {"PT_LOAD", PT_LOAD}, {"PT_DYNAMIC", PT_DYNAMIC},
    {"PT_INTERP", PT_INTERP}, {"PT_NOTE", PT_NOTE}, {"PT_SHLIB", PT_SHLIB},
    {"PT_PHDR", PT_PHDR}, {"PT_TLS", PT_TLS}, {"PT_GNU_EH_FRAME", PT_GNU_EH_FRAME},
    {"PT_GNU_STACK", PT_GNU_STACK}, {"PT_GNU_RELRO", PT_GNU_RELRO},
  };
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  lex_expect(lx, LEX_EXPR, "{", "after PHDRS");
  while (!lx->failed && !lex_accept(lx, LEX_NAME, "}")) {
    Token name = lex_next(lx, LEX_NAME);
    if (name.eof || (!name.quoted && strchr("(){};,=:", name.s[0]))) {
      lex_error(lx, "expected a program header name, not '%s'", name.eof ? "the end of the file" : name.s);
      return;
    }
    PhdrDesc *ph = arena_alloc(&ctx->arena, sizeof *ph);
    ph->name = name.s;
    Token type = lex_next(lx, LEX_NAME);
    size_t i = 0;
    while (i < sizeof types / sizeof types[0] && !is_keyword(&type, types[i].name))
      i++;
    if (i < sizeof types / sizeof types[0]) {
      ph->p_type = types[i].type;
    } else {
      Expr *e = parse_expr_string(ctx, lx->path, type.s);  // a number
      if (!e || e->kind != EX_NUM) {
        lex_error(lx, "unknown program header type '%s'", type.s);
        return;
      }
      ph->p_type = (uint32_t)e->num;
    }
    while (!lx->failed && !lex_accept(lx, LEX_EXPR, ";")) {
      Token t = lex_next(lx, LEX_NAME);
      if (is_keyword(&t, "FILEHDR")) {
        ph->filehdr = true;
      } else if (is_keyword(&t, "PHDRS")) {
        ph->phdrs = true;
      } else if (is_keyword(&t, "AT") || is_keyword(&t, "FLAGS")) {
        lex_expect(lx, LEX_EXPR, "(", is_keyword(&t, "AT") ? "after AT" : "after FLAGS");
        *(is_keyword(&t, "AT") ? &ph->at : &ph->flags) = parse_expr(lx);
        lex_expect(lx, LEX_EXPR, ")", "to close the parenthesis");
      } else {
        lex_error(lx, "expected ';' after program header '%s', not '%s'", ph->name,
                  t.eof ? "the end of the file" : t.s);
      }
    }
    vec_push(&ctx->arena, &ctx->script.phdrs, ph);
  }
}

// REGION_ALIAS("alias", region), after the command's name. As in GNU ld, the region
// must be defined already (MEMORY comes first), and the alias must be a new name.
void parse_region_alias(ScriptParser *p) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  if (!lex_expect(lx, LEX_EXPR, "(", "after REGION_ALIAS"))
    return;
  Token alias = lex_next(lx, LEX_NAME);
  if (alias.eof || (!alias.quoted && strchr("(){};,=:", alias.s[0]))) {
    lex_error(lx, "expected an alias name in REGION_ALIAS(");
    return;
  }
  if (!lex_expect(lx, LEX_EXPR, ",", "after the alias name"))
    return;
  Token target = lex_next(lx, LEX_NAME);
  if (!lex_expect(lx, LEX_EXPR, ")", "to close REGION_ALIAS("))
    return;
  MemoryRegion *region = find_region(ctx, target.s);
  if (!region) {
    lex_error(lx, "memory region '%s' for alias '%s' does not exist", target.s, alias.s);
    return;
  }
  if (find_region(ctx, alias.s)) {
    lex_error(lx, "redefinition of memory region alias '%s'", alias.s);
    return;
  }
  RegionAlias *a = arena_alloc(&ctx->arena, sizeof *a);
  a->name = alias.s;
  a->region = region;
  vec_push(&ctx->arena, &ctx->script.region_aliases, a);
}
