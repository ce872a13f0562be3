#!/usr/bin/env bats
# Archives: how they are found (-L, -l, -l:FILE, a path), which members are loaded and
# when (command-line position, groups, --whole-archive, the entry symbol), and the
# archive formats ar writes (no index, thin, long and duplicate member names).

bats_require_minimum_version 1.5.0

load helpers

# main.o: main() prints foo()'s string and returns 0.
main_calls_foo() {
  obj main <<'C'
void print(const char *);
const char *foo(void);
int main(void) { print(foo()); return 0; }
C
}

# NAME.o: foo() returns "TEXT\n".
foo_object() {
  obj "$1" <<C
const char *foo(void) { return "$2\n"; }
C
}

# The entry point in FILE's ELF header, as 0x... .
entry_of() {
  readelf -h "$1" | awk '/Entry point address:/ { print $4 }'
}

@test "ld: -L and -l find libNAME.a in a search directory" {
  runtime
  main_calls_foo
  mkdir lib
  foo_object foo "foo from libfoo.a"
  ar rc lib/libfoo.a foo.o
  link_both prog rt.o main.o -L lib -lfoo
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from libfoo.a" ]
  check_layout prog
}

@test "ld: -l:FILE finds a library by its exact file name" {
  runtime
  main_calls_foo
  mkdir lib
  foo_object foo "foo from custom.a"
  ar rc lib/custom.a foo.o
  link_both prog rt.o main.o -L lib -l:custom.a
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from custom.a" ]
  check_layout prog
}

@test "ld: the first -L directory holding the library wins" {
  runtime
  main_calls_foo
  mkdir one two
  foo_object foo1 "foo from one"
  foo_object foo2 "foo from two"
  ar rc one/libfoo.a foo1.o
  ar rc two/libfoo.a foo2.o
  link_both prog rt.o main.o -L one -L two -lfoo
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from one" ]
  check_layout prog
}

@test "ld: a library not in any search directory is an error" {
  runtime
  main_calls_foo
  run ! ld.bfd rt.o main.o -L . -lnothere -o prog.bfd
  expect_error "mini-ld: cannot find -lnothere" rt.o main.o -L . -lnothere
}

@test "ld: an archive named by its path is searched like a -l library" {
  runtime
  main_calls_foo
  mkdir lib
  foo_object foo "foo from lib/libfoo.a"
  ar rc lib/libfoo.a foo.o
  link_both prog rt.o main.o lib/libfoo.a
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from lib/libfoo.a" ]
  check_layout prog
}

@test "ld: only the archive members that define a needed symbol are loaded" {
  runtime
  main_calls_foo
  foo_object foo "foo"
  obj unused <<'C'
int unused_fn(void) { return 1; }
int unused_data = 3;
C
  ar rc libfoo.a unused.o foo.o
  link_both prog rt.o main.o libfoo.a
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo" ]
  check_layout prog
  for out in prog prog.bfd; do
    run nm "$out"
    [[ "$output" == *" T foo"* ]]
    [[ "$output" != *unused_fn* ]]
    [[ "$output" != *unused_data* ]]
  done
}

@test "ld: a member's own undefined symbols pull more members of the same archive" {
  runtime
  obj main <<'C'
int first(void);
int main(void) { return first(); }
C
  obj first <<'C'
int second(void);
int first(void) { return second() + 1; }
C
  obj second <<'C'
int second(void) { return 41; }
C
  # second.o comes before the member that needs it.
  ar rc libchain.a second.o first.o
  link_both prog rt.o main.o libchain.a
  run_both prog
  [ "$status" -eq 42 ]
  [ "$output" = "" ]
  check_layout prog
}

@test "ld: an archive before the object that needs it is not searched again" {
  runtime
  asm main <<'S'
	.text
	.globl main
main:
	call foo        # relocation at .text+0x1
	xor %eax, %eax
	ret
	.section .note.GNU-stack,"",@progbits
S
  foo_object foo "foo"
  ar rc libfoo.a foo.o
  run ! ld.bfd rt.o -L . -lfoo main.o -o prog.bfd
  [[ "$output" == *"undefined reference to \`foo'"* ]]
  expect_error "mini-ld: main.o:(.text+0x1): undefined symbol 'foo'
mini-ld: note: 'foo' is defined in ./libfoo.a(foo.o), but ./libfoo.a was searched before anything referred to it; put ./libfoo.a after the files that use it, or put the archives between --start-group and --end-group" rt.o -L . -lfoo main.o
}

