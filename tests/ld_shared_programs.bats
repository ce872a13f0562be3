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
