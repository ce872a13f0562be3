/*
 * common.h — the pieces every tool of the toolchain needs.
 *
 * Read top to bottom, this header is the map of common/: diagnostics, the arena,
 * bounds-checked views over mapped files, a string hash map, the ELF64 relocatable
 * object reader, the shared object reader (with its version tables), the ar
 * archive reader and the output file writer. Each banner below belongs to one .c file.
 */
#ifndef MINI_COMMON_H
#define MINI_COMMON_H

#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define FORMAT_PRINTF(a, b) __attribute__((format(printf, a, b)))

//
// diag.c — messages in the form `tool: file: what`
//
// Every function here may be called from any thread: each message is one write(2)
// of one whole line, and the error count is atomic.

// The tool name that starts every message ("mini-ld"). Set once by main().
void diag_set_tool(const char *tool);
// Input or link error: print and count it; the run continues to the next checkpoint.
void error(const char *fmt, ...) FORMAT_PRINTF(1, 2);
// The input is unusable: print, run the cleanup hook, exit 1.
_Noreturn void fatal(const char *fmt, ...) FORMAT_PRINTF(1, 2);
// Bad command line: print, run the cleanup hook, exit 2.
_Noreturn void usage_error(const char *fmt, ...) FORMAT_PRINTF(1, 2);
void warn(const char *fmt, ...) FORMAT_PRINTF(1, 2);
// What warn() does: print (the default), stay silent, or print and count an error.
enum { WARNINGS_SHOW, WARNINGS_NONE, WARNINGS_FATAL };
void diag_set_warnings(int mode);
// Are warnings printed (not silenced by -w)? For a line that goes with one.
bool warnings_shown(void);
// Information the user asked for (e.g. mini-ld -y): `tool: what`, not counted.
void note(const char *fmt, ...) FORMAT_PRINTF(1, 2);
// How many errors have been recorded so far.
int error_count(void);
// A bug in our own code, not in the input.
#define internal_error(...) internal_error_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void internal_error_at(const char *file, int line, const char *fmt, ...)
    FORMAT_PRINTF(3, 4);
// Called before any exit through fatal()/usage_error()/internal_error()/end_run():
// removes half-written outputs. `unwinding` is true when the run unwinds to
// run_catching() and the process goes on: the hook then also gives back what the
// outputs hold (descriptors, mappings, memory). One hook is enough: only
// output_file.c registers it. The hook must not report anything through fatal()
// (it would wait for itself).
void diag_set_cleanup(void (*fn)(bool unwinding));
// Ends the run with this exit status, as fatal() does but without a message (the
// caller has printed one, or there is none: --version).
_Noreturn void end_run(int status);
// Runs fn(arg) as one run of a tool inside a process that goes on (a fuzz harness,
// a test driver): the error count and warning mode start afresh, and fatal(),
// usage_error(), internal_error() or end_run() on this thread return here with
// their status instead of exiting; but not from inside a parallel_for that other
// threads share (the workers would go on with the loop's dead frame): there, and
// on any other thread, they still end the process. In-process runs that must
// never exit run on one thread (mini-ld --no-threads). Returns that status, or fn's own result. The
// tool's entry point must free what fn's run allocated: see ld_main, ar_main.
int run_catching(int (*fn)(void *arg), void *arg);
// write(2) until all n bytes are out, writing again after a short write or EINTR.
// Returns false with errno set if the descriptor fails. The one such loop for every
// tool: messages, outputs, extracted members, the loader's trace.
bool write_all(int fd, const void *buf, uint64_t n);

//
// arena.c — bump allocation for link data
//
// Everything a link builds (symbols, sections, strings) lives until exit, so it is
// allocated from one arena and never freed one object at a time. The arena_*
// functions may be called from several threads on the same Arena at once; nothing
// may depend on the addresses they return.

typedef struct ArenaBlock ArenaBlock;
// All zero ({0}, calloc, static storage) is an empty arena.
typedef struct {
  ArenaBlock *_Atomic head;  // the block being filled; older ones hang off it
  ArenaBlock *_Atomic big;   // blocks that each hold one request bigger than a block
} Arena;

