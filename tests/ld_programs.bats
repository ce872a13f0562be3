#!/usr/bin/env bats
# Whole programs through `gcc -static -B bin/`: each is written here, compiled, linked
# once by mini-ld and once by GNU ld (plain gcc), and both programs must print the
# same and exit the same; the expected output is also spelled out, so that a libc
# quirk shared by both links cannot hide a wrong answer.

load helpers

# has_tls OUT: the program has a PT_TLS segment.
has_tls() {
  readelf -lW "$1" | grep -q '^  TLS '
}

# expect OUTPUT: $output (from run_both) must be exactly OUTPUT.
expect() {
  if [ "$output" != "$1" ]; then
    echo "expected:" >&2
    echo "$1" >&2
    echo "got:" >&2
    echo "$output" >&2
    return 1
  fi
}

# The seeds' program (seed 004): main.c uses malloc, memcpy, printf and free and
# calls func1 and func2 from libprocess.a. Its globals are the seed's, and -fcommon
# makes global_val_uninit the COMMON symbol the seed's readelf shows.
seed_sources() {
  cat >main.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
void func1(void);
void func2(void);
int global_var_init = 42;
int global_val_uninit;
int main(void) {
  const char msg[] = "copied by memcpy";
  char *p = malloc(sizeof msg);
  memcpy(p, msg, sizeof msg);
  printf("%s: %d %d\n", p, global_var_init, global_val_uninit);
  free(p);
  func1();
  func2();
  return 0;
}
C
  cat >process1.c <<'C'
#include <stdio.h>
void local_func1(){
        printf("local_func1\n");
}
void static local_func2(){
        printf("local_func2\n");
}
void func1(){
        printf("func1\n");
        local_func1();
        local_func2();
}
C
  cat >process2.c <<'C'
#include <stdio.h>
void func2(){
        printf("func2\n");
}
C
  gcc -fPIC -fcommon -c main.c
  gcc -fPIC -c process1.c
  gcc -fPIC -c process2.c
}

@test "programs: the seeds' main.c links against libprocess.a made by ar and by mini-ar" {
  seed_sources
  readelf -s main.o | grep -q ' COM global_val_uninit$'
  want=$'copied by memcpy: 42 0\nfunc1\nlocal_func1\nlocal_func2\nfunc2'
  ar rcs libprocess.a process1.o process2.o
  cc_both main gcc main.o -L. -lprocess
  run_both main
  [ "$status" -eq 0 ]
  expect "$want"
  check_layout main
  has_tls main  # glibc's own TLS (errno, the malloc arena)
  if [ ! -x "$MINI_BIN/mini-ar" ]; then
    skip "no $MINI_BIN/mini-ar"
  fi
  mkdir mini
  "$MINI_BIN/mini-ar" rcs mini/libprocess.a process1.o process2.o
  cc_both main2 gcc main.o -Lmini -lprocess
  run_both main2
  [ "$status" -eq 0 ]
  expect "$want"
  check_layout main2
}

@test "programs: errno is per thread and set by failing libc calls" {
  cat >e.c <<'C'
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int check(void);
static void *worker(void *arg) {
  (void)arg;
  errno = 0;
  close(-1);
  return (void *)(long)errno;
}
int main(void) {
  int fd = open("/nonexistent/file", O_RDONLY);
  int saved = errno;
  pthread_t t;
  void *r;
  pthread_create(&t, 0, worker, 0);
  pthread_join(t, &r);
  int same = errno == saved;  /* the thread's close(-1) set its own errno */
  int other = check();
  printf("fd=%d errno=%s thread=%s same=%d other=%d\n", fd, strerror(saved),
         strerror((int)(long)r), same, other);
  return saved;
}
C
  cat >f.c <<'C'
#include <errno.h>
#include <stdlib.h>
int check(void) {
  errno = 0;
  strtol("99999999999999999999999", 0, 10);
  return errno == ERANGE;
}
C
  gcc -O1 -c e.c f.c
  cc_both prog gcc e.o f.o -pthread
  run_both prog
  [ "$status" -eq 2 ]
  expect "fd=-1 errno=No such file or directory thread=Bad file descriptor same=1 other=1"
  check_layout prog
  has_tls prog
}

