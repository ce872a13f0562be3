#!/usr/bin/env bash
# link-many.sh — link benchmark: one program made of many generated objects and an archive,
# linked by mini-ld and its peers (ld.bfd, ld.gold, ld.lld, mold) in the same run.
# Reports medians and ratios to ld.bfd. Never fails on speed; fails only if a link fails or
# the linked programs disagree. See tests/bench/README.md.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: tests/bench/link-many.sh [-n N] [-r R] [-h]
  -n N   number of generated objects (default: $N or 2000)
  -r R   timed runs per linker, after one warm-up run (default: $R or 5)
environment:
  MINI_LD=PATH|CMD   linker under test (default: <repo>/bin/mini-ld)
  KEEP=1             keep the temporary directory (its path is printed)
  JOBS=J             parallel compile jobs (default: nproc)
  CC=gcc             compiler
USAGE
}

N=${N:-2000}
R=${R:-5}
while getopts 'n:r:h' opt; do
    case $opt in
        n) N=$OPTARG ;;
        r) R=$OPTARG ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { usage >&2; exit 2; }
[[ $N =~ ^[0-9]+$ && $N -ge 2 ]] || { echo "link-many: -n wants an integer >= 2" >&2; exit 2; }
[[ $R =~ ^[0-9]+$ && $R -ge 1 ]] || { echo "link-many: -r wants an integer >= 1" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
MINI_LD=${MINI_LD:-$repo/bin/mini-ld}
CC=${CC:-gcc}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

work=$(mktemp -d "${TMPDIR:-/tmp}/link-many.XXXXXX")
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [[ ${KEEP:-0} == 1 ]]; then
        echo "link-many: kept $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
cd "$work"

# Wall clock in nanoseconds. $EPOCHREALTIME (bash >= 5) costs no fork; date +%s%N otherwise.
if [[ -n ${EPOCHREALTIME:-} ]]; then
    now_ns() { local t=${EPOCHREALTIME/[.,]/}; echo "${t}000"; }
else
    now_ns() { date +%s%N; }
fi

# ---------------------------------------------------------------------------------------------
# 1. Generate the program.
#
# gN.c (0 <= i < N) defines gI_walk, gI_leaf (global functions), gI_data (.data), gI_bss
# (.bss), gI_ro (.rodata), gI_ptr (.data, R_X86_64_64 to another object's data), gI_roptr
# (const pointer: .rodata or .data.rel.ro), and the static functions mix/helper and static data
# counter/tag, whose names repeat in every file. gI_walk calls g(I+1)_walk (a chain; cut every
# CHUNK objects so the call depth stays small) and gJ_leaf for a pseudo-random J, and reads the
# data of a pseudo-random object K. start.c holds _start and a table of the chain heads.
# u*.c are archive members that nothing references (they must not be pulled).
# ---------------------------------------------------------------------------------------------
CHUNK=100
t0=$(now_ns)
nunused=$(( N / 50 > 0 ? N / 50 : 1 ))

awk -v N="$N" -v CHUNK="$CHUNK" -v NUNUSED="$nunused" '
function rnd() { seed = (seed * 48271) % 2147483647; return seed }   # MINSTD, exact in doubles
function c64() { return sprintf("0x%08x%08xul", rnd(), rnd()) }
BEGIN {
    seed = 12345
    for (i = 0; i < N; i++) {
        f = "g" i ".c"
        j = rnd() % N; k = rnd() % N
        nxt = (i + 1 < N && (i + 1) % CHUNK != 0) ? i + 1 : -1
        print "typedef unsigned long u64;" > f
        print "#define NOINLINE __attribute__((noinline))" > f
        if (nxt >= 0) print "extern u64 g" nxt "_walk(u64);" > f
        if (j != i) print "extern u64 g" j "_leaf(u64);" > f
        if (k != i) {
            print "extern u64 g" k "_data[4];" > f
            print "extern const u64 g" k "_ro[4];" > f
            print "extern u64 g" k "_bss[2];" > f
        }
        print "static u64 counter;" > f
        print "static const char tag[] = \"object " i "\";" > f
        print "const u64 g" i "_ro[4] = { " c64() ", " c64() ", " c64() ", " c64() " };" > f
        print "u64 g" i "_data[4] = { " c64() ", " c64() ", " c64() ", " c64() " };" > f
        print "u64 g" i "_bss[2];" > f
        print "u64 *g" i "_ptr = &g" k "_data[" (i % 4) "];" > f
        print "const u64 *const g" i "_roptr = &g" k "_ro[" ((i + 1) % 4) "];" > f
        print "static NOINLINE u64 mix(u64 x) { return (x ^ (x >> 29)) * " c64() " + " i "u; }" > f
        print "static NOINLINE u64 helper(u64 x, unsigned n) { return x + g" i "_ro[n & 3] + (u64)tag[n % (sizeof tag - 1)]; }" > f
        print "u64 g" i "_leaf(u64 x) {" > f
        print "    counter++;" > f
        print "    g" i "_bss[0] += x;" > f
        print "    g" i "_bss[1] += counter;" > f
        print "    return mix(x ^ g" i "_data[x & 3]) + g" i "_bss[1];" > f
        print "}" > f
        print "u64 g" i "_walk(u64 x) {" > f
        print "    u64 v = helper(x, (unsigned)x);" > f
        print "    v += g" j "_leaf(v);" > f
        print "    v ^= *g" i "_ptr + g" k "_data[v & 3] + g" k "_ro[(v >> 2) & 3] + *g" i "_roptr;" > f
        print "    g" k "_bss[1] ^= v;" > f
        if (nxt >= 0) print "    v += g" nxt "_walk(mix(v));" > f
        print "    return v;" > f
        print "}" > f
        close(f)
        # compile flags: code models and section styles vary by object
        fl = (i % 8 < 5) ? "-fno-pie" : "-fpie"
        if (i % 16 == 7) fl = "-fPIC"
        if (i % 32 == 15) fl = "-fPIC -fno-plt"
        if (i % 3 == 0) fl = fl " -ffunction-sections -fdata-sections"
        print f, fl > "compile.list"
    }
    for (u = 0; u < NUNUSED; u++) {
        f = "u" u ".c"
        print "typedef unsigned long u64;" > f
        print "u64 unused" u "_data[8] = { " c64() " };" > f
        print "u64 unused" u "_fn(u64 x) { return x * " c64() " + unused" u "_data[x & 7]; }" > f
        close(f)
        print f, "-fno-pie" > "compile.list"
    }
    f = "start.c"
    print "typedef unsigned long u64;" > f
    nheads = 0
    for (i = 0; i < N; i += CHUNK) { print "extern u64 g" i "_walk(u64);" > f; nheads++ }
    print "extern u64 g0_bss[2], g" (N - 1) "_bss[2];" > f
    print "static u64 (*const heads[" nheads "])(u64) = {" > f
    for (i = 0; i < N; i += CHUNK) print "    g" i "_walk," > f
    print "};" > f
    print "static long sys3(long n, long a, long b, long c) {" > f
    print "    long r;" > f
    print "    __asm__ volatile (\"syscall\" : \"=a\"(r) : \"a\"(n), \"D\"(a), \"S\"(b), \"d\"(c) : \"rcx\", \"r11\", \"memory\");" > f
    print "    return r;" > f
    print "}" > f
    print "__attribute__((noreturn, used)) void cmain(void) {" > f
    print "    u64 h = " c64() ";" > f
    print "    for (int pass = 0; pass < 2; pass++)" > f
    print "        for (unsigned n = 0; n < sizeof heads / sizeof heads[0]; n++)" > f
    print "            h = h * 31 + heads[n](h ^ n);" > f
    print "    h ^= g0_bss[0] + g0_bss[1] + g" (N - 1) "_bss[0] + g" (N - 1) "_bss[1];" > f
    print "    char buf[17];" > f
    print "    for (int d = 0; d < 16; d++) buf[d] = \"0123456789abcdef\"[(h >> (60 - 4 * d)) & 15];" > f
    print "    buf[16] = 10;" > f
    print "    sys3(1, 1, (long)buf, 17);" > f
    print "    u64 s = h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24) ^ (h >> 32) ^ (h >> 40) ^ (h >> 48) ^ (h >> 56);" > f
    print "    __asm__ volatile (\"syscall\" :: \"a\"(60L), \"D\"((long)(s & 0xff)));" > f
    print "    __builtin_unreachable();" > f
    print "}" > f
    print "/* the kernel enters with %rsp 16-aligned; give cmain a normal call frame */" > f
    print "__asm__(\".text\\n.globl _start\\n.type _start,@function\\n_start:\\n\\txor %ebp, %ebp\\n\\tand $-16, %rsp\\n\\tcall cmain\\n\\thlt\\n.size _start, .-_start\\n\");" > f
    close(f)
    print f, "-fno-pie" > "compile.list"
}'

export CC
export CFLAGS_COMMON="-O1 -ffreestanding -fno-builtin -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables"
# each line of compile.list: FILE FLAGS...
# shellcheck disable=SC2016  # expanded by the inner sh
xargs -L1 -P"$JOBS" sh -c 'exec $CC $CFLAGS_COMMON "$@" -c "$0"' < compile.list
t1=$(now_ns)

# First half of the objects (and start.o) go on the command line, second half into libgen.a,
# together with the unreferenced u*.o members.
half=$(( N / 2 ))
objs=(start.o)
members=()
for ((i = 0; i < N; i++)); do
    if (( i < half )); then objs+=("g$i.o"); else members+=("g$i.o"); fi
done
for ((u = 0; u < nunused; u++)); do members+=("u$u.o"); done
rm -f libgen.a
ar rcs libgen.a "${members[@]}"

# Input statistics (what the links chew on).
all_o=("${objs[@]}" "${members[@]}")
read -r nsec nsym nrel < <(
    readelf -SsrW "${all_o[@]}" 2>/dev/null | awk '
        /^  \[ *[0-9]+\]/ { s++ }
        /^ *[0-9]+: [0-9a-f]+ +[0-9]+ / { y++ }
        / R_X86_64_/ { r++ }
        END { print s + 0, y + 0, r + 0 }')
reltypes=$(readelf -rW "${all_o[@]}" 2>/dev/null |
    awk '{ for (f = 1; f <= NF; f++) if ($f ~ /^R_X86_64_/) c[$f]++ }
         END { for (t in c) printf "%s=%d\n", substr(t, 10), c[t] }' | sort | paste -sd' ' -)
printf 'link-many: N=%d: %d objects (%d on the command line incl. start.o, %d members in libgen.a of which %d unreferenced), %d runs + 1 warm-up per linker\n' \
    "$N" "$(( ${#objs[@]} + ${#members[@]} ))" "${#objs[@]}" "${#members[@]}" "$nunused" "$R"
printf 'inputs: %d sections, %d symbol entries, %d relocations (%s)\n' "$nsec" "$nsym" "$nrel" "$reltypes"
printf 'generate+compile: %d ms with %d jobs; work dir %s\n' "$(( (t1 - t0) / 1000000 ))" "$JOBS" "$work"

# ---------------------------------------------------------------------------------------------
# 2. Link with each available linker.
# ---------------------------------------------------------------------------------------------
have_time=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    have_time=1
fi
have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

names=() cmds=()
add_linker() { # NAME CMD
    local name=$1 cmd=$2 path
    if path=$(command -v -- "$cmd" 2>/dev/null) && [[ -x $path ]]; then
        names+=("$name"); cmds+=("$path")
        printf "linker: %-8s %s: %s\n" "$name" "$path" \
            "$( { "$path" --version 2>/dev/null || true; } | head -n 1)"
    else
        echo "skip: $name ($cmd) not installed"
    fi
}
add_linker mini-ld "$MINI_LD"
add_linker ld.bfd ld.bfd
add_linker ld.gold ld.gold
add_linker ld.lld ld.lld
add_linker mold mold
[[ -n ${names[*]:-} ]] || { echo "link-many: no linker found" >&2; exit 1; }
case $MINI_LD in
    "$repo/bin/mini-ld") ;;
    *) echo "note: mini-ld row is MINI_LD=$MINI_LD" ;;
esac

link_args=("${objs[@]}" -L. -lgen)
failed=0
declare -A med mn rss size status output

run_prog() { # EXE -> sets prog_out, prog_st
    local exe=$1
    prog_st=0
    if (( have_timeout )); then
        prog_out=$(timeout 20 "$exe" 2>&1) || prog_st=$?
    else
        prog_out=$("$exe" 2>&1) || prog_st=$?
    fi
}

for idx in "${!names[@]}"; do
    name=${names[$idx]} ld=${cmds[$idx]} out=out.$name
    # warm-up run (also measures max RSS)
    rm -f "$out"
    if (( have_time )); then
        if ! /usr/bin/time -f %M -o "rss.$name" "$ld" "${link_args[@]}" -o "$out" 2>"err.$name"; then
            echo "FAIL: $name: link failed:"; sed 's/^/    /' "err.$name" | tail -n 20
            failed=1; continue
        fi
        rss[$name]=$(tail -n 1 "rss.$name")
    elif ! "$ld" "${link_args[@]}" -o "$out" 2>"err.$name"; then
        echo "FAIL: $name: link failed:"; sed 's/^/    /' "err.$name" | tail -n 20
        failed=1; continue
    fi
    times=()
    ok=1
    for ((r = 0; r < R; r++)); do
        rm -f "$out"
        a=$(now_ns)
        if ! "$ld" "${link_args[@]}" -o "$out" 2>"err.$name"; then ok=0; break; fi
        b=$(now_ns)
        times+=($(( b - a )))
    done
    if (( !ok )); then
        echo "FAIL: $name: link failed in a timed run:"; sed 's/^/    /' "err.$name" | tail -n 20
        failed=1; continue
    fi
    read -r "med[$name]" "mn[$name]" < <(printf '%s\n' "${times[@]}" | sort -n | awk '
        { v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.3f %.3f\n", m / 1e6, v[1] / 1e6 }')
    size[$name]=$(stat -c %s "$out")
    run_prog "./$out"
    status[$name]=$prog_st
    output[$name]=$prog_out
done

# ---------------------------------------------------------------------------------------------
# 3. Verify: every program gives ld.bfd's output and exit status (or the first linker's, when
#    ld.bfd is not installed).
# ---------------------------------------------------------------------------------------------
ref=
for name in ld.bfd "${names[@]}"; do
    if [[ -n ${status[$name]+x} ]]; then ref=$name; break; fi
done
if [[ -n $ref ]]; then
    echo "reference: $ref: exit status ${status[$ref]}, output ${output[$ref]}"
    for name in "${names[@]}"; do
        [[ -n ${status[$name]+x} ]] || continue
        if [[ ${status[$name]} != "${status[$ref]}" || ${output[$name]} != "${output[$ref]}" ]]; then
            echo "FAIL: $name: program gives exit status ${status[$name]}, output '${output[$name]}';" \
                 "$ref's gives ${status[$ref]}, '${output[$ref]}'"
            failed=1
            status[$name]="${status[$name]}!"
        fi
    done
fi

# ---------------------------------------------------------------------------------------------
# 4. Table.
# ---------------------------------------------------------------------------------------------
echo
if (( have_time )); then
    printf '%-8s %12s %12s %12s %12s %7s %8s\n' linker "median ms" "min ms" "max RSS KiB" "size B" status "/ld.bfd"
else
    printf '%-8s %12s %12s %12s %7s %8s\n' linker "median ms" "min ms" "size B" status "/ld.bfd"
fi
for name in "${names[@]}"; do
    [[ -n ${med[$name]+x} ]] || continue
    ratio=-
    if [[ -n ${med[ld.bfd]+x} ]]; then
        ratio=$(awk -v a="${med[$name]}" -v b="${med[ld.bfd]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    fi
    if (( have_time )); then
        printf '%-8s %12s %12s %12s %12s %7s %8s\n' "$name" "${med[$name]}" "${mn[$name]}" \
            "${rss[$name]}" "${size[$name]}" "${status[$name]}" "$ratio"
    else
        printf '%-8s %12s %12s %12s %7s %8s\n' "$name" "${med[$name]}" "${mn[$name]}" \
            "${size[$name]}" "${status[$name]}" "$ratio"
    fi
done
echo
if [[ -n ${med[mini-ld]+x} && -n ${med[ld.bfd]+x} ]]; then
    echo "mini-ld/ld.bfd median ratio: $(awk -v a="${med[mini-ld]}" -v b="${med[ld.bfd]}" \
        'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
else
    echo "mini-ld/ld.bfd median ratio: n/a ($( [[ -n ${med[mini-ld]+x} ]] && echo "ld.bfd" || echo "mini-ld") not measured)"
fi
exit "$failed"
