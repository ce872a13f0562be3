#!/usr/bin/env bats
# Linker scripts (-T, --script, and scripts given as inputs) and the expression
# language they share with --defsym. Each link is compared with GNU ld's: the
# program's output and exit status, and the readelf facts the script is about.

load helpers

# The value of symbol NAME in ELF file FILE, as nm prints it.
sym_value() {
  nm "$2" | awk -v n="$1" '$3 == n { print $1; exit }'
}

# Every symbol named in NAMES... has the same value in OUT and OUT.bfd.
same_values() {
  local out=$1 name
  shift
  for name in "$@"; do
    local ours theirs
    ours=$(sym_value "$name" "$out")
    theirs=$(sym_value "$name" "$out.bfd")
    if [ -z "$ours" ] || [ "$ours" != "$theirs" ]; then
      echo "$name: mini-ld '$ours', ld.bfd '$theirs'" >&2
      return 1
    fi
  done
}

# A program that prints the values of the symbols a script or --defsym defines.
values_program() {
  runtime
  obj main <<'C'
void print_hex(unsigned long);
extern char bar[], sym_a[], sym_b[], sym_c[], sym_d[], sym_e[];
int main(void) {
  print_hex((unsigned long)sym_a);
  print_hex((unsigned long)sym_b - (unsigned long)bar);  // addresses differ
  print_hex((unsigned long)sym_c);
  print_hex((unsigned long)sym_d);
  print_hex((unsigned long)sym_e);
  return 0;
}
C
  asm data <<'S'
	.data
	.globl bar
	.p2align 4
bar:	.quad 1
S
}

@test "script: --defsym takes GNU ld's expression language" {
  values_program
  link_both prog rt.o main.o data.o \
    --defsym 'sym_a=(4K + 0x10) * 2 - 1' \
    --defsym 'sym_b=bar + (1 << 4)' \
    --defsym 'sym_c=(ALIGN(bar + 1, 0x100) & 0xff) | 017' \
    --defsym 'sym_d=MAX(1, 2) == 2 ? 1M / 3 % 1000 : 5' \
    --defsym 'sym_e=~0 >> 60 | -2 & CONSTANT(MAXPAGESIZE)'
  run_both prog
  [ "${lines[0]}" = 000000000000201f ]
  [ "${lines[1]}" = 0000000000000010 ]
  [ "${lines[2]}" = 000000000000000f ]
  [ "${lines[3]}" = 000000000000020d ]
  [ "${lines[4]}" = 000000000000100f ]
  same_values prog sym_a sym_c sym_d sym_e
}

@test "script: --defsym reports a bad expression with what was expected" {
  values_program
  run -2 "$MINI_LD" rt.o main.o data.o --defsym 'sym_a=(1 + 2' -o prog
  [ "$output" = "mini-ld: --defsym:1: expected ')' to close the parenthesis, not the end of the file" ]
  run -1 "$MINI_LD" rt.o main.o data.o --defsym 'sym_a=1 / (bar - bar)' \
    --defsym sym_b=1 --defsym sym_c=1 --defsym sym_d=1 --defsym sym_e=1 -o prog
  [ "$output" = "mini-ld: --defsym:1: division by zero" ]
}

@test "script: assignments in an input script define symbols; PROVIDE yields to the program's own" {
  values_program
  cat >syms.ld <<'LD'
/* symbols for the program */
sym_a = 0x1234;
sym_b = bar + 8;
sym_c = sym_a * 2;
sym_c += 1;
PROVIDE(sym_d = 0x77);
PROVIDE(sym_e = 0x88);
PROVIDE(unused = 0x99);
LD
  asm own <<'S'
	.globl sym_e
	.set sym_e, 0x4242
S
  link_both prog rt.o main.o data.o own.o syms.ld
  run_both prog
  [ "${lines[0]}" = 0000000000001234 ]
  [ "${lines[1]}" = 0000000000000008 ]
  [ "${lines[2]}" = 0000000000002469 ]
  [ "${lines[3]}" = 0000000000000077 ]
  [ "${lines[4]}" = 0000000000004242 ]
  same_values prog sym_a sym_c sym_d
  # PROVIDE defines nothing that nobody uses.
  [ -z "$(sym_value unused prog)" ]
  [ -z "$(sym_value unused prog.bfd)" ]
}

