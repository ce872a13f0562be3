#!/usr/bin/env bats
# Options that change where sections go: --section-start, -Ttext, -Tdata, -Tbss.
# Each link is compared with GNU ld's where both accept it.

load helpers

# The address of output section NAME in ELF file FILE, as readelf prints it.
section_addr() {
  readelf -SW "$2" | awk -v n="$1" '$2 == n { print $4; exit } $3 == n { print $5; exit }'
}

# The p_vaddr of every PT_LOAD of FILE, one per line, in table order.
load_addrs() {
  readelf -lW "$1" | awk '$1 == "LOAD" { print $3 }'
}

fn_sections() {
  runtime
  obj a -fno-PIC <<'C'
void print_hex(unsigned long);
__attribute__((section(".fn1"))) int fn1(void) { return 1; }
__attribute__((section(".fn2"))) int fn2(void) { return 2; }
int main(void) {
  print_hex((unsigned long)fn1);
  print_hex((unsigned long)fn2);
  return fn1() + fn2();
}
C
}

@test "layout: --section-start puts a section of its own name where it is told" {
  fn_sections
  link_both prog rt.o a.o --section-start=.fn1=0x10000000 --section-start=.fn2=0x20000000
  run_both prog
  [ "$status" -eq 3 ]
  [ "${lines[0]}" = 0000000010000000 ]
  [ "${lines[1]}" = 0000000020000000 ]
  # The rest of the program stays where it was: .text is not dragged along.
  [ "$((0x$(section_addr .text prog)))" -lt $((0x10000000)) ]
  [ "$((0x$(section_addr .text prog.bfd)))" -lt $((0x10000000)) ]
}

@test "layout: PT_LOADs stay sorted by address when --section-start reverses two sections" {
  fn_sections
  link_both prog rt.o a.o --section-start=.fn1=0x20000000 --section-start=.fn2=0x10000000
  run_both prog
  [ "${lines[0]}" = 0000000020000000 ]
  [ "${lines[1]}" = 0000000010000000 ]
  load_addrs prog >got
  sort got >want
  diff -u want got
}

@test "layout: -section-start with one dash, and an address without 0x, are GNU ld's" {
  fn_sections
  # GNU ld reads the address as hexadecimal even without 0x.
  link_both prog rt.o a.o -section-start .fn1=10000000 --section-start .fn2=20000000
  run_both prog
  [ "${lines[0]}" = 0000000010000000 ]
}

@test "layout: -Ttext moves .text and the sections after it, as in GNU ld" {
  runtime
  obj a <<'C'
void print(const char *);
const char msg[] = "hello\n";
int counter = 4;
int main(void) { print(msg); return counter; }
C
  link_both prog rt.o a.o -Ttext=0x800000
  run_both prog
  [ "$status" -eq 4 ]
  [ "$(section_addr .text prog)" = 0000000000800000 ]
  # What follows .text (constants, data) follows it to its new place.
  [ "$((0x$(section_addr .rodata prog)))" -gt $((0x800000)) ]
  [ "$((0x$(section_addr .data prog)))" -gt $((0x800000)) ]
  [ "$((0x$(section_addr .data prog.bfd)))" -gt $((0x800000)) ]
  check_layout prog
}

@test "layout: -Ttext just past the start of the code page keeps .init before it" {
  cat >a.c <<'C'
#include <stdio.h>
int main(void) { puts("hi"); return 0; }
C
  dyn_both prog gcc -no-pie a.c -Wl,-Ttext=0x401200
  run_both prog
  [ "$output" = hi ]
  [ "$(section_addr .text prog)" = 0000000000401200 ]
  [ "$(section_addr .init prog)" = "$(section_addr .init prog.bfd)" ]
}

