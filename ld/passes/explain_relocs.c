/*
 * explain_relocs.c — --explain-reloc=SYM: a relocation worked out in front of you.
 *
 * A relocation is a note the compiler leaves: "here, 4 bytes, put S + A - P".
 * Reading one by hand takes readelf for the type and addend, nm for S, the section
 * headers for P, a calculator, and objdump for the bytes (examples/05 does exactly
 * that). This pass prints the same thing for every relocation against SYM, or at a
 * place (SECTION+OFFSET, or FILE:(SECTION+OFFSET) as messages name places):
 *
 *   relocs.o:(.text+0xc): R_X86_64_PLT32 against 'twice'
 *     formula  S + A - P
 *       S = 0x401153    'twice', lib.o:(.text+0x0)
 *       A = -4
 *       P = 0x40112c    the output's .text+0x2c
 *     value    0x401153 + (-4) - 0x40112c = 0x23 (35), 4 bytes, signed
 *     before   00 00 00 00    relocs.o:(.text+0xc)
 *     after    23 00 00 00    0x40112c (file offset 0x112c)
 *     note     ...
 *
 * It computes nothing itself: work_out_reloc (apply_relocs.c) gives the formula,
 * the operands and the value, exactly as for the store; rewrite_instruction shows,
 * on a copy of the input, which bytes a GOT or TLS rewrite changed. The "after"
 * bytes are read back from the output image, so what is shown is what was written.
 *
 * The report goes to standard output, like -M, in a fixed order: the queries in
 * command-line order; for each, files in load order, sections by index, places by
 * offset. A query that names nothing in the link is a warning, not an error: the
 * executable is fine.
 *
 * A sub-step of write_output, run once every section is relocated and before the
 * file is committed (so it also explains a relocation that overflowed). Reads
 * ctx->opt.explain_relocs, ctx->image and everything layout fixed; changes nothing
 * but the demangled-name cache of symbols (SymbolAux.demangled).
 */
#include "../ld.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// One --explain-reloc argument: a symbol, or a place.
typedef struct {
  const char *arg;
  const char *file;     // place: the file named (NULL: any)
  const char *section;  // place: the input section's name; NULL for a symbol
  uint64_t offset;
} Query;

// A relocation to explain: relocation i of isec.
typedef struct {
  InputSection *isec;
  uint64_t i;
  const Symbol *via;  // the symbol asked about, when the relocation names its section
} Match;

// "FILE:(SECTION+OFFSET)" or "SECTION+OFFSET", OFFSET a number in C notation, is a
// place; anything else names a symbol.
static Query parse_query(Ctx *ctx, const char *arg) {
  Query q = {.arg = arg};
  size_t len = strlen(arg);
  // The file may itself hold ":(" (an archive member), so the last one counts.
  const char *open = NULL;
  for (const char *p = strstr(arg, ":("); p; p = strstr(p + 1, ":("))
    open = p;
  char *body;
  if (open && len > 0 && arg[len - 1] == ')') {
    body = arena_strdup(&ctx->arena, open + 2);
    body[strlen(body) - 1] = '\0';
    q.file = arena_strdup(&ctx->arena, arg);
    ((char *)q.file)[open - arg] = '\0';
  } else {
    body = arena_strdup(&ctx->arena, arg);
  }
  char *plus = strrchr(body, '+');
  if (!plus || plus == body || plus[1] < '0' || plus[1] > '9' ||
      (q.file && !*q.file)) {
    q.file = NULL;
    return q;
  }
  char *end;
  unsigned long long off = strtoull(plus + 1, &end, 0);
  if (*end) {
    q.file = NULL;
    return q;
  }
  *plus = '\0';
  q.section = body;
  q.offset = off;
  return q;
}

// Is `name` (as messages show it) the file `want` names: the same, or the same
// after a directory?
static bool is_named_file(const char *name, const char *want) {
  size_t n = strlen(name), w = strlen(want);
  return !strcmp(name, want) || (n > w && name[n - w - 1] == '/' && !strcmp(name + n - w, want));
}