@test "script: -T without SECTIONS keeps the built-in layout, and its ENTRY is the entry point" {
  runtime
  asm start2 <<'S'
	.text
	.globl start2
start2:	mov $60, %eax
	mov $7, %edi
	syscall
S
  cat >entry.ld <<'LD'
ENTRY(start2)
OUTPUT_FORMAT(elf64-x86-64)
OUTPUT_ARCH(i386:x86-64)
LD
  link_both prog start2.o -T entry.ld
  run_both prog
  [ "$status" -eq 7 ]
  [ "$(readelf -hW prog | awk '/Entry point/ { print $4 }')" = "0x$(sym_value start2 prog | sed 's/^0*//')" ]
  # -e wins over ENTRY, as in GNU ld.
  link_both prog2 rt.o start2.o -T entry.ld -e _start --defsym main=start2
  [ "$(readelf -hW prog2 | awk '/Entry point/ { print $4 }')" = "0x$(sym_value _start prog2 | sed 's/^0*//')" ]
}

@test "script: INCLUDE reads another script, and ASSERT stops the link with its message" {
  values_program
  cat >inner.ld <<'LD'
sym_a = 1; sym_b = bar + 2; sym_c = 3; sym_d = 4; sym_e = 5;
LD
  cat >outer.ld <<'LD'
INCLUDE inner.ld
ASSERT(sym_a + sym_c == 4, "sums are wrong")
LD
  link_both prog rt.o main.o data.o -T outer.ld
  run_both prog
  [ "${lines[4]}" = 0000000000000005 ]
  cat >fail.ld <<'LD'
INCLUDE inner.ld

ASSERT(sym_e < 5, "sym_e is too big")
LD
  expect_error "mini-ld: fail.ld:3: sym_e is too big" rt.o main.o data.o -T fail.ld
}

@test "script: syntax errors name FILE:LINE and what was expected" {
  values_program
  printf 'sym_a = 1;\n\nsym_b = (2 + ;\n' >e1.ld
  expect_error "mini-ld: e1.ld:3: expected an expression, not ';'" rt.o main.o -T e1.ld
  printf 'SECTIONS\n{\n  .text : { *(.text) \n' >e2.ld
  expect_error "mini-ld: e2.ld:4: expected '}' to close output section '.text', not the end of the file" \
    rt.o main.o -T e2.ld
  printf 'sym_a = 1;\nFROB(x)\n' >e3.ld
  expect_error "mini-ld: e3.ld:2: unknown linker script command 'FROB'" rt.o main.o -T e3.ld
  printf 'OUTPUT_FORMAT(elf32-i386)\n' >e4.ld
  expect_error "mini-ld: e4.ld:1: output format 'elf32-i386' is not supported (only elf64-x86-64)" \
    rt.o main.o -T e4.ld
  printf 'sym_a = 1;\n/* not closed\n' >e5.ld
  expect_error "mini-ld: e5.ld:2: unclosed comment" rt.o main.o -T e5.ld
  printf 'sym_a = ALIGN(8;\n' >e6.ld
  expect_error "mini-ld: e6.ld:1: expected ')' to close ALIGN(, not ';'" rt.o main.o -T e6.ld
  # The same files make GNU ld fail too.
  for f in e1 e2 e3 e4 e5 e6; do
    run ld.bfd rt.o main.o -T $f.ld -o bfd.out
    [ "$status" -ne 0 ]
  done
}

@test "script: a missing -T file is an error, and -T finds a script in the library path" {
  values_program
  expect_error "mini-ld: nowhere.ld: cannot open: No such file or directory" rt.o main.o -T nowhere.ld
  mkdir -p dir
  printf 'sym_a = 1; sym_b = bar + 2; sym_c = 3; sym_d = 4; sym_e = 5;\n' >dir/in-path.ld
  link_both prog rt.o main.o data.o -L dir -T in-path.ld
  run_both prog
  [ "${lines[1]}" = 0000000000000002 ]
}

