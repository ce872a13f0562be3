#!/usr/bin/env bats
# Shared libraries: `gcc -shared -fPIC -B bin/`, the seeds' libprocess.so. Each
# library is linked by mini-ld and by GNU ld, and programs linked against each (by
# both linkers) must behave alike.

bats_require_minimum_version 1.5.0
load helpers

dyn_value() {
  readelf -dW "$1" | awk -v tag="($2)" '$2 == tag { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}

# libprocess.so as in the seed: func1, func2, a variable, a static helper.
process_lib() {
  cat >process.c <<'C'
#include <stdio.h>
int shared_counter = 40;
static int helper(void) { return 1; }
void func1(void) { printf("func1 %d\n", shared_counter + helper()); }
void func2(void) { printf("func2\n"); func1(); }
int local_only(void) { return 5; }
C
  cat >main.c <<'C'
void func2(void);
extern int shared_counter;
int main(void) { shared_counter++; func2(); return 0; }
C
}

@test "shared: gcc -shared -B bin/ makes a library that programs of both linkers use" {
  process_lib
  dyn_both libprocess.so gcc -shared -fPIC process.c -Wl,-soname,libprocess.so
  readelf -hW libprocess.so | grep -q 'DYN (Shared object file)'
  [ "$(dyn_value libprocess.so SONAME)" = "Library soname: [libprocess.so]" ]
  ! readelf -lW libprocess.so | grep -q INTERP
  check_layout libprocess.so
  readelf --dyn-syms -W libprocess.so | grep -q ' func1$'
  ! readelf --dyn-syms -W libprocess.so | grep -q ' helper$'
  # A program linked by GNU ld against our library, and by us against GNU ld's.
  gcc main.c -L. -lprocess -Wl,-rpath,'$ORIGIN' -o gnu-uses-ours
  run ./gnu-uses-ours
  [ "$output" = "$(printf 'func2\nfunc1 42')" ]
  gcc -B "$MINI_BIN/" main.c -L. -lprocess -Wl,-rpath,'$ORIGIN' -o ours-uses-ours
  run ./ours-uses-ours
  [ "$output" = "$(printf 'func2\nfunc1 42')" ]
}

@test "shared: a library's global functions can be interposed by the program" {
  cat >lib.c <<'C'
int hook(void) { return 1; }
int call_hook(void) { return hook(); }
C
  gcc -shared -fPIC -B "$MINI_BIN/" lib.c -o libhook.so
  # The call goes through the PLT, not straight to the library's own hook.
  readelf -rW libhook.so | grep -q 'R_X86_64_JUMP_SLOT .* hook'
  cat >main.c <<'C'
int call_hook(void);
int hook(void) { return 2; }
int main(void) { return call_hook(); }
C
  gcc main.c -L. -lhook -Wl,-rpath,'$ORIGIN' -o main
  run ./main
  [ "$status" -eq 2 ]
}

@test "shared: a version script's local: * keeps everything but global: inside the library" {
  process_lib
  printf '{\n  global: func1; func2;\n  local: *;\n};\n' >process.map
  dyn_both libprocess.so gcc -shared -fPIC process.c -Wl,--version-script=process.map
  for lib in libprocess.so libprocess.so.bfd; do
    readelf --dyn-syms -W $lib | grep -q ' func2$'
    ! readelf --dyn-syms -W $lib | grep -q ' local_only$'
    ! readelf --dyn-syms -W $lib | grep -q ' shared_counter$'
  done
  # func2's call to func1 stays a PLT call: func1 is still global.
  cat >m2.c <<'C'
void func2(void);
int main(void) { func2(); return 0; }
C
  gcc -B "$MINI_BIN/" m2.c -L. -lprocess -Wl,-rpath,'$ORIGIN' -o m2
  run ./m2
  [ "$output" = "$(printf 'func2\nfunc1 41')" ]
}

@test "shared: non-PIC code and local-exec TLS are refused with a reason" {
  printf 'extern int x;\nint get(void) { return x; }\n' >nopic.c
  cc -fno-pic -c nopic.c -o nopic.o
  run -1 "$MINI_LD" -shared nopic.o -o lib.so
  [[ "$output" == *"cannot be used when making a shared library; recompile with -fPIC" ]]
  printf '__thread int t;\nint get(void) { return t; }\n' >tls.c
  cc -fPIC -ftls-model=local-exec -c tls.c -o tls.o
  run -1 "$MINI_LD" -shared tls.o -o lib.so
  [[ "$output" == *"R_X86_64_TPOFF32 (local exec) cannot be used in a shared library; recompile with -fPIC" ]]
  [ ! -e lib.so ]
}

@test "shared: thread-local variables in every model and dialect, in threads and through dlopen" {
  cat >tl.c <<'C'
__thread int tls_value = 9;
static __thread int tls_local = 100;
int *tls_address(void) { return &tls_value; }
int bump_local(void) { return ++tls_local; }
C
  cat >tm.c <<'C'
#include <pthread.h>
#include <stdio.h>
extern __thread int tls_value;
int *tls_address(void);
int bump_local(void);
static void *thread(void *arg) {
  tls_value += (int)(long)arg;
  bump_local();
  return (void *)(long)(tls_value * (&tls_value == tls_address()) + bump_local());
}
int main(void) {
  pthread_t t;
  void *r;
  pthread_create(&t, 0, thread, (void *)5);
  pthread_join(t, &r);
  printf("%d %ld %d %d\n", tls_value, (long)r, &tls_value == tls_address(), bump_local());
  return 0;
}
C
  cat >dl.c <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(void) {
  void *h = dlopen("./libtl.so", RTLD_NOW);
  if (!h) { printf("%s\n", dlerror()); return 1; }
  int (*bump)(void) = (int (*)(void))dlsym(h, "bump_local");
  int *(*addr)(void) = (int *(*)(void))dlsym(h, "tls_address");
  printf("%d %d\n", bump(), *addr());
  return 0;
}
C
  for dialect in gnu gnu2; do
    for model in global-dynamic local-dynamic initial-exec; do
      gcc -shared -fPIC -ftls-model=$model -mtls-dialect=$dialect -B "$MINI_BIN/" tl.c -o libtl.so
      gcc tm.c -L. -ltl -Wl,-rpath,'$ORIGIN' -pthread -o tm
      run ./tm
      [ "$output" = "9 116 1 101" ]
      if [ $model != initial-exec ]; then
        gcc dl.c -ldl -o dl
        run ./dl
        [ "$output" = "101 9" ]
      fi
    done
  done
  readelf -rW libtl.so | grep -q R_X86_64_TPOFF64
}

@test "shared: version nodes and .symver give symbols versions that survive an upgrade of the library" {
  cat >v1.c <<'C'
int foo(void) { return 1; }
C
  printf 'VER_1 { global: foo; local: *; };\n' >v1.map
  gcc -shared -fPIC -B "$MINI_BIN/" v1.c -Wl,--version-script=v1.map -Wl,-soname,libver.so -o libver.so
  readelf -VW libver.so | grep -q 'Name: VER_1'
  printf 'int foo(void);\nint main(void) { return foo(); }\n' >main.c
  gcc main.c -L. -lver -Wl,-rpath,'$ORIGIN' -o main.gnu
  gcc -B "$MINI_BIN/" main.c -L. -lver -Wl,-rpath,'$ORIGIN' -o main.mini
  # Version 2 keeps the old foo as foo@VER_1 and adds foo@@VER_2.
  cat >v2.c <<'C'
int foo_old(void) { return 1; }
int foo_new(void) { return 2; }
int bar(void) { return 3; }
__asm__(".symver foo_old, foo@VER_1");
__asm__(".symver foo_new, foo@@VER_2");
C
  printf 'VER_1 { global: foo; local: *; };\nVER_2 { global: foo; bar; } VER_1;\n' >v2.map
  dyn_both libver.so gcc -shared -fPIC v2.c -Wl,--version-script=v2.map -Wl,-soname,libver.so
  [ "$(readelf --dyn-syms -W libver.so | grep -Eo '(foo|bar)@@?VER_[12]' | sort)" = \
    "$(readelf --dyn-syms -W libver.so.bfd | grep -Eo '(foo|bar)@@?VER_[12]' | sort)" ]
  readelf -VW libver.so | grep -q 'Parent 1: VER_1'
  # Old programs still get the old foo; new ones the new.
  run ./main.gnu
  [ "$status" -eq 1 ]
  run ./main.mini
  [ "$status" -eq 1 ]
  gcc -B "$MINI_BIN/" main.c -L. -lver -Wl,-rpath,'$ORIGIN' -o new
  run ./new
  [ "$status" -eq 2 ]
  # A .symver version the script does not define is an error.
  printf 'VER_1 { global: foo; local: *; };\n' >v3.map
  cc -fPIC -c v2.c -o v2.o
  run -1 "$MINI_LD" -shared v2.o --version-script=v3.map -o bad.so
  [[ "$output" == *"version 'VER_2' of symbol 'foo' is not defined by a version script"* ]]
}

@test "shared: -Bsymbolic binds the library's calls to its own definitions; -Bsymbolic-functions only calls" {
  cat >lib.c <<'C'
int hook(void) { return 1; }
int data = 1;
int call_hook(void) { return hook() * 10 + data; }
C
  cat >main.c <<'C'
int call_hook(void);
int hook(void) { return 2; }
int data = 2;
int main(void) { return call_hook(); }
C
  for flag in "" -Bsymbolic -Bsymbolic-functions; do
    gcc -shared -fPIC -B "$MINI_BIN/" lib.c ${flag:+-Wl,$flag} -o libhook.so
    gcc -shared -fPIC lib.c ${flag:+-Wl,$flag} -o libhook.bfd.so
    for lib in libhook.so libhook.bfd.so; do
      cp $lib libuse.so
      gcc main.c -L. -luse -Wl,-rpath,'$ORIGIN' -o main
      run ./main
      echo "$flag $lib: $status"
      case $flag in
      "") [ "$status" -eq 22 ] ;;
      -Bsymbolic) [ "$status" -eq 11 ] ;;
      -Bsymbolic-functions) [ "$status" -eq 12 ] ;;
      esac
    done
  done
}

