/*
 * ld.h — the map of mini-ld.
 *
 * mini-ld is a pipeline of passes over one context (Ctx). Its files have one of
 * four roles, and the folders show which:
 *
 *   ld/main.c           the table of contents: calls the passes in order
 *   ld/passes/          one file per pass (or sub-step of a pass), named after what it does
 *   ld/model/           what every pass may ask: the symbol table and where a symbol
 *                       is (symbols.c); input and output sections, their constructors
 *                       and addresses (sections.c); string tables (string_table.c);
 *                       C++ and Rust names as people write them (demangle.c,
 *                       demangle_rust.c); the source line a place came from
 *                       (debug_line.c).
 *                       The model calls no pass.
 *   ld/synthetic/       the sections the linker makes itself (.got, .plt, .dynamic,
 *                       .dynsym, .gnu.hash, .gnu.version*, .eh_frame_hdr, the build
 *                       ID, ...): one small file each, all registered in one table
 *                       (SYNTHETIC_SECTIONS below)
 *   ld/arch_x86_64.c    the only file that knows x86-64 relocation numbers and code
 *
 * Calls go down, never sideways or up: main → passes → synthetic → model → arch.
 * A pass calls the model, the synthetic-section table and the arch file, and the
 * sub-steps it owns (parse_args owns version_script, builtin_script and, for
 * --defsym, script_lexer; read_inputs owns read_object, linker_script (which owns
 * script_sections, script_statements, script_regions and script_lexer, and reads
 * builtin_script's text for INSERT), lto and resolve_symbols; layout owns output_sections,
 * merge_strings, split_eh_frame and script_layout (which owns script_order and
 * script_segments); write_output owns apply_relocs, explain_relocs and
 * write_symtab); never another pass's helpers (explain_relocs asks apply_relocs
 * to work each relocation out, so that it shows what was done).
 * tests/deps.sh checks this.
 *
 * Passes talk to each other only through Ctx. A pass records errors and goes on;
 * main() calls checkpoint() after it, which stops the link if anything went wrong.
 * The banners below follow the same order: model, passes in pipeline order, the
 * synthetic sections, the arch file, then Ctx, whose fields are grouped by the pass
 * that fills them.
 */
#ifndef MINI_LD_H
#define MINI_LD_H

#include "../common/common.h"
#include <string.h>

#define MINI_LD_VERSION "0.1.0"

typedef struct Ctx Ctx;
typedef struct InputFile InputFile;
typedef struct InputSection InputSection;
typedef struct InputRule InputRule;
typedef struct IrFile IrFile;
typedef struct LineTable LineTable;
typedef struct OutputSection OutputSection;
typedef struct Segment Segment;
typedef struct Symbol Symbol;

//
// model/symbols.c — the symbol table, and where each symbol ends up
//
// Local symbols belong to one file; global symbols are shared through ctx->symtab,
// so every file that names `foo` points at the same Symbol. A Symbol says where its
// definition is (a section and an offset in it, or an absolute value), or that it is
// still undefined, and which slots the linker gave it.

typedef enum {
  SYM_UNDEF,    // referenced, not (yet) defined
  SYM_DEFINED,  // defined in a section of a loaded object, or absolute (isec == NULL)
  SYM_COMMON,   // a tentative definition: becomes .bss space unless a real one turns up
  SYM_LINKER,   // defined by the linker (_end, __bss_start, ...): osec + value
  SYM_SHARED,   // defined in a shared library (file): its address is known at run time
} SymState;

// What only some symbols need: their slots in the GOT and the PLT, their versions,
// the facts of dynamic linking. A static link gives almost no symbol one of these:
// every Symbol starts out pointing at one shared, read-only record of the defaults
// (no slots, no version), and symbol_aux() gives it a record of its own the first
// time a pass writes one. (A big link has millions of Symbols: keeping these
// fields out of Symbol halves its size.)
typedef struct SymbolAux {
  const char *version;    // SYM_SHARED: the version of its definition ("GLIBC_2.2.5"),
                          // or NULL for an unversioned one
  OutputSection *osec;    // linker symbols: the output section the value is relative to
  uint64_t common_align;  // SYM_COMMON: the strictest alignment seen
  InputSection *iplt;     // STT_GNU_IFUNC: the .iplt section its stub is in (iplt_index)
  InputSection *plt;      // SYM_SHARED function: the .plt its entry is in (plt_index)
  const char *def_version;  // -shared: the version this definition is exported with
                            // (version script node, or .symver), or NULL; "" for
                            // the base version (`foo@@`): exported unversioned
  const char *export_name;  // the name in .dynsym, if not `name` (foo for foo@VER)
  const char *demangled;    // as C++ writes it, for extern "C++" patterns (or the
                            // name itself); NULL until first asked
  uint64_t shared_value;  // copied: its address in its library (aliases share a copy)
  // Slots, numbered by assign_slots (scan_relocs only records the need):
  int32_t got_index;      // slot in .got holding the address, or -1
  int32_t gottp_index;    // slot in .got holding the TP offset (initial exec), or -1
  int32_t tlsgd_index;    // -shared: first of the two .got slots (module, offset) that
                          // __tls_get_addr takes (general dynamic), or -1
  int32_t tlsdesc_index;  // -shared: first of the two .got slots of its TLS descriptor, or -1
  int32_t iplt_index;     // STT_GNU_IFUNC: its stub in .iplt, or -1
  int32_t plt_index;      // SYM_SHARED function: its entry in .plt (after PLT0), or -1
  uint32_t dynsym_index;  // in .dynsym, or 0
  uint16_t ver_index;     // .gnu.version of its .dynsym entry
  bool shared_protected;  // SYM_SHARED: protected in its library, which uses its own
                          // copy: a copy relocation would split it in two
  bool shared_readonly;   // SYM_SHARED: defined in a read-only section of its library
  bool def_version_hidden;  // def_version is a non-default one: `foo@VER` (.symver)
  bool symver;              // ... given by .symver in the object
  bool shadowed_by_symver;  // ... given VER by the script, while the object defines
                            // foo@VER too: not exported (GNU ld keeps that one)
} SymbolAux;

struct Symbol {
  // (Pointers first, then narrower fields, so that no padding is wasted: a big link
  // has a million Symbols.)
  const char *name;
  InputFile *file;        // the file defining it (or first referencing it, if undefined);
                          // SYM_SHARED: the shared library
  InputSection *isec;     // its section; NULL for absolute and linker symbols
  const SymbolAux *aux;   // never NULL: the shared defaults until symbol_aux()
  uint64_t value;         // offset in isec (or aux->osec), or the absolute value
  uint64_t size;
  uint32_t symtab_index;  // its index in the output's .symtab (write_symtab.c), or 0
  uint8_t state;          // SymState
  uint8_t binding;        // STB_LOCAL, STB_GLOBAL, STB_WEAK (of the winning definition)
  uint8_t type;           // STT_*
  uint8_t visibility;     // STV_*
  // Flags, one bit each (64 bytes a Symbol, not 72). Bits of one byte cannot be
  // written from two threads at once: only sequential passes set them, or the
  // thread that makes the symbol, before anyone else sees it.
  bool is_global : 1;     // lives in ctx->symtab
  bool listed : 1;        // ... and in ctx->globals (list_symbol)
  bool strong_ref : 1;    // some loaded object refers to it with a non-weak reference
  bool traced : 1;        // named by -y: report each definition and reference
  bool defsym : 1;        // defined by --defsym: input definitions do not replace it
  bool script : 1;        // SYM_LINKER: assigned by a linker script (or PROVIDEd by
                          // one): its value is the script's, not a built-in one
  bool script_ref : 1;    // a linker script or --defsym expression refers to it
  bool shared_ref : 1;    // a shared library refers to it: if we define it, export it
  bool object_ref : 1;    // an object refers to it (weakly or not)
  bool canonical_plt : 1; // SYM_SHARED function whose address, everywhere, is its PLT
                          // entry (an executable that is not PIC takes the address of
                          // a library's function)
  bool preemptible : 1;   // -shared: a definition another module may replace at run
                          // time (global, default visibility): reached through the
                          // GOT and the PLT, like an import (mark_preemptible)
  bool dynamic_undef : 1; // -shared: undefined, to be found at run time
  bool version_local : 1; // an executable's version script says local: (not exported,
                          // STB_LOCAL in .symtab; mark_preemptible)
  bool copied : 1;        // a copy relocation brought this shared library variable
                          // into the executable (state is SYM_DEFINED now)
  bool settled : 1;       // value is the address (settle_addresses), not the offset
                          // in isec: symbol_offset() gives that
};

// A new symbol, undefined, with no slots; the caller fills in the rest.
void init_symbol(Symbol *sym, const char *name);
// sym's own SymbolAux, to write to: made (a copy of the defaults) the first time.
// Not from a parallel pass: the records come from ctx->arena in the order asked.
SymbolAux *symbol_aux(Ctx *ctx, Symbol *sym);
// The global symbol named `name`, created undefined if it is new.
Symbol *intern_symbol(Ctx *ctx, const char *name);
// The same, from several threads at once, into a table sized for it beforehand
// (read_inputs), or NULL once it is too full: the symbol is not listed in
// ctx->globals yet. list_symbol lists it
// (once), which resolution does when it meets the name, so ctx->globals keeps the
// order in which the link met each name, whatever the threads did.
Symbol *intern_symbol_concurrent(Ctx *ctx, const char *name, size_t len, uint64_t hash);
// The hash intern_symbol_concurrent takes; the symbol table's entry for it is
// prefetched (hashmap_prefetch), for a lookup a few names later.
uint64_t symbol_hash(Ctx *ctx, const char *name, size_t len);
Symbol *list_symbol(Ctx *ctx, Symbol *sym);
// The global symbol named `name`, or NULL if no input or option mentioned it.
Symbol *find_symbol(Ctx *ctx, const char *name);
// The address references to sym use. For an IFUNC that is its .iplt stub.
uint64_t symbol_address(const Symbol *sym);
// The address of sym's PLT entry (plt_index >= 0), and of the .got.plt slot of PLT
// entry i (after the dynamic linker's GOT_PLT_RESERVED words).
uint64_t plt_entry_address(const Symbol *sym);
enum { GOT_PLT_RESERVED = 3 };
uint64_t got_plt_slot(Ctx *ctx, size_t i);
// Is sym bound at run time by the dynamic linker: defined in a shared library, or,
// in a shared library we make, preemptible or undefined?
bool is_imported(const Symbol *sym);
// Where sym itself is (for an IFUNC: its resolver), ignoring any stub.
uint64_t symbol_definition_address(const Symbol *sym);
// Once addresses are final (after define_linker_symbols): each symbol defined in an
// ordinary section that is kept gets its address in `value` (`settled`), so that the
// relocations against it (4 M in a big link) need not each read its section.
void settle_addresses(Ctx *ctx);
// S for a relocation with addend A: symbol_address(sym), except that a section
// symbol of a merged string section points at the string at offset A, wherever
// merging put it (S is returned so that S + A lands there).
uint64_t symbol_address_for(const Symbol *sym, uint64_t A);
// Is sym's address fixed relative to the image (it moves with the image in a PIE)?
// True for symbols in kept sections and for linker-defined ones.
bool is_image_relative(const Symbol *sym);
// The name sym has in .dynsym (foo for a definition of foo@VER_1).
const char *dynamic_name(const Symbol *sym);
// The name of a shared library's base version (.gnu.version_d's first entry): its
// SONAME, else its file name.
const char *version_base_name(Ctx *ctx);
// The hash functions of .gnu.hash and of the gABI's .hash (also used for version
// names in .gnu.version_r).
uint32_t gnu_hash(const char *name);
uint32_t elf_hash(const char *name);
// The section index a symbol table entry for sym names (SHN_UNDEF, SHN_ABS, or its
// output section's), once layout has numbered the output sections.
uint16_t output_shndx(const Symbol *sym);
// A name for sym in messages: its own, or its section's for a section symbol.
const char *symbol_label(const Symbol *sym);
// Can `s` be part of a C identifier (so that __start_s names a valid symbol)?
bool is_c_identifier(const char *s);

