/*
 * demangle.c — C++ names as people write them, for version scripts and messages.
 *
 * (Rust names too: demangle() hands them to demangle_rust.c, and this file reads
 * the C++ ones.)
 *
 * A C++ compiler encodes each function's scope, name and parameter types into its
 * symbol (the Itanium C++ ABI, §5.1 "Mangling"): `foo::bar(int, char const*)` is
 * `_ZN3foo3barEiPKc`. A version script's `extern "C++" { foo::bar*; };` block
 * speaks of the first form, so the linker turns symbol names back into it, the way
 * c++filt prints them, and matches the patterns against that.
 *
 *   _Z <name> <parameter types>         a function: name(params); a template
 *                                       function's first type is its return type
 *   _Z <name>                           a variable: name
 *   N [K] <prefix>... <name> E          a nested name: a::b::c (K: a const method)
 *   <length><identifier>                a source name: 3foo -> foo
 *   I <template args> E                 foo<int, bar>
 *   S_ S0_ S1_ ...  St Sa Ss ...        substitutions: earlier parts, and std:: names
 *   T_ T0_ ...                          template parameters
 *   i j c v ... P R O K V               builtin types, pointer, reference, cv
 *
 * Only what symbols in practice use is understood; a name we cannot read (local
 * names, function pointer types, expressions in template arguments, ...) gives
 * NULL, and the caller matches the mangled name instead, as GNU ld does with a
 * name it cannot demangle.
 *
 * Part of the model: dynamic_symbols.c asks it for version scripts, and every message
 * that names a symbol shows it through shown_name(); it asks demangle_rust.c only.
 */
#include "../ld.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  Arena *arena;
  const char *p;      // the next character to read
  bool failed;
  PtrVec subs;        // const char *: the substitution candidates, in order
  PtrVec targs;       // const char *: the template arguments T_ refers to: those
  bool targs_final;   // of the function's own name, once it has been read
  int depth;          // types within types being read (see type())
} Demangler;

// A symbol name comes from an input file and may be built to hurt: types nest at
// most this deep (a real one is a few levels), and a longer name is not demangled
// (the longest in libstdc++ is about 500 bytes), so that neither the stack nor the
// time it takes can grow without bound.
enum { MAX_DEPTH = 256, MAX_NAME = 16384 };

static const char *fail(Demangler *d) {
  d->failed = true;
  return "";
}

static const char *cat(Demangler *d, const char *a, const char *b) {
  return arena_printf(d->arena, "%s%s", a, b);
}

static void add_sub(Demangler *d, const char *s) {
  if (!d->failed)
    vec_push(d->arena, &d->subs, (void *)s);
}

static const char *type(Demangler *d);
static const char *name(Demangler *d, bool *has_targs, bool *is_cdtor);

// <number>: decimal digits.
static size_t number(Demangler *d) {
  size_t n = 0;
  if (*d->p < '0' || *d->p > '9')
    return fail(d), 0;
  while (*d->p >= '0' && *d->p <= '9' && n < 100000)
    n = n * 10 + (size_t)(*d->p++ - '0');
  return n;
}

// <seq-id> _ : S_ is 0, S0_ is 1, SA_ is 11 (base 36); the same for T_.
static size_t seq_index(Demangler *d) {
  if (*d->p == '_')
    return d->p++, 0;
  size_t n = 0;
  while ((*d->p >= '0' && *d->p <= '9') || (*d->p >= 'A' && *d->p <= 'Z'))
    n = n * 36 + (size_t)(*d->p <= '9' ? *d->p - '0' : *d->p - 'A' + 10), d->p++;
  if (*d->p != '_')
    return fail(d), 0;
  d->p++;
  return n + 1;
}

static const char *source_name(Demangler *d) {
  size_t n = number(d);
  if (d->failed || strnlen(d->p, n) < n)
    return fail(d);
  const char *s = arena_strndup(d->arena, d->p, n);
  d->p += n;
  // An anonymous namespace is spelled _GLOBAL__N_1 (or similar).
  if (!strncmp(s, "_GLOBAL_", 8) && (s[8] == '.' || s[8] == '_' || s[8] == '$') && s[9] == 'N')
    return "(anonymous namespace)";
  return s;
}

