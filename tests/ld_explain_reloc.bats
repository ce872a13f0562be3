#!/usr/bin/env bats
# --explain-reloc=SYM (or =SECTION+OFFSET, =FILE:(SECTION+OFFSET)): each relocation
# against SYM, worked out: type, formula, S, A, P..., the value, the bytes before
# and after. Every value shown is checked against the output itself, as objdump and
# readelf see it, and the symbols' addresses against nm.

bats_require_minimum_version 1.5.0
load helpers

# block PLACE: the lines of the report's block for the relocation at PLACE
# ("s.o:(.text+0x1)"), from $output.
block() {
  awk -v p="$1:" 'index($0, p) == 1 { on = 1 } on && /^$/ { exit } on' <<<"$output"
}

# operand LETTER BLOCK: the value of one letter of the formula ("S = 0x401000").
operand() {
  awk -v n="$1" '$1 == n && $2 == "=" { print $3 }' <<<"$2"
}

# result BLOCK: the value the formula gives, as the field holds it (0x...).
result() {
  sed -n 's/^  value .* = \(0x[0-9a-f]*\).*/\1/p' <<<"$1"
}

# le VALUE N: VALUE as N little-endian bytes, "xxyy..." (how objdump -s shows them).
le() {
  local v=$(($1)) i out=
  for ((i = 0; i < $2; i++)); do
    out+=$(printf '%02x' $(((v >> (8 * i)) & 255)))
  done
  echo "$out"
}

# mem FILE ADDR N: the N bytes at address ADDR of FILE, as objdump -s shows them.
mem() {
  objdump -s --start-address=$(($2)) --stop-address=$(($2 + $3)) "$1" |
    awk -v n="$3" '/^ [0-9a-f]+ / { for (i = 2; i <= NF && $i ~ /^[0-9a-f]+$/ && length($i) <= 8; i++) s = s $i }
                   END { print substr(s, 1, 2 * n) }'
}

# insn FILE ADDR: objdump -d's line for the instruction at ADDR.
insn() {
  objdump -d "$1" | awk -v a="$(printf '%x:' $(($2)))" '$1 == a'
}

# nm_addr FILE SYM: SYM's address in FILE, as 0x... without leading zeros.
nm_addr() {
  printf '0x%x\n' "0x$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')"
}

# A static program whose relocations are all different kinds: PLT32 to a local
# function, REX_GOTPCRELX relaxed (x is in the image) and not (w is undefined weak:
# its GOT slot holds 0), PC32 to a static variable (which the assembler writes
# against .data), 64 in data, and TLS: initial exec, local exec and general dynamic,
# the last two rewritten to local exec. (Not run: nothing sets up %fs.)
static_fixture() {
  asm s <<'EOF'
	.text
	.globl _start
_start:
	call f@PLT
	mov x@GOTPCREL(%rip), %rax
	mov w@GOTPCREL(%rip), %rcx
	lea y(%rip), %rdx
	mov t@gottpoff(%rip), %rax
	mov %fs:0, %rax
	lea t2@tpoff(%rax), %rax
	.byte 0x66
	lea t3@tlsgd(%rip), %rdi
	.value 0x6666
	rex64 call __tls_get_addr@PLT
	mov $60, %eax
	syscall
	.globl f
f:	ret
	.globl __tls_get_addr
__tls_get_addr:
	ret
	.globl unused
unused:	ret
	.weak w
	.data
	.globl x
x:	.quad 1
y:	.quad x
	.section .tbss,"awT",@nobits
t:	.zero 8
t2:	.zero 8
t3:	.zero 8
EOF
}

@test "explain-reloc: PLT32 and 64 in a static link: the values shown are what objdump shows" {
  static_fixture
  run -0 "$MINI_LD" s.o -o s --explain-reloc=f --explain-reloc=x
  [[ ${lines[0]} == "--explain-reloc=f: 1 relocation" ]]

  # call f@PLT: no PLT in a static link, so S is f itself.
  b=$(block 's.o:(.text+0x1)')
  [[ $b == "s.o:(.text+0x1): R_X86_64_PLT32 against 'f'"* ]]
  [[ $b == *"  formula  S + A - P"* ]]
  [[ $b == *"so L = S"* ]]
  S=$(operand S "$b") P=$(operand P "$b") v=$(result "$b")
  [ "$(operand A "$b")" = -4 ]
  [ "$S" = "$(nm_addr s f)" ]
  [ "$P" = "$(printf '0x%x' $(($(nm_addr s _start) + 1)))" ]
  [ "$v" = "$(printf '0x%x' $(((S - 4 - P) & 0xffffffff)))" ]
  [ "$(mem s "$P" 4)" = "$(le "$v" 4)" ]
  [[ $(insn s $((P - 1))) == *"call"*"$(printf '%x' $((S))) <f>"* ]]
  [[ $b == *"  before   00 00 00 00 "* ]]

  # y: .quad x, in .data: S + A.
  b=$(block 's.o:(.data+0x8)')
  [[ $b == "s.o:(.data+0x8): R_X86_64_64 against 'x'"* ]]
  [[ $b == *"  formula  S + A"$'\n'* ]]
  [ "$(result "$b")" = "$(nm_addr s x)" ]
  [ "$(mem s "$(nm_addr s y)" 8)" = "$(le "$(nm_addr s x)" 8)" ]
  [[ $b == *"  before   00 00 00 00 00 00 00 00 "* ]]
}

