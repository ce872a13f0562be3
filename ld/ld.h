/*
 * ld.h — the map of mini-ld.
 *
 * mini-ld is a pipeline of passes over one context (Ctx). Each banner below belongs
 * to one .c file, in the order main() runs them:
 *
 *   parse_args → read_inputs → resolve_symbols → scan_relocs → layout
 *     → define_linker_symbols → write_output (copy sections + apply_relocs)
 *
 * Passes talk to each other only through Ctx. A pass records errors and goes on;
 * main() calls checkpoint() after it, which stops the link if anything went wrong.
 */
#ifndef MINI_LD_H
#define MINI_LD_H

#include "../common/common.h"

#define MINI_LD_VERSION "0.1.0"

typedef struct Ctx Ctx;
typedef struct InputFile InputFile;
typedef struct InputSection InputSection;
typedef struct OutputSection OutputSection;
typedef struct Segment Segment;
typedef struct Symbol Symbol;

//
// Symbols
//
// Local symbols belong to one file; global symbols are shared through ctx->symtab,
// so every file that names `foo` points at the same Symbol. A Symbol says where its
// definition is (a section and an offset in it, or an absolute value), or that it is
// still undefined.

typedef enum {
  SYM_UNDEF,    // referenced, not (yet) defined
  SYM_DEFINED,  // defined in a section of a loaded object, or absolute (isec == NULL)
  SYM_COMMON,   // a tentative definition: becomes .bss space unless a real one turns up
  SYM_LINKER,   // defined by the linker (_end, __bss_start, ...): osec + value
} SymState;

struct Symbol {
  const char *name;
  SymState state;
  uint8_t binding;        // STB_LOCAL, STB_GLOBAL, STB_WEAK (of the winning definition)
  uint8_t type;           // STT_*
  uint8_t visibility;     // STV_*
  bool is_global;         // lives in ctx->symtab
  bool strong_ref;        // some loaded object refers to it with a non-weak reference
  bool needs_got;         // some relocation needs a GOT slot holding its address
  bool traced;            // named by -y: report each definition and reference
  bool defsym;            // defined by --defsym: input definitions do not replace it
  InputFile *file;        // the file defining it (or first referencing it, if undefined)
  InputSection *isec;     // its section; NULL for absolute and linker symbols
  OutputSection *osec;    // linker symbols: the output section the value is relative to
  uint64_t value;         // offset in isec (or osec), or the absolute value
  uint64_t size;
  uint64_t common_align;  // SYM_COMMON: the strictest alignment seen
  int64_t got_index;      // slot in .got holding the address, or -1
  int64_t gottp_index;    // slot in .got holding the TP offset (initial exec), or -1
  int64_t iplt_index;     // STT_GNU_IFUNC: its stub in .iplt, or -1
  InputSection *iplt;     // ... which is this section (set with iplt_index)
  uint32_t out_index;     // index in the output .symtab
};

//
// Input files and sections
//

// One record of an .eh_frame input section (see split_eh_frame.c).
typedef struct {
  uint64_t in_off, size;        // where it is in the input section, header included
  uint64_t id_off;              // offset of the CIE id / CIE pointer in the record
  uint64_t cie_in;              // FDE: its CIE's offset in the input section
  uint64_t out_off;             // where it goes, from the start of the output .eh_frame
                                // (a dropped duplicate CIE: where its twin went)
  uint64_t cie_out;             // FDE: its CIE's output offset
  uint64_t rel_begin, rel_end;  // its relocations: rels[rel_begin, rel_end)
  bool is_cie;
  bool kept;
} EhRecord;

// Where a string of a merged SHF_MERGE section went (see merge_strings.c).
typedef struct {
  uint64_t in_off;   // where the string starts in the input section
  uint64_t out_off;  // where its one copy is in the merged section
  const struct String *str;  // while merging: the distinct string it is
} MergePiece;

