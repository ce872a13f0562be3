/*
 * lto.c — link-time optimization, through the compiler's linker plugin.
 *
 * `gcc -flto -c` writes no machine code: the object holds the compiler's
 * intermediate representation (IR) in .gnu.lto_* sections (clang -flto writes
 * LLVM bitcode instead of ELF). Code is generated at link time, for the whole
 * program at once, by the compiler itself, which reaches the linker through a
 * plugin: gcc's driver always passes `-plugin liblto_plugin.so -plugin-opt=...`
 * (clang passes LLVMgold.so). Every linker that does LTO (GNU ld, gold, lld, mold)
 * speaks the same interface, the one gold introduced:
 *
 *   1. onload: the linker dlopen()s the plugin and hands it a list of tagged
 *      values: its options, what kind of output this is, and the callbacks it
 *      may call. The plugin answers by registering three hooks of its own.
 *   2. claim_file: each input that holds IR is offered to the plugin (an object
 *      on the command line, or an archive member when a symbol pulls it in). The
 *      plugin claims it and tells its symbols through add_symbols: what it
 *      defines and what it needs, as a compiler sees them.
 *   3. Those symbols take part in resolution like any object's: they pull
 *      archive members, meet definitions in other files and in shared libraries.
 *   4. all_symbols_read: when every input is in, the plugin asks, file by file,
 *      how each of its symbols was resolved (get_symbols): is this definition the
 *      one that counts, and does anything outside the IR see it? A definition
 *      nothing else refers to may be inlined away or made local. Then it runs the
 *      compiler's back end, and hands the linker real objects (add_input_file)
 *      and the libraries their new references may need (add_input_library).
 *   5. The IR files' definitions step aside; the new objects define the same
 *      names, and the link goes on as if those objects had been on the command
 *      line where the first IR file was.
 *   6. cleanup: the plugin removes its temporary files.
 *
 * The interface has no context argument, so its state lives in one static
 * variable (`plugin`); read_inputs, which owns this sub-step, is single-threaded.
 * The plugin is loaded only when the first IR input turns up, so a link without
 * LTO pays nothing for the -plugin that gcc passes every time.
 *
 * Fills ctx->ir_files (with symbol tables that read_inputs resolves as an object's),
 * ctx->ir_comdat, ctx->lto_position, ctx->lto_inputs, ctx->lto_done.
 */
#include "../ld.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

// The plugin interface's types, as gold defined them (binutils'
// include/plugin-api.h): every linker and every plugin agree on these numbers.
enum { LDPS_OK, LDPS_NO_SYMS, LDPS_BAD_HANDLE, LDPS_ERR };

enum {
  LDPT_NULL = 0, LDPT_API_VERSION = 1, LDPT_LINKER_OUTPUT = 3, LDPT_OPTION = 4,
  LDPT_REGISTER_CLAIM_FILE_HOOK = 5, LDPT_REGISTER_ALL_SYMBOLS_READ_HOOK = 6,
  LDPT_REGISTER_CLEANUP_HOOK = 7, LDPT_ADD_SYMBOLS = 8, LDPT_GET_SYMBOLS = 9,
  LDPT_ADD_INPUT_FILE = 10, LDPT_MESSAGE = 11, LDPT_GET_INPUT_FILE = 12,
  LDPT_RELEASE_INPUT_FILE = 13, LDPT_ADD_INPUT_LIBRARY = 14, LDPT_OUTPUT_NAME = 15,
  LDPT_SET_EXTRA_LIBRARY_PATH = 16, LDPT_GET_VIEW = 18, LDPT_GET_SYMBOLS_V2 = 25,
  LDPT_GET_SYMBOLS_V3 = 28,
};

enum { LDPO_REL, LDPO_EXEC, LDPO_DYN, LDPO_PIE };                  // LDPT_LINKER_OUTPUT
enum { LDPK_DEF, LDPK_WEAKDEF, LDPK_UNDEF, LDPK_WEAKUNDEF, LDPK_COMMON };  // symbol kinds
enum { LDPV_DEFAULT, LDPV_PROTECTED, LDPV_INTERNAL, LDPV_HIDDEN };  // visibilities
enum { LDST_UNKNOWN, LDST_FUNCTION, LDST_VARIABLE };               // symbol types
enum { LDPL_INFO, LDPL_WARNING, LDPL_ERROR, LDPL_FATAL };          // message levels

