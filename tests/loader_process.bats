#!/usr/bin/env bats
# The process a program finds itself in: registers, stack, auxv, /proc/self/*, and
# (without ASLR) the very same addresses the kernel would have given it. Each program
# is run directly and through mini-loader, and what it reports must match.

load helpers

# Running programs through the sanitizer build leaves ASan's shadow and handlers in the
# process, so these comparisons run only with bin/ (loader_errors.bats and the --check
# test below cover the sanitizer build).
not_under_sanitizer() {
  [ -z "${MINI_SANITIZED:-}" ] || skip "the sanitizer build does not run programs faithfully"
}

# same_run CMD [ARGS...]: CMD's stdout and status, directly and through mini-loader,
# must match; sets $output and $status. Both run under `env -u _`, since bash sets $_
# to the path of the command it runs (the loader, in one case), and under $WRAP if
# set: WRAP="setarch -R" runs `setarch -R CMD` and `setarch -R mini-loader CMD`.
same_run() {
  local want got wrap=()
  read -ra wrap <<<"${WRAP:-}"
  want=0
  env -u _ "${wrap[@]}" "$@" >direct.out 2>direct.err </dev/null || want=$?
  got=0
  env -u _ "${wrap[@]}" "$MINI_LOADER" "$@" >loaded.out 2>loaded.err </dev/null || got=$?
  if [ "$want" -ne "$got" ] || ! cmp -s direct.out loaded.out; then
    echo "directly: status $want; through mini-loader: status $got" >&2
    diff <(tr '\0' '\n' <direct.out) <(tr '\0' '\n' <loaded.out) >&2
    cat loaded.err >&2
    return 1
  fi
  status=$got
  output=$(tr -d '\0' <loaded.out)
}

@test "loader: registers at entry are as execve leaves them (rdx = 0, rsp aligned, fs = 0)" {
  not_under_sanitizer
  # _start stores every register, rflags, rsp % 16, argc, MXCSR, the x87 control
  # word and the fs base, and writes them out as 21 words.
  cat >regs.s <<'ASM'
	.text
	.globl _start
_start:
	mov %rax, regs+0(%rip)
	mov %rbx, regs+8(%rip)
	mov %rcx, regs+16(%rip)
	mov %rdx, regs+24(%rip)
	mov %rsi, regs+32(%rip)
	mov %rdi, regs+40(%rip)
	mov %rbp, regs+48(%rip)
	mov %r8, regs+56(%rip)
	mov %r9, regs+64(%rip)
	mov %r10, regs+72(%rip)
	mov %r11, regs+80(%rip)
	mov %r12, regs+88(%rip)
	mov %r13, regs+96(%rip)
	mov %r14, regs+104(%rip)
	mov %r15, regs+112(%rip)
	pushfq
	pop %rax
	mov %rax, regs+120(%rip)
	mov %rsp, %rax
	and $15, %eax
	mov %rax, regs+128(%rip)       # rsp % 16
	mov (%rsp), %rax
	mov %rax, regs+136(%rip)       # argc
	stmxcsr regs+144(%rip)
	fnstcw regs+152(%rip)
	mov $158, %eax                 # arch_prctl(ARCH_GET_FS, regs + 160)
	mov $0x1003, %edi
	lea regs+160(%rip), %rsi
	syscall
	mov $1, %eax                   # write(1, regs, 168)
	mov $1, %edi
	lea regs(%rip), %rsi
	mov $168, %edx
	syscall
	mov $60, %eax
	xor %edi, %edi
	syscall
	.bss
	.balign 8
regs:	.zero 168
	.section .note.GNU-stack,"",@progbits
ASM
  cc -nostdlib -static regs.s -o regs
  same_run ./regs
  run bash -c "'$MINI_LOADER' ./regs | od -An -v -tx8 | tr -s ' \n' ' '"
  # rax..r15 = 0, rflags = 0x202 (IF), rsp % 16 = 0, argc = 1, MXCSR 0x1f80, FCW 0x37f, fs 0
  [ "$output" = " $(printf '0000000000000000 %.0s' {1..15})0000000000000202 0000000000000000 0000000000000001 0000000000001f80 000000000000037f 0000000000000000 " ]
}

