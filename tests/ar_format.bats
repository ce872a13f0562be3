#!/usr/bin/env bats
# mini-ar writes the same bytes as GNU ar 2.40 (deterministic mode, the default):
# headers, odd-size padding, long names, the symbol index, thin archives. And what
# it writes is read by GNU ar, nm and ld.bfd.

bats_require_minimum_version 1.5.0
load helpers

# Two small objects and an odd-sized text file.
fixtures() {
  obj one <<'C'
int one_data = 1;
int one(void) { return one_data; }
C
  obj two <<'C'
int one(void);
int two(void) { return one() + 1; }
C
  printf 'hello' >odd.txt
}

@test "ar: rcs writes the same bytes as GNU ar" {
  fixtures
  ar_both rcs @.a one.o two.o odd.txt
  # The first member's header follows the index ("/", whose size field is at 56):
  # date 0, owner 0/0, mode 644 in deterministic mode.
  local index_size=$(head -c 66 mini.a | tail -c 10)
  local want
  want=$(printf '%-16s%-12s%-6s%-6s%-8s%-10s' one.o/ 0 0 0 644 "$(stat -c %s one.o)")
  [ "$(dd if=mini.a bs=1 skip=$((8 + 60 + index_size)) count=58 status=none)" = "$want" ]
}

@test "ar: an odd-sized member is padded with a newline" {
  fixtures
  printf 'abc' >three.txt
  ar_both rc @.a odd.txt three.txt
  # 8 (magic) + 60 + 5 + 1 (pad) + 60 + 3 + 1 (pad)
  [ "$(stat -c %s mini.a)" -eq 138 ]
  [ "$(od -An -c -j 73 -N 1 mini.a | tr -d ' ')" = '\n' ]
}

@test "ar: names longer than 15 characters go to the // table" {
  obj x
  cp x.o exactly_15_c.o        # 15 characters: fits as "name/"
  cp x.o sixteen_chars__.o     # 16: does not
  cp x.o a_very_long_member_name.o
  cp x.o 'with space.o'        # spaces are fine in a '/'-terminated name
  ar_both rcs @.a exactly_15_c.o sixteen_chars__.o a_very_long_member_name.o 'with space.o'
  grep -q '^//  ' mini.a
  run ar t mini.a
  [ "$output" = "$(printf '%s\n' exactly_15_c.o sixteen_chars__.o a_very_long_member_name.o 'with space.o')" ]
  run "$MINI_AR" t mini.a
  [ "$output" = "$(printf '%s\n' exactly_15_c.o sixteen_chars__.o a_very_long_member_name.o 'with space.o')" ]
}

@test "ar: the index lists global, weak, COMMON, TLS, unique, IFUNC and absolute symbols" {
  asm syms <<'S'
	.text
	.globl g_func
g_func:	ret
	.type ifn, @gnu_indirect_function
	.globl ifn
ifn:	ret
	.weak w_def
w_def:	ret
	.weak w_undef
	.globl g_abs
	.set g_abs, 0x1234
	.data
	.type uniq, @gnu_unique_object
	.globl uniq
uniq:	.long 1
l_data:	.long 2
	.comm g_common, 16, 16
	.section .tbss,"awT",@nobits
	.globl g_tls
	.type g_tls, @object
g_tls:	.zero 4
	.text
	call w_undef
	call undefined_fn
	.section .note.GNU-stack,"",@progbits
S
  obj c -fcommon <<'C'
int c_common;
__thread int c_tls = 1;
static int c_local;
__attribute__((weak)) int c_weak(void) { return c_local; }
C
  ar_both rcs @.a syms.o c.o
  local want="g_func in syms.o
ifn in syms.o
w_def in syms.o
g_abs in syms.o
uniq in syms.o
g_common in syms.o
g_tls in syms.o
c_common in c.o
c_tls in c.o
c_weak in c.o"
  # The order (member order, then each symbol table's) is checked by the byte
  # comparison with GNU ar; the compiler decides the symbol table's order.
  [ "$(nm -s mini.a | sed -n '/^Archive index:/,/^$/p' | sed '1d;/^$/d' | sort)" = \
    "$(sort <<<"$want")" ]
  [ "$(nm -s mini.a | grep -m1 ' in ')" = "g_func in syms.o" ]
}

