/*
 * parse_args.c — GNU ld's command line.
 *
 * Users and compiler drivers call us exactly as they call GNU ld, so we accept its
 * spellings: short options with the value attached or in the next word (`-lc`,
 * `-l c`), long options with one or two dashes and `=` or a separate value
 * (`--entry=main`, `-entry main`; as in GNU ld, long options starting with 'o' need
 * two dashes, because `-ofoo` means `-o foo`), and `@FILE` response files. Inputs keep
 * their command-line order, because archive scanning depends on it.
 *
 * What gcc's driver passes that means nothing for a static executable is accepted
 * and ignored. Anything else we do not know is an error, never silently dropped.
 *
 * Fills ctx->opt.
 */
#include "../ld.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
  OPT_OUTPUT, OPT_ENTRY, OPT_LIBPATH, OPT_LIBRARY, OPT_STATIC, OPT_DYNAMIC, OPT_NOSTDLIB,
  OPT_START_GROUP, OPT_END_GROUP, OPT_WHOLE, OPT_NO_WHOLE, OPT_STRIP_ALL,
  OPT_STRIP_DEBUG, OPT_VERSION, OPT_V, OPT_HELP, OPT_EMULATION, OPT_Z, OPT_IGNORE,
  OPT_IGNORE_ARG, OPT_BUILD_ID, OPT_BUILD_ID_STYLE, OPT_MAP, OPT_DISCARD_ALL, OPT_OPTIMIZE, OPT_DEFSYM, OPT_IMAGE_BASE, OPT_UNDEFINED, OPT_REQUIRE_DEFINED, OPT_PUSH_STATE, OPT_POP_STATE, OPT_NO_DYNAMIC_LINKER, OPT_PIE, OPT_SHARED, OPT_RELOCATABLE, OPT_EH_FRAME_HDR, OPT_GC, OPT_NO_GC, OPT_PRINT_GC, OPT_PRINT_MAP, OPT_WHY_EXTRACT, OPT_TRACE, OPT_TRACE_SYMBOL,
  OPT_BSTATIC, OPT_AS_NEEDED, OPT_NO_AS_NEEDED, OPT_HASH_STYLE, OPT_DYNAMIC_LINKER, OPT_RPATH,
  OPT_RPATH_LINK, OPT_NEW_DTAGS, OPT_OLD_DTAGS, OPT_EXPORT_DYNAMIC, OPT_NO_PIE,
  OPT_DYNAMIC_LIST, OPT_EXPORT_SYMBOL, OPT_DYNAMIC_LIST_DATA, OPT_INIT, OPT_FINI, OPT_AUDIT,
  OPT_DEPAUDIT, OPT_MULDEFS, OPT_VERBOSE, OPT_FATAL_WARNINGS, OPT_NO_FATAL_WARNINGS,
  OPT_NO_WARNINGS, OPT_WARN_COMMON, OPT_SONAME, OPT_VERSION_SCRIPT, OPT_BSYMBOLIC,
  OPT_BSYMBOLIC_FUNCTIONS, OPT_BNO_SYMBOLIC, OPT_NO_UNDEFINED, OPT_EXCLUDE_LIBS,
  OPT_DEFAULT_SYMVER, OPT_SYSROOT, OPT_UNRESOLVED, OPT_WARN_UNRESOLVED, OPT_ERROR_UNRESOLVED,
  OPT_PLUGIN, OPT_PLUGIN_OPT, OPT_EMIT_RELOCS, OPT_SECTION_START, OPT_TTEXT, OPT_TDATA,
  OPT_TBSS, OPT_UNIQUE, OPT_UNDEFINED_VERSION, OPT_NO_UNDEFINED_VERSION, OPT_COMPRESS_DEBUG,
  OPT_DEMANGLE, OPT_NO_DEMANGLE, OPT_WRAP,
  OPT_EXPORT_SYMBOL_LIST, OPT_THREADS, OPT_NO_THREADS, OPT_WARN_EXECSTACK,
  OPT_NO_WARN_EXECSTACK, OPT_WARN_RWX, OPT_NO_WARN_RWX, OPT_ALLOW_SHLIB_UNDEFINED,
  OPT_NO_ALLOW_SHLIB_UNDEFINED, OPT_NOINHIBIT_EXEC, OPT_CREF, OPT_PRINT_OUTPUT_FORMAT,
  OPT_PRINT_MEMORY_USAGE, OPT_STATS, OPT_NO_PRINT_GC, OPT_SCRIPT, OPT_LAYOUT, OPT_LAYOUT_FROM,
  OPT_LAYOUT_AGAINST, OPT_EXPLAIN_RELOC, OPT_SORT_SECTION,
} OptId;

// LongOpt.has_arg: false, true, or this: --name alone (value NULL), or --name=VALUE.
enum { OPTIONAL_ARG = 2 };

typedef struct {
  const char *name;  // without dashes
  OptId id;
  uint8_t has_arg;
} LongOpt;

