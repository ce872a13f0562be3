/*
 * version_script.c — the files that say what a shared library or a program
 * exports: --version-script and --dynamic-list.
 *
 * A sub-step of parse_args, which reads each file as its option comes. Fills
 * ctx->opt.version_nodes and ctx->opt.export_patterns; dynamic_symbols.c matches
 * symbols against them.
 */
#include "../ld.h"

#include <errno.h>
#include <string.h>

// Maps the script `path` into *v. As GNU ld does for every script it is given, a
// relative name that is not in the current directory is looked for in the -L
// directories given so far (-Ldir --version-script=x.ver finds dir/x.ver), so that a
// build can name its script like a library. Returns false, with errno from the
// first attempt, if it is nowhere.
static bool map_script(Ctx *ctx, const char *path, View *v) {
  if (map_file(path, path, v))
    return true;
  int first_errno = errno;
  for (size_t i = 0; path[0] != '/' && i < ctx->opt.lib_paths.len; i++) {
    const char *dir = ctx->opt.lib_paths.data[i];
    const char *full = arena_printf(&ctx->arena, "%s/%s", dir, path);
    if (map_file(full, full, v))
      return true;
  }
  errno = first_errno;
  return false;
}

// --version-script FILE: which symbols a shared library exports, and with which
// versions. GNU ld's syntax:
//
//   VER_1 { global: foo; bar*; local: *; };
//   VER_2 { global: baz; } VER_1;          (VER_2 extends VER_1)
//   { global: foo; local: *; };            (anonymous: no versions)
//
// Entries are glob patterns; `#` and /* */ comments. An `extern "C++" { ... };`
// block holds patterns on demangled names (`foo::bar*`); a quoted entry
// ("f(int)") is a name written out, not a glob. `extern "C" { ... };` is the plain
// kind. A dynamic list (--dynamic-list) is the same syntax: one anonymous node.
// `what` names the kind of file in messages; the nodes are appended to `nodes`.
static void parse_version_nodes(Ctx *ctx, const char *path, View v, const char *what,
                                PtrVec *nodes) {
  VersionNode *node = NULL;
  bool local = false;          // after `local:`
  int lang = 0;                // inside extern "C" (1) or extern "C++" (2) { ... }
  bool want_lang = false;      // after `extern`: its "C++" comes next
  const char *pending = NULL;  // a version name waiting for its '{'
  bool closed = false;         // after '}': a parent name may follow
  uint64_t i = 0;
  while (i < v.size) {
    uint8_t c = v.data[i];
    if (c == '"') {
      // A quoted name: taken as written, so glob characters in it are escaped.
      const uint8_t *end = memchr(v.data + i + 1, '"', v.size - i - 1);
      if (!end)
        usage_error("%s: unterminated string in %s", path, what);
      uint64_t start = i + 1, len = (uint64_t)(end - v.data) - start;
      i = start + len + 1;
      if (want_lang) {
        want_lang = false;
        if (len == 3 && !memcmp(v.data + start, "C++", 3))
          lang = 2;
        else if (len == 1 && v.data[start] == 'C')
          lang = 1;
        else
          usage_error("%s: unknown language '%.*s' after extern in %s", path, (int)len,
                      (const char *)v.data + start, what);
        continue;
      }
      if (!node || closed)
        usage_error("%s: a quoted name outside a version node in %s", path, what);
      char *lit = arena_alloc(&ctx->arena, 2 * len + 1);
      size_t n = 0;
      for (uint64_t k = 0; k < len; k++) {
        if (strchr("*?[\\", v.data[start + k]))
          lit[n++] = '\\';
        lit[n++] = (char)v.data[start + k];
      }
      PtrVec *list = lang == 2 ? (local ? &node->cxx_locals : &node->cxx_globals)
                               : (local ? &node->locals : &node->globals);
      vec_push(&ctx->arena, list, lit);
      continue;
    }
    if (c == '#') {
      while (i < v.size && v.data[i] != '\n')
        i++;
      continue;
    }
    if (c == '/' && i + 1 < v.size && v.data[i + 1] == '*') {
      const uint8_t *end = memmem(v.data + i + 2, v.size - i - 2, "*/", 2);
      if (!end)
        usage_error("%s: unterminated comment in %s", path, what);
      i = (uint64_t)(end - v.data) + 2;
      continue;
    }
    if (c <= ' ') {
      i++;
      continue;
    }
    if (c == '{') {
      if (node && lang && !closed) {  // the block of extern "C++"
        i++;
        continue;
      }
      if (node)
        usage_error("%s: '{' inside a version node in %s", path, what);
      node = arena_alloc(&ctx->arena, sizeof *node);
      node->name = pending;
      pending = NULL;
      local = false;
      vec_push(&ctx->arena, nodes, node);
      i++;
      continue;
    }
    if (c == '}') {
      if (!node)
        usage_error("%s: '}' without '{' in %s", path, what);
      if (lang)
        lang = 0;  // the end of an extern block; the node goes on
      else
        closed = true;
      i++;
      continue;
    }
    if (c == ';') {
      if (closed)
        node = NULL, closed = false;
      i++;
      continue;
    }
    // A word ends at a separator, or at a ':' that ends `global:`; C++'s "::" is
    // part of it (foo::bar).
    uint64_t start = i;
    while (i < v.size && v.data[i] > ' ' && v.data[i] != ';' && v.data[i] != '{' &&
           v.data[i] != '}' && v.data[i] != '"') {
      if (v.data[i] == ':' && (i + 1 == v.size || v.data[i + 1] != ':') &&
          (i == start || v.data[i - 1] != ':'))
        break;
      i++;
    }
    const char *word = arena_strndup(&ctx->arena, (const char *)v.data + start, i - start);
    bool label = i < v.size && v.data[i] == ':';
    if (label)
      i++;
    if (closed) {
      node->parent = word;  // VER_2 { ... } VER_1;
    } else if (!node) {
      pending = word;  // the name of the node that follows
    } else if (!strcmp(word, "extern") && !lang) {
      want_lang = true;
    } else if (label && !strcmp(word, "global")) {
      local = false;
    } else if (label && !strcmp(word, "local")) {
      local = true;
    } else {
      PtrVec *list = lang == 2 ? (local ? &node->cxx_locals : &node->cxx_globals)
                               : (local ? &node->locals : &node->globals);
      vec_push(&ctx->arena, list, (void *)word);
    }
  }
  if (node || pending)
    usage_error("%s: %s ends inside a version node", path, what);
}

