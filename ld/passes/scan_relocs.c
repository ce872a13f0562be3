/*
 * scan_relocs.c — decide, once, what every relocation needs.
 *
 * Some relocations need more than a symbol's address: GOTPCREL loads a pointer from
 * a GOT slot, so the slot must exist, which changes the size of .got, which changes
 * the layout. So every relocation is looked at once, before layout, and the
 * decision is written down:
 *
 *   per relocation   InputSection.actions: apply as is, rewrite the GOT load into a
 *                    direct reference (arch_x86_64.c shows the rewrites), rewrite a
 *                    TLS sequence to local exec, or skip (the __tls_get_addr call a
 *                    rewritten sequence swallowed). apply_relocs obeys it.
 *   per file         InputFile.need_got/need_gottp/need_iplt: the symbols that need a
 *                    GOT slot, a TLS GOT slot or an IFUNC stub, in the order this
 *                    file first needs them; need_dyn: the places a static PIE must
 *                    move at start-up; uses_got.
 *
 * A file's scan writes only to that file and its own sections, never to a Symbol,
 * so files can be scanned in any order, or at once; assign_slots then numbers the
 * slots in file order, which keeps the output the same whatever the order was.
 *
 * This pass also rejects relocation types we do not know and offsets that would
 * patch past the end of their section, so that apply_relocs can trust every
 * relocation it sees.
 *
 * Reads ctx->files; fills ctx->image_fits_32 and the fields above.
 */
#include "../ld.h"

// Which needs a file has already listed a symbol for, by the file's symbol index.
enum {
  NEED_GOT = 1, NEED_GOTTP = 2, NEED_IPLT = 4, NEED_PLT = 8, NEED_CANONICAL = 16,
  NEED_COPY = 32, NEED_TLSGD = 64, NEED_TLSDESC = 128,
};

typedef struct {
  Ctx *ctx;
  InputFile *file;
  uint8_t *listed;  // NEED_* per symbol index of the file
  const InputSection *textrel;  // the last section found to need a text relocation
} Scan;

// Lists sym (the file's symbol number `idx`) once in `list` for `need`.
static void need(Scan *s, uint64_t idx, uint8_t need, PtrVec *list) {
  if (s->listed[idx] & need)
    return;
  s->listed[idx] |= need;
  vec_push(&s->ctx->arena, list, s->file->syms[idx]);
}

static void set_action(Ctx *ctx, InputSection *isec, uint64_t i, RelAction act) {
  if (!isec->actions)
    isec->actions = arena_alloc(&ctx->arena, isec->nrels);
  isec->actions[i] = (uint8_t)act;
}

// How a GOT load through sym may be rewritten, if at all.
static RelAction got_relax(Ctx *ctx, const InputSection *isec, const Elf64_Rela *rel,
                           const Symbol *sym) {
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  // The rewrites assume the field is the last 4 bytes of the instruction (A = -4)
  // and that the symbol's address is a link-time constant inside the image; an
  // undefined weak symbol (address 0) or an absolute one keeps its GOT slot. The
  // rewritten instruction must also reach the symbol with 32 bits, which holds
  // when the whole image lies below 2 GiB (see image_fits_32).
  if (!reloc_howto(type).relaxable || rel->r_addend != -4 || !is_image_relative(sym) ||
      !ctx->image_fits_32)
    return ACT_AS_IS;
  RelAction form = got_relax_form(isec->data, rel->r_offset, type);
  // An immediate operand holds an absolute address, which a PIE does not know at
  // link time; the PC-relative forms are fine.
  if (is_pic(ctx) && (form == ACT_GOT_TO_TEST || form == ACT_GOT_TO_BINOP))
    return ACT_AS_IS;
  return form;
}

// Will the place be writable when the program starts? Constructor tables always
// are (output_sections.c makes them so, as GNU ld does), even from an object that
// forgot SHF_WRITE.
static bool is_writable(const InputSection *isec) {
  static const char *const tables[] = {".init_array", ".fini_array", ".preinit_array",
                                       ".ctors", ".dtors", NULL};
  if (isec->sh_flags & SHF_WRITE)
    return true;
  for (int i = 0; tables[i]; i++)
    if (has_section_prefix(isec->name, tables[i]))
      return true;
  return false;
}