// Asks the kernel to back the 2 MiB-aligned parts of [p, p + bytes) with huge
// pages, for a big table read in random order (fewer page faults and TLB misses).
void advise_huge_pages(void *p, size_t bytes);
// Zeroed, 16-byte aligned memory that lives as long as the arena. Lock-free.
void *arena_alloc(Arena *arena, size_t size);
// The same, aligned to `align` (a power of two from 16 to 4096): a 64-byte object
// on a 64-byte boundary is one cache line, not two.
void *arena_alloc_aligned(Arena *arena, size_t size, size_t align);
// Bytes in the blocks of every arena, allocated or not yet (for --stats).
size_t arena_bytes(void);
// Frees everything the arena holds, leaving it empty (for a program that makes many
// short-lived arenas, like a fuzz harness; a link never needs it). No other thread
// may be using the arena.
void arena_free(Arena *arena);
// n elements of size bytes each, with the multiplication checked.
void *arena_array(Arena *arena, size_t n, size_t size);
char *arena_strdup(Arena *arena, const char *s);
char *arena_strndup(Arena *arena, const char *s, size_t len);
char *arena_printf(Arena *arena, const char *fmt, ...) FORMAT_PRINTF(2, 3);

// A growable array of pointers for lists whose length is not known in advance.
// It grows by copying into a fresh arena block; nobody may keep a pointer into
// `data` across a push. A PtrVec has one owner: two threads must not push to the
// same one (the arena under it may be shared).
typedef struct {
  void **data;
  size_t len;
  size_t cap;
} PtrVec;

void vec_push(Arena *arena, PtrVec *vec, void *item);
// Makes room for `more` items beyond len, so that as many pushes need no copy. (A
// vector grown by doubling leaves its old arrays behind in the arena, as much again
// as its final size; one whose size is known beforehand need not.)
void vec_reserve(Arena *arena, PtrVec *vec, size_t more);

//
// response_file.c — @FILE arguments (libiberty's rules, as gcc, GNU ld and ar use)
//

// Appends `word` to `out`, or, if it is "@FILE" naming a readable file, the words
// in that file (recursively). The words live in the arena.
void expand_response_file(Arena *arena, char *word, PtrVec *out);

//
// view.c — bounds-checked access to bytes of an input file
//
// A View is a window on bytes we did not write (usually a mapped file). Every read
// goes through a check that the slice lies inside it; the check subtracts instead of
// adding, so a huge offset from a corrupt file cannot wrap around.

typedef struct {
  const uint8_t *data;
  uint64_t size;
  const char *name;  // what messages call this input: "a.o", "libc.a(printf.o)"
} View;

// True if [off, off + len) lies inside the view.
static inline bool view_has(View v, uint64_t off, uint64_t len) {
  return off <= v.size && len <= v.size - off;
}

// The sub-view [off, off + len); the caller has checked view_has().
static inline View view_slice(View v, uint64_t off, uint64_t len) {
  return (View){v.data + off, len, v.name};
}

// True if a table of n entries of entsize bytes at off lies inside the view.
bool view_has_table(View v, uint64_t off, uint64_t n, uint64_t entsize);

// The NUL-terminated string at off inside v, or NULL if no NUL follows before the end.
const char *view_cstr(View v, uint64_t off);

uint16_t read_u16le(const uint8_t *p);
uint32_t read_u32le(const uint8_t *p);
uint64_t read_u64le(const uint8_t *p);
uint32_t read_u32be(const uint8_t *p);
uint64_t read_u64be(const uint8_t *p);
void write_u16le(uint8_t *p, uint16_t v);
void write_u32le(uint8_t *p, uint32_t v);
void write_u64le(uint8_t *p, uint64_t v);
void write_u32be(uint8_t *p, uint32_t v);

//
// sha1.c — SHA-1 (FIPS 180-4), with the CPU's SHA instructions when it has them
//

// The 20-byte SHA-1 digest of len bytes at data.
void sha1(const uint8_t *data, uint64_t len, uint8_t out[20]);

//
// mapped_file.c — input files, mapped read-only for the life of the process
//

// Maps path read-only. On failure returns false and sets errno (the caller words the
// message, because only it knows what the file was for). An empty file gives an
// empty view. The mapping stays until exit (or unmap_files): views point into it.
bool map_file(const char *path, const char *name, View *out);
// Bytes of files mapped so far (for --stats).
size_t mapped_bytes(void);
// Drops the pages of every mapped file from this process's resident memory (on
// every thread, parallel_for); the views stay valid, and a page read again is
// brought back from the page cache. Not from inside a parallel_for's task.
void release_mapped_pages(void);
// The same for the whole pages of n views of mapped files (objects, archive members:
// the pages they share with others stay), in increasing order of address, with the
// bytes between neighbours: one call to the kernel for each run of them mapped side
// by side.
void release_views_pages(const View *views, size_t n);
// Unmaps every file map_file() has mapped, for a program that runs a tool more than
// once in one process (see run_catching): no view into them may be used afterwards,
// and no other thread may be mapping a file meanwhile.
void unmap_files(void);

