#!/usr/bin/env bats
# Shared libraries: `gcc -shared -fPIC -B bin/`, the seeds' libprocess.so. Each
# library is linked by mini-ld and by GNU ld, and programs linked against each (by
# both linkers) must behave alike.

bats_require_minimum_version 1.5.0
load helpers

dyn_value() {
  readelf -dW "$1" | awk -v tag="($2)" '$2 == tag { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}

# libprocess.so as in the seed: func1, func2, a variable, a static helper.
process_lib() {
  cat >process.c <<'C'
#include <stdio.h>
int shared_counter = 40;
static int helper(void) { return 1; }
void func1(void) { printf("func1 %d\n", shared_counter + helper()); }
void func2(void) { printf("func2\n"); func1(); }
int local_only(void) { return 5; }
C
  cat >main.c <<'C'
void func2(void);
extern int shared_counter;
int main(void) { shared_counter++; func2(); return 0; }
C
}

@test "shared: gcc -shared -B bin/ makes a library that programs of both linkers use" {
  process_lib
  dyn_both libprocess.so gcc -shared -fPIC process.c -Wl,-soname,libprocess.so
  readelf -hW libprocess.so | grep -q 'DYN (Shared object file)'
  [ "$(dyn_value libprocess.so SONAME)" = "Library soname: [libprocess.so]" ]
  ! readelf -lW libprocess.so | grep -q INTERP
  check_layout libprocess.so
  readelf --dyn-syms -W libprocess.so | grep -q ' func1$'
  ! readelf --dyn-syms -W libprocess.so | grep -q ' helper$'
  # A program linked by GNU ld against our library, and by us against GNU ld's.
  gcc main.c -L. -lprocess -Wl,-rpath,'$ORIGIN' -o gnu-uses-ours
  run ./gnu-uses-ours
  [ "$output" = "$(printf 'func2\nfunc1 42')" ]
  gcc -B "$MINI_BIN/" main.c -L. -lprocess -Wl,-rpath,'$ORIGIN' -o ours-uses-ours
  run ./ours-uses-ours
  [ "$output" = "$(printf 'func2\nfunc1 42')" ]
}

@test "shared: a library's global functions can be interposed by the program" {
  cat >lib.c <<'C'
int hook(void) { return 1; }
int call_hook(void) { return hook(); }
C
  gcc -shared -fPIC -B "$MINI_BIN/" lib.c -o libhook.so
  # The call goes through the PLT, not straight to the library's own hook.
  readelf -rW libhook.so | grep -q 'R_X86_64_JUMP_SLOT .* hook'
  cat >main.c <<'C'
int call_hook(void);
int hook(void) { return 2; }
int main(void) { return call_hook(); }
C
  gcc main.c -L. -lhook -Wl,-rpath,'$ORIGIN' -o main
  run ./main
  [ "$status" -eq 2 ]
}

@test "shared: a version script's local: * keeps everything but global: inside the library" {
  process_lib
  printf '{\n  global: func1; func2;\n  local: *;\n};\n' >process.map
  dyn_both libprocess.so gcc -shared -fPIC process.c -Wl,--version-script=process.map
  for lib in libprocess.so libprocess.so.bfd; do
    readelf --dyn-syms -W $lib | grep -q ' func2$'
    ! readelf --dyn-syms -W $lib | grep -q ' local_only$'
    ! readelf --dyn-syms -W $lib | grep -q ' shared_counter$'
  done
  # func2's call to func1 stays a PLT call: func1 is still global.
  cat >m2.c <<'C'
void func2(void);
int main(void) { func2(); return 0; }
C
  gcc -B "$MINI_BIN/" m2.c -L. -lprocess -Wl,-rpath,'$ORIGIN' -o m2
  run ./m2
  [ "$output" = "$(printf 'func2\nfunc1 41')" ]
}

@test "shared: non-PIC code and thread-local variables are refused with a reason" {
  printf 'extern int x;\nint get(void) { return x; }\n' >nopic.c
  cc -fno-pic -c nopic.c -o nopic.o
  run -1 "$MINI_LD" -shared nopic.o -o lib.so
  [[ "$output" == *"cannot be used when making a shared library; recompile with -fPIC" ]]
  printf '__thread int t;\nint get(void) { return t; }\n' >tls.c
  cc -fPIC -c tls.c -o tls.o
  run -1 "$MINI_LD" -shared tls.o -o lib.so
  [[ "$output" == *"thread-local variables in a shared library are not supported yet" ]]
  [ ! -e lib.so ]
}
