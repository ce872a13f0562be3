#!/usr/bin/env bats
# Broken inputs. Every malformed file here is derived from a good object or archive
# by patching one named field, and mini-ld must refuse it with one line
# `mini-ld: FILE: what`, exit status 1 and no output file (STYLE §4, §5).
#
# Each case is a function `bad_NAME` that builds its inputs in the current directory
# and sets `args` to the mini-ld arguments (without -o); the test after it checks the
# message. The last tests run every case again, to check that none of them crashes.
# Cases named `bug_NAME` are known mini-ld bugs: their tests are skipped, but the
# crash check runs them too.

bats_require_minimum_version 1.5.0
load helpers

# Under the sanitizer build (MINI_BIN=build-san/bin) a report must not look like an
# ordinary error: ASan and UBSan exit with status 1 by default, like a clean "bad
# input" exit. abort_on_error makes them die by SIGABRT (status 134) instead.
# Leaks are not looked for here (mini-ld frees nothing before exit, STYLE §6),
# except by the one test that sets detect_leaks=1 itself.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1:detect_leaks=0
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1

# ---------------------------------------------------------------------------------
# Reading and patching bytes: tests/elf_bytes.bash (patch_at, patch_le, le, shdr,
# section_offset, symbol_entry, ar_header, ...).
load elf_bytes

hex() {
  printf '0x%x' "$1"
}

# ---------------------------------------------------------------------------------
# Fixtures.

# good.o: _start loads `value` from .data (R_X86_64_PC32 at .text+0x7, in
# .rela.text) and exits with it. .data also holds `entry`, the address of _start
# (R_X86_64_64 at .data+0x8, in .rela.data); .bss holds 16 bytes; helper() sits in
# a COMDAT group. Sections, in as's order: .group .text .rela.text .data .rela.data
# .bss .text.helper .note.GNU-stack .symtab .strtab .shstrtab. Symbols: the null
# one, entry and buf (local), then _start, value and helper.
good_object() {
  asm good <<'EOF'
	.text
	.globl _start
_start:
	mov $60, %eax
	mov value(%rip), %edi
	syscall

	.data
	.globl value
value:	.long 42
	.p2align 3
entry:	.quad _start

	.bss
buf:	.zero 16

	.section .text.helper,"axG",@progbits,helper,comdat
	.globl helper
helper:	ret
	.section .note.GNU-stack,"",@progbits
EOF
}

# main.o calls twice(), which is defined only by lib.a's member twice.o. lib.a has a
# GNU symbol index ("/") and no long-name table.
good_archive() {
  asm main <<'EOF'
	.text
	.globl _start
_start:
	mov $21, %edi
	call twice
	mov %eax, %edi
	mov $60, %eax
	syscall
	.section .note.GNU-stack,"",@progbits
EOF
  asm twice <<'EOF'
	.text
	.globl twice
twice:
	lea (%rdi,%rdi), %eax
	ret
	.section .note.GNU-stack,"",@progbits
EOF
  rm -f lib.a
  ar rcs lib.a twice.o
}

# derive FROM TO: a copy of a good file, to be patched.
derive() {
  cp "$1" "$2"
}

@test "ld: the unpatched fixtures link and run" {
  good_object
  run "$MINI_LD" good.o -o good
  [ "$status" -eq 0 ]
  run ./good
  [ "$status" -eq 42 ]

  good_archive
  run "$MINI_LD" main.o lib.a -o prog
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 42 ]
}

# ---------------------------------------------------------------------------------
# Files that are not ELF objects at all.

bad_missing_file() {
  args=(nosuch.o)
}

@test "ld: a missing input file is reported with the OS reason" {
  bad_missing_file
  expect_error "mini-ld: nosuch.o: cannot open: No such file or directory" "${args[@]}"
}

bad_missing_library() {
  good_object
  args=(good.o -L. -lnosuch)
}

@test "ld: a -l library found in no directory is reported" {
  bad_missing_library
  expect_error "mini-ld: cannot find -lnosuch" "${args[@]}"
}

bad_directory() {
  mkdir -p dir.o
  args=(dir.o)
}

@test "ld: a directory given as input is reported" {
  bad_directory
  expect_error "mini-ld: dir.o: cannot open: Is a directory" "${args[@]}"
}

bad_magic() {
  good_object
  derive good.o magic.o
  # e_ident[EI_MAG3] = 'X': "\x7fELX" is no format we know, and the NUL bytes that
  # follow rule out a linker script.
  patch_at magic.o 3 'X'
  args=(magic.o)
}

@test "ld: a binary file that is not ELF is reported as an unknown file type" {
  bad_magic
  expect_error "mini-ld: magic.o: unknown file type (not an ELF object, ar archive or linker script)" \
    "${args[@]}"
}

bad_text_file() {
  printf 'int main(void) { return 0; }\n' >source.c
  args=(source.c)
}

@test "ld: a text file that is not a linker script is rejected" {
  # Text is read as a linker script, as GNU ld does; `int` is taken for a command.
  bad_text_file
  expect_error "mini-ld: source.c:1: unknown linker script command 'int'" "${args[@]}"
}

bad_empty_file() {
  : >empty.o
  args=(empty.o)
}

@test "ld: an empty file is reported as empty" {
  bad_empty_file
  expect_error "mini-ld: empty.o: file is empty" \
    "${args[@]}"
}

bad_too_small() {
  good_object
  # The magic number survives but the 64-byte ELF header does not.
  head -c 40 good.o >tiny.o
  args=(tiny.o)
}

@test "ld: a file too small to hold an ELF header is rejected" {
  bad_too_small
  expect_error "mini-ld: tiny.o: file is too small to be an ELF object" "${args[@]}"
}

bad_truncated() {
  good_object
  # as writes the section header table last: cut the file in the middle of it, as
  # an interrupted copy would.
  head -c $(($(le good.o 40 8) + 64 * 3 + 10)) good.o >truncated.o
  args=(truncated.o)
}