//
// hashmap.c — string keys to pointers, for the global symbol table
//

// 24 bytes: a big link's symbol table has two million of them. The low 32 bits of
// the hash are enough to place a key in any table that fits in memory, and to rule
// out most mismatches without a memcmp.
typedef struct {
  const char *key;
  void *value;
  uint32_t hash;    // the low half of hash_string(key)
  uint32_t keylen;  // keys are shorter than 4 GiB (hashmap_slot refuses longer ones)
} HashEntry;

typedef struct {
  HashEntry *entries;
  size_t cap;  // entries, fewer than 2^32
  // len is written at every insertion, by every thread at once: apart from what
  // every lookup reads (entries, cap), or each insertion would make the other
  // threads miss their next lookup's first read.
  char apart[64];
  size_t len;
} HashMap;

uint64_t hash_string(const char *s, size_t len);
// The value stored under key, or NULL.
void *hashmap_get(HashMap *map, const char *key, size_t keylen);
// The slot for key, created empty (value NULL) if it was not there; the caller fills
// slot->value. The key must outlive the map (it is not copied).
HashEntry *hashmap_slot(HashMap *map, const char *key, size_t keylen);
// Makes room for `more` new keys, so that as many concurrent inserts need no growth.
void hashmap_reserve(HashMap *map, size_t more);
// The value under key (whose hash_string is h); if there is none, make(arg, key)'s
// result, stored; NULL if the table is too full to take it now. Several threads
// may call it at once, and nothing else meanwhile. make must not return NULL.
void *hashmap_insert_concurrent(HashMap *map, const char *key, size_t keylen, uint64_t h,
                                void *(*make)(void *arg, const char *key), void *arg);
// The entry a key of hash h is looked for first: the hash's low 32 bits scaled
// to the table's size, which need not be a power of two.
static inline size_t hashmap_home(const HashMap *map, uint64_t h) {
  return (size_t)(((uint64_t)(uint32_t)h * map->cap) >> 32);
}
// Starts reading that entry. A caller with many keys to look up prefetches a few
// ahead: in a table bigger than the caches nearly every lookup misses, and misses
// started together are waited for together.
static inline void hashmap_prefetch(const HashMap *map, uint64_t h) {
  if (map->cap)
    __builtin_prefetch(&map->entries[hashmap_home(map, h)]);
}

//
// elf_object.c — reading ELF64 relocatable objects
//
// The reader checks every offset, size, count and index it reads before anything
// else looks at the object, so the passes after it can trust the tables it returns.
// Section headers and symbols are read where they lie in the mapped file when they
// are aligned there (copied out when not), and so are section contents.

typedef struct {
  View file;
  Elf64_Ehdr ehdr;
  const Elf64_Shdr *shdrs; // shnum entries, in the file if aligned there, else a copy
  uint64_t shnum;          // including SHN_UNDEF; from shdr[0].sh_size if e_shnum == 0
  View shstrtab;           // the section names, each checked to end inside it
  uint64_t symtab_shndx;   // 0 if the object has no symbol table
  const Elf64_Sym *syms;   // nsyms entries, in the file if aligned there, else a copy
                           // (also when the reader had to rewrite one)
  View xindex;             // SHT_SYMTAB_SHNDX's contents, if there is one (checked)
  uint32_t *sym_secidx;    // NULL, but for compiler IR (lto.c): nsyms section indexes
  View strtab;             // the symbol table's names, each checked to end inside it
  const char **symnames;   // NULL, but for compiler IR (lto.c): its nsyms names
  uint64_t nsyms;
  uint64_t first_global;   // the symbol table's sh_info
} ElfObject;