@test "explain-reloc: a GOT load relaxed to lea, and one kept, with the bytes the rewrite changed" {
  static_fixture
  run -0 "$MINI_LD" s.o -o s --explain-reloc=x --explain-reloc=w

  # mov x@GOTPCREL(%rip), %rax -> lea x(%rip), %rax: the field is S + A - P.
  b=$(block 's.o:(.text+0x8)')
  [[ $b == *"R_X86_64_REX_GOTPCRELX against 'x'"* ]]
  [[ $b == *"  formula  S + A - P"* ]]
  [[ $b == *"own formula is G + GOT + A - P"* ]]
  [[ $b == *"relaxed: mov from the GOT slot (8b) became lea (8d)"* ]]
  [[ $b == *"  before   8b 05 00 00 00 00 "* ]]
  [[ $b == *"  changed  ^^  by the rewrite"* ]]
  S=$(operand S "$b") P=$(operand P "$b") v=$(result "$b")
  [ "$S" = "$(nm_addr s x)" ]
  [ "$(mem s $((P - 2)) 6)" = "8d05$(le "$v" 4)" ]
  [[ $(insn s $((P - 3))) == *"lea "*"# $(printf '%x' $((S))) <x>"* ]]

  # w is undefined and weak: the load stays, from a GOT slot holding 0.
  b=$(block 's.o:(.text+0xf)')
  [[ $b == *"  formula  G + GOT + A - P"* ]]
  G=$(operand G "$b") GOT=$(operand GOT "$b") P=$(operand P "$b") v=$(result "$b")
  slot=$(printf '0x%x' $((GOT + G)))
  [[ $b == *"not relaxed: loads the address from the GOT slot at $slot, which holds 0x0"* ]]
  [ "$(mem s "$P" 4)" = "$(le "$v" 4)" ]
  [[ $(insn s $((P - 3))) == *"mov "*"# ${slot#0x} "* ]]
  [ "$(mem s "$slot" 8)" = 0000000000000000 ]
  [[ $b != *changed* ]]
}

@test "explain-reloc: TLS initial exec and general dynamic rewritten to local exec, and TPOFF32" {
  static_fixture
  run -0 "$MINI_LD" s.o -o s --explain-reloc=t --explain-reloc=t2 --explain-reloc=t3 \
    --explain-reloc=__tls_get_addr
  # The TLS block is 24 bytes (alignment 1): TP is its end, so t is at -24, t2 at
  # -16, t3 at -8, as objdump shows in the rewritten instructions.
  read -r tls_addr tls_size < <(readelf -lW s | awk '$1 == "TLS" { print $3, $6 }')
  [ $((tls_size)) = 24 ]

  b=$(block 's.o:(.text+0x1d)')
  [[ $b == *"R_X86_64_GOTTPOFF against 't'"* ]]
  [[ $b == *"  formula  S + A + 4 - TP"* ]]
  [ "$(operand TP "$b")" = "$(printf '0x%x' $((tls_addr + tls_size)))" ]
  [ "$(result "$b")" = 0xffffffe8 ]
  [[ $b == *"(-24)"* ]]
  [[ $b == *"initial exec (the offset loaded from a GOT slot) became local exec"* ]]
  start=$(nm_addr s _start)
  [[ $(insn s $((start + 0x1a))) == *"48 c7 c0 e8 ff ff ff"*"mov "*'$0xffffffffffffffe8,%rax'* ]]

  b=$(block 's.o:(.text+0x2d)')
  [[ $b == *"R_X86_64_TPOFF32 against 't2'"* ]]
  [[ $b == *"  formula  S + A - TP"* ]]
  [ "$(result "$b")" = 0xfffffff0 ]
  [[ $(insn s $((start + 0x2a))) == *"lea "*"-0x10(%rax),%rax"* ]]

  # General dynamic: 16 bytes rewritten; the field moved 8 bytes on.
  b=$(block 's.o:(.text+0x35)')
  [[ $b == *"R_X86_64_TLSGD against 't3'"* ]]
  [[ $b == *"  formula  S + A + 4 - TP"* ]]
  [ "$(result "$b")" = 0xfffffff8 ]
  [[ $b == *"  before   66 48 8d 3d 00 00 00 00 66 66 48 e8 00 00 00 00 "* ]]
  [[ $b == *"  after    64 48 8b 04 25 00 00 00 00 48 8d 80 f8 ff ff ff "* ]]
  [[ $b == *"  changed  ^^    ^^ ^^ ^^          ^^ ^^ ^^ ^^  by the rewrite"* ]]
  [[ $b == *"the rewrite moved the field 8 bytes"* ]]
  [ "$(mem s $((start + 0x31)) 16)" = 64488b042500000000488d80f8ffffff ]

  # ... which swallowed the call to __tls_get_addr: nothing is stored for it.
  b=$(block 's.o:(.text+0x3d)')
  [[ $b == *"R_X86_64_PLT32 against '__tls_get_addr'"* ]]
  [[ $b == *"  formula  none: nothing is stored here"* ]]
  [[ $b == *"not applied: the TLS rewrite of the sequence before it replaced this call"* ]]
}