// Does `query` name sym: its name, its section's (for a section symbol), or as C++
// writes it (with or without the parameters: "ns::f" finds "ns::f(int)")?
static bool names_symbol(Ctx *ctx, const char *query, Symbol *sym) {
  if (!strcmp(sym->name, query) || !strcmp(symbol_label(sym), query))
    return true;
  if (strncmp(sym->name, "_Z", 2))
    return false;
  if (!sym->aux->demangled) {
    const char *d = demangle(&ctx->arena, sym->name);
    symbol_aux(ctx, sym)->demangled = d ? d : sym->name;
  }
  size_t n = strlen(query);
  return !strncmp(sym->aux->demangled, query, n) &&
         (sym->aux->demangled[n] == '\0' || sym->aux->demangled[n] == '(');
}

// The assembler writes a reference to a local symbol (a static variable, a static
// function) as one to its section plus an offset: `y(%rip)` becomes .data+4 - 4.
// Does relocation `rel`, against a section symbol, point into `target` that way? A
// PC-relative field is taken to end its instruction (A is then the offset minus
// the field's width), which is how compilers use them but for an immediate after
// the field (`movl $1, y(%rip)`), which this misses.
static bool points_into(const Elf64_Rela *rel, const Symbol *sec_sym, const Symbol *target) {
  if (sec_sym->type != STT_SECTION || !sec_sym->isec || sec_sym->isec != target->isec ||
      target->type == STT_SECTION)
    return false;
  RelocHowto h = reloc_howto(ELF64_R_TYPE(rel->r_info));
  uint64_t off = symbol_offset(sec_sym) + (uint64_t)rel->r_addend;
  if (h.expr == RX_PC)
    off += h.width;
  uint64_t size = target->size ? target->size : 1;
  uint64_t at = symbol_offset(target);
  return off >= at && off - at < size;
}

// qsort's order for Match pointers: by offset, then by index in the table.
static int compare_offsets(const void *a, const void *b) {
  const Match *x = *(Match *const *)a, *y = *(Match *const *)b;
  uint64_t ox = x->isec->rels[x->i].r_offset, oy = y->isec->rels[y->i].r_offset;
  if (ox != oy)
    return ox < oy ? -1 : 1;
  return x->i < y->i ? -1 : x->i > y->i;
}

// Every relocation the query names, in file order, then section, then offset. Sets
// *known when the symbol or the section exists in the link at all.
static PtrVec find_matches(Ctx *ctx, const Query *q, bool *known) {
  PtrVec out = {0};
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    if (q->section && q->file && !is_named_file(file->name, q->file))
      continue;
    bool *hit = NULL;
    PtrVec targets = {0};  // Symbol *: those named, defined in this file's sections
    if (!q->section) {
      hit = arena_array(&ctx->arena, file->obj.nsyms + 1, sizeof(bool));
      for (uint64_t j = 1; j < file->obj.nsyms; j++) {
        Symbol *sym = file->syms[j];
        if (!sym || !names_symbol(ctx, q->arg, sym))
          continue;
        *known = hit[j] = true;
        if (sym->state == SYM_DEFINED && sym->isec && sym->isec->file == file)
          vec_push(&ctx->arena, &targets, sym);
      }
    }
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (!isec)
        continue;
      if (q->section && strcmp(isec->name, q->section))
        continue;
      if (q->section)
        *known = true;
      size_t first = out.len;
      for (uint64_t i = 0; i < isec->nrels; i++) {
        const Elf64_Rela *rel = &isec->rels[i];
        bool match;
        const Symbol *via = NULL;
        if (q->section) {
          uint8_t width = reloc_howto(ELF64_R_TYPE(rel->r_info)).width;
          match = q->offset == rel->r_offset ||
                  (q->offset > rel->r_offset && q->offset - rel->r_offset < width);
        } else {
          match = hit[ELF64_R_SYM(rel->r_info)];
          for (size_t t = 0; !match && t < targets.len; t++)
            if (points_into(rel, file->syms[ELF64_R_SYM(rel->r_info)], targets.data[t])) {
              match = true;
              via = targets.data[t];
            }
        }
        if (!match)
          continue;
        Match *m = arena_alloc(&ctx->arena, sizeof *m);
        *m = (Match){isec, i, via};
        vec_push(&ctx->arena, &out, m);
      }
      // Relocation tables are usually sorted by offset already, but nothing says
      // they must be.
      if (out.len - first > 1)
        qsort(out.data + first, out.len - first, sizeof(void *), compare_offsets);
    }
  }
  if (!*known && !q->section && find_symbol(ctx, q->arg))
    *known = true;
  return out;
}

