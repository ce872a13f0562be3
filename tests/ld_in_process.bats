#!/usr/bin/env bats
# mini-ld linking several times in one process (ld_main), as the whole-link fuzz
# harness does: a failed link unwinds to ld_main, which frees what the link held,
# and the next link starts from nothing. The driver is tests/fuzz/fuzz_link.c
# built with -DLINK_DRIVER against the objects `make` built (build-san/ under
# `make check`, so that LeakSanitizer looks at every run); it prints each link's
# exit status, and says so if a link left a descriptor open.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
  local objdir=$REPO/build flags=(-O1 -g)
  if [ -n "${MINI_SANITIZED:-}" ]; then
    objdir=$REPO/build-san
    flags=(-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  fi
  local objs=()
  mapfile -t objs < <(ls "$objdir"/ld/*.o "$objdir"/ld/*/*.o "$objdir"/common/*.o | grep -v '/ld/main\.o$')
  cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror "${flags[@]}" -DLINK_DRIVER \
    "$REPO/tests/fuzz/fuzz_link.c" "${objs[@]}" -o "$BATS_FILE_TMPDIR/link_driver"
}

driver() {
  "$BATS_FILE_TMPDIR/link_driver" "$@"
}

# A crt-free program of two objects: main.o calls f in f.o and exits with 42.
program() {
  obj main <<'C'
int f(int);
void _start(void) {
  __asm__ volatile("mov %0, %%edi; mov $60, %%eax; syscall" : : "r"(f(40)) : "rdi", "rax");
  for (;;) {}
}
C
  obj f <<'C'
static const char *s = "xy";
int f(int x) { return x + (s[1] - s[0]) + 1; }
C
}

@test "ld: a link after failed ones in the same process gives mini-ld's bytes" {
  program
  printf 'not an object\0' >junk.o
  cp f.o short.o
  truncate -s 100 short.o                # section header table past the end
  obj undef <<'C'
int nowhere(void);
int f(int x) { return nowhere() + x; }
C
  "$MINI_LD" -static main.o f.o -o want
  run --separate-stderr driver -static -o out1 main.o junk.o \
    --- -static -o out2 main.o short.o \
    --- -static -o out3 main.o undef.o \
    --- -static -o out4 main.o f.o --no-such-option \
    --- --version \
    --- -static -o out5 main.o f.o
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "status 1 status 1 status 1 status 2 mini-ld 0.1.0 (compatible with GNU linkers) status 0 status 0" ]
  [ ! -e out1 ] && [ ! -e out2 ] && [ ! -e out3 ] && [ ! -e out4 ]
  cmp want out5
  run ./out5
  [ "$status" -eq 42 ]
}

@test "ld: the same link twice in one process gives the same bytes both times" {
  program
  "$MINI_LD" -pie --build-id --eh-frame-hdr main.o f.o -o want
  run driver -pie --build-id --eh-frame-hdr -o out1 main.o f.o \
    --- -pie --build-id --eh-frame-hdr -o out2 main.o f.o
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "status 0 status 0" ]
  cmp want out1
  cmp want out2
}

@test "ld: error count and warning mode start afresh with each link in one process" {
  program
  obj dup <<'C'
int f(int x) { return x; }
C
  # The first link fails on a duplicate definition; with --fatal-warnings, the
  # second one on a warning (an executable stack). Neither error nor mode may
  # reach the next link.
  printf '.section .note.GNU-stack,"x",@progbits\n' | asm xstack
  run --separate-stderr driver -static -o out1 main.o f.o dup.o \
    --- -static --fatal-warnings -o out2 main.o f.o xstack.o \
    --- -static -o out3 main.o f.o xstack.o
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "status 1 status 1 status 0" ]
  [ ! -e out1 ] && [ ! -e out2 ]
  "$MINI_LD" -static main.o f.o xstack.o -o want 2>/dev/null
  cmp want out3
}

@test "ld: a link that fails while writing its output leaves no file and no descriptor" {
  program
  # A call to an address 2^40 bytes away: the PC32 field overflows, which is found
  # only as the section is copied into the output, with the output open and mapped.
  printf '.globl _start\n_start: call far\n' | asm far
  mkdir dir
  run --separate-stderr driver -static --defsym far=0x10000000000 -o dir/out far.o \
    --- -static -o dir/good main.o f.o
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "status 1 status 0" ]
  [ "$(ls dir)" = "good" ]
  [[ "$stderr" == *"far.o:(.text+0x1)"*"is not in"* ]]
}

@test "ld: a link (or -r) whose output cannot be sized frees its tables before the next one" {
  program
  # Under a file size limit the output cannot be sized: the link ends with the
  # symbol and string tables built, which it used to leave behind (fuzz_link's
  # leak check found them: tests/fuzz/README.md). The next link runs all the same.
  mkdir dir
  run --separate-stderr bash -c "trap '' XFSZ; ulimit -f 1; exec '$BATS_FILE_TMPDIR/link_driver' \
    -static -o dir/big main.o f.o --- -r -o dir/big.o main.o f.o --- -static -o dir/big2 main.o f.o"
  [ "${lines[*]}" = "status 1 status 1 status 1" ]
  [[ "$stderr" == *"dir/big: cannot set size: File too large"* ]]
  [ -z "$(ls dir)" ]
}
