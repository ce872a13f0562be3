# Shared helpers for the bats suites. Each test builds its own fixtures from heredocs
# in $BATS_TEST_TMPDIR; nothing binary is checked in.
#
#   obj NAME [CFLAGS...] <<'EOF'   compile C from stdin to NAME.o (freestanding)
#   asm NAME <<'EOF'               assemble x86-64 (AT&T) from stdin to NAME.o
#                                  (with .note.GNU-stack, as a compiler makes objects)
#   runtime                        make rt.o: _start (calls main, exits with its
#                                  value), print(const char *), print_hex(u64)
#   link_both OUT ARGS...          link ARGS with mini-ld to OUT and with ld.bfd to
#                                  OUT.bfd; both must succeed
#   run_both OUT                   run both programs; their stdout and exit status must
#                                  match; sets $output and $status from ours
#   check_layout OUT               readelf -lW facts: PT_LOADs in R, R X, R, RW order
#                                  (RW may repeat: the RELRO part, then the rest),
#                                  p_vaddr ≡ p_offset (mod p_align), no W+X segment
#   expect_error MSG ARGS...       mini-ld ARGS must exit 1 with exactly MSG on stderr
#                                  and create no output file
#   cc_both OUT DRIVER ARGS...     DRIVER (gcc, g++, clang, musl-gcc) -static links ARGS
#                                  through mini-ld to OUT and through GNU ld to OUT.bfd
#   dyn_both OUT DRIVER ARGS...    the same without -static: a dynamically linked program
#   ar_both ARGS...                GNU ar and mini-ar with the same ARGS ('@' in a word
#                                  is "gnu" or "mini"): same stdout, byte-identical
#                                  archives
#   needs_exe_change               skip the test unless mini-loader may point
#                                  /proc/self/exe at the program (root's privilege)
#   with_common NAME <<'EOF'       compile a C program from stdin together with every
#                                  common/*.c to NAME, under ThreadSanitizer when the
#                                  compiler has it (a data race then exits 66)

bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
MINI_BIN=${MINI_BIN:-$REPO/bin}
MINI_LD=$MINI_BIN/mini-ld
MINI_AR=$MINI_BIN/mini-ar
MINI_LOADER=$MINI_BIN/mini-loader
CFLAGS_FREE=(-O1 -ffreestanding -fno-builtin -fno-stack-protector -fcf-protection=none
             -fno-asynchronous-unwind-tables)

setup() {
  cd "$BATS_TEST_TMPDIR" || return 1
}

obj() {
  local name=$1
  shift
  cc "${CFLAGS_FREE[@]}" "$@" -c -x c - -o "$name.o"
}

asm() {
  cc -c -Wa,--noexecstack -x assembler - -o "$1.o"
}

runtime() {
  cat >rt.s <<'ASM'
	.text
	.globl _start
_start:
	xor %ebp, %ebp
	mov (%rsp), %rdi          # argc
	lea 8(%rsp), %rsi         # argv
	and $-16, %rsp
	call main
	mov %eax, %edi
	mov $60, %eax             # exit
	syscall

	.globl print              # print(const char *s)
print:
	mov %rdi, %rsi
	xor %edx, %edx
1:	cmpb $0, (%rsi,%rdx)
	je 2f
	inc %rdx
	jmp 1b
2:	mov $1, %edi
	mov $1, %eax              # write(1, s, strlen(s))
	syscall
	ret

	.globl print_hex          # print_hex(uint64_t v): 16 hex digits and '\n'
print_hex:
	sub $24, %rsp
	mov $16, %ecx
1:	mov %edi, %eax
	and $15, %eax
	movzbl hexdigits(%rax), %eax
	mov %al, -1(%rsp,%rcx)
	shr $4, %rdi
	dec %ecx
	jnz 1b
	movb $10, 16(%rsp)
	mov %rsp, %rsi
	mov $17, %edx
	mov $1, %edi
	mov $1, %eax
	syscall
	add $24, %rsp
	ret

	.section .rodata
hexdigits:
	.ascii "0123456789abcdef"
	.section .note.GNU-stack,"",@progbits
ASM
  cc -c rt.s -o rt.o
}

link_both() {
  local out=$1
  shift
  run "$MINI_LD" "$@" -o "$out"
  if [ "$status" -ne 0 ]; then
    echo "mini-ld failed ($status): $output" >&2
    return 1
  fi
  run ld.bfd "$@" -o "$out.bfd"
  if [ "$status" -ne 0 ]; then
    echo "ld.bfd failed ($status): $output" >&2
    return 1
  fi
}

run_both() {
  local out=$1
  # A program GNU ld placed below vm.mmap_min_addr (a -T script without SECTIONS
  # starts at 0) loads only for root: as anyone else, mini-ld's program is checked
  # alone (the test's own checks of $status and $output still apply).
  if [ "$(id -u)" != 0 ] && ! loadable_by_user "./$out.bfd"; then
    run "./$out"
    return 0
  fi
  run "./$out.bfd"
  local want_output=$output want_status=$status
  run "./$out"
  if [ "$output" != "$want_output" ] || [ "$status" -ne "$want_status" ]; then
    echo "mini-ld's program: status $status, output:" >&2
    echo "$output" >&2
    echo "ld.bfd's program: status $want_status, output:" >&2
    echo "$want_output" >&2
    return 1
  fi
}