@test "explain-reloc: a static variable is found through the section the assembler names" {
  static_fixture
  run -0 "$MINI_LD" s.o -o s --explain-reloc=y
  b=$(block 's.o:(.text+0x16)')
  [[ $b == "s.o:(.text+0x16): R_X86_64_PC32 against '.data' (for 'y', at s.o:(.data+0x8))" ]] ||
    [[ $b == "s.o:(.text+0x16): R_X86_64_PC32 against '.data' (for 'y', at s.o:(.data+0x8))"$'\n'* ]]
  [ "$(operand A "$b")" = 4 ]
  P=$(operand P "$b") v=$(result "$b")
  [ "$(mem s "$P" 4)" = "$(le "$v" 4)" ]
  [[ $(insn s $((P - 3))) == *"lea "*"# $(nm_addr s y | cut -c3-) <y>"* ]]
}

# A PIE against a shared library: a call through the PLT, a GOT load the dynamic
# linker fills (GLOB_DAT) and one relaxed, a pointer moved at start-up (RELATIVE),
# one to the library's variable (R_X86_64_64), and general dynamic TLS rewritten to
# initial exec (TPOFF64).
pie_fixture() {
  cat >tw.c <<'C'
int counter = 5;
__thread int tv = 7;
int twice(int x) { return 2 * x + counter; }
C
  cc -shared -fPIC tw.c -o libtw.so
  asm m <<'EOF'
	.text
	.globl _start
_start:
	call twice@PLT
	mov counter@GOTPCREL(%rip), %rax
	mov mine@GOTPCREL(%rip), %rcx
	.byte 0x66
	lea tv@tlsgd(%rip), %rdi
	.value 0x6666
	rex64 call __tls_get_addr@PLT
	mov $60, %eax
	syscall
	.globl __tls_get_addr
__tls_get_addr:
	ret
	.data
	.globl mine
mine:	.quad mine
	.quad counter
EOF
}

# dyn_reloc FILE ADDR: the type readelf -r gives the dynamic relocation at ADDR.
dyn_reloc() {
  readelf -rW "$1" | awk -v a="$(printf '%016x' $(($2)))" '$1 == a { print $3 }'
}

