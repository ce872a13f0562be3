#!/usr/bin/env bats
# mini-ld as gcc's linker: `gcc -static -B bin/` links real programs against static
# glibc. Each program is linked twice, by mini-ld and by GNU ld (plain gcc), and
# both must print the same and exit the same.

load helpers

@test "libc: glibc printf hello links through gcc -static -B" {
  cat >hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello, %s %d\n", "world", 42); return 3; }
C
  cc_both hello gcc hello.c
  run_both hello
  [ "$status" -eq 3 ]
  [ "$output" = "hello, world 42" ]
  check_layout hello
  readelf -lW hello | grep -q '^  TLS '
}

@test "libc: __thread variables work in the main thread and in pthreads, in every TLS model" {
  cat >tls.c <<'C'
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
__thread int counter = 5;
__thread char buf[64];
static __thread long hidden;
extern __thread int other;
static void *worker(void *arg) {
  counter += (int)(long)arg;
  snprintf(buf, sizeof buf, "thread %ld", (long)arg);
  hidden = 100 + (long)arg;
  return (void *)(long)(counter + hidden + other);
}
int main(void) {
  pthread_t t[4];
  for (long i = 0; i < 4; i++)
    pthread_create(&t[i], 0, worker, (void *)i);
  long sum = 0;
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  errno = ENOENT;
  printf("counter=%d sum=%ld other=%d buf='%s' errno=%s\n", counter, sum, other, buf,
         strerror(errno));
  return 0;
}
C
  echo '__thread int other = 77;' >other.c
  # Default (PIE: initial/local exec), -fPIC (general dynamic), -fno-plt (the
  # call *__tls_get_addr@GOTPCREL form), TLS descriptors, and -fno-pic.
  for flags in "" "-fPIC" "-fPIC -fno-plt" "-fPIC -mtls-dialect=gnu2" "-fno-pic"; do
    gcc -O1 $flags -c tls.c other.c
    cc_both prog gcc tls.o other.o -pthread
    run_both prog
    # Each thread sees its own copy, initialised from the template: (5 + i) +
    # (100 + i) + 77 for i = 0..3.
    [ "$output" = "counter=5 sum=740 other=77 buf='' errno=No such file or directory" ]
  done
}

@test "libc: PT_TLS is aligned: p_vaddr % p_align == 0" {
  cat >tls.c <<'C'
#include <stdio.h>
__thread char c = 1;
__thread long long big __attribute__((aligned(64))) = 7;
int main(void) { printf("%d %lld %d\n", c, big, (int)((long)&big % 64)); return 0; }
C
  cc_both prog gcc tls.c
  run_both prog
  [ "$output" = "1 7 0" ]
  readelf -lW prog | awk '$1 == "TLS" {
    v = 0; s = tolower(substr($3, 3))
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    a = 0; s = tolower(substr($NF, 3))
    for (i = 1; i <= length(s); i++) a = a * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    found = 1; if (v % a != 0) exit 1 }
    END { exit !found }'
}

@test "libc: a user-defined ifunc has one address in code and in data" {
  cat >ifunc.c <<'C'
#include <stdio.h>
static int impl_a(void) { return 1; }
static int impl_b(void) { return 2; }
static int (*resolve_f(void))(void) { return impl_a() ? impl_b : impl_a; }
int f(void) __attribute__((ifunc("resolve_f")));
int (*fp)(void) = f;
int main(void) { printf("f=%d fp=%d same=%d\n", f(), fp(), fp == &f); return 0; }
C
  for flags in "" "-fPIC" "-fno-pic"; do
    gcc -O1 $flags -c ifunc.c
    cc_both prog gcc ifunc.o
    run_both prog
    [ "$output" = "f=2 fp=2 same=1" ]
  done
  # The stubs are called through .iplt, their slots filled from .rela.iplt.
  readelf -SW prog | grep -q ' \.iplt '
  readelf -rW prog | grep -q R_X86_64_IRELATIVE
}

