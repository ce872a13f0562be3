#!/usr/bin/env bats
# mini-ld as gcc's linker: `gcc -static -B bin/` links real programs against static
# glibc. Each program is linked twice, by mini-ld and by GNU ld (plain gcc), and
# both must print the same and exit the same.

load helpers

# cc_both OUT CFLAGS... -- SOURCES...: compile and link with both linkers.
cc_both() {
  local out=$1
  shift
  run gcc -static -B "$MINI_BIN/" "$@" -o "$out"
  if [ "$status" -ne 0 ]; then
    echo "gcc -B mini-ld failed: $output" >&2
    return 1
  fi
  run gcc -static "$@" -o "$out.bfd"
  [ "$status" -eq 0 ]
}

@test "libc: glibc printf hello links through gcc -static -B" {
  cat >hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello, %s %d\n", "world", 42); return 3; }
C
  cc_both hello hello.c
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
    cc_both prog tls.o other.o -pthread
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
  cc_both prog tls.c
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
    cc_both prog ifunc.o
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
