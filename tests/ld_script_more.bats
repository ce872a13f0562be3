#!/usr/bin/env bats
# More of GNU ld's linker script language: the location counter inside an output
# section, nested sorts, REGION_ALIAS, INSERT, OVERLAY, NOCROSSREFS. Each link is
# compared with GNU ld's (ld.bfd): the program's output, and the readelf and nm
# facts the feature is about.

load helpers

# "VALUE TYPE NAME" for each symbol NAME... of FILE, as nm prints them.
nm_facts() {
  local file=$1
  shift
  nm "$file" | awk -v want=" $* " 'index(want, " " $3 " ") { print $1, $2, $3 }' | sort -k3
}

# "NAME ADDRESS OFFSET SIZE" for each section NAME... of FILE, as readelf prints them.
section_facts() {
  local file=$1
  shift
  readelf -SW "$file" | sed 's/^ *\[ *[0-9]*\] *//' |
    awk -v want=" $* " 'index(want, " " $1 " ") { print $1, $3, $4, $5 }'
}

# The same facts for OUT (mini-ld's) as for OUT.bfd (GNU ld's).
same_sections() {
  local out=$1
  shift
  diff -u <(section_facts "$out.bfd" "$@") <(section_facts "$out" "$@")
}

same_symbols() {
  local out=$1
  shift
  diff -u <(nm_facts "$out.bfd" "$@") <(nm_facts "$out" "$@")
}

@test "ld: '.' inside an output section is an offset from the section's start, as in GNU ld" {
  runtime
  obj main <<'C'
void print_hex(unsigned long);
extern char s0[], s1[], s2[], s3[], s4[], s5[], s6[], s7[], after[];
long x = 1;
int main(void) {
  print_hex(s2 - s0);     // . = 0x100: 0x100 bytes from .data's start
  print_hex(s3 - s0);     // . = ALIGN(16): the address aligned
  print_hex(s4 - s0);     // . += 0x20
  print_hex(s6 - s0);     // sym = 0x140: an offset too
  print_hex(after - s0);  // the next section starts after all that
  return 0;
}
C
  cat >dot.ld <<'LD'
ENTRY(_start)
SECTIONS
{
  . = 0x400000 + SIZEOF_HEADERS;
  .text : { *(.text) }
  . = ALIGN(0x1000) + 0x8;
  .data : {
    s0 = .;
    *(.data)
    s1 = .;
    . = 0x100;
    s2 = .;
    . = ALIGN(16);
    s3 = .;
    . += 0x20;
    s4 = .;
    s5 = ABSOLUTE(.);
    s6 = 0x140;
    s7 = . - ADDR(.data);
    . = s6 + 8;
  }
  .after : { after = .; *(.rodata*) }
  /DISCARD/ : { *(.comment) *(.note.GNU-stack) }
}
LD
  link_both prog rt.o main.o -T dot.ld
  run_both prog
  [ "${lines[0]}" = 0000000000000100 ]
  [ "${lines[1]}" = 0000000000000108 ]
  [ "${lines[2]}" = 0000000000000128 ]
  [ "${lines[3]}" = 0000000000000140 ]
  [ "${lines[4]}" = 0000000000000148 ]
  same_sections prog .text .data .after
  # The same values, and the same kinds: s5 = ABSOLUTE(.) is absolute, s7 (a
  # number: two addresses in .data subtracted) is an offset in .data.
  same_symbols prog s0 s1 s2 s3 s4 s5 s6 s7 after
  [ "$(nm_facts prog s5 | cut -d' ' -f2)" = A ]
}
