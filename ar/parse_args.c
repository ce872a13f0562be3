/*
 * parse_args.c — GNU ar's command line.
 *
 *   mini-ar [-]OPERATION[MODIFIERS] [POSNAME] [COUNT] ARCHIVE [FILE...]
 *
 * Makefiles call ar in several spellings, so we accept all of GNU ar's: the first
 * word holds one operation letter (r q t x d p m, or s alone) and any modifiers,
 * with or without a dash ("rcs", "-rcs"); dash options may also come one by one
 * ("-r -c -s") or long (--thin, --output=DIR, --help, --version; --plugin and
 * --target are accepted and ignored, since we know one object format only). Then
 * come, in this order: the position member if a, b or i was given, the count if N
 * was, the archive, and the files.
 *
 * Words of the form @FILE are replaced by the words in FILE first (build systems
 * pass long lists of objects that way).
 *
 * Three rules of GNU ar's are kept because scripts depend on them: `s` without an
 * operation (or with `t`) means "rewrite the index" (ranlib); `q` together with `s`
 * or `S` is done as `r`; deterministic mode (D) is the default.
 *
 * Run under a name that ends in "ranlib" (a link named ranlib or mini-ranlib, the
 * rule GNU ar uses to become ranlib), the command line is ranlib's instead:
 *
 *   mini-ranlib [-D] [-U] [-t] [--plugin NAME] ARCHIVE...
 *
 * and each archive gets what `mini-ar s ARCHIVE` does to it.
 *
 * Fills ctx->opt.
 */
#include "ar.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_usage(FILE *out) {
  fprintf(out,
          "Usage: mini-ar [-]{dmpqrstx}[abcDiNoOPsSTuvV] [member-name] [count] archive "
          "[file...]\n"
          " operations:\n"
          "  d            delete the files from the archive\n"
          "  m[ab]        move the files to the end (or next to member-name)\n"
          "  p            print the members' contents to stdout\n"
          "  q            append the files, even if members have the same names\n"
          "  r[ab][u]     replace members with the files, in place; add the others\n"
          "  s            write the symbol index (like ranlib)\n"
          "  t[O][v]      list the members\n"
          "  x[o]         extract the members (all of them if no file is named)\n"
          " modifiers:\n"
          "  a, b, i      put new or moved members after (a) or before (b, i) member-name\n"
          "  c            do not say that the archive is being created\n"
          "  D            zero dates, owners and modes 644 (the default)\n"
          "  U            record real dates, owners and modes\n"
          "  N            act on instance [count] of a repeated name (x, d, p)\n"
          "  o            give extracted files the member's date\n"
          "  O            list the offset of each member's data\n"
          "  P            match and store names with their directories\n"
          "  s            write a symbol index (the default when there are objects)\n"
          "  S            do not write a symbol index\n"
          "  T, --thin    make a thin archive: store paths, not contents\n"
          "  u            replace only members older than their file\n"
          "  v            say what is done to each member\n"
          "  V, --version print the version\n"
          "  --output=DIR extract into DIR\n"
          "  --plugin NAME, --target NAME  accepted and ignored (gcc-ar passes --plugin)\n"
          "  --help       print this help\n");
}

static void print_version(void) {
  printf("mini-ar " MINI_AR_VERSION " (compatible with GNU ar)\n");
}

static void set_op(Options *o, Operation op) {
  if (o->op != OP_NONE)
    usage_error("two different operations specified");
  o->op = op;
}

