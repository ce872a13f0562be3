/*
 * gnu_property.c — .note.gnu.property: what the whole program needs and supports.
 *
 * Each object's .note.gnu.property says something about that object alone: which
 * x86-64 ISA level its code needs (x86-64-v2, ...), whether it is ready for CET's
 * indirect-branch tracking (IBT) and shadow stacks (SHSTK). The executable's note
 * must say what holds for the program as a whole, so the linker merges them the
 * way the x86-64 psABI's "Program Property" section prescribes, by property type:
 *
 *   0xc0000002..0xc0007fff  AND    (x86 features, e.g. IBT|SHSTK): a bit stays set only
 *                                  if every object sets it; an object without the
 *                                  property counts as 0
 *   0xc0008000..0xc000ffff  OR     (ISA levels needed, features used): the union
 *   0xc0010000..0xc0017fff  OR if every object has the property, else dropped
 *
 * Other properties are dropped: we cannot know how to combine them. The result is
 * one note, in a PT_GNU_PROPERTY segment as well as a PT_NOTE, as GNU ld writes it:
 *
 *   namesz 4 | descsz | type NT_GNU_PROPERTY_TYPE_0 | "GNU\0" |
 *   { pr_type u32 | pr_datasz u32 (4) | value u32 | pad to 8 } ...
 *
 * Reads every loaded object's .note.gnu.property (output_sections.c keeps them out of
 * the output).
 */
#include "../ld.h"

#include <string.h>

enum { MAX_PROPERTIES = 32 };

typedef struct {
  uint32_t type;
  uint32_t value;
  size_t count;  // objects that have it
} Property;

static Property *find(Property *props, size_t *n, uint32_t type) {
  for (size_t i = 0; i < *n; i++)
    if (props[i].type == type)
      return &props[i];
  if (*n == MAX_PROPERTIES)
    return NULL;
  props[*n] = (Property){type, 0, 0};
  return &props[(*n)++];
}

// The x86 properties the command line can set (x86-64 psABI, "Program Property").
enum { X86_FEATURE_1_AND = 0xc0000002, X86_ISA_1_NEEDED = 0xc0008002 };
enum { X86_FEATURE_IBT = 1, X86_FEATURE_SHSTK = 2 };  // GNU_PROPERTY_X86_FEATURE_1_*

// Adds p to the list sorted by type.
static void insert(Property *out, size_t *nout, Property p) {
  size_t j = (*nout)++;
  while (j > 0 && out[j - 1].type > p.type) {
    out[j] = out[j - 1];
    j--;
  }
  out[j] = p;
}

// ORs bits into property `type`, adding it if the program has none.
static void set_bits(Property *out, size_t *nout, uint32_t type, uint32_t bits) {
  for (size_t i = 0; i < *nout; i++)
    if (out[i].type == type) {
      out[i].value |= bits;
      return;
    }
  if (*nout < MAX_PROPERTIES)
    insert(out, nout, (Property){type, bits, 0});
}

static bool is_and(uint32_t t) { return t >= 0xc0000002 && t <= 0xc0007fff; }
static bool is_or(uint32_t t) { return t >= 0xc0008000 && t <= 0xc000ffff; }
static bool is_or_and(uint32_t t) { return t >= 0xc0010000 && t <= 0xc0017fff; }

// Reads one note section into `mine` (one object's properties). Returns false if it
// is malformed.
static bool read_note(View v, Property *mine, size_t *n) {
  uint64_t off = 0;
  while (off + 12 <= v.size) {
    uint32_t namesz = read_u32le(v.data + off), descsz = read_u32le(v.data + off + 4);
    uint32_t type = read_u32le(v.data + off + 8);
    // The name is padded to 4 bytes; in this 8-byte-aligned note the descriptor,
    // a list of 8-byte-aligned properties, is padded to 8.
    uint64_t desc = off + 12 + align_to(namesz, 4);
    if (!view_has(v, off + 12, align_to(namesz, 4)) || !view_has(v, desc, descsz))
      return false;
    if (type == NT_GNU_PROPERTY_TYPE_0 && namesz == 4 && !memcmp(v.data + off + 12, "GNU", 4)) {
      for (uint64_t p = desc; p + 8 <= desc + descsz;) {
        uint32_t pr_type = read_u32le(v.data + p), size = read_u32le(v.data + p + 4);
        if (size > desc + descsz - p - 8)
          return false;
        if (size == 4 && (is_and(pr_type) || is_or(pr_type) || is_or_and(pr_type))) {
          Property *prop = find(mine, n, pr_type);
          if (prop) {
            prop->value |= read_u32le(v.data + p + 8);
            prop->count = 1;
          }
        }
        p += 8 + align_to(size, 8);
      }
    }
    off = desc + align_to(descsz, 8);
  }
  return true;
}

