/*
 * hashmap.c — open addressing from strings to pointers.
 *
 * The global symbol table is the one place a linker needs a hash: every symbol of
 * every object is looked up once. Linear probing over a power-of-two table, kept at
 * most half full, with the full 64-bit hash stored so most mismatches cost one
 * compare. The table's memory comes from malloc (it is rebuilt when it grows), the
 * keys belong to the caller.
 *
 * Threads may also insert at the same time (hashmap_insert_concurrent), into a
 * table made big enough beforehand (hashmap_reserve), since it cannot grow while
 * they do; once it is three quarters full they stop, and leave the rest to be
 * inserted the ordinary way. A thread claims an empty entry by a compare-and-swap of its key; it then
 * fills in the length, the hash and, last, the value, which is what others wait for
 * before they compare the entry with their key. Where an entry lands depends on who
 * came first, but not what a lookup finds, so the link does not depend on it.
 */
#include "common.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

// FNV-1a: simple, and good enough for symbol names.
uint64_t hash_string(const char *s, size_t len) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

static HashEntry *find(HashMap *map, const char *key, size_t keylen, uint64_t h) {
  size_t mask = map->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    HashEntry *e = &map->entries[i];
    if (!e->key)
      return e;
    if (e->hash == h && e->keylen == keylen && !memcmp(e->key, key, keylen))
      return e;
  }
}

static void grow(HashMap *map) {
  size_t cap = map->cap ? map->cap * 2 : 1024;
  HashEntry *old = map->entries;
  size_t oldcap = map->cap;
  map->entries = calloc(cap, sizeof(HashEntry));
  if (!map->entries)
    fatal("out of memory");
  advise_huge_pages(map->entries, cap * sizeof(HashEntry));
  map->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].key)
      *find(map, old[i].key, old[i].keylen, old[i].hash) = old[i];
  free(old);
}

void hashmap_reserve(HashMap *map, size_t more) {
  while ((map->len + more) * 2 >= map->cap)
    grow(map);
}

void *hashmap_insert_concurrent(HashMap *map, const char *key, size_t keylen, uint64_t h,
                                void *(*make)(void *arg, const char *key), void *arg) {
  size_t mask = map->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    HashEntry *e = &map->entries[i];
    const char *k = __atomic_load_n(&e->key, __ATOMIC_ACQUIRE);
    if (!k) {
      // Full enough: the caller inserts the rest later, alone (hashmap_slot).
      if (__atomic_load_n(&map->len, __ATOMIC_RELAXED) >= map->cap / 4 * 3)
        return NULL;
      if (__atomic_compare_exchange_n(&e->key, &k, key, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        e->keylen = keylen;
        e->hash = h;
        void *value = make(arg, key);
        __atomic_store_n(&e->value, value, __ATOMIC_RELEASE);
        __atomic_fetch_add(&map->len, 1, __ATOMIC_RELAXED);
        return value;
      }
      // Another thread claimed it first; k is its key now.
    }
    // The entry is someone's: wait for its owner to publish it (a few
    // instructions away), then compare.
    void *value;
    while (!(value = __atomic_load_n(&e->value, __ATOMIC_ACQUIRE)))
      sched_yield();
    if (e->hash == h && e->keylen == keylen && !memcmp(e->key, key, keylen))
      return value;
  }
}

void *hashmap_get(HashMap *map, const char *key, size_t keylen) {
  if (!map->cap)
    return NULL;
  HashEntry *e = find(map, key, keylen, hash_string(key, keylen));
  return e->key ? e->value : NULL;
}

HashEntry *hashmap_slot(HashMap *map, const char *key, size_t keylen) {
  if (map->len * 2 >= map->cap)
    grow(map);
  uint64_t h = hash_string(key, keylen);
  HashEntry *e = find(map, key, keylen, h);
  if (!e->key) {
    e->key = key;
    e->keylen = keylen;
    e->hash = h;
    e->value = NULL;
    map->len++;
  }
  return e;
}