// How the linker resolved a symbol of an IR file (get_symbols' answer).
enum {
  LDPR_UNKNOWN,
  LDPR_UNDEF,                     // a reference nobody defines
  LDPR_PREVAILING_DEF,            // this definition counts, and regular code sees it
  LDPR_PREVAILING_DEF_IRONLY,     // ... and only IR refers to it: free to internalize
  LDPR_PREEMPTED_REG,             // another definition, in a regular object, counts
  LDPR_PREEMPTED_IR,              // another definition, in IR, counts
  LDPR_RESOLVED_IR,               // a reference to a definition in IR
  LDPR_RESOLVED_EXEC,             // ... in a regular object
  LDPR_RESOLVED_DYN,              // ... in a shared library
  LDPR_PREVAILING_DEF_IRONLY_EXP, // counts, only IR refers to it, but it is exported
};

typedef struct {
  int tag;
  union {
    int val;
    const char *string;
    void *ptr;
  } u;
} PluginTv;

typedef struct {
  const char *name;  // the file to read: an archive for its members
  int fd;
  off_t offset;      // where the IR starts in it (a member's data)
  off_t filesize;
  void *handle;      // the linker's: here, the IR file's InputFile
} PluginInputFile;

typedef struct {
  char *name;
  char *version;
  uint8_t def;           // LDPK_* (little-endian layout of the old `int def`)
  uint8_t symbol_type;   // LDST_*
  uint8_t section_kind;
  uint8_t unused;
  int visibility;        // LDPV_*
  uint64_t size;
  char *comdat_key;      // the COMDAT group the definition is in, or NULL
  int resolution;        // LDPR_*, filled by get_symbols
} PluginSymbol;

typedef int (*ClaimFileHook)(const PluginInputFile *file, int *claimed);
typedef int (*PluginHook)(void);

// What lto.c knows of one claimed file, behind InputFile.ir.
struct IrFile {
  PluginInputFile input;  // as offered to claim_file (the fd, its container's, stays
                          // open until LTO)
  PluginSymbol *syms;     // a copy of what add_symbols said, in its order
  int nsyms;
};

static struct {
  Ctx *ctx;
  void *dl;
  ClaimFileHook claim_file;
  PluginHook all_symbols_read;
  PluginHook cleanup;
  bool done;  // all_symbols_read has run: nothing more is offered to the plugin
  HashMap fds;  // container path -> its descriptor + 1: one per archive, however
                // many of its members are IR (the plugin reads them until LTO ends)
  PtrVec open_fds;  // (intptr_t) the same descriptors, to close
} plugin;

//
// The callbacks the plugin may call
//

static int cb_message(int level, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  switch (level) {
  case LDPL_INFO: note("%s: %s", plugin.ctx->opt.plugin, buf); break;
  case LDPL_WARNING: warn("%s: %s", plugin.ctx->opt.plugin, buf); break;
  case LDPL_ERROR: error("%s: %s", plugin.ctx->opt.plugin, buf); break;
  default: fatal("%s: %s", plugin.ctx->opt.plugin, buf);
  }
  return LDPS_OK;
}

static int cb_register_claim_file(ClaimFileHook fn) {
  plugin.claim_file = fn;
  return LDPS_OK;
}

static int cb_register_all_symbols_read(PluginHook fn) {
  plugin.all_symbols_read = fn;
  return LDPS_OK;
}

static int cb_register_cleanup(PluginHook fn) {
  plugin.cleanup = fn;
  return LDPS_OK;
}

// During claim_file: the symbols of the file being claimed (handle).
static int cb_add_symbols(void *handle, int nsyms, const PluginSymbol *syms) {
  IrFile *ir = ((InputFile *)handle)->ir;
  if (nsyms < 0)
    return LDPS_ERR;
  PluginSymbol *all = arena_array(&plugin.ctx->arena, (size_t)(ir->nsyms + nsyms) + 1,
                                  sizeof *all);
  if (ir->nsyms)
    memcpy(all, ir->syms, (size_t)ir->nsyms * sizeof *all);
  for (int i = 0; i < nsyms; i++) {
    PluginSymbol *s = &all[ir->nsyms + i];
    *s = syms[i];
    s->name = arena_strdup(&plugin.ctx->arena, syms[i].name ? syms[i].name : "");
    s->version = syms[i].version ? arena_strdup(&plugin.ctx->arena, syms[i].version) : NULL;
    s->comdat_key = syms[i].comdat_key && *syms[i].comdat_key
                        ? arena_strdup(&plugin.ctx->arena, syms[i].comdat_key)
                        : NULL;
  }
  ir->syms = all;
  ir->nsyms += nsyms;
  return LDPS_OK;
}

