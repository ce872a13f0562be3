#!/usr/bin/env bash
# bench.sh — `make bench`: mini-ld against ld.bfd, gold, lld and mold, on real links and on
# one large generated link, in the same run. Every linker links the same argument list
# (captured from the compiler driver), in alternating order, round after round; every
# output must run and print what it should. Prints, per link: median wall time, min–max,
# CPU time, peak RSS, output size, and each linker's ratio to mini-ld. Never fails because
# something is slow (DESIGN §6); fails if a link fails or a program misbehaves.
#
#   tests/bench/bench.sh                 # everything, 5 rounds
#   R=3 ONLY=hello-static tests/bench/bench.sh
#   BIG_N=200 tests/bench/bench.sh       # a smaller generated link (default 1500 objects)
#   KEEP=1 ...                           # keep the work directory
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
MINI_LD=${MINI_LD:-$repo/bin/mini-ld}
R=${R:-5}
BIG_N=${BIG_N:-1500}     # generated objects (about 200 KB each)
BIG_F=${BIG_F:-400}      # functions per object
ONLY=${ONLY:-}

# The peers come from Debian; mold and hyperfine are installed if missing (as root).
need=()
command -v mold >/dev/null || need+=(mold)
command -v hyperfine >/dev/null || need+=(hyperfine)
[[ -x /usr/bin/time ]] || need+=(time)
if ((${#need[@]})); then
    if [[ $(id -u) == 0 ]]; then
        apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
            { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
    else
        echo "bench: install ${need[*]} (apt-get install ${need[*]}), or run as root" >&2
        exit 2
    fi
fi
[[ -x $MINI_LD ]] || { echo "bench: $MINI_LD is not built (run make)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
# shellcheck disable=SC2317
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
cd "$work"

# The linkers: a name, and the command that stands for `ld`. mini-ld, lld and mold also
# with one thread (-1). mold forks by default and leaves the work to
# a child, where time(1) would not see its CPU time and memory: --no-fork keeps it in
# one process (its wall time then includes unmapping the output, as everyone else's).
linkers=(mini-ld mini-ld-1 bfd gold lld lld-1 mold mold-1)
ld_cmd() {
    case $1 in
        mini-ld) echo "$MINI_LD" ;;
        mini-ld-1) echo "$MINI_LD --threads=1" ;;
        bfd) echo ld.bfd ;;
        gold) echo ld.gold ;;
        lld) echo ld.lld ;;
        lld-1) echo "ld.lld --threads=1" ;;
        mold) echo "mold --no-fork" ;;
        mold-1) echo "mold --no-fork --thread-count=1" ;;
    esac
}

# capture NAME DRIVER ARGS...: runs the driver with a stand-in `ld` that records its
# arguments, so every linker gets exactly what gcc would give GNU ld.
mkdir -p capture
cat >capture/ld <<'SH'
#!/bin/sh
printf '%s\n' "$@" >"$CAPTURE_TO"
SH
chmod +x capture/ld
capture() {
    local name=$1
    shift
    CAPTURE_TO=$work/$name.args "$@" -B "$work/capture/" -o "$work/$name.out" >/dev/null
    # One argument a line; the output name is replaced per linker.
    sed -i "s|^$work/$name.out\$|@OUT@|" "$work/$name.args"
}

# ---------------------------------------------------------------------------------------
# The links
# ---------------------------------------------------------------------------------------
declare -A want_out want_status
workloads=()
add() { workloads+=("$1"); want_out[$1]=$2; want_status[$1]=$3; }

cat >hello.c <<'C'
#include <stdio.h>
int main(void) { printf("hello, world\n"); return 0; }
C
cat >sq.c <<'C'
#include <sqlite3.h>
#include <stdio.h>
static int row(void *p, int n, char **v, char **c) { (void)p; (void)n; (void)c; printf("%s\n", v[0]); return 0; }
int main(void) {
  sqlite3 *db;
  if (sqlite3_open(":memory:", &db)) return 1;
  sqlite3_exec(db, "create table t(x); insert into t values (6), (7);"
                   "select sum(x) * 3 from t;", row, 0, 0);
  sqlite3_close(db);
  return 0;
}
C
cat >cxx.cc <<'C'
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>
int main() {
  std::map<std::string, std::vector<int>> m{{"a", {1, 2}}, {"b", {3}}};
  int sum = 0;
  for (auto &[k, v] : m) for (int x : v) sum += x;
  try { throw std::runtime_error("thrown"); } catch (const std::exception &e) { std::cout << e.what() << " "; }
  std::cout << sum << "\n";
}
C
gcc -O2 -c hello.c sq.c
g++ -O2 -c cxx.cc
musl-gcc -O2 -c hello.c -o hello-musl.o 2>/dev/null || true