@test "layout: -Tdata and -Tbss move .data and .bss; -Ttext 0x... takes a separate value" {
  runtime
  obj a <<'C'
void print_hex(unsigned long);
int d = 5;
int b;
int main(void) { print_hex((unsigned long)&d); print_hex((unsigned long)&b); return d + b; }
C
  link_both prog rt.o a.o -Tdata=0x800000
  run_both prog
  [ "${lines[0]}" = 0000000000800000 ]
  [ "$(section_addr .bss prog)" = "$(section_addr .bss prog.bfd)" ]
  link_both prog2 rt.o a.o -Tbss 0x900000
  run_both prog2
  [ "${lines[1]}" = 0000000000900000 ]
  link_both prog3 rt.o a.o -Ttext 0x700000
  run ./prog3
  [ "$status" -eq 5 ]
  [ "$(section_addr .text prog3)" = 0000000000700000 ]
}

@test "layout: .tdata at an address its alignment does not allow still finds its variables" {
  cat >a.c <<'C'
#include <stdio.h>
_Thread_local char x1 = 42;
_Thread_local long big __attribute__((aligned(16))) = 7;
_Thread_local int zero;
int main(void) { printf("%d %ld %d\n", x1, big, zero); return 0; }
C
  for start in 0x100001 0x10000f; do
    # A PIE: the dynamic linker lays out the TLS block.
    run gcc -fPIC -pie -B "$MINI_BIN/" a.c -o prog -Wl,--section-start=.tdata=$start
    [ "$status" -eq 0 ]
    run ./prog
    [ "$output" = "42 7 0" ]
    # A static program: the C library does it.
    run gcc -static -B "$MINI_BIN/" a.c -o sprog -Wl,--section-start=.tdata=$start
    [ "$status" -eq 0 ]
    run ./sprog
    [ "$output" = "42 7 0" ]
    [ "$(readelf -lW prog | awk '$1 == "TLS" { print $3 }')" = "$(printf '0x%016x' $start)" ]
  done
}

@test "layout: sections placed on top of each other are an error" {
  asm a <<'S'
	.globl _start
_start:
	ret
	.section .one,"a"
	.quad 1, 2
	.section .two,"a"
	.quad 3
S
  expect_error "mini-ld: section '.two' [0x500008, 0x500010) overlaps section '.one' [0x500000, 0x500010)" \
    a.o --section-start=.one=0x500000 --section-start=.two=0x500008
}

@test "layout: code placed more than 2 GiB away is reached through 64-bit pointers" {
  runtime
  obj a -fno-PIC <<'C'
__attribute__((section(".far"))) int far_fn(int x) { return x + 1; }
int (*volatile ptr)(int) = far_fn;  // R_X86_64_64: any distance
int main(void) { return ptr(41); }
C
  link_both prog rt.o a.o --section-start=.far=0x100000000
  run_both prog
  [ "$status" -eq 42 ]
}

@test "layout: a call that cannot reach a section 4 GiB away is an overflow error" {
  runtime
  obj a -fno-PIC <<'C'
__attribute__((section(".far"), noinline)) int far_fn(int x) { return x + 1; }
int main(void) { return far_fn(41); }
C
  # GNU ld: "relocation truncated to fit: R_X86_64_PLT32 against symbol `far_fn'".
  run -1 "$MINI_LD" rt.o a.o --section-start=.far=0x100000000 -o prog
  [[ "$output" == *"a.o:(.text"*"relocation R_X86_64_PLT32 out of range"*"references 'far_fn'" ]]
  [ ! -e prog ]
}

unique_inputs() {
  asm a <<'S'
	.section .data.foo.1,"aw",@progbits
	.ascii "a"
	.section .data.foo.1,"aw",@progbits
	.ascii "b"
	.section .data.foo.2,"aw",@progbits
	.ascii "c"
	.section .data.bar.1,"aw",@progbits
	.ascii "d"
	.section .zed,"a"
	.ascii "z"
	.text
	.globl _start
_start:
	ret
S
  asm b <<'S'
	.section .data.foo.1,"aw",@progbits
	.ascii "x"
	.section .zed,"a"
	.ascii "y"
S
}

# The allocated output sections of FILE: name and size, one per line, sorted. (An
# empty .bss is left out: GNU ld drops it, mini-ld keeps it.)
alloc_sections() {
  readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '$7 ~ /A/ { print $1, $5 }' |
    grep -v '^\.bss ' | sort
}

