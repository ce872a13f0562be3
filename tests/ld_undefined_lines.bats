#!/usr/bin/env bats
# Undefined symbols named with the source line of each reference, read from the
# object's DWARF line table (.debug_line, versions 2 to 5, relocated by the reader
# itself): `mini-ld: main.c:3: main.o:(.text+0xa): in function 'main': undefined
# symbol 'foo'`. Without -g, or with a table we cannot read, the line is as before:
# the place and the function alone. Line numbers are checked against addr2line's.

load helpers

# The offsets (hex, no 0x) of the relocations in OBJ's .rela<SEC> against SYM.
reloc_offsets() {
  readelf -rW "$1" | awk -v sec="'.rela$2'" -v sym="$3" '
    /^Relocation section/ { in_sec = ($3 == sec) }
    in_sec && $5 == sym { sub(/^0+/, "", $1); print ($1 == "" ? "0" : $1) }'
}

# The line addr2line gives for offset 0xOFF of section SEC of OBJ: "FILE:LINE" with
# FILE as it prints it (absolute).
a2l() {
  addr2line -e "$1" -j "$2" "0x$3"
}

# Where section NAME of OBJ is: "OFFSET SIZE", in decimal.
section_at() {
  local off size
  read -r off size < <(readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\]//' |
    awk -v name="$2" '$1 == name { print $4, $5 }')
  echo $((16#$off)) $((16#$size))
}

main_c() {
  cat >main.c <<'EOF'
int foo(void);
int main(void) {
  return foo()
    + foo();
}
EOF
}

# Links main.o alone and checks both references of foo: main.c:3 and main.c:4, at
# the places the relocations are, agreeing with addr2line.
check_main() {
  mapfile -t offs < <(reloc_offsets main.o .text foo)
  [ "${#offs[@]}" -eq 2 ]
  [[ "$(a2l main.o .text "${offs[0]}")" == */main.c:3 ]]
  [[ "$(a2l main.o .text "${offs[1]}")" == */main.c:4 ]]
  expect_error "mini-ld: main.c:3: main.o:(.text+0x${offs[0]}): in function 'main': undefined symbol 'foo'
mini-ld: main.c:4: main.o:(.text+0x${offs[1]}): in function 'main': undefined symbol 'foo'" \
    -e main main.o
}

@test "lines: gcc -g (DWARF 5, names in .debug_line_str): each reference names its source line first" {
  main_c
  gcc -g -O0 -c main.c
  readelf --debug-dump=rawline main.o | grep -q 'DWARF Version: *5'
  readelf --debug-dump=rawline main.o | grep -q 'indirect line string'
  check_main
}

@test "lines: gcc -gdwarf-4 and -gdwarf-3 (names in the header itself) give the same lines" {
  main_c
  for v in 4 3; do
    gcc -gdwarf-$v -O0 -c main.c
    readelf --debug-dump=rawline main.o | grep -q "DWARF Version: *$v"
    check_main
  done
}

@test "lines: clang -g (DWARF 5: file 0, MD5 sums) and clang -gdwarf-4 give the same lines" {
  command -v clang >/dev/null || skip "no clang"
  main_c
  for g in -g -gdwarf-4; do
    clang $g -O0 -c main.c
    check_main
  done
  clang -g -O0 -c main.c
  readelf --debug-dump=rawline main.o | grep -q 'MD5'
}

@test "lines: 64-bit DWARF (clang -gdwarf64) is read too" {
  command -v clang >/dev/null || skip "no clang"
  main_c
  clang -g -gdwarf64 -O0 -c main.c
  # unit_length 0xffffffff: the 64-bit format's escape (DWARF 5 §7.4).
  local at size
  read -r at size < <(section_at main.o .debug_line)
  [ "$(od -An -tx1 -j "$at" -N4 main.o | tr -d ' ')" = ffffffff ]
  check_main
}

@test "lines: references from two files, one from a header's inline function, named as written: src/util.h:3" {
  mkdir src
  cat >src/util.h <<'EOF'
int bar(int);
static inline int twice(int x) {
  return bar(x) * 2;
}
EOF
  cat >src/foo.c <<'EOF'
#include "util.h"
int foo(int y) {
  return twice(y) + 1;
}
EOF
  cat >main.c <<'EOF'
int foo(int);
int bar(int);
int main(void) {
  return foo(1) + bar(2);
}
EOF
  gcc -g -O2 -c src/foo.c -o foo.o
  gcc -g -O0 -c main.c
  local f m
  f=$(reloc_offsets foo.o .text bar)
  m=$(reloc_offsets main.o .text bar)
  [[ "$(a2l foo.o .text "$f")" == */src/util.h:3 ]]
  [[ "$(a2l main.o .text "$m")" == */main.c:4 ]]
  expect_error "mini-ld: main.c:4: main.o:(.text+0x$m): in function 'main': undefined symbol 'bar'
mini-ld: src/util.h:3: foo.o:(.text+0x$f): in function 'foo': undefined symbol 'bar'" \
    -e main main.o foo.o
}

@test "lines: -ffunction-sections: each section has its own sequence" {
  cat >two.c <<'EOF'
extern int ext(int);
int a(int x) {
  return ext(x);
}

int b(int x) {
  return ext(x + 1) + 2;
}
EOF
  gcc -g -O0 -ffunction-sections -c two.c
  local oa ob
  oa=$(reloc_offsets two.o .text.a ext)
  ob=$(reloc_offsets two.o .text.b ext)
  [[ "$(a2l two.o .text.a "$oa")" == */two.c:3 ]]
  [[ "$(a2l two.o .text.b "$ob")" == */two.c:7 ]]
  expect_error "mini-ld: two.c:3: two.o:(.text.a+0x$oa): in function 'a': undefined symbol 'ext'
mini-ld: two.c:7: two.o:(.text.b+0x$ob): in function 'b': undefined symbol 'ext'" -e a two.o
}

@test "lines: an object from mini-ld -r holds two units: each reference finds its own" {
  main_c
  cat >other.c <<'EOF'
int foo(void);

int other(void) {
  return foo();
}
EOF
  gcc -g -O0 -c main.c other.c
  "$MINI_LD" -r main.o other.o -o both.o
  mapfile -t offs < <(reloc_offsets both.o .text foo)
  [ "${#offs[@]}" -eq 3 ]
  [[ "$(a2l both.o .text "${offs[2]}")" == */other.c:4 ]]
  expect_error "mini-ld: main.c:3: both.o:(.text+0x${offs[0]}): in function 'main': undefined symbol 'foo'
mini-ld: main.c:4: both.o:(.text+0x${offs[1]}): in function 'main': undefined symbol 'foo'
mini-ld: other.c:4: both.o:(.text+0x${offs[2]}): in function 'other': undefined symbol 'foo'" \
    -e main both.o
}

@test "lines: without -g the message is the place and the function, as before" {
  main_c
  gcc -O0 -c main.c
  mapfile -t offs < <(reloc_offsets main.o .text foo)
  expect_error "mini-ld: main.o:(.text+0x${offs[0]}): in function 'main': undefined symbol 'foo'
mini-ld: main.o:(.text+0x${offs[1]}): in function 'main': undefined symbol 'foo'" -e main main.o
}

@test "lines: C++: the function and the symbol demangled, the header's inline function in its COMDAT section" {
  cat >geo.h <<'EOF'
namespace geo {
int area(int w, int h);
inline int square(int s) {
  return area(s, s);
}
}
EOF
  cat >shapes.cc <<'EOF'
#include "geo.h"
namespace shapes {
int total(int n) {
  return geo::square(n) +
         geo::area(n, 2);
}
}
EOF
  g++ -g -O0 -c shapes.cc
  local t s
  t=$(reloc_offsets shapes.o .text _ZN3geo4areaEii)
  s=$(reloc_offsets shapes.o .text._ZN3geo6squareEi _ZN3geo4areaEii)
  [[ "$(a2l shapes.o .text "$t")" == */shapes.cc:5 ]]
  expect_error "mini-ld: shapes.cc:5: shapes.o:(.text+0x$t): in function 'shapes::total(int)': undefined symbol 'geo::area(int, int)'
mini-ld: geo.h:4: shapes.o:(.text._ZN3geo6squareEi+0x$s): in function 'geo::square(int)': undefined symbol 'geo::area(int, int)'" \
    -e _ZN6shapes5totalEi shapes.o
}

@test "lines: a compressed .debug_line (gcc -gz, zlib; objcopy, zstd) is read once decompressed" {
  # Enough lines that the compressed table is smaller, else it stays as it is.
  {
    echo 'extern int ext(int);'
    for i in $(seq 1 60); do printf 'int f%d(int x) {\n  return x * %d + 1;\n}\n' "$i" "$i"; done
    printf 'int main(void) {\n  return ext(3);\n}\n'
  } >big.c
  local line off
  line=$(grep -n 'ext(3)' big.c | cut -d: -f1)
  gcc -g -gz -O0 -c big.c
  readelf -SW big.o | grep -E '\.debug_line +PROGBITS.* C '
  off=$(reloc_offsets big.o .text ext)
  [[ "$(a2l big.o .text "$off")" == */big.c:$line ]]
  expect_error "mini-ld: big.c:$line: big.o:(.text+0x$off): in function 'main': undefined symbol 'ext'" \
    -e main big.o
  gcc -g -O0 -c big.c -o plain.o
  objcopy --compress-debug-sections=zstd plain.o zstd.o 2>/dev/null || skip "objcopy has no zstd"
  readelf -SW zstd.o | grep -E '\.debug_line +PROGBITS.* C '
  expect_error "mini-ld: big.c:$line: zstd.o:(.text+0x$off): in function 'main': undefined symbol 'ext'" \
    -e main zstd.o
}

# Every line is an undefined-symbol line for foo, with or without a source line: the
# link failed cleanly, whatever the table held.
only_undefined_lines() {
  local l
  [ "$status" -eq 1 ] || return 1
  for l in "${lines[@]}"; do
    [[ "$l" == "mini-ld: "*"main.o:(.text+0x"*"): in function 'main': undefined symbol 'foo'" ]] ||
      { echo "unexpected: $l" >&2; return 1; }
  done
}

# Writes the bytes given as printf escapes at offset OFF of FILE.
patch() {
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# Sets each byte of GOOD's .debug_line in turn to 0xff and to 0x80 (a LEB128 that
# never ends, a count or length out of range), linking main.o made so each time.
every_byte() {
  local at size i b
  read -r at size < <(section_at "$1" .debug_line)
  for ((i = 0; i < size; i++)); do
    for b in '\xff' '\x80'; do
      cp "$1" main.o && patch main.o $((at + i)) "$b"
      run "$MINI_LD" -e main main.o -o out
      only_undefined_lines || { echo "$1: byte $i set to $b" >&2; return 1; }
    done
  done
}

@test "lines: a corrupt .debug_line falls back to the place alone, and never crashes" {
  main_c
  gcc -g -O0 -c main.c
  local at size
  read -r at size < <(section_at main.o .debug_line)
  mapfile -t offs < <(reloc_offsets main.o .text foo)
  local fallback="mini-ld: main.o:(.text+0x${offs[0]}): in function 'main': undefined symbol 'foo'
mini-ld: main.o:(.text+0x${offs[1]}): in function 'main': undefined symbol 'foo'"
  # Named fields of the unit header (DWARF 5 §6.2.4), each made impossible.
  cp main.o good.o
  # unit_length: longer than the section.
  cp good.o main.o && patch main.o "$at" '\xf0\xff\xff\x7f'
  expect_error "$fallback" -e main main.o
  # unit_length: a reserved value.
  cp good.o main.o && patch main.o "$at" '\xf0\xff\xff\xff'
  expect_error "$fallback" -e main main.o
  # version: 9.
  cp good.o main.o && patch main.o $((at + 4)) '\x09\x00'
  expect_error "$fallback" -e main main.o
  # header_length: past the unit's end.
  cp good.o main.o && patch main.o $((at + 8)) '\xff\xff\x00\x00'
  expect_error "$fallback" -e main main.o
  # line_range: 0 (every special opcode divides by it). DWARF 5's header: unit_length
  # (4), version (2), address_size, segment_selector_size, header_length (4),
  # minimum_instruction_length, maximum_operations_per_instruction, default_is_stmt,
  # line_base, line_range, opcode_base.
  cp good.o main.o && patch main.o $((at + 16)) '\x00'
  expect_error "$fallback" -e main main.o
  # opcode_base: 0.
  cp good.o main.o && patch main.o $((at + 17)) '\x00'
  expect_error "$fallback" -e main main.o
  # Then every byte of the section in turn, in this DWARF 5 table and in a DWARF 4
  # one: a line or not, never a crash.
  every_byte good.o
  gcc -gdwarf-4 -O0 -c main.c -o good4.o
  every_byte good4.o
  # The table is read only for messages: a link that succeeds never looks at it.
  cp good.o main.o && patch main.o "$at" '\xf0\xff\xff\x7f'
  printf 'int foo(void) { return 0; }\n' >foo.c
  gcc -O0 -c foo.c
  "$MINI_LD" -e main main.o foo.o -o out
}

@test "lines: the relocations of .debug_line are found in any order" {
  main_c
  gcc -g -O0 -c main.c
  # Swap the first and the last entry of .rela.debug_line (24 bytes each): the
  # last one is DW_LNE_set_address's, against .text.
  local off size n
  read -r off size < <(section_at main.o .rela.debug_line)
  n=$((size / 24))
  [ "$n" -ge 2 ]
  dd if=main.o of=first bs=1 skip="$off" count=24 status=none
  dd if=main.o of=last bs=1 skip=$((off + (n - 1) * 24)) count=24 status=none
  dd if=last of=main.o bs=1 seek="$off" conv=notrunc status=none
  dd if=first of=main.o bs=1 seek=$((off + (n - 1) * 24)) conv=notrunc status=none
  readelf -rW main.o | grep -A2 "'.rela.debug_line'" | tail -1 | grep -q '\.text'
  check_main
}
