#!/usr/bin/env bats
# Resource limits (issue 12): a small file that claims huge counts or sizes is one
# line of error, found before any large allocation or mapping, and the tool's peak
# memory stays that of a small input; a legitimately huge NOBITS section links in
# constant memory. Each case runs under /usr/bin/time and checks the peak (not under
# the sanitizers, whose shadow memory is not the tool's).

bats_require_minimum_version 1.5.0
load helpers

# limited EXPECTED_STATUS TOOL ARGS...: runs the tool, leaves its stderr without
# time's line in $output and its peak memory (KiB) in $peak_kib.
limited() {
  local want=$1
  shift
  run -"$want" /usr/bin/time -f 'peak %M' "$@"
  peak_kib=${lines[-1]#peak }
  unset 'lines[-1]'
  output=$(printf '%s\n' "${lines[@]}" | grep -v '^Command exited with non-zero status' || true)
}

small_peak() {
  [ -n "${MINI_SANITIZED:-}" ] || [ "$peak_kib" -lt 65536 ] ||
    { echo "peak memory $peak_kib KiB"; return 1; }
}

# An object, and a patcher: patch IN OUT SECTION FIELD VALUE sets a section header
# field (offset, size, align) of the named section.
setup_objects() {
  asm s <<'ASM'
	.globl _start
	.text
_start:	mov $60, %eax
	xor %edi, %edi
	syscall
	.data
	.quad 1
ASM
  cat >patch.py <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shnum, shstrndx = struct.unpack_from('<HH', b, 0x3c)
names, = struct.unpack_from('<Q', b, shoff + shstrndx * 64 + 0x18)
field = {'offset': 0x18, 'size': 0x20, 'align': 0x30}[sys.argv[4]]
for i in range(shnum):
    name, = struct.unpack_from('<I', b, shoff + i * 64)
    if b[names + name:].split(b'\0')[0] == sys.argv[3].encode():
        struct.pack_into('<Q', b, shoff + i * 64 + field, int(sys.argv[5], 0))
open(sys.argv[2], 'wb').write(b)
PY
}

@test "limits: an object claiming 2^32 sections or 2^32 symbols is one error, in little memory" {
  setup_objects
  # 2^32 - 1 sections, by the extended count in section 0's sh_size.
  python3 - <<'PY'
import struct
b = bytearray(open('s.o', 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
struct.pack_into('<H', b, 0x3c, 0)
struct.pack_into('<Q', b, shoff + 0x20, (1 << 32) - 1)
open('sections.o', 'wb').write(b)
PY
  limited 1 "$MINI_LD" sections.o -o out
  [[ $output == "mini-ld: sections.o: section header table (4294967295 entries at 0x"*") extends past end of file (size 0x"*")" ]]
  small_peak
  python3 patch.py s.o symbols.o .symtab size $((24 << 32))
  limited 1 "$MINI_LD" symbols.o -o out
  [[ $output == "mini-ld: symbols.o: section '.symtab' (offset 0x"*", size 0x1800000000) extends past end of file"* ]]
  small_peak
  [ ! -e out ]
}

@test "limits: a section larger than its file, or aligned to 2^40, is one error, in little memory" {
  setup_objects
  python3 patch.py s.o big.o .data size 0x100000000
  limited 1 "$MINI_LD" big.o -o out
  [[ $output == "mini-ld: big.o: section '.data' (offset 0x"*", size 0x100000000) extends past end of file"* ]]
  small_peak
  python3 patch.py s.o aligned.o .data align $((1 << 40))
  limited 1 "$MINI_LD" aligned.o -o out
  [ "$output" = "mini-ld: aligned.o: section '.data' has alignment 1099511627776, which is too large" ]
  small_peak
  [ ! -e out ]
}

@test "limits: an archive member of 10 GB is one error for mini-ld and mini-ar, in little memory" {
  setup_objects
  ar rc a.a s.o
  # The header's size field (10 digits at +48) says 9,999,999,999 bytes.
  python3 - <<'PY'
b = bytearray(open('a.a', 'rb').read())
i = b.find(b's.o/')
b[i + 48:i + 58] = b'9999999999'
open('big.a', 'wb').write(b)
PY
  limited 1 "$MINI_LD" --whole-archive big.a -o out
  [[ $output == "mini-ld: big.a: member at offset 0x"*" extends past end of file" ]]
  small_peak
  limited 1 "$MINI_AR" t big.a
  [[ $output == "mini-ar: big.a: member at offset 0x"*" extends past end of file" ]]
  small_peak
  [ ! -e out ]
}

@test "limits: a program with e_phnum 65,535 is refused by mini-loader, in little memory" {
  setup_objects
  "$MINI_LD" s.o -o prog
  python3 - <<'PY'
import struct
b = bytearray(open('prog', 'rb').read())
struct.pack_into('<H', b, 56, 65535)
open('prog', 'wb').write(b)
PY
  limited 126 "$MINI_LOADER" --check ./prog
  [ "$output" = "mini-loader: ./prog: e_phnum 65535 is not in [1, 1170]" ]
  small_peak
}

@test "limits: a 1 TiB .bss (-mcmodel=large) links in constant memory into a small file, as with GNU ld" {
  cat >huge.c <<'C'
char huge[1ULL << 40];
void _start(void) {
  huge[0] = 1;
  __asm__ volatile("mov $60, %%eax; movzbl %0, %%edi; syscall" : : "m"(huge[0]) : "rax", "rdi");
}
C
  cc -mcmodel=large -O1 -ffreestanding -fno-pic -fno-stack-protector -c huge.c -o huge.o
  limited 0 "$MINI_LD" -static huge.o -o huge
  small_peak
  [ "$(stat -c %s huge)" -lt 65536 ]
  ld.bfd -static huge.o -o huge.bfd 2>/dev/null
  # The writable PT_LOAD: nothing in the file, 2^40 bytes and more in memory, in both.
  local f ours gnu
  for f in huge huge.bfd; do
    read -r filesz memsz < <(readelf -lW "$f" | awk '$1 == "LOAD" && $7 == "RW" { print $5, $6 }')
    [ $((filesz)) -eq 0 ] && [ $((memsz)) -ge $((1 << 40)) ] || { echo "$f: $filesz $memsz"; return 1; }
  done
}
