/*
 * sections.c — input and output sections, and where their bytes end up.
 *
 * An input section is a piece of an object (or a piece the linker makes); an output
 * section is what the executable has: one .text made of every object's .text.*.
 * Layout gives each output section an address and each member an offset in it, so
 * a byte at offset `off` of an input section usually lands at
 *
 *   osec->addr + isec->offset + off
 *
 * Three kinds of section break that rule, and this file is the one place that
 * knows how: the strings of a merged string section moved to wherever their one
 * copy went (merge_strings.c), the records of .eh_frame were laid out one by one,
 * some dropped (split_eh_frame.c), and a legacy .ctors/.dtors table is reversed. It also reads .eh_frame record headers for the
 * passes that walk records, and names places for messages.
 *
 * Part of the model: passes call it; it calls no pass.
 */
#include "../ld.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

// A big link has hundreds of thousands of input sections: a field added here costs
// that many times its size. What only some sections need goes in SectionAux.
// Two cache lines, and 64-byte aligned (new_input_section): reading where a section
// went costs one miss.
_Static_assert(sizeof(InputSection) <= 128,
               "InputSection has grown: does the new field belong in SectionAux?");

static const SectionAux no_section_aux;

InputSection *new_input_section(Ctx *ctx, InputFile *file, const char *name) {
  InputSection *isec = arena_alloc_aligned(&ctx->arena, sizeof *isec, 64);
  isec->file = file;
  isec->name = name;
  isec->aux = &no_section_aux;
  return isec;
}

SectionAux *section_aux(Ctx *ctx, InputSection *isec) {
  if (isec->aux == &no_section_aux) {
    SectionAux *aux = arena_alloc(&ctx->arena, sizeof *aux);
    isec->aux = aux;
  }
  return (SectionAux *)isec->aux;
}

InputSection *new_linker_section(Ctx *ctx, const char *name, uint32_t type, uint64_t flags,
                                 uint64_t size, uint64_t align) {
  InputSection *isec = new_input_section(ctx, ctx->internal, name);
  isec->sh_type = type;
  isec->sh_flags = flags;
  isec->sh_size = size;
  isec->sh_addralign = align;
  isec->is_alive = true;
  vec_push(&ctx->arena, &ctx->linker_sections, isec);
  return isec;
}

OutputSection *new_output_section(Ctx *ctx, const char *name, const InputSection *first) {
  OutputSection *osec = arena_alloc(&ctx->arena, sizeof *osec);
  osec->name = name;
  osec->sh_type = first->sh_type;
  osec->sh_flags = first->sh_flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR | SHF_TLS |
                                      SHF_MERGE | SHF_STRINGS | X86_64_SHF_LARGE);
  osec->sh_entsize = first->sh_entsize;
  osec->sh_addralign = 1;
  vec_push(&ctx->arena, &ctx->osecs, osec);
  return osec;
}

OutputSection *find_output_section(Ctx *ctx, const char *name) {
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (!strcmp(osec->name, name))
      return osec;
  }
  return NULL;
}

bool has_synthetic(Ctx *ctx, SyntheticId id) { return ctx->synth[id]->is_alive; }

uint64_t isec_address(const InputSection *isec) { return isec->osec->addr + isec->offset; }

uint64_t isec_output_offset(const InputSection *isec, uint64_t off, bool *dropped) {
  if (dropped)
    *dropped = false;
  if (isec->aux->merged)
    return isec->aux->merged->offset + merged_offset(isec, off);
  if (isec->reversed && off < isec->sh_size)
    return isec->offset + (isec->sh_size - 8 - (off & ~(uint64_t)7)) + (off & 7);
  if (!isec->aux->eh)
    return isec->offset + off;
  if (dropped) {
    *dropped = true;
    for (uint64_t i = 0; i < isec->aux->neh; i++) {
      const EhRecord *rec = &isec->aux->eh[i];
      if (rec->kept && off >= rec->in_off && off - rec->in_off < rec->size)
        *dropped = false;
    }
  }
  return eh_frame_offset(isec, off);
}

uint64_t merged_offset(const InputSection *isec, uint64_t off) {
  // The last piece starting at or before off.
  uint64_t lo = 0, hi = isec->aux->npieces;
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (isec->aux->pieces[mid].in_off <= off)
      lo = mid;
    else
      hi = mid;
  }
  const MergePiece *p = &isec->aux->pieces[lo];
  return p->out_off + (off - p->in_off);
}

