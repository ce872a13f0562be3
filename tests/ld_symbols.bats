#!/usr/bin/env bats
# Symbol resolution: local, global, weak, COMMON and absolute symbols, duplicate and
# undefined symbols, the output .symtab, and the symbols the linker defines itself.

bats_require_minimum_version 1.5.0

load helpers

# The defined symbol NAME's address in FILE (nm), in hex without 0x.
sym_addr() {
  nm "$1" | awk -v n="$2" '$3 == n { print $1 }'
}

@test "ld: a global function and variable defined in one object are used by another" {
  runtime
  obj main <<'C'
void print(const char *);
extern int counter;
int bump(int);
int main(void) {
  bump(5);
  print("bumped\n");
  return bump(2) + counter;
}
C
  obj lib <<'C'
int counter = 10;
int bump(int by) { counter += by; return counter; }
C
  link_both prog rt.o main.o lib.o
  run_both prog
  [ "$status" -eq 34 ]
  [ "$output" = "bumped" ]
  check_layout prog
}

@test "ld: static functions of the same name in two objects stay distinct" {
  runtime
  obj a <<'C'
void print(const char *);
static __attribute__((noinline, used)) void hello(void) { print("hello from a\n"); }
void call_a(void) { hello(); }
C
  obj b <<'C'
void print(const char *);
static __attribute__((noinline, used)) void hello(void) { print("hello from b\n"); }
void call_b(void) { hello(); }
C
  obj main <<'C'
void call_a(void);
void call_b(void);
int main(void) { call_a(); call_b(); return 0; }
C
  link_both prog rt.o a.o main.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "hello from a
hello from b" ]
  check_layout prog
  # Both copies are in the output's symbol table, as two local symbols, whose names
  # share one string in .strtab.
  [ "$(nm prog | awk '$2 == "t" && $3 == "hello"' | wc -l)" -eq 2 ]
  [ "$(readelf -p .strtab prog | grep -c '\]  hello$')" -eq 1 ]
}

@test "ld: a weak undefined function has address 0 and is not called" {
  runtime
  obj main <<'C'
void print(const char *);
extern void f(void) __attribute__((weak));
int main(void) {
  if (&f)
    f();
  else
    print("no f\n");
  return 3;
}
C
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 3 ]
  [ "$output" = "no f" ]
  check_layout prog
  # The output's symbol table keeps f as a weak undefined symbol.
  [ "$(nm prog | awk '$NF == "f" { print $(NF - 1), $NF }')" = "w f" ]
}

@test "ld: a weak undefined symbol does not pull a member out of an archive" {
  runtime
  obj main <<'C'
void print(const char *);
extern void f(void) __attribute__((weak));
int main(void) {
  if (&f)
    f();
  else
    print("no f\n");
  return 4;
}
C
  obj f <<'C'
void print(const char *);
void f(void) { print("f was linked in\n"); }
C
  ar rc libf.a f.o
  link_both prog rt.o main.o libf.a
  run_both prog
  [ "$status" -eq 4 ]
  [ "$output" = "no f" ]
  check_layout prog
  # f.o was not loaded: nothing defines f.
  run nm --defined-only prog
  [[ "$output" != *" T f"* ]]
}

@test "ld: a strong definition overrides a weak one that comes before it" {
  runtime
  obj weak <<'C'
__attribute__((weak)) const char *who(void) { return "weak\n"; }
C
  obj strong <<'C'
const char *who(void) { return "strong\n"; }
C
  obj main <<'C'
void print(const char *);
const char *who(void);
int main(void) { print(who()); return 0; }
C
  link_both prog rt.o main.o weak.o strong.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "strong" ]
  check_layout prog
}

@test "ld: a strong definition overrides a weak one that comes after it" {
  runtime
  obj weak <<'C'
__attribute__((weak)) const char *who(void) { return "weak\n"; }
C
  obj strong <<'C'
const char *who(void) { return "strong\n"; }
C
  obj main <<'C'
void print(const char *);
const char *who(void);
int main(void) { print(who()); return 0; }
C
  link_both prog rt.o main.o strong.o weak.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "strong" ]
  check_layout prog
}