@test "explain-reloc: a PIE: PLT, GOT loads kept and relaxed, RELATIVE, TLS to initial exec" {
  pie_fixture
  run -0 "$MINI_LD" -pie m.o libtw.so -o m --explain-reloc=twice --explain-reloc=counter \
    --explain-reloc=mine --explain-reloc=tv

  b=$(block 'm.o:(.text+0x1)')
  [[ $b == *"R_X86_64_PLT32 against 'twice'"* ]]
  [[ $b == *"S   = "*"the PLT entry of 'twice' (libtw.so)"* ]]
  S=$(operand S "$b") P=$(operand P "$b") v=$(result "$b")
  [[ $(insn m $((P - 1))) == *"call"*"$(printf '%x' $((S))) <twice@plt>"* ]]
  [ "$(mem m "$P" 4)" = "$(le "$v" 4)" ]

  b=$(block 'm.o:(.text+0x8)')
  [[ $b == *"R_X86_64_REX_GOTPCRELX against 'counter'"* ]]
  [[ $b == *"  formula  G + GOT + A - P"* ]]
  slot=$(printf '0x%x' $(($(operand GOT "$b") + $(operand G "$b"))))
  [[ $b == *"not relaxed: loads the address from the GOT slot at $slot"*"R_X86_64_GLOB_DAT"* ]]
  [ "$(dyn_reloc m "$slot")" = R_X86_64_GLOB_DAT ]
  P=$(operand P "$b") v=$(result "$b")
  [[ $(insn m $((P - 3))) == *"mov "*"# ${slot#0x} "* ]]
  [ "$(mem m "$P" 4)" = "$(le "$v" 4)" ]

  b=$(block 'm.o:(.data+0x8)')
  [[ $b == *"R_X86_64_64 against 'counter'"* ]]
  [[ $b == *"'counter', in libtw.so: known at run time only"* ]]
  [[ $b == *"R_X86_64_64 in .rela.dyn writes 'counter''s run-time address here"* ]]
  [ "$(dyn_reloc m "$(nm_addr m mine)" )" = R_X86_64_RELATIVE ]
  [ "$(dyn_reloc m $(($(nm_addr m mine) + 8)))" = R_X86_64_64 ]

  b=$(block 'm.o:(.text+0xf)')
  [[ $b == *"relaxed: mov from the GOT slot (8b) became lea (8d)"* ]]
  [[ $(insn m $(($(operand P "$b") - 3))) == *"lea "*"# $(nm_addr m mine | cut -c3-) <mine>"* ]]

  b=$(block 'm.o:(.data+0x0)')
  [[ $b == *"R_X86_64_RELATIVE in .rela.dyn adds the load address"* ]]
  [ "$(result "$b")" = "$(nm_addr m mine)" ]

  b=$(block 'm.o:(.text+0x17)')
  [[ $b == *"R_X86_64_TLSGD against 'tv'"* ]]
  [[ $b == *"  formula  G + GOT - P - 4"* ]]
  [[ $b == *"'tv' is in libtw.so: the sequence became initial exec"* ]]
  slot=$(printf '0x%x' $(($(operand GOT "$b") + $(operand G "$b"))))
  [ "$(dyn_reloc m "$slot")" = R_X86_64_TPOFF64 ]
  P=$(operand P "$b") v=$(result "$b")
  [[ $(insn m $((P - 3))) == *"add "*"# ${slot#0x} "* ]]
  [ "$(mem m "$P" 4)" = "$(le "$v" 4)" ]
}

@test "explain-reloc: a place, as SECTION+OFFSET or FILE:(SECTION+OFFSET), also inside the field" {
  static_fixture
  run -0 --separate-stderr "$MINI_LD" s.o -o s --explain-reloc=.text+0x1 --explain-reloc='s.o:(.text+0x3)' \
    --explain-reloc='.data+8' --explain-reloc=.text+0x5
  [[ $output == *"--explain-reloc=.text+0x1: 1 relocation"$'\n\n'"s.o:(.text+0x1): R_X86_64_PLT32 against 'f'"* ]]
  [[ $output == *"--explain-reloc=s.o:(.text+0x3): 1 relocation"$'\n\n'"s.o:(.text+0x1): R_X86_64_PLT32 against 'f'"* ]]
  [[ $output == *"--explain-reloc=.data+8: 1 relocation"$'\n\n'"s.o:(.data+0x8): R_X86_64_64 against 'x'"* ]]
  [[ $output == *"--explain-reloc=.text+0x5: no relocation patches .text+0x5 in any input file"* ]]
  [ "$stderr" = "" ]
}

@test "explain-reloc: a symbol nothing refers to is said so; an unknown one is a warning" {
  static_fixture
  run -0 --separate-stderr "$MINI_LD" s.o -o s --explain-reloc=unused --explain-reloc=nosuch \
    --explain-reloc='t.o:(.text+0x0)'
  unused=$(nm_addr s unused)
  off=$(printf '0x%x' $((unused - $(nm_addr s _start))))
  [ "$output" = "--explain-reloc=unused: no relocation refers to 'unused' (defined at s.o:(.text+$off), address $unused)" ]
  [ "${stderr_lines[0]}" = "mini-ld: warning: --explain-reloc: no symbol 'nosuch' in this link" ]
  [ "${stderr_lines[1]}" = "mini-ld: warning: --explain-reloc: no input section '.text' in t.o in this link" ]
  [ -x s ]
}