// A place in a read-only section that the dynamic linker must write: a "text
// relocation". glibc's dynamic linker can do it: DT_TEXTREL asks it to make the
// segment writable while it relocates, then protect it again. GNU ld allows it with
// a warning unless -z text; it costs the sharing of those pages between processes
// and leaves code writable for a while, so the objects should be compiled with
// -fPIE or -fPIC. Without a dynamic linker (static PIE) nobody could write the
// place, so it is an error there. Returns whether the relocation may stay.
static bool allow_textrel(Scan *s, InputSection *isec, const Elf64_Rela *rel, const Symbol *sym) {
  Ctx *ctx = s->ctx;
  RelocHowto h = reloc_howto(ELF64_R_TYPE(rel->r_info));
  const char *flag = ctx->opt.shared ? "-fPIC" : "-fPIE";
  if (!ctx->dynamic || ctx->opt.z_text) {
    error("%s: relocation %s against '%s' in read-only section '%s' cannot be moved at "
          "start-up; recompile with %s",
          place(ctx, isec, rel->r_offset), h.name, symbol_label(sym), isec->name, flag);
    return false;
  }
  if (s->textrel != isec)  // once per section is enough to find the culprit
    warn("%s: relocation %s against '%s' in read-only section '%s'; recompile with %s",
         place(ctx, isec, rel->r_offset), h.name, symbol_label(sym), isec->name, flag);
  s->textrel = isec;
  return true;
}

// A PIE or a shared library: an absolute address stored in the image must be moved
// at start-up by an R_X86_64_RELATIVE entry. A 32-bit field cannot hold base + S +
// A, which is an error that asks for objects compiled with -fPIE, as GNU ld does; a
// place in a read-only section is a text relocation (see allow_textrel).
static void need_relative(Scan *s, InputSection *isec, const Elf64_Rela *rel, Symbol *sym) {
  RelocHowto h = reloc_howto(ELF64_R_TYPE(rel->r_info));
  const char *what = s->ctx->opt.shared ? "a shared library" : "a position-independent executable";
  const char *flag = s->ctx->opt.shared ? "-fPIC" : "-fPIE";
  if (h.width != 8) {
    error("%s: relocation %s against '%s' cannot be used in %s; recompile with %s",
          place(s->ctx, isec, rel->r_offset), h.name, symbol_label(sym), what, flag);
    return;
  }
  if (!is_writable(isec) && !allow_textrel(s, isec, rel, sym))
    return;
  DynReloc *d = arena_alloc(&s->ctx->arena, sizeof *d);
  *d = (DynReloc){DYN_RELATIVE, isec, rel->r_offset, sym, rel->r_addend};
  vec_push(&s->ctx->arena, &s->file->need_dyn, d);
}

static bool is_tls_expr(RelExpr e) {
  return e == RX_TPOFF || e == RX_DTPOFF || e == RX_GOTTPOFF || e == RX_TLSGD || e == RX_TLSLD ||
         e == RX_TLSDESC || e == RX_TLSDESC_CALL;
}

static bool is_function(const Symbol *sym) {
  return sym->type == STT_FUNC || sym->type == STT_GNU_IFUNC;
}

// A reference to a symbol a shared library defines: its address is known only at
// run time, so the program reaches it through something the dynamic linker fills:
//
//   a GOT load           a GOT slot, R_X86_64_GLOB_DAT
//   a call               a PLT entry, lazily bound (R_X86_64_JUMP_SLOT)
//   a function's address taken in code (lea, mov $f) or read-only data: the PLT
//                        entry becomes the function's address everywhere
//                        ("canonical"), and .dynsym says so
//   a variable used directly (non-PIC code, or -fPIE with copy relocations): a copy
//                        of it in the executable's .bss, R_X86_64_COPY; the library
//                        then uses the copy too
//   a pointer to it in writable data: R_X86_64_64 against it
// A variable used directly: a copy in the executable, unless its library keeps it
// protected, binding its own references to its own copy; then the program and the
// library would each see another variable, so it is an error, as in GNU ld.
static void need_copy(Scan *s, uint64_t idx) {
  Symbol *sym = s->file->syms[idx];
  if (sym->aux->shared_protected)
    error("%s: copy relocation against non-copyable protected symbol '%s' in %s; "
          "recompile with -fPIC", s->file->name, sym->name, sym->file->name);
  else
    need(s, idx, NEED_COPY, &s->file->need_copy);
}