static void apply_letter(Options *o, char c, bool *help, bool *version) {
  switch (c) {
  case 'r': set_op(o, OP_REPLACE); break;
  case 'q': set_op(o, OP_APPEND); break;
  case 'd': set_op(o, OP_DELETE); break;
  case 'm': set_op(o, OP_MOVE); break;
  case 't': set_op(o, OP_LIST); break;
  case 'x': set_op(o, OP_EXTRACT); break;
  case 'p': set_op(o, OP_PRINT); break;
  case 's': o->index = 1; break;
  case 'S': o->index = -1; break;
  case 'c': o->quiet_create = true; break;
  case 'u': o->newer_only = true; break;
  case 'v': o->verbose = true; break;
  case 'a': o->pos = POS_AFTER; break;
  case 'b':
  case 'i': o->pos = POS_BEFORE; break;
  case 'N': o->counted = true; break;
  case 'P': o->full_path = true; break;
  case 'o': o->preserve_dates = true; break;
  case 'O': o->offsets = true; break;
  case 'T': o->thin = true; break;
  case 'D': o->deterministic = o->explicit_d = true; break;
  case 'U': o->deterministic = o->explicit_d = false; break;
  case 'h': *help = true; break;
  case 'V': *version = true; break;
  case 'f': usage_error("modifier 'f' (truncate names) is not supported");
  case 'l': usage_error("modifier 'l' (library dependencies) is not supported");
  case 'M': usage_error("MRI scripts (modifier 'M') are not supported");
  default:
    if (c > ' ' && c < 127)
      usage_error("unknown operation or modifier '%c'", c);
    usage_error("unknown operation or modifier 0x%02x", (unsigned char)c);
  }
}

// A long option at argv[*i]; options with a value take it after '=' or as the next
// word. Advances *i past what it used.
static void long_option(Options *o, int argc, char **argv, int *i, bool *help, bool *version) {
  const char *arg = argv[*i] + 2;
  const char *eq = strchr(arg, '=');
  size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
  (*i)++;
  if (len == 4 && !strncmp(arg, "help", 4) && !eq) {
    *help = true;
  } else if (len == 7 && !strncmp(arg, "version", 7) && !eq) {
    *version = true;
  } else if (len == 4 && !strncmp(arg, "thin", 4) && !eq) {
    o->thin = true;
  } else if ((len == 6 && !strncmp(arg, "output", 6)) || (len == 6 && !strncmp(arg, "plugin", 6)) ||
             (len == 6 && !strncmp(arg, "target", 6))) {
    const char *val = eq ? eq + 1 : NULL;
    if (!val) {
      if (*i >= argc)
        usage_error("option '--%.*s' needs a value", (int)len, arg);
      val = argv[(*i)++];
    }
    if (arg[0] == 'o')
      o->output_dir = val;
  } else if (len == 14 && !strncmp(arg, "record-libdeps", 14)) {
    usage_error("option '--record-libdeps' is not supported");
  } else {
    usage_error("unknown option '%s'", argv[*i - 1]);
  }
}

static void print_ranlib_usage(FILE *out) {
  fprintf(out,
          "Usage: mini-ranlib [options] archive...\n"
          " Write (or rewrite) the symbol index of each archive, as 'mini-ar s' does.\n"
          " options:\n"
          "  -D             zero the index's date (the default)\n"
          "  -U             record the real date in the index\n"
          "  -t             only check the archive: GNU ranlib updates the index date\n"
          "                 of BSD archives, and ar archives of ELF objects have none\n"
          "  --plugin NAME  accepted and ignored (gcc-ranlib passes it)\n"
          "  -h, --help     print this help\n"
          "  -v, -V, --version  print the version\n");
}

// ranlib's command line (GNU binutils' ranlib_main): options may come anywhere, as
// getopt allows, and every other word is an archive.
static void parse_ranlib_args(Options *o, int argc, char **argv) {
  diag_set_tool("mini-ranlib");
  o->ranlib = true;
  o->op = OP_INDEX;
  o->index = 1;
  o->files = argv + 1;  // archives are packed to the front of this array
  bool help = false, version = false, only_files = false;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (only_files || a[0] != '-' || !a[1]) {
      o->files[o->nfiles++] = a;
    } else if (!strcmp(a, "--")) {
      only_files = true;
    } else if (!strcmp(a, "--help")) {
      help = true;
    } else if (!strcmp(a, "--version")) {
      version = true;
    } else if (!strcmp(a, "--plugin")) {
      if (++i >= argc)
        usage_error("option '--plugin' needs a value");
    } else if (!strncmp(a, "--plugin=", 9)) {
      // ignored: we know one object format
    } else if (a[1] == '-') {
      usage_error("unknown option '%s'", a);
    } else {
      for (const char *p = a + 1; *p; p++) {
        switch (*p) {
        case 'D': o->deterministic = true; break;
        case 'U': o->deterministic = false; break;
        case 't': o->touch = true; break;
        case 'h':
        case 'H': help = true; break;
        case 'v':
        case 'V': version = true; break;
        default:
          if (*p > ' ' && *p < 127)
            usage_error("unknown option '-%c'", *p);
          usage_error("unknown option 0x%02x", (unsigned char)*p);
        }
      }
    }
  }
  if (help) {
    print_ranlib_usage(stdout);
    end_run(0);
  }
  if (version) {
    printf("mini-ranlib " MINI_AR_VERSION " (compatible with GNU ranlib)\n");
    end_run(0);
  }
  if (o->nfiles == 0)
    usage_error("no archive named (try 'mini-ranlib --help')");
}

