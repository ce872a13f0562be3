/*
 * load_archive.c — the archive as it is now, as a list of members.
 *
 * Every operation starts from the same place: the members of the existing archive,
 * in order. The archive is mapped and parsed by the shared reader (common/
 * ar_format.c), which checks every header and size, reads GNU, thin and BSD
 * archives, and sets the old index and long-name table aside: they are rebuilt from
 * scratch when the archive is written. What we keep of each member is its header
 * bytes, because GNU ar copies an old member's date, owner and mode unchanged.
 *
 * A missing archive is an empty list when the operation edits (r, q, d, m): the
 * archive is then created, and we say so unless `c` was given. Anything else that
 * goes wrong here — not an archive, a truncated member, a corrupt index — ends the
 * run before anything is written.
 *
 * Reads ctx->opt; fills ctx->exists, file, thin and members.
 */
#include "ar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool header_number(const uint8_t *field, size_t len, int base, int64_t *out) {
  size_t i = 0;
  while (i < len && field[i] == ' ')
    i++;
  bool negative = i < len && field[i] == '-';
  if (i < len && (field[i] == '-' || field[i] == '+'))
    i++;
  size_t start = i;
  int64_t v = 0;
  for (; i < len && field[i] >= '0' && field[i] < '0' + base; i++) {
    if (v > (INT64_MAX - base) / base)
      return false;
    v = v * base + (field[i] - '0');
  }
  if (i == start)
    return false;
  *out = negative ? -v : v;
  return true;
}

// A thin archive's member path is relative to the archive's directory; this makes
// it relative to the current one, as bfd does (an absolute path stays as it is).
static const char *thin_member_path(Ctx *ctx, const char *name) {
  const char *archive = ctx->opt.archive;
  const char *slash = strrchr(archive, '/');
  if (name[0] == '/' || !slash)
    return name;
  return arena_printf(&ctx->arena, "%.*s%s", (int)(slash - archive + 1), archive, name);
}

static bool op_edits(Operation op) {
  return op == OP_REPLACE || op == OP_APPEND || op == OP_DELETE || op == OP_MOVE;
}

void load_archive(Ctx *ctx) {
  const Options *o = &ctx->opt;
  const char *path = o->archive;
  struct stat st;
  if (stat(path, &st) < 0) {
    if (errno != ENOENT || !op_edits(o->op))
      fatal("%s: cannot open: %s", path, strerror(errno));
    // Not a diagnostic of the input, but what GNU ar says, to stderr, in one line.
    if (!o->quiet_create)
      fprintf(stderr, "mini-ar: creating %s\n", path);
    ctx->thin = o->thin;
    return;
  }
  if (!map_file(path, path, &ctx->file))
    fatal("%s: cannot open: %s", path, strerror(errno));
  ctx->exists = true;
  if (!is_archive(ctx->file))
    fatal("%s: not an archive", path);

  Archive ar;
  if (!read_archive(ctx->file, &ctx->arena, &ar))
    end_run(1);  // the reader has said what is wrong

  // GNU ar refuses to turn a non-empty archive into a thin one or back when adding
  // to it: the old members' bytes would be lost, or their files would be missing.
  if ((o->op == OP_REPLACE || o->op == OP_APPEND) && ar.nmembers > 0) {
    if (o->thin && !ar.thin)
      fatal("%s: cannot convert a normal archive to a thin one", path);
    if (!o->thin && ar.thin)
      fatal("%s: cannot convert a thin archive to a normal one (add 'T')", path);
  }
  ctx->thin = ar.thin || (o->thin && (o->op == OP_REPLACE || o->op == OP_APPEND));

  for (size_t i = 0; i < ar.nmembers; i++) {
    const ArMember *am = &ar.members[i];
    Member *m = arena_alloc(&ctx->arena, sizeof *m);
    m->old_hdr = ctx->file.data + am->offset;
    m->name = am->name;
    if (ar.thin) {
      // The data lives in its own file; the header's size field is kept as it is.
      int64_t size = 0;
      header_number(m->old_hdr + 48, 10, 10, &size);
      m->path = thin_member_path(ctx, m->name);
      m->filename = m->label = m->path;
      m->size = (uint64_t)size;
    } else {
      m->filename = m->name;
      m->label = arena_printf(&ctx->arena, "%s(%s)", path, m->name);
      m->data = am->data;
      m->data.name = m->label;
      m->data_mapped = true;
      m->size = am->data.size;
    }
    vec_push(&ctx->arena, &ctx->members, m);
  }
}

View member_data(Member *m) {
  if (!m->data_mapped) {
    if (!map_file(m->path, m->label, &m->data))
      fatal("%s: cannot open: %s", m->path, strerror(errno));
    m->data_mapped = true;
  }
  return m->data;
}

Member *new_member(Ctx *ctx, const char *path) {
  Member *m = arena_alloc(&ctx->arena, sizeof *m);
  struct stat st;
  if (!map_file(path, path, &m->data) || stat(path, &st) < 0)
    fatal("%s: cannot open: %s", path, strerror(errno));
  m->data_mapped = true;
  m->filename = m->path = m->label = path;
  m->size = m->data.size;
  // Deterministic mode (the default) writes what GNU ar writes: date 0, owner 0/0,
  // mode 644, so that the same inputs always give the same bytes.
  if (ctx->opt.deterministic) {
    m->mode = 0644;
  } else {
    m->mtime = st.st_mtime;
    m->uid = st.st_uid;
    m->gid = st.st_gid;
    m->mode = st.st_mode;
  }
  return m;
}
