#!/usr/bin/env bats
# The command line: GNU ld's spellings of the options mini-ld knows, response files,
# usage errors, the stack flags, and how the output file is written.

bats_require_minimum_version 1.5.0

load helpers

# rt.o and main.o: main prints a line and returns 7.
hello_program() {
  runtime
  obj main <<'C'
void print(const char *);
int main(void) { print("hello\n"); return 7; }
C
}

# The entry point in FILE's ELF header, as 0x... .
entry_of() {
  readelf -h "$1" | awk '/Entry point address:/ { print $4 }'
}

# The address of section NAME in FILE, as 0x... without leading zeros.
section_addr() {
  readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\]//' |
    awk -v n="$2" '$1 == n { a = $3; sub(/^0+/, "", a); print "0x" a }'
}

# The address of symbol NAME in FILE, as 0x... without leading zeros.
symbol_addr() {
  nm "$1" | awk -v n="$2" '$3 == n { a = $1; sub(/^0+/, "", a); print "0x" a }'
}

# The flags of FILE's PT_GNU_STACK: RW or RWE.
stack_flags() {
  readelf -lW "$1" | awk '$1 == "GNU_STACK" { print $7 }'
}

@test "ld: -o names the output, attached or in the next word" {
  hello_program
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  # -oFILE: the value attached.
  "$MINI_LD" rt.o main.o -oattached
  ld.bfd rt.o main.o -oattached.bfd
  run_both attached
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout attached
}

