#!/usr/bin/env bats
# Each operation (r q d m s t x p) and modifier does to an archive what GNU ar 2.40
# does: the same members in the same order, the same bytes, the same output.

bats_require_minimum_version 1.5.0
load helpers

# Objects m1.o .. m4.o (m1 defines f1, ...), an odd-sized text file, and base.a
# made by GNU ar from m1 m2 m3 and the text file; gnu.a and mini.a start as copies.
fixtures() {
  local i
  for i in 1 2 3 4; do
    obj m$i <<C
int f$i(void) { return $i; }
C
  done
  printf 'hello' >odd.txt
  ar rcs base.a m1.o m2.o m3.o odd.txt
  cp base.a gnu.a
  cp base.a mini.a
}

members() {
  "$MINI_AR" t "$1" | tr '\n' ' '
}

@test "ar: r replaces a member in place" {
  fixtures
  obj m2 <<'C'
int f2(void) { return 22; }
int g2;
C
  ar_both rv @.a m2.o
  [ "$(cat mini.out)" = "r - m2.o" ]
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt " ]
  run nm -s mini.a
  [[ "$output" == *"g2 in m2.o"* ]]
}

@test "ar: r adds new members at the end" {
  fixtures
  ar_both rv @.a m4.o m1.o
  [ "$(cat mini.out)" = "$(printf 'a - m4.o\nr - m1.o')" ]
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt m4.o " ]
}

@test "ar: a and b put new and replaced members next to the position member" {
  fixtures
  ar_both ra m1.o @.a m4.o odd.txt
  [ "$(members mini.a)" = "m1.o odd.txt m4.o m2.o m3.o " ]
  cp base.a gnu.a
  cp base.a mini.a
  ar_both rb m2.o @.a m4.o m3.o
  [ "$(members mini.a)" = "m1.o m4.o m3.o m2.o odd.txt " ]
  cp base.a gnu.a
  cp base.a mini.a
  ar_both ri m1.o @.a m4.o
  [ "$(members mini.a)" = "m4.o m1.o m2.o m3.o odd.txt " ]
}

@test "ar: r of the same new file twice adds it twice, like GNU ar" {
  fixtures
  ar_both r @.a m4.o m4.o m1.o m1.o
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt m4.o m4.o m1.o " ]
}

@test "ar: q appends even when a member has the same name" {
  fixtures
  ar_both qv @.a m1.o m4.o
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt m1.o m4.o " ]
  run nm -s mini.a
  [[ "$output" == *"f4 in m4.o"* ]]
}

@test "ar: qs and qS are done as r, like GNU ar" {
  fixtures
  ar_both qs @.a m1.o
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt " ]
  ar_both qS @.a m4.o
  run nm -s mini.a
  [[ "$output" != *"Archive index"* ]]
}

@test "ar: d deletes the first member of each name" {
  fixtures
  ar_both dv @.a m2.o odd.txt
  [ "$(cat mini.out)" = "$(printf 'd - m2.o\nd - odd.txt')" ]
  [ "$(members mini.a)" = "m1.o m3.o " ]
}

@test "ar: dN deletes the count-th member of a repeated name" {
  fixtures
  ar q gnu.a m1.o m1.o
  ar q mini.a m1.o m1.o
  ar_both dN 2 @.a m1.o
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt m1.o " ]
  ar_both d @.a m1.o m1.o
  [ "$(members mini.a)" = "m2.o m3.o odd.txt " ]
}

@test "ar: m moves members to the end" {
  fixtures
  ar_both mv @.a m1.o m2.o
  [ "$(members mini.a)" = "m3.o odd.txt m1.o m2.o " ]
}

@test "ar: ma and mb move members next to the position member" {
  fixtures
  # Each file is placed after m1.o in turn, so they end up in reverse order.
  ar_both ma m1.o @.a odd.txt m3.o
  [ "$(members mini.a)" = "m1.o m3.o odd.txt m2.o " ]
  ar_both mb m1.o @.a m2.o odd.txt
  [ "$(members mini.a)" = "m2.o odd.txt m1.o m3.o " ]
}