@test "script: VERSION in a script gives a shared library's symbol versions" {
  cat >lib.c <<'C'
void foo(void) {}
void bar(void) {}
C
  cc -fPIC -c lib.c -o lib.o
  printf 'VERSION {\n  ver_a { global: foo; };\n  ver_b { global: bar; local: *; };\n}\n' >v.ld
  run "$MINI_LD" -shared -o lib.so lib.o v.ld
  [ "$status" -eq 0 ]
  ld.bfd -shared -o lib.so.bfd lib.o v.ld
  [ "$(readelf --dyn-syms -W lib.so | grep -o 'foo@@ver_a\|bar@@ver_b' | sort)" = \
    "$(readelf --dyn-syms -W lib.so.bfd | grep -o 'foo@@ver_a\|bar@@ver_b' | sort)" ]
  [ "$(readelf --dyn-syms -W lib.so | grep -c '@@ver_')" -eq 2 ]
}

# "NAME ADDRESS SIZE" for each section NAME... of FILE, as readelf prints them.
section_facts() {
  local file=$1
  shift
  readelf -SW "$file" | sed 's/^ *\[ *[0-9]*\] *//' |
    awk -v want=" $* " 'index(want, " " $1 " ") { print $1, $3, $5 }'
}

# The program headers of FILE: type, offset, address, sizes, flags (not p_paddr,
# where GNU ld's headers-only segment has a value of its own).
segments_of() {
  readelf -lW "$1" | awk '/^  [A-Z]/ && $1 != "Type" { $4 = ""; print }'
}

# The same section facts and program headers as GNU ld's.
same_layout() {
  local out=$1
  shift
  diff -u <(section_facts "$out.bfd" "$@") <(section_facts "$out" "$@")
  diff -u <(segments_of "$out.bfd") <(segments_of "$out")
}

# A freestanding program whose data a script brackets with symbols.
bracket_program() {
  runtime
  obj main <<'C'
void print_hex(unsigned long);
extern char __start_data[], __end_data[], __bss_start[], __bss_end[];
int counter = 41;
long table[4] = {1, 2, 3, 4};
char zeros[100];
int main(void) {
  unsigned long sum = 0;
  for (char *p = __start_data; p < __end_data; p++)
    sum += (unsigned char)*p;
  print_hex(__end_data - __start_data);
  print_hex(sum);
  print_hex(__bss_end - __bss_start);
  return counter + 1;
}
C
}

@test "script: SECTIONS places the sections where it says, with the symbols it defines" {
  bracket_program
  cat >image.ld <<'LD'
ENTRY(_start)
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text .text.*) }
  .rodata : { *(.rodata .rodata.*) }
  . = ALIGN(CONSTANT(MAXPAGESIZE)) + 0x100;
  .data : {
    __start_data = .;
    *(.data .data.*)
    __end_data = .;
  }
  .bss : { __bss_start = .; *(.bss .bss.*) *(COMMON) __bss_end = .; }
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T image.ld
  run_both prog
  [ "$status" -eq 42 ]
  [ "${lines[0]}" = 0000000000000024 ]
  same_layout prog .text .rodata .data .bss
  same_values prog __start_data __end_data __bss_start __bss_end
  [ "$(section_facts prog .data | cut -d' ' -f2)" = 0000000000401100 ]
  # /DISCARD/ removed .comment.
  ! readelf -SW prog | grep -q '\.comment'
  check_layout prog
}

