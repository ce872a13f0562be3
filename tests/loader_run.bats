#!/usr/bin/env bats
# mini-loader runs programs as the kernel does: each program here is run directly and
# through the loader, and stdout, stderr and the exit status (or the killing signal)
# must be the same.
#
# Under the sanitizer build (MINI_SANITIZED=1) the loader is an ordinary ASan PIE: it
# can still load and start well-behaved programs (which checks the whole pipeline
# under ASan), but ASan's own signal handlers and shadow memory stay behind in the
# process, so tests about signals and exact memory layout run only with bin/.

load helpers

not_under_sanitizer() {
  [ -z "${MINI_SANITIZED:-}" ] || skip "the sanitizer build leaves ASan's handlers and shadow behind"
}

# same_run CMD [ARGS...]: runs CMD directly and as `mini-loader CMD ARGS...`, with the
# same stdin (the file `stdin`, if there is one); stdout, stderr and status must match.
same_run() {
  local in=/dev/null want got
  [ -e stdin ] && in=stdin
  ulimit -c 0
  want=0
  "$@" <"$in" >direct.out 2>direct.err || want=$?
  got=0
  "$MINI_LOADER" "$@" <"$in" >loaded.out 2>loaded.err || got=$?
  if [ "$want" -ne "$got" ] || ! cmp -s direct.out loaded.out || ! cmp -s direct.err loaded.err; then
    echo "directly: status $want" >&2
    cat direct.out direct.err >&2
    echo "through mini-loader: status $got" >&2
    cat loaded.out loaded.err >&2
    diff direct.out loaded.out >&2
    diff direct.err loaded.err >&2
    return 1
  fi
  status=$got
  output=$(cat loaded.out)
  mapfile -t lines <loaded.out
}

# A C program that shows its arguments and exits with their count.
hello_c() {
  cat >hello.c <<'C'
#include <stdio.h>
int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    printf("argv[%d] = %s\n", i, argv[i]);
  fprintf(stderr, "hello on stderr\n");
  return argc;
}
C
}

@test "loader: a static glibc program (ET_EXEC)" {
  hello_c
  cc -static hello.c -o hello
  same_run ./hello one two
  [ "$status" -eq 3 ]
  [ "${lines[2]}" = "argv[2] = two" ]
}

@test "loader: a static-pie glibc program (ET_DYN without PT_INTERP) relocates itself" {
  hello_c
  cc -static-pie hello.c -o hello
  same_run ./hello one
  [ "$status" -eq 2 ]
}

@test "loader: a static musl program" {
  command -v musl-gcc >/dev/null || skip "musl-gcc is not installed (Debian: musl-tools)"
  hello_c
  musl-gcc -static hello.c -o hello
  same_run ./hello a b c
  [ "$status" -eq 4 ]
}

@test "loader: a dynamically linked PIE starts in ld.so" {
  hello_c
  cc -pie -fPIE hello.c -o hello
  same_run ./hello x
  [ "$status" -eq 2 ]
  run "$MINI_LOADER" --trace ./hello
  [[ "$output" == *"[load_interp] /lib64/ld-linux-x86-64.so.2 is at 0x"* ]]
  [[ "$output" == *"(the interpreter's entry)"* ]]
}

@test "loader: a dynamically linked non-PIE program (ET_EXEC with PT_INTERP)" {
  hello_c
  cc -no-pie hello.c -o hello
  same_run ./hello x y
  [ "$status" -eq 3 ]
}

@test "loader: a dynamically linked musl program starts in musl's ld.so" {
  command -v musl-gcc >/dev/null || skip "musl-gcc is not installed (Debian: musl-tools)"
  hello_c
  musl-gcc hello.c -o hello
  readelf -lW hello | grep -q 'interpreter: /lib/ld-musl' || skip "musl-gcc did not link dynamically"
  same_run ./hello x
  [ "$status" -eq 2 ]
}

@test "loader: ld.so itself can be the program, as in \`ld.so PROG\`" {
  hello_c
  cc hello.c -o hello
  same_run /lib64/ld-linux-x86-64.so.2 ./hello via-ld.so
  [ "$status" -eq 2 ]
  [ "${lines[1]}" = "argv[1] = via-ld.so" ]
}

@test "loader: ls is found in PATH, as execvp finds it" {
  mkdir -p d/sub
  touch d/file d/sub/other
  same_run ls -la d d/sub
  [ "$status" -eq 0 ]
  same_run ls /no/such/dir
  [ "$status" -eq 2 ]
}

@test "loader: a name without '/' runs the first match in PATH" {
  hello_c
  mkdir first second
  cc hello.c -o second/prog
  printf '#!/bin/sh\n' >first/prog  # not executable: skipped, as execvp skips it
  PATH=$BATS_TEST_TMPDIR/first:$BATS_TEST_TMPDIR/second:$PATH same_run prog arg
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "argv[0] = prog" ]
}

@test "loader: python3" {
  local py
  py=$(readlink -f /usr/bin/python3)  # the ELF file (python3 in PATH may be a shim script)
  [ -x "$py" ] || skip "/usr/bin/python3 is not installed"
  same_run "$py" -c 'import sys, json; print(json.dumps(sys.argv)); sys.exit(7)' a b
  [ "$status" -eq 7 ]
}