struct InputSection {
  InputFile *file;
  const char *name;
  uint64_t shndx;         // in its file; 0 for sections the linker makes
  uint32_t sh_type;
  uint64_t sh_flags;
  uint64_t sh_size;
  uint64_t sh_addralign;
  uint64_t sh_entsize;
  View data;              // empty for SHT_NOBITS
  const Elf64_Rela *rels; // copied out of the file; NULL if none
  uint64_t nrels;
  bool is_alive;          // false: discarded (COMDAT loser, SHF_EXCLUDE, ...)
  bool gc_live;           // --gc-sections: reached from a root
  OutputSection *osec;
  uint64_t offset;        // within osec
  uint32_t order;         // position among osec's members
  const uint8_t *synthetic;  // contents made by the linker (e.g. merged .comment)
  EhRecord *eh;           // .eh_frame: its records, placed one by one
  uint64_t neh;
  InputSection *merged;   // SHF_MERGE strings: the section they were merged into
  MergePiece *pieces;     // ... and where each string went
  uint64_t npieces;
};

struct InputFile {
  const char *name;       // as messages show it: "a.o", "libfoo.a(bar.o)"
  View view;
  ElfObject obj;
  InputSection **sections;  // indexed by section index; NULL for those not kept
  Symbol **syms;            // indexed by symbol index; locals are private to the file
  uint32_t priority;        // load order, for deterministic output
  // Archive members: the file and symbol that made the linker load it (for -Map and
  // --why-extract). extracted_by is NULL when the entry point pulled it in.
  const char *extracted_by;
  const char *extracted_for;
  bool from_archive;
};

// A .gnu.warning.SYM section: print `text` if SYM is used (or, for a bare
// .gnu.warning, if `file` is linked at all), as GNU ld does for glibc's getpwnam.
typedef struct {
  const char *symbol;     // NULL for a bare .gnu.warning
  InputFile *file;
  const char *text;
} LinkWarning;

typedef struct {
  const char *name;       // as messages show it
  Archive ar;
  bool *member_loaded;    // one flag per member
} ArchiveFile;

//
// Output sections and segments
//

struct OutputSection {
  const char *name;
  uint32_t sh_type;
  uint64_t sh_flags;
  uint64_t sh_addralign;
  uint64_t sh_entsize;
  uint64_t addr;
  uint64_t offset;        // in the output file
  uint64_t size;
  uint32_t shndx;         // in the output file
  int rank;               // layout order (see layout.c)
  int seg_kind;           // which PT_LOAD it belongs to (layout.c's SEG_*)
  PtrVec members;         // InputSection *
  Segment *seg;           // the PT_LOAD holding it, if allocated
};

struct Segment {
  uint32_t p_type;
  uint32_t p_flags;
  uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
  int kind;               // PT_LOAD: layout.c's SEG_* for what it holds
};

// GOT loads the linker may rewrite into direct references (see arch_x86_64.c).
typedef enum {
  RELAX_NONE,   // keep the GOT load
  RELAX_MOV,    // mov -> lea: the field becomes S + A - P
  RELAX_CALL,   // call *GOT -> addr32 call: S + A - P
  RELAX_JMP,    // jmp *GOT -> nop; jmp: S + A - P
  RELAX_TEST,   // test -> test $imm32: the field becomes S (sign-extended)
  RELAX_BINOP,  // add/sub/... -> op $imm32: S (sign-extended)
} GotRelax;

//
// parse_args.c — GNU ld's command line
//

// One input in command-line order: a file, an -l, or a group/whole-archive marker.
typedef enum {
  ARG_FILE,
  ARG_LIBRARY,      // -lNAME or -l:FILE
  ARG_GROUP_START,
  ARG_GROUP_END,
  ARG_WHOLE_ARCHIVE,
  ARG_NO_WHOLE_ARCHIVE,
  ARG_PUSH_STATE,       // --push-state: save --whole-archive's state
  ARG_POP_STATE,        // --pop-state: restore it
} ArgKind;

typedef struct {
  ArgKind kind;
  const char *value;
} InputArg;

// --defsym NAME=EXPR, EXPR being a number, or a symbol plus or minus a number.
typedef struct {
  const char *name;
  const char *target;  // NULL: the value is absolute
  int64_t offset;
} Defsym;

typedef enum { BUILD_ID_NONE, BUILD_ID_SHA1, BUILD_ID_UUID, BUILD_ID_HEX } BuildIdStyle;

