#!/usr/bin/env bats
# Dynamically linked executables: `gcc -B bin/ hello.c` without -static. Each program
# is linked through mini-ld and through GNU ld from the same objects (dyn_both), and
# both must run alike (run_both); layout facts come from readelf -lW and -d.

bats_require_minimum_version 1.5.0
load helpers

# The tags of a program's .dynamic, one a line (NEEDED, RUNPATH, ...), in order.
dyn_tags() {
  readelf -dW "$1" | awk '/^ *0x/ { gsub(/[()]/, "", $2); print $2 }'
}

# What readelf -d says for one tag: "NEEDED Shared library: [libc.so.6]" -> the rest.
dyn_value() {
  readelf -dW "$1" | awk -v tag="($2)" '$2 == tag { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}

hello_c() {
  cat >hello.c <<'C'
#include <stdio.h>
int main(void) {
  printf("hello from %s\n", "a dynamic program");
  return 3;
}
C
}

# libtw.so: a function, a variable and a function returning a function's address.
shared_lib() {
  cat >tw.c <<'C'
int counter = 5;
int twice(int x) { return 2 * x + counter; }
void *address_of_twice(void) { return (void *)twice; }
C
  cc -shared -fPIC tw.c -o libtw.so
}

# A program using libtw.so's function (call, pointer in data, pointer in code) and
# variable (written directly: a copy relocation in a program that is not PIC).
user_c() {
  cat >use.c <<'C'
#include <stdio.h>
extern int counter;
int twice(int);
void *address_of_twice(void);
int (*fp)(int) = twice;
int main(void) {
  counter = 10;
  int (*local)(int) = twice;
  printf("%d %d %d %d\n", twice(1), fp(2), fp == local, (void *)fp == address_of_twice());
  return 0;
}
C
}

@test "dynamic: gcc -B bin/ links a PIE against libc.so.6 that runs like GNU ld's" {
  hello_c
  dyn_both hello gcc hello.c
  run_both hello
  [ "$status" -eq 3 ]
  [ "$output" = "hello from a dynamic program" ]
  check_layout hello
  readelf -hW hello | grep -q 'DYN (Position-Independent Executable file)'
  readelf -lW hello | grep -q 'Requesting program interpreter: /lib64/ld-linux-x86-64.so.2'
  # PT_PHDR, then PT_INTERP, before every PT_LOAD.
  [ "$(readelf -lW hello | awk '$1 ~ /^[A-Z_]+$/ && NR > 7 { print $1 }' | head -3 | tr '\n' ' ')" = "PHDR INTERP LOAD " ]
  [ "$(dyn_value hello NEEDED)" = "Shared library: [libc.so.6]" ]
  dyn_tags hello | grep -qx FLAGS_1
  dyn_value hello FLAGS_1 | grep -q PIE
  ! dyn_tags hello | grep -qx TEXTREL
  # printf is bound to the version it was linked against, as GNU ld records it.
  readelf -VW hello | grep -q 'Name: GLIBC_2.2.5'
  [ "$(readelf -VW hello | grep -o 'Name: GLIBC_[0-9.]*' | sort)" = "$(readelf -VW hello.bfd | grep -o 'Name: GLIBC_[0-9.]*' | sort)" ]
}

@test "dynamic: -no-pie makes an ET_EXEC at 0x400000 that runs like GNU ld's" {
  hello_c
  dyn_both hello gcc -no-pie -fno-pie hello.c
  run_both hello
  check_layout hello
  readelf -hW hello | grep -q 'EXEC (Executable file)'
  [ "$(readelf -lW hello | awk '$1 == "LOAD" { print $3; exit }')" = 0x0000000000400000 ]
  ! dyn_value hello FLAGS_1 | grep -q PIE
}

@test "dynamic: calls go through the PLT, lazily bound; pointers to a library's function are equal everywhere" {
  shared_lib
  user_c
  for pie in -pie -no-pie; do
    if [ $pie = -pie ]; then cc -fPIE -c use.c -o use.o; else cc -fno-pic -c use.c -o use.o; fi
    dyn_both use$pie gcc $pie use.o -L. -ltw -Wl,-rpath,'$ORIGIN'
    run_both use$pie
    [ "$output" = "12 14 1 1" ]
    check_layout use$pie
  done
  # Lazy binding: a JUMP_SLOT per called function, and no BIND_NOW.
  readelf -rW use-pie | grep -q 'R_X86_64_JUMP_SLOT .* twice'
  ! dyn_tags use-pie | grep -qx FLAGS
  # The variable the program writes directly was copied into it.
  readelf -rW use-no-pie | grep -q 'R_X86_64_COPY .* counter'
  dyn_value use-no-pie NEEDED | grep -qx 'Shared library: \[libtw.so\]'
}

@test "dynamic: -z now binds every function at start-up (BIND_NOW)" {
  shared_lib
  user_c
  cc -fPIE -c use.c -o use.o
  dyn_both use gcc use.o -L. -ltw -Wl,-rpath,'$ORIGIN' -Wl,-z,now
  run_both use
  dyn_value use FLAGS | grep -q BIND_NOW
  dyn_value use FLAGS_1 | grep -q NOW
  LD_BIND_NOT=1 ./use
}

@test "dynamic: -rpath keeps \$ORIGIN literally; DT_RUNPATH by default, DT_RPATH with --disable-new-dtags" {
  shared_lib
  user_c
  mkdir -p app/lib
  mv libtw.so app/lib/
  cc -fPIE -c use.c -o use.o
  dyn_both app/use gcc use.o -Lapp/lib -ltw -Wl,-rpath,'$ORIGIN/lib'
  [ "$(dyn_value app/use RUNPATH)" = 'Library runpath: [$ORIGIN/lib]' ]
  (cd / && "$BATS_TEST_TMPDIR/app/use")
  run "$MINI_LD" -pie -dynamic-linker /lib64/ld-linux-x86-64.so.2 use.o -Lapp/lib -ltw -lc \
    -rpath /a -rpath '$ORIGIN/lib' --disable-new-dtags -e main -o old
  [ "$status" -eq 0 ]
  [ "$(dyn_value old RPATH)" = 'Library rpath: [/a:$ORIGIN/lib]' ]
}

@test "dynamic: --as-needed leaves out a library the program does not use" {
  shared_lib
  hello_c
  cc -fPIE -c hello.c -o hello.o
  dyn_both plain gcc hello.o -L. -Wl,--no-as-needed -ltw
  dyn_value plain NEEDED | grep -q libtw.so
  dyn_both lean gcc hello.o -L. -Wl,--as-needed -ltw
  ! dyn_value lean NEEDED | grep -q libtw.so
  [ "$(dyn_value lean NEEDED)" = "$(dyn_value lean.bfd NEEDED)" ]
}

@test "dynamic: -l finds libNAME.so before libNAME.a, and -Bstatic only the archive" {
  shared_lib
  cc -c -fPIC tw.c -o tw.o
  ar rcs libtw.a tw.o
  user_c
  cc -fPIE -c use.c -o use.o
  dyn_both shared gcc use.o -L. -ltw -Wl,-rpath,'$ORIGIN'
  dyn_value shared NEEDED | grep -q libtw.so
  dyn_both archive gcc use.o -L. -Wl,-Bstatic -ltw -Wl,-Bdynamic
  ! dyn_value archive NEEDED | grep -q libtw.so
  run_both archive
  [ "$output" = "12 14 1 1" ]
}

@test "dynamic: a function the program defines and a library calls back is exported" {
  cat >cb.c <<'C'
int callback(int);
int call_back(int x) { return callback(x) + 1; }
C
  cc -shared -fPIC cb.c -o libcb.so
  cat >main.c <<'C'
int call_back(int);
int callback(int x) { return x * 3; }
int main(void) { return call_back(4); }
C
  dyn_both main gcc main.c -L. -lcb -Wl,-rpath,'$ORIGIN'
  run_both main
  [ "$status" -eq 13 ]
  readelf --dyn-syms -W main | grep -q ' callback$'
}

@test "dynamic: a weak undefined function is 0 without a library, and found in a needed one" {
  cat >weak.c <<'C'
#include <stdio.h>
__attribute__((weak)) int maybe(void);
int main(void) { printf("%d\n", maybe ? maybe() : -1); return 0; }
C
  cat >maybe.c <<'C'
int maybe(void) { return 7; }
C
  cc -shared -fPIC maybe.c -o libmaybe.so
  dyn_both alone gcc weak.c
  run_both alone
  [ "$output" = "-1" ]
  # gcc passes --as-needed: a weak reference alone does not make a library needed.
  dyn_both asneeded gcc weak.c -L. -lmaybe -Wl,-rpath,'$ORIGIN'
  run_both asneeded
  [ "$output" = "-1" ]
  dyn_both found gcc weak.c -L. -Wl,--no-as-needed -lmaybe -Wl,-rpath,'$ORIGIN'
  run_both found
  [ "$output" = "7" ]
}

@test "dynamic: g++ links a C++ program against libstdc++.so with exceptions" {
  cat >hello.cc <<'CC'
#include <iostream>
#include <stdexcept>
#include <string>
int main() {
  try {
    throw std::runtime_error("caught");
  } catch (const std::exception &e) {
    std::cout << std::string(e.what()) << " in C++" << std::endl;
  }
  return 0;
}
CC
  dyn_both hello g++ hello.cc
  run_both hello
  [ "$output" = "caught in C++" ]
  dyn_value hello NEEDED | grep -q 'libstdc++.so.6'
}

@test "dynamic: an IFUNC the program defines is resolved by the dynamic linker" {
  cat >ifunc.c <<'C'
#include <stdio.h>
static int impl(void) { return 42; }
static void *resolve(void) { return (void *)impl; }
int chosen(void) __attribute__((ifunc("resolve")));
int (*ptr)(void) = chosen;
int main(void) { printf("%d %d\n", chosen(), ptr()); return 0; }
C
  dyn_both ifunc gcc ifunc.c
  run_both ifunc
  [ "$output" = "42 42" ]
  readelf -rW ifunc | grep -q R_X86_64_IRELATIVE
}

@test "dynamic: an initial-exec TLS variable of a library is reached through TPOFF64" {
  cat >tls.c <<'C'
__thread int tls_value = 9;
C
  cc -shared -fPIC -ftls-model=initial-exec tls.c -o libtls.so
  cat >main.c <<'C'
extern __thread int tls_value;
int main(void) { return tls_value; }
C
  cc -fPIE -ftls-model=initial-exec -c main.c -o main.o
  dyn_both main gcc main.o -L. -ltls -Wl,-rpath,'$ORIGIN'
  run_both main
  [ "$status" -eq 9 ]
  readelf -rW main | grep -q R_X86_64_TPOFF64
}

@test "dynamic: two links of the same inputs give the same bytes" {
  hello_c
  gcc -B "$MINI_BIN/" hello.c -o one
  gcc -B "$MINI_BIN/" hello.c -o two
  cmp one two
}

@test "dynamic: mini-loader runs a dynamic program mini-ld linked" {
  hello_c
  gcc -B "$MINI_BIN/" hello.c -o hello
  run "$MINI_LOADER" ./hello
  [ "$status" -eq 3 ]
  [ "$output" = "hello from a dynamic program" ]
}

@test "dynamic: a truncated shared library is a one-line error and no output" {
  shared_lib
  hello_c
  cc -fPIE -c hello.c -o hello.o
  head -c 200 libtw.so >libcut.so
  run -1 "$MINI_LD" -pie hello.o libcut.so -o prog
  [ "${#lines[@]}" -eq 1 ]
  [[ "${lines[0]}" == "mini-ld: libcut.so: "* ]]
  [ ! -e prog ]
}

@test "dynamic: --hash-style=sysv and both give .hash (DT_HASH), through which exports are found" {
  cat >cb.c <<'C'
int callback(int);
int call_back(int x) { return callback(x) + 1; }
C
  cc -shared -fPIC cb.c -o libcb.so
  cat >main.c <<'C'
int call_back(int);
int callback(int x) { return x * 3; }
int main(void) { return call_back(4); }
C
  for style in sysv both; do
    dyn_both $style gcc main.c -L. -lcb -Wl,-rpath,'$ORIGIN' -Wl,--hash-style=$style
    run_both $style
    [ "$status" -eq 13 ]
    dyn_tags $style | grep -qx HASH
  done
  ! dyn_tags sysv | grep -qx GNU_HASH
  dyn_tags both | grep -qx GNU_HASH
}

@test "dynamic: general-dynamic and TLS-descriptor accesses to a library's variable become initial exec, in threads" {
  cat >tls.c <<'C'
__thread int tls_value = 9;
int *tls_address(void) { return &tls_value; }
C
  cc -shared -fPIC tls.c -o libtls.so
  cat >main.c <<'C'
#include <pthread.h>
#include <stdio.h>
extern __thread int tls_value;
int *tls_address(void);
static void *thread(void *arg) {
  tls_value += (int)(long)arg;
  return (void *)(long)(tls_value * (&tls_value == tls_address()));
}
int main(void) {
  pthread_t t;
  void *r;
  pthread_create(&t, 0, thread, (void *)5);
  pthread_join(t, &r);
  printf("%d %ld %d\n", tls_value, (long)r, &tls_value == tls_address());
  return 0;
}
C
  for dialect in gnu gnu2; do
    cc -fPIC -mtls-dialect=$dialect -c main.c -o main-$dialect.o
    dyn_both main-$dialect gcc main-$dialect.o -L. -ltls -Wl,-rpath,'$ORIGIN' -pthread
    run_both main-$dialect
    [ "$output" = "9 14 1" ]
    readelf -rW main-$dialect | grep -q 'R_X86_64_TPOFF64 .* tls_value'
  done
  # The objects really used those sequences.
  readelf -rW main-gnu.o | grep -q R_X86_64_TLSGD
  readelf -rW main-gnu2.o | grep -q R_X86_64_GOTPC32_TLSDESC
}

@test "dynamic: musl-gcc links against musl's libc.so, loaded by its own dynamic linker" {
  hello_c
  dyn_both hello musl-gcc hello.c
  run_both hello
  [ "$status" -eq 3 ]
  readelf -lW hello | grep -q 'Requesting program interpreter: /lib/ld-musl-x86_64.so.1'
}

@test "dynamic: clang objects link and run" {
  hello_c
  dyn_both hello clang hello.c
  run_both hello
  [ "$output" = "hello from a dynamic program" ]
}

@test "dynamic: sqlite3 and zlib from their shared libraries" {
  cat >sq.c <<'C'
#include <sqlite3.h>
#include <stdio.h>
#include <zlib.h>
int main(void) {
  sqlite3 *db;
  sqlite3_stmt *st;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db, "create table t(x); insert into t values(41);", 0, 0, 0);
  sqlite3_prepare_v2(db, "select x + 1 from t", -1, &st, 0);
  sqlite3_step(st);
  printf("sqlite %d, zlib %s\n", sqlite3_column_int(st, 0), zlibVersion());
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}
C
  dyn_both sq gcc sq.c -lsqlite3 -lz
  run_both sq
  [[ "$output" == "sqlite 42, zlib "* ]]
  [ "$(dyn_value sq NEEDED | tr '\n' ' ')" = "$(dyn_value sq.bfd NEEDED | tr '\n' ' ')" ]
}

