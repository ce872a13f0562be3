#!/usr/bin/env bats
# -r: relocatable output. mini-ld combines objects into one ET_REL, and that object
# must link (with mini-ld, GNU ld and lld) into a program that runs like one linked
# from the original objects.

bats_require_minimum_version 1.5.0
load helpers

two_files() {
  cat >a.c <<'C'
#include <stdio.h>
static const char *greeting = "hello";
int counter;                     /* a tentative definition: COMMON with -fcommon */
void hello(const char *who) { printf("%s, %s %d\n", greeting, who, ++counter); }
C
  cat >b.c <<'C'
void hello(const char *who);
int main(void) { hello("world"); hello("again"); return 3; }
C
  gcc -O1 -g -fcommon -c a.c b.c
}

# The names of an object's sections, sorted.
section_names() {
  readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\).*/\1/p' | sort
}

# Links OBJ into a program with each of mini-ld, GNU ld and lld; each must print
# WANT and exit with STATUS.
links_everywhere() {
  local obj=$1 want=$2 want_status=$3 ld
  for ld in mini bfd lld; do
    case $ld in
      mini) gcc -B "$MINI_BIN/" "$obj" -o "prog.$ld" ;;
      *) gcc -fuse-ld=$ld "$obj" -o "prog.$ld" ;;
    esac
    run "./prog.$ld"
    [ "$output" = "$want" ] || { echo "$ld: got '$output'" >&2; return 1; }
    [ "$status" -eq "$want_status" ] || { echo "$ld: exit status $status" >&2; return 1; }
  done
}

@test "relocatable: -r combines objects into one that links and runs like them" {
  two_files
  run "$MINI_LD" -r a.o b.o -o ab.o
  [ "$status" -eq 0 ]
  [ "$(readelf -hW ab.o | awk '/Type:/ { print $2 }')" = REL ]
  links_everywhere ab.o "hello, world 1
hello, again 2" 3
  # What stays for the final link: COMMON, undefined printf, a relocation per
  # reference, and the debug information, still readable.
  readelf -sW ab.o | grep -Eq ' COM +counter$'
  readelf -sW ab.o | grep -Eq 'GLOBAL DEFAULT +UND printf$'
  readelf -rW ab.o | grep -q 'R_X86_64_PLT32 .* hello - 4'
  objdump --dwarf=info ab.o 2>&1 >/dev/null | { ! grep -q Warning; }
  gdb -batch -ex 'info line b.c:2' ab.o | grep -q 'Line 2 of "b.c"'
  # --relocatable is -r; gcc -r passes it to the linker; two runs give the same bytes.
  "$MINI_LD" --relocatable a.o b.o -o ab2.o
  cmp ab.o ab2.o
  gcc -B "$MINI_BIN/" -r a.o b.o -o ab3.o
  cmp ab.o ab3.o
}

@test "relocatable: sections keep their names, and their relocations move with them" {
  cat >c.c <<'C'
int x1 = 1, x2 = 2;
int *table[] = {&x1, &x2, &x1};
__attribute__((section(".text.special"))) int special(void) { return *table[1]; }
C
  cat >d.c <<'C'
extern int *table[];
int special(void);
int main(void) { return *table[0] + *table[2] + special() * 10; }
C
  gcc -O1 -ffunction-sections -fdata-sections -fno-pic -c c.c d.c
  "$MINI_LD" -r c.o d.o -o cd.o
  ld.bfd -r c.o d.o -o cd.bfd.o
  # The same sections as GNU ld's -r, by name, and in a final link the same result.
  diff <(section_names cd.o) <(section_names cd.bfd.o)
  gcc -no-pie -B "$MINI_BIN/" cd.o -o prog
  run ./prog
  [ "$status" -eq 22 ]
  gcc -no-pie cd.o -o prog.bfd
  run ./prog.bfd
  [ "$status" -eq 22 ]
}

@test "relocatable: an archive gives only the members something needs (and -u, --whole-archive)" {
  cat >m.c <<'C'
void foo(void);
int main(void) { foo(); return 0; }
C
  echo 'void bar(void); void foo(void) { bar(); }' | gcc -c -x c - -o foo.o
  echo 'void bar(void) {}' | gcc -c -x c - -o bar.o
  echo 'void baz(void) {}' | gcc -c -x c - -o baz.o
  gcc -c m.c
  ar rcs libx.a foo.o bar.o baz.o
  "$MINI_LD" -r m.o libx.a -o r.o
  readelf -sW r.o | grep -q ' foo$'
  readelf -sW r.o | grep -q ' bar$'
  ! readelf -sW r.o | grep -q ' baz$'
  "$MINI_LD" -r m.o -u baz libx.a -o r2.o
  readelf -sW r2.o | grep -q ' baz$'
  "$MINI_LD" -r --whole-archive libx.a -o r3.o
  [ "$(readelf -sW r3.o | grep -cE ' (foo|bar|baz)$')" -eq 3 ]
}