@test "libc: --build-id writes a SHA-1 of the output, and two links give the same bytes" {
  echo 'int main(void) { return 0; }' >m.c
  gcc -c m.c
  gcc -static -B "$MINI_BIN/" -Wl,--build-id m.o -o a
  gcc -static -B "$MINI_BIN/" -Wl,--build-id m.o -o b
  cmp a b
  id=$(readelf -n a | awk '/Build ID/ { print $3 }')
  [ ${#id} -eq 40 ]
  # The ID is the SHA-1 of the file with the ID's own 20 bytes zeroed.
  off=$(( $(readelf -SW a | sed 's/^ *\[ *[0-9]*\] *//' | awk '$1 == ".note.gnu.build-id" { print "0x" $4 }') + 16 ))
  cp a zeroed
  head -c 20 /dev/zero | dd of=zeroed bs=1 seek="$off" conv=notrunc status=none
  [ "$(sha1sum <zeroed | cut -c1-40)" = "$id" ]
  gcc -static -B "$MINI_BIN/" -Wl,--build-id=0x0123abcd m.o -o c
  readelf -n c | grep -q 'Build ID: 0123abcd'
  run ./a
  [ "$status" -eq 0 ]
}

@test "libc: C++ with iostream, strings, exceptions across objects and static constructors" {
  cat >a.cc <<'CC'
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>
struct Reg {
  Reg(const char *n) { std::cout << "ctor " << n << "\n"; }
  ~Reg() { std::cout << "dtor\n"; }
};
static Reg r1("r1");
void thrower(int);
template <typename T> T twice(T x) { return x + x; }
int main() {
  std::vector<std::string> v{"a", "bb", "ccc"};
  std::map<std::string, int> m;
  for (auto &s : v) m[s] = twice((int)s.size());
  try { thrower(3); } catch (const std::runtime_error &e) { std::cout << "caught " << e.what() << "\n"; }
  for (auto &kv : m) std::cout << kv.first << "=" << kv.second << "\n";
  return 0;
}
CC
  cat >b.cc <<'CC'
#include <stdexcept>
#include <string>
template <typename T> T twice(T x) { return x + x; }
void thrower(int x) { if (twice(x) > 4) throw std::runtime_error("boom " + std::to_string(x)); }
CC
  g++ -O1 -c a.cc b.cc
  want=$'ctor r1\ncaught boom 3\na=2\nbb=4\nccc=6\ndtor'
  # twice<int> is a COMDAT group in both objects: one copy is kept, the other's
  # .eh_frame entry points at a discarded section.
  [ "$(readelf -gW b.o | grep -c COMDAT)" -ge 1 ]
  run g++ -static -B "$MINI_BIN/" a.o b.o -o prog
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 0 ]
  [ "$output" = "$want" ]
  # clang++ passes --eh-frame-hdr even for -static: the unwinder then searches the
  # table behind PT_GNU_EH_FRAME.
  clang++ -static -B "$MINI_BIN/" a.o b.o -o prog2
  readelf -lW prog2 | grep -q '^  GNU_EH_FRAME '
  run ./prog2
  [ "$output" = "$want" ]
}

@test "libc: --eh-frame-hdr indexes every FDE, sorted" {
  printf 'int f%d(int x) { return x + %d; }\n' 1 1 2 2 3 3 >f.c
  echo 'int f1(int), f2(int), f3(int); int main(void) { return f3(f2(f1(0))); }' >m.c
  gcc -c f.c m.c
  gcc -static -B "$MINI_BIN/" -Wl,--eh-frame-hdr m.o f.o -o prog
  run ./prog
  [ "$status" -eq 6 ]
  fdes=$(readelf --debug-dump=frames prog | grep -c ' FDE ')
  python3 - prog "$fdes" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
want = int(sys.argv[2])
# Find .eh_frame_hdr through the section headers.
shoff, = struct.unpack_from('<Q', data, 0x28)
shnum, shstrndx = struct.unpack_from('<HH', data, 0x3c)
secs = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + 64 * i) for i in range(shnum)]
strtab = secs[shstrndx]
name = lambda s: data[strtab[4] + s[0]:data.index(b'\0', strtab[4] + s[0])].decode()
hdr = next(s for s in secs if name(s) == '.eh_frame_hdr')
eh = next(s for s in secs if name(s) == '.eh_frame')
off, addr = hdr[4], hdr[3]
version, ptr_enc, cnt_enc, tab_enc = data[off:off + 4]
assert (version, ptr_enc, cnt_enc, tab_enc) == (1, 0x1b, 0x03, 0x3b)
eh_ptr, count = struct.unpack_from('<iI', data, off + 4)
assert addr + 4 + eh_ptr == eh[3], 'eh_frame_ptr'
assert count == want, (count, want)
pcs = [struct.unpack_from('<ii', data, off + 12 + 8 * i) for i in range(count)]
assert pcs == sorted(pcs), 'table not sorted'
for pc, fde in pcs:
    assert eh[3] <= addr + fde < eh[3] + eh[5], 'FDE outside .eh_frame'
PY
}