//
// model/sections.c — input and output sections, and where their bytes go
//

// One record of an .eh_frame input section (see passes/split_eh_frame.c). Offsets are
// 32-bit (32 bytes a record; a big link has 600 K): split_eh_frame refuses an input
// section, or an output .eh_frame, of 4 GiB or more (an FDE's pointer to its CIE is
// 32-bit anyway).
typedef struct {
  uint32_t out_off;             // where it goes, from the start of the output .eh_frame
                                // (a dropped duplicate CIE: where its twin went)
  uint32_t cie_out;             // FDE: its CIE's output offset
  uint32_t in_off, size;        // where it is in the input section, header included
  uint32_t cie_in;              // FDE: its CIE's offset in the input section
  uint32_t rel_begin, rel_end;  // its relocations: rels[rel_begin, rel_end)
  uint8_t id_off;               // offset of the CIE id / CIE pointer in the record: 4,
                                // or 12 after a 64-bit length
  bool is_cie;
  bool live;                    // FDE: the function it describes is in the output
  bool kept;
} EhRecord;

// Where a string of a merged SHF_MERGE section went (see passes/merge_strings.c).
typedef struct {
  uint64_t in_off;   // where the string starts in the input section
  uint64_t out_off;  // where its one copy is in the merged section
  const struct String *str;  // while merging: the distinct string it is
} MergePiece;

// What only some input sections have: .eh_frame's records, merged strings' pieces,
// contents the linker made, the script rule that placed them. Like SymbolAux: every
// section starts out pointing at one shared record of the defaults (all NULL), and
// section_aux() gives it its own the first time a pass writes one.
typedef struct SectionAux {
  const uint8_t *synthetic;  // contents made by the linker (e.g. merged .comment)
  EhRecord *eh;           // .eh_frame: its records, placed one by one
  uint64_t neh;
  InputRule *script_rule; // a linker script's SECTIONS: the rule that placed it, or NULL
  InputSection *merged;   // SHF_MERGE strings: the section they were merged into
  MergePiece *pieces;     // ... and where each string went
  uint64_t npieces;
} SectionAux;

struct InputSection {
  // First what finding an address in the section reads (at every relocation, for
  // the section of its symbol): on one cache line, as sections are 64-byte aligned.
  OutputSection *osec;
  uint64_t offset;        // within osec
  const SectionAux *aux;  // never NULL: the shared defaults until section_aux()
  uint64_t sh_size;
  bool is_alive;          // false: discarded (COMDAT loser, SHF_EXCLUDE, ...), or a
                          // linker-made section this link does not need
  bool gc_live;           // --gc-sections: reached from a root
  bool reversed;          // .ctors/.dtors in .init_array/.fini_array: its 8-byte
                          // entries go in last first (output_sections.c)
  uint32_t sh_type;
  InputFile *file;
  const char *name;
  uint64_t sh_flags;
  uint64_t sh_addralign;
  View data;              // empty for SHT_NOBITS
  const Elf64_Rela *rels; // in the mapped file, or a copy if misaligned; NULL if none
  uint8_t *actions;       // RelAction per relocation, decided by scan_relocs; NULL: all
                          // ACT_AS_IS
  uint32_t nrels;         // (read_object refuses more)
  uint32_t sh_entsize;    // (... and bigger)
  uint32_t shndx;         // in its file; 0 for sections the linker makes
  uint32_t order;         // position among osec's members
};

// What an object's .note.GNU-stack section says about the stack it needs.
enum { STACK_NOTE_MISSING, STACK_NOTE_NOEXEC, STACK_NOTE_EXEC };

struct InputFile {
  const char *name;       // as messages show it: "a.o", "libfoo.a(bar.o)"
  View view;
  ElfObject obj;
  InputSection **sections;  // indexed by section index; NULL for those not kept
  Symbol **syms;            // indexed by symbol index (0: ctx->null_symbol); locals are
                            // private to the file
  Symbol *locals;           // ... and side by side here, nlocals of them
  uint32_t nlocals;
  uint32_t priority;        // load order, for deterministic output
  // Archive members: the file and symbol that made the linker load it (for -Map and
  // --why-extract). extracted_by is NULL when the entry point pulled it in.
  const char *extracted_by;
  const char *extracted_for;
  bool from_archive;
  // LTO (lto.c): compiler IR the plugin claimed. Such a file is not among ctx->files:
  // its symbols (obj.syms, made from the plugin's list) stand in for the objects the
  // plugin makes from it, until run_lto.
  IrFile *ir;
  bool has_lto_ir;          // an object with gcc's IR in .gnu.lto_* sections too
  PtrVec warnings;          // LinkWarning *, from its .gnu.warning sections
  uint8_t stack_note;       // what its .note.GNU-stack says (STACK_NOTE_*)
  bool has_gnu_property;    // it has a .note.gnu.property section (gnu_property.c
                            // reads only the files that do)
  // Shared libraries (read_inputs.c):
  bool is_shared;
  ElfShared so;             // its dynamic symbols, versions and SONAME
  const char *soname;       // what DT_NEEDED calls it
  bool as_needed;           // --as-needed: needed only if the program uses it
  bool is_needed;           // gets a DT_NEEDED entry (choose_needed_libraries)
  bool missing_dependency;  // one of its own DT_NEEDED libraries was not found
  // What scan_relocs found this file's relocations need, in the order they first
  // need it (assign_slots numbers the slots from these lists, file by file).
  PtrVec need_got;        // Symbol *: a GOT slot holding the address
  PtrVec need_gottp;      // Symbol *: a GOT slot holding the TP offset
  PtrVec need_iplt;       // Symbol *: an IFUNC stub
  PtrVec need_tlsgd;      // Symbol *: -shared: a (module, offset) GOT pair
  PtrVec need_tlsdesc;    // Symbol *: -shared: a TLS descriptor in the GOT
  bool uses_tlsld;        // -shared: local dynamic: the module's own (module, 0) pair
  PtrVec need_dyn;        // DynReloc *: places to fix at start-up (RELATIVE in a PIE,
                          // R_X86_64_64 against a shared library's symbol)
  PtrVec need_plt;        // Symbol *: a shared library's function called (a PLT entry)
  PtrVec need_canonical;  // Symbol *: ... whose address is taken (its PLT entry is it)
  PtrVec need_copy;       // Symbol *: a shared library's variable used directly (a copy
                          // relocation)
  LineTable *lines;       // its .debug_line, read when a message first asks
                          // (model/debug_line.c); NULL until then
  bool uses_got;          // some relocation needs the GOT or measures from its base
};

struct OutputSection {
  const char *name;
  uint32_t sh_type;
  uint64_t sh_flags;
  uint64_t sh_addralign;
  uint64_t sh_entsize;
  uint64_t addr;
  uint64_t lma;           // its load address (p_paddr; a linker script's AT()), or addr
  uint64_t offset;        // in the output file
  uint64_t size;
  uint32_t shndx;         // in the output file
  int rank;               // layout order (see layout.c)
  int seg_kind;           // which PT_LOAD it belongs to (layout.c's SEG_*)
  bool has_start;         // --section-start (-Ttext, ...) gave it an address:
  uint64_t start;         // ... this one
  bool island;            // ... and it is not one layout orders by name, so it stands
                          // alone: the sections after it do not follow it (layout.c)
  PtrVec members;         // InputSection *
  bool has_strings;       // a member is flagged SHF_MERGE | SHF_STRINGS: merge_strings
                          // looks at the others only then
  Segment *seg;           // the PT_LOAD holding it, if allocated
  uint32_t overlay;       // the linker script's OVERLAY it is in (1, 2, ...), or 0:
                          // it shares its addresses with the others there
  uint8_t *compressed;    // --compress-debug-sections: its bytes as they go out (a
                          // compression header and the data), made by write_output
};

// sym->value as an offset in its section (or the absolute value), settled
// (settle_addresses) or not. (Inline, so that debug_line.c, which asks nothing of
// other files, may use it.)
static inline uint64_t symbol_offset(const Symbol *sym) {
  return sym->settled ? sym->value - (sym->isec->osec->addr + sym->isec->offset) : sym->value;
}

struct Segment {
  uint32_t p_type;
  uint32_t p_flags;
  uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
  int kind;               // PT_LOAD: layout.c's SEG_* for what it holds
};

// A new input section of `file`, empty; the caller fills in the rest. (Every
// InputSection is made here, so that none lacks its aux.)
InputSection *new_input_section(Ctx *ctx, InputFile *file, const char *name);
// isec's own SectionAux, to write to: made the first time. From several threads at
// once only for different sections.
SectionAux *section_aux(Ctx *ctx, InputSection *isec);
// A section whose contents the linker makes (COMMON space, merged strings, and the
// sections of ld/synthetic/). It belongs to ctx->internal unless the caller says
// otherwise.
InputSection *new_linker_section(Ctx *ctx, const char *name, uint32_t type, uint64_t flags,
                                 uint64_t size, uint64_t align);