@test "shared: --no-undefined and -z defs make undefined symbols errors; --gc-sections keeps what is exported" {
  printf 'int missing(void);\nint f(void) { return missing(); }\n' >u.c
  cc -fPIC -c u.c -o u.o
  run "$MINI_LD" -shared u.o -o lib.so
  [ "$status" -eq 0 ]
  for flag in --no-undefined "-z defs"; do
    run -1 "$MINI_LD" -shared $flag u.o -o lib2.so
    [[ "$output" == *"undefined symbol 'missing'"* ]]
  done
  printf 'int used(void) { return 1; }\nstatic int unused(void) { return 2; }\nint (*p)(void) = unused;\n' >g.c
  cc -fPIC -ffunction-sections -c g.c -o g.o
  run "$MINI_LD" -shared --gc-sections g.o -o libg.so
  [ "$status" -eq 0 ]
  readelf --dyn-syms -W libg.so | grep -q ' used$'
}

@test "shared: --exclude-libs keeps an archive's symbols out of .dynsym; --default-symver versions by SONAME" {
  printf 'int from_archive(void) { return 3; }\n' >a.c
  cc -fPIC -c a.c -o a.o
  ar rcs liba.a a.o
  printf 'int from_archive(void);\nint entry(void) { return from_archive(); }\n' >l.c
  cc -fPIC -c l.c -o l.o
  run "$MINI_LD" -shared l.o liba.a -o all.so
  readelf --dyn-syms -W all.so | grep -q ' from_archive$'
  for libs in liba.a ALL; do
    run "$MINI_LD" -shared l.o liba.a --exclude-libs $libs -o ex.so
    [ "$status" -eq 0 ]
    ! readelf --dyn-syms -W ex.so | grep -q ' from_archive$'
    readelf --dyn-syms -W ex.so | grep -q ' entry$'
  done
  run "$MINI_LD" -shared l.o liba.a --default-symver -soname libv.so.1 -o libv.so
  readelf --dyn-syms -W libv.so | grep -q ' entry@@libv.so.1$'
}