@test "ld: of two weak definitions the first one wins" {
  runtime
  obj weak1 <<'C'
__attribute__((weak)) const char *who(void) { return "first\n"; }
C
  obj weak2 <<'C'
__attribute__((weak)) const char *who(void) { return "second\n"; }
C
  obj main <<'C'
void print(const char *);
const char *who(void);
int main(void) { print(who()); return 0; }
C
  link_both prog rt.o main.o weak1.o weak2.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "first" ]
  check_layout prog
}

@test "ld: COMMON symbols merge with the largest size and the strictest alignment" {
  runtime
  # buf is COMMON in both objects: 8 bytes aligned to 64 in a.o, 200 bytes (aligned
  # to less) in b.o. Linking them in both orders catches "first wins" and "last wins".
  obj a -fcommon <<'C'
__attribute__((aligned(64))) char buf[8];
C
  obj b -fcommon <<'C'
char buf[200];
C
  obj main <<'C'
extern unsigned char buf[200];
int main(void) {
  for (int i = 0; i < 200; i++)
    buf[i] = (unsigned char)i;
  return buf[199] - buf[0] + 1;
}
C
  [ "$(nm -S a.o | awk '$4 == "buf" { print $2, $3 }')" = "0000000000000008 C" ]
  [ "$(nm -S b.o | awk '$4 == "buf" { print $2, $3 }')" = "00000000000000c8 C" ]
  for order in "a.o b.o" "b.o a.o"; do
    # shellcheck disable=SC2086 # two words
    link_both prog rt.o main.o $order
    run_both prog
    [ "$status" -eq 200 ]
    [ "$output" = "" ]
    check_layout prog
    # Size 200 (0xc8), as in ld.bfd's output.
    [ "$(nm -S prog | awk '$4 == "buf" { print $2, $3 }')" = "00000000000000c8 B" ]
    [ "$(nm -S prog.bfd | awk '$4 == "buf" { print $2, $3 }')" = "00000000000000c8 B" ]
    run readelf -sW prog
    [[ "$output" == *" 200 OBJECT  GLOBAL DEFAULT "*" buf"* ]]
    # Alignment 64: the address, and the alignment of .bss, which holds it.
    addr=$(sym_addr prog buf)
    (( 0x$addr % 64 == 0 ))
    [ "$(readelf -SW prog | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == ".bss" { print $NF }')" = 64 ]
    [ "$(readelf -SW prog.bfd | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == ".bss" { print $NF }')" = 64 ]
  done
}

@test "ld: a strong definition beats a COMMON symbol in either order" {
  runtime
  obj tentative -fcommon <<'C'
int counter;
C
  obj defined <<'C'
int counter = 7;
C
  obj main <<'C'
extern int counter;
int main(void) { return counter; }
C
  [ "$(nm tentative.o | awk '$3 == "counter" { print $2 }')" = C ]
  link_both prog1 rt.o main.o tentative.o defined.o
  run_both prog1
  [ "$status" -eq 7 ]
  [ "$output" = "" ]
  check_layout prog1
  link_both prog2 rt.o main.o defined.o tentative.o
  run_both prog2
  [ "$status" -eq 7 ]
  [ "$output" = "" ]
  check_layout prog2
  # The winner is the initialized .data object, 4 bytes.
  [ "$(nm -S prog1 | awk '$4 == "counter" { print $2, $3 }')" = "0000000000000004 D" ]
  [ "$(nm -S prog2 | awk '$4 == "counter" { print $2, $3 }')" = "0000000000000004 D" ]
}

@test "ld: an absolute symbol keeps its value" {
  runtime
  asm abs <<'S'
	.globl magic
	.set magic, 0x12345
	.section .note.GNU-stack,"",@progbits
S
  obj main <<'C'
void print_hex(unsigned long);
extern char magic[];
int main(void) { print_hex((unsigned long)magic); return 0; }
C
  link_both prog rt.o main.o abs.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "0000000000012345" ]
  check_layout prog
  [ "$(nm prog | awk '$3 == "magic" { print $1, $2 }')" = "0000000000012345 A" ]
}