// An output section named `name` with the type and flags of its first member.
OutputSection *new_output_section(Ctx *ctx, const char *name, const InputSection *first);
// The sections no segment holds (.comment, .debug_*) go after the allocated part
// of the file, from `start`, each at its alignment (layout; again in write_output
// once --compress-debug-sections has made them smaller). Returns where they end.
uint64_t place_unallocated_sections(Ctx *ctx, uint64_t start);
// The output section named `name`, or NULL.
OutputSection *find_output_section(Ctx *ctx, const char *name);
// Is `name` the section `prefix` or one of its dotted children (".text.foo")?
// (Inline: with a constant prefix, a compare of known length. The naming rules ask
// it a dozen times of each of a big link's 600 K sections.)
static inline bool has_section_prefix(const char *name, const char *prefix) {
  size_t n = strlen(prefix);
  return !strncmp(name, prefix, n) && (name[n] == '\0' || name[n] == '.');
}
// The address of isec's first byte (after layout).
uint64_t isec_address(const InputSection *isec);
// Where offset `off` of isec went, from the start of its output section: for a
// merged string section, where the string went; in .eh_frame, where its record
// went. Sets *dropped (if given) when the byte is not in the output at all (in an
// .eh_frame record that was dropped).
uint64_t isec_output_offset(const InputSection *isec, uint64_t off, bool *dropped);
// Where offset `off` of a merged input section went, inside isec->aux->merged.
uint64_t merged_offset(const InputSection *isec, uint64_t off);
// Where a symbol at `value` in an .eh_frame input section ends up, from the start of
// the output section.
uint64_t eh_frame_offset(const InputSection *isec, uint64_t value);
// Reads the header of the .eh_frame record at `off`: its whole size and the length of
// its length field (4, or 12 with the 64-bit escape). Returns 1 for a record, 0 at
// the end (a terminator, or no bytes left), -1 if the record is malformed.
int eh_record_at(View v, uint64_t off, uint64_t *size, uint64_t *hdr);
// A constructor table's priority, from its name: N for .init_array.N, 65535 - N for
// .ctors.N (whose numbers count down), 65536 for none (those run last, in link order).
uint64_t init_priority(const InputSection *isec);
// "a.o:(.text+0x1c)": a place in an input section, as every message names it.
const char *place(Ctx *ctx, const InputSection *isec, uint64_t off);
// What the output says about the stack (PT_GNU_STACK, or an object's
// .note.GNU-stack): executable, not, or nothing at all. Decided from the options
// and the objects' notes, with GNU ld's warnings (once, however often asked).
typedef enum { STACK_UNSAID, STACK_NOEXEC, STACK_EXEC } StackDecision;
StackDecision decide_stack(Ctx *ctx);

// A dynamic relocation: a place the program (or the C library's start-up code)
// fixes when it is loaded. scan_relocs and assign_slots record them; the writer of
// .rela.dyn emits them in that order.
typedef enum {
  DYN_NONE,       // nothing (a place that layout dropped)
  DYN_RELATIVE,   // *place = load address + S + A (an address in the image, in a PIE)
  DYN_IRELATIVE,  // *place = resolver() (IFUNC), the resolver being sym's definition
  DYN_GLOB_DAT,   // *place = S: a GOT slot for a shared library's symbol
  DYN_JUMP_SLOT,  // *place = S: a .got.plt slot (lazily bound)
  DYN_ABS64,      // *place = S + A: a pointer to a shared library's symbol in data
  DYN_COPY,       // copy sym's initial value from its library to place (copy relocation)
  DYN_TPOFF64,    // *place = S - TP: a GOT slot for a shared library's TLS variable
  DYN_DTPMOD64,   // *place = the module (TLS block) that defines S
  DYN_DTPOFF64,   // *place = S's offset in its module's TLS block
  DYN_TLSDESC,    // a TLS descriptor for S (two slots: resolver, argument)
} DynKind;

typedef struct {
  DynKind kind;
  InputSection *isec;  // the place: offset `offset` of isec
  uint64_t offset;
  Symbol *sym;         // S
  int64_t addend;      // A
} DynReloc;

//
// model/string_table.c — ELF string tables, each distinct string stored once
//

// A growable byte buffer (malloc'd; the owner frees it).
typedef struct {
  uint8_t *data;
  size_t len, cap;
} Buf;

// Appends n bytes (or, if p is NULL, room for them); returns where they start.
size_t buf_add(Buf *b, const void *p, size_t n);

typedef struct {
  Buf buf;
  HashMap index;  // string -> its offset + 1
} StringTable;

// The offset of s, added if it is new. The table keeps the pointer: s must live on.
uint32_t add_string(StringTable *t, const char *s);
// The offset of s, which must have been added.
uint32_t find_string(const StringTable *t, const char *s);
void free_string_table(StringTable *t);

//
// model/demangle.c — C++ and Rust symbol names as GNU ld shows them
//

// "foo::bar(int)" for "_ZN3foo3barEi" (Itanium C++ ABI mangling), or a Rust name
// (demangle_rust() below), in the arena; NULL if `mangled` is neither or uses what
// we do not read.
const char *demangle(Arena *arena, const char *mangled);
// A symbol name as messages show it: demangled, unless --no-demangle (GNU ld's
// default too), or as it is if it is not a C++ or Rust name we can read.
const char *shown_name(Ctx *ctx, const char *name);

//
// model/demangle_rust.c — Rust symbol names (v0 and legacy) as GNU ld shows them
//

// "<core::slice::Iter<u8> as core::iter::Iterator>::rposition" for a v0 name (_R...),
// "core::fmt::Formatter::pad" for a legacy one (_ZN...17h<hash>E): hashes left out,
// as GNU ld writes them; in the arena. NULL if `mangled` is neither, or is malformed.
const char *demangle_rust(Arena *arena, const char *mangled);

//
// model/demangle_rust_legacy.c — Rust's legacy names, the Itanium-shaped ones
//

// "core::fmt::Formatter::pad" for "_ZN4core3fmt9Formatter3pad17h0123456789abcdefE":
// `mangled` after its "_ZN"; the hash left out, as GNU ld writes it; in the arena.
// NULL if it does not end in a Rust hash (then it may be a C++ name).
const char *demangle_rust_legacy(Arena *arena, const char *mangled);

//
// model/punycode.c — Unicode identifiers spelled in ASCII (RFC 3492)
//

// "größe" for "gre_6ka8i" (the n bytes at p, with `delimiter` where the RFC writes
// '-': Rust's v0 names use '_'), as UTF-8 in the arena; NULL if malformed.
const char *punycode_decode(Arena *arena, const char *p, size_t n, char delimiter);

//
// model/debug_line.c — the source line of a place, from the object's DWARF line table
//

// "main.c:2" or "src/util.h:3": the file and line that offset `off` of isec was
// compiled from, read from its object's .debug_line (DWARF 2 to 5), in the arena.
// NULL when the object has no line table, no line for that place, or one we cannot
// read: the caller then names the place alone. The table is read on the first
// question about a file and kept. Not thread-safe: for messages, from one thread.
const char *source_line(Ctx *ctx, const InputSection *isec, uint64_t off);

//
// model/stats.c — --stats: where a link's time and memory went
//
// Each pass that --stats reports on marks its end; the time since the previous mark
// is that pass's. A mark without --stats costs a test of one flag.

enum { MAX_STAT_PASSES = 24 };

typedef struct {
  const char *pass;
  double wall_ms, cpu_ms;  // of the whole process: every thread's CPU time
  size_t arena_bytes;      // the arena's growth over the pass
} PassStat;

typedef struct {
  double wall, cpu;        // at the last mark, in ms
  size_t arena;            // bytes, at the last mark
  PassStat passes[MAX_STAT_PASSES];
  int npasses;
} LinkStats;

// Starts the clock (with --stats).
void stats_start(Ctx *ctx);
// The time since the last mark went to `pass`, a name as it stands in main.c.
void stats_mark(Ctx *ctx, const char *pass);
// Prints the table to standard error: each pass's time and memory, what the link
// read (files, sections, relocations, symbols) and its peak resident memory.
void print_stats(Ctx *ctx);

//
// model/script.c — linker scripts: the syntax tree (linker_script.c builds it) and
// the values of its expressions
//
// A script is read into the structures below once, while the inputs are read; the
// layout then walks them, in script order, with the location counter `.`.

typedef enum {
  EX_NUM,     // num
  EX_SYM,     // the symbol `name`
  EX_DOT,     // the location counter `.`
  EX_UNARY,   // op a
  EX_BINARY,  // a op b
  EX_COND,    // a ? b : c
  EX_FUNC,    // func(a, b) or func(name): ALIGN, ADDR, SIZEOF, DEFINED, ...
} ExprKind;

// Operators, as in C (GNU ld has C's, but for the comma).
typedef enum {
  OP_NONE, OP_MUL, OP_DIV, OP_MOD, OP_ADD, OP_SUB, OP_SHL, OP_SHR, OP_LT, OP_LE, OP_GT,
  OP_GE, OP_EQ, OP_NE, OP_AND, OP_XOR, OP_OR, OP_LAND, OP_LOR, OP_NEG, OP_NOT, OP_BITNOT,
} ExprOp;

typedef enum {
  FN_ALIGN, FN_ADDR, FN_SIZEOF, FN_LOADADDR, FN_ALIGNOF, FN_DEFINED, FN_CONSTANT, FN_MAX,
  FN_MIN, FN_ABSOLUTE, FN_SIZEOF_HEADERS, FN_NEXT, FN_LOG2CEIL, FN_ORIGIN, FN_LENGTH,
  FN_DATA_SEGMENT_ALIGN, FN_DATA_SEGMENT_END, FN_DATA_SEGMENT_RELRO_END, FN_SEGMENT_START,
} ScriptFunc;

typedef struct Expr Expr;
struct Expr {
  ExprKind kind;
  int op;             // EX_UNARY, EX_BINARY: an ExprOp; EX_FUNC: a ScriptFunc
  uint64_t num;       // EX_NUM
  const char *name;   // EX_SYM: the symbol; EX_FUNC: a section, region or constant;
                      // EX_NUM: the number as written
  Expr *a, *b, *c;
  const char *file;   // where it was written, for messages
  uint32_t line;
};

// `sym = expr;`, `. += expr;`, PROVIDE(sym = expr), HIDDEN(...), or --defsym.
typedef struct {
  const char *name;   // "." for the location counter
  ExprOp op;          // OP_NONE for `=`, OP_ADD for `+=`, ...
  Expr *expr;
  bool provide;       // only if something refers to it and nothing defines it
  bool hidden;        // PROVIDE_HIDDEN, HIDDEN: STV_HIDDEN
} ScriptAssign;

// SORT_NONE: no sort asked for (--sort-section may give one); SORT_KEEP: the
// script's SORT_NONE(...), input order whatever --sort-section says.
enum { SORT_NONE, SORT_BY_NAME, SORT_BY_ALIGNMENT, SORT_BY_INIT_PRIORITY, SORT_KEEP };