// The name of symbol i: where it lies in the string table. (An array of pointers to
// the names would be 8 bytes more per symbol: 20 MB for a link of 2.5 M symbols.)
static inline const char *elf_symbol_name(const ElfObject *obj, uint64_t i) {
  return obj->symnames ? obj->symnames[i] : (const char *)obj->strtab.data + obj->syms[i].st_name;
}
// The name of section i ("" for section 0).
static inline const char *elf_section_name(const ElfObject *obj, uint64_t i) {
  return i ? (const char *)obj->shstrtab.data + obj->shdrs[i].sh_name : "";
}
// The section defining symbol i, or 0 for undefined, SHN_ABS and SHN_COMMON ones:
// its st_shndx, or for SHN_XINDEX its entry in SHT_SYMTAB_SHNDX (checked).
static inline uint32_t elf_symbol_section(const ElfObject *obj, uint64_t i) {
  if (obj->sym_secidx)
    return obj->sym_secidx[i];
  uint16_t shndx = obj->syms[i].st_shndx;
  if (shndx == SHN_XINDEX)
    return read_u32le(obj->xindex.data + 4 * i);
  return shndx < SHN_LORESERVE ? shndx : 0;
}

// Is this the start of an ELF file at all?
bool is_elf(View v);
// Reads and checks the object; on a bad object prints the reason and returns false
// (as an error(), so the caller decides whether to go on).
bool read_elf_object(View v, Arena *arena, ElfObject *obj);
// The contents of section i; checked by read_elf_object (empty for SHT_NOBITS).
View elf_section_data(const ElfObject *obj, uint64_t i);

//
// compress.c — compressed sections (SHF_COMPRESSED), through the system's libz.so.1
// and libzstd.so.1, loaded when first needed; any thread may call these.
//
// `type` is ELFCOMPRESS_ZLIB or ELFCOMPRESS_ZSTD. On failure each sets *why to a
// reason (the library is missing, the data is corrupt) and returns false or 0.

#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2  // newer than some <elf.h>
#endif

// Decompresses n bytes into exactly `size` bytes at out.
bool decompress(uint32_t type, const uint8_t *in, size_t n, uint8_t *out, size_t size,
                const char **why);
// The most bytes compress() may make of n.
size_t compress_bound(uint32_t type, size_t n, const char **why);
// Compresses n bytes into out (cap bytes); returns the compressed size.
size_t compress(uint32_t type, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                const char **why);

//
// elf_shared.c — reading ELF64 shared objects (.so) as link inputs
//
// What a linker needs from a shared library, found through its section headers as
// GNU ld and lld find it: the dynamic symbols (.dynsym) with their versions
// (.gnu.version, .gnu.version_d, .gnu.version_r) and the library's DT_SONAME,
// DT_NEEDED and DT_AUDIT (.dynamic). Every offset, count, index and name is checked
// by read_elf_shared, so callers index these tables without checking again.

// Bits of a .gnu.version entry (GNU symbol versioning); <elf.h> does not name them.
enum {
  VERSYM_VERSION = 0x7fff,  // the version index: 0 local, 1 global (no version), or
                            // an index of verdef_names (defined symbols) or
                            // verneed_names (undefined ones)
  VERSYM_HIDDEN = 0x8000,   // not the default version: `foo@V`, not `foo@@V`
};

typedef struct {
  View file;
  Elf64_Ehdr ehdr;
  const char *soname;         // DT_SONAME, or NULL if the library has none
  const char **needed;        // DT_NEEDED names, in order
  const char *audit;          // DT_AUDIT (--audit when it was linked), or NULL
  size_t nneeded;
  Elf64_Sym *syms;            // .dynsym, copied out of the file; nsyms entries
  const char **symnames;      // nsyms names, checked
  uint64_t nsyms;             // 0 if the library has no .dynsym
  uint64_t first_global;      // .dynsym's sh_info; no symbol from here on is local
  uint16_t *versym;           // .gnu.version: nsyms entries, or NULL if there is none
  const char **verdef_names;  // version index -> the name .gnu.version_d gives it, or
                              // NULL where no definition has that index
  bool *verdef_is_base;       // VER_FLG_BASE: the library's own name (usually index 1)
  uint16_t nverdefs;          // entries of both: the largest index + 1, or 0
  const char **verneed_names; // version index (vna_other) -> the version of another
                              // library that .gnu.version_r names, or NULL
  uint16_t nverneeds;         // the largest index + 1, or 0
  const Elf64_Shdr *shdrs;    // the section headers (a defined symbol's st_shndx, other
  uint64_t shnum;             // than SHN_ABS, is checked to index them)
  uint64_t relro_start;       // PT_GNU_RELRO's addresses: data made read-only after
  uint64_t relro_end;         // relocation (both 0 if there is none)
} ElfShared;