@test "ar: s adds an index to an archive that has none" {
  fixtures
  ar rcS gnu.a m4.o
  ar rcS mini.a m4.o
  ar_both s @.a
  run nm -s mini.a
  [[ "$output" == *"Archive index:"*"f4 in m4.o"* ]]
  ar_both -s @.a
  ar_both ts @.a
}

@test "ar: r keeps an index, S drops it" {
  fixtures
  ar_both r @.a m4.o
  run nm -s mini.a
  [[ "$output" == *"f4 in m4.o"* ]]
  ar_both rS @.a m4.o
  run nm -s mini.a
  [[ "$output" != *"Archive index"* ]]
}

@test "ar: the dash, separate-option and --thin spellings work" {
  fixtures
  rm -f gnu.a mini.a
  ar_both -rcs @.a m1.o m2.o
  ar_both -r -c -s @2.a m1.o m2.o
  cmp mini.a mini2.a
  ar_both --thin -rc @3.a m1.o
  [ "$(head -c 8 mini3.a)" = '!<thin>' ]
}

@test "ar: r with no files creates an empty archive" {
  run "$MINI_AR" r new.a
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ar: creating new.a" ]
  [ "$(cat new.a)" = '!<arch>' ]
  run "$MINI_AR" rc quiet.a
  [ "$output" = "" ]
}

@test "ar: t lists members like GNU ar, with v and O" {
  fixtures
  ar_both t @.a
  ar_both tv @.a
  ar_both tvO @.a
  ar_both t @.a odd.txt m1.o
  [ "$(cat mini.out)" = "$(printf 'odd.txt\nm1.o')" ]
}

@test "ar: x extracts members with the header's mode, and o keeps the date" {
  fixtures
  chmod 751 odd.txt
  touch -d '2001-02-03 04:05:06' odd.txt
  ar rcU u.a m1.o odd.txt
  mkdir gnu mini
  (cd gnu && ar xo ../u.a)
  (cd mini && "$MINI_AR" xo ../u.a)
  cmp gnu/odd.txt odd.txt
  cmp mini/odd.txt odd.txt
  cmp mini/m1.o m1.o
  [ "$(stat -c '%a %Y' mini/odd.txt)" = "$(stat -c '%a %Y' gnu/odd.txt)" ]
  [ "$(stat -c '%a %Y' mini/odd.txt)" = "751 $(stat -c %Y odd.txt)" ]
  [ "$(stat -c '%a' mini/m1.o)" = "$(stat -c '%a' m1.o)" ]
}

@test "ar: xv extracts the named members and xN picks an instance" {
  fixtures
  obj m1 <<'C'
int f1(void) { return 11; }
C
  ar q base.a m1.o
  mkdir out
  cd out
  run "$MINI_AR" xv ../base.a odd.txt m1.o
  [ "$output" = "$(printf 'x - odd.txt\nx - m1.o')" ]
  ar p ../base.a m1.o | cmp - m1.o
  "$MINI_AR" xN 2 ../base.a m1.o
  cmp m1.o ../m1.o
}

@test "ar: p prints members, with a heading under v" {
  fixtures
  ar_both p @.a odd.txt
  [ "$(cat mini.out)" = hello ]
  ar_both pv @.a odd.txt m2.o
  ar_both p @.a
}

@test "ar: u with U replaces only members older than their file" {
  fixtures
  touch -d '2001-01-01' m1.o m2.o
  ar rcU gnu.a m1.o m2.o
  ar rcU mini.a m1.o m2.o
  obj m2 <<'C'
int f2(void) { return 22; }
C
  touch -d '2002-01-01' m2.o
  touch -d '2000-01-01' m1.o
  ar_both ruvU @.a m1.o m2.o
  [ "$(cat mini.out)" = "r - m2.o" ]
}