// One section glob of an input section description, with its modifiers.
typedef struct {
  const char *glob;
  int sort;                 // SORT_*
  int then_sort;            // SORT_BY_NAME(SORT_BY_ALIGNMENT(glob)): the inner key,
                            // which orders what the outer one finds equal
  PtrVec exclude_files;     // const char *: EXCLUDE_FILE(globs) in front of it
} SectionPattern;

// `FILE(SECTIONS)`, `*(.text .text.*)`, `KEEP(*(.init))`.
struct InputRule {
  const char *file_glob;    // "*" for every file
  int file_sort;            // SORT(*)(...) sorts by file name
  PtrVec patterns;          // SectionPattern *
  bool keep;                // KEEP: a root for --gc-sections
  uint32_t rank;            // its position among all of the script's rules
};

typedef enum {
  SC_ASSIGN,          // assign
  SC_ASSERT,          // ASSERT(expr, msg)
  SC_OUTPUT_SECTION,  // osd
  SC_INPUT,           // rule (inside an output section)
  SC_DATA,            // BYTE/SHORT/LONG/QUAD(expr) (inside an output section): size bytes
} ScriptCmdKind;

typedef struct OutputDesc OutputDesc;

typedef struct {
  ScriptCmdKind kind;
  const char *file;
  uint32_t line;
  ScriptAssign assign;
  Expr *expr;               // SC_ASSERT, SC_DATA
  const char *msg;          // SC_ASSERT
  uint32_t size;            // SC_DATA
  InputRule *rule;
  OutputDesc *osd;
  InputSection *data;       // SC_DATA: the bytes, made by the layout
} ScriptCmd;

// An output section description:
//   NAME [ADDRESS] [(NOLOAD)] : [AT(LMA)] [ALIGN(A)] [SUBALIGN(A)] { ... }
//        [>REGION] [AT>REGION] [:PHDR ...] [=FILL]
struct OutputDesc {
  const char *name;         // "/DISCARD/" drops what it matches
  const char *file;
  uint32_t line;
  Expr *addr, *lma, *align, *subalign, *fill;
  bool noload;              // (NOLOAD): allocated, never in the file
  const char *region;       // >REGION: where its address comes from
  const char *lma_region;   // AT>REGION: where its load address comes from
  PtrVec phdrs;             // const char *: :PHDR names
  PtrVec cmds;              // ScriptCmd *
  uint32_t overlay;         // OVERLAY: which one it is in (1, 2, ...), or 0
  bool overlay_next;        // ... and not its first: loaded where the one before ends
  Expr *dot_after;          // ... and its last: where `.` goes after it (past the
                            // largest of them), and its region's next free address
  OutputSection *osec;      // layout: the section it made, or NULL if empty
};

// MEMORY { NAME (ATTR) : ORIGIN = X, LENGTH = Y }
typedef struct {
  const char *name;
  const char *file;
  uint32_t line;
  Expr *origin_expr, *length_expr;
  uint64_t origin, length;
  uint64_t next;            // layout: the next free address in it
} MemoryRegion;

// REGION_ALIAS("alias", region): another name for a MEMORY region, so that one
// script can place its sections in regions a memory map (another script) names.
typedef struct {
  const char *name;
  MemoryRegion *region;
} RegionAlias;

// NOCROSSREFS(sec1 sec2 ...): no code or data in one of these output sections may
// refer to a symbol defined in another (they take turns in memory: an OVERLAY).
// NOCROSSREFS_TO(target src1 src2 ...): none of the sources may refer to target.
typedef struct {
  PtrVec names;             // const char *: output section names
  bool to;                  // NOCROSSREFS_TO: names[0] is the target
} NoCrossRefs;

// PHDRS { NAME TYPE [FILEHDR] [PHDRS] [AT(ADDR)] [FLAGS(F)] ; }
typedef struct {
  const char *name;
  uint32_t p_type;
  bool filehdr, phdrs;
  Expr *at, *flags;
} PhdrDesc;

typedef struct {
  PtrVec cmds;              // ScriptCmd *: assignments and ASSERTs outside SECTIONS
  bool has_sections;        // a SECTIONS command was read: it gives the layout
  PtrVec sections;          // ScriptCmd *: what SECTIONS holds, in order
  PtrVec memory;            // MemoryRegion *
  PtrVec region_aliases;    // RegionAlias *: REGION_ALIAS("name", region)
  PtrVec phdrs;             // PhdrDesc *
  uint32_t nrules;          // InputRule ranks handed out
  uint32_t noverlays;       // OVERLAYs read
  PtrVec nocrossrefs;       // NoCrossRefs *: NOCROSSREFS(...), OVERLAY : NOCROSSREFS
  size_t insert_from;       // sections[] from here on are what the next INSERT moves:
                            // the script being read's, since its start or last INSERT
  bool has_builtin;         // an INSERT brought in the built-in layout's SECTIONS
  // Layout state, which expressions read:
  uint64_t dot;             // the location counter
  bool dot_ok;              // `.` may be used here (inside SECTIONS)
  OutputSection *cur;       // the output section being laid out, or NULL
  uint64_t headers_size;    // SIZEOF_HEADERS
  bool final;               // addresses are final: every error is reported
} Script;

// The value of e. Errors (an undefined symbol or section, a division by zero)
// are reported with e's FILE:LINE once ctx->script.final is set, and make it 0.
uint64_t eval_expr(Ctx *ctx, const Expr *e);
// Marks every symbol e refers to (DEFINED's argument is not a reference) as
// script_ref, and strong_ref if `strong` (so that an archive member defining it is
// loaded).
void note_expr_symbols(Ctx *ctx, const Expr *e, bool strong);
// The MEMORY region called `name` (or aliased so by REGION_ALIAS), or NULL.
MemoryRegion *find_region(Ctx *ctx, const char *name);
// Claims the symbol an assignment defines: from now on its value is the script's,
// whatever the inputs say. (PROVIDE claims only if something needs the symbol.)
void claim_script_symbol(Ctx *ctx, const ScriptAssign *a);
// Runs an assignment: moves `.`, or gives a claimed symbol its value. Inside an
// output section (ctx->script.cur) a plain number is an offset from its start, for
// `.` and symbols alike, as in GNU ld.
void run_script_assign(Ctx *ctx, const ScriptCmd *cmd);
// ASSERT: reports its message (with FILE:LINE) if its expression is 0.
void run_script_assert(Ctx *ctx, const ScriptCmd *cmd);
// The first rule of SECTIONS (in script order) that takes isec, and the output
// section description it is in (*osd); NULL if none does (isec is an orphan).
InputRule *match_script_rule(Ctx *ctx, const InputSection *isec, OutputDesc **osd);

//
// passes/parse_args.c — GNU ld's command line
//

// One input in command-line order: a file, an -l, or a group/whole-archive marker.
typedef enum {
  ARG_FILE,
  ARG_LIBRARY,      // -lNAME or -l:FILE
  ARG_GROUP_START,
  ARG_GROUP_END,
  ARG_WHOLE_ARCHIVE,
  ARG_NO_WHOLE_ARCHIVE,
  ARG_PUSH_STATE,       // --push-state: save the positional state below
  ARG_POP_STATE,        // --pop-state: restore it
  ARG_BSTATIC,          // -Bstatic, -static: -l finds only libNAME.a from here on
  ARG_BDYNAMIC,         // -Bdynamic: -l finds libNAME.so first again
  ARG_AS_NEEDED,        // --as-needed: a shared library is needed only if it is used
  ARG_NO_AS_NEEDED,     // --no-as-needed
  ARG_SCRIPT,           // -T FILE, --script FILE: a linker script, looked for in the
                        // library path too
} ArgKind;

typedef struct {
  ArgKind kind;
  const char *value;
} InputArg;

// -Bsymbolic binds a shared library's references to its own definitions (none
// preemptible); -Bsymbolic-functions only to its functions.
enum { BSYMBOLIC_NONE, BSYMBOLIC_ALL, BSYMBOLIC_FUNCTIONS };

// One node of a version script: `VER_2 { global: foo; bar*; local: *; } VER_1;`,
// or the anonymous `{ ... };` (name NULL), which exports without versions.
typedef struct {
  const char *name;     // the version, or NULL
  const char *parent;   // the version it extends, or NULL
  PtrVec globals;       // const char *: globs of the symbols it exports
  PtrVec locals;        // ... and of those it keeps inside the library
  PtrVec cxx_globals;   // the same in extern "C++" { ... }: globs of demangled names
  PtrVec cxx_locals;    // ("foo::bar(int)", "ns::*")
} VersionNode;

// --defsym NAME=EXPR, EXPR in the linker script language.
typedef struct {
  const char *name;
  Expr *expr;
} Defsym;

// --section-start=NAME=ADDR (and -Ttext, -Tdata, -Tbss): output section NAME starts
// at ADDR.
typedef struct {
  const char *name;
  uint64_t addr;
} SectionStart;

// -z cet-report: what to say about objects not marked ready for IBT or SHSTK.
enum { CET_REPORT_NONE, CET_REPORT_WARNING, CET_REPORT_ERROR };

// Options.warn_execstack's default, GNU ld's: warn when an input makes the stack
// executable, not when -z execstack does.
enum { WARN_EXECSTACK_OBJECTS = 2 };

typedef enum { BUILD_ID_NONE, BUILD_ID_SHA1, BUILD_ID_UUID, BUILD_ID_HEX } BuildIdStyle;