@test "programs: constructors run by priority across objects, destructors and atexit handlers in reverse" {
  cat >a.c <<'C'
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor(65535))) static void a65535(void) { printf("ctor a 65535\n"); }
__attribute__((constructor(101))) static void a101(void) { printf("ctor a 101\n"); }
__attribute__((constructor(1000))) static void a1000(void) { printf("ctor a 1000\n"); }
__attribute__((constructor)) static void aplain(void) { printf("ctor a plain\n"); }
__attribute__((destructor(101))) static void da101(void) { printf("dtor a 101\n"); }
__attribute__((destructor(1000))) static void da1000(void) { printf("dtor a 1000\n"); }
__attribute__((destructor)) static void daplain(void) { printf("dtor a plain\n"); }
static void pre(void) { printf("preinit\n"); }
__attribute__((used, section(".preinit_array"))) static void (*const pre_entry)(void) = pre;
static void exit1(void) { printf("atexit 1\n"); }
static void exit2(void) { printf("atexit 2\n"); }
int main(void) {
  atexit(exit1);
  atexit(exit2);
  printf("main\n");
  return 0;
}
C
  cat >b.c <<'C'
#include <stdio.h>
__attribute__((constructor(102))) static void b102(void) { printf("ctor b 102\n"); }
__attribute__((constructor(999))) static void b999(void) { printf("ctor b 999\n"); }
__attribute__((constructor(30000))) static void b30000(void) { printf("ctor b 30000\n"); }
__attribute__((constructor)) static void bplain(void) { printf("ctor b plain\n"); }
__attribute__((destructor(102))) static void db102(void) { printf("dtor b 102\n"); }
__attribute__((destructor(999))) static void db999(void) { printf("dtor b 999\n"); }
__attribute__((destructor)) static void dbplain(void) { printf("dtor b plain\n"); }
C
  gcc -O1 -c a.c b.c
  cc_both prog gcc a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  # .preinit_array first. Constructors: lowest priority number first, interleaving
  # the two objects, then the plain ones in link order. atexit handlers run
  # last-registered first, then destructors: plain ones in reverse link order, then
  # highest priority number first.
  expect "preinit
ctor a 101
ctor b 102
ctor b 999
ctor a 1000
ctor b 30000
ctor a 65535
ctor a plain
ctor b plain
main
atexit 2
atexit 1
dtor b plain
dtor a plain
dtor a 1000
dtor b 999
dtor b 102
dtor a 101"
  check_layout prog
}

@test "programs: relocated constants are read-only after start-up, as GNU ld's PT_GNU_RELRO makes them" {
  cat >relro.c <<'C'
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static void on_segv(int sig) {
  (void)sig;
  write(1, "read-only\n", 10);
  _exit(0);
}
/* Pointers, so relocated: .data.rel.ro, which static glibc makes read-only once
   start-up is done, if the linker marked it with PT_GNU_RELRO. */
const char *const names[] = {"a", "b"};
int main(void) {
  signal(SIGSEGV, on_segv);
  *(const char *volatile *)&names[0] = "changed";
  printf("writable: %s\n", *(const char *volatile *)&names[0]);
  return 1;
}
C
  gcc -O1 -fPIE -c relro.c
  readelf -SW relro.o | grep -q ' \.data\.rel\.ro'
  cc_both prog gcc relro.o
  run ./prog.bfd
  [ "$output" = "read-only" ]
  readelf -lW prog | grep -q '^  GNU_RELRO '
  run_both prog
  [ "$status" -eq 0 ]
  expect "read-only"
  check_layout prog
}

@test "programs: setjmp and longjmp unwind across objects" {
  cat >j.c <<'C'
#include <setjmp.h>
#include <stdio.h>
jmp_buf env;
void dive(int depth);
int main(void) {
  volatile int tries = 0;
  int v = setjmp(env);
  tries++;
  if (v == 0)
    dive(1);
  printf("longjmp returned %d after %d tries\n", v, tries);
  return v;
}
C
  cat >d.c <<'C'
#include <setjmp.h>
#include <stdio.h>
extern jmp_buf env;
void dive(int depth) {
  if (depth == 5) {
    printf("bottom at %d\n", depth);
    longjmp(env, depth * 2);
  }
  dive(depth + 1);
  printf("never\n");
}
C
  gcc -O1 -c j.c d.c
  cc_both prog gcc j.o d.o
  run_both prog
  [ "$status" -eq 10 ]
  expect $'bottom at 5\nlongjmp returned 10 after 2 tries'
  check_layout prog
}