uint64_t eh_frame_offset(const InputSection *isec, uint64_t value) {
  // A symbol inside .eh_frame (crtbeginT.o's __EH_FRAME_BEGIN__, crtend.o's
  // __FRAME_END__) moves with the record it is in; one in a dropped record, or at
  // the end, goes to where the next kept record would be.
  uint64_t next = isec->offset;
  for (uint64_t i = 0; i < isec->aux->neh; i++) {
    const EhRecord *rec = &isec->aux->eh[i];
    if (!rec->kept)
      continue;
    if (value < rec->in_off + rec->size)
      return value >= rec->in_off ? rec->out_off + (value - rec->in_off) : rec->out_off;
    next = rec->out_off + rec->size;
  }
  return next;
}

int eh_record_at(View v, uint64_t off, uint64_t *size, uint64_t *hdr) {
  if (off == v.size)
    return 0;
  if (!view_has(v, off, 4))
    return -1;
  uint64_t len = read_u32le(v.data + off);
  *hdr = 4;
  if (len == 0)
    return 0;  // a terminator (crtend.o's), or padding: the list ends here
  if (len == 0xffffffff) {  // the 64-bit escape: the length follows
    if (!view_has(v, off, 12))
      return -1;
    len = read_u64le(v.data + off + 4);
    *hdr = 12;
  }
  // Every record holds at least its CIE id or CIE pointer.
  if (len < 4 || !view_has(v, off + *hdr, len))
    return -1;
  *size = *hdr + len;
  return 1;
}

const char *place(Ctx *ctx, const InputSection *isec, uint64_t off) {
  return arena_printf(&ctx->arena, "%s:(%s+0x%" PRIx64 ")", isec->file->name, isec->name, off);
}

uint64_t place_unallocated_sections(Ctx *ctx, uint64_t start) {
  uint64_t off = start;
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (osec->sh_flags & SHF_ALLOC)
      continue;
    off = align_to(off, osec->sh_addralign);
    osec->offset = off;
    if (osec->sh_type != SHT_NOBITS)
      off += osec->size;
  }
  return off;
}

// GNU ld's rules, which the kernel's exec then follows for PT_GNU_STACK:
//   - -z execstack or -z noexecstack, the last one given, decides;
//   - else an object whose .note.GNU-stack is SHF_EXECINSTR makes it executable
//     (code that writes trampolines on the stack), and so does an object without
//     the note at all, if another object has one: old assemblers wrote none, so
//     none means "may need it" (GNU ld 2.39 calls this deprecated, but does it);
//   - if no object has the note, no option asks and -z stack-size gives no size,
//     nothing is said, and the kernel's default applies.
// An executable stack is an open door for an attacker, so each time an input
// causes one, a warning names it (--no-warn-execstack silences it,
// --warn-execstack also warns about -z execstack), in GNU ld's words. Decided (and
// warned about) once; a linker script's layout, which runs until it settles, asks
// again.
static StackDecision decide(Ctx *ctx) {
  const char *exec_file = NULL, *missing_file = NULL;
  bool any_note = false;
  for (size_t i = 0; i < ctx->files.len && !exec_file; i++) {
    InputFile *file = ctx->files.data[i];
    if (file->stack_note == STACK_NOTE_EXEC)
      exec_file = file->name;
    else if (file->stack_note == STACK_NOTE_MISSING)
      missing_file = file->name;  // the last one is named
    any_note |= file->stack_note != STACK_NOTE_MISSING;
  }
  if (ctx->opt.execstack > 0) {
    if (ctx->opt.warn_execstack == 1)
      warn("enabling an executable stack because of -z execstack command line option");
    return STACK_EXEC;
  }
  if (ctx->opt.execstack < 0)
    return STACK_NOEXEC;
  if (!any_note && !ctx->opt.stack_size)
    return STACK_UNSAID;
  if (exec_file) {
    if (ctx->opt.warn_execstack)
      warn("%s: requires executable stack (because the .note.GNU-stack section is "
           "executable)", exec_file);
    return STACK_EXEC;
  }
  if (missing_file) {
    if (ctx->opt.warn_execstack) {
      warn("%s: missing .note.GNU-stack section implies executable stack", missing_file);
      if (warnings_shown())
        note("NOTE: This behaviour is deprecated and will be removed in a future version "
             "of the linker");
    }
    return STACK_EXEC;
  }
  return STACK_NOEXEC;
}

StackDecision decide_stack(Ctx *ctx) {
  if (!ctx->stack_decision)
    ctx->stack_decision = (uint8_t)(decide(ctx) + 1);
  return (StackDecision)(ctx->stack_decision - 1);
}

uint64_t init_priority(const InputSection *isec) {
  const char *dot = strrchr(isec->name, '.');
  char *end;
  if (dot == isec->name || !dot[1])
    return 65536;
  unsigned long n = strtoul(dot + 1, &end, 10);
  if (*end || n > 65535)
    return 65536;
  bool legacy = !strncmp(isec->name, ".ctors", 6) || !strncmp(isec->name, ".dtors", 6);
  return legacy ? 65535 - n : n;
}