//
// Printing one relocation
//

// Where the relocation's place is in the program, as apply_relocs computes P: in
// the output's address space for a loaded section, or its offset for one the
// program does not load.
static uint64_t place_address(const InputSection *isec, uint64_t off) {
  if (!(isec->sh_flags & SHF_ALLOC))
    return off;
  if (isec->aux->eh)
    return isec->osec->addr + eh_frame_offset(isec, off);
  return isec_address(isec) + off;
}

// sym as a reader wants to know it: what S is.
static const char *describe_symbol(Ctx *ctx, const Symbol *sym) {
  const char *name = shown_name(ctx, symbol_label(sym));
  if (sym->aux->iplt)
    return arena_printf(&ctx->arena, "the IFUNC stub of '%s' in .iplt", name);
  if (sym->aux->plt)
    return arena_printf(&ctx->arena, "the PLT entry of '%s' (%s)", name,
                        sym->state == SYM_SHARED ? sym->file->name : "preemptible");
  if (sym == ctx->null_symbol)
    return "no symbol: 0";
  switch (sym->state) {
  case SYM_UNDEF:
    return arena_printf(&ctx->arena, "'%s', undefined (weak): 0", name);
  case SYM_SHARED:
    return arena_printf(&ctx->arena, "'%s', in %s: known at run time only", name,
                        sym->file->name);
  case SYM_LINKER:
    return arena_printf(&ctx->arena, "'%s', defined by the linker", name);
  case SYM_COMMON:
  case SYM_DEFINED:
    break;
  }
  if (!sym->isec)
    return arena_printf(&ctx->arena, "'%s', absolute", name);
  if (sym->type == STT_SECTION)
    return arena_printf(&ctx->arena, "section %s of %s", sym->isec->name,
                        sym->isec->file->name);
  return arena_printf(&ctx->arena, "'%s', %s", name, place(ctx, sym->isec, symbol_offset(sym)));
}

// A number as the formula shows it: the addend signed and in decimal, G (an offset
// from the GOT's base, which may be below it) signed and in hex, the rest
// (addresses, sizes) in hex. A negative one is in parentheses when `inside` a
// formula.
static const char *operand_value(Ctx *ctx, const char *letter, const RelocValue *v,
                                 bool inside) {
  const char *open = inside ? "(" : "", *close = inside ? ")" : "";
  if (!strcmp(letter, "A")) {
    int64_t a = (int64_t)v->A;
    return a < 0 ? arena_printf(&ctx->arena, "%s%" PRId64 "%s", open, a, close)
                 : arena_printf(&ctx->arena, "%" PRId64, a);
  }
  if (!strcmp(letter, "G") && (int64_t)v->G < 0)
    return arena_printf(&ctx->arena, "%s-0x%" PRIx64 "%s", open, -v->G, close);
  uint64_t x = !strcmp(letter, "S")     ? v->S
               : !strcmp(letter, "P")   ? v->P
               : !strcmp(letter, "G")   ? v->G
               : !strcmp(letter, "GOT") ? v->GOT
               : !strcmp(letter, "TP")  ? v->TP
               : !strcmp(letter, "TLS") ? v->TLS
                                        : v->Z;
  return arena_printf(&ctx->arena, "0x%" PRIx64, x);
}

static bool is_operand(const char *word) {
  static const char *const letters[] = {"S", "A", "P", "G", "GOT", "TP", "TLS", "Z"};
  for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
    if (!strcmp(word, letters[i]))
      return true;
  return false;
}