@test "shared: -z initfirst, interpose, nodump, nodelete, nodlopen, and DF_STATIC_TLS for initial-exec TLS" {
  printf 'static __thread int t = 5;\nint get(void) { return t; }\n' >ie.c
  cc -fPIC -ftls-model=initial-exec -c ie.c -o ie.o
  run "$MINI_LD" -shared ie.o -z initfirst -z interpose -z nodump -z nodelete -z nodlopen -o lib.so
  [ "$status" -eq 0 ]
  readelf -dW lib.so | grep -q 'FLAGS) *STATIC_TLS'
  readelf -dW lib.so | grep -Eq 'Flags: .*NODELETE.*INITFIRST.*NOOPEN.*INTERPOSE.*NODUMP'
}

@test "shared: --unresolved-symbols=ignore-all and --warn-unresolved-symbols let a program link with undefined symbols" {
  printf 'int foo(void);\nint main(void) { return 0; }\nint (*p)(void) = foo;\n' >u.c
  cc -c u.c -o u.o
  run ! gcc -B "$MINI_BIN/" u.o -o prog
  gcc -B "$MINI_BIN/" u.o -Wl,--unresolved-symbols=ignore-all -o prog
  run gcc -B "$MINI_BIN/" u.o -Wl,--warn-unresolved-symbols -o prog2
  [ "$status" -eq 0 ]
  [[ "$output" == *"mini-ld: warning: "*"undefined symbol 'foo'"* ]]
  ./prog2
}