@test "ld: a truncated object is rejected" {
  bad_truncated
  expect_error "mini-ld: truncated.o: section header table ($(le good.o 60 2) entries at $(hex "$(le good.o 40 8)")) extends past end of file (size $(hex "$(file_size truncated.o)"))" \
    "${args[@]}"
}

# ---------------------------------------------------------------------------------
# The ELF header.

bad_class32() {
  good_object
  derive good.o class32.o
  # e_ident[EI_CLASS] = ELFCLASS32: the headers would be Elf32_*, which we do not read.
  patch_at class32.o 4 '\x01'
  args=(class32.o)
}

@test "ld: a 32-bit ELF object (ELFCLASS32) is rejected" {
  bad_class32
  expect_error "mini-ld: class32.o: not a 64-bit ELF object" "${args[@]}"
}

bad_big_endian() {
  good_object
  derive good.o msb.o
  # e_ident[EI_DATA] = ELFDATA2MSB: every multi-byte field would be byte-swapped.
  patch_at msb.o 5 '\x02'
  args=(msb.o)
}

@test "ld: a big-endian ELF object is rejected" {
  bad_big_endian
  expect_error "mini-ld: msb.o: not a little-endian ELF object" "${args[@]}"
}

bad_elf_version() {
  good_object
  derive good.o version.o
  # e_ident[EI_VERSION] = 2: only EV_CURRENT (1) exists.
  patch_at version.o 6 '\x02'
  args=(version.o)
}

@test "ld: an unknown ELF version is rejected" {
  bad_elf_version
  expect_error "mini-ld: version.o: unknown ELF version" "${args[@]}"
}

bad_executable() {
  good_object
  derive good.o exec.o
  # e_type = ET_EXEC (2): an executable's relocations are gone, it cannot be moved.
  patch_le exec.o 16 2 2
  args=(exec.o)
}

@test "ld: an executable (ET_EXEC) given as input is rejected" {
  bad_executable
  expect_error "mini-ld: exec.o: is an executable (ET_EXEC); only relocatable objects can be linked" "${args[@]}"
}

bad_shared_object() {
  good_object
  derive good.o dyn.o
  # e_type = ET_DYN (3): a shared library, but with no dynamic section to say what
  # it defines and needs.
  patch_le dyn.o 16 2 3
  args=(dyn.o)
}

@test "ld: an ET_DYN file without a dynamic section is not a shared library" {
  bad_shared_object
  expect_error "mini-ld: dyn.o: no dynamic section (SHT_DYNAMIC): not a shared library" "${args[@]}"
}

@test "ld: a shared library cannot be linked after -static or -Bstatic" {
  printf 'int f(void) { return 1; }\n' >f.c
  cc -shared -fPIC f.c -o libf.so
  good_object
  expect_error "mini-ld: libf.so: a shared library cannot be linked after -static or -Bstatic" -static good.o libf.so
  expect_error "mini-ld: libf.so: a shared library cannot be linked after -static or -Bstatic" good.o -Bstatic libf.so
  # -Bdynamic, or --pop-state, ends it.
  run "$MINI_LD" -static good.o -Bdynamic libf.so -o prog
  [ "$status" -eq 0 ]
  run "$MINI_LD" --push-state -static --pop-state good.o libf.so -o prog2
  [ "$status" -eq 0 ]
}

bad_machine() {
  good_object
  derive good.o i386.o
  # e_machine = EM_386 (3): code for another instruction set.
  patch_le i386.o 18 2 3
  args=(i386.o)
}

@test "ld: an object for another machine (EM_386) is rejected" {
  bad_machine
  expect_error "mini-ld: i386.o: incompatible machine type 3 (only x86-64 objects can be linked)" \
    "${args[@]}"
}

bad_shoff() {
  good_object
  derive good.o shoff.o
  # e_shoff = the file size: the section header table would start at end of file.
  patch_le shoff.o 40 8 "$(file_size good.o)"
  args=(shoff.o)
}

@test "ld: e_shoff past the end of the file is rejected" {
  bad_shoff
  expect_error "mini-ld: shoff.o: section header table ($(le good.o 60 2) entries at $(hex "$(file_size good.o)")) extends past end of file (size $(hex "$(file_size good.o)"))" "${args[@]}"
}

bad_shoff_wraps() {
  good_object
  derive good.o shoff-wraps.o
  # e_shoff = 2^64 - 64: e_shoff + 64 wraps to 0, which a check written as
  # `off + len <= size` would accept.
  patch_le shoff-wraps.o 40 8 0xffffffffffffffc0
  args=(shoff-wraps.o)
}

@test "ld: an e_shoff that wraps around is rejected" {
  bad_shoff_wraps
  expect_error "mini-ld: shoff-wraps.o: section header table ($(le good.o 60 2) entries at 0xffffffffffffffc0) extends past end of file (size $(hex "$(file_size good.o)"))" \
    "${args[@]}"
}

bad_no_shdr_table() {
  good_object
  derive good.o shoff0.o
  # e_shoff = 0 says "no section header table", but e_shnum still counts sections.
  patch_le shoff0.o 40 8 0
  args=(shoff0.o)
}

@test "ld: sections without a section header table are rejected" {
  bad_no_shdr_table
  expect_error "mini-ld: shoff0.o: e_shnum is non-zero but there is no section header table" \
    "${args[@]}"
}

bad_shnum() {
  good_object
  derive good.o shnum.o
  # e_shnum = 1000: a table of 64000 bytes does not fit in the file.
  patch_le shnum.o 60 2 1000
  args=(shnum.o)
}

@test "ld: an e_shnum too large for the file is rejected" {
  bad_shnum
  expect_error "mini-ld: shnum.o: section header table (1000 entries at $(hex "$(le good.o 40 8)")) extends past end of file (size $(hex "$(file_size shnum.o)"))" "${args[@]}"
}

bad_shnum_zero() {
  good_object
  derive good.o shnum0.o
  # e_shnum = 0 means "the count is in section 0's sh_size" (gABI extended
  # numbering), and that is 0 too: no sections, not even the null one.
  patch_le shnum0.o 60 2 0
  args=(shnum0.o)
}