@test "programs: qsort and bsearch call back into comparison functions of another object" {
  cat >q.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int by_value(const void *, const void *);
int by_name(const void *, const void *);
int (*const desc)(const void *, const void *) = by_value;
struct item { const char *name; int value; };
int main(void) {
  int v[] = {42, -7, 19, 3, 100, 0, 19};
  qsort(v, 7, sizeof v[0], desc);
  for (int i = 0; i < 7; i++) printf("%d ", v[i]);
  struct item it[] = {{"pear", 1}, {"apple", 2}, {"fig", 3}, {"banana", 4}};
  qsort(it, 4, sizeof it[0], by_name);
  for (int i = 0; i < 4; i++) printf("%s ", it[i].name);
  struct item key = {"fig", 0}, *found = bsearch(&key, it, 4, sizeof it[0], by_name);
  printf("fig=%d\n", found ? found->value : -1);
  return 0;
}
C
  cat >c.c <<'C'
#include <string.h>
struct item { const char *name; int value; };
int by_value(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x < y) - (x > y);  /* descending */
}
int by_name(const void *a, const void *b) {
  return strcmp(((const struct item *)a)->name, ((const struct item *)b)->name);
}
C
  gcc -g -O1 -c q.c c.c
  cc_both prog gcc q.o c.o
  run_both prog
  [ "$status" -eq 0 ]
  expect "100 42 19 19 3 0 -7 apple banana fig pear fig=3"
  check_layout prog
  # gdb unwinds from the callback through libc's qsort (its .eh_frame) back to main.
  run gdb -batch -nx -ex 'break by_name' -ex run -ex bt prog
  [[ "$output" == *"Breakpoint 1, by_name ("*") at c.c:7"* ]]
  [[ "$output" == *" in qsort_r ()"* ]]
  [[ "$output" == *" in main () at q.c:"* ]]
}

@test "programs: printf formats doubles and libm computes sin, pow, sqrt" {
  cat >m.c <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
double scale(double);
int main(int argc, char **argv) {
  volatile double x = argc * 0.5;  /* not folded at compile time */
  printf("%.6f %.3f %g %g\n", sin(x), pow(2.0, x * 21), sqrt(scale(x)), 1e-10 / x);
  printf("%g %g %.17g %e\n", 1.0 / 3, 123456789.0, 0.1, strtod("6.02214076e23", 0));
  (void)argv;
  return (int)floor(sqrt(1000.0));
}
C
  echo 'double scale(double x) { return x * 32; }' >s.c
  gcc -O2 -c m.c s.c
  cc_both prog gcc m.o s.o -lm
  run_both prog
  [ "$status" -eq 31 ]
  expect "0.479426 1448.155 4 2e-10
0.333333 1.23457e+08 0.10000000000000001 6.022141e+23"
  check_layout prog
}

@test "programs: a user-defined ifunc in another object is called directly and through pointers" {
  cat >impl.c <<'C'
int resolver_calls;
static int scale_slow(int x) { return x * 2; }
static int scale_fast(int x) { return x << 1 | 1; }
static int (*pick_scale(void))(int) { return resolver_calls++ ? scale_slow : scale_fast; }
int scale(int) __attribute__((ifunc("pick_scale")));
int (*scale_ptr_in_impl)(int) = scale;
C
  cat >use.c <<'C'
#include <stdio.h>
int scale(int);
extern int resolver_calls;
extern int (*scale_ptr_in_impl)(int);
int (*scale_ptr)(int) = scale;
int main(void) {
  int (*volatile runtime_ptr)(int) = scale;
  printf("direct=%d data=%d impl=%d runtime=%d same=%d resolved=%d\n", scale(20),
         scale_ptr(20), scale_ptr_in_impl(20), runtime_ptr(20),
         scale_ptr == scale_ptr_in_impl && scale_ptr == runtime_ptr && scale_ptr == &scale,
         resolver_calls);
  return 0;
}
C
  for flags in "-fPIE" "-fPIC" "-fno-pic"; do
    gcc -O1 $flags -c impl.c use.c
    cc_both prog gcc impl.o use.o
    run_both prog
    # One IRELATIVE slot serves every reference: the resolver runs once, at start-up.
    expect "direct=41 data=41 impl=41 runtime=41 same=1 resolved=1"
    check_layout prog
  done
}