static const LongOpt long_opts[] = {
  {"output", OPT_OUTPUT, true},
  {"entry", OPT_ENTRY, true},
  {"library-path", OPT_LIBPATH, true},
  {"library", OPT_LIBRARY, true},
  {"static", OPT_STATIC, false},
  {"Bstatic", OPT_BSTATIC, false},
  {"dn", OPT_BSTATIC, false},
  {"non_shared", OPT_BSTATIC, false},
  {"Bdynamic", OPT_DYNAMIC, false},
  {"dy", OPT_DYNAMIC, false},
  {"call_shared", OPT_DYNAMIC, false},
  {"nostdlib", OPT_NOSTDLIB, false},
  {"start-group", OPT_START_GROUP, false},
  {"end-group", OPT_END_GROUP, false},
  {"whole-archive", OPT_WHOLE, false},
  {"push-state", OPT_PUSH_STATE, false},
  {"undefined", OPT_UNDEFINED, true},
  {"defsym", OPT_DEFSYM, true},
  {"image-base", OPT_IMAGE_BASE, true},
  {"Ttext-segment", OPT_IMAGE_BASE, true},
  {"section-start", OPT_SECTION_START, true},
  {"script", OPT_SCRIPT, true},
  {"Ttext", OPT_TTEXT, true},
  {"Tdata", OPT_TDATA, true},
  {"Tbss", OPT_TBSS, true},
  {"unique", OPT_UNIQUE, OPTIONAL_ARG},  // --unique, or --unique=GLOB
  {"compress-debug-sections", OPT_COMPRESS_DEBUG, OPTIONAL_ARG},
  {"demangle", OPT_DEMANGLE, OPTIONAL_ARG},  // --demangle[=STYLE]: the style is ignored
  {"no-demangle", OPT_NO_DEMANGLE, false},
  {"wrap", OPT_WRAP, true},
  {"require-defined", OPT_REQUIRE_DEFINED, true},
  {"pop-state", OPT_POP_STATE, false},
  {"no-whole-archive", OPT_NO_WHOLE, false},
  {"strip-all", OPT_STRIP_ALL, false},
  {"strip-debug", OPT_STRIP_DEBUG, false},
  {"version", OPT_VERSION, false},
  {"help", OPT_HELP, false},
  {"Map", OPT_MAP, true},
  {"layout", OPT_LAYOUT, true},
  {"from", OPT_LAYOUT_FROM, true},
  {"layout-against", OPT_LAYOUT_AGAINST, true},
  // Known, and refused with a reason rather than "unknown option".
  {"pie", OPT_PIE, false},
  {"pic-executable", OPT_PIE, false},
  {"shared", OPT_SHARED, false},
  {"soname", OPT_SONAME, true},
  {"version-script", OPT_VERSION_SCRIPT, true},
  {"Bshareable", OPT_SHARED, false},
  {"relocatable", OPT_RELOCATABLE, false},
  {"emit-relocs", OPT_EMIT_RELOCS, false},
  {"build-id", OPT_BUILD_ID, false},
  {"eh-frame-hdr", OPT_EH_FRAME_HDR, false},
  {"gc-sections", OPT_GC, false},
  {"no-gc-sections", OPT_NO_GC, false},
  {"print-gc-sections", OPT_PRINT_GC, false},
  {"print-map", OPT_PRINT_MAP, false},
  {"no-print-gc-sections", OPT_NO_PRINT_GC, false},
  {"cref", OPT_CREF, false},
  {"print-output-format", OPT_PRINT_OUTPUT_FORMAT, false},
  {"print-memory-usage", OPT_PRINT_MEMORY_USAGE, false},
  {"stats", OPT_STATS, false},
  {"why-extract", OPT_WHY_EXTRACT, true},
  {"explain-reloc", OPT_EXPLAIN_RELOC, true},
  {"trace", OPT_TRACE, false},
  {"trace-symbol", OPT_TRACE_SYMBOL, true},
  // gcc's driver (collect2) passes these; none of them changes a static executable.
  {"as-needed", OPT_AS_NEEDED, false},
  {"no-as-needed", OPT_NO_AS_NEEDED, false},
  {"hash-style", OPT_HASH_STYLE, true},
  {"sort-section", OPT_SORT_SECTION, true},
  {"plugin", OPT_PLUGIN, true},
  {"plugin-opt", OPT_PLUGIN_OPT, true},
  {"dynamic-linker", OPT_DYNAMIC_LINKER, true},
  {"no-dynamic-linker", OPT_NO_DYNAMIC_LINKER, false},
  {"no-pie", OPT_NO_PIE, false},
  {"no-relax", OPT_IGNORE, false},
  {"relax", OPT_IGNORE, false},
  {"fatal-warnings", OPT_FATAL_WARNINGS, false},
  {"no-fatal-warnings", OPT_NO_FATAL_WARNINGS, false},
  {"no-warnings", OPT_NO_WARNINGS, false},
  {"warn-common", OPT_WARN_COMMON, false},
  {"warn-execstack", OPT_WARN_EXECSTACK, false},
  {"no-warn-execstack", OPT_NO_WARN_EXECSTACK, false},
  {"warn-rwx-segments", OPT_WARN_RWX, false},
  {"no-warn-rwx-segments", OPT_NO_WARN_RWX, false},
  // Meaningful only for dynamic linking; GNU ld accepts them for static links too.
  {"export-dynamic", OPT_EXPORT_DYNAMIC, false},
  {"dynamic-list", OPT_DYNAMIC_LIST, true},
  {"export-dynamic-symbol-list", OPT_EXPORT_SYMBOL_LIST, true},
  {"export-dynamic-symbol", OPT_EXPORT_SYMBOL, true},
  {"dynamic-list-data", OPT_DYNAMIC_LIST_DATA, false},
  {"init", OPT_INIT, true},
  {"fini", OPT_FINI, true},
  {"audit", OPT_AUDIT, true},
  {"depaudit", OPT_DEPAUDIT, true},
  {"allow-multiple-definition", OPT_MULDEFS, false},
  {"verbose", OPT_VERBOSE, false},
  {"Bsymbolic", OPT_BSYMBOLIC, false},
  {"Bsymbolic-functions", OPT_BSYMBOLIC_FUNCTIONS, false},
  {"Bno-symbolic", OPT_BNO_SYMBOLIC, false},
  {"no-undefined", OPT_NO_UNDEFINED, false},
  {"exclude-libs", OPT_EXCLUDE_LIBS, true},
  {"default-symver", OPT_DEFAULT_SYMVER, false},
  {"undefined-version", OPT_UNDEFINED_VERSION, false},
  {"no-undefined-version", OPT_NO_UNDEFINED_VERSION, false},
  {"sysroot", OPT_SYSROOT, true},
  {"unresolved-symbols", OPT_UNRESOLVED, true},
  {"warn-unresolved-symbols", OPT_WARN_UNRESOLVED, false},
  {"error-unresolved-symbols", OPT_ERROR_UNRESOLVED, false},
  {"allow-shlib-undefined", OPT_ALLOW_SHLIB_UNDEFINED, false},
  {"no-allow-shlib-undefined", OPT_NO_ALLOW_SHLIB_UNDEFINED, false},
  {"noinhibit-exec", OPT_NOINHIBIT_EXEC, false},
  {"enable-new-dtags", OPT_NEW_DTAGS, false},
  {"disable-new-dtags", OPT_OLD_DTAGS, false},
  {"rpath", OPT_RPATH, true},
  {"R", OPT_RPATH, true},
  {"rpath-link", OPT_RPATH_LINK, true},
  {"sort-common", OPT_IGNORE, false},
  {"discard-all", OPT_DISCARD_ALL, false},
  {"discard-locals", OPT_IGNORE, false},  // .L symbols are always left out
  {"threads", OPT_THREADS, true},
  {"thread-count", OPT_THREADS, true},    // mold's name
  {"no-threads", OPT_NO_THREADS, false},
  {NULL, 0, false},
};