static int cb_get_input_file(const void *handle, PluginInputFile *file) {
  *file = ((const InputFile *)handle)->ir->input;
  return LDPS_OK;
}

static int cb_release_input_file(const void *handle) {
  (void)handle;  // the descriptors are closed once the plugin is done with them all
  return LDPS_OK;
}

static int cb_get_view(const void *handle, const void **view) {
  *view = ((const InputFile *)handle)->view.data;
  return LDPS_OK;
}

static bool is_ir_only(Ctx *ctx, const Symbol *sym);

// A regular object keeps the COMDAT group this definition is in: that object's
// copy is the one linked, even if it came after the IR (as in mold).
static bool in_regular_group(Ctx *ctx, const PluginSymbol *ps) {
  return ps->comdat_key && hashmap_get(&ctx->comdat, ps->comdat_key, strlen(ps->comdat_key));
}

// How each symbol of one IR file was resolved. `exp_ok`: the plugin knows
// LDPR_PREVAILING_DEF_IRONLY_EXP (get_symbols v2 and later).
static int get_symbols(const void *handle, int nsyms, PluginSymbol *syms, bool exp_ok) {
  const InputFile *file = handle;
  Ctx *ctx = plugin.ctx;
  if (nsyms > file->ir->nsyms)
    return LDPS_BAD_HANDLE;
  for (int i = 0; i < nsyms; i++) {
    const Symbol *sym = file->syms[i + 1];
    bool is_ref = syms[i].def == LDPK_UNDEF || syms[i].def == LDPK_WEAKUNDEF;
    int r;
    if (sym->state == SYM_UNDEF) {
      r = LDPR_UNDEF;
    } else if (sym->state == SYM_SHARED) {
      r = is_ref ? LDPR_RESOLVED_DYN : LDPR_PREEMPTED_REG;
    } else if (sym->file == file && !is_ref && !in_regular_group(ctx, &file->ir->syms[i])) {
      if (!is_ir_only(ctx, sym))
        r = LDPR_PREVAILING_DEF;
      else if ((ctx->opt.shared || ctx->opt.export_dynamic) && sym->visibility == STV_DEFAULT)
        r = exp_ok ? LDPR_PREVAILING_DEF_IRONLY_EXP : LDPR_PREVAILING_DEF;
      else
        r = LDPR_PREVAILING_DEF_IRONLY;
    } else if (sym->file && sym->file->ir) {
      r = is_ref ? LDPR_RESOLVED_IR : LDPR_PREEMPTED_IR;
    } else {
      r = is_ref ? LDPR_RESOLVED_EXEC : LDPR_PREEMPTED_REG;
    }
    syms[i].resolution = r;
  }
  return LDPS_OK;
}

static int cb_get_symbols_v1(const void *h, int n, PluginSymbol *s) {
  return get_symbols(h, n, s, false);
}

static int cb_get_symbols_v2(const void *h, int n, PluginSymbol *s) {
  return get_symbols(h, n, s, true);
}

static void add_input(InputArg kind_and_value) {
  Ctx *ctx = plugin.ctx;
  InputArg *arg = arena_alloc(&ctx->arena, sizeof *arg);
  *arg = kind_and_value;
  arg->value = arena_strdup(&ctx->arena, arg->value);
  vec_push(&ctx->arena, &ctx->lto_inputs, arg);
}

// An object the plugin made (or a file it passes through).
static int cb_add_input_file(const char *path) {
  add_input((InputArg){.kind = ARG_FILE, .value = path});
  return LDPS_OK;
}

// A library the new objects may need (gcc's -pass-through=-lc): like -lNAME.
static int cb_add_input_library(const char *name) {
  add_input((InputArg){.kind = ARG_LIBRARY, .value = name});
  return LDPS_OK;
}