@test "ld: an extended section count of zero is rejected" {
  bad_shnum_zero
  expect_error "mini-ld: shnum0.o: section header table is empty" "${args[@]}"
}

bad_shentsize() {
  good_object
  derive good.o shentsize.o
  # e_shentsize = 40: the table's entries would not be Elf64_Shdr (64 bytes).
  patch_le shentsize.o 58 2 40
  args=(shentsize.o)
}

@test "ld: an e_shentsize other than 64 is rejected" {
  bad_shentsize
  expect_error "mini-ld: shentsize.o: e_shentsize is 40, not 64" "${args[@]}"
}

bad_shstrndx() {
  good_object
  derive good.o shstrndx.o
  # e_shstrndx = e_shnum: one past the last section.
  patch_le shstrndx.o 62 2 "$(le good.o 60 2)"
  args=(shstrndx.o)
}

@test "ld: an e_shstrndx out of range is rejected" {
  bad_shstrndx
  expect_error "mini-ld: shstrndx.o: e_shstrndx does not name a string table" "${args[@]}"
}

bad_shstrndx_not_strtab() {
  good_object
  derive good.o shstrndx-text.o
  # e_shstrndx = the index of .text, a section that is not SHT_STRTAB.
  patch_le shstrndx-text.o 62 2 "$(section_index good.o .text)"
  args=(shstrndx-text.o)
}

@test "ld: an e_shstrndx naming a section that is not a string table is rejected" {
  bad_shstrndx_not_strtab
  expect_error "mini-ld: shstrndx-text.o: e_shstrndx does not name a string table" \
    "${args[@]}"
}

# ---------------------------------------------------------------------------------
# Section headers.

bad_section_offset() {
  good_object
  derive good.o text-offset.o
  # .text's sh_offset = the file size: its 13 bytes would lie past end of file.
  patch_le text-offset.o $(($(shdr good.o .text) + 24)) 8 "$(file_size good.o)"
  args=(text-offset.o)
}

@test "ld: a section whose sh_offset is past end of file is rejected" {
  bad_section_offset
  expect_error "mini-ld: text-offset.o: section '.text' (offset $(hex "$(file_size good.o)"), size $(hex "$(le good.o $(($(shdr good.o .text) + 32)) 8)")) extends past end of file (size $(hex "$(file_size good.o)"))" \
    "${args[@]}"
}

bad_section_size() {
  good_object
  derive good.o text-size.o
  # .text's sh_size = 0x10000: more bytes than the whole file.
  patch_le text-size.o $(($(shdr good.o .text) + 32)) 8 0x10000
  args=(text-size.o)
}

@test "ld: a section whose sh_size runs past end of file is rejected" {
  bad_section_size
  expect_error "mini-ld: text-size.o: section '.text' (offset $(hex "$(section_offset good.o .text)"), size $(hex "$(le text-size.o $(($(shdr good.o .text) + 32)) 8)")) extends past end of file (size $(hex "$(file_size good.o)"))" \
    "${args[@]}"
}

bad_section_wraps() {
  good_object
  derive good.o text-wraps.o
  # .text's sh_size = 2^64 - 0x10: sh_offset + sh_size wraps to a small number.
  patch_le text-wraps.o $(($(shdr good.o .text) + 32)) 8 0xfffffffffffffff0
  args=(text-wraps.o)
}

@test "ld: a section whose sh_offset + sh_size wraps around is rejected" {
  bad_section_wraps
  expect_error "mini-ld: text-wraps.o: section '.text' (offset $(hex "$(section_offset good.o .text)"), size 0xfffffffffffffff0) extends past end of file (size $(hex "$(file_size good.o)"))" \
    "${args[@]}"
}

bad_alignment() {
  good_object
  derive good.o align3.o
  # .data's sh_addralign = 3: addresses can only be aligned to powers of two.
  patch_le align3.o $(($(shdr good.o .data) + 48)) 8 3
  args=(align3.o)
}

@test "ld: a section alignment that is not a power of two is rejected" {
  bad_alignment
  expect_error "mini-ld: align3.o: section '.data' has alignment 3, not a power of two" \
    "${args[@]}"
}

bad_entsize() {
  good_object
  derive good.o entsize.o
  # .data's sh_entsize = 2^33: no table has entries that big.
  patch_le entsize.o $(($(shdr good.o .data) + 56)) 8 $((1 << 33))
  args=(entsize.o)
}

@test "ld: a section entry size of 4 GiB or more is rejected" {
  bad_entsize
  expect_error "mini-ld: entsize.o: section '.data': sh_entsize 8589934592 is too big" \
    "${args[@]}"
}

bad_section_name() {
  good_object
  derive good.o shname.o
  # .text's sh_name = the size of .shstrtab: the first offset outside the table.
  local size
  size=$(le good.o $(($(shdr good.o .shstrtab) + 32)) 8)
  patch_le shname.o "$(shdr good.o .text)" 4 "$size"
  args=(shname.o)
}

@test "ld: a section name offset outside .shstrtab is rejected" {
  bad_section_name
  local size
  size=$(le good.o $(($(shdr good.o .shstrtab) + 32)) 8)
  expect_error "mini-ld: shname.o: section $(section_index good.o .text): name offset $(hex "$size") is outside the section name table" \
    "${args[@]}"
}

bad_bss_wraps() {
  good_object
  derive good.o bss-wraps.o
  # .bss's sh_size = 2^64 - 0x1000: SHT_NOBITS has no bytes in the file, so only the
  # address space bounds it, and this size wraps around it.
  patch_le bss-wraps.o $(($(shdr good.o .bss) + 32)) 8 0xfffffffffffff000
  args=(bss-wraps.o)
}

@test "ld: a .bss larger than the address space is rejected" {
  bad_bss_wraps
  expect_error "mini-ld: bss-wraps.o: section '.bss' (size 0xfffffffffffff000) does not fit in the address space" \
    "${args[@]}"
}

# ---------------------------------------------------------------------------------
# The symbol table.

bad_symbol_shndx() {
  good_object
  derive good.o shndx.o
  # value's st_shndx = e_shnum: the first section index that does not exist.
  patch_le shndx.o $(($(symbol_entry good.o value) + 6)) 2 "$(le good.o 60 2)"
  args=(shndx.o)
}

