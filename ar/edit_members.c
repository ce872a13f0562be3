/*
 * edit_members.c — r, q, d and m: the operations that change the list of members.
 *
 * They only rearrange ctx->members; nothing is written until write_archive(), so a
 * file that cannot be read or a member that is not there stops the run with the
 * old archive untouched.
 *
 *   r  For each file, the first *old* member with the same name is replaced, in its
 *      place (or moved next to the position member with a/b/i); a file with no old
 *      member is added at the end (or at the position). Members added by this same
 *      command do not count as old, so `r lib.a x.o x.o` replaces x.o once and then
 *      appends a second copy, as GNU ar does.
 *   q  Every file is added at the end, even if a member has its name.
 *   d  For each name, the first member with that name (with N, the count-th) goes.
 *   m  For each name, the first member with that name moves to the end, or next
 *      to the position member. Each file is placed in turn, so `ma pos lib.a x y`
 *      leaves "pos y x", exactly like GNU ar.
 *
 * Reads ctx->opt; edits ctx->members; sets ctx->changed.
 */
#include "ar.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

// `u`: is the file newer than the member? A file that has gone is not (GNU ar skips
// it silently); a member whose date cannot be read counts as dated 0.
static bool file_is_newer(const char *path, const Member *m) {
  struct stat st;
  if (stat(path, &st) < 0) {
    if (errno != ENOENT)
      fatal("%s: cannot open: %s", path, strerror(errno));
    return false;
  }
  int64_t date = 0;
  header_number(m->old_hdr + 16, 12, 10, &date);
  return (int64_t)st.st_mtime > date;
}

// The first member that came from the old archive and has the file's name.
static bool find_old_member(Ctx *ctx, const char *file, size_t *at) {
  for (size_t i = 0; i < ctx->members.len; i++) {
    Member *m = ctx->members.data[i];
    if (m->old_hdr && name_matches(ctx, m, file, true)) {
      *at = i;
      return true;
    }
  }
  return false;
}

void replace_members(Ctx *ctx, bool quick) {
  const Options *o = &ctx->opt;
  for (size_t f = 0; f < o->nfiles; f++) {
    const char *file = o->files[f];
    size_t i;
    if (!quick && find_old_member(ctx, file, &i)) {
      Member *old = ctx->members.data[i];
      if (o->newer_only && !file_is_newer(file, old))
        continue;
      // In place means "right after the first member of that name", which is the
      // old copy itself; then the old copy is dropped.
      size_t at = insert_position(ctx, POS_AFTER, old->filename);
      insert_member(ctx, at, new_member(ctx, file));
      if (at <= i)
        i++;
      remove_member(ctx, i);
      if (o->verbose)
        printf("r - %s\n", file);
    } else {
      size_t at = insert_position(ctx, POS_DEFAULT, NULL);
      insert_member(ctx, at, new_member(ctx, file));
      if (o->verbose)
        printf("a - %s\n", file);
    }
    ctx->changed = true;
  }
}

void delete_members(Ctx *ctx) {
  Options *o = &ctx->opt;
  for (size_t f = 0; f < o->nfiles; f++) {
    const char *file = o->files[f];
    // Deleting the BSD index by name means "no index", as in GNU ar (which then
    // writes the archive only if some other member was deleted).
    if (!strcmp(file, "__.SYMDEF")) {
      o->index = -1;
      continue;
    }
    long seen = 0;
    bool found = false;
    for (size_t i = 0; i < ctx->members.len; i++) {
      if (!name_matches(ctx, ctx->members.data[i], file, false))
        continue;
      if (o->counted && ++seen != o->count)
        continue;
      remove_member(ctx, i);
      if (o->verbose)
        printf("d - %s\n", file);
      found = true;
      ctx->changed = true;
      break;
    }
    // GNU ar goes on silently; we report it, and write nothing (exit status 1).
    if (!found)
      report_missing(ctx, file);
  }
}

void move_members(Ctx *ctx) {
  const Options *o = &ctx->opt;
  for (size_t f = 0; f < o->nfiles; f++) {
    const char *file = o->files[f];
    size_t i = 0;
    while (i < ctx->members.len && !name_matches(ctx, ctx->members.data[i], file, false))
      i++;
    if (i == ctx->members.len)
      member_not_found(ctx, file);
    Member *m = ctx->members.data[i];
    remove_member(ctx, i);
    insert_member(ctx, insert_position(ctx, POS_DEFAULT, NULL), m);
    if (o->verbose)
      printf("m - %s\n", file);
    ctx->changed = true;
  }
}
