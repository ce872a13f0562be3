/*
 * build_id.c — .note.gnu.build-id: a name for this exact executable.
 *
 * Debuggers and crash reporters match a core dump or a stripped binary with its
 * debug information by an ID stored in the file. GNU ld computes it as a hash of the
 * output itself, so the same inputs always give the same ID and any change gives a
 * new one. The note is laid out like any other (gABI "Note Section"):
 *
 *   n_namesz = 4 | n_descsz = 20 | n_type = NT_GNU_BUILD_ID (3) | "GNU\0" | 20-byte hash
 *
 * Layout reserves the note with the hash zeroed; once every other byte of the file
 * is final, the writer hashes the whole image and fills the hash in.
 *
 * Styles (--build-id=STYLE, read by parse_args): sha1 (the default, as in GNU ld),
 * uuid (random, not reproducible by design), 0xHEX (given by the user), none.
 * SHA-1 is FIPS 180-4, written out here in plain C.
 */
#include "../ld.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// One 64-byte block of SHA-1 (FIPS 180-4 §6.1.2).
// One 64-byte block. The 80 steps are written as four runs of twenty, one per
// round function, and the message schedule is kept in a ring of 16 words, so the
// compiler can keep everything in registers: several times faster than one loop
// that branches on the step number (the build ID hashes the whole output).
#define SHA1_W(i) \
  (w[(i) & 15] = rol(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^ w[((i) + 2) & 15] ^ w[(i) & 15], 1))
#define SHA1_STEP(f, k, wi)                          \
  do {                                               \
    uint32_t t = rol(a, 5) + (f) + e + (k) + (wi);   \
    e = d;                                           \
    d = c;                                           \
    c = rol(b, 30);                                  \
    b = a;                                           \
    a = t;                                           \
  } while (0)

static void sha1_block(uint32_t h[5], const uint8_t *p) {
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

static void sha1(const uint8_t *data, uint64_t len, uint8_t out[20]) {
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  uint64_t i = 0;
  for (; len - i >= 64; i += 64)
    sha1_block(h, data + i);
  // Padding: a 1 bit, zeros, then the message length in bits, big-endian.
  uint8_t tail[128] = {0};
  uint64_t rest = len - i;
  memcpy(tail, data + i, rest);
  tail[rest] = 0x80;
  uint64_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = len * 8;
  for (int j = 0; j < 8; j++)
    tail[tail_len - 1 - j] = (uint8_t)(bits >> (8 * j));
  sha1_block(h, tail);
  if (tail_len == 128)
    sha1_block(h, tail + 64);
  for (int j = 0; j < 5; j++) {
    out[4 * j] = (uint8_t)(h[j] >> 24);
    out[4 * j + 1] = (uint8_t)(h[j] >> 16);
    out[4 * j + 2] = (uint8_t)(h[j] >> 8);
    out[4 * j + 3] = (uint8_t)h[j];
  }
}

// The note's bytes, with the hash left zero until the rest of the file is final.
static bool size_build_id(Ctx *ctx, InputSection *isec) {
  if (ctx->opt.build_id == BUILD_ID_NONE)
    return false;
  uint64_t size = 12 + 4 + ctx->opt.build_id_size;
  uint8_t *buf = arena_alloc(&ctx->arena, size);
  write_u32le(buf, 4);
  write_u32le(buf + 4, (uint32_t)ctx->opt.build_id_size);
  write_u32le(buf + 8, NT_GNU_BUILD_ID);
  memcpy(buf + 12, "GNU", 4);
  isec->sh_size = size;
  isec->synthetic = buf;
  return true;
}

// Fills in the ID. It is last in SYNTHETIC_SECTIONS: every other byte of the image,
// headers and symbol table included, is final by now.
static void write_build_id(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint8_t *desc = buf + 16;
  switch (ctx->opt.build_id) {
  case BUILD_ID_NONE:
    break;
  case BUILD_ID_SHA1:
    sha1(ctx->image, ctx->image_size, desc);
    break;
  case BUILD_ID_UUID:
    if (getrandom(desc, 16, 0) != 16)
      fatal("--build-id=uuid: cannot get random bytes: %s", strerror(errno));
    desc[6] = (uint8_t)((desc[6] & 0x0f) | 0x40);  // RFC 4122 version 4
    desc[8] = (uint8_t)((desc[8] & 0x3f) | 0x80);
    break;
  case BUILD_ID_HEX:
    memcpy(desc, ctx->opt.build_id_hex, ctx->opt.build_id_size);
    break;
  }
}

const SyntheticKind build_id_section = {
  .name = ".note.gnu.build-id",
  .sh_type = SHT_NOTE,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 4,
  .size = size_build_id,
  .write = write_build_id,
};