@test "ld: a symbol whose st_shndx is out of range is rejected" {
  bad_symbol_shndx
  expect_error "mini-ld: shndx.o: symbol 'value' has section index $(le good.o 60 2), which is out of range" \
    "${args[@]}"
}

bad_symbol_special_shndx() {
  good_object
  derive good.o shndx-special.o
  # value's st_shndx = 0xff05: reserved (SHN_LORESERVE..), but not SHN_ABS or SHN_COMMON.
  patch_le shndx-special.o $(($(symbol_entry good.o value) + 6)) 2 0xff05
  args=(shndx-special.o)
}

@test "ld: a symbol in an unknown reserved section index is rejected" {
  bad_symbol_special_shndx
  expect_error "mini-ld: shndx-special.o: symbol 'value' has unsupported special section index 0xff05" \
    "${args[@]}"
}

bad_symbol_xindex() {
  good_object
  derive good.o xindex.o
  # value's st_shndx = SHN_XINDEX (0xffff): the real index would be in a
  # SHT_SYMTAB_SHNDX section, and there is none.
  patch_le xindex.o $(($(symbol_entry good.o value) + 6)) 2 0xffff
  args=(xindex.o)
}

@test "ld: SHN_XINDEX without a SHT_SYMTAB_SHNDX section is rejected" {
  bad_symbol_xindex
  expect_error "mini-ld: xindex.o: symbol 'value' uses SHN_XINDEX but there is no SHT_SYMTAB_SHNDX section" \
    "${args[@]}"
}

bad_symbol_name() {
  good_object
  derive good.o stname.o
  # value's st_name = the size of .strtab: the first offset outside the table.
  local size
  size=$(le good.o $(($(shdr good.o .strtab) + 32)) 8)
  patch_le stname.o "$(symbol_entry good.o value)" 4 "$size"
  args=(stname.o)
}

@test "ld: a symbol name offset outside .strtab is rejected" {
  bad_symbol_name
  local size index
  size=$(le good.o $(($(shdr good.o .strtab) + 32)) 8)
  index=$(( ($(symbol_entry good.o value) - $(section_offset good.o .symtab)) / 24 ))
  expect_error "mini-ld: stname.o: symbol $index: name offset $(hex "$size") is outside the string table" \
    "${args[@]}"
}

bad_symtab_link() {
  good_object
  derive good.o symtab-link.o
  # .symtab's sh_link = .text: symbol names would be read from code.
  patch_le symtab-link.o $(($(shdr good.o .symtab) + 40)) 4 "$(section_index good.o .text)"
  args=(symtab-link.o)
}

@test "ld: a symbol table whose sh_link is not a string table is rejected" {
  bad_symtab_link
  expect_error "mini-ld: symtab-link.o: symbol table's sh_link does not name a string table" \
    "${args[@]}"
}

bad_symtab_entsize() {
  good_object
  derive good.o symtab-entsize.o
  # .symtab's sh_entsize = 16: entries would not be Elf64_Sym (24 bytes).
  patch_le symtab-entsize.o $(($(shdr good.o .symtab) + 56)) 8 16
  args=(symtab-entsize.o)
}

@test "ld: a symbol table whose sh_entsize is not 24 is rejected" {
  bad_symtab_entsize
  expect_error "mini-ld: symtab-entsize.o: symbol table entry size is 16, not 24" "${args[@]}"
}

bad_symtab_info() {
  good_object
  derive good.o symtab-info.o
  # .symtab's sh_info (one past the last local symbol) = symbol count + 1.
  local count=$(($(le good.o $(($(shdr good.o .symtab) + 32)) 8) / 24))
  patch_le symtab-info.o $(($(shdr good.o .symtab) + 44)) 4 $((count + 1))
  args=(symtab-info.o)
}

@test "ld: a symbol table whose sh_info exceeds its symbol count is rejected" {
  bad_symtab_info
  expect_error "mini-ld: symtab-info.o: symbol table's sh_info is larger than its symbol count" \
    "${args[@]}"
}

bad_two_symtabs() {
  good_object
  derive good.o two-symtabs.o
  # .note.GNU-stack's sh_type = SHT_SYMTAB (2): a second symbol table, which the
  # gABI allows only one of.
  patch_le two-symtabs.o $(($(shdr good.o .note.GNU-stack) + 4)) 4 2
  args=(two-symtabs.o)
}

@test "ld: an object with two symbol tables is rejected" {
  bad_two_symtabs
  expect_error "mini-ld: two-symtabs.o: more than one symbol table" "${args[@]}"
}

bad_symtab_shndx() {
  good_object
  derive good.o symtab-shndx.o
  # .note.GNU-stack's sh_type = SHT_SYMTAB_SHNDX (18): an extended index table that
  # is empty and whose sh_link (0) is not the symbol table.
  patch_le symtab-shndx.o $(($(shdr good.o .note.GNU-stack) + 4)) 4 18
  args=(symtab-shndx.o)
}

@test "ld: an SHT_SYMTAB_SHNDX section that does not match the symbol table is rejected" {
  bad_symtab_shndx
  expect_error "mini-ld: symtab-shndx.o: SHT_SYMTAB_SHNDX section does not match the symbol table" \
    "${args[@]}"
}

bad_local_common() {
  good_object
  derive good.o local-common.o
  # entry's st_shndx = SHN_COMMON (0xfff2): a tentative definition must be global.
  patch_le local-common.o $(($(symbol_entry good.o entry) + 6)) 2 0xfff2
  args=(local-common.o)
}

@test "ld: a local COMMON symbol is rejected" {
  bad_local_common
  expect_error "mini-ld: local-common.o: local symbol 'entry' is COMMON" "${args[@]}"
}

# ---------------------------------------------------------------------------------
# Relocations. The cases patch the first (and only) entry of .rela.text:
# R_X86_64_PC32 against `value` at .text+0x7.