# A program of three objects touching every kind of reference a compiler makes:
# calls within and across objects, a static function's address in data, globals
# read and written from another object, strings, a switch jump table, a weak
# default overridden elsewhere, __thread variables local and extern, .bss, and libc.
multi_sources() {
  cat >main.c <<'C'
#include <stdio.h>
extern int counter, table[5];
extern const char *greeting;
extern __thread int tcount;
extern int (*op)(int);
int add(int a, int b);
const char *name_of(int);
void bump(void);
int tuning(void);
static __thread int local_tls = 100;
int main(void) {
  bump();
  bump();
  local_tls += tcount;
  printf("%s %d %d %d %d %d %s,%s,%s %d\n", greeting, counter, add(table[1], table[4]), op(5),
         tcount, local_tls, name_of(1), name_of(4), name_of(9), tuning());
  return counter;
}
C
  cat >lib.c <<'C'
int counter = 1;
static int hidden = 10;
const char *greeting = "hello";
int table[5] = {1, 2, 3, 4, 5};
int zeroes[1000];
__thread int tcount = 3;
static int twice(int x) { return 2 * x; }
int (*op)(int) = twice;
__attribute__((noinline)) int add(int a, int b) {
  int sum = a + b + hidden;
  return sum;
}
void bump(void) { counter++; tcount++; zeroes[999] += counter; }
const char *name_of(int n) {
  switch (n) {
  case 0: return "zero";
  case 1: return "one";
  case 2: return "two";
  case 3: return "three";
  case 4: return "four";
  case 5: return "five";
  case 6: return "six";
  default: return "many";
  }
}
__attribute__((weak)) int tuning(void) { return -1; }
C
  cat >tune.c <<'C'
extern int zeroes[1000];
int tuning(void) { return 40 + zeroes[999]; }
C
}
MULTI_OUTPUT="hello 3 17 10 5 105 one,four,many 45"

@test "programs: a multi-object program links the same under -fPIC, -fPIE, -fno-pic, -O0, -O2 and per-function sections" {
  multi_sources
  for flags in "-fPIC" "-fPIE" "-fno-pic" "-O0" "-O2" "-O2 -fPIC" "-O2 -fno-pic" \
               "-ffunction-sections -fdata-sections" "-O2 -fPIC -ffunction-sections -fdata-sections"; do
    gcc -O1 $flags -c main.c lib.c tune.c
    cc_both prog gcc main.o lib.o tune.o
    run_both prog
    [ "$status" -eq 3 ]
    expect "$MULTI_OUTPUT"
    check_layout prog
    has_tls prog
  done
  # With per-function sections, each function is its own input section.
  readelf -SW lib.o | grep -q ' \.text\.name_of '
}

@test "programs: -mcmodel=medium puts arrays over 64 KiB in .ldata and .lbss, and they work" {
  multi_sources
  cat >big.c <<'C'
char big_zero[100000];
char big_data[70000] = {7};
int big_sum(void) {
  big_zero[99999] = 5;
  big_data[69999] = 9;
  return big_zero[0] + big_zero[99999] + big_data[0] + big_data[69999];
}
C
  echo 'int big_sum(void); int tuning(void) { return big_sum() + 24; }' >tune.c
  for flags in "" "-fPIC" "-fno-pic"; do
    gcc -O1 -mcmodel=medium $flags -c main.c lib.c tune.c big.c
    readelf -SW big.o | grep -q ' \.ldata '
    readelf -SW big.o | grep -q ' \.lbss '
    cc_both prog gcc main.o lib.o tune.o big.o
    run_both prog
    [ "$status" -eq 3 ]
    expect "$MULTI_OUTPUT"
    check_layout prog
    has_tls prog
  done
  # They keep the psABI's SHF_X86_64_LARGE flag ('l'), and the large zero-filled
  # data comes after .bss, as in GNU ld's output.
  readelf -SW prog | grep ' \.ldata ' | grep -q ' WAl '
  readelf -SW prog | grep ' \.lbss ' | grep -q ' WAl '
  [ "$(readelf -SW prog | sed 's/^ *\[ *[0-9]*\] *//' | awk '$1 == ".bss" || $1 == ".lbss" { print $1 }' | tr '\n' ' ')" = ".bss .lbss " ]
}

@test "programs: -mcmodel=large -fPIC code with TLS links, its __tls_get_addr calls relaxed" {
  multi_sources
  gcc -O1 -mcmodel=large -fPIC -c main.c lib.c tune.c
  # General dynamic TLS in the large model calls __tls_get_addr through
  # movabs $__tls_get_addr@PLTOFF, %rax; add %rbx, %rax; call *%rax.
  objdump -dr main.o | grep -q 'R_X86_64_PLTOFF64.*__tls_get_addr'
  cc_both prog gcc main.o lib.o tune.o
  run_both prog
  [ "$status" -eq 3 ]
  expect "$MULTI_OUTPUT"
  check_layout prog
  has_tls prog
}