# A program that reports its argv, environ and auxv, as relations that hold under the
# kernel (AT_ENTRY is _start, AT_PHDR is its program headers, AT_BASE is where ld.so
# is...), so that the report is the same with or without ASLR.
auxv_c() {
  cat >auxv.c <<'C'
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char _start[];
extern const Elf64_Ehdr __ehdr_start;

static unsigned long mapping_start(const char *needle) {   /* first line naming it */
  char line[512];
  unsigned long start = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  while (fgets(line, sizeof line, f))
    if (strstr(line, needle)) {
      start = strtoul(line, NULL, 16);
      break;
    }
  fclose(f);
  return start;
}

int main(int argc, char **argv, char **envp) {
  for (int i = 0; i < argc; i++)
    printf("argv[%d] %s\n", i, argv[i]);
  char **e = envp;
  for (; *e; e++)
    printf("env %s\n", *e);
  Elf64_auxv_t *auxv = (Elf64_auxv_t *)(e + 1), *a;
  printf("auxv order:");
  for (a = auxv; a->a_type != AT_NULL; a++)
    printf(" %lu", (unsigned long)a->a_type);
  printf("\n");
  for (a = auxv; a->a_type != AT_NULL; a++) {
    unsigned long v = a->a_un.a_val;
    switch (a->a_type) {
    case AT_PHENT: case AT_PHNUM: case AT_PAGESZ: case AT_CLKTCK: case AT_FLAGS:
    case AT_UID: case AT_EUID: case AT_GID: case AT_EGID: case AT_SECURE:
    case AT_HWCAP: case AT_HWCAP2:
      printf("type %lu = %lu\n", (unsigned long)a->a_type, v);
      break;
    case AT_EXECFN: printf("AT_EXECFN %s\n", (char *)v); break;
    case AT_PLATFORM: printf("AT_PLATFORM %s\n", (char *)v); break;
    case AT_ENTRY: printf("AT_ENTRY is _start: %d\n", v == (unsigned long)_start); break;
    case AT_PHDR:
      printf("AT_PHDR is the program headers: %d\n",
             v == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff);
      break;
    case AT_BASE:
      printf("AT_BASE is ld.so's first page (0 if none): %d\n",
             v == mapping_start("/ld-linux-x86-64.so.2"));
      break;
    case AT_SYSINFO_EHDR:
      printf("AT_SYSINFO_EHDR is the vDSO: %d\n", v == mapping_start("[vdso]"));
      break;
    case AT_RANDOM: {
      unsigned char zero[16] = {0};
      printf("AT_RANDOM is 16 bytes on the stack, not all zero: %d\n",
             memcmp((void *)v, zero, 16) != 0 && v > (unsigned long)argv);
      break;
    }
    }
  }
  /* /proc/self/auxv is the kernel's copy of the same vector */
  static char proc[4096];
  int fd = open("/proc/self/auxv", O_RDONLY);
  long n = read(fd, proc, sizeof proc);
  printf("/proc/self/auxv matches the stack: %d\n",
         n == (long)((char *)(a + 1) - (char *)auxv) && memcmp(proc, auxv, n) == 0);
  printf("rsp is below argv: %d\n", (unsigned long)&argc < (unsigned long)argv);
  return 0;
}
C
}

@test "loader: argv, environ and auxv of a static program" {
  not_under_sanitizer
  auxv_c
  cc -static auxv.c -o auxv
  same_run ./auxv one two
  [[ "$output" == *"AT_EXECFN ./auxv"* ]]
  [[ "$output" == *"AT_ENTRY is _start: 1"* ]]
  [[ "$output" == *"AT_PHDR is the program headers: 1"* ]]
  [[ "$output" == *"AT_BASE is ld.so's first page (0 if none): 1"* ]]
  [[ "$output" == *"/proc/self/auxv matches the stack: 1"* ]]
  [[ "$output" == *"AT_RANDOM is 16 bytes on the stack, not all zero: 1"* ]]
}

@test "loader: argv, environ and auxv of a static-pie program" {
  not_under_sanitizer
  auxv_c
  cc -static-pie auxv.c -o auxv
  same_run ./auxv one
  [[ "$output" == *"AT_ENTRY is _start: 1"* ]]
  [[ "$output" == *"AT_PHDR is the program headers: 1"* ]]
}

@test "loader: argv, environ and auxv of a dynamic PIE: AT_BASE is ld.so" {
  not_under_sanitizer
  auxv_c
  cc -pie -fPIE auxv.c -o auxv
  same_run ./auxv
  [[ "$output" == *"AT_BASE is ld.so's first page (0 if none): 1"* ]]
  [[ "$output" == *"AT_SYSINFO_EHDR is the vDSO: 1"* ]]
  [[ "$output" == *"/proc/self/auxv matches the stack: 1"* ]]
}

