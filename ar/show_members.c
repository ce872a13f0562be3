/*
 * show_members.c — t, x and p: read members, leave the archive alone.
 *
 * With no names, each operation visits every member in order. With names, it
 * visits, for each name in command-line order, the first member of that name that
 * was not visited before (with N, the count-th of that name), so `x lib.a a.o a.o`
 * extracts two members called a.o, one after the other, as GNU ar does. A name that
 * matches nothing is reported and the others are still done; the exit status is 1.
 *
 * The formats are GNU ar's, so scripts that parse its output can parse ours:
 *
 *   t    a.o
 *   tv   rw-r--r-- 0/0   1856 Jan  1 00:00 1970 a.o
 *   tO   a.o 0x11e            (where the member's data starts in the archive)
 *   xv   x - a.o
 *   pv   "\n<a.o>\n\n" and then the bytes
 *
 * Extracted files get the mode recorded in the header (and with `o`, its date).
 *
 * Reads ctx->opt and ctx->members; writes files (x) or stdout (t, p).
 */
#include "ar.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef void VisitFn(Ctx *ctx, Member *m);

static void visit_named(Ctx *ctx, VisitFn *fn) {
  const Options *o = &ctx->opt;
  size_t n = ctx->members.len;
  if (o->nfiles == 0) {
    for (size_t i = 0; i < n; i++)
      fn(ctx, ctx->members.data[i]);
    return;
  }
  bool *done = arena_array(&ctx->arena, n, sizeof(bool));
  for (size_t f = 0; f < o->nfiles; f++) {
    long seen = 0;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) {
      // Thin archives name members by path; the member's name is stripped too.
      if (done[i] || !name_matches(ctx, ctx->members.data[i], o->files[f], ctx->thin))
        continue;
      if (o->counted && ++seen != o->count)
        continue;
      fn(ctx, ctx->members.data[i]);
      done[i] = found = true;
    }
    if (!found)
      report_missing(ctx, o->files[f]);
  }
}

// ls-style permissions, without the file-type letter (POSIX ar's format).
static void mode_string(uint64_t mode, char out[10]) {
  static const char rwx[] = "rwxrwxrwx";
  for (int i = 0; i < 9; i++)
    out[i] = (mode & (0400u >> i)) ? rwx[i] : '-';
  if (mode & 04000)
    out[2] = out[2] == 'x' ? 's' : 'S';
  if (mode & 02000)
    out[5] = out[5] == 'x' ? 's' : 'S';
  if (mode & 01000)
    out[8] = out[8] == 'x' ? 't' : 'T';
  out[9] = '\0';
}

// The fields of a member header the way GNU ar's stat reads them; false if one of
// them holds no number (then GNU ar prints the name alone).
static bool header_stat(const Member *m, int64_t *date, int64_t *uid, int64_t *gid,
                        int64_t *mode) {
  const uint8_t *h = m->old_hdr;
  return header_number(h + 16, 12, 10, date) && header_number(h + 28, 6, 10, uid) &&
         header_number(h + 34, 6, 10, gid) && header_number(h + 40, 8, 8, mode);
}

static void list_one(Ctx *ctx, Member *m) {
  int64_t date, uid, gid, mode;
  if (ctx->opt.verbose && header_stat(m, &date, &uid, &gid, &mode)) {
    char perms[10];
    mode_string((uint64_t)mode, perms);
    // ctime() without the weekday and the seconds: "Jan  1 00:00 1970".
    time_t t = (time_t)date;
    const char *when = ctime(&t);
    char timebuf[40];
    if (when)
      snprintf(timebuf, sizeof timebuf, "%.12s %.4s", when + 4, when + 20);
    else
      snprintf(timebuf, sizeof timebuf, "<time data corrupt>");
    printf("%s %lld/%lld %6llu %s ", perms, (long long)uid, (long long)gid,
           (unsigned long long)m->size, timebuf);
  }
  printf("%s", m->filename);
  if (ctx->opt.offsets && !ctx->thin)
    printf(" 0x%llx", (unsigned long long)(m->data.data - ctx->file.data));
  printf("\n");
}

void list_members(Ctx *ctx) { visit_named(ctx, list_one); }

// GNU ar's is_valid_archive_path: no absolute path and no ".." component, so that
// a hostile archive cannot write outside the current directory.
static bool is_safe_path(const char *p) {
  if (p[0] == '/')
    return false;
  while (*p) {
    if (p[0] == '.' && p[1] == '.' && (p[2] == '\0' || p[2] == '/'))
      return false;
    while (*p && *p != '/')
      p++;
    while (*p == '/')
      p++;
  }
  return true;
}

static void extract_one(Ctx *ctx, Member *m) {
  const char *out = m->filename;
  if (!is_safe_path(out)) {
    const char *slash = strrchr(out, '/');
    const char *base = slash ? slash + 1 : out;
    warn("%s: member name '%s' leads outside the current directory; extracting to '%s'",
         ctx->opt.archive, out, base);
    out = base;
  }
  if (ctx->opt.output_dir)
    out = arena_printf(&ctx->arena, "%s/%s", ctx->opt.output_dir, out);
  if (ctx->opt.verbose)
    printf("x - %s\n", out);

  View data = member_data(m);
  int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0)
    fatal("%s: cannot create: %s", out, strerror(errno));
  bool written = write_all(fd, data.data, data.size);
  int e = errno;
  if (close(fd) < 0 && written) {
    written = false;
    e = errno;
  }
  if (!written)
    fatal("%s: cannot write: %s", out, strerror(e));

  int64_t date, uid, gid, mode;
  if (header_stat(m, &date, &uid, &gid, &mode)) {
    chmod(out, (mode_t)mode & 07777);
    if (ctx->opt.preserve_dates) {
      struct timespec times[2] = {{.tv_sec = (time_t)date}, {.tv_sec = (time_t)date}};
      utimensat(AT_FDCWD, out, times, 0);
    }
  }
}

void extract_members(Ctx *ctx) { visit_named(ctx, extract_one); }

static void print_one(Ctx *ctx, Member *m) {
  if (ctx->opt.verbose)
    printf("\n<%s>\n\n", m->filename);
  View data = member_data(m);
  if (fwrite(data.data, 1, data.size, stdout) != data.size)
    fatal("stdout: cannot write: %s", strerror(errno));
}

void print_members(Ctx *ctx) {
  visit_named(ctx, print_one);
  if (fflush(stdout) != 0)
    fatal("stdout: cannot write: %s", strerror(errno));
}
