#!/usr/bin/env bats
# The same inputs give the same bytes, whoever runs the tool, from wherever, with
# whatever environment (issue 12, item 5). A build is reproducible only if the linker
# and the archiver are: no time of day, no working directory, no locale, no umask, no
# owner of an input file may leak into an output.
#
# Each test builds its inputs once, then copies them into three places and runs the
# same command in each, under three variants:
#
#   a/            umask 022  LANG=C
#   b/deeper/dir  umask 077  LANG, LC_ALL de_DE.UTF-8, TZ Pacific/Chatham,
#                            SOURCE_DATE_EPOCH=1; the inputs a day old and (as root)
#                            owned by another user
#   /             umask 002  LC_ALL C.UTF-8, TZ UTC, SOURCE_DATE_EPOCH=4000000000;
#                            the inputs named by absolute paths into c/
#
# and checks that the three outputs are byte-identical (cmp). The environment is
# exactly the one listed (env -i), plus PATH, HOME and the sanitizers' options. (Output
# *modes* follow the umask, as they should; only the bytes are compared.)
#
# The thread count is the fourth variable: the last tests link the same inputs on 1,
# 2, 3 and 8 threads (--threads=N; the default is one per CPU) and compare.

load helpers

# in_variant N CMD...: run CMD in variant N's directory, umask and environment. In
# CMD, the word @ stands for the variant's path to its inputs ("." or, in variant 3,
# the absolute path of c/), and @/ inside a word for that path and a slash
# (@/hello.o, -Wl,-Map=@/hello.map).
in_variant() {
  local n=$1 dir mask base
  shift
  local env=(PATH="$PATH" HOME="$HOME") v
  # The sanitizer build's settings (make check) are not part of the experiment.
  for v in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
    [ -n "${!v:-}" ] && env+=("$v=${!v}")
  done
  case $n in
  1) dir=$BATS_TEST_TMPDIR/a mask=022 base=. env+=(LANG=C) ;;
  2) dir=$BATS_TEST_TMPDIR/b/deeper/dir mask=077 base=.
     env+=(LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 TZ=Pacific/Chatham SOURCE_DATE_EPOCH=1) ;;
  3) dir=/ mask=002 base=$BATS_TEST_TMPDIR/c
     env+=(LC_ALL=C.UTF-8 TZ=UTC SOURCE_DATE_EPOCH=4000000000) ;;
  esac
  local args=() a
  for a in "$@"; do
    case $a in
    @) args+=("$base") ;;
    *@/*) args+=("${a//@\//$base/}") ;;
    *) args+=("$a") ;;
    esac
  done
  (cd "$dir" && umask "$mask" && exec env -i "${env[@]}" "${args[@]}")
}

# The directory variant N works in (where relative outputs land).
variant_dir() {
  case $1 in
  1) echo "$BATS_TEST_TMPDIR/a" ;;
  2) echo "$BATS_TEST_TMPDIR/b/deeper/dir" ;;
  3) echo "$BATS_TEST_TMPDIR/c" ;;
  esac
}

# spread FILE...: copies the inputs into the three variants' directories, each copy
# made under that variant's umask; variant 2's copies are a day old and, when we
# are root, owned by someone else.
spread() {
  local n f d
  for n in 1 2 3; do
    d=$(variant_dir $n)
    mkdir -p "$d"
    for f in "$@"; do
      in_variant "$n" cp "$BATS_TEST_TMPDIR/$f" "$d/$f"
    done
  done
  d=$(variant_dir 2)
  for f in "$@"; do
    touch -d '1 day ago' "$d/$f"
    [ "$(id -u)" = 0 ] && chown 1234:1234 "$d/$f"
  done
  return 0
}

# same OUT: OUT (a path relative to each variant's directory) is byte-identical in
# every variant ($VARIANTS, default "1 2 3").
same() {
  local out=$1 n
  local first
  first=$(variant_dir 1)/$out
  [ -s "$first" ] || { echo "variant 1 wrote no $out" >&2; return 1; }
  for n in ${VARIANTS:-2 3}; do
    [ "$n" = 1 ] && continue
    if ! cmp "$first" "$(variant_dir "$n")/$out" >&2; then
      echo "$out differs between variant 1 and variant $n" >&2
      return 1
    fi
  done
}

# link_everywhere OUT CMD...: runs CMD in each variant (its -o names @/OUT, so that
# variant 3, whose working directory is /, writes into c/ too), then checks the
# three outputs.
link_everywhere() {
  local out=$1 n
  shift
  for n in ${VARIANTS:-1 2 3}; do
    run in_variant "$n" "$@"
    if [ "$status" -ne 0 ]; then
      echo "variant $n failed ($status): $output" >&2
      return 1
    fi
  done
  same "$out"
}

hello_c() {
  cat >hello.c <<'C'
#include <stdio.h>
#include <string.h>
#include <time.h>

static char buf[64];            // .bss
const char *greeting = "hello"; // .data with a relocation

int main(int argc, char **argv) {
  (void)argv;
  strcpy(buf, greeting);
  printf("%s, %d\n", buf, argc);
  return time(NULL) < 0;
}
C
  cc -O1 -c hello.c -o hello.o
}

@test "determinism: a static C program is linked to the same bytes everywhere" {
  hello_c
  spread hello.o
  link_everywhere hello gcc -static -B "$MINI_BIN/" @/hello.o -o @/hello
  run "$(variant_dir 1)/hello"
  [ "$output" = "hello, 1" ]
}

@test "determinism: a dynamically linked C program is linked to the same bytes everywhere" {
  hello_c
  spread hello.o
  link_everywhere hello gcc -B "$MINI_BIN/" @/hello.o -o @/hello
  run "$(variant_dir 2)/hello"
  [ "$output" = "hello, 1" ]
}

@test "determinism: an LTO link, through the compiler's plugin and its temporary files, gives the same bytes everywhere" {
  hello_c
  cc -O2 -flto -c hello.c -o hello-lto.o
  spread hello-lto.o
  link_everywhere hello gcc -O2 -flto -B "$MINI_BIN/" @/hello-lto.o -o @/hello
  run "$(variant_dir 3)/hello"
  [ "$output" = "hello, 1" ]
}

@test "determinism: a C++ program, with exceptions and templates, is linked to the same bytes everywhere" {
  cat >prog.cc <<'CC'
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>

template <typename T> T twice(T v) { return v + v; }

int main() {
  std::map<std::string, int> m{{"a", 1}, {"b", 2}};
  try {
    throw std::runtime_error(twice(std::string("x")));
  } catch (const std::exception &e) {
    std::cout << e.what() << ' ' << m.at("b") << ' ' << twice(21) << '\n';
  }
}
CC
  g++ -O1 -c prog.cc -o prog.o
  spread prog.o
  link_everywhere prog g++ -B "$MINI_BIN/" @/prog.o -o @/prog
  run "$(variant_dir 3)/prog"
  [ "$output" = "xx 2 42" ]
  link_everywhere prog-static g++ -static -B "$MINI_BIN/" @/prog.o -o @/prog-static
  run "$(variant_dir 1)/prog-static"
  [ "$output" = "xx 2 42" ]
}

@test "determinism: a shared library and a link map are the same bytes everywhere" {
  cat >lib.c <<'C'
int counter;
int bump(int by) { return counter += by; }
C
  cc -O1 -fPIC -c lib.c -o lib.o
  spread lib.o
  link_everywhere libbump.so gcc -shared -B "$MINI_BIN/" @/lib.o -o @/libbump.so \
    -Wl,-Map=@/libbump.map
  # The map names each input as the command line did: variant 3's absolute paths
  # are different content there, so only the variants with relative names compare.
  VARIANTS="1 2" same libbump.map
}

@test "determinism: mini-ld with an archive and -L gives the same bytes everywhere" {
  runtime
  obj main <<'C'
int pick(void);
int main(void) { return pick(); }
C
  obj pick <<'C'
int pick(void) { return 42; }
C
  "$MINI_AR" rcs libpick.a pick.o
  spread rt.o main.o libpick.a
  link_everywhere main "$MINI_LD" @/rt.o @/main.o -L @ -lpick -o @/main
  run "$(variant_dir 1)/main"
  [ "$status" -eq 42 ]
}

@test "determinism: mini-ar writes the same archive everywhere" {
  obj one <<'C'
int one(void) { return 1; }
C
  obj a_member_name_longer_than_fifteen <<'C'
int two(void) { return 2; }
int shared_counter;
C
  spread one.o a_member_name_longer_than_fifteen.o
  link_everywhere lib.a "$MINI_AR" rcs @/lib.a @/one.o @/a_member_name_longer_than_fifteen.o
  # The same archive as GNU ar's deterministic mode, which is Debian's default.
  ar rcsD gnu.a one.o a_member_name_longer_than_fifteen.o
  cmp gnu.a "$(variant_dir 1)/lib.a"
}

@test "determinism: mini-ar's edits and thin archives are the same everywhere" {
  obj one <<'C'
int one(void) { return 1; }
C
  obj two <<'C'
int two(void) { return 2; }
C
  spread one.o two.o
  link_everywhere lib.a "$MINI_AR" rcs @/lib.a @/one.o @/two.o
  # Replace a member whose file is now newer (r) and delete one (d): the index and the
  # member headers must not pick up the new file's date, mode or owner.
  local n
  for n in 1 2 3; do
    touch "$(variant_dir "$n")/one.o"
  done
  link_everywhere lib.a "$MINI_AR" r @/lib.a @/one.o
  link_everywhere lib.a "$MINI_AR" d @/lib.a @/two.o
  # A thin archive stores the paths it was given, as GNU ar's does: variant 3's
  # absolute paths are different content, not a different environment.
  VARIANTS="1 2" link_everywhere thin.a "$MINI_AR" rcsT @/thin.a @/one.o @/two.o
}

# threads_agree OUT CMD...: runs CMD (whose -o names OUT) with -Wl,--threads=N for
# several N, and twice with 8 threads, and checks that every output is the same.
threads_agree() {
  local out=$1 n
  shift
  for n in 1 2 3 8 8; do
    "$@" -Wl,--threads=$n -o "$out.$n" || return 1
    if [ "$n" != 1 ] && ! cmp "$out.1" "$out.$n" >&2; then
      echo "$out on $n threads differs from $out on one" >&2
      return 1
    fi
  done
  "$@" -Wl,--no-threads -o "$out.none" && cmp "$out.1" "$out.none"
}

@test "determinism: the same bytes on 1, 2, 3 and 8 threads: static, dynamic, shared, C++" {
  hello_c
  cat >lib.c <<'C'
int counter;
const char *name(void) { return "lib"; }
int bump(int n) { return counter += n; }
C
  cat >prog.cc <<'CC'
#include <iostream>
#include <map>
#include <string>
int main() {
  std::map<std::string, int> m{{"a", 1}, {"b", 2}};
  std::cout << m.at("b") << '\n';
}
CC
  cc -O1 -fPIC -c lib.c -o lib.o
  g++ -O1 -c prog.cc -o prog.o
  threads_agree hello-static cc -static -B "$MINI_BIN/" hello.o -Wl,-Map=hello.map
  cmp hello.map <(cc -static -B "$MINI_BIN/" hello.o -Wl,-Map=/dev/stdout -o /dev/null)
  threads_agree hello cc -B "$MINI_BIN/" hello.o -Wl,--gc-sections
  threads_agree lib.so cc -shared -B "$MINI_BIN/" lib.o
  threads_agree prog-static g++ -static -B "$MINI_BIN/" prog.o -Wl,--emit-relocs
  run ./prog-static.3
  [ "$output" = 2 ]
  run ./hello.8 x
  [ "$output" = "hello, 2" ]
}

@test "determinism: messages from a parallel pass come in file order, whatever the threads" {
  # 40 objects that a PIE cannot use as they are: each gets an error and a warning
  # from scan_relocs, which scans files on several threads.
  printf '\t.globl _start\n_start:\tret\n\t.section .note.GNU-stack,"",@progbits\n' >start.s
  cc -c start.s -o start.o
  local i objs=()
  for i in $(seq 1 40); do
    printf 'extern int v%d;\nint *p%d(void) { static int *q; q = &v%d; return q; }\nint v%d;\nconst long a%d = (long)&v%d;\n' \
      "$i" "$i" "$i" "$i" "$i" "$i" >"t$i.c"
    cc -O1 -fno-pic -c "t$i.c" -o "t$i.o"
    objs+=("t$i.o")
  done
  run -1 "$MINI_LD" -pie --threads=1 start.o "${objs[@]}" -o prog
  local one=$output
  [ "$(grep -c 'recompile with -fPIE' <<<"$one")" -eq 80 ]
  # In file order: t1.o, t2.o, ..., each with its error, then its warning.
  [ "$(grep -o '^mini-ld: \(warning: \)\?t[0-9]*\.o' <<<"$one" | sed 's/.* //' | uniq | head -3 | tr '\n' ' ')" = "t1.o t2.o t3.o " ]
  for i in 1 2 3; do
    run -1 "$MINI_LD" -pie --threads=8 start.o "${objs[@]}" -o prog
    [ "$output" = "$one" ]
  done
}