@test "script: AT() gives .data a load address apart from its address, as a ROM image has it" {
  bracket_program
  # (No SIZEOF_HEADERS here: GNU ld's is an estimate made before the layout, which
  # counts one program header too many for this one.)
  cat >rom.ld <<'LD'
SECTIONS
{
  . = 0x401000;
  .text : { *(.text) *(.rodata .rodata.*) }
  .data 0x800000 : AT(ALIGN(LOADADDR(.text) + SIZEOF(.text), 16)) {
    __start_data = .; *(.data) __end_data = .;
  }
  data_lma = LOADADDR(.data);
  .bss 0x900000 : { __bss_start = .; *(.bss) *(COMMON) __bss_end = .; }
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T rom.ld
  run_both prog
  [ "$status" -eq 42 ]
  same_layout prog .text .data .bss
  same_values prog data_lma __start_data __bss_end
  # The data segment runs at 0x800000 and is loaded (p_paddr) right after .text.
  [ "$(readelf -lW prog | awk '$1 == "LOAD" && $3 == "0x0000000000800000" { print $4 }')" = \
    "0x$(sym_value data_lma prog)" ]
  # The image by load address, as a boot loader would copy it, is GNU ld's.
  objcopy -O binary prog prog.bin
  objcopy -O binary prog.bfd prog.bfd.bin
  cmp prog.bin prog.bfd.bin
}

@test "script: KEEP keeps a section --gc-sections would drop; /DISCARD/ drops what it names" {
  runtime
  obj main -ffunction-sections <<'C'
__attribute__((section(".keepme"), used)) static const char kept[] = "kept";
__attribute__((section(".dropme"), used)) static const char dropped[] = "dropped";
__attribute__((section(".junk"), used)) static const char junk[] = "junk";
int unused_function(void) { return 7; }
int main(void) { return 5; }
C
  # (Without ENTRY, GNU ld has no entry point to start --gc-sections from.)
  cat >gc.ld <<'LD'
ENTRY(_start)
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text .text.*) }
  .keepme : { KEEP(*(.keepme)) }
  .dropme : { *(.dropme) }
  /DISCARD/ : { *(.junk) *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T gc.ld --gc-sections
  run_both prog
  [ "$status" -eq 5 ]
  same_layout prog .text .keepme .dropme
  readelf -SW prog | grep -q '\.keepme'
  ! readelf -SW prog | grep -q '\.dropme'
  ! readelf -SW prog | grep -q '\.junk'
  [ -z "$(sym_value unused_function prog)" ]
}

@test "script: PROVIDE inside SECTIONS yields to the program's definition" {
  runtime
  obj main <<'C'
void print_hex(unsigned long);
extern char heap_start[], stack_top[];
char stack_top[16] = "own";
int main(void) {
  print_hex(stack_top[0]);
  print_hex((unsigned long)heap_start & 15);
  return 0;
}
C
  cat >provide.ld <<'LD'
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text) *(.rodata*) }
  .data : { *(.data) PROVIDE(stack_top = .); }
  .bss : { *(.bss) PROVIDE(heap_start = ALIGN(16)); }
}
LD
  link_both prog rt.o main.o -T provide.ld
  run_both prog
  [ "${lines[0]}" = 000000000000006f ]
  same_values prog heap_start stack_top
}

@test "script: GNU ld's own built-in script (ld --verbose) links a C program with glibc" {
  ld.bfd --verbose | sed -n '/^==========/,/^==========/p' | sed '1d;$d' >default.ld
  grep -q 'SECTIONS' default.ld
  cat >hello.c <<'C'
#include <stdio.h>
#include <string.h>
__thread int tls_counter = 5;
static int constructed;
__attribute__((constructor)) static void init(void) { constructed = 1; }
int main(int argc, char **argv) {
  char buf[32];
  strcpy(buf, "hello");
  printf("%s %d %d %zu\n", buf, tls_counter, constructed, strlen(argv[0]) > 0);
  return 3;
}
C
  cc_both prog gcc -T default.ld hello.c
  run_both prog
  [ "$status" -eq 3 ]
  [ "$output" = "hello 5 1 1" ]
  readelf -lW prog | grep -q ' TLS '
  check_layout prog
}

@test "script: errors in SECTIONS name the script's line, or the section and region" {
  bracket_program
  printf 'SECTIONS {\n  .text : { *(.text) }\n  . = ALIGN(0x1000);\n  .data : { x = nowhere + 1; *(.data) }\n}\n' >u.ld
  expect_error "mini-ld: u.ld:4: undefined symbol 'nowhere' referenced in expression" \
    rt.o main.o -T u.ld --defsym __start_data=0 --defsym __end_data=0 \
    --defsym __bss_start=0 --defsym __bss_end=0
  printf 'SECTIONS {\n  .text : { *(.text) }\n  . = ALIGN(0x1000);\n  .data : { *(.data) . = . - 8; }\n}\n' >b.ld
  expect_error "mini-ld: b.ld:4: cannot move the location counter backwards (from 0x1024 to 0x101c)" \
    rt.o main.o -T b.ld --defsym __start_data=0 --defsym __end_data=0 \
    --defsym __bss_start=0 --defsym __bss_end=0
  printf 'SECTIONS {\n  .text : { *(.text) } >nowhere\n}\n' >r.ld
  run -1 "$MINI_LD" rt.o main.o -T r.ld -o prog --defsym __start_data=0 --defsym __end_data=0 \
    --defsym __bss_start=0 --defsym __bss_end=0
  [[ "$output" == *"r.ld:2: memory region 'nowhere' is not defined"* ]]
}