bad_rela_link() {
  good_object
  derive good.o rela-link.o
  # .rela.text's sh_link = .strtab: relocations would name symbols of a string table.
  patch_le rela-link.o $(($(shdr good.o .rela.text) + 40)) 4 "$(section_index good.o .strtab)"
  args=(rela-link.o)
}

@test "ld: a relocation section whose sh_link is not the symbol table is rejected" {
  bad_rela_link
  expect_error "mini-ld: rela-link.o: section '.rela.text': sh_link $(section_index good.o .strtab) is not the symbol table" \
    "${args[@]}"
}

bad_rela_info() {
  good_object
  derive good.o rela-info.o
  # .rela.text's sh_info (the section it patches) = e_shnum: no such section.
  patch_le rela-info.o $(($(shdr good.o .rela.text) + 44)) 4 "$(le good.o 60 2)"
  args=(rela-info.o)
}

@test "ld: a relocation section whose sh_info names no section is rejected" {
  bad_rela_info
  expect_error "mini-ld: rela-info.o: section '.rela.text': sh_info $(le good.o 60 2) does not name a section" \
    "${args[@]}"
}

bad_rela_info_symtab() {
  good_object
  derive good.o rela-symtab.o
  # .rela.text's sh_info = .symtab: relocations that claim to patch the symbol table.
  patch_le rela-symtab.o $(($(shdr good.o .rela.text) + 44)) 4 "$(section_index good.o .symtab)"
  args=(rela-symtab.o)
}

@test "ld: a relocation section that patches the symbol table is rejected" {
  bad_rela_info_symtab
  expect_error "mini-ld: rela-symtab.o: section '.rela.text': sh_info $(section_index good.o .symtab) names '.symtab', which cannot have relocations" \
    "${args[@]}"
}

bad_rela_entsize() {
  good_object
  derive good.o rela-entsize.o
  # .rela.text's sh_entsize = 16: the size of Elf64_Rel, not Elf64_Rela.
  patch_le rela-entsize.o $(($(shdr good.o .rela.text) + 56)) 8 16
  args=(rela-entsize.o)
}

@test "ld: a relocation section whose sh_entsize is not 24 is rejected" {
  bad_rela_entsize
  expect_error "mini-ld: rela-entsize.o: section '.rela.text': relocation entry size is not 24" \
    "${args[@]}"
}

bad_rel_type() {
  good_object
  derive good.o rel.o
  # .rela.text's sh_type = SHT_REL (9): implicit addends, which x86-64 does not use.
  patch_le rel.o $(($(shdr good.o .rela.text) + 4)) 4 9
  args=(rel.o)
}

@test "ld: an SHT_REL relocation section is rejected" {
  bad_rel_type
  expect_error "mini-ld: rel.o: section '.rela.text': SHT_REL relocations are not used on x86-64" \
    "${args[@]}"
}

bad_reloc_symbol() {
  good_object
  derive good.o rsym.o
  # r_info's symbol (high 32 bits, byte 12) = the symbol count: one past the last.
  local count=$(($(le good.o $(($(shdr good.o .symtab) + 32)) 8) / 24))
  patch_le rsym.o $(($(section_offset good.o .rela.text) + 12)) 4 "$count"
  args=(rsym.o)
}

@test "ld: a relocation whose symbol index is out of range is rejected" {
  bad_reloc_symbol
  local count=$(($(le good.o $(($(shdr good.o .symtab) + 32)) 8) / 24))
  expect_error "mini-ld: rsym.o: section '.rela.text': relocation 0 refers to symbol $count, which is out of range" \
    "${args[@]}"
}

bad_reloc_offset() {
  good_object
  derive good.o roffset.o
  # r_offset = .text's size: the first byte after the section.
  local size
  size=$(le good.o $(($(shdr good.o .text) + 32)) 8)
  patch_le roffset.o "$(section_offset good.o .rela.text)" 8 "$size"
  args=(roffset.o)
}

@test "ld: a relocation offset outside its section is rejected" {
  bad_reloc_offset
  local size
  size=$(hex "$(le good.o $(($(shdr good.o .text) + 32)) 8)")
  expect_error "mini-ld: roffset.o:(.text+$size): relocation offset is outside the section (size $size)" \
    "${args[@]}"
}

bad_reloc_straddles() {
  good_object
  derive good.o rstraddle.o
  # r_offset = .text's size - 2: the offset is inside .text, but the 4-byte PC32
  # field would end 2 bytes past it.
  local size
  size=$(le good.o $(($(shdr good.o .text) + 32)) 8)
  patch_le rstraddle.o "$(section_offset good.o .rela.text)" 8 $((size - 2))
  args=(rstraddle.o)
}

@test "ld: a relocation whose field runs past its section is rejected" {
  bad_reloc_straddles
  local size
  size=$(le good.o $(($(shdr good.o .text) + 32)) 8)
  expect_error "mini-ld: rstraddle.o:(.text+$(hex $((size - 2)))): relocation R_X86_64_PC32 patches past the end of the section (size $(hex "$size"))" \
    "${args[@]}"
}

bad_reloc_type() {
  good_object
  derive good.o rtype.o
  # r_info's type (low byte 8) = 0xfe: no R_X86_64_* has that number.
  patch_at rtype.o $(($(section_offset good.o .rela.text) + 8)) '\xfe'
  args=(rtype.o)
}

@test "ld: an unknown relocation type is reported by number at its place" {
  bad_reloc_type
  expect_error "mini-ld: rtype.o:(.text+0x7): unknown relocation type 254" "${args[@]}"
}

bad_reloc_unsupported() {
  good_object
  derive good.o rcopy.o
  # r_info's type = R_X86_64_COPY (5): a dynamic-linking relocation, never in a .o.
  patch_at rcopy.o $(($(section_offset good.o .rela.text) + 8)) '\x05'
  args=(rcopy.o)
}

@test "ld: a known but unsupported relocation type is reported by name" {
  bad_reloc_unsupported
  expect_error "mini-ld: rcopy.o:(.text+0x7): unsupported relocation R_X86_64_COPY" "${args[@]}"
}