typedef struct {
  const char *output;
  const char *entry;        // NULL: the default "_start"
  bool entry_given;
  bool output_given;        // -o: a script's OUTPUT() does not override it
  PtrVec lib_paths;         // const char *, from -L in order
  InputArg *inputs;
  size_t ninputs;
  bool strip_all;           // -s
  bool strip_debug;         // -S
  bool discard_all;         // -x: no local symbols in .symtab
  bool nostdlib;            // -nostdlib: no default library directories
  const char *sysroot;      // --sysroot: where the default directories, -L=DIR and the
                            // absolute paths of scripts inside it are
  bool eh_frame_hdr;        // --eh-frame-hdr
  bool relro;               // -z relro (the default): emit PT_GNU_RELRO
  bool pie;                 // -pie: ET_DYN at base 0, moved at start-up (RELATIVE
                            // relocations); static with --no-dynamic-linker
  bool shared;              // -shared: a shared library (ET_DYN at 0, no PT_INTERP)
  bool relocatable;         // -r: a relocatable object (write_relocatable.c)
  bool emit_relocs;         // --emit-relocs, -q: keep the relocations in the output
  uint32_t compress_debug;  // --compress-debug-sections: ELFCOMPRESS_ZLIB, _ZSTD, or 0
  bool demangle;            // --demangle (the default), --no-demangle: C++ names in messages
  bool verbose;             // --verbose: say more (the options that change nothing)
  HashMap wrap;             // --wrap=SYM: SYM -> SYM (references go to __wrap_SYM)
  const char *soname;       // -soname, -h: DT_SONAME
  PtrVec version_nodes;     // VersionNode *, from --version-script, in script order
  int bsymbolic;            // -Bsymbolic(-functions): a BSYMBOLIC_* value
  bool no_undefined;        // --no-undefined, -z defs: a shared library's undefined
                            // symbols are errors too
  PtrVec exclude_libs;      // --exclude-libs LIB,LIB|ALL: archives whose symbols a
                            // shared library does not export
  bool default_symver;      // --default-symver: every export versioned by the SONAME
  bool no_undefined_version;  // --no-undefined-version: a name a version script writes
                              // out must be defined (GNU ld's default is to allow it)
  bool ignore_undefined;    // --unresolved-symbols=ignore-all|ignore-in-object-files
  int allow_shlib_undefined;  // the shared libraries' undefined symbols: 1 allowed
                            // (--allow-shlib-undefined, --unresolved-symbols=ignore-all|
                            // ignore-in-shared-libs), 0 errors, -1 GNU ld's default:
                            // errors in an executable, allowed in a shared library
  bool warn_undefined;      // --warn-unresolved-symbols: undefined symbols are warnings
  bool noinhibit_exec;      // --noinhibit-exec: undefined and duplicate symbols are
                            // reported, but the output is written all the same
  uint64_t dt_flags_1;      // -z initfirst, interpose, nodump, nodelete, nodlopen
  bool no_dynamic_linker;   // --no-dynamic-linker
  const char *dynamic_linker;  // -dynamic-linker (PT_INTERP of a dynamic executable)
  PtrVec rpath;             // const char *, from -rpath, in order
  PtrVec rpath_link;        // const char *, from -rpath-link
  bool new_dtags;           // --enable-new-dtags (Debian's default): DT_RUNPATH, not DT_RPATH
  bool z_now;               // -z now: DF_BIND_NOW, no lazy binding
  bool z_text;              // -z text: a dynamic relocation in a read-only section is
                            // an error (-z notext, the default: DT_TEXTREL)
  bool z_nodynamic_undefined_weak;  // -z nodynamic-undefined-weak: a shared library's
                            // weak undefined symbols are 0, not looked up at run time
  bool hash_sysv;           // --hash-style=sysv|both: DT_HASH
  bool hash_gnu;            // --hash-style=gnu|both (the default): DT_GNU_HASH
  bool export_dynamic;      // -E, --export-dynamic: every global symbol in .dynsym
  PtrVec export_patterns;   // const char *: globs of symbols to export (--dynamic-list,
                            // --export-dynamic-symbol)
  PtrVec export_cxx_patterns;  // ... of demangled names (extern "C++" in a dynamic list)
  bool export_data;         // --dynamic-list-data: every global variable too
  bool dynamic_list;        // --dynamic-list(-data): in a shared library, only what
                            // the list names may be preempted; the rest binds locally
  const char *init_symbol;  // -init (DT_INIT; default _init)
  const char *fini_symbol;  // -fini (DT_FINI; default _fini)
  const char *audit;        // --audit: DT_AUDIT, colon-separated
  const char *depaudit;     // --depaudit, -P: DT_DEPAUDIT
  bool z_origin;            // -z origin: DF_ORIGIN, DF_1_ORIGIN
  bool z_nodefaultlib;      // -z nodefaultlib: DF_1_NODEFLIB
  uint64_t stack_size;      // -z stack-size: PT_GNU_STACK's p_memsz
  uint32_t x86_features;    // -z ibt, -z shstk: GNU_PROPERTY_X86_FEATURE_1_AND bits
  uint32_t x86_isa_needed;  // -z x86-64-v2|v3|v4 (the last one): GNU_PROPERTY_X86_ISA_1_NEEDED bit
  int cet_report;           // -z cet-report=none|warning|error: CET_REPORT_*
  bool muldefs;             // --allow-multiple-definition, -z muldefs: the first wins
  bool warn_common;         // --warn-common: say where tentative definitions meet
  bool gc_sections;         // --gc-sections
  bool print_gc_sections;   // --print-gc-sections
  int execstack;            // -z execstack: 1, -z noexecstack: -1 (the last wins), or 0
  int warn_execstack;       // --warn-execstack: 1, --no-warn-execstack: 0, or, by
                            // default, WARN_EXECSTACK_OBJECTS: warn about inputs only
  bool no_warn_rwx;         // --no-warn-rwx-segments
  uint64_t page_size;       // -z max-page-size
  bool separate_code;       // -z separate-code: the code segment on file pages of its own
  uint64_t common_page_size;  // -z common-page-size (checked only: RELRO is protected
                              // in 4 KiB pages, the run-time page size), or 0
  uint64_t image_base;      // -Ttext-segment / --image-base
  bool image_base_given;
  int sort_section;         // --sort-section=name|alignment: SORT_BY_*, or SORT_NONE
  PtrVec unique;            // const char *: --unique=GLOB: each input section whose
                            // name matches gets an output section of its own
  bool unique_orphans;      // --unique: ... and so does each one the layout does not
                            // know by name
  PtrVec section_starts;    // SectionStart *, in command-line order (the last one for a
                            // name wins)
  const char *map_file;     // -Map=FILE, or "-" for -M (stdout)
  bool cref;                // --cref: a cross-reference table, in the map (or on stdout)
  bool print_memory_usage;  // --print-memory-usage: GNU ld's table of MEMORY regions
  bool stats;               // --stats: each pass's time and memory, on stderr
  const char *why_extract;  // --why-extract=FILE, "-" for stdout
  const char *layout_svg;   // --layout=FILE.svg: draw the output's layout
  const char *layout_from;  // --from=EXE: ... of EXE instead; nothing is linked
  const char *layout_against;  // --layout-against=EXE2: and EXE2's beside it
  PtrVec explain_relocs;    // const char *: --explain-reloc=SYM or =SECTION+OFFSET, in
                            // order (explain_relocs.c)
  bool trace;               // -t: print each file as it is loaded
  PtrVec trace_symbols;     // -y SYM: names to report definitions and references of
  PtrVec undefined;         // -u SYM: names to treat as undefined references
  PtrVec require_defined;   // --require-defined=SYM: ... which must end up defined
  PtrVec defsyms;           // Defsym *, from --defsym
  const char *plugin;       // -plugin: the compiler's LTO plugin (gcc passes it always)
  PtrVec plugin_opts;       // const char *, from -plugin-opt, for the plugin
  BuildIdStyle build_id;    // --build-id[=STYLE]
  uint64_t build_id_size;   // bytes of the ID
  const uint8_t *build_id_hex;  // --build-id=0xHEX
} Options;

void parse_args(Ctx *ctx, int argc, char **argv);

// builtin_script.c: the built-in layout as a linker script, for --verbose.
void print_builtin_script(Ctx *ctx, FILE *out);

// version_script.c: --version-script FILE (version nodes) and --dynamic-list FILE
// (patterns of symbols to export).
void read_version_script(Ctx *ctx, const char *path);
// The same for the text of a linker script's VERSION { ... } command.
void read_version_text(Ctx *ctx, const char *name, View v);
void read_dynamic_list(Ctx *ctx, const char *path);

//
// passes/read_inputs.c — load objects, and archive members as they are needed;
// with its sub-steps read_object.c, linker_script.c, lto.c and resolve_symbols.c
//

// The positional state of the command line, which --push-state saves.
typedef struct {
  bool whole;      // --whole-archive
  bool bstatic;    // -Bstatic: -l finds archives only
  bool as_needed;  // --as-needed
} InputState;

void read_inputs(Ctx *ctx);

// read_object.c: one object's sections, COMDAT groups and symbols. Returns NULL
// (after an error) if the object cannot be used.
InputFile *load_object(Ctx *ctx, const char *name, View view);
// ... in two steps: what depends on the object alone (several objects may be parsed
// at once, on different threads), then, in link order, what depends on the objects
// before it (its COMDAT groups, its place in ctx->files).
InputFile *parse_object(Ctx *ctx, const char *name, View view);
InputFile *admit_object(Ctx *ctx, InputFile *file);
// Enters a parsed object's global names in the symbol table (from several threads
// at once, for as many names as hashmap_reserve made room for), into file->syms.
void intern_file_globals(Ctx *ctx, InputFile *file);

// lto.c: link-time optimization through the compiler's plugin (-plugin). If v is
// compiler IR (gcc -flto, LLVM bitcode) and the plugin claims it, returns the IR file,
// with a symbol table to resolve; otherwise NULL, and the caller reads v as what else it is.
// `container` and `offset` locate v for the plugin (an archive and a member's data).
InputFile *claim_ir_file(Ctx *ctx, const char *name, View v, const char *container,
                         uint64_t offset);
bool is_bitcode(View v);
// Once every input is in: the plugin compiles the IR into objects, which it lists in
// ctx->lto_inputs, and the IR files' definitions step aside for theirs.
void run_lto(Ctx *ctx);
// ... and once those are read: the plugin removes its temporary files.
void finish_lto(Ctx *ctx);
// When the link is over, however it ended (ld_main): the plugin's cleanup run, its
// descriptors closed, its state cleared for another link in this process.
void release_lto(Ctx *ctx);

// linker_script.c: if v is a linker script, appends the inputs it names to `out`
// (InputArg *), adds the rest (SECTIONS, assignments, ...) to ctx->script and
// returns true (errors in it are reported); returns false if it is not text.
bool read_input_script(Ctx *ctx, const char *path, View v, PtrVec *out);

// script_lexer.c: the words of the script language, and its expressions. The
// parser asks for the next token in one of three modes, because the language
// splits words differently in different places: `.text.*` is one word where a
// section is named, `.+4` three in an expression.
typedef enum {
  LEX_FILE,  // a file name: everything up to a space or ( ) , ; "
  LEX_NAME,  // a section or file glob, a command: letters, digits and _.$/\~*?[]-!^
  LEX_EXPR,  // an expression: names of [A-Za-z0-9_.$], numbers, operators
} LexMode;

typedef struct {
  const char *s;      // NUL-terminated copy (in the arena), "" at the end
  bool eof, quoted;
  size_t end;         // where the token ends in the text
  uint32_t line;      // ... and the line it ends on
} Token;

typedef struct {
  Ctx *ctx;
  const char *path;   // for messages
  const char *text;
  size_t size, pos;
  uint32_t line;
  bool failed;        // an error was reported: every further token is the end
  int depth;          // parentheses and unary operators open in the expression being
                      // read (bounded, so that no input can exhaust the stack)
  int ops;            // binary operators in it (bounded for the same reason)
  // The token last peeked, at peeked_pos in peeked_mode: the parser asks "is it
  // SORT? SORT_BY_NAME? ..." of one token many times; it is read once.
  bool peeked_ok;
  int peeked_mode;
  size_t peeked_pos;
  Token peeked;
} Lexer;