@test "dynamic: with -E a library loaded by dlopen calls back into the program" {
  cat >plugin.c <<'C'
int host_value(void);
int plugin_entry(void) { return host_value() * 2; }
C
  cc -shared -fPIC plugin.c -o plugin.so
  cat >host.c <<'C'
#include <dlfcn.h>
#include <stdio.h>
int host_value(void) { return 21; }
int main(void) {
  void *h = dlopen("./plugin.so", RTLD_NOW);
  if (!h) { printf("%s\n", dlerror()); return 1; }
  int (*entry)(void) = (int (*)(void))dlsym(h, "plugin_entry");
  printf("%d\n", entry());
  return 0;
}
C
  dyn_both host gcc host.c -Wl,-E -ldl
  run_both host
  [ "$output" = "42" ]
  readelf --dyn-syms -W host | grep -q ' host_value$'
  # Without -E the program exports nothing the plugin could find.
  gcc -B "$MINI_BIN/" host.c -ldl -o closed
  run ./closed
  [ "$status" -eq 1 ]
  [[ "$output" == *"undefined symbol: host_value"* ]]
}

@test "dynamic: -Map shows .plt, .got.plt and .dynsym, and which library each import comes from" {
  shared_lib
  user_c
  cc -fno-pic -c use.c -o use.o
  gcc -no-pie -B "$MINI_BIN/" use.o -L. -ltw -Wl,-Map=use.map -o use
  grep -q '^Shared libraries$' use.map
  grep -Eq '^  libtw.so +\./libtw.so  DT_NEEDED$' use.map
  grep -Eq '^      twice +PLT \(its address\)' use.map
  grep -Eq '^      counter +copied into \.dynbss$' use.map
  grep -Eq '^      printf@GLIBC_2\.2\.5 +PLT$' use.map
  grep -Eq 'not needed \(--as-needed: nothing uses it\)$' use.map
  for sec in .plt .got.plt .dynsym .dynstr .interp .gnu.hash .rela.plt; do
    grep -Eq " $sec\$" use.map
  done
}

