/*
 * split_eh_frame.c — .eh_frame, record by record.
 *
 * .eh_frame is the one section a linker must understand rather than concatenate.
 * Every object brings a CIE (the preamble its functions share: code alignment,
 * return-address column, personality routine) and an FDE per function. Copied
 * whole, the output would hold a thousand identical CIEs for a static glibc
 * program, and FDEs for functions that are not in the output at all (the losing
 * copies of COMDAT groups, sections --gc-sections dropped), which would claim to
 * describe address 0.
 *
 * So each input .eh_frame is split into its records:
 *
 *   +-----------+-------------+--------------------------+
 *   | length u32| CIE id u32  | body...                  |   CIE: id == 0
 *   +-----------+-------------+--------------------------+
 *   | length u32| CIE pointer | pc_begin, pc_range, ...  |   FDE: pointer = distance
 *   +-----------+-------------+--------------------------+        back to its CIE
 *
 * An FDE is kept only if the function its first relocation (pc_begin) names is
 * kept. A CIE is kept once per distinct content: equal bytes and equal relocations
 * (same type, addend and target). Kept records are laid out in input order, each
 * FDE's CIE pointer is rewritten for the new distance, and one zero terminator ends
 * the section (the inputs' own terminators, such as crtend.o's, are dropped).
 *
 * A sub-step of layout, run when output sections are made (after --gc-sections, so
 * liveness is known); fills the eh and neh of each member's SectionAux, its offset,
 * and the output section's size. The sections are split in parallel (each on its
 * own); the records are then kept or dropped in input order. write_output copies
 * and relocates record by record; model/sections.c says where a byte of a record
 * went.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(EhRecord) == 32, "EhRecord grew: a big link has 600 K of them");

// A relocation with its place in the table, so that equal offsets keep their order.
typedef struct {
  Elf64_Rela rel;
  uint64_t index;
} NumberedRel;

static int compare_rels(const void *a, const void *b) {
  const NumberedRel *x = a, *y = b;
  if (x->rel.r_offset != y->rel.r_offset)
    return x->rel.r_offset < y->rel.r_offset ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

// Puts isec's relocations in offset order, in a copy: the table may be the input
// file's own bytes, mapped read-only. scan_relocs has already decided an action
// for each relocation by its index, so the actions move with them.
static void sort_rels(Ctx *ctx, InputSection *isec) {
  uint64_t n = isec->nrels;
  NumberedRel *tmp = arena_array(&ctx->arena, n, sizeof *tmp);
  for (uint64_t i = 0; i < n; i++)
    tmp[i] = (NumberedRel){isec->rels[i], i};
  qsort(tmp, n, sizeof *tmp, compare_rels);
  Elf64_Rela *rels = arena_array(&ctx->arena, n, sizeof *rels);
  uint8_t *actions = isec->actions ? arena_array(&ctx->arena, n, 1) : NULL;
  for (uint64_t i = 0; i < n; i++) {
    rels[i] = tmp[i].rel;
    if (actions)
      actions[i] = isec->actions[tmp[i].index];
  }
  isec->rels = rels;
  isec->actions = actions;
}

// The CIE's identity for deduplication: its bytes, then for each relocation its
// offset, type, addend and target (the Symbol for a global, the section and value
// for a local).
static const char *cie_key(Ctx *ctx, InputSection *isec, const EhRecord *r, size_t *len) {
  size_t nrels = r->rel_end - r->rel_begin;
  size_t n = r->size + nrels * 40;
  uint8_t *key = arena_alloc(&ctx->arena, n);
  memcpy(key, isec->data.data + r->in_off, r->size);
  uint8_t *p = key + r->size;
  for (uint64_t i = r->rel_begin; i < r->rel_end; i++) {
    const Elf64_Rela *rel = &isec->rels[i];
    Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
    uint64_t fields[5] = {rel->r_offset - r->in_off, ELF64_R_TYPE(rel->r_info),
                          (uint64_t)rel->r_addend, 0, 0};
    if (sym && sym->is_global) {
      fields[3] = (uint64_t)(uintptr_t)sym;
    } else if (sym) {
      fields[3] = (uint64_t)(uintptr_t)sym->isec;
      fields[4] = sym->value;
    }
    memcpy(p, fields, sizeof fields);
    p += sizeof fields;
  }
  *len = n;
  return (const char *)key;
}

// Is the function this FDE describes in the output?
static bool fde_is_live(InputSection *isec, const EhRecord *r) {
  if (r->rel_begin == r->rel_end)
    return true;  // no relocation: an absolute address, keep it
  const Elf64_Rela *rel = &isec->rels[r->rel_begin];
  Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
  if (!sym || sym->state != SYM_DEFINED || !sym->isec)
    return true;
  return sym->isec->is_alive && sym->isec->osec;
}

// Splits one input section into records. Returns false if it is malformed. Writes
// to isec alone (and the arena), reading the sections its FDEs describe: threads
// split different sections at once.
static bool split(Ctx *ctx, InputSection *isec) {
  View v = isec->data;
  if (v.size >= (UINT64_C(1) << 32))
    return false;  // (no compiler writes that much unwind information)
  // Count, then fill.
  uint64_t n = 0, size, hdr;
  int r;
  for (uint64_t off = 0; (r = eh_record_at(v, off, &size, &hdr)) > 0; off += size)
    n++;
  if (r < 0)
    return false;
  section_aux(ctx, isec)->eh = arena_array(&ctx->arena, n, sizeof(EhRecord));
  section_aux(ctx, isec)->neh = n;

  // Relocations are matched to records by offset; make sure they are in order. (A
  // table out of order is sorted in a copy, actions and all: see sort_rels.)
  for (uint64_t i = 1; i < isec->nrels; i++)
    if (isec->rels[i].r_offset < isec->rels[i - 1].r_offset) {
      sort_rels(ctx, isec);
      break;
    }

  uint64_t off = 0, rel = 0;
  for (uint64_t i = 0; i < n; i++) {
    EhRecord *rec = &isec->aux->eh[i];
    eh_record_at(v, off, &size, &hdr);
    rec->size = (uint32_t)size;
    rec->id_off = (uint8_t)hdr;
    rec->in_off = (uint32_t)off;
    uint32_t id = read_u32le(v.data + off + hdr);
    rec->is_cie = id == 0;
    if (!rec->is_cie) {
      uint64_t id_pos = off + hdr;
      if (id > id_pos)
        return false;
      rec->cie_in = (uint32_t)(id_pos - id);
    }
    while (rel < isec->nrels && isec->rels[rel].r_offset < off)
      rel++;
    rec->rel_begin = (uint32_t)rel;
    while (rel < isec->nrels && isec->rels[rel].r_offset < off + rec->size)
      rel++;
    rec->rel_end = (uint32_t)rel;
    // Whether the function is in the output depends on other sections, all placed
    // by now and not changed while threads split: worked out here, not in the
    // loop that runs alone.
    rec->live = rec->is_cie || fde_is_live(isec, rec);
    off += rec->size;
  }
  return true;
}

// The records are in the order of their offsets: a binary search (a section of a
// big object has thousands of FDEs).
static EhRecord *find_cie(InputSection *isec, uint64_t in_off) {
  uint64_t lo = 0, hi = isec->aux->neh;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (isec->aux->eh[mid].in_off < in_off)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < isec->aux->neh && isec->aux->eh[lo].in_off == in_off && isec->aux->eh[lo].is_cie)
    return &isec->aux->eh[lo];
  return NULL;
}

typedef struct {
  Ctx *ctx;
  OutputSection *osec;
  bool *ok;  // per member: split() succeeded
} SplitTasks;

static void split_task(void *arg, size_t m) {
  SplitTasks *t = arg;
  InputSection *isec = t->osec->members.data[m];
  t->ok[m] = split(t->ctx, isec);
}

uint64_t split_eh_frame(Ctx *ctx, OutputSection *osec) {
  // Each section is split on its own, all at once; then, in input order (which is
  // what makes the output the same whatever the threads did), the records are
  // deduplicated and given their places.
  SplitTasks t = {ctx, osec, arena_array(&ctx->arena, osec->members.len + 1, sizeof(bool))};
  parallel_for(osec->members.len, split_task, &t);
  HashMap cies = {0};  // CIE key -> output offset + 1
  uint64_t out = 0, fdes = 0;
  for (size_t m = 0; m < osec->members.len; m++) {
    InputSection *isec = osec->members.data[m];
    if (isec->sh_addralign > osec->sh_addralign)
      osec->sh_addralign = isec->sh_addralign;
    isec->offset = out;
    isec->order = (uint32_t)m;
    if (!t.ok[m]) {
      error("%s: .eh_frame: malformed record", isec->file->name);
      continue;
    }
    for (uint64_t i = 0; i < isec->aux->neh; i++) {
      EhRecord *rec = &isec->aux->eh[i];
      if (out > UINT32_MAX - 4 - rec->size) {
        error("%s: .eh_frame: the output .eh_frame would be 4 GiB or more", isec->file->name);
        break;
      }
      if (rec->is_cie) {
        size_t len;
        const char *key = cie_key(ctx, isec, rec, &len);
        HashEntry *e = hashmap_slot(&cies, key, len);
        if (e->value) {
          rec->out_off = (uint32_t)((uintptr_t)e->value - 1);  // an earlier copy
          continue;
        }
        rec->kept = true;
        rec->out_off = (uint32_t)out;
        e->value = (void *)(uintptr_t)(out + 1);
        out += rec->size;
        continue;
      }
      EhRecord *cie = find_cie(isec, rec->cie_in);
      if (!cie) {
        error("%s: .eh_frame: FDE at 0x%llx points to no CIE", isec->file->name,
              (unsigned long long)rec->in_off);
        continue;
      }
      if (!rec->live)
        continue;
      rec->kept = true;
      rec->out_off = (uint32_t)out;
      rec->cie_out = cie->out_off;
      out += rec->size;
      fdes++;
    }
  }
  free(cies.entries);
  osec->size = out + 4;  // and the terminator: a record of length 0
  return fdes;
}
