#!/usr/bin/env bats
# mini-ar run as ranlib (under a name ending in "ranlib", or as `mini-ar -s`) does to
# an archive what GNU ranlib 2.40 does: the same bytes. gcc-ar and gcc-ranlib pass
# --plugin, which is accepted and ignored.

bats_require_minimum_version 1.5.0
load helpers

# m1.o and m2.o (defining f1, f2 and a common g2), plain.a holding them without an
# index (GNU ar's S), the text file odd.txt, and mini-ranlib: a link to mini-ar.
fixtures() {
  obj m1 <<'C'
int f1(void) { return 1; }
C
  obj m2 -fcommon <<'C'
int g2;
int f2(void) { return 2; }
C
  printf 'hello' >odd.txt
  ar rcS plain.a m1.o m2.o odd.txt
  ln -s "$MINI_AR" mini-ranlib
}

# ranlib_both ARGS...: GNU ranlib and mini-ranlib with the same ARGS ('@' in a word is
# "gnu" or "mini"); both succeed and every archive named ends byte-identical.
ranlib_both() {
  local g=() m=() a
  for a in "$@"; do
    g+=("${a//@/gnu}")
    m+=("${a//@/mini}")
  done
  ranlib "${g[@]}" || return 1
  ./mini-ranlib "${m[@]}" || return 1
  for a in "$@"; do
    case $a in *@*) cmp "${a//@/gnu}" "${a//@/mini}" >&2 || return 1 ;; esac
  done
}

@test "ranlib: mini-ranlib adds an index byte-identical to GNU ranlib's" {
  fixtures
  cp plain.a gnu.a
  cp plain.a mini.a
  ranlib_both @.a
  run nm -s mini.a
  [[ "$output" == *"Archive index:"*"f1 in m1.o"* ]]
  [[ "$output" == *"g2 in m2.o"* ]]
}

@test "ranlib: an out-of-date index is refreshed as GNU ranlib does" {
  fixtures
  ar rcs gnu.a m1.o
  # Append without updating the index (GNU ar's q with S), so f2 is missing from it.
  ar qS gnu.a m2.o
  cp gnu.a mini.a
  ranlib_both @.a
  run nm -s mini.a
  [[ "$output" == *"f2 in m2.o"* ]]
}

@test "ranlib: several archives, options anywhere, -U and --plugin as GNU ranlib" {
  fixtures
  ar rcSU real.a m1.o m2.o
  for n in gnu mini; do
    cp plain.a $n.a
    cp real.a $n-real.a
  done
  ranlib_both @.a --plugin /nowhere/liblto_plugin.so -D @-real.a
  # -U records the real date in the index: compare the rest, since the two runs
  # need not happen in the same second.
  ranlib -U gnu-real.a
  ./mini-ranlib -U --plugin=/nowhere/liblto_plugin.so mini-real.a
  cmp <(head -c 24 gnu-real.a) <(head -c 24 mini-real.a)
  cmp <(tail -c +37 gnu-real.a) <(tail -c +37 mini-real.a)
  # The index header's date field (bytes 24..35) holds the time, not 0.
  date=$(tail -c +25 mini-real.a | head -c 12 | tr -d ' ')
  [ "$date" -gt 1000000000 ]
}

@test "ranlib: mini-ar -s and mini-ar s do what ranlib does" {
  fixtures
  cp plain.a gnu.a
  cp plain.a mini.a
  cp plain.a mini-s.a
  ranlib gnu.a
  "$MINI_AR" -s mini.a
  "$MINI_AR" s mini-s.a
  cmp gnu.a mini.a
  cmp gnu.a mini-s.a
}

@test "ranlib: any name ending in ranlib is ranlib, as with GNU ar" {
  fixtures
  mkdir bin
  ln -s "$MINI_AR" bin/ranlib
  ln -s "$MINI_AR" bin/x86_64-linux-gnu-ranlib
  cp plain.a gnu.a
  cp plain.a a.a
  cp plain.a b.a
  ranlib gnu.a
  bin/ranlib a.a
  bin/x86_64-linux-gnu-ranlib b.a
  cmp gnu.a a.a
  cmp gnu.a b.a
  run bin/ranlib --version
  [ "$output" = "mini-ranlib 0.1.0 (compatible with GNU ranlib)" ]
}

@test "ranlib: -t checks the archive and changes nothing, like GNU ranlib" {
  fixtures
  cp plain.a mini.a
  ./mini-ranlib -t mini.a
  cmp plain.a mini.a
  run -1 ./mini-ranlib -t odd.txt
  [ "$output" = "mini-ranlib: odd.txt: not an archive" ]
}

@test "ranlib: usage errors exit 2, a missing archive exits 1" {
  fixtures
  run -2 ./mini-ranlib
  [ "$output" = "mini-ranlib: no archive named (try 'mini-ranlib --help')" ]
  run -2 ./mini-ranlib -x plain.a
  [ "$output" = "mini-ranlib: unknown option '-x'" ]
  run -2 ./mini-ranlib --plugin
  [ "$output" = "mini-ranlib: option '--plugin' needs a value" ]
  run -1 ./mini-ranlib nothere.a
  [ "$output" = "mini-ranlib: nothere.a: cannot open: No such file or directory" ]
  [ ! -e nothere.a ]
  run -0 ./mini-ranlib --help
  [[ "$output" == "Usage: mini-ranlib [options] archive..."* ]]
}

@test "ranlib: gcc-ar and gcc-ranlib work with mini-ar, which ignores --plugin" {
  command -v gcc-ar >/dev/null && command -v gcc-ranlib >/dev/null || skip "no gcc-ar"
  fixtures
  mkdir gnu mini
  ln -s "$(command -v ar)" gnu/ar
  ln -s "$(command -v ranlib)" gnu/ranlib
  ln -s "$MINI_AR" mini/ar
  ln -s "$MINI_AR" mini/ranlib
  # gcc-ar finds ar (and gcc-ranlib finds ranlib) through PATH, and passes
  # --plugin with the path of gcc's LTO plugin before the rest.
  PATH=$PWD/gnu:$PATH gcc-ar rcS gnu.a m1.o m2.o
  PATH=$PWD/mini:$PATH gcc-ar rcS mini.a m1.o m2.o
  cmp gnu.a mini.a
  PATH=$PWD/gnu:$PATH gcc-ranlib gnu.a
  PATH=$PWD/mini:$PATH gcc-ranlib mini.a
  cmp gnu.a mini.a
  run nm -s mini.a
  [[ "$output" == *"f1 in m1.o"* ]]
}