static void read_version_nodes(Ctx *ctx, const char *path, const char *what, PtrVec *nodes) {
  View v;
  if (!map_script(ctx, path, &v))
    usage_error("%s: cannot open: %s", path, strerror(errno));
  parse_version_nodes(ctx, path, v, what, nodes);
}

void read_version_text(Ctx *ctx, const char *name, View v) {
  parse_version_nodes(ctx, name, v, "version script", &ctx->opt.version_nodes);
}

void read_version_script(Ctx *ctx, const char *path) {
  read_version_nodes(ctx, path, "version script", &ctx->opt.version_nodes);
}

// --dynamic-list FILE (and --export-dynamic-symbol-list): the symbols to export,
// `{ foo; bar*; };`.
void read_dynamic_list(Ctx *ctx, const char *path) {
  PtrVec nodes = {0};
  read_version_nodes(ctx, path, "dynamic list", &nodes);
  for (size_t i = 0; i < nodes.len; i++) {
    const VersionNode *node = nodes.data[i];
    for (size_t j = 0; j < node->globals.len; j++)
      vec_push(&ctx->arena, &ctx->opt.export_patterns, node->globals.data[j]);
    for (size_t j = 0; j < node->cxx_globals.len; j++)
      vec_push(&ctx->arena, &ctx->opt.export_cxx_patterns, node->cxx_globals.data[j]);
  }
}
