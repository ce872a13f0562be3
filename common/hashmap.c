/*
 * hashmap.c — open addressing from strings to pointers.
 *
 * The global symbol table is the one place a linker needs a hash: every symbol of
 * every object is looked up once. Linear probing over a power-of-two table, kept at
 * most half full, with the full 64-bit hash stored so most mismatches cost one
 * compare. The table's memory comes from malloc (it is rebuilt when it grows), the
 * keys belong to the caller.
 */
#include "common.h"

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
  map->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].key)
      *find(map, old[i].key, old[i].keylen, old[i].hash) = old[i];
  free(old);
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