@test "ld: two strong definitions of one name are an error naming both objects" {
  runtime
  obj a <<'C'
int foo(void) { return 1; }
C
  obj b <<'C'
int foo(void) { return 2; }
C
  obj main <<'C'
int foo(void);
int main(void) { return foo(); }
C
  run ! ld.bfd rt.o main.o a.o b.o -o prog.bfd
  expect_error "mini-ld: b.o: duplicate symbol 'foo' (first defined in a.o)" rt.o main.o a.o b.o
}

@test "ld: every undefined symbol is reported with up to three referencing places" {
  runtime
  # foo is referenced five times, bar twice (once from another object's .data).
  asm main <<'S'
	.text
	.globl main
main:
	call foo        # relocation at .text+0x1
	call foo        # +0x6
	call bar        # +0xb
	call foo        # +0x10
	call foo        # +0x15
	call foo        # +0x1a
	ret
	.section .note.GNU-stack,"",@progbits
S
  asm table <<'S'
	.data
	.quad 0
	.quad bar       # relocation at .data+0x8
	.section .note.GNU-stack,"",@progbits
S
  run ! ld.bfd rt.o main.o table.o -o prog.bfd
  expect_error "mini-ld: main.o:(.text+0x1): undefined symbol 'foo'
mini-ld: main.o:(.text+0x6): undefined symbol 'foo'
mini-ld: main.o:(.text+0x10): undefined symbol 'foo'
mini-ld: undefined symbol 'foo' is referenced 2 more times
mini-ld: main.o:(.text+0xb): undefined symbol 'bar'
mini-ld: table.o:(.data+0x8): undefined symbol 'bar'" rt.o main.o table.o
}

@test "ld: an undefined symbol that no relocation uses is not an error, as in GNU ld" {
  runtime
  asm main <<'S'
	.text
	.globl main, unused
main:
	xor %eax, %eax
	ret
	.section .note.GNU-stack,"",@progbits
S
  [ "$(nm main.o | awk '$1 == "U" { print $2 }')" = unused ]
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: the output symbol table lists file symbols, locals and globals" {
  runtime
  obj main <<'C'
void print(const char *);
static int calls;
static __attribute__((noinline, used)) void local_helper(void) { calls++; print("helper\n"); }
int global_data = 5;
int main(void) { local_helper(); return calls + global_data; }
C
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 6 ]
  [ "$output" = "helper" ]
  check_layout prog
  run nm -a prog
  # The C object's STT_FILE symbol (gcc names stdin "<stdin>").
  [[ "$output" == *" a <stdin>"* ]]
  [[ "$output" == *" t local_helper"* ]]
  [[ "$output" == *" b calls"* ]]
  [[ "$output" == *" T main"* ]]
  [[ "$output" == *" T _start"* ]]
  [[ "$output" == *" T print"* ]]
  [[ "$output" == *" D global_data"* ]]
  # sh_info, the first global's index, is one past the last local.
  run readelf -sW prog
  last_local=$(echo "$output" | awk '$5 == "LOCAL" { n = $1 } END { sub(":", "", n); print n }')
  first_global=$(echo "$output" | awk '$5 == "GLOBAL" { sub(":", "", $1); print $1; exit }')
  [ "$first_global" -eq $((last_local + 1)) ]
}