@test "layout: -unique=GLOB gives each matching input section its own output section" {
  unique_inputs
  # One dash: GNU ld reads -unique as --unique, not as -u nique.
  link_both prog a.o b.o -unique='*foo*'
  alloc_sections prog.bfd >want
  alloc_sections prog >got
  diff -u want got
  # The two pieces of a.o's .data.foo.1 stay one section; b.o's is another.
  readelf -x .data.foo.1 prog | grep -q '6162 *ab'
  [ "$(readelf -SW prog | grep -c ' \.data\.foo\.1 ')" -eq 2 ]
  readelf -x .data prog | grep -q '64 *d'
}

@test "layout: --unique alone splits the sections no rule merges, like GNU ld's orphans" {
  unique_inputs
  link_both prog a.o b.o --unique
  alloc_sections prog.bfd >want
  alloc_sections prog >got
  diff -u want got
  [ "$(readelf -SW prog | grep -c ' \.zed ')" -eq 2 ]
  [ "$(readelf -SW prog | grep -c ' \.text ')" -eq 1 ]
}

# Text relocations: a.o is not position-independent (an absolute pointer in code).
textrel_inputs() {
  asm a <<'S'
	.text
	.globl fn1
fn1:
	sub $8, %rsp
	movabs ptr, %rax          # R_X86_64_64 in .text
	call *%rax
	add $8, %rsp
	ret
	.section .note.GNU-stack,"",@progbits
S
  cat >b.c <<'C'
#include <stdio.h>
int fn1(void);
int fn2(void) { return 3; }
void *ptr = fn2;
int main(void) { printf("%d\n", fn1()); return 0; }
C
}

@test "textrel: a PIE may patch its code at start-up, with DT_TEXTREL, as with GNU ld" {
  textrel_inputs
  run gcc -pie -B "$MINI_BIN/" a.o b.c -o prog
  [ "$status" -eq 0 ]
  [[ "$output" == *"mini-ld: warning: a.o:(.text+0x6): relocation R_X86_64_64 against 'ptr' in read-only section '.text'; recompile with -fPIE"* ]]
  [[ "$output" == *"mini-ld: warning: creating DT_TEXTREL in a PIE"* ]]
  gcc -pie a.o b.c -o prog.bfd
  run_both prog
  [ "$output" = 3 ]
  readelf -dW prog | grep -q '(TEXTREL)'
  readelf -dW prog | grep -q '(FLAGS).*TEXTREL'
  readelf -dW prog.bfd | grep -q '(FLAGS).*TEXTREL'
}

@test "textrel: -z text makes a relocation in read-only code an error" {
  textrel_inputs
  run gcc -pie -B "$MINI_BIN/" a.o b.c -o prog -Wl,-z,text
  [ "$status" -ne 0 ]
  [[ "$output" == *"mini-ld: a.o:(.text+0x6): relocation R_X86_64_64 against 'ptr' in read-only section '.text' cannot be moved at start-up; recompile with -fPIE"* ]]
  [ ! -e prog ]
  run gcc -pie a.o b.c -o prog.bfd -Wl,-z,text
  [ "$status" -ne 0 ]
}

@test "textrel: a shared library's code may point at a symbol found at run time" {
  textrel_inputs
  dyn_both libt.so gcc -shared a.o
  cat >main.c <<'C'
#include <stdio.h>
int fn1(void);
int fn2(void) { return 5; }
void *ptr = fn2;
int main(void) { printf("%d\n", fn1()); return 0; }
C
  gcc main.c -o prog -L. -lt -Wl,-rpath,"$PWD"
  run ./prog
  [ "$output" = 5 ]
  readelf -dW libt.so | grep -q '(FLAGS).*TEXTREL'
}