static int cb_set_extra_library_path(const char *path) {
  Ctx *ctx = plugin.ctx;
  vec_push(&ctx->arena, &ctx->opt.lib_paths, arena_strdup(&ctx->arena, path));
  return LDPS_OK;
}

//
// Loading the plugin
//

static void load_plugin(Ctx *ctx) {
  plugin.ctx = ctx;
  plugin.dl = dlopen(ctx->opt.plugin, RTLD_NOW | RTLD_LOCAL);
  if (!plugin.dl)
    fatal("cannot load plugin %s: %s", ctx->opt.plugin, dlerror());
  int (*onload)(PluginTv *) = (int (*)(PluginTv *))dlsym(plugin.dl, "onload");
  if (!onload)
    fatal("%s: not a linker plugin (it has no 'onload')", ctx->opt.plugin);

  PtrVec *opts = &ctx->opt.plugin_opts;
  size_t n = 0, max = opts->len + 24;
  PluginTv *tv = arena_array(&ctx->arena, max, sizeof *tv);
#define TV(t, field, v) (tv[n].tag = (t), tv[n].u.field = (v), n++)
  TV(LDPT_MESSAGE, ptr, (void *)cb_message);
  TV(LDPT_API_VERSION, val, 1);
  TV(LDPT_LINKER_OUTPUT, val,
     ctx->opt.relocatable ? LDPO_REL
     : ctx->opt.shared    ? LDPO_DYN
     : ctx->opt.pie       ? LDPO_PIE
                          : LDPO_EXEC);
  TV(LDPT_OUTPUT_NAME, string, ctx->opt.output);
  for (size_t i = 0; i < opts->len; i++)
    TV(LDPT_OPTION, string, opts->data[i]);
  TV(LDPT_REGISTER_CLAIM_FILE_HOOK, ptr, (void *)cb_register_claim_file);
  TV(LDPT_REGISTER_ALL_SYMBOLS_READ_HOOK, ptr, (void *)cb_register_all_symbols_read);
  TV(LDPT_REGISTER_CLEANUP_HOOK, ptr, (void *)cb_register_cleanup);
  TV(LDPT_ADD_SYMBOLS, ptr, (void *)cb_add_symbols);
  TV(LDPT_GET_SYMBOLS, ptr, (void *)cb_get_symbols_v1);
  TV(LDPT_GET_SYMBOLS_V2, ptr, (void *)cb_get_symbols_v2);
  TV(LDPT_GET_SYMBOLS_V3, ptr, (void *)cb_get_symbols_v2);
  TV(LDPT_ADD_INPUT_FILE, ptr, (void *)cb_add_input_file);
  TV(LDPT_ADD_INPUT_LIBRARY, ptr, (void *)cb_add_input_library);
  TV(LDPT_SET_EXTRA_LIBRARY_PATH, ptr, (void *)cb_set_extra_library_path);
  TV(LDPT_GET_INPUT_FILE, ptr, (void *)cb_get_input_file);
  TV(LDPT_RELEASE_INPUT_FILE, ptr, (void *)cb_release_input_file);
  TV(LDPT_GET_VIEW, ptr, (void *)cb_get_view);
  TV(LDPT_NULL, val, 0);
#undef TV
  if (onload(tv) != LDPS_OK)
    fatal("%s: the plugin failed to load", ctx->opt.plugin);
  if (!plugin.claim_file)
    fatal("%s: the plugin registered no claim_file hook", ctx->opt.plugin);
}

//
// Claiming IR files
//

// LLVM bitcode: raw ('BC' 0xC0DE) or in its wrapper (0x0B17C0DE).
bool is_bitcode(View v) {
  return v.size >= 4 && ((v.data[0] == 'B' && v.data[1] == 'C' && v.data[2] == 0xc0 &&
                          v.data[3] == 0xde) ||
                         read_u32le(v.data) == 0x0b17c0de);
}