Token lex_peek(Lexer *lx, LexMode mode);
Token lex_next(Lexer *lx, LexMode mode);
// Is the next token `want`? lex_accept also consumes it.
bool lex_is(Lexer *lx, LexMode mode, const char *want);
bool lex_accept(Lexer *lx, LexMode mode, const char *want);
// Consumes `want`, or reports "FILE:LINE: expected 'WANT' CONTEXT, not 'TOKEN'".
bool lex_expect(Lexer *lx, LexMode mode, const char *want, const char *context);
// Is t the word kw (not quoted)?
bool is_keyword(const Token *t, const char *kw);
// Reports "FILE:LINE: MESSAGE" once; the parse then winds down.
void lex_error(Lexer *lx, const char *fmt, ...) FORMAT_PRINTF(2, 3);
// One expression, with C's operators and precedence.
Expr *parse_expr(Lexer *lx);
// --defsym's expression (`what` names it in messages): NULL after an error.
Expr *parse_expr_string(Ctx *ctx, const char *what, const char *text);

// script_statements.c: the statements every part of a script has. A parser is a
// lexer, where the named inputs go (InputArg *), and how deep INCLUDE is.
typedef struct {
  Lexer lx;
  PtrVec *out;
  int depth;
} ScriptParser;

// Is t =, +=, -=, ... (and which operator)?
bool is_assign_op(const Token *t, ExprOp *op);
// `NAME OP EXPR` once NAME is read; PROVIDE(...), PROVIDE_HIDDEN(...), HIDDEN(...)
// once the keyword is read; ASSERT(expr, "message") once ASSERT is read.
ScriptCmd *parse_assignment(ScriptParser *p, const char *name, bool provide, bool hidden);
ScriptCmd *parse_wrapped_assignment(ScriptParser *p, const char *kw);
ScriptCmd *parse_assert(ScriptParser *p);
// CMD(word) once CMD is read: the word, or NULL after an error.
const char *parse_one_word(ScriptParser *p, const char *cmd, LexMode mode);
// INCLUDE FILE once INCLUDE is read: runs body over the file's text.
void parse_include(ScriptParser *p, void (*body)(ScriptParser *, void *), void *arg);
// A statement of `kind`, at the parser's FILE:LINE.
ScriptCmd *new_script_cmd(ScriptParser *p, ScriptCmdKind kind);

// script_sections.c: SECTIONS { ... } once the keyword is read.
void parse_sections(ScriptParser *p);

// script_regions.c: MEMORY { ... }, REGION_ALIAS(...), PHDRS { ... }, once the
// keyword is read.
void parse_memory(ScriptParser *p);
void parse_region_alias(ScriptParser *p);
void parse_phdrs(ScriptParser *p);

//
// passes/resolve_symbols.c — one definition for every global name
//

// Adds one loaded object's symbols to the global table, deciding which definition
// of each name wins; read_inputs calls it as each object arrives.
void resolve_file_symbols(Ctx *ctx, InputFile *file);
// The same for a shared library's dynamic symbols.
void resolve_shared_symbols(Ctx *ctx, InputFile *file);
// Once every input is in: tentative (COMMON) definitions become .bss space.
void allocate_common_symbols(Ctx *ctx);

//
// passes/define_linker_symbols.c — _end, __bss_start, __ehdr_start, ...
//

// Once every input is in: claims the names the linker can define, if referenced.
void reserve_linker_symbols(Ctx *ctx);
// After layout: gives them their addresses, and settles the entry point.
void define_linker_symbols(Ctx *ctx);

//
// passes/gc_sections.c — --gc-sections
//

void gc_sections(Ctx *ctx);

//
// passes/report_undefined.c — undefined symbols and .gnu.warning messages
//

// A .gnu.warning.SYM section: print `text` if SYM is used (or, for a bare
// .gnu.warning, if `file` is linked at all), as GNU ld does for glibc's getpwnam.
typedef struct {
  const char *symbol;     // NULL for a bare .gnu.warning
  InputFile *file;
  const char *text;
} LinkWarning;

// Every undefined symbol that live code refers to, with its places; and the
// .gnu.warning messages for what live code uses.
void report_undefined(Ctx *ctx);

//
// passes/check_cross_refs.c — NOCROSSREFS: a relocation in one output section a
// script lists that refers to a symbol in another is an error
//

void check_cross_refs(Ctx *ctx);

//
// passes/scan_relocs.c — what each relocation needs, decided once
//

// What apply_relocs does with one relocation (InputSection.actions). scan_relocs
// decides; apply_relocs obeys and never decides again.
typedef enum {
  ACT_AS_IS,        // compute what the relocation type says
  // A GOT load rewritten into a direct reference (arch_x86_64.c shows the bytes):
  ACT_GOT_TO_LEA,   // mov -> lea: the field becomes S + A - P
  ACT_GOT_TO_CALL,  // call *GOT -> addr32 call: S + A - P
  ACT_GOT_TO_JMP,   // jmp *GOT -> nop; jmp: S + A - P
  ACT_GOT_TO_TEST,  // test -> test $imm32: the field becomes S (sign-extended)
  ACT_GOT_TO_BINOP, // add/sub/... -> op $imm32: S (sign-extended)
  ACT_TLS_TO_LE,    // a TLS sequence rewritten to local exec: S + A + 4 - TP
  ACT_TLS_GOT_TP,   // initial exec kept: the GOT slot holding S - TP
  ACT_TLS_TO_IE,    // a shared library's variable: the sequence rewritten to initial
                    // exec through a GOT slot holding S - TP (R_X86_64_TPOFF64)
  ACT_SKIP,         // the __tls_get_addr call of a rewritten sequence: gone
} RelAction;

// Records, file by file, what each relocation needs (InputFile.need_*,
// InputSection.actions); rejects relocations that cannot be applied.
void scan_relocs(Ctx *ctx);

//
// passes/assign_slots.c — numbering GOT, TLS GOT and IFUNC slots in a fixed order
//

void assign_slots(Ctx *ctx);

//
// passes/dynamic_symbols.c — what a dynamic executable imports and exports
//

// The versions a program needs from one library (.gnu.version_r).
typedef struct {
  InputFile *file;
  PtrVec versions;       // const char *, in first-use order
  uint16_t first_index;  // .gnu.version index of versions[0]; the rest follow
} Verneed;

// Before scan_relocs: the libraries that get a DT_NEEDED entry.
void choose_needed_libraries(Ctx *ctx);
// Before scan_relocs, for -shared: which definitions may be replaced at run time.
void mark_preemptible(Ctx *ctx);
// Is the output position independent (a PIE or a shared library)? (Below Ctx.)
// After assign_slots: .dynsym, its versions and .dynstr.
void choose_dynamic_symbols(Ctx *ctx);

//
// passes/layout.c — output sections, segments, addresses, file offsets; with its
// sub-steps output_sections.c, merge_strings.c and split_eh_frame.c
//

void layout(Ctx *ctx);

// output_sections.c: groups input sections (and the linker's) into output sections.
void make_output_sections(Ctx *ctx);

// script_layout.c: the layout a linker script's SECTIONS gives (instead of the
// built-in one): output section order and addresses, segments, file offsets.
void script_layout(Ctx *ctx);
// script_order.c, its sub-step: puts osec's members in script order (by rule,
// then in input order, or as the rule's SORT_BY_* or --sort-section says).
void order_script_members(Ctx *ctx, OutputSection *osec);
// script_segments.c, its other sub-step: how many program headers a layout with
// `loads` PT_LOADs has; and the segments and file offsets for the addresses the script
// gave (with nphdrs program headers); returns the number of PT_LOADs.
size_t script_phdr_count(Ctx *ctx, size_t loads);
size_t script_segments(Ctx *ctx, size_t nphdrs, bool final);

// merge_strings.c: SHF_MERGE | SHF_STRINGS members of osec become one copy of each
// string.
void merge_strings(Ctx *ctx, OutputSection *osec);

// split_eh_frame.c: lays out the records of every member of .eh_frame (one copy of
// each CIE, no FDE for code that is not in the output); sets the output section's
// size and returns how many FDEs it keeps.
uint64_t split_eh_frame(Ctx *ctx, OutputSection *osec);

//
// passes/write_output.c — the executable file; with its sub-steps apply_relocs.c,
// explain_relocs.c and write_symtab.c
//

void write_output(Ctx *ctx);

// apply_relocs.c: relocates isec's bytes already copied to `out`: the whole
// section, or only one .eh_frame record (then `out` is where that record went).
void apply_relocs(Ctx *ctx, InputSection *isec, uint8_t *out, const EhRecord *rec);

// What is stored at a relocation's field, in the psABI's letters (apply_relocs.c
// lists each as text and as arithmetic, side by side).
typedef enum {
  F_NONE,       // nothing (a rewrite alone did the job, or the call it removed)
  F_S,          // S: a GOT load rewritten to an immediate operand
  F_S_A,        // S + A
  F_S_A_P,      // S + A - P
  F_G_A,        // G + A
  F_G_GOT_A_P,  // G + GOT + A - P
  F_G_GOT_P_4,  // G + GOT - P - 4: a TLS sequence rewritten to initial exec (the
                // field ends its instruction)
  F_GOT_A_P,    // GOT + A - P
  F_S_A_GOT,    // S + A - GOT
  F_Z_A,        // Z + A
  F_S_A_TP,     // S + A - TP
  F_S_A_4_TP,   // S + A + 4 - TP: a TLS sequence rewritten to local exec (the field
                // became an immediate, without the -4 of a PC-relative one)
  F_S_A_TLS,    // S + A - TLS (TLS: the start of the TLS block)
} RelFormula;

// One relocation worked out: the formula, its operands, and the value.
typedef struct {
  RelFormula formula;       // what is stored
  RelFormula type_formula;  // what the type asks for before any rewrite
  uint64_t S, A, P, G, GOT, TP, TLS, Z;  // the operands (P: the field's address)
  uint64_t value;
  int64_t field;            // where the field is, from the relocation's offset (not 0
                            // when a TLS rewrite moved it)
  uint8_t width;            // bytes stored; 0: none
  uint8_t check;            // a RangeCheck
} RelocValue;

// Works out relocation i of isec, whose place is at address P (its offset, for a
// section the program does not load), as scan_relocs decided: the formula, its
// operands and the value. Changes nothing.
void work_out_reloc(Ctx *ctx, const InputSection *isec, uint64_t i, uint64_t P,
                    RelocValue *v);
