#!/usr/bin/env bats
# --layout=FILE.svg: the picture of where a file's bytes go in memory. The facts the
# picture must show (every PT_LOAD, every allocated section, each segment's
# congruence) are read here from the ELF file by a few lines of Python, not by
# mini-ld, and looked for in the SVG's text; the SVG must be well-formed XML, and a
# real renderer (rsvg-convert) must draw something that is not blank.

load helpers

# The seeds' shape: code, read-only data, data, .bss, and a constructor table, which
# is RELRO.
fixture() {
  runtime
  obj prog <<'C'
static const char msg[] = "layout\n";
int counter = 42;
int zeroes[300];
void print(const char *);
static void init(void) { counter++; }
__attribute__((section(".init_array"), used)) static void (*ctor)(void) = init;
int main(void) { print(msg); return counter + zeroes[7] == 42 ? 0 : 1; }
C
}

# svg_text FILE: the SVG's text, one element's text a line; fails unless the file is
# well-formed XML.
svg_text() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
for e in ET.parse(sys.argv[1]).getroot().iter():
    if e.text and e.text.strip():
        print(e.text.strip())
PY
}

# elf_facts FILE: "LOAD i p_offset p_vaddr p_align" for each PT_LOAD and "SECTION name"
# for each allocated section, read straight from the ELF headers.
elf_facts() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
phoff, shoff = struct.unpack_from('<QQ', d, 0x20)
phnum, shnum, shstrndx = struct.unpack_from('<H', d, 0x38)[0], *struct.unpack_from('<HH', d, 0x3c)
for i in range(phnum):
    t, f, off, va, pa, fs, ms, al = struct.unpack_from('<IIQQQQQQ', d, phoff + 56 * i)
    if t == 1:
        print('LOAD %d 0x%x 0x%x 0x%x' % (i, off, va, al if al > 1 else 4096))
sh = [struct.unpack_from('<IIQQQQIIQQ', d, shoff + 64 * i) for i in range(shnum)]
stroff = sh[shstrndx][4]
for name, typ, flags, *_ in sh[1:]:
    if flags & 2:
        print('SECTION ' + d[stroff + name:d.index(b'\0', stroff + name)].decode())
PY
}

# check_names SVG EXE: the SVG names every PT_LOAD and allocated section of EXE and
# writes out each PT_LOAD's congruence.
check_names() {
  svg_text "$1" >text || return 1
  local kind a b c d missing=0
  while read -r kind a b c d; do
    case $kind in
    LOAD)
      grep -qF "LOAD #$a" text || { echo "no LOAD #$a" >&2; missing=1; }
      grep -qF "p_vaddr $c ≡ p_offset $b (mod $d)" text ||
        { echo "no congruence for LOAD #$a: p_vaddr $c ≡ p_offset $b (mod $d)" >&2; missing=1; }
      ;;
    SECTION) grep -qE "(^| )$(sed 's/\./\\./g' <<<"$a")( |:|$)" text ||
      { echo "no section $a" >&2; missing=1; } ;;
    esac
  done < <(elf_facts "$2")
  [ "$missing" = 0 ]
}

@test "layout: --layout after a link names every PT_LOAD and section, with each congruence" {
  fixture
  run "$MINI_LD" rt.o prog.o -o prog --layout=prog.svg
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  run ./prog
  [ "$status" -eq 0 ]
  check_names prog.svg prog
  # Four PT_LOADs and the headers, drawn from a file of one page: that page is
  # mapped more than once.
  grep -qF 'ELF header' text
  grep -qF 'program headers' text
  grep -qE '^mapped [2-9]×$' text
}

@test "layout: .bss is drawn as zero-fill past p_filesz, and RELRO is marked" {
  fixture
  "$MINI_LD" rt.o prog.o -o prog --layout=prog.svg
  svg_text prog.svg >text
  grep -qF '.bss: zero-fill' text
  local type off va pa fs ms zero relro
  read -r type off va pa fs ms _ < <(readelf -lW prog | awk '$1 == "LOAD" && $5 != $6')
  zero=$((ms - fs))
  [ "$zero" -ge 1200 ]
  grep -qF "then $zero B of zero-fill up to p_memsz" text
  grep -q 'fill="url(#zero-fill)"' prog.svg
  read -r type off va pa fs ms _ < <(readelf -lW prog | grep GNU_RELRO)
  relro=$(printf '[0x%x, 0x%x)' $((va)) $((va + ms)))
  grep -qF "GNU_RELRO $relro: read-only after start-up" text
  # -z norelro: no RELRO to mark.
  "$MINI_LD" rt.o prog.o -o prog2 -z norelro --layout=prog2.svg
  run grep -c 'GNU_RELRO \[' <(svg_text prog2.svg)
  [ "$output" = 0 ]
}

