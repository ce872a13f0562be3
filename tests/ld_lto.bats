#!/usr/bin/env bats
# Link-time optimization: objects compiled with -flto hold compiler IR, which the
# compiler's linker plugin (gcc's liblto_plugin.so, clang's LLVMgold.so, passed by
# the driver with -plugin) turns into machine code at link time. Each program is
# linked through mini-ld and through GNU ld from the same IR objects and must run
# alike; what the plugin was told shows in which symbols survive.

bats_require_minimum_version 1.5.0
load helpers

# Three files: main calls hello (in lib.c) and a function of a regular object,
# which calls back into IR; unused() is referenced by nothing.
lto_sources() {
  cat >main.c <<'C'
#include <stdio.h>
void hello(const char *who);
int from_regular(int);
int main(void) {
  hello("lto");
  printf("%d\n", from_regular(20));
  return 7;
}
C
  cat >lib.c <<'C'
#include <stdio.h>
void hello(const char *who) { printf("hello, %s\n", who); }
int called_from_regular(int x) { return x * 2 + 1; }
int unused(int x) { return x + 1000; }
C
  cat >reg.c <<'C'
int called_from_regular(int);
int from_regular(int x) { return called_from_regular(x) + 1; }
C
}

# What nm says of the program's own functions ("T main", "t hello"), sorted.
own_functions() {
  nm "$1" | awk '$3 ~ /^(main|hello|called_from_regular|unused|from_regular)$/ { print $2, $3 }' |
    sort
}

@test "lto: gcc -flto objects link through the plugin and run like GNU ld's" {
  lto_sources
  gcc -O2 -flto -c main.c lib.c
  gcc -O2 -c reg.c
  dyn_both prog gcc -O2 -flto main.o lib.o reg.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "${lines[0]}" = "hello, lto" ]
  [ "${lines[1]}" = "42" ]
  # The plugin was told that regular code calls called_from_regular (kept global)
  # and that nothing outside the IR sees unused or hello (made local or dropped).
  nm prog | grep -q ' T called_from_regular$'
  ! nm prog | grep -q ' T unused$'
  ! nm prog | grep -q ' T hello$'
  [ "$(own_functions prog)" = "$(own_functions prog.bfd)" ]
  check_layout prog
}

@test "lto: an IR archive member is loaded only when a symbol needs it, static and dynamic" {
  lto_sources
  cat >other.c <<'C'
int howdy(void) { return 1; }
C
  gcc -O2 -flto -c main.c lib.c other.c
  gcc -O2 -c reg.c
  ar rcs libir.a lib.o other.o
  dyn_both prog gcc -O2 -flto main.o reg.o libir.a
  run_both prog
  [ "$status" -eq 7 ]
  ! nm prog | grep -q howdy
  # Static: the code LTO generates may call libc and libgcc functions that no IR
  # named; the plugin passes those libraries through, and they are searched again.
  cc_both sprog gcc -O2 -flto main.o reg.o libir.a
  run_both sprog
  [ "$status" -eq 7 ]
  ! nm sprog | grep -q howdy
}

@test "lto: the objects the plugin makes take the first IR file's place, and two links agree" {
  lto_sources
  gcc -O2 -flto -ffunction-sections -c main.c lib.c
  gcc -O2 -c reg.c
  gcc -B "$MINI_BIN/" -O2 -flto reg.o main.o lib.o -o one
  gcc -B "$MINI_BIN/" -O2 -flto reg.o main.o lib.o -o two
  cmp one two
  # reg.o's code comes first, then what LTO made of main.o and lib.o.
  local reg main
  reg=$(nm one | awk '$3 == "from_regular" { print $1 }')
  main=$(nm one | awk '$3 == "main" { print $1 }')
  [ "$((16#$reg))" -lt "$((16#$main))" ]
}

@test "lto: C++ inline functions and templates in COMDAT groups, across IR and regular objects" {
  cat >t.h <<'C'
#include <string>
template <typename T> T twice(T x) { return x + x; }
inline int counter() { static int n; return ++n; }
std::string ir_side(int);
std::string regular_side(int);
C
  cat >a.cc <<'C'
#include "t.h"
#include <iostream>
std::string ir_side(int x) { counter(); return std::to_string(twice(x)); }
int main() {
  std::cout << ir_side(21) << " " << regular_side(4) << " " << counter() << "\n";
  return 0;
}
C
  cat >b.cc <<'C'
#include "t.h"
std::string regular_side(int x) { counter(); return std::to_string(twice(x) + twice(1.5)); }
C
  g++ -O1 -flto -c a.cc
  g++ -O1 -c b.cc
  dyn_both prog g++ -O1 -flto a.o b.o
  run_both prog
  [ "$output" = "42 11.000000 3" ]
  # The other way round: the regular object first keeps the groups.
  dyn_both prog2 g++ -O1 -flto b.o a.o
  run_both prog2
  [ "$output" = "42 11.000000 3" ]
}

