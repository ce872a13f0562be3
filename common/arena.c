/*
 * arena.c — a bump allocator that several threads can share.
 *
 * A link builds many small objects (one per symbol, one per input section) that all
 * live until the output is written. Allocating them from big zeroed blocks is faster
 * than malloc and needs no frees: exit returns everything. Running out of memory is
 * fatal here and nowhere else.
 *
 * Passes will scan input files in parallel (STYLE §6), and every scanner allocates
 * symbols and sections from ctx->arena at the same time. So arena_alloc takes no
 * lock: a thread claims its bytes with one atomic fetch-and-add on the current
 * block's `used` (for small pieces, a chunk of 64 KiB at a time, which it then
 * cuts them from alone), and when the block is full it installs a fresh one with a
 * compare-and-swap on `head` (the thread that loses the race frees its block and
 * uses the winner's). Blocks are only ever added, never removed or reused, so a
 * pointer read from `head` stays valid and there is no ABA problem.
 *
 *   arena->head --> [block 3: used ---> |####....]   <- being filled
 *                        | next
 *                   [block 2: full] --> [block 1: full] --> NULL
 *   arena->big  --> [one big request] --> ... --> NULL
 *
 * Which thread gets which bytes depends on scheduling, so addresses differ from run
 * to run. That is harmless because nothing may depend on them: no pass sorts,
 * hashes or numbers anything by its address. Order comes from the input (file
 * order, symbol index), and results are merged in that order, so the output is the
 * same whatever the thread count.
 *
 * An Arena is valid when all zero (`{0}`, calloc, static storage): for these
 * lock-free pointers, all-bits-zero is a null pointer, as on every target we build.
 */
#include "common.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaBlock {
  ArenaBlock *next;     // the block that was head before this one; set before the
                        // block is published, never changed after
  size_t cap;
  bool mapped;          // from mmap (a large block), not calloc
  // Bytes of mem handed out. It may run past cap: a claim that does not fit is
  // abandoned, and so is the rest of the block (the next claim starts a new one).
  _Atomic size_t used;
  _Alignas(16) unsigned char mem[];
};

// Blocks start at 64 KiB, so that a small link stays small (under AddressSanitizer,
// whose shadow of a fresh 1 MiB block costs more than a whole small link), and grow
// with the arena (a quarter of what it holds, up to 64 MiB); a request of up to
// 1 MiB that does not fit gets a block at least its size. The large ones are mapped on 2 MiB
// boundaries and offered to the kernel for huge pages: a link that allocates a
// gigabyte then takes a few hundred page faults instead of 250,000, and its
// symbols and sections, read in random order, miss the TLB less.
enum { MIN_BLOCK = 64 << 10, BLOCK_SIZE = 1 << 20, HUGE_PAGE = 2 << 20, MAX_BLOCK = 64 << 20 };

static _Atomic size_t arena_total;

// LeakSanitizer looks for pointers in the heap and the stacks, not in memory from
// mmap: a malloc'd table that only an arena block points to would look leaked. Under
// the sanitizers every block comes from calloc.
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_LEAK_CHECKER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define UNDER_LEAK_CHECKER 1
#endif
#endif
#ifndef UNDER_LEAK_CHECKER
#define UNDER_LEAK_CHECKER 0
#endif  // bytes in blocks, over every arena

void advise_huge_pages(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (bytes < 2 * HUGE_PAGE)
    return;
  uintptr_t begin = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
  uintptr_t end = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
  if (end > begin)
    madvise((void *)begin, end - begin, MADV_HUGEPAGE);  // a hint: without it, small pages
#else
  (void)p, (void)bytes;
#endif
}