@test "ar: an archive without ELF members has no index, like GNU ar's" {
  fixtures
  printf 'more text\n' >notes.txt
  ar_both rcs @.a odd.txt notes.txt
  [ "$(head -c 12 mini.a | tail -c 4)" = 'odd.' ]
}

@test "ar: S writes no index" {
  fixtures
  ar_both rcS @.a one.o two.o
  run nm -s mini.a
  [[ "$output" != *"Archive index"* ]]
}

@test "ar: U records real dates, owners and modes" {
  fixtures
  chmod 751 odd.txt
  touch -d '2001-02-03 04:05:06' one.o
  ar_both rcSU @.a one.o odd.txt
  run "$MINI_AR" tv mini.a
  [[ "${lines[0]}" == "rw-r--r-- $(id -u)/$(id -g)  "*" one.o" ]]
  [[ "${lines[1]}" == "rwxr-x--x $(id -u)/$(id -g)      5 "*" odd.txt" ]]
  # With an index, only the index's date (the current time) may differ.
  ar rcsU gnu2.a one.o odd.txt
  "$MINI_AR" rcsU mini2.a one.o odd.txt
  [ "$(cmp -l gnu2.a mini2.a | awk '$1 < 25 || $1 > 36' | wc -l)" -eq 0 ]
  [ "$(head -c 20 mini2.a | tail -c 12)" = "/           " ]
}

@test "ar: rcsT writes the same thin archive as GNU ar" {
  fixtures
  mkdir sub
  cp two.o sub/in_sub.o
  cp one.o a_very_long_member_name.o
  ar_both rcsT @.a one.o sub/in_sub.o "$PWD/two.o" a_very_long_member_name.o
  [ "$(head -c 8 mini.a)" = '!<thin>' ]
  ar_both t @.a
  [ "$(cat mini.out)" = "$(printf '%s\n' one.o sub/in_sub.o "$PWD/two.o" a_very_long_member_name.o)" ]
}

@test "ar: a thin archive stores paths relative to its own directory" {
  fixtures
  mkdir -p lib deeper/dir
  cp two.o deeper/dir/two.o
  ar_both rcsT lib/@.a one.o deeper/dir/two.o
  grep -q '\.\./one\.o/' lib/mini.a
  grep -q '\.\./deeper/dir/two\.o/' lib/mini.a
  ar_both t lib/@.a
  [ "$(cat mini.out)" = "$(printf '%s\n' lib/../one.o lib/../deeper/dir/two.o)" ]
}

@test "ar: consecutive thin members with the same path share one long name" {
  fixtures
  ar_both qcT @.a one.o one.o two.o one.o
  # The table is "one.o/\ntwo.o/\none.o/\n": the first two members share an entry.
  [ "$(grep -ac '^one\.o/$' mini.a)" -eq 2 ]
}

@test "ar: a thin archive links with ld.bfd" {
  runtime
  obj main <<'C'
int twice(int);
int main(void) { return twice(21); }
C
  obj lib <<'C'
int twice(int x) { return 2 * x; }
C
  "$MINI_AR" rcsT libthin.a lib.o
  ld.bfd rt.o main.o libthin.a -o prog
  run ./prog
  [ "$status" -eq 42 ]
}

@test "ar: duplicate names appended with q are kept, like GNU ar" {
  fixtures
  cp one.o a_very_long_member_name.o
  ar_both qc @.a one.o a_very_long_member_name.o one.o a_very_long_member_name.o
  run "$MINI_AR" t mini.a
  [ "${#lines[@]}" -eq 4 ]
}

