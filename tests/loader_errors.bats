#!/usr/bin/env bats
# mini-loader refuses what the kernel would refuse (and a little more), before it maps
# anything: one line `mini-loader: PROG: what`, exit 126 (127: PROG not found).
#
# Each malformed executable is a good one with one field patched (printf | dd), and a
# comment naming the field. These tests never jump into a program, so they run under
# the sanitizer build too.

load helpers

# The good executable: ET_EXEC, three PT_LOADs (R: headers, R X: .text, RW: .data
# and .bss) and PT_GNU_STACK, as GNU ld lays them out; it prints "ok".
good() {
  cat >good.s <<'ASM'
	.text
	.globl _start
_start:
	mov $1, %edi
	lea msg(%rip), %rsi
	mov $3, %edx
	mov $1, %eax
	syscall                   # write(1, "ok\n", 3)
	mov counter(%rip), %edi   # .bss: 0
	mov $60, %eax
	syscall                   # exit(0)
	.data
msg:	.ascii "ok\n"
	.bss
counter: .zero 8
	.section .note.GNU-stack,"",@progbits
ASM
  cc -nostdlib -static -Wl,--build-id=none good.s -o "${1:-good}"
}

# A dynamically linked PIE (it has PT_INTERP); extra arguments go to cc.
dyn() {
  local out=$1
  shift
  printf 'int main(void) { return 0; }\n' | cc -x c - "$@" -o "$out"
}