@test "ld: the output defines the same global names as ld.bfd's output" {
  runtime
  obj main <<'C'
void print(const char *);
int twice(int);
extern int table[];
int main(void) { print("x\n"); return twice(table[1]); }
C
  obj lib <<'C'
int table[] = {1, 2, 3};
int zeroed[10];
int twice(int x) { return 2 * x + zeroed[3]; }
__attribute__((weak)) int maybe(void) { return 1; }
C
  link_both prog rt.o main.o lib.o
  run_both prog
  [ "$status" -eq 4 ]
  [ "$output" = "x" ]
  check_layout prog
  # GNU ld's script always defines __bss_start, _edata and _end; mini-ld defines
  # linker symbols only when something refers to them. Compare everything else.
  linker='^(__bss_start|_edata|_end)$'
  ours=$(nm -g --defined-only prog | awk '{ print $3 }' | grep -Ev "$linker" | sort)
  theirs=$(nm -g --defined-only prog.bfd | awk '{ print $3 }' | grep -Ev "$linker" | sort)
  [ "$ours" = "$theirs" ]
  [ "$ours" = "$(printf '%s\n' _start main maybe print print_hex table twice zeroed | sort)" ]
}

@test "ld: linker-defined symbols relate to the image as in ld.bfd's output" {
  runtime
  obj main <<'C'
void print_hex(unsigned long);
extern const char __ehdr_start[], __executable_start[], _etext[], _edata[], _end[],
    __bss_start[];
extern const char __start_mysec[], __stop_mysec[];
static int in_mysec[5] __attribute__((section("mysec"), used)) = {1, 2, 3, 4, 5};
char big_bss[1000];
int data_word = 1;

/* Hides where a pointer comes from, so the compiler cannot fold comparisons of
   distinct objects' addresses. */
static const char *launder(const char *p) {
  __asm__("" : "+r"(p));
  return p;
}

int main(void) {
  const char *ehdr = launder(__ehdr_start);
  int bad = 0;
  if (ehdr[0] != 0x7f || ehdr[1] != 'E' || ehdr[2] != 'L' || ehdr[3] != 'F')
    bad |= 1;
  if (launder(__executable_start) != ehdr)
    bad |= 2;
  if (launder(__stop_mysec) - launder(__start_mysec) != sizeof in_mysec)
    bad |= 4;
  if (launder((const char *)main) >= launder(_etext) || launder(_etext) <= ehdr)
    bad |= 8;
  if (launder((const char *)&data_word) >= launder(_edata) ||
      launder(_edata) > launder(__bss_start))
    bad |= 16;
  if (launder(big_bss) < launder(__bss_start) || launder(big_bss) + sizeof big_bss > launder(_end))
    bad |= 32;
  if (launder(_end) < launder(__bss_start) + sizeof big_bss)
    bad |= 64;
  big_bss[999] = 1;
  print_hex((unsigned long)bad);
  return bad;
}
C
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "0000000000000000" ]
  check_layout prog
  # __ehdr_start is the image base; __start_mysec is the start of the section mysec.
  [ "$(sym_addr prog __ehdr_start)" = 0000000000400000 ]
  mysec=$(readelf -SW prog | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == "mysec" { print $3 }')
  [ "$(sym_addr prog __start_mysec)" = "$mysec" ]
}

@test "ld: an undefined symbol's message names the function that refers to it" {
  runtime
  obj main <<'C'
int missing(int);
static __attribute__((noinline)) int helper(int x) { return missing(x) + 1; }
int main(void) { return helper(2); }
C
  run ! ld.bfd rt.o main.o -o prog.bfd
  [[ "$output" == *"in function \`helper'"* ]]
  off=$(readelf -rW main.o | awk '$5 == "missing" { print $1; exit }' | sed 's/^0*//')
  expect_error "mini-ld: main.o:(.text+0x$off): in function 'helper': undefined symbol 'missing'" \
    rt.o main.o
}

@test "ld: a symbol defined in an SHF_EXCLUDE section is no definition, as in GNU ld" {
  asm ex <<'S'
	.section .excl,"ae",@progbits
	.globl inexcl
inexcl:	.quad 5
	.text
	.globl _start
_start:	mov $60, %eax
	syscall
S
  asm ref <<'S'
	.data
	.quad inexcl
S
  run ! ld.bfd ex.o ref.o -o prog.bfd
  expect_error "mini-ld: ref.o:(.data+0x0): undefined symbol 'inexcl'" ex.o ref.o
}