// An ELF relocatable object with a .gnu.lto_* section (gcc -flto): looked for in
// the section headers alone, without reading the whole object, since every
// object of a link with -plugin is asked. A malformed file is not IR (the object
// reader says what is wrong with it).
static bool has_gcc_ir(View v) {
  if (v.size < sizeof(Elf64_Ehdr) || !is_elf(v))
    return false;
  Elf64_Ehdr eh;
  memcpy(&eh, v.data, sizeof eh);
  if (eh.e_type != ET_REL || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > v.size ||
      eh.e_shnum > (v.size - eh.e_shoff) / sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum)
    return false;
  Elf64_Shdr strtab;
  memcpy(&strtab, v.data + eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr), sizeof strtab);
  if (strtab.sh_offset > v.size || strtab.sh_size > v.size - strtab.sh_offset)
    return false;
  for (uint16_t i = 1; i < eh.e_shnum; i++) {
    Elf64_Shdr s;
    memcpy(&s, v.data + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof s);
    if (s.sh_name < strtab.sh_size && strtab.sh_size - s.sh_name > 9 &&
        !memcmp(v.data + strtab.sh_offset + s.sh_name, ".gnu.lto_", 9))
      return true;
  }
  return false;
}

// The symbols the plugin gave, as an ElfObject's symbol table, so that
// resolve_file_symbols treats them as it treats an object's. Definitions point at
// section 1, a stand-in that never reaches the output; a definition inside a
// COMDAT group some other file already keeps points at section 2, which is not
// alive, so the kept copy's definition wins (as in read_object.c).
static void make_symbol_table(Ctx *ctx, InputFile *file) {
  IrFile *ir = file->ir;
  ElfObject *obj = &file->obj;
  obj->nsyms = (uint64_t)ir->nsyms + 1;
  obj->first_global = 1;
  Elf64_Sym *syms = arena_array(&ctx->arena, obj->nsyms, sizeof(Elf64_Sym));
  obj->syms = syms;
  obj->symnames = arena_array(&ctx->arena, obj->nsyms, sizeof(char *));
  obj->sym_secidx = arena_array(&ctx->arena, obj->nsyms, sizeof(uint32_t));
  obj->symnames[0] = "";
  file->syms = arena_array(&ctx->arena, obj->nsyms, sizeof(Symbol *));
  file->syms[0] = ctx->null_symbol;
  file->sections = arena_array(&ctx->arena, 3, sizeof(InputSection *));
  for (int k = 1; k <= 2; k++) {
    InputSection *isec = new_input_section(ctx, file, ".gnu.lto");
    isec->is_alive = k == 1;
    file->sections[k] = isec;
  }
  static const uint8_t visibility[] = {STV_DEFAULT, STV_PROTECTED, STV_INTERNAL, STV_HIDDEN};
  for (int i = 0; i < ir->nsyms; i++) {
    const PluginSymbol *ps = &ir->syms[i];
    Elf64_Sym *es = &syms[i + 1];
    bool weak = ps->def == LDPK_WEAKDEF || ps->def == LDPK_WEAKUNDEF;
    uint8_t type = ps->symbol_type == LDST_FUNCTION   ? STT_FUNC
                   : ps->symbol_type == LDST_VARIABLE ? STT_OBJECT
                                                      : STT_NOTYPE;
    es->st_info = ELF64_ST_INFO(weak ? STB_WEAK : STB_GLOBAL, type);
    es->st_other = ps->visibility >= 0 && ps->visibility <= 3 ? visibility[ps->visibility] : 0;
    es->st_size = ps->size;
    obj->symnames[i + 1] = ps->version && *ps->version && !strchr(ps->name, '@')
                               ? arena_printf(&ctx->arena, "%s@%s", ps->name, ps->version)
                               : ps->name;
    if (ps->def == LDPK_UNDEF || ps->def == LDPK_WEAKUNDEF) {
      es->st_shndx = SHN_UNDEF;
    } else if (ps->def == LDPK_COMMON) {
      es->st_shndx = SHN_COMMON;
      es->st_value = 1;  // the plugin does not say the alignment; the real object will
    } else {
      es->st_shndx = 1;
      obj->sym_secidx[i + 1] = 1;
      if (ps->comdat_key) {
        size_t len = strlen(ps->comdat_key);
        HashEntry *e = hashmap_slot(&ctx->ir_comdat, ps->comdat_key, len);
        if (!e->value)
          e->value = file;
        if (e->value != file || hashmap_get(&ctx->comdat, ps->comdat_key, len))
          obj->sym_secidx[i + 1] = 2;
      }
    }
  }
}

