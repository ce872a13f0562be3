#!/usr/bin/env bats
# The link explained: -Map/-M, --why-extract, -t and -y on a small link whose
# expected text is written out here. The fixtures are assembly, so every size and
# address below is fixed.

load helpers

# main.o needs helper (libh.a), helper.o needs twice (libt.a), and _start comes
# from libt.a because the entry point is a reference too. libh.a's unused.o is
# never loaded.
fixtures() {
  asm main <<'S'
	.text
	.globl main
main:	mov counter(%rip), %edi
	jmp helper
	.data
	.globl counter
counter: .long 3
S
  asm helper <<'S'
	.text
	.globl helper
helper:	call twice
	inc %eax
	ret
S
  asm twice <<'S'
	.text
	.globl twice
twice:	lea (%rdi,%rdi), %eax
	ret
S
  asm unused <<'S'
	.text
	.globl unused
unused:	ret
S
  asm start <<'S'
	.text
	.globl _start
_start:	call main
	mov %eax, %edi
	mov $60, %eax
	syscall
S
  ar rcs libh.a helper.o unused.o
  ar rcs libt.a twice.o start.o
}

@test "map: -Map lists why each member was loaded, every section and symbol, and the segments" {
  fixtures
  run "$MINI_LD" main.o -L. -lh -lt -o prog -Map=prog.map
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 7 ]
  cat >want <<'MAP'
Archive member included to satisfy reference by file (symbol)

./libh.a(helper.o)            main.o (helper)
./libt.a(twice.o)             ./libh.a(helper.o) (twice)
./libt.a(start.o)             (_start)

Output sections

       Address     Offset       Size  Align  Section / input section / symbol
      0x401120      0x120       0x25      1  .text
      0x401120      0x120        0xb      1      main.o:(.text)
      0x401120                                       main
      0x40112b      0x12b        0x8      1      ./libh.a(helper.o):(.text)
      0x40112b                                       helper
      0x401133      0x133        0x4      1      ./libt.a(twice.o):(.text)
      0x401133                                       twice
      0x401137      0x137        0xe      1      ./libt.a(start.o):(.text)
      0x401137                                       _start
      0x402145      0x145        0x4      1  .data
      0x402145      0x145        0x4      1      main.o:(.data)
      0x402145                                       counter
      0x402149      0x149          0      1      ./libh.a(helper.o):(.data)
      0x402149      0x149          0      1      ./libt.a(twice.o):(.data)
      0x402149      0x149          0      1      ./libt.a(start.o):(.data)
      0x402149      0x149          0      1  .bss
      0x402149      0x149          0      1      main.o:(.bss)
      0x402149      0x149          0      1      ./libh.a(helper.o):(.bss)
      0x402149      0x149          0      1      ./libt.a(twice.o):(.bss)
      0x402149      0x149          0      1      ./libt.a(start.o):(.bss)

Segments

  Type             Offset    Address   FileSize    MemSize  Flags  Align  Sections
  LOAD                  0   0x400000      0x120      0x120  R     0x1000  (ELF header, program headers)
  LOAD              0x120   0x401120       0x25       0x25  R X   0x1000  .text
  LOAD              0x145   0x402145        0x4        0x4  RW    0x1000  .data
  GNU_STACK             0          0          0          0  RW      0x10
MAP
  diff -u want prog.map
  # GNU ld agrees on which members and why.
  ld.bfd main.o -L. -lh -lt -o prog.bfd -Map=bfd.map
  grep -E '^\./lib[a-z]+\.a\(' bfd.map >bfd.members
  grep -E '^\./lib[a-z]+\.a\(' prog.map >our.members
  diff -u bfd.members our.members
}

@test "map: -M prints the map on stdout" {
  fixtures
  run "$MINI_LD" -M main.o -L. -lh -lt -o prog
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Archive member included to satisfy reference by file (symbol)" ]
  [[ "$output" == *"./libt.a(start.o)             (_start)"* ]]
}

