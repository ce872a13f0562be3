#!/usr/bin/env bash
# tests/fuzz/run.sh — `make fuzz`: builds each libFuzzer harness of tests/fuzz/ with
# AddressSanitizer and UndefinedBehaviorSanitizer, seeds it from small real inputs
# made here (objects, shared libraries, archives), runs it for FUZZ_SECONDS (default
# 60) and fails on any finding: a crash, a sanitizer report, a leak, a timeout.
# Findings are left in build-fuzz/findings/ (minimize with -minimize_crash=1, then
# add the input to the tests). Corpora grow in build-fuzz/corpus/NAME across runs.
#
#   make fuzz                    # every harness, 60 s each
#   FUZZ_SECONDS=5 make fuzz     # a smoke run
#   FUZZ=fuzz_archive make fuzz  # one harness
#   FUZZ_RUNS=10000000 make fuzz  # each harness for that many executions instead
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
SECONDS_EACH=${FUZZ_SECONDS:-60}
out=build-fuzz
mkdir -p "$out/findings" "$out/seeds"
command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)" >&2; exit 2; }

# Seeds: one real input of each kind, made from scratch.
seeds=$out/seeds
if [[ ! -e $seeds/done ]]; then
  printf 'int x = 1; static int y; int f(int a) { return a + x + y; }\n' >"$seeds/a.c"
  printf '__thread int t; const char *s = "str"; int g(void) { return t; }\n' >"$seeds/b.c"
  gcc -O1 -c "$seeds/a.c" -o "$seeds/a.o"
  gcc -O1 -g -ffunction-sections -c "$seeds/b.c" -o "$seeds/b.o"
  printf 'int v1(void) { return 1; }\n__asm__(".symver v1,v@@V1");\n' >"$seeds/c.c"
  printf 'V1 { global: v; local: *; };\n' >"$seeds/c.map"
  gcc -O1 -fPIC -shared "$seeds/c.c" -Wl,--version-script="$seeds/c.map" -Wl,-soname,libc1.so \
      -o "$seeds/c.so"
  (cd "$seeds" && ar rcs lib.a a.o b.o && ar rcT thin.a a.o b.o)
  touch "$seeds/done"
fi

# The whole-link harness links its input between two crt-free objects, embedded in
# the harness (link_inputs.h); its seeds are an options byte (see fuzz_link.c)
# followed by objects and archives that define what those two need.
if [[ ! -e $seeds/link-done ]]; then
  free=(-O1 -ffreestanding -fno-builtin -fno-stack-protector -fcf-protection=none -fPIC)
  cat >"$seeds/link_main.c" <<'C'
int f(int);
int g(void);
void _start(void) {
  int r = f(5) + g();
  __asm__ volatile("mov %0, %%edi; mov $60, %%eax; syscall" : : "r"(r) : "rdi", "rax");
  for (;;) {}
}
C
  cat >"$seeds/link_lib.c" <<'C'
__thread int tv = 3;
int counter;
const char greeting[] = "hello";
int h(int x) { return x * 3 + counter; }
int g(void) { return tv + greeting[0]; }
C
  cat >"$seeds/link_f.c" <<'C'