// What one operand of the formula stands for here.
static const char *describe_operand(Ctx *ctx, const char *letter, const RelocValue *v,
                                    const Symbol *sym, const char *p_place) {
  if (!strcmp(letter, "S"))
    return describe_symbol(ctx, sym);
  if (!strcmp(letter, "P"))
    return p_place;
  if (!strcmp(letter, "G"))
    return arena_printf(&ctx->arena, "where the GOT slot is (0x%" PRIx64 "), from GOT",
                        v->GOT + v->G);
  if (!strcmp(letter, "GOT"))
    return "the GOT's base (_GLOBAL_OFFSET_TABLE_)";
  if (!strcmp(letter, "TP"))
    return "the thread pointer: the end of the TLS block";
  if (!strcmp(letter, "TLS"))
    return "the start of the TLS block";
  if (!strcmp(letter, "A"))
    return "the addend, from the relocation";
  if (!strcmp(letter, "Z"))
    return arena_printf(&ctx->arena, "the size of '%s'", shown_name(ctx, symbol_label(sym)));
  return "";
}

// The formula's words, one at a time ("S", "+", "A", ...).
static size_t formula_words(const char *text, char words[][8], size_t max) {
  size_t n = 0;
  while (*text && n < max) {
    size_t len = strcspn(text, " ");
    if (len && len < 8) {
      memcpy(words[n], text, len);
      words[n++][len] = '\0';
    }
    text += len;
    text += strspn(text, " ");
  }
  return n;
}

static void print_formula(Ctx *ctx, FILE *fp, const RelocValue *v, const Symbol *sym,
                          const char *p_place) {
  char words[16][8];
  size_t n = formula_words(formula_text(v->formula), words, 16);
  fprintf(fp, "  formula  %s\n", formula_text(v->formula));
  // Each letter once, in the order the formula uses them.
  for (size_t k = 0; k < n; k++) {
    bool seen = false;
    for (size_t j = 0; j < k; j++)
      seen |= !strcmp(words[j], words[k]);
    if (!is_operand(words[k]) || seen)
      continue;
    fprintf(fp, "    %-3s = %-18s %s\n", words[k], operand_value(ctx, words[k], v, false),
            describe_operand(ctx, words[k], v, sym, p_place));
  }
  // The same formula with the numbers in, and the value as the field holds it.
  fprintf(fp, "  value    ");
  for (size_t k = 0; k < n; k++)
    fprintf(fp, "%s%s", k ? " " : "",
            is_operand(words[k]) ? operand_value(ctx, words[k], v, true) : words[k]);
  uint64_t field = v->width >= 8 ? v->value : v->value & (((uint64_t)1 << (8 * v->width)) - 1);
  fprintf(fp, " = 0x%" PRIx64, field);
  if (v->check == CHECK_SIGNED || v->check == CHECK_EITHER)
    fprintf(fp, " (%" PRId64 ")", (int64_t)v->value);
  static const char *const checks[] = {"", ", signed", ", unsigned", ", signed or unsigned"};
  fprintf(fp, ", %u bytes%s\n", v->width, checks[v->check]);
  int64_t lo, hi;
  if (!reloc_fits(v->value, v->width, v->check, &lo, &hi))
    fprintf(fp, "  overflow %" PRId64 " is not in [%" PRId64 ", %" PRId64
            "]: nothing is stored, and the link fails\n",
            (int64_t)v->value, lo, hi);
}

// Where offset `off` of isec is in the output image, or NULL if it is not there as
// it is (the section is compressed).
static const uint8_t *output_byte(Ctx *ctx, const InputSection *isec, uint64_t off) {
  if (isec->osec->compressed || isec->osec->sh_flags & SHF_COMPRESSED)
    return NULL;
  return ctx->image + isec->osec->offset + isec_output_offset(isec, off, NULL);
}

static void print_bytes(FILE *fp, const char *label, const uint8_t *p, uint64_t n,
                        const char *where) {
  fprintf(fp, "  %-8s", label);
  for (uint64_t k = 0; k < n; k++)
    fprintf(fp, " %02x", p[k]);
  fprintf(fp, "%*s  %s\n", (int)(n < 8 ? 3 * (8 - n) : 0), "", where);
}

