/*
 * loader.h — the map of mini-loader.
 *
 * mini-loader does in user space what the kernel's load_elf_binary() (fs/binfmt_elf.c)
 * does on execve: it reads an executable's headers, maps its segments, loads its
 * interpreter, builds a fresh process stack and jumps to the entry point, so that
 *
 *     mini-loader /bin/ls -l /      behaves like      /bin/ls -l /
 *
 * It is a pipeline of steps over one context (Ctx). Each banner below belongs to one
 * .c file, in the order main() runs them:
 *
 *   find_program → read_headers → check_plan → reserve_span → map_segments → zero_bss
 *     → [load_interp] → build_stack → set_mm
 *     --- point of no return ---
 *     → enter_program
 *
 * Everything before the point of no return may fail, and fails cleanly: one line
 * (`mini-loader: PROG: what`), everything we mapped unmapped, exit 126 (127 when PROG
 * is not found). After it nothing may fail: the process belongs to the program.
 *
 * The loader runs on glibc, and glibc's static start-up already took a little of the
 * brk heap before main() (our TLS block lives there). From main() on the loader must
 * not call anything that allocates with malloc: malloc grows the brk heap, and the
 * brk belongs to the program (set_mm hands it over, and checks that ours has not
 * moved). So text goes out through vsnprintf + write, and memory comes from mmap.
 *
 * What the loader leaves behind in the program's address space: its own image (as
 * anonymous copies, see exe_file.c), its small heap and its TLS. The program never
 * looks there, as it never looks at the kernel's own memory.
 */
#ifndef MINI_LOADER_H
#define MINI_LOADER_H

#include "../common/common.h"

#include <limits.h>

#define MINI_LOADER_VERSION "0.1.0"

//
// Facts about x86-64 Linux that the steps share (arch_x86_64.c holds the code)
//

// The page: the unit of mmap and mprotect, and ELF_MIN_ALIGN in binfmt_elf.c.
#define PAGESZ 4096ULL
// TASK_SIZE with 4-level page tables: the user address space is [0, 2^47) minus the
// top page, which the kernel keeps unmapped (a guard against the SYSRET bug).
#define USER_ADDR_END 0x7ffffffff000ULL
// Where the kernel puts a PIE that has an interpreter: two thirds of the way up
// (arch/x86/include/asm/elf.h, ELF_ET_DYN_BASE), before randomization.
#define ELF_ET_DYN_BASE (USER_ADDR_END / 3 * 2)
// The kernel refuses more program headers than fit in 64 KiB (load_elf_phdrs).
#define MAX_PHDR_BYTES 65536u

static inline uint64_t page_down(uint64_t a) { return a & ~(PAGESZ - 1); }
static inline uint64_t page_up(uint64_t a) { return (a + PAGESZ - 1) & ~(PAGESZ - 1); }

//
// The context
//

// One ELF file being loaded: the program, or its interpreter (ld.so).
typedef struct {
  const char *path;        // as opened (for the program: AT_EXECFN)
  const char *role;        // "program" or "interpreter", for the trace
  const char *what;        // message prefix: "" for the program, "interpreter P: " for ld.so
  View file;               // the whole file, mapped read-only until enter_program
  int fd;                  // open from read_headers until map_segments is done
  dev_t dev;               // which file it is (fstat of fd): check_plan compares the
  ino_t ino;               //   interpreter with the program

  // read_headers
  Elf64_Ehdr ehdr;
  Elf64_Phdr *phdrs;       // e_phnum entries, copied out of the file
  uint64_t phnum;

  // check_plan: what the file asks for, in its own (link-time) addresses
  uint64_t lo, hi;         // page-aligned span covering every PT_LOAD
  uint64_t align;          // the largest power-of-two p_align of a PT_LOAD (>= PAGESZ)
  uint64_t phdr_vaddr;     // where the program headers are in memory, or 0 if nowhere
  bool exec_stack;         // PT_GNU_STACK has PF_X
  const char *interp;      // PT_INTERP's path (ctx->interp_path), or NULL
  const char *origin_path; // a RUNPATH/RPATH naming $ORIGIN (in the file view), or NULL

  // reserve_span: where it went
  uint64_t bias;           // load_bias: run-time address = p_vaddr + bias (0 for ET_EXEC)
  uint64_t map_start;      // what we own and unmap on failure: [map_start, +map_len)
  uint64_t map_len;
} Image;