static ArenaBlock *map_block(size_t bytes) {
  // Over-allocate by a huge page to place the block on a huge-page boundary.
  uint8_t *p = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  uint8_t *aligned = (uint8_t *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
  if (aligned > p)
    munmap(p, (size_t)(aligned - p));
  munmap(aligned + bytes, (size_t)(p + HUGE_PAGE - aligned));
#ifdef MADV_HUGEPAGE
  madvise(aligned, bytes, MADV_HUGEPAGE);  // a hint: without it, ordinary pages
#endif
  return (ArenaBlock *)aligned;
}

// A zeroed block with room for cap bytes, of which the caller has already claimed
// the first `claimed`. Not yet visible to other threads.
static ArenaBlock *new_block(size_t cap, size_t claimed, ArenaBlock *next) {
  if (cap > SIZE_MAX - sizeof(ArenaBlock) - HUGE_PAGE)
    fatal("out of memory");
  size_t bytes = sizeof(ArenaBlock) + cap;
  ArenaBlock *b;
  bool mapped = bytes >= 2 * HUGE_PAGE && !UNDER_LEAK_CHECKER;
  if (mapped) {
    bytes = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    b = map_block(bytes);
    cap = bytes - sizeof(ArenaBlock);
  } else {
    b = calloc(1, bytes);
  }
  if (!b)
    fatal("out of memory");
  b->next = next;
  b->cap = cap;
  b->mapped = mapped;
  atomic_init(&b->used, claimed);
  atomic_fetch_add_explicit(&arena_total, bytes, memory_order_relaxed);
  return b;
}

static void free_block(ArenaBlock *b) {
  atomic_fetch_sub_explicit(&arena_total, sizeof(ArenaBlock) + b->cap, memory_order_relaxed);
  if (b->mapped)
    munmap(b, sizeof(ArenaBlock) + b->cap);
  else
    free(b);
}

static size_t next_block_size(size_t size) {
  size_t want = atomic_load_explicit(&arena_total, memory_order_relaxed) / 4;
  want = want < MIN_BLOCK ? MIN_BLOCK : want > MAX_BLOCK ? MAX_BLOCK : want;
  return want < size ? size : want;
}

// A request larger than a block gets a block of its own, so one big table does not
// waste the rest of the current block. It goes on a list of its own, pushed with
// the same compare-and-swap: nothing ever allocates from it again, but the list
// keeps it reachable (it is in use until exit, and LeakSanitizer should see that).
static void *alloc_big(Arena *arena, size_t size) {
  ArenaBlock *b = new_block(size, size, atomic_load(&arena->big));
  // On failure the CAS stores the current list into b->next; b is still ours.
  while (!atomic_compare_exchange_weak(&arena->big, &b->next, b))
    ;
  return b->mem;
}

// Claims size bytes (a multiple of 16) from the block being filled.
static void *claim(Arena *arena, size_t size) {
  if (size > BLOCK_SIZE)
    return alloc_big(arena, size);
  ArenaBlock *b = atomic_load(&arena->head);
  for (;;) {
    if (b) {
      // Offsets are handed out in increasing order, so once one claim does not
      // fit, no later one does: the block is full for everybody.
      size_t off = atomic_fetch_add_explicit(&b->used, size, memory_order_relaxed);
      if (off <= b->cap && size <= b->cap - off)
        return b->mem + off;
    }
    // Install a fresh block whose first piece is ours. If another thread got
    // there first, the CAS fails and loads its block into b: try that one.
    ArenaBlock *fresh = new_block(next_block_size(size), size, b);
    if (atomic_compare_exchange_strong(&arena->head, &b, fresh))
      return fresh->mem;
    free_block(fresh);
  }
}

// Each thread cuts its small pieces from a chunk of its own, claimed from the block
// in one go, so that threads allocating at once do not all write the block's `used`
// (one cache line, passed from core to core at every claim: a big link makes a
// million claims while it reads its inputs on every thread). A chunk belongs to one
// arena, and arena_free makes every thread's chunk stale (`generation`).
enum { CHUNK = 64 << 10, CHUNK_PIECE = 4 << 10 };
static _Atomic uint64_t generation;
static _Thread_local struct {
  const Arena *arena;
  uint64_t generation;
  unsigned char *next, *end;
} chunk;

void *arena_alloc(Arena *arena, size_t size) { return arena_alloc_aligned(arena, size, 16); }

void *arena_alloc_aligned(Arena *arena, size_t size, size_t align) {
  if (size > SIZE_MAX - 15 - align)
    fatal("out of memory");
  size = (size + 15) & ~(size_t)15;  // keeps every piece 16-byte aligned
  uint64_t now = atomic_load_explicit(&generation, memory_order_relaxed);
  if (chunk.arena == arena && chunk.generation == now) {
    unsigned char *p = (unsigned char *)(((uintptr_t)chunk.next + align - 1) & ~(uintptr_t)(align - 1));
    if (p <= chunk.end && size <= (size_t)(chunk.end - p)) {
      chunk.next = p + size;
      return p;
    }
  }
  if (size + align - 16 > CHUNK_PIECE) {
    unsigned char *p = claim(arena, size + align - 16);
    return (void *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
  }
  unsigned char *c = claim(arena, CHUNK);
  chunk.arena = arena;
  chunk.generation = now;
  chunk.end = c + CHUNK;
  unsigned char *p = (unsigned char *)(((uintptr_t)c + align - 1) & ~(uintptr_t)(align - 1));
  chunk.next = p + size;
  return p;
}

size_t arena_bytes(void) {
  return atomic_load_explicit(&arena_total, memory_order_relaxed);
}

void arena_free(Arena *arena) {
  ArenaBlock *lists[] = {atomic_load(&arena->head), atomic_load(&arena->big)};
  for (int i = 0; i < 2; i++)
    for (ArenaBlock *b = lists[i], *next; b; b = next) {
      next = b->next;
      free_block(b);
    }
  atomic_store(&arena->head, NULL);
  atomic_store(&arena->big, NULL);
  atomic_fetch_add(&generation, 1);
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

// Not thread-safe, unlike arena_alloc: a PtrVec has one owner. A pass that builds
// lists in parallel gives each thread (or each file) its own PtrVec and merges them
// in a fixed order afterwards.
static void resize_vec(Arena *arena, PtrVec *vec, size_t cap) {
  void **data = arena_array(arena, cap, sizeof(void *));
  if (vec->len)
    memcpy(data, vec->data, vec->len * sizeof(void *));
  vec->data = data;
  vec->cap = cap;
}

void vec_push(Arena *arena, PtrVec *vec, void *item) {
  if (vec->len == vec->cap)
    resize_vec(arena, vec, vec->cap ? vec->cap * 2 : 8);
  vec->data[vec->len++] = item;
}

void vec_reserve(Arena *arena, PtrVec *vec, size_t more) {
  if (more > SIZE_MAX / sizeof(void *) - vec->len)
    fatal("out of memory");
  if (vec->len + more > vec->cap)
    resize_vec(arena, vec, vec->len + more);
}