@test "ld: without -o the output is a.out" {
  hello_program
  mkdir ours bfd
  (cd ours && "$MINI_LD" ../rt.o ../main.o)
  (cd bfd && ld.bfd ../rt.o ../main.o)
  cp ours/a.out prog
  cp bfd/a.out prog.bfd
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: -e SYM starts the program at SYM" {
  hello_program
  # other_start exits with main's value plus 100 without going through _start.
  asm other <<'S'
	.text
	.globl other_start
other_start:
	and $-16, %rsp
	call main
	lea 100(%rax), %edi
	mov $60, %eax
	syscall
	.section .note.GNU-stack,"",@progbits
S
  link_both prog -e other_start rt.o main.o other.o
  run_both prog
  [ "$status" -eq 107 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(entry_of prog)" = "$(symbol_addr prog other_start)" ]
}

@test "ld: -e with a number that names no symbol is the entry address" {
  hello_program
  # Each linker places _start differently: find it, then relink with its address as
  # a number (the layout does not depend on the entry point).
  link_both first rt.o main.o
  ours=$(symbol_addr first _start)
  theirs=$(symbol_addr first.bfd _start)
  run --separate-stderr "$MINI_LD" -e "$ours" rt.o main.o -o prog
  [ "$status" -eq 0 ]
  [ "$stderr" = "" ]
  ld.bfd -e "$theirs" rt.o main.o -o prog.bfd
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(entry_of prog)" = "$ours" ]
  [ "$(entry_of prog.bfd)" = "$theirs" ]
}

@test "ld: without an entry symbol the entry is the start of .text, with a warning" {
  # No _start (so no rt.o): the code that calls main comes first in .text instead.
  asm begin <<'S'
	.text
begin:
	and $-16, %rsp
	call main
	mov %eax, %edi
	mov $60, %eax
	syscall
	.section .note.GNU-stack,"",@progbits
S
  obj main <<'C'
int main(void) { return 9; }
C
  run --separate-stderr "$MINI_LD" begin.o main.o -o prog
  [ "$status" -eq 0 ]
  text=$(section_addr prog .text)
  [ "$stderr" = "mini-ld: warning: cannot find entry symbol '_start'; defaulting to $text" ]
  [ "$(entry_of prog)" = "$text" ]
  # GNU ld makes the same choice (in its own layout).
  run ld.bfd begin.o main.o -o prog.bfd
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: cannot find entry symbol _start"* ]]
  [ "$(entry_of prog.bfd)" = "$(section_addr prog.bfd .text)" ]
  run_both prog
  [ "$status" -eq 9 ]
  [ "$output" = "" ]
  check_layout prog
}

@test "ld: -L DIR and -LDIR both add a search directory" {
  hello_program
  obj main <<'C'
void print(const char *);
const char *foo(void);
int main(void) { print(foo()); return 0; }
C
  obj foo <<'C'
const char *foo(void) { return "foo\n"; }
C
  mkdir lib
  ar rc lib/libfoo.a foo.o
  link_both prog1 rt.o main.o -L lib -lfoo
  run_both prog1
  [ "$status" -eq 0 ]
  [ "$output" = "foo" ]
  check_layout prog1
  link_both prog2 rt.o main.o -Llib -lfoo
  run_both prog2
  [ "$status" -eq 0 ]
  [ "$output" = "foo" ]
  check_layout prog2
  link_both prog3 rt.o main.o --library-path=lib -lfoo
  run_both prog3
  [ "$status" -eq 0 ]
  [ "$output" = "foo" ]
  check_layout prog3
}

@test "ld: -l NAME, -lNAME, --library=NAME and --library NAME all find libNAME.a" {
  runtime
  obj main <<'C'
void print(const char *);
const char *foo(void);
int main(void) { print(foo()); return 0; }
C
  obj foo <<'C'
const char *foo(void) { return "foo\n"; }
C
  ar rc libfoo.a foo.o
  n=0
  for spelling in "-l foo" "-lfoo" "--library=foo" "--library foo"; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # the spelling is one or two words
    link_both "prog$n" rt.o main.o -L . $spelling
    run_both "prog$n"
    [ "$status" -eq 0 ]
    [ "$output" = "foo" ]
    check_layout "prog$n"
  done
}

@test "ld: long options are accepted with one dash" {
  hello_program
  link_both prog -static -Bstatic -nostdlib -entry=_start rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  link_both prog2 -entry _start --entry=_start --entry _start rt.o main.o
  run_both prog2
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog2
}

@test "ld: -output is -o with the value 'utput', as in GNU ld" {
  hello_program
  # Long options starting with 'o' need two dashes: -output means -o utput.
  mkdir ours bfd
  (cd ours && "$MINI_LD" ../rt.o ../main.o -output)
  (cd bfd && ld.bfd ../rt.o ../main.o -output)
  [ "$(ls ours)" = utput ]
  [ "$(ls bfd)" = utput ]
  cp ours/utput prog
  cp bfd/utput prog.bfd
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: @FILE reads arguments from a response file, with quotes and backslashes" {
  hello_program
  cp main.o "my main.o"
  cp rt.o "run time.o"
  # Single quotes, double quotes, a backslash-escaped space and a nested @FILE.
  printf '%s\n' "'my main.o' @inner" >args
  printf '%s\n' 'run\ time.o -o "out prog"' >inner
  run "$MINI_LD" @args
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  mv "out prog" prog
  ld.bfd @args
  mv "out prog" prog.bfd
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: an @FILE that does not exist is an input file name" {
  hello_program
  run ! ld.bfd rt.o main.o @nothere -o prog.bfd
  expect_error "mini-ld: @nothere: cannot open: No such file or directory" rt.o main.o @nothere
}

@test "ld: -s leaves out the symbol table" {
  hello_program
  link_both prog -s rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  for out in prog prog.bfd; do
    run readelf -SW "$out"
    [[ "$output" != *.symtab* ]]
    [[ "$output" != *.strtab* ]]
  done
  run nm prog
  [[ "$output" == *"no symbols"* ]]
}

@test "ld: -S leaves out debugging sections and keeps the symbol table" {
  runtime
  obj main -g <<'C'
void print(const char *);
int main(void) { print("debug\n"); return 3; }
C
  # Without -S, the debug sections are there.
  link_both full rt.o main.o
  run readelf -SW full
  [[ "$output" == *" .debug_info "* ]]
  link_both prog -S rt.o main.o
  run_both prog
  [ "$status" -eq 3 ]
  [ "$output" = "debug" ]
  check_layout prog
  for out in prog prog.bfd; do
    run readelf -SW "$out"
    [[ "$output" != *.debug_* ]]
    [[ "$output" == *" .symtab "* ]]
  done
}

@test "ld: --version prints mini-ld's version and exits 0" {
  run --separate-stderr "$MINI_LD" --version
  [ "$status" -eq 0 ]
  [[ "$output" == "mini-ld "* ]]
  [ "${#lines[@]}" -eq 1 ]
  [ "$stderr" = "" ]
}

@test "ld: -v prints the version and still links the inputs" {
  hello_program
  run --separate-stderr "$MINI_LD" -v rt.o main.o -o prog
  [ "$status" -eq 0 ]
  [[ "$output" == "mini-ld "* ]]
  ld.bfd -v rt.o main.o -o prog.bfd
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: --help prints the usage and exits 0" {
  run --separate-stderr "$MINI_LD" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Usage: mini-ld "* ]]
  [[ "$output" == *"--start-group"* ]]
  [ "$stderr" = "" ]
}

@test "ld: an unknown option is a usage error" {
  hello_program
  run ! ld.bfd --frobnicate rt.o main.o -o prog.bfd
  run -2 "$MINI_LD" --frobnicate rt.o main.o -o prog
  [ "$output" = "mini-ld: unknown option: --frobnicate
mini-ld: use --help to list the options" ]
  [ ! -e prog ]
  run -2 "$MINI_LD" -j rt.o main.o -o prog
  [ "$output" = "mini-ld: unknown option: -j
mini-ld: use --help to list the options" ]
  [ ! -e prog ]
}

@test "ld: an option missing its value is a usage error" {
  hello_program
  run ! ld.bfd rt.o main.o -o
  run -2 "$MINI_LD" rt.o main.o -o
  [ "$output" = "mini-ld: option '-o' needs a value" ]
  run -2 "$MINI_LD" rt.o main.o --entry
  [ "$output" = "mini-ld: option '--entry' needs a value" ]
  [ ! -e a.out ]
}

@test "ld: a link without input files is a usage error" {
  run ! ld.bfd -o prog.bfd
  run -2 "$MINI_LD"
  [ "$output" = "mini-ld: no input files" ]
  run -2 "$MINI_LD" -o prog -L .
  [ "$output" = "mini-ld: no input files" ]
  [ ! -e prog ]
}

@test "ld: the stack is not executable by default" {
  hello_program
  link_both prog rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(stack_flags prog)" = RW ]
  [ "$(stack_flags prog.bfd)" = RW ]
}

@test "ld: -z execstack makes the stack executable" {
  hello_program
  link_both prog -z execstack rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(stack_flags prog)" = RWE ]
  [ "$(stack_flags prog.bfd)" = RWE ]
}

@test "ld: an object with an executable .note.GNU-stack makes the stack executable" {
  hello_program
  asm trampoline <<'S'
	.text
	.globl tramp
tramp:
	ret
	.section .note.GNU-stack,"x",@progbits
S
  link_both prog rt.o main.o trampoline.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(stack_flags prog)" = RWE ]
  [ "$(stack_flags prog.bfd)" = RWE ]
}

@test "ld: -z noexecstack overrides an object's executable .note.GNU-stack" {
  hello_program
  asm trampoline <<'S'
	.text
	.globl tramp
tramp:
	ret
	.section .note.GNU-stack,"x",@progbits
S
  link_both prog -z noexecstack rt.o main.o trampoline.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(stack_flags prog)" = RW ]
  [ "$(stack_flags prog.bfd)" = RW ]
}

@test "ld: the last of -z noexecstack and -z execstack wins, as in GNU ld" {
  hello_program
  link_both prog -z noexecstack -z execstack rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  [ "$(stack_flags prog)" = RWE ]
  [ "$(stack_flags prog.bfd)" = RWE ]
  link_both prog2 -z execstack -z noexecstack rt.o main.o
  [ "$(stack_flags prog2)" = RW ]
  [ "$(stack_flags prog2.bfd)" = RW ]
}

@test "ld: -m elf_x86_64 is accepted" {
  hello_program
  link_both prog -m elf_x86_64 rt.o main.o
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
  link_both prog2 -melf_x86_64 rt.o main.o
  run_both prog2
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog2
}

@test "ld: -m with another emulation is a usage error" {
  hello_program
  run ! ld.bfd -m elf_i386 rt.o main.o -o prog.bfd
  run -2 "$MINI_LD" -m elf_i386 rt.o main.o -o prog
  [ "$output" = "mini-ld: unsupported emulation 'elf_i386' (only elf_x86_64 is)" ]
  [ ! -e prog ]
}

@test "ld: a failed link leaves the previous output untouched and no temporary file" {
  hello_program
  obj bad <<'C'
int missing(void);
int use_missing(void) { return missing(); }
C
  echo "the previous output" >prog
  cp prog prog.before
  run -1 "$MINI_LD" rt.o main.o bad.o -o prog
  [[ "$output" == *"undefined symbol 'missing'"* ]]
  cmp prog prog.before
  [ "$(LC_ALL=C ls | tr '\n' ' ')" = "bad.o main.o prog prog.before rt.o rt.s " ]
}

@test "ld: an error found while writing the output leaves no file behind" {
  hello_program
  # far does not fit the 32-bit field: the error comes from applying relocations,
  # after the temporary output file was created.
  asm far <<'S'
	.data
	.long far
	.globl far
	.set far, 0x100000000
	.section .note.GNU-stack,"",@progbits
S
  run ! ld.bfd rt.o main.o far.o -o prog.bfd
  echo "the previous output" >prog
  cp prog prog.before
  run -1 "$MINI_LD" rt.o main.o far.o -o prog
  [ "$output" = "mini-ld: far.o:(.data+0x0): relocation R_X86_64_32 out of range: 4294967296 is not in [0, 4294967295]; references 'far'" ]
  cmp prog prog.before
  [ "$(LC_ALL=C ls | tr '\n' ' ')" = "far.o main.o prog prog.before rt.o rt.s " ]
}

@test "ld: the output is executable by everyone under umask 022" {
  hello_program
  umask 022
  link_both prog rt.o main.o
  [ "$(stat -c %a prog)" = 755 ]
  [ "$(stat -c %a prog.bfd)" = 755 ]
  # Replacing an existing file gives the new file the same mode.
  echo old >prog2
  chmod 600 prog2
  "$MINI_LD" rt.o main.o -o prog2
  [ "$(stat -c %a prog2)" = 755 ]
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: two links of the same inputs give identical bytes" {
  hello_program
  obj lib <<'C'
int table[100] = {1};
char zeros[4096];
int twice(int x) { return 2 * x + table[0] + zeros[1]; }
C
  link_both prog rt.o main.o lib.o
  "$MINI_LD" rt.o main.o lib.o -o again
  cmp prog again
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: the output is no larger than ld.lld's plus 512 bytes" {
  command -v ld.lld >/dev/null || skip "ld.lld is not installed"
  hello_program
  obj lib <<'C'
int table[100] = {1};
char zeros[4096];
int twice(int x) { return 2 * x + table[0] + zeros[1]; }
C
  link_both prog rt.o main.o lib.o
  ld.lld rt.o main.o lib.o -o prog.lld
  ours=$(stat -c %s prog)
  theirs=$(stat -c %s prog.lld)
  echo "mini-ld: $ours bytes, ld.lld: $theirs bytes" >&2
  [ "$ours" -le $((theirs + 512)) ]
  run_both prog
  [ "$status" -eq 7 ]
  [ "$output" = "hello" ]
  check_layout prog
}

@test "ld: -u pulls a member nobody else needs; --require-defined fails if nothing defines it" {
  hello_program
  obj extra <<'C'
int extra_symbol = 5;
C
  ar rcs libx.a extra.o
  link_both prog rt.o main.o -L. -lx
  ! nm prog | grep -q extra_symbol
  link_both prog2 rt.o main.o -u extra_symbol -L. -lx
  run_both prog2
  nm prog2 | grep -q ' extra_symbol$'
  link_both prog3 rt.o main.o --undefined=extra_symbol -L. -lx
  nm prog3 | grep -q ' extra_symbol$'
  # -u keeps it through --gc-sections too.
  run "$MINI_LD" --gc-sections -u extra_symbol rt.o main.o -L. -lx -o prog4
  [ "$status" -eq 0 ]
  nm prog4 | grep -q ' extra_symbol$'
  link_both prog5 rt.o main.o --require-defined=extra_symbol -L. -lx
  run ! ld.bfd rt.o main.o --require-defined=nowhere -o prog6.bfd
  expect_error "mini-ld: required symbol 'nowhere' is not defined (--require-defined)" \
    rt.o main.o --require-defined=nowhere
}

@test "ld: long options may be abbreviated when unambiguous, and groups may nest" {
  hello_program
  obj a <<'C'
int b_func(void);
int a_func(void) { return b_func() + 1; }
C
  obj b <<'C'
int a_func(void);
int b_func(void) { return 1; }
int b_other(void) { return a_func(); }
C
  ar rcs liba.a a.o
  ar rcs libb.a b.o
  run "$MINI_LD" rt.o main.o --out=prog --start --start-group liba.a --end-group libb.a --end-group
  [ "$status" -eq 0 ]
  [ -x prog ]
  run -2 "$MINI_LD" rt.o main.o --no=x -o prog2
  [ "$output" = "mini-ld: option '--no=x' is ambiguous" ]
}

@test "ld: --defsym defines a number or a symbol plus an offset, over the inputs' definitions" {
  runtime
  asm d <<'S'
	.data
	.globl foo, bar
foo:	.quad 1
bar:	.quad 2
	.text
	.globl main
main:	lea baz(%rip), %rax
	lea bar(%rip), %rcx
	sub %rcx, %rax            # baz - bar = 8
	mov $foo, %ecx            # foo = 0x1234
	cmp $0x1234, %ecx
	jne 1f
	ret
1:	mov $99, %eax
	ret
S
  link_both prog rt.o d.o --defsym foo=0x1234 --defsym=baz=bar+8 --defsym 'qux = bar - 0x10'
  run_both prog
  [ "$status" -eq 8 ]
  [ "$(nm prog | grep -E ' (foo|baz|qux)$' | awk '{ print $2 }' | tr -d '\n')" = "AAA" ]
  [ "$(nm prog | awk '$3 == "foo" { print $1 }')" = 0000000000001234 ]
  run -1 "$MINI_LD" rt.o d.o --defsym baz=bar+8 --defsym x=nowhere+1 -o prog2
  [ "$output" = "mini-ld: --defsym:1: undefined symbol 'nowhere' referenced in expression" ]
}

@test "ld: --image-base and -Ttext-segment move the image" {
  hello_program
  link_both prog rt.o main.o -Ttext-segment=0x10000000
  run_both prog
  [ "$(readelf -lW prog | awk '$1 == "LOAD" { print $3; exit }')" = 0x0000000010000000 ]
  # lld's spelling.
  run "$MINI_LD" rt.o main.o --image-base=0x20000000 -o prog2
  [ "$(readelf -lW prog2 | awk '$1 == "LOAD" { print $3; exit }')" = 0x0000000020000000 ]
  run -2 "$MINI_LD" rt.o main.o --image-base=0x10000010 -o prog3
  [ "$output" = "mini-ld: --image-base: 0x10000010 is not a multiple of the page size (0x1000)" ]
}

@test "ld: -x leaves local symbols out; options that only matter to dynamic links are accepted" {
  hello_program
  obj extra <<'C'
static __attribute__((used, noinline)) int local_helper(void) { return 1; }
int global_entry(void) { return local_helper(); }
C
  link_both prog rt.o main.o extra.o -x -O1 -E --export-dynamic -Bsymbolic --no-undefined -rpath /nowhere --sort-common -X
  run_both prog
  ! nm prog | grep -q local_helper
  nm prog | grep -q ' T global_entry$'
  link_both full rt.o main.o extra.o
  nm full | grep -q ' t local_helper$'
}

@test "ld: an output that is a device is written in place, never replaced (-o /dev/null works)" {
  hello_program
  # Through a symlink, so that a regression would replace the link, not /dev/null.
  ln -s /dev/null out
  ln -s /dev/null map
  run "$MINI_LD" rt.o main.o -o out -Map=map --why-extract=map
  [ "$status" -eq 0 ]
  [ -L out ] && [ -c out ]
  [ -L map ] && [ -c map ]
  [ -c /dev/null ]
  # The image goes through the device: a pipe gets the whole file.
  "$MINI_LD" rt.o main.o -o /dev/stdout | cmp - <("$MINI_LD" rt.o main.o -o prog && cat prog)
}

@test "ld: an output that is a symbolic link is replaced by the new file, its target kept, as GNU ld" {
  hello_program
  mkdir real
  echo old > real/prog
  ln -s real/prog prog
  run "$MINI_LD" rt.o main.o -o prog
  [ "$status" -eq 0 ]
  [ ! -L prog ]
  [ "$(cat real/prog)" = old ]
  run ./prog
  [ "$output" = "hello" ]
  [ -z "$(ls -A . | grep '\.tmp\.')" ]
}

@test "ld: the map and --why-extract reports are readable files (0666 less the umask), as GNU ld's" {
  hello_program
  (umask 022 && "$MINI_LD" rt.o main.o -o prog -Map=prog.map --why-extract=why.txt)
  [ "$(stat -c %a prog.map)" = 644 ]
  [ "$(stat -c %a why.txt)" = 644 ]
  [ "$(stat -c %a prog)" = 755 ]
}

@test "ld: -z stack-size, -z ibt, -z shstk and -z x86-64-v3 reach PT_GNU_STACK and .note.gnu.property" {
  hello_program
  run "$MINI_LD" rt.o main.o -z stack-size=0x900000 -z ibt -z shstk -z x86-64-v3 -o prog
  [ "$status" -eq 0 ]
  readelf -lW prog | grep -Eq 'GNU_STACK .* 0x900000 RW'
  readelf -nW prog | grep -q 'x86 feature: IBT, SHSTK'
  readelf -nW prog | grep -q 'x86 ISA needed: x86-64-v3'
  run ./prog
  [ "$output" = "hello" ]
}

# cet.o: main, compiled for CET (IBT and SHSTK in its .note.gnu.property); start.o:
# a _start without any property.
cet_program() {
  printf 'int main(void) { return 5; }\n' | cc -O1 -fcf-protection -c -x c - -o cet.o
  readelf -nW cet.o | grep -q 'x86 feature: IBT, SHSTK'
  asm start <<'ASM'
	.globl _start
_start:
	call main
	mov %eax, %edi
	mov $60, %eax
	syscall
ASM
}

@test "ld: -z cet-report=warning|error names each object not marked for IBT or SHSTK, as GNU ld does" {
  cet_program
  for args in "-z cet-report=warning" "-z shstk -z cet-report=warning" "-z ibt -z cet-report=warning" \
              "-z cet-report=warning -z ibt -z shstk" "-z cet-report=warning -z cet-report=none"; do
    run ld.bfd start.o cet.o $args -o prog.bfd
    [ "$status" -eq 0 ]
    # GNU ld puts "warning:" after the file name.
    local want=${output//ld.bfd: start.o: warning:/mini-ld: warning: start.o:}
    run "$MINI_LD" start.o cet.o $args -o prog
    [ "$status" -eq 0 ]
    [ "$output" = "$want" ]
    run_both prog
    [ "$status" -eq 5 ]
    [ "$(readelf -nW prog | grep 'x86 feature')" = "$(readelf -nW prog.bfd | grep 'x86 feature')" ]
  done
  run "$MINI_LD" start.o cet.o -z shstk -z cet-report=warning -o prog
  [ "$output" = "mini-ld: warning: start.o: missing IBT property" ]
  run ! ld.bfd start.o cet.o -z cet-report=error -o prog2.bfd
  run -1 "$MINI_LD" start.o cet.o -z cet-report=error -o prog2
  [ "$output" = "mini-ld: start.o: missing IBT and SHSTK properties" ]
  [ ! -e prog2 ]
  run ! ld.bfd start.o cet.o -z cet-report=bogus -o prog3.bfd
  run -2 "$MINI_LD" start.o cet.o -z cet-report=bogus -o prog3
  [ "$output" = "mini-ld: -z cet-report: unknown value 'bogus' (use none, warning or error)" ]
}

@test "ld: -z x86-64-vN records one ISA level, the last given, joined with the objects' needs, as GNU ld" {
  cet_program
  printf 'int f(void) { return 1; }\n' | cc -O1 -march=x86-64-v3 -mneeded -c -x c - -o v3.o
  for args in "-z x86-64-v4 -z x86-64-v2" "-z x86-64-v2 -z x86-64-v3" "v3.o -z x86-64-v2"; do
    link_both prog start.o cet.o $args
    run_both prog
    [ "$status" -eq 5 ]
    [ "$(readelf -nW prog | grep 'ISA needed')" = "$(readelf -nW prog.bfd | grep 'ISA needed')" ]
  done
  readelf -nW prog | grep -q 'x86 ISA needed: x86-64-baseline, x86-64-v2, x86-64-v3$'
  link_both prog2 start.o cet.o -z x86-64-v4 -z x86-64-v2
  readelf -nW prog2 | grep -q 'x86 ISA needed: x86-64-v2$'
}

@test "ld: --allow-multiple-definition and -z muldefs keep the first definition" {
  runtime
  obj a <<'C'
int value(void) { return 1; }
int main(void) { return value(); }
C
  obj b <<'C'
int value(void) { return 2; }
C
  link_both prog rt.o a.o b.o --allow-multiple-definition
  run_both prog
  [ "$status" -eq 1 ]
  link_both prog2 rt.o a.o b.o -z muldefs
  run_both prog2
  run -1 "$MINI_LD" rt.o a.o b.o -o prog3
  [ "$output" = "mini-ld: b.o: duplicate symbol 'value' (first defined in a.o)" ]
}

@test "ld: an input that asks for an executable stack gets one, with a warning naming it" {
  hello_program
  asm exec <<'ASM'
	.section .note.GNU-stack,"x",@progbits
ASM
  run "$MINI_LD" rt.o main.o exec.o -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ld: warning: exec.o: requires executable stack (because the .note.GNU-stack section is executable)" ]
  readelf -lW prog | grep -Eq 'GNU_STACK .* RWE'
  # Asked for on the command line: no warning.
  run "$MINI_LD" rt.o main.o exec.o -z execstack -o prog2
  [ "$output" = "" ]
}

# nonote.o: a function in an object assembled without .note.GNU-stack, as old
# assemblers (and `as` without --noexecstack) make them.
nonote_object() {
  printf '\t.text\n\t.globl helper\nhelper:\n\tret\n' | cc -c -x assembler - -o nonote.o
  ! readelf -SW nonote.o | grep -q GNU-stack
}

@test "ld: an object without .note.GNU-stack among objects with one makes the stack executable, with GNU ld's warning" {
  hello_program
  nonote_object
  run ld.bfd rt.o main.o nonote.o -o prog.bfd
  local want=${output//ld.bfd:/mini-ld:}
  run "$MINI_LD" rt.o main.o nonote.o -o prog
  [ "$status" -eq 0 ]
  [ "$output" = "$want" ]
  [ "${lines[0]}" = "mini-ld: warning: nonote.o: missing .note.GNU-stack section implies executable stack" ]
  [ "${lines[1]}" = "mini-ld: NOTE: This behaviour is deprecated and will be removed in a future version of the linker" ]
  run_both prog
  [ "$output" = "hello" ]
  [ "$(stack_flags prog)" = RWE ]
  [ "$(stack_flags prog.bfd)" = RWE ]
  # -z noexecstack decides without a word; so does -z stack-size's size, not its flags.
  link_both prog2 rt.o main.o nonote.o -z noexecstack -z stack-size=0x200000
  [ "$output" = "" ]
  [ "$(stack_flags prog2)" = RW ]
  [ "$(stack_flags prog2.bfd)" = RW ]
  readelf -lW prog2 | grep -Eq 'GNU_STACK .* 0x200000 RW '
}

@test "ld: when no object says anything about the stack there is no PT_GNU_STACK, as with GNU ld" {
  printf '\t.globl _start\n_start:\n\tmov $60, %%eax\n\tmov $3, %%edi\n\tsyscall\n' |
    cc -c -x assembler - -o start.o
  link_both prog start.o
  [ "$output" = "" ]
  run_both prog
  [ "$status" -eq 3 ]
  ! readelf -lW prog.bfd | grep -q GNU_STACK
  ! readelf -lW prog | grep -q GNU_STACK
  # An option that says something about the stack brings it back.
  link_both prog2 start.o -z noexecstack
  [ "$(stack_flags prog2)" = RW ]
  [ "$(stack_flags prog2.bfd)" = RW ]
}

@test "ld: --no-warn-execstack silences the stack warnings, --warn-execstack adds one for -z execstack" {
  hello_program
  nonote_object
  asm exec <<'ASM'
	.section .note.GNU-stack,"x",@progbits
ASM
  for args in "nonote.o --no-warn-execstack" "exec.o --no-warn-execstack" \
              "-z execstack --warn-execstack" "nonote.o --warn-execstack" \
              "--warn-execstack --no-warn-execstack -z execstack"; do
    run ld.bfd rt.o main.o $args -o prog.bfd
    [ "$status" -eq 0 ]
    local want=${output//ld.bfd:/mini-ld:}
    run "$MINI_LD" rt.o main.o $args -o prog
    [ "$status" -eq 0 ]
    [ "$output" = "$want" ]
    [ "$(stack_flags prog)" = RWE ]
    [ "$(stack_flags prog.bfd)" = RWE ]
  done
  run "$MINI_LD" rt.o main.o -z execstack --warn-execstack -o prog
  [ "$output" = "mini-ld: warning: enabling an executable stack because of -z execstack command line option" ]
  # A warning like any other: -w silences it (and its NOTE; GNU ld 2.40 prints them
  # anyway), --fatal-warnings fails the link.
  run "$MINI_LD" -w rt.o main.o nonote.o -o prog2
  [ "$output" = "" ]
  run -1 "$MINI_LD" rt.o main.o nonote.o --fatal-warnings -o prog3
  [ ! -e prog3 ]
}

@test "ld: --warn-rwx-segments and --no-warn-rwx-segments are accepted; no segment is writable and executable" {
  hello_program
  for opt in --warn-rwx-segments --no-warn-rwx-segments; do
    link_both prog rt.o main.o $opt
    [ "$output" = "" ]
    run_both prog
    [ "$output" = "hello" ]
    check_layout prog
  done
}

@test "ld: with -z max-page-size=0x200000, RELRO ends on a 4 KiB page and glibc programs start" {
  echo 'int main(void) { return 4; }' >m.c
  for mode in -static ""; do
    gcc $mode -B "$MINI_BIN/" m.c -Wl,-z,max-page-size=0x200000 -o prog$mode
    run ./prog$mode
    [ "$status" -eq 4 ]
  done
  check_layout prog-static
}

@test "ld: --sysroot: -L=DIR, -L\$SYSROOT/DIR, =/path and absolute paths in a script inside the sysroot" {
  hello_program
  mkdir -p root/usr/lib root/opt
  obj greet <<'C'
void print(const char *);
void greet(void) { print("greet\n"); }
C
  ar rcs root/usr/lib/libgreet.a greet.o
  obj m <<'C'
void greet(void);
int main(void) { greet(); return 0; }
C
  for L in -L=/usr/lib '-L$SYSROOT/usr/lib' -L=usr/lib; do
    run "$MINI_LD" --sysroot=root rt.o m.o "$L" -lgreet -o prog
    [ "$status" -eq 0 ]
    run ./prog
    [ "$output" = "greet" ]
  done
  # Without the sysroot, -L=/usr/lib is the host's /usr/lib: no libgreet there.
  run -1 "$MINI_LD" rt.o m.o -L=/usr/lib -lgreet -o prog
  # A script inside the sysroot names /usr/lib/... meaning the sysroot's.
  echo 'GROUP ( /usr/lib/libgreet.a )' >root/opt/greet.script
  run "$MINI_LD" --sysroot=root rt.o m.o root/opt/greet.script -o prog2
  [ "$status" -eq 0 ]
  echo 'INPUT ( =/usr/lib/libgreet.a )' >outside.script
  run "$MINI_LD" --sysroot=root rt.o m.o outside.script -o prog3
  [ "$status" -eq 0 ]
}

@test "ld: --sysroot: \$SYSROOT/path in a script, and SEARCH_DIR(=DIR) and SEARCH_DIR(\$SYSROOT/DIR), as GNU ld" {
  hello_program
  mkdir -p root/opt/lib
  obj greet <<'C'
void print(const char *);
void greet(void) { print("greet\n"); }
C
  ar rcs root/opt/lib/libgreet.a greet.o
  obj m <<'C'
void greet(void);
int main(void) { greet(); return 0; }
C
  echo 'INPUT ( $SYSROOT/opt/lib/libgreet.a )' >a.script
  echo 'SEARCH_DIR("=/opt/lib") INPUT ( -lgreet )' >b.script
  echo 'SEARCH_DIR("$SYSROOT/opt/lib") INPUT ( -lgreet )' >c.script
  for script in a b c; do
    link_both prog-$script --sysroot="$PWD/root" rt.o m.o $script.script
    run_both prog-$script
    [ "$output" = "greet" ]
  done
  # Without --sysroot, "=" is the host's root, as GNU ld has it.
  run ! ld.bfd rt.o m.o b.script -o prog-d.bfd
  run -1 "$MINI_LD" rt.o m.o b.script -o prog-d
  [ "$output" = "mini-ld: cannot find -lgreet" ]
}

@test "ld: --verbose says, once each, which options were accepted but change nothing" {
  hello_program
  run "$MINI_LD" --sort-common -O2 rt.o main.o --no-relax --sort-common -X -o prog
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run --separate-stderr "$MINI_LD" --verbose --sort-common -O2 rt.o main.o --no-relax --sort-common -X -o prog
  [ "$status" -eq 0 ]
  [ "$stderr" = "mini-ld: --sort-common: accepted and ignored
mini-ld: -O2: accepted and ignored
mini-ld: --no-relax: accepted and ignored
mini-ld: -X: accepted and ignored" ]
}

@test "ld: --threads=N takes a thread count from 1 to 256; --thread-count and --no-threads too" {
  runtime
  obj main <<'C'
int main(void) { return 7; }
C
  for opt in --threads=1 --threads=3 --thread-count=2 --no-threads; do
    "$MINI_LD" "$opt" rt.o main.o -o "prog$opt"
    run "./prog$opt"
    [ "$status" -eq 7 ]
  done
  run -2 "$MINI_LD" --threads=0 rt.o main.o -o bad
  [ "${lines[0]}" = "mini-ld: --threads: 0 is not a thread count from 1 to 256" ]
  run -2 "$MINI_LD" --threads=lots rt.o main.o -o bad
  [ "${lines[0]}" = "mini-ld: invalid number for --threads: 'lots'" ]
  [ ! -e bad ]
}

@test "ld: an input from a pipe (<(...)) or a FIFO with a writer links like the file" {
  runtime
  obj main <<'C'
int main(void) { return 42; }
C
  "$MINI_LD" rt.o main.o -o want
  "$MINI_LD" rt.o <(cat main.o) -o out
  cmp want out
  # A named FIFO, its bytes already in it: fd 4 is both a reader and a writer (so the
  # open does not wait), and mini-ld reads until the last writer, fd 4, is closed,
  # which happens once mini-ld has the FIFO open (else the bytes would be lost).
  mkfifo fifo
  exec 4<>fifo
  cat main.o >&4
  "$MINI_LD" rt.o fifo -o out2 4>&- &
  local pid=$! i
  for ((i = 0; i < 500; i++)); do
    ls -l /proc/$pid/fd 2>/dev/null | grep -q fifo && break
    sleep 0.02
  done
  exec 4>&-
  wait $pid
  cmp want out2
  run ./out2
  [ "$status" -eq 42 ]
}

@test "ld: a FIFO without a writer, named or in a thin archive, is an empty input, not a hang" {
  runtime
  mkfifo fifo
  run -1 timeout 10 "$MINI_LD" rt.o fifo -o out
  [ "$output" = "mini-ld: fifo: file is empty" ]
  [ ! -e out ]
  obj main <<'C'
int main(void) { return 0; }
C
  # A thin archive names its members; one of them is now a FIFO.
  cp main.o member.o
  ar rcT thin.a member.o
  rm member.o
  mkfifo member.o
  run -1 timeout 10 "$MINI_LD" rt.o --whole-archive thin.a -o out
  [ "$output" = "mini-ld: thin.a(member.o): not an ELF object" ]
  [ ! -e out ]
}
