#!/usr/bin/env bats
# common/ called from several threads at once, as parallel passes will call it: a
# small C program exercises one piece, built from common/*.c with ThreadSanitizer
# when the compiler has it (with_common), so that a data race fails the test.

bats_require_minimum_version 1.5.0
load helpers

@test "common: error() from four threads counts every error and writes whole lines" {
  with_common diag <<'C'
#include "common.h"
#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, LINES = 2000 };

// Line i of thread t carries i % 300 x's, so lines differ in length.
static void *report(void *arg) {
  int t = (int)(long)arg;
  for (int i = 0; i < LINES; i++)
    error("thread %d: line %d: %.*s", t, i, i % 300,
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  return NULL;
}

int main(void) {
  diag_set_tool("t");
  pthread_t th[THREADS];
  for (long t = 0; t < THREADS; t++)
    pthread_create(&th[t], NULL, report, (void *)t);
  for (int t = 0; t < THREADS; t++)
    pthread_join(th[t], NULL);
  printf("%d\n", error_count());
  return 0;
}
C
  ./diag >out 2>err
  [ "$(cat out)" = 8000 ]
  # Every line is whole: its x's match its number, and each (thread, line) pair
  # appears exactly once.
  awk -F': ' '
    NF != 4 || $1 != "t" || length($4) != substr($3, 6) % 300 || $4 ~ /[^x]/ { bad++ }
    { seen[$2 ":" $3]++ }
    END {
      for (k in seen) if (seen[k] != 1) bad++
      if (bad || length(seen) != 8000) { print bad " bad lines" > "/dev/stderr"; exit 1 }
    }' err
}

@test "common: arena_alloc from four threads hands out zeroed, aligned, separate memory, small and large, and arena_alloc_aligned on its boundary" {
  with_common arena <<'C'
#include "common.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// BIG: more than a block can be; MEDIUM: more than a first block, less than BIG
enum { THREADS = 4, ALLOCS = 20000, BIG = 3 << 19, MEDIUM = 700 << 10 };

static Arena arena;
static unsigned char *ptr[THREADS][ALLOCS];
static size_t len[THREADS][ALLOCS];

// Each thread takes pieces of varied sizes (and now and then one bigger than a
// block, or than the block in use), checks that each is aligned and zeroed, and fills it with its own byte.
static void *take(void *arg) {
  int t = (int)(long)arg;
  unsigned seed = 12345u + (unsigned)t;
  for (int i = 0; i < ALLOCS; i++) {
    seed = seed * 1103515245u + 12345u;
    size_t n = i % 5000 == 4999 ? BIG : i % 3001 == 7 ? MEDIUM : (seed >> 16) % 600;
    size_t align = i % 4 == 1 ? 64 : i % 97 == 3 ? 4096 : 16;
    unsigned char *p = align == 16 ? arena_alloc(&arena, n) : arena_alloc_aligned(&arena, n, align);
    if ((uintptr_t)p % align)
      printf("thread %d: piece %d is not %zu-byte aligned\n", t, i, align);
    for (size_t k = 0; k < n; k++)
      if (p[k]) {
        printf("thread %d: piece %d is not zeroed\n", t, i);
        break;
      }
    memset(p, t + 1, n);
    ptr[t][i] = p;
    len[t][i] = n;
  }
  return NULL;
}

int main(void) {
  pthread_t th[THREADS];
  for (long t = 0; t < THREADS; t++)
    pthread_create(&th[t], NULL, take, (void *)t);
  for (int t = 0; t < THREADS; t++)
    pthread_join(th[t], NULL);
  // A piece that overlapped another would have been overwritten by its filler.
  for (int t = 0; t < THREADS; t++)
    for (int i = 0; i < ALLOCS; i++)
      for (size_t k = 0; k < len[t][i]; k++)
        if (ptr[t][i][k] != t + 1) {
          printf("thread %d: piece %d overlaps another\n", t, i);
          return 1;
        }
  printf("ok\n");
  return 0;
}
C
  run ./arena
  [ "$status" -eq 0 ]
  [ "$output" = ok ]
}

@test "common: a growing arena takes bigger blocks, zeroed and huge-page aligned, and arena_free returns them" {
  with_common arena_grow <<'C'
#include "common.h"
#include <stdio.h>
#include <string.h>

static Arena arena;

// Resident memory in KiB, from /proc/self/statm (pages).
static long rss_kb(void) {
  long size = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f || fscanf(f, "%ld %ld", &size, &resident) != 2)
    return -1;
  fclose(f);
  return resident * 4;
}

int main(void) {
  // 200 MiB in 1 KiB pieces: later blocks are large (and mapped), every piece zeroed.
  enum { PIECES = 200 * 1024 };
  unsigned char *last = NULL;
  int aligned_gaps = 0;
  for (int i = 0; i < PIECES; i++) {
    unsigned char *p = arena_alloc(&arena, 1024);
    for (int k = 0; k < 1024; k += 64)
      if (p[k]) {
        printf("piece %d is not zeroed\n", i);
        return 1;
      }
    memset(p, 0xab, 1024);
    // A new block starts where the previous piece did not end; big blocks start
    // 2 MiB-aligned (plus the block's header).
    if (last && p != last + 1024 && ((uintptr_t)p & ((2u << 20) - 1)) < 4096)
      aligned_gaps++;
    last = p;
  }
  long full = rss_kb();
  arena_free(&arena);
  long freed = rss_kb();
  if (aligned_gaps < 3)
    printf("only %d blocks started on a 2 MiB boundary\n", aligned_gaps);
  else if (full - freed < 150 * 1024)
    printf("arena_free gave back only %ld KiB of %ld\n", full - freed, full);
  else
    printf("ok\n");
  return 0;
}
C
  run ./arena_grow
  [ "$output" = ok ]
}