@test "libc: musl programs link through musl-gcc -static -B: hello, qsort and TLS" {
  cat >m.c <<'C'
#include <stdio.h>
#include <stdlib.h>
static __thread int tls = 11;
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(void) {
  int v[] = {5, 3, 9, 1, 7};
  qsort(v, 5, sizeof v[0], cmp);
  printf("musl %d %d %d %d %d tls=%d\n", v[0], v[1], v[2], v[3], v[4], tls);
  return 0;
}
C
  musl-gcc -static -B "$MINI_BIN/" m.c -o prog
  musl-gcc -static m.c -o prog.bfd
  run_both prog
  [ "$output" = "musl 1 3 5 7 9 tls=11" ]
  check_layout prog
}

@test "libc: programs using Debian's static libsqlite3, liblua5.4, libz and libm" {
  cat >sq.c <<'C'
#include <sqlite3.h>
#include <stdio.h>
static int row(void *u, int n, char **v, char **c) {
  (void)u;
  for (int i = 0; i < n; i++) printf("%s=%s ", c[i], v[i]);
  printf("\n");
  return 0;
}
int main(void) {
  sqlite3 *db;
  sqlite3_open(":memory:", &db);
  sqlite3_exec(db, "create table t(a, b); insert into t values (1, 'x'), (2, 'y');"
                   "select a, b, a * 2.5 as c from t order by a desc;", row, 0, 0);
  sqlite3_close(db);
  return 0;
}
C
  cat >lua.c <<'C'
#include <lua5.4/lauxlib.h>
#include <lua5.4/lua.h>
#include <lua5.4/lualib.h>
int main(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  int r = luaL_dostring(L, "local t = {} for i = 1, 10 do t[i] = i * i end "
                           "print(table.concat(t, ',')) print(string.format('%.3f', math.sin(1)))");
  lua_close(L);
  return r;
}
C
  cat >z.c <<'C'
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
int main(void) {
  const char *s = "hello hello hello hello zlib";
  unsigned char out[128], back[128];
  uLongf n = sizeof out, m = sizeof back;
  compress(out, &n, (const unsigned char *)s, strlen(s) + 1);
  uncompress(back, &m, out, n);
  printf("%s %.4f\n", back, cbrt(27.5));
  return 0;
}
C
  gcc -O1 -c sq.c lua.c z.c
  cc_both sq gcc sq.o -lsqlite3 -lm -pthread
  run_both sq
  [ "$output" = $'a=2 b=y c=5.0 \na=1 b=x c=2.5 ' ]
  cc_both lua gcc lua.o -llua5.4 -lm
  run_both lua
  [ "$output" = $'1,4,9,16,25,36,49,64,81,100\n0.841' ]
  cc_both z gcc z.o -lz -lm
  run_both z
  [ "$output" = "hello hello hello hello zlib 3.0184" ]
}

@test "libc: --gc-sections drops unreachable functions and keeps what start-up and unwinding need" {
  cat >g.c <<'C'
#include <stdio.h>
__attribute__((used, section("my_list"))) static const int entry1 = 1;
extern const int __start_my_list[], __stop_my_list[];
void unused_function(void) { puts("never"); }
int unused_data[1000] = {1};
static int calls;
__attribute__((constructor(200))) static void early(void) { calls = 10; }
__attribute__((retain, used)) static void kept(void) {}
int main(void) {
  printf("calls=%d list=%d\n", calls, (int)(__stop_my_list - __start_my_list));
  return 0;
}
C
  gcc -O1 -ffunction-sections -fdata-sections -c g.c
  run gcc -static -B "$MINI_BIN/" -Wl,--gc-sections -Wl,--print-gc-sections g.o -o prog
  [ "$status" -eq 0 ]
  [[ "$output" == *"mini-ld: removing unused section '.text.unused_function' in file 'g.o'"* ]]
  [[ "$output" == *"mini-ld: removing unused section '.data.unused_data' in file 'g.o'"* ]]
  [[ "$output" != *"'.text.kept'"* ]]
  run gcc -static -Wl,--gc-sections g.o -o prog.bfd
  run_both prog
  [ "$output" = "calls=10 list=1" ]
  ! nm prog | grep -q unused_function
  nm prog | grep -q ' kept$'
  # Without the option, everything stays.
  gcc -static -B "$MINI_BIN/" g.o -o full
  nm full | grep -q unused_function
  [ "$(stat -c %s prog)" -lt "$(stat -c %s full)" ]
}