@test "dynamic: --dynamic-list and --export-dynamic-symbol export what their globs match, and nothing else" {
  cat >a.c <<'C'
void xyz(void) {}
void foobarcx(void) {}
void foobarzx(void) {}
void other(void) {}
int main(void) { return 0; }
C
  printf '{\n  xyz;\n  /* a comment */\n  foo*bar*[abc]x;\n};\n' >dyn
  dyn_both list gcc a.c -Wl,--dynamic-list=dyn
  for prog in list list.bfd; do
    readelf --dyn-syms -W $prog | grep -q ' xyz$'
    readelf --dyn-syms -W $prog | grep -q ' foobarcx$'
    ! readelf --dyn-syms -W $prog | grep -q ' foobarzx$'
    ! readelf --dyn-syms -W $prog | grep -q ' other$'
  done
  gcc -B "$MINI_BIN/" a.c -Wl,--export-dynamic-symbol='o*' -o sym
  readelf --dyn-syms -W sym | grep -q ' other$'
  ! readelf --dyn-syms -W sym | grep -q ' xyz$'
  printf '{ extern "C" { xyz; }; extern "C++" { "f(int)"; }; };\n' >cxx
  printf 'void f(int) {}\nvoid f(char) {}\nextern "C" void xyz(void) {}\nint main() { return 0; }\n' >b.cc
  dyn_both cxxlist g++ b.cc -Wl,--dynamic-list=cxx
  for prog in cxxlist cxxlist.bfd; do
    readelf --dyn-syms -W $prog | grep -q ' _Z1fi$'
    readelf --dyn-syms -W $prog | grep -q ' xyz$'
    ! readelf --dyn-syms -W $prog | grep -q ' _Z1fc$'
  done
}

