#!/usr/bin/env bats
# mini-ar run several times in one process (ar_main), as the fuzz harness does: a
# failed run unwinds to ar_main, which frees what the run held, and the next run
# starts from nothing. The driver is tests/fuzz/fuzz_ar.c built with -DAR_DRIVER
# against the objects `make` built (build-san/ under `make check`, so that
# LeakSanitizer looks at every run); it prints each run's exit status, and says so
# if a run left a descriptor open.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
  local objdir=$REPO/build flags=(-O1 -g)
  if [ -n "${MINI_SANITIZED:-}" ]; then
    objdir=$REPO/build-san
    flags=(-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  fi
  local objs=()
  mapfile -t objs < <(ls "$objdir"/ar/*.o "$objdir"/common/*.o | grep -v '/ar/main\.o$')
  cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror "${flags[@]}" -DAR_DRIVER \
    "$REPO/tests/fuzz/fuzz_ar.c" "${objs[@]}" -o "$BATS_FILE_TMPDIR/ar_driver"
}

driver() {
  "$BATS_FILE_TMPDIR/ar_driver" "$@"
}

fixtures() {
  obj one <<'C'
int one(void) { return 1; }
C
  obj two <<'C'
int two(void) { return 2; }
C
  printf 'not an archive\n' >junk.a
  ar rcs bad.a one.o two.o
  # The second member's header loses its "`\n" terminator.
  local off
  off=$(grep -abo 'two.o/' bad.a | cut -d: -f1)
  printf 'XX' | dd of=bad.a bs=1 seek=$((off + 58)) conv=notrunc status=none
}

@test "ar: runs after failed ones in the same process do what mini-ar does" {
  fixtures
  "$MINI_AR" rcs want.a one.o two.o
  mkdir out
  run --separate-stderr driver mini-ar t junk.a \
    --- mini-ar t bad.a \
    --- mini-ar x --output=nowhere want.a \
    --- mini-ar rcs new.a one.o missing.o \
    --- mini-ranlib want.a junk.a \
    --- mini-ar z want.a \
    --- mini-ar rcs new.a one.o two.o \
    --- mini-ar t new.a \
    --- mini-ar x --output=out new.a
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "status 1 status 1 status 1 status 1 status 1 status 2 status 0 one.o two.o status 0 status 0" ]
  [ "${#stderr_lines[@]}" -eq 6 ]
  cmp want.a new.a
  cmp one.o out/one.o
  cmp two.o out/two.o
}

@test "ar: an extraction that fails to write, in one process, leaves no descriptor open" {
  fixtures
  # A member called "full", extracted into /dev: the file opens, and every write
  # to it fails (ENOSPC).
  cp one.o full
  "$MINI_AR" rcs full.a full
  run --separate-stderr driver mini-ar x --output=/dev full.a --- mini-ar t full.a
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "status 1 full status 0" ]
  [ "$stderr" = "mini-ar: /dev/full: cannot write: No space left on device" ]
}
