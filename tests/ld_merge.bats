#!/usr/bin/env bats
# SHF_MERGE | SHF_STRINGS sections: each distinct string is kept once, a string that
# ends another one shares its bytes, and every reference still finds its string.

load helpers

# How many times the bytes of $2 occur in file $1.
count_in() {
  grep -c -a -o -F "$2" "$1" || true
}

@test "merge: a string used by several objects is stored once, and suffixes share bytes" {
  runtime
  for n in a b c; do
    obj "$n" <<C
void print(const char *);
void say_$n(void) { print("hi from all\\n"); print("$n-only\\n"); }
C
  done
  obj main <<'C'
void print(const char *);
void say_a(void), say_b(void), say_c(void);
int main(void) { say_a(); say_b(); say_c(); print("all\n"); return 0; }
C
  [ "$(readelf -SW a.o | grep -c '\.rodata\.str1\.1')" -ge 1 ]
  link_both prog rt.o main.o a.o b.o c.o
  run_both prog
  [ "$output" = "hi from all
a-only
hi from all
b-only
hi from all
c-only
all" ]
  [ "$(count_in prog 'hi from all')" -eq 1 ]
  [ "$(count_in prog.bfd 'hi from all')" -eq 1 ]
  # "all\n" is the tail of the shared greeting: no copy of its own.
  readelf -SW a.o | grep -q '\.rodata\.str1\.1'
  [ "$(readelf -p .rodata prog | grep -c ']  all\\n$')" -eq 0 ]
  [ "$(readelf -p .rodata prog | grep -c ']  hi from all\\n$')" -eq 1 ]
  check_layout prog
}

@test "merge: references through the section symbol, from code and from data, find their strings" {
  runtime
  asm strs <<'S'
	.section .rodata.str1.1,"aMS",@progbits,1
	.asciz "first"
	.asciz "second"
	.data
	.globl table
table:	.quad .rodata.str1.1 + 6
S
  asm dup <<'S'
	.section .rodata.str1.1,"aMS",@progbits,1
	.asciz "zero"
	.asciz "second"
	.text
	.globl get_second
get_second:
	lea .Lsecond(%rip), %rax
	ret
	.section .rodata.str1.1,"aMS",@progbits,1
.Lsecond = . - 7
S
  obj main <<'C'
void print(const char *);
extern const char *table[];
const char *get_second(void);
int main(void) { print(table[0]); print("\n"); print(get_second()); print("\n"); return table[0] == get_second(); }
C
  readelf -rW strs.o | grep -q 'R_X86_64_64 .*\.rodata\.str1\.1 + 6'
  link_both prog rt.o main.o strs.o dup.o
  run_both prog
  [ "$output" = $'second\nsecond' ]
  # Both references lead to the one "second".
  [ "$status" -eq 1 ]
  [ "$(readelf -p .rodata prog | grep -c ']  second$')" -eq 1 ]
}

@test "merge: strings of an 8-aligned string section stay 8-aligned" {
  runtime
  obj main <<'C'
void print(const char *);
static const char a[] __attribute__((section(".rodata.str1.8"), aligned(8))) = "aligned";
int main(void) { print(a); return (int)((unsigned long)a % 8); }
C
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = aligned ]
}

@test "merge: .debug_str strings are merged too, and gdb still reads the program" {
  runtime
  for n in a b; do
    cat >"$n.c" <<C
struct shared_struct_name { int field_one; };
int use_$n(struct shared_struct_name *s) { return s->field_one; }
C
    cc -g -O0 -ffreestanding -fno-stack-protector -fcf-protection=none -c "$n.c" -o "$n.o"
  done
  echo 'struct shared_struct_name { int field_one; }; int use_a(struct shared_struct_name *); int use_b(struct shared_struct_name *); int main(void) { struct shared_struct_name s = {7}; return use_a(&s) + use_b(&s); }' >main.c
  cc -g -O0 -ffreestanding -fno-stack-protector -fcf-protection=none -c main.c -o main.o
  link_both prog rt.o main.o a.o b.o
  run_both prog
  [ "$status" -eq 14 ]
  [ "$(readelf -p .debug_str a.o | grep -c ']  shared_struct_name$')" -eq 1 ]
  [ "$(readelf -p .debug_str prog | grep -c ']  shared_struct_name$')" -eq 1 ]
  run gdb -batch -nx -ex 'break use_b' -ex run -ex 'print *s' prog
  [[ "$output" == *"use_b (s="* ]]
  [[ "$output" == *"{field_one = 7}"* ]]
}