typedef struct {
  const char *output;
  const char *entry;        // NULL: the default "_start"
  bool entry_given;
  PtrVec lib_paths;         // const char *, from -L in order
  InputArg *inputs;
  size_t ninputs;
  bool strip_all;           // -s
  bool strip_debug;         // -S
  bool discard_all;         // -x: no local symbols in .symtab
  bool nostdlib;            // -nostdlib: no default library directories
  bool eh_frame_hdr;        // --eh-frame-hdr
  bool relro;               // -z relro (the default): emit PT_GNU_RELRO
  bool pie;                 // -pie: a static PIE (ET_DYN, base 0, RELATIVE relocations)
  bool static_link;         // -static / -Bstatic
  bool no_dynamic_linker;   // --no-dynamic-linker
  bool gc_sections;         // --gc-sections
  bool print_gc_sections;   // --print-gc-sections
  int execstack;            // -z execstack: 1, -z noexecstack: -1 (the last wins), or 0
  uint64_t page_size;       // -z max-page-size
  uint64_t image_base;      // -Ttext-segment / --image-base
  bool image_base_given;
  const char *map_file;     // -Map=FILE, or "-" for -M (stdout)
  const char *why_extract;  // --why-extract=FILE, "-" for stdout
  bool trace;               // -t: print each file as it is loaded
  PtrVec trace_symbols;     // -y SYM: names to report definitions and references of
  PtrVec undefined;         // -u SYM: names to treat as undefined references
  PtrVec require_defined;   // --require-defined=SYM: ... which must end up defined
  PtrVec defsyms;           // Defsym *, from --defsym
  BuildIdStyle build_id;    // --build-id[=STYLE]
  uint64_t build_id_size;   // bytes of the ID
  const uint8_t *build_id_hex;  // --build-id=0xHEX
} Options;

void parse_args(Ctx *ctx, int argc, char **argv);

//
// read_inputs.c — load objects, and archive members as they are needed
//

void read_inputs(Ctx *ctx);

//
// read_object.c — one object: its sections, groups, symbols
//

InputFile *load_object(Ctx *ctx, const char *name, View view);
// A section whose contents the linker makes (.got, COMMON space, ...).
InputSection *new_synthetic_section(Ctx *ctx, const char *name, uint32_t type, uint64_t flags,
                                    uint64_t size, uint64_t align);

//
// linker_script.c — input scripts such as Debian's libm.a: GROUP(...), INPUT(...)
//

// If v is a linker script, appends the inputs it names to `out` (InputArg *) and
// returns true (errors in it are reported); returns false if it is not text.
bool read_input_script(Ctx *ctx, const char *path, View v, PtrVec *out);
// Adds one loaded object's symbols to the global table (defined in resolve_symbols.c).
void add_file_symbols(Ctx *ctx, InputFile *file);

//
// resolve_symbols.c — one definition per name
//

Symbol *intern_symbol(Ctx *ctx, const char *name);
void resolve_symbols(Ctx *ctx);
// Every undefined symbol that live code refers to, with its places; and the
// .gnu.warning messages for what live code uses.
void report_undefined(Ctx *ctx);

//
// gc_sections.c — --gc-sections
//

void gc_sections(Ctx *ctx);

//
// scan_relocs.c — which symbols need a GOT slot
//

void scan_relocs(Ctx *ctx);
// How a GOT-relative relocation against sym will be rewritten, if at all. scan_relocs
// and apply_relocs both ask, so they always agree on whether a slot is used.
GotRelax got_relax(Ctx *ctx, const InputSection *isec, const Elf64_Rela *rel,
                   const Symbol *sym);

//
// output_sections.c — input sections grouped into output sections
//

void make_output_sections(Ctx *ctx);
bool has_section_prefix(const char *name, const char *prefix);

//
// layout.c — segments, addresses, file offsets
//

void layout(Ctx *ctx);
// The address references to sym use. For an IFUNC that is its .iplt stub.
uint64_t symbol_address(const Symbol *sym);
// Where sym itself is (for an IFUNC: its resolver), ignoring any stub.
uint64_t symbol_definition_address(const Symbol *sym);
// S for a relocation with addend A: symbol_address(sym), except that a section
// symbol of a merged string section points at the string at offset A, wherever
// merging put it (S is returned so that S + A lands there).
uint64_t symbol_address_for(const Symbol *sym, uint64_t A);
uint64_t isec_address(const InputSection *isec);