# code_pages_alone FILE: the R X PT_LOAD starts on a page of the file, and the next
# PT_LOAD's bytes start on a later page: no page mapped executable holds anything
# but code.
code_pages_alone() {
  readelf -lW "$1" | awk '
    function hex(s,    i, v) {
      v = 0
      s = tolower(substr(s, 3))
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
      return v
    }
    $1 == "LOAD" {
      flags = ""
      for (i = 7; i < NF; i++) flags = flags $i
      off = hex($2); size = hex($5)
      if (after_code && off < code_end) bad = 1
      after_code = 0
      if (flags ~ /E/) {
        if (off % 4096) bad = 1
        code_end = int((off + size + 4095) / 4096) * 4096
        after_code = 1
      }
    }
    END { exit bad }'
}

@test "layout: -z separate-code gives code file pages of its own, as GNU ld's default; -z noseparate-code is our compact default" {
  printf '#include <stdio.h>\nconst char msg[] = "hi";\nint x = 5;\nint main(void) { printf("%%s %%d\\n", msg, x); return 0; }\n' >h.c
  cc -c h.c -o h.o
  cc_both prog gcc h.o -Wl,-z,separate-code
  run_both prog
  [ "$output" = "hi 5" ]
  check_layout prog
  code_pages_alone prog
  code_pages_alone prog.bfd
  # GNU ld does this by default; we do not: the file is not padded.
  gcc -static -B "$MINI_BIN/" h.o -o compact
  ! code_pages_alone compact
  gcc -static -B "$MINI_BIN/" h.o -Wl,-z,separate-code -Wl,-z,noseparate-code -o compact2
  cmp compact compact2
  [ "$(stat -c %s compact)" -lt "$(stat -c %s prog)" ]
  # With a larger page, and in a dynamically linked PIE.
  cc_both prog64 gcc h.o -Wl,-z,separate-code -Wl,-z,max-page-size=0x10000
  run_both prog64
  readelf -lW prog64 | awk '$1 == "LOAD" && $NF != "0x10000" { exit 1 }'
  dyn_both pie gcc -pie -fPIE h.c -Wl,-z,separate-code
  run_both pie
  [ "$output" = "hi 5" ]
  code_pages_alone pie
}

@test "layout: -z common-page-size takes a power of two no larger than the maximum page size, as GNU ld" {
  runtime
  obj a <<'C'
int main(void) { return 3; }
C
  link_both prog rt.o a.o -z common-page-size=0x1000
  run_both prog
  [ "$status" -eq 3 ]
  run -2 "$MINI_LD" rt.o a.o -z common-page-size=0x1001 -o prog2
  [ "$output" = "mini-ld: -z common-page-size: 0x1001 is not a power of two" ]
  run ! ld.bfd rt.o a.o -z common-page-size=0x1001 -o prog2.bfd
  # ... no larger than the maximum page size.
  run ! ld.bfd rt.o a.o -z common-page-size=0x2000 -z max-page-size=0x1000 -o prog3.bfd
  run -2 "$MINI_LD" rt.o a.o -z common-page-size=0x2000 -z max-page-size=0x1000 -o prog3
  [ "$output" = "mini-ld: -z common-page-size: 0x2000 is larger than the maximum page size (0x1000)" ]
  link_both prog4 rt.o a.o -z common-page-size=0x2000 -z max-page-size=0x200000
  run_both prog4
  [ "$status" -eq 3 ]
}

@test "ld: a zero-filled orphan section goes after .bss and before .lbss, as GNU ld puts it" {
  # glibc's __libc_freeres_ptrs is such an orphan, reached with 32-bit offsets: past
  # a .lbss of gigabytes (-mcmodel=medium) they would overflow.
  asm a <<'ASM'
	.globl _start
	.text
_start:	mov $60, %eax
	xor %edi, %edi
	syscall
	.bss
	.zero 16
	.section .lbss,"aw",@nobits
	.zero 4096
	.section my_ptrs,"aw",@nobits
	.zero 32
ASM
  "$MINI_LD" a.o -o ours
  ld.bfd a.o -o gnu
  local want got
  want=$(readelf -SW gnu | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *NOBITS.*/\1/p' | tr '\n' ' ')
  got=$(readelf -SW ours | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) *NOBITS.*/\1/p' | tr '\n' ' ')
  [ "$want" = ".bss my_ptrs .lbss " ]
  [ "$got" = "$want" ]
}