# liba.a: a1 (calls b1) and a2; libb.a: b1 (calls a2). main calls a1.
mutual_archives() {
  asm main <<'S'
	.text
	.globl main
main:
	call a1
	ret
	.section .note.GNU-stack,"",@progbits
S
  asm a1 <<'S'
	.text
	.globl a1
a1:
	call b1         # relocation at .text+0x1
	ret
	.section .note.GNU-stack,"",@progbits
S
  asm a2 <<'S'
	.text
	.globl a2
a2:
	mov $5, %eax
	ret
	.section .note.GNU-stack,"",@progbits
S
  asm b1 <<'S'
	.text
	.globl b1
b1:
	call a2         # relocation at .text+0x1
	ret
	.section .note.GNU-stack,"",@progbits
S
  ar rc liba.a a1.o a2.o
  ar rc libb.a b1.o
}

@test "ld: mutually dependent archives fail outside a group" {
  runtime
  mutual_archives
  run ! ld.bfd rt.o main.o liba.a libb.a -o prog.bfd
  [[ "$output" == *"undefined reference to \`a2'"* ]]
  expect_error "mini-ld: libb.a(b1.o):(.text+0x1): undefined symbol 'a2'
mini-ld: note: 'a2' is defined in liba.a(a2.o), but liba.a was searched before anything referred to it; put liba.a after the files that use it, or put the archives between --start-group and --end-group" rt.o main.o liba.a libb.a
}

@test "ld: mutually dependent archives link inside --start-group and --end-group" {
  runtime
  mutual_archives
  link_both prog rt.o main.o --start-group liba.a libb.a --end-group
  run_both prog
  [ "$status" -eq 5 ]
  [ "$output" = "" ]
  check_layout prog
}

@test "ld: mutually dependent archives link inside -( and -)" {
  runtime
  mutual_archives
  link_both prog rt.o main.o '-(' liba.a libb.a '-)'
  run_both prog
  [ "$status" -eq 5 ]
  [ "$output" = "" ]
  check_layout prog
}

@test "ld: the entry symbol _start is pulled out of an archive" {
  runtime
  obj main <<'C'
int main(void) { return 42; }
C
  # Nothing but the entry point refers to rt.o's _start.
  ar rc librt.a rt.o
  link_both prog main.o librt.a
  run_both prog
  [ "$status" -eq 42 ]
  [ "$output" = "" ]
  check_layout prog
  [ "$(entry_of prog)" = "0x$(nm prog | awk '$3 == "_start" { print $1 }' | sed 's/^0*//')" ]
}

@test "ld: the entry symbol named by -e is pulled out of an archive" {
  runtime
  obj main <<'C'
void print(const char *);
int main(void) { print("main\n"); return 1; }
C
  # my_start exits with main's value plus 100, so the test sees which entry ran.
  asm mystart <<'S'
	.text
	.globl my_start
my_start:
	and $-16, %rsp
	call main
	lea 100(%rax), %edi
	mov $60, %eax
	syscall
	.section .note.GNU-stack,"",@progbits
S
  ar rc libstart.a mystart.o
  link_both prog -e my_start rt.o main.o libstart.a
  run_both prog
  [ "$status" -eq 101 ]
  [ "$output" = "main" ]
  check_layout prog
  [ "$(entry_of prog)" = "0x$(nm prog | awk '$3 == "my_start" { print $1 }' | sed 's/^0*//')" ]
}

@test "ld: --whole-archive loads every member until --no-whole-archive" {
  runtime
  obj main <<'C'
void print(const char *);
extern void extra(void) __attribute__((weak));
int main(void) {
  if (&extra)
    extra();
  else
    print("no extra\n");
  return 0;
}
C
  obj extra <<'C'
void print(const char *);
void extra(void) { print("extra is linked in\n"); }
C
  obj spare <<'C'
int spare_fn(void) { return 1; }
C
  obj later <<'C'
int later_fn(void) { return 2; }
C
  ar rc libwhole.a extra.o spare.o
  ar rc liblater.a later.o
  link_both prog rt.o main.o --whole-archive libwhole.a --no-whole-archive liblater.a
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "extra is linked in" ]
  check_layout prog
  for out in prog prog.bfd; do
    run nm "$out"
    [[ "$output" == *" T extra"* ]]
    [[ "$output" == *" T spare_fn"* ]]
    [[ "$output" != *later_fn* ]]
  done
}