// The bytes of [lo, hi) before the link (input) and after it (output image); under
// them, with a rewrite, which ones it changed (`rewritten` is the input with only
// the rewrite made).
static void print_before_after(Ctx *ctx, FILE *fp, const InputSection *isec, uint64_t lo,
                               uint64_t hi, const uint8_t *rewritten, uint64_t out_addr) {
  uint64_t n = hi - lo;
  print_bytes(fp, "before", isec->data.data + lo, n, place(ctx, isec, lo));
  uint8_t *after = arena_alloc(&ctx->arena, n ? n : 1);
  for (uint64_t k = 0; k < n; k++) {
    const uint8_t *b = output_byte(ctx, isec, lo + k);
    if (!b) {
      fprintf(fp, "  after    (compressed in the output: --compress-debug-sections)\n");
      return;
    }
    after[k] = *b;
  }
  const char *where =
      isec->sh_flags & SHF_ALLOC
          ? arena_printf(&ctx->arena, "0x%" PRIx64 " (file offset 0x%" PRIx64 ")", out_addr,
                         (uint64_t)(output_byte(ctx, isec, lo) - ctx->image))
          : arena_printf(&ctx->arena, "file offset 0x%" PRIx64,
                         (uint64_t)(output_byte(ctx, isec, lo) - ctx->image));
  print_bytes(fp, "after", after, n, where);
  if (!rewritten)
    return;
  fprintf(fp, "  changed ");
  uint64_t last = 0;
  for (uint64_t k = 0; k < n; k++)
    if (rewritten[lo + k] != isec->data.data[lo + k])
      last = k + 1;
  for (uint64_t k = 0; k < last; k++)
    fprintf(fp, rewritten[lo + k] != isec->data.data[lo + k] ? " ^^" : "   ");
  fprintf(fp, "  by the rewrite\n");
}

// What a rewrite did, in words (arch_x86_64.c draws the bytes).
static const char *rewrite_note(Ctx *ctx, RelAction act, RelExpr expr, const Symbol *sym) {
  const char *name = shown_name(ctx, symbol_label(sym));
  switch (act) {
  case ACT_GOT_TO_LEA:
    return arena_printf(&ctx->arena,
                        "relaxed: mov from the GOT slot (8b) became lea (8d): '%s' is at an "
                        "address known now, so the program computes it instead of loading it",
                        name);
  case ACT_GOT_TO_CALL:
    return "relaxed: call *GOT(%rip) (ff 15) became addr32 call (67 e8): a direct call";
  case ACT_GOT_TO_JMP:
    return "relaxed: jmp *GOT(%rip) (ff 25) became nop; jmp (90 e9): a direct jump";
  case ACT_GOT_TO_TEST:
    return "relaxed: test with the GOT slot became test with an immediate (f7 /0): S itself";
  case ACT_GOT_TO_BINOP:
    return "relaxed: an operation on the GOT slot became one with an immediate (81 /n): S "
           "itself";
  case ACT_TLS_TO_LE:
    switch (expr) {
    case RX_TLSGD:
      return "relaxed: general dynamic (a call to __tls_get_addr) became local exec: mov "
             "%fs:0, %rax; lea S-TP(%rax), %rax";
    case RX_TLSLD:
      return "relaxed: local dynamic (a call to __tls_get_addr) became local exec: mov "
             "%fs:0, %rax; each variable's DTPOFF32 is then its offset from TP";
    case RX_GOTTPOFF:
      return "relaxed: initial exec (the offset loaded from a GOT slot) became local exec: "
             "the offset is an immediate";
    case RX_TLSDESC:
      return "relaxed: the TLS descriptor load became local exec: mov $S-TP, %rax";
    case RX_TLSDESC_CALL:
      return "relaxed: the call through the TLS descriptor became a 2-byte nop";
    default:
      return "relaxed to local exec";
    }
  case ACT_TLS_TO_IE:
    return arena_printf(&ctx->arena,
                        "relaxed: '%s' is in %s: the sequence became initial exec, a load "
                        "of its offset from TP from a GOT slot the dynamic linker fills",
                        name, sym->file ? sym->file->name : "a shared library");
  case ACT_TLS_GOT_TP:
  case ACT_AS_IS:
  case ACT_SKIP:
    break;
  }
  return NULL;
}