bad_two_rela_tables() {
  good_object
  derive good.o two-relas.o
  # .rela.data's sh_info = .text: .text now has two relocation tables. (Its entry,
  # at offset 8, still lies inside .text.)
  patch_le two-relas.o $(($(shdr good.o .rela.data) + 44)) 4 "$(section_index good.o .text)"
  args=(two-relas.o)
}

@test "ld: a section with two relocation tables is rejected" {
  bad_two_rela_tables
  expect_error "mini-ld: two-relas.o: section '.text' has two relocation tables" "${args[@]}"
}

bad_rela_nobits() {
  good_object
  derive good.o rela-bss.o
  # .rela.data's sh_info = .bss: SHT_NOBITS has no bytes to patch. (Offset 8 is
  # inside its 16 bytes.)
  patch_le rela-bss.o $(($(shdr good.o .rela.data) + 44)) 4 "$(section_index good.o .bss)"
  args=(rela-bss.o)
}

@test "ld: relocations against a section with no contents are rejected" {
  bad_rela_nobits
  expect_error "mini-ld: rela-bss.o: section '.bss' has no contents but has relocations" \
    "${args[@]}"
}

bad_reloc_overflow() {
  good_object
  derive good.o overflow.o
  # value's st_value = 4 GiB: .text+0x7 cannot reach it with a 32-bit displacement.
  patch_le overflow.o $(($(symbol_entry good.o value) + 8)) 8 0x100000000
  args=(overflow.o)
}

@test "ld: a relocation overflow exits with status 1 and leaves no file behind" {
  # Not a reader's check: this one fails while the output is being written, after
  # the temporary file exists. Under the sanitizer build, leaks are looked for too.
  bad_reloc_overflow
  # S + A - P, from the addresses the good object gets.
  "$MINI_LD" good.o -o good
  local S P
  S=$((0x$(nm good | awk '$3 == "value" { print $1 }') + 0x100000000))
  P=$((0x$(nm good | awk '$3 == "_start" { print $1 }') + 7))
  export ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=1
  expect_error "mini-ld: overflow.o:(.text+0x7): relocation R_X86_64_PC32 out of range: $((S - 4 - P)) is not in [-2147483648, 2147483647]; references 'value'" \
    "${args[@]}"
  # Nor a temporary file next to the output.
  [ -z "$(ls -A | grep expect-error)" ]
}

# ---------------------------------------------------------------------------------
# Section groups. The good object's .group: GRP_COMDAT, then one member (.text.helper),
# signature symbol `helper` (sh_info).

bad_group_signature() {
  good_object
  derive good.o group-info.o
  # .group's sh_info (its signature symbol) = the symbol count: no such symbol.
  local count=$(($(le good.o $(($(shdr good.o .symtab) + 32)) 8) / 24))
  patch_le group-info.o $(($(shdr good.o .group) + 44)) 4 "$count"
  args=(group-info.o)
}

@test "ld: a section group whose signature symbol does not exist is rejected" {
  bad_group_signature
  expect_error "mini-ld: group-info.o: section '.group': malformed section group" "${args[@]}"
}

bad_group_member() {
  good_object
  derive good.o group-member.o
  # The group's first member (the u32 after the flag word) = e_shnum: no such section.
  patch_le group-member.o $(($(section_offset good.o .group) + 4)) 4 "$(le good.o 60 2)"
  args=(group-member.o)
}

@test "ld: a section group member out of range is rejected" {
  bad_group_member
  expect_error "mini-ld: group-member.o: section '.group': group member $(le good.o 60 2) is out of range" \
    "${args[@]}"
}

# ---------------------------------------------------------------------------------
# Archives. Members are named `lib.a(twice.o)`; headers by their offset in hex.

bad_archive_truncated() {
  good_archive
  # Cut the last 10 bytes of twice.o's data: its header promises more than is left.
  head -c $(($(file_size lib.a) - 10)) lib.a >cut.a
  args=(main.o cut.a)
}

@test "ld: an archive whose member data is cut short is rejected" {
  bad_archive_truncated
  expect_error "mini-ld: cut.a: member at offset $(hex "$(ar_header lib.a twice.o/)") extends past end of file" \
    "${args[@]}"
}

bad_archive_header_truncated() {
  good_archive
  # Cut in the middle of twice.o's 60-byte member header.
  head -c $(($(ar_header lib.a twice.o/) + 30)) lib.a >cut-header.a
  args=(main.o cut-header.a)
}

@test "ld: an archive cut inside a member header is rejected" {
  bad_archive_header_truncated
  expect_error "mini-ld: cut-header.a: truncated member header at offset $(hex "$(ar_header lib.a twice.o/)")" \
    "${args[@]}"
}

bad_archive_fmag() {
  good_archive
  derive lib.a fmag.a
  # twice.o's ar_fmag (bytes 58-59 of its header) = "XX" instead of "`\n".
  patch_at fmag.a $(($(ar_header lib.a twice.o/) + 58)) 'XX'
  args=(main.o fmag.a)
}

@test "ld: an archive member header with a bad ar_fmag is rejected" {
  bad_archive_fmag
  expect_error "mini-ld: fmag.a: bad member header at offset $(hex "$(ar_header lib.a twice.o/)")" \
    "${args[@]}"
}

bad_archive_size() {
  good_archive
  derive lib.a size.a
  # twice.o's ar_size (bytes 48-57, decimal) = "7x4": not a number.
  patch_at size.a $(($(ar_header lib.a twice.o/) + 48)) '7x4       '
  args=(main.o size.a)
}

@test "ld: an archive member header with a bad size field is rejected" {
  bad_archive_size
  expect_error "mini-ld: size.a: bad size field in member header at offset $(hex "$(ar_header lib.a twice.o/)")" \
    "${args[@]}"
}

bad_archive_long_name() {
  good_archive
  # A name longer than 15 characters goes to the "//" table; the member's header
  # then says "/0", its offset there.
  cp twice.o a_member_with_a_long_name.o
  rm -f long.a
  ar rcs long.a a_member_with_a_long_name.o
  derive long.a long-name.a
  # The member's ar_name = "/999": the "//" table holds only 30 bytes.
  patch_at long-name.a "$(ar_header long.a /0)" '/999            '
  args=(main.o long-name.a)
}