@test "programs: objects compiled by clang link with objects compiled by gcc" {
  multi_sources
  clang -O2 -c main.c tune.c
  gcc -O2 -c lib.c
  cc_both prog gcc main.o lib.o tune.o
  run_both prog
  [ "$status" -eq 3 ]
  expect "$MULTI_OUTPUT"
  check_layout prog
  has_tls prog
  # The other way round, linked by the clang driver.
  gcc -O2 -fno-pic -c main.c tune.c
  clang -O0 -fPIC -c lib.c
  cc_both prog2 clang main.o lib.o tune.o
  run_both prog2
  [ "$status" -eq 3 ]
  expect "$MULTI_OUTPUT"
  check_layout prog2
  has_tls prog2
}

@test "programs: gdb breaks in a function of another object in a -g program and finds its lines" {
  multi_sources
  gcc -g -O0 -c main.c lib.c tune.c
  cc_both prog gcc main.o lib.o tune.o
  run_both prog
  expect "$MULTI_OUTPUT"
  run gdb -batch -nx -ex 'break add' -ex run -ex bt -ex 'info line add' -ex 'info line main.c:12' prog
  [[ "$output" == *"Breakpoint 1, add (a=2, b=5) at lib.c:10"* ]]
  [[ "$output" == *"10	  int sum = a + b + hidden;"* ]]
  [[ "$output" == *"in main () at main.c:"* ]]
  [[ "$output" == *'Line 9 of "lib.c" starts at address'*'<add>'* ]]
  [[ "$output" == *'Line 12 of "main.c" starts at address'*'<main'* ]]
}

@test "C++: iostream, std::string, static constructors in several objects and exceptions caught in another object" {
  cat >reg.h <<'CC'
#include <stdexcept>
#include <string>
#include <vector>
std::vector<std::string> &registry();
struct Register {
  explicit Register(const std::string &name) { registry().push_back(name); }
};
// All members inline: its vtable and typeinfo are emitted, COMDAT, in every object.
struct ParseError : std::runtime_error {
  int line;
  ParseError(const std::string &what, int l) : std::runtime_error(what), line(l) {}
};
int parse(const std::string &text);
CC
  cat >main.cc <<'CC'
#include <iostream>
#include "reg.h"
std::vector<std::string> &registry() {
  static std::vector<std::string> r;
  return r;
}
static Register here("main");
int main() {
  std::string names;
  for (const auto &n : registry()) names += n + " ";
  std::cout << "registered: " << names << std::endl;
  for (const char *text : {"12", "x7", ""}) {
    try {
      int v = parse(text);
      std::cout << "parse(\"" << text << "\") = " << v << "\n";
    } catch (const ParseError &e) {
      std::cout << "ParseError at " << e.line << ": " << e.what() << "\n";
    } catch (const std::exception &e) {
      std::cout << "std::exception: " << e.what() << "\n";
    }
  }
  try {
    std::string("abc").at(10);
  } catch (const std::out_of_range &) {
    std::cout << "out_of_range from libstdc++" << std::endl;
    return 7;
  }
  return 0;
}
CC
  cat >parse.cc <<'CC'
#include "reg.h"
static Register here("parse");
int parse(const std::string &text) {
  if (text.empty()) throw std::invalid_argument("empty input");
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') throw ParseError(std::string("bad digit '") + c + "'", 3);
    v = v * 10 + (c - '0');
  }
  return v;
}
CC
  cat >extra.cc <<'CC'
#include "reg.h"
static Register one("extra1"), two("extra2");
CC
  g++ -O1 -c main.cc parse.cc extra.cc
  cc_both prog g++ main.o parse.o extra.o
  run_both prog
  [ "$status" -eq 7 ]
  expect 'registered: main parse extra1 extra2 
parse("12") = 12
ParseError at 3: bad digit '\''x'\''
std::exception: empty input
out_of_range from libstdc++'
  check_layout prog
  has_tls prog
}