@test "map: --why-extract writes lld's table, to a file or to stdout" {
  fixtures
  run "$MINI_LD" main.o -L. -lh -lt -o prog --why-extract=why.txt
  [ "$status" -eq 0 ]
  printf 'reference\textracted\tsymbol\nmain.o\t./libh.a(helper.o)\thelper\n./libh.a(helper.o)\t./libt.a(twice.o)\ttwice\n--entry\t./libt.a(start.o)\t_start\n' >want
  diff -u want why.txt
  run "$MINI_LD" main.o -L. -lh -lt -o prog --why-extract=-
  [ "$output" = "$(cat want)" ]
  # lld extracts the same members for the same reasons.
  ld.lld main.o -L. -lh -lt -o prog.lld --why-extract=lld.txt
  diff -u want lld.txt
}

@test "map: -t prints each file and member as it is loaded" {
  fixtures
  run "$MINI_LD" -t main.o -L. -lh -lt -o prog
  [ "$status" -eq 0 ]
  [ "$output" = $'main.o\n./libh.a(helper.o)\n./libt.a(twice.o)\n./libt.a(start.o)' ]
  run "$MINI_LD" --trace main.o -L. -lh -lt -o prog
  [ "${#lines[@]}" -eq 4 ]
}

@test "map: -y reports each file that defines or references a symbol, as GNU ld does" {
  fixtures
  run "$MINI_LD" main.o -L. -lh -lt -o prog -y twice --trace-symbol=helper
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ld: main.o: reference to 'helper'
mini-ld: ./libh.a(helper.o): definition of 'helper'
mini-ld: ./libh.a(helper.o): reference to 'twice'
mini-ld: ./libt.a(twice.o): definition of 'twice'" ]
}

@test "map: a failed link writes no map" {
  fixtures
  run -1 "$MINI_LD" main.o -L. -lh -o prog -Map=prog.map
  [ ! -e prog.map ]
  [ ! -e prog ]
}

@test "map: the map lists discarded COMDAT copies and sections --gc-sections dropped" {
  asm a <<'S'
	.section .text.dup,"axG",@progbits,dup,comdat
	.globl dup
dup:	mov $1, %eax
	ret
	.text
	.globl _start
_start:	call dup
	mov %eax, %edi
	mov $60, %eax
	syscall
	.section .text.unused,"ax",@progbits
unused:	ret
S
  asm b <<'S'
	.section .text.dup,"axG",@progbits,dup,comdat
	.globl dup
dup:	mov $2, %eax
	ret
S
  run "$MINI_LD" --gc-sections a.o b.o -o prog -Map=prog.map
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 1 ]
  awk '/^Discarded input sections/ { f = 1 } /^Output sections/ { f = 0 } f' prog.map >discarded
  [ "$(cat discarded)" = "Discarded input sections

  a.o:(.text.unused)  size 0x1
  b.o:(.text.dup)  size 0x6" ]
}

@test "map: COMMON space is listed under the object that defined it" {
  runtime
  obj main -fcommon <<'C'
int shared_counter;
int main(void) { return shared_counter; }
C
  run "$MINI_LD" rt.o main.o -o prog -M
  [ "$status" -eq 0 ]
  [[ "$output" == *"main.o:(COMMON)"* ]]
  [[ "$output" == *"shared_counter"* ]]
}