@test "explain-reloc: C++ names are found as C++ writes them, in file order" {
  cat >a.cc <<'CC'
namespace ns { int f(int x) { return x + 1; } }
CC
  cat >b.cc <<'CC'
namespace ns { int f(int); }
int g() { return ns::f(1); }
CC
  cat >c.cc <<'CC'
namespace ns { int f(int); }
extern "C" int _start() { return ns::f(2); }
CC
  for n in a b c; do
    g++ "${CFLAGS_FREE[@]}" -fno-exceptions -c $n.cc -o $n.o
  done
  run -0 "$MINI_LD" c.o a.o b.o -o p --explain-reloc='ns::f(int)' --explain-reloc=ns::f \
    --explain-reloc=_ZN2ns1fEi
  # Each form finds the same two calls, c.o's before b.o's (the command line's order).
  [ "$(grep -c '^--explain-reloc=.*: 2 relocations$' <<<"$output")" = 3 ]
  mapfile -t heads < <(grep -E '^[bc]\.o:' <<<"$output")
  [ ${#heads[@]} = 6 ]
  [[ ${heads[0]} == "c.o:(.text+"*"): R_X86_64_PLT32 against 'ns::f(int)'" ]]
  [[ ${heads[1]} == "b.o:(.text+"*"): R_X86_64_PLT32 against 'ns::f(int)'" ]]
  [ "${heads[2]}" = "${heads[0]}" ] && [ "${heads[3]}" = "${heads[1]}" ]
}

@test "explain-reloc: a value that does not fit is explained, and the link fails" {
  asm o <<'EOF'
	.globl _start
_start:	ret
	.data
	.long far
EOF
  run -1 --separate-stderr "$MINI_LD" o.o -o o --defsym far=0x100000000 --explain-reloc=far
  [[ $output == *"o.o:(.data+0x0): R_X86_64_32 against 'far'"* ]]
  [[ $output == *"  overflow 4294967296 is not in [0, 4294967295]: nothing is stored, and the link fails"* ]]
  [[ $stderr == *"relocation R_X86_64_32 out of range"* ]]
  [ ! -e o ]
}

@test "explain-reloc: usage errors: no value, and -r" {
  static_fixture
  run -2 --separate-stderr "$MINI_LD" s.o -o s --explain-reloc=
  [ "$stderr" = "mini-ld: --explain-reloc: no symbol or place given" ]
  run -2 --separate-stderr "$MINI_LD" -r s.o -o r.o --explain-reloc=f
  [ "$stderr" = "mini-ld: --explain-reloc and -r may not be used together: -r applies no relocation" ]
}

@test "explain-reloc: a call to an IFUNC goes to its stub; asking changes nothing in the output" {
  asm i <<'EOF2'
	.text
	.globl _start
_start:
	call pick@PLT
	ret
	.type pick, @gnu_indirect_function
	.globl pick
pick:	lea impl(%rip), %rax
	ret
impl:	ret
EOF2
  run -0 "$MINI_LD" i.o -o i --explain-reloc=pick
  b=$(block 'i.o:(.text+0x1)')
  [[ $b == *"S   = "*"the IFUNC stub of 'pick' in .iplt"* ]]
  [[ $b == *"here 'pick''s IFUNC stub, which jumps to the implementation its resolver chose"* ]]
  S=$(operand S "$b") P=$(operand P "$b")
  stub=$(readelf -SW i | sed 's/^ *\[ *[0-9]*\] //' | awk '$1 == ".iplt" { print "0x" $3 }')
  [ "$S" = "$(printf '0x%x' $((stub)))" ]
  [[ $(insn i $((P - 1))) == *"call"*"$(printf '%x' $((S)))"* ]]
  # The report reads the link; it never changes it.
  run -0 "$MINI_LD" i.o -o i2
  cmp i i2
}

@test "explain-reloc: the report is the same on one thread as on four (glibc, static)" {
  cat >h.c <<'C'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { printf("%zu\n", strlen(argv[0])); return argc - 1; }
C
  gcc -c h.c -o h.o
  for n in 1 4; do
    run -0 gcc -static -B "$MINI_BIN/" h.o -o h$n -Wl,--threads=$n -Wl,--explain-reloc=strlen \
      -Wl,--explain-reloc=memcpy
    echo "$output" >report$n
  done
  [ "$(grep -c ': R_X86_64_' report1)" -gt 20 ]
  cmp report1 report4
  cmp h1 h4
  run -0 ./h1
}
