/*
 * sha1.c — SHA-1 (FIPS 180-4), for --build-id.
 *
 * The build ID is a hash of the whole output, so for a program linked against a
 * static libc the linker hashes megabytes at the very end of the link, on one
 * thread: the speed of this file is the speed of the link's last step.
 *
 * Two implementations of the block function, chosen once by what the CPU offers:
 *
 *   - plain C: the 80 steps written as four runs of twenty, one per round
 *     function, with the message schedule in a ring of 16 words, so that the
 *     compiler keeps everything in registers;
 *   - the SHA extensions (Intel SHA-NI, also on AMD since Zen): sha1rnds4 does
 *     four steps at once, sha1msg1/sha1msg2 compute four schedule words and
 *     sha1nexte derives the next E, so a block is 20 instructions of each kind
 *     instead of some 800 ALU operations — about four times as fast here.
 *
 * Both give the same bits (tests/common_sha1.bats compares them with sha1sum).
 */
#include "common.h"

#include <cpuid.h>
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

#define SHA1_W(i) \
  (w[(i) & 15] = rol(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^ w[((i) + 2) & 15] ^ w[(i) & 15], 1))
#define SHA1_STEP(f, k, wi)                        \
  do {                                             \
    uint32_t t = rol(a, 5) + (f) + e + (k) + (wi); \
    e = d;                                         \
    d = c;                                         \
    c = rol(b, 30);                                \
    b = a;                                         \
    a = t;                                         \
  } while (0)

// Blocks of 64 bytes, in plain C (FIPS 180-4 §6.1.2).
static void blocks_c(uint32_t h[5], const uint8_t *p, size_t n) {
  for (; n; n--, p += 64) {
    uint32_t w[16];
    for (int i = 0; i < 16; i++)
      w[i] = read_u32be(p + 4 * i);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 16; i++)
      SHA1_STEP((b & c) | (~b & d), 0x5a827999, w[i]);
    for (int i = 16; i < 20; i++)
      SHA1_STEP((b & c) | (~b & d), 0x5a827999, SHA1_W(i));
    for (int i = 20; i < 40; i++)
      SHA1_STEP(b ^ c ^ d, 0x6ed9eba1, SHA1_W(i));
    for (int i = 40; i < 60; i++)
      SHA1_STEP((b & c) | (b & d) | (c & d), 0x8f1bbcdc, SHA1_W(i));
    for (int i = 60; i < 80; i++)
      SHA1_STEP(b ^ c ^ d, 0xca62c1d6, SHA1_W(i));
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
}

// Blocks of 64 bytes with the SHA extensions. The state lives in two vectors:
// abcd holds A..D with A in the highest lane, e holds E in the highest lane. The
// 80 steps are 20 groups of four; group g uses schedule words 4g..4g+3 (x[g % 4],
// words in the same lane order) and round function g / 5 (an immediate, hence the
// macro). For g >= 4 the words come from the four groups before:
//   x[g] = sha1msg2(sha1msg1(x[g-4], x[g-3]) ^ x[g-2], x[g-1])
// which is W[t] = rol1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) four words at a time.
// A group's E is rol30 of the A four steps before, which sha1nexte computes and
// adds to the group's first word (the first group adds the E of the state).
#define GROUP(g)                                                                         \
  do {                                                                                   \
    if ((g) >= 4)                                                                        \
      x[(g) % 4] = _mm_sha1msg2_epu32(                                                   \
          _mm_xor_si128(_mm_sha1msg1_epu32(x[(g) % 4], x[((g) + 1) % 4]), x[((g) + 2) % 4]), \
          x[((g) + 3) % 4]);                                                             \
    __m128i we = (g) == 0 ? _mm_add_epi32(e, x[0]) : _mm_sha1nexte_epu32(before, x[(g) % 4]); \
    before = abcd;                                                                       \
    abcd = _mm_sha1rnds4_epu32(abcd, we, (g) / 5);                                       \
  } while (0)

__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_sha_ni(uint32_t h[5],
                                                                     const uint8_t *p,
                                                                     size_t n) {
  // Big-endian words, and the first word in the highest lane.
  const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0x1b);
  __m128i e = _mm_set_epi32((int)h[4], 0, 0, 0);
  for (; n; n--, p += 64) {
    __m128i abcd0 = abcd, e0 = e, before = abcd, x[4];
    for (int i = 0; i < 4; i++)
      x[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), reverse);
    GROUP(0); GROUP(1); GROUP(2); GROUP(3); GROUP(4);
    GROUP(5); GROUP(6); GROUP(7); GROUP(8); GROUP(9);
    GROUP(10); GROUP(11); GROUP(12); GROUP(13); GROUP(14);
    GROUP(15); GROUP(16); GROUP(17); GROUP(18); GROUP(19);
    e = _mm_sha1nexte_epu32(before, e0);  // rol30(A four steps ago) + the old E
    abcd = _mm_add_epi32(abcd, abcd0);
  }
  _mm_storeu_si128((__m128i *)h, _mm_shuffle_epi32(abcd, 0x1b));
  h[4] = (uint32_t)_mm_extract_epi32(e, 3);
}

// SHA-NI needs CPUID leaf 7's SHA bit, and the SSSE3 and SSE4.1 the loads and
// shuffles use (leaf 1). MINI_SHA1=c forces the plain version (for the tests).
static bool have_sha_ni(void) {
  const char *force = getenv("MINI_SHA1");
  if (force && !strcmp(force, "c"))
    return false;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
    return false;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}

void sha1(const uint8_t *data, uint64_t len, uint8_t out[20]) {
  void (*blocks)(uint32_t *, const uint8_t *, size_t) = have_sha_ni() ? blocks_sha_ni : blocks_c;
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  blocks(h, data, len / 64);
  // Padding: a 1 bit, zeros, then the message length in bits, big-endian.
  uint64_t i = len - len % 64;
  uint8_t tail[128] = {0};
  uint64_t rest = len - i;
  memcpy(tail, data + i, rest);
  tail[rest] = 0x80;
  uint64_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = len * 8;
  for (int j = 0; j < 8; j++)
    tail[tail_len - 1 - j] = (uint8_t)(bits >> (8 * j));
  blocks(h, tail, tail_len / 64);
  for (int j = 0; j < 5; j++)
    write_u32be(out + 4 * j, h[j]);
}
