#!/usr/bin/env bats
# common/hashmap.c: the global symbol table. Its hash must spread names that differ
# in any one byte (a big link's names share long prefixes), and threads filling it at
# once must make each name's value exactly once.

bats_require_minimum_version 1.5.0
load helpers

@test "common: hash_string spreads names differing in any one byte over a table's entries" {
  with_common spread <<'C'
#include "common.h"
#include <stdio.h>
#include <string.h>

enum { BITS = 17 };
static unsigned load[1 << BITS];
static size_t keys;

// Where the table puts a key (hashmap_home, for a table of 2^BITS entries).
static void add(const char *s, size_t len) {
  HashMap map = {.cap = 1 << BITS};
  load[hashmap_home(&map, hash_string(s, len))]++;
  keys++;
}

int main(void) {
  // Every length up to 40, every position, every other byte value there.
  char name[64];
  for (size_t len = 1; len <= 40; len++)
    for (size_t pos = 0; pos < len; pos++)
      for (int c = 0; c < 256; c++) {
        if (c == '_')
          continue;
        memset(name, '_', len);
        name[pos] = (char)c;
        add(name, len);
      }
  // Names the way programs number them.
  for (int i = 0; i < 100000; i++)
    add(name, (size_t)sprintf(name, "_ZN4mini6module%dE", i));
  unsigned most = 0;
  for (size_t i = 0; i < sizeof load / sizeof load[0]; i++)
    most = load[i] > most ? load[i] : most;
  printf("%zu keys, at most %u in one of %d buckets\n", keys, most, 1 << BITS);
  return 0;
}
C
  run ./spread
  echo "$output"
  [ "$status" -eq 0 ]
  # 309,100 keys over 131,072 buckets: 2.4 on average, 11 at most for the hash of
  # today (FNV-1a: 82); a byte the hash ignored would put 255 keys in one bucket.
  most=$(echo "$output" | sed -E 's/.*at most ([0-9]+) in.*/\1/')
  [ "$most" -le 20 ]
}

@test "common: a table filled from four threads at once makes each name's value once and finds it" {
  with_common table <<'C'
#include "common.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAMES = 200000, THREADS = 4 };
static char *names[NAMES];
static HashMap map;
static _Atomic int made[NAMES];

static void *make(void *arg, const char *key) {
  (void)arg;
  int i = atoi(key + 4);
  made[i]++;
  return &made[i];
}

// Thread t enters every name from t * NAMES / 8 on, wrapping: each name is entered
// by several threads, in different orders. Each looks its names up as the linker
// does: hashes first, prefetching, then the lookups.
static void *fill(void *arg) {
  size_t t = (size_t)arg;
  for (size_t k = 0; k < NAMES; k++) {
    size_t i = (t * NAMES / 8 + k) % NAMES;
    uint64_t h = hash_string(names[i], strlen(names[i]));
    hashmap_prefetch(&map, h);
    if (hashmap_insert_concurrent(&map, names[i], strlen(names[i]), h, make, NULL) != &made[i])
      abort();
  }
  return NULL;
}

int main(void) {
  for (int i = 0; i < NAMES; i++) {
    names[i] = malloc(32);
    sprintf(names[i], "sym_%d", i);
  }
  hashmap_reserve(&map, NAMES);
  pthread_t th[THREADS];
  for (size_t t = 0; t < THREADS; t++)
    pthread_create(&th[t], NULL, fill, (void *)t);
  for (int t = 0; t < THREADS; t++)
    pthread_join(th[t], NULL);
  int wrong = 0;
  for (int i = 0; i < NAMES; i++) {
    char copy[32];
    strcpy(copy, names[i]);  // found by its bytes, not its address
    wrong += made[i] != 1 || hashmap_get(&map, copy, strlen(copy)) != &made[i];
  }
  wrong += hashmap_get(&map, "sym_", 4) != NULL || hashmap_get(&map, "sym_200000", 10) != NULL;
  // A length no entry can have is not looked for (nor read): nothing, not an exit.
  wrong += hashmap_get(&map, "sym_1", (size_t)UINT32_MAX + 5) != NULL;
  printf("%zu entries, %d wrong\n", map.len, wrong);
  return 0;
}
C
  run ./table
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "200000 entries, 0 wrong" ]
}