@test "map: the segment table places sections as readelf -lW does (TLS, empty sections)" {
  cat >tl.c <<'C'
#include <stdio.h>
__thread int tv = 3;
__thread int tz;
int main(void) { printf("%d %d\n", tv, tz); return 0; }
C
  gcc -static -B "$MINI_BIN/" -Wl,-Map=tl.map tl.c -o tl
  # Each segment's sections, one line per segment, from the map and from readelf.
  awk '/^Segments/ { f = 1; next }
       f && /^  [A-Z_]+ / { s = ""; sub(/\(ELF header, program headers\)/, "")
         for (i = 2; i <= NF; i++) if ($i ~ /^[._a-z]/ && length($i) > 1) s = s " " $i
         print s }
       f && /^$/ && seen++ { f = 0 }' tl.map >map.txt
  readelf -lW tl | sed -n '/Segment Sections/,$p' | tail -n +2 | sed 's/^ *[0-9][0-9]* *//' |
    awk '{ s = ""; for (i = 1; i <= NF; i++) s = s " " $i; print s }' >readelf.txt
  diff map.txt readelf.txt
  # .init_array is not thread-local, and .tbss takes no room outside PT_TLS.
  grep -E '^  TLS ' tl.map | grep -vq init_array
  # The map is a new file like any other: 0666 minus the umask.
  [ "$(stat -c %a tl.map)" = "$(printf '%o' $((0666 & ~$(umask))))" ]
}

@test "map: the symbols the linker defines are listed with their addresses" {
  cat >ls.c <<'C'
#include <stdio.h>
extern char _end[], __bss_start[], _edata[];
int main(void) { printf("%d\n", _end > __bss_start && __bss_start >= _edata); return 0; }
C
  gcc -static -B "$MINI_BIN/" -Wl,-Map=ls.map ls.c -o ls
  run ./ls
  [ "$output" = 1 ]
  awk '/^Linker-defined symbols/ { f = 1; next } /^Segments/ { f = 0 } f' ls.map >linker.txt
  local name addr
  for name in _end __bss_start _edata __init_array_start; do
    addr=$(nm ls | awk -v n="$name" '$3 == n { print $1 }')
    grep -Eq "^ +0x0*${addr#"${addr%%[!0]*}"}  $name\$" linker.txt ||
      { echo "$name at $addr is not in:" >&2; cat linker.txt >&2; return 1; }
  done
}

