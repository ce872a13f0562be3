/*
 * ar_format.c — reading ar archives (the format is drawn in common.h).
 *
 * A static library is a bag of objects plus an index from symbol names to the
 * members that define them. The linker reads the headers of every member (cheap: 60
 * bytes each) and the index, and parses a member's ELF contents only when the index
 * says it is needed. Archives made by GNU ar, llvm-ar and BSD ar differ in how they
 * spell long names and the index; all of them are read here, so the linker and the
 * archiver see one shape.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { AR_HDR_SIZE = 60 };

bool is_archive(View v) {
  return v.size >= 8 && (!memcmp(v.data, "!<arch>\n", 8) || !memcmp(v.data, "!<thin>\n", 8));
}

// Parses a right-padded decimal field; false if it holds anything but digits and
// trailing spaces, or is empty.
static bool parse_decimal(const uint8_t *p, size_t len, uint64_t *out) {
  uint64_t v = 0;
  size_t i = 0;
  for (; i < len && p[i] >= '0' && p[i] <= '9'; i++) {
    if (v > (UINT64_MAX - 9) / 10)
      return false;
    v = v * 10 + (uint64_t)(p[i] - '0');
  }
  if (i == 0)
    return false;
  for (; i < len; i++)
    if (p[i] != ' ')
      return false;
  *out = v;
  return true;
}

// The GNU index: a big-endian count, that many member offsets, then that many
// NUL-terminated names. `width` is 4 for "/" and 8 for "/SYM64/".
static bool read_gnu_index(Archive *ar, Arena *arena, View idx, int width) {
  if (idx.size < (uint64_t)width)
    return false;
  uint64_t n = width == 4 ? read_u32be(idx.data) : read_u64be(idx.data);
  if (!view_has_table(idx, (uint64_t)width, n, (uint64_t)width))
    return false;
  ar->syms = arena_array(arena, n, sizeof(ArSymbol));
  ar->nsyms = n;
  uint64_t str = (uint64_t)width * (n + 1);
  for (uint64_t i = 0; i < n; i++) {
    const uint8_t *p = idx.data + width * (i + 1);
    ar->syms[i].offset = width == 4 ? read_u32be(p) : read_u64be(p);
    ar->syms[i].name = view_cstr(idx, str);
    if (!ar->syms[i].name)
      return false;
    str += strlen(ar->syms[i].name) + 1;
  }
  return true;
}

// The BSD index "__.SYMDEF": a little-endian byte count of (name offset, member
// offset) pairs, the pairs, then a byte count of the string table and the strings.
static bool read_bsd_index(Archive *ar, Arena *arena, View idx) {
  if (idx.size < 4)
    return false;
  uint64_t bytes = read_u32le(idx.data);
  if (bytes % 8 || !view_has(idx, 4, bytes + 4))
    return false;
  uint64_t n = bytes / 8;
  uint64_t strsize = read_u32le(idx.data + 4 + bytes);
  if (!view_has(idx, 8 + bytes, strsize))
    return false;
  View strs = view_slice(idx, 8 + bytes, strsize);
  ar->syms = arena_array(arena, n, sizeof(ArSymbol));
  ar->nsyms = n;
  for (uint64_t i = 0; i < n; i++) {
    const uint8_t *p = idx.data + 4 + 8 * i;
    ar->syms[i].name = view_cstr(strs, read_u32le(p));
    ar->syms[i].offset = read_u32le(p + 4);
    if (!ar->syms[i].name)
      return false;
  }
  return true;
}

// A GNU long name "/123": the name at offset 123 of the "//" member, ended by "/\n"
// (or by "\n" alone, as some writers do).
static const char *long_name(View names, uint64_t off, Arena *arena) {
  if (off >= names.size)
    return NULL;
  const uint8_t *p = names.data + off;
  const uint8_t *nl = memchr(p, '\n', names.size - off);
  if (!nl)
    return NULL;
  size_t len = (size_t)(nl - p);
  if (len > 0 && p[len - 1] == '/')
    len--;
  return arena_strndup(arena, (const char *)p, len);
}

// The path of a thin archive's member: relative to the archive's own directory.
static const char *thin_path(const char *archive, const char *member, Arena *arena) {
  const char *slash = strrchr(archive, '/');
  if (member[0] == '/' || !slash)
    return member;
  return arena_printf(arena, "%.*s/%s", (int)(slash - archive), archive, member);
}

// The index and long-name members ("/", "/SYM64/", "//") are the only ones whose
// data a thin archive stores.
static bool is_special(const uint8_t *h) {
  return h[0] == '/' && (h[1] == ' ' || h[1] == '/' || !memcmp(h, "/SYM64/", 7));
}

// One member header at `off`, and what it holds. A special member (an index, the
// long-name table) is dealt with here if `specials` (is_member false either way).
// On a bad header, the message (without the archive's name) is in *why and the
// result false.
typedef struct {
  bool is_member;
  const char *name;
  View data;
  uint64_t next;  // where the next header starts (past the end: none)
} ArHeader;

static bool read_header(Archive *ar, Arena *arena, uint64_t off, bool specials, ArHeader *out,
                        char *why, size_t why_size) {
  View v = ar->file;
  *out = (ArHeader){0};
  if (!view_has(v, off, AR_HDR_SIZE)) {
    snprintf(why, why_size, "truncated member header at offset 0x%llx", (unsigned long long)off);
    return false;
  }
  const uint8_t *h = v.data + off;
  if (h[58] != '`' || h[59] != '\n') {
    snprintf(why, why_size, "bad member header at offset 0x%llx", (unsigned long long)off);
    return false;
  }
  uint64_t size;
  if (!parse_decimal(h + 48, 10, &size)) {
    snprintf(why, why_size, "bad size field in member header at offset 0x%llx",
             (unsigned long long)off);
    return false;
  }
  // A thin archive stores only its index and long-name table; members live in
  // their own files and their size field gives the file's size.
  bool stored = !ar->thin || is_special(h);
  uint64_t data_off = off + AR_HDR_SIZE;
  if (stored && !view_has(v, data_off, size)) {
    snprintf(why, why_size, "member at offset 0x%llx extends past end of file",
             (unsigned long long)off);
    return false;
  }
  View data = stored ? view_slice(v, data_off, size) : view_slice(v, 0, 0);
  out->next = data_off + (stored ? size + (size & 1) : 0);

  const char *name = NULL;
  if (!memcmp(h, "/               ", 16) || !memcmp(h, "/SYM64/         ", 16)) {
    if (!specials)
      return true;
    if (!read_gnu_index(ar, arena, data, h[1] == 'S' ? 8 : 4)) {
      snprintf(why, why_size, "corrupt archive symbol index");
      return false;
    }
    ar->has_index = true;
    return true;
  }
  if (!memcmp(h, "//              ", 16)) {
    if (!specials)
      return true;
    ar->names = data;
    ar->have_names = true;
    return true;
  }
  if (h[0] == '/' && h[1] >= '0' && h[1] <= '9') {
    uint64_t noff;
    const uint8_t *end = memchr(h + 1, ' ', 15);
    size_t len = end ? (size_t)(end - h - 1) : 15;
    if (!ar->have_names || !parse_decimal(h + 1, len, &noff) ||
        !(name = long_name(ar->names, noff, arena))) {
      snprintf(why, why_size, "bad long name offset in member header at offset 0x%llx",
               (unsigned long long)off);
      return false;
    }
  } else if (!memcmp(h, "#1/", 3)) {
    // BSD: the name is stored at the start of the data.
    uint64_t len;
    if (!parse_decimal(h + 3, 13, &len) || len > data.size) {
      snprintf(why, why_size, "bad BSD long name in member header at offset 0x%llx",
               (unsigned long long)off);
      return false;
    }
    name = arena_strndup(arena, (const char *)data.data, strnlen((const char *)data.data, len));
    data = view_slice(data, len, data.size - len);
  } else {
    // A short name: GNU ends it with '/' (and it may contain spaces), BSD pads
    // it with spaces and has no '/'.
    const uint8_t *end = memchr(h, '/', 16);
    if (!end)
      end = memchr(h, ' ', 16);
    size_t len = end ? (size_t)(end - h) : 16;
    name = arena_strndup(arena, (const char *)h, len);
  }
  if (!strcmp(name, "__.SYMDEF") || !strcmp(name, "__.SYMDEF SORTED")) {
    if (!specials)
      return true;
    if (!read_bsd_index(ar, arena, data)) {
      snprintf(why, why_size, "corrupt archive symbol index");
      return false;
    }
    ar->has_index = true;
    return true;
  }
  out->is_member = true;
  out->name = name;
  out->data = data;
  return true;
}

static void start(View v, Archive *ar) {
  memset(ar, 0, sizeof *ar);
  ar->file = v;
  ar->thin = v.size >= 8 && !memcmp(v.data, "!<thin>\n", 8);
}

// Does the walk stop at `off`: the end, or a lone padding newline at the very end?
static bool at_end(View v, uint64_t off) {
  return off >= v.size || (v.size - off == 1 && v.data[off] == '\n');
}

bool read_archive(View v, Arena *arena, Archive *ar) {
  start(v, ar);
  // Count-then-fill: the first walk only counts members, so the array is sized once.
  size_t cap = 0;
  for (uint64_t off = 8; off + AR_HDR_SIZE <= v.size;) {
    uint64_t size;
    if (!parse_decimal(v.data + off + 48, 10, &size))
      break;
    cap++;
    bool stored = !ar->thin || is_special(v.data + off);
    uint64_t step = AR_HDR_SIZE + (stored ? size + (size & 1) : 0);
    if (step > v.size - off)
      break;
    off += step;
  }
  ar->members = arena_array(arena, cap, sizeof(ArMember));

  char why[160];
  for (uint64_t off = 8; !at_end(v, off);) {
    ArHeader hd;
    if (!read_header(ar, arena, off, true, &hd, why, sizeof why)) {
      error("%s: %s", v.name, why);
      return false;
    }
    if (hd.is_member) {
      if (ar->nmembers == cap)
        internal_error("member count changed between two walks of %s", v.name);
      ArMember *m = &ar->members[ar->nmembers++];
      m->offset = off;
      m->name = hd.name;
      m->data = hd.data;
      m->read = true;
      if (ar->thin)
        m->path = thin_path(v.name, hd.name, arena);
    }
    off = hd.next;
  }
  return true;
}

static int by_offset(const void *a, const void *b) {
  uint64_t x = ((const ArMember *)a)->offset, y = ((const ArMember *)b)->offset;
  return (x > y) - (x < y);
}

bool read_archive_index(View v, Arena *arena, Archive *ar) {
  start(v, ar);
  if (ar->thin)
    return read_archive(v, arena, ar);
  // The special members come first: read up to the first ordinary one.
  char why[160];
  uint64_t off = 8;
  for (; !at_end(v, off); ) {
    ArHeader hd;
    if (!read_header(ar, arena, off, true, &hd, why, sizeof why)) {
      error("%s: %s", v.name, why);
      return false;
    }
    if (hd.is_member)
      break;
    off = hd.next;
  }
  if (!ar->has_index)
    return read_archive(v, arena, ar);
  // The members the index names, each once, in file order; read when asked.
  ar->members = arena_array(arena, ar->nsyms + 1, sizeof(ArMember));
  for (size_t i = 0; i < ar->nsyms; i++)
    ar->members[i].offset = ar->syms[i].offset;
  qsort(ar->members, ar->nsyms, sizeof(ArMember), by_offset);
  size_t n = 0;
  for (size_t i = 0; i < ar->nsyms; i++)
    if (n == 0 || ar->members[n - 1].offset != ar->members[i].offset)
      ar->members[n++].offset = ar->members[i].offset;
  ar->nmembers = n;
  ar->lazy = true;
  return true;
}

bool read_archive_member(Archive *ar, Arena *arena, ArMember *m) {
  if (m->read)
    return true;
  // (Only an ordinary member may be at an offset the index names.)
  char why[160];
  ArHeader hd;
  if (m->offset < 8 || !read_header(ar, arena, m->offset, false, &hd, why, sizeof why) ||
      !hd.is_member)
    return false;
  m->name = hd.name;
  m->data = hd.data;
  m->read = true;
  return true;
}

ArMember *archive_member_at(Archive *ar, uint64_t offset) {
  size_t lo = 0, hi = ar->nmembers;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ar->members[mid].offset < offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < ar->nmembers && ar->members[lo].offset == offset)
    return &ar->members[lo];
  return NULL;
}