@test "layout: --from draws GNU ld's output, and --layout-against lays ours beside it" {
  fixture
  ld.bfd rt.o prog.o -o prog.bfd
  run "$MINI_LD" --layout=bfd.svg --from=prog.bfd
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  check_names bfd.svg prog.bfd
  "$MINI_LD" rt.o prog.o -o prog --layout=both.svg --layout-against=prog.bfd
  check_names both.svg prog
  check_names both.svg prog.bfd
  svg_text both.svg >text
  [ "$(grep -c '^the file, by offset$' text)" = 2 ]
  grep -qx 'prog' text
  grep -qx 'prog.bfd' text
}

@test "layout: a static glibc program, a PIE and /bin/ls are drawn, long runs of pages shortened" {
  cat >hello.c <<'C'
#include <stdio.h>
__thread int tls_counter = 1;
__thread int tls_zero;
int main(void) { printf("hello %d\n", tls_counter + tls_zero); return 0; }
C
  gcc -static -B "$MINI_BIN/" -Wl,--layout=hello.svg hello.c -o hello
  run ./hello
  [ "$output" = "hello 1" ]
  check_names hello.svg hello
  svg_text hello.svg >text
  # The template holds .tdata and .tbss only, though .tbss shares its addresses
  # with the sections after it.
  grep -qE '^TLS template \[0x[0-9a-f]+, 0x[0-9a-f]+\): \.tdata \.tbss$' text
  # The code segment shares its first page with the headers, its last with .rodata.
  grep -qE '^shares file page 0 with LOAD #0; page [0-9]+ with LOAD #2$' text
  grep -qE ' pages, [0-9.]+ KiB' text
  # About 800 KB of file stays a picture one can scroll through.
  local height
  height=$(sed -n 's/.*<svg [^>]*height="\([0-9]*\)".*/\1/p' hello.svg)
  [ "$height" -lt 6000 ]

  gcc -pie -fPIE -B "$MINI_BIN/" hello.c -o hello-pie
  "$MINI_LD" --layout=pie.svg --from=hello-pie
  check_names pie.svg hello-pie
  grep -qF 'ET_DYN: position-independent' <(svg_text pie.svg)

  [ -r /bin/ls ] || skip "no /bin/ls"
  "$MINI_LD" --layout=ls.svg --from=/bin/ls
  check_names ls.svg /bin/ls
}

@test "layout: a 64 TiB .bss is one short row, and each shared file page names its mappers" {
  fixture
  "$MINI_LD" rt.o prog.o -o prog
  # The last PT_LOAD's p_memsz (its program header's offset 0x28) made 1 << 46.
  local last
  last=$(readelf -lW prog | awk '$1 == "LOAD" { n++ } END { print n - 1 }')
  printf '\x00\x00\x00\x00\x00\x40\x00\x00' |
    dd of=prog bs=1 seek=$((0x40 + 56 * last + 0x28)) conv=notrunc status=none
  run "$MINI_LD" --layout=big.svg --from=prog
  [ "$status" -eq 0 ]
  svg_text big.svg >text
  grep -qF 'then 64.0 TiB of zero-fill up to p_memsz' text
  grep -qE '^⋮  zero-fill: [0-9]+ pages, 64\.0 TiB  ⋮$' text
  [ "$(stat -c %s big.svg)" -lt 200000 ]
  grep -qE "^shares file page 0 with LOAD (#[0-9], )+#[0-9]+$" text
}