@test "C++: virtual functions and templates across objects keep one copy of each COMDAT group" {
  cat >shape.h <<'CC'
#include <string>
struct Shape {
  virtual ~Shape() {}
  virtual double area() const = 0;
  virtual std::string name() const { return "shape"; }
};
template <typename T> struct Stack {
  T items[16];
  int n = 0;
  void push(T x) { items[n++] = x; }
  T sum() const { T s{}; for (int i = 0; i < n; i++) s += items[i]; return s; }
};
Shape *make_square(double side);
Shape *make_circle(double r);
double stacked(void);
CC
  cat >main.cc <<'CC'
#include <cstdio>
#include "shape.h"
int main() {
  Shape *s[] = {make_square(3), make_circle(1)};
  Stack<double> areas;
  for (Shape *p : s) {
    std::printf("%s %.4f\n", p->name().c_str(), p->area());
    areas.push(p->area());
    delete p;
  }
  std::printf("total %.4f, other object %.1f\n", areas.sum(), stacked());
  return 0;
}
CC
  cat >square.cc <<'CC'
#include "shape.h"
struct Square : Shape {
  double side;
  explicit Square(double s) : side(s) {}
  double area() const override { return side * side; }
  std::string name() const override { return "square"; }
};
Shape *make_square(double side) { return new Square(side); }
double stacked(void) { Stack<double> st; st.push(1.5); st.push(2); return st.sum(); }
CC
  cat >circle.cc <<'CC'
#include "shape.h"
struct Circle : Shape {  // inherits Shape::name
  double r;
  explicit Circle(double x) : r(x) {}
  double area() const override { return 3.14159265358979 * r * r; }
};
Shape *make_circle(double r) { return new Circle(r); }
CC
  g++ -O0 -c main.cc square.cc circle.cc
  # Stack<double>::sum and Shape's vtable are COMDAT groups in two objects each.
  for o in main.o square.o; do
    readelf -gW $o | grep -q '_ZNK5StackIdE3sumEv'
  done
  for o in square.o circle.o; do
    readelf -gW $o | grep -q '_ZTV5Shape'
  done
  cc_both prog g++ main.o square.o circle.o
  run_both prog
  [ "$status" -eq 0 ]
  expect 'square 9.0000
shape 3.1416
total 12.1416, other object 3.5'
  [ "$(nm prog | grep -c ' _ZNK5StackIdE3sumEv$')" -eq 1 ]
  [ "$(nm prog | grep -c ' _ZTV5Shape$')" -eq 1 ]
  check_layout prog
  # The same groups from two compilers: square.o by clang++, the rest by g++.
  clang++ -O2 -c square.cc
  cc_both prog2 g++ main.o square.o circle.o
  run_both prog2
  expect 'square 9.0000
shape 3.1416
total 12.1416, other object 3.5'
  [ "$(nm prog2 | grep -c ' _ZTV5Shape$')" -eq 1 ]
}

@test "C++: std::thread with thread_local objects constructed and destroyed per thread" {
  cat >tl.h <<'CC'
#include <string>
struct Tracker {
  std::string tag;
  Tracker();
  ~Tracker();
};
extern thread_local Tracker tracker;
extern thread_local int hits;
void log_line(const std::string &s);
CC
  cat >tl.cc <<'CC'
#include <cstdio>
#include <mutex>
#include "tl.h"
static std::mutex m;
void log_line(const std::string &s) {
  std::lock_guard<std::mutex> g(m);
  std::printf("%s\n", s.c_str());
}
thread_local Tracker tracker;
thread_local int hits = 10;
Tracker::Tracker() : tag("t" + std::to_string(hits)) { log_line("construct " + tag); }
Tracker::~Tracker() { log_line("destroy " + tag + " hits=" + std::to_string(hits)); }
CC
  cat >main.cc <<'CC'
#include <thread>
#include "tl.h"
static void work(int n) {
  hits += n;
  tracker.tag += "-" + std::to_string(n);
  log_line("work " + tracker.tag);
}
int main() {
  for (int i = 1; i <= 2; i++) {
    std::thread t(work, i);
    t.join();
  }
  hits = 99;
  log_line("main " + tracker.tag);
  return 0;
}
CC
  g++ -O1 -c tl.cc main.cc
  cc_both prog g++ tl.o main.o -pthread
  run_both prog
  [ "$status" -eq 0 ]
  expect 'construct t11
work t11-1
destroy t11-1 hits=11
construct t12
work t12-2
destroy t12-2 hits=12
construct t99
main t99
destroy t99 hits=99'
  check_layout prog
  has_tls prog
}