@test "merge: a string section aligned to 2^32 is left unmerged, in little memory (found by fuzzing)" {
  asm s <<'ASM'
	.globl _start
	.text
_start:	mov $60, %eax
	xor %edi, %edi
	syscall
	.section .rodata.str1.1,"aMS",@progbits,1
	.asciz "a"
	.asciz "bb"
	.asciz "ccc"
ASM
  # sh_addralign of .rodata.str1.1 = 2^32: merging would pad each string to 4 GiB.
  python3 - <<'PY'
import struct
b = bytearray(open('s.o', 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shnum, shstrndx = struct.unpack_from('<HH', b, 0x3c)
names, = struct.unpack_from('<Q', b, shoff + shstrndx * 64 + 0x18)
for i in range(shnum):
    name, = struct.unpack_from('<I', b, shoff + i * 64)
    if b[names + name:].split(b'\0')[0] == b'.rodata.str1.1':
        struct.pack_into('<Q', b, shoff + i * 64 + 0x30, 1 << 32)
open('big.o', 'wb').write(b)
PY
  run /usr/bin/time -f '%M' "$MINI_LD" big.o -o big
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" -lt 262144 ]   # KiB of peak memory (it used to be 8 GiB)
  run ./big
  [ "$status" -eq 0 ]
  # The section is at its 4 GiB boundary; the file is sparse, as GNU ld's.
  readelf -SW big | grep -q '\.rodata .* 4294967296$'
  rm -f big
}

@test "merge: wide, UTF-16 and UTF-32 string literals are merged across objects too" {
  cat >a.c <<'C'
#include <uchar.h>
#include <wchar.h>
char *cstr1 = "foo";
wchar_t *wide1 = L"foo";
char16_t *utf16_1 = u"foo";
char32_t *utf32_1 = U"foo";
C
  cat >b.c <<'C'
#include <stdio.h>
#include <uchar.h>
#include <wchar.h>
extern char *cstr1;
extern wchar_t *wide1;
extern char16_t *utf16_1;
extern char32_t *utf32_1;
char *cstr2 = "foo";
wchar_t *wide2 = L"foo";
char16_t *utf16_2 = u"foo";
char32_t *utf32_2 = U"foo";
int main(void) {
  printf("%d %d %d %d %ls\n", cstr1 == cstr2, wide1 == wide2, utf16_1 == utf16_2,
         utf32_1 == utf32_2, wide2);
  return 0;
}
C
  cc -O2 -c a.c -o a.o
  cc -O2 -c b.c -o b.o
  readelf -SW a.o | grep -q 'rodata.str4.4'
  cc_both prog gcc a.o b.o
  run ./prog
  [ "$output" = "1 1 1 1 foo" ]
}

@test "merge: a UTF-16 or UTF-32 string that ends another one shares its characters, as with GNU ld" {
  cat >a.c <<'C'
#include <uchar.h>
#include <wchar.h>
const char16_t *a16 = u"xfoo";
const char32_t *a32 = U"xfoo";
const char *a8 = "xfoo";
C
  cat >b.c <<'C'
#include <stdio.h>
#include <uchar.h>
#include <wchar.h>
extern const char16_t *a16;
extern const char32_t *a32;
extern const char *a8;
const char16_t *b16 = u"foo";
const char32_t *b32 = U"foo";
const wchar_t *bw = L"foo";
const char *b8 = "foo";
int main(void) {
  printf("%d %d %d %d\n", b16 == a16 + 1, b32 == a32 + 1, b8 == a8 + 1,
         (const void *)bw == (const void *)b32);
  return 0;
}
C
  cc -O2 -c a.c -o a.o
  cc -O2 -c b.c -o b.o
  readelf -SW a.o | grep -q 'rodata.str2.2'
  cc_both prog gcc a.o b.o
  run_both prog
  [ "$output" = "1 1 1 1" ]
}

@test "merge: in an 8-byte aligned string section a tail is shared only where it starts on 8 bytes, as with GNU ld" {
  asm a <<'S'
	.section .rodata.str1.8,"aMS",@progbits,1
	.align 8
	.globl p1, p2
p1:	.string "abcdefgh12345678"
	.align 8
p2:	.string "zzzzzzzz"
S
  asm b <<'S'
	.section .rodata.str1.8,"aMS",@progbits,1
	.align 8
	.globl q1, q2
q1:	.string "12345678"
	.align 8
q2:	.string "345678"
	.text
	.globl _start
_start:
	mov $60, %eax
	xor %edi, %edi
	syscall
S
  link_both prog a.o b.o
  for f in prog prog.bfd; do
    local p1 q1 q2
    p1=$((0x$(nm $f | awk '$3 == "p1" { print $1 }')))
    q1=$((0x$(nm $f | awk '$3 == "q1" { print $1 }')))
    q2=$((0x$(nm $f | awk '$3 == "q2" { print $1 }')))
    # "12345678" is the tail of p1, 8 bytes in; "345678" would start 10 bytes in.
    [ $((q1 - p1)) -eq 8 ]
    [ $((q2 % 8)) -eq 0 ]
    [ $((q2 - p1)) -lt 0 ] || [ $((q2 - p1)) -ge 17 ]
  done
  run_both prog
}
