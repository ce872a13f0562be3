/*
 * string_table.c — ELF string tables (.strtab, .shstrtab, .dynstr), each string once.
 *
 * A string table is the strings back to back, each ending in NUL; a name is the
 * offset of its first byte. Static functions named "helper" in fifty objects share
 * one "helper\0", and so do a section name and a symbol name that are equal.
 *
 * Part of the model: the passes that write symbol tables (write_symtab.c) and the
 * one that chooses the dynamic symbols (dynamic_symbols.c) build their tables here.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

size_t buf_add(Buf *b, const void *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n)
      cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data)
      fatal("out of memory");
    b->cap = cap;
  }
  size_t off = b->len;
  if (p)  // (NULL: only make room, for the caller to fill)
    memcpy(b->data + off, p, n);
  b->len += n;
  return off;
}

uint32_t add_string(StringTable *t, const char *s) {
  size_t len = strlen(s);
  HashEntry *e = hashmap_slot(&t->index, s, len);
  if (e->value)
    return (uint32_t)((uintptr_t)e->value - 1);
  uint32_t off = (uint32_t)buf_add(&t->buf, s, len + 1);
  e->value = (void *)(uintptr_t)(off + 1);
  return off;
}

void free_string_table(StringTable *t) {
  free(t->buf.data);
  free(t->index.entries);
}

uint32_t find_string(const StringTable *t, const char *s) {
  void *v = hashmap_get((HashMap *)&t->index, s, strlen(s));
  if (!v)
    internal_error("'%s' is not in the string table", s);
  return (uint32_t)((uintptr_t)v - 1);
}