// Short options: the letter, what it means, and whether it takes a value.
static bool short_opt(char c, OptId *id, bool *has_arg) {
  *has_arg = true;
  switch (c) {
  case 'o': *id = OPT_OUTPUT; return true;
  case 'e': *id = OPT_ENTRY; return true;
  case 'L': *id = OPT_LIBPATH; return true;
  case 'l': *id = OPT_LIBRARY; return true;
  case 'm': *id = OPT_EMULATION; return true;
  case 'y': *id = OPT_TRACE_SYMBOL; return true;
  case 'u': *id = OPT_UNDEFINED; return true;
  case 'O': *id = OPT_OPTIMIZE; return true;         // -O1: GNU ld's hash tuning
  case 'z': *id = OPT_Z; return true;
  case 'T': *id = OPT_SCRIPT; return true;  // -Ttext and friends are long options
  }
  *has_arg = false;
  switch (c) {
  case 's': *id = OPT_STRIP_ALL; return true;
  case 'S': *id = OPT_STRIP_DEBUG; return true;
  case 'M': *id = OPT_PRINT_MAP; return true;
  case 'E': *id = OPT_EXPORT_DYNAMIC; return true;
  case 'R': *id = OPT_RPATH; *has_arg = true; return true;   // -R DIR: -rpath DIR
  case 'P': *id = OPT_DEPAUDIT; *has_arg = true; return true;
  case 'x': *id = OPT_DISCARD_ALL; return true;
  case 'X': *id = OPT_IGNORE; return true;           // --discard-locals
  case 't': *id = OPT_TRACE; return true;
  case 'r': *id = OPT_RELOCATABLE; return true;
  case 'q': *id = OPT_EMIT_RELOCS; return true;
  case 'v': *id = OPT_V; return true;
  case 'w': *id = OPT_NO_WARNINGS; return true;
  case 'h': *id = OPT_SONAME; *has_arg = true; return true;
  case 'V': *id = OPT_V; return true;
  case '(': *id = OPT_START_GROUP; return true;
  case ')': *id = OPT_END_GROUP; return true;
  }
  return false;
}

static void usage(void) {
  printf("Usage: mini-ld [options] file...\n"
         "Links x86-64 ELF relocatable objects, ar archives and shared libraries into an\n"
         "executable: static, static PIE, or dynamically linked (PIE or not).\n"
         "\n"
         "Options:\n"
         "  -o FILE, --output=FILE      write the executable to FILE (default a.out)\n"
         "  -e SYM, --entry=SYM         start execution at SYM (default _start)\n"
         "  -L DIR, --library-path=DIR  add DIR to the library search path\n"
         "  -l NAME, --library=NAME     link libNAME.so, or libNAME.a, found in the search path\n"
         "  -l :FILE                    link FILE, found in the search path\n"
         "  -static                     a static executable: no shared libraries\n"
         "  -Bstatic, -Bdynamic         -l finds only archives / shared libraries first again\n"
         "  --as-needed, --no-as-needed only shared libraries the program uses get DT_NEEDED\n"
         "  -pie, -no-pie               a position-independent executable (ET_DYN) or not\n"
         "  -pie --no-dynamic-linker    make a static PIE (ET_DYN that relocates itself at\n"
         "                              start-up; what gcc -static-pie asks for)\n"
         "  -dynamic-linker FILE        the interpreter (PT_INTERP) of a dynamic program\n"
         "                              (default /lib64/ld-linux-x86-64.so.2)\n"
         "  -rpath DIR                  where the program looks for its libraries\n"
         "                              (DT_RUNPATH; DT_RPATH with --disable-new-dtags)\n"
         "  -E, --export-dynamic        export every global symbol (.dynsym)\n"
         "  --dynamic-list=FILE         export the symbols FILE names ({ foo; bar*; };)\n"
         "  --export-dynamic-symbol=GLOB  export the symbols GLOB matches\n"
         "  --hash-style=gnu|sysv|both  which hash table the dynamic linker gets (gnu)\n"
         "  -z now|lazy                 bind every function at start-up, or on first call\n"
         "  -nostdlib                   search only the -L directories\n"
         "  --sysroot=DIR               look for libraries under DIR: the default\n"
         "                              directories, -L=D, and absolute paths in\n"
         "                              linker scripts that are inside DIR\n"
         "  --start-group ... --end-group, -( ... -)\n"
         "                              rescan the archives in the group until nothing new\n"
         "                              is pulled in\n"
         "  -T FILE, --script=FILE      read the linker script FILE: its SECTIONS, if any,\n"
         "                              give the layout instead of the built-in one\n"
         "  --verbose                   print the built-in layout as a linker script\n"
         "  --defsym=SYM=EXPR           define SYM as EXPR, an expression of the linker\n"
         "                              script language (symbols, numbers, + - * / ...)\n"
         "  --image-base=ADDR, -Ttext-segment=ADDR\n"
         "                              load the image at ADDR (default 0x400000)\n"
         "  --section-start=SECTION=ADDR  put SECTION at ADDR (hexadecimal); the sections\n"
         "                              that follow it in the layout follow it there\n"
         "  -Ttext=ADDR, -Tdata=ADDR, -Tbss=ADDR\n"
         "                              the same for .text, .data, .bss\n"
         "  --unique[=GLOB]             give each input section named GLOB (without GLOB:\n"
         "                              each one not otherwise merged) its own output\n"
         "                              section\n"
         "  --threads=N, --no-threads   link on N threads, or on one (default: one per\n"
         "                              CPU); the output is the same either way\n"
         "  -u SYM, --undefined=SYM     treat SYM as undefined: pull in its definition\n"
         "  --require-defined=SYM       ... and fail if nothing defines it\n"
         "  --whole-archive, --no-whole-archive\n"
         "                              load every member of the archives that follow\n"
         "  --push-state, --pop-state   save and restore --whole-archive's state\n"
         "  -s, --strip-all             omit the symbol table\n"
         "  -x, --discard-all           omit local symbols from the symbol table\n"
         "  -S, --strip-debug           omit debugging sections\n"
         "  -z execstack|noexecstack    mark the stack executable or not (default: not,\n"
         "                              unless an input's .note.GNU-stack asks, or an\n"
         "                              input has none while others do)\n"
         "  --warn-execstack, --no-warn-execstack\n"
         "                              also warn about -z execstack / never warn about an\n"
         "                              executable stack\n"
         "  --warn-rwx-segments, --no-warn-rwx-segments\n"
         "                              accepted: no segment is writable and executable\n"
         "  -z relro|norelro            make constructor tables, .got and .data.rel.ro\n"
         "                              read-only after start-up (PT_GNU_RELRO; default on)\n"
         "  -z max-page-size=SIZE       align segments to SIZE (default 4096)\n"
         "  -z separate-code            pad the file so that code has pages of its own\n"
         "  -z noseparate-code          the compact layout, not padded (the default)\n"
         "  -m elf_x86_64               the only emulation there is\n"
         "  --gc-sections               drop sections the program cannot reach\n"
         "  --print-gc-sections, --no-print-gc-sections\n"
         "                              list the sections --gc-sections drops, or not\n"
         "  --eh-frame-hdr              write .eh_frame_hdr and PT_GNU_EH_FRAME, a search\n"
         "                              table for the unwinder\n"
         "  --build-id[=STYLE]          write .note.gnu.build-id: sha1 (default), uuid,\n"
         "                              0xHEX or none\n"
         "  -Map=FILE, -M               write a link map to FILE (-M: to stdout): why each\n"
         "                              archive member was loaded, where every section went\n"
         "  --cref                      add a cross-reference table to the map (or print\n"
         "                              it): each symbol, its definition, its references\n"
         "  --print-output-format       print the output's format (elf64-x86-64)\n"
         "  --print-memory-usage        print GNU ld's table of memory regions (empty: no\n"
         "                              MEMORY regions)\n"
         "  --stats                     print each pass's time and memory, and what the\n"
         "                              link read, on standard error\n"
         "  --layout=FILE.svg           draw the output's layout: the file and the address\n"
         "                              space page by page, each PT_LOAD between them\n"
         "                              (permissions, sections, shared pages, .bss, RELRO,\n"
         "                              p_vaddr = p_offset mod p_align)\n"
         "  --layout=FILE.svg --from=EXE\n"
         "                              draw an existing executable or shared library\n"
         "                              instead; nothing is linked\n"
         "  --layout-against=EXE2       ... and EXE2 beside it (another linker's output)\n"
         "  --why-extract=FILE          list each archive member loaded and the reference\n"
         "                              that pulled it in (- for stdout)\n"
         "  --explain-reloc=SYM         show each relocation against SYM (or at a place,\n"
         "                              SECTION+OFFSET or FILE:(SECTION+OFFSET)) worked\n"
         "                              out: type, formula, S, A, P..., the value, and the\n"
         "                              bytes before and after (on stdout)\n"
         "  -t, --trace                 print each file as it is loaded\n"
         "  -y SYM, --trace-symbol=SYM  print each file that defines or references SYM\n"
         "  --unresolved-symbols=ignore-all|report-all|ignore-in-object-files|\n"
         "                      ignore-in-shared-libs\n"
         "                              which undefined symbols are errors: the objects',\n"
         "                              the shared libraries' (by default both, in an\n"
         "                              executable), neither\n"
         "  --allow-shlib-undefined, --no-allow-shlib-undefined\n"
         "                              the shared libraries' undefined symbols are not,\n"
         "                              or are, errors\n"
         "  --warn-unresolved-symbols, --error-unresolved-symbols\n"
         "                              report undefined symbols as warnings, or errors\n"
         "  --noinhibit-exec            write the output even after undefined or duplicate\n"
         "                              symbols (reported all the same)\n"
         "  @FILE                       read more options from FILE\n"
         "  -v, --version               print the version\n"
         "  --help                      print this help\n");
}

