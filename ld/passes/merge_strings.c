/*
 * merge_strings.c — one copy of each string constant.
 *
 * A compiler puts string literals in sections flagged SHF_MERGE | SHF_STRINGS
 * (.rodata.str1.1, or .rodata.str1.8 for strings it wants 8-byte aligned; and the
 * names in debug information, .debug_str and .debug_line_str), which
 * promises the linker that the section is just a sequence of zero-terminated strings
 * (of 1-byte characters, or of 2- or 4-byte ones for L"", u"" and U"": sh_entsize)
 * that nobody addresses except through symbols and relocations. So the linker may
 * keep each distinct string once: "%d\n" used by a hundred objects is stored once.
 *
 * The mergeable input sections of an output section are replaced there by one
 * section the linker makes (one per alignment, so that .str1.8 strings stay 8-byte
 * aligned). Each input section remembers where its strings went:
 *
 *   input  a.o .rodata.str1.1:  "hi\0"  "%d\n\0"        pieces (0 -> 0) (3 -> 3)
 *   input  b.o .rodata.str1.1:  "%d\n\0" "bye\0"        pieces (0 -> 3) (4 -> 7)
 *   output:                     "hi\0%d\n\0bye\0"
 *
 * A symbol at offset v in an input section then lives at its piece's new offset
 * plus v minus the piece's start (symbol_definition_address); a relocation against
 * the section symbol with addend A points at offset A, so A picks the piece
 * (symbol_address_for). Sections with relocations of their own, or strings not
 * ending in NUL, are left alone: they do not keep the promise.
 *
 * A sub-step of layout, run when output sections are made. Fills the merged and
 * pieces of each member's SectionAux; model/sections.c answers where a string went.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

// Each merged string is placed at the section's alignment; beyond a page that
// would spend more padding than any string saves (a 2^32-aligned section of three
// strings would take 12 GiB), so such a section is left as it is, as GNU ld
// leaves it.
enum { MAX_MERGE_ALIGN = 4096 };

// Strings of 1-byte characters, or of 2- or 4-byte ones (L"wide", u"utf16",
// U"utf32": sh_entsize 2 or 4), each ending in a zero character.
static bool is_mergeable(const InputSection *isec) {
  uint64_t n = isec->sh_entsize;
  if (!(isec->sh_flags & SHF_MERGE) || !(isec->sh_flags & SHF_STRINGS) ||
      (n != 1 && n != 2 && n != 4) || isec->nrels || isec->sh_addralign > MAX_MERGE_ALIGN ||
      isec->sh_type != SHT_PROGBITS || isec->aux->synthetic || isec->data.size == 0 ||
      isec->data.size % n)
    return false;
  for (uint64_t k = isec->data.size - n; k < isec->data.size; k++)
    if (isec->data.data[k])
      return false;
  return true;
}

// The length of the string at `off` (a multiple of n), its zero character included.
static uint64_t string_length(View v, uint64_t off, uint64_t n) {
  uint64_t end = off;
  for (;;) {
    bool zero = true;
    for (uint64_t k = 0; k < n; k++)
      zero &= v.data[end + k] == 0;
    end += n;
    if (zero)
      return end - off;
  }
}

// One distinct string (with its NUL) and where it goes.
typedef struct String {
  const uint8_t *bytes;
  uint64_t len;
  uint64_t out;
  uint64_t len_mod_align;  // len modulo the section's alignment: strings that may
                           // share bytes only if this is the same (merge_group)
} String;

// Orders strings by their length modulo the alignment, then by their bytes read
// backwards, greatest first, so that a string comes right after one it is a suffix
// of ("x\0" after "max\0"), if there is one at a distance the alignment allows.
static int compare_reversed(const void *a, const void *b) {
  const String *x = *(String *const *)a, *y = *(String *const *)b;
  if (x->len_mod_align != y->len_mod_align)
    return x->len_mod_align < y->len_mod_align ? -1 : 1;
  uint64_t i = x->len, j = y->len;
  while (i > 0 && j > 0) {
    uint8_t cx = x->bytes[--i], cy = y->bytes[--j];
    if (cx != cy)
      return cx < cy ? 1 : -1;
  }
  return i < j ? 1 : i > j ? -1 : 0;  // the longer one (the superstring) first
}

static bool is_suffix(const String *s, const String *of) {
  return s->len <= of->len && !memcmp(s->bytes, of->bytes + (of->len - s->len), s->len);
}

// Merges the strings of every mergeable member with this alignment and character
// size into one section.
static InputSection *merge_group(Ctx *ctx, OutputSection *osec, const uint8_t *group_of,
                                 uint8_t g, uint64_t align, uint64_t entsize) {
  // Each distinct string once, in the order first seen; pieces record its index.
  PtrVec strings = {0};
  HashMap seen = {0};  // bytes (with the NUL) -> String *
  uint64_t bound = 0;
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (group_of[i] != g)
      continue;
    View v = isec->data;
    // Count, then fill.
    uint64_t n = 0;
    for (uint64_t off = 0; off < v.size; off += string_length(v, off, entsize))
      n++;
    section_aux(ctx, isec)->pieces = arena_array(&ctx->arena, n, sizeof(MergePiece));
    section_aux(ctx, isec)->npieces = n;
    uint64_t off = 0;
    for (uint64_t p = 0; p < n; p++) {
      uint64_t len = string_length(v, off, entsize);
      HashEntry *e = hashmap_slot(&seen, (const char *)v.data + off, len);
      if (!e->value) {
        String *str = arena_alloc(&ctx->arena, sizeof *str);
        str->bytes = v.data + off;
        str->len = len;
        str->len_mod_align = len % align;
        e->value = str;
        vec_push(&ctx->arena, &strings, str);
        bound += align_to(len, align);
      }
      isec->aux->pieces[p].in_off = off;
      isec->aux->pieces[p].str = e->value;
      off += len;
    }
  }
  free(seen.entries);

  // Lay them out. A string that ends another one shares its bytes (tail merging,
  // as GNU ld does): "func1\n" lives inside "local_func1\n", u"foo" inside
  // u"xfoo" — if it then starts at an offset its alignment allows: the strings of
  // .rodata.str1.8 each start on 8 bytes, those of .rodata.str2.2 on 2 (a suffix
  // is whole characters, since both lengths are multiples of the character size).
  uint8_t *buf = arena_alloc(&ctx->arena, bound ? bound : 1);
  uint64_t size = 0;
  if (strings.len > 1)
    qsort(strings.data, strings.len, sizeof(void *), compare_reversed);
  const String *prev = NULL;
  for (size_t i = 0; i < strings.len; i++) {
    String *str = strings.data[i];
    if (prev && is_suffix(str, prev) && (prev->len - str->len) % align == 0) {
      str->out = prev->out + (prev->len - str->len);
      continue;
    }
    size = align_to(size, align);
    memcpy(buf + size, str->bytes, str->len);
    str->out = size;
    size += str->len;
    prev = str;
  }
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (group_of[i] == g)
      for (uint64_t p = 0; p < isec->aux->npieces; p++)
        isec->aux->pieces[p].out_off = isec->aux->pieces[p].str->out;
  }

  InputSection *merged = new_linker_section(ctx, "<merged strings>", SHT_PROGBITS,
                                            (osec->sh_flags & SHF_ALLOC) | SHF_MERGE |
                                                SHF_STRINGS,
                                            size, align);
  merged->sh_entsize = entsize;
  section_aux(ctx, merged)->synthetic = buf;
  merged->osec = osec;
  return merged;
}

void merge_strings(Ctx *ctx, OutputSection *osec) {
  // .comment gets its own treatment (output_sections.c adds our name to it). An
  // output section none of whose members has strings to merge is not swept (a big
  // link's .text has 600 K members).
  if (!osec->has_strings || !strcmp(osec->name, ".comment"))
    return;
  // The (alignment, character size) pairs present, in order of first appearance.
  enum { MAX_GROUPS = 64 };  // distinct pairs; more are left unmerged
  uint64_t aligns[MAX_GROUPS], entsizes[MAX_GROUPS];
  InputSection *groups[MAX_GROUPS];
  size_t ngroups = 0;
  // Each member's group, 1 + its index (0: not merged), decided once: the bytes
  // may not stay in memory (merge_group).
  uint8_t *group_of = arena_alloc(&ctx->arena, osec->members.len ? osec->members.len : 1);
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (!is_mergeable(isec))
      continue;
    size_t g = 0;
    while (g < ngroups && !(isec->sh_addralign == aligns[g] && isec->sh_entsize == entsizes[g]))
      g++;
    if (g == ngroups && ngroups < MAX_GROUPS) {
      aligns[ngroups] = isec->sh_addralign;
      entsizes[ngroups++] = isec->sh_entsize;
    }
    if (g < ngroups)
      group_of[i] = (uint8_t)(g + 1);
  }
  if (!ngroups)
    return;
  for (size_t g = 0; g < ngroups; g++)
    groups[g] = merge_group(ctx, osec, group_of, (uint8_t)(g + 1), aligns[g], entsizes[g]);

  // The merged sections take the place of the first member of their group.
  bool placed[MAX_GROUPS] = {false};
  PtrVec members = {0};
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (!group_of[i]) {
      vec_push(&ctx->arena, &members, isec);
      continue;
    }
    size_t g = group_of[i] - 1u;
    section_aux(ctx, isec)->merged = groups[g];
    if (!placed[g]) {
      section_aux(ctx, groups[g])->script_rule = isec->aux->script_rule;  // a script placed it
      vec_push(&ctx->arena, &members, groups[g]);
      placed[g] = true;
    }
  }
  osec->members = members;
}