@test "musl: hello, qsort and TLS across objects link through musl-gcc -static -B" {
  cat >main.c <<'C'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern __thread int tls_counter;
extern __thread char tls_name[16];
int cmp_desc(const void *, const void *);
int next_id(void);
int main(void) {
  puts("hello from musl");
  int v[] = {5, 3, 9, 1, 7};
  qsort(v, 5, sizeof v[0], cmp_desc);
  strcpy(tls_name, "main");
  next_id();
  int before = tls_counter, after = next_id();
  errno = 0;
  FILE *f = fopen("/nonexistent", "r");
  printf("%d %d %d %d %d tls=%d,%d name=%s errno=%s\n", v[0], v[1], v[2], v[3], v[4],
         before, after, tls_name, f ? "?" : strerror(errno));
  return 0;
}
C
  cat >tls.c <<'C'
__thread int tls_counter = 40;
__thread char tls_name[16];
int next_id(void) { return ++tls_counter; }
int cmp_desc(const void *a, const void *b) { return *(const int *)b - *(const int *)a; }
C
  musl-gcc -O1 -c main.c tls.c
  cc_both prog musl-gcc main.o tls.o
  run_both prog
  [ "$status" -eq 0 ]
  expect 'hello from musl
9 7 5 3 1 tls=41,42 name=main errno=No such file or directory'
  check_layout prog
  has_tls prog
}

@test "programs: a 64 MiB .bss costs no file space and is zeroed and writable" {
  cat >bss.c <<'C'
#include <stdio.h>
#define SIZE (64 << 20)
static char big[SIZE];
char also_zero[4096];
int init = 1;
int main(void) {
  long sum = 0;
  for (long i = 0; i < SIZE; i += 4096) sum += big[i];
  big[0] = 1;
  big[SIZE - 1] = 2;
  printf("sum=%ld ends=%d,%d init=%d zero=%d\n", sum, big[0], big[SIZE - 1], init, also_zero[4095]);
  return 0;
}
C
  gcc -O1 -c bss.c
  cc_both prog gcc bss.o
  run_both prog
  [ "$status" -eq 0 ]
  expect "sum=0 ends=1,2 init=1 zero=0"
  check_layout prog
  [ "$(stat -c %s prog)" -lt $((4 << 20)) ]
  # The RW segment's p_memsz covers the 64 MiB that its p_filesz does not.
  readelf -lW prog | awk '$1 == "LOAD" && $7 == "RW" {
    f = 0; m = 0; sf = tolower(substr($5, 3)); sm = tolower(substr($6, 3))
    for (i = 1; i <= length(sf); i++) f = f * 16 + index("0123456789abcdef", substr(sf, i, 1)) - 1
    for (i = 1; i <= length(sm); i++) m = m * 16 + index("0123456789abcdef", substr(sm, i, 1)) - 1
    if (m - f >= 64 * 1048576) ok = 1 }
    END { exit !ok }'
}

@test "programs: 2000 functions in their own sections link and run" {
  {
    echo '#include <stdio.h>'
    for i in $(seq 0 1999); do
      echo "static int d$i = $i; int f$i(int x) { d$i += x; return d$i; }"
    done
    echo 'int (*const fns[])(int) = {'
    for i in $(seq 0 1999); do echo "f$i,"; done
    echo '};'
    cat <<'C'
int main(void) {
  long sum = 0;
  for (int i = 0; i < 2000; i++) sum += fns[i](1);
  sum += f1999(1) + f0(0);
  printf("sum=%ld\n", sum);
  return 0;
}
C
  } >many.c
  gcc -O1 -ffunction-sections -fdata-sections -c many.c
  [ "$(readelf -hW many.o | awk '/Number of section headers/ { print $NF }')" -gt 4000 ]
  cc_both prog gcc many.o
  run_both prog
  [ "$status" -eq 0 ]
  # sum(i + 1) for i < 2000, then f1999 again (2001) and f0 (1).
  expect "sum=$((1999 * 2000 / 2 + 2000 + 2001 + 1))"
  check_layout prog
  [ "$(nm prog | grep -c ' T f[0-9]*$')" -eq 2000 ]
}

@test "programs: two links of the same inputs give identical bytes" {
  seed_sources
  ar rcs libprocess.a process1.o process2.o
  cat >t.cc <<'CC'
#include <iostream>
thread_local int n = 1;
int main() { try { throw n; } catch (int x) { std::cout << x << "\n"; } return 0; }
CC
  g++ -O1 -c t.cc
  cc_both a gcc main.o -L. -lprocess
  gcc -static -B "$MINI_BIN/" main.o -L. -lprocess -o b
  cmp a b
  run_both a
  expect $'copied by memcpy: 42 0\nfunc1\nlocal_func1\nlocal_func2\nfunc2'
  cc_both c g++ t.o
  g++ -static -B "$MINI_BIN/" t.o -o d
  cmp c d
  run_both c
  expect 1
  check_layout c
  has_tls c
  # The output does not depend on the directory or on the inputs' names.
  mkdir other
  cp main.o other/m.o
  cp libprocess.a other/
  (cd other && gcc -static -B "$MINI_BIN/" m.o -L. -lprocess -o ../e)
  cmp a e
}