static void print_version(void) {
  printf("mini-ld " MINI_LD_VERSION " (compatible with GNU linkers)\n");
}

static uint64_t parse_number(const char *s, const char *what) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (!*s || *end || errno)
    usage_error("invalid number for %s: '%s'", what, s);
  return v;
}

// --defsym NAME=EXPR: EXPR is an expression of the linker script language
// (script_lexer.c), evaluated once the layout is done.
static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// --build-id[=STYLE]: sha1 (the default, as in GNU ld), uuid, 0xHEX or none.
static void parse_build_id(Ctx *ctx, const char *style) {
  Options *opt = &ctx->opt;
  opt->build_id = BUILD_ID_NONE;
  if (!style || !strcmp(style, "sha1") || !strcmp(style, "tree")) {
    opt->build_id = BUILD_ID_SHA1;
    opt->build_id_size = 20;
  } else if (!strcmp(style, "uuid")) {
    opt->build_id = BUILD_ID_UUID;
    opt->build_id_size = 16;
  } else if (!strcmp(style, "none")) {
    opt->build_id = BUILD_ID_NONE;
  } else if (!strncmp(style, "0x", 2) && strlen(style) > 2 && strlen(style) % 2 == 0) {
    size_t n = (strlen(style) - 2) / 2;
    uint8_t *bytes = arena_alloc(&ctx->arena, n);
    for (size_t i = 0; i < n; i++) {
      int hi = hex_digit(style[2 + 2 * i]), lo = hex_digit(style[3 + 2 * i]);
      if (hi < 0 || lo < 0)
        usage_error("--build-id: '%s' is not a hexadecimal string", style);
      bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    opt->build_id = BUILD_ID_HEX;
    opt->build_id_size = n;
    opt->build_id_hex = bytes;
  } else {
    usage_error("--build-id: unsupported style '%s' (use sha1, uuid, 0xHEX or none)", style);
  }
}

static void parse_defsym(Ctx *ctx, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1])
    usage_error("--defsym: '%s' is not NAME=EXPRESSION", arg);
  Defsym *d = arena_alloc(&ctx->arena, sizeof *d);
  size_t namelen = (size_t)(eq - arg);
  while (namelen > 0 && arg[namelen - 1] == ' ')
    namelen--;
  d->name = arena_strndup(&ctx->arena, arg, namelen);
  d->expr = parse_expr_string(ctx, "--defsym", eq + 1);
  if (!d->expr)
    exit(2);  // parse_expr_string said why
  vec_push(&ctx->arena, &ctx->opt.defsyms, d);
}

// --section-start=NAME=ADDR, and -Ttext/-Tdata/-Tbss ADDR, which are the same for
// .text, .data and .bss. As in GNU ld, ADDR is hexadecimal even without "0x".
static void add_section_start(Ctx *ctx, const char *name, const char *addr, const char *what) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(addr, &end, 16);
  if (!*addr || *end || errno)
    usage_error("%s: '%s' is not a hexadecimal address", what, addr);
  SectionStart *ss = arena_alloc(&ctx->arena, sizeof *ss);
  ss->name = name;
  ss->addr = v;
  vec_push(&ctx->arena, &ctx->opt.section_starts, ss);
}

