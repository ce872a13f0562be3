/*
 * member_list.c — the list of members, as every operation sees it.
 *
 * The operations (edit_members.c, show_members.c) share these: how a name from the
 * command line is matched with a member, where a new or moved member is inserted,
 * and how a missing member is reported. They call this file; it calls none of them.
 *
 * Matching follows GNU ar exactly, quirks included, because scripts rely on it. A
 * command-line name loses its directories unless `P` is given ("src/a.o" matches the
 * member "a.o"). What it is compared with depends on the operation: r, t, x and p
 * strip the member's name too (it matters for thin archives, whose members are
 * named by path), d and m compare with the member's name as it is.
 *
 * Reads ctx->opt; edits ctx->members.
 */
#include "ar.h"

#include <string.h>

// What GNU ar calls normalize(): the name without its directories, unless P.
static const char *normalize(const Ctx *ctx, const char *name) {
  if (ctx->opt.full_path)
    return name;
  const char *slash = strrchr(name, '/');
  return slash ? slash + 1 : name;
}

bool name_matches(Ctx *ctx, const Member *m, const char *arg, bool strip_member) {
  const char *member = strip_member ? normalize(ctx, m->filename) : m->filename;
  return !strcmp(normalize(ctx, arg), member);
}

void remove_member(Ctx *ctx, size_t i) {
  PtrVec *v = &ctx->members;
  memmove(&v->data[i], &v->data[i + 1], (v->len - i - 1) * sizeof(void *));
  v->len--;
}

void insert_member(Ctx *ctx, size_t i, Member *m) {
  PtrVec *v = &ctx->members;
  vec_push(&ctx->arena, v, m);  // grows the array; the slot is filled below
  memmove(&v->data[i + 1], &v->data[i], (v->len - 1 - i) * sizeof(void *));
  v->data[i] = m;
}

// GNU ar's get_pos_bfd. The position name is compared with each member's filename
// as it is (not stripped of directories); a name that matches nothing means the end.
static size_t position_of(Ctx *ctx, Position pos, const char *name) {
  size_t n = ctx->members.len;
  if (pos == POS_DEFAULT)
    return n;
  for (size_t i = 0; i < n; i++) {
    const Member *m = ctx->members.data[i];
    if (!strcmp(m->filename, name))
      return pos == POS_AFTER ? i + 1 : i;
  }
  return n;
}

size_t insert_position(Ctx *ctx, Position dflt, const char *dflt_name) {
  if (ctx->opt.pos != POS_DEFAULT)
    return position_of(ctx, ctx->opt.pos, ctx->opt.posname);
  return position_of(ctx, dflt, dflt_name);
}

void report_missing(Ctx *ctx, const char *arg) {
  if (ctx->opt.counted)
    error("%s: no instance %ld of member '%s'", ctx->opt.archive, ctx->opt.count, arg);
  else
    error("%s: no member named '%s'", ctx->opt.archive, arg);
}

_Noreturn void member_not_found(Ctx *ctx, const char *arg) {
  fatal("%s: no member named '%s'", ctx->opt.archive, arg);
}