@test "dynamic: a function the program defines interposes the library's own definition" {
  cat >lib.c <<'C'
int hook(void) { return 1; }
int call_hook(void) { return hook(); }
C
  cc -shared -fPIC lib.c -o libhook.so
  cat >main.c <<'C'
int call_hook(void);
int hook(void) { return 2; }
int main(void) { return call_hook() * 10 + hook(); }
C
  dyn_both main gcc main.c -L. -lhook -Wl,-rpath,'$ORIGIN'
  run_both main
  [ "$status" -eq 22 ]
  # A library named before the program's object: the program still wins.
  cc -fPIE -c main.c -o main.o
  dyn_both first gcc -L. -lhook main.o -Wl,--no-as-needed -lhook -Wl,-rpath,'$ORIGIN'
  run_both first
  [ "$status" -eq 22 ]
}

@test "dynamic: -init, -fini, --audit, --depaudit, -z origin, -z nodefaultlib and -R fill .dynamic as GNU ld's" {
  cat >a.c <<'C'
void my_init(void) {}
int main(void) { return 0; }
C
  cc -fPIE -c a.c -o a.o
  dyn_both prog gcc a.o -Wl,-init,my_init -Wl,--audit=foo -Wl,--audit=bar -Wl,--depaudit=baz \
    -Wl,-z,origin -Wl,-z,nodefaultlib -Wl,-rpath,/x,-R,/y,-rpath,/x
  # (Neither program can start: audit libraries foo and bar do not exist, and
  # -z nodefaultlib keeps the dynamic linker from finding libc.so.6.)
  for p in prog prog.bfd; do
    [ "$(dyn_value $p INIT)" = "$(printf '0x%x' "$(nm $p | awk '$3 == "my_init" { print "0x" $1 }')")" ]
    [ "$(dyn_value $p AUDIT)" = "Audit library: [foo:bar]" ]
    [ "$(dyn_value $p DEPAUDIT)" = "Dependency audit library: [baz]" ]
    dyn_value $p FLAGS | grep -q ORIGIN
    dyn_value $p FLAGS_1 | grep -q NODEFLIB
  done
  # Each run-path directory once, as GNU ld.
  [ "$(dyn_value prog RUNPATH)" = "Library runpath: [/x:/y]" ]
  gcc -B "$MINI_BIN/" a.o -Wl,-init,no_such_symbol -o noinit
  ! dyn_tags noinit | grep -qx INIT
}