static void z_keyword(Ctx *ctx, const char *kw) {
  Options *opt = &ctx->opt;
  if (!strcmp(kw, "execstack")) {
    opt->execstack = 1;
  } else if (!strcmp(kw, "noexecstack")) {
    opt->execstack = -1;
  } else if (!strncmp(kw, "max-page-size=", 14)) {
    opt->page_size = parse_number(kw + 14, "-z max-page-size");
    if (opt->page_size < 4096 || (opt->page_size & (opt->page_size - 1)))
      usage_error("-z max-page-size: %s is not a power of two of at least 4096", kw + 14);
  } else if (!strcmp(kw, "defs")) {
    opt->no_undefined = true;
  } else if (!strcmp(kw, "undefs")) {
    opt->no_undefined = false;
  } else if (!strcmp(kw, "initfirst")) {
    opt->dt_flags_1 |= DF_1_INITFIRST;
  } else if (!strcmp(kw, "interpose")) {
    opt->dt_flags_1 |= DF_1_INTERPOSE;
  } else if (!strcmp(kw, "nodump")) {
    opt->dt_flags_1 |= DF_1_NODUMP;
  } else if (!strcmp(kw, "nodelete")) {
    opt->dt_flags_1 |= DF_1_NODELETE;
  } else if (!strcmp(kw, "nodlopen")) {
    opt->dt_flags_1 |= DF_1_NOOPEN;
  } else if (!strcmp(kw, "origin")) {
    opt->z_origin = true;
  } else if (!strcmp(kw, "nodefaultlib")) {
    opt->z_nodefaultlib = true;
  } else if (!strcmp(kw, "muldefs")) {
    opt->muldefs = true;
  } else if (!strncmp(kw, "stack-size=", 11)) {
    opt->stack_size = parse_number(kw + 11, "-z stack-size");
  } else if (!strcmp(kw, "ibt")) {
    opt->x86_features |= 1;  // GNU_PROPERTY_X86_FEATURE_1_IBT
  } else if (!strcmp(kw, "shstk")) {
    opt->x86_features |= 2;  // GNU_PROPERTY_X86_FEATURE_1_SHSTK
  } else if (!strcmp(kw, "x86-64-v2") || !strcmp(kw, "x86-64-v3") || !strcmp(kw, "x86-64-v4")) {
    // One level, the last one given, as in GNU ld.
    opt->x86_isa_needed = 1u << (kw[8] - '1');  // GNU_PROPERTY_X86_ISA_1_V2 is 1 << 1
  } else if (!strcmp(kw, "x86-64-baseline")) {
    opt->x86_isa_needed = 1;
  } else if (!strncmp(kw, "cet-report=", 11)) {
    const char *v = kw + 11;
    if (!strcmp(v, "none"))
      opt->cet_report = CET_REPORT_NONE;
    else if (!strcmp(v, "warning"))
      opt->cet_report = CET_REPORT_WARNING;
    else if (!strcmp(v, "error"))
      opt->cet_report = CET_REPORT_ERROR;
    else
      usage_error("-z cet-report: unknown value '%s' (use none, warning or error)", v);
  } else if (!strcmp(kw, "dynamic-undefined-weak")) {
    opt->z_nodynamic_undefined_weak = false;
  } else if (!strcmp(kw, "nodynamic-undefined-weak")) {
    opt->z_nodynamic_undefined_weak = true;
  } else if (!strcmp(kw, "now")) {
    opt->z_now = true;
  } else if (!strcmp(kw, "lazy")) {
    opt->z_now = false;
  } else if (!strcmp(kw, "relro")) {
    opt->relro = true;
  } else if (!strcmp(kw, "norelro")) {
    opt->relro = false;
  } else if (!strcmp(kw, "text")) {
    opt->z_text = true;
  } else if (!strcmp(kw, "notext")) {
    opt->z_text = false;
  } else if (!strcmp(kw, "separate-code")) {
    opt->separate_code = true;
  } else if (!strcmp(kw, "noseparate-code")) {
    opt->separate_code = false;
  } else if (!strncmp(kw, "common-page-size=", 17)) {
    // The page size RELRO is protected in, which is the run-time page size (4 KiB
    // on x86-64) whatever this says; checked, then nothing to do.
    opt->common_page_size = parse_number(kw + 17, "-z common-page-size");
    if (opt->common_page_size == 0 || (opt->common_page_size & (opt->common_page_size - 1)))
      usage_error("-z common-page-size: %s is not a power of two", kw + 17);
  } else {
    warn("-z %s ignored", kw);
  }
}

// A path that names the sysroot ("=/usr/lib", "$SYSROOT/usr/lib") as the path
// inside it; any other path as it is.
static const char *in_sysroot(Ctx *ctx, const char *path) {
  const char *rest = path[0] == '=' ? path + 1 : !strncmp(path, "$SYSROOT", 8) ? path + 8 : NULL;
  if (!rest)
    return path;
  return arena_printf(&ctx->arena, "%s%s%s", ctx->opt.sysroot ? ctx->opt.sysroot : "",
                      *rest == '/' || !ctx->opt.sysroot ? "" : "/", rest);
}

// As GNU ld does, the way to the list of options, on a line of its own.
static _Noreturn void unknown_option(const char *arg) {
  note("unknown option: %s", arg);
  usage_error("use --help to list the options");
}

static void add_input(Ctx *ctx, PtrVec *inputs, ArgKind kind, const char *value) {
  InputArg *a = arena_alloc(&ctx->arena, sizeof *a);
  a->kind = kind;
  a->value = value;
  vec_push(&ctx->arena, inputs, a);
}

