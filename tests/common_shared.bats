#!/usr/bin/env bats
# common/elf_shared.c and elf_versions.c: reading shared objects as link inputs. A
# small program, sodump, prints what read_elf_shared finds (DT_SONAME, DT_NEEDED,
# each dynamic symbol with its version) in readelf's words, so that real libraries
# can be compared with `readelf -d` and `readelf --dyn-syms -W` line by line. Bad
# libraries are good ones with one named field patched; each must give one exact
# line and exit 1, also from sodump-san, built with the Makefile's ASan and UBSan
# flags.

bats_require_minimum_version 1.5.0
load helpers

LIBDIR=/lib/x86_64-linux-gnu

setup_file() {
  cd "$BATS_FILE_TMPDIR" || return 1
  # sodump FILE: the facts, one a line (see the comment in the program). Exit 1 if
  # the file is bad (the message is on stderr).
  with_common sodump <<'C'
#include "common.h"
#include <errno.h>
#include <string.h>

static Arena arena;  // static, so the leak checker sees the arena as reachable

static const char *type_name(unsigned t) {
  static const char *names[] = {"NOTYPE", "OBJECT", "FUNC", "SECTION", "FILE", "COMMON",
                                "TLS"};
  if (t < sizeof names / sizeof *names)
    return names[t];
  return t == STT_GNU_IFUNC ? "IFUNC" : "?";
}

static const char *bind_name(unsigned b) {
  static const char *names[] = {"LOCAL", "GLOBAL", "WEAK"};
  if (b < sizeof names / sizeof *names)
    return names[b];
  return b == STB_GNU_UNIQUE ? "UNIQUE" : "?";
}

// Prints
//   soname: NAME          (or "soname: none")
//   needed: NAME          (one line per DT_NEEDED, in order)
//   N: TYPE BIND NDX NAME (each .dynsym entry, as readelf --dyn-syms -W shows it:
//                          NAME@@V for a default version, NAME@V for a hidden one,
//                          NAME@V (I) for the version I an undefined symbol needs)
static int dump(const char *path) {
  View v;
  if (!map_file(path, path, &v)) {
    error("%s: cannot open: %s", path, strerror(errno));
    return 1;
  }
  if (!is_elf_shared(v)) {
    error("%s: is_elf_shared is false", path);
    return 1;
  }
  ElfShared so;
  if (!read_elf_shared(v, &arena, &so))
    return 1;
  printf("soname: %s\n", so.soname ? so.soname : "none");
  for (size_t i = 0; i < so.nneeded; i++)
    printf("needed: %s\n", so.needed[i]);
  for (uint64_t i = 0; i < so.nsyms; i++) {
    const Elf64_Sym *sym = &so.syms[i];
    char ndx[16];
    if (sym->st_shndx == SHN_UNDEF)
      strcpy(ndx, "UND");
    else if (sym->st_shndx == SHN_ABS)
      strcpy(ndx, "ABS");
    else
      snprintf(ndx, sizeof ndx, "%u", sym->st_shndx);
    printf("%llu: %s %s %s %s", (unsigned long long)i, type_name(ELF64_ST_TYPE(sym->st_info)),
           bind_name(ELF64_ST_BIND(sym->st_info)), ndx, so.symnames[i]);
    const char *ver = elf_shared_version(&so, i);
    bool hidden = so.versym && (so.versym[i] & VERSYM_HIDDEN);
    if (ver && sym->st_shndx == SHN_UNDEF)
      printf("@%s (%u)", ver, so.versym[i] & VERSYM_VERSION);
    // readelf leaves out the version of the symbol that names the version itself
    // (GNU ld makes one, absolute, for each version a library defines).
    else if (ver && strcmp(ver, so.symnames[i]))
      printf("%s%s", hidden ? "@" : "@@", ver);
    printf("\n");
  }
  return 0;
}

int main(int argc, char **argv) {
  diag_set_tool("mini-ld");
  int status = 0;
  for (int i = 1; i < argc; i++)
    if (dump(argv[i]))
      status = 1;
  return status;
}
C
  # The same program under AddressSanitizer and UndefinedBehaviorSanitizer, with
  # the flags `make check` uses.
  local san_flags
  san_flags=$(sed -n 's/^SAN_FLAGS = //p' "$REPO/Makefile")
  # shellcheck disable=SC2086  # SAN_FLAGS is a list of words
  cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $san_flags -I"$REPO/common" sodump.c \
    "$REPO"/common/*.c -o sodump-san

  # libv.so: versions. foo@@VER_1, bar@@VER_2 and the old bar@VER_1 (.symver; bar
  # is listed in VER_1 too, or `local: *` would hide the old one), puts@GLIBC_2.2.5
  # needed from libc, and a DT_SONAME.
  cat >v.c <<'C'
#include <stdio.h>
int foo(void) { puts("foo"); return 1; }
int bar_1(void) { return 1; }
int bar_2(void) { return 2; }
__asm__(".symver bar_1, bar@VER_1");
__asm__(".symver bar_2, bar@@VER_2");
C
  cat >v.map <<'MAP'
VER_1 { global: foo; bar; local: *; };
VER_2 { global: bar; } VER_1;
MAP
  cc -shared -fPIC -Wl,--version-script=v.map -Wl,-soname,libv.so.1 v.c -o libv.so
  # libn.so: no versions at all and no DT_SONAME.
  printf 'int baz(void) { return 3; }\nint qux;\n' >n.c
  cc -shared -fPIC -nostdlib n.c -o libn.so
}

setup() {
  cd "$BATS_TEST_TMPDIR" || return 1
  cp "$BATS_FILE_TMPDIR"/{sodump,sodump-san,libv.so,libn.so} .
  # A sanitizer report must not look like our exit 1.
  export ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=exitcode=86:print_stacktrace=1
}

# The facts readelf gives for FILE, in sodump's format.
readelf_facts() {
  readelf -dW "$1" | awk '/\(SONAME\)/ { s = $NF }
    END { gsub(/[][]/, "", s); print "soname: " (s == "" ? "none" : s) }'
  readelf -dW "$1" | awk '/\(NEEDED\)/ { n = $NF; gsub(/[][]/, "", n); print "needed: " n }'
  # "  7: 0000000000001139    11 FUNC    GLOBAL DEFAULT   13 foo@@VER_1"
  readelf --dyn-syms -W "$1" | awk '$1 ~ /^[0-9]+:$/ {
    name = ""
    for (i = 8; i <= NF; i++) name = name (i > 8 ? " " : "") $i
    print $1 " " $4 " " $5 " " $7 " " name }'
}

# sodump and sodump-san on FILE must both say what readelf says.
same_as_readelf() {
  readelf_facts "$1" >want
  ./sodump "$1" >got
  diff -u want got >&2
  ./sodump-san "$1" >got-san
  diff -u want got-san >&2
}

# expect_bad MSG FILE: both builds exit 1 with exactly MSG on stderr, nothing on stdout.
expect_bad() {
  local prog
  for prog in ./sodump ./sodump-san; do
    run -1 --separate-stderr "$prog" "$2"
    if [ "$stderr" != "$1" ] || [ -n "$output" ]; then
      echo "$prog: expected: $1" >&2
      echo "$prog: got:      $stderr" >&2
      return 1
    fi
  done
}

# elf FILE QUERY: a number (decimal) from FILE's headers, to patch at:
#   ehdr FIELD              offset of a field of the ELF header (e_type, e_shoff, ...)
#   shdr SECTION FIELD      offset of a field of SECTION's header (sh_link, sh_size, ...)
#   index SECTION           SECTION's index
#   off SECTION             SECTION's sh_offset
#   size SECTION            SECTION's sh_size
#   sym NAME                offset of the .dynsym entry of the first symbol NAME
#   symindex NAME           its index
#   versym NAME             offset of its .gnu.version entry
#   dyn TAG                 offset of the d_val of the first .dynamic entry TAG (a number)
elf() {
  python3 - "$@" <<'PY'
import struct, sys
path, what, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = open(path, 'rb').read()
EHDR = dict(e_type=16, e_machine=18, e_shoff=40, e_shentsize=58, e_shnum=60, e_shstrndx=62)
SHDR = dict(sh_name=0, sh_type=4, sh_flags=8, sh_addr=16, sh_offset=24, sh_size=32,
            sh_link=40, sh_info=44, sh_addralign=48, sh_entsize=56)
shoff, = struct.unpack_from('<Q', d, 40)
shnum, shstrndx = struct.unpack_from('<HH', d, 60)
shdrs = [struct.unpack_from('<IIQQQQIIQQ', d, shoff + 64 * i) for i in range(shnum)]
def name(off):
    start = shdrs[shstrndx][4] + off
    return d[start:d.index(b'\0', start)].decode()
index = {name(s[0]): i for i, s in enumerate(shdrs)}
def sec(n): return shdrs[index[n]]
def symindex(n):
    strtab = shdrs[sec('.dynsym')[6]][4]
    for i in range(sec('.dynsym')[5] // 24):
        st_name, = struct.unpack_from('<I', d, sec('.dynsym')[4] + 24 * i)
        if d[strtab + st_name:d.index(b'\0', strtab + st_name)].decode() == n:
            return i
    sys.exit('no symbol ' + n)
if what == 'ehdr': print(EHDR[args[0]])
elif what == 'shdr': print(shoff + 64 * index[args[0]] + SHDR[args[1]])
elif what == 'index': print(index[args[0]])
elif what == 'off': print(sec(args[0])[4])
elif what == 'size': print(sec(args[0])[5])
elif what == 'sym': print(sec('.dynsym')[4] + 24 * symindex(args[0]))
elif what == 'symindex': print(symindex(args[0]))
elif what == 'versym': print(sec('.gnu.version')[4] + 2 * symindex(args[0]))
elif what == 'dyn':
    s = sec('.dynamic')
    for off in range(s[4], s[4] + s[5], 16):
        if struct.unpack_from('<q', d, off)[0] == int(args[0]):
            print(off + 8)
            break
    else: sys.exit('no tag ' + args[0])
PY
}

# peek FILE OFFSET BYTES: the BYTES-byte little-endian number there, in decimal.
peek() {
  od -An -t "u$3" -j "$2" -N "$3" "$1" | tr -d ' '
}

# poke FILE OFFSET BYTES VALUE: write VALUE there as a BYTES-byte little-endian number.
poke() {
  local esc='' i
  for ((i = 0; i < $3; i++)); do
    esc+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 255)))
  done
  # shellcheck disable=SC2059  # the format is the escaped bytes
  printf "$esc" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

hex() { printf '0x%x' "$1"; }

# --- real libraries: the same facts as readelf ---

@test "common: libc.so.6's dynamic symbols and versions are what readelf shows" {
  same_as_readelf "$LIBDIR/libc.so.6"
  # GLIBC_PRIVATE is an ordinary default version; compatibility symbols are hidden;
  # the symbols libc needs from ld.so carry versions from .gnu.version_r.
  grep -q '@@GLIBC_PRIVATE$' got
  grep -q '[^@]@GLIBC_2\.2\.5$' got
  grep -q ' UND _dl_argv@GLIBC_PRIVATE ([0-9]*)$' got
  grep -qx 'soname: libc.so.6' got
  grep -qx 'needed: ld-linux-x86-64.so.2' got
}

@test "common: libm.so.6's dynamic symbols and versions are what readelf shows" {
  same_as_readelf "$LIBDIR/libm.so.6"
}

@test "common: libz.so.1's dynamic symbols and versions are what readelf shows" {
  [ -e "$LIBDIR/libz.so.1" ] || skip "no libz.so.1 (apt-get install zlib1g-dev)"
  same_as_readelf "$LIBDIR/libz.so.1"
}

@test "common: libstdc++.so.6's dynamic symbols, with UNIQUE ones, are what readelf shows" {
  [ -e "$LIBDIR/libstdc++.so.6" ] || skip "no libstdc++.so.6"
  same_as_readelf "$LIBDIR/libstdc++.so.6"
  grep -q ' OBJECT UNIQUE ' got
}

@test "common: a library's default, hidden and needed versions and its DT_SONAME" {
  same_as_readelf libv.so
  run ./sodump libv.so
  [ "$status" -eq 0 ]
  # Symbol order and section numbers are the linker's choice; the rest is not.
  sed -E 's/^[0-9]+: //; s/ [0-9]+ / N /' got | grep -v ' UND _ITM\| UND __gmon\| UND __cxa' |
    sort >facts
  sort >want-facts <<'EOF'
soname: libv.so.1
needed: libc.so.6
NOTYPE LOCAL UND 
FUNC GLOBAL UND puts@GLIBC_2.2.5 (4)
FUNC GLOBAL N foo@@VER_1
FUNC GLOBAL N bar@VER_1
OBJECT GLOBAL ABS VER_1
FUNC GLOBAL N bar@@VER_2
OBJECT GLOBAL ABS VER_2
EOF
  diff -u want-facts facts
}

@test "common: a library with no versions and no DT_SONAME has neither" {
  # The fixture really has no .gnu.version.
  ! readelf -SW libn.so | grep -q VERSYM
  same_as_readelf libn.so
  run ./sodump libn.so
  [ "${lines[0]}" = "soname: none" ]
  [[ "$output" == *": FUNC GLOBAL "*" baz"* ]]
  [[ "$output" != *"@"* ]]
}

@test "common: a library using extended section numbering reads the same" {
  ./sodump libv.so >want
  # e_shnum = 0 with the count in section 0's sh_size, and e_shstrndx = SHN_XINDEX
  # with the index in section 0's sh_link: the gABI's escapes for many sections.
  local shoff shnum shstrndx
  shoff=$(peek libv.so 40 8)
  shnum=$(peek libv.so 60 2)
  shstrndx=$(peek libv.so 62 2)
  poke libv.so $((shoff + 32)) 8 "$shnum"
  poke libv.so $((shoff + 40)) 4 "$shstrndx"
  poke libv.so 60 2 0
  poke libv.so 62 2 0xffff
  ./sodump libv.so >got
  diff -u want got
  ./sodump-san libv.so >got-san
  diff -u want got-san
}

@test "common: is_elf_shared is false for a relocatable object and an executable" {
  echo 'int main(void) { return 0; }' >m.c
  cc -c m.c -o m.o
  cc -no-pie m.o -o m
  expect_bad "mini-ld: m.o: is_elf_shared is false" m.o
  expect_bad "mini-ld: m: is_elf_shared is false" m
  # Too short to hold e_type.
  head -c 17 libv.so >tiny.so
  expect_bad "mini-ld: tiny.so: is_elf_shared is false" tiny.so
}

@test "common: a PIE that copies a libc variable is refused, as GNU ld and lld refuse it" {
  # The executable defines 'stdout' (a copy relocation) with the version it needs
  # from libc, an index that .gnu.version_d does not define. GNU ld says "invalid
  # version 2 (max 0)", lld "version definition index 2 ... is out of bounds".
  printf '#include <stdio.h>\nint main(void) { fputs("hi\\n", stdout); return 0; }\n' >p.c
  cc -fPIE -pie p.c -o p
  local ndx
  ndx=$(($(peek p "$(elf p versym stdout)" 2) & 0x7fff))
  expect_bad "mini-ld: p: symbol 'stdout' has version index $ndx, but no version definition has that index" p
}

# --- bad libraries: one field patched, one exact line ---

@test "common: a shared object cut short loses its section header table" {
  local size shoff shnum
  size=$(stat -c %s libv.so)
  shoff=$(peek libv.so "$(elf libv.so ehdr e_shoff)" 8)
  shnum=$(peek libv.so "$(elf libv.so ehdr e_shnum)" 2)
  head -c $((size / 2)) libv.so >bad.so
  expect_bad "mini-ld: bad.so: section header table ($shnum entries at $(hex "$shoff")) extends past end of file (size $(hex $((size / 2))))" bad.so
  head -c 40 libv.so >short.so
  expect_bad "mini-ld: short.so: file is too small to be an ELF shared object" short.so
}

@test "common: e_shoff past the end of the file" {
  local size shnum
  size=$(stat -c %s libv.so)
  shnum=$(peek libv.so "$(elf libv.so ehdr e_shnum)" 2)
  poke libv.so "$(elf libv.so ehdr e_shoff)" 8 "$size"
  expect_bad "mini-ld: libv.so: section header table ($shnum entries at $(hex "$size")) extends past end of file (size $(hex "$size"))" libv.so
}

@test "common: a shared object without section headers gives nothing to link against" {
  # sstrip and some packers remove the table; the program still runs, but GNU ld
  # and lld cannot link against it either.
  poke libv.so "$(elf libv.so ehdr e_shoff)" 8 0
  expect_bad "mini-ld: libv.so: no section header table (a linker reads a shared object through it)" libv.so
}

@test "common: a 2^32-entry section header table in a small file fails without allocating" {
  # e_shnum = 0 sends the reader to section 0's sh_size for the count.
  local size shoff
  size=$(stat -c %s libv.so)
  shoff=$(peek libv.so 40 8)
  poke libv.so 60 2 0
  poke libv.so $((shoff + 32)) 8 $((1 << 32))
  expect_bad "mini-ld: libv.so: section header table (4294967296 entries at $(hex "$shoff")) extends past end of file (size $(hex "$size"))" libv.so
}

@test "common: a 2^32-symbol .dynsym in a small file fails without allocating" {
  local size off
  size=$(stat -c %s libv.so)
  off=$(elf libv.so off .dynsym)
  poke libv.so "$(elf libv.so shdr .dynsym sh_size)" 8 $((24 << 32))
  expect_bad "mini-ld: libv.so: section '.dynsym' (offset $(hex "$off"), size 0x1800000000) extends past end of file (size $(hex "$size"))" libv.so
}

@test "common: a shared object for another machine" {
  poke libv.so "$(elf libv.so ehdr e_machine)" 2 3  # EM_386
  expect_bad "mini-ld: libv.so: not an x86-64 shared object (e_machine is 3, not EM_X86_64)" libv.so
}

@test "common: .dynsym's sh_link must name a string table" {
  local self
  self=$(elf libv.so index .dynsym)
  poke libv.so "$(elf libv.so shdr .dynsym sh_link)" 4 "$self"
  expect_bad "mini-ld: libv.so: section '.dynsym': sh_link $self does not name a string table" libv.so
}

@test "common: .dynsym's entry size must be 24" {
  poke libv.so "$(elf libv.so shdr .dynsym sh_entsize)" 8 16
  expect_bad "mini-ld: libv.so: section '.dynsym': entry size is 16, not 24" libv.so
}

@test "common: a symbol name offset past the end of .dynstr" {
  local i
  i=$(elf libv.so symindex foo)
  poke libv.so "$(elf libv.so sym foo)" 4 0x10000  # st_name
  expect_bad "mini-ld: libv.so: symbol $i: name offset 0x10000 is outside the string table" libv.so
}

@test "common: .gnu.version must have one entry per dynamic symbol" {
  local size
  size=$(elf libv.so size .gnu.version)
  poke libv.so "$(elf libv.so shdr .gnu.version sh_size)" 8 $((size - 2))
  expect_bad "mini-ld: libv.so: section '.gnu.version' has size $(hex $((size - 2))), but $((size / 2)) dynamic symbols need $(hex "$size")" libv.so
}

@test "common: a defined symbol's version index must name a version definition" {
  poke libv.so "$(elf libv.so versym foo)" 2 7
  expect_bad "mini-ld: libv.so: symbol 'foo' has version index 7, but no version definition has that index" libv.so
}

@test "common: an undefined symbol's version index must name a needed version" {
  poke libv.so "$(elf libv.so versym puts)" 2 9
  expect_bad "mini-ld: libv.so: undefined symbol 'puts' has version index 9, but no version need has that index" libv.so
}

# .gnu.version_d of libv.so: three Elf64_Verdef, at 0x0 (libv.so.1, the base),
# 0x1c (VER_1) and 0x38 (VER_2); in each, vd_cnt is at +6, vd_ndx at +4, vd_next
# at +16.

@test "common: a version definition's vd_next pointing outside .gnu.version_d" {
  local d size
  d=$(elf libv.so off .gnu.version_d)
  size=$(elf libv.so size .gnu.version_d)
  poke libv.so $((d + 16)) 4 0x1000
  expect_bad "mini-ld: libv.so: section '.gnu.version_d': version definition at 0x0: vd_next 0x1000 points outside the section (size $(hex "$size"))" libv.so
}

@test "common: a chain of version definitions longer than sh_info says" {
  # vd_next only moves forward, so a chain cannot loop; sh_info still bounds it.
  poke libv.so "$(elf libv.so shdr .gnu.version_d sh_info)" 4 2
  expect_bad "mini-ld: libv.so: section '.gnu.version_d': the chain of version definitions is longer than sh_info (2)" libv.so
}

@test "common: a huge sh_info on .gnu.version_d is only a bound" {
  ./sodump libv.so >want
  poke libv.so "$(elf libv.so shdr .gnu.version_d sh_info)" 4 0xffffffff
  ./sodump-san libv.so >got
  diff -u want got
}

@test "common: a version definition with vd_cnt 0 has no name" {
  poke libv.so $(($(elf libv.so off .gnu.version_d) + 0x1c + 6)) 2 0
  expect_bad "mini-ld: libv.so: section '.gnu.version_d': version definition at 0x1c has vd_cnt 0, so it has no name" libv.so
}

@test "common: a version definition's index must fit in 15 bits" {
  poke libv.so $(($(elf libv.so off .gnu.version_d) + 0x1c + 4)) 2 0x8002
  expect_bad "mini-ld: libv.so: section '.gnu.version_d': version definition at 0x1c has index 32770, which is not in [1, 32767]" libv.so
}

@test "common: DT_SONAME's offset past the end of the dynamic string table" {
  poke libv.so "$(elf libv.so dyn 14)" 8 0xfffff  # DT_SONAME
  expect_bad "mini-ld: libv.so: DT_SONAME offset 0xfffff is outside the dynamic string table" libv.so
}

@test "common: DT_NEEDED's offset past the end of the dynamic string table" {
  poke libv.so "$(elf libv.so dyn 1)" 8 0x123456789  # DT_NEEDED
  expect_bad "mini-ld: libv.so: DT_NEEDED offset 0x123456789 is outside the dynamic string table" libv.so
}

# --- random damage ---

@test "common: 400 shared objects with random bytes changed: a message or success, never a crash" {
  # Bytes are changed only where the reader looks: the ELF header, the section
  # header table and the sections it reads. Every mutant must exit 0 with nothing
  # on stderr, or 1 with one line about it; a sanitizer report fails the test.
  python3 - libv.so <<'PY'
import random, struct, sys
d = open(sys.argv[1], 'rb').read()
shoff, = struct.unpack_from('<Q', d, 40)
shnum, shstrndx = struct.unpack_from('<HH', d, 60)
shdrs = [struct.unpack_from('<IIQQQQIIQQ', d, shoff + 64 * i) for i in range(shnum)]
ranges = [(0, 64), (shoff, 64 * shnum)]
for s in shdrs:
    # STRTAB, DYNAMIC, DYNSYM, GNU_verdef, GNU_verneed, GNU_versym
    if s[1] in (3, 6, 11, 0x6ffffffd, 0x6ffffffe, 0x6fffffff):
        ranges.append((s[4], s[5]))
rng = random.Random(1)
for n in range(400):
    m = bytearray(d)
    for _ in range(rng.randint(1, 4)):
        start, size = rng.choice(ranges)
        m[start + rng.randrange(size)] = rng.choice([0, 1, 0xff, 0x7f, 0x80, rng.randrange(256)])
    open('m%d.so' % n, 'wb').write(m)
PY
  local n rc ok=0 bad=0
  for ((n = 0; n < 400; n++)); do
    ./sodump-san m$n.so >/dev/null 2>err && rc=0 || rc=$?
    if [ "$rc" -eq 0 ] && [ ! -s err ]; then
      ok=$((ok + 1))
    elif [ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "^mini-ld: m$n.so: " err; then
      bad=$((bad + 1))
    else
      echo "m$n.so: exit $rc" >&2
      cat err >&2
      return 1
    fi
  done
  echo "$ok read, $bad refused" >&2
  # The sweep means something only if both outcomes happen.
  [ "$ok" -gt 0 ] && [ "$bad" -gt 0 ]
}