@test "script: MEMORY regions place sections (>REGION, AT>REGION) and report an overflow" {
  bracket_program
  cat >mem.ld <<'LD'
MEMORY
{
  rom (rx) : ORIGIN = 0x400000, LENGTH = 64K
  ram (rw!x) : org = 0x600000, l = 4K
}
SECTIONS
{
  .text : { *(.text) *(.rodata*) } >rom
  .bss : { __bss_start = .; *(.bss) *(COMMON) __bss_end = .; } >ram
  .data : { __start_data = .; *(.data) __end_data = .; } >ram AT>rom
  rom_left = ORIGIN(rom) + LENGTH(rom) - LOADADDR(.data) - SIZEOF(.data);
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T mem.ld
  run ./prog
  [ "$status" -eq 42 ]
  [ "${lines[1]}" = 0000000000000033 ]
  section_facts prog .text .data .bss >ours
  section_facts prog.bfd .text .data .bss >theirs
  diff -u theirs ours
  same_values prog __start_data __end_data __bss_start __bss_end rom_left
  # The same segments (GNU ld lists them by load address, we by address, as the
  # gABI asks; under Linux its program then maps .bss over .data).
  diff -u <(segments_of prog.bfd | sort) <(segments_of prog | sort)
  [ "$(readelf -lW prog | awk '$1 == "LOAD" && $3 == "0x0000000000600080" { print $4 }')" = \
    0x0000000000400101 ]
  # Overflowing a region is an error, and says by how much, as GNU ld does.
  sed 's/l = 4K/l = 0x80/' mem.ld >small.ld
  run ld.bfd rt.o main.o -T small.ld -o small.bfd
  [[ "$output" == *"region \`ram' overflowed by 36 bytes"* ]]
  expect_error "mini-ld: section '.data' will not fit in region 'ram': it overflows by 36 bytes" \
    rt.o main.o -T small.ld
}

@test "script: PHDRS names the program headers, and each section says which holds it" {
  bracket_program
  cat >ph.ld <<'LD'
PHDRS
{
  headers PT_PHDR PHDRS;
  text PT_LOAD FILEHDR PHDRS;
  data PT_LOAD FLAGS(6);
  stack PT_GNU_STACK;
}
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text) *(.rodata*) } :text
  . = ALIGN(0x1000);
  .data : { __start_data = .; *(.data) __end_data = .; } :data
  .bss : { __bss_start = .; *(.bss) *(COMMON) __bss_end = .; }
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T ph.ld
  run_both prog
  [ "$status" -eq 42 ]
  # Every program header as GNU ld writes it, p_paddr included.
  diff -u <(readelf -lW prog.bfd | grep '^  [A-Z]') <(readelf -lW prog | grep '^  [A-Z]')
  same_layout prog .text .data .bss
  printf 'PHDRS { text PT_LOAD; }\nSECTIONS { .text : { *(.text) } :nowhere }\n' >bad.ld
  run -1 "$MINI_LD" rt.o main.o -T bad.ld -o bad --defsym __start_data=0 --defsym __end_data=0 \
    --defsym __bss_start=0 --defsym __bss_end=0
  [[ "$output" == *"section '.text' is assigned to program header 'nowhere', which PHDRS does not define"* ]]
}