@test "ld: an archive long name offset outside the // table is rejected" {
  bad_archive_long_name
  expect_error "mini-ld: long-name.a: bad long name offset in member header at offset $(hex "$(ar_header long.a /0)")" \
    "${args[@]}"
}

bad_archive_bsd_name() {
  good_archive
  derive lib.a bsd-name.a
  # twice.o's ar_name = "#1/99999": a BSD long name of 99999 bytes, stored at the
  # start of member data that is far shorter.
  patch_at bsd-name.a "$(ar_header lib.a twice.o/)" '#1/99999        '
  args=(main.o bsd-name.a)
}

@test "ld: an archive BSD long name longer than its member is rejected" {
  bad_archive_bsd_name
  expect_error "mini-ld: bsd-name.a: bad BSD long name in member header at offset $(hex "$(ar_header lib.a twice.o/)")" \
    "${args[@]}"
}

bad_archive_index_count() {
  good_archive
  derive lib.a index-count.a
  # The symbol index ("/" member) starts with its entry count, a big-endian u32 at
  # byte 8 + 60 = 68: 0x01000000 entries need far more bytes than the member has.
  patch_at index-count.a 68 '\x01\x00\x00\x00'
  args=(main.o index-count.a)
}

@test "ld: an archive symbol index whose count exceeds the member is rejected" {
  bad_archive_index_count
  expect_error "mini-ld: index-count.a: corrupt archive symbol index" "${args[@]}"
}

bad_archive_index_offset() {
  good_archive
  derive lib.a index-offset.a
  # The first index entry's member offset (big-endian u32 at byte 72) = 9: inside the
  # index's own header, where no member starts.
  patch_at index-offset.a 72 '\x00\x00\x00\x09'
  args=(main.o index-offset.a)
}

@test "ld: an archive index entry pointing to no member is rejected" {
  bad_archive_index_offset
  expect_error "mini-ld: index-offset.a: symbol index entry for 'twice' points to offset 0x9, which is not a member" \
    "${args[@]}"
}

@test "ld: a corrupt archive member nothing needs is not read (as with GNU ld)" {
  good_archive
  asm unused <<'EOF'
	.globl unused
unused:	ret
	.section .note.GNU-stack,"",@progbits
EOF
  rm -f lib.a
  ar rcs lib.a twice.o unused.o
  derive lib.a spare.a
  # unused.o's ar_fmag = "XX": a bad header, but only the index points at it, and
  # only for a symbol nobody refers to.
  patch_at spare.a $(($(ar_header lib.a unused.o/) + 58)) 'XX'
  run -0 "$MINI_LD" main.o spare.a -o prog
  run -42 ./prog
  # Taken whole, every member is read, and the bad one is reported: at once, or when
  # the archive, searched first, is named again with --whole-archive.
  expect_error "mini-ld: spare.a: bad member header at offset $(hex "$(ar_header lib.a unused.o/)")" \
    main.o --whole-archive spare.a
  expect_error "mini-ld: spare.a: bad member header at offset $(hex "$(ar_header lib.a unused.o/)")" \
    main.o spare.a --whole-archive spare.a
}

bad_archive_member_not_elf() {
  good_archive
  derive lib.a not-elf.a
  # twice.o's first data bytes (the ELF magic) = "JUNK"; the index still says that
  # the member defines twice, so it is pulled.
  patch_at not-elf.a $(($(ar_header lib.a twice.o/) + 60)) 'JUNK'
  args=(main.o not-elf.a)
}

@test "ld: a pulled archive member that is not ELF is rejected" {
  bad_archive_member_not_elf
  expect_error "mini-ld: not-elf.a(twice.o): not an ELF object" "${args[@]}"
}

bad_archive_member_class32() {
  good_archive
  derive lib.a class32.a
  # twice.o's e_ident[EI_CLASS] = ELFCLASS32: the member is checked like any object.
  patch_at class32.a $(($(ar_header lib.a twice.o/) + 60 + 4)) '\x01'
  args=(main.o class32.a)
}

@test "ld: a malformed pulled member is reported as archive(member)" {
  bad_archive_member_class32
  expect_error "mini-ld: class32.a(twice.o): not a 64-bit ELF object" "${args[@]}"
}

bad_thin_archive_missing_member() {
  good_archive
  # A thin archive stores only the member's path; the member file is then removed.
  mkdir -p thin
  cp twice.o thin/twice.o
  rm -f thin/thin.a
  ar rcsT thin/thin.a thin/twice.o
  rm thin/twice.o
  args=(main.o thin/thin.a)
}

@test "ld: a thin archive whose member file is missing names the archive member" {
  bad_thin_archive_missing_member
  expect_error "mini-ld: thin/thin.a(twice.o): cannot open thin/twice.o: No such file or directory" \
    "${args[@]}"
}

# ---------------------------------------------------------------------------------
# .eh_frame, which the linker splits record by record.

bad_eh_frame_length() {
  asm eh <<'EOF'
	.text
	.globl _start
_start:
	.cfi_startproc
	mov $60, %eax
	syscall
	.cfi_endproc
EOF
  derive eh.o eh-length.o
  # The first record's length = 0x10000: it would run past the end of .eh_frame.
  patch_le eh-length.o "$(section_offset eh.o .eh_frame)" 4 0x10000
  args=(eh-length.o)
}

@test "ld: an .eh_frame record longer than its section is rejected" {
  bad_eh_frame_length
  expect_error "mini-ld: eh-length.o: .eh_frame: malformed record" "${args[@]}"
}

