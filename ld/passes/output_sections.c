/*
 * output_sections.c — which output section each input section goes to.
 *
 * An executable has one .text, not one per object: input sections with related
 * names merge into one output section (.text.foo into .text, .rodata.str1.1 into
 * .rodata, .init_array.101 into .init_array), in link order, each at its own
 * alignment. A few output sections need more than concatenation: constructor
 * tables are sorted by priority, .comment keeps each compiler's string once,
 * strings are merged (merge_strings.c), .eh_frame is laid out record by record
 * (split_eh_frame.c), and the sections the linker makes itself (ld/synthetic/)
 * join after the inputs.
 *
 * A sub-step of layout. Reads the live input sections; fills ctx->osecs (in
 * creation order; layout.c sorts them), InputSection.osec, ctx->eh_frame_osec.
 */
#include "../ld.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>


// The names the naming rules send input sections to. Order matters: .data.rel.ro
// must be tried before .data.
static const char *const merged_names[] = {
  ".text", ".rodata", ".data.rel.ro", ".data", ".bss", ".tdata", ".tbss",
  ".init_array", ".fini_array", ".preinit_array", ".gcc_except_table",
  ".ldata", ".lrodata", ".lbss", NULL,
};
enum { RULE_BSS = 4, RULE_INIT_ARRAY = 7, RULE_FINI_ARRAY = 8 };

// The rule (an index in merged_names) that sends an input section to another
// section's name, or -1 if none applies (the section then keeps its own name).
static int merged_rule(const InputSection *isec) {
  if (!strcmp(isec->name, "COMMON") || !strcmp(isec->name, ".dynbss"))
    return RULE_BSS;
  // Old-style constructor tables join the new ones, as in GNU ld's default script.
  if (has_section_prefix(isec->name, ".ctors"))
    return RULE_INIT_ARRAY;
  if (has_section_prefix(isec->name, ".dtors"))
    return RULE_FINI_ARRAY;
  for (int i = 0; merged_names[i]; i++)
    if (has_section_prefix(isec->name, merged_names[i]))
      return i;
  return -1;
}

static const char *merged_name(const InputSection *isec) {
  int rule = merged_rule(isec);
  return rule < 0 ? NULL : merged_names[rule];
}

static const char *output_name(const InputSection *isec) {
  const char *name = merged_name(isec);
  return name ? name : isec->name;
}

// Sections GNU ld's default linker script names, which keep their own name here
// too: they are not orphans for --unique.
static bool is_listed(const char *name) {
  static const char *const names[] = {
    ".init", ".fini", ".interp", ".note.gnu.build-id", ".dynamic", ".got", ".got.plt", ".plt",
    ".jcr", ".comment", ".gnu.attributes", NULL,
  };
  for (int i = 0; names[i]; i++)
    if (!strcmp(name, names[i]))
      return true;
  return !strncmp(name, ".debug", 6) || !strncmp(name, ".zdebug", 7) ||
         !strncmp(name, ".stab", 5);
}

// --unique[=GLOB]: does isec get an output section of its own, named after it
// rather than merged with others (.data.foo stays .data.foo)? Without a GLOB, GNU ld
// does that for its orphans: sections its script does not name, which here are the
// ones no naming rule merges and that are not listed above. .eh_frame is never split: the
// unwinder's table covers one section, and the linker's own sections are not inputs.
static bool is_unique(Ctx *ctx, const InputSection *isec) {
  if (isec->file == ctx->internal || !strcmp(isec->name, ".eh_frame"))
    return false;
  for (size_t i = 0; i < ctx->opt.unique.len; i++)
    if (!fnmatch(ctx->opt.unique.data[i], isec->name, 0))
      return true;
  return ctx->opt.unique_orphans && !merged_name(isec) && !is_listed(isec->name);
}

// The output sections the naming rules made, by name.
typedef struct {
  HashMap by_name;
  const char *last_name;  // the name the last lookup was for, and what it found:
  OutputSection *last;    // most sections go where the one before them went
} OsecNames;

