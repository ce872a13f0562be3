#!/usr/bin/env bats
# Shared libraries in real use: C++ across the boundary, libraries that need other
# libraries, constructors, dlopen with RTLD_LOCAL and RTLD_GLOBAL, IFUNC and
# protected symbols, musl. Every library is built by mini-ld and by GNU ld, and
# programs of each linker run against the libraries of each: all four must agree.

bats_require_minimum_version 1.5.0
load helpers

# so_both NAME DRIVER ARGS...: NAME.so by mini-ld in mini/, by GNU ld in bfd/.
so_both() {
  local name=$1 driver=$2
  shift 2
  mkdir -p mini bfd
  "$driver" -B "$MINI_BIN/" -shared "$@" -o "mini/$name.so"
  "$driver" -shared "$@" -o "bfd/$name.so"
}

# exe_both NAME DRIVER ARGS...: NAME by mini-ld and NAME.bfd by GNU ld. ARGS name
# the libraries as -L DIR -lX; each program is linked against mini/ (GNU ld's too,
# to mix) and finds its libraries at run time through LD_LIBRARY_PATH.
exe_both() {
  local name=$1 driver=$2
  shift 2
  "$driver" -B "$MINI_BIN/" "$@" -Lmini -o "$name"
  "$driver" "$@" -Lbfd -o "$name.bfd"
}

# All four pairings of program and library linker print the same and exit alike.
run_four() {
  local name=$1 want_out want_status p d
  LD_LIBRARY_PATH=bfd run "./$name.bfd"
  want_out=$output want_status=$status
  for p in "$name" "$name.bfd"; do
    for d in mini bfd; do
      LD_LIBRARY_PATH=$d run "./$p"
      if [ "$output" != "$want_out" ] || [ "$status" -ne "$want_status" ]; then
        echo "$p with $d/ libraries: status $status, output:" >&2
        echo "$output" >&2
        echo "want status $want_status, output:" >&2
        echo "$want_out" >&2
        return 1
      fi
    done
  done
  output=$want_out
  status=$want_status
}