@test "libc: --gc-sections keeps C++ exceptions working" {
  cat >e.cc <<'CC'
#include <cstdio>
#include <stdexcept>
int unused(int x) { return x * 3; }
static void thrower(int x) { if (x > 1) throw std::runtime_error("deep"); }
int main(int argc, char **) {
  try { thrower(argc + 1); } catch (const std::exception &e) { std::printf("caught %s\n", e.what()); }
  return 0;
}
CC
  g++ -O1 -ffunction-sections -fdata-sections -c e.cc
  run g++ -static -B "$MINI_BIN/" -Wl,--gc-sections e.o -o prog
  [ "$status" -eq 0 ]
  run ./prog
  [ "$output" = "caught deep" ]
  ! nm -C prog | grep -q ' unused(int)$'
}

@test "libc: a .gnu.warning.SYM section warns where SYM is used, as for getpwnam" {
  cat >pw.c <<'C'
#include <pwd.h>
#include <stdio.h>
int main(void) { struct passwd *p = getpwnam("root"); printf("%s\n", p ? "found" : "none"); return 0; }
C
  gcc -c pw.c
  run gcc -static -B "$MINI_BIN/" pw.o -o prog
  [ "$status" -eq 0 ]
  [[ "$output" == "mini-ld: warning: pw.o:(.text+0x"*"): Using 'getpwnam' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking" ]]
  # Our own .gnu.warning, with no libc: warned once per object that uses it.
  cat >w.s <<'S'
	.section .gnu.warning.old_api
	.asciz "old_api is deprecated, use new_api"
	.text
	.globl old_api
old_api: ret
	.section .note.GNU-stack,"",@progbits
S
  cc -c w.s -o w.o
  runtime
  obj main <<'C'
void old_api(void);
int main(void) { old_api(); old_api(); return 0; }
C
  run "$MINI_LD" rt.o main.o w.o -o prog2
  [ "$status" -eq 0 ]
  [[ "$output" == "mini-ld: warning: main.o:(.text+0x"*"): old_api is deprecated, use new_api" ]]
  [ "${#lines[@]}" -eq 1 ]
  ! readelf -SW prog2 | grep -q gnu.warning
}

@test "libc: gdb breaks in a function of a -g program linked by mini-ld and shows its source line" {
  cat >d.c <<'C'
#include <stdio.h>
static int square(int x) {
  int result = x * x;
  return result;
}
int main(void) {
  printf("%d\n", square(7));
  return 0;
}
C
  gcc -g -O0 -c d.c
  gcc -static -B "$MINI_BIN/" d.o -o prog
  run gdb -batch -nx -ex 'break square' -ex run -ex 'info locals' -ex bt prog
  [[ "$output" == *"Breakpoint 1, square (x=7) at d.c:3"* ]]
  [[ "$output" == *"3	  int result = x * x;"* ]]
  [[ "$output" == *"in main () at d.c:7"* ]]
}