@test "ld: --warn-common says where tentative definitions meet; --fatal-warnings fails the link; -w silences" {
  runtime
  obj a -fcommon <<'C'
int foo;
C
  obj b -fcommon <<'C'
int foo;
int main(void) { return foo; }
C
  run "$MINI_LD" rt.o a.o b.o --warn-common -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ld: warning: b.o: multiple common of 'foo' (first in a.o)" ]
  run -1 "$MINI_LD" rt.o a.o b.o --warn-common --fatal-warnings -o prog2
  [ "$output" = "mini-ld: warning: b.o: multiple common of 'foo' (first in a.o)" ]
  [ ! -e prog2 ]
  run ! ld.bfd rt.o a.o b.o --warn-common --fatal-warnings -o prog2.bfd
  run "$MINI_LD" rt.o a.o b.o --warn-common -w -o prog3
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "symbols: C++ names in messages are demangled, as GNU ld shows them, unless --no-demangle" {
  cat >u.cc <<'C'
namespace geo { int area(int, int); }
int main() { return geo::area(3, 4); }
C
  cat >d1.cc <<'C'
namespace geo { int area(int w, int h) { return w * h; } }
C
  g++ -c u.cc d1.cc
  cp d1.o d2.o
  run ! g++ u.o -o prog.bfd
  [[ "$output" == *"undefined reference to \`geo::area(int, int)'"* ]]
  run -1 g++ -B "$MINI_BIN/" u.o -o prog
  [[ "${lines[0]}" == "mini-ld: u.o:(.text+0x"*"): in function 'main': undefined symbol 'geo::area(int, int)'" ]]
  run -1 g++ -B "$MINI_BIN/" -Wl,--no-demangle u.o -o prog
  [[ "${lines[0]}" == *"undefined symbol '_ZN3geo4areaEii'" ]]
  run -1 g++ -B "$MINI_BIN/" u.o d1.o d2.o -o prog
  [ "${lines[0]}" = "mini-ld: d2.o: duplicate symbol 'geo::area(int, int)' (first defined in d1.o)" ]
}

@test "symbols: --wrap=SYM sends references to __wrap_SYM, and __real_SYM to SYM, as GNU ld" {
  cat >lib.c <<'C'
int fetch(int x) { return x * 10; }
int uses_fetch(void) { return fetch(1); }     /* lib.o's own call: not wrapped either */
C
  cat >t.c <<'C'
#include <stdio.h>
#include <stdlib.h>
int fetch(int);
int uses_fetch(void);
int __real_fetch(int);
int __wrap_fetch(int x) { return __real_fetch(x) + 1; }   /* the mock */
void *__real_malloc(size_t);
static int mallocs;
void *__wrap_malloc(size_t n) { mallocs++; return __real_malloc(n); }
int main(void) {
  void *p = malloc(16);
  free(p);
  printf("%d %d %d\n", fetch(4), uses_fetch(), mallocs > 0);
  return 0;
}
C
  gcc -O0 -fno-builtin -c lib.c t.c
  dyn_both prog gcc t.o lib.o -Wl,--wrap=fetch -Wl,--wrap=malloc
  run_both prog
  [ "$output" = "41 10 1" ]
  cc_both sprog gcc t.o lib.o -Wl,--wrap=fetch,--wrap=malloc
  run_both sprog
  [ "$output" = "41 10 1" ]
  # The mock names __real_fetch, which only --wrap defines.
  run -1 gcc -B "$MINI_BIN/" t.o lib.o -o plain
  [[ "${lines[0]}" == *"in function '__wrap_fetch': undefined symbol '__real_fetch'" ]]
}

@test "symbols: an undefined symbol is explained: an archive searched too early, or a likely typo" {
  cat >um.c <<'C'
void print_mesage(const char *);
int helper(int);
int main(void) { print_mesage("x"); return helper(1); }
C
  cat >ut.c <<'C'
#include <stdio.h>
void print_message(const char *s) { puts(s); }
C
  echo 'int helper(int x) { return x; }' >hl.c
  gcc -c um.c ut.c hl.c
  ar rcs libhl.a hl.o
  run -1 gcc -B "$MINI_BIN/" -L. -lhl um.o ut.o -o um
  [ "${lines[0]}" = "mini-ld: um.o:(.text+0xf): in function 'main': undefined symbol 'print_mesage'" ]
  [ "${lines[1]}" = "mini-ld: note: did you mean 'print_message'? (defined in ut.o)" ]
  [ "${lines[2]}" = "mini-ld: um.o:(.text+0x19): in function 'main': undefined symbol 'helper'" ]
  [ "${lines[3]}" = "mini-ld: note: 'helper' is defined in ./libhl.a(hl.o), but ./libhl.a was searched before anything referred to it; put ./libhl.a after the files that use it, or put the archives between --start-group and --end-group" ]
  # Following the advice links (the typo aside).
  sed -i 's/print_mesage/print_message/g' um.c
  gcc -c um.c
  gcc -B "$MINI_BIN/" um.o ut.o -L. -lhl -o um
  # C++: the same name with other parameters.
  cat >cu.cc <<'C'
namespace geo { int area(int, int); }
int main() { return geo::area(3, 4); }
C
  cat >cd.cc <<'C'
namespace geo { int area(int w) { return w; } }
C
  g++ -c cu.cc cd.cc
  run -1 g++ -B "$MINI_BIN/" cu.o cd.o -o cu
  [ "${lines[1]}" = "mini-ld: note: did you mean 'geo::area(int)'? (defined in cd.o)" ]
  # Nothing close: no guess.
  echo 'int zzz(void); int main(void) { return zzz(); }' >z.c
  gcc -c z.c
  run -1 gcc -B "$MINI_BIN/" z.o -o z
  [ "${#lines[@]}" -eq 2 ]   # the error, then collect2's line
}

@test "symbols: a huge or deeply nested C++ name is shown as it is, without exhausting anything" {
  # _Z1fPPP...Pi: f(int****...*), 100,000 levels deep, undefined.
  local deep
  deep="_Z1f$(head -c 100000 /dev/zero | tr '\0' P)i"
  printf '\t.globl _start\n_start:\n\tcall %s\n\t.section .note.GNU-stack,"",@progbits\n' "$deep" >deep.s
  cc -c deep.s -o deep.o
  run -1 "$MINI_LD" deep.o -o prog
  [ "${#lines[@]}" -eq 1 ]
  # (A message line is cut at 8 KB.)
  [[ "${lines[0]}" == "mini-ld: deep.o:(.text+0x1): undefined symbol '_Z1fPPPPPPPP"* ]]
  # Nested 300 deep but short: not demangled either (a real type nests a few levels).
  deep="_Z1f$(head -c 300 /dev/zero | tr '\0' P)i"
  printf '\t.globl _start\n_start:\n\tcall %s\n\t.section .note.GNU-stack,"",@progbits\n' "$deep" >deep.s
  cc -c deep.s -o deep.o
  run -1 "$MINI_LD" deep.o -o prog
  [ "${lines[0]}" = "mini-ld: deep.o:(.text+0x1): undefined symbol '$deep'" ]
}

@test "ld: a large COMMON symbol (-mcmodel=medium) is COMMON, in an object and in an archive member" {
  # SHN_X86_64_LCOMMON is rewritten to SHN_COMMON as the symbol table is read: in a
  # copy, since a lone object's table is read where it lies in the mapped file.
  runtime
  obj big -fcommon -mcmodel=medium <<'C'
char big[100000];
C
  readelf -sW big.o | grep -q 'LARGE_COM big'
  obj main <<'C'
extern char big[100000];
int main(void) { big[99999] = 7; return big[99999] + sizeof big / 50000; }
C
  link_both prog rt.o main.o big.o
  run_both prog
  [ "$status" -eq 9 ]
  [ "$(nm -S prog | awk '$4 == "big" { print $2 }')" = 00000000000186a0 ]
  ar rc libbig.a big.o
  "$MINI_LD" rt.o main.o libbig.a -o prog2
  run ./prog2
  [ "$status" -eq 9 ]
}

@test "symbols: --noinhibit-exec reports undefined and duplicate symbols, writes the program, exits 0, as GNU ld" {
  runtime
  obj a <<'C'
int value(void) { return 1; }
int main(void) { return value(); }
C
  obj b <<'C'
int value(void) { return 2; }
int missing(void);
int unused(void) { return missing(); }
C
  run -1 "$MINI_LD" rt.o a.o b.o -o prog
  [ ! -e prog ]
  run ld.bfd rt.o a.o b.o --noinhibit-exec -o prog.bfd
  [ "$status" -eq 0 ]
  [[ "$output" == *"multiple definition of \`value'"* ]]
  [[ "$output" == *"undefined reference to \`missing'"* ]]
  run "$MINI_LD" rt.o a.o b.o --noinhibit-exec -o prog
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "mini-ld: b.o: duplicate symbol 'value' (first defined in a.o)" ]
  [ "${lines[1]}" = "mini-ld: b.o:(.text+0xb): in function 'unused': undefined symbol 'missing'" ]
  # The first definition wins, as with GNU ld.
  run_both prog
  [ "$status" -eq 1 ]
  # A bad input is still an error.
  echo junk >bad.o
  run -1 "$MINI_LD" rt.o a.o bad.o --noinhibit-exec -o prog3
  [ ! -e prog3 ]
}