@test "map: --cref prints GNU ld's cross-reference table, on stdout or at the end of the map" {
  runtime
  cat >x1.cc <<'C'
int from_ar();
namespace ns { int thing(int x) { return x; } }
extern "C" int main() { return from_ar() + ns::thing(1); }
C
  cat >x2.cc <<'C'
namespace ns { int thing(int x); }
int from_ar() { return ns::thing(2); }
C
  g++ -O0 -fno-asynchronous-unwind-tables -c x1.cc x2.cc
  "$MINI_AR" rcs libx2.a x2.o
  for i in 1 2; do
    printf 'extern int cm;\nint r%s(void) { return cm; }\n' $i | cc -c -x c - -o r$i.o
    printf 'int cm;\n' | cc -fcommon -c -x c - -o c$i.o
  done
  run ld.bfd --cref rt.o x1.o r1.o c1.o r2.o c2.o libx2.a -o prog.bfd
  [ "$status" -eq 0 ]
  # GNU ld also lists _GLOBAL_OFFSET_TABLE_, as defined by the first input.
  local want
  want=$(grep -v '^_GLOBAL_OFFSET_TABLE_ ' <<<"$output")
  run "$MINI_LD" --cref rt.o x1.o r1.o c1.o r2.o c2.o libx2.a -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "$want" ]
  [[ "$output" == *"
ns::thing(int)                                    x1.o
                                                  libx2.a(x2.o)
"* ]]
  [[ "$output" == *"
cm                                                c2.o
                                                  c1.o
                                                  r2.o
                                                  r1.o
"* ]]
  run_both prog
  [ "$status" -eq 3 ]
  # With -Map, the table ends the map, and nothing is printed.
  run "$MINI_LD" --cref -Map=prog.map rt.o x1.o r1.o c1.o r2.o c2.o libx2.a -o prog
  [ "$output" = "" ]
  [ "$(tail -n +$(($(grep -n '^Cross Reference Table$' prog.map | cut -d: -f1) - 1)) prog.map)" = "$want" ]
}

@test "map: --print-output-format and --print-memory-usage print what GNU ld prints" {
  fixtures
  for opt in --print-output-format --print-memory-usage; do
    run ld.bfd main.o helper.o twice.o start.o $opt -o prog.bfd
    [ "$status" -eq 0 ]
    local want=$output
    run "$MINI_LD" main.o helper.o twice.o start.o $opt -o prog
    [ "$status" -eq 0 ]
    [ "$output" = "$want" ]
    run_both prog
  done
  # Without inputs, as -v: the format alone.
  run "$MINI_LD" --print-output-format
  [ "$status" -eq 0 ]
  [ "$output" = "elf64-x86-64" ]
  # --no-print-gc-sections takes --print-gc-sections back.
  run "$MINI_LD" main.o helper.o twice.o start.o unused.o --gc-sections --print-gc-sections -o prog2
  [ "$output" = "mini-ld: removing unused section '.text' in file 'unused.o'" ]
  link_both prog3 main.o helper.o twice.o start.o unused.o --gc-sections --print-gc-sections \
    --no-print-gc-sections
  [ "$output" = "" ]
  run "$MINI_LD" main.o helper.o twice.o start.o unused.o --gc-sections --print-gc-sections \
    --no-print-gc-sections -o prog3
  [ "$output" = "" ]
}

# --stats: each pass's time and memory, then what the link read, counted from the
# inputs (the counts must agree with readelf's).
@test "map: --stats times every pass and counts the sections, relocations and symbols read" {
  fixtures
  run -0 "$MINI_LD" --stats main.o -L. -lh -lt -o out
  [[ -x out ]]
  [[ ${lines[0]} == "mini-ld: --stats: where the link's time and memory went" ]]
  local pass
  for pass in parse_args "read_inputs: parse objects" "read_inputs: resolve, archives" "scan_relocs, assign_slots" layout \
      "write_output: copy_sections" "write_output: commit" total; do
    [[ $output =~ $'\n'"  $pass "+[0-9]+\.[0-9]" "+[0-9]+\.[0-9]" "+[0-9]+\.[0-9]$'\n' ]] ||
      { echo "no row for $pass"; false; }
  done
  # What readelf counts in the four objects the link loads (unused.o is not): the
  # sections that can reach the output (.text, .data, .bss: 3 each; not the tables,
  # nor .note.GNU-stack), the relocations, the local symbols (but the null one).
  local relocs=0 locals=0 o
  for o in main.o helper.o twice.o start.o; do
    relocs=$((relocs + $(readelf -rW "$o" | grep -cE '^[0-9a-f]{16} '))) || true
    locals=$((locals + $(readelf -sW "$o" | grep -c ' LOCAL ') - 1))
  done
  [[ $output == *"inputs: 4 objects, 0 shared libraries, "* ]]
  [[ $output == *$'\n'"  12 input sections, $relocs relocations"$'\n'* ]]
  # main, counter, helper, twice and _start.
  [[ $output =~ "symbols: 5 global (a table of "[0-9]+" entries, "[0-9.]+" MiB), $locals local" ]]
  [[ $output =~ "peak resident memory: "[0-9]+\.[0-9]" MiB" ]]
  # The fixtures have no local symbols: one that has some, and a global of its own.
  asm locals <<'S'
	.text
	.globl shown
shown:	call one
	ret
one:	jmp two
two:	ret
	.data
three:	.quad one
S
  run -0 "$MINI_LD" --stats main.o locals.o -L. -lh -lt -o out
  locals=$(($(readelf -sW locals.o | grep -c ' LOCAL ') - 1))
  ((locals >= 3))
  [[ $output =~ "symbols: 6 global (a table of "[0-9]+" entries, "[0-9.]+" MiB), $locals local" ]]
  # Without --stats, nothing.
  run -0 "$MINI_LD" main.o -L. -lh -lt -o out
  [[ $output == "" ]]
}