# libx.so, whose lib2 calls nowhere(), which nothing defines; m.o calls its lib().
shlib_with_undefined() {
  printf 'int nowhere(void);\nint lib(void) { return 7; }\nint lib2(void) { return nowhere(); }\n' >lib.c
  cc -shared -fPIC lib.c -o libx.so
  printf 'int lib(void);\nint main(void) { return lib(); }\n' >m.c
  cc -c m.c -o m.o
}

@test "shared: a library's undefined symbol is an error in an executable, as GNU ld's; the options that allow it" {
  shlib_with_undefined
  run -1 gcc -fuse-ld=bfd m.o -L. -lx -o prog.bfd
  [[ "$output" == *"./libx.so: undefined reference to \`nowhere'"* ]]
  run -1 gcc -B "$MINI_BIN/" m.o -L. -lx -o prog
  [ "${lines[0]}" = "mini-ld: ./libx.so: undefined reference to 'nowhere'" ]
  [ ! -e prog ]
  # So it is for ignore-in-object-files and report-all; a library needed by a
  # library is checked too.
  for opt in --unresolved-symbols=ignore-in-object-files --unresolved-symbols=report-all \
             --no-allow-shlib-undefined; do
    run ! gcc -fuse-ld=bfd m.o -L. -lx -Wl,$opt -o prog.bfd
    run -1 gcc -B "$MINI_BIN/" m.o -L. -lx -Wl,$opt -o prog
    [ "${lines[0]}" = "mini-ld: ./libx.so: undefined reference to 'nowhere'" ]
  done
  printf 'int lib(void);\nint liby(void) { return lib(); }\n' >y.c
  cc -shared -fPIC y.c -L. -lx -o liby.so
  printf 'int liby(void);\nint main(void) { return liby(); }\n' >my.c
  cc -c my.c -o my.o
  run ! gcc -fuse-ld=bfd my.o -L. -ly -Wl,-rpath-link,. -o proga.bfd
  run -1 gcc -B "$MINI_BIN/" my.o -L. -ly -Wl,-rpath-link,. -o proga
  [ "${lines[0]}" = "mini-ld: ./libx.so: undefined reference to 'nowhere'" ]
  # Allowed: the program runs as long as nowhere() is not called.
  for opt in --allow-shlib-undefined --unresolved-symbols=ignore-in-shared-libs \
             --unresolved-symbols=ignore-all; do
    dyn_both prog gcc m.o -L. -lx -Wl,-rpath,. -Wl,$opt
    [ "$output" = "" ]
    run_both prog
    [ "$status" -eq 7 ]
  done
  # A library of ours may leave it to the program, unless asked otherwise.
  printf 'int lib(void);\nint z(void) { return lib(); }\n' >z.c
  cc -fPIC -c z.c -o z.o
  "$MINI_LD" -shared z.o -L. -lx -o libz.so
  run -1 "$MINI_LD" -shared z.o -L. -lx --no-allow-shlib-undefined -o libz2.so
  [ "$output" = "mini-ld: ./libx.so: undefined reference to 'nowhere'" ]
}

@test "shared: --warn-unresolved-symbols and --noinhibit-exec report a library's undefined symbol and link anyway" {
  shlib_with_undefined
  run gcc -fuse-ld=bfd m.o -L. -lx -Wl,-rpath,. -Wl,--warn-unresolved-symbols -o prog.bfd
  [ "$status" -eq 0 ]
  [[ "$output" == *"./libx.so: warning: undefined reference to \`nowhere'"* ]]
  run gcc -B "$MINI_BIN/" m.o -L. -lx -Wl,-rpath,. -Wl,--warn-unresolved-symbols -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ld: warning: ./libx.so: undefined reference to 'nowhere'" ]
  run_both prog
  [ "$status" -eq 7 ]
  run gcc -fuse-ld=bfd m.o -L. -lx -Wl,-rpath,. -Wl,--noinhibit-exec -o prog2.bfd
  [ "$status" -eq 0 ]
  [[ "$output" == *"./libx.so: undefined reference to \`nowhere'"* ]]
  run gcc -B "$MINI_BIN/" m.o -L. -lx -Wl,-rpath,. -Wl,--noinhibit-exec -o prog2
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ld: ./libx.so: undefined reference to 'nowhere'" ]
  run_both prog2
  [ "$status" -eq 7 ]
}

