#!/usr/bin/env bats
# Relocations: each x86-64 type mini-ld supports computes the psABI's value (§4.4),
# GOT loads are relaxed where the symbol's address is known, a value that does not fit
# its field is an error, and types mini-ld does not know or support are rejected.
#
# Each fixture is a small assembly program whose main returns 0 only if the patched
# field holds the right value, checked at run time against an address computed another
# way (usually lea/.quad), or prints a layout-independent value. A failed check returns
# its number, so a wrong computation changes the exit status. GNU ld links the same
# objects and its program must behave the same (run_both). Each test first asserts
# with readelf that the assembler really emitted the type the test is named after.

bats_require_minimum_version 1.5.0
load helpers

# has_reloc OBJ TYPE 'SYM + ADDEND': readelf -rW OBJ lists a TYPE relocation against
# SYM with that addend, spelled as readelf does ("foo + 8", "foo - 10", hex).
has_reloc() {
  readelf -rW "$1" | awk -v type="$2" -v want="$3" '
    $3 == type && ($5 " " $6 " " $7) == want { found = 1 }
    END { exit !found }' && return 0
  echo "$1 has no $2 relocation against $3:" >&2
  readelf -rW "$1" >&2
  return 1
}

# The disassembly of one function of a linked program, without raw bytes.
disasm() {
  objdump -d --no-show-raw-insn --disassemble="$2" "$1" | grep -E '^ +[0-9a-f]+:'
}

# A symbol's address in a linked program, as objdump spells an immediate (0x401000).
addr_of() {
  nm "$1" | awk -v s="$2" '$3 == s { sub(/^0+/, "", $1); print "0x" $1 }'
}