// -z cet-report=warning|error: says which objects are not marked ready for CET's
// indirect-branch tracking or shadow stacks, which keeps the whole program from
// being marked so, in GNU ld's words. What -z ibt or -z shstk asserts is not asked.
static void report_cet(Ctx *ctx, InputFile *file, const Property *mine, size_t nmine) {
  if (ctx->opt.cet_report == CET_REPORT_NONE)
    return;
  uint32_t features = ctx->opt.x86_features;
  for (size_t i = 0; i < nmine; i++)
    if (mine[i].type == X86_FEATURE_1_AND)
      features |= mine[i].value;
  bool ibt = !(features & X86_FEATURE_IBT), shstk = !(features & X86_FEATURE_SHSTK);
  if (!ibt && !shstk)
    return;
  const char *what = ibt && shstk ? "IBT and SHSTK properties" : ibt ? "IBT property"
                                                                     : "SHSTK property";
  if (ctx->opt.cet_report == CET_REPORT_ERROR)
    error("%s: missing %s", file->name, what);
  else
    warn("%s: missing %s", file->name, what);
}

// Merges every object's note; the section exists if anything holds for the program.
static bool size_gnu_property(Ctx *ctx, InputSection *isec) {
  Property props[MAX_PROPERTIES];
  size_t n = 0, objects = 0;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    Property mine[MAX_PROPERTIES];
    size_t nmine = 0;
    objects++;
    // (Only the files that have the note: a sweep of every section of every file
    // was 10 ms of a big link, on one thread.)
    for (uint64_t s = 1; file->has_gnu_property && s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (isec && isec->is_alive && isec->sh_type == SHT_NOTE &&
          !strcmp(isec->name, ".note.gnu.property") && !read_note(isec->data, mine, &nmine))
        warn("%s: .note.gnu.property is malformed; ignored", file->name);
    }
    report_cet(ctx, file, mine, nmine);
    for (size_t i = 0; i < nmine; i++) {
      Property *prop = find(props, &n, mine[i].type);
      if (!prop)
        continue;
      prop->value = prop->count == 0       ? mine[i].value
                    : is_and(prop->type)   ? prop->value & mine[i].value
                                           : prop->value | mine[i].value;
      prop->count++;
    }
  }

  // Keep what holds for the whole program, sorted by type.
  Property out[MAX_PROPERTIES];
  size_t nout = 0;
  for (size_t i = 0; i < n; i++) {
    Property *p = &props[i];
    bool all = p->count == objects;
    if ((is_and(p->type) && all && p->value) || is_or(p->type) || (is_or_and(p->type) && all))
      insert(out, &nout, *p);
  }
  // What the command line asserts: -z ibt / -z shstk mark the program ready for
  // CET whatever the objects say; -z x86-64-vN says which ISA level it needs.
  if (ctx->opt.x86_features)
    set_bits(out, &nout, X86_FEATURE_1_AND, ctx->opt.x86_features);
  if (ctx->opt.x86_isa_needed)
    set_bits(out, &nout, X86_ISA_1_NEEDED, ctx->opt.x86_isa_needed);
  if (nout == 0)
    return false;

  uint64_t descsz = 16 * nout, size = 16 + descsz;
  uint8_t *buf = arena_alloc(&ctx->arena, size);
  write_u32le(buf, 4);
  write_u32le(buf + 4, (uint32_t)descsz);
  write_u32le(buf + 8, NT_GNU_PROPERTY_TYPE_0);
  memcpy(buf + 12, "GNU", 4);
  for (size_t i = 0; i < nout; i++) {
    write_u32le(buf + 16 + 16 * i, out[i].type);
    write_u32le(buf + 20 + 16 * i, 4);
    write_u32le(buf + 24 + 16 * i, out[i].value);
  }
  isec->sh_size = size;
  section_aux(ctx, isec)->synthetic = buf;
  return true;
}

const SyntheticKind gnu_property_section = {
  .name = ".note.gnu.property",
  .sh_type = SHT_NOTE,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .size = size_gnu_property,
  .in_relocatable = true,
  // The kernel and the C library look for CET properties here (the x86-64 psABI).
  .p_type = PT_GNU_PROPERTY,
  .p_flags = PF_R,
  .p_align = 8,
};