@test "shared: version-script precedence is GNU ld's: names before patterns before *, the last node's pattern" {
  cat >a.ver <<'V'
VER1 { foo*; };
VER2 { foo*bar*; foo_x; };
VER3 { global: *; local: b*; };
V
  cat >b.c <<'C'
void foo_x(void) {}
void foo_y(void) {}
void foo_bar(void) {}
void qux(void) {}
void baz(void) {}
C
  dyn_both c.so gcc -shared -fPIC b.c -Wl,--version-script=a.ver
  for lib in c.so c.so.bfd; do
    readelf --dyn-syms -W $lib > log
    grep -qF 'foo_x@@VER2' log
    grep -qF 'foo_y@@VER1' log
    grep -qF 'foo_bar@@VER2' log
    grep -qF 'qux@@VER3' log
    ! grep -q ' baz' log
  done
}

@test "shared: a hidden weak undefined symbol stays out of .dynsym and is 0" {
  printf '__attribute__((weak, visibility("hidden"))) void foo(void);\nint bar(void) { return foo ? 1 : 2; }\n' >hw.c
  cc -fPIC -c hw.c -o hw.o
  run "$MINI_LD" -shared hw.o -o libhw.so
  [ "$status" -eq 0 ]
  ! readelf --dyn-syms -W libhw.so | grep -qw foo
  readelf --dyn-syms -W libhw.so | grep -qw bar
  printf 'int bar(void);\nint main(void) { return bar(); }\n' >m.c
  gcc m.c -L. -lhw -Wl,-rpath,'$ORIGIN' -o m
  run ./m
  [ "$status" -eq 2 ]
}

@test "shared: a malformed version script or dynamic list is one usage error" {
  printf 'int f(void) { return 1; }\n' >f.c
  cc -fPIC -c f.c -o f.o
  printf 'VER_1 { global: f; local: *;\n' >open.ver
  run -2 "$MINI_LD" -shared f.o --version-script=open.ver -o lib.so
  [ "$output" = "mini-ld: open.ver: version script ends inside a version node" ]
  printf 'VER_1 { global: f; }; };\n' >close.ver
  run -2 "$MINI_LD" -shared f.o --version-script=close.ver -o lib.so
  [ "$output" = "mini-ld: close.ver: '}' without '{' in version script" ]
  printf '{ f; /* no end\n' >comment.list
  run -2 "$MINI_LD" -shared f.o --dynamic-list=comment.list -o lib.so
  [ "$output" = "mini-ld: comment.list: unterminated comment in dynamic list" ]
  run -2 "$MINI_LD" -shared f.o --version-script=missing.ver -o lib.so
  [ "$output" = "mini-ld: missing.ver: cannot open: No such file or directory" ]
  [ ! -e lib.so ]
}

@test "shared: --undefined-version allows, --no-undefined-version refuses, a script name nothing defines" {
  printf 'int foo = 1;\n' >a.c
  cc -fPIC -c a.c -o a.o
  printf 'V1 { foo; nothere; };\n' >a.ver
  # GNU ld allows it by default and with --undefined-version; so do we.
  for opt in "" --undefined-version; do
    run "$MINI_LD" -shared a.o --version-script=a.ver $opt -o lib.so
    [ "$status" -eq 0 ]
    readelf --dyn-syms -W lib.so | grep -q ' foo@@V1$'
    ld.bfd -shared a.o --version-script=a.ver $opt -o lib.so.bfd
  done
  run ! ld.bfd -shared a.o --version-script=a.ver --no-undefined-version -o lib.so.bfd
  expect_error "mini-ld: version script assigns version 'V1' to symbol 'nothere', which is not defined" \
    -shared a.o --version-script=a.ver --no-undefined-version
}

@test "shared: a version script or dynamic list is also looked for in the -L directories before it" {
  printf 'int foo = 1;\n' >a.c
  cc -fPIC -c a.c -o a.o
  mkdir -p scripts
  printf 'ver_x { global: *; };\n' >scripts/a.ver
  printf '{ foo; };\n' >scripts/d.list
  link_both lib.so -shared a.o -Lscripts --version-script=a.ver
  for lib in lib.so lib.so.bfd; do
    readelf --dyn-syms -W $lib | grep -q ' foo@@ver_x$'
  done
  link_both lib2.so -shared a.o -Lscripts --dynamic-list=d.list
  # As in GNU ld, a -L that comes after the script does not count.
  run -2 "$MINI_LD" -shared a.o --version-script=a.ver -Lscripts -o lib3.so
  [ "$output" = "mini-ld: a.ver: cannot open: No such file or directory" ]
  run ! ld.bfd -shared a.o --version-script=a.ver -Lscripts -o lib3.so.bfd
}