// Operator names (<operator-name>), the ones worth knowing.
static const char *const operators[][2] = {
  {"nw", "new"}, {"na", "new[]"}, {"dl", "delete"}, {"da", "delete[]"}, {"ps", "+"},
  {"ng", "-"}, {"ad", "&"}, {"de", "*"}, {"co", "~"}, {"pl", "+"}, {"mi", "-"},
  {"ml", "*"}, {"dv", "/"}, {"rm", "%"}, {"an", "&"}, {"or", "|"}, {"eo", "^"},
  {"aS", "="}, {"pL", "+="}, {"mI", "-="}, {"mL", "*="}, {"dV", "/="}, {"rM", "%="},
  {"aN", "&="}, {"oR", "|="}, {"eO", "^="}, {"ls", "<<"}, {"rs", ">>"}, {"lS", "<<="},
  {"rS", ">>="}, {"eq", "=="}, {"ne", "!="}, {"lt", "<"}, {"gt", ">"}, {"le", "<="},
  {"ge", ">="}, {"ss", "<=>"}, {"nt", "!"}, {"aa", "&&"}, {"oo", "||"}, {"pp", "++"},
  {"mm", "--"}, {"cm", ","}, {"pm", "->*"}, {"pt", "->"}, {"cl", "()"}, {"ix", "[]"},
};

// <unqualified-name>: a source name, an operator, or a constructor or destructor
// (C1, D1, ...: the class's own name, `last`).
static const char *unqualified_name(Demangler *d, const char *last, bool *is_cdtor) {
  *is_cdtor = false;
  char c = *d->p;
  if (c >= '0' && c <= '9')
    return source_name(d);
  if (c == 'C' || c == 'D') {
    if (!last || !(d->p[1] >= '0' && d->p[1] <= '5'))
      return fail(d);
    d->p += 2;
    *is_cdtor = true;
    // `last` is the class's name, or a substitution (std::string, ns::cls<T>):
    // its last component without template arguments.
    const char *cls = last;
    const char *lt = strchr(cls, '<');
    size_t n = lt ? (size_t)(lt - cls) : strlen(cls);
    for (size_t i = 0; i < n; i++)
      if (cls[i] == ':')
        cls += i + 1, n -= i + 1, i = (size_t)-1;
    cls = arena_strndup(d->arena, cls, n);
    return c == 'C' ? cls : cat(d, "~", cls);
  }
  if (c == 'c' && d->p[1] == 'v') {  // conversion operator: operator int
    d->p += 2;
    return cat(d, "operator ", type(d));
  }
  for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
    if (!strncmp(d->p, operators[i][0], 2)) {
      d->p += 2;
      const char *op = operators[i][1];
      return cat(d, (op[0] >= 'a' && op[0] <= 'z') ? "operator " : "operator", op);
    }
  return fail(d);
}