typedef struct {
  // main: the command line
  bool trace;              // --trace: narrate every step on stderr
  bool trace_all;          // --trace=all: also every environment string
  bool show_maps;          // --maps: print /proc/self/maps before the jump
  const char *maps_file;   // --maps=FILE, or NULL: stderr
  int maps_fd;             // where --maps writes (opened by main)
  bool check_only;         // --check: stop after check_plan
  bool strict;             // --strict: refuse what is otherwise only warned about (W+X)
  const char *prog;        // PROG as typed; also the program's argv[0]
  char **argv;             // the program's arguments (argv[0] == prog), NULL-terminated
  uint64_t argc;
  char **envp;             // the environment the loader got, handed on unchanged
  Elf64_auxv_t *auxv;      // the loader's own auxiliary vector, as the kernel built it
  uint64_t nauxv;          // entries, not counting AT_NULL
  uint64_t loader_brk;     // the loader's brk when main() started; it must not move

  // find_program
  char path[PATH_MAX];     // the file to run: PROG itself, or DIR/PROG from PATH

  // run_script: a "#!" file's interpreter and its one optional argument
  char script_interp[PATH_MAX];
  char script_arg[256];

  // read_headers, check_plan, reserve_span, map_segments, zero_bss, load_interp
  Image exe;               // the program
  Image interp;            // its interpreter, if exe.interp != NULL
  char interp_path[PATH_MAX];
  char interp_what[PATH_MAX + 16];  // "interpreter PATH: "

  // check_plan (own_space.c): what the program must keep out of
  uint64_t self_lo, self_hi;  // mini-loader's own image, page-aligned
  uint64_t stack_lo;       // the lowest address the stack may grow down to
  uint64_t stack_top;      // end of the process's [stack] mapping
  uint64_t entry;          // where enter_program jumps: ld.so's entry, or the program's

  // build_stack: the new stack, built in a scratch mapping (the image) and copied to
  // the top of the process stack by arch_enter; addresses are final ones
  uint64_t sp;             // rsp at entry: the address of argc
  uint8_t *image;          // the bytes of [sp, stack_top), built here
  uint64_t image_map_len;  // the scratch mapping's length (page-rounded)
  uint64_t arg_start, arg_end, env_start, env_end;
  uint64_t auxv_addr, auxv_size;
  uint64_t random_addr;    // AT_RANDOM's 16 bytes

  // set_mm
  uint64_t brk;            // start_brk == brk: the program's heap starts here
} Ctx;

//
// trace.c — narration (--trace), warnings and the one-line failure
//

// With --trace, print one line to stderr: "[step] what". Never allocates.
void trace(Ctx *ctx, const char *step, const char *fmt, ...) FORMAT_PRINTF(3, 4);
// `mini-loader: PROG: what`, unmap everything we mapped, exit 126.
_Noreturn void fail(Ctx *ctx, const char *fmt, ...) FORMAT_PRINTF(2, 3);
// The same with another exit status (127: PROG not found).
_Noreturn void fail_with(Ctx *ctx, int status, const char *fmt, ...) FORMAT_PRINTF(3, 4);
// `mini-loader: warning: PROG: what`; the run goes on.
void warning(Ctx *ctx, const char *fmt, ...) FORMAT_PRINTF(2, 3);
// Unmaps every image reserve_span placed (failure path).
void unmap_images(Ctx *ctx);
// Names for the trace: "PT_LOAD", "r-x", "AT_PHDR", "ET_DYN".
const char *phdr_type_name(uint32_t p_type);
const char *prot_name(int prot);
const char *aux_name(uint64_t a_type);
const char *etype_name(uint16_t e_type);
// PF_R|PF_W|PF_X to PROT_READ|PROT_WRITE|PROT_EXEC.
int prot_of(uint32_t p_flags);

//
// find_program.c — which file PROG names, like execvp(3)
//