//
// define_linker_symbols.c — _end, __bss_start, __ehdr_start, ...
//

// Before resolution ends: claims the names the linker can define, if referenced.
void reserve_linker_symbols(Ctx *ctx);
// After layout: gives them their addresses.
void define_linker_symbols(Ctx *ctx);
// Before inputs are read: --defsym names, so that inputs do not define them.
void reserve_defsyms(Ctx *ctx);
bool is_c_identifier(const char *s);

//
// write_output.c — the executable file
//

void write_output(Ctx *ctx);

//
// build_id.c — .note.gnu.build-id
//

void parse_build_id(Ctx *ctx, const char *style);
InputSection *new_build_id_section(Ctx *ctx);
void write_build_id(Ctx *ctx, uint8_t *out, uint64_t size);
void sha1(const uint8_t *data, uint64_t len, uint8_t out[20]);

//
// eh_frame.c — .eh_frame_hdr and PT_GNU_EH_FRAME (--eh-frame-hdr)
//

void write_eh_frame_hdr(Ctx *ctx, uint8_t *out);

//
// split_eh_frame.c — .eh_frame record by record: one copy of each CIE, no FDEs for
// code that is not in the output
//

// Reads the header of the .eh_frame record at `off`: its whole size and the length of
// its length field (4, or 12 with the 64-bit escape). Returns 1 for a record, 0 at
// the end (a terminator, or no bytes left), -1 if the record is malformed.
int eh_record_at(View v, uint64_t off, uint64_t *size, uint64_t *hdr);
// Lays out the records of every member; sets the output section's size and returns
// how many FDEs it keeps.
uint64_t split_eh_frame(Ctx *ctx, OutputSection *osec);
// Where a symbol at `value` in an .eh_frame input section ends up, from the start of
// the output section.
uint64_t eh_frame_offset(const InputSection *isec, uint64_t value);
// Copies and relocates the kept records of one member into the output section.
void write_eh_frame_records(Ctx *ctx, InputSection *isec, uint8_t *osec_out);

//
// dynamic.c — a static PIE's .dynamic and .rela.dyn
//

// During scan_relocs: can this absolute relocation be moved at start-up? Counts it.
void note_absolute_in_pie(Ctx *ctx, InputSection *isec, const Elf64_Rela *rel, Symbol *sym);
// After scan_relocs: makes .dynamic, .rela.dyn, .dynsym and .dynstr.
void make_dynamic_sections(Ctx *ctx);
// For section headers: the sh_link/sh_info of the dynamic sections.
void dynamic_shdr_links(Ctx *ctx, const OutputSection *osec, Elf64_Shdr *sh);
// After the sections are relocated in `out`: fills .rela.dyn and .dynamic.
void write_dynamic(Ctx *ctx, uint8_t *out);
bool is_image_relative(const Symbol *sym);

//
// merge_strings.c — SHF_MERGE | SHF_STRINGS sections: each string once
//

void merge_strings(Ctx *ctx, OutputSection *osec);
// Where offset `off` of a merged input section went, inside isec->merged.
uint64_t merged_offset(const InputSection *isec, uint64_t off);

//
// gnu_property.c — one .note.gnu.property for the whole program
//

// Merges the objects' notes (AND, OR by property type); sets ctx->gnu_property if
// anything holds for the program.
void merge_gnu_properties(Ctx *ctx);

//
// write_map.c — the link map (-Map, -M) and --why-extract
//

void write_map(Ctx *ctx);

//
// apply_relocs.c — patch section bytes in the output image
//