@test "ld: an archive without a symbol index links" {
  runtime
  main_calls_foo
  foo_object foo "foo from an archive without index"
  obj unused <<'C'
int unused_fn(void) { return 1; }
C
  ar rcS libnoidx.a unused.o foo.o
  # No armap: ar wrote no "/" member.
  [ "$(head -c 8 libnoidx.a)" = '!<arch>' ] # (head -c 8 includes the newline)
  run nm -s libnoidx.a
  [[ "$output" != *"Archive index:"* ]]
  # GNU ld refuses such archives; give it an indexed copy to compare against.
  run ! ld.bfd rt.o main.o libnoidx.a -o prog.bfd
  [[ "$output" == *"archive has no index; run ranlib to add one"* ]]
  cp libnoidx.a libidx.a
  ranlib libidx.a
  run "$MINI_LD" rt.o main.o libnoidx.a -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  ld.bfd rt.o main.o libidx.a -o prog.bfd
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from an archive without index" ]
  check_layout prog
  # The index built from the members still loads only what is needed.
  run nm prog
  [[ "$output" != *unused_fn* ]]
}

@test "ld: a thin archive links, its members found next to it" {
  runtime
  main_calls_foo
  mkdir lib
  foo_object lib/foo "foo from a thin archive"
  (cd lib && ar rcT libthin.a foo.o)
  [ "$(head -c 7 lib/libthin.a)" = '!<thin>' ]
  link_both prog rt.o main.o -L lib -lthin
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from a thin archive" ]
  check_layout prog
}

@test "ld: an archive member with a name longer than 15 characters links" {
  runtime
  main_calls_foo
  foo_object a_member_with_a_long_name "foo from a long-named member"
  ar rc liblong.a a_member_with_a_long_name.o
  [ "$(ar t liblong.a)" = a_member_with_a_long_name.o ]
  link_both prog rt.o main.o liblong.a
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "foo from a long-named member" ]
  check_layout prog
}

@test "ld: messages name an archive member with a long name in full" {
  runtime
  main_calls_foo
  foo_object foo "foo"
  foo_object another_member_with_a_long_name "foo again"
  # Force the member in with --whole-archive, so its foo clashes with foo.o's.
  ar rc liblong.a another_member_with_a_long_name.o
  run ! ld.bfd rt.o main.o foo.o --whole-archive liblong.a -o prog.bfd
  expect_error "mini-ld: liblong.a(another_member_with_a_long_name.o): duplicate symbol 'foo' (first defined in foo.o)" \
    rt.o main.o foo.o --whole-archive liblong.a
}

@test "ld: two archive members with the same name are told apart" {
  runtime
  obj main <<'C'
int util_two(void);
int main(void) { return util_two(); }
C
  mkdir d1 d2
  obj d1/util <<'C'
int util_one(void) { return 1; }
C
  obj d2/util <<'C'
int util_two(void) { return 2; }
C
  ar q libdup.a d1/util.o d2/util.o
  [ "$(ar t libdup.a | tr '\n' ' ')" = "util.o util.o " ]
  link_both prog rt.o main.o libdup.a
  run_both prog
  [ "$status" -eq 2 ]
  [ "$output" = "" ]
  check_layout prog
  # The second util.o was loaded, not the first.
  run nm prog
  [[ "$output" == *" T util_two"* ]]
  [[ "$output" != *util_one* ]]
}

@test "ld: both archive members with the same name load when both are needed" {
  runtime
  obj main <<'C'
int util_one(void);
int util_two(void);
int main(void) { return 10 * util_one() + util_two(); }
C
  mkdir d1 d2
  obj d1/util <<'C'
int util_one(void) { return 1; }
C
  obj d2/util <<'C'
int util_two(void) { return 2; }
C
  ar q libdup.a d1/util.o d2/util.o
  link_both prog rt.o main.o libdup.a
  run_both prog
  [ "$status" -eq 12 ]
  [ "$output" = "" ]
  check_layout prog
}