// A name without '/' is looked up in PATH (default "/bin:/usr/bin"); fills ctx->path.
// Exit 127 when nothing is found, 126 when something is found but not executable.
void find_program(Ctx *ctx);

//
// run_script.c — "#!" files, like binfmt_script
//

// If ctx->path starts with "#!", runs its interpreter instead: rewrites argv and
// points ctx->exe.path at the interpreter.
void run_script(Ctx *ctx);

// 0 if the kernel would execute path (a regular file we may execute), else the errno
// execve would give (EISDIR for a directory). Also used for the interpreter.
int check_executable(const char *path);
// check_executable's errno as words for a message: strerror(err), except for a file
// that is neither regular nor a directory, where execve's "Permission denied" would
// send the reader to chmod: "not a regular file: a FIFO". The result stays valid
// until the next call.
const char *exec_error(const char *path, int err);

//
// read_headers.c — the ELF header and the program header table
//

// Opens img->path, maps it read-only, checks the ELF header field by field (magic,
// class, data, version, machine, type, e_phentsize, e_phnum) and copies the program
// headers out. Fills img->file, img->fd, img->dev, img->ino, img->ehdr, img->phdrs,
// img->phnum.
void read_headers(Ctx *ctx, Image *img);

//
// plan_file.c — what the file's bytes alone say (sub-steps of read_headers and
// check_plan, and a pure function for tests/fuzz/fuzz_loader_check.c)
//
// Each check reads nothing but img->file's bytes (and what the checks before it
// filled in), and returns false with the reason in why (WHY_SIZE bytes), worded as
// the failure line has it after the image's prefix (img->what).

enum { WHY_SIZE = 512 };

// The ELF header, field by field (see read_headers.c), and the program header
// table inside the file; copies the header to *ehdr.
bool check_elf_header(View file, Elf64_Ehdr *ehdr, char *why);
// Program header i of img->phdrs, given the PT_LOAD before it (prev, or NULL):
// a PT_LOAD's ranges, order and congruence (raising img->align, setting
// img->phdr_vaddr), the first PT_INTERP's path (img->interp, pointing into the
// file), PT_GNU_STACK (img->exec_stack). Start with img->align = PAGESZ.
bool check_phdr(Image *img, uint64_t i, const Elf64_Phdr *prev, char *why);
// The span of the PT_LOADs, first to last (fails if there is none): img->lo, hi.
bool check_span(Image *img, const Elf64_Phdr *first, const Elf64_Phdr *last, char *why);
// e_entry inside an executable PT_LOAD.
bool check_entry(const Image *img, char *why);
// All of the above in order: file bytes (img->file) to a plan, or a reason. Copies
// the program headers to img->phdrs, which must have room for MAX_PHDR_BYTES.
bool plan_file(Image *img, char *why);

//
// check_plan.c — every program header, before anything is mapped
//

// Checks every program header of the program and, if it has one, of its interpreter
// (opened and read here), and records the plan: span, alignment, where the program
// headers land, PT_INTERP, PT_GNU_STACK. After it, mapping cannot fail for a reason
// that is the file's fault.
void check_plan(Ctx *ctx);

//
// runpath.c — $ORIGIN in the program's RUNPATH (a sub-step of check_plan)
//

// Sets img->origin_path when img's dynamic section has a DT_RUNPATH or DT_RPATH that
// names $ORIGIN, which ld.so resolves through /proc/self/exe. Never fails.
void find_origin_runpath(Ctx *ctx, Image *img);

//
// own_space.c — the memory a program must leave alone (a sub-step of check_plan)
//

// Finds where mini-loader's own image is and where the stack is, with the room
// RLIMIT_STACK lets it grow into (at most 128 MiB); fills ctx->self_lo, self_hi,
// stack_lo, stack_top.
void find_own_space(Ctx *ctx);
// Fails (cleanly, naming which) if img's segments, at run-time addresses [lo, hi),
// would overlap either. check_plan asks for ET_EXEC, reserve_span for the rest.
void check_clear_of_loader(Ctx *ctx, const Image *img, uint64_t lo, uint64_t hi);