@test "common: after arena_free, no thread cuts pieces from a chunk of the freed blocks" {
  with_common arena_chunks <<'C'
#include "common.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static Arena arena;

// Small pieces from a block of 4 MiB or more (mapped, so freeing unmaps it): the
// arena already holds 24 MiB, and blocks grow with it.
static void *fill(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; i++)
    memset(arena_alloc(&arena, 48), 0xab, 48);
  return NULL;
}

int main(void) {
  for (int round = 0; round < 3; round++) {
    arena_alloc(&arena, 24 << 20);
    pthread_t t;
    pthread_create(&t, NULL, fill, NULL);
    pthread_join(t, NULL);
    fill(NULL);
    arena_free(&arena);
    // Each thread's next piece must come from the arena's new blocks: zeroed, and
    // writable (a piece of an unmapped block would fault).
    unsigned char *p = arena_alloc(&arena, 48);
    for (int k = 0; k < 48; k++)
      if (p[k]) {
        printf("round %d: a piece after arena_free is not zeroed\n", round);
        return 1;
      }
    memset(p, 1, 48);
    arena_free(&arena);
  }
  printf("ok\n");
  return 0;
}
C
  run ./arena_chunks
  [ "$output" = ok ]
}

@test "common: vec_reserve makes room once: the pushes it made room for copy nothing" {
  with_common vec <<'C'
#include "common.h"
#include <stdio.h>

int main(void) {
  Arena arena = {0};
  PtrVec v = {0};
  static int items[100000];
  vec_push(&arena, &v, &items[0]);
  vec_reserve(&arena, &v, 99999);
  void **data = v.data;
  size_t cap = v.cap;
  for (int i = 1; i < 100000; i++)
    vec_push(&arena, &v, &items[i]);
  int wrong = 0;
  for (int i = 0; i < 100000; i++)
    wrong += v.data[i] != &items[i];
  vec_reserve(&arena, &v, 0);  // room enough already: nothing moves
  printf("cap %zu, moved %d, wrong %d\n", cap, v.data != data, wrong);
  vec_push(&arena, &v, &items[0]);  // past the room: it grows
  printf("len %zu, grew %d\n", v.len, v.cap > cap);
  arena_free(&arena);
  return 0;
}
C
  run ./vec
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "cap 100000, moved 0, wrong 0" ]
  [ "${lines[1]}" = "len 100001, grew 1" ]
}

@test "common: parallel_for calls every index once, on several threads, and nests serially" {
  with_common parallel <<'C'
#include "common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

enum { N = 100000 };
static _Atomic int calls[N];
static _Atomic int inner_calls;
static pthread_t seen[64];
static _Atomic int nseen;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void note_thread(void) {
  pthread_mutex_lock(&lock);
  int k = 0;
  while (k < nseen && !pthread_equal(seen[k], pthread_self()))
    k++;
  if (k == nseen && k < 64)
    seen[nseen++] = pthread_self();
  pthread_mutex_unlock(&lock);
}

static void inner(void *arg, size_t i) {
  (void)i;
  if (!pthread_equal(*(pthread_t *)arg, pthread_self()))
    printf("a nested loop left its thread\n");
  inner_calls++;
}

static void body(void *arg, size_t i) {
  (void)arg;
  calls[i]++;
  if (i % 1000 == 0)
    note_thread();
  if (i % 10000 == 0) {
    pthread_t self = pthread_self();
    parallel_for(10, inner, &self);
  }
  // Some work, so that every thread gets a share.
  volatile unsigned x = (unsigned)i;
  for (int k = 0; k < 200; k++)
    x = x * 31 + 7;
}

int main(void) {
  set_thread_count(4);
  for (int round = 0; round < 3; round++)
    parallel_for(N, body, NULL);
  for (int i = 0; i < N; i++)
    if (calls[i] != 3) {
      printf("index %d ran %d times\n", i, calls[i]);
      return 1;
    }
  if (inner_calls != 3 * 10 * 10)
    printf("nested loops ran %d bodies\n", inner_calls);
  else if (thread_count() != 4)
    printf("thread_count() is %d\n", thread_count());
  else if (nseen < 2)
    printf("only %d thread ran the loop\n", nseen);
  else
    printf("ok\n");
  parallel_for(0, body, NULL);  // nothing to do: returns at once
  return 0;
}
C
  run ./parallel
  [ "$output" = ok ]
}

@test "common: parallel_memcpy copies every byte, whatever the size and the threads" {
  with_common pcopy <<'C'
#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  // Sizes around the 1 MiB task size, and none.
  size_t sizes[] = {0, 1, 4095, 1 << 20, (1 << 20) + 1, 5 * (1 << 20) + 12345};
  int bad = 0;
  for (int threads = 1; threads <= 4; threads *= 2) {
    set_thread_count(threads);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
      size_t n = sizes[k];
      unsigned char *src = malloc(n + 1), *dst = malloc(n + 2);
      for (size_t i = 0; i < n; i++)
        src[i] = (unsigned char)(i * 7 + i / 4096);
      memset(dst, 0xee, n + 2);
      parallel_memcpy(dst, src, n);
      bad += memcmp(dst, src, n) != 0 || dst[n] != 0xee || dst[n + 1] != 0xee;
      free(src);
      free(dst);
    }
  }
  printf("%d bad\n", bad);
  return 0;
}
C
  run ./pcopy
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "0 bad" ]
}