extern __thread int tv;
extern int counter;
int h(int);
__attribute__((weak)) int maybe(void);
static const char *msgs[] = {"one", "two", "three"};
int table_val = 4;
int common_sym;
static int (*fp)(int) = h;
__attribute__((constructor)) static void init(void) { counter = 1; }
int f(int x) {
  common_sym++;
  return fp(x) + tv + msgs[x & 1][0] + (maybe ? maybe() : 0) + table_val;
}
C
  printf 'int f2(int x) { return x + 1; }\n' >"$seeds/link_f2.c"
  gcc "${free[@]}" -c "$seeds/link_main.c" -o "$seeds/link_main.o"
  gcc "${free[@]}" -c "$seeds/link_lib.c" -o "$seeds/link_lib.o"
  gcc "${free[@]}" -ffunction-sections -fdata-sections -c "$seeds/link_f.c" -o "$seeds/link_f.o"
  gcc "${free[@]/-fPIC/-fno-pic}" -O2 -fcommon -c "$seeds/link_f.c" -o "$seeds/link_f_nopic.o"
  gcc "${free[@]}" -g -c "$seeds/link_f.c" -o "$seeds/link_f_g.o"
  gcc "${free[@]}" -c "$seeds/link_f2.c" -o "$seeds/link_f2.o"
  (cd "$seeds" && ar rcs link_f.a link_f.o link_f2.o)
  # The embedded objects, as C arrays.
  embed() {  # NAME FILE
    echo "static const unsigned char $1[] = {"
    od -An -v -tx1 "$2" | sed -E 's/ ([0-9a-f]{2})/0x\1,/g'
    echo "};"
    echo "static const size_t $1_len = sizeof $1;"
  }
  { embed link_main_o "$seeds/link_main.o"; embed link_lib_o "$seeds/link_lib.o"; } >"$out/link_inputs.h"
  # An options byte, then the file.
  seed() { { printf "$1"; cat "$seeds/$2"; } >"$seeds/$3"; }
  seed '\000' link_f.o link-static.in
  seed '\001' link_f.o link-pie.in
  seed '\207' link_f.o link-shared.in
  seed '\016' link_f_nopic.o link-gc.in
  seed '\020' link_f_g.o link-r.in
  seed '\000' link_f.a link-archive.in
  seed '\140' link_f.a link-whole.in
  touch "$seeds/link-done"
fi

# mini-ar's harness: archives with long names, a BSD one (llvm-ar, when there).
if [[ ! -e $seeds/ar-done ]]; then
  cp "$seeds/a.o" "$seeds/a_member_with_a_long_name.o"
  (cd "$seeds" && ar rcs long.a a.o a_member_with_a_long_name.o b.o)
  if command -v llvm-ar >/dev/null; then
    (cd "$seeds" && llvm-ar --format=bsd rcs bsd.a a.o a_member_with_a_long_name.o)
  else
    cp "$seeds/long.a" "$seeds/bsd.a"
  fi
  touch "$seeds/ar-done"
fi

# The loader's checks: small executables of every kind the loader takes (crt-free
# static and static-pie, a PIE and a non-PIE with an interpreter, one with a W+X
# segment) and a shared library.
if [[ ! -e $seeds/exe-done ]]; then
  printf 'void _start(void) { __asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall"); }\n' \
      >"$seeds/exe.c"
  printf 'int main(void) { return 0; }\n' >"$seeds/main.c"
  gcc -O1 -nostdlib -static -fno-pie -no-pie "$seeds/exe.c" -o "$seeds/exe-static"
  gcc -O1 -nostdlib -static-pie -fPIE "$seeds/exe.c" -o "$seeds/exe-static-pie"
  gcc -O1 -nostdlib -static -fno-pie -no-pie -Wl,--omagic,--no-warn-rwx-segments "$seeds/exe.c" -o "$seeds/exe-wx"
  gcc -O1 -fPIE -pie "$seeds/main.c" -o "$seeds/exe-pie"
  gcc -O1 -fno-pie -no-pie "$seeds/main.c" -o "$seeds/exe-dynamic"
  touch "$seeds/exe-done"
fi

# Linker scripts: the input scripts libraries are (glibc's libc.so), and GNU ld's
# default script, for the full parser to come.
if [[ ! -e $seeds/script-done ]]; then
  cat >"$seeds/libc.ld" <<'LD'
/* GNU ld script
   Use the shared library, but some functions are only in
   the static library, so try that secondarily.  */
OUTPUT_FORMAT(elf64-x86-64)
GROUP ( /lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libc_nonshared.a  AS_NEEDED ( /lib64/ld-linux-x86-64.so.2 ) )
LD
  cat >"$seeds/input.ld" <<'LD'
