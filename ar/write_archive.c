/*
 * write_archive.c — the bytes of the new archive, front to back.
 *
 *   !<arch>\n                      ("!<thin>\n" for a thin archive)
 *   /        symbol index          if an ELF member exists and S was not given
 *   //       long-name table       if a name needs it (thin: always)
 *   member   header, data, '\n' if the size is odd   (thin: the header only)
 *   ...
 *
 * Every header is 60 bytes of space-padded ASCII:
 *
 *   name[16] date[12] uid[6] gid[6] mode[8] size[10] "`\n"
 *   a.o/     0        0      0      644     1856
 *
 * The index (GNU / System V form, numbers big-endian):
 *
 *   u32 count | count × u32 offset of the defining member's header | count names,
 *   NUL-terminated | one NUL if needed to make the size even
 *
 * Its offsets depend on the size of everything before the members, the index
 * included, so the layout is computed before anything is written. If a member that
 * has index entries would start at 4 GiB or more, its offset does not fit in a u32
 * and the index becomes "/SYM64/", the same with u64 numbers, padded to a multiple
 * of 8 (bfd does this too). The environment variable MINI_AR_SYM64_THRESHOLD lowers
 * the 4 GiB limit, so that tests can reach the 64-bit form with small files.
 *
 * The index header holds date 0 (the current time with U), owner 0/0 and mode 0;
 * the long-name table's header has blanks there. Both are what GNU ar 2.40 writes,
 * except that GNU ar dates a /SYM64/ index with the current time even in
 * deterministic mode; we write 0 there too.
 *
 * The archive is written through common/output_file.c: to a temporary file beside
 * it (beside its target if it is a symbolic link, which then keeps pointing at the
 * new archive), with the old archive's permissions (a new one gets 0666 minus the
 * umask), and renamed over it only when complete; a failure on the way removes
 * the temporary file and leaves the old archive as it was. We write() through a
 * small buffer rather than map the output: a full disk is then an error we can
 * report, not a SIGBUS.
 *
 * Reads everything in ctx; writes the file named by ctx->opt.archive.
 */
#include "ar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { AR_HDR_SIZE = 60, BUF_SIZE = 1 << 16 };

typedef struct {
  int fd;
  const char *name;  // the archive, for messages
  size_t len;
  uint8_t buf[BUF_SIZE];
} Out;

static void flush(Out *out) {
  if (!write_all(out->fd, out->buf, out->len))
    fatal("%s: cannot write: %s", out->name, strerror(errno));
  out->len = 0;
}

static void put(Out *out, const void *p, uint64_t n) {
  if (n > BUF_SIZE - out->len) {
    flush(out);
    if (n > BUF_SIZE) {
      if (!write_all(out->fd, p, n))
        fatal("%s: cannot write: %s", out->name, strerror(errno));
      return;
    }
  }
  memcpy(out->buf + out->len, p, n);
  out->len += n;
}

// A header field: the text left-aligned and padded with spaces. bfd cuts a value
// too long for its field (a uid of 7 digits); sizes are checked before we get here.
static void put_field(uint8_t *field, size_t len, const char *text) {
  size_t n = strlen(text);
  memset(field, ' ', len);
  memcpy(field, text, n < len ? n : len);
}

static void put_header(Out *out, const char *name, const char *date, const char *uid,
                       const char *gid, const char *mode, uint64_t size) {
  uint8_t h[AR_HDR_SIZE];
  char num[24];
  put_field(h, 16, name);
  put_field(h + 16, 12, date);
  put_field(h + 28, 6, uid);
  put_field(h + 34, 6, gid);
  put_field(h + 40, 8, mode);
  snprintf(num, sizeof num, "%llu", (unsigned long long)size);
  put_field(h + 48, 10, num);
  memcpy(h + 58, "`\n", 2);
  put(out, h, AR_HDR_SIZE);
}

static void put_member_header(Ctx *ctx, Out *out, const Member *m) {
  uint8_t h[AR_HDR_SIZE];
  char num[24];
  if (m->old_hdr) {
    // Date, owner and mode are copied as they are, like GNU ar does.
    memcpy(h, m->old_hdr, AR_HDR_SIZE);
  } else {
    memset(h, ' ', AR_HDR_SIZE);
    snprintf(num, sizeof num, "%lld", (long long)m->mtime);
    put_field(h + 16, 12, num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)m->uid);
    put_field(h + 28, 6, num);
    snprintf(num, sizeof num, "%llu", (unsigned long long)m->gid);
    put_field(h + 34, 6, num);
    snprintf(num, sizeof num, "%llo", (unsigned long long)m->mode);
    put_field(h + 40, 8, num);
    memcpy(h + 58, "`\n", 2);
  }
  memcpy(h, m->ar_name, 16);
  // A thin archive's old member keeps its size field: there is no data to measure.
  if (!(ctx->thin && m->old_hdr)) {
    snprintf(num, sizeof num, "%llu", (unsigned long long)m->size);
    put_field(h + 48, 10, num);
  }
  put(out, h, AR_HDR_SIZE);
}

