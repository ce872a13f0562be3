/*
 * linker_script.c — the little of GNU ld's script language that inputs use.
 *
 * Some "libraries" are not archives but short text files: Debian's libm.a says
 *
 *   OUTPUT_FORMAT(elf64-x86-64)
 *   GROUP ( /usr/lib/x86_64-linux-gnu/libm-2.36.a /usr/lib/x86_64-linux-gnu/libmvec.a )
 *
 * meaning "link these instead, as a group". mini-ld has no linker scripts for
 * layout (its layout is fixed, see layout.c), but it understands these input
 * scripts: GROUP(...), INPUT(...), AS_NEEDED(...) inside them (its shared libraries
 * become DT_NEEDED only if used), -lNAME, SEARCH_DIR(...), and OUTPUT_FORMAT/OUTPUT_ARCH/TARGET,
 * which say what we already are. Anything else is an error: silently ignoring a
 * command could produce a wrong program.
 *
 * Turns the script into InputArgs, which read_inputs() then reads like a command line.
 */
#include "../ld.h"

#include <string.h>

typedef struct {
  Ctx *ctx;
  const char *path;
  View v;
  uint64_t pos;
  PtrVec *out;
  bool ok;
} Script;

static bool is_token_char(uint8_t c) {
  // ('=' may start a file name: =/usr/lib/libc.a is inside --sysroot.)
  return c > ' ' && c != '(' && c != ')' && c != ',' && c != ';' && c != '"';
}

// The next token: a word, a quoted string, or one of ( ) , ;. NULL at the end.
static const char *next_token(Script *s) {
  View v = s->v;
  for (;;) {
    while (s->pos < v.size && (v.data[s->pos] <= ' '))
      s->pos++;
    if (s->pos + 1 < v.size && v.data[s->pos] == '/' && v.data[s->pos + 1] == '*') {
      const uint8_t *end = memmem(v.data + s->pos + 2, v.size - s->pos - 2, "*/", 2);
      if (!end) {
        error("%s: unterminated comment in linker script", s->path);
        s->ok = false;
        return NULL;
      }
      s->pos = (uint64_t)(end - v.data) + 2;
      continue;
    }
    break;
  }
  if (s->pos >= v.size)
    return NULL;
  uint64_t start = s->pos;
  uint8_t c = v.data[start];
  if (c == '"') {
    const uint8_t *end = memchr(v.data + start + 1, '"', v.size - start - 1);
    if (!end) {
      error("%s: unterminated string in linker script", s->path);
      s->ok = false;
      return NULL;
    }
    s->pos = (uint64_t)(end - v.data) + 1;
    return arena_strndup(&s->ctx->arena, (const char *)v.data + start + 1, s->pos - start - 2);
  }
  if (!is_token_char(c)) {
    s->pos++;
    return arena_strndup(&s->ctx->arena, (const char *)v.data + start, 1);
  }
  while (s->pos < v.size && is_token_char(v.data[s->pos]))
    s->pos++;
  return arena_strndup(&s->ctx->arena, (const char *)v.data + start, s->pos - start);
}

static void add(Script *s, ArgKind kind, const char *value) {
  InputArg *a = arena_alloc(&s->ctx->arena, sizeof *a);
  a->kind = kind;
  a->value = value;
  vec_push(&s->ctx->arena, s->out, a);
}

static bool expect(Script *s, const char *want) {
  const char *t = next_token(s);
  if (t && !strcmp(t, want))
    return true;
  if (s->ok)
    error("%s: linker script: expected '%s' but found '%s'", s->path, want, t ? t : "end of file");
  s->ok = false;
  return false;
}

// The file list of GROUP, INPUT or AS_NEEDED, up to the closing parenthesis.
static void file_list(Script *s) {
  for (;;) {
    const char *t = next_token(s);
    if (!t) {
      if (s->ok)
        error("%s: linker script: missing ')'", s->path);
      s->ok = false;
      return;
    }
    if (!strcmp(t, ")"))
      return;
    if (!strcmp(t, ","))
      continue;
    if (!strcmp(t, "AS_NEEDED")) {
      // The shared libraries inside are needed only if the program uses them
      // (glibc's libc.so names ld-linux-x86-64.so.2 so); archives are read as usual.
      if (expect(s, "(")) {
        add(s, ARG_PUSH_STATE, NULL);
        add(s, ARG_AS_NEEDED, NULL);
        file_list(s);
        add(s, ARG_POP_STATE, NULL);
      }
      if (!s->ok)
        return;
    } else if (!strncmp(t, "-l", 2)) {
      add(s, ARG_LIBRARY, t + 2);
    } else {
      add(s, ARG_FILE, t);
    }
  }
}

bool read_input_script(Ctx *ctx, const char *path, View v, PtrVec *out) {
  Script s = {ctx, path, v, 0, out, true};
  // Only text can be a script: a NUL byte means some other binary format.
  if (memchr(v.data, '\0', v.size))
    return false;
  const char *cmd;
  while (s.ok && (cmd = next_token(&s))) {
    if (!strcmp(cmd, ";"))
      continue;
    if (!expect(&s, "("))
      break;
    if (!strcmp(cmd, "GROUP")) {
      add(&s, ARG_GROUP_START, NULL);
      file_list(&s);
      add(&s, ARG_GROUP_END, NULL);
    } else if (!strcmp(cmd, "INPUT")) {
      file_list(&s);
    } else if (!strcmp(cmd, "SEARCH_DIR")) {
      const char *dir = next_token(&s);
      // "=/lib" and "$SYSROOT/lib" are /lib inside --sysroot, as on the command line.
      if (dir && (dir[0] == '=' || !strncmp(dir, "$SYSROOT", 8)))
        dir = arena_printf(&ctx->arena, "%s%s", ctx->opt.sysroot ? ctx->opt.sysroot : "",
                           dir + (dir[0] == '=' ? 1 : 8));
      if (dir && expect(&s, ")"))
        vec_push(&ctx->arena, &ctx->opt.lib_paths, (void *)dir);
    } else if (!strcmp(cmd, "OUTPUT_FORMAT") || !strcmp(cmd, "OUTPUT_ARCH") ||
               !strcmp(cmd, "TARGET")) {
      const char *t;
      while ((t = next_token(&s)) && strcmp(t, ")"))
        ;
    } else {
      error("%s: linker script command '%s' is not supported (only GROUP, INPUT, "
            "AS_NEEDED, SEARCH_DIR, OUTPUT_FORMAT, OUTPUT_ARCH, TARGET)",
            path, cmd);
      return true;
    }
  }
  return true;
}