SEARCH_DIR("=/usr/local/lib"); SEARCH_DIR(/opt/lib)
OUTPUT_ARCH(i386:x86-64) TARGET(elf64-x86-64)
INPUT(a.o, "b c.o" -lm) GROUP(-lc libgcc.a)
LD
  ld --verbose 2>/dev/null | sed -n '/^=====/,/^=====/p' | sed '1d;$d' >"$seeds/default.ld" || true
  [[ -s $seeds/default.ld ]] || cp "$seeds/input.ld" "$seeds/default.ld"
  touch "$seeds/script-done"
fi

declare -A kinds=([fuzz_elf_object]="a.o b.o" [fuzz_elf_shared]="c.so" [fuzz_archive]="lib.a thin.a"
                  [fuzz_link]="link-static.in link-pie.in link-shared.in link-gc.in link-r.in
                               link-archive.in link-whole.in"
                  [fuzz_ar]="lib.a thin.a long.a bsd.a"
                  [fuzz_loader_check]="exe-static exe-static-pie exe-wx exe-pie exe-dynamic c.so"
                  [fuzz_linker_script]="libc.ld input.ld default.ld")
# What each harness is built from, besides its own file: the readers of common/
# (compress.c but for the link, which may meet compressed sections); the link
# harness includes ld/main.c itself, its main() renamed away.
sources() {
  case $1 in
  fuzz_link) ls ld/*.c ld/*/*.c common/*.c | grep -v '^ld/main\.c$' ;;
  fuzz_ar) ls ar/*.c common/*.c | grep -v '^ar/main\.c$' ;;
  fuzz_loader_check) ls loader/plan_file.c loader/trace.c common/*.c | grep -v compress.c ;;
  fuzz_linker_script) ls ld/*.c ld/*/*.c common/*.c | grep -v '^ld/main\.c$' ;;
  *) ls common/*.c | grep -v compress.c ;;
  esac
}
harnesses=${FUZZ:-fuzz_elf_object fuzz_elf_shared fuzz_archive fuzz_link fuzz_ar
                  fuzz_loader_check fuzz_linker_script}
status=0
for h in $harnesses; do
  bin=$out/$h
  clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
      -fno-sanitize-recover=all -I"$out" "tests/fuzz/$h.c" $(sources "$h") -o "$bin"
  corpus=$out/corpus/$h
  mkdir -p "$corpus"
  for s in ${kinds[$h]}; do cp "$seeds/$s" "$corpus/seed-$s"; done
  # Every finding so far, minimized, replayed first: tests/fuzz/regressions/NAME/.
  if [[ -d tests/fuzz/regressions/$h ]]; then
    for f in tests/fuzz/regressions/$h/*; do cp "$f" "$corpus/regression-${f##*/}"; done
  fi
  log=$out/$h.log
  # Messages about bad inputs (error()) are the point, not noise, and so is what the
  # tools print (mini-ar t): stdout and stderr are closed for the harness itself
  # (-close_fd_mask=3); libFuzzer's own report still shows. The link harness caps
  # file sizes and ignores SIGXFSZ (a link past the cap is an error it reports):
  # libFuzzer must not take the signal for a finding (-handle_xfsz=0).
  if [[ -n ${FUZZ_RUNS:-} ]]; then limit=(-runs="$FUZZ_RUNS"); else limit=(-max_total_time="$SECONDS_EACH"); fi
  if ! "$bin" "$corpus" -dict=tests/fuzz/elf.dict "${limit[@]}" \
      -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 -handle_xfsz=0 \
      -artifact_prefix="$out/findings/$h-" \
      -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz: $h found something; see $log and $out/findings/" >&2
    status=1
  fi
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  took=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE '[0-9]+ second' || true)
  echo "fuzz: $h: ${runs:-?} executions in ${took:-${SECONDS_EACH} second}s, $cov, corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