@test "dynamic: .symtab lists only the library symbols the program uses" {
  hello_c
  gcc -B "$MINI_BIN/" hello.c -o hello
  # libc.so.6 defines thousands; the program uses a handful.
  [ "$(nm -u hello | wc -l)" -lt 10 ]
  nm -u hello | grep -q ' U printf'
}

@test "dynamic: -mcmodel=large -fPIC calls a library function through PLTOFF64 and the PLT" {
  cat >large.c <<'C'
#include <stdio.h>
int main(void) { printf("large %d\n", 7); return 0; }
C
  cc -mcmodel=large -fPIC -c large.c -o large.o
  readelf -rW large.o | grep -q R_X86_64_PLTOFF64
  dyn_both large gcc -pie large.o
  run_both large
  [ "$output" = "large 7" ]
}

@test "dynamic: TLS descriptors in local-dynamic code use _TLS_MODULE_BASE_" {
  cat >a.c <<'C'
static _Thread_local int bar = 5;
extern _Thread_local int foo;
int get_foo(void) { return foo; }
int get_bar(void) { return bar; }
C
  cat >b.c <<'C'
#include <stdio.h>
_Thread_local int foo;
int get_foo(void);
int get_bar(void);
int main(void) { foo = 42; printf("%d %d\n", get_foo(), get_bar()); return 0; }
C
  cc -fPIC -ftls-model=local-dynamic -mtls-dialect=gnu2 -c a.c -o a.o
  readelf -sW a.o | grep -q _TLS_MODULE_BASE_
  cc -fPIC -c b.c -o b.o
  dyn_both prog gcc a.o b.o
  run_both prog
  [ "$output" = "42 5" ]
}