// .ctors and .dtors were run from their end backwards; .init_array and .fini_array
// are run (for destructors: unwound) the other way, so a legacy table's entries go
// in reversed, as GNU ld, lld and mold do.
static void mark_reversed(InputSection *isec) {
  if ((has_section_prefix(isec->name, ".ctors") || has_section_prefix(isec->name, ".dtors")) &&
      isec->sh_size % 8 == 0)
    isec->reversed = true;
}

static bool is_constructor_table(const char *name) {
  return !strcmp(name, ".init_array") || !strcmp(name, ".fini_array") ||
         !strcmp(name, ".preinit_array");
}

// Puts isec in its output section. `name` is the one the naming rules give it,
// worked out already (route_file), or NULL to work it out here.
static void add_to_osec(Ctx *ctx, OsecNames *names, InputSection *isec, const char *name) {
  if (!name) {
    name = output_name(isec);
    mark_reversed(isec);
  }
  OutputSection *osec;
  OutputDesc *osd = NULL;
  if (ctx->script.has_sections) {
    // A linker script's SECTIONS: the first rule that matches decides; a section
    // none matches (an orphan) keeps its own name.
    InputRule *rule = match_script_rule(ctx, isec, &osd);
    if (rule)
      section_aux(ctx, isec)->script_rule = rule;
    name = osd ? osd->name : !strcmp(isec->name, "COMMON") ? ".bss" : isec->name;
    if (osd && !strcmp(name, "/DISCARD/")) {
      isec->is_alive = false;
      return;
    }
  }
  if (osd) {
    if (!osd->osec)
      osd->osec = new_output_section(ctx, name, isec);
    osec = osd->osec;
  } else if ((ctx->opt.unique.len || ctx->opt.unique_orphans) && is_unique(ctx, isec)) {
    // Not entered in by_name: no other section joins it.
    name = isec->name;
    osec = new_output_section(ctx, name, isec);
  } else if (name == names->last_name) {
    // (.text.f, .text.g, ...: the naming rules return the same string each time.)
    osec = names->last;
  } else {
    HashEntry *e = hashmap_slot(&names->by_name, name, strlen(name));
    if (!e->value)
      e->value = new_output_section(ctx, name, isec);
    osec = e->value;
    names->last_name = name;
    names->last = osec;
  }
  // The output section's flags and type must suit every member: one writable member
  // makes it writable, one member with contents makes it PROGBITS.
  // Constructor tables are written at start-up (relocated, in a PIE), so they are
  // writable even if an object said otherwise, as in GNU ld.
  if (osec->members.len == 0 && is_constructor_table(osec->name))
    osec->sh_flags |= SHF_WRITE;
  osec->sh_flags |= isec->sh_flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR | SHF_TLS |
                                       X86_64_SHF_LARGE);
  if ((isec->sh_flags & (SHF_MERGE | SHF_STRINGS)) != (osec->sh_flags & (SHF_MERGE | SHF_STRINGS)) ||
      isec->sh_entsize != osec->sh_entsize) {
    osec->sh_flags &= ~(uint64_t)(SHF_MERGE | SHF_STRINGS);
    osec->sh_entsize = 0;
  }
  if (isec->sh_type != osec->sh_type)
    osec->sh_type = SHT_PROGBITS;
  if ((isec->sh_flags & (SHF_MERGE | SHF_STRINGS)) == (SHF_MERGE | SHF_STRINGS))
    osec->has_strings = true;
  isec->osec = osec;
  vec_push(&ctx->arena, &osec->members, isec);
}