static void apply(Ctx *ctx, OptId id, const char *val, PtrVec *inputs, int *group_depth,
                  bool *version_only) {
  Options *opt = &ctx->opt;
  switch (id) {
  case OPT_OUTPUT: opt->output = val; opt->output_given = true; break;
  case OPT_SCRIPT: add_input(ctx, inputs, ARG_SCRIPT, val); break;
  case OPT_ENTRY: opt->entry = val; opt->entry_given = true; break;
  case OPT_LIBPATH: vec_push(&ctx->arena, &opt->lib_paths, (void *)val); break;
  case OPT_LIBRARY: add_input(ctx, inputs, ARG_LIBRARY, val); break;
  // -static is -Bstatic, as in GNU ld: from here on -l finds only archives, and a
  // shared library named is an error. A link that reads no shared library makes a
  // static program; --push-state/--pop-state can end its effect.
  case OPT_STATIC:
  case OPT_BSTATIC: add_input(ctx, inputs, ARG_BSTATIC, NULL); break;
  case OPT_DYNAMIC: add_input(ctx, inputs, ARG_BDYNAMIC, NULL); break;
  case OPT_AS_NEEDED: add_input(ctx, inputs, ARG_AS_NEEDED, NULL); break;
  case OPT_NO_AS_NEEDED: add_input(ctx, inputs, ARG_NO_AS_NEEDED, NULL); break;
  case OPT_HASH_STYLE:
    if (!strcmp(val, "gnu") || !strcmp(val, "sysv") || !strcmp(val, "both")) {
      opt->hash_gnu = strcmp(val, "sysv") != 0;
      opt->hash_sysv = strcmp(val, "gnu") != 0;
    } else {
      usage_error("--hash-style: unknown style '%s' (use gnu, sysv or both)", val);
    }
    break;
  case OPT_SORT_SECTION:
    // Sorts the input sections of every wildcard pattern of a script's SECTIONS.
    if (!strcmp(val, "name") || !strcmp(val, "alignment"))
      opt->sort_section = !strcmp(val, "name") ? SORT_BY_NAME : SORT_BY_ALIGNMENT;
    else
      usage_error("--sort-section: unknown sort '%s' (use name or alignment)", val);
    break;
  case OPT_DYNAMIC_LINKER: opt->dynamic_linker = val; break;
  case OPT_RPATH: vec_push(&ctx->arena, &opt->rpath, (void *)val); break;
  case OPT_RPATH_LINK: vec_push(&ctx->arena, &opt->rpath_link, (void *)val); break;
  case OPT_NEW_DTAGS: opt->new_dtags = true; break;
  case OPT_OLD_DTAGS: opt->new_dtags = false; break;
  case OPT_EXPORT_DYNAMIC: opt->export_dynamic = true; break;
  // In a shared library, --dynamic-list (and --dynamic-list-data) also says which
  // symbols may be preempted; --export-dynamic-symbol(-list) only exports.
  case OPT_DYNAMIC_LIST: read_dynamic_list(ctx, val); opt->dynamic_list = true; break;
  case OPT_EXPORT_SYMBOL_LIST: read_dynamic_list(ctx, val); break;
  case OPT_EXPORT_SYMBOL: vec_push(&ctx->arena, &opt->export_patterns, (void *)val); break;
  case OPT_DYNAMIC_LIST_DATA: opt->export_data = opt->dynamic_list = true; break;
  case OPT_INIT: opt->init_symbol = val; break;
  case OPT_FINI: opt->fini_symbol = val; break;
  case OPT_AUDIT:
    opt->audit = opt->audit ? arena_printf(&ctx->arena, "%s:%s", opt->audit, val) : val;
    break;
  case OPT_DEPAUDIT:
    opt->depaudit = opt->depaudit ? arena_printf(&ctx->arena, "%s:%s", opt->depaudit, val) : val;
    break;
  case OPT_MULDEFS: opt->muldefs = true; break;
  case OPT_VERBOSE: print_version(); opt->verbose = true; *version_only = true; break;
  case OPT_FATAL_WARNINGS: diag_set_warnings(WARNINGS_FATAL); break;
  case OPT_NO_FATAL_WARNINGS: diag_set_warnings(WARNINGS_SHOW); break;
  case OPT_NO_WARNINGS: diag_set_warnings(WARNINGS_NONE); break;
  case OPT_WARN_COMMON: opt->warn_common = true; break;
  case OPT_WARN_EXECSTACK: opt->warn_execstack = 1; break;
  case OPT_NO_WARN_EXECSTACK: opt->warn_execstack = 0; break;
  // No segment we make is both writable and executable, so there is never
  // anything to warn about; the options are GNU ld's (the kernel's build passes them).
  case OPT_WARN_RWX: opt->no_warn_rwx = false; break;
  case OPT_NO_WARN_RWX: opt->no_warn_rwx = true; break;
  case OPT_NO_PIE: opt->pie = false; break;
  case OPT_NO_DYNAMIC_LINKER: opt->no_dynamic_linker = true; break;
  case OPT_NOSTDLIB: opt->nostdlib = true; break;
  case OPT_START_GROUP:
    // A group inside a group adds nothing: the outer one is rescanned as a whole
    // (GNU ld accepts the nesting too).
    if ((*group_depth)++ == 0)
      add_input(ctx, inputs, ARG_GROUP_START, NULL);
    break;
  case OPT_END_GROUP:
    if (!*group_depth)
      usage_error("--end-group without --start-group");
    if (--(*group_depth) == 0)
      add_input(ctx, inputs, ARG_GROUP_END, NULL);
    break;
  case OPT_DEFSYM: parse_defsym(ctx, val); break;
  case OPT_DISCARD_ALL: opt->discard_all = true; break;
  case OPT_OPTIMIZE: break;
  case OPT_IMAGE_BASE:
    opt->image_base = parse_number(val, "--image-base");
    opt->image_base_given = true;
    break;
  case OPT_SECTION_START: {
    const char *eq = strchr(val, '=');
    if (!eq || eq == val)
      usage_error("--section-start: '%s' is not SECTION=ADDRESS", val);
    add_section_start(ctx, arena_strndup(&ctx->arena, val, (size_t)(eq - val)), eq + 1,
                      "--section-start");
    break;
  }
  case OPT_TTEXT: add_section_start(ctx, ".text", val, "-Ttext"); break;
  case OPT_TDATA: add_section_start(ctx, ".data", val, "-Tdata"); break;
  case OPT_TBSS: add_section_start(ctx, ".bss", val, "-Tbss"); break;
  case OPT_DEMANGLE: opt->demangle = true; break;
  case OPT_WRAP: hashmap_slot(&opt->wrap, val, strlen(val))->value = (void *)val; break;
  case OPT_NO_DEMANGLE: opt->demangle = false; break;
  case OPT_COMPRESS_DEBUG:
    // Alone it means zlib, as in GNU ld; zlib-gnu, the old .zdebug sections, is
    // not written.
    if (!val || !strcmp(val, "zlib") || !strcmp(val, "zlib-gabi"))
      opt->compress_debug = ELFCOMPRESS_ZLIB;
    else if (!strcmp(val, "zstd"))
      opt->compress_debug = ELFCOMPRESS_ZSTD;
    else if (!strcmp(val, "none"))
      opt->compress_debug = 0;
    else
      usage_error("--compress-debug-sections: unknown type '%s' (use none, zlib or zstd)", val);
    break;
  case OPT_UNIQUE:
    // --unique alone means every orphan; --unique=GLOB the sections it matches.
    if (val)
      vec_push(&ctx->arena, &opt->unique, (void *)val);
    else
      opt->unique_orphans = true;
    break;
  case OPT_UNDEFINED:
    vec_push(&ctx->arena, &opt->undefined, (void *)val);
    break;
  case OPT_REQUIRE_DEFINED:
    vec_push(&ctx->arena, &opt->undefined, (void *)val);
    vec_push(&ctx->arena, &opt->require_defined, (void *)val);
    break;
  case OPT_WHOLE: add_input(ctx, inputs, ARG_WHOLE_ARCHIVE, NULL); break;
  case OPT_NO_WHOLE: add_input(ctx, inputs, ARG_NO_WHOLE_ARCHIVE, NULL); break;
  case OPT_PUSH_STATE: add_input(ctx, inputs, ARG_PUSH_STATE, NULL); break;
  case OPT_POP_STATE: add_input(ctx, inputs, ARG_POP_STATE, NULL); break;
  case OPT_STRIP_ALL: opt->strip_all = true; break;
  case OPT_STRIP_DEBUG: opt->strip_debug = true; break;
  case OPT_VERSION: print_version(); end_run(0);
  case OPT_V: print_version(); *version_only = true; break;
  case OPT_HELP: usage(); end_run(0);
  case OPT_EMULATION:
    if (strcmp(val, "elf_x86_64"))
      usage_error("unsupported emulation '%s' (only elf_x86_64 is)", val);
    break;
  case OPT_Z: z_keyword(ctx, val); break;
  case OPT_IGNORE: case OPT_IGNORE_ARG: break;
  case OPT_MAP: opt->map_file = val; break;
  case OPT_LAYOUT: opt->layout_svg = val; break;
  case OPT_LAYOUT_FROM: opt->layout_from = val; break;
  case OPT_LAYOUT_AGAINST: opt->layout_against = val; break;
  // -pie and -shared both make ET_DYN; as in GNU ld, the last one given says
  // which: `-shared -pie` is a PIE, with PT_INTERP; `-pie -shared` a library.
  case OPT_PIE: opt->pie = true; opt->shared = false; break;
  case OPT_SHARED: opt->shared = true; opt->pie = false; break;
  case OPT_SONAME: opt->soname = val; break;
  case OPT_BSYMBOLIC: opt->bsymbolic = BSYMBOLIC_ALL; break;
  case OPT_BSYMBOLIC_FUNCTIONS: opt->bsymbolic = BSYMBOLIC_FUNCTIONS; break;
  case OPT_BNO_SYMBOLIC: opt->bsymbolic = BSYMBOLIC_NONE; break;
  case OPT_NO_UNDEFINED: opt->no_undefined = true; break;
  case OPT_EXCLUDE_LIBS: vec_push(&ctx->arena, &opt->exclude_libs, (void *)val); break;
  case OPT_DEFAULT_SYMVER: opt->default_symver = true; break;
  case OPT_UNDEFINED_VERSION: opt->no_undefined_version = false; break;
  case OPT_NO_UNDEFINED_VERSION: opt->no_undefined_version = true; break;
  case OPT_SYSROOT: opt->sysroot = val; break;
  case OPT_PLUGIN: opt->plugin = val; break;
  case OPT_EMIT_RELOCS: opt->emit_relocs = true; break;
  case OPT_PLUGIN_OPT: vec_push(&ctx->arena, &opt->plugin_opts, (void *)val); break;
  case OPT_UNRESOLVED:
    // Which undefined symbols are reported: those of objects, of shared
    // libraries, both or neither.
    if (!strcmp(val, "ignore-all") || !strcmp(val, "ignore-in-object-files") ||
        !strcmp(val, "report-all") || !strcmp(val, "ignore-in-shared-libs")) {
      opt->ignore_undefined = !strcmp(val, "ignore-all") || !strcmp(val, "ignore-in-object-files");
      opt->allow_shlib_undefined = !strcmp(val, "ignore-all") || !strcmp(val, "ignore-in-shared-libs");
    } else {
      usage_error("--unresolved-symbols: unknown method '%s'", val);
    }
    break;
  case OPT_THREADS: {
    uint64_t n = parse_number(val, "--threads");
    if (n == 0 || n > 256)
      usage_error("--threads: %s is not a thread count from 1 to 256", val);
    set_thread_count((int)n);
    break;
  }
  case OPT_NO_THREADS: set_thread_count(1); break;
  case OPT_ALLOW_SHLIB_UNDEFINED: opt->allow_shlib_undefined = 1; break;
  case OPT_NO_ALLOW_SHLIB_UNDEFINED: opt->allow_shlib_undefined = 0; break;
  case OPT_NOINHIBIT_EXEC: opt->noinhibit_exec = true; break;
  case OPT_WARN_UNRESOLVED: opt->warn_undefined = true; break;
  case OPT_ERROR_UNRESOLVED: opt->warn_undefined = false; break;
  case OPT_VERSION_SCRIPT: read_version_script(ctx, val); break;
  case OPT_RELOCATABLE:
    opt->relocatable = true;
    break;
  case OPT_EH_FRAME_HDR: opt->eh_frame_hdr = true; break;
  case OPT_GC: opt->gc_sections = true; break;
  case OPT_NO_GC: opt->gc_sections = false; break;
  case OPT_PRINT_GC: opt->print_gc_sections = true; break;
  case OPT_NO_PRINT_GC: opt->print_gc_sections = false; break;
  case OPT_CREF: opt->cref = true; break;
  // The output's BFD name, at once, as GNU ld prints it; like -v, it needs no input.
  case OPT_PRINT_OUTPUT_FORMAT: printf("elf64-x86-64\n"); *version_only = true; break;
  case OPT_PRINT_MEMORY_USAGE: opt->print_memory_usage = true; break;
  case OPT_STATS: opt->stats = true; break;
  case OPT_BUILD_ID: parse_build_id(ctx, NULL); break;
  case OPT_BUILD_ID_STYLE: parse_build_id(ctx, val); break;
  case OPT_PRINT_MAP: opt->map_file = "-"; break;
  case OPT_WHY_EXTRACT: opt->why_extract = val; break;
  case OPT_EXPLAIN_RELOC:
    if (!*val)
      usage_error("--explain-reloc: no symbol or place given");
    vec_push(&ctx->arena, &opt->explain_relocs, (void *)val);
    break;
  case OPT_TRACE: opt->trace = true; break;
  case OPT_TRACE_SYMBOL: vec_push(&ctx->arena, &opt->trace_symbols, (void *)val); break;
  }
}