@test "dynamic: a linker script's INPUT finds a file next to the script" {
  mkdir sub
  echo 'int main(void) { return 6; }' >sub/m.c
  cc -c sub/m.c -o sub/m.o
  echo 'INPUT(m.o)' >sub/in.script
  gcc -B "$MINI_BIN/" sub/in.script -o prog
  run ./prog
  [ "$status" -eq 6 ]
}

@test "dynamic: a program keeps the symbol version it was linked against when its library is upgraded" {
  # Version 1 of the library: foo@@VER_1.
  cat >v1.c <<'C'
int foo(void) { return 1; }
C
  printf 'VER_1 { global: foo; local: *; };\n' >v1.map
  cc -shared -fPIC v1.c -Wl,--version-script=v1.map -Wl,-soname,libver.so -o libver.so
  cat >main.c <<'C'
int foo(void);
int main(void) { return foo(); }
C
  dyn_both main gcc main.c -L. -lver -Wl,-rpath,'$ORIGIN'
  run_both main
  [ "$status" -eq 1 ]
  readelf -VW main | grep -q 'Name: VER_1'
  # Version 2: the old foo stays as foo@VER_1, the new one is foo@@VER_2.
  cat >v2.c <<'C'
int foo_old(void) { return 1; }
int foo_new(void) { return 2; }
__asm__(".symver foo_old, foo@VER_1");
__asm__(".symver foo_new, foo@@VER_2");
C
  printf 'VER_1 { global: foo; local: *; };\nVER_2 { global: foo; } VER_1;\n' >v2.map
  cc -shared -fPIC v2.c -Wl,--version-script=v2.map -Wl,-soname,libver.so -o libver.so
  run ./main
  [ "$status" -eq 1 ]
  run ./main.bfd
  [ "$status" -eq 1 ]
  # A program linked now gets the new default.
  dyn_both new gcc main.c -L. -lver -Wl,-rpath,'$ORIGIN'
  run_both new
  [ "$status" -eq 2 ]
}