InputFile *claim_ir_file(Ctx *ctx, const char *name, View view, const char *container,
                         uint64_t offset) {
  if (plugin.done || !ctx->opt.plugin || !(is_bitcode(view) || has_gcc_ir(view)))
    return NULL;
  if (!plugin.dl)
    load_plugin(ctx);
  HashEntry *e = hashmap_slot(&plugin.fds, container, strlen(container));
  if (!e->value) {
    int fd = open(container, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error("%s: cannot open: %s", container, strerror(errno));
      return NULL;
    }
    e->value = (void *)(intptr_t)(fd + 1);
    vec_push(&ctx->arena, &plugin.open_fds, e->value);
  }
  int fd = (int)(intptr_t)e->value - 1;
  InputFile *file = arena_alloc(&ctx->arena, sizeof *file);
  file->name = name;
  file->view = view;
  file->ir = arena_alloc(&ctx->arena, sizeof *file->ir);
  file->ir->input = (PluginInputFile){
    .name = container, .fd = fd, .offset = (off_t)offset, .filesize = (off_t)view.size,
    .handle = file,
  };
  int claimed = 0;
  if (plugin.claim_file(&file->ir->input, &claimed) != LDPS_OK || !claimed)
    return NULL;  // not the plugin's: the caller reads it as whatever else it is
  if (ctx->opt.trace)
    printf("%s\n", name);
  if (!ctx->ir_files.len)
    ctx->lto_position = ctx->files.len;
  vec_push(&ctx->arena, &ctx->ir_files, file);
  make_symbol_table(ctx, file);
  return file;
}

//
// After all symbols are read
//

// Does nothing but IR see this definition? Then the plugin may make it local.
// Regular objects and shared libraries see what they refer to; the linker sees
// the entry point, -u names, what --defsym and scripts name, and the init and fini
// functions.
static bool is_ir_only(Ctx *ctx, const Symbol *sym) {
  if (sym->object_ref || sym->shared_ref || !strcmp(sym->name, ctx->opt.entry) ||
      (ctx->opt.init_symbol && !strcmp(sym->name, ctx->opt.init_symbol)) ||
      (ctx->opt.fini_symbol && !strcmp(sym->name, ctx->opt.fini_symbol)))
    return false;
  for (size_t i = 0; i < ctx->opt.undefined.len; i++)
    if (!strcmp(sym->name, ctx->opt.undefined.data[i]))
      return false;
  return !sym->script_ref;  // --defsym and linker scripts see what they name
}

void run_lto(Ctx *ctx) {
  if (!ctx->ir_files.len)
    return;
  plugin.done = true;
  ctx->lto_done = true;
  if (plugin.all_symbols_read && plugin.all_symbols_read() != LDPS_OK && !error_count())
    error("%s: link-time optimization failed", ctx->opt.plugin);
  for (size_t i = 0; i < plugin.open_fds.len; i++)
    close((int)(intptr_t)plugin.open_fds.data[i] - 1);
  plugin.open_fds.len = 0;
  free(plugin.fds.entries);
  plugin.fds = (HashMap){0};

  // The IR's definitions step aside for those of the objects the plugin made.
  for (size_t i = 0; i < ctx->ir_files.len; i++) {
    InputFile *file = ctx->ir_files.data[i];
    for (uint64_t j = 1; j < file->obj.nsyms; j++) {
      Symbol *sym = file->syms[j];
      if (!sym || sym->file != file)
        continue;
      sym->file = NULL;
      if (sym->state == SYM_DEFINED || sym->state == SYM_COMMON) {
        sym->state = SYM_UNDEF;
        sym->isec = NULL;
        sym->value = sym->size = 0;
        sym->binding = STB_GLOBAL;
        sym->type = STT_NOTYPE;
        sym->visibility = STV_DEFAULT;
      }
    }
  }
}

void finish_lto(Ctx *ctx) {
  (void)ctx;
  if (plugin.cleanup)
    plugin.cleanup();
  plugin.cleanup = NULL;
}

void release_lto(Ctx *ctx) {
  finish_lto(ctx);
  for (size_t i = 0; i < plugin.open_fds.len; i++)
    close((int)(intptr_t)plugin.open_fds.data[i] - 1);
  free(plugin.fds.entries);
  // The library itself stays loaded: what it keeps until exit must stay where
  // LeakSanitizer's suppressions can name it (tests/lsan.supp), and a compiler's
  // plugin is not written to be unloaded. A next link dlopen()s it again (the
  // same copy) and calls onload afresh.
  memset(&plugin, 0, sizeof plugin);
}