// I <template-arg>+ E -> "<a, b>". Also records them for T_ references.
static const char *template_args(Demangler *d) {
  d->p++;  // 'I'
  PtrVec args = {0};
  Buf b = {0};
  buf_add(&b, "<", 1);
  while (*d->p != 'E' && !d->failed) {
    const char *arg;
    if (*d->p == 'L') {  // a literal: L <type> <value> E, printed as (type)value
      d->p++;
      if (*d->p == 'Z') {
        fail(d);
        break;
      }
      const char *t = type(d);
      bool neg = *d->p == 'n';
      d->p += neg;
      const char *v = d->p;
      while (*d->p && *d->p != 'E')
        d->p++;
      if (*d->p != 'E') {
        fail(d);
        break;
      }
      const char *num = arena_strndup(d->arena, v, (size_t)(d->p - v));
      d->p++;
      if (!strcmp(t, "bool"))
        arg = !strcmp(num, "0") ? "false" : "true";
      else if (!strcmp(t, "int"))
        arg = arena_printf(d->arena, "%s%s", neg ? "-" : "", num);
      else if (!strcmp(t, "unsigned int"))
        arg = arena_printf(d->arena, "%su", num);
      else if (!strcmp(t, "long"))
        arg = arena_printf(d->arena, "%s%sl", neg ? "-" : "", num);
      else if (!strcmp(t, "unsigned long"))
        arg = arena_printf(d->arena, "%sul", num);
      else
        arg = arena_printf(d->arena, "(%s)%s%s", t, neg ? "-" : "", num);
    } else if (*d->p == 'X' || *d->p == 'J') {
      fail(d);  // expressions and argument packs: not needed here
      break;
    } else {
      arg = type(d);
    }
    vec_push(d->arena, &args, (void *)arg);
    if (b.len > 1)
      buf_add(&b, ", ", 2);
    buf_add(&b, arg, strlen(arg));
  }
  if (d->failed || *d->p != 'E') {
    free(b.data);
    return fail(d);
  }
  d->p++;
  // c++filt writes "a<b<c> >" with a space, so that >> is not a shift.
  if (b.data[b.len - 1] == '>')
    buf_add(&b, " ", 1);
  buf_add(&b, ">", 2);
  const char *s = arena_strdup(d->arena, (const char *)b.data);
  free(b.data);
  if (!d->targs_final)
    d->targs = args;
  return s;
}

// The name `s` followed by its template arguments; "operator<< <T>", with a
// space, so that the two '<' do not run together.
static const char *with_template_args(Demangler *d, const char *s) {
  const char *args = template_args(d);
  return arena_printf(d->arena, "%s%s%s", s, *s && s[strlen(s) - 1] == '<' ? " " : "", args);
}

// A substitution: S_, S0_, ..., or one of the abbreviations for std names. Those
// print short ("std::string"), but in full where a constructor or destructor
// follows, which is named after the template (GNU's demangler, without its
// verbose option, which is how GNU ld matches).
static const char *substitution(Demangler *d) {
  d->p++;  // 'S'
  static const char *const abbrev[][3] = {
    {"t", "std", NULL},
    {"a", "std::allocator", NULL},
    {"b", "std::basic_string", NULL},
    {"s", "std::string",
     "std::basic_string<char, std::char_traits<char>, std::allocator<char> >"},
    {"i", "std::istream", "std::basic_istream<char, std::char_traits<char> >"},
    {"o", "std::ostream", "std::basic_ostream<char, std::char_traits<char> >"},
    {"d", "std::iostream", "std::basic_iostream<char, std::char_traits<char> >"},
  };
  for (size_t i = 0; i < sizeof abbrev / sizeof abbrev[0]; i++)
    if (*d->p == abbrev[i][0][0]) {
      d->p++;
      bool cdtor = (*d->p == 'C' || *d->p == 'D') && d->p[1] >= '0' && d->p[1] <= '5';
      return cdtor && abbrev[i][2] ? abbrev[i][2] : abbrev[i][1];
    }
  size_t i = seq_index(d);
  if (d->failed || i >= d->subs.len)
    return fail(d);
  return d->subs.data[i];
}

// N [r][V][K][R|O] <prefix>... E: a name in a scope. *cv gets a method's qualifiers.
static const char *nested_name(Demangler *d, const char **cv, bool *has_targs,
                               bool *is_cdtor) {
  d->p++;  // 'N'
  const char *q = "";
  while (*d->p == 'r' || *d->p == 'V' || *d->p == 'K') {
    q = *d->p == 'K' ? cat(d, q, " const") : *d->p == 'V' ? cat(d, q, " volatile") : q;
    d->p++;
  }
  if (*d->p == 'R' || *d->p == 'O')
    q = cat(d, q, *d->p++ == 'R' ? " &" : " &&");
  *cv = q;
  const char *s = NULL;
  const char *last = NULL;  // the last name without its template arguments
  *has_targs = false;
  while (*d->p != 'E' && !d->failed) {
    *has_targs = false;
    if (*d->p == 'S' && d->p[1] != 't') {
      s = last = substitution(d);
      continue;  // a substitution is not a new candidate
    }
    if (*d->p == 'S') {  // St: std::, not a candidate either
      d->p += 2;
      s = last = "std";
      continue;
    } else if (*d->p == 'T') {
      d->p++;
      size_t i = seq_index(d);
      s = i < d->targs.len ? d->targs.data[i] : fail(d);
    } else if (*d->p == 'I') {
      if (!s)
        return fail(d);
      s = with_template_args(d, s);
      *has_targs = true;
    } else {
      const char *u = unqualified_name(d, last, is_cdtor);
      s = s && strcmp(s, "std") ? arena_printf(d->arena, "%s::%s", s, u)
          : s ? cat(d, "std::", u) : u;
      last = u;
    }
    if (*d->p != 'E')
      add_sub(d, s);
  }
  if (*d->p != 'E' || !s)
    return fail(d);
  d->p++;
  return s;
}

