/*
 * member_names.c — the name field of each header, and the long-name table.
 *
 * A header has 16 bytes for the name. GNU ar writes a name of up to 15 characters
 * there, ended by '/' (so the name itself may contain spaces); a longer name goes
 * to the long-name table, the member "//", as "name/\n", and the header holds '/'
 * and the decimal offset of the name in the table:
 *
 *   //                                              48        `\n
 *   a_very_long_member_name.o/\nanother_long_name.o/\n   (a '\n' pads an odd size)
 *   /0              0           0     0     644     1104      `\n   <- first name
 *   /27             ...                                             <- second one
 *
 * The stored name is the file's name without its directories (with P: as given).
 * An old member keeps the rest of its old name field: GNU ar overwrites only the
 * name and its '/', which matters for byte-identical output.
 *
 * A thin archive stores every name in the table, short ones too, and the name is
 * the member's path relative to the archive's directory, so the archive keeps
 * working when both move together. Consecutive members with the same path share
 * one entry. These are bfd's rules (_bfd_construct_extended_name_table).
 *
 * Reads ctx->opt, ctx->thin and ctx->members; fills each member's ar_name.
 */
#include "ar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SHORT_NAME = 15 };

// The path of a thin member, relative to the archive's directory (bfd's
// adjust_relative_path). Both paths are resolved first (symlinks, "..") and their
// common leading directories dropped; each directory left in the archive's path
// becomes a "../". As in bfd, an absolute path on either side is kept as given.
static const char *thin_name(Ctx *ctx, const char *filename) {
  const char *archive = ctx->opt.archive;
  if (filename[0] == '/' || archive[0] == '/')
    return filename;

  char buf[PATH_MAX];
  const char *path = realpath(filename, buf) ? arena_strdup(&ctx->arena, buf) : filename;
  // The archive may not exist yet, but its directory must.
  const char *slash = strrchr(archive, '/');
  const char *dir = slash ? arena_strndup(&ctx->arena, archive, (size_t)(slash - archive)) : ".";
  const char *ref = realpath(dir, buf)
                        ? arena_printf(&ctx->arena, "%s/%s", buf, slash ? slash + 1 : archive)
                        : archive;

  for (;;) {
    const char *e1 = path, *e2 = ref;
    while (*e1 && *e1 != '/')
      e1++;
    while (*e2 && *e2 != '/')
      e2++;
    if (!*e1 || !*e2 || e1 - path != e2 - ref || strncmp(path, ref, (size_t)(e1 - path)))
      break;
    path = e1 + 1;
    ref = e2 + 1;
  }
  size_t up = 0;
  for (; *ref; ref++)
    up += *ref == '/';
  char *out = arena_alloc(&ctx->arena, 3 * up + strlen(path) + 1);
  for (size_t i = 0; i < up; i++)
    memcpy(out + 3 * i, "../", 3);
  strcpy(out + 3 * up, path);
  return out;
}

static const char *stored_name(Ctx *ctx, const Member *m) {
  if (ctx->thin)
    return thin_name(ctx, m->filename);
  if (ctx->opt.full_path)
    return m->filename;
  const char *slash = strrchr(m->filename, '/');
  return slash ? slash + 1 : m->filename;
}

// The header's name field for a name kept in the table at offset `off`.
static void long_ref(Member *m, uint64_t off) {
  char text[24];
  int n = snprintf(text, sizeof text, "/%llu", (unsigned long long)off);
  memset(m->ar_name, ' ', 16);
  memcpy(m->ar_name, text, (size_t)n < 16 ? (size_t)n : 16);
}

const char *build_name_table(Ctx *ctx, uint64_t *size) {
  size_t n = ctx->members.len;
  const char **names = arena_array(&ctx->arena, n, sizeof(char *));
  bool *shared = arena_array(&ctx->arena, n, sizeof(bool));

  // First pass: every member's stored name, and how long the table will be.
  uint64_t len = 0;
  for (size_t i = 0; i < n; i++) {
    Member *m = ctx->members.data[i];
    const Member *prev = i ? ctx->members.data[i - 1] : NULL;
    if (ctx->thin && prev && !strcmp(prev->filename, m->filename)) {
      shared[i] = true;
      continue;
    }
    names[i] = stored_name(ctx, m);
    size_t l = strlen(names[i]);
    if (ctx->thin || l > MAX_SHORT_NAME)
      len += l + 2;  // "name/\n"
  }

  // Second pass: fill the table and the name fields.
  *size = len + (len & 1);
  char *table = arena_alloc(&ctx->arena, *size + 1);
  uint64_t off = 0, last = 0;
  for (size_t i = 0; i < n; i++) {
    Member *m = ctx->members.data[i];
    if (shared[i]) {
      long_ref(m, last);
      continue;
    }
    size_t l = strlen(names[i]);
    if (ctx->thin || l > MAX_SHORT_NAME) {
      memcpy(table + off, names[i], l);
      memcpy(table + off + l, "/\n", 2);
      long_ref(m, off);
      last = off;
      off += l + 2;
      continue;
    }
    // A short name: written over the old field (or over spaces), then '/'.
    if (m->old_hdr)
      memcpy(m->ar_name, m->old_hdr, 16);
    else
      memset(m->ar_name, ' ', 16);
    memcpy(m->ar_name, names[i], l);
    m->ar_name[l] = '/';
  }
  if (len & 1)
    table[len] = '\n';
  return table;
}