@test "ar: ld.bfd pulls the right members from a mini-ar archive" {
  runtime
  obj main <<'C'
int twice(int);
extern int counter;
int main(void) { return twice(20) + counter; }
C
  obj twice <<'C'
int twice(int x) { return 2 * x; }
C
  obj counter <<'C'
int counter = 2;
C
  obj unused <<'C'
int unused_symbol_nobody_wants(void) { return 1; }
C
  "$MINI_AR" rcs libx.a unused.o twice.o counter.o
  ld.bfd rt.o main.o libx.a -o prog -Map prog.map
  run ./prog
  [ "$status" -eq 42 ]
  ! grep -q 'unused\.o' prog.map
  run ar t libx.a
  [ "$output" = "$(printf '%s\n' unused.o twice.o counter.o)" ]
}

@test "ar: a /SYM64/ index is written past the threshold and read by nm, ar and ld.bfd" {
  runtime
  obj main <<'C'
int twice(int);
int main(void) { return twice(21); }
C
  obj twice <<'C'
int twice(int x) { return 2 * x; }
int also_here;
int z;
C
  MINI_AR_SYM64_THRESHOLD=0 "$MINI_AR" rcs lib64.a twice.o
  [ "$(head -c 15 lib64.a | tail -c 7)" = '/SYM64/' ]
  # An 8-byte count, three 8-byte offsets, "twice\0also_here\0z\0": 8 + 24 + 18 = 50,
  # padded to a multiple of 8.
  [ "$(head -c 66 lib64.a | tail -c 10 | tr -d ' ')" = 56 ]
  run nm -s lib64.a
  [[ "$output" == *"twice in twice.o"*"also_here in twice.o"* ]]
  run ar t lib64.a
  [ "$output" = twice.o ]
  ld.bfd rt.o main.o lib64.a -o prog
  run ./prog
  [ "$status" -eq 42 ]
  # Below the threshold the 32-bit index is used.
  MINI_AR_SYM64_THRESHOLD=100000 "$MINI_AR" rcs lib32.a twice.o
  ar rcs gnu.a twice.o
  cmp gnu.a lib32.a
}

@test "ar: a BSD archive is read and rewritten in GNU format" {
  obj one <<'C'
int one(void) { return 1; }
C
  printf 'hello' >odd.txt
  # BSD 4.4 ar: "#1/LEN" in the name field, the name at the start of the data, the
  # size field counting both; a __.SYMDEF index first (here an empty one).
  bsd_member() {  # NAME FILE
    local name=$1 file=$2 len=$(( (${#1} + 4) / 4 * 4 ))
    local size=$((len + $(stat -c %s "$file")))
    printf '%-16s%-12s%-6s%-6s%-8s%-10s`\n' "#1/$len" 0 0 0 644 "$size"
    printf '%s' "$name"
    head -c $((len - ${#name})) /dev/zero
    cat "$file"
    [ $((size % 2)) -eq 0 ] || printf '\n'
  }
  head -c 8 /dev/zero >symdef.bin
  { printf '!<arch>\n'; bsd_member __.SYMDEF symdef.bin; bsd_member one.o one.o
    bsd_member a_long_name_for_bsd.txt odd.txt; } >bsd.a
  run "$MINI_AR" t bsd.a
  [ "$output" = "$(printf '%s\n' one.o a_long_name_for_bsd.txt)" ]
  run "$MINI_AR" p bsd.a a_long_name_for_bsd.txt
  [ "$output" = hello ]
  "$MINI_AR" s bsd.a
  [ "$(head -c 9 bsd.a | tail -c 1)" = / ]
  run ar t bsd.a
  [ "$output" = "$(printf '%s\n' one.o a_long_name_for_bsd.txt)" ]
  run nm -s bsd.a
  [[ "$output" == *"one in one.o"* ]]
  ar p bsd.a one.o | cmp - one.o
}