@test "shared: foo@@ and foo@ (.symver with no version) export foo unversioned, past local: *" {
  cat >a.c <<'C'
void foo1(void) {}
void foo2(void) {}
__asm__(".symver foo1, bar1@");
__asm__(".symver foo2, bar2@@");
C
  cc -fPIC -c a.c -o a.o
  printf 'V1 { global: foo*; local: *; };\n' >a.ver
  link_both lib.so -shared a.o --version-script=a.ver
  for lib in lib.so lib.so.bfd; do
    readelf --dyn-syms -W $lib >log
    grep -q 'GLOBAL DEFAULT .* bar1$' log
    grep -q 'GLOBAL DEFAULT .* bar2$' log
    grep -q ' foo1@@V1$' log
  done
}

@test "shared: --default-symver versions by the SONAME what a version script leaves unversioned" {
  printf 'void foo(void) {}\nvoid bar(void) {}\nvoid baz(void) {}\n' >a.c
  cc -fPIC -c a.c -o a.o
  printf '{ global: foo; bar; local: *; };\n' >anon.ver
  printf 'V1 { foo; };\n' >named.ver
  link_both anon.so -shared -soname libx.so a.o --default-symver --version-script=anon.ver
  link_both named.so -shared -soname libx.so a.o --default-symver --version-script=named.ver
  for lib in anon.so anon.so.bfd; do
    readelf --dyn-syms -W $lib >log
    grep -q ' foo@@libx.so$' log
    grep -q ' bar@@libx.so$' log
    ! grep -q ' baz' log
  done
  for lib in named.so named.so.bfd; do
    readelf --dyn-syms -W $lib >log
    grep -q ' foo@@V1$' log
    grep -q ' baz@@libx.so$' log
    # The library's own name is version 2, before the script's.
    readelf -V $lib | grep -q 'Index: 2  Cnt: 1  Name: libx.so'
    readelf -V $lib | grep -q 'Index: 3  Cnt: 1  Name: V1'
  done
}

@test "shared: a script's foo@@VER gives way to the object's own foo@VER" {
  cat >a.c <<'C'
void foo(void) {}
void bar1(void) {}
__asm__(".symver foo, foo@TEST");
__asm__(".symver bar1, bar@TEST");
C
  cc -fPIC -c a.c -o a.o
  printf 'TEST { global: foo; };\n' >a.ver
  link_both lib.so -shared a.o --version-script=a.ver
  for lib in lib.so lib.so.bfd; do
    readelf --dyn-syms -W $lib >log
    grep -q ' foo@TEST$' log
    grep -q ' bar@TEST$' log
    grep -q ' bar1$' log
    ! grep -q ' foo@@TEST$' log
  done
}

@test "shared: --dynamic-list makes only the listed symbols preemptible; the rest bind locally" {
  cat >a.c <<'C'
#include <stdio.h>
void foo(void) { printf("foo1 "); }
void bar(void) { printf("bar1 "); }
void baz(void) { printf("baz1 "); }
void print(void) { foo(); bar(); baz(); printf("\n"); }
C
  cat >c.c <<'C'
#include <stdio.h>
void foo(void) { printf("foo2 "); }
void bar(void) { printf("bar2 "); }
void baz(void) { printf("baz2 "); }
C
  printf 'void print(void);\nint main(void) { print(); return 0; }\n' >main.c
  printf '{ foo; bar; };\n' >dyn
  gcc -shared -fPIC c.c -o libd.so
  dyn_both libb.so gcc -shared -fPIC a.c -Wl,--dynamic-list=dyn
  # Everything is still exported; baz is not in the list, so print calls its own.
  readelf --dyn-syms -W libb.so | grep -q ' baz$'
  cp libb.so.bfd libbfd.so
  for lib in b bfd; do
    gcc main.c -L. -Wl,--no-as-needed -ld -l$lib -Wl,-rpath,'$ORIGIN' -o m-$lib
    run ./m-$lib
    [ "$output" = "foo2 bar2 baz1 " ]
  done
  # --export-dynamic-symbol exports without binding the rest locally.
  gcc -shared -fPIC -B "$MINI_BIN/" a.c -Wl,--export-dynamic-symbol=foo -o libb.so
  run ./m-b
  [ "$output" = "foo2 bar2 baz2 " ]
}