@test "script: SORT_BY_NAME, SORT_BY_ALIGNMENT, EXCLUDE_FILE and LONG put bytes where GNU ld does" {
  runtime
  cat >parts.s <<'S'
	.section .tab.c,"a"
	.byte 'c'
	.section .tab.a,"a"
	.byte 'a'
	.section .tab.b,"a"
	.byte 'b'
	.section .al.1,"a"
	.byte 1
	.section .al.8,"a"
	.p2align 3
	.byte 8
	.section .al.4,"a"
	.p2align 2
	.byte 4
	.section .note.GNU-stack,"",@progbits
S
  cc -c parts.s -o parts.o
  obj main <<'C'
void print(const char *);
void print_hex(unsigned long);
extern const char tab_start[], tab_end[], al_start[];
extern const unsigned int magic;
int main(void) {
  char buf[8] = {0};
  for (int i = 0; i < tab_end - tab_start && i < 7; i++)
    buf[i] = tab_start[i];
  print(buf);
  print("\n");
  print_hex(al_start[0] * 100 + al_start[4] * 10 + al_start[5]);  // 8, 4, 1
  print_hex(magic);
  return 0;
}
C
  cat >sort.ld <<'LD'
ENTRY(_start)
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(EXCLUDE_FILE(*parts.o) .text) *(.text) }
  .rodata : {
    tab_start = .; KEEP(*(SORT_BY_NAME(.tab.*))) tab_end = .;
    . = ALIGN(8);
    al_start = .; KEEP(*(SORT_BY_ALIGNMENT(.al.*)))
    . = ALIGN(4);
    magic = .; LONG(0xdeadbeef)
    *(.rodata .rodata.*)
  }
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o parts.o -T sort.ld
  run_both prog
  [ "${lines[0]}" = abc ]
  [ "${lines[1]}" = "$(printf '%016x' 841)" ]
  [ "${lines[2]}" = 00000000deadbeef ]
  same_values prog tab_start tab_end al_start magic
  same_layout prog .text .rodata
}

# The built-in layout as --verbose prints it.
builtin_script() {
  "$MINI_LD" --verbose | sed -n '/^=====/,/^=====/p' | sed '1d;$d' >builtin.ld
}

@test "script: --verbose prints the built-in layout as a script that -T links the same way" {
  hello_parts() {
    runtime
    obj main <<'C'
void print(const char *);
const char greeting[] = "hello\n";
int counter = 3;
long space[64];
int main(void) { print(greeting); space[1] = counter; return (int)space[1]; }
C
  }
  hello_parts
  run "$MINI_LD" --verbose
  [ "$status" -eq 0 ]
  [ "${lines[1]}" = "using internal linker script:" ]
  builtin_script
  grep -q '^SECTIONS' builtin.ld
  "$MINI_LD" rt.o main.o -o builtin
  "$MINI_LD" rt.o main.o -T builtin.ld -o scripted
  run ./scripted
  [ "$status" -eq 3 ]
  [ "$output" = hello ]
  # The same sections at the same addresses and file offsets, in segments of the
  # same permissions. (A segment may start a few bytes apart: the built-in layout
  # opens it before aligning its first section, and puts the headers at the image
  # base even when no section shares their page.)
  diff -u <(readelf -SW builtin | grep '^  \[') <(readelf -SW scripted | grep '^  \[')
  diff -u <(readelf -lW builtin | awk '/^  [A-Z]/ { print $1, $(NF - 1) }') \
          <(readelf -lW scripted | awk '/^  [A-Z]/ { print $1, $(NF - 1) }')
  # GNU ld reads it too, and its program runs the same.
  ld.bfd rt.o main.o -T builtin.ld -o scripted.bfd
  run ./scripted.bfd
  [ "$status" -eq 3 ]
}

@test "script: the built-in layout as a script links a C program with glibc, constructors and TLS" {
  builtin_script
  cat >hello.c <<'C'
#include <stdio.h>
__thread int tls_counter = 5;
static int order[4], n;
__attribute__((constructor(200))) static void second(void) { order[n++] = 2; }
__attribute__((constructor(101))) static void first(void) { order[n++] = 1; }
__attribute__((constructor)) static void last(void) { order[n++] = 3; }
int main(void) {
  printf("%d %d%d%d\n", tls_counter, order[0], order[1], order[2]);
  return 4;
}
C
  gcc -static -B "$MINI_BIN/" hello.c -o builtin
  gcc -static -B "$MINI_BIN/" -T builtin.ld hello.c -o scripted
  run ./scripted
  [ "$status" -eq 4 ]
  [ "$output" = "5 123" ]
  run ./builtin
  [ "$output" = "5 123" ]
  # The same output sections in the same order (an empty one, such as
  # .tm_clone_table, is left out of a script's layout, as in GNU ld).
  diff -u <(readelf -SW builtin | awk '/^  \[/ { print $2 }' | grep -v tm_clone) \
          <(readelf -SW scripted | awk '/^  \[/ { print $2 }')
}