// Is v an ELF shared object (ET_DYN)? A file too short for e_type is not.
bool is_elf_shared(View v);
// Reads and checks the library: an ELF64, little-endian, x86-64 ET_DYN file with a
// section header table. On a bad one prints the reason (error(), `tool: FILE: what`)
// and returns false. The tables live in the arena; names point into the file.
bool read_elf_shared(View v, Arena *arena, ElfShared *so);
// The name of symbol i's version: from verdef_names for a defined symbol, from
// verneed_names for an undefined one; NULL if it has none (no .gnu.version, or
// index 0 or 1). Whether it is the default version: !(versym[i] & VERSYM_HIDDEN).
const char *elf_shared_version(const ElfShared *so, uint64_t i);

//
// elf_versions.c — the version tables of a shared object, for read_elf_shared
//
// Each reads one chain section into ElfShared's version index -> name table: sec is
// the section's bytes, count its sh_info (the number of entries), strtab the string
// table its sh_link names, and `where` starts every message ("libm.so.6: section
// '.gnu.version_d'"). On a bad chain they print the reason and return false.

// .gnu.version_d -> verdef_names, verdef_is_base, nverdefs.
bool read_version_definitions(View sec, uint32_t count, View strtab, const char *where,
                              Arena *arena, ElfShared *so);
// .gnu.version_r -> verneed_names, nverneeds.
bool read_version_needs(View sec, uint32_t count, View strtab, const char *where,
                        Arena *arena, ElfShared *so);

//
// ar_format.c — reading ar archives
//
//   "!<arch>\n"                       (or "!<thin>\n" for a thin archive)
//   +------------------------------+
//   | name[16] date[12] uid[6]     |  each member: a 60-byte header of ASCII fields,
//   | gid[6] mode[8] size[10] `\n  |  then size bytes of data, then one '\n' of
//   +------------------------------+  padding if size is odd.
//   | data ...                     |
//
// Special members: "/" (GNU symbol index, big-endian u32), "/SYM64/" (the same with
// u64), "//" (long names, referred to as "/123"), "__.SYMDEF" (BSD index) and BSD long
// names "#1/len" (the name follows the header). Members are identified by the offset
// of their header, never by name: archives such as musl's libc.a repeat names.

typedef struct {
  uint64_t offset;  // of the member's header in the archive
  const char *name;
  View data;        // the member's bytes; for thin archives, empty (see `path`)
  const char *path; // thin archives: the member's file, relative to the current dir
  bool read;        // name and data are set (read_archive_member)
} ArMember;

typedef struct {
  const char *name;
  uint64_t offset;  // header offset of the member that defines it
} ArSymbol;

typedef struct {
  View file;
  bool thin;
  bool has_index;
  bool lazy;        // read_archive_index: members are the index's, read when asked
  ArMember *members;  // in file order
  size_t nmembers;
  ArSymbol *syms;
  size_t nsyms;
  View names;       // the "//" member's data (GNU long names)
  bool have_names;
} Archive;

bool is_archive(View v);
// Reads the member headers and the symbol index; on a corrupt archive prints the
// reason (error()) and returns false.
bool read_archive(View v, Arena *arena, Archive *ar);
// The same, for a linker, which needs only the members the index names: when the
// archive has an index (and is not thin), reads just the special members at its
// start, and `members` are the ones the index points at, each read when asked
// (read_archive_member); a big libc.a is 2,000 headers a page or so apart. Else
// read_archive.
bool read_archive_index(View v, Arena *arena, Archive *ar);
// Reads m's header if it was not read yet; false, with nothing printed, if there
// is no good member header at its offset (the caller then learns what is wrong with
// read_archive, which walks them all).
bool read_archive_member(Archive *ar, Arena *arena, ArMember *m);
// The member whose header is at offset, or NULL.
ArMember *archive_member_at(Archive *ar, uint64_t offset);

//
// parallel.c — the iterations of a loop on several threads
//

