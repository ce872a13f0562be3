/*
 * linker_script.c — GNU ld's linker scripts: the commands.
 *
 * A linker script is a text file that tells the linker what to link and where to put
 * it. Two kinds meet a linker. Some "libraries" are short scripts naming the real
 * files: Debian's libc.so says
 *
 *   OUTPUT_FORMAT(elf64-x86-64)
 *   GROUP ( /lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libc_nonshared.a
 *           AS_NEEDED ( /lib64/ld-linux-x86-64.so.2 ) )
 *
 * And kernels, boot loaders and firmware give their own layout with -T:
 *
 *   ENTRY(_start)
 *   SECTIONS {
 *     . = 0x400000 + SIZEOF_HEADERS;
 *     .text : { *(.text .text.*) }
 *     .data : AT(ADDR(.text) + SIZEOF(.text)) { __data_start = .; *(.data) }
 *     /DISCARD/ : { *(.comment) }
 *   }
 *
 * Both are read here, in one grammar; script_lexer.c splits the words and parses
 * the expressions, script_sections.c reads SECTIONS, MEMORY, PHDRS and the
 * statements (assignments, ASSERT, INCLUDE) they share with the commands here.
 * What names files (INPUT, GROUP, AS_NEEDED, -lNAME, STARTUP) becomes InputArgs,
 * which read_inputs() reads like a command line; SEARCH_DIR adds to the library
 * path; ENTRY and OUTPUT set what -e and -o would, unless they were given. Everything else goes into ctx->script: the SECTIONS list (output section
 * descriptions, with their input section rules, assignments and ASSERTs), MEMORY
 * regions, PHDRS, and the assignments outside SECTIONS. Assigned symbols are
 * claimed as they are read (claim_script_symbol), so that no input defines them.
 *
 * A command we do not know is an error that names FILE:LINE: silently ignoring
 * part of a layout would make a wrong program.
 */
#include "../ld.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_input(ScriptParser *p, ArgKind kind, const char *value) {
  InputArg *a = arena_alloc(&p->lx.ctx->arena, sizeof *a);
  a->kind = kind;
  a->value = value;
  vec_push(&p->lx.ctx->arena, p->out, a);
}

// The file list of INPUT, GROUP or AS_NEEDED, after its '('.
static void file_list(ScriptParser *p) {
  Lexer *lx = &p->lx;
  while (!lex_accept(lx, LEX_FILE, ")")) {
    Token t = lex_next(lx, LEX_FILE);
    if (t.eof) {
      lex_error(lx, "expected ')' to close the file list, not the end of the file");
      return;
    }
    if (!t.quoted && !strcmp(t.s, ","))
      continue;
    if (!t.quoted && !strcmp(t.s, "AS_NEEDED") && lx->depth >= 16) {
      lex_error(lx, "AS_NEEDED nested too deeply");
      return;
    }
    if (!t.quoted && !strcmp(t.s, "AS_NEEDED")) {
      // The shared libraries inside are needed only if the program uses them
      // (glibc's libc.so names ld-linux-x86-64.so.2 so); archives are read as usual.
      if (!lex_expect(lx, LEX_FILE, "(", "after AS_NEEDED"))
        return;
      add_input(p, ARG_PUSH_STATE, NULL);
      add_input(p, ARG_AS_NEEDED, NULL);
      lx->depth++;
      file_list(p);
      lx->depth--;
      add_input(p, ARG_POP_STATE, NULL);
    } else if (!t.quoted && !strncmp(t.s, "-l", 2)) {
      add_input(p, ARG_LIBRARY, t.s + 2);
    } else if (!t.quoted && strchr("(;", t.s[0])) {
      lex_error(lx, "expected a file name, not '%s'", t.s);
      return;
    } else {
      add_input(p, ARG_FILE, t.s);
    }
  }
}


