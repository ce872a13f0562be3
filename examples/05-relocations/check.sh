#!/bin/sh
# check.sh - shows relocs.o's relocations, the bytes they patch before and
# after the link, and redoes the linker's arithmetic by hand from `nm`; then
# asks mini-ld to show its own (--explain-reloc).
# Run by `make run` in build/, after relocs.o, lib.o and main exist there;
# MINI_LD names mini-ld (the Makefile sets it).
set -eu
MINI_LD=${MINI_LD:-../../../bin/mini-ld}

# sym FILE NAME: NAME's value in FILE, as 0x...
sym() { nm "$1" | awk -v s="$2" '$3 == s { print "0x" $1 }'; }

# section FILE NAME: "ADDR OFF" of section NAME in FILE, as 0x... 0x...
section() {
	readelf -SW "$1" | sed 's/^ *\[ *[0-9]*\] //' |
		awk -v s="$2" '$1 == s { print "0x" $3, "0x" $4 }'
}

# bytes FILE OFF N: N bytes of FILE at OFF, as "xx xx ..."
bytes() { od -An -tx1 -j "$(($2))" -N "$3" "$1" | sed 's/^ *//'; }

# call_bytes FILE: the bytes and text of the call instruction in compute
call_bytes() {
	objdump -d --disassemble=compute "$1" |
		awk -F'\t' '$3 ~ /^call/ { sub(/ +$/, "", $2); sub(/ +/, " ", $3); print $2 "   (" $3 ")" }'
}

echo '$ readelf -rW relocs.o   # section, offset in the section, type, symbol + addend'
readelf -rW relocs.o | awk '
	/^Relocation section/ { sec = $3; gsub(/\047/, "", sec) }
	/^[0-9a-f]+ / { off = $1; sub(/^0+/, "", off); if (off == "") off = "0"
	                print sec, "0x" off, $3, $5, $6, $7 }'

# --- R_X86_64_PLT32 twice - 4, in compute's call ---
r_off=0x$(readelf -rW relocs.o | awk '$3 == "R_X86_64_PLT32" && $5 == "twice" { print $1 }')
echo
echo '$ objdump -d relocs.o   # the call before the link: a zero displacement'
call_bytes relocs.o
echo '$ objdump -d main       # the call after the link'
call_bytes main

S=$(sym main twice)
P=$(($(sym main compute) + r_off - $(sym relocs.o compute)))
A=-4
value=$((S + A - P))
# The stored displacement: the 4 bytes after the e8 opcode, little-endian, signed.
set -- $(call_bytes main)
stored=$((0x$5$4$3$2))
[ "$stored" -lt $((0x80000000)) ] || stored=$((stored - 0x100000000))
echo "by hand, from nm main and readelf -r relocs.o:"
printf '  S = twice                         = 0x%x\n' "$S"
printf '  P = compute + 0x%x (r_offset)      = 0x%x\n' "$((r_off))" "$P"
printf '  A = %d\n' "$A"
printf '  S + A - P = %d = 0x%08x; stored: 0x%08x; equal: %s\n' "$value" \
	"$((value & 0xffffffff))" "$((stored & 0xffffffff))" \
	"$([ "$value" -eq "$stored" ] && echo yes || echo NO)"

# --- R_X86_64_64 answer + 0, in answer_ptr's 8 bytes of .data ---
echo
set -- $(section relocs.o .data)
echo '$ od relocs.o   # answer_ptr in .data before the link'
bytes relocs.o "$(($2 + $(sym relocs.o answer_ptr)))" 8
set -- $(section main .data)
off=$(($2 + $(sym main answer_ptr) - $1))
echo '$ od main       # answer_ptr in .data after the link'
bytes main "$off" 8
S=$(sym main answer)
stored=0x$(od -An -tx8 -j "$off" -N 8 main | tr -d ' ')
printf '  S + A = answer + 0 = 0x%x; stored: 0x%x; equal: %s\n' "$S" "$stored" \
	"$([ "$((S))" -eq "$((stored))" ] && echo yes || echo NO)"

# --- the same two, worked out by the linker itself ---
echo
echo "\$ mini-ld --explain-reloc=twice --explain-reloc='relocs.o:(.data+0x0)' relocs.o lib.o -o /dev/null"
"$MINI_LD" --explain-reloc=twice --explain-reloc='relocs.o:(.data+0x0)' relocs.o lib.o \
	-o /dev/null | sed '$d'