// Gives every member its header offset, the members starting at `first`.
static void layout(Ctx *ctx, uint64_t first) {
  uint64_t off = first;
  for (size_t i = 0; i < ctx->members.len; i++) {
    Member *m = ctx->members.data[i];
    m->offset = off;
    off += AR_HDR_SIZE;
    if (!ctx->thin)
      off += m->size + (m->size & 1);
  }
}

static uint64_t sym64_threshold(void) {
  const char *s = getenv("MINI_AR_SYM64_THRESHOLD");
  if (!s || !*s)
    return (uint64_t)1 << 32;
  char *end;
  unsigned long long v = strtoull(s, &end, 0);
  if (*end)
    usage_error("MINI_AR_SYM64_THRESHOLD: '%s' is not a number", s);
  return v;
}

// A big-endian number of `width` bytes.
static void put_be(Out *out, uint64_t v, int width) {
  uint8_t num[8];
  for (int k = 0; k < width; k++)
    num[k] = (uint8_t)(v >> (8 * (width - 1 - k)));
  put(out, num, (uint64_t)width);
}

static void put_index(Ctx *ctx, Out *out, int width, uint64_t size) {
  char date[24] = "0";
  if (!ctx->opt.deterministic)
    snprintf(date, sizeof date, "%lld", (long long)time(NULL));
  put_header(out, width == 8 ? "/SYM64/" : "/", date, "0", "0", "0", size);
  put_be(out, ctx->nsyms, width);
  for (size_t i = 0; i < ctx->members.len; i++) {
    const Member *m = ctx->members.data[i];
    for (size_t s = 0; s < m->nsyms; s++)
      put_be(out, m->offset, width);
  }
  for (size_t i = 0; i < ctx->members.len; i++) {
    const Member *m = ctx->members.data[i];
    for (size_t s = 0; s < m->nsyms; s++)
      put(out, m->syms[s], strlen(m->syms[s]) + 1);
  }
  static const uint8_t zeros[8];
  put(out, zeros, size - (uint64_t)width * (ctx->nsyms + 1) - ctx->strsize);
}

// Gives every member its header offset and returns the width of the index's
// numbers (4, or 8 for /SYM64/); *index_size is the index's size, padding included.
static int plan_layout(Ctx *ctx, uint64_t names_total, uint64_t *index_size) {
  *index_size = 0;
  if (!ctx->want_index) {
    layout(ctx, 8 + names_total);
    return 4;
  }
  *index_size = 4 + 4 * (uint64_t)ctx->nsyms + ctx->strsize;
  *index_size += *index_size & 1;
  layout(ctx, 8 + AR_HDR_SIZE + *index_size + names_total);
  // Like bfd, decide on the offsets the 32-bit index would give.
  uint64_t limit = sym64_threshold();
  bool wide = false;
  for (size_t i = 0; i < ctx->members.len; i++) {
    const Member *m = ctx->members.data[i];
    wide |= m->nsyms && m->offset >= limit;
  }
  if (!wide)
    return 4;
  *index_size = 8 + 8 * (uint64_t)ctx->nsyms + ctx->strsize;
  *index_size = (*index_size + 7) & ~(uint64_t)7;
  layout(ctx, 8 + AR_HDR_SIZE + *index_size + names_total);
  return 8;
}

void write_archive(Ctx *ctx) {
  uint64_t names_size, index_size;
  const char *names = build_name_table(ctx, &names_size);
  int width = plan_layout(ctx, names_size ? AR_HDR_SIZE + names_size : 0, &index_size);
  // The size field has 10 decimal digits; the index's count and offsets their width.
  if (index_size > 9999999999ULL || (width == 4 && ctx->nsyms > UINT32_MAX))
    fatal("%s: too many symbols for the archive index", ctx->opt.archive);
  for (size_t i = 0; i < ctx->members.len; i++) {
    const Member *m = ctx->members.data[i];
    if (m->size > 9999999999ULL)
      fatal("%s: too big for an archive member (%llu bytes)", m->label,
            (unsigned long long)m->size);
  }

  // From here on, every byte's place is known; write them in order. A symbolic
  // link to the archive stays a link, and the archive keeps its permissions.
  OutputFile of;
  if (!output_open(&of, ctx->opt.archive, 0666, OUTPUT_FOLLOW_SYMLINK | OUTPUT_KEEP_MODE))
    end_run(1);  // output_open has said why
  Out *out = arena_alloc(&ctx->arena, sizeof *out);
  out->fd = of.fd;
  out->name = ctx->opt.archive;
  put(out, ctx->thin ? "!<thin>\n" : "!<arch>\n", 8);
  if (ctx->want_index)
    put_index(ctx, out, width, index_size);
  if (names_size) {
    put_header(out, "//", "", "", "", "", names_size);
    put(out, names, names_size);
  }
  for (size_t i = 0; i < ctx->members.len; i++) {
    Member *m = ctx->members.data[i];
    put_member_header(ctx, out, m);
    if (ctx->thin)
      continue;
    View data = member_data(m);
    put(out, data.data, data.size);
    if (data.size & 1)
      put(out, "\n", 1);
  }
  flush(out);
  if (!output_commit(&of))
    end_run(1);
}