@test "shared: a program's reference to foo@VER binds to that version, even an old hidden one" {
  cat >lib.c <<'C'
int foo_old(void) { return 1; }
int foo_new(void) { return 2; }
__asm__(".symver foo_old, foo@V1");
__asm__(".symver foo_new, foo@@V2");
C
  printf 'V1 { };\nV2 { } V1;\n' >lib.ver
  gcc -shared -fPIC lib.c -Wl,--version-script=lib.ver -o libv.so
  cat >main.c <<'C'
int foo(void);
__asm__(".symver foo, foo@V1");
int main(void) { return foo() * 10; }
C
  cc -c main.c -o main.o
  cc -c -x c - -o plain.o <<<'int foo(void); int main(void) { return foo() * 10; }'
  # The library after the program's object, and before it.
  dyn_both m1 gcc main.o -L. -lv -Wl,-rpath,'$ORIGIN'
  dyn_both m2 gcc -L. -Wl,--no-as-needed -lv main.o -Wl,-rpath,'$ORIGIN'
  dyn_both m3 gcc plain.o -L. -lv -Wl,-rpath,'$ORIGIN'
  for m in m1 m2; do
    run_both $m
    [ "$status" -eq 10 ]
    readelf --dyn-syms -W $m | grep -q ' foo@V1 '
  done
  run_both m3
  [ "$status" -eq 20 ]
}

@test "shared: of -shared and -pie the last one given decides, as in GNU ld" {
  printf 'void _start(void) {}\n' >a.c
  cc -fPIC -c a.c -o a.o
  link_both pie.so -shared -pie --dynamic-linker=/lib/ld.so -e _start a.o
  link_both lib.so -pie -shared --dynamic-linker=/lib/ld.so -e _start a.o
  for f in pie.so pie.so.bfd; do
    readelf -hW $f | grep -q 'DYN (Position-Independent Executable file)'
    readelf -lW $f | grep -q INTERP
  done
  for f in lib.so lib.so.bfd; do
    readelf -hW $f | grep -q 'DYN (Shared object file)'
    ! readelf -lW $f | grep -q INTERP
    ! readelf -SW $f | grep -q '\.interp'
  done
}

@test "shared: a library's DT_AUDIT becomes DT_DEPAUDIT of what links against it" {
  printf 'void foo(void) {}\n' >audit.c
  gcc -shared -fPIC audit.c -o libaudit.so
  printf 'void bar(void) {}\n' >b.c
  gcc -shared -fPIC -B "$MINI_BIN/" b.c -Wl,--audit=/opt/libaudit.so -o libb.so
  [ "$(dyn_value libb.so AUDIT)" = "Audit library: [/opt/libaudit.so]" ]
  printf 'void bar(void);\nint main(void) { bar(); return 0; }\n' >main.c
  dyn_both m1 gcc main.c -L. -lb
  dyn_both m2 gcc main.c -L. -lb -Wl,--depaudit=foo.so
  for m in m1 m1.bfd; do
    [ "$(dyn_value $m DEPAUDIT)" = "Dependency audit library: [/opt/libaudit.so]" ]
  done
  for m in m2 m2.bfd; do
    [ "$(dyn_value $m DEPAUDIT)" = "Dependency audit library: [foo.so:/opt/libaudit.so]" ]
  done
}

@test "shared: -z nodynamic-undefined-weak makes a weak undefined symbol 0 instead of dynamic" {
  printf '__attribute__((weak)) int foo(void);\nint bar(void) { return foo ? foo() : 0; }\n' >a.c
  cc -fPIC -c a.c -o a.o
  link_both dyn.so -shared a.o -z dynamic-undefined-weak
  link_both nodyn.so -shared a.o -z nodynamic-undefined-weak
  printf '#include <stdio.h>\nint foo(void) { return 1; }\nint bar(void);\nint main(void) { printf("%%d\\n", bar()); return 0; }\n' >main.c
  for lib in dyn nodyn; do
    for f in $lib.so $lib.so.bfd; do
      cp $f lib$lib-t.so
      gcc main.c -L. -l$lib-t -Wl,-rpath,'$ORIGIN' -o m
      run ./m
      if [ $lib = dyn ]; then [ "$output" = 1 ]; else [ "$output" = 0 ]; fi
    done
  done
  ! readelf --dyn-syms -W nodyn.so | grep -q ' foo$'
}

@test "shared: a library's .data.rel.ro variable is copied into the program's RELRO" {
  cat >a.c <<'C'
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
extern char readonly[100];
extern char readwrite[100];
static int segv;
static jmp_buf buf;
static void handler(int sig) { (void)sig; segv = 1; longjmp(buf, 1); }
int main(void) {
  signal(SIGSEGV, handler);
  readwrite[0] = 5;
  int x = segv;
  if (setjmp(buf) == 0)
    *(volatile char *)readonly = 5;
  printf("sigsegv %d %d %s\n", x, segv, readonly + 1);
  return 0;
}
C
  cat >b.c <<'C'
__attribute__((section(".data.rel.ro"))) char readonly[100] = "abc";
char readwrite[100] = "abc";
C
  gcc -shared -fPIC -B "$MINI_BIN/" b.c -o libb.so
  dyn_both m gcc -fno-PIE -no-pie a.c -L. -lb -Wl,-rpath,'$ORIGIN'
  run_both m
  [ "$output" = "sigsegv 0 1 bc" ]
}

