/*
 * arena.c — a bump allocator.
 *
 * A link builds many small objects (one per symbol, one per input section) that all
 * live until the output is written. Allocating them from big zeroed blocks is faster
 * than malloc and needs no frees: exit returns everything. Running out of memory is
 * fatal here and nowhere else.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
  ArenaBlock *next;
  size_t used;
  size_t cap;
  _Alignas(16) unsigned char mem[];
};

enum { BLOCK_SIZE = 1 << 20 };

void *arena_alloc(Arena *arena, size_t size) {
  size = (size + 15) & ~(size_t)15;
  ArenaBlock *b = arena->head;
  if (!b || b->cap - b->used < size) {
    // A request larger than a block gets a block of its own, so one big table does
    // not waste the rest of the current block.
    size_t cap = size > BLOCK_SIZE ? size : BLOCK_SIZE;
    b = calloc(1, sizeof(ArenaBlock) + cap);
    if (!b)
      fatal("out of memory");
    b->cap = cap;
    if (size > BLOCK_SIZE && arena->head) {
      // Keep filling the current block afterwards.
      b->next = arena->head->next;
      arena->head->next = b;
      b->used = size;
      return b->mem;
    }
    b->next = arena->head;
    arena->head = b;
  }
  void *p = b->mem + b->used;
  b->used += size;
  return p;
}

void *arena_array(Arena *arena, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    fatal("out of memory");
  return arena_alloc(arena, n * size);
}

char *arena_strndup(Arena *arena, const char *s, size_t len) {
  char *p = arena_alloc(arena, len + 1);
  memcpy(p, s, len);
  return p;
}

char *arena_strdup(Arena *arena, const char *s) { return arena_strndup(arena, s, strlen(s)); }

char *arena_printf(Arena *arena, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc(arena, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void vec_push(Arena *arena, PtrVec *vec, void *item) {
  if (vec->len == vec->cap) {
    size_t cap = vec->cap ? vec->cap * 2 : 8;
    void **data = arena_array(arena, cap, sizeof(void *));
    if (vec->len)
      memcpy(data, vec->data, vec->len * sizeof(void *));
    vec->data = data;
    vec->cap = cap;
  }
  vec->data[vec->len++] = item;
}
