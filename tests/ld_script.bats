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
