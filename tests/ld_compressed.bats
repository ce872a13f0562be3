#!/usr/bin/env bats
# Compressed debug sections (SHF_COMPRESSED): objects built with gcc -gz (zlib) or
# compressed by objcopy (zstd) link into programs whose debug information gdb and
# readelf read; a corrupt or lying compressed section is a one-line error.

bats_require_minimum_version 1.5.0
load helpers

debug_program() {
  cat >dbg.c <<'C'
#include <stdio.h>
static int square(int x) { return x * x; }
int main(void) { printf("%d\n", square(7)); return 0; }
C
}

# The file offset of section NAME of an object (hex, without 0x).
section_offset() {
  readelf -SW "$1" | sed -n "s/^ *\[ *[0-9]*\] $2  *[A-Z_]*  *[0-9a-f]* \([0-9a-f]*\).*/\1/p"
}

# Writes the 8-byte little-endian value V at byte OFFSET of FILE.
put_u64() {
  local file=$1 offset=$2 v=$3 i bytes=""
  for i in 0 1 2 3 4 5 6 7; do bytes+=$(printf '\\x%02x' $(( (v >> (8 * i)) & 255 ))); done
  printf "$bytes" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
}

@test "compressed: gcc -gz objects link, and gdb reads the program's line table" {
  debug_program
  gcc -g -gz -O0 -c dbg.c
  readelf -SW dbg.o | grep -Eq '\.debug_info .* C '
  dyn_both prog gcc dbg.o
  run_both prog
  [ "$output" = 49 ]
  run readelf --debug-dump=info prog
  [ "$status" -eq 0 ]
  ! grep -q Warning <<<"$output"
  grep -q 'DW_AT_name.*dbg.c' <<<"$output"
  gdb -batch -ex 'info line square' ./prog | grep -q 'Line 2 of "dbg.c"'
  # The same DWARF as GNU ld's program, but for addresses.
  diff <(readelf --debug-dump=info prog | grep -E 'DW_TAG|DW_AT_name' | sed 's/<[0-9a-f]*>//g; s/offset: [0-9a-fx]*//') \
       <(readelf --debug-dump=info prog.bfd | grep -E 'DW_TAG|DW_AT_name' | sed 's/<[0-9a-f]*>//g; s/offset: [0-9a-fx]*//')
}

@test "compressed: zstd-compressed debug sections link too" {
  debug_program
  gcc -g -O0 -c dbg.c -o plain.o
  objcopy --compress-debug-sections=zstd plain.o dbg.o 2>/dev/null || skip "objcopy has no zstd"
  readelf -tW dbg.o | grep -q ZSTD
  gcc -B "$MINI_BIN/" dbg.o -o prog
  run ./prog
  [ "$output" = 49 ]
  gdb -batch -ex 'info line square' ./prog | grep -q 'Line 2 of "dbg.c"'
}

@test "compressed: corrupt data, or a header claiming a huge size, is an error naming the section" {
  debug_program
  gcc -g -gz -O0 -c dbg.c
  local off
  off=$((16#$(section_offset dbg.o .debug_info)))
  cp dbg.o bad.o
  printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of=bad.o bs=1 seek=$((off + 26)) conv=notrunc status=none
  run -1 "$MINI_LD" bad.o -o prog
  [[ "$output" == "mini-ld: bad.o: section '.debug_info': corrupt zlib data"* ]]
  [ ! -e prog ]
  cp dbg.o huge.o
  put_u64 huge.o $((off + 8)) $((1 << 40))
  run -1 "$MINI_LD" huge.o -o prog
  [ "$output" = "mini-ld: huge.o: section '.debug_info': SHF_COMPRESSED section claims an uncompressed size it cannot have" ]
  [ ! -e prog ]
}

@test "compressed: --compress-debug-sections=zlib|zstd writes smaller debug sections gdb still reads" {
  cat >big.c <<'C'
#include <stdio.h>
struct point { int x, y; };
struct line { struct point from, to; const char *label; };
static int length2(struct line l) {
  int dx = l.to.x - l.from.x, dy = l.to.y - l.from.y;
  return dx * dx + dy * dy;
}
int main(void) {
  struct line l = {{0, 0}, {3, 4}, "diagonal"};
  printf("%s %d\n", l.label, length2(l));
  return 0;
}
C
  gcc -g3 -O0 -c big.c
  local type size_plain size
  gcc -B "$MINI_BIN/" big.o -o plain
  size_plain=$(stat -c %s plain)
  for type in zlib zstd; do
    dyn_both "prog.$type" gcc big.o -Wl,--compress-debug-sections=$type
    run "./prog.$type"
    [ "$output" = "diagonal 25" ]
    # Every .debug_* section is compressed (C), as in GNU ld's output...
    [ "$(readelf -SW "prog.$type" | grep -c '\.debug_.* C ')" -ge 3 ]
    readelf -tW "prog.$type" | grep -qi "$type"
    # ... the file is smaller, and the debug information reads the same.
    size=$(stat -c %s "prog.$type")
    [ "$size" -lt "$size_plain" ]
    diff <(readelf --debug-dump=info plain | grep -E 'DW_TAG|DW_AT_name' | sed 's/<[0-9a-f]*>//g; s/offset: [0-9a-fx]*//') \
         <(readelf --debug-dump=info "prog.$type" | grep -E 'DW_TAG|DW_AT_name' | sed 's/<[0-9a-f]*>//g; s/offset: [0-9a-fx]*//')
    gdb -batch -ex 'info line length2' "./prog.$type" | grep -q 'Line 4 of "big.c"'
  done
  # =none, and the option alone (zlib, as in GNU ld).
  gcc -B "$MINI_BIN/" big.o -Wl,--compress-debug-sections=none -o none
  cmp plain none
  "$MINI_LD" --compress-debug-sections --version >/dev/null
  run -2 "$MINI_LD" --compress-debug-sections=lzma big.o -o x
  [ "$output" = "mini-ld: --compress-debug-sections: unknown type 'lzma' (use none, zlib or zstd)" ]
}

@test "compressed: relocations are checked against the uncompressed size; a bad alignment is refused" {
  debug_program
  gcc -g -gz -O0 -c dbg.c
  # A relocation of .debug_info moved past the end of its uncompressed bytes.
  local rela off
  rela=$((16#$(section_offset dbg.o .rela.debug_info)))
  cp dbg.o far.o
  put_u64 far.o "$rela" $((1 << 20))   # the first relocation's r_offset
  run -1 "$MINI_LD" --unresolved-symbols=ignore-all far.o -o prog
  [[ "$output" == "mini-ld: far.o:(.debug_info+0x100000): relocation "*" patches past the end of the section (size 0x"* ]]
  [ ! -e prog ]
  # ch_addralign (the header's third field) that is not a power of two.
  off=$((16#$(section_offset dbg.o .debug_info)))
  cp dbg.o align.o
  put_u64 align.o $((off + 16)) 3
  run -1 "$MINI_LD" align.o -o prog
  [ "$output" = "mini-ld: align.o: section '.debug_info': SHF_COMPRESSED section's alignment is not a power of two up to 2^32" ]
  [ ! -e prog ]
}