# peek FILE OFFSET SIZE: the little-endian number at OFFSET, in decimal.
peek() {
  od -An -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# poke FILE OFFSET VALUE SIZE: writes VALUE as SIZE little-endian bytes at OFFSET.
poke() {
  local bytes='' i
  for ((i = 0; i < $4; i++)); do
    bytes+=$(printf '\\x%02x' $((($3 >> (8 * i)) & 255)))
  done
  printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# phdr FILE TYPE [N]: the file offset of the Nth (default: first) program header of
# TYPE. Elf64_Phdr: p_type +0, p_flags +4, p_offset +8, p_vaddr +16, p_paddr +24,
# p_filesz +32, p_memsz +40, p_align +48; 56 bytes each, from e_phoff (+32 in the
# ELF header); e_phnum is at +56.
phdr() {
  local f=$1 type=$2 n=${3:-1} phoff phnum i
  phoff=$(peek "$f" 32 8)
  phnum=$(peek "$f" 56 2)
  for ((i = 0; i < phnum; i++)); do
    if [ "$(peek "$f" $((phoff + 56 * i)) 4)" -eq "$type" ] && ((--n == 0)); then
      echo $((phoff + 56 * i))
      return
    fi
  done
  return 1
}

# The index of the program header at file offset $1 (as messages number them).
index_of() {
  echo $((($1 - 64) / 56))
}

PT_LOAD=1
PT_INTERP=3

# The lowest address the stack may grow down to under setarch -R, as own_space.c
# computes it: the top of the stack minus RLIMIT_STACK, at most 128 MiB.
stack_lo() {
  local kib room
  kib=$(ulimit -s)
  room=$((128 << 20))
  if [ "$kib" != unlimited ] && ((kib * 1024 < room)); then
    room=$(((kib * 1024 + 4095) / 4096 * 4096))
  fi
  printf '0x%x\n' $((0x7ffffffff000 - room))
}

# expect_fail STATUS MESSAGE PROG [ARGS...]: mini-loader exits with STATUS and says
# exactly MESSAGE (one line), and the program never ran.
expect_fail() {
  local want_status=$1 msg=$2
  shift 2
  run -"$want_status" "$MINI_LOADER" "$@"
  if [ "$output" != "$msg" ]; then
    echo "expected: $msg" >&2
    echo "got:      $output" >&2
    return 1
  fi
}

@test "loader: the good fixture runs, so each failure below is its one patched field" {
  good
  run "$MINI_LOADER" --check ./good
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  [ -n "${MINI_SANITIZED:-}" ] && skip "the sanitizer build does not run programs"
  run "$MINI_LOADER" ./good
  [ "$status" -eq 0 ]
  [ "$output" = "ok" ]
}

@test "loader: a program not found in PATH exits 127" {
  PATH=$BATS_TEST_TMPDIR expect_fail 127 "mini-loader: no-such-program: not found in PATH" no-such-program
}

@test "loader: a missing path exits 127" {
  expect_fail 127 "mini-loader: ./missing: No such file or directory" ./missing
}

@test "loader: a file without execute permission exits 126" {
  good
  chmod -x good
  expect_fail 126 "mini-loader: ./good: Permission denied" ./good
}

@test "loader: a directory exits 126" {
  mkdir dir
  expect_fail 126 "mini-loader: ./dir: Is a directory" ./dir
}

@test "loader: a #! script whose interpreter is a script too is refused" {
  printf '#!/bin/sh\necho hi\n' >inner
  printf '#!%s/inner\n' "$PWD" >script
  chmod +x inner script
  expect_fail 126 "mini-loader: ./script: not an ELF file: a #! script (nested scripts are not supported)" ./script
}

@test "loader: bad magic" {
  good
  printf 'X' | dd of=good bs=1 seek=1 conv=notrunc status=none  # e_ident[EI_MAG1]: 'E' -> 'X'
  expect_fail 126 'mini-loader: ./good: not an ELF file (no \177ELF magic)' ./good
}

@test "loader: a file shorter than the ELF header" {
  good
  truncate -s 40 good  # the magic is there, the rest of the 64-byte header is not
  expect_fail 126 "mini-loader: ./good: ELF header is truncated: the file has 40 bytes, the header needs 64" ./good
}

@test "loader: a 32-bit class" {
  good
  poke good 4 1 1  # e_ident[EI_CLASS] = ELFCLASS32
  expect_fail 126 "mini-loader: ./good: not a 64-bit ELF file (EI_CLASS is 1, not ELFCLASS64)" ./good
}

@test "loader: big-endian data" {
  good
  poke good 5 2 1  # e_ident[EI_DATA] = ELFDATA2MSB
  expect_fail 126 "mini-loader: ./good: not a little-endian ELF file (EI_DATA is 2, not ELFDATA2LSB)" ./good
}

@test "loader: an unknown ELF version" {
  good
  poke good 6 0 1  # e_ident[EI_VERSION] = EV_NONE
  expect_fail 126 "mini-loader: ./good: unknown ELF version (EI_VERSION is 0, not EV_CURRENT)" ./good
}

@test "loader: another machine" {
  good
  poke good 18 183 2  # e_machine = EM_AARCH64
  expect_fail 126 "mini-loader: ./good: not an x86-64 program (e_machine is 183, not EM_X86_64)" ./good
}

@test "loader: a relocatable object is not an executable" {
  good
  poke good 16 1 2  # e_type = ET_REL
  expect_fail 126 "mini-loader: ./good: not an executable (e_type is ET_REL, not ET_EXEC or ET_DYN)" ./good
}

@test "loader: a core file is not an executable" {
  good
  poke good 16 4 2  # e_type = ET_CORE
  expect_fail 126 "mini-loader: ./good: not an executable (e_type is ET_CORE, not ET_EXEC or ET_DYN)" ./good
}

@test "loader: e_phentsize other than 56" {
  good
  poke good 54 32 2  # e_phentsize = 32
  expect_fail 126 "mini-loader: ./good: e_phentsize is 32, not 56" ./good
}

@test "loader: no program headers" {
  good
  poke good 56 0 2  # e_phnum = 0
  expect_fail 126 "mini-loader: ./good: e_phnum 0 is not in [1, 1170]" ./good
}

@test "loader: more program headers than fit in 64 KiB" {
  good
  poke good 56 1171 2  # e_phnum = 1171: 1171 * 56 > 65536
  expect_fail 126 "mini-loader: ./good: e_phnum 1171 is not in [1, 1170]" ./good
}

@test "loader: a program header table past the end of the file" {
  good
  poke good 32 $((0x100000)) 8  # e_phoff = 1 MiB
  expect_fail 126 "mini-loader: ./good: program header table (e_phoff 0x100000, 4 entries) extends past end of file" ./good
}

@test "loader: a segment whose file bytes are past the end of the file" {
  good
  local ph size
  ph=$(phdr good $PT_LOAD 3)  # the RW segment: .data, .bss
  size=$(stat -c %s good)
  poke good $((ph + 32)) $((0x10000)) 8  # p_filesz = 64 KiB
  expect_fail 126 "mini-loader: ./good: program header $(index_of "$ph") (PT_LOAD): file range [0x2000, +0x10000) extends past end of file ($(printf '0x%x' "$size") bytes)" ./good
}

@test "loader: p_filesz larger than p_memsz" {
  good
  local ph
  ph=$(phdr good $PT_LOAD 3)
  poke good $((ph + 32)) $((0x20)) 8  # p_filesz = 0x20 > p_memsz 0x10
  expect_fail 126 "mini-loader: ./good: program header $(index_of "$ph") (PT_LOAD): p_filesz 0x20 is larger than p_memsz 0x10" ./good
}

@test "loader: a segment whose end wraps around" {
  good
  local ph
  ph=$(phdr good $PT_LOAD 3)
  poke good $((ph + 40)) -256 8  # p_memsz = 0xffffffffffffff00
  expect_fail 126 "mini-loader: ./good: program header $(index_of "$ph") (PT_LOAD): p_vaddr 0x402000 + p_memsz 0xffffffffffffff00 wraps around" ./good
}

@test "loader: a segment above the user address space" {
  good
  local ph
  ph=$(phdr good $PT_LOAD 3)
  poke good $((ph + 16)) $((0x7ffffffff000)) 8  # p_vaddr = TASK_SIZE (still ≡ p_offset)
  expect_fail 126 "mini-loader: ./good: program header $(index_of "$ph") (PT_LOAD): end 0x7ffffffff010 is not in [0, 0x7ffffffff000]: above the user address space" ./good
}

@test "loader: p_vaddr and p_offset not congruent modulo the page size" {
  good
  local ph
  ph=$(phdr good $PT_LOAD 3)
  poke good $((ph + 16)) $((0x402010)) 8  # p_vaddr = 0x402010, p_offset stays 0x2000
  expect_fail 126 "mini-loader: ./good: program header $(index_of "$ph") (PT_LOAD): p_vaddr 0x402010 and p_offset 0x2000 differ modulo the page size 0x1000" ./good
}

@test "loader: PT_LOADs out of order" {
  good
  local ph
  ph=$(phdr good $PT_LOAD 3)
  poke good $((ph + 16)) $((0x3ff000)) 8  # p_vaddr = 0x3ff000, below the R X segment
  expect_fail 126 "mini-loader: ./good: program header $(index_of "$ph") (PT_LOAD): p_vaddr 0x3ff000 is below the previous PT_LOAD's 0x401000 (PT_LOADs must be sorted by address)" ./good
}

@test "loader: overlapping PT_LOADs" {
  good
  local ph
  ph=$(phdr good $PT_LOAD 2)  # the R X segment at 0x401000 grows into the RW one
  poke good $((ph + 40)) $((0x1010)) 8  # p_memsz = 0x1010
  expect_fail 126 "mini-loader: ./good: program header $(($(index_of "$ph") + 1)) (PT_LOAD): [0x402000, 0x402010) overlaps the previous PT_LOAD [0x401000, 0x402010)" ./good
}

@test "loader: no PT_LOAD at all" {
  good
  local ph
  for n in 1 1 1; do  # each time the first PT_LOAD left: p_type = PT_NULL
    ph=$(phdr good $PT_LOAD $n)
    poke good "$ph" 0 4
  done
  expect_fail 126 "mini-loader: ./good: no PT_LOAD segment: nothing to load" ./good
}

@test "loader: an entry point outside the executable segment" {
  good
  poke good 24 $((0x400000)) 8  # e_entry = the start of the R segment (the ELF header)
  expect_fail 126 "mini-loader: ./good: entry point 0x400000 is not in an executable segment" ./good
}

@test "loader: an ET_EXEC linked over memory already in use is refused, not mapped over" {
  # Under setarch -R the kernel puts the vDSO's data pages ([vvar], 4 pages or more)
  # at the same place on every run of mini-loader: link the good program (3 pages)
  # there. MAP_FIXED would silently replace them; the reservation with
  # MAP_FIXED_NOREPLACE refuses instead.
  command -v setarch >/dev/null || skip "setarch is not installed"
  [ -n "${MINI_SANITIZED:-}" ] && skip "the sanitizer build does not run programs"
  local vvar
  vvar=$(setarch -R "$MINI_LOADER" /bin/cat /proc/self/maps | awk '/\[vvar\]/ { print $1 }')
  [ -n "$vvar" ] || skip "this kernel has no [vvar] mapping"
  local lo=0x${vvar%-*} hi=0x${vvar#*-}
  ((hi - lo >= 0x3000)) || skip "[vvar] is smaller than the good program"
  good
  cc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext-segment="$lo" good.s -o high
  run setarch -R "$MINI_LOADER" ./high
  [ "$status" -eq 126 ]
  [ "$output" = "mini-loader: ./high: cannot reserve [$lo, $(printf '0x%x' $((lo + 0x3000)))): the range is already in use" ]
}

@test "loader: an ET_EXEC linked where the stack is is refused" {
  # Under setarch -R the stack always ends at 0x7ffffffff000 and covers the last 128
  # KiB or so; the kernel would not map over it either.
  command -v setarch >/dev/null || skip "setarch is not installed"
  good
  cc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext-segment=0x7fffffff0000 good.s -o high
  run setarch -R "$MINI_LOADER" ./high
  [ "$status" -eq 126 ]
  [ "$output" = "mini-loader: ./high: segments [0x7fffffff0000, 0x7fffffff3000) overlap the stack and the room it may grow into [$(stack_lo), 0x7ffffffff000)" ]
}

@test "loader: an ET_EXEC linked in the room the stack may grow into is refused" {
  # 1 MiB below the top: nothing is mapped there yet, so mmap would take it (and the
  # kernel does), but the stack could then never grow past 1 MiB.
  command -v setarch >/dev/null || skip "setarch is not installed"
  [ "$(stack_lo)" ] && (($(stack_lo) <= 0x7ffffff00000)) || skip "ulimit -s is below 1 MiB"
  good
  cc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext-segment=0x7ffffff00000 good.s -o high
  run setarch -R "$MINI_LOADER" --check ./high
  [ "$status" -eq 126 ]
  [ "$output" = "mini-loader: ./high: segments [0x7ffffff00000, 0x7ffffff03000) overlap the stack and the room it may grow into [$(stack_lo), 0x7ffffffff000)" ]
}

@test "loader: an ET_EXEC linked over mini-loader itself is refused" {
  # Under setarch -R mini-loader is at the same place on every run; its trace says
  # where. Link the good program right there.
  command -v setarch >/dev/null || skip "setarch is not installed"
  good
  local self lo hi
  self=$(setarch -R "$MINI_LOADER" --trace --check ./good 2>&1 |
    sed -n 's/.*mini-loader itself is at \[\(0x[0-9a-f]*\), \(0x[0-9a-f]*\)).*/\1 \2/p')
  read -r lo hi <<<"$self"
  [ -n "$lo" ] && [ -n "$hi" ]
  cc -nostdlib -static -Wl,--build-id=none -Wl,-Ttext-segment="$lo" good.s -o high
  run setarch -R "$MINI_LOADER" ./high
  [ "$status" -eq 126 ]
  [ "$output" = "mini-loader: ./high: segments [$lo, $(printf '0x%x' $((lo + 0x3000)))) overlap mini-loader itself [$lo, $hi)" ]
}

@test "loader: PT_INTERP too short" {
  dyn prog
  local ph
  ph=$(phdr prog $PT_INTERP)
  poke prog $((ph + 32)) 1 8  # p_filesz = 1: not even one character and a NUL
  expect_fail 126 "mini-loader: ./prog: program header $(index_of "$ph") (PT_INTERP): p_filesz 1 is not in [2, 4096]" ./prog
}

@test "loader: PT_INTERP longer than PATH_MAX" {
  dyn prog
  local ph
  ph=$(phdr prog $PT_INTERP)
  poke prog $((ph + 32)) 5000 8  # p_filesz = 5000
  expect_fail 126 "mini-loader: ./prog: program header $(index_of "$ph") (PT_INTERP): p_filesz 5000 is not in [2, 4096]" ./prog
}

@test "loader: PT_INTERP not ending in NUL" {
  dyn prog
  local ph off len
  ph=$(phdr prog $PT_INTERP)
  off=$(peek prog $((ph + 8)) 8)
  len=$(peek prog $((ph + 32)) 8)
  printf 'X' | dd of=prog bs=1 seek=$((off + len - 1)) conv=notrunc status=none  # the path's NUL
  expect_fail 126 "mini-loader: ./prog: program header $(index_of "$ph") (PT_INTERP): the interpreter's path does not end in NUL" ./prog
}

@test "loader: a missing interpreter" {
  dyn prog -Wl,--dynamic-linker=/no/such/ld.so
  expect_fail 126 "mini-loader: ./prog: interpreter /no/such/ld.so: No such file or directory" ./prog
}

@test "loader: an interpreter that is not an ELF file" {
  printf 'not an ELF file\n' >fake.so
  chmod +x fake.so
  dyn prog -Wl,--dynamic-linker="$BATS_TEST_TMPDIR/fake.so"
  expect_fail 126 "mini-loader: ./prog: interpreter $BATS_TEST_TMPDIR/fake.so: not an ELF file (no \\177ELF magic)" ./prog
}

@test "loader: the interpreter is checked with the same rules" {
  cp /lib64/ld-linux-x86-64.so.2 ld.so
  poke ld.so 18 183 2  # the interpreter's e_machine = EM_AARCH64
  dyn prog -Wl,--dynamic-linker="$BATS_TEST_TMPDIR/ld.so"
  expect_fail 126 "mini-loader: ./prog: interpreter $BATS_TEST_TMPDIR/ld.so: not an x86-64 program (e_machine is 183, not EM_X86_64)" ./prog
}

@test "loader: an interpreter that wants an interpreter of its own" {
  dyn other
  dyn prog -Wl,--dynamic-linker="$BATS_TEST_TMPDIR/other"
  expect_fail 126 "mini-loader: ./prog: interpreter $BATS_TEST_TMPDIR/other: has an interpreter of its own (/lib64/ld-linux-x86-64.so.2)" ./prog
}

@test "loader: an interpreter that is a directory" {
  mkdir ld.so
  dyn prog -Wl,--dynamic-linker="$BATS_TEST_TMPDIR/ld.so"
  expect_fail 126 "mini-loader: ./prog: interpreter $BATS_TEST_TMPDIR/ld.so: Is a directory" ./prog
}

@test "loader: an interpreter that is a FIFO is named as such" {
  mkfifo ld.so
  chmod +x ld.so
  dyn prog -Wl,--dynamic-linker="$BATS_TEST_TMPDIR/ld.so"
  expect_fail 126 "mini-loader: ./prog: interpreter $BATS_TEST_TMPDIR/ld.so: not a regular file: a FIFO" ./prog
}

@test "loader: a program that is a FIFO is named as such" {
  mkfifo prog
  chmod +x prog
  expect_fail 126 "mini-loader: ./prog: not a regular file: a FIFO" ./prog
}

@test "loader: a program that is its own interpreter" {
  # Named through a symlink, so only the file's identity can tell. (The kernel would
  # load it a second time and start that copy as if it were ld.so.)
  ln -s prog self
  dyn prog -Wl,--dynamic-linker="$BATS_TEST_TMPDIR/self"
  expect_fail 126 "mini-loader: ./prog: interpreter $BATS_TEST_TMPDIR/self: is the program itself" ./prog
}

@test "loader: a bad command line exits 2" {
  run "$MINI_LOADER"
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "mini-loader: no program to run" ]
  run "$MINI_LOADER" --bogus ./prog
  [ "$status" -eq 2 ]
  [ "${lines[0]}" = "mini-loader: unknown option --bogus" ]
}

@test "loader: a failing check maps nothing: the trace stops before reserve_span" {
  good
  poke good 18 183 2  # e_machine = EM_AARCH64
  run "$MINI_LOADER" --trace ./good
  [ "$status" -eq 126 ]
  [[ "$output" == *"[find_program]"* ]]
  [[ "$output" != *"[reserve_span]"* ]]
  [[ "$output" != *"[map_segments]"* ]]
  [ "${lines[-1]}" = "mini-loader: ./good: not an x86-64 program (e_machine is 183, not EM_X86_64)" ]
}

# A W+X fixture: the good program with its R X segment patched to RWX.
wx() {
  good
  local ph
  ph=$(phdr good $PT_LOAD 2)  # the R X segment: .text
  poke good $((ph + 4)) 7 4  # p_flags = PF_R|PF_W|PF_X
  echo "$(index_of "$ph")"
}

@test "loader: a W+X PT_LOAD is loaded as the kernel loads it, with a warning" {
  local warning
  warning="mini-loader: warning: ./good: program header $(wx) (PT_LOAD): both writable and executable (W+X)"
  run --separate-stderr "$MINI_LOADER" --check ./good
  [ "$status" -eq 0 ]
  [ "$stderr" = "$warning" ]
  [ -n "${MINI_SANITIZED:-}" ] && skip "the sanitizer build does not run programs"
  run --separate-stderr "$MINI_LOADER" ./good
  [ "$status" -eq 0 ]
  [ "$output" = "ok" ]
  [ "$stderr" = "$warning" ]
}

@test "loader: --strict refuses a W+X PT_LOAD" {
  expect_fail 126 "mini-loader: ./good: program header $(wx) (PT_LOAD): both writable and executable (W+X): refused under --strict" --strict ./good
}

@test "loader: --strict loads a program without W+X segments" {
  good
  run "$MINI_LOADER" --strict --check ./good
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}