static void scan_imported(Scan *s, InputSection *isec, uint64_t i, uint64_t idx) {
  Ctx *ctx = s->ctx;
  InputFile *file = s->file;
  const Elf64_Rela *rel = &isec->rels[i];
  uint32_t type = ELF64_R_TYPE(rel->r_info);
  RelocHowto h = reloc_howto(type);
  Symbol *sym = file->syms[idx];
  bool alloc = isec->sh_flags & SHF_ALLOC;
  switch (h.expr) {
  case RX_GOTPCREL:
  case RX_GOT:
    file->uses_got = true;
    need(s, idx, NEED_GOT, &file->need_got);
    return;
  case RX_PC:
    if (!alloc)
      return;
    if (is_function(sym) || sym->type == STT_NOTYPE) {
      bool branch = is_plt_reloc(type) || is_branch_field(isec->data, rel->r_offset);
      if (ctx->opt.shared && !branch)
        break;  // a shared library cannot give a function a fixed address
      need(s, idx, NEED_PLT, &file->need_plt);
      if (!branch)
        need(s, idx, NEED_CANONICAL, &file->need_canonical);
      return;
    }
    if (ctx->opt.shared)
      break;  // nor copy a variable into itself
    need_copy(s, idx);
    return;
  case RX_ABS:
    if (!alloc)
      return;
    // In a PIE or a shared library, a pointer in code (a text relocation) is
    // filled the same way, if allowed; an executable that is not PIC does better
    // with a canonical PLT entry or a copy, below.
    if (h.width == 8 && (is_writable(isec) || is_pic(ctx))) {
      if (!is_writable(isec) && !allow_textrel(s, isec, rel, sym))
        return;
      DynReloc *d = arena_alloc(&ctx->arena, sizeof *d);
      *d = (DynReloc){DYN_ABS64, isec, rel->r_offset, sym, rel->r_addend};
      vec_push(&ctx->arena, &file->need_dyn, d);
      return;
    }
    if (is_pic(ctx))
      break;
    if (is_function(sym)) {
      need(s, idx, NEED_PLT, &file->need_plt);
      need(s, idx, NEED_CANONICAL, &file->need_canonical);
    } else {
      need_copy(s, idx);
    }
    return;
  case RX_GOTOFF:
    // The large code model calls through the PLT entry's offset from the GOT
    // (R_X86_64_PLTOFF64): S is the entry.
    file->uses_got = true;
    if (is_function(sym) || sym->type == STT_NOTYPE) {
      need(s, idx, NEED_PLT, &file->need_plt);
      return;
    }
    break;
  case RX_SIZE:
  case RX_NONE:
    return;
  default:
    break;
  }
  // What is left needs the symbol's address at link time.
  if (sym->state == SYM_SHARED)
    error("%s: relocation %s cannot refer to '%s', which %s defines; recompile with %s",
          place(ctx, isec, rel->r_offset), h.name, sym->name, sym->file->name,
          ctx->opt.shared ? "-fPIC" : "-fPIE");
  else
    error("%s: relocation %s against '%s' cannot be used when making a shared library; "
          "recompile with -fPIC",
          place(ctx, isec, rel->r_offset), h.name, sym->name);
}

// Thread-local variables in a shared library we make. Its TLS block is not at a
// fixed offset from the thread pointer (the library may be loaded by dlopen long
// after the program started), so nothing is rewritten: the code asks at run time,
// through GOT slots the dynamic linker fills.
//
//   general dynamic   a (module, offset) pair for __tls_get_addr: DTPMOD64, DTPOFF64
//   local dynamic     the library's own (module, 0) pair, then offsets in the block
//   TLS descriptor    a descriptor (resolver, argument): R_X86_64_TLSDESC
//   initial exec      the offset from the thread pointer: TPOFF64 (the library then
//                     needs static TLS space, as with GNU ld)
//   local exec        impossible: refused
static void scan_shared_tls(Scan *s, InputSection *isec, uint64_t i, uint64_t idx) {
  Ctx *ctx = s->ctx;
  InputFile *file = s->file;
  const Elf64_Rela *rel = &isec->rels[i];
  RelocHowto h = reloc_howto(ELF64_R_TYPE(rel->r_info));
  switch (h.expr) {
  case RX_TLSGD:
    file->uses_got = true;
    need(s, idx, NEED_TLSGD, &file->need_tlsgd);
    return;
  case RX_TLSLD:
    file->uses_got = true;
    file->uses_tlsld = true;
    return;
  case RX_TLSDESC:
    file->uses_got = true;
    need(s, idx, NEED_TLSDESC, &file->need_tlsdesc);
    return;
  case RX_GOTTPOFF:
    set_action(ctx, isec, i, ACT_TLS_GOT_TP);
    file->uses_got = true;
    need(s, idx, NEED_GOTTP, &file->need_gottp);
    return;
  case RX_TLSDESC_CALL:
  case RX_DTPOFF:
    return;
  default:
    error("%s: relocation %s (local exec) cannot be used in a shared library; recompile "
          "with -fPIC",
          place(ctx, isec, rel->r_offset), h.name);
    return;
  }
}