@test "dynamic: clang++ and libm link and run" {
  cat >m.cc <<'CC'
#include <cmath>
#include <iostream>
int main() { std::cout << static_cast<int>(std::sqrt(1764.0)) << std::endl; return 0; }
CC
  dyn_both m clang++ m.cc -lm
  run_both m
  [ "$output" = "42" ]
}

@test "dynamic: -t lists the shared libraries it reads" {
  shared_lib
  echo 'int twice(int); int main(void) { return twice(1); }' >m.c
  cc -fPIE -c m.c -o hello.o
  run "$MINI_LD" -pie -t hello.o ./libtw.so -o prog -e main
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "hello.o" ]
  [ "${lines[1]}" = "./libtw.so" ]
}

@test "dynamic: a shared library whose version table names no version is a one-line error" {
  # A library that uses libc has a .gnu.version.
  printf '#include <stdio.h>\nint twice(int x) { printf("%%d", x); return 2 * x; }\n' >tw.c
  cc -shared -fPIC tw.c -o libtw.so
  # Point the first .gnu.version entry after the null symbol at version 0x7ffe.
  local off
  off=$(readelf -SW libtw.so | sed 's/^ *\[ *[0-9]*\] *//' | awk '$1 == ".gnu.version" { print $4 }')
  [ -n "$off" ]
  printf '\xfe\x7f' | dd of=libtw.so bs=1 seek=$((16#$off + 2)) conv=notrunc 2>/dev/null
  hello_c
  cc -fPIE -c hello.c -o hello.o
  run -1 "$MINI_LD" -pie hello.o libtw.so -o prog
  [ "${#lines[@]}" -eq 1 ]
  [[ "${lines[0]}" == "mini-ld: libtw.so: "*"version"* ]]
  [ ! -e prog ]
}

@test "dynamic: a library's own dependency is looked for in -rpath-link; missing, it is a warning and its symbols undefined" {
  echo 'int b(void) { return 2; }' >b.c
  echo 'int b(void); int a(void) { return b() + 1; }' >a.c
  cc -shared -fPIC b.c -o libb.so
  cc -shared -fPIC a.c -L. -lb -o liba.so
  mkdir other
  mv libb.so other/
  echo 'int a(void); int main(void) { return a(); }' >m.c
  cc -fPIE -c m.c -o m.o
  run -1 "$MINI_LD" -pie m.o ./liba.so -lc -o prog
  [ "${lines[0]}" = "mini-ld: warning: libb.so, needed by ./liba.so, not found (try using -rpath or -rpath-link)" ]
  [ "${lines[1]}" = "mini-ld: ./liba.so: undefined reference to 'b'" ]
  [ ! -e prog ]
  run ! ld.bfd -pie m.o ./liba.so -lc -o prog.bfd
  # Found through -rpath-link, or -rpath: the link succeeds, and libb.so is not
  # the program's DT_NEEDED (liba.so's own).
  dyn_both prog gcc m.o ./liba.so -Wl,-rpath-link,other
  ! dyn_value prog NEEDED | grep -q libb.so
  LD_LIBRARY_PATH=other run ./prog
  [ "$status" -eq 3 ]
}

@test "dynamic: a copied library constant is read-only (.data.rel.ro, RELRO); aliases share one copy" {
  cat >lib.c <<'C'
const char readonly[100] = "abc";
char readwrite[100] = "abc";
int foo = 42;
extern int bar __attribute__((alias("foo")));
C
  cc -shared -fPIC lib.c -o libc1.so
  cat >main.c <<'C'
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
extern const char readonly[100];
extern char readwrite[100];
extern int foo, bar;
static volatile int segv;
static jmp_buf buf;
static void handler(int sig) { (void)sig; segv = 1; longjmp(buf, 1); }
int main(void) {
  signal(SIGSEGV, handler);
  readwrite[0] = 5;
  int x = segv;
  if (setjmp(buf) == 0)
    *(volatile char *)readonly = 5;
  printf("%d %d %s %d %d\n", x, segv, readonly, foo + bar, &foo == &bar);
  return 0;
}
C
  cc -fno-pie -c main.c -o main.o
  dyn_both main gcc -no-pie main.o -L. -lc1 -Wl,-rpath,'$ORIGIN'
  run ./main
  [ "$output" = "0 1 abc 84 1" ]
  readelf -rW main | grep -q 'R_X86_64_COPY .* readonly'
}

@test "dynamic: a constructor table an object left read-only is still relocated at start-up, as with GNU ld" {
  printf '.section .init_array,"aw",@init_array\n.p2align 3\n.quad init1\n' >a.s
  # The assembler would fix the section's type and flags: rename it afterwards.
  printf '.section .init_xxxxx,"a",@progbits\n.p2align 3\n.quad init2\n' >b.s
  cc -c a.s -o a.o
  cc -c b.s -o b.o
  sed -i -e 's/init_xxxxx/init_array/g' b.o
  readelf -SW b.o | grep -Eq '\.init_array +PROGBITS .* A '
  printf '#include <stdio.h>\nvoid init1(void) { printf("init1 "); }\nvoid init2(void) { printf("init2 "); }\nint main(void) { printf("\\n"); return 0; }\n' >c.c
  cc -c c.c -o c.o
  for mode in -pie -no-pie -static; do
    dyn_both prog$mode gcc $mode a.o b.o c.o
    run_both prog$mode
    [ "$output" = "init1 init2 " ]
  done
}

@test "dynamic: an executable's version script makes what its local: matches local, as GNU ld" {
  cat >a.c <<'C'
int foo(void) { return 1; }
int bar(void);
int main(void) { return bar() + foo(); }
C
  cat >b.c <<'C'
int foo(void) { return 10; }
int bar(void) { return 2; }
C
  gcc -fPIC -c a.c
  gcc -shared -fPIC b.c -o libb.so
  echo '{ local: *; };' >local.ver
  # Without the script, foo is exported: the library also defines it.
  dyn_both plain gcc a.o -L. -lb -Wl,-rpath,"$PWD"
  nm -g plain | grep -q ' T foo$'
  readelf --dyn-syms -W plain | grep -q ' foo$'
  # With it, foo is local in .symtab and not in .dynsym.
  dyn_both prog gcc a.o -L. -lb -Wl,-rpath,"$PWD" -Wl,--version-script=local.ver
  run_both prog
  [ "$status" -eq 3 ]
  ! nm -g prog | grep -q ' foo$'
  nm prog | grep -q ' t foo$'
  ! readelf --dyn-syms -W prog | grep -q ' foo$'
  [ "$(nm -g prog | grep -c ' foo$')" = "$(nm -g prog.bfd | grep -c ' foo$')" ]
}

@test "dynamic: a copied variable's other names in its library move with it: glibc's environ is set" {
  # environ, __environ and _environ are one variable in glibc, which sets __environ at
  # start-up. A copy of environ that the library does not know as __environ too stays
  # NULL (as it did, while GNU ld's program saw the environment).
  cat >env.c <<'C'
#include <stdio.h>
#include <stdlib.h>
extern char **environ;
int main(void) {
  setenv("MINI_SET", "1", 1);
  int n = 0;
  for (char **e = environ; e && *e; e++)
    n += (*e)[0] == 'M' && (*e)[1] == 'I';
  printf("%d %d\n", environ != 0, n);
  return 0;
}
C
  cc -O1 -fno-pie -c env.c -o env.o
  dyn_both env cc -no-pie env.o
  readelf -rW env | grep -q 'R_X86_64_COPY.*environ'
  run env -i MINI_FROM_OUTSIDE=1 ./env
  [ "$output" = "1 2" ]
  run env -i MINI_FROM_OUTSIDE=1 ./env.bfd
  [ "$output" = "1 2" ]
  # Every name is exported at the copy's address.
  [ "$(readelf --dyn-syms -W env | awk '$8 ~ /^_?_?environ@/ { print $2 }' | sort -u | wc -l)" -eq 1 ]
  readelf --dyn-syms -W env | grep -q ' __environ@'
}