@test "libc: .init_array.N and .ctors.N run in priority order, .ctors joins .init_array as in GNU ld" {
  cat >ct.c <<'C'
#include <stdio.h>
static void a(void) { puts("ctors (no priority)"); }
static void b(void) { puts("ctors.65000 = priority 535"); }
static void c(void) { puts("init_array.600"); }
static void d(void) { puts("init_array.500"); }
static void e(void) { puts("init_array (no priority)"); }
__attribute__((section(".ctors"), used)) static void (*pa)(void) = a;
__attribute__((section(".ctors.65000"), used)) static void (*pb)(void) = b;
__attribute__((section(".init_array.600"), used)) static void (*pc)(void) = c;
__attribute__((section(".init_array.00500"), used)) static void (*pd)(void) = d;
__attribute__((section(".init_array"), used)) static void (*pe)(void) = e;
int main(void) { puts("main"); return 0; }
C
  gcc -O1 -c ct.c
  cc_both prog gcc ct.o
  run_both prog
  [ "$output" = "init_array.500
ctors.65000 = priority 535
init_array.600
init_array (no priority)
ctors (no priority)
main" ]
}

@test "libc: an undefined weak TLS symbol gets offset 0, as with GNU ld" {
  cat >wt.c <<'C'
#include <stdio.h>
extern __thread int maybe __attribute__((weak));
__thread int real = 5;
int main(void) { printf("%d %d\n", &maybe == 0, real); return 0; }
C
  for flags in "" "-fPIC" "-fno-pic"; do
    gcc $flags -O1 -c wt.c
    cc_both prog gcc wt.o
    run_both prog
    [ "$output" = "0 5" ]
  done
}

@test "libc: .note.gnu.property is merged into one note and PT_GNU_PROPERTY, as GNU ld does" {
  echo 'int main(void) { return 0; }' >m.c
  gcc -c m.c
  cc_both prog gcc m.o
  readelf -lW prog | grep -q '^  GNU_PROPERTY '
  [ "$(readelf -n prog | grep -c NT_GNU_PROPERTY_TYPE_0)" -eq 1 ]
  [ "$(readelf -n prog | grep Properties:)" = "$(readelf -n prog.bfd | grep Properties:)" ]
  # Every object compiled for IBT and SHSTK: the program keeps both (AND); one
  # object without them clears them (and an OR property, the ISA level, stays).
  runtime
  obj a -fcf-protection=full <<'C'
int main(void) { return 0; }
C
  obj b -fcf-protection=full <<'C'
int other(void) { return 1; }
C
  for o in a b; do readelf -n $o.o | grep -q 'IBT, SHSTK'; done
  printf '\t.section .note.GNU-stack,"",@progbits\n' >>rt.s
  link_both cet a.o b.o
  readelf -n cet | grep -q 'x86 feature: IBT, SHSTK'
  [ "$(readelf -n cet | grep Properties:)" = "$(readelf -n cet.bfd | grep Properties:)" ]
  link_both mixed rt.o a.o b.o
  ! readelf -n mixed | grep -q 'IBT'
  [ "$(readelf -n mixed | grep -c Properties:)" = "$(readelf -n mixed.bfd | grep -c Properties:)" ]
}

@test "libc: .ctors and .dtors tables run in their old order from .init_array and .fini_array" {
  cat >a.c <<'C'
#include <stdio.h>
static void ctor1(void) { printf("ctor1 "); }
static void ctor2(void) { printf("ctor2 "); }
static void ctor3(void) { printf("ctor3 "); }
static void ctor4(void) { printf("ctor4 "); }
static void dtor1(void) { printf("dtor1 "); }
static void dtor2(void) { printf("dtor2 "); }
static void dtor3(void) { printf("dtor3 "); }
static void dtor4(void) { printf("dtor4\n"); }
__attribute__((aligned(8), section(".ctors.65435"))) void (*c1[])(void) = {ctor1};
__attribute__((aligned(8), section(".ctors.65433"))) void (*c2[])(void) = {ctor2};
__attribute__((aligned(8), section(".ctors"))) void (*c3[])(void) = {ctor4, ctor3};
__attribute__((aligned(8), section(".dtors"))) void (*d1[])(void) = {dtor1, dtor2};
__attribute__((aligned(8), section(".dtors.65433"))) void (*d2[])(void) = {dtor3};
__attribute__((aligned(8), section(".dtors.65435"))) void (*d3[])(void) = {dtor4};
C
  cat >b.c <<'C'
#include <stdio.h>
__attribute__((constructor(101))) static void init1(void) { printf("init1 "); }
__attribute__((constructor)) static void init2(void) { printf("init2 "); }
__attribute__((destructor(101))) static void fini1(void) { printf("fini1 "); }
__attribute__((destructor)) static void fini2(void) { printf("fini2 "); }
int main(void) { return 0; }
C
  cc -c a.c -o a.o
  cc -c b.c -o b.o
  cc_both prog gcc a.o b.o
  run_both prog
  [ "$output" = "ctor1 init1 ctor2 ctor3 ctor4 init2 fini2 dtor1 dtor2 dtor3 fini1 dtor4" ]
  dyn_both dprog gcc a.o b.o
  run_both dprog
  [ "$output" = "ctor1 init1 ctor2 ctor3 ctor4 init2 fini2 dtor1 dtor2 dtor3 fini1 dtor4" ]
  dyn_both pie gcc -pie a.o b.o
  run_both pie
}

@test "libc: a static program's _GLOBAL_OFFSET_TABLE_ is .got.plt's start, where its IFUNC slots are, as GNU ld's" {
  cat >got.c <<'C'
#include <stdio.h>
#include <string.h>
extern char foo;
int main(int argc, char **argv) {
  (void)argc;
  printf("%lx %zu\n", (unsigned long)&foo, strlen(argv[0]) > 0);  // strlen: an IFUNC
  return 0;
}
C
  cc -O1 -fPIC -c got.c -o got.o
  cc_both got cc got.o -Wl,--defsym=foo=_GLOBAL_OFFSET_TABLE_
  for exe in got got.bfd; do
    run "./$exe"
    [ "$status" -eq 0 ]
    gotplt=$(readelf -SW "$exe" | awk '$2 == ".got.plt" { print $4 }' | sed 's/^0*//')
    [ -n "$gotplt" ]
    [ "${output%% *}" = "$gotplt" ]
  done
}
