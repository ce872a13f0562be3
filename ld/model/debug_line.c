/*
 * debug_line.c — the source line a place in an input section came from, for messages.
 *
 * An object compiled with -g says in .debug_line which file and line each instruction
 * came from. It says it as a program, not a table (DWARF 5 §6.2 "Line Number
 * Information"; DWARF 2, 3 and 4 the same with a simpler header). Each unit of the
 * section is a header (the sizes the opcodes use, a directory table, a file table)
 * and a program for a small machine whose registers are an address, a file and a
 * line. The program moves them forward and appends a row whenever an instruction
 * starts a new line; a row covers the addresses up to the next row's, and an
 * end_sequence row closes the last range:
 *
 *   DW_LNE_set_address  .text+0       address 0x0, line 1
 *   special opcode      line +1       row: .text+0x0 is line 2
 *   special opcode      addr +9 ...   row: .text+0x9 is line 3
 *   DW_LNE_end_sequence addr +6       .text+[0x9, 0xf) is line 3, and the end
 *
 * In a relocatable object nothing has an address yet. The operand of each
 * DW_LNE_set_address is 0 plus a relocation against .text (or, with
 * -ffunction-sections, against .text.foo: one sequence per section), and the names
 * of DWARF 5's tables (DW_FORM_line_strp) are offsets that relocations point into
 * .debug_line_str. So this reader applies the relocations itself: an address becomes
 * an input section and an offset in it, which is how the linker names a place
 * anyway, and a name is read where its relocation points. Without this every
 * sequence would start at 0 and every name would be the first one.
 *
 * The table of a file is read only when a message asks about one of its places
 * (undefined symbols), then kept: a link that succeeds never reads it. A unit with
 * anything we cannot read (a truncated header, a form we cannot skip, an opcode
 * running off the end) gives no rows at all, and the message falls back to the
 * place alone: the debug information is not what is being linked, so it is never an
 * error. Names are shown as the table gives them, as lld shows them: `main.c` when
 * the file is relative to the directory of compilation, `src/util.h` or
 * `/usr/include/stdio.h` when its directory entry says where it is (GNU ld and
 * addr2line prefix the directory of compilation too, which makes long lines).
 *
 * Part of the model: asks nobody. Reads InputFile.sections, .syms and .obj; fills
 * InputFile.lines.
 */
#include "../ld.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

// The DWARF numbers this reader uses (DWARF 5 §7.22 and §7.5.6; <elf.h> has none).
enum {
  DW_LNS_copy = 1,
  DW_LNS_advance_pc = 2,
  DW_LNS_advance_line = 3,
  DW_LNS_set_file = 4,
  DW_LNS_const_add_pc = 8,
  DW_LNS_fixed_advance_pc = 9,
  DW_LNE_end_sequence = 1,
  DW_LNE_set_address = 2,
  DW_LNCT_path = 1,
  DW_LNCT_directory_index = 2,
  DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04, DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06,
  DW_FORM_data8 = 0x07, DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a,
  DW_FORM_data1 = 0x0b, DW_FORM_sdata = 0x0d, DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f,
  DW_FORM_strx = 0x1a, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
  DW_FORM_line_strp = 0x1f, DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26,
  DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
};

// A file of a unit's file table, as messages show it: `dir/name`, or the name alone.
typedef struct {
  const char *dir;   // NULL: the name alone (absolute, or relative to the directory
                     // of compilation)
  const char *name;  // NULL: the table does not say (a form we cannot follow)
} LineFile;

// The bytes [lo, hi) of one input section came from one line of one file.
typedef struct {
  const InputSection *isec;
  uint64_t lo, hi;
  const LineFile *file;
  uint32_t line;
  size_t order;  // the order it was read in, so that sorting is stable
} LineRange;

struct LineTable {
  LineRange *ranges;  // sorted by section index, then lo
  size_t n;
};

// Reads inside [pos, end) of a view. A read that does not fit sets `bad` and returns
// 0 (or NULL); so does every read after it, so a caller may check once at the end.
typedef struct {
  View v;
  uint64_t pos, end;  // end <= v.size
  bool bad;
} Cursor;

