#!/usr/bin/env bats
# make install and make uninstall into a DESTDIR, and the installed tree used the way
# the README says: gcc -B PREFIX/lib/mini-ld/, clang -fuse-ld=PREFIX/bin/mini-ld,
# mini-ranlib, man mini-ld.

bats_require_minimum_version 1.5.0
load helpers

# make_in_repo ARGS...: make ARGS in the repository, installing the tools under test
# ($MINI_BIN: the sanitized build under make check), quietly. A make started by a
# test must not inherit the jobserver of the `make test` around it.
make_in_repo() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$REPO" FROM="$MINI_BIN" "$@"
}

# Every file and link under $1, with its mode, relative to $1: "755 usr/local/bin/mini-ld".
listing() {
  (cd "$1" && find . ! -type d -printf '%m %P\n' | sort -k2)
}

hello_c() {
  cat >hello.c <<'C'
#include <stdio.h>
int main(void) {
  puts("hello");
  return 3;
}
C
}

@test "install: the tools, mini-ranlib, the man pages and the gcc -B directory land under DESTDIR/usr/local" {
  make_in_repo install DESTDIR="$PWD/dest"
  [ "$(listing dest)" = "755 usr/local/bin/mini-ar
755 usr/local/bin/mini-ld
755 usr/local/bin/mini-loader
777 usr/local/bin/mini-ranlib
777 usr/local/lib/mini-ld/ld
644 usr/local/share/man/man1/mini-ar.1
644 usr/local/share/man/man1/mini-ld.1
644 usr/local/share/man/man1/mini-loader.1
777 usr/local/share/man/man1/mini-ranlib.1" ]
  [ "$(readlink dest/usr/local/bin/mini-ranlib)" = mini-ar ]
  [ "$(readlink dest/usr/local/share/man/man1/mini-ranlib.1)" = mini-ar.1 ]
  cmp "$REPO/man/mini-ld.1" dest/usr/local/share/man/man1/mini-ld.1
  [ "$(readlink dest/usr/local/lib/mini-ld/ld)" = ../../bin/mini-ld ]
  cmp "$MINI_LD" dest/usr/local/bin/mini-ld
  cmp "$MINI_AR" dest/usr/local/bin/mini-ar
  cmp "$MINI_LOADER" dest/usr/local/bin/mini-loader
  # Nothing named ld on PATH's side of the tree: the system's ld stays the default.
  [ ! -e dest/usr/local/bin/ld ]
}

@test "install: man finds the installed pages, mini-ranlib's too" {
  command -v man >/dev/null || skip "no man (apt-get install man-db)"
  make_in_repo install DESTDIR="$PWD/dest"
  run -0 env MANWIDTH=80 man -M "$PWD/dest/usr/local/share/man" mini-ld
  [[ "$output" == *"mini-ld - link x86-64 ELF objects"* ]]
  [[ "$output" == *"EXIT STATUS"* ]]
  run -0 env MANWIDTH=80 man -M "$PWD/dest/usr/local/share/man" mini-ranlib
  [[ "$output" == *"mini-ar, mini-ranlib - create"* ]]
  run -0 env MANWIDTH=80 man -M "$PWD/dest/usr/local/share/man" mini-loader
  [[ "$output" == *"EXIT STATUS"* ]]
}

@test "install: gcc -B PREFIX/lib/mini-ld/ links a hello with mini-ld, static and dynamic" {
  make_in_repo install DESTDIR="$PWD/dest" PREFIX=/opt/mini
  hello_c
  # -Wl,-v: mini-ld prints its version and links on; GNU ld would name itself.
  run -0 gcc -B "$PWD/dest/opt/mini/lib/mini-ld/" -Wl,-v hello.c -o hello
  [[ "$output" == *"mini-ld 0.1.0"* ]]
  run -3 ./hello
  [ "$output" = hello ]
  readelf -lW hello | grep -q INTERP
  run -0 gcc -static -B "$PWD/dest/opt/mini/lib/mini-ld/" -Wl,-v hello.c -o hello-static
  [[ "$output" == *"mini-ld 0.1.0"* ]]
  run -3 ./hello-static
  [ "$output" = hello ]
  ! readelf -lW hello-static | grep -q INTERP
}

@test "install: clang -fuse-ld=PREFIX/bin/mini-ld links a hello" {
  command -v clang >/dev/null || skip "no clang"
  make_in_repo install DESTDIR="$PWD/dest"
  hello_c
  run -0 clang -fuse-ld="$PWD/dest/usr/local/bin/mini-ld" -Wl,-v hello.c -o hello
  [[ "$output" == *"mini-ld 0.1.0"* ]]
  run -3 ./hello
  [ "$output" = hello ]
  run -0 clang -static -fuse-ld="$PWD/dest/usr/local/bin/mini-ld" -Wl,-v hello.c -o hello-static
  [[ "$output" == *"mini-ld 0.1.0"* ]]
  run -3 ./hello-static
  [ "$output" = hello ]
}

@test "install: the installed mini-ranlib indexes an archive as GNU ranlib does" {
  make_in_repo install DESTDIR="$PWD/dest"
  obj m1 <<'C'
int f1(void) { return 1; }
C
  ar rcS gnu.a m1.o
  cp gnu.a mini.a
  ranlib gnu.a
  dest/usr/local/bin/mini-ranlib mini.a
  cmp gnu.a mini.a
}

@test "install: make uninstall removes what install put there, and nothing else" {
  mkdir -p dest/usr/local/bin dest/usr/local/lib
  echo 'not ours' >dest/usr/local/bin/other-tool
  chmod 644 dest/usr/local/bin/other-tool
  make_in_repo install DESTDIR="$PWD/dest"
  make_in_repo uninstall DESTDIR="$PWD/dest"
  [ "$(listing dest)" = "644 usr/local/bin/other-tool" ]
  [ ! -e dest/usr/local/lib/mini-ld ]
  # A second uninstall finds nothing to do, and does not fail.
  make_in_repo uninstall DESTDIR="$PWD/dest"
}