// The long option `name` (len bytes) names: exactly, or, with two dashes, as an
// unambiguous abbreviation ("--out" for "--output"), as getopt_long allows.
static const LongOpt *find_long(const char *name, size_t len, bool allow_prefix,
                                const char *arg) {
  const LongOpt *found = NULL;
  for (const LongOpt *o = long_opts; o->name; o++) {
    if (strlen(o->name) == len && !strncmp(o->name, name, len))
      return o;
    if (allow_prefix && len > 0 && strlen(o->name) > len && !strncmp(o->name, name, len)) {
      if (found && found->id != o->id)
        usage_error("option '%s' is ambiguous", arg);
      found = o;
    }
  }
  return found;
}

void parse_args(Ctx *ctx, int argc, char **argv) {
  Options *opt = &ctx->opt;
  opt->output = "a.out";
  opt->entry = "_start";
  opt->page_size = 4096;
  opt->relro = true;
  opt->image_base = 0x400000;
  // GNU ld's defaults for x86-64 (Debian's build: new dtags; gcc asks for gnu hash).
  opt->dynamic_linker = "/lib64/ld-linux-x86-64.so.2";
  opt->new_dtags = true;
  opt->hash_gnu = true;
  opt->init_symbol = "_init";
  opt->demangle = true;
  opt->warn_execstack = WARN_EXECSTACK_OBJECTS;
  opt->allow_shlib_undefined = -1;
  opt->fini_symbol = "_fini";

  PtrVec args = {0};
  for (int i = 1; i < argc; i++)
    expand_response_file(&ctx->arena, argv[i], &args);

  PtrVec inputs = {0};
  PtrVec ignored = {0};  // const char *: the options accepted that change nothing
  int group_depth = 0;
  bool version_only = false;
  char **av = (char **)args.data;
  size_t n = args.len;

  for (size_t i = 0; i < n; i++) {
    const char *arg = av[i];
    if (arg[0] != '-' || arg[1] == '\0') {
      add_input(ctx, &inputs, ARG_FILE, arg);
      continue;
    }

    // Long option: two dashes, or one dash and a name that is a whole long option
    // (but never one starting with 'o': "-ofoo" is "-o foo").
    bool two = arg[1] == '-';
    const char *body = arg + (two ? 2 : 1);
    const char *eq = strchr(body, '=');
    size_t len = eq ? (size_t)(eq - body) : strlen(body);
    const LongOpt *lo = NULL;
    if (two || (body[0] != 'o' && len > 1))
      lo = find_long(body, len, two, arg);
    if (lo) {
      const char *val = NULL;
      if (lo->has_arg == true) {
        if (eq)
          val = eq + 1;
        else if (i + 1 < n)
          val = av[++i];
        else
          usage_error("option '%s' needs a value", arg);
      } else if (eq && lo->id == OPT_BUILD_ID) {
        // --build-id alone means sha1; --build-id=STYLE picks one.
        apply(ctx, OPT_BUILD_ID_STYLE, eq + 1, &inputs, &group_depth, &version_only);
        continue;
      } else if (eq && lo->has_arg == OPTIONAL_ARG) {
        apply(ctx, lo->id, eq + 1, &inputs, &group_depth, &version_only);
        continue;
      } else if (eq) {
        usage_error("option '%.*s' takes no value", (int)(body - arg + len), arg);
      }
      if (lo->id == OPT_IGNORE || lo->id == OPT_OPTIMIZE)
        vec_push(&ctx->arena, &ignored, (void *)arg);
      apply(ctx, lo->id, val, &inputs, &group_depth, &version_only);
      continue;
    }
    if (two)
      unknown_option(arg);

    OptId id;
    bool has_arg;
    if (!short_opt(arg[1], &id, &has_arg) || (!has_arg && arg[2]))
      unknown_option(arg);
    const char *val = NULL;
    if (has_arg) {
      if (arg[2])
        val = arg + 2;
      else if (i + 1 < n)
        val = av[++i];
      else
        usage_error("option '%s' needs a value", arg);
    }
    if (id == OPT_IGNORE || id == OPT_OPTIMIZE)
      vec_push(&ctx->arena, &ignored, (void *)arg);
    apply(ctx, id, val, &inputs, &group_depth, &version_only);
  }

  // --verbose: each option accepted for GNU ld's sake but without effect here, once.
  for (size_t i = 0; opt->verbose && i < ignored.len; i++) {
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++)
      seen = !strcmp(ignored.data[i], ignored.data[j]);
    if (!seen)
      note("%s: accepted and ignored", (const char *)ignored.data[i]);
  }

  // --verbose without -T: the layout, as GNU ld shows its default script.
  bool has_script = false;
  for (size_t i = 0; i < inputs.len; i++)
    has_script |= ((InputArg *)inputs.data[i])->kind == ARG_SCRIPT;
  if (opt->verbose && !has_script) {
    static const char rule[] = "==================================================";
    printf("using internal linker script:\n%s\n", rule);
    print_builtin_script(ctx, stdout);
    printf("%s\n", rule);
  }

  if (group_depth)
    usage_error("--start-group without --end-group");
  // -L=DIR and -L$SYSROOT/DIR are DIR inside --sysroot (which may come later on
  // the command line, so this waits until it has all been read).
  for (size_t i = 0; i < opt->lib_paths.len; i++)
    opt->lib_paths.data[i] = (void *)in_sysroot(ctx, opt->lib_paths.data[i]);
  if (opt->relocatable && opt->explain_relocs.len)
    usage_error("--explain-reloc and -r may not be used together: -r applies no relocation");
  if (opt->relocatable && (opt->shared || opt->pie))
    usage_error("-r and %s may not be used together", opt->shared ? "-shared" : "-pie");
  if ((opt->pie || opt->shared) && !opt->image_base_given)
    opt->image_base = 0;
  // As in GNU ld: the page size a program usually runs with cannot be larger than
  // the largest it may run with.
  if (opt->common_page_size > opt->page_size)
    usage_error("-z common-page-size: 0x%llx is larger than the maximum page size (0x%llx)",
                (unsigned long long)opt->common_page_size, (unsigned long long)opt->page_size);
  if (opt->image_base % opt->page_size)
    usage_error("--image-base: 0x%llx is not a multiple of the page size (0x%llx)",
                (unsigned long long)opt->image_base, (unsigned long long)opt->page_size);
  opt->inputs = arena_array(&ctx->arena, inputs.len, sizeof(InputArg));
  size_t nfiles = 0;
  for (size_t i = 0; i < inputs.len; i++) {
    opt->inputs[i] = *(InputArg *)inputs.data[i];
    if (opt->inputs[i].kind == ARG_FILE || opt->inputs[i].kind == ARG_LIBRARY ||
        opt->inputs[i].kind == ARG_SCRIPT)
      nfiles++;
  }
  opt->ninputs = inputs.len;
  if ((opt->layout_from || opt->layout_against) && !opt->layout_svg)
    usage_error("%s needs --layout=FILE.svg", opt->layout_from ? "--from" : "--layout-against");
  if (opt->layout_svg && opt->relocatable && !opt->layout_from)
    usage_error("--layout draws segments, and -r makes an object without any");
  // --from=EXE draws EXE and links nothing.
  if (opt->layout_from) {
    if (nfiles)
      usage_error("--from=%s draws an existing file: it takes no input files",
                  opt->layout_from);
    return;
  }
  if (nfiles == 0) {
    if (version_only)
      end_run(0);
    usage_error("no input files");
  }
}
