#!/usr/bin/env bats
# Static PIEs: `gcc -static-pie -B bin/` (-static -pie --no-dynamic-linker). The
# output is an ET_DYN linked at 0 that the C library relocates at start-up from its
# own .dynamic and .rela.dyn; the kernel (and mini-loader) may put it anywhere.

load helpers

# pie_both OUT ARGS...: links with gcc -static-pie through mini-ld and through GNU ld.
pie_both() {
  local out=$1
  shift
  run gcc -static-pie -B "$MINI_BIN/" "$@" -o "$out"
  if [ "$status" -ne 0 ]; then
    echo "gcc -static-pie -B mini-ld failed: $output" >&2
    return 1
  fi
  gcc -static-pie "$@" -o "$out.bfd"
}

@test "pie: a static-pie glibc program runs like GNU ld's, at a random address" {
  cat >hello.c <<'C'
#include <stdio.h>
#include <stdlib.h>
static const char *const names[] = {"zero", "one", "two"};  // pointers: RELATIVE entries
int counter = 2;
int main(void) {
  printf("hello %s\n", names[counter]);
  printf("%p\n", (void *)&counter);
  return 3;
}
C
  pie_both prog hello.c
  run ./prog
  [ "$status" -eq 3 ]
  [ "${lines[0]}" = "hello two" ]
  first=${lines[1]}
  run ./prog.bfd
  [ "$status" -eq 3 ]
  [ "${lines[0]}" = "hello two" ]
  readelf -hW prog | grep -q 'Type: *DYN'
  readelf -lW prog | grep -q '^  DYNAMIC '
  ! readelf -lW prog | grep -q INTERP
  readelf -dW prog | grep -q 'RELACOUNT'
  readelf -dW prog | grep -q 'Flags: NOW PIE'
  [ "$(readelf -lW prog | awk '$1 == "LOAD" { print $3; exit }')" = 0x0000000000000000 ]
  check_layout prog
  # With address-space randomisation on, two runs see different addresses.
  if [ "$(cat /proc/sys/kernel/randomize_va_space)" != 0 ]; then
    run ./prog
    [ "${lines[1]}" != "$first" ]
  fi
}

@test "pie: C++ exceptions, TLS in threads and IFUNCs work in a static PIE" {
  cat >a.cc <<'CC'
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
thread_local int tl = 7;
static int impl(void) { return 40; }
extern "C" int (*resolve(void))(void) { return impl; }
extern "C" int f(void) __attribute__((ifunc("resolve")));
int (*fp)(void) = f;
int main() {
  int seen = 0;
  std::thread t([&] { seen = ++tl; });
  t.join();
  try { throw std::runtime_error("boom " + std::to_string(f() + fp())); }
  catch (const std::exception &e) { std::printf("%s tl=%d seen=%d\n", e.what(), tl, seen); }
  return 0;
}
CC
  g++ -O1 -fPIE -c a.cc
  run g++ -static-pie -B "$MINI_BIN/" a.o -o prog -pthread
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 0 ]
  [ "$output" = "boom 80 tl=7 seen=8" ]
  readelf -rW prog | grep -q R_X86_64_IRELATIVE
}

@test "pie: mini-loader runs mini-ld's static PIE" {
  echo 'int main(int argc, char **argv) { return argc + argv[1][0]; }' >m.c
  gcc -static-pie -B "$MINI_BIN/" m.c -o prog
  run ./prog a
  want=$status
  run "$MINI_BIN/mini-loader" ./prog a
  [ "$status" -eq "$want" ]
  [ "$status" -eq $(((2 + 97) % 256)) ]
}

@test "pie: absolute 32-bit relocations and pointers in read-only data are errors naming -fPIE" {
  runtime
  asm abs32 <<'S'
	.data
	.globl value
value:	.long value
S
  run -1 "$MINI_LD" -static -pie --no-dynamic-linker abs32.o -e value -o prog
  [ "$output" = "mini-ld: abs32.o:(.data+0x0): relocation R_X86_64_32 against 'value' cannot be used in a position-independent executable; recompile with -fPIE" ]
  [ ! -e prog ]
  asm ro <<'S'
	.section .rodata
	.globl table
table:	.quad table
S
  run -1 "$MINI_LD" -static -pie --no-dynamic-linker ro.o -e table -o prog
  [ "$output" = "mini-ld: ro.o:(.rodata+0x0): relocation R_X86_64_64 against 'table' in read-only section '.rodata' cannot be moved at start-up; recompile with -fPIE" ]
  run ! ld.bfd -static -pie --no-dynamic-linker -z text ro.o -e table -o prog.bfd
}