@test "lto: a COMDAT group that a regular object keeps is not the IR's to define" {
  # The IR's copy of the group comes first on the command line; the regular
  # object's copy is still the one linked, and what it defines is reachable.
  cat >a.ll <<'LL'
$shared_group = comdat any
@from_ir = global i32 1, comdat($shared_group)
LL
  cat >b.s <<'ASM'
	.globl in_group
	.section .text.in_group,"axG",@progbits,shared_group,comdat
in_group:
	mov $5, %eax
	ret
	.text
	.globl main
main:
	call in_group
	ret
	.section .note.GNU-stack,"",@progbits
ASM
  clang -O1 -flto -c a.ll -o a.o
  cc -c b.s -o b.o
  run clang -B "$MINI_BIN/" -flto a.o b.o -o prog
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 5 ]
}

@test "lto: clang -flto objects link through LLVMgold.so" {
  [ -e "$(clang -print-prog-name=LLVMgold.so 2>/dev/null)" ] ||
    [ -e /usr/lib/llvm-14/lib/LLVMgold.so ] || skip "LLVMgold.so is not installed"
  lto_sources
  clang -O2 -flto -c main.c lib.c
  clang -O2 -c reg.c
  dyn_both prog clang -O2 -flto main.o lib.o reg.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "${lines[1]}" = "42" ]
  ! nm prog | grep -q ' T unused$'
}

@test "lto: a shared library keeps what it exports; what a version script hides goes" {
  cat >so.c <<'C'
int exported(int x) { return x + 1; }
int hidden_by_script(int x) { return x * 3; }
int api(int x) { return hidden_by_script(x) + exported(x); }
C
  cat >so.map <<'MAP'
{ global: exported; api; local: *; };
MAP
  cat >use.c <<'C'
int api(int);
int exported(int);
int main(void) { return api(2) + exported(0); }
C
  gcc -O2 -fPIC -flto -c so.c
  gcc -B "$MINI_BIN/" -O2 -flto -shared so.o -Wl,--version-script=so.map -o libso.so
  readelf --dyn-syms -W libso.so | grep -q ' api$'
  readelf --dyn-syms -W libso.so | grep -q ' exported$'
  ! readelf --dyn-syms -W libso.so | grep -q hidden_by_script
  gcc -B "$MINI_BIN/" use.c -L. -lso -Wl,-rpath,"$PWD" -o prog
  run ./prog
  [ "$status" -eq 10 ]
}

@test "lto: a fat object links without the plugin; a slim one or bitcode says what it needs" {
  cat >f.c <<'C'
int f(void) { return 4; }
C
  cat >s.s <<'ASM'
	.globl _start
_start:
	call f
	mov %eax, %edi
	mov $60, %eax
	syscall
	.section .note.GNU-stack,"",@progbits
ASM
  cc -c s.s -o s.o
  gcc -O2 -flto -ffat-lto-objects -c f.c -o fat.o
  "$MINI_LD" s.o fat.o -o prog
  run ./prog
  [ "$status" -eq 4 ]
  gcc -O2 -flto -c f.c -o slim.o
  expect_error "mini-ld: slim.o: compiled with -flto, it holds no machine code: link through gcc, which passes its LTO plugin (-plugin), or compile with -ffat-lto-objects" s.o slim.o
  clang -O2 -flto -c f.c -o bc.o
  expect_error "mini-ld: bc.o: LLVM bitcode (clang -flto) needs the LLVM linker plugin (clang passes -plugin LLVMgold.so)" s.o bc.o
  expect_error "mini-ld: cannot load plugin ./no-such-plugin.so: ./no-such-plugin.so: cannot open shared object file: No such file or directory" -plugin ./no-such-plugin.so s.o slim.o
}

@test "lto: an archive of many IR members needs one descriptor, not one per member" {
  local i
  for i in $(seq 1 80); do echo "int f$i(void) { return $i; }" >m$i.c; done
  { echo 'int main(void) { int s = 0;'
    for i in $(seq 1 80); do echo "  extern int f$i(void); s += f$i();"; done
    echo '  return s % 256; }'; } >main.c
  gcc -O2 -flto -c main.c m*.c
  ar rcs libmany.a m*.o
  # 80 members open at once would not fit under this limit.
  (ulimit -n 40 && gcc -B "$MINI_BIN/" -O2 -flto main.o libmany.a -o prog)
  run ./prog
  [ "$status" -eq $(( (80 * 81 / 2) % 256 )) ]
}