static void scan_section(Scan *s, InputSection *isec) {
  Ctx *ctx = s->ctx;
  InputFile *file = s->file;
  for (uint64_t i = 0; i < isec->nrels; i++) {
    const Elf64_Rela *rel = &isec->rels[i];
    uint32_t type = ELF64_R_TYPE(rel->r_info);
    RelocHowto h = reloc_howto(type);
    if (!h.name) {
      error("%s: unknown relocation type %u", place(ctx, isec, rel->r_offset), type);
      continue;
    }
    if (!h.supported) {
      error("%s: unsupported relocation %s", place(ctx, isec, rel->r_offset), h.name);
      continue;
    }
    if (h.width > isec->sh_size || rel->r_offset > isec->sh_size - h.width) {
      error("%s: relocation %s patches past the end of the section (size 0x%llx)",
            place(ctx, isec, rel->r_offset), h.name, (unsigned long long)isec->sh_size);
      continue;
    }
    uint64_t idx = ELF64_R_SYM(rel->r_info);
    Symbol *sym = file->syms[idx];
    uint64_t field;
    if (ctx->opt.shared && is_tls_expr(h.expr) && (isec->sh_flags & SHF_ALLOC)) {
      scan_shared_tls(s, isec, i, idx);
      continue;
    }
    switch (h.expr) {
    case RX_TLSGD:
    case RX_TLSLD:
    case RX_TLSDESC:
    case RX_TLSDESC_CALL:
      if (is_imported(sym)) {
        // A library's variable: initial exec, through a GOT slot.
        if (!relax_tls_to_ie(isec->data, NULL, rel->r_offset, type, &field)) {
          error("%s: %s against '%s' (a thread-local variable of %s) is not in a "
                "recognised TLS code sequence",
                place(ctx, isec, rel->r_offset), h.name, sym->name, sym->file->name);
          continue;
        }
        set_action(ctx, isec, i, ACT_TLS_TO_IE);
        if (h.expr != RX_TLSDESC_CALL) {
          file->uses_got = true;
          need(s, idx, NEED_GOTTP, &file->need_gottp);
        }
        if (h.expr == RX_TLSGD && i + 1 < isec->nrels &&
            is_tls_get_addr_call(rel, &isec->rels[i + 1]))
          set_action(ctx, isec, ++i, ACT_SKIP);  // the __tls_get_addr call is gone
        continue;
      }
      // In an executable the program's own variables are at fixed offsets from the
      // thread pointer: these sequences become local exec.
      if (!relax_tls(isec->data, NULL, rel->r_offset, type, &field))
        error("%s: %s is not in a recognised TLS code sequence",
              place(ctx, isec, rel->r_offset), h.name);
      set_action(ctx, isec, i, ACT_TLS_TO_LE);
      if ((h.expr == RX_TLSGD || h.expr == RX_TLSLD) && i + 1 < isec->nrels &&
          is_tls_get_addr_call(rel, &isec->rels[i + 1]))
        set_action(ctx, isec, ++i, ACT_SKIP);  // the __tls_get_addr call is gone
      continue;
    case RX_GOTTPOFF:
      // Initial exec: the offset of a library's variable is known at run time, so
      // the GOT slot stays and R_X86_64_TPOFF64 fills it; the program's own
      // variables become local exec.
      if (!is_imported(sym) && relax_tls(isec->data, NULL, rel->r_offset, type, &field)) {
        set_action(ctx, isec, i, ACT_TLS_TO_LE);
      } else {
        set_action(ctx, isec, i, ACT_TLS_GOT_TP);
        file->uses_got = true;
        need(s, idx, NEED_GOTTP, &file->need_gottp);
      }
      continue;
    default:
      break;
    }
    if (is_imported(sym)) {
      scan_imported(s, isec, i, idx);
      continue;
    }
    // Every reference to an IFUNC goes through its stub, so that the function has
    // one address everywhere: in code, in data, and compared by pointer.
    if (sym->type == STT_GNU_IFUNC && sym->state == SYM_DEFINED)
      need(s, idx, NEED_IPLT, &file->need_iplt);
    RelAction act;
    switch (h.expr) {
    case RX_GOTPCREL:
      act = got_relax(ctx, isec, rel, sym);
      if (act != ACT_AS_IS) {
        set_action(ctx, isec, i, act);
        break;
      }
      // fall through
    case RX_GOT:
      file->uses_got = true;
      need(s, idx, NEED_GOT, &file->need_got);
      break;
    case RX_GOTPC:
    case RX_GOTOFF:
      file->uses_got = true;
      break;
    case RX_ABS:
      if (is_pic(ctx) && (isec->sh_flags & SHF_ALLOC) && is_image_relative(sym))
        need_relative(s, isec, rel, sym);
      break;
    default:
      break;
    }
  }
}

