/*
 * demangle_rust.c — Rust symbol names as GNU ld shows them.
 *
 * rustc has two manglings. The legacy one borrowed the C++ shape (_ZN...17h<hash>E)
 * and is read by demangle_rust_legacy.c; this file tells the two apart and reads
 * the other.
 *
 * Its own scheme, v0 (RFC 2603, "Rust Symbol Name Mangling v0"), starts with _R and
 * is a prefix grammar: one letter says what follows, and a part written once may be
 * named again by the offset where it starts (counted from just after "_R"):
 *
 *   C <ident>                     a crate's root                core
 *   N <ns> <path> <ident>         a path inside a path          core::slice, f::{closure#1}
 *   M <impl-path> <type>          an inherent impl              <core::slice::Iter<u8>>
 *   X <impl-path> <type> <path>   a trait's impl                <u8 as core::fmt::Debug>
 *   Y <type> <path>               a trait's own item            (printed the same)
 *   I <path> <arg>... E           generic arguments             f::<u8>, Iter<u8>
 *   B <base-62>                   the part at that offset again
 *
 * Types are a letter for the basic ones (h u8, j usize, e str, u (), ...), R/Q &, &mut,
 * P/O *const, *mut, A [T; N], S [T], T (A, B), F fn(A) -> B, D dyn Trait, or a path;
 * a generic argument is a type, a lifetime L, or a constant K (an integer, bool or
 * char in hex); G binds lifetimes (for<'a>). The _R may be followed, after the path,
 * by the crate that instantiated a generic item, which is read but not shown.
 *
 * GNU ld asks libiberty without its "verbose" option, so the crates' hashes (the
 * disambiguators of C) are not shown, nor the constants' types (c++filt is verbose:
 * core[846817f741e54dfd]::array::IntoIter<u32, 2: usize>). We print what ld prints,
 * its odd corners included (they are pointed out below), so that a message reads
 * the same from either linker.
 *
 * A name comes from an input file and may be built to hurt: paths and types nest at
 * most MAX_DEPTH deep, a back-reference must point strictly backwards (the depth cap
 * stops one that leads back to itself), the parts read and the text written have
 * caps, and nothing is read past the name's end. A name that breaks the grammar
 * gives NULL, and the caller shows it as it is.
 *
 * Part of the model: demangle() asks it before reading C++, because a legacy Rust
 * name is also a valid C++ name, which would keep its hash; it asks
 * demangle_rust_legacy.c and punycode.c.
 */
#include "../ld.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_DEPTH = 256,       // paths and types within each other (a real name: a few dozen)
  MAX_NAME = 16384,      // the longest name read, as in demangle.c
  MAX_OUTPUT = 65536,    // the longest name written: back-references repeat parts
  MAX_STEPS = 262144,    // parts read, those reached through back-references included
};

typedef struct {
  Arena *arena;
  const char *s;     // the name after "_R": back-references count from here
  size_t len;        // how much of it to read (not a '.' suffix)
  size_t pos;        // the next character
  bool failed;
  int skipping;      // > 0: read, but write nothing (an impl's own path, the crate
                     // that instantiated the item: parts GNU ld does not show)
  int depth;
  size_t steps;
  uint64_t bound;    // lifetimes bound by the for<...> binders around this point
  Buf out;
} RustReader;

// An identifier's bytes, as they are in the name.
typedef struct {
  const char *p;
  size_t n;
  bool punycode;
} Ident;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

