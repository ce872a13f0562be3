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

declare -A kinds=([fuzz_elf_object]="a.o b.o" [fuzz_elf_shared]="c.so" [fuzz_archive]="lib.a thin.a")
harnesses=${FUZZ:-fuzz_elf_object fuzz_elf_shared fuzz_archive}
status=0
for h in $harnesses; do
  bin=$out/$h
  clang -g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
      -fno-sanitize-recover=all "tests/fuzz/$h.c" $(ls common/*.c | grep -v compress.c) -o "$bin"
  corpus=$out/corpus/$h
  mkdir -p "$corpus"
  for s in ${kinds[$h]}; do cp "$seeds/$s" "$corpus/seed-$s"; done
  log=$out/$h.log
  # Messages about bad inputs (error()) are the point, not noise: stderr is closed
  # for the harness itself (-close_fd_mask=2); libFuzzer's own report still shows.
  if ! "$bin" "$corpus" -dict=tests/fuzz/elf.dict -max_total_time="$SECONDS_EACH" \
      -timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 -artifact_prefix="$out/findings/$h-" \
      -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz: $h found something; see $log and $out/findings/" >&2
    status=1
  fi
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  echo "fuzz: $h: ${runs:-?} executions in ${SECONDS_EACH}s, $cov, corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