@test "shared: an IFUNC has one address across the program and its libraries" {
  # A library's IFUNC whose address a non-PIC program takes (a canonical PLT entry),
  # compared with what dlsym finds.
  cat >lib.c <<'C'
#include <stdio.h>
static void real_foo(void) { printf("foo "); }
static void (*resolve_foo(void))(void) { return real_foo; }
__attribute__((ifunc("resolve_foo"))) void foo(void);
C
  cat >a.c <<'C'
#include <dlfcn.h>
#include <stdio.h>
void foo(void);
int main(void) {
  void (*p)(void) = (void (*)(void))dlsym(dlopen(NULL, RTLD_NOW), "foo");
  foo();
  p();
  printf("%d\n", p == foo);
  return 0;
}
C
  gcc -shared -fPIC -B "$MINI_BIN/" lib.c -o libifn.so
  dyn_both m1 gcc -fno-PIE -no-pie a.c -L. -lifn -ldl -Wl,-rpath,'$ORIGIN'
  run_both m1
  [ "$output" = "foo foo 1" ]
  # The program's own IFUNC, whose address a library takes too.
  cat >get.c <<'C'
void bar(void);
void (*get_bar(void))(void) { return bar; }
C
  cat >b.c <<'C'
#include <stdio.h>
static void real_bar(void) { printf("bar "); }
static void (*resolve_bar(void))(void) { return real_bar; }
__attribute__((ifunc("resolve_bar"))) void bar(void);
void (*get_bar(void))(void);
int main(void) { bar(); printf("%d\n", get_bar() == bar); return 0; }
C
  gcc -shared -fPIC -B "$MINI_BIN/" get.c -o libget.so
  dyn_both m2 gcc -fno-PIE -no-pie b.c -L. -lget -Wl,-rpath,'$ORIGIN'
  run_both m2
  [ "$output" = "bar 1" ]
}

@test "shared: a large-code-model TLSGD access to a library's variable becomes initial exec" {
  printf '_Thread_local int x3 = 3;\n' >b.c
  gcc -shared -fPIC -mcmodel=large -B "$MINI_BIN/" b.c -o libtb.so
  cat >a.c <<'C'
#include <stdio.h>
static _Thread_local int x1 = 1;
extern _Thread_local int x3;
int main(void) { printf("%d %d\n", x1, x3); return 0; }
C
  gcc -mtls-dialect=gnu -fPIC -mcmodel=large -c a.c -o a.o
  # The sequence is there to rewrite: lea x3@tlsgd; movabs __tls_get_addr@pltoff.
  readelf -rW a.o | grep -q 'R_X86_64_TLSGD.* x3'
  dyn_both m gcc a.o -L. -ltb -Wl,-rpath,'$ORIGIN'
  run_both m
  [ "$output" = "1 3" ]
  readelf -rW m | grep -q 'R_X86_64_TPOFF64.* x3'
}

@test "shared: extern \"C++\" in a version script matches demangled names" {
  cat >b.cc <<'C'
int bar = 5;
namespace foo { int bar = 7; }
namespace libbeta { struct Bar; }
namespace libalpha {
template <typename T> void tf() {}
template void tf<libbeta::Bar>();
}
void foobar(int, const char *) {}
void baz(decltype(nullptr)) {}
C
  g++ -fPIC -c b.cc -o b.o
  cat >a.ver <<'V'
V1 {
  global:
    extern "C++" {
      foo::bar;
      *libalpha::*;
      "foobar(int, char const*)";
    };
  local: *libbeta*; *;
};
V
  link_both c.so -shared b.o --version-script=a.ver
  for lib in c.so c.so.bfd; do
    readelf --dyn-syms -W $lib >log
    grep -q ' _ZN3foo3barE@@V1$' log
    grep -q ' _ZN8libalpha2tfIN7libbeta3BarEEEvv@@V1$' log
    grep -q ' _Z6foobariPKc@@V1$' log
    ! grep -q ' bar@' log
    ! grep -q 'baz' log
  done
  printf '{ local: extern "C++" { foo*; }; };\n' >b.ver
  link_both d.so -shared b.o --version-script=b.ver
  for lib in d.so d.so.bfd; do
    readelf --dyn-syms -W $lib >log
    ! grep -q 'foobar' log
    grep -q 'GLOBAL.* _Z3bazDn$' log
  done
}