@test "ld: an archive member that defines a COMMON symbol replaces it, like GNU ld" {
  runtime
  obj tentative -fcommon <<'C'
int counter;
C
  obj def <<'C'
int counter = 7;
C
  obj main <<'C'
extern int counter;
int main(void) { return counter; }
C
  ar rc libdef.a def.o
  link_both prog rt.o main.o tentative.o libdef.a
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "" ]
  check_layout prog
}

@test "ld: a link that loads nothing at all writes a program of headers only, with a warning" {
  obj lib <<'C'
int helper(void) { return 1; }
C
  ar rcs libh.a lib.o
  run "$MINI_LD" libh.a -o empty
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ld: warning: cannot find entry symbol '_start'; defaulting to 0x400000" ]
  [ "$(readelf -lW empty | grep -c ' LOAD ')" -eq 1 ]
  run ld.bfd libh.a -o empty.bfd
  [ "$status" -eq 0 ]
}

@test "ld: --push-state and --pop-state save and restore --whole-archive" {
  runtime
  obj main <<'C'
int main(void) { return 0; }
C
  obj a_unused <<'C'
int a_unused(void) { return 1; }
C
  obj b_unused <<'C'
int b_unused(void) { return 2; }
C
  ar rcs liba.a a_unused.o
  ar rcs libb.a b_unused.o
  link_both prog rt.o main.o --push-state --whole-archive liba.a --pop-state libb.a
  run_both prog
  nm prog | grep -q ' a_unused$'
  ! nm prog | grep -q ' b_unused$'
  run -1 "$MINI_LD" rt.o main.o --pop-state -o prog2
  [ "$output" = "mini-ld: --pop-state without --push-state" ]
}

@test "ld: an archive taken whole, then named again or rescanned by its group, links (as with GNU ld)" {
  # The second look at the archive scans its index, which an archive taken whole had
  # not set up: mini-ld crashed (found by fuzz_link, tests/fuzz/README.md).
  runtime
  obj main <<'C'
int f(void);
int main(void) { return f(); }
C
  obj f <<'C'
int g(void);
int f(void) { return g(); }
C
  obj g <<'C'
int g(void) { return 5; }
C
  ar rc libfg.a f.o g.o
  link_both prog rt.o main.o --whole-archive libfg.a --no-whole-archive libfg.a
  run_both prog
  [ "$status" -eq 5 ]
  link_both prog rt.o main.o --start-group --whole-archive libfg.a --no-whole-archive --end-group
  run_both prog
  [ "$status" -eq 5 ]
  # Without an index (which GNU ld refuses), the index is built when first needed.
  ar rcS libnoindex.a f.o g.o
  run "$MINI_LD" rt.o main.o --whole-archive libnoindex.a --no-whole-archive libnoindex.a -o prog
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 5 ]
}

@test "ld: an archive searched, then named again with --whole-archive, loads each member once" {
  # The first look reads the index alone (and the members it pulls); taken whole
  # later, every member is read, and the one already loaded is not loaded again
  # (which would define f twice).
  runtime
  obj main <<'C'
int f(void);
int main(void) { return f(); }
C
  obj f <<'C'
int f(void) { return 6; }
C
  obj g <<'C'
int g(void) { return 7; }
C
  ar rc libfg.a f.o g.o
  run -0 "$MINI_LD" rt.o main.o libfg.a --whole-archive libfg.a --no-whole-archive -o prog
  run -6 ./prog
  run -0 nm prog
  [[ $output == *" T g"* ]]
  [ "$(grep -c " T f$" <<<"$output")" -eq 1 ]
}

@test "ld: BSD-format archives (llvm-ar --format=bsd: #1/LEN names, __.SYMDEF) link" {
  command -v llvm-ar >/dev/null || skip "llvm-ar is not installed"
  runtime
  obj main <<'C'
int helper_with_a_long_name(void);
int main(void) { return helper_with_a_long_name(); }
C
  obj helper_object_with_long_name <<'C'
int helper_with_a_long_name(void) { return 7; }
C
  llvm-ar --format=bsd rcs libbsd.a helper_object_with_long_name.o
  head -c 11 libbsd.a | tail -c 3 | grep -q '#1/'
  run "$MINI_LD" rt.o main.o libbsd.a -o prog -Map=prog.map
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 7 ]
  grep -qx 'libbsd.a(helper_object_with_long_name.o)' prog.map
}