// The dynamic relocation of .rela.dyn at offset `off` of isec, if there is one.
static const DynReloc *dyn_reloc_at(Ctx *ctx, const InputSection *isec, uint64_t off) {
  for (size_t k = 0; k < ctx->dyn_relocs.len; k++) {
    const DynReloc *d = ctx->dyn_relocs.data[k];
    if (d->isec == isec && d->offset == off && d->kind != DYN_NONE)
      return d;
  }
  return NULL;
}

// What the GOT slot a load goes through holds, and who fills it.
static void print_slot_note(Ctx *ctx, FILE *fp, const RelocValue *v, const char *what) {
  uint64_t slot = v->GOT + v->G;
  InputSection *got = ctx->synth[SYN_GOT];
  fprintf(fp, "  note     %s the GOT slot at 0x%" PRIx64, what, slot);
  if (!got || !got->is_alive || !got->osec || slot < isec_address(got) ||
      slot - isec_address(got) >= got->sh_size) {
    fprintf(fp, "\n");
    return;
  }
  uint64_t off = slot - isec_address(got);
  fprintf(fp, ", which holds 0x%" PRIx64,
          read_u64le(ctx->image + got->osec->offset + got->offset + off));
  const DynReloc *d = dyn_reloc_at(ctx, got, off);
  if (d)
    fprintf(fp, "; at start-up %s in .rela.dyn %s", dyn_reloc_name(ctx, d->kind),
            d->kind == DYN_RELATIVE ? "adds the load address" : "fills it");
  fprintf(fp, "\n");
}

static void print_notes(Ctx *ctx, FILE *fp, const InputSection *isec, uint64_t i,
                        const RelocValue *v) {
  const Elf64_Rela *rel = &isec->rels[i];
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  RelocHowto h = reloc_howto(type);
  RelAction act = isec->actions ? (RelAction)isec->actions[i] : ACT_AS_IS;
  const Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
  const char *name = shown_name(ctx, symbol_label(sym));

  if (v->formula != v->type_formula && act != ACT_SKIP)
    fprintf(fp, "  note     %s's own formula is %s; the rewrite below replaced it\n", h.name,
            formula_text(v->type_formula));
  if (is_plt_reloc(type) && act == ACT_AS_IS) {
    if (sym->aux->iplt)
      fprintf(fp, "  note     %s is L + A - P, L being a PLT entry: here '%s''s IFUNC stub, "
              "which jumps to the implementation its resolver chose at start-up\n", h.name,
              name);
    else if (sym->aux->plt)
      fprintf(fp, "  note     %s is L + A - P, L being a PLT entry: S is '%s''s, at 0x%" PRIx64
              "\n", h.name, name, v->S);
    else
      fprintf(fp, "  note     %s is L + A - P, L being a PLT entry; '%s' needs none (it is "
              "not in a shared library), so L = S\n", h.name, name);
  }
  const char *rw = rewrite_note(ctx, act, h.expr, sym);
  if (rw)
    fprintf(fp, "  note     %s\n", rw);
  if (act == ACT_SKIP)
    fprintf(fp, "  note     not applied: the TLS rewrite of the sequence before it replaced "
            "this call\n");
  if (act == ACT_TLS_TO_IE && v->width)
    print_slot_note(ctx, fp, v, "loads the offset from");
  if (act == ACT_TLS_GOT_TP)
    print_slot_note(ctx, fp, v, "initial exec, kept: loads the offset from TP from");
  if (act == ACT_AS_IS && (h.expr == RX_GOTPCREL || h.expr == RX_GOT))
    print_slot_note(ctx, fp, v,
                    h.relaxable ? "not relaxed: loads the address from"
                                : "loads the address from");
  if (v->field)
    fprintf(fp, "  note     the rewrite moved the field %" PRId64 " bytes, to 0x%" PRIx64 "\n",
            v->field, place_address(isec, rel->r_offset) + (uint64_t)v->field);
  const DynReloc *d = dyn_reloc_at(ctx, isec, rel->r_offset);
  if (d && d->kind == DYN_RELATIVE)
    fprintf(fp, "  note     the place moves with the program: at start-up %s in .rela.dyn "
            "adds the load address\n", dyn_reloc_name(ctx, d->kind));
  else if (d)
    fprintf(fp, "  note     at start-up %s in .rela.dyn writes '%s''s run-time address here\n",
            dyn_reloc_name(ctx, d->kind), shown_name(ctx, symbol_label(d->sym)));
}

