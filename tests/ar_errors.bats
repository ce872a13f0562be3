#!/usr/bin/env bats
# Bad archives, missing members and bad command lines: one line on stderr in the
# form "mini-ar: FILE: what", exit status 1 (input) or 2 (usage), no crash, and an
# archive that was there before is left exactly as it was.

bats_require_minimum_version 1.5.0
load helpers

# ar_error STATUS MSG ARGS...: mini-ar ARGS must exit with STATUS and print exactly
# MSG, and leave no temporary file behind.
ar_error() {
  local want_status=$1 msg=$2
  shift 2
  run "-$want_status" "$MINI_AR" "$@"
  if [ "$output" != "$msg" ]; then
    echo "expected: $msg" >&2
    echo "got:      $output" >&2
    return 1
  fi
  if compgen -G '*.tmp.*' >/dev/null; then
    echo "a temporary file was left behind: $(echo *.tmp.*)" >&2
    return 1
  fi
}

# patch FILE OFFSET TEXT: overwrite bytes of FILE at OFFSET with TEXT (printf format).
patch() {
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# good.a: one object (one.o) and no index, so its first header is at offset 8.
fixtures() {
  obj one <<'C'
int one(void) { return 1; }
C
  ar rcS good.a one.o
}

@test "ar: a file that is not an archive is rejected" {
  fixtures
  ar_error 1 "mini-ar: one.o: not an archive" t one.o
  : >empty.a
  ar_error 1 "mini-ar: empty.a: not an archive" t empty.a
  cp one.o keep.o
  ar_error 1 "mini-ar: one.o: not an archive" r one.o keep.o
  cmp one.o keep.o
}

@test "ar: a missing archive is reported for t, x, p and s" {
  ar_error 1 "mini-ar: nothere.a: cannot open: No such file or directory" t nothere.a
  ar_error 1 "mini-ar: nothere.a: cannot open: No such file or directory" x nothere.a
  ar_error 1 "mini-ar: nothere.a: cannot open: No such file or directory" s nothere.a
  [ ! -e nothere.a ]
}

@test "ar: a truncated member header is reported" {
  fixtures
  head -c 40 good.a >bad.a
  cp bad.a before.a
  ar_error 1 "mini-ar: bad.a: truncated member header at offset 0x8" t bad.a
  ar_error 1 "mini-ar: bad.a: truncated member header at offset 0x8" rcs bad.a one.o
  cmp bad.a before.a
}

@test "ar: a header without its closing \`\\n is reported" {
  fixtures
  cp good.a bad.a
  patch bad.a $((8 + 58)) 'X'  # ar_fmag of the first header
  ar_error 1 "mini-ar: bad.a: bad member header at offset 0x8" t bad.a
}

@test "ar: a size field that is not a number is reported" {
  fixtures
  cp good.a bad.a
  patch bad.a $((8 + 48)) 'x'  # ar_size of the first header
  ar_error 1 "mini-ar: bad.a: bad size field in member header at offset 0x8" t bad.a
}

@test "ar: a member that extends past the end of the file is reported" {
  fixtures
  cp good.a bad.a
  patch bad.a $((8 + 48)) '999999    '  # ar_size of the first header
  ar_error 1 "mini-ar: bad.a: member at offset 0x8 extends past end of file" t bad.a
  head -c 100 good.a >cut.a  # the same, by cutting the member short
  ar_error 1 "mini-ar: cut.a: member at offset 0x8 extends past end of file" x cut.a
}

@test "ar: a long name offset outside the // table is reported" {
  fixtures
  cp one.o a_very_long_member_name.o
  ar rcS bad.a a_very_long_member_name.o
  local table=$(head -c $((8 + 58)) bad.a | tail -c 10)  # the // member's ar_size
  local hdr=$((8 + 60 + table))
  patch bad.a "$hdr" '/999'  # ar_name of the member: "/0" -> "/999"
  ar_error 1 "mini-ar: bad.a: bad long name offset in member header at offset 0x$(printf %x $hdr)" \
    t bad.a
}

@test "ar: a corrupt symbol index is reported" {
  fixtures
  ar rcs bad.a one.o
  patch bad.a $((8 + 60)) '\177\377\377\377'  # the index's symbol count
  ar_error 1 "mini-ar: bad.a: corrupt archive symbol index" t bad.a
  cp bad.a before.a
  ar_error 1 "mini-ar: bad.a: corrupt archive symbol index" s bad.a
  cmp bad.a before.a
}

@test "ar: a member that is not there is reported, and the archive is unchanged" {
  fixtures
  cp good.a before.a
  ar_error 1 "mini-ar: good.a: no member named 'two.o'" t good.a two.o
  ar_error 1 "mini-ar: good.a: no member named 'two.o'" p good.a two.o
  ar_error 1 "mini-ar: good.a: no member named 'two.o'" x good.a two.o
  ar_error 1 "mini-ar: good.a: no member named 'two.o'" d good.a one.o two.o
  ar_error 1 "mini-ar: good.a: no member named 'two.o'" m good.a two.o
  ar_error 1 "mini-ar: good.a: no instance 2 of member 'one.o'" dN 2 good.a one.o
  cmp good.a before.a
}

@test "ar: a file that cannot be read leaves the archive unchanged" {
  fixtures
  cp good.a before.a
  ar_error 1 "mini-ar: missing.o: cannot open: No such file or directory" rcs good.a missing.o
  mkdir dir.o
  ar_error 1 "mini-ar: dir.o: cannot open: Is a directory" q good.a dir.o
  cmp good.a before.a
  ar_error 1 "mini-ar: missing.o: cannot open: No such file or directory" rcs new.a missing.o
  [ ! -e new.a ]
}

@test "ar: a corrupt object fails the index, and the archive is unchanged" {
  fixtures
  cp one.o bad.o
  # sh_entsize of .symtab, in the section header table at e_shoff.
  local shoff=$(readelf -hW one.o | awk '/Start of section headers/ { print $5 }')
  local idx=$(readelf -SW one.o | sed -n 's/^ *\[ *\([0-9]*\)\] \.symtab .*/\1/p')
  patch bad.o $((shoff + 64 * idx + 56)) '\020'
  cp good.a before.a
  # The message is read_elf_object()'s (common/elf_object.c), whose wording is not
  # ours to fix here: match its start and end.
  run -1 "$MINI_AR" rcs good.a bad.o
  [[ "$output" == "mini-ar: bad.o: symbol table entry size is "*"24" ]]
  [ "${#lines[@]}" -eq 1 ]
  ! compgen -G '*.tmp.*'
  cmp good.a before.a
  # A truncated ELF file is no object (GNU ar does not index it either): stored.
  head -c 100 one.o >short.o
  run "$MINI_AR" rcs good.a short.o
  [ "$status" -eq 0 ]
  [ "$output" = "mini-ar: warning: short.o: not indexed: truncated or corrupt ELF header" ]
}

@test "ar: a failed write leaves the old archive and no temporary file" {
  fixtures
  cp good.a before.a
  head -c 5000 /dev/zero >big.bin
  # With SIGXFSZ ignored, writing past the file size limit fails with EFBIG.
  run -1 bash -c "trap '' XFSZ; ulimit -f 2; exec '$MINI_AR' r good.a big.bin"
  [ "$output" = "mini-ar: good.a: cannot write: File too large" ]
  cmp good.a before.a
  ! compgen -G '*.tmp.*'
}

@test "ar: an archive that cannot be created is reported" {
  fixtures
  ar_error 1 "mini-ar: nodir/new.a: cannot create: No such file or directory" \
    rc nodir/new.a one.o
  [ ! -e nodir ]
}

@test "ar: x refuses a thin archive, r refuses to change its kind" {
  fixtures
  ar rcT thin.a one.o
  ar_error 1 "mini-ar: thin.a: cannot extract from a thin archive" x thin.a
  ar_error 1 "mini-ar: thin.a: cannot convert a thin archive to a normal one (add 'T')" \
    r thin.a one.o
  ar_error 1 "mini-ar: good.a: cannot convert a normal archive to a thin one" rT good.a one.o
}

@test "ar: bad command lines exit with status 2" {
  fixtures
  ar_error 2 "mini-ar: no operation specified (try 'mini-ar --help')"
  ar_error 2 "mini-ar: unknown operation or modifier 'z'" z good.a
  ar_error 2 "mini-ar: unknown operation or modifier 'z'" -tz good.a
  ar_error 2 "mini-ar: unknown option '--frobnicate'" --frobnicate t good.a
  ar_error 2 "mini-ar: two different operations specified" rx good.a
  ar_error 2 "mini-ar: no operation specified (try 'mini-ar --help')" -cv
  # As in GNU ar, a dashless word after modifiers alone is read as letters too.
  ar_error 2 "mini-ar: unknown operation or modifier 'g'" cv good.a
  ar_error 2 "mini-ar: no archive named (try 'mini-ar --help')" t
  ar_error 2 "mini-ar: missing position member name (for 'a', 'b' or 'i')" ra
  ar_error 2 "mini-ar: modifier 'N' needs a count" xN
  ar_error 2 "mini-ar: modifier 'N' needs a positive count, not '0'" xN 0 good.a one.o
  ar_error 2 "mini-ar: modifier 'N' is only meaningful with 'x', 'd' and 'p'" rN 1 good.a
  ar_error 2 "mini-ar: modifier 'u' is only meaningful with 'r'" qu good.a one.o
  ar_error 2 "mini-ar: modifier 'u' is not meaningful with 'D'" ruD good.a one.o
}