# The size of a linked program's .got in bytes (0 if it has none).
got_size() {
  local size
  size=$(readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\] *//' | awk '$1 == ".got" { print $5 }')
  echo $((16#${size:-0}))
}

# b.o: foo and bar, two 16-byte objects in .data, and fn, a function returning 42.
defs() {
  asm b <<'ASM'
	.data
	.globl foo, bar
	.type foo, @object
	.size foo, 16
foo:	.quad 0x1111, 0x2222
	.type bar, @object
	.size bar, 16
bar:	.quad 0x3333, 0x4444
	.text
	.globl fn
	.type fn, @function
fn:	mov $42, %eax
	ret
	.size fn, .-fn
	.section .note.GNU-stack,"",@progbits
ASM
}

# ---------------------------------------------------------------------------------
# Every supported type computes its value.

@test "ld: R_X86_64_64 stores S + A" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea foo+8(%rip), %rcx
	cmp %rcx, q_plus(%rip)
	jne 9f
	mov $2, %eax
	lea foo-16(%rip), %rcx
	cmp %rcx, q_minus(%rip)
	jne 9f
	mov $3, %eax
	mov q_plus(%rip), %rcx
	cmpq $0x2222, (%rcx)           # the stored address really is foo's second quad
	jne 9f
	mov $4, %eax
	lea foo(%rip), %rcx            # an addend wider than 32 bits
	movabs $0x123400000000, %rdx
	add %rdx, %rcx
	cmp %rcx, q_big(%rip)
	jne 9f
	xor %eax, %eax
9:	ret
	.data
q_plus:	.quad foo+8
q_minus:
	.quad foo-16
q_big:	.quad foo+0x123400000000
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_64 'foo + 8'
  has_reloc a.o R_X86_64_64 'foo - 10'
  has_reloc a.o R_X86_64_64 'foo + 123400000000'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_PC32 stores S + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_plus(%rip), %rcx
	movslq f_plus(%rip), %rdx
	add %rcx, %rdx                 # P + (S + A - P)
	cmp ref_plus(%rip), %rdx
	jne 9f
	mov $2, %eax
	lea f_minus(%rip), %rcx
	movslq f_minus(%rip), %rdx
	add %rcx, %rdx
	cmp ref_minus(%rip), %rdx
	jne 9f
	mov $3, %eax
	mov foo+8(%rip), %rdx          # PC32 foo + 4: loads foo's second quad
	cmp $0x2222, %rdx
	jne 9f
	mov $4, %eax
	lea f_back(%rip), %rcx         # a field in .data pointing back into .text
	movslq f_back(%rip), %rdx
	test %rdx, %rdx
	jns 9f
	add %rcx, %rdx
	lea main+3(%rip), %rcx
	cmp %rcx, %rdx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_plus:	.long foo-.+0x20
f_minus:
	.reloc ., R_X86_64_PC32, foo-0x30
	.long 0
f_back:	.long main-.+3
	.balign 8
ref_plus:
	.quad foo+0x20
ref_minus:
	.quad foo-0x30
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC32 'foo + 20'
  has_reloc a.o R_X86_64_PC32 'foo - 30'
  has_reloc a.o R_X86_64_PC32 'foo + 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_PLT32 stores S + A - P, going straight to the function" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	mov $1, %ebx
	call fn@PLT                    # fn returns 42
	cmp $42, %eax
	jne 9f
	mov $2, %ebx
	lea f_plus(%rip), %rcx
	movslq f_plus(%rip), %rdx
	add %rcx, %rdx
	cmp ref_plus(%rip), %rdx
	jne 9f
	mov $3, %ebx
	lea f_minus(%rip), %rcx
	movslq f_minus(%rip), %rdx
	add %rcx, %rdx
	cmp ref_minus(%rip), %rdx
	jne 9f
	xor %ebx, %ebx
9:	mov %ebx, %eax
	pop %rbx
	ret
	.data
f_plus:	.reloc ., R_X86_64_PLT32, fn+8
	.long 0
f_minus:
	.reloc ., R_X86_64_PLT32, fn-0x18
	.long 0
	.balign 8
ref_plus:
	.quad fn+8
ref_minus:
	.quad fn-0x18
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PLT32 'fn - 4'
  has_reloc a.o R_X86_64_PLT32 'fn + 8'
  has_reloc a.o R_X86_64_PLT32 'fn - 18'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_32 stores S + A, zero-extended" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	mov $foo+4, %ecx               # R_X86_64_32 in an instruction
	lea foo+4(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	mov f_minus(%rip), %ecx        # movl zero-extends into %rcx
	lea foo-4(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $3, %eax
	mov f_plus(%rip), %ecx
	cmpq $0x2222, (%rcx)
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_minus:
	.long foo-4
f_plus:	.reloc ., R_X86_64_32, foo+8
	.long 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_32 'foo + 4'
  has_reloc a.o R_X86_64_32 'foo - 4'
  has_reloc a.o R_X86_64_32 'foo + 8'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_32S stores S + A, sign-extended" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	mov $foo-8, %rcx               # 32S: a sign-extended immediate
	lea foo-8(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	mov foo+8, %rdx                # 32S: an absolute displacement, loads foo's second quad
	cmp $0x2222, %rdx
	jne 9f
	mov $3, %eax
	movslq f_plus(%rip), %rcx
	lea foo+0x18(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_plus:	.reloc ., R_X86_64_32S, foo+0x18
	.long 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_32S 'foo - 8'
  has_reloc a.o R_X86_64_32S 'foo + 8'
  has_reloc a.o R_X86_64_32S 'foo + 18'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_16 stores S + A" {
  runtime
  asm b <<'ASM'
	.globl abs16
	.set abs16, 0x1234
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	movzwl w_plus(%rip), %edi
	call print_hex
	movzwl w_minus(%rip), %edi
	call print_hex
	movzwl w_neg(%rip), %edi
	call print_hex
	xor %eax, %eax
	pop %rbx
	ret
	.data
w_plus:	.word abs16+5
w_minus:
	.reloc ., R_X86_64_16, abs16-0x34
	.word 0
w_neg:	.reloc ., R_X86_64_16, abs16-0x1244   # -0x10 fits a 16-bit field too
	.word 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_16 'abs16 + 5'
  has_reloc a.o R_X86_64_16 'abs16 - 34'
  has_reloc a.o R_X86_64_16 'abs16 - 1244'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '%s\n' 0000000000001239 0000000000001200 000000000000fff0)" ]
}

@test "ld: R_X86_64_PC16 stores S + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_plus(%rip), %rcx
	movswq f_plus(%rip), %rdx
	add %rcx, %rdx
	lea bar+6(%rip), %rsi
	cmp %rsi, %rdx
	jne 9f
	mov $2, %eax
	lea f_minus(%rip), %rcx
	movswq f_minus(%rip), %rdx
	add %rcx, %rdx
	lea bar-0x10(%rip), %rsi
	cmp %rsi, %rdx
	jne 9f
	mov $3, %eax
	lea f_back(%rip), %rcx         # back from .data into .text: a negative field
	movswq f_back(%rip), %rdx
	test %rdx, %rdx
	jns 9f
	add %rcx, %rdx
	lea main+2(%rip), %rsi
	cmp %rsi, %rdx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_plus:	.word bar-.+6
f_minus:
	.reloc ., R_X86_64_PC16, bar-0x10
	.word 0
f_back:	.reloc ., R_X86_64_PC16, main+2
	.word 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC16 'bar + 6'
  has_reloc a.o R_X86_64_PC16 'bar - 10'
  has_reloc a.o R_X86_64_PC16 'main + 2'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_8 stores S + A" {
  runtime
  asm b <<'ASM'
	.globl abs8
	.set abs8, 0x40
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	movzbl b_plus(%rip), %edi
	call print_hex
	movzbl b_neg(%rip), %edi
	call print_hex
	xor %eax, %eax
	pop %rbx
	ret
	.data
b_plus:	.byte abs8+7
b_neg:	.reloc ., R_X86_64_8, abs8-0x50    # -0x10 fits an 8-bit field too
	.byte 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_8 'abs8 + 7'
  has_reloc a.o R_X86_64_8 'abs8 - 50'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '%s\n' 0000000000000047 00000000000000f0)" ]
}

@test "ld: R_X86_64_PC8 stores S + A - P" {
  runtime
  defs
  # b.o's .data (foo, bar) follows a.o's few bytes of .data, well within 127 bytes.
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_plus(%rip), %rcx
	movsbq f_plus(%rip), %rdx
	add %rcx, %rdx
	lea foo+3(%rip), %rsi
	cmp %rsi, %rdx
	jne 9f
	mov $2, %eax
	lea f_minus(%rip), %rcx
	movsbq f_minus(%rip), %rdx
	add %rcx, %rdx
	lea bar-2(%rip), %rsi
	cmp %rsi, %rdx
	jne 9f
	mov $3, %eax
	lea f_back(%rip), %rcx         # back to the start of a.o's .data: a negative field
	movsbq f_back(%rip), %rdx
	test %rdx, %rdx
	jns 9f
	add %rcx, %rdx
	lea back+1(%rip), %rsi
	cmp %rsi, %rdx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
	.globl back
back:	.quad 0
f_plus:	.byte foo-.+3
f_minus:
	.reloc ., R_X86_64_PC8, bar-2
	.byte 0
f_back:	.reloc ., R_X86_64_PC8, back+1
	.byte 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC8 'foo + 3'
  has_reloc a.o R_X86_64_PC8 'bar - 2'
  has_reloc a.o R_X86_64_PC8 'back + 1'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_PC64 stores S + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_plus(%rip), %rcx
	add f_plus(%rip), %rcx
	cmp ref_plus(%rip), %rcx
	jne 9f
	mov $2, %eax
	lea f_minus(%rip), %rcx
	add f_minus(%rip), %rcx
	cmp ref_minus(%rip), %rcx
	jne 9f
	mov $3, %eax
	cmpq $0, f_back(%rip)          # .data -> .text is a negative distance
	jge 9f
	lea f_back(%rip), %rcx
	add f_back(%rip), %rcx
	lea main+5(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $4, %eax
	lea f_big(%rip), %rcx          # an addend wider than 32 bits
	add f_big(%rip), %rcx
	movabs $0x123400000000, %rdx
	add %rdx, %rcx
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_big:	.quad foo-.-0x123400000000
f_plus:	.quad foo-.+0x100
f_minus:
	.quad foo-.-0x100
f_back:	.quad main-.+5
ref_plus:
	.quad foo+0x100
ref_minus:
	.quad foo-0x100
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC64 'foo + 100'
  has_reloc a.o R_X86_64_PC64 'foo - 100'
  has_reloc a.o R_X86_64_PC64 'main + 5'
  has_reloc a.o R_X86_64_PC64 'foo - 123400000000'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOTPCREL stores GOT + G + A - P of a slot holding the symbol's address" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_foo(%rip), %rcx
	movslq f_foo(%rip), %rdx
	lea -8(%rcx,%rdx), %rdx        # the slot: P + field - A
	mov (%rdx), %rdx
	cmp ref_foo(%rip), %rdx
	jne 9f
	mov $2, %eax
	lea f_bar(%rip), %rcx
	movslq f_bar(%rip), %rdx
	lea 16(%rcx,%rdx), %rdx
	mov (%rdx), %rdx
	cmp ref_bar(%rip), %rdx
	jne 9f
	mov $3, %eax
	# mov 0(%rip), %rdx, encoded by hand so that the relocation is a plain
	# GOTPCREL (gas would emit REX_GOTPCRELX for the mnemonic)
	.byte 0x48, 0x8b, 0x15
	.reloc ., R_X86_64_GOTPCREL, bar-4
	.long 0
	cmp ref_bar(%rip), %rdx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_foo:	.long foo@GOTPCREL+8
f_bar:	.long bar@GOTPCREL-16
ref_foo:
	.quad foo
ref_bar:
	.quad bar
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPCREL 'foo + 8'
  has_reloc a.o R_X86_64_GOTPCREL 'bar - 10'
  has_reloc a.o R_X86_64_GOTPCREL 'bar - 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOTPCRELX that cannot be relaxed stores GOT + G + A - P" {
  runtime
  defs
  # The fields are preceded by zero bytes, not by an instruction a linker could
  # rewrite, and their addends are not -4.
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_foo(%rip), %rcx
	movslq f_foo(%rip), %rdx
	lea -8(%rcx,%rdx), %rdx
	mov (%rdx), %rdx
	cmp ref_foo(%rip), %rdx
	jne 9f
	mov $2, %eax
	lea f_bar(%rip), %rcx
	movslq f_bar(%rip), %rdx
	lea 16(%rcx,%rdx), %rdx
	mov (%rdx), %rdx
	cmp ref_bar(%rip), %rdx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
	.quad 0
f_foo:	.reloc ., R_X86_64_GOTPCRELX, foo+8
	.long 0
	.long 0
f_bar:	.reloc ., R_X86_64_GOTPCRELX, bar-16
	.long 0
ref_foo:
	.quad foo
ref_bar:
	.quad bar
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPCRELX 'foo + 8'
  has_reloc a.o R_X86_64_GOTPCRELX 'bar - 10'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_REX_GOTPCRELX that cannot be relaxed stores GOT + G + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_foo(%rip), %rcx
	movslq f_foo(%rip), %rdx
	lea -8(%rcx,%rdx), %rdx
	mov (%rdx), %rdx
	cmp ref_foo(%rip), %rdx
	jne 9f
	mov $2, %eax
	lea f_bar(%rip), %rcx
	movslq f_bar(%rip), %rdx
	lea 16(%rcx,%rdx), %rdx
	mov (%rdx), %rdx
	cmp ref_bar(%rip), %rdx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
	.quad 0
f_foo:	.reloc ., R_X86_64_REX_GOTPCRELX, foo+8
	.long 0
	.long 0
f_bar:	.reloc ., R_X86_64_REX_GOTPCRELX, bar-16
	.long 0
ref_foo:
	.quad foo
ref_bar:
	.quad bar
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_REX_GOTPCRELX 'foo + 8'
  has_reloc a.o R_X86_64_REX_GOTPCRELX 'bar - 10'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: a GOT load against no symbol (index 0) gets a slot holding 0, as in GNU ld" {
  # Symbol index 0 names no symbol: S = 0. Found by fuzzing: mini-ld used to crash
  # here while deciding whether the load could be relaxed.
  runtime
  asm a <<'ASM'
	.text
	.globl main
main:
	movq 0(%rip), %rax
1:	.reloc 1b-4, R_X86_64_REX_GOTPCRELX, -4
	ret
	.section .note.GNU-stack,"",@progbits
ASM
  readelf -rW a.o | grep -E 'R_X86_64_REX_GOTPCRELX +-4$'
  link_both prog rt.o a.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOTPC32 stores GOT + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	cmpq $0, got(%rip)             # the GOT exists
	je 9f
	mov $2, %eax
	lea _GLOBAL_OFFSET_TABLE_+16(%rip), %rcx    # GOTPC32, A = 16 - 4
	sub $16, %rcx
	cmp got(%rip), %rcx
	jne 9f
	mov $3, %eax
	lea f_minus(%rip), %rcx
	movslq f_minus(%rip), %rdx
	lea 8(%rcx,%rdx), %rdx         # P + (GOT - 8 - P) + 8
	cmp got(%rip), %rdx
	jne 9f
	mov $4, %eax
	lea _GLOBAL_OFFSET_TABLE_(%rip), %rcx       # the same base bar@GOT is measured from
	add bar_got(%rip), %rcx
	mov (%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
got:	.reloc ., R_X86_64_64, _GLOBAL_OFFSET_TABLE_
	.quad 0
bar_got:
	.quad bar@GOT
f_minus:
	.long _GLOBAL_OFFSET_TABLE_-.-8
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPC32 '_GLOBAL_OFFSET_TABLE_ + c'
  has_reloc a.o R_X86_64_GOTPC32 '_GLOBAL_OFFSET_TABLE_ - 8'
  has_reloc a.o R_X86_64_64 '_GLOBAL_OFFSET_TABLE_ + 0'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOTPC64 stores GOT + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	cmpq $0, got(%rip)
	je 9f
	mov $2, %eax
1:	lea 1b(%rip), %rcx             # the large model's GOT pointer:
	movabs $_GLOBAL_OFFSET_TABLE_-1b, %rdx   # GOTPC64, A = the field's offset from 1b
	add %rdx, %rcx
	cmp got(%rip), %rcx
	jne 9f
	mov $3, %eax
	lea f_minus(%rip), %rcx
	add f_minus(%rip), %rcx
	add $8, %rcx
	cmp got(%rip), %rcx
	jne 9f
	mov $4, %eax
	lea f_plus(%rip), %rcx
	add f_plus(%rip), %rcx
	sub $0x20, %rcx
	add bar_got(%rip), %rcx        # GOT + G: bar's slot
	mov (%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
got:	.reloc ., R_X86_64_64, _GLOBAL_OFFSET_TABLE_
	.quad 0
bar_got:
	.quad bar@GOT
f_minus:
	.quad _GLOBAL_OFFSET_TABLE_-.-8
f_plus:	.quad _GLOBAL_OFFSET_TABLE_-.+0x20
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPC64 '_GLOBAL_OFFSET_TABLE_ + 9'
  has_reloc a.o R_X86_64_GOTPC64 '_GLOBAL_OFFSET_TABLE_ - 8'
  has_reloc a.o R_X86_64_GOTPC64 '_GLOBAL_OFFSET_TABLE_ + 20'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOTOFF64 stores S + A - GOT" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	mov got(%rip), %rcx
	add o_plus(%rip), %rcx
	sub $8, %rcx
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	mov got(%rip), %rcx
	add o_minus(%rip), %rcx
	add $8, %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $3, %eax
	movabs $foo@GOTOFF+16, %rcx    # in an instruction
	add got(%rip), %rcx
	lea foo+16(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $4, %eax
	mov got(%rip), %rcx            # an addend wider than 32 bits
	add o_big(%rip), %rcx
	movabs $0x123400000000, %rdx
	add %rdx, %rcx
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
got:	.reloc ., R_X86_64_64, _GLOBAL_OFFSET_TABLE_
	.quad 0
o_big:	.quad foo@GOTOFF-0x123400000000
o_plus:	.quad foo@GOTOFF+8
o_minus:
	.quad bar@GOTOFF-8
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTOFF64 'foo + 8'
  has_reloc a.o R_X86_64_GOTOFF64 'bar - 8'
  has_reloc a.o R_X86_64_GOTOFF64 'foo + 10'
  has_reloc a.o R_X86_64_GOTOFF64 'foo - 123400000000'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_SIZE32 stores Z + A" {
  runtime
  asm b <<'ASM'
	.data
	.globl obj
	.type obj, @object
	.size obj, 0x40
obj:	.zero 0x40
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	mov s_plus(%rip), %edi
	call print_hex
	mov s_minus(%rip), %edi
	call print_hex
	mov $obj@SIZE+0x100, %edi      # in an instruction
	call print_hex
	mov s_wide(%rip), %edi
	call print_hex
	xor %eax, %eax
	pop %rbx
	ret
	.data
s_plus:	.long obj@SIZE+3
s_minus:
	.long obj@SIZE-0x10
s_wide:	.long obj@SIZE+0x12340000
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_SIZE32 'obj + 3'
  has_reloc a.o R_X86_64_SIZE32 'obj - 10'
  has_reloc a.o R_X86_64_SIZE32 'obj + 100'
  has_reloc a.o R_X86_64_SIZE32 'obj + 12340000'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '%s\n' 0000000000000043 0000000000000030 0000000000000140 \
                                  0000000012340040)" ]
}

@test "ld: R_X86_64_SIZE64 stores Z + A" {
  runtime
  asm b <<'ASM'
	.data
	.globl obj
	.type obj, @object
	.size obj, 0x40
obj:	.zero 0x40
	.text
	.globl fn
	.type fn, @function
fn:	nop
	ret
	.size fn, .-fn
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	mov s_plus(%rip), %rdi
	call print_hex
	mov s_neg(%rip), %rdi
	call print_hex
	mov s_fn(%rip), %rdi
	call print_hex
	xor %eax, %eax
	pop %rbx
	ret
	.data
s_plus:	.quad obj@SIZE+0x100000000
s_neg:	.quad obj@SIZE-0x50
s_fn:	.quad fn@SIZE+1
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_SIZE64 'obj + 100000000'
  has_reloc a.o R_X86_64_SIZE64 'obj - 50'
  has_reloc a.o R_X86_64_SIZE64 'fn + 1'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '%s\n' 0000000100000040 fffffffffffffff0 0000000000000003)" ]
}

@test "ld: R_X86_64_GOT32 stores G + A, the slot's offset from the GOT" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	movslq g_foo(%rip), %rcx
	add got(%rip), %rcx
	mov -8(%rcx), %rcx             # GOT + G + A - A: foo's slot
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	movslq g_bar(%rip), %rcx
	add got(%rip), %rcx
	mov 8(%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $3, %eax
	mov g_foo(%rip), %ecx          # two symbols, two slots
	cmp g_bar(%rip), %ecx
	je 9f
	xor %eax, %eax
9:	ret
	.data
got:	.reloc ., R_X86_64_64, _GLOBAL_OFFSET_TABLE_
	.quad 0
g_foo:	.long foo@GOT+8
g_bar:	.long bar@GOT-8
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOT32 'foo + 8'
  has_reloc a.o R_X86_64_GOT32 'bar - 8'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOT64 stores G + A, the slot's offset from the GOT" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	mov g_foo(%rip), %rcx          # G + A is negative whichever slot foo has
	add got(%rip), %rcx
	mov 0x18(%rcx), %rcx
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	mov g_bar(%rip), %rcx
	add got(%rip), %rcx
	mov -0x10(%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $3, %eax
	movabs $bar@GOT, %rcx          # in an instruction, A = 0
	add got(%rip), %rcx
	mov (%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $4, %eax
	movabs $-0x123400000000, %rcx  # an addend wider than 32 bits
	add g_big(%rip), %rcx
	add got(%rip), %rcx
	mov (%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
got:	.reloc ., R_X86_64_64, _GLOBAL_OFFSET_TABLE_
	.quad 0
g_foo:	.quad foo@GOT-0x18
g_bar:	.quad bar@GOT+0x10
g_big:	.quad bar@GOT+0x123400000000
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOT64 'foo - 18'
  has_reloc a.o R_X86_64_GOT64 'bar + 123400000000'
  has_reloc a.o R_X86_64_GOT64 'bar + 10'
  has_reloc a.o R_X86_64_GOT64 'bar + 0'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

@test "ld: R_X86_64_GOTPCREL64 stores GOT + G + A - P" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	lea f_foo(%rip), %rcx
	add f_foo(%rip), %rcx
	mov 0x10(%rcx), %rcx           # P + field - A: foo's slot
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	lea f_bar(%rip), %rcx
	add f_bar(%rip), %rcx
	mov -8(%rcx), %rcx
	lea bar(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
f_foo:	.quad foo@GOTPCREL-0x10
f_bar:	.quad bar@GOTPCREL+8
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPCREL64 'foo - 10'
  has_reloc a.o R_X86_64_GOTPCREL64 'bar + 8'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
}

# ---------------------------------------------------------------------------------
# GOT loads of symbols defined in the image are relaxed (psABI Appendix B).

@test "ld: GOTPCRELX and REX_GOTPCRELX 'mov foo@GOTPCREL(%rip), %reg' becomes lea" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	lea foo(%rip), %rdx
	mov $1, %eax
	movl foo@GOTPCREL(%rip), %ecx  # GOTPCRELX: no REX prefix
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	movq foo@GOTPCREL(%rip), %rcx  # REX_GOTPCRELX
	cmp %rdx, %rcx
	jne 9f
	mov $3, %eax
	movq foo@GOTPCREL(%rip), %r10  # REX_GOTPCRELX with REX.R
	cmp %rdx, %r10
	jne 9f
	xor %eax, %eax
9:	ret
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPCRELX 'foo - 4'
  has_reloc a.o R_X86_64_REX_GOTPCRELX 'foo - 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  disasm prog main >main.dis
  [ "$(grep -cE 'lea +0x[0-9a-f]+\(%rip\),%(ecx|rcx|r10) +# [0-9a-f]+ <foo>' main.dis)" -eq 3 ]
  run ! grep -E 'mov +0x[0-9a-f]+\(%rip\)' main.dis
  # With every load relaxed, no GOT slot is needed. (gas names _GLOBAL_OFFSET_TABLE_
  # in any object using @GOTPCREL, so an empty .got may still be there.)
  [ "$(got_size prog)" -eq 0 ]
}

@test "ld: GOTPCRELX 'call *fn@GOTPCREL(%rip)' becomes a direct addr32 call" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	call *fn@GOTPCREL(%rip)        # fn returns 42
	sub $42, %eax
	pop %rbx
	ret
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPCRELX 'fn - 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  disasm prog main >main.dis
  grep -E 'addr32 call +[0-9a-f]+ <fn>$' main.dis
  run ! grep -F '*' main.dis
}

@test "ld: GOTPCRELX 'jmp *fn@GOTPCREL(%rip)' becomes a direct jmp" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	call tail                      # tail jumps to fn, which returns 42
	sub $42, %eax
	pop %rbx
	ret
tail:	jmp *fn@GOTPCREL(%rip)
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GOTPCRELX 'fn - 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  disasm prog tail >tail.dis
  grep -E 'jmp +[0-9a-f]+ <fn>$' tail.dis
  run ! grep -F '*' tail.dis
}

@test "ld: REX_GOTPCRELX 'test %reg, foo@GOTPCREL(%rip)' becomes test \$foo, %reg" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	lea foo(%rip), %rcx
	mov $1, %eax
	test %rcx, foo@GOTPCREL(%rip)  # foo & foo != 0
	jz 9f
	mov $2, %eax
	not %rcx
	test %rcx, foo@GOTPCREL(%rip)  # ~foo & foo == 0
	jnz 9f
	mov $3, %eax
	lea foo(%rip), %r9
	not %r9
	test %r9, foo@GOTPCREL(%rip)   # with REX.R, which becomes REX.B
	jnz 9f
	xor %eax, %eax
9:	ret
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_REX_GOTPCRELX 'foo - 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  foo=$(addr_of prog foo)
  disasm prog main >main.dis
  [ "$(grep -cE "test +\\\$$foo,%rcx\$" main.dis)" -eq 2 ]
  grep -E "test +\\\$$foo,%r9\$" main.dis
  run ! grep -E 'test .*\(%rip\)' main.dis
}

@test "ld: REX_GOTPCRELX 'op foo@GOTPCREL(%rip), %reg' becomes op \$foo, %reg for each ALU op" {
  runtime
  defs
  asm a <<'ASM'
	.text
	.globl main
main:
	lea foo(%rip), %rsi            # what each operand must be
	mov $1, %eax
	xor %ecx, %ecx
	add foo@GOTPCREL(%rip), %rcx   # 0 + foo
	cmp %rsi, %rcx
	jne 9f
	mov $2, %eax
	mov %rsi, %rcx
	sub foo@GOTPCREL(%rip), %rcx   # foo - foo
	jnz 9f
	mov $3, %eax
	mov $-1, %rcx
	and foo@GOTPCREL(%rip), %rcx   # ~0 & foo
	cmp %rsi, %rcx
	jne 9f
	mov $4, %eax
	xor %ecx, %ecx
	or foo@GOTPCREL(%rip), %rcx    # 0 | foo
	cmp %rsi, %rcx
	jne 9f
	mov $5, %eax
	mov %rsi, %rcx
	xor foo@GOTPCREL(%rip), %rcx   # foo ^ foo
	jnz 9f
	mov $6, %eax
	mov %rsi, %r11
	cmp foo@GOTPCREL(%rip), %r11   # with REX.R, which becomes REX.B
	jne 9f
	mov $7, %eax
	xor %ecx, %ecx
	stc
	adc foo@GOTPCREL(%rip), %rcx   # 0 + foo + 1
	lea 1(%rsi), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $8, %eax
	mov %rsi, %rcx
	stc
	sbb foo@GOTPCREL(%rip), %rcx   # foo - foo - 1
	cmp $-1, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.section .note.GNU-stack,"",@progbits
ASM
  [ "$(readelf -rW a.o | grep -c 'R_X86_64_REX_GOTPCRELX .* foo - 4$')" -eq 8 ]
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  foo=$(addr_of prog foo)
  disasm prog main >main.dis
  for op in add sub and or xor adc sbb; do
    grep -E "$op +\\\$$foo,%rcx\$" main.dis
  done
  grep -E "cmp +\\\$$foo,%r11\$" main.dis
  run ! grep -E '(add|sub|and|or|xor|cmp|adc|sbb) +0x[0-9a-f]+\(%rip\)' main.dis
  [ "$(got_size prog)" -eq 0 ]
}

@test "ld: a GOTPCRELX load of a symbol beyond 2 GiB keeps its GOT slot instead of relaxing" {
  runtime
  # 2 GiB of .bss (no file space) puts far_bss above 0x80000000: out of reach of a
  # sign-extended imm32 and of a rip-relative lea from .text. The psABI allows the
  # rewrite only when the result fits, so both loads must stay GOT loads.
  asm b <<'ASM'
	.bss
	.zero 0x80000000
	.globl far_bss
far_bss:
	.quad 0
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl main
main:
	mov $1, %eax
	xor %ecx, %ecx
	add far_bss@GOTPCREL(%rip), %rcx   # would become add $far_bss, %rcx
	movq far_bss@GOTPCREL(%rip), %rdx  # would become lea far_bss(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	mov $2, %eax
	mov $0x80000000, %esi
	cmp %rsi, %rdx
	jb 9f
	mov $3, %eax
	movq $42, (%rdx)                   # it is far_bss: writable, and reads back
	cmpq $42, (%rdx)
	jne 9f
	xor %eax, %eax
9:	ret
	.section .note.GNU-stack,"",@progbits
ASM
  [ "$(readelf -rW a.o | grep -c 'R_X86_64_REX_GOTPCRELX .* far_bss - 4$')" -eq 2 ]
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  disasm prog main >main.dis
  grep -E 'add +0x[0-9a-f]+\(%rip\),%rcx' main.dis
  grep -E 'mov +0x[0-9a-f]+\(%rip\),%rdx' main.dis
  [ "$(got_size prog)" -eq 8 ]
}

@test "ld: a GOTPCREL load of an undefined weak symbol keeps a GOT slot that reads 0" {
  runtime
  defs
  asm a <<'ASM'
	.weak w
	.text
	.globl main
main:
	mov $1, %eax
	movq w@GOTPCREL(%rip), %rcx    # not relaxed: w has no address in the image
	test %rcx, %rcx
	jnz 9f
	mov $2, %eax
	movq foo@GOTPCREL(%rip), %rcx  # relaxed in the same program
	lea foo(%rip), %rdx
	cmp %rdx, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_REX_GOTPCRELX 'w - 4'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  disasm prog main >main.dis
  [ "$(grep -cE 'mov +0x[0-9a-f]+\(%rip\),%rcx' main.dis)" -eq 1 ]
  grep -E 'lea +0x[0-9a-f]+\(%rip\),%rcx +# [0-9a-f]+ <foo>' main.dis
  [ "$(got_size prog)" -eq 8 ]                  # w's slot
}

@test "ld: an undefined weak symbol's address is 0 through R_X86_64_64, 32 and PC32" {
  runtime
  asm a <<'ASM'
	.weak w
	.text
	.globl main
main:
	mov $1, %eax
	cmpq $0, q(%rip)
	jne 9f
	mov $2, %eax
	cmpq $8, q8(%rip)
	jne 9f
	mov $3, %eax
	cmpl $0, l(%rip)
	jne 9f
	mov $4, %eax
	cmpl $0x10, l16(%rip)
	jne 9f
	mov $5, %eax
	lea w(%rip), %rcx
	test %rcx, %rcx
	jnz 9f
	mov $6, %eax
	lea w-8(%rip), %rcx
	cmp $-8, %rcx
	jne 9f
	xor %eax, %eax
9:	ret
	.data
q:	.quad w
q8:	.quad w+8
l:	.long w
l16:	.long w+0x10
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_64 'w + 0'
  has_reloc a.o R_X86_64_64 'w + 8'
  has_reloc a.o R_X86_64_32 'w + 0'
  has_reloc a.o R_X86_64_32 'w + 10'
  has_reloc a.o R_X86_64_PC32 'w - 4'
  has_reloc a.o R_X86_64_PC32 'w - c'
  link_both prog rt.o a.o
  run_both prog
  [ "$status" -eq 0 ]
}

# ---------------------------------------------------------------------------------
# A value that does not fit its field is an error, as it is for GNU ld.

# main.o: a main that the overflow fixtures do not need to run.
main_obj() {
  asm main <<'ASM'
	.text
	.globl main
main:	xor %eax, %eax
	ret
	.section .note.GNU-stack,"",@progbits
ASM
}

@test "ld: R_X86_64_32 overflow is an error naming the place, value, range and symbol" {
  runtime
  main_obj
  asm b <<'ASM'
	.globl big
	.set big, 0x100000000
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.data
	.long 0
	.long big
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_32 'big + 0'
  expect_error "mini-ld: a.o:(.data+0x4): relocation R_X86_64_32 out of range: 4294967296 is not in [0, 4294967295]; references 'big'" \
    rt.o main.o a.o b.o
  run ! ld.bfd rt.o main.o a.o b.o -o bfd.out
}

@test "ld: R_X86_64_32 of a negative value is an overflow" {
  runtime
  main_obj
  asm b <<'ASM'
	.globl neg
	.set neg, -1
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.data
	.long neg
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_32 'neg + 0'
  expect_error "mini-ld: a.o:(.data+0x0): relocation R_X86_64_32 out of range: -1 is not in [0, 4294967295]; references 'neg'" \
    rt.o main.o a.o b.o
  run ! ld.bfd rt.o main.o a.o b.o -o bfd.out
}

@test "ld: R_X86_64_32S overflow is an error" {
  runtime
  main_obj
  asm b <<'ASM'
	.globl big
	.set big, 0x80000000
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl f
f:	mov $big+8, %rax
	ret
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_32S 'big + 8'
  expect_error "mini-ld: a.o:(.text+0x3): relocation R_X86_64_32S out of range: 2147483656 is not in [-2147483648, 2147483647]; references 'big'" \
    rt.o main.o a.o b.o
  run ! ld.bfd rt.o main.o a.o b.o -o bfd.out
}

@test "ld: R_X86_64_16 overflow is an error" {
  runtime
  main_obj
  asm b <<'ASM'
	.globl big
	.set big, 0x10000
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.data
	.word 0
	.word big+2
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_16 'big + 2'
  expect_error "mini-ld: a.o:(.data+0x2): relocation R_X86_64_16 out of range: 65538 is not in [-32768, 65535]; references 'big'" \
    rt.o main.o a.o b.o
  run ! ld.bfd rt.o main.o a.o b.o -o bfd.out
}

@test "ld: R_X86_64_8 overflow is an error" {
  runtime
  main_obj
  asm b <<'ASM'
	.globl big
	.set big, 0xff
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.data
	.byte big+1
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_8 'big + 1'
  expect_error "mini-ld: a.o:(.data+0x0): relocation R_X86_64_8 out of range: 256 is not in [-128, 255]; references 'big'" \
    rt.o main.o a.o b.o
  run ! ld.bfd rt.o main.o a.o b.o -o bfd.out
}

@test "ld: R_X86_64_PC8 overflow is an error" {
  runtime
  main_obj
  # The target is 200 bytes past the field, whatever the layout.
  asm a <<'ASM'
	.data
	.byte 0
	.reloc ., R_X86_64_PC8, there
	.byte 0
	.zero 199
	.globl there
there:	.byte 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC8 'there + 0'
  expect_error "mini-ld: a.o:(.data+0x1): relocation R_X86_64_PC8 out of range: 200 is not in [-128, 127]; references 'there'" \
    rt.o main.o a.o
  run ! ld.bfd rt.o main.o a.o -o bfd.out
}

@test "ld: R_X86_64_PC16 overflow is an error" {
  runtime
  main_obj
  # The target is 1 byte before the field, and the addend adds 0x10001.
  asm a <<'ASM'
	.data
	.globl there
there:	.byte 0
	.reloc ., R_X86_64_PC16, there+0x10001
	.word 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC16 'there + 10001'
  expect_error "mini-ld: a.o:(.data+0x1): relocation R_X86_64_PC16 out of range: 65536 is not in [-32768, 32767]; references 'there'" \
    rt.o main.o a.o
  run ! ld.bfd rt.o main.o a.o -o bfd.out
}

@test "ld: R_X86_64_PC32 overflow to a far absolute symbol is an error" {
  runtime
  main_obj
  asm a <<'ASM'
	.data
	.quad 0
	.globl here
here:	.long far-.
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC32 'far + 0'
  # The same link with far at 0 succeeds and tells the field's address P: an absolute
  # symbol's value does not move anything.
  asm near <<'ASM'
	.globl far
	.set far, 0
	.section .note.GNU-stack,"",@progbits
ASM
  run "$MINI_LD" rt.o main.o a.o near.o -o near
  [ "$status" -eq 0 ]
  P=$(nm near | awk '$3 == "here" { print $1 }')
  [ -n "$P" ]
  asm b <<'ASM'
	.globl far
	.set far, 0x7fff00000000
	.section .note.GNU-stack,"",@progbits
ASM
  expect_error "mini-ld: a.o:(.data+0x8): relocation R_X86_64_PC32 out of range: $((0x7fff00000000 - 0x$P)) is not in [-2147483648, 2147483647]; references 'far'" \
    rt.o main.o a.o b.o
  run ! ld.bfd rt.o main.o a.o b.o -o bfd.out
}

@test "ld: R_X86_64_8, 16 and PC16 reject a value just below their range, which GNU ld wraps" {
  runtime
  main_obj
  # GNU ld checks these three types as "bitfields": it only rejects a value whose
  # bits above the field are neither all 0 nor all 1, so it silently truncates -129
  # to 0x7f and -32769 to 0x7fff. mini-ld (like lld) rejects them.
  asm b <<'ASM'
	.globl small
	.set small, -0x80
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.data
	.byte small-1
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_8 'small - 1'
  expect_error "mini-ld: a.o:(.data+0x0): relocation R_X86_64_8 out of range: -129 is not in [-128, 255]; references 'small'" \
    rt.o main.o a.o b.o
  asm a <<'ASM'
	.data
	.word small-0x7f81
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_16 'small - 7f81'
  expect_error "mini-ld: a.o:(.data+0x0): relocation R_X86_64_16 out of range: -32769 is not in [-32768, 65535]; references 'small'" \
    rt.o main.o a.o b.o
  asm a <<'ASM'
	.data
	.globl there
there:	.byte 0
	.reloc ., R_X86_64_PC16, there-0x8000
	.word 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_PC16 'there - 8000'
  expect_error "mini-ld: a.o:(.data+0x1): relocation R_X86_64_PC16 out of range: -32769 is not in [-32768, 32767]; references 'there'" \
    rt.o main.o a.o
}

@test "ld: values at the edges of a field's range are stored" {
  runtime
  asm b <<'ASM'
	.globl zero
	.set zero, 0
	.section .note.GNU-stack,"",@progbits
ASM
  asm a <<'ASM'
	.text
	.globl main
main:
	push %rbx
	lea fields(%rip), %rbx
1:	mov (%rbx), %rdi               # each field, zero-extended to 8 bytes
	call print_hex
	add $8, %rbx
	lea fields_end(%rip), %rax
	cmp %rax, %rbx
	jb 1b
	mov $1, %eax
	movsbq pc8_lo(%rip), %rdx      # the PC8 ones: their distances are fixed
	cmp $-0x80, %rdx
	jne 9f
	mov $2, %eax
	movsbq pc8_hi(%rip), %rdx
	cmp $0x7f, %rdx
	jne 9f
	xor %eax, %eax
9:	pop %rbx
	ret
	.data
	.balign 8
fields:
	.byte zero-0x80; .balign 8
	.byte zero+0xff; .balign 8
	.word zero-0x8000; .balign 8
	.word zero+0xffff; .balign 8
	.long zero+0xffffffff; .balign 8
	.reloc ., R_X86_64_32S, zero-0x80000000; .long 0; .balign 8
	.reloc ., R_X86_64_32S, zero+0x7fffffff; .long 0; .balign 8
fields_end:
	.globl there
there:	.quad 0
pc8_lo:	.reloc ., R_X86_64_PC8, there-0x78    # P = there + 8: S + A - P = -0x80
	.byte 0
pc8_hi:	.reloc ., R_X86_64_PC8, there+0x88    # P = there + 9: S + A - P = 0x7f
	.byte 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_8 'zero - 80'
  has_reloc a.o R_X86_64_8 'zero + ff'
  has_reloc a.o R_X86_64_16 'zero - 8000'
  has_reloc a.o R_X86_64_16 'zero + ffff'
  has_reloc a.o R_X86_64_32 'zero + ffffffff'
  has_reloc a.o R_X86_64_32S 'zero - 80000000'
  has_reloc a.o R_X86_64_32S 'zero + 7fffffff'
  link_both prog rt.o a.o b.o
  run_both prog
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '%s\n' 0000000000000080 00000000000000ff 0000000000008000 000000000000ffff \
                                  00000000ffffffff 0000000080000000 000000007fffffff)" ]
}

# ---------------------------------------------------------------------------------
# Types mini-ld does not know or does not support.

@test "ld: an unknown relocation type is an error" {
  runtime
  main_obj
  asm a <<'ASM'
	.data
	.quad foo
	.globl foo
foo:	.quad 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_64 'foo + 0'
  # Gas will not emit a type it does not know, so patch the one relocation of
  # .rela.data: the low byte of its r_info (8 bytes into the Elf64_Rela) is the type;
  # 1 (R_X86_64_64) becomes 200, which no x86-64 relocation uses.
  off=$(readelf -SW a.o | sed 's/^ *\[ *[0-9]*\] *//' | awk '$1 == ".rela.data" { print $4 }')
  [ -n "$off" ]
  printf '\310' | dd of=a.o bs=1 seek=$((0x$off + 8)) conv=notrunc status=none
  readelf -rW a.o | grep -E '^0+ +0+[0-9a-f]{7}c8 '
  expect_error "mini-ld: a.o:(.data+0x0): unknown relocation type 200" rt.o main.o a.o
  run ! ld.bfd rt.o main.o a.o -o bfd.out
}

@test "ld: a relocation type only dynamic objects use is an unsupported relocation" {
  runtime
  main_obj
  # R_X86_64_GLOB_DAT is known (psABI table 4.9) but belongs in a dynamic object's
  # .rela.dyn, never in a relocatable object.
  asm a <<'ASM'
	.data
	.quad 0
	.reloc ., R_X86_64_GLOB_DAT, foo
	.quad 0
	.globl foo
foo:	.quad 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_GLOB_DAT 'foo + 0'
  expect_error "mini-ld: a.o:(.data+0x8): unsupported relocation R_X86_64_GLOB_DAT" rt.o main.o a.o
}

@test "ld: a known but unsupported relocation type (R_X86_64_DTPMOD64) is an error" {
  runtime
  main_obj
  asm a <<'ASM'
	.data
	.quad 0
	.reloc ., R_X86_64_DTPMOD64, x
	.quad 0
	.section .tbss,"awT",@nobits
x:	.long 0
	.section .note.GNU-stack,"",@progbits
ASM
  has_reloc a.o R_X86_64_DTPMOD64 'x + 0'
  expect_error "mini-ld: a.o:(.data+0x8): unsupported relocation R_X86_64_DTPMOD64" rt.o main.o a.o
}