// Makes the GOT or TLS rewrite scan_relocs chose for relocation i in `out`, the
// section's bytes (a copy of its input); nothing for the others.
void rewrite_instruction(Ctx *ctx, const InputSection *isec, uint64_t i, uint8_t *out);
const char *formula_text(RelFormula f);
uint64_t formula_value(const RelocValue *v);
// Does v fit a field of `width` bytes under `check` (a RangeCheck)? If not, [*lo, *hi]
// is the range that would have.
bool reloc_fits(uint64_t v, uint8_t width, int check, int64_t *lo, int64_t *hi);

// explain_relocs.c: --explain-reloc: prints each relocation asked about, worked out
// by apply_relocs.c's recipe, with its bytes before and after (in ctx->image).
void explain_relocs(Ctx *ctx);

// write_symtab.c: .symtab and .strtab, built in memory before the file is sized.
// Fills `symtab` and `strtab`; returns the index of the first global (sh_info).
uint32_t build_symtab(Ctx *ctx, Buf *symtab, StringTable *strtab);
// --emit-relocs: the index of output section i's section symbol in that table.
static inline uint32_t section_symbol_index(size_t i) { return (uint32_t)i + 1; }

//
// passes/write_relocatable.c — -r: one relocatable object made of the inputs, their
// relocations kept (instead of layout and write_output)
//

void write_relocatable(Ctx *ctx);

//
// passes/write_map.c — the link map (-Map, -M) and --why-extract
//

void write_map(Ctx *ctx);

//
// passes/draw_layout.c — --layout=FILE.svg: a picture of where the bytes go
//
// Draws a finished executable from its own headers (so the same code draws our
// output, --from=EXE and --layout-against=EXE2): its file, page by page, on the left;
// the virtual address space on the right; a ribbon for each PT_LOAD between them.
// Its two sub-steps, in ld/draw/, divide the work: page_rows.c decides what each page
// row holds and how tall it is, draw_svg.c turns that into SVG.

void draw_layout(Ctx *ctx);

// An executable or shared library, as its headers describe it; every table has been
// checked against the file (draw_layout.c reads it).
typedef struct {
  const char *name;
  View file;
  Elf64_Ehdr ehdr;
  Elf64_Phdr *phdrs;
  size_t phnum;
  Elf64_Shdr *shdrs;
  const char **shnames;  // "section N" where the file gives no readable name
  size_t shnum;
} Image;

//
// draw/page_rows.c — the picture's two columns, as rows of pages
//
// A column is the file (values are offsets) or the address space (values are
// addresses). It is cut into 4 KiB pages; a page with something to show inside it is
// a row of bands, one per section or header (to scale, but never thinner than a
// label); a long run of pages that hold one thing alone is one short row; in memory,
// the unmapped stretch between segments is a gap row.

enum { DRAW_PAGE = 4096 };

typedef enum {
  BAND_PAD,       // between sections: alignment padding, or bytes nothing names
  BAND_EHDR,      // the ELF header
  BAND_PHDRS,     // the program header table
  BAND_SHDRS,     // the section header table
  BAND_SECTION,   // a section's bytes (shndx)
  BAND_PAST_EOF,  // the rest of the file's last page: there is no such byte
  BAND_BSS,       // memory: a SHT_NOBITS section, zero-fill (shndx)
  BAND_ZERO,      // memory: zero-fill no section names
} BandKind;

typedef struct {
  uint64_t start, end;  // [start, end), offsets or addresses
  BandKind kind;
  size_t shndx;         // BAND_SECTION, BAND_BSS
  int seg;              // memory: the index in phdrs of the PT_LOAD that maps it
  bool faded;           // memory: bytes that come with the page, outside the segment
  bool cont;            // the section or header began on an earlier page
  double y, h;
} Band;

typedef enum { ROW_PAGE, ROW_RUN, ROW_GAP } PageRowKind;

typedef struct {
  PageRowKind kind;
  uint64_t start, end;  // ROW_PAGE: one page; ROW_RUN: several with one band; ROW_GAP:
                        // unmapped addresses
  Band *bands;          // ROW_PAGE, ROW_RUN (one)
  size_t nbands;
  double y, h;
} PageRow;

typedef struct {
  PageRow *rows;
  size_t nrows;
  double height;
} Column;

// The file's column and the address space's, top at y = 0.
void build_columns(Arena *arena, const Image *img, Column *file, Column *mem);
// Where value v is drawn in the column: its first byte, or, with `end`, just after
// the byte before it (so a range [a, b) is drawn from column_y(a) to column_y(b, end)).
double column_y(const Column *col, uint64_t v, bool end);
// How many PT_LOADs map the file page at `off` (the kernel maps whole pages).
int file_page_maps(const Image *img, uint64_t off);

//
// draw/draw_svg.c — one picture of one image, in SVG
//

// The document: its header (with the patterns the pictures share) and its end.
void svg_begin(FILE *fp, double width, double height, const char *title);
void svg_end(FILE *fp);
// The width of every picture.
double picture_width(void);
// Writes the picture's elements with its top left corner at (x, y); returns its height.
double draw_picture(FILE *fp, Arena *arena, const Image *img, const Column *file,
                    const Column *mem, double x, double y);

//
// synthetic/ — the sections the linker makes
//
// Each kind is one file with a SyntheticKind describing it, listed once in
// SYNTHETIC_SECTIONS. Adding a section is: a new file in ld/synthetic/ and one line
// here. create_synthetic_sections() makes one InputSection of every kind before the
// relocations are scanned (so that slots and dynamic relocations can point into
// them); layout asks each kind whether this link needs it and how big it is; the
// writer asks each to fill its bytes once every address is final. The list's order
// is the order in which they are written, and in which their program headers
// follow the PT_LOADs.

typedef struct {
  const char *name;
  uint32_t sh_type;
  uint64_t sh_flags;
  uint64_t sh_addralign;
  uint64_t sh_entsize;
  // Does this link need it? If so, sets isec->sh_size (and isec->aux->synthetic, for
  // contents known already). Runs in layout, once every input section is in its
  // output section, .eh_frame is split and every slot is numbered.
  bool (*size)(Ctx *ctx, InputSection *isec);
  // Fills its bytes at `buf` once every address is final and the input sections
  // are copied and relocated. NULL: its bytes are isec->aux->synthetic, or zeros.
  void (*write)(Ctx *ctx, InputSection *isec, uint8_t *buf);
  // The sh_link and sh_info of its section header. NULL: both 0.
  void (*link)(Ctx *ctx, Elf64_Shdr *sh);
  // An object made with -r has it too (merged as in a final link; size() alone
  // makes its bytes).
  bool in_relocatable;
  // A program header that covers exactly this section (PT_DYNAMIC, ...), or 0.
  uint32_t p_type;
  uint32_t p_flags;
  uint64_t p_align;
} SyntheticKind;

//   X(ID, name of its SyntheticKind)        file
#define SYNTHETIC_SECTIONS(X)                                                           \
  X(SYN_INTERP, interp_section)              /* interp.c: .interp, the dynamic linker */ \
  X(SYN_GOT, got_section)                    /* got.c: .got                         */ \
  X(SYN_PLT, plt_section)                    /* plt.c: .plt                         */ \
  X(SYN_GOT_PLT, got_plt_section)            /* got_plt.c: .got.plt, the PLT's slots */ \
  X(SYN_IPLT, iplt_section)                  /* iplt.c: .iplt, IFUNC stubs          */ \
  X(SYN_IGOT, igot_section)                  /* igot.c: .got.plt, their slots       */ \
  X(SYN_RELA_IPLT, rela_iplt_section)        /* rela_iplt.c: .rela.iplt             */ \
  X(SYN_HASH, hash_section)                  /* hash.c: .hash (--hash-style=sysv)   */ \
  X(SYN_GNU_HASH, gnu_hash_section)          /* gnu_hash.c: .gnu.hash               */ \
  X(SYN_DYNSYM, dynsym_section)              /* dynsym.c: .dynsym                   */ \
  X(SYN_DYNSTR, dynstr_section)              /* dynstr.c: .dynstr                   */ \
  X(SYN_VERSYM, versym_section)              /* versym.c: .gnu.version              */ \
  X(SYN_VERDEF, verdef_section)              /* verdef.c: .gnu.version_d            */ \
  X(SYN_VERNEED, verneed_section)            /* verneed.c: .gnu.version_r           */ \
  X(SYN_RELA_DYN, rela_dyn_section)          /* rela_dyn.c: .rela.dyn               */ \
  X(SYN_RELA_PLT, rela_plt_section)          /* rela_plt.c: .rela.plt               */ \
  X(SYN_DYNBSS, dynbss_section)              /* dynbss.c: copied variables          */ \
  X(SYN_COPY_RELRO, copy_relro_section)      /* copy_relro.c: copied constants      */ \
  X(SYN_GNU_PROPERTY, gnu_property_section)  /* gnu_property.c: .note.gnu.property  */ \
  X(SYN_DYNAMIC, dynamic_section)            /* dynamic.c: .dynamic                 */ \
  X(SYN_EH_FRAME_HDR, eh_frame_hdr_section)  /* eh_frame_hdr.c: .eh_frame_hdr       */ \
  X(SYN_BUILD_ID, build_id_section)          /* build_id.c: last: it hashes the rest */

#define X(id, kind) id,
typedef enum { SYNTHETIC_SECTIONS(X) NUM_SYNTHETIC } SyntheticId;
#undef X
#define X(id, kind) extern const SyntheticKind kind;
SYNTHETIC_SECTIONS(X)
#undef X

// Is this linker-made section in the output? (Known once layout has sized them.
// A model query, in model/sections.c, so that the kinds may ask about each other.)
bool has_synthetic(Ctx *ctx, SyntheticId id);
// synthetic.c: the table. Makes one section of each kind (not yet in the output).
void create_synthetic_sections(Ctx *ctx);
// Asks each kind whether this link needs it and how big it is (layout).
void size_synthetic_sections(Ctx *ctx);
// -r: sizes the kinds an object has too; appends those needed to `out`.
void relocatable_synthetic_sections(Ctx *ctx, PtrVec *out);
// Counts the program headers the kinds in the output need; then adds them.
size_t count_synthetic_phdrs(Ctx *ctx);
void add_synthetic_phdrs(Ctx *ctx, Segment *(*add)(Ctx *ctx, uint32_t type, uint32_t flags));
// The sh_link/sh_info of an output section that holds a linker-made section.
void synthetic_shdr_links(Ctx *ctx, const OutputSection *osec, Elf64_Shdr *sh);
// Fills every linker-made section in the output image `out`, in table order.
void write_synthetic_sections(Ctx *ctx, uint8_t *out);

//
// arch_x86_64.c — the only file that knows x86-64 relocation numbers
//