selected() { [[ -z $ONLY || " $ONLY " == *" $1 "* ]]; }
if selected hello-static; then capture hello-static gcc -static hello.o; add hello-static "hello, world" 0; fi
if selected hello-musl && [[ -e hello-musl.o ]]; then
    capture hello-musl musl-gcc -static hello-musl.o; add hello-musl "hello, world" 0
fi
if selected sqlite-static; then capture sqlite-static gcc -static sq.o -lsqlite3 -lm; add sqlite-static 39 0; fi
if selected cxx-static; then capture cxx-static g++ -static cxx.o; add cxx-static "thrown 6" 0; fi
if selected hello-dynamic; then capture hello-dynamic gcc hello.o; add hello-dynamic "hello, world" 0; fi
if selected sqlite-dynamic; then capture sqlite-dynamic gcc sq.o -lsqlite3; add sqlite-dynamic 39 0; fi
if selected cxx-dynamic; then capture cxx-dynamic g++ cxx.o; add cxx-dynamic "thrown 6" 0; fi
skipped=("sqlite-musl: no libsqlite3.a built for musl on this machine (Debian ships none)")

# The large generated link: BIG_N objects of BIG_F functions each, one section per
# function with its .eh_frame record; calls and data references across files, GOT
# loads, pointer tables in .data, TLS (initial and local exec), strings to merge; four
# archives of which only some members are needed; _start walks it and exits with 42.
if selected big; then
    mkdir -p big
    awk -v N="$BIG_N" -v F="$BIG_F" -v dir=big '
    function rnd(m) { seed = (seed * 48271) % 2147483647; return seed % m }
    BEGIN {
      seed = 4242
      for (i = 0; i < N; i++) {
        f = sprintf("%s/o%d.s", dir, i)
        printf "\t.section .tbss,\"awT\",@nobits\n\t.globl t%d\nt%d:\t.zero 8\n", i, i > f
        printf "\t.data\n\t.globl d%d\n\t.p2align 3\nd%d:\n", i, i > f
        for (j = 0; j < 16; j++) printf "\t.quad f%d_%d\n", rnd(N), rnd(F) > f
        printf "\t.section .rodata.str1.1,\"aMS\",@progbits,1\n.Ls%d:\t.asciz \"shared string %d\"\n", i, i % 97 > f
        for (j = 0; j < F; j++) {
          printf "\t.section .text.f%d_%d,\"ax\",@progbits\n\t.globl f%d_%d\n\t.type f%d_%d,@function\nf%d_%d:\n\t.cfi_startproc\n", i, j, i, j, i, j, i, j > f
          printf "\tmovq d%d@GOTPCREL(%%rip), %%rax\n", rnd(N) > f
          printf "\tleaq .Ls%d(%%rip), %%rcx\n", i > f
          printf "\tmovq %%fs:t%d@tpoff, %%rdx\n", i > f
          printf "\tmovq t%d@gottpoff(%%rip), %%rdx\n", rnd(N) > f
          printf "\tleaq d%d(%%rip), %%rsi\n", rnd(N) > f
          printf "\tjmp g%d_%d\n", i, j % 8 > f
          printf "\t.cfi_endproc\n\t.size f%d_%d, .-f%d_%d\n", i, j, i, j > f
        }
        for (j = 0; j < 8; j++)
          printf "\t.section .text.g%d_%d,\"ax\",@progbits\n\t.globl g%d_%d\ng%d_%d:\n\t.cfi_startproc\n\tmovl $%d, %%eax\n\tret\n\t.cfi_endproc\n", i, j, i, j, i, j, j > f
        printf "\t.section .note.GNU-stack,\"\",@progbits\n" > f
        close(f)
      }
      # Archive members: lib K member M defines lK_M; _start calls every other one.
      for (k = 0; k < 4; k++) for (m = 0; m < 50; m++) {
        f = sprintf("%s/l%d_%d.s", dir, k, m)
        printf "\t.text\n\t.globl l%d_%d\nl%d_%d:\n\t.cfi_startproc\n\tret\n\t.cfi_endproc\n\t.section .note.GNU-stack,\"\",@progbits\n", k, m, k, m > f
        close(f)
      }
      # No C library sets up the thread pointer: _start points %fs at the end of a
      # static block (TLS variant II: the variables sit below the thread pointer).
      f = dir "/start.s"
      printf "\t.bss\n\t.p2align 12\ntls_area:\t.zero %d\n", N * 8 + 4096 > f
      printf "\t.text\n\t.globl _start\n_start:\n" > f
      printf "\tmov $158, %%eax\n\tmov $0x1002, %%edi\n\tlea tls_area+%d(%%rip), %%rsi\n\tsyscall\n", N * 8 + 4096 > f
      for (i = 0; i < N; i += 7) printf "\tcall f%d_%d\n", i, i % F > f
      for (k = 0; k < 4; k++) for (m = 0; m < 50; m += 2) printf "\tcall l%d_%d\n", k, m > f
      printf "\tmov $60, %%eax\n\tmov $42, %%edi\n\tsyscall\n\t.section .note.GNU-stack,\"\",@progbits\n" > f
      close(f)
    }'
    ls big/*.s | xargs -P "$(nproc)" -n 50 sh -c 'for s; do as "$s" -o "${s%.s}.o"; done' sh
    for k in 0 1 2 3; do ar rcs "big/lib$k.a" big/l${k}_*.o; done
    { echo big/start.o; ls big/o*.o | sort -V; for k in 0 1 2 3; do echo "big/lib$k.a"; done
      echo -o; echo @OUT@; } >big.args
    add big "" 42
    big_mb=$(du -cm big/*.o big/*.a | tail -1 | cut -f1)
    echo "bench: generated $BIG_N objects, $big_mb MB of input" >&2
fi

# ---------------------------------------------------------------------------------------
# Timing: round after round, each linker once per link, the order rotated per round.
# ---------------------------------------------------------------------------------------
check_output() {  # WORKLOAD LINKER
    local out=$work/$1.$2 got status=0
    got=$(timeout 20 "$out" 2>&1) || status=$?
    if [[ $status != "${want_status[$1]}" || $got != "${want_out[$1]}" ]]; then
        echo "bench: $1 linked by $2 printed '$got' and exited $status" >&2
        return 1
    fi
}

declare -A samples ok
for w in "${workloads[@]}"; do
    mapfile -t args <"$w.args"
    for ((round = 0; round < R + 1; round++)); do
        for ((k = 0; k < ${#linkers[@]}; k++)); do
            l=${linkers[$(((k + round) % ${#linkers[@]}))]}
            a=("${args[@]/@OUT@/$work/$w.$l}")
            # Wall time from bash's clock (in ms); CPU time and peak RSS from
            # time(1), whose own start-up every linker pays alike.
            t0=${EPOCHREALTIME/[.,]/}
            # shellcheck disable=SC2046
            if ! /usr/bin/time -o "$work/t" -f '%U %S %M' $(ld_cmd "$l") "${a[@]}" \
                    >/dev/null 2>"$work/$w.$l.err"; then
                [[ $round == 0 ]] && echo "bench: $w: $l failed: $(head -1 "$work/$w.$l.err")" >&2
                ok[$w.$l]=fail
                continue
            fi
            if ((round == 0)); then      # the warm-up round checks the program
                if check_output "$w" "$l"; then ok[$w.$l]=1; else ok[$w.$l]=wrong; fi
                continue
            fi
            t1=${EPOCHREALTIME/[.,]/}
            samples[$w.$l]+="$(((t1 - t0) / 1000)) $(tail -1 "$work/t") $(stat -c %s "$work/$w.$l")"$'\n'
        done
    done
done

# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------
printf '\nmedians of %d runs each; ratio = linker / mini-ld (wall)\n' "$R"
printf 'machine: %s, %s CPUs, %s\n' "$(uname -r)" "$(nproc)" \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
status=0
for w in "${workloads[@]}"; do
    printf '\n%-14s %10s %17s %9s %9s %10s %7s\n' "$w" "wall ms" "min-max" "cpu ms" "RSS MiB" "size" "ratio"
    base=""
    for l in "${linkers[@]}"; do
        if [[ ${ok[$w.$l]:-} != 1 ]]; then
            printf '  %-12s %s\n' "$l" "${ok[$w.$l]:-fail}"
            [[ $l == mini-ld ]] && status=1
            continue
        fi
        read -r med lo hi cpu rss size < <(printf '%s' "${samples[$w.$l]}" | awk '
            { wall[NR] = $1; cpu[NR] = ($2 + $3) * 1000; rss[NR] = $4 / 1024; size = $5 }
            function median(a, n,    i, j, t) {
              for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
              return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
            }
            END { n = NR; lo = hi = wall[1]; for (i = 2; i <= n; i++) { if (wall[i] < lo) lo = wall[i]; if (wall[i] > hi) hi = wall[i] }
                  printf "%.0f %.0f %.0f %.0f %.1f %d\n", median(wall, n), lo, hi, median(cpu, n), median(rss, n), size }')
        [[ $l == mini-ld ]] && base=$med
        ratio=$(awk -v a="$med" -v b="${base:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
        printf '  %-12s %10s %17s %9s %9s %10s %7s\n' "$l" "$med" "$lo-$hi" "$cpu" "$rss" "$size" "$ratio"
    done
done
for s in "${skipped[@]}"; do printf '\nskip: %s\n' "$s"; done
exit $status