static int lower_hex(char c) {
  return is_digit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void fail(RustReader *r) { r->failed = true; }

// The next character, or '\0' at the end: nothing past r->len is ever read.
static char peek(const RustReader *r) { return r->pos < r->len ? r->s[r->pos] : '\0'; }

static char next(RustReader *r) {
  char c = peek(r);
  r->pos += c != '\0';
  return c;
}

static bool eat(RustReader *r, char c) {
  if (c == '\0' || peek(r) != c)
    return false;
  r->pos++;
  return true;
}

static void put(RustReader *r, const char *p, size_t n) {
  if (r->skipping || r->failed || n == 0)
    return;
  if (n > MAX_OUTPUT - r->out.len) {
    fail(r);
    return;
  }
  buf_add(&r->out, p, n);
}

static void put_str(RustReader *r, const char *s) { put(r, s, strlen(s)); }

static void put_u64(RustReader *r, uint64_t v, const char *fmt) {
  char tmp[24];
  put(r, tmp, (size_t)snprintf(tmp, sizeof tmp, fmt, (unsigned long long)v));
}

// Every reader of a part (path, type, constant) starts here, so that nesting and the
// total work stay bounded; it ends with r->depth--.
static bool enter(RustReader *r) {
  if (r->failed)
    return false;
  if (++r->steps > MAX_STEPS || r->depth >= MAX_DEPTH)
    return fail(r), false;
  r->depth++;
  return true;
}

// <base-62-number>: digits 0-9a-zA-Z ended by '_', plus one: "_" is 0, "0_" is 1,
// "Z_" is 62, "10_" is 63.
static uint64_t base62(RustReader *r) {
  uint64_t x = 0;
  if (eat(r, '_'))
    return 0;
  while (!eat(r, '_')) {
    char c = next(r);
    int d = is_digit(c)   ? c - '0'
            : is_lower(c) ? c - 'a' + 10
            : is_upper(c) ? c - 'A' + 36
                          : -1;
    if (d < 0 || x >= (UINT64_MAX - (uint64_t)d) / 62)
      return fail(r), 0;
    x = x * 62 + (uint64_t)d;
  }
  return x + 1;
}

// [tag <base-62-number>]: 0 when the tag is absent, else the number plus one (a
// disambiguator "s_" is 1, as the second closure in a function is {closure#1}).
static uint64_t opt_base62(RustReader *r, char tag) {
  return eat(r, tag) ? base62(r) + 1 : 0;
}

// <decimal-number>: "0", or digits that do not start with 0. No length in a name can
// be longer than the name.
static size_t decimal(RustReader *r) {
  if (eat(r, '0'))
    return 0;
  if (!is_digit(peek(r)))
    return fail(r), 0;
  size_t x = 0;
  while (is_digit(peek(r))) {
    x = x * 10 + (size_t)(next(r) - '0');
    if (x > r->len)
      return fail(r), 0;
  }
  return x;
}

// <undisambiguated-identifier> = ["u"] <decimal-number> ["_"] <bytes>: the '_'
// separates the length from bytes that start with a digit or a '_'; "u" marks
// punycode.
static Ident ident(RustReader *r) {
  Ident id = {.punycode = eat(r, 'u')};
  id.n = decimal(r);
  eat(r, '_');
  if (r->failed || id.n > r->len - r->pos)
    return fail(r), (Ident){0};
  id.p = r->s + r->pos;
  r->pos += id.n;
  return id;
}

static void put_ident(RustReader *r, Ident id) {
  if (r->skipping || r->failed)
    return;
  // GNU ld writes nothing for a punycode identifier it cannot decode and goes on;
  // we give up on the name, as on any other error.
  const char *utf8 = id.punycode ? punycode_decode(r->arena, id.p, id.n, '_') : NULL;
  if (id.punycode && !utf8)
    fail(r);
  else if (id.punycode)
    put_str(r, utf8);
  else
    put(r, id.p, id.n);
}

// 'a, 'b, ... for a lifetime bound by a for<...> (1 is the innermost binder's last
// lifetime), '_ for 0, the erased lifetime. Like GNU ld, one that names no bound
// lifetime prints as '_ and a large number (the count wraps around).
static void put_lifetime(RustReader *r, uint64_t lt) {
  put_str(r, "'");
  uint64_t depth = r->bound - lt;
  if (lt == 0) {
    put_str(r, "_");
  } else if (depth < 26) {
    char c = (char)('a' + depth);
    put(r, &c, 1);
  } else {
    put_u64(r, depth, "_%llu");
  }
}

// [G <base-62-number>]: "for<'a, 'b> " binds that many more lifetimes; the caller
// unbinds them (r->bound) where the binder's scope ends.
static void binder(RustReader *r) {
  uint64_t n = opt_base62(r, 'G');
  if (r->failed || n == 0)
    return;
  if (r->skipping) {  // nothing is written: no need to count them out
    r->bound += n;
    return;
  }
  if (n > MAX_OUTPUT) {  // more than could be written
    fail(r);
    return;
  }
  put_str(r, "for<");
  for (uint64_t i = 0; i < n && !r->failed; i++) {
    put_str(r, i ? ", " : "");
    r->bound++;
    put_lifetime(r, 1);
  }
  put_str(r, "> ");
}

// B <base-62-number> (the 'B' read): the part written at that offset. It must
// start before this reference. A part that is skipped needs no reading there; else
// the reader moves there and returns true, and the caller reads the part and comes
// back to *resume.
static bool back_ref(RustReader *r, size_t *resume) {
  size_t at = r->pos - 1;
  uint64_t target = base62(r);
  if (!r->failed && target >= at)
    fail(r);
  if (r->failed || r->skipping)
    return false;
  *resume = r->pos;
  r->pos = (size_t)target;
  return true;
}

static void path(RustReader *r, bool in_value);
static void type(RustReader *r);
static void constant(RustReader *r);

// <generic-arg>... E, written "a, b": a lifetime, a constant or a type.
static void generic_args(RustReader *r) {
  for (int i = 0; !r->failed && !eat(r, 'E'); i++) {
    put_str(r, i ? ", " : "");
    if (eat(r, 'L'))
      put_lifetime(r, base62(r));
    else if (eat(r, 'K'))
      constant(r);
    else
      type(r);
  }
}

// A path. In a value (the symbol's own path) generic arguments are written f::<u8>,
// in a type Iter<u8>, as in Rust source.
static void path(RustReader *r, bool in_value) {
  if (!enter(r))
    return;
  size_t resume;
  char tag = next(r);
  switch (tag) {
  case 'C':  // C [s<base-62>] <ident>: the disambiguator is the crate's hash: not shown
    opt_base62(r, 's');
    put_ident(r, ident(r));
    break;
  case 'N': {  // N <namespace> <path> [s<base-62>] <ident>
    char ns = next(r);
    if (!is_lower(ns) && !is_upper(ns)) {
      fail(r);
      break;
    }
    path(r, in_value);
    uint64_t dis = opt_base62(r, 's');
    Ident id = ident(r);
    // An upper-case namespace is one Rust knows: {closure#0}, {shim:vtable#0}.
    // A lower-case one is the compiler's own (a module, a function, a type: the
    // name alone), and an empty name there is not written at all.
    if (is_upper(ns)) {
      put_str(r, "::{");
      put_str(r, ns == 'C' ? "closure" : ns == 'S' ? "shim" : (char[2]){ns, '\0'});
      if (id.n > 0) {
        put_str(r, ":");
        put_ident(r, id);
      }
      put_u64(r, dis, "#%llu}");
    } else if (id.n > 0) {
      put_str(r, "::");
      put_ident(r, id);
    }
    break;
  }
  // M [s<base-62>] <path> <type>, X [s<base-62>] <path> <type> <path>: the path
  // of the impl itself (the module it was written in) is read, not shown.
  case 'M':
  case 'X':
    opt_base62(r, 's');
    r->skipping++;
    path(r, in_value);
    r->skipping--;
    // fall through
  case 'Y':  // Y <type> <path>
    put_str(r, "<");
    type(r);
    if (tag != 'M') {
      put_str(r, " as ");
      path(r, false);
    }
    put_str(r, ">");
    break;
  case 'I':  // I <path> <generic-arg>... E
    path(r, in_value);
    put_str(r, in_value ? "::<" : "<");
    generic_args(r);
    put_str(r, ">");
    break;
  case 'B':
    if (back_ref(r, &resume)) {
      path(r, in_value);
      r->pos = resume;
    }
    break;
  default:
    fail(r);
  }
  r->depth--;
}

// A dyn trait's path, as path() writes it, but with its generic arguments left open
// (no '>'), so that the associated types bound after it go inside: Fn<(u8,), Output
// = u8>. Returns whether they were left open.
static bool open_trait_path(RustReader *r) {
  if (!enter(r))
    return false;
  bool open = false;
  size_t resume;
  if (eat(r, 'B')) {
    if (back_ref(r, &resume)) {
      open = open_trait_path(r);
      r->pos = resume;
    }
  } else if (eat(r, 'I')) {
    path(r, false);
    put_str(r, "<");
    generic_args(r);
    open = true;
  } else {
    path(r, false);
  }
  r->depth--;
  return open;
}

// D [<binder>] (<path> {p <ident> <type>})... E L <base-62>: dyn for<'a> Trait<Item =
// u8> + Send + 'a. The binder covers the traits, not the lifetime after them.
static void dyn_type(RustReader *r) {
  uint64_t bound = r->bound;
  put_str(r, "dyn ");
  binder(r);
  for (int i = 0; !r->failed && !eat(r, 'E'); i++) {
    put_str(r, i ? " + " : "");
    bool open = open_trait_path(r);
    while (!r->failed && eat(r, 'p')) {
      put_str(r, open ? ", " : "<");
      open = true;
      put_ident(r, ident(r));
      put_str(r, " = ");
      type(r);
    }
    put_str(r, open ? ">" : "");
  }
  r->bound = bound;
  uint64_t lt = eat(r, 'L') ? base62(r) : (fail(r), 0);
  if (lt > 0) {
    put_str(r, " + ");
    put_lifetime(r, lt);
  }
}

// F [<binder>] [U] [K <abi>] <type>... E <type>: for<'a> unsafe extern "C" fn(&'a u8)
// -> u8, where a return type u, (), is not written.
static void fn_type(RustReader *r) {
  uint64_t bound = r->bound;
  binder(r);
  put_str(r, eat(r, 'U') ? "unsafe " : "");
  if (eat(r, 'K')) {
    put_str(r, "extern \"");
    Ident abi = {.p = "C", .n = 1};
    if (!eat(r, 'C'))
      abi = ident(r);
    if (abi.n == 0 || abi.punycode)
      fail(r);
    // The ABI's '-' is mangled as '_' ("C-unwind" is 8C_unwind). GNU ld leaves the
    // '_' right after one it turned back into '-' as it is ("a__b" is "a-_b").
    for (size_t i = 0, after = 0; i < abi.n; i++) {
      bool dash = abi.p[i] == '_' && !after;
      put(r, dash ? "-" : abi.p + i, 1);
      after = dash;
    }
    put_str(r, "\" ");
  }
  put_str(r, "fn(");
  for (int i = 0; !r->failed && !eat(r, 'E'); i++) {
    put_str(r, i ? ", " : "");
    type(r);
  }
  put_str(r, ")");
  if (!eat(r, 'u')) {
    put_str(r, " -> ");
    type(r);
  }
  r->bound = bound;
}

static const char *const basic_types[26] = {
  ['a' - 'a'] = "i8",   ['b' - 'a'] = "bool", ['c' - 'a'] = "char", ['d' - 'a'] = "f64",
  ['e' - 'a'] = "str",  ['f' - 'a'] = "f32",  ['h' - 'a'] = "u8",   ['i' - 'a'] = "isize",
  ['j' - 'a'] = "usize", ['l' - 'a'] = "i32", ['m' - 'a'] = "u32",  ['n' - 'a'] = "i128",
  ['o' - 'a'] = "u128", ['p' - 'a'] = "_",    ['s' - 'a'] = "i16",  ['t' - 'a'] = "u16",
  ['u' - 'a'] = "()",   ['v' - 'a'] = "...",  ['x' - 'a'] = "i64",  ['y' - 'a'] = "u64",
  ['z' - 'a'] = "!",
};

static void type(RustReader *r) {
  if (!enter(r))
    return;
  size_t resume;
  char tag = peek(r);
  if (is_lower(tag) && basic_types[tag - 'a']) {
    r->pos++;
    put_str(r, basic_types[tag - 'a']);
  } else if (tag == '\0' || !strchr("RQPOASTFDB", tag)) {
    path(r, false);  // a struct, an enum, a closure, ...: named by its path
  } else {
    r->pos++;
    switch (tag) {
    case 'R':  // R [L <base-62>] <type>: &'a T, where the erased lifetime is not written
    case 'Q':  // Q ...: &'a mut T
      put_str(r, "&");
      if (eat(r, 'L')) {
        uint64_t lt = base62(r);
        if (lt > 0) {
          put_lifetime(r, lt);
          put_str(r, " ");
        }
      }
      put_str(r, tag == 'Q' ? "mut " : "");
      type(r);
      break;
    case 'P':
    case 'O':
      put_str(r, tag == 'P' ? "*const " : "*mut ");
      type(r);
      break;
    case 'A':  // A <type> <const>: [T; N]
    case 'S':  // S <type>: [T]
      put_str(r, "[");
      type(r);
      if (tag == 'A') {
        put_str(r, "; ");
        constant(r);
      }
      put_str(r, "]");
      break;
    case 'T': {  // T <type>... E: a tuple, (T,) when it has one member
      int i = 0;
      put_str(r, "(");
      for (; !r->failed && !eat(r, 'E'); i++) {
        put_str(r, i ? ", " : "");
        type(r);
      }
      put_str(r, i == 1 ? ",)" : ")");
      break;
    }
    case 'F':
      fn_type(r);
      break;
    case 'D':
      dyn_type(r);
      break;
    case 'B':
      if (back_ref(r, &resume)) {
        type(r);
        r->pos = resume;
      }
      break;
    }
  }
  r->depth--;
}

// <hex-digit>... _: returns how many digits there were; *value gets them (only the
// last 16 count when there are more).
static size_t hex_digits(RustReader *r, uint64_t *value) {
  size_t n = 0;
  *value = 0;
  while (!r->failed && !eat(r, '_')) {
    int d = lower_hex(next(r));
    if (d < 0)
      fail(r);
    *value = *value << 4 | (uint64_t)(d & 15);
    n++;
  }
  return r->failed ? 0 : n;
}

// An integer constant's digits, written in decimal. One too long for 64 bits is
// written in hex as GNU ld writes it: from one digit too late, ending with the '_'.
static void put_const_int(RustReader *r) {
  uint64_t v;
  size_t n = hex_digits(r, &v);
  if (n == 0)
    fail(r);
  else if (n > 16)
    put_str(r, "0x"), put(r, r->s + r->pos - n, n);
  else
    put_u64(r, v, "%llu");
}

// A char constant as Rust's Debug writes it: 'x', '\n', '\u{fc}' (and as GNU ld
// does, any but the printable ASCII characters from '!' to '}' in the last form).
static void put_const_char(RustReader *r) {
  uint64_t v;
  size_t n = hex_digits(r, &v);
  if (n == 0 || n > 8) {
    fail(r);
    return;
  }
  char c = (char)v;
  put_str(r, "'");
  if (v == '\t' || v == '\r' || v == '\n')
    put_str(r, v == '\t' ? "\\t" : v == '\r' ? "\\r" : "\\n");
  else if (v > ' ' && v < '~')
    put(r, &c, 1);
  else
    put_u64(r, v, "\\u{%llx}");
  put_str(r, "'");
}

// <const> = <type> <hex-digit>... _ | p | B <base-62>: 5, -5, true, 'x', or _ for a
// placeholder. Only integers, bool and char (the consts GNU ld 2.40 reads).
static void constant(RustReader *r) {
  if (!enter(r))
    return;
  size_t resume;
  uint64_t v;
  char tag = next(r);
  if (tag != '\0' && strchr("astlxnijhmyo", tag)) {  // the integer types
    put_str(r, strchr("aslxni", tag) && eat(r, 'n') ? "-" : "");  // signed ones
    put_const_int(r);
  } else if (tag == 'b') {
    if (hex_digits(r, &v) != 1 || v > 1)
      fail(r);
    put_str(r, v ? "true" : "false");
  } else if (tag == 'c') {
    put_const_char(r);
  } else if (tag == 'p') {
    put_str(r, "_");
  } else if (tag == 'B') {
    if (back_ref(r, &resume)) {
      constant(r);
      r->pos = resume;
    }
  } else {
    fail(r);
  }
  r->depth--;
}

// "_R" [<decimal-number>] <path> [<instantiating-crate>] ["." <suffix>]: the path as
// a value; the crate that instantiated it is read, not shown, and so is a suffix
// that LLVM adds (.llvm.123). GNU ld reads only encoding 0, which is not written.
static const char *demangle_v0(Arena *arena, const char *name) {
  RustReader r = {.arena = arena, .s = name};
  size_t n = strnlen(name, MAX_NAME + 1);
  if (n > MAX_NAME || !is_upper(name[0]))
    return NULL;
  for (; r.len < n && name[r.len] != '.'; r.len++)
    if (!is_digit(name[r.len]) && !is_lower(name[r.len]) && !is_upper(name[r.len]) &&
        name[r.len] != '_')
      return NULL;
  path(&r, true);
  if (!r.failed && r.pos < r.len) {
    r.skipping++;
    path(&r, false);
  }
  const char *s = NULL;
  if (!r.failed && r.pos == r.len)
    s = r.out.len ? arena_strndup(arena, (const char *)r.out.data, r.out.len) : "";
  free(r.out.data);
  return s;
}

const char *demangle_rust(Arena *arena, const char *mangled) {
  if (!strncmp(mangled, "_R", 2))
    return demangle_v0(arena, mangled + 2);
  if (!strncmp(mangled, "_ZN", 3))
    return demangle_rust_legacy(arena, mangled + 3);
  return NULL;
}
