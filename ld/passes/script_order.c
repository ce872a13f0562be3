/*
 * script_order.c — the order of what an output section of a linker script holds.
 *
 *   .text : { *(.text.hot .text.hot.*) *(SORT_BY_NAME(.text.sorted.*)) *(.text .text.*) }
 *
 * Input sections go in the order of the rules that took them (the first rule
 * first), and within a rule in input order: by file on the command line, then by
 * section in the file. A rule may ask for a sort instead (GNU ld's "Input Section
 * Wildcard Patterns"):
 *
 *   SORT_BY_NAME(.text.*)           by section name
 *   SORT_BY_ALIGNMENT(.data.*)      strictest alignment first (less padding)
 *   SORT_BY_INIT_PRIORITY(.ctors.*) by the number in the name (.init_array.101)
 *   SORT_BY_NAME(SORT_BY_ALIGNMENT(.text.*))   by name, then alignment for ties;
 *                                   SORT_BY_ALIGNMENT(SORT_BY_NAME(...)) the other way
 *
 * and --sort-section=name|alignment sorts every rule as if it said so. Sections
 * the sort finds equal keep input order, as GNU ld keeps them.
 *
 * A sub-step of script_layout.c; reads the members' InputRule (script_rule) and
 * ctx->opt.sort_section, and reorders OutputSection.members.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

static int compare_members(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  uint32_t rx = x->aux->script_rule ? x->aux->script_rule->rank : UINT32_MAX;
  uint32_t ry = y->aux->script_rule ? y->aux->script_rule->rank : UINT32_MAX;
  if (rx != ry)
    return rx < ry ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

// The keys a member's rule sorts by: the first, and the one for its ties.
typedef struct {
  int first, then;  // SORT_*
} SortKeys;

// The sort a member's rule asks for (SORT_BY_NAME, ...), or SORT_NONE.
// --sort-section=name|alignment sorts what the script leaves unsorted, or breaks the
// ties of the other key, as GNU ld's does: SORT_BY_NAME(x) with
// --sort-section=alignment is SORT_BY_NAME(SORT_BY_ALIGNMENT(x)). It leaves .init
// and .fini alone: their pieces make one function only in link order.
static SortKeys sort_of(Ctx *ctx, const OutputSection *osec, const InputSection *isec) {
  const InputRule *rule = isec->aux->script_rule;
  SortKeys keys = {SORT_NONE, SORT_NONE};
  for (size_t i = 0; rule && i < rule->patterns.len; i++) {
    const SectionPattern *pat = rule->patterns.data[i];
    if (pat->sort != SORT_NONE) {
      keys = (SortKeys){pat->sort, pat->then_sort};
      break;
    }
  }
  int opt = ctx->opt.sort_section;
  if (!rule || opt == SORT_NONE || !strcmp(osec->name, ".init") || !strcmp(osec->name, ".fini"))
    return keys;
  if (keys.first == SORT_NONE)
    keys.first = opt;
  else if ((keys.first == SORT_BY_NAME || keys.first == SORT_BY_ALIGNMENT) &&
           keys.first != opt && keys.then == SORT_NONE)
    keys.then = opt;
  return keys;
}

static int by_input_order(const InputSection *x, const InputSection *y) {
  return x->order < y->order ? -1 : x->order > y->order;
}

static int compare_names(const InputSection *x, const InputSection *y) {
  return strcmp(x->name, y->name);
}

static int compare_alignments(const InputSection *x, const InputSection *y) {  // strictest first
  return x->sh_addralign > y->sh_addralign ? -1 : x->sh_addralign < y->sh_addralign;
}

static int by_name(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  int c = compare_names(x, y);
  return c ? c : by_input_order(x, y);
}

static int by_alignment(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  int c = compare_alignments(x, y);
  return c ? c : by_input_order(x, y);
}

static int by_name_then_alignment(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  int c = compare_names(x, y);
  if (!c)
    c = compare_alignments(x, y);
  return c ? c : by_input_order(x, y);
}

static int by_alignment_then_name(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  int c = compare_alignments(x, y);
  if (!c)
    c = compare_names(x, y);
  return c ? c : by_input_order(x, y);
}

static int by_priority(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  uint64_t px = init_priority(x), py = init_priority(y);
  if (px != py)
    return px < py ? -1 : 1;
  return by_input_order(x, y);
}

static int by_file_name(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  int c = strcmp(x->file->name, y->file->name);
  return c ? c : by_input_order(x, y);
}

// The comparison for the keys, or NULL to keep input order.
static int (*comparison(SortKeys keys))(const void *, const void *) {
  switch (keys.first) {
  case SORT_BY_NAME: return keys.then == SORT_BY_ALIGNMENT ? by_name_then_alignment : by_name;
  case SORT_BY_ALIGNMENT: return keys.then == SORT_BY_NAME ? by_alignment_then_name : by_alignment;
  case SORT_BY_INIT_PRIORITY: return by_priority;
  default: return NULL;
  }
}

void order_script_members(Ctx *ctx, OutputSection *osec) {
  PtrVec *m = &osec->members;
  for (size_t i = 0; i < m->len; i++)
    ((InputSection *)m->data[i])->order = (uint32_t)i;
  if (m->len > 1)
    qsort(m->data, m->len, sizeof(void *), compare_members);
  for (size_t i = 0; i < m->len;) {
    size_t j = i + 1;
    InputSection *first = m->data[i];
    const InputRule *rule = first->aux->script_rule;
    while (j < m->len && ((InputSection *)m->data[j])->aux->script_rule == rule)
      j++;
    int (*compare)(const void *, const void *) = comparison(sort_of(ctx, osec, first));
    if (compare && j - i > 1)
      qsort(m->data + i, j - i, sizeof(void *), compare);
    // SORT(*)(...): the files in name order, first; within a file the sections keep
    // the order just given them (their positions become the tie-break).
    if (rule && rule->file_sort == SORT_BY_NAME && j - i > 1) {
      for (size_t k = i; k < j; k++)
        ((InputSection *)m->data[k])->order = (uint32_t)k;
      qsort(m->data + i, j - i, sizeof(void *), by_file_name);
    }
    i = j;
  }
}