// OUTPUT_FORMAT(elf64-x86-64) and OUTPUT_ARCH(i386:x86-64) say what the script is
// for: anything but x86-64 ELF is an error, not a silently wrong output.
static void check_format(ScriptParser *p, const char *cmd) {
  Lexer *lx = &p->lx;
  bool arch = !strcmp(cmd, "OUTPUT_ARCH");
  if (!lex_expect(lx, LEX_EXPR, "(", arch ? "after OUTPUT_ARCH" : "after OUTPUT_FORMAT"))
    return;
  // OUTPUT_FORMAT(default, big, little): the default is the one we write.
  Token t = lex_next(lx, LEX_FILE);
  bool ok = arch ? !strcmp(t.s, "i386:x86-64") || !strcmp(t.s, "x86-64")
                 : !strcmp(t.s, "elf64-x86-64");
  if (!ok && !lx->failed)
    lex_error(lx, "%s '%s' is not supported (only %s)",
              arch ? "architecture" : "output format", t.s,
              arch ? "i386:x86-64" : "elf64-x86-64");
  while (!lx->failed && lex_accept(lx, LEX_FILE, ","))
    lex_next(lx, LEX_FILE);
  lex_expect(lx, LEX_FILE, ")", arch ? "to close OUTPUT_ARCH(" : "to close OUTPUT_FORMAT(");
}









static void commands(ScriptParser *p, void *unused);

// The built-in layout's SECTIONS (builtin_script.c), read into ctx->script.sections
// as if a script had it: what INSERT adds to.
static void read_builtin_sections(ScriptParser *p) {
  Ctx *ctx = p->lx.ctx;
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  if (!f)
    fatal("cannot make the built-in layout's script: %s", strerror(errno));
  print_builtin_script(ctx, f);
  fclose(f);
  const char *sections = strstr(text, "SECTIONS");
  const char *copy = arena_strndup(&ctx->arena, sections, strlen(sections));
  free(text);
  ScriptParser inner = {.lx = {.ctx = ctx, .path = "built-in layout", .text = copy,
                               .size = strlen(copy), .line = 1},
                        .out = p->out, .depth = p->depth + 1};
  commands(&inner, NULL);
  ctx->script.has_builtin = true;
}

// INSERT [AFTER | BEFORE] SECTION, after the word INSERT. The script's SECTIONS
// (since its start or its last INSERT) do not replace the built-in layout, as a
// script's SECTIONS otherwise does: they go into it, after (or before) the output
// section SECTION. GNU ld does the same with its default script; kernels' and
// libraries' scripts use it to add a section or two to a normal program.
static void insert(ScriptParser *p) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  Script *s = &ctx->script;
  Token how = lex_next(lx, LEX_NAME);
  bool after = is_keyword(&how, "AFTER");
  if (!after && !is_keyword(&how, "BEFORE")) {
    lex_error(lx, "expected AFTER or BEFORE after INSERT, not '%s'",
              how.eof ? "the end of the file" : how.s);
    return;
  }
  Token where = lex_next(lx, LEX_NAME);
  if (where.eof || (!where.quoted && strchr("(){};,=:", where.s[0]))) {
    lex_error(lx, "expected an output section name after INSERT %s", how.s);
    return;
  }
  // Take the statements out, bring the built-in layout in (once), then put them
  // back at their place.
  size_t from = s->insert_from, n = s->sections.len - from;
  void **moved = arena_array(&ctx->arena, n + 1, sizeof(void *));
  memcpy(moved, s->sections.data + from, n * sizeof(void *));
  s->sections.len = from;
  if (!s->has_builtin)
    read_builtin_sections(p);
  size_t at = 0;
  while (at < s->sections.len) {
    const ScriptCmd *cmd = s->sections.data[at];
    if (cmd->kind == SC_OUTPUT_SECTION && !strcmp(cmd->osd->name, where.s))
      break;
    at++;
  }
  if (at == s->sections.len) {
    lex_error(lx, "%s not found for insert", where.s);
    return;
  }
  at += after;
  for (size_t i = 0; i < n; i++)
    vec_push(&ctx->arena, &s->sections, NULL);  // room at the end
  memmove(s->sections.data + at + n, s->sections.data + at,
          (s->sections.len - n - at) * sizeof(void *));
  memcpy(s->sections.data + at, moved, n * sizeof(void *));
  s->insert_from = s->sections.len;
}