@test "loader: argv, environ and auxv of a dynamic non-PIE program, found in PATH" {
  not_under_sanitizer
  auxv_c
  mkdir bin
  cc -no-pie auxv.c -o bin/auxv
  PATH=$BATS_TEST_TMPDIR/bin:$PATH same_run auxv x
  [[ "$output" == *"AT_EXECFN $BATS_TEST_TMPDIR/bin/auxv"* ]]
  [[ "$output" == *"AT_ENTRY is _start: 1"* ]]
}

@test "loader: /proc/self/cmdline, environ and comm are the program's" {
  not_under_sanitizer
  same_run cat /proc/self/cmdline
  [ "$(tr '\0' ' ' <loaded.out)" = "cat /proc/self/cmdline " ]
  FOO=bar same_run cat /proc/self/environ
  [[ "$(tr '\0' '\n' <loaded.out)" == *"FOO=bar"* ]]
  same_run cat /proc/self/comm
  [ "$output" = "cat" ]
  # The kernel cuts the name to 15 bytes (TASK_COMM_LEN - 1).
  cp "$(command -v cat)" a-rather-long-program-name
  same_run ./a-rather-long-program-name /proc/self/comm
  [ "$output" = "a-rather-long-p" ]
}

@test "loader: /proc/self/exe names the program, not mini-loader" {
  not_under_sanitizer
  needs_exe_change
  run "$MINI_LOADER" --trace /bin/true
  [[ "$output" == *"[set_mm] prctl(PR_SET_MM_MAP): /proc/self/exe is now /bin/true"* ]]
  same_run readlink /proc/self/exe
  [ "$output" = "$(readlink -f "$(command -v readlink)")" ]
}

# A program that reports where it is: its own mappings, [heap] and [stack] from
# /proc/self/maps, and the addresses the kernel keeps in /proc/self/stat (start_code,
# end_code, start_stack, start_data, end_data, start_brk, arg_start, arg_end,
# env_start, env_end). With RELATIVE set, addresses of the program and its heap are
# printed relative to its first mapping (for a PIE, whose base may differ).
layout_c() {
  cat >layout.c <<'C'
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  (void)argc;
  char *p = malloc(100);                 /* creates [heap] */
  strcpy(p, "x");
  char path[PATH_MAX], line[512];
  realpath(argv[0], path);
  int relative = getenv("RELATIVE") != NULL;
  unsigned long base = 0, s, e, off;
  char perms[8], name[PATH_MAX];
  FILE *f = fopen("/proc/self/maps", "r");
  while (fgets(line, sizeof line, f)) {
    name[0] = '\0';
    sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095s", &s, &e, perms, &off, name);
    if (!strcmp(name, path)) {
      if (!base && relative)
        base = s;
      printf("%lx-%lx %s %lx program\n", s - base, e - base, perms, off);
    } else if (!strcmp(name, "[heap]")) {
      printf("%lx %s heap starts\n", s - base, perms);
    } else if (!strcmp(name, "[stack]")) {
      printf("%lx-%lx %s stack\n", s, e, perms);
    }
  }
  fclose(f);
  static char stat[4096];
  f = fopen("/proc/self/stat", "r");
  fgets(stat, sizeof stat, f);
  char *q = strrchr(stat, ')') + 2;      /* field 3 on */
  for (int field = 3; q && *q; field++) {
    unsigned long v = strtoul(q, NULL, 10);
    if (field == 26 || field == 27 || (field >= 45 && field <= 47))
      printf("stat %d %lx\n", field, v - base);  /* code, data, brk */
    if (field == 28 || (field >= 48 && field <= 51))
      printf("stat %d %lx\n", field, v);         /* stack, args, env */
    q = strchr(q, ' ');
    if (q)
      q++;
  }
  return 0;
}
C
}

@test "loader: without ASLR, a static program is where the kernel puts it: mappings, heap, stack" {
  not_under_sanitizer
  command -v setarch >/dev/null || skip "setarch is not installed"
  layout_c
  cc -static layout.c -o layout
  WRAP="setarch -R" same_run ./layout
  [ "$(grep -c program <<<"$output")" -ge 4 ]
  [[ "$output" == *"heap starts"* ]]
  [[ "$output" == *"7ffffffff000 rw-p stack"* ]]
  # The heap starts at start_brk (stat field 47): the page after .bss.
  local brk
  brk=$(sed -n 's/^stat 47 //p' <<<"$output")
  [[ "$output" == *"$brk rw-p heap starts"* ]]
}