@test "layout: names that are not UTF-8 text are shown with '?', and UTF-8 ones as they are" {
  fixture
  obj data <<'C'
const int answer __attribute__((section(".数据"), used)) = 42;
C
  local name
  name=$(printf 'prog\xff\x01')
  "$MINI_LD" rt.o prog.o data.o -o "$name"
  # .comment's name in .shstrtab, with a byte that is not UTF-8 and a control byte.
  local at
  at=$(grep -obUa '\.comment' "$name" | tail -1 | cut -d: -f1)
  printf '\xff\x01' | dd of="$name" bs=1 seek=$((at + 2)) conv=notrunc status=none
  "$MINI_LD" --layout=x.svg --from="$name"
  svg_text x.svg >text
  grep -qx 'prog??' text
  grep -qE '^\.c\?\?ment' text
  grep -qx '\.数据' text
}

@test "layout: the seeds' program is one file page mapped four times, as the README shows" {
  cp -r "$REPO/examples/01-seeds-pipeline" ex
  cd ex
  make -s LD="$MINI_LD"
  "$MINI_LD" --layout=main.svg --from=build/main
  check_names main.svg build/main
  grep -qx 'page 0' text
  ! grep -qx 'page 1' text
  grep -qx 'mapped 4×' text
  local page
  for page in 0x400000 0x401000 0x402000 0x403000; do
    grep -qx "$page" text
  done
}

@test "layout: a long section name is cut to fit its band, and whole in its tooltip" {
  fixture
  obj long <<'C'
const int v __attribute__((section("a_section_name_too_long_for_any_band_at_all"), used)) = 7;
C
  "$MINI_LD" rt.o prog.o long.o -o prog --layout=prog.svg
  check_names prog.svg prog
  grep -qE '^a_section_name_too_long_for_[a-z_]*\.\.\.$' text
  grep -qE '^a_section_name_too_long_for_any_band_at_all: offsets \[0x' text
}