@test "ar: P matches names with their directories" {
  fixtures
  mkdir sub
  cp m4.o sub/m4.o
  rm gnu.a mini.a
  ar rcT gnu.a m1.o sub/m4.o
  ar rcT mini.a m1.o sub/m4.o
  # Without P, "sub/m4.o" loses its directory and matches nothing in a thin archive.
  ar_both dP @.a sub/m4.o
  [ "$(members mini.a)" = "m1.o " ]
  # With P, a normal archive stores the name as given.
  cp m4.o sub/a_long_name_in_a_directory.o
  ar_both rcP @2.a sub/m4.o sub/a_long_name_in_a_directory.o
  grep -q 'sub/a_long_name_in_a_directory.o/' mini2.a
}

@test "ar: a thin archive in another directory is edited like GNU ar does" {
  fixtures
  mkdir lib
  ar rcsT lib/gnu.a m1.o m2.o
  ar rcsT lib/mini.a m1.o m2.o
  ar_both rT lib/@.a m2.o m3.o
  ar_both s lib/@.a
  # Members of a thin archive are named by their path from here: m and d need P.
  ar_both maP lib/../m1.o lib/@.a lib/../m3.o
  [ "$(members lib/mini.a)" = "lib/../m1.o lib/../m3.o lib/../m2.o " ]
  ar_both tv lib/@.a
}

@test "ar: an archive keeps its permissions and symbolic links still point at it" {
  fixtures
  chmod 600 mini.a
  ln -s mini.a link.a
  "$MINI_AR" r link.a m4.o
  [ -L link.a ]
  [ "$(stat -c %a mini.a)" = 600 ]
  [ "$(members mini.a)" = "m1.o m2.o m3.o odd.txt m4.o " ]
}

@test "ar: an archive behind a symbolic link to another directory is replaced there" {
  fixtures
  mkdir lib
  mv mini.a lib/mini.a
  ln -s lib/mini.a link.a
  # The temporary file goes next to the target, so the rename stays in lib/.
  "$MINI_AR" r link.a m4.o
  [ -L link.a ] && [ "$(readlink link.a)" = lib/mini.a ]
  [ "$(members lib/mini.a)" = "m1.o m2.o m3.o odd.txt m4.o " ]
  ! compgen -G '*.tmp.*' && ! compgen -G 'lib/*.tmp.*'
}

@test "ar: a new archive gets 0666 minus the umask, as with GNU ar" {
  fixtures
  (umask 027 && ar rc gnu-new.a m1.o && "$MINI_AR" rc mini-new.a m1.o)
  [ "$(stat -c %a mini-new.a)" = 640 ]
  [ "$(stat -c %a gnu-new.a)" = 640 ]
}

@test "ar: @FILE reads arguments from a file, with quotes" {
  fixtures
  rm gnu.a mini.a
  cp odd.txt 'my file.txt'
  printf 'rcs gnu.a m1.o\n  "my file.txt" @more.rsp\n' >gnu.rsp
  printf 'rcs mini.a m1.o\n  "my file.txt" @more.rsp\n' >mini.rsp
  printf "'m2.o'\n" >more.rsp
  ar @gnu.rsp
  "$MINI_AR" @mini.rsp
  cmp gnu.a mini.a
  [ "$(members mini.a)" = "m1.o my file.txt m2.o " ]
}

@test "ar: --output=DIR extracts into DIR" {
  fixtures
  mkdir out
  "$MINI_AR" x --output=out base.a m2.o
  cmp out/m2.o m2.o
  "$MINI_AR" xv --output out base.a odd.txt >log
  [ "$(cat log)" = "x - out/odd.txt" ]
  cmp out/odd.txt odd.txt
}

@test "ar: --help and --version exit 0" {
  run "$MINI_AR" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Usage: mini-ar "* ]]
  run "$MINI_AR" --version
  [ "$status" -eq 0 ]
  [[ "$output" == "mini-ar "* ]]
}