@test "loader: without ASLR, a dynamic PIE has the kernel's shape and the kernel's stack" {
  not_under_sanitizer
  command -v setarch >/dev/null || skip "setarch is not installed"
  layout_c
  cc -pie -fPIE layout.c -o layout
  # The base may differ (the loader's own heap sits at ELF_ET_DYN_BASE, see
  # reserve_span.c), so the program's addresses are compared relative to it.
  RELATIVE=1 WRAP="setarch -R" same_run ./layout
  [[ "$output" == *"0-1000 r--p 0 program"* ]]
  [[ "$output" == *"heap starts"* ]]
}

@test "loader: --maps shows the program's memory on stderr before it runs" {
  not_under_sanitizer
  printf '#include <stdio.h>\nint main(void) { puts("ran"); return 0; }\n' | cc -static -x c - -o prog
  "$MINI_LOADER" --maps ./prog >out 2>err
  [ "$(cat out)" = "ran" ]
  [[ "$(head -1 err)" == "00400000-00401000 r--p 00000000 "*"/prog" ]]
  grep -q ' r-xp 00001000 .*/prog$' err
  grep -q '\[stack\]$' err
}

@test "loader: --maps=FILE writes the map to FILE and labels what the loader leaves behind" {
  not_under_sanitizer
  printf 'int main(void) { return 0; }\n' | cc -static -x c - -o prog
  run "$MINI_LOADER" --maps=maps.txt ./prog
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  grep -q '^00400000-00401000 r--p 00000000 .*/prog$' maps.txt
  # The loader's own image (code, data, bss), its heap (glibc's TLS for it) and the
  # scratch copy of the new stack are there, labelled; the program's lines are not.
  grep -q " r-xp .*<- mini-loader's own code and data (left behind, unused)$" maps.txt
  grep -q "<- mini-loader's heap: its TLS (left behind, unused)$" maps.txt
  grep -q "<- mini-loader's scratch copy of the new stack (unmapped at the jump)$" maps.txt
  ! grep '/prog .*<-' maps.txt
  ! grep '\[stack\] .*<-' maps.txt
  # A file that cannot be created is a clean usage error, before anything runs.
  run -2 "$MINI_LOADER" --maps=no/such/dir/maps.txt ./prog
  [ "$output" = "mini-loader: no/such/dir/maps.txt: cannot create: No such file or directory" ]
}

@test "loader: --trace folds the environment into one line, --trace=all lists it" {
  not_under_sanitizer
  printf 'int main(void) { return 0; }\n' | cc -static -x c - -o prog
  # Three strings of 7 bytes with their NUL, and one of 2 + 1,000 + 1: 1,024 bytes.
  local big
  big=$(printf 'x%.0s' {1..1000})
  run env -i A=aaaa B=bbbb C=cccc D="$big" "$MINI_LOADER" --trace ./prog
  [ "$status" -eq 0 ]
  [[ "$output" =~ \[build_stack\]\ +0x[0-9a-f]+\ +envp\[0..3\]:\ 4\ strings,\ 1,024\ bytes\ \(--trace=all\ lists\ them\) ]]
  [[ "$output" =~ envp\[4\]\ +0x0\ \(NULL\) ]]
  [[ "$output" != *'"A=aaaa"'* ]]
  [[ "$output" == *"argument strings (7 bytes), then environment strings (1,024 bytes)"* ]]
  run env -i A=aaaa B=bbbb C=cccc D="$big" "$MINI_LOADER" --trace=all ./prog
  [ "$status" -eq 0 ]
  [[ "$output" == *'envp[0]   0x'*'"A=aaaa"'* ]]
  [[ "$output" == *'envp[3]   0x'*"\"D=$big\""* ]]
  [[ "$output" != *"envp[0..3]"* ]]
  run -2 "$MINI_LOADER" --trace=some ./prog
  [ "${lines[0]}" = "mini-loader: --trace takes no value but 'all': --trace=some" ]
}

