/*
 * script_layout.c — the layout a linker script's SECTIONS command describes.
 *
 * Without a script, layout.c decides where everything goes. With SECTIONS, the
 * script does, in its own order:
 *
 *   SECTIONS {
 *     . = 0x400000 + SIZEOF_HEADERS;         the location counter moves
 *     .text : { *(.text .text.*) }           an output section at `.`, aligned
 *     .data : AT(0x600000) {                 ... loaded elsewhere than it runs
 *       __data_start = .;                    a symbol at the current address
 *       *(.data)
 *     } >ram                                 ... or placed in a MEMORY region
 *     /DISCARD/ : { *(.comment) }            sections that go nowhere
 *   }
 *
 * Each input section goes to the output section of the first rule that matches it
 * (match_script_rule, in script order). One that no rule matches is an orphan: it
 * keeps its name, and goes after the last output section with the same
 * permissions, as GNU ld places orphans.
 *
 * Then the script runs: `.` starts at 0, each output section starts at `.` (or at
 * its address expression), aligned, and its members, assignments and data follow
 * one another in script order. Expressions may refer to what comes later
 * (`SIZEOF(.data)` before .data, or SIZEOF_HEADERS, which depends on how many
 * program headers there are), so the script runs again until nothing moves, and a
 * last time to report errors.
 *
 * Segments follow from the addresses, as in GNU ld: consecutive sections share a
 * PT_LOAD unless a gap of more than a page, a change between code and data or from
 * read-only to writable on another page, or a different load address offset (AT)
 * separates them. The ELF and program headers are loaded only if there is room for
 * them on the page before the first section (SIZEOF_HEADERS). PHDRS, when the
 * script has it, names the segments and which sections each holds instead.
 *
 * A sub-step of layout. Reads ctx->script and the output sections; fills what
 * layout.c fills otherwise: ctx->osecs' order and addresses, ctx->segs, ctx->tls,
 * ctx->tp, file offsets and ctx->file_size.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_ROUNDS = 8 };

// What the script's walk visits, in order: a command of SECTIONS, or an orphan
// output section placed after the output section it resembles.
typedef struct {
  const ScriptCmd *cmd;   // NULL for an orphan
  OutputSection *orphan;
} Step;

typedef struct {
  Step *steps;
  size_t nsteps;
  size_t nloads;          // PT_LOADs in the previous round (for SIZEOF_HEADERS)
  uint64_t lma_delta;     // LMA - VMA of the last allocated section
  uint64_t lma_end;       // ... and where its load image ends
} Plan;

// The permissions that decide where an orphan goes.
static uint64_t kind_of(const OutputSection *osec) {
  return (osec->sh_flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR | SHF_TLS)) |
         (osec->sh_type == SHT_NOBITS ? (uint64_t)1 << 40 : 0) |
         (osec->sh_type == SHT_NOTE ? (uint64_t)1 << 41 : 0);
}

// Does this assignment move `.`? GNU ld does not count `. = 0`, `. += 0` and
// `. = ALIGN(cond ? a : b)` (its default script's way to align a .bss that may be
// empty), so neither do we.
static bool moves_dot(const ScriptCmd *cmd) {
  const ScriptAssign *a = &cmd->assign;
  if (cmd->kind != SC_ASSIGN || strcmp(a->name, "."))
    return false;
  const Expr *e = a->expr;
  if (e->kind == EX_NUM && e->num == 0 && (a->op == OP_NONE || a->op == OP_ADD))
    return false;
  return !(e->kind == EX_FUNC && e->op == FN_ALIGN && !e->b && e->a && e->a->kind == EX_COND);
}

// BYTE(x), SHORT, LONG, QUAD: a small section of the linker's, filled when the
// addresses are final.
//
// A description that takes no input section still makes an output section, as in
// GNU ld, if it has data (PROGBITS) or moves `.` (NOBITS: `.stack : { . += 4K; }`
// reserves room). It is writable unless a data statement comes before every
// assignment: GNU ld makes a section read-only for data, plain for an assignment,
// whichever comes first.
static void make_data_sections(Ctx *ctx, OutputDesc *osd) {
  bool made_here = !osd->osec, writable = false, moved = false;
  for (size_t i = 0; i < osd->cmds.len; i++) {
    ScriptCmd *cmd = osd->cmds.data[i];
    if (cmd->kind == SC_DATA)
      break;
    writable |= cmd->kind == SC_ASSIGN;
  }
  for (size_t i = 0; i < osd->cmds.len; i++) {
    ScriptCmd *cmd = osd->cmds.data[i];
    moved |= moves_dot(cmd);
    if (cmd->kind != SC_DATA)
      continue;
    // (Its flags become the output section's if it is the first thing there.)
    cmd->data = new_linker_section(ctx, osd->name, SHT_PROGBITS,
                                   SHF_ALLOC | (writable ? SHF_WRITE : 0), cmd->size, 1);
    section_aux(ctx, cmd->data)->synthetic = arena_alloc(&ctx->arena, cmd->size);
    if (!osd->osec)
      osd->osec = new_output_section(ctx, osd->name, cmd->data);
    cmd->data->osec = osd->osec;
    vec_push(&ctx->arena, &osd->osec->members, cmd->data);
  }
  if (made_here && !osd->osec && moved) {
    InputSection *room = new_linker_section(ctx, osd->name, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 0, 1);
    osd->osec = new_output_section(ctx, osd->name, room);
    room->osec = osd->osec;
    vec_push(&ctx->arena, &osd->osec->members, room);
  }
}

// The output section GNU ld puts an orphan after, by what the orphan holds.
static const char *anchor_of(const OutputSection *osec) {
  uint64_t f = osec->sh_flags;
  if (!(f & SHF_ALLOC) || osec->sh_type == SHT_NOTE)
    return NULL;
  if (f & SHF_TLS)
    return osec->sh_type == SHT_NOBITS ? ".tbss" : ".tdata";
  if (f & SHF_EXECINSTR)
    return ".text";
  if (f & SHF_WRITE)
    return osec->sh_type == SHT_NOBITS ? ".bss" : ".data";
  return ".rodata";
}

// Where an orphan goes: after the output section of the name GNU ld would pick
// (and the orphans already there), else after the last output section of its
// kind, else after every allocated one (notes: before them), else at the end.
static size_t orphan_place(Plan *plan, const OutputSection *osec) {
  const char *anchor = anchor_of(osec);
  for (size_t j = 0; anchor && j < plan->nsteps; j++) {
    const ScriptCmd *cmd = plan->steps[j].cmd;
    if (cmd && cmd->kind == SC_OUTPUT_SECTION && cmd->osd->osec && !strcmp(cmd->osd->name, anchor)) {
      while (j + 1 < plan->nsteps && plan->steps[j + 1].orphan)
        j++;
      return j + 1;
    }
  }
  return plan->nsteps + 1;  // no anchor: decided by kind
}

// The order of the steps: SECTIONS as written, each orphan after the last output
// section of its kind (or after every allocated one, or at the end).
static void make_plan(Ctx *ctx, Plan *plan) {
  Script *s = &ctx->script;
  HashMap described = {0};
  for (size_t i = 0; i < s->sections.len; i++) {
    const ScriptCmd *cmd = s->sections.data[i];
    if (cmd->kind == SC_OUTPUT_SECTION && cmd->osd->osec)
      hashmap_slot(&described, (const char *)&cmd->osd->osec, sizeof(void *))->value = (void *)cmd;
  }
  plan->steps = arena_array(&ctx->arena, s->sections.len + ctx->osecs.len, sizeof(Step));
  for (size_t i = 0; i < s->sections.len; i++)
    plan->steps[plan->nsteps++].cmd = s->sections.data[i];
  for (size_t i = 0; i < ctx->osecs.len; i++) {
    OutputSection *osec = ctx->osecs.data[i];
    if (hashmap_get(&described, (const char *)&osec, sizeof(void *)))
      continue;
    size_t place = orphan_place(plan, osec);
    if (place <= plan->nsteps) {
      memmove(&plan->steps[place + 1], &plan->steps[place], (plan->nsteps - place) * sizeof(Step));
      plan->steps[place] = (Step){.orphan = osec};
      plan->nsteps++;
      continue;
    }
    size_t after = plan->nsteps, last_alloc = plan->nsteps, first_alloc = plan->nsteps;
    bool found = false;
    for (size_t j = 0; j < plan->nsteps; j++) {
      OutputSection *o = plan->steps[j].cmd ? (plan->steps[j].cmd->kind == SC_OUTPUT_SECTION
                                                   ? plan->steps[j].cmd->osd->osec : NULL)
                                            : plan->steps[j].orphan;
      if (!o)
        continue;
      if ((o->sh_flags & SHF_ALLOC) && first_alloc == plan->nsteps)
        first_alloc = j;
      if (o->sh_flags & SHF_ALLOC)
        last_alloc = j + 1;
      if (kind_of(o) == kind_of(osec)) {
        after = j + 1;
        found = true;
      }
    }
    // Notes go first (the kernel and debuggers look for them near the headers).
    if (!found && (osec->sh_flags & SHF_ALLOC))
      after = osec->sh_type == SHT_NOTE && first_alloc < plan->nsteps ? first_alloc : last_alloc;
    memmove(&plan->steps[after + 1], &plan->steps[after], (plan->nsteps - after) * sizeof(Step));
    plan->steps[after] = (Step){.orphan = osec};
    plan->nsteps++;
  }
  free(described.entries);
}

// Places the members a rule took, from `.` on.
static void place_rule(Ctx *ctx, OutputSection *osec, const InputRule *rule, bool eh) {
  Script *s = &ctx->script;
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (isec->aux->script_rule != rule)
      continue;
    if (eh) {  // .eh_frame: laid out record by record, sized already
      s->dot = osec->addr + osec->size;
      return;
    }
    s->dot = align_to(s->dot, isec->sh_addralign);
    isec->offset = s->dot - osec->addr;
    s->dot += isec->sh_size;
  }
}

// Where an output section's load address is: AT(), AT>REGION, or as far from its
// address as the previous section's (GNU ld's rule), or its address.
static void set_lma(Ctx *ctx, Plan *plan, OutputSection *osec, const OutputDesc *osd) {
  if (osd && osd->lma) {
    osec->lma = eval_expr(ctx, osd->lma);
  } else if (osd && osd->lma_region) {
    MemoryRegion *r = find_region(ctx, osd->lma_region);
    if (!r) {
      if (ctx->script.final)
        error("%s:%u: memory region '%s' is not defined", osd->file, osd->line, osd->lma_region);
      osec->lma = osec->addr;
    } else {
      osec->lma = r->next;  // not aligned, as in GNU ld (ALIGN_WITH_INPUT would)
      r->next = osec->lma + osec->size;
    }
  } else if (osd && osd->overlay_next) {
    osec->lma = plan->lma_end;  // an OVERLAY's sections are loaded one after another
  } else if (osd && osd->addr && osec->sh_type != SHT_NOBITS) {
    osec->lma = osec->addr;  // (a zero-filled one keeps the offset, as GNU ld does)
  } else {
    osec->lma = osec->addr + plan->lma_delta;
  }
  if (osec->sh_flags & SHF_ALLOC) {
    plan->lma_delta = osec->lma - osec->addr;
    plan->lma_end = osec->lma + osec->size;
  }
}

static void check_region(Ctx *ctx, MemoryRegion *r, const OutputSection *osec) {
  uint64_t end = osec->addr + osec->size;
  if (ctx->script.final && (osec->addr < r->origin || end - r->origin > r->length))
    error("section '%s' will not fit in region '%s': it overflows by %llu bytes", osec->name,
          r->name, (unsigned long long)(end - r->origin - r->length));
}

// One output section of the script: its address, then what it holds.
static void run_output_section(Ctx *ctx, Plan *plan, const OutputDesc *osd) {
  Script *s = &ctx->script;
  OutputSection *osec = osd->osec;
  if (!osec || !strcmp(osd->name, "/DISCARD/")) {
    // Empty: not in the output, but its assignments still run, at `.`.
    for (size_t i = 0; i < osd->cmds.len; i++) {
      const ScriptCmd *cmd = osd->cmds.data[i];
      if (cmd->kind == SC_ASSIGN)
        run_script_assign(ctx, cmd);
      else if (cmd->kind == SC_ASSERT)
        run_script_assert(ctx, cmd);
    }
    return;
  }
  if (osec->shndx == SHN_ABS) {  // empty, left out
    osec->addr = osec->lma = s->dot;
    return;
  }
  MemoryRegion *region = osd->region ? find_region(ctx, osd->region) : NULL;
  if (osd->region && !region && s->final)
    error("%s:%u: memory region '%s' is not defined", osd->file, osd->line, osd->region);
  bool alloc = osec->sh_flags & SHF_ALLOC;
  uint64_t saved_dot = s->dot;
  if (osd->subalign)
    for (size_t i = 0; i < osec->members.len; i++)
      ((InputSection *)osec->members.data[i])->sh_addralign = eval_expr(ctx, osd->subalign);
  for (size_t i = 0; i < osec->members.len; i++) {
    InputSection *isec = osec->members.data[i];
    if (isec->sh_addralign > osec->sh_addralign)
      osec->sh_addralign = isec->sh_addralign;
  }
  uint64_t align = osd->align ? eval_expr(ctx, osd->align) : 1;
  if (align > osec->sh_addralign && (align & (align - 1)) == 0)
    osec->sh_addralign = align;
  if (osd->addr)
    osec->addr = eval_expr(ctx, osd->addr);
  else if (region)
    osec->addr = align_to(region->next, osec->sh_addralign);
  else if (!alloc)
    osec->addr = 0;
  else
    osec->addr = align_to(s->dot, osec->sh_addralign);
  s->dot = osec->addr;
  s->cur = osec;
  osec->overlay = osd->overlay;
  bool eh = osec == ctx->eh_frame_osec;
  for (size_t i = 0; i < osd->cmds.len; i++) {
    const ScriptCmd *cmd = osd->cmds.data[i];
    switch (cmd->kind) {
    case SC_INPUT: place_rule(ctx, osec, cmd->rule, eh); break;
    case SC_ASSIGN: run_script_assign(ctx, cmd); break;
    case SC_ASSERT: run_script_assert(ctx, cmd); break;
    case SC_DATA:
      cmd->data->offset = s->dot - osec->addr;
      s->dot += cmd->size;
      break;
    case SC_OUTPUT_SECTION: break;
    }
  }
  s->cur = NULL;
  osec->size = s->dot - osec->addr;
  set_lma(ctx, plan, osec, osd);
  if (region) {
    region->next = s->dot;
    check_region(ctx, region, osec);
  }
  // .tbss takes no room in the image (only in each thread's copy of the TLS
  // block), and a section that is not loaded takes no address at all.
  if (!alloc || ((osec->sh_flags & SHF_TLS) && osec->sh_type == SHT_NOBITS))
    s->dot = saved_dot;
}

// An orphan: at `.`, aligned, its members one after another.
static void run_orphan(Ctx *ctx, Plan *plan, OutputSection *osec) {
  Script *s = &ctx->script;
  if (osec->shndx == SHN_ABS) {  // empty, left out: only its symbols' place matters
    osec->addr = osec->lma = s->dot;
    return;
  }
  bool alloc = osec->sh_flags & SHF_ALLOC;
  uint64_t size = 0;
  for (size_t i = 0; i < osec->members.len && osec != ctx->eh_frame_osec; i++) {
    InputSection *isec = osec->members.data[i];
    size = align_to(size, isec->sh_addralign);
    isec->offset = size;
    size += isec->sh_size;
    if (isec->sh_addralign > osec->sh_addralign)
      osec->sh_addralign = isec->sh_addralign;
  }
  if (osec != ctx->eh_frame_osec)
    osec->size = size;
  osec->addr = alloc ? align_to(s->dot, osec->sh_addralign) : 0;
  set_lma(ctx, plan, osec, NULL);
  if (alloc && !((osec->sh_flags & SHF_TLS) && osec->sh_type == SHT_NOBITS))
    s->dot = osec->addr + osec->size;
}

// One run of the script over the plan.
static void run_script(Ctx *ctx, Plan *plan) {
  Script *s = &ctx->script;
  s->dot = 0;
  s->dot_ok = true;
  s->cur = NULL;
  plan->lma_delta = plan->lma_end = 0;
  for (size_t i = 0; i < s->memory.len; i++) {
    MemoryRegion *r = s->memory.data[i];
    r->origin = eval_expr(ctx, r->origin_expr);
    r->length = eval_expr(ctx, r->length_expr);
    r->next = r->origin;
  }
  for (size_t i = 0; i < plan->nsteps; i++) {
    const Step *step = &plan->steps[i];
    if (step->orphan) {
      run_orphan(ctx, plan, step->orphan);
      continue;
    }
    switch (step->cmd->kind) {
    case SC_ASSIGN: run_script_assign(ctx, step->cmd); break;
    case SC_ASSERT: run_script_assert(ctx, step->cmd); break;
    case SC_OUTPUT_SECTION: {
      const OutputDesc *osd = step->cmd->osd;
      run_output_section(ctx, plan, osd);
      if (osd->dot_after) {
        s->dot = eval_expr(ctx, osd->dot_after);
        MemoryRegion *region = osd->region ? find_region(ctx, osd->region) : NULL;
        if (region)
          region->next = s->dot;
      }
      break;
    }
    default: break;
    }
  }
  s->dot_ok = false;
}

// Is osec empty, and so left out of the output as GNU ld leaves it? Not if the
// script puts something in it (an assignment or data) besides input sections.
static bool is_empty(const OutputSection *osec, const OutputDesc *osd) {
  for (size_t i = 0; i < osec->members.len; i++)
    if (((InputSection *)osec->members.data[i])->sh_size)
      return false;
  for (size_t i = 0; osd && i < osd->cmds.len; i++)
    if (((ScriptCmd *)osd->cmds.data[i])->kind != SC_INPUT)
      return false;
  return true;
}

// The output sections in the order the plan visits them; the order of the
// section header table, too. An empty one still gets an address (a symbol may be
// defined in an empty input section), but no section header: symbols in it are
// absolute.
static void order_sections(Ctx *ctx, Plan *plan) {
  size_t n = 0;
  for (size_t i = 0; i < plan->nsteps; i++) {
    const Step *step = &plan->steps[i];
    OutputSection *osec = step->orphan ? step->orphan
                        : step->cmd->kind == SC_OUTPUT_SECTION ? step->cmd->osd->osec : NULL;
    if (!osec || (step->cmd && !strcmp(step->cmd->osd->name, "/DISCARD/")))
      continue;
    if (is_empty(osec, step->cmd ? step->cmd->osd : NULL) && osec->sh_flags & SHF_ALLOC) {
      osec->shndx = SHN_ABS;
      osec->sh_flags &= ~(uint64_t)SHF_ALLOC;  // no segment holds it
      continue;
    }
    ctx->osecs.data[n++] = osec;
  }
  ctx->osecs.len = n;
  for (size_t i = 0; i < n; i++)
    ((OutputSection *)ctx->osecs.data[i])->shndx = (uint32_t)i + 1;
}

// Fills BYTE/SHORT/LONG/QUAD once every address is final.
static void fill_data(Ctx *ctx, const PtrVec *cmds) {
  for (size_t i = 0; i < cmds->len; i++) {
    const ScriptCmd *cmd = cmds->data[i];
    if (cmd->kind == SC_OUTPUT_SECTION)
      fill_data(ctx, &cmd->osd->cmds);
    if (cmd->kind != SC_DATA)
      continue;
    uint64_t v = eval_expr(ctx, cmd->expr);
    uint8_t *p = (uint8_t *)cmd->data->aux->synthetic;
    for (uint32_t b = 0; b < cmd->size; b++)
      p[b] = (uint8_t)(v >> (8 * b));
  }
}

static int by_offset(const void *a, const void *b) {
  const InputSection *x = *(InputSection *const *)a, *y = *(InputSection *const *)b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

// `=FILL` or FILL(x): the gaps between what an output section holds (alignment
// padding, `. += n`) get the pattern instead of zeros. As in GNU ld, the value is a
// big-endian pattern as wide as a hexadecimal number is written (0xabcd: 2 bytes),
// or 4 bytes, started afresh in each gap. Each gap becomes a small section of the
// linker's, which the writer copies like any other.
static void fill_gaps(Ctx *ctx, const OutputDesc *osd) {
  OutputSection *osec = osd->osec;
  if (!osd->fill || !osec || osec->sh_type == SHT_NOBITS || osec == ctx->eh_frame_osec ||
      osec->shndx == SHN_ABS)
    return;
  uint64_t v = eval_expr(ctx, osd->fill);
  const Expr *e = osd->fill;
  size_t width = 4;
  if (e->kind == EX_NUM && e->name && (!strncmp(e->name, "0x", 2) || !strncmp(e->name, "0X", 2)))
    width = (strlen(e->name) - 1) / 2;  // hex digits, two a byte, rounded up
  if (width > 8)
    width = 8;
  uint8_t pattern[8];
  for (size_t b = 0; b < width; b++)
    pattern[b] = (uint8_t)(v >> (8 * (width - 1 - b)));
  size_t n = osec->members.len;
  InputSection **sorted = arena_array(&ctx->arena, n + 1, sizeof(InputSection *));
  memcpy(sorted, osec->members.data, n * sizeof(InputSection *));
  if (n > 1)
    qsort(sorted, n, sizeof(InputSection *), by_offset);
  uint64_t pos = 0;
  for (size_t i = 0; i <= n; i++) {
    uint64_t next = i < n ? sorted[i]->offset : osec->size;
    if (next > pos) {
      InputSection *gap = new_linker_section(ctx, osec->name, SHT_PROGBITS, SHF_ALLOC,
                                             next - pos, 1);
      uint8_t *bytes = arena_alloc(&ctx->arena, next - pos);
      for (uint64_t b = 0; b < next - pos; b++)
        bytes[b] = pattern[b % width];
      section_aux(ctx, gap)->synthetic = bytes;
      gap->osec = osec;
      gap->offset = pos;
      vec_push(&ctx->arena, &osec->members, gap);
    }
    if (i < n && sorted[i]->offset + sorted[i]->sh_size > pos)
      pos = sorted[i]->offset + sorted[i]->sh_size;
  }
}

void script_layout(Ctx *ctx) {
  Script *s = &ctx->script;
  if (ctx->dynamic) {
    error("a linker script's SECTIONS is supported for static programs only");
    return;
  }
  for (size_t i = 0; i < s->sections.len; i++) {
    ScriptCmd *cmd = s->sections.data[i];
    if (cmd->kind == SC_OUTPUT_SECTION && strcmp(cmd->osd->name, "/DISCARD/"))
      make_data_sections(ctx, cmd->osd);
    // (NOLOAD): allocated, but nothing of it in the file (a RAM area, say).
    if (cmd->kind == SC_OUTPUT_SECTION && cmd->osd->noload && cmd->osd->osec)
      cmd->osd->osec->sh_type = SHT_NOBITS;
  }
  for (size_t i = 0; i < ctx->osecs.len; i++)
    order_script_members(ctx, ctx->osecs.data[i]);
  Plan plan = {0};
  make_plan(ctx, &plan);
  order_sections(ctx, &plan);

  // Run the script until addresses and the number of program headers settle, then
  // once more to report what is wrong.
  uint64_t *before = arena_array(&ctx->arena, ctx->osecs.len + 1, sizeof(uint64_t));
  size_t nphdrs = script_phdr_count(ctx, ctx->osecs.len + 1);
  for (int round = 0; round < MAX_ROUNDS; round++) {
    s->headers_size = sizeof(Elf64_Ehdr) + nphdrs * sizeof(Elf64_Phdr);
    run_script(ctx, &plan);
    size_t loads = script_segments(ctx, nphdrs, false);
    bool moved = false;
    for (size_t i = 0; i < ctx->osecs.len; i++) {
      OutputSection *osec = ctx->osecs.data[i];
      moved |= before[i] != osec->addr + osec->size;
      before[i] = osec->addr + osec->size;
    }
    size_t want = script_phdr_count(ctx, loads);
    if (!moved && want == nphdrs)
      break;
    nphdrs = want;
  }
  s->final = true;
  s->headers_size = sizeof(Elf64_Ehdr) + nphdrs * sizeof(Elf64_Phdr);
  run_script(ctx, &plan);
  fill_data(ctx, &s->sections);
  for (size_t i = 0; i < s->sections.len; i++) {
    const ScriptCmd *cmd = s->sections.data[i];
    if (cmd->kind == SC_OUTPUT_SECTION)
      fill_gaps(ctx, cmd->osd);
  }
  script_segments(ctx, nphdrs, true);
  s->final = false;  // define_linker_symbols sets it again for what runs after
}