// True if the program was run under a name ending in "ranlib".
static bool is_ranlib_name(const char *argv0) {
  const char *base = strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  size_t len = strlen(base);
  return len >= 6 && !strcmp(base + len - 6, "ranlib");
}

void parse_args(Ctx *ctx, int argc, char **argv) {
  Options *o = &ctx->opt;
  o->deterministic = true;
  PtrVec words = {0};
  vec_push(&ctx->arena, &words, argv[0]);
  for (int k = 1; k < argc; k++)
    expand_response_file(&ctx->arena, argv[k], &words);
  argc = (int)words.len;
  argv = (char **)words.data;
  if (argv[0] && is_ranlib_name(argv[0])) {
    parse_ranlib_args(o, argc, argv);
    return;
  }
  if (argc < 2)
    usage_error("no operation specified (try 'mini-ar --help')");

  bool help = false, version = false;
  int i = 1;
  while (i < argc) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      i++;
      break;
    }
    if (a[0] == '-' && a[1] == '-') {
      long_option(o, argc, argv, &i, &help, &version);
    } else if (a[0] == '-' && a[1]) {
      for (const char *p = a + 1; *p; p++)
        apply_letter(o, *p, &help, &version);
      i++;
    } else if (i == 1 || (o->op == OP_NONE && o->index != 1)) {
      // The old-style word of letters: always the first word, and later the first
      // dashless word if no operation has been named yet. After `s` alone the next
      // word is the archive (GNU ar's ranlib mode).
      for (const char *p = a; *p; p++)
        apply_letter(o, *p, &help, &version);
      i++;
    } else {
      break;
    }
  }
  if (help) {
    print_usage(stdout);
    end_run(0);
  }
  if (version) {
    print_version();
    end_run(0);
  }

  // GNU ar cannot keep an index in step with a quick append, so `qs` (and `qS`)
  // are done as `r`: existing members of the same name are replaced.
  if (o->op == OP_APPEND && o->index != 0)
    o->op = OP_REPLACE;
  if ((o->op == OP_NONE || o->op == OP_LIST) && o->index == 1)
    o->op = OP_INDEX;
  if (o->op == OP_NONE)
    usage_error("no operation specified (try 'mini-ar --help')");
  if (o->newer_only && o->op != OP_REPLACE)
    usage_error("modifier 'u' is only meaningful with 'r'");
  if (o->newer_only && o->explicit_d)
    usage_error("modifier 'u' is not meaningful with 'D'");
  // Like GNU ar, we still compare dates; a member added in deterministic mode is
  // dated 0, so every file looks newer and is replaced.
  if (o->newer_only && o->deterministic)
    warn("modifier 'u' is ignored since 'D' is the default (see 'U')");

  if (o->pos != POS_DEFAULT) {
    if (i >= argc)
      usage_error("missing position member name (for 'a', 'b' or 'i')");
    o->posname = argv[i++];
  }
  if (o->counted) {
    if (o->op != OP_EXTRACT && o->op != OP_DELETE && o->op != OP_PRINT)
      usage_error("modifier 'N' is only meaningful with 'x', 'd' and 'p'");
    if (i >= argc)
      usage_error("modifier 'N' needs a count");
    char *end;
    long n = strtol(argv[i], &end, 10);
    if (end == argv[i] || *end || n <= 0 || n > INT_MAX)
      usage_error("modifier 'N' needs a positive count, not '%s'", argv[i]);
    o->count = n;
    i++;
  }
  if (i >= argc)
    usage_error("no archive named (try 'mini-ar --help')");
  o->archive = argv[i++];
  o->files = argv + i;
  o->nfiles = (size_t)(argc - i);
}