@test "ld: malformed .eh_frame records are reported in input order, whatever the threads" {
  bad_eh_frame_length
  # The sections are split in parallel: forty objects, two of them broken.
  for i in $(seq 1 40); do
    printf '\t.text\n\t.globl f%d\nf%d:\n\t.cfi_startproc\n\tret\n\t.cfi_endproc\n' \
        "$i" "$i" | asm "f$i"
  done
  patch_le f7.o "$(section_offset f7.o .eh_frame)" 4 0x10000
  patch_le f31.o "$(section_offset f31.o .eh_frame)" 4 0x10000
  local want="mini-ld: f7.o: .eh_frame: malformed record
mini-ld: f31.o: .eh_frame: malformed record"
  for t in 1 2 4; do
    run -1 "$MINI_LD" --threads=$t eh.o $(seq -f 'f%g.o' 1 40) -o out
    [ "$output" = "$want" ]
    [ ! -e out ]
  done
  run "$MINI_LD" eh.o f1.o f2.o -o out
  [ "$status" -eq 0 ]
}

# ---------------------------------------------------------------------------------
# Output.

@test "ld: a failed link leaves an existing output file untouched" {
  bad_class32
  printf 'the previous output\n' >out
  cp out out.before
  run -1 "$MINI_LD" "${args[@]}" -o out
  [ "$output" = "mini-ld: class32.o: not a 64-bit ELF object" ]
  cmp out out.before
  # Nor is a temporary file left next to it.
  [ "$(ls -A | grep -c '^out')" -eq 2 ]
}

# ---------------------------------------------------------------------------------
# No crashes. Every case above again, each in its own directory: mini-ld must exit
# with 1 and print only its own messages — no signal (status >= 128), no sanitizer
# report, no internal error. The known bugs must not crash either.

# check_no_crash CASE: runs the case's link and prints what went wrong, if anything.
check_no_crash() {
  local case=$1 status=0
  mkdir "$BATS_TEST_TMPDIR/$case"
  cd "$BATS_TEST_TMPDIR/$case" || return 1
  args=()
  "$case" >/dev/null 2>&1 || { echo "$case: building the fixture failed"; return; }
  "$MINI_LD" "${args[@]}" -o out >stdout 2>stderr || status=$?
  if [[ $case == bad_* ]] && [ "$status" -ne 1 ]; then
    echo "$case: exit status $status, not 1"
  elif [ "$status" -ge 2 ]; then
    echo "$case: exit status $status"
  fi
  if [[ $case == bad_* ]] && [ -e out ]; then
    echo "$case: an output file was created"
  fi
  if grep -v '^mini-ld: ' stderr | grep -q . || grep -q 'internal error' stderr; then
    echo "$case: unexpected diagnostics:"
    sed 's/^/    /' stderr | head -20
  fi
}

@test "ld: no malformed input crashes mini-ld" {
  local case cases problems=''
  cases=$(declare -F | awk '$3 ~ /^(bad|bug)_/ { print $3 }')
  # Every case defined in this file is found.
  [ "$(echo "$cases" | wc -l)" -eq "$(grep -Ec '^(bad|bug)_[a-z0-9_]+\(\) \{' "$BATS_TEST_FILENAME")" ]
  for case in $cases; do
    problems+=$(check_no_crash "$case")$'\n'
  done
  if [ -n "${problems//$'\n'/}" ]; then
    echo "$problems" >&2
    return 1
  fi
}

# field_ends BASE FIELD...: for each FIELD (OFF:WIDTH) of a structure at BASE, the
# offsets of its first and last byte (one offset for a 1-byte field). Setting the low
# byte of a little-endian field to 0xff makes it a little wrong; the high byte, hugely.
field_ends() {
  local base=$1 field
  shift
  for field; do
    echo $((base + ${field%:*}))
    if [ "${field#*:}" -gt 1 ]; then
      echo $((base + ${field%:*} + ${field#*:} - 1))
    fi
  done
}

@test "ld: setting any header field's low or high byte to 0xff never crashes mini-ld" {
  good_object
  local shoff symtab nsyms rela offsets='' i off status problems=''
  shoff=$(le good.o 40 8)
  symtab=$(section_offset good.o .symtab)
  nsyms=$(($(le good.o $(($(shdr good.o .symtab) + 32)) 8) / 24))
  rela=$(section_offset good.o .rela.text)
  # Every byte of the ELF header, and both ends of every field of the section
  # headers, of the symbols and of .rela.text's relocation (offsets at the top).
  offsets+=" $(seq 0 63)"
  for ((i = 0; i < $(le good.o 60 2); i++)); do
    offsets+=" $(field_ends $((shoff + 64 * i)) 0:4 4:4 8:8 16:8 24:8 32:8 40:4 44:4 48:8 56:8)"
  done
  for ((i = 0; i < nsyms; i++)); do
    offsets+=" $(field_ends $((symtab + 24 * i)) 0:4 4:1 5:1 6:2 8:8 16:8)"
  done
  offsets+=" $(field_ends "$rela" 0:8 8:4 12:4 16:8)"
  printf '\xff' >ff
  # Only the exit status is looked at (a sanitizer report aborts, see ASAN_OPTIONS
  # above), to keep this loop of a few hundred links fast.
  for off in $offsets; do
    cp good.o fuzz.o
    dd if=ff of=fuzz.o bs=1 seek="$off" conv=notrunc status=none
    status=0
    "$MINI_LD" fuzz.o -o fuzz.out >/dev/null 2>fuzz.err || status=$?
    if [ "$status" -gt 1 ]; then
      problems+="byte $off = 0xff: exit status $status: $(head -3 fuzz.err)"$'\n'
    fi
  done
  if [ -n "$problems" ]; then
    echo "$problems" >&2
    return 1
  fi
}

@test "ld: an output past the file size limit (a section aligned to 2^28) is one error, and no file" {
  # The fuzz harness's regression tests/fuzz/regressions/fuzz_link/timeout-align-2p28:
  # a few bytes that ask for a 256 MiB output, which GNU ld writes too. Under a
  # file size limit (the harness sets 64 MiB), sizing the output fails cleanly.
  asm a <<'ASM'
	.text
	.globl _start
_start:
	mov $60, %eax
	xor %edi, %edi
	syscall
	.section .rodata.big,"a"
	.p2align 28
	.quad 42
ASM
  run -1 bash -c "trap '' XFSZ; ulimit -f 65536; exec '$MINI_LD' --build-id a.o -o out"
  [ "$output" = "mini-ld: out: cannot set size: File too large" ]
  [ "$(ls)" = "a.o" ]
}