@test "shared programs: C++ exceptions, vtables, dynamic_cast and std::string cross the boundary" {
  cat >shape.h <<'C'
#include <string>
#include <stdexcept>
struct Shape { virtual ~Shape(); virtual std::string name() const = 0; virtual int area() const = 0; };
struct Square : Shape { int side; explicit Square(int s) : side(s) {}
  std::string name() const override; int area() const override; };
struct bad_shape : std::runtime_error { using std::runtime_error::runtime_error; };
Shape *make_shape(const std::string &kind, int size);
std::string describe(const Shape &s);
C
  cat >shape.cc <<'C'
#include "shape.h"
Shape::~Shape() {}
std::string Square::name() const { return "square"; }
int Square::area() const { return side * side; }
Shape *make_shape(const std::string &kind, int size) {
  if (kind == "square") return new Square(size);
  throw bad_shape("no such shape: " + kind);
}
std::string describe(const Shape &s) { return s.name() + " of area " + std::to_string(s.area()); }
C
  cat >main.cc <<'C'
#include "shape.h"
#include <iostream>
#include <typeinfo>
struct Circle : Shape { std::string name() const override { return "circle"; }
  int area() const override { return 3; } };
int main() {
  Shape *s = make_shape("square", 4);
  std::cout << describe(*s) << "\n";
  std::cout << (dynamic_cast<Square *>(s) ? "a Square" : "not a Square") << "\n";
  std::cout << (typeid(*s) == typeid(Square) ? "typeid matches" : "typeid differs") << "\n";
  Circle c;
  std::cout << describe(c) << "\n";       // the library calls the program's override
  delete s;
  try { make_shape("hexagon", 1); }
  catch (const bad_shape &e) { std::cout << "caught: " << e.what() << "\n"; return 2; }
  return 0;
}
C
  g++ -O1 -fPIC -c shape.cc
  g++ -O1 -c main.cc
  so_both libshape g++ shape.o
  exe_both main g++ main.o -lshape
  run_four main
  [ "$status" -eq 2 ]
  [ "$output" = "square of area 16
a Square
typeid matches
circle of area 3
caught: no such shape: hexagon" ]
}

@test "shared programs: a library that needs another, and constructors in both, in GNU ld's order" {
  cat >base.c <<'C'
#include <stdio.h>
__attribute__((constructor)) static void base_init(void) { puts("base: constructor"); }
__attribute__((destructor)) static void base_fini(void) { puts("base: destructor"); }
int base_value(void) { return 40; }
C
  cat >top.c <<'C'
#include <stdio.h>
int base_value(void);
__attribute__((constructor(200))) static void top_late(void) { puts("top: constructor 200"); }
__attribute__((constructor(101))) static void top_early(void) { puts("top: constructor 101"); }
__attribute__((destructor)) static void top_fini(void) { puts("top: destructor"); }
int top_value(void) { return base_value() + 2; }
C
  cat >main.c <<'C'
#include <stdio.h>
int top_value(void);
int main(void) { printf("main: %d\n", top_value()); return 0; }
C
  gcc -O1 -fPIC -c base.c top.c
  gcc -O1 -c main.c
  so_both libbase gcc base.o
  mkdir -p mini bfd
  gcc -B "$MINI_BIN/" -shared top.o -Lmini -lbase -o mini/libtop.so
  gcc -shared top.o -Lbfd -lbase -o bfd/libtop.so
  # The program names only libtop.so; libbase.so comes as its dependency, found
  # at link time through -rpath-link.
  gcc -B "$MINI_BIN/" main.o -Lmini -ltop -Wl,-rpath-link,mini -o main
  gcc main.o -Lbfd -ltop -Wl,-rpath-link,bfd -o main.bfd
  readelf -dW mini/libtop.so | grep -q 'NEEDED.*\[libbase.so\]'
  ! readelf -dW main | grep -q 'libbase.so'
  run_four main
  [ "$output" = "base: constructor
top: constructor 101
top: constructor 200
main: 42
top: destructor
base: destructor" ]
}

@test "shared programs: dlopen with RTLD_LOCAL and RTLD_GLOBAL, dlsym and dlclose" {
  cat >provider.c <<'C'
int provided(void) { return 7; }
C
  cat >consumer.c <<'C'
int provided(void);   /* left undefined: found among the RTLD_GLOBAL libraries */
int consume(void) { return provided() * 6; }
C
  cat >main.c <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  const char *dir = argv[1];
  char path[256];
  snprintf(path, sizeof path, "%s/libprovider.so", dir);
  void *p = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  snprintf(path, sizeof path, "%s/libconsumer.so", dir);
  void *c = dlopen(path, RTLD_NOW);
  printf("with RTLD_LOCAL: %s\n", c ? "loaded" : "provided() not found");
  dlclose(p);
  snprintf(path, sizeof path, "%s/libprovider.so", dir);
  p = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  snprintf(path, sizeof path, "%s/libconsumer.so", dir);
  c = dlopen(path, RTLD_NOW);
  int (*consume)(void) = c ? (int (*)(void))dlsym(c, "consume") : 0;
  printf("with RTLD_GLOBAL: %d\n", consume ? consume() : -1);
  printf("dlclose: %d %d\n", dlclose(c), dlclose(p));
  return 0;
}
C
  gcc -O1 -fPIC -c provider.c consumer.c
  gcc -O1 -c main.c
  so_both libprovider gcc provider.o
  so_both libconsumer gcc consumer.o
  gcc -B "$MINI_BIN/" main.o -ldl -o main
  gcc main.o -ldl -o main.bfd
  local p d
  for p in main main.bfd; do
    for d in mini bfd; do
      run "./$p" "$PWD/$d"
      [ "$output" = "with RTLD_LOCAL: provided() not found
with RTLD_GLOBAL: 42
dlclose: 0 0" ]
    done
  done
}

@test "shared programs: an IFUNC, a protected symbol and a hidden one in a library" {
  cat >lib.c <<'C'
static int impl_fast(void) { return 1; }
static int impl_slow(void) { return 2; }
static int (*resolve(void))(void) { return impl_fast; }
static int (*resolve_slow(void))(void) { return impl_slow; }
int pick(void) __attribute__((ifunc("resolve")));            /* exported: ld.so resolves it */
static int pick_inside(void) __attribute__((ifunc("resolve_slow")));  /* IRELATIVE */
__attribute__((visibility("protected"))) int prot = 10;
__attribute__((visibility("hidden"))) int hid = 20;
int read_prot(void) { return prot; }
int read_hid(void) { return hid + pick_inside(); }
C
  cat >main.c <<'C'
#include <stdio.h>
int pick(void);
int read_prot(void);
int read_hid(void);
int main(void) {
  int (*fp)(void) = pick;
  printf("%d %d %d %d\n", pick(), fp(), read_prot(), read_hid());
  return 0;
}
C
  cat >copy.c <<'C'
extern int prot;
int main(void) { return prot; }
C
  gcc -O1 -fPIC -c lib.c
  gcc -O1 -fPIE -c main.c copy.c
  so_both libifunc gcc lib.o
  exe_both main gcc main.o -lifunc
  run_four main
  [ "$output" = "1 1 10 22" ]
  # A program that uses the protected variable directly would need a copy of it,
  # which the library would not use: an error, as with GNU ld.
  run ! gcc copy.o -Lbfd -lifunc -o copy.bfd
  run -1 "$MINI_LD" -pie copy.o mini/libifunc.so -o copy
  [ "$output" = "mini-ld: copy.o: copy relocation against non-copyable protected symbol 'prot' in mini/libifunc.so; recompile with -fPIC" ]
  [ ! -e copy ]
  [ "$(readelf -rW mini/libifunc.so | grep -c R_X86_64_IRELATIVE)" -eq 1 ]
  readelf --dyn-syms -W mini/libifunc.so | grep -Eq 'GLOBAL DEFAULT +[0-9]+ pick$'
  readelf --dyn-syms -W mini/libifunc.so | grep -Eq 'PROTECTED +[0-9]+ prot$'
  ! readelf --dyn-syms -W mini/libifunc.so | grep -q ' hid$'
}

@test "shared programs: musl-gcc builds a shared library and a program with musl's loader" {
  command -v musl-gcc >/dev/null || skip "musl-gcc is not installed"
  cat >m.c <<'C'
#include <string.h>
int twice_len(const char *s) { return 2 * (int)strlen(s); }
C
  cat >main.c <<'C'
#include <stdio.h>
int twice_len(const char *s);
int main(void) { printf("%d\n", twice_len("musl")); return 0; }
C
  musl-gcc -O1 -fPIC -c m.c
  musl-gcc -O1 -c main.c
  so_both libm8 musl-gcc m.o
  musl-gcc -B "$MINI_BIN/" main.o -Lmini -lm8 -Wl,-rpath,"$PWD/mini" -o main
  musl-gcc main.o -Lbfd -lm8 -Wl,-rpath,"$PWD/bfd" -o main.bfd
  readelf -lW main | grep -q 'interpreter: /lib/ld-musl-x86_64.so.1'
  run ./main
  [ "$output" = 8 ]
  run ./main.bfd
  [ "$output" = 8 ]
}