@test "script: an expression nested or chained without end is an error, not a crash" {
  values_program
  awk 'BEGIN { s = "sym_a = "; for (i = 0; i < 100000; i++) s = s "("; s = s "1"; for (i = 0; i < 100000; i++) s = s ")"; print s ";" }' >deep.ld
  expect_error "mini-ld: deep.ld:1: expression nested too deeply" rt.o main.o -T deep.ld
  awk 'BEGIN { s = "sym_a = 1"; for (i = 0; i < 100000; i++) s = s " + 1"; print s ";" }' >long.ld
  expect_error "mini-ld: long.ld:1: expression too long" rt.o main.o -T long.ld
  awk 'BEGIN { s = "sym_a = 1"; for (i = 0; i < 100000; i++) s = s " ? 1 : 1"; print s ";" }' >cond.ld
  expect_error "mini-ld: cond.ld:1: expression nested too deeply" rt.o main.o -T cond.ld
  awk 'BEGIN { s = "INPUT("; for (i = 0; i < 100000; i++) s = s "AS_NEEDED("; print s }' >needed.ld
  expect_error "mini-ld: needed.ld:1: AS_NEEDED nested too deeply" rt.o main.o -T needed.ld
  printf 'INCLUDE self.ld\n' >self.ld
  expect_error "mini-ld: self.ld:1: INCLUDE nested too deeply" rt.o main.o -T self.ld
}

@test "script: OUTPUT names the output unless -o does; EXTERN loads a member; HIDDEN symbols stay inside" {
  values_program
  cat >lib.c <<'C'
int pulled_in(void) { return 1; }
C
  cc -c lib.c -o lib.o
  rm -f libx.a
  ar rcs libx.a lib.o
  cat >out.ld <<'LD'
OUTPUT(named-by-script)
EXTERN(pulled_in)
sym_a = 1; sym_b = bar; sym_c = 3; sym_d = 4;
HIDDEN(sym_e = 5);
LD
  run "$MINI_LD" rt.o main.o data.o -T out.ld libx.a
  [ "$status" -eq 0 ]
  mv named-by-script ours
  ld.bfd rt.o main.o data.o -T out.ld libx.a
  [ -x named-by-script ]
  [ -n "$(sym_value pulled_in ours)" ]
  [ -n "$(sym_value pulled_in named-by-script)" ]
  # sym_e is in the symbol table as a local, like GNU ld's.
  [ "$(readelf -sW ours | awk '$8 == "sym_e" { print $5 }')" = LOCAL ]
  [ "$(readelf -sW named-by-script | awk '$8 == "sym_e" { print $5 }')" = LOCAL ]
  run "$MINI_LD" rt.o main.o data.o -T out.ld libx.a -o given
  [ "$status" -eq 0 ]
  [ -x given ]
  run ./given
  [ "${lines[4]}" = 0000000000000005 ]
}

@test "script: =FILL and FILL() fill the gaps of an output section with GNU ld's pattern" {
  bracket_program
  cat >fill.ld <<'LD'
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text) . = ALIGN(64); BYTE(1) . += 5; } =0x90909090
  .rodata : { *(.rodata*) FILL(0xabcd); . = ALIGN(32); LONG(7) . += 3; }
  . = ALIGN(0x1000);
  .data : { __start_data = .; *(.data) __end_data = .; }
  .bss : { __bss_start = .; *(.bss) *(COMMON) __bss_end = .; }
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T fill.ld
  run_both prog
  [ "$status" -eq 42 ]
  same_layout prog .text .rodata .data
  for sec in .text .rodata; do
    objcopy -O binary -j $sec prog ours.bin
    objcopy -O binary -j $sec prog.bfd theirs.bin
    cmp ours.bin theirs.bin
  done
  # The padding is the pattern, not zeros.
  objcopy -O binary -j .rodata prog ours.bin
  od -An -tx1 ours.bin | tr -d ' \n' | grep -q 'abcdabcd'
}