@test "symbols: --warn-common names each way tentative definitions meet, in GNU ld's words" {
  runtime
  obj a -fcommon <<'C'
int same; int grows; int shrinks[4]; int defined_first = 1; int common_first;
C
  obj b -fcommon <<'C'
int same; int grows[4]; int shrinks; int defined_first; int common_first = 2;
int main(void) { return same + grows[0] + shrinks + defined_first + common_first; }
C
  run ld.bfd rt.o a.o b.o --warn-common -o prog.bfd
  [ "$status" -eq 0 ]
  local bfd=$output
  run "$MINI_LD" rt.o a.o b.o --warn-common -o prog
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "mini-ld: warning: b.o: multiple common of 'same' (first in a.o)" ]
  [ "${lines[1]}" = "mini-ld: warning: b.o: common of 'grows' overriding smaller common from a.o" ]
  [ "${lines[2]}" = "mini-ld: warning: b.o: common of 'shrinks' overridden by larger common from a.o" ]
  [ "${lines[3]}" = "mini-ld: warning: b.o: common of 'defined_first' overridden by definition from a.o" ]
  [ "${lines[4]}" = "mini-ld: warning: b.o: definition of 'common_first' overriding common from a.o" ]
  [ "${#lines[@]}" -eq 5 ]
  # GNU ld says the same of each (with the file name before "warning:").
  [[ "$bfd" == *"multiple common of \`same'"* ]]
  for i in 1 2 3 4; do
    local line=${lines[$i]#mini-ld: warning: b.o: }
    line=${line//\'/}
    [[ "${bfd//[\`\']/}" == *"b.o: warning: $line"* ]]
  done
  run_both prog
  [ "$status" -eq 3 ]
}

@test "symbols: --print-gc-sections lists the sections it drops that have bytes, as GNU ld does" {
  runtime
  obj a -ffunction-sections <<'C'
int unused(void) { return 1; }
__attribute__((noinline)) int used(int x) { return x + 2; }
int main(int argc, char **argv) { (void)argv; return used(argc); }
C
  run ld.bfd rt.o a.o --gc-sections --print-gc-sections -o prog.bfd
  [ "$status" -eq 0 ]
  local want=${output//ld.bfd:/mini-ld:}
  run "$MINI_LD" rt.o a.o --gc-sections --print-gc-sections -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "$want" ]
  [ "$output" = "mini-ld: removing unused section '.text.unused' in file 'a.o'" ]
  run_both prog
  [ "$status" -eq 3 ]
}
