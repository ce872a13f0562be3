/*
 * punycode.c — Unicode identifiers spelled in ASCII (RFC 3492), for Rust's v0 names.
 *
 * A symbol name is ASCII, so Rust's v0 mangling writes an identifier such as
 * `größe` in punycode, the encoding of internationalized domain names: the ASCII
 * characters first ("gre"), a delimiter, then a series of numbers ("6ka8i"), each of
 * which says which code point to insert where:
 *
 *   u9gre_6ka8i   ->   größe       ('_' is Rust's delimiter; the RFC's is '-')
 *
 * Each number is written in base 36 with a variable length (a-z are the digits 0-25,
 * 0-9 are 26-35), and a "bias", adapted after each insertion, says where a number
 * ends. The numbers grow only as far as the input says, so every one is capped: the
 * input comes from an object file.
 *
 * Part of the model: demangle_rust.c asks it; it asks nobody.
 */
#include "../ld.h"

#include <string.h>

// A longer identifier is not decoded: no real one comes near, and each insertion
// moves the code points after it.
enum { MAX_CODE_POINTS = 1024 };

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

// The bias for the next number, from how far the last one moved (RFC 3492 §6.1).
static uint64_t adapt(uint64_t delta, uint64_t points, bool first) {
  delta = first ? delta / 700 : delta / 2;
  delta += delta / points;
  uint64_t k = 0;
  while (delta > 35 * 26 / 2) {
    delta /= 35;
    k += 36;
  }
  return k + 36 * delta / (delta + 38);
}

// Appends code point c to `out` as UTF-8 (1 to 4 bytes).
static size_t put_utf8(char *out, uint32_t c) {
  static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
  size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  for (size_t b = len - 1; b > 0; b--, c >>= 6)
    out[b] = (char)(0x80 | (c & 0x3f));
  out[0] = (char)(lead[len] | c);
  return len;
}

const char *punycode_decode(Arena *arena, const char *p, size_t n, char delimiter) {
  // The ASCII part ends at the last delimiter; without one, all of it is numbers.
  size_t split = n;
  while (split > 0 && p[split - 1] != delimiter)
    split--;
  const char *num = p + split, *end = p + n;
  if (num == end || n > MAX_CODE_POINTS)
    return NULL;
  uint32_t cp[MAX_CODE_POINTS];
  size_t count = 0;
  for (size_t i = 0; i + 1 < split; i++)
    cp[count++] = (unsigned char)p[i];
  // The decoding loop of RFC 3492 §6.2: n is the code point, i the place, both
  // carried from one insertion to the next.
  uint64_t c = 128, i = 0, bias = 72;
  while (num < end) {
    uint64_t old_i = i, w = 1;
    for (uint64_t k = 36;; k += 36) {
      char ch = num < end ? *num++ : '\0';
      uint64_t digit = is_lower(ch) ? (uint64_t)(ch - 'a')
                       : is_digit(ch) ? (uint64_t)(ch - '0') + 26 : 36;
      // Caps far above any code point at any place, and far below overflow.
      if (digit == 36 || w > UINT32_MAX || (i += digit * w) > UINT32_MAX)
        return NULL;
      uint64_t t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
      if (digit < t)
        break;
      w *= 36 - t;
    }
    bias = adapt(i - old_i, count + 1, old_i == 0);
    c += i / (count + 1);
    i %= count + 1;
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || count == MAX_CODE_POINTS)
      return NULL;  // not a Unicode scalar value, or too long
    memmove(cp + i + 1, cp + i, (count - i) * sizeof cp[0]);
    cp[i++] = (uint32_t)c;
    count++;
  }
  char *s = arena_alloc(arena, 4 * count + 1), *o = s;
  for (size_t j = 0; j < count; j++)
    o += put_utf8(o, cp[j]);
  *o = '\0';
  return s;
}