@test "programs: -Map names main.o's .text and each libc member with the reference that pulled it in" {
  seed_sources
  ar rcs libprocess.a process1.o process2.o
  run gcc -static -B "$MINI_BIN/" main.o -L. -lprocess -Wl,-Map=out.map -o prog
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  gcc -static main.o -L. -lprocess -Wl,-Map=bfd.map -o prog.bfd
  run_both prog
  expect $'copied by memcpy: 42 0\nfunc1\nlocal_func1\nlocal_func2\nfunc2'
  check_layout prog
  grep -q '^Archive member included to satisfy reference by file (symbol)$' out.map
  grep -Eq '^\./libprocess\.a\(process1\.o\) +main\.o \(func1\)$' out.map
  # A member's name that is too long is followed by the reason on the next line.
  grep -A1 -E '/libc\.a\(printf\.o\)$' out.map | grep -Eq '^ {30}main\.o \(printf\)$'
  grep -A1 -E '/libc\.a\(malloc\.o\)$' out.map | grep -Eq '^ {30}main\.o \(malloc\)$'
  grep -Eq ' main\.o:\(\.text\)$' out.map
  # main is listed under main.o's .text, at the address nm gives it.
  addr=$(printf '%#x' "0x$(nm prog | awk '$3 == "main" { print $1 }')")
  grep -A3 -E ' main\.o:\(\.text\)$' out.map | grep -Eq "^ +$addr +main$"
  # The seed's COMMON global_val_uninit is shown where it went, in .bss.
  addr=$(printf '%#x' "0x$(nm prog | awk '$3 == "global_val_uninit" { print $1 }')")
  grep -Eq "^ +$addr +global_val_uninit$" out.map
  grep -q '^Segments$' out.map
  # The members are exactly those GNU ld's map lists.
  members() { sed -n '1,/^Memory Configuration/p' "$1" | grep -oE '^[^ ]+\.a\([^)]+\)' | sort; }
  members out.map >ours
  members bfd.map >theirs
  [ "$(wc -l <ours)" -gt 100 ]
  diff ours theirs
}

@test "programs: --why-extract=- lists each libc member and the symbol it was extracted for" {
  seed_sources
  ar rcs libprocess.a process1.o process2.o
  run gcc -static -B "$MINI_BIN/" main.o -L. -lprocess -Wl,--why-extract=- -o prog
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = $'reference\textracted\tsymbol' ]
  [[ "$output" == *$'\nmain.o\t./libprocess.a(process1.o)\tfunc1\n'* ]]
  [[ "$output" == *$'\nmain.o\t./libprocess.a(process2.o)\tfunc2\n'* ]]
  printf '%s\n' "${lines[@]}" | grep -Eq $'^main\\.o\t[^\t]*/libc\\.a\\(printf\\.o\\)\tprintf$'
  printf '%s\n' "${lines[@]}" | grep -Eq $'^main\\.o\t[^\t]*/libc\\.a\\(malloc\\.o\\)\tmalloc$'
  printf '%s\n' "${lines[@]}" | grep -Eq $'/crt1\\.o\t[^\t]*/libc\\.a\\(libc-start\\.o\\)\t__libc_start_main$'
  # Every row is three tab-separated fields.
  [ "$(printf '%s\n' "${lines[@]:1}" | awk -F'\t' 'NF != 3' | wc -l)" -eq 0 ]
  # GNU ld has no --why-extract; lld does, in this format, and loads the same members.
  printf '%s\n' "${lines[@]:1}" | cut -f2 | sort >ours
  gcc -static -fuse-ld=lld main.o -L. -lprocess -Wl,--why-extract=lld.txt -o prog.lld
  tail -n +2 lld.txt | cut -f2 | sort >theirs
  diff ours theirs
  gcc -static main.o -L. -lprocess -o prog.bfd
  run_both prog
  expect $'copied by memcpy: 42 0\nfunc1\nlocal_func1\nlocal_func2\nfunc2'
  check_layout prog
}