// NOCROSSREFS(sec1 sec2 ...) or NOCROSSREFS_TO(target src1 ...), after the
// command's name: the output sections that may not refer to one another (to the
// first one), which check_cross_refs.c checks once the layout is done.
static void nocrossrefs(ScriptParser *p, bool to) {
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  NoCrossRefs *group = arena_alloc(&ctx->arena, sizeof *group);
  group->to = to;
  if (!lex_expect(lx, LEX_EXPR, "(", to ? "after NOCROSSREFS_TO" : "after NOCROSSREFS"))
    return;
  while (!lx->failed && !lex_accept(lx, LEX_NAME, ")")) {
    Token name = lex_next(lx, LEX_NAME);
    if (name.eof || (!name.quoted && strchr("(){};=:", name.s[0])))
      lex_error(lx, "expected ')' to close %s(", to ? "NOCROSSREFS_TO" : "NOCROSSREFS");
    else if (strcmp(name.s, ","))
      vec_push(&ctx->arena, &group->names, (void *)name.s);
  }
  if (group->names.len > 1)  // one section alone forbids nothing
    vec_push(&ctx->arena, &ctx->script.nocrossrefs, group);
}

// VERSION { version script }: the text between the braces is a version script
// (version_script.c reads it, as for --version-script).
static void version(ScriptParser *p) {
  Lexer *lx = &p->lx;
  if (!lex_expect(lx, LEX_FILE, "{", "after VERSION"))
    return;
  size_t start = lx->pos;
  int depth = 1;
  while (!lx->failed) {
    Token t = lex_next(lx, LEX_FILE);
    if (t.eof) {
      lex_error(lx, "expected '}' to close VERSION, not the end of the file");
      return;
    }
    // ('{' and '}' are part of words in this mode: count them inside the words.)
    for (const char *c = t.s; !t.quoted && *c; c++)
      depth += *c == '{' ? 1 : *c == '}' ? -1 : 0;
    if (depth == 0) {
      View v = {.data = (const uint8_t *)lx->text + start, .size = t.end - 1 - start,
                .name = lx->path};
      read_version_text(lx->ctx, lx->path, v);
      return;
    }
  }
}