@test "loader: busybox-static applets" {
  command -v busybox >/dev/null || skip "busybox is not installed (Debian: busybox-static)"
  local bb
  bb=$(command -v busybox)
  readelf -lW "$bb" | grep -q INTERP && skip "busybox is not busybox-static (it has PT_INTERP)"
  same_run busybox echo hello world
  same_run busybox sh -c 'x=0; for i in 1 2 3 4; do x=$((x + i)); done; echo $x; exit 5'
  [ "$status" -eq 5 ]
  [ "$output" = "10" ]
  printf 'pear\napple\nfig\n' >stdin
  same_run busybox sort
  [ "$output" = "$(printf 'apple\nfig\npear')" ]
  same_run busybox wc -l
  same_run busybox cat /no/such/file
  [ "$status" -eq 1 ]
}

@test "loader: a freestanding program linked by mini-ld" {
  [ -x "$MINI_LD" ] || skip "mini-ld is not built"
  runtime
  obj main <<'C'
void print(const char *);
void print_hex(unsigned long);
static int counter;            /* .bss */
static int step = 7;           /* .data */
int main(int argc, char **argv) {
  counter += step;
  print("hello from mini-ld\n");
  print(argv[argc - 1]);
  print("\n");
  print_hex(counter);
  return counter + argc;
}
C
  "$MINI_LD" rt.o main.o -o prog
  same_run ./prog last-arg
  [ "$status" -eq 9 ]
  [ "${lines[1]}" = "last-arg" ]
}

@test "loader: a RUNPATH with \$ORIGIN finds the program's own libraries" {
  # ld.so expands $ORIGIN from /proc/self/exe: it must name the program.
  needs_exe_change
  mkdir -p app/bin app/lib
  printf 'int answer(void) { return 42; }\n' | cc -shared -fPIC -x c - -o app/lib/libanswer.so
  printf '#include <stdio.h>\nint answer(void);\nint main(void) { printf("%%d\\n", answer()); return 0; }\n' |
    cc -x c - -Lapp/lib -lanswer -Wl,-rpath,'$ORIGIN/../lib' -o app/bin/prog
  same_run ./app/bin/prog
  [ "$output" = "42" ]
}

# A program with thread-local storage and threads.
threads_c() {
  cat >threads.c <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
__thread long counter = 100;       /* .tdata */
__thread char name[32];            /* .tbss */
static void *work(void *arg) {
  long n = (long)arg;
  snprintf(name, sizeof name, "thread %ld", n);
  for (int i = 0; i < 1000; i++)
    counter++;
  return (void *)(counter + (long)strlen(name));
}
int main(void) {
  pthread_t t[8];
  long sum = 0;
  for (long i = 0; i < 8; i++)
    pthread_create(&t[i], NULL, work, (void *)i);
  for (int i = 0; i < 8; i++) {
    void *r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  char *big = malloc(1 << 24);     /* mmap'd by malloc */
  char *small = malloc(100);       /* from the brk heap */
  memset(big, 1, 1 << 24);
  strcpy(small, "heap");
  printf("sum %ld, main's counter %ld, name '%s', %s\n", sum, counter, name, small);
  return 0;
}
C
}

@test "loader: TLS and threads, dynamically linked" {
  threads_c
  cc -pthread threads.c -o threads
  same_run ./threads
  [ "$output" = "sum 8864, main's counter 100, name '', heap" ]
}

@test "loader: TLS and threads, static glibc" {
  threads_c
  cc -static -pthread threads.c -o threads
  same_run ./threads
  [ "$output" = "sum 8864, main's counter 100, name '', heap" ]
}

@test "loader: TLS and threads, static musl" {
  command -v musl-gcc >/dev/null || skip "musl-gcc is not installed (Debian: musl-tools)"
  threads_c
  musl-gcc -static -pthread threads.c -o threads
  same_run ./threads
  [ "$output" = "sum 8864, main's counter 100, name '', heap" ]
}

@test "loader: writing to a string literal is SIGSEGV in both" {
  not_under_sanitizer
  cat >crash.c <<'C'
#include <stdio.h>
int main(void) {
  char *s = "read-only";           /* .rodata: a PT_LOAD without PF_W */
  printf("before\n");
  fflush(stdout);
  s[0] = 'R';
  printf("after\n");
  return 0;
}
C
  cc -O0 crash.c -o crash
  same_run ./crash
  [ "$status" -eq $((128 + 11)) ]
  [ "$output" = "before" ]
  cc -O0 -static crash.c -o crash
  same_run ./crash
  [ "$status" -eq $((128 + 11)) ]
}

@test "loader: abort() kills with SIGABRT in both" {
  not_under_sanitizer
  printf '#include <stdlib.h>\nint main(void) { abort(); }\n' | cc -x c - -o abrt
  same_run ./abrt
  [ "$status" -eq $((128 + 6)) ]
}

@test "loader: an executable stack (PT_GNU_STACK with PF_X) is honoured" {
  not_under_sanitizer
  # Code copied to the stack and called: it works only if the stack is executable.
  cat >exec.c <<'C'
#include <stdio.h>
#include <string.h>
int main(void) {
  unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};   /* mov $42, %eax; ret */
  int (*f)(void) = (int (*)(void))(void *)code;
  char line[256];
  FILE *maps = fopen("/proc/self/maps", "r");
  while (fgets(line, sizeof line, maps))
    if (strstr(line, "[stack]"))
      printf("stack %.4s\n", strchr(line, ' ') + 1);
  return f();
}
C
  cc -O0 -static -z execstack exec.c -o exec
  same_run ./exec
  [ "$status" -eq 42 ]
  [ "$output" = "stack rwxp" ]
  cc -O0 -z execstack exec.c -o exec
  same_run ./exec
  [ "$status" -eq 42 ]
}