// <name>: nested, or unscoped (possibly std::, possibly with template args).
static const char *name(Demangler *d, bool *has_targs, bool *is_cdtor) {
  *has_targs = false;
  *is_cdtor = false;
  if (*d->p == 'N') {
    const char *cv;
    return nested_name(d, &cv, has_targs, is_cdtor);
  }
  const char *s;
  if (*d->p == 'S' && d->p[1] == 't') {
    d->p += 2;
    s = cat(d, "std::", unqualified_name(d, NULL, is_cdtor));
  } else if (*d->p == 'S') {
    // A substitution is a candidate already; with arguments it makes a new one.
    s = substitution(d);
    if (*d->p != 'I')
      return s;
    s = with_template_args(d, s);
    *has_targs = true;
    return s;
  } else if (*d->p == 'Z') {
    return fail(d);  // a local name (a function's static): not needed here
  } else {
    s = unqualified_name(d, NULL, is_cdtor);
  }
  if (*d->p == 'I') {
    add_sub(d, s);
    s = with_template_args(d, s);
    *has_targs = true;
  }
  return s;
}

static const char *const builtins[][2] = {
  {"v", "void"}, {"w", "wchar_t"}, {"b", "bool"}, {"c", "char"}, {"a", "signed char"},
  {"h", "unsigned char"}, {"s", "short"}, {"t", "unsigned short"}, {"i", "int"},
  {"j", "unsigned int"}, {"l", "long"}, {"m", "unsigned long"}, {"x", "long long"},
  {"y", "unsigned long long"}, {"n", "__int128"}, {"o", "unsigned __int128"},
  {"f", "float"}, {"d", "double"}, {"e", "long double"}, {"g", "__float128"},
  {"z", "..."}, {"Dn", "decltype(nullptr)"}, {"Di", "char32_t"}, {"Ds", "char16_t"},
  {"Du", "char8_t"}, {"Da", "auto"}, {"Dc", "decltype(auto)"},
};

// <type>, printed as c++filt does: "int const*", "std::string&".
static const char *type_of(Demangler *d);

static const char *type(Demangler *d) {
  if (d->failed)
    return "";
  if (++d->depth > MAX_DEPTH)
    return fail(d);
  const char *t = type_of(d);
  d->depth--;
  return t;
}

static const char *type_of(Demangler *d) {
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
    size_t n = strlen(builtins[i][0]);
    if (!strncmp(d->p, builtins[i][0], n)) {
      d->p += n;
      return builtins[i][1];
    }
  }
  const char *t;
  char c = *d->p;
  switch (c) {
  case 'P': case 'R': case 'O':
    d->p++;
    t = cat(d, type(d), c == 'P' ? "*" : c == 'R' ? "&" : "&&");
    break;
  case 'K': case 'V': case 'r': {
    const char *q = "";
    while (*d->p == 'K' || *d->p == 'V' || *d->p == 'r') {
      // c++filt orders them "volatile const" reading the mangling from the inside.
      q = *d->p == 'K' ? cat(d, " const", q) : *d->p == 'V' ? cat(d, " volatile", q)
                                                          : cat(d, " restrict", q);
      d->p++;
    }
    t = cat(d, type(d), q);
    break;
  }
  case 'S':
    if (d->p[1] == 't') {
      bool ht, cd;
      t = name(d, &ht, &cd);
      break;
    }
    t = substitution(d);
    if (*d->p == 'I') {  // a substituted template, given its arguments here
      t = with_template_args(d, t);
      break;
    }
    return t;  // a substitution is not a new candidate
  case 'T':
    d->p++;
    {
      size_t i = seq_index(d);
      t = !d->failed && i < d->targs.len ? d->targs.data[i] : fail(d);
    }
    break;
  case 'N':
  case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9': {
    bool ht, cd;
    t = name(d, &ht, &cd);
    break;
  }
  default:
    return fail(d);  // function types, arrays, member pointers, vendor types, ...
  }
  add_sub(d, t);
  return t;
}