@test "layout: a file with 60,000 sections is drawn in a few seconds of CPU" {
  fixture
  "$MINI_LD" rt.o prog.o -o prog
  # prog, padded to 70,000 bytes, then a section header table of 60,000 one-byte
  # sections at 60,000 offsets (gABI's escape: e_shnum 0, the count in section 0's
  # sh_size).
  python3 - <<'PY'
import struct
d = bytearray(open('prog', 'rb').read())
d += bytes(70000 - len(d))
shoff, n = len(d), 60000
d += bytes(64)
for i in range(1, n):
    d += struct.pack('<IIQQQQIIQQ', 0, 1, 2, 0, 1000 + i, 1, 0, 0, 1, 0)
struct.pack_into('<Q', d, 0x28, shoff)
struct.pack_into('<HHH', d, 0x3a, 64, 0, 0)
struct.pack_into('<Q', d, shoff + 32, n)
open('many', 'wb').write(d)
PY
  # (Under make check, without the leak check: the arena's blocks of 4 MiB and more
  # come from mmap, which LeakSanitizer does not scan, so the calloc'd block they
  # point to looks lost.)
  run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    bash -c "ulimit -t 5; '$MINI_LD' --layout=/dev/null --from=many"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "layout: the same file gives the same SVG, byte for byte" {
  fixture
  "$MINI_LD" rt.o prog.o -o prog --layout=a.svg
  "$MINI_LD" --layout=b.svg --from=prog
  cmp a.svg b.svg
}

# png_stats FILE: "WIDTH HEIGHT COLOURS INK" for an 8-bit RGB or RGBA PNG: its size,
# how many distinct colours it has and the share of pixels that are not white.
png_stats() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat = 8, b''
while pos < len(d):
    n, kind = struct.unpack_from('>I4s', d, pos)
    body = d[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack_from('>IIBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, rows, i = bytearray(stride), [], 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colours, ink = set(), 0
for row in rows:
    for x in range(0, stride, bpp):
        px = row[x:x + 3]
        colours.add(px)
        ink += px != b'\xff\xff\xff'
print(w, h, len(colours), round(100 * ink / (w * h)))
PY
}

@test "layout: rsvg-convert renders the picture, and it is not blank" {
  command -v rsvg-convert >/dev/null ||
    skip "rsvg-convert is not installed (Debian: apt-get install librsvg2-bin)"
  fixture
  "$MINI_LD" rt.o prog.o -o prog --layout=prog.svg
  # At half size, which is plenty to look at and quicker for Python to count.
  run rsvg-convert --zoom=0.5 --background-color=white prog.svg -o prog.png
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  read -r w h colours ink < <(png_stats prog.png)
  # As big as the SVG says, with many colours, and ink on a good part of it.
  local sw sh
  read -r sw sh < <(sed -n 's/^<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1 \2/p' prog.svg)
  [ $((sw / 2 - w)) -le 1 ] && [ $((w - sw / 2)) -le 1 ]
  [ $((sh / 2 - h)) -le 1 ] && [ $((h - sh / 2)) -le 1 ]
  [ "$colours" -gt 50 ]
  [ "$ink" -gt 10 ]
}

@test "layout: a file that cannot be drawn gets a one-line error, and no SVG" {
  fixture
  "$MINI_LD" rt.o prog.o -o prog
  run -1 "$MINI_LD" --layout=x.svg --from=missing
  [ "$output" = "mini-ld: missing: cannot open: No such file or directory" ]
  echo hello >text.txt
  run -1 "$MINI_LD" --layout=x.svg --from=text.txt
  [ "$output" = "mini-ld: text.txt: not an ELF file" ]
  run -1 "$MINI_LD" --layout=x.svg --from=prog.o
  [ "$output" = "mini-ld: prog.o: is a relocatable object (ET_REL): it has no segments to draw until it is linked" ]
  # Truncated: the section header table, at the end of the file, is cut off.
  local shoff shnum
  shoff=$(readelf -hW prog | awk '/Start of section headers/ { print $5 }')
  shnum=$(readelf -hW prog | awk '/Number of section headers/ { print $5 }')
  head -c $((shoff + 10)) prog >short
  run -1 "$MINI_LD" --layout=x.svg --from=short
  [ "$output" = "$(printf 'mini-ld: short: section header table (%d entries at 0x%x) extends past end of file (size 0x%x)' \
    "$shnum" "$shoff" $((shoff + 10)))" ]
  # Cut into the program headers.
  head -c 100 prog >shorter
  run -1 "$MINI_LD" --layout=x.svg --from=shorter
  [[ "$output" == "mini-ld: shorter: program header table ("*" entries at 0x40) extends past end of file (size 0x64)" ]]
  # PT_LOAD #1's p_filesz (at 0x40 + 56 + 0x20) made larger than the file.
  cp prog big
  printf '\x00\x00\x10\x00' | dd of=big bs=1 seek=$((0x40 + 56 + 0x20)) conv=notrunc status=none
  printf '\x00\x00\x10\x00' | dd of=big bs=1 seek=$((0x40 + 56 + 0x28)) conv=notrunc status=none
  run -1 "$MINI_LD" --layout=x.svg --from=big
  [[ "$output" == "mini-ld: big: program header 1 (PT_LOAD): its bytes [0x"*") extend past end of file (size 0x"*")" ]]
  # p_filesz larger than p_memsz.
  cp prog inverted
  printf '\x00\x00\x10\x00' | dd of=inverted bs=1 seek=$((0x40 + 56 + 0x20)) conv=notrunc status=none
  run -1 "$MINI_LD" --layout=x.svg --from=inverted
  [ "$output" = "mini-ld: inverted: program header 1 (PT_LOAD): p_filesz is larger than p_memsz" ]
  [ ! -e x.svg ]
}

@test "layout: --from and --layout-against need --layout, and --from links nothing" {
  fixture
  run -2 "$MINI_LD" --from=prog.o
  [ "$output" = "mini-ld: --from needs --layout=FILE.svg" ]
  run -2 "$MINI_LD" rt.o prog.o --layout-against=prog.o
  [ "$output" = "mini-ld: --layout-against needs --layout=FILE.svg" ]
  run -2 "$MINI_LD" --layout=x.svg --from=prog rt.o
  [ "$output" = "mini-ld: --from=prog draws an existing file: it takes no input files" ]
  run -2 "$MINI_LD" -r rt.o prog.o -o both.o --layout=x.svg
  [ "$output" = "mini-ld: --layout draws segments, and -r makes an object without any" ]
  "$MINI_LD" --help | grep -qF -- '--layout=FILE.svg --from=EXE'
}