// Relocates isec's bytes already copied to `out`: the whole section, or only one
// .eh_frame record (then `out` is where that record went).
void apply_relocs(Ctx *ctx, InputSection *isec, uint8_t *out, const EhRecord *rec);

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
GotRelax got_relax_form(View insn, uint64_t off, uint32_t type);
void got_relax_rewrite(uint8_t *loc, GotRelax form);
// Rewrites the TLS sequence around `off` to local exec in `out` (a copy of `in`);
// with out == NULL only checks that it can. *field is the offset of the 32-bit field
// that receives S + A - TP, or UINT64_MAX if none.
bool relax_tls(View in, uint8_t *out, uint64_t off, uint32_t type, uint64_t *field);
bool is_tls_get_addr_call(const Elf64_Rela *tls, const Elf64_Rela *next);
bool is_tls_sequence_start(const Elf64_Rela *rel);  // TLSGD or TLSLD
// IFUNC support: the 16-byte stub that jumps through a GOT slot, and the
// R_X86_64_IRELATIVE entry that has the C library fill the slot at start-up.
enum { IPLT_STUB_SIZE = 16 };
void write_iplt_stub(uint8_t *p, uint64_t stub_addr, uint64_t slot_addr);
void write_irelative(uint8_t *p, uint64_t slot_addr, uint64_t resolver);
// Static PIE: "add the load address to the addend and store it at offset".
void write_relative(uint8_t *p, uint64_t offset, uint64_t addend);
// A placeholder entry the C library skips.
void write_none_reloc(uint8_t *p);

//
// The context
//

struct Ctx {
  Arena arena;
  Options opt;

  // read_inputs
  PtrVec files;          // InputFile *, in load order
  PtrVec archives;       // ArchiveFile *
  bool state_stack[16];  // --push-state: saved --whole-archive states
  size_t state_depth;

  // resolve_symbols
  HashMap symtab;        // name -> Symbol *
  PtrVec globals;        // Symbol *, in the order they were first seen
  InputFile *internal;   // owner of sections the linker makes (COMMON, .got)
  const char *execstack_file;  // an input whose .note.GNU-stack asks for an executable stack
  HashMap comdat;        // group signature -> InputFile * that keeps the group
  PtrVec link_warnings;  // LinkWarning *, from .gnu.warning sections

  // scan_relocs
  PtrVec common_sections;  // InputSection *, .bss space for COMMON symbols
  bool needs_got;        // some relocation uses the GOT or its base
  bool image_fits_32;    // the image surely ends below 2 GiB: GOT loads may be relaxed
  PtrVec got_syms;       // Symbol *, in slot order
  PtrVec gottp_syms;     // Symbol *, TP-offset slots, after the address slots
  InputSection *got;     // .got contents, made by the linker
  InputSection *build_id;  // .note.gnu.build-id, if asked for
  InputSection *gnu_property;  // the merged .note.gnu.property, if any
  InputSection *eh_frame_hdr;  // --eh-frame-hdr: the search table
  OutputSection *eh_frame_osec;  // split record by record (split_eh_frame.c)
  uint64_t eh_frame_fdes;        // FDEs it keeps
  PtrVec iplt_syms;      // Symbol *, IFUNCs called or addressed, in stub order
  InputSection *iplt;    // the stubs (R X)
  InputSection *igot;    // their GOT slots, filled at start-up (R W)
  InputSection *rela_iplt;  // R_X86_64_IRELATIVE for each slot (R); not in a PIE

  // static PIE (dynamic.c)
  uint64_t ndyn_relative;    // R_X86_64_64 places that need the load address added
  InputSection *dynamic, *rela_dyn, *dynsym, *dynstr;

  // layout
  PtrVec osecs;          // OutputSection *, in address (then file) order
  Segment *segs;
  size_t nsegs;
  uint64_t phdrs_offset;
  uint64_t file_size;
  uint64_t entry;
  uint64_t got_addr;     // the GOT base for GOTPC/GOTOFF relocations
  Segment *tls;          // PT_TLS, if any
  uint64_t tls_start;    // the TLS template's address
  uint64_t tp;           // where the thread pointer points, as an address in the
                         // template's terms: TLS start + its size, aligned
  OutputSection *got_osec;
};

// Stops the link if any pass so far recorded an error.
void checkpoint(Ctx *ctx);

static inline uint64_t align_to(uint64_t v, uint64_t align) {
  return align <= 1 ? v : (v + align - 1) & ~(align - 1);
}

#endif
