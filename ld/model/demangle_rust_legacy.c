/*
 * demangle_rust_legacy.c — Rust's legacy names: the Itanium C++ shape, with a hash.
 *
 * Before its own scheme (v0, demangle_rust.c), rustc borrowed the C++ one's nested
 * name: each path segment as <length><text> inside _ZN ... E, and a last segment
 * that is a hash of the item (17h and 16 hex digits), which GNU ld leaves out. A
 * segment may hold what a C++ identifier cannot, written as escapes:
 *
 *   _ZN 4core 3ptr 39drop_in_place$LT$alloc..string..String$GT$ 17h0123456789abcdef E
 *   -> core::ptr::drop_in_place<alloc::string::String>
 *
 *   $LT$ <   $GT$ >   $LP$ (   $RP$ )   $RF$ &   $BP$ *   $SP$ @   $C$ ,
 *   $u7b$ {  (any ASCII character from ' ' on, in lower-case hex)   .. ::
 *
 * A C++ compiler could make such a name too (a variable h0123... in namespace foo),
 * so GNU's demangler takes one for Rust only if its hash has at least 5 different
 * digits; we apply the same test, so that a name reads the same from either linker.
 *
 * Part of the model: demangle_rust.c asks it; it asks nobody.
 */
#include "../ld.h"

#include <string.h>

enum { MAX_NAME = 16384 };  // the longest name read, as in demangle.c

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_name_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c != '\0' && strchr("_$.:@", c));
}

static int lower_hex(char c) {
  return is_digit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// <length><text> at p[*pos], before `end`: the text's length, with *pos moved to
// it; 0 when there is no such segment (a length 0, or one starting with 0, does not
// occur in a Rust name).
static size_t segment(const char *p, size_t *pos, size_t end) {
  size_t len = 0;
  if (p[*pos] == '0')
    return 0;
  while (*pos < end && is_digit(p[*pos])) {
    len = len * 10 + (size_t)(p[(*pos)++] - '0');
    if (len > end)
      return 0;
  }
  return len <= end - *pos ? len : 0;
}

// Whether a segment is the hash: h and 16 lower-case hex digits, at least 5 of them
// different (GNU's test, which keeps C++ names that merely look alike).
static bool is_hash(const char *p, size_t n) {
  unsigned seen = 0, distinct = 0;
  if (n != 17 || p[0] != 'h')
    return false;
  for (size_t i = 1; i < n; i++) {
    int d = lower_hex(p[i]);
    if (d < 0)
      return false;
    distinct += !(seen & 1u << d);
    seen |= 1u << d;
  }
  return distinct >= 5;
}

// $...$ at p (n bytes on): the character it stands for, with its length in *len; 0
// for one we do not know.
static char escape(const char *p, size_t n, size_t *len) {
  static const char *const named[][2] = {
    {"C", ","}, {"SP", "@"}, {"BP", "*"}, {"RF", "&"},
    {"LT", "<"}, {"GT", ">"}, {"LP", "("}, {"RP", ")"},
  };
  const char *close = memchr(p + 1, '$', n - 1);
  if (!close)
    return 0;
  size_t inner = (size_t)(close - p - 1);
  *len = inner + 2;
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    if (strlen(named[i][0]) == inner && !memcmp(p + 1, named[i][0], inner))
      return named[i][1][0];
  if (inner != 3 || p[1] != 'u')
    return 0;
  int hi = lower_hex(p[2]), lo = lower_hex(p[3]);
  return hi >= 0 && hi <= 7 && lo >= 0 && hi * 16 + lo >= ' ' ? (char)(hi * 16 + lo) : 0;
}

// Writes a segment at o and returns the end: "_$" loses its '_' (added because a
// segment must not start with '$'), escapes are unescaped, ".." is "::". After an
// escape we do not know, the rest is written as it is (as GNU's demangler does).
static char *put_segment(char *o, const char *p, size_t n) {
  if (n >= 2 && p[0] == '_' && p[1] == '$')
    p++, n--;
  while (n > 0) {
    size_t len = 1;
    char c = p[0];
    if (c == '$' && (c = escape(p, n, &len)) == '\0') {
      memcpy(o, p, n);
      return o + n;
    }
    if (p[0] == '.' && n >= 2 && p[1] == '.')
      memcpy(o, "::", 2), o += 2, len = 2;
    else
      *o++ = c;
    p += len, n -= len;
  }
  return o;
}

const char *demangle_rust_legacy(Arena *arena, const char *name) {
  size_t n = strnlen(name, MAX_NAME + 1);
  if (n == 0 || n > MAX_NAME)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if (!is_name_char(name[i]))
      return NULL;
  // The E that ends the name: the last character, or else the last E that a '.'
  // suffix follows (.llvm.123, .cold), which is not shown.
  size_t end = n;
  if (name[n - 1] != 'E')
    for (end = n - 1; end > 0 && !(name[end - 1] == 'E' && name[end] == '.'); end--)
      ;
  // At least one segment, then the hash: 17h and 16 digits; then E.
  if (end < 21)
    return NULL;
  size_t body = end - 1, pos = 0, len = 0;
  while (pos < body) {
    if ((len = segment(name, &pos, body)) == 0)
      return NULL;
    pos += len;
  }
  if (!is_hash(name + body - len, len))
    return NULL;
  // A segment's text is no longer than "<length><text>", which is at least 2 bytes,
  // and its "::" is 2 more: twice the name is room enough.
  char *s = arena_alloc(arena, 2 * body + 1), *o = s;
  for (pos = 0; pos < body - 19; pos += len) {
    if (pos > 0)
      memcpy(o, "::", 2), o += 2;
    len = segment(name, &pos, body);
    o = put_segment(o, name + pos, len);
  }
  *o = '\0';
  return s;
}