// The parameter list "(int, char const*)"; "v" alone is "()".
static const char *params(Demangler *d) {
  if (*d->p == 'v' && (d->p[1] == '\0' || d->p[1] == '.'))
    return d->p++, "()";
  Buf b = {0};
  buf_add(&b, "(", 1);
  while (*d->p && *d->p != '.' && !d->failed) {
    const char *t = type(d);
    if (b.len > 1)
      buf_add(&b, ", ", 2);
    buf_add(&b, t, strlen(t));
  }
  buf_add(&b, ")", 2);
  const char *s = arena_strdup(d->arena, (const char *)b.data);
  free(b.data);
  return s;
}

// <encoding>: a function (name and parameters) or a variable (name alone).
static const char *encoding(Demangler *d) {
  if (*d->p == 'T') {  // special names of a class's data
    static const char *const special[][2] = {
      {"TV", "vtable for "}, {"TI", "typeinfo for "}, {"TS", "typeinfo name for "},
      {"TT", "VTT for "},
    };
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
      if (!strncmp(d->p, special[i][0], 2)) {
        d->p += 2;
        return cat(d, special[i][1], type(d));
      }
    return fail(d);
  }
  const char *cv = "";
  bool has_targs, is_cdtor;
  const char *n;
  if (*d->p == 'N')
    n = nested_name(d, &cv, &has_targs, &is_cdtor);
  else
    n = name(d, &has_targs, &is_cdtor);
  d->targs_final = true;
  if (d->failed || !*d->p || *d->p == '.')
    return n;  // a variable
  // A template function's mangling starts with its return type (not a
  // constructor's or destructor's, which have none).
  const char *ret = has_targs && !is_cdtor ? cat(d, type(d), " ") : "";
  return arena_printf(d->arena, "%s%s%s%s", ret, n, params(d), cv);
}

const char *demangle(Arena *arena, const char *mangled) {
  // Rust first, as GNU's demangler does: a legacy Rust name (_ZN...17h<hash>E) is a
  // valid C++ name too, one that would keep its hash.
  const char *rust = demangle_rust(arena, mangled);
  if (rust)
    return rust;
  if (strncmp(mangled, "_Z", 2) || strnlen(mangled, MAX_NAME + 1) > MAX_NAME)
    return NULL;
  Demangler d = {.arena = arena, .p = mangled + 2};
  const char *s = encoding(&d);
  // A clone made by the optimizer: .cold, .isra.0, .constprop.0.isra.0, each
  // word with its numbers: "foo(int) [clone .isra.0]".
  while (!d.failed && *d.p == '.') {
    size_t n = 1;
    while (d.p[n] && d.p[n] != '.')
      n++;
    while (d.p[n] == '.' && d.p[n + 1] >= '0' && d.p[n + 1] <= '9')
      for (n++; d.p[n] >= '0' && d.p[n] <= '9'; n++)
        ;
    s = arena_printf(arena, "%s [clone %.*s]", s, (int)n, d.p);
    d.p += n;
  }
  return d.failed || *d.p ? NULL : s;
}

const char *shown_name(Ctx *ctx, const char *name) {
  if (!ctx->opt.demangle)
    return name;
  const char *d = demangle(&ctx->arena, name);
  return d ? d : name;
}