// Why relocation i of isec is not in the output, or NULL if it is.
static const char *not_applied(const InputSection *isec, uint64_t off) {
  if (!isec->is_alive || !isec->osec)
    return "its section is not in the output (a COMDAT copy another file kept, "
           "--gc-sections, or -S)";
  if (isec->aux->merged)
    return "its section's strings were merged into one copy";
  bool dropped = false;
  isec_output_offset(isec, off, &dropped);
  if (dropped)
    return "its .eh_frame record was dropped (it describes code not in the output)";
  return NULL;
}

// One relocation: what it is, where, its formula worked out, and the bytes.
// `scratch` is isec's input bytes, for showing a rewrite; they are put back.
static void explain_one(Ctx *ctx, FILE *fp, InputSection *isec, uint64_t i, const Symbol *via,
                        uint8_t *scratch) {
  const Elf64_Rela *rel = &isec->rels[i];
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  const Symbol *sym = isec->file->syms[ELF64_R_SYM(rel->r_info)];
  RelAction act = isec->actions ? (RelAction)isec->actions[i] : ACT_AS_IS;
  fprintf(fp, "%s: %s against '%s'", place(ctx, isec, rel->r_offset), reloc_name(ctx, type),
          sym == ctx->null_symbol ? "" : shown_name(ctx, symbol_label(sym)));
  if (via)
    fprintf(fp, " (for '%s', at %s)", shown_name(ctx, via->name),
            place(ctx, via->isec, symbol_offset(via)));
  fprintf(fp, "\n");
  const char *why = not_applied(isec, rel->r_offset);
  if (why) {
    fprintf(fp, "  not applied: %s\n", why);
    return;
  }

  uint64_t P = place_address(isec, rel->r_offset);
  RelocValue v;
  work_out_reloc(ctx, isec, i, P, &v);
  bool alloc = isec->sh_flags & SHF_ALLOC;
  uint64_t osec_off = isec_output_offset(isec, rel->r_offset, NULL);
  const char *p_place =
      alloc ? arena_printf(&ctx->arena, "the output's %s+0x%" PRIx64, isec->osec->name, osec_off)
            : arena_printf(&ctx->arena, "offset in %s (not loaded: no address)", isec->name);
  if (v.field)
    p_place = "the field's address, after the rewrite moved it";
  if (v.formula != F_NONE)
    print_formula(ctx, fp, &v, sym, p_place);
  else
    fprintf(fp, "  formula  none: nothing is stored here\n");

  // The bytes to show: the field, and whatever the rewrite changed around it.
  uint64_t lo = rel->r_offset + (uint64_t)v.field, hi = lo + v.width;
  if (act == ACT_SKIP) {
    hi = lo + reloc_howto(type).width;
  }
  const uint8_t *rewritten = NULL;
  uint64_t win_lo = rel->r_offset > 16 ? rel->r_offset - 16 : 0;
  uint64_t win_hi = isec->sh_size - rel->r_offset > 32 ? rel->r_offset + 32 : isec->sh_size;
  if (act != ACT_AS_IS && act != ACT_SKIP && act != ACT_TLS_GOT_TP && scratch) {
    rewrite_instruction(ctx, isec, i, scratch);
    for (uint64_t k = win_lo; k < win_hi; k++) {
      if (scratch[k] == isec->data.data[k])
        continue;
      if (lo == hi) {
        lo = k;
        hi = k + 1;
      }
      if (k < lo)
        lo = k;
      if (k + 1 > hi)
        hi = k + 1;
    }
    rewritten = scratch;
  }
  if (hi > lo && isec->sh_type != SHT_NOBITS)
    print_before_after(ctx, fp, isec, lo, hi, rewritten, place_address(isec, lo));
  if (rewritten)
    memcpy(scratch + win_lo, isec->data.data + win_lo, win_hi - win_lo);

  // What the output holds should be the value: say so if not.
  int64_t rlo, rhi;
  if (v.width && reloc_fits(v.value, v.width, v.check, &rlo, &rhi)) {
    uint64_t held = 0;
    for (uint8_t k = 0; k < v.width; k++) {
      const uint8_t *b = output_byte(ctx, isec, rel->r_offset + (uint64_t)v.field + k);
      if (!b)
        break;
      held |= (uint64_t)*b << (8 * k);
    }
    uint64_t want = v.width >= 8 ? v.value : v.value & (((uint64_t)1 << (8 * v.width)) - 1);
    if (held != want && output_byte(ctx, isec, rel->r_offset))
      fprintf(fp, "  note     the output holds 0x%" PRIx64 " here: another relocation wrote "
              "over it\n", held);
  }
  print_notes(ctx, fp, isec, i, &v);
}