@test "loader: standard input and output pass through" {
  printf 'b\nc\na\n' >stdin
  same_run sort
  [ "$output" = "$(printf 'a\nb\nc')" ]
  printf 'some input\n' | "$MINI_LOADER" cat >out
  [ "$(cat out)" = "some input" ]
}

@test "loader: many arguments and a large environment" {
  hello_c
  cc hello.c -o hello
  local args=() i
  for ((i = 0; i < 2000; i++)); do args+=("argument-$i"); done
  BIG=$(head -c 100000 /dev/zero | tr '\0' x) same_run ./hello "${args[@]}"
  [ "$status" -eq $((2001 % 256)) ]
}

@test "loader: mini-loader can load mini-loader" {
  not_under_sanitizer
  hello_c
  cc -static hello.c -o hello
  run --separate-stderr "$MINI_LOADER" "$MINI_LOADER" ./hello nested
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "argv[0] = ./hello" ]
  [ "${lines[1]}" = "argv[1] = nested" ]
}

@test "loader: a bss-only PT_LOAD that starts in .data's page leaves .data alone" {
  # Linked by hand so that .bss gets a PT_LOAD of its own (p_filesz 0) starting in
  # the last page of the .data PT_LOAD. (The kernel maps anonymous pages over that
  # whole page and loses "ok"; mini-loader keeps .data and clears only .bss.)
  cat >prog.s <<'ASM'
	.text
	.globl _start
_start:
	mov $1, %edi
	lea msg(%rip), %rsi
	mov $3, %edx
	mov $1, %eax
	syscall                        # write(1, "ok\n", 3)
	mov counter(%rip), %rdi
	add counter+8(%rip), %rdi
	mov $60, %eax
	syscall                        # exit(.bss words: 0)
	.data
msg:	.ascii "ok\n"
	.bss
counter: .zero 16
	.section .note.GNU-stack,"",@progbits
ASM
  cat >prog.ld <<'LD'
PHDRS { text PT_LOAD FILEHDR PHDRS FLAGS(5); data PT_LOAD FLAGS(6); bss PT_LOAD FLAGS(6);
        stack PT_GNU_STACK FLAGS(6); }
SECTIONS {
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text) } :text
  . = ALIGN(0x1000) + (. & 0xfff);
  .data : { *(.data) } :data
  .bss : { *(.bss) } :bss
  /DISCARD/ : { *(.note*) }
}
LD
  cc -nostdlib -static -Wl,--build-id=none -Wl,-T,prog.ld prog.s -o prog
  run "$MINI_LOADER" ./prog
  [ "$status" -eq 0 ]
  [ "$output" = "ok" ]
}

@test "loader: a #! script's /proc/self/exe is its interpreter, as binfmt_script leaves it" {
  needs_exe_change
  printf '#!/bin/sh\nreadlink /proc/$$/exe\n' >sh-script
  chmod +x sh-script
  same_run ./sh-script
  [ "$output" = "$(readlink -f /bin/sh)" ]
}

@test "loader: a #! script runs its interpreter with the script's path, as binfmt_script does" {
  hello_c
  cc hello.c -o hello
  # The interpreter gets its one argument (blanks inside kept), then the script.
  printf '#! %s  an arg  \nignored\n' "$PWD/hello" >script
  chmod +x script
  same_run ./script x y
  [ "$status" -eq 5 ]
  [ "${lines[0]}" = "argv[0] = $PWD/hello" ]
  [ "${lines[1]}" = "argv[1] = an arg" ]
  [ "${lines[2]}" = "argv[2] = ./script" ]
  [ "${lines[4]}" = "argv[4] = y" ]
  # A shell script: /proc/self/comm names the script.
  printf '#!/bin/sh\necho "$0 $*"; cat /proc/$$/comm\n' >sh-script
  chmod +x sh-script
  same_run ./sh-script a b
  [ "${lines[0]}" = "./sh-script a b" ]
  [ "${lines[1]}" = "sh-script" ]
  # An interpreter that does not exist: 127, like a shell running it would say.
  printf '#!/nonexistent/interp\n' >bad-script
  chmod +x bad-script
  run -127 "$MINI_LOADER" ./bad-script
  [ "$output" = "mini-loader: ./bad-script: #! interpreter /nonexistent/interp: No such file or directory" ]
}