// Relaxation is decided before layout, so it cannot look at final addresses. It can
// bound them: the image is at most the sum of everything that will be allocated,
// each piece with its worst-case alignment padding, plus a page per segment. If
// that ends below 2 GiB, every address fits a sign-extended 32-bit immediate and
// every displacement inside the image fits 32 bits. A section --section-start moves
// carries what follows it along, so the bound starts from the highest such address.
static bool image_fits_32(Ctx *ctx) {
  uint64_t from = ctx->opt.image_base;
  for (size_t i = 0; i < ctx->opt.section_starts.len; i++) {
    const SectionStart *ss = ctx->opt.section_starts.data[i];
    if (ss->addr > from)
      from = ss->addr;
  }
  if (from >= 0x7fff0000)
    return false;
  uint64_t total = from + 8 * ctx->opt.page_size;
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++) {
      InputSection *isec = file->sections[s];
      if (isec && isec->is_alive && (isec->sh_flags & SHF_ALLOC))
        total += isec->sh_size + isec->sh_addralign;
    }
  }
  for (size_t i = 0; i < ctx->common_sections.len; i++) {
    InputSection *isec = ctx->common_sections.data[i];
    total += isec->sh_size + isec->sh_addralign;
  }
  // GOT slots, IFUNC stubs and tables, build-id and .eh_frame_hdr are small, but
  // count them generously: a few entries per relocation at most.
  for (size_t f = 0; f < ctx->files.len; f++) {
    InputFile *file = ctx->files.data[f];
    for (uint64_t s = 1; s < file->obj.shnum; s++)
      if (file->sections[s])
        total += 64 * file->sections[s]->nrels;
  }
  return total < 0x7fff0000;
}

// Files are scanned in parallel: a scan writes only to its own file (its need
// lists, its sections' actions), so the lists are the same whatever the threads.
typedef struct {
  Ctx *ctx;
  bool *textrel;  // per file: a section of it needs a text relocation
} ScanTasks;

static void scan_file(void *arg, size_t f) {
  ScanTasks *t = arg;
  Ctx *ctx = t->ctx;
  InputFile *file = ctx->files.data[f];
  Scan s = {ctx, file, arena_alloc(&ctx->arena, file->obj.nsyms ? file->obj.nsyms : 1), NULL};
  for (uint64_t i = 1; i < file->obj.shnum; i++) {
    InputSection *isec = file->sections[i];
    if (isec && isec->is_alive && isec->nrels)
      scan_section(&s, isec);
  }
  t->textrel[f] = s.textrel != NULL;
}

void scan_relocs(Ctx *ctx) {
  ctx->image_fits_32 = image_fits_32(ctx);
  ScanTasks t = {ctx, arena_array(&ctx->arena, ctx->files.len + 1, sizeof(bool))};
  parallel_for(ctx->files.len, scan_file, &t);
  // The relocations are read again only when they are applied: meanwhile, their
  // pages need not stay in memory (mapped_file.c).
  release_mapped_pages();
  for (size_t f = 0; f < ctx->files.len; f++)
    if (t.textrel[f])
      ctx->textrel = true;
  if (ctx->textrel)
    warn("creating DT_TEXTREL in a %s", ctx->opt.shared ? "shared object" : "PIE");
}