@test "relocatable: C++ COMDAT groups stay groups, exceptions still unwind" {
  cat >t.h <<'C'
#include <stdexcept>
#include <string>
template <typename T> T twice(T x) { if (x < 0) throw std::runtime_error("negative"); return x + x; }
C
  cat >e.cc <<'C'
#include "t.h"
int use_e(int x) { return twice(x); }
C
  cat >f.cc <<'C'
#include "t.h"
#include <iostream>
int use_e(int);
int main() {
  try { use_e(-1); } catch (const std::exception &e) { std::cout << "caught " << e.what() << "\n"; }
  std::cout << twice(4) + use_e(5) << "\n";
}
C
  g++ -O0 -c e.cc f.cc
  "$MINI_LD" -r e.o f.o -o ef.o
  # Both objects instantiated twice<int> and refer to the C++ personality routine:
  # one copy of each group is kept, still a group.
  [ "$(readelf -gW f.o | grep -c 'COMDAT group section .*\[_Z5twiceIiET_S0_\]')" -eq 1 ]
  [ "$(readelf -gW ef.o | grep -c 'COMDAT group section .*\[_Z5twiceIiET_S0_\]')" -eq 1 ]
  [ "$(readelf -gW ef.o | grep -c 'COMDAT group section .*\[DW.ref.__gxx_personality_v0\]')" -eq 1 ]
  for ld in mini bfd lld; do
    case $ld in
      mini) g++ -B "$MINI_BIN/" ef.o -o "prog.$ld" ;;
      *) g++ -fuse-ld=$ld ef.o -o "prog.$ld" ;;
    esac
    run "./prog.$ld"
    [ "$output" = "caught negative
18" ]
  done
  # The group still works as one in the final link: next to f.o, which has its own
  # copy, one is kept and nothing is defined twice.
  "$MINI_LD" -r e.o -o e2.o
  g++ -B "$MINI_BIN/" f.o e2.o -o prog2
  run ./prog2
  [ "$output" = "caught negative
18" ]
}

@test "relocatable: mergeable strings stay mergeable, and the stack stays non-executable" {
  cat >s.s <<'ASM'
	.section .rodata.str1.1,"aMS",@progbits,1
first:	.asciz "Hello "
	.section .rodata.str1.1,"aMS",@progbits,1
second:	.asciz "World "
	.section .note.GNU-stack,"",@progbits
ASM
  cc -c s.s -o s.o
  "$MINI_LD" -r s.o -o s2.o
  readelf -SW s2.o | grep -Eq '\.rodata\.str1\.1 .* AMS '
  readelf -W -p .rodata.str1.1 s2.o | grep -Eq '\[ +0\] +Hello'
  readelf -W -p .rodata.str1.1 s2.o | grep -Eq '\[ +7\] +World'
  readelf -SW s2.o | grep -q '\.note\.GNU-stack'
}

@test "relocatable: more than 65,280 sections use the extended section numbering" {
  { seq 1 70000 | sed 's/.*/.section .data.&,"aw"\n.globl x&\nx&: .word &/'
    echo '.section .note.GNU-stack,"",@progbits'; } >many.s
  cc -c many.s -o many.o
  cat >main.c <<'C'
extern short x1, x69999;
int main(void) { return x69999 - 69999 + x1 - 1 + 5; }
C
  gcc -c main.c
  "$MINI_LD" -r many.o main.o -o big.o
  # e_shnum is 0 and the count is in section 0; symbols past 0xff00 use SHN_XINDEX.
  [ "$(readelf -hW big.o | awk '/Number of section headers/ { print $5 }')" = "0" ]
  readelf -SW big.o | grep -q '\.data\.69999 '
  readelf -sW big.o | grep -qE 'GLOBAL DEFAULT +[0-9]{5} x69999$'
  gcc -B "$MINI_BIN/" big.o -o prog
  run ./prog
  [ "$status" -eq 5 ]
  gcc big.o -o prog.bfd
  run ./prog.bfd
  [ "$status" -eq 5 ]
}

@test "relocatable: .note.gnu.property is merged as in a final link" {
  for n in 1 2; do
    cat >p$n.s <<ASM
	.section .note.gnu.property,"a"
	.p2align 3
	.long 4, 16, 5
	.asciz "GNU"
	.long 0xc0000002, 4, $((n == 1 ? 3 : 1))
	.p2align 3
	.section .note.GNU-stack,"",@progbits
ASM
    cc -c p$n.s -o p$n.o
  done
  "$MINI_LD" -r p1.o p2.o -o p.o
  # IBT is in both: kept; SHSTK only in one: dropped.
  readelf -nW p.o | grep -q 'x86 feature: IBT$'
}

@test "relocatable: -r with -shared or -pie is refused" {
  two_files
  run -2 "$MINI_LD" -r -shared a.o -o out.o
  [ "$output" = "mini-ld: -r and -shared may not be used together" ]
  run -2 "$MINI_LD" -r -pie a.o -o out.o
  [ "$output" = "mini-ld: -r and -pie may not be used together" ]
  [ ! -e out.o ]
}

@test "relocatable: --emit-relocs keeps a final link's relocations, as GNU ld does" {
  cat >er.c <<'C'
int global_var = 4;
static int bump = 1;
const char *msg(void) { return "hello"; }
int add(int x) { bump++; return x + bump + global_var; }
int _start_c(void) { return add(1) + msg()[0]; }
C
  cat >ers.s <<'ASM'
	.globl _start
_start:
	call _start_c
	mov %eax, %edi
	mov $60, %eax
	syscall
	.section .note.GNU-stack,"",@progbits
ASM
  gcc -O1 -fno-pic -fno-asynchronous-unwind-tables -fcf-protection=none -c er.c
  cc -c ers.s
  link_both prog --emit-relocs ers.o er.o
  run_both prog
  [ "$status" -eq 111 ]
  # The same relocations (type, symbol, addend) as GNU ld's, at addresses in .text.
  diff <(readelf -rW prog | awk '/R_X86_64/ { print $3, $5, $6, $7 }' | sort) \
       <(readelf -rW prog.bfd | awk '/R_X86_64/ { print $3, $5, $6, $7 }' | sort)
  readelf -SW prog | grep -Eq '\.rela\.text +RELA .* I +[0-9]+ +[0-9]+ +8$'
  # Each R_X86_64_PC32/PLT32 holds S + A - P: checked against the bytes at P.
  local text_addr text_off
  read -r text_addr text_off < <(readelf -SW prog |
    sed -n 's/^ *\[ *[0-9]*\] \.text  *PROGBITS  *\([0-9a-f]*\) \([0-9a-f]*\).*/\1 \2/p')
  readelf -rW prog | awk '$3 ~ /PC32|PLT32/ { print $1, $4, $6 $7 }' |
    while read -r place value addend; do
      local off=$((16#$place - 16#$text_addr + 16#$text_off))
      local want=$(( (16#$value + addend - 16#$place) & 0xffffffff ))
      local got
      got=$(od -An -tu4 -j "$off" -N4 prog | tr -d ' ')
      [ "$got" -eq "$want" ] || { echo "at $place: $got, want $want" >&2; return 1; }
    done
  # -q is --emit-relocs.
  "$MINI_LD" -q ers.o er.o -o prog2
  cmp prog prog2
}

@test "relocatable: .note.GNU-stack says what the inputs said together, as GNU ld's -r does" {
  printf '\t.text\n\t.globl f\nf:\tret\n' | cc -c -x assembler - -o nonote.o
  printf '\t.text\n\t.globl g\ng:\tret\n\t.section .note.GNU-stack,"",@progbits\n' |
    cc -c -x assembler - -o note.o
  printf '\t.text\n\t.globl h\nh:\tret\n\t.section .note.GNU-stack,"x",@progbits\n' |
    cc -c -x assembler - -o exec.o
  # stack_note FILE: "none", "noexec" or "exec".
  stack_note() {
    readelf -SW "$1" | awk '/\.note\.GNU-stack/ { found = 1; x = ($0 ~ / X /) }
                            END { print found ? (x ? "exec" : "noexec") : "none" }'
  }
  for inputs in "nonote.o note.o" "nonote.o" "note.o" "exec.o note.o" "nonote.o note.o -z noexecstack"; do
    run ld.bfd -r $inputs -o r.bfd.o
    [ "$status" -eq 0 ]
    local want=${output//ld.bfd:/mini-ld:}
    run "$MINI_LD" -r $inputs -o r.o
    [ "$status" -eq 0 ]
    [ "$output" = "$want" ]
    [ "$(stack_note r.o)" = "$(stack_note r.bfd.o)" ]
  done
  # An object without the note stays one: linked next to a noted object, it still
  # makes the stack executable, with the warning naming it.
  "$MINI_LD" -r nonote.o -o r.o 2>/dev/null
  [ "$(stack_note r.o)" = none ]
  printf '\t.globl _start\n_start:\n\tmov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall\n\t.section .note.GNU-stack,"",@progbits\n' |
    cc -c -x assembler - -o start.o
  run "$MINI_LD" start.o r.o -o prog
  [ "${lines[0]}" = "mini-ld: warning: r.o: missing .note.GNU-stack section implies executable stack" ]
  readelf -lW prog | grep -Eq 'GNU_STACK .* RWE'
  ./prog
}