@test "loader: with full ASLR the heap starts a random number of pages (< 32 MiB) after .bss" {
  not_under_sanitizer
  [ "$(cat /proc/sys/kernel/randomize_va_space)" = 2 ] ||
    skip "kernel.randomize_va_space is not 2: the kernel does not randomize the heap"
  layout_c
  cc -static layout.c -o layout
  local end brk starts=() i
  # The page after the RW PT_LOAD's memory (.bss): where the heap starts without ASLR.
  end=$(( $(readelf -lW layout | awk '$1 == "LOAD" { v = $3; m = $6 } END { print v "+" m }') ))
  end=$(( (end + 4095) / 4096 * 4096 ))
  for i in 1 2 3 4; do
    "$MINI_LOADER" ./layout >out
    brk=$((0x$(sed -n 's/^stat 47 //p' out)))
    ((brk >= end && brk < end + (32 << 20))) || { echo "brk $brk, .bss ends at $end" >&2; return 1; }
    ((brk % 4096 == 0))
    starts+=("$brk")
  done
  # Four draws from 8192 pages: all the same only by a bug (or 1 in 2^39).
  [ "$(printf '%s\n' "${starts[@]}" | sort -u | wc -l)" -gt 1 ]
}

# A program in app/bin whose library is in app/lib, found through RUNPATH
# $ORIGIN/../lib: only a loader that makes /proc/self/exe name the program runs it.
origin_app() {
  mkdir -p app/bin app/lib
  printf 'int seven(void) { return 7; }\n' | cc -shared -fPIC -x c - -o app/lib/libseven.so
  printf 'int seven(void);\nint main(void) { return seven(); }\n' >m.c
  cc m.c -Lapp/lib -lseven -Wl,-rpath,'$ORIGIN/../lib' -o app/bin/m
}

@test "loader: without the privilege to change /proc/self/exe, a \$ORIGIN program gets a one-line warning" {
  not_under_sanitizer
  origin_app
  local drop=()
  if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || skip "setpriv is not installed (Debian: util-linux)"
    drop=(setpriv --bounding-set=-all --inh-caps=-all --)  # root, without capabilities
  fi
  run -127 "${drop[@]}" "$MINI_LOADER" app/bin/m
  [ "${lines[0]}" = "mini-loader: warning: app/bin/m: its RUNPATH \$ORIGIN/../lib will be resolved next to mini-loader: /proc/self/exe still names mini-loader (changing it needs CAP_CHECKPOINT_RESTORE, normally root)" ]
  # ld.so then looks next to mini-loader, and does not find the library (127).
  [[ "$output" == *"libseven.so: cannot open shared object file"* ]]
  # A program without $ORIGIN runs without a word.
  run "${drop[@]}" "$MINI_LOADER" /bin/true
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  # With the privilege (root), the program finds its library, and nothing is said.
  if [ "$(id -u)" = 0 ]; then
    run -7 "$MINI_LOADER" app/bin/m
    [ "$output" = "" ]
  fi
}

@test "loader: --trace narrates every step in the kernel's terms" {
  not_under_sanitizer
  printf 'int main(void) { return 0; }\n' | cc -pie -fPIE -x c - -o prog
  run "$MINI_LOADER" --trace ./prog
  [ "$status" -eq 0 ]
  local step
  for step in "[find_program] ./prog: a path" "[read_headers] program ./prog:" \
      "[check_plan] program: #" "PT_INTERP asks for /lib64/ld-linux-x86-64.so.2" \
      "[read_headers] interpreter /lib64/ld-linux-x86-64.so.2:" \
      "[reserve_span] program: ET_DYN with PT_INTERP (PIE): ELF_ET_DYN_BASE" \
      "MAP_PRIVATE|MAP_FIXED, fd, 0x0)" "[zero_bss] program:" "[load_interp]" \
      "argc       1" "argv[0]   0x" "AT_PHDR" "AT_ENTRY" "AT_BASE" "AT_RANDOM" "AT_EXECFN" \
      "[set_mm] the loader's own brk is still 0x" "[set_mm] prctl(PR_SET_MM_MAP): brk 0x" "[set_mm] prctl(PR_SET_NAME, \"prog\")" \
      "[enter_program] rseq: glibc's area unregistered" "[enter_program] jumping to 0x"; do
    [[ "$output" == *"$step"* ]] || { echo "missing: $step" >&2; return 1; }
  done
}

@test "loader: --check checks the program and its interpreter, and runs nothing" {
  # (also under the sanitizer build: setup's skip does not apply to --check)
  printf 'int main(void) { return 3; }\n' | cc -x c - -o prog
  run "$MINI_LOADER" --check ./prog
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  run "$MINI_LOADER" --check --trace ./prog
  [ "$status" -eq 0 ]
  [[ "$output" == *"[read_headers] interpreter /lib64/ld-linux-x86-64.so.2"* ]]
  [ "${lines[-1]}" = "[check] ./prog: ok, nothing mapped (--check)" ]
}