// The commands of a script (or of a file it INCLUDEs), up to its end.
static void commands(ScriptParser *p, void *unused) {
  (void)unused;
  Lexer *lx = &p->lx;
  Ctx *ctx = lx->ctx;
  while (!lx->failed) {
    Token t = lex_next(lx, LEX_NAME);
    if (t.eof)
      return;
    if (is_keyword(&t, ";"))
      continue;
    if (is_keyword(&t, "INPUT") || is_keyword(&t, "GROUP")) {
      bool group = is_keyword(&t, "GROUP");
      if (!lex_expect(lx, LEX_FILE, "(", group ? "after GROUP" : "after INPUT"))
        return;
      if (group)
        add_input(p, ARG_GROUP_START, NULL);
      file_list(p);
      if (group)
        add_input(p, ARG_GROUP_END, NULL);
    } else if (is_keyword(&t, "STARTUP")) {
      const char *file = parse_one_word(p, "STARTUP", LEX_FILE);
      if (file)
        add_input(p, ARG_FILE, file);
    } else if (is_keyword(&t, "SEARCH_DIR")) {
      const char *dir = parse_one_word(p, "SEARCH_DIR", LEX_FILE);
      // "=/lib" and "$SYSROOT/lib" are /lib inside --sysroot, as on the command line.
      if (dir && (dir[0] == '=' || !strncmp(dir, "$SYSROOT", 8)))
        dir = arena_printf(&ctx->arena, "%s%s", ctx->opt.sysroot ? ctx->opt.sysroot : "",
                           dir + (dir[0] == '=' ? 1 : 8));
      if (dir)
        vec_push(&ctx->arena, &ctx->opt.lib_paths, (void *)dir);
    } else if (is_keyword(&t, "ENTRY")) {
      // -e wins over the script's ENTRY, as in GNU ld.
      const char *sym = parse_one_word(p, "ENTRY", LEX_NAME);
      if (sym && !ctx->opt.entry_given) {
        ctx->opt.entry = sym;
        intern_symbol(ctx, sym)->strong_ref = true;
      }
    } else if (is_keyword(&t, "OUTPUT")) {
      const char *file = parse_one_word(p, "OUTPUT", LEX_FILE);
      if (file && !ctx->opt.output_given)
        ctx->opt.output = file;
    } else if (is_keyword(&t, "EXTERN")) {
      // EXTERN(sym ...): like -u sym.
      lex_expect(lx, LEX_EXPR, "(", "after EXTERN");
      while (!lx->failed && !lex_accept(lx, LEX_NAME, ")")) {
        Token sym = lex_next(lx, LEX_NAME);
        if (sym.eof || (!sym.quoted && strchr("(){};", sym.s[0])))
          lex_error(lx, "expected ')' to close EXTERN(");
        else if (strcmp(sym.s, ",")) {
          vec_push(&ctx->arena, &ctx->opt.undefined, (void *)sym.s);
          intern_symbol(ctx, sym.s)->strong_ref = true;
        }
      }
    } else if (is_keyword(&t, "OUTPUT_FORMAT") || is_keyword(&t, "OUTPUT_ARCH")) {
      check_format(p, t.s);
    } else if (is_keyword(&t, "TARGET")) {
      parse_one_word(p, "TARGET", LEX_FILE);  // the input format: ELF is recognized anyway
    } else if (is_keyword(&t, "FORCE_COMMON_ALLOCATION") ||
               is_keyword(&t, "INHIBIT_COMMON_ALLOCATION")) {
      // A final link always allocates COMMON symbols.
    } else if (is_keyword(&t, "INCLUDE")) {
      parse_include(p, commands, NULL);
    } else if (is_keyword(&t, "SECTIONS")) {
      parse_sections(p);
    } else if (is_keyword(&t, "VERSION")) {
      version(p);
    } else if (is_keyword(&t, "MEMORY")) {
      parse_memory(p);
    } else if (is_keyword(&t, "PHDRS")) {
      parse_phdrs(p);
    } else if (is_keyword(&t, "NOCROSSREFS") || is_keyword(&t, "NOCROSSREFS_TO")) {
      nocrossrefs(p, is_keyword(&t, "NOCROSSREFS_TO"));
    } else if (is_keyword(&t, "INSERT")) {
      insert(p);
    } else if (is_keyword(&t, "REGION_ALIAS")) {
      parse_region_alias(p);
    } else if (is_keyword(&t, "ASSERT")) {
      vec_push(&ctx->arena, &ctx->script.cmds, parse_assert(p));
    } else if (is_keyword(&t, "PROVIDE") || is_keyword(&t, "PROVIDE_HIDDEN") ||
               is_keyword(&t, "HIDDEN")) {
      vec_push(&ctx->arena, &ctx->script.cmds, parse_wrapped_assignment(p, t.s));
    } else {
      ExprOp op;
      Token next = lex_peek(lx, LEX_EXPR);
      if (!t.quoted && strchr("(){},=:", t.s[0])) {
        lex_error(lx, "expected a linker script command, not '%s'", t.s);
      } else if (is_assign_op(&next, &op)) {
        ScriptCmd *cmd = parse_assignment(p, t.s, false, false);
        if (!strcmp(t.s, "."))
          lex_error(lx, "the location counter '.' may be assigned only inside SECTIONS");
        vec_push(&ctx->arena, &ctx->script.cmds, cmd);
      } else {
        lex_error(lx, "unknown linker script command '%s'", t.s);
      }
    }
  }
}

static void read_script_text(Ctx *ctx, const char *path, View v, PtrVec *out, int depth) {
  ScriptParser p = {.lx = {.ctx = ctx, .path = path, .text = (const char *)v.data, .size = v.size,
                     .line = 1},
              .out = out, .depth = depth};
  ctx->script.insert_from = ctx->script.sections.len;
  commands(&p, NULL);
}

bool read_input_script(Ctx *ctx, const char *path, View v, PtrVec *out) {
  // Only text can be a script: a NUL byte means some other binary format.
  if (memchr(v.data, '\0', v.size))
    return false;
  read_script_text(ctx, path, v, out, 0);
  return true;
}