// .comment holds one string per compiler that made an input ("GCC: (Debian ...)"),
// repeated in every object. Like GNU ld and lld, keep each distinct string once,
// and add our own.
static void merge_comment(Ctx *ctx, OutputSection *osec) {
  size_t total = 0;
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (isec->nrels || isec->sh_type != SHT_PROGBITS)
      return;  // something refers into it: keep it as it is
    total += isec->data.size;
  }
  static const char ours[] = "Linker: mini-ld " MINI_LD_VERSION;
  total += sizeof ours;
  char *out = arena_alloc(&ctx->arena, total);
  size_t len = 0;
  HashMap seen = {0};
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    for (uint64_t off = 0; off < isec->data.size;) {
      const char *s = (const char *)isec->data.data + off;
      size_t n = strnlen(s, isec->data.size - off);
      HashEntry *e = hashmap_slot(&seen, s, n);
      if (!e->value && n) {
        e->value = out;
        memcpy(out + len, s, n);
        len += n + 1;
      }
      off += n + 1;
    }
    isec->is_alive = false;  // replaced by the merged copy (set below)
  }
  free(seen.entries);
  memcpy(out + len, ours, sizeof ours);
  len += sizeof ours;

  InputSection *first = osec->members.data[0];
  InputSection *merged = new_linker_section(ctx, first->name, first->sh_type, first->sh_flags,
                                            len, first->sh_addralign);
  merged->sh_entsize = first->sh_entsize;
  section_aux(ctx, merged)->synthetic = (const uint8_t *)out;
  merged->osec = osec;
  section_aux(ctx, merged)->script_rule = first->aux->script_rule;
  for (size_t i = 0; i < osec->members.len; i++)
    section_aux(ctx, osec->members.data[i])->merged = merged;
  osec->members.len = 0;
  vec_push(&ctx->arena, &osec->members, merged);
  osec->sh_flags |= SHF_MERGE | SHF_STRINGS;
  osec->sh_entsize = 1;
}

// Constructors run in priority order (init_priority) then, without a priority, in
// link order. GNU ld's SORT_BY_INIT_PRIORITY does the same.

static int compare_priority(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  uint64_t px = init_priority(x), py = init_priority(y);
  if (px != py)
    return px < py ? -1 : 1;
  // Equal priorities keep link order: by file, then section index.
  if (x->file->priority != y->file->priority)
    return x->file->priority < y->file->priority ? -1 : 1;
  return x->shndx < y->shndx ? -1 : x->shndx > y->shndx;
}

static void sort_by_priority(OutputSection *osec) {
  if (osec && osec->members.len > 1)
    qsort(osec->members.data, osec->members.len, sizeof(void *), compare_priority);
}

// Whether an input section goes to the output at all.
static bool is_output_section(Ctx *ctx, const InputSection *isec) {
  if (!isec || !isec->is_alive)
    return false;
  if (ctx->opt.strip_debug && !(isec->sh_flags & SHF_ALLOC) &&
      (!strncmp(isec->name, ".debug", 6) || !strncmp(isec->name, ".zdebug", 7)))
    return false;
  // Each object's .note.gnu.property describes that object alone; the output gets
  // one merged note instead (gnu_property.c).
  if (!strcmp(isec->name, ".note.gnu.property"))
    return false;
  return true;
}

// The output section called `name`: the one the naming rules made, or the one a
// linker script's SECTIONS describes.
static OutputSection *named(Ctx *ctx, OsecNames *names, const char *name) {
  OutputSection *osec = hashmap_get(&names->by_name, name, strlen(name));
  return osec || !ctx->script.has_sections ? osec : find_output_section(ctx, name);
}

// What the naming rules say of each section of a file (ROUTE_*, or an index in
// merged_names). They read the section alone, its name mostly, so all files are
// worked out at once, before the sections join their output sections in order.
enum { ROUTE_OWN = 0xfe, ROUTE_NONE = 0xff };

enum { NUM_RULES = sizeof merged_names / sizeof *merged_names - 1 };

typedef struct {
  Ctx *ctx;
  uint8_t **routes;  // per file: one byte per section
  uint32_t (*counts)[NUM_RULES];  // per file: its sections per naming rule
} RouteTasks;