// A query that found nothing: what there is to say about it.
static void explain_nothing(Ctx *ctx, FILE *fp, const Query *q, bool known) {
  if (!known) {
    fflush(fp);  // the warning comes after the answers to the queries before it
    if (q->section)
      warn("--explain-reloc: no input section '%s'%s%s in this link", q->section,
           q->file ? " in " : "", q->file ? q->file : "");
    else
      warn("--explain-reloc: no symbol '%s' in this link", q->arg);
    return;
  }
  if (q->section) {
    fprintf(fp, "--explain-reloc=%s: no relocation patches %s+0x%" PRIx64 "%s%s\n\n", q->arg,
            q->section, q->offset, q->file ? " in " : " in any input file",
            q->file ? q->file : "");
    return;
  }
  fprintf(fp, "--explain-reloc=%s: no relocation refers to '%s'", q->arg, q->arg);
  Symbol *sym = find_symbol(ctx, q->arg);
  if (sym && sym->state == SYM_DEFINED && sym->isec && sym->isec->is_alive && sym->isec->osec)
    fprintf(fp, " (defined at %s, address 0x%" PRIx64 ")", place(ctx, sym->isec, symbol_offset(sym)),
            symbol_address(sym));
  fprintf(fp, "\n\n");
}

void explain_relocs(Ctx *ctx) {
  FILE *fp = stdout;
  for (size_t k = 0; k < ctx->opt.explain_relocs.len; k++) {
    Query q = parse_query(ctx, ctx->opt.explain_relocs.data[k]);
    bool known = false;
    PtrVec matches = find_matches(ctx, &q, &known);
    if (!matches.len) {
      explain_nothing(ctx, fp, &q, known);
      continue;
    }
    fprintf(fp, "--explain-reloc=%s: %zu relocation%s\n\n", q.arg, matches.len,
            matches.len == 1 ? "" : "s");
    // One copy of a section's input bytes, made the first time a rewrite in it is
    // shown, and reused for its other relocations.
    InputSection *copied = NULL;
    uint8_t *scratch = NULL;
    for (size_t j = 0; j < matches.len; j++) {
      Match *m = matches.data[j];
      RelAction act = m->isec->actions ? (RelAction)m->isec->actions[m->i] : ACT_AS_IS;
      if (act != ACT_AS_IS && copied != m->isec && m->isec->data.size) {
        copied = m->isec;
        scratch = arena_alloc(&ctx->arena, m->isec->data.size);
        memcpy(scratch, m->isec->data.data, m->isec->data.size);
      }
      explain_one(ctx, fp, m->isec, m->i, m->via, copied == m->isec ? scratch : NULL);
      fprintf(fp, "\n");
    }
  }
  fflush(fp);
}
