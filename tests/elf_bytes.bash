# elf_bytes.bash — reading and patching the bytes of objects and archives, for the
# suites that make broken inputs from good ones (ld_bad_input.bats, limits.bats).
# Load it after helpers: `load elf_bytes`.

# The ELF offsets (gABI ch. 4):
#
#   ELF header   e_ident[EI_CLASS] 4, [EI_DATA] 5, [EI_VERSION] 6, e_type 16,
#                e_machine 18, e_shoff 40, e_shentsize 58, e_shnum 60, e_shstrndx 62
#   Elf64_Shdr   (64 bytes, header i at e_shoff + 64*i) sh_name 0, sh_type 4,
#                sh_offset 24, sh_size 32, sh_link 40, sh_info 44, sh_addralign 48,
#                sh_entsize 56
#   Elf64_Sym    (24 bytes) st_name 0, st_info 4, st_shndx 6
#   Elf64_Rela   (24 bytes) r_offset 0, r_info 8 (type: low 32 bits, symbol: high 32)
#
#   ar member header (60 bytes): name 0..15, size 48..57, fmag "`\n" 58..59

# patch_at FILE OFF BYTES: overwrite FILE at OFF with BYTES, a printf format ('\x01').
patch_at() {
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# patch_le FILE OFF WIDTH VALUE: overwrite WIDTH bytes at OFF with VALUE, little-endian.
patch_le() {
  local bytes='' i
  for ((i = 0; i < $3; i++)); do
    bytes+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 0xff)))
  done
  patch_at "$1" "$2" "$bytes"
}

# le FILE OFF WIDTH: the unsigned little-endian integer at OFF (od reads in host
# order, and the host is x86-64).
le() {
  od -An -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

file_size() {
  stat -c %s "$1"
}

# section_index FILE NAME: the index of section NAME, from readelf.
section_index() {
  readelf -SW "$1" | sed -n 's/^ *\[ *\([0-9]*\)\] \([^ ]*\) .*/\1 \2/p' |
    awk -v name="$2" '$2 == name { print $1 }'
}

# shdr FILE NAME: the file offset of section NAME's header.
shdr() {
  echo $(($(le "$1" 40 8) + 64 * $(section_index "$1" "$2")))
}

# section_offset FILE NAME: the file offset of section NAME's data (its sh_offset).
section_offset() {
  le "$1" $(($(shdr "$1" "$2") + 24)) 8
}

# symbol_entry FILE NAME: the file offset of symbol NAME's Elf64_Sym.
symbol_entry() {
  local i
  i=$(readelf -sW "$1" | awk -v name="$2" '$8 == name { sub(":", "", $1); print $1 }')
  echo $(($(section_offset "$1" .symtab) + 24 * i))
}

# ar_header ARCHIVE NAME: the offset of the member header whose name field, without
# its trailing spaces, is NAME (GNU spellings: "/" index, "//" long names, "/N" a
# long name at offset N, "foo.o/" a short name).
ar_header() {
  local off=8 size name msize
  size=$(file_size "$1")
  while ((off + 60 <= size)); do
    name=$(dd if="$1" bs=1 skip="$off" count=16 status=none | sed 's/ *$//')
    msize=$(dd if="$1" bs=1 skip=$((off + 48)) count=10 status=none | tr -d ' ')
    if [ "$name" = "$2" ]; then
      echo "$off"
      return 0
    fi
    off=$((off + 60 + msize + msize % 2))
  done
  echo "ar_header: no member '$2' in $1" >&2
  return 1
}
