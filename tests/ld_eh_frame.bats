#!/usr/bin/env bats
# .eh_frame is split into records: one copy of each CIE, and no FDE for a function
# that is not in the output.

load helpers

# Objects with unwind tables (the helpers' default flags turn them off).
uobj() {
  local name=$1
  shift
  cc -O1 -ffreestanding -fno-builtin -fno-stack-protector -fcf-protection=none \
    -fasynchronous-unwind-tables "$@" -c -x c - -o "$name.o"
}

# The FDEs of an executable, one line each: "pc=BEGIN..END".
fdes() {
  readelf --debug-dump=frames "$1" | awk '/ FDE / { print $NF }'
}

@test "eh_frame: identical CIEs of many objects are kept once" {
  runtime
  for i in 1 2 3; do
    echo "int f$i(int x) { return x + $i; }" | uobj "f$i"
  done
  echo 'int f1(int), f2(int), f3(int); int main(void) { return f3(f2(f1(0))); }' | uobj main
  [ "$(readelf --debug-dump=frames f1.o | grep -c ' CIE')" -eq 1 ]
  link_both prog rt.o main.o f1.o f2.o f3.o
  run_both prog
  [ "$status" -eq 6 ]
  [ "$(readelf --debug-dump=frames prog | grep -c ' CIE')" -eq 1 ]
  [ "$(fdes prog | wc -l)" -eq 4 ]
  # Each FDE still covers its function.
  for f in main f1 f2 f3; do
    addr=$(nm prog | awk -v f="$f" '$3 == f { print $1 }')
    fdes prog | grep -q "^pc=0*$addr\.\."
  done
}

@test "eh_frame: FDEs of functions that --gc-sections drops are dropped too" {
  runtime
  uobj main -ffunction-sections <<'C'
__attribute__((noinline)) int used(int x) { return x * 2; }
__attribute__((noinline)) int unused(int x) { return x * 3; }
int main(void) { return used(21); }
C
  run "$MINI_LD" --gc-sections rt.o main.o -o prog
  [ "$status" -eq 0 ]
  run ./prog
  [ "$status" -eq 42 ]
  ! nm prog | grep -q unused
  # main and used have FDEs; unused's is gone, and none describes address 0.
  [ "$(fdes prog | wc -l)" -eq 2 ]
  ! fdes prog | grep -q '^pc=0*\.\.'
  ! fdes prog | grep -q '^pc=00*\.\.'
  run "$MINI_LD" rt.o main.o -o full
  [ "$(fdes full | wc -l)" -eq 3 ]
}

@test "eh_frame: the FDE of a discarded COMDAT copy is dropped" {
  runtime
  # A C++ template instance is emitted in a COMDAT group by every object that uses it.
  for n in a b; do
    g++ -O1 -fno-exceptions -fasynchronous-unwind-tables -fcf-protection=none -c -x c++ - \
      -o "$n.o" <<C
template <typename T> __attribute__((noinline)) T shared(T x) { return x + 1; }
extern "C" int call_$n(int x) { return shared(x); }
C
  done
  echo 'int call_a(int), call_b(int); int main(void) { return call_a(1) + call_b(2); }' | uobj main
  readelf -gW a.o | grep -q COMDAT
  link_both prog rt.o main.o a.o b.o
  run_both prog
  [ "$status" -eq 5 ]
  # main, call_a, call_b and one shared: four FDEs, none at 0.
  [ "$(fdes prog | wc -l)" -eq 4 ]
  ! fdes prog | grep -q '^pc=0*\.\.'
}

@test "eh_frame: relocations out of order are sorted (in a copy: the mapped file is read-only)" {
  runtime
  printf 'int f1(int x) { return x + 1; }\nint f2(int x) { return x * 3; }\nint f3(int x) { return x - 2; }\n' | uobj f
  echo 'int f1(int), f2(int), f3(int); int main(void) { return f3(f2(f1(4))); }' | uobj main
  "$MINI_LD" rt.o main.o f.o -o in-order
  # Reverse the entries of .rela.eh_frame in place.
  python3 - f.o <<'PY'
import struct, sys
path = sys.argv[1]
d = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', d, 0x28)
shnum, shstrndx = struct.unpack_from('<HH', d, 0x3c)
sh = [struct.unpack_from('<IIQQQQIIQQ', d, shoff + 64 * i) for i in range(shnum)]
names = sh[shstrndx][4]
name = lambda s: d[names + s[0]:d.index(0, names + s[0])].decode()
rela = next(s for s in sh if name(s) == '.rela.eh_frame')
off, size = rela[4], rela[5]
ents = [d[off + k:off + k + 24] for k in range(0, size, 24)]
assert len(ents) >= 3
d[off:off + size] = b''.join(reversed(ents))
open(path, 'wb').write(d)
PY
  link_both prog rt.o main.o f.o
  run_both prog
  [ "$status" -eq 13 ]
  # The same records, pointing at the same functions, as from the object in order.
  [ "$(fdes prog | wc -l)" -ge 4 ]
  [ "$(fdes prog)" = "$(fdes in-order)" ]
}

@test "eh_frame: two swapped .eh_frame relocations link to the bytes of the table in order" {
  # Found by tests/fuzz/fuzz_link.c: split_eh_frame sorted an unsorted .rela.eh_frame
  # in place, and an aligned table is the input file's read-only mapping (SIGSEGV).
  # Nothing requires a relocation table to be sorted, so the link must succeed and
  # give the same bytes as with the table in order.
  runtime
  uobj f <<'C'
int f1(int x) { return x + 1; }
int f2(int x) { return x + 2; }
C
  echo 'int f1(int), f2(int); int main(void) { return f2(f1(39)); }' | uobj main
  "$MINI_LD" -static rt.o main.o f.o -o want
  # .rela.eh_frame's first two entries (24 bytes each: r_offset, r_info, r_addend),
  # swapped.
  local hex off
  hex=$(readelf -SW f.o | sed -n 's/.* \.rela\.eh_frame  *RELA  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p')
  off=$((16#$hex))
  [ "$((off % 8))" -eq 0 ]  # aligned: mini-ld uses the table where it is mapped
  cp f.o g.o
  dd if=f.o of=g.o bs=1 skip="$off" seek="$((off + 24))" count=24 conv=notrunc status=none
  dd if=f.o of=g.o bs=1 skip="$((off + 24))" seek="$off" count=24 conv=notrunc status=none
  ! cmp -s f.o g.o
  run "$MINI_LD" -static rt.o main.o g.o -o prog
  [ "$status" -eq 0 ]
  cmp want prog
  run ./prog
  [ "$status" -eq 42 ]
}