//
// reserve_span.c — choosing the load address and claiming the whole range
//

// Picks img->bias the way the kernel does (ET_EXEC: none; a PIE: near ELF_ET_DYN_BASE;
// static-pie and ld.so: wherever mmap says) and reserves [lo, hi) + bias with one
// PROT_NONE mapping, so that the MAP_FIXED mappings that follow land only on memory
// we own.
void reserve_span(Ctx *ctx, Image *img);
// Does the kernel randomize this process's layout (ASLR)? Not under `setarch -R`.
bool randomizing(void);
// kernel.randomize_va_space as it applies to this process: 0 (nothing, also under
// `setarch -R`), 1 (stack, mmap, PIE, vDSO) or 2 (that and the brk heap).
int aslr_level(void);

//
// map_segments.c — each PT_LOAD from the file, with its protections
//

// Maps every PT_LOAD inside the reservation (file pages, then anonymous pages for the
// bss beyond the last file page), gives back the holes between segments, and closes
// the file.
void map_segments(Ctx *ctx, Image *img);

//
// zero_bss.c — the bss that shares a page with file bytes
//

void zero_bss(Ctx *ctx, Image *img);

//
// load_interp.c — the program's interpreter, as the kernel's load_elf_interp does
//

// reserve_span + map_segments + zero_bss for ctx->interp; sets ctx->entry to its entry.
void load_interp(Ctx *ctx);

//
// build_stack.c — argc, argv, envp, auxv and the strings, as the kernel lays them out
//

// Builds the program's initial stack, laid out for the top of the process's
// [stack] mapping (where the kernel put the loader's), in a scratch mapping; fills
// ctx->sp, ctx->image and the arg/env/auxv ranges.
void build_stack(Ctx *ctx);
// Where a final stack address is inside the image.
static inline void *image_at(Ctx *ctx, uint64_t addr) { return ctx->image + (addr - ctx->sp); }

//
// auxv.c — the auxiliary vector handed to the program
//

// The most entries make_auxv can add to the loader's own.
#define AUXV_EXTRA 10
// The auxiliary vector for the program: the loader's own entries, in the kernel's
// order, with the ones that describe the program patched. Writes at most
// ctx->nauxv + AUXV_EXTRA entries, AT_NULL included, and returns how many it wrote.
// execfn, platform and random are the addresses of those strings/bytes on the new
// stack (platform 0: none).
uint64_t make_auxv(Ctx *ctx, Elf64_auxv_t *out, uint64_t execfn, uint64_t platform,
                   uint64_t random);

//
// set_mm.c — the process's memory descriptor and name
//

// Moves brk after the program, points /proc/self/{cmdline,environ,auxv} at the new
// stack and /proc/self/exe at the program (prctl PR_SET_MM_MAP), and renames the
// process (PR_SET_NAME). A refusal is narrated under --trace, never fatal.
void set_mm(Ctx *ctx);

//
// exe_file.c — /proc/self/exe (a sub-step of set_mm)
//

// Turns the loader's own file mappings into anonymous copies of themselves, so that
// the kernel lets set_mm point exe_file (/proc/self/exe) at the program. Returns
// false (and narrates why) if some are left.
bool detach_loader_file(Ctx *ctx);

//
// enter_program.c — after the point of no return
//

// Unmaps the loader's views of the files, prints /proc/self/maps (--maps),
// unregisters glibc's rseq area and jumps. Never returns, never fails.
_Noreturn void enter_program(Ctx *ctx);

//
// arch_x86_64.c — the only inline assembly
//

// Tells the kernel to stop updating the loader's rseq area (glibc registered one
// for the main thread at start-up). Returns 0, or an errno value.
int arch_unregister_rseq(void);
// Copies the stack image (len bytes) to [sp, sp + len) over the loader's own stack,
// sets rsp = sp, unmaps the image's mapping, clears the registers, the flags, the
// FPU/SSE state and the TLS base as execve leaves them (rdx = 0: no atexit function
// for the program), and jumps to entry.
_Noreturn void arch_enter(uint64_t entry, uint64_t sp, const void *image, uint64_t len,
                          uint64_t image_map_len);

#endif