// How many threads parallel_for uses (the caller's included): n, or, if never set,
// the CPUs this process may run on. Fixed once the first parallel loop has run.
void set_thread_count(int n);
int thread_count(void);
// Calls fn(arg, i) for every i in [0, n), in no particular order and on up to
// thread_count() threads, and returns when all calls have. Each call must touch
// only what belongs to its i (or use atomics), so that the result does not depend
// on the thread count. One loop at a time; a loop started inside fn runs serially.
void parallel_for(size_t n, void (*fn)(void *arg, size_t i), void *arg);
// memcpy on every thread, a megabyte a task: the first write to each page of a
// fresh output mapping is a page fault, which threads then take side by side.
void parallel_memcpy(void *dst, const void *src, size_t n);
// parallel.c's side of diag.c: a task's messages are held back (diag_hold(true, i)
// on the thread running task i) and written, ordered by task, when the loop ends
// (diag_release). A fatal() inside such a task ends the process rather than
// unwinding to run_catching(): the other threads go on running the loop.
void diag_hold(bool on, size_t index);
void diag_release(void);

//
// output_file.c — writing an output file: all of it, or none of it
//
// The output is written to an unnamed file in PATH's directory (or, where the file
// system cannot, a temporary file "PATH.tmp.XXXXXX") and named PATH by
// output_commit(). Until then PATH is untouched, and if the run dies (fatal() in any
// thread, or even SIGKILL) or the output is discarded, nothing is left behind. An existing PATH that is not a regular file (/dev/null, a pipe) is
// written in place instead, never renamed over. Several outputs may be open at
// once. Open, map, commit and discard an output from one thread at a time.
//
//   OutputFile of;
//   if (!output_open(&of, "lib.a", 0666, OUTPUT_FOLLOW_SYMLINK | OUTPUT_KEEP_MODE))
//     exit(1);                          // the message has been printed
//   write_all(of.fd, bytes, n);         // or output_map(), or output_stream()
//   if (!output_commit(&of))
//     exit(1);
//
// Every function that fails reports it with error() (`tool: PATH: cannot write:
// No space left on device`), gives the output up as output_discard() does, and
// returns false or NULL: the caller only has to stop.

enum {
  OUTPUT_FOLLOW_SYMLINK = 1 << 0,  // PATH a symlink: replace its target, keep the link
  OUTPUT_KEEP_MODE = 1 << 1,       // PATH a regular file: the new one gets its mode
  OUTPUT_DASH_IS_STDOUT = 1 << 2,  // "-" means standard output
};

typedef struct OutputFile OutputFile;
struct OutputFile {
  // The caller reads these two.
  const char *path;  // as the caller named it; messages use it
  int fd;            // where the bytes go: the temporary file, the special file
                     // itself, or 1 for stdout; -1 once committed or discarded
  // The rest belongs to output_file.c.
  char *temp;        // the temporary file's name, or NULL when unnamed or in place
  bool unnamed;      // fd is an O_TMPFILE file, named only at commit
  char *target;      // what temp is renamed to: path, or the symlink's target
  bool replaces;     // target exists (a failed rename "cannot replace" it)
  bool to_stdout;
  uint8_t *map;      // output_map's mapping (anonymous memory when in place)
  uint64_t map_size;
  FILE *stream;      // output_stream's FILE, writing into text
  char *text;
  size_t text_len;
  OutputFile *next;  // in the list the cleanup hook walks
};

// Opens PATH for writing: creates the temporary file with `mode` minus the umask
// (0777 for an executable, 0666 for data; OUTPUT_KEEP_MODE keeps an existing
// file's mode instead), or opens the special file, or takes stdout. *of must stay
// where it is (it is linked into a list) until output_commit or output_discard.
bool output_open(OutputFile *of, const char *path, mode_t mode, unsigned flags);
// Sizes the output to `size` bytes (size > 0) and maps it writable; all zero. Any
// number of threads may fill it. For an output written in place this is anonymous
// memory that output_commit writes out. Call it at most once, and do not also
// write through fd or the stream.
uint8_t *output_map(OutputFile *of, uint64_t size);
// A stdio stream for a text report. What is printed to it collects in memory and
// output_commit writes it all (to stdout for "-", after flushing what stdout
// already holds). The stream belongs to the output: do not fclose it, and do not
// also use fd or a map.
FILE *output_stream(OutputFile *of);
// Finishes the output: writes out what is held in memory (the stream's text, an
// in-place map), unmaps, closes fd, then renames the temporary file over PATH. On
// any failure reports it and removes the temporary file; PATH is then as it was.
bool output_commit(OutputFile *of);
// Gives the output up: closes everything and removes the temporary file, so PATH
// is as it was (an output written in place keeps what already reached it). Does
// nothing to an output already committed or discarded, or whose open failed.
// Leaves errno as it was.
void output_discard(OutputFile *of);

#endif