// What a relocation computes, in the psABI's letters (x86-64 psABI §4.4, table 4.9).
typedef enum {
  RX_NONE,      // R_X86_64_NONE
  RX_ABS,       // S + A
  RX_PC,        // S + A - P
  RX_GOT,       // G + A           (offset of the GOT slot from the GOT base)
  RX_GOTPCREL,  // G + GOT + A - P (may be relaxed to S + A - P)
  RX_GOTPC,     // GOT + A - P
  RX_GOTOFF,    // S + A - GOT
  RX_SIZE,      // Z + A
  RX_TPOFF,     // S + A - TP      (TP: the thread pointer, just above the TLS block)
  RX_DTPOFF,    // S + A - TLS start; S + A - TP in code, where LD became LE
  RX_GOTTPOFF,  // initial exec: relaxed to S + A - TP, or a GOT slot holding S - TP
  RX_TLSGD,     // general dynamic: relaxed to local exec
  RX_TLSLD,     // local dynamic: relaxed to local exec
  RX_TLSDESC,   // TLS descriptor: relaxed to local exec
  RX_TLSDESC_CALL,
} RelExpr;

typedef enum {
  CHECK_NONE,      // 64 bits: anything fits
  CHECK_SIGNED,    // the value must fit the field as a signed number
  CHECK_UNSIGNED,  // ... as an unsigned number
  CHECK_EITHER,    // ... either way (R_X86_64_16 and _8, like GNU ld's "bitfield")
} RangeCheck;

typedef struct {
  const char *name;  // "R_X86_64_PC32"; NULL for a number we do not know at all
  RelExpr expr;
  uint8_t width;     // bytes written
  RangeCheck check;
  bool supported;    // known but not handled (yet) if false
  bool relaxable;    // GOTPCRELX / REX_GOTPCRELX
} RelocHowto;

RelocHowto reloc_howto(uint32_t type);
// The x86-64 psABI's flag for "large" sections (.ldata, .lbss, .lrodata of the medium
// and large code models); <elf.h> does not name it.
enum { X86_64_SHF_LARGE = 0x10000000 };
// The name of a relocation for messages: "R_X86_64_PC32" or "type 99".
const char *reloc_name(Ctx *ctx, uint32_t type);
// How the GOT load whose field is at `off` can be rewritten (an ACT_GOT_TO_*), or
// ACT_AS_IS if it cannot.
RelAction got_relax_form(View insn, uint64_t off, uint32_t type);
void got_relax_rewrite(uint8_t *loc, RelAction form);
// Rewrites the TLS sequence around `off` to local exec in `out` (a copy of `in`);
// with out == NULL only checks that it can. *field is the offset of the 32-bit field
// that receives S + A - TP, or UINT64_MAX if none.
bool relax_tls(View in, uint8_t *out, uint64_t off, uint32_t type, uint64_t *field);
// The same, to initial exec (a shared library's variable): *field then receives the
// displacement of the GOT slot holding the TP offset, or is UINT64_MAX.
bool relax_tls_to_ie(View in, uint8_t *out, uint64_t off, uint32_t type, uint64_t *field);
bool is_tls_get_addr_call(const Elf64_Rela *tls, const Elf64_Rela *next);
bool is_tls_sequence_start(const Elf64_Rela *rel);  // TLSGD or TLSLD
// IFUNC support: the 16-byte stub that jumps through a GOT slot, and the
// R_X86_64_IRELATIVE entry that has the C library fill the slot at start-up.
enum { IPLT_STUB_SIZE = 16 };
void write_iplt_stub(uint8_t *p, uint64_t stub_addr, uint64_t slot_addr);
void write_irelative(uint8_t *p, uint64_t slot_addr, uint64_t resolver);
// One Elf64_Rela of .rela.dyn or .rela.plt: `kind` at `offset`, against .dynsym entry
// `dynsym` (0: none), with `addend`.
void write_dyn_reloc(uint8_t *p, DynKind kind, uint64_t offset, uint32_t dynsym,
                     uint64_t addend);
// Its name, for messages: "R_X86_64_RELATIVE".
const char *dyn_reloc_name(Ctx *ctx, DynKind kind);
// The PLT of a dynamic executable: PLT0, and entry `index` jumping through its slot.
enum { PLT_ENTRY_SIZE = 16 };
void write_plt0(uint8_t *p, uint64_t plt0_addr, uint64_t gotplt_addr);
void write_plt_entry(uint8_t *p, uint64_t entry_addr, uint64_t slot_addr, uint32_t index,
                     uint64_t plt0_addr);
// Is the 32-bit field at `off` the operand of a call or jmp (not an address taken)?
bool is_branch_field(View insn, uint64_t off);
bool is_plt_reloc(uint32_t type);  // R_X86_64_PLT32

//
// ArchiveFile: an archive being read (read_inputs.c)
//

typedef struct {
  const char *name;       // as messages show it
  Archive ar;
  bool *member_loaded;    // one flag per member
  Symbol **index_syms;    // per index entry: its symbol, once the table has it (a
                          // group rescans an index many times; names stay put)
} ArchiveFile;

//
// The context, its fields grouped by the pass that fills them
//

struct Ctx {
  Arena arena;
  Options opt;               // parse_args
  InputFile *internal;       // main: owner of the sections the linker makes
  PtrVec linker_sections;    // InputSection *, each new_linker_section, in order made
  Symbol *null_symbol;       // main: what symbol index 0 of every object names: an
                             // absolute 0 (a relocation "against no symbol")

  // read_inputs (and resolve_symbols, as each object arrives)
  PtrVec files;              // InputFile *, the objects, in load order
  PtrVec shared_files;       // InputFile *, the shared libraries, in command-line order
  PtrVec dependencies;       // InputFile *, the libraries those need, found by name
  bool dynamic;              // the output is dynamically linked (.dynamic, .dynsym; an
                             // executable also gets PT_INTERP)
  PtrVec archives;           // ArchiveFile *
  InputState state_stack[16];  // --push-state: saved positional states
  size_t state_depth;
  HashMap symtab;            // name -> Symbol *
  PtrVec globals;            // Symbol *, in the order they were first seen
  HashMap comdat;            // group signature -> InputFile * that keeps the group
  PtrVec link_warnings;      // LinkWarning *, from .gnu.warning sections
  PtrVec ir_files;           // InputFile *, compiler IR claimed by the LTO plugin (lto.c)
  HashMap ir_comdat;         // COMDAT key -> the IR file that keeps the group
  bool lto_done;             // the LTO plugin has made its objects
  bool reading_lto_objects;  // ... which are being read
  size_t lto_position;       // where, in files, the first IR file would have been
  PtrVec lto_inputs;         // InputArg *: the objects and libraries the plugin adds
  Script script;             // what the linker scripts say (linker_script.c)

  // allocate_common_symbols
  PtrVec common_sections;    // InputSection *, .bss space for COMMON symbols

  // create_synthetic_sections
  InputSection *synth[NUM_SYNTHETIC];  // one of each kind; is_alive once layout wants it

  // scan_relocs
  bool image_fits_32;        // the image surely ends below 2 GiB: GOT loads may be relaxed
  bool textrel;              // a dynamic relocation patches a read-only section: the
                             // dynamic linker must make it writable first (DT_TEXTREL)

  // assign_slots
  bool uses_got;             // some relocation uses the GOT or its base
  PtrVec got_syms;           // Symbol *, in slot order
  PtrVec gottp_syms;         // Symbol *, TP-offset slots, after the address slots
  PtrVec tlsgd_syms;         // Symbol *, (module, offset) pairs, after those
  PtrVec tlsdesc_syms;       // Symbol *, TLS descriptors, after those
  int64_t tlsld_index;       // the module's (module, 0) pair, last; or -1
  uint64_t got_slots_count;  // every .got slot: the size of .got is 8 times this
  PtrVec iplt_syms;          // Symbol *, IFUNCs called or addressed, in stub order
  PtrVec dyn_relocs;         // DynReloc *, in the order .rela.dyn lists them
  PtrVec plt_syms;           // Symbol *, in PLT entry order
  PtrVec copy_syms;          // Symbol *, variables copied into .dynbss (or, read-only
                             // ones, into .data.rel.ro)
  uint64_t copy_size;        // .dynbss's size
  uint64_t copy_relro_size;  // the read-only copies' size

  // choose_needed_libraries
  PtrVec needed;             // InputFile *, the shared libraries in DT_NEEDED

  // choose_dynamic_symbols
  PtrVec dynsyms;            // Symbol *, .dynsym from index 1
  uint32_t dynsym_defined;   // index of the first exported (hashed) .dynsym entry
  uint32_t gnu_hash_buckets;
  PtrVec verneeds;           // Verneed *
  PtrVec verdefs;            // const char *: versions the library defines, index 2 on
  StringTable dynstr;
  const char *rpath;         // -rpath directories joined with ':', or NULL
  const char *depaudit;      // DT_DEPAUDIT: --depaudit, then the DT_AUDIT of every
                             // needed library, joined with ':'; or NULL

  // layout
  OutputSection *eh_frame_osec;  // split record by record (split_eh_frame.c)
  uint64_t eh_frame_fdes;        // FDEs it keeps
  uint64_t dyn_relative;     // DYN_RELATIVE entries whose place is in the output
                             // (rela_dyn.c, when sized): DT_RELACOUNT
  PtrVec osecs;              // OutputSection *, in layout order: by address (then file
                            // order), but for sections --section-start moved
  Segment *segs;
  size_t nsegs;
  uint64_t phdrs_offset;
  uint64_t file_size;
  uint64_t unallocated_start;  // where the sections no segment holds begin in the file
  uint64_t got_addr;         // the GOT base for GOTPC/GOTOFF relocations
  uint64_t got_slots;        // where .got's slots are
  Segment *tls;              // PT_TLS, if any
  uint64_t tls_start;        // the TLS template's address
  uint64_t tp;               // where the thread pointer points, as an address in the
                             // template's terms: TLS start + its size, aligned

  // define_linker_symbols
  uint64_t entry;

  LinkStats stats;           // --stats (model/stats.c)

  // write_output
  uint8_t stack_decision;    // decide_stack's answer + 1, once it has been asked
  uint8_t *image;            // the output file's bytes while they are written
  uint64_t image_size;
};

// Stops the link if any pass so far recorded an error.
void checkpoint(Ctx *ctx);
// main.c: one whole link with this command line, in a process that may go on to
// link again: returns the exit status (0, 1 for a link error, 2 for bad usage)
// instead of exiting, and frees everything the link held.
int ld_main(int argc, char **argv);

static inline bool is_pic(const Ctx *ctx) { return ctx->opt.pie || ctx->opt.shared; }

static inline uint64_t align_to(uint64_t v, uint64_t align) {
  return align <= 1 ? v : (v + align - 1) & ~(align - 1);
}

#endif
