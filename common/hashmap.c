/*
 * hashmap.c — open addressing from strings to pointers.
 *
 * The global symbol table is the one place a linker needs a hash: every symbol of
 * every object is looked up once. Linear probing, with the table kept at most two
 * thirds full, with the low 32 bits of each key's hash stored beside it so most
 * mismatches cost one compare. The table's memory comes from malloc (it is rebuilt
 * when it grows), the keys belong to the caller.
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

// (cap and len are 8-byte aligned: 64 bytes apart, they are never on one line.)
_Static_assert(offsetof(HashMap, len) >= offsetof(HashMap, cap) + 64,
               "HashMap.len must not share a cache line with entries and cap");

// A big link's symbol table has millions of entries.
_Static_assert(sizeof(HashEntry) == 24, "HashEntry grew");

// Eight bytes at a time: each word is folded in with a rotate, an xor and a
// multiply by an odd constant (2^64 over the golden ratio), and the result is mixed
// at the end so that its low bits, the ones a table uses, depend on every byte. A
// byte at a time (FNV) was the larger part of interning a big link's names.
uint64_t hash_string(const char *s, size_t len) {
  const uint64_t k = 0x9e3779b97f4a7c15ULL;
  uint64_t h = len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = ((h << 29 | h >> 35) ^ w) * k;
  }
  uint64_t tail = 0;
  for (size_t j = 0; i + j < len; j++)
    tail |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
  h = ((h << 29 | h >> 35) ^ tail) * k;
  h ^= h >> 32;
  h *= k;
  return h ^ (h >> 29);
}

// A key of 4 GiB or more would not fit in HashEntry.keylen. No file has a name
// that long (nor a string to merge, nor a CIE); one claiming it is refused here.
static uint32_t key_length(size_t keylen) {
  if (keylen >= UINT32_MAX)
    fatal("a name or string of 4 GiB or more");
  return (uint32_t)keylen;
}

static HashEntry *find(HashMap *map, const char *key, uint32_t keylen, uint32_t h) {
  for (size_t i = hashmap_home(map, h);; i = i + 1 == map->cap ? 0 : i + 1) {
    HashEntry *e = &map->entries[i];
    if (!e->key)
      return e;
    if (e->hash == h && e->keylen == keylen && !memcmp(e->key, key, keylen))
      return e;
  }
}

// At most two thirds full: a lookup then reads two or three entries on average,
// mostly in one cache line.
static bool too_full(size_t len, size_t cap) {
  return len * 3 >= cap * 2;
}

static void resize(HashMap *map, size_t cap) {
  if (cap > UINT32_MAX)
    fatal("out of memory");  // hashmap_home needs cap < 2^32: 96 GiB of entries
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

// The size is what the keys need, not a power of two (hashmap_home), so a table
// made for a known number of keys is no bigger than that: the big link's 800 K
// expected names take 1.2 M entries (29 MB) where a power of two took 2 M (48 MB).
void hashmap_reserve(HashMap *map, size_t more) {
  if (too_full(map->len + more, map->cap))
    resize(map, (map->len + more) * 3 / 2 + 1024);
}

void *hashmap_insert_concurrent(HashMap *map, const char *key, size_t len, uint64_t hash,
                                void *(*make)(void *arg, const char *key), void *arg) {
  uint32_t keylen = key_length(len), h = (uint32_t)hash;
  for (size_t i = hashmap_home(map, h);; i = i + 1 == map->cap ? 0 : i + 1) {
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
    // The entry is someone's (k, read atomically: the entry's key is not read
    // again): wait for its owner to publish it (a few instructions away), then
    // compare.
    void *value;
    while (!(value = __atomic_load_n(&e->value, __ATOMIC_ACQUIRE)))
      sched_yield();
    if (e->hash == h && e->keylen == keylen && !memcmp(k, key, keylen))
      return value;
  }
}

void *hashmap_get(HashMap *map, const char *key, size_t len) {
  // (A key of 4 GiB or more was never entered: looking for one finds nothing.)
  if (!map->cap || len >= UINT32_MAX)
    return NULL;
  uint32_t keylen = (uint32_t)len;
  HashEntry *e = find(map, key, keylen, (uint32_t)hash_string(key, keylen));
  return e->key ? e->value : NULL;
}

HashEntry *hashmap_slot(HashMap *map, const char *key, size_t len) {
  uint32_t keylen = key_length(len);
  if (too_full(map->len + 1, map->cap))
    resize(map, map->cap ? map->cap * 2 : 1024);
  uint32_t h = (uint32_t)hash_string(key, keylen);
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