static bool can_read(Cursor *c, uint64_t n) {
  if (c->bad || c->pos > c->end || n > c->end - c->pos)
    c->bad = true;
  return !c->bad;
}

static void skip(Cursor *c, uint64_t n) {
  if (can_read(c, n))
    c->pos += n;
}

// An n-byte little-endian number, n from 1 to 8.
static uint64_t read_fixed(Cursor *c, unsigned n) {
  if (!can_read(c, n))
    return 0;
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)c->v.data[c->pos + i] << (8 * i);
  c->pos += n;
  return v;
}

// LEB128 (DWARF 5 §7.6): 7 bits a byte, low first, the top bit set on all but the last.
// Bits past the 64th are dropped.
static uint64_t read_leb(Cursor *c, bool is_signed) {
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    if (!can_read(c, 1))
      return 0;
    byte = c->v.data[c->pos++];
    if (shift < 64)
      v |= (uint64_t)(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (is_signed && shift < 64 && (byte & 0x40))
    v |= ~UINT64_C(0) << shift;
  return v;
}

static const char *read_cstr(Cursor *c) {
  if (c->bad || c->pos > c->end)
    return c->bad = true, NULL;
  View upto = view_slice(c->v, 0, c->end);
  const char *s = view_cstr(upto, c->pos);
  if (!s)
    return c->bad = true, NULL;
  c->pos += strlen(s) + 1;
  return s;
}

// In a list of strings that ends with an empty one: reads the next, and says whether
// it is one of the list (false at the end, or if it runs off the cursor's end).
static bool has_next_string(Cursor *c) {
  const char *s = read_cstr(c);
  return s && *s;
}

typedef struct {
  Arena *arena;
  InputFile *file;
  View sec;                 // the .debug_line being read
  const Elf64_Rela *rels;   // its relocations, sorted by r_offset
  uint64_t nrels;
  LineRange *out;           // NULL while counting
  size_t n, cap;
} LineReader;

// The section of this file named `name`, or NULL.
static InputSection *file_section(InputFile *file, const char *name) {
  for (uint64_t i = 1; i < file->obj.shnum; i++)
    if (file->sections[i] && !strcmp(file->sections[i]->name, name))
      return file->sections[i];
  return NULL;
}

// Where the field at offset `off` of .debug_line points once relocated: the section
// of the relocation's symbol and the offset in it (symbol value plus addend). False
// if no relocation patches the field, or its symbol is not in a section of this file.
// The type is not checked: in a line table only absolute ones make sense.
static bool relocated(LineReader *r, uint64_t off, InputSection **isec, uint64_t *at) {
  uint64_t lo = 0, hi = r->nrels;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (r->rels[mid].r_offset < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == r->nrels || r->rels[lo].r_offset != off)
    return false;
  uint64_t symi = ELF64_R_SYM(r->rels[lo].r_info);
  Symbol *sym = symi < r->file->obj.nsyms ? r->file->syms[symi] : NULL;
  if (!sym || sym->state != SYM_DEFINED || !sym->isec || sym->isec->file != r->file)
    return false;
  *isec = sym->isec;
  *at = symbol_offset(sym) + (uint64_t)r->rels[lo].r_addend;
  return true;
}

// Reads one value of a DWARF 5 directory or file entry in `form`: a string form
// sets *str (NULL if it names a string we cannot find: strx needs .debug_info's
// DW_AT_str_offsets_base), a number form sets *num, the rest are skipped. A form we
// do not know the size of makes the cursor bad.
static void read_form(LineReader *r, Cursor *c, uint64_t form, unsigned offset_size,
                      const char **str, uint64_t *num) {
  *str = NULL;
  *num = 0;
  switch (form) {
  case DW_FORM_string: *str = read_cstr(c); break;
  case DW_FORM_line_strp: case DW_FORM_strp: {
    uint64_t field = c->pos, off = read_fixed(c, offset_size);
    InputSection *strs;
    if (!relocated(r, field, &strs, &off))
      strs = file_section(r->file, form == DW_FORM_strp ? ".debug_str" : ".debug_line_str");
    if (!c->bad && strs)
      *str = view_cstr(strs->data, off);
    break;
  }
  case DW_FORM_strp_sup: skip(c, offset_size); break;
  case DW_FORM_strx: case DW_FORM_sdata: read_leb(c, false); break;
  case DW_FORM_udata: *num = read_leb(c, false); break;
  case DW_FORM_data1: case DW_FORM_strx1: *num = read_fixed(c, 1); break;
  case DW_FORM_data2: case DW_FORM_strx2: *num = read_fixed(c, 2); break;
  case DW_FORM_strx3: skip(c, 3); break;
  case DW_FORM_data4: case DW_FORM_strx4: *num = read_fixed(c, 4); break;
  case DW_FORM_data8: *num = read_fixed(c, 8); break;
  case DW_FORM_data16: skip(c, 16); break;
  case DW_FORM_block: skip(c, read_leb(c, false)); break;
  case DW_FORM_block1: skip(c, read_fixed(c, 1)); break;
  case DW_FORM_block2: skip(c, read_fixed(c, 2)); break;
  case DW_FORM_block4: skip(c, read_fixed(c, 4)); break;
  default: c->bad = true;
  }
}

// A DWARF 5 directory or file table (§6.2.4, items 14-20): a count of (content type,
// form) pairs, the pairs, a count of entries, then each entry's values in the pairs'
// order. Fills paths[i] and dirs[i] (the directory index; 0 if none) from
// DW_LNCT_path and DW_LNCT_directory_index; returns the number of entries.
static uint64_t read_entry_table(LineReader *r, Cursor *c, unsigned offset_size,
                                 const char ***paths, uint64_t **dirs) {
  uint64_t nformats = read_fixed(c, 1);
  uint64_t formats_at = c->pos;
  for (uint64_t i = 0; i < 2 * nformats; i++)
    read_leb(c, false);
  uint64_t count = read_leb(c, false);
  // Each entry takes at least a byte, unless it has no values at all: the count
  // cannot be more than the bytes left. This also bounds what is allocated.
  if (c->bad || count > c->end - c->pos)
    return c->bad = true, 0;
  *paths = arena_array(r->arena, count ? count : 1, sizeof **paths);
  *dirs = arena_array(r->arena, count ? count : 1, sizeof **dirs);
  for (uint64_t e = 0; e < count && !c->bad; e++) {
    Cursor f = {c->v, formats_at, c->end, false};
    for (uint64_t i = 0; i < nformats && !c->bad; i++) {
      uint64_t type = read_leb(&f, false), form = read_leb(&f, false), num;
      const char *str;
      read_form(r, c, form, offset_size, &str, &num);
      if (type == DW_LNCT_path)
        (*paths)[e] = str;
      else if (type == DW_LNCT_directory_index)
        (*dirs)[e] = num;
    }
  }
  return count;
}

// What the program of a unit needs from its header.
typedef struct {
  uint16_t version;
  uint8_t min_inst_length;  // address advances are in these units
  int8_t line_base;         // special opcodes: line advances from line_base ...
  uint8_t line_range;       // ... to line_base + line_range - 1
  uint8_t opcode_base;      // the first special opcode
  const uint8_t *std_lengths;  // operands of standard opcode i: std_lengths[i - 1]
  LineFile *files;
  uint64_t nfiles;
} UnitHeader;

// Gives each file its directory, as messages show it: none when the name is
// absolute or relative to the directory of compilation (index 0, or an entry ".";
// DWARF 2-4 count the table's own entries from 1), else the table's entry. A file
// whose directory we cannot find loses its name: better no line than a wrong one.
static LineFile *make_files(LineReader *r, const UnitHeader *h, const char **paths,
                            const uint64_t *dir_of, uint64_t nfiles, const char **dirs,
                            uint64_t ndirs) {
  LineFile *files = arena_array(r->arena, nfiles ? nfiles : 1, sizeof *files);
  for (uint64_t i = 0; i < nfiles; i++) {
    files[i].name = paths[i];
    uint64_t d = dir_of[i];
    if (!paths[i] || paths[i][0] == '/' || d == 0)
      continue;
    if (h->version < 5)
      d--;
    if (d >= ndirs || !dirs[d])
      files[i].name = NULL;
    else if (strcmp(dirs[d], "."))  // clang's name for the directory of compilation
      files[i].dir = dirs[d];
  }
  return files;
}

// DWARF 2-4 tables (§6.2.4 of DWARF 4, items 11-12): include_directories, strings
// ending with an empty one; file_names, each a string and three LEB128 numbers
// (directory index, time, size), ending with an empty string.
static bool read_v4_tables(LineReader *r, Cursor *c, UnitHeader *h) {
  uint64_t ndirs = 0, nfiles = 0;
  Cursor count = *c;
  while (has_next_string(&count))
    ndirs++;
  while (has_next_string(&count)) {
    for (int i = 0; i < 3; i++)
      read_leb(&count, false);
    nfiles++;
  }
  if (count.bad)
    return false;
  const char **dirs = arena_array(r->arena, ndirs + 1, sizeof *dirs);
  const char **paths = arena_array(r->arena, nfiles + 1, sizeof *paths);
  uint64_t *dir_of = arena_array(r->arena, nfiles + 1, sizeof *dir_of);
  for (uint64_t i = 0; i < ndirs; i++)
    dirs[i] = read_cstr(c);
  read_cstr(c);
  for (uint64_t i = 0; i < nfiles; i++) {
    paths[i] = read_cstr(c);
    dir_of[i] = read_leb(c, false);
    read_leb(c, false);
    read_leb(c, false);
  }
  h->files = make_files(r, h, paths, dir_of, nfiles, dirs, ndirs);
  h->nfiles = nfiles;
  return !c->bad;
}

// Reads the header of a unit whose bytes after unit_length are [c->pos, c->end), in
// 32-bit or 64-bit DWARF (offset_size 4 or 8), and leaves c on its program.
static bool read_header(LineReader *r, Cursor *c, unsigned offset_size, UnitHeader *h) {
  *h = (UnitHeader){.version = (uint16_t)read_fixed(c, 2)};
  if (h->version < 2 || h->version > 5)
    return false;
  if (h->version >= 5) {
    read_fixed(c, 1);  // address_size: set_address says its own operand's size
    if (read_fixed(c, 1) != 0)  // segment_selector_size: x86-64 has no segments
      return false;
  }
  uint64_t header_length = read_fixed(c, offset_size);
  if (c->bad || header_length > c->end - c->pos)
    return false;
  uint64_t program = c->pos + header_length;
  Cursor hc = *c;  // the header's fields and tables, which end where the program starts
  hc.end = program;
  h->min_inst_length = (uint8_t)read_fixed(&hc, 1);
  // Several operations per instruction (VLIW) never happens on x86-64.
  if (h->version >= 4 && read_fixed(&hc, 1) > 1)
    return false;
  read_fixed(&hc, 1);  // default_is_stmt
  h->line_base = (int8_t)read_fixed(&hc, 1);
  h->line_range = (uint8_t)read_fixed(&hc, 1);
  h->opcode_base = (uint8_t)read_fixed(&hc, 1);
  if (hc.bad || h->line_range == 0 || h->opcode_base == 0)
    return false;
  h->std_lengths = hc.v.data + hc.pos;
  skip(&hc, h->opcode_base - 1);
  if (hc.bad)
    return false;
  if (h->version < 5) {
    if (!read_v4_tables(r, &hc, h))
      return false;
  } else {
    const char **dirs, **paths;
    uint64_t *unused, *dir_of;
    uint64_t ndirs = read_entry_table(r, &hc, offset_size, &dirs, &unused);
    uint64_t nfiles = read_entry_table(r, &hc, offset_size, &paths, &dir_of);
    if (hc.bad)
      return false;
    h->files = make_files(r, h, paths, dir_of, nfiles, dirs, ndirs);
    h->nfiles = nfiles;
  }
  c->pos = program;
  return true;
}

// The registers of the line machine (DWARF 5 §6.2.2) that a message needs. `isec` is
// where `address` is: set by the relocation of DW_LNE_set_address's operand.
typedef struct {
  InputSection *isec;
  uint64_t address;
  uint64_t file, line;
} Row;

// Row a covers the bytes up to row b: add that range, if a message could show it.
// Line 0 means "no line" (code the compiler made up).
static void add_range(LineReader *r, const UnitHeader *h, const Row *a, const Row *b) {
  if (!a->isec || a->isec != b->isec || b->address <= a->address || a->line == 0 ||
      a->line > UINT32_MAX)
    return;
  // DWARF 5 numbers the files from 0, DWARF 2-4 from 1 (0: none we can name).
  uint64_t i = h->version >= 5 ? a->file : a->file - 1;
  if (i >= h->nfiles || !h->files[i].name)
    return;
  if (r->out) {
    if (r->n >= r->cap)
      return;
    r->out[r->n] = (LineRange){a->isec, a->address, b->address, &h->files[i],
                               (uint32_t)a->line, r->n};
  }
  r->n++;
}

// Runs the program of a unit, [c->pos, c->end), adding a range from each row to the
// next in its sequence. False if it is malformed.
static bool run_program(LineReader *r, Cursor *c, const UnitHeader *h) {
  const Row start = {.file = 1, .line = 1};
  Row cur = start, prev = start;
  bool has_prev = false;
  while (c->pos < c->end) {
    uint8_t op = (uint8_t)read_fixed(c, 1);
    bool row = false, end = false;
    if (op >= h->opcode_base) {
      // A special opcode: advance address and line at once, then a row.
      uint8_t adjusted = op - h->opcode_base;
      cur.address += (uint64_t)h->min_inst_length * (adjusted / h->line_range);
      cur.line += (uint64_t)(int64_t)(h->line_base + adjusted % h->line_range);
      row = true;
    } else if (op == 0) {
      // An extended opcode: its length, its number, its operand.
      uint64_t len = read_leb(c, false);
      if (len == 0 || !can_read(c, len))
        return false;
      uint64_t next = c->pos + len;
      uint8_t sub = (uint8_t)read_fixed(c, 1);
      if (sub == DW_LNE_end_sequence) {
        row = end = true;
      } else if (sub == DW_LNE_set_address) {
        // In an object the operand is a relocation's addend; without one, it
        // is an address in no section we know.
        if (!relocated(r, c->pos, &cur.isec, &cur.address))
          cur.isec = NULL;
      }
      c->pos = next;  // define_file (DWARF 2-4) and vendor opcodes are skipped
    } else if (op == DW_LNS_copy) {
      row = true;
    } else if (op == DW_LNS_advance_pc) {
      cur.address += h->min_inst_length * read_leb(c, false);
    } else if (op == DW_LNS_advance_line) {
      cur.line += read_leb(c, true);
    } else if (op == DW_LNS_set_file) {
      cur.file = read_leb(c, false);
    } else if (op == DW_LNS_const_add_pc) {
      uint64_t advance = (uint64_t)(255 - h->opcode_base) / h->line_range;
      cur.address += h->min_inst_length * advance;
    } else if (op == DW_LNS_fixed_advance_pc) {
      cur.address += read_fixed(c, 2);
    } else {
      // The others (set_column, negate_stmt, ..., and opcodes newer than this
      // reader) change nothing a message shows; the header says how many LEB128
      // operands each has.
      for (uint8_t i = 0; i < h->std_lengths[op - 1]; i++)
        read_leb(c, false);
    }
    if (c->bad)
      return false;
    if (row) {
      if (has_prev)
        add_range(r, h, &prev, &cur);
      prev = cur;
      has_prev = !end;
      if (end)
        cur = start;
    }
  }
  return true;
}

// Every unit of the .debug_line in r->sec, one after another. A unit that cannot be
// read adds nothing; one whose length runs past the section ends the reading.
static void read_units(LineReader *r) {
  uint64_t pos = 0;
  while (pos < r->sec.size) {
    Cursor c = {r->sec, pos, r->sec.size, false};
    uint64_t length = read_fixed(&c, 4);
    unsigned offset_size = 4;
    if (length == 0xffffffff) {  // 64-bit DWARF (§7.4)
      length = read_fixed(&c, 8);
      offset_size = 8;
    } else if (length >= 0xfffffff0) {  // reserved
      return;
    }
    if (c.bad || length > c.end - c.pos)
      return;
    c.end = c.pos + length;
    pos = c.end;
    size_t first = r->n;
    UnitHeader h;
    if (!read_header(r, &c, offset_size, &h) || !run_program(r, &c, &h))
      r->n = first;
  }
}

static int by_offset(const void *a, const void *b) {
  uint64_t x = ((const Elf64_Rela *)a)->r_offset, y = ((const Elf64_Rela *)b)->r_offset;
  return (x > y) - (x < y);
}

// Reads every .debug_line section of the file (usually one; one per COMDAT group
// when a compiler puts a group's lines with it).
static void read_sections(LineReader *r) {
  InputFile *file = r->file;
  for (uint64_t i = 1; i < file->obj.shnum; i++) {
    InputSection *isec = file->sections[i];
    if (!isec || strcmp(isec->name, ".debug_line"))
      continue;
    r->sec = isec->data;
    r->rels = isec->rels;
    r->nrels = isec->nrels;
    // Assemblers write relocations in offset order; a table that is not gets a
    // sorted copy, so that each lookup is a binary search.
    for (uint64_t k = 1; k < r->nrels; k++)
      if (r->rels[k].r_offset < r->rels[k - 1].r_offset) {
        Elf64_Rela *sorted = arena_array(r->arena, r->nrels, sizeof *sorted);
        memcpy(sorted, r->rels, r->nrels * sizeof *sorted);
        qsort(sorted, r->nrels, sizeof *sorted, by_offset);
        r->rels = sorted;
        break;
      }
    read_units(r);
  }
}

static int by_place(const void *a, const void *b) {
  const LineRange *x = a, *y = b;
  if (x->isec->shndx != y->isec->shndx)
    return x->isec->shndx < y->isec->shndx ? -1 : 1;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

// Reads the file's line table: counts the ranges, then reads again to fill them in.
static LineTable *read_line_table(Ctx *ctx, InputFile *file) {
  LineTable *t = arena_alloc(&ctx->arena, sizeof *t);
  LineReader r = {.arena = &ctx->arena, .file = file};
  read_sections(&r);
  if (r.n == 0)
    return t;
  r.cap = r.n;
  r.out = arena_array(&ctx->arena, r.cap, sizeof *r.out);
  r.n = 0;
  read_sections(&r);
  t->ranges = r.out;
  t->n = r.n;
  qsort(t->ranges, t->n, sizeof *t->ranges, by_place);
  return t;
}

const char *source_line(Ctx *ctx, const InputSection *isec, uint64_t off) {
  InputFile *file = isec->file;
  if (!file || !file->sections)
    return NULL;
  if (!file->lines)
    file->lines = read_line_table(ctx, file);
  const LineTable *t = file->lines;
  // The last range that starts at or before the place.
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const LineRange *m = &t->ranges[mid];
    if (m->isec->shndx < isec->shndx || (m->isec->shndx == isec->shndx && m->lo <= off))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0)
    return NULL;
  const LineRange *range = &t->ranges[lo - 1];
  if (range->isec != isec || off >= range->hi)
    return NULL;
  const LineFile *f = range->file;
  size_t dirlen = f->dir ? strlen(f->dir) : 0;
  const char *slash = dirlen && f->dir[dirlen - 1] != '/' ? "/" : "";
  return arena_printf(&ctx->arena, "%s%s%s:%" PRIu32, f->dir ? f->dir : "", slash, f->name,
                      range->line);
}