# Does every PT_LOAD of the program start at or above vm.mmap_min_addr?
loadable_by_user() {
  local min vaddr
  min=$(cat /proc/sys/vm/mmap_min_addr 2>/dev/null || echo 65536)
  for vaddr in $(readelf -lW "$1" | awk '$1 == "LOAD" { print $3 }'); do
    (($((16#${vaddr#0x})) >= min)) || return 1
  done
}

check_layout() {
  local out=$1
  readelf -lW "$out" | awk '
    function hex(s,    i, v) {   # mawk has no strtonum
      v = 0
      s = tolower(substr(s, 3))
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
      return v
    }
    $1 == "LOAD" {
      off = hex($2); va = hex($3); al = hex($NF)
      flags = ""
      for (i = 7; i < NF; i++) flags = flags $i
      if (off % al != va % al) { print "not congruent: " $0; bad = 1 }
      if (flags ~ /W/ && flags ~ /E/) { print "W+X segment: " $0; bad = 1 }
      order = order (order ? " " : "") flags
    }
    END {
      # The LOAD flags must follow R, RE, R, RW (any of them may be absent).
      split("R RE R RW", want, " ")
      n = split(order, got, " ")
      j = 1
      for (i = 1; i <= n; i++) {
        if (i > 1 && got[i] == "RW" && got[i - 1] == "RW") continue  # RELRO, then data
        while (j <= 4 && want[j] != got[i]) j++
        if (j > 4) { print "segment order is not R, R X, R, RW: " order; bad = 1; break }
        j++
      }
      exit bad
    }'
}

expect_error() {
  local msg=$1
  shift
  rm -f "$BATS_TEST_TMPDIR/expect-error.out"
  run -1 "$MINI_LD" "$@" -o "$BATS_TEST_TMPDIR/expect-error.out"
  if [ "$output" != "$msg" ]; then
    echo "expected: $msg" >&2
    echo "got:      $output" >&2
    return 1
  fi
  if [ -e "$BATS_TEST_TMPDIR/expect-error.out" ]; then
    echo "an output file was created" >&2
    return 1
  fi
}

cc_both() {
  local out=$1 driver=$2
  shift 2
  run "$driver" -static -B "$MINI_BIN/" "$@" -o "$out"
  if [ "$status" -ne 0 ]; then
    echo "$driver -B mini-ld failed: $output" >&2
    return 1
  fi
  run "$driver" -static "$@" -o "$out.bfd"
  if [ "$status" -ne 0 ]; then
    echo "$driver with GNU ld failed: $output" >&2
    return 1
  fi
}

dyn_both() {
  local out=$1 driver=$2
  shift 2
  run "$driver" -B "$MINI_BIN/" "$@" -o "$out"
  if [ "$status" -ne 0 ]; then
    echo "$driver -B mini-ld failed: $output" >&2
    return 1
  fi
  run "$driver" "$@" -o "$out.bfd"
  if [ "$status" -ne 0 ]; then
    echo "$driver with GNU ld failed: $output" >&2
    return 1
  fi
}

ar_both() {
  local g=() m=() a
  for a in "$@"; do
    g+=("${a//@/gnu}")
    m+=("${a//@/mini}")
  done
  ar "${g[@]}" >gnu.out 2>gnu.err || { echo "GNU ar failed: $(cat gnu.err)" >&2; return 1; }
  "$MINI_AR" "${m[@]}" >mini.out 2>mini.err ||
    { echo "mini-ar failed: $(cat mini.err)" >&2; return 1; }
  diff -u gnu.out mini.out >&2 || return 1
  # With U, both write the current time into the symbol table's header (bytes
  # 24-35): the two runs may straddle a second, so that field is compared apart.
  local skip=0
  [[ $1 == *U* ]] && skip=36
  for a in "$@"; do
    case $a in *@*) [ -e "${a//@/gnu}" ] || continue ;; *) continue ;; esac
    if ((skip)) && [ "$(head -c 8 "${a//@/gnu}")" = '!<arch>'$'\n' ]; then
      local tg tm
      tg=$(head -c 36 "${a//@/gnu}" | tail -c 12 | tr -d ' ')
      tm=$(head -c 36 "${a//@/mini}" | tail -c 12 | tr -d ' ')
      ((tm - tg >= 0 && tm - tg <= 5)) || { echo "symbol table times $tg and $tm" >&2; return 1; }
    fi
    if ! cmp -i "$skip" "${a//@/gnu}" "${a//@/mini}" >&2; then
      od -c "${a//@/gnu}" | head -20 >&2
      echo --- >&2
      od -c "${a//@/mini}" | head -20 >&2
      return 1
    fi
  done
}

with_common() {
  local flags=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g -pthread -I"$REPO/common")
  cat >"$1.c"
  cc -fsanitize=thread "${flags[@]}" "$1.c" "$REPO"/common/*.c -o "$1" 2>/dev/null ||
    cc "${flags[@]}" "$1.c" "$REPO"/common/*.c -o "$1"
}

# mini-loader points /proc/self/exe at the program with prctl(PR_SET_MM_MAP) and an
# exe_fd, which the kernel allows only with CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN:
# as an ordinary user the link keeps naming mini-loader, so a test that needs it is
# skipped, and says why.
needs_exe_change() {
  local out
  out=$("$MINI_LOADER" --trace /bin/true 2>&1)
  [[ "$out" != *"exe_fd refused"* ]] ||
    skip "needs root: pointing /proc/self/exe at the program needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN"
}