static void route_file(void *arg, size_t f) {
  RouteTasks *t = arg;
  InputFile *file = t->ctx->files.data[f];
  uint8_t *route = arena_alloc(&t->ctx->arena, file->obj.shnum ? file->obj.shnum : 1);
  for (uint64_t s = 1; s < file->obj.shnum; s++) {
    InputSection *isec = file->sections[s];
    if (!is_output_section(t->ctx, isec)) {
      route[s] = ROUTE_NONE;
      continue;
    }
    int rule = merged_rule(isec);
    route[s] = rule < 0 ? ROUTE_OWN : (uint8_t)rule;
    if (rule >= 0)
      t->counts[f][rule]++;
    mark_reversed(isec);
  }
  t->routes[f] = route;
}

void make_output_sections(Ctx *ctx) {
  OsecNames names = {0};
  if (ctx->script.has_sections) {
    // A script's rules match sections in order, and record what matched.
    for (size_t f = 0; f < ctx->files.len; f++) {
      InputFile *file = ctx->files.data[f];
      for (uint64_t s = 1; s < file->obj.shnum; s++)
        if (is_output_section(ctx, file->sections[s]))
          add_to_osec(ctx, &names, file->sections[s], NULL);
    }
  } else {
    RouteTasks t = {ctx, arena_array(&ctx->arena, ctx->files.len + 1, sizeof(uint8_t *)),
                    arena_array(&ctx->arena, ctx->files.len + 1, sizeof *t.counts)};
    parallel_for(ctx->files.len, route_file, &t);
    // Each merged output section gets room for all its members when its first one
    // arrives: a big link's .text has 600 K, and a vector grown by doubling would
    // leave as much again behind in the arena.
    size_t total[NUM_RULES] = {0};
    for (size_t f = 0; f < ctx->files.len; f++)
      for (int r = 0; r < NUM_RULES; r++)
        total[r] += t.counts[f][r];
    for (size_t f = 0; f < ctx->files.len; f++) {
      InputFile *file = ctx->files.data[f];
      for (uint64_t s = 1; s < file->obj.shnum; s++) {
        uint8_t route = t.routes[f][s];
        InputSection *isec = file->sections[s];
        if (route == ROUTE_NONE)
          continue;
        add_to_osec(ctx, &names, isec, route == ROUTE_OWN ? isec->name : merged_names[route]);
        if (route != ROUTE_OWN && total[route] && !strcmp(isec->osec->name, merged_names[route])) {
          vec_reserve(&ctx->arena, &isec->osec->members, total[route]);
          total[route] = 0;
        }
      }
    }
  }
  // COMMON space goes after every input's .bss, as in GNU ld's *(COMMON).
  for (size_t i = 0; i < ctx->common_sections.len; i++)
    add_to_osec(ctx, &names, ctx->common_sections.data[i], NULL);
  OutputSection *eh = named(ctx, &names, ".eh_frame");
  if (eh && (eh->sh_flags & SHF_ALLOC)) {
    ctx->eh_frame_osec = eh;
    ctx->eh_frame_fdes = split_eh_frame(ctx, eh);
  }
  // Now every kind of linker-made section can say whether it is needed and how big
  // it is (.eh_frame_hdr counts the FDEs just kept). They follow the inputs.
  size_synthetic_sections(ctx);
  for (int i = 0; i < NUM_SYNTHETIC; i++)
    if (has_synthetic(ctx, (SyntheticId)i))
      add_to_osec(ctx, &names, ctx->synth[i], NULL);
  for (size_t i = 0; i < ctx->osecs.len; i++)
    merge_strings(ctx, ctx->osecs.data[i]);
  sort_by_priority(named(ctx, &names, ".init_array"));
  sort_by_priority(named(ctx, &names, ".fini_array"));
  sort_by_priority(named(ctx, &names, ".preinit_array"));
  OutputSection *comment = named(ctx, &names, ".comment");
  if (comment && !(comment->sh_flags & SHF_ALLOC))
    merge_comment(ctx, comment);
  free(names.by_name.entries);
}
