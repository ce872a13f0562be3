/*
 * view.c — checked reads from bytes we did not write.
 *
 * Input files come from anywhere: a truncated download, a fuzzer, a bug in another
 * tool. Every table and string we read from them is checked to lie inside the file
 * first (STYLE §4). Multi-byte values are assembled byte by byte, so reads need no
 * alignment and do not depend on the host's byte order.
 */
#include "common.h"

#include <string.h>

bool view_has_table(View v, uint64_t off, uint64_t n, uint64_t entsize) {
  if (entsize && n > UINT64_MAX / entsize)
    return false;
  return view_has(v, off, n * entsize);
}

const char *view_cstr(View v, uint64_t off) {
  if (off >= v.size)
    return NULL;
  if (!memchr(v.data + off, '\0', v.size - off))
    return NULL;
  return (const char *)v.data + off;
}

uint16_t read_u16le(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

uint32_t read_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t read_u64le(const uint8_t *p) { return read_u32le(p) | (uint64_t)read_u32le(p + 4) << 32; }

uint32_t read_u32be(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

uint64_t read_u64be(const uint8_t *p) { return (uint64_t)read_u32be(p) << 32 | read_u32be(p + 4); }

void write_u16le(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void write_u32le(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

void write_u64le(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

void write_u32be(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (24 - 8 * i));
}
