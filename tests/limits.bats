#!/usr/bin/env bats
# Resource limits (issue 12): a small file that claims huge counts or sizes is one
# line of error, found before any large allocation or mapping, and the tool's peak
# memory stays that of a small input; a legitimately huge NOBITS section links in
# constant memory. Each case runs under /usr/bin/time and checks the peak (not under
# the sanitizers, whose shadow memory is not the tool's).

bats_require_minimum_version 1.5.0
load helpers
load elf_bytes  # patch_le, shdr, ar_header

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

# s.o: _start exits; .data holds 8 bytes. Each case patches one field of a copy.
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
}

# set_section FILE SECTION OFFSET-IN-HEADER VALUE: one 8-byte field of a section header.
set_section() {
  patch_le "$1" $(($(shdr "$1" "$2") + $3)) 8 "$4"
}

@test "limits: an object claiming 2^32 sections or 2^32 symbols is one error, in little memory" {
  setup_objects
  # 2^32 - 1 sections, by the extended count (e_shnum 0) in section 0's sh_size.
  cp s.o sections.o
  patch_le sections.o 60 2 0
  patch_le sections.o $(($(le s.o 40 8) + 32)) 8 $(((1 << 32) - 1))
  limited 1 "$MINI_LD" sections.o -o out
  [[ $output == "mini-ld: sections.o: section header table (4294967295 entries at 0x"*") extends past end of file (size 0x"*")" ]]
  small_peak
  cp s.o symbols.o
  set_section symbols.o .symtab 32 $((24 << 32))  # sh_size
  limited 1 "$MINI_LD" symbols.o -o out
  [[ $output == "mini-ld: symbols.o: section '.symtab' (offset 0x"*", size 0x1800000000) extends past end of file"* ]]
  small_peak
  [ ! -e out ]
}

@test "limits: a section larger than its file, or aligned to 2^40, is one error, in little memory" {
  setup_objects
  cp s.o big.o
  set_section big.o .data 32 0x100000000  # sh_size
  limited 1 "$MINI_LD" big.o -o out
  [[ $output == "mini-ld: big.o: section '.data' (offset 0x"*", size 0x100000000) extends past end of file"* ]]
  small_peak
  cp s.o aligned.o
  set_section aligned.o .data 48 $((1 << 40))  # sh_addralign
  limited 1 "$MINI_LD" aligned.o -o out
  [ "$output" = "mini-ld: aligned.o: section '.data' has alignment 1099511627776, which is too large" ]
  small_peak
  [ ! -e out ]
}

@test "limits: an archive member of 10 GB is one error for mini-ld and mini-ar, in little memory" {
  setup_objects
  ar rc a.a s.o
  # The header's size field (10 digits at +48) says 9,999,999,999 bytes.
  cp a.a big.a
  patch_at big.a $(($(ar_header a.a s.o/) + 48)) 9999999999
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
  patch_le prog 56 2 65535  # e_phnum
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
