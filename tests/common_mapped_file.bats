#!/usr/bin/env bats
# common/mapped_file.c: inputs are mapped side by side in reserved address space, so
# that a big link lets go of their pages with one madvise per run of them, not one
# per file (each call is a TLB flush on every CPU running the link).

bats_require_minimum_version 1.5.0
load helpers

# A program that maps the files named on its command line, counting its madvise
# calls (its own madvise stands in for libc's).
mapper() {
  with_common mapper <<'C'
#include "common.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static _Atomic int calls;
int madvise(void *addr, size_t len, int advice) {
  calls++;
  return (int)syscall(SYS_madvise, addr, len, advice);
}

// Resident kilobytes of the mappings of the files f0, f1, ... (/proc/self/smaps:
// the process's whole resident size would count a sanitizer's shadow memory too).
static long resident_kib(void) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[512];
  long kib, total = 0;
  int ours = 0;
  while (f && fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
      const char *base = strrchr(line, '/');
      ours = base && base[1] == 'f' && base[2] >= '0' && base[2] <= '9';
    } else if (ours && sscanf(line, "Rss: %ld kB", &kib) == 1) {
      total += kib;
    }
  }
  if (!f)
    exit(3);
  fclose(f);
  return total;
}

// Whether some mapping of this process covers addr (/proc/self/maps).
static int mapped(uintptr_t addr) {
  FILE *f = fopen("/proc/self/maps", "r");
  unsigned long lo, hi;
  char line[512];
  int found = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= addr && addr < hi)
      found = 1;
  if (f)
    fclose(f);
  return found;
}

static volatile uint8_t sink;

static void touch(const View *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (uint64_t off = 0; off < v[i].size; off += 4096)
      sink += v[i].data[off];
}

int main(int argc, char **argv) {
  View v[64];
  size_t n = 0;
  for (int i = 1; i < argc && n < 64; i++)
    if (map_file(argv[i], argv[i], &v[n]))
      n++;
    else
      printf("cannot map %s\n", argv[i]);
  long page = sysconf(_SC_PAGESIZE);
  for (size_t i = 1; i < n; i++) {
    uintptr_t end = ((uintptr_t)v[i - 1].data + v[i - 1].size + page - 1) & ~(uintptr_t)(page - 1);
    printf("%zu %s\n", i, (uintptr_t)v[i].data == end ? "follows" : "elsewhere");
    if ((uintptr_t)v[i].data > end)
      printf("%zu: the gap before it is %s\n", i, mapped(end) ? "reserved" : "a hole");
  }
  long before = resident_kib();
  touch(v, n);
  long touched = resident_kib();
  calls = 0;
  release_mapped_pages();
  printf("release_mapped_pages: %d call(s), %s\n", (int)calls,
         resident_kib() < before + (touched - before) / 4 ? "pages gone" : "pages kept");
  touch(v, n);
  calls = 0;
  release_views_pages(v + 1, n - 1);
  printf("release_views_pages: %d call(s)\n", (int)calls);
  for (size_t i = 0; i < n; i++)
    if (v[i].data[v[i].size - 1] != (uint8_t)i)
      printf("%zu: wrong last byte after letting go\n", i);
  unmap_files();
  return 0;
}
C
}

# N sparse files of KIB kilobytes each, whose last byte is their index.
sparse_files() {
  local n=$1 kib=$2 i
  for ((i = 0; i < n; i++)); do
    truncate -s "$((kib * 1024 - 1))" "f$i"
    printf "\\x$(printf %02x "$i")" >>"f$i"
  done
}

@test "common: the inputs of a big link lie side by side and go a piece of 32 MiB a call" {
  mapper
  # 60 files, 288 MB: above the size from which a link lets go of pages.
  sparse_files 60 4900
  run -0 ./mapper f{0..59}
  [[ $output == *"1 follows"*"59 follows"* ]]
  [[ $output != *elsewhere* ]]
  # 9 pieces of 32 MiB (not a call per file), on the threads.
  [[ $output == *"release_mapped_pages: 9 call(s), pages gone"* ]]
  [[ $output == *"release_views_pages: 1 call(s)"* ]]
  [[ $output != *wrong* ]]
}

@test "common: a file that cannot be mapped leaves its place reserved, not a hole" {
  mapper
  sparse_files 6 49000
  # sysfs files have a size but cannot be mapped (ENODEV); the MAP_FIXED attempt
  # must not leave the region with a hole something else could be mapped into.
  local sys=/sys/kernel/mm/transparent_hugepage/enabled
  [[ -r $sys ]] || skip "no $sys to fail to map"
  run -0 ./mapper f0 f1 "$sys" f2 f3 f4 f5
  [[ $output == *"cannot map $sys"* ]]
  [[ $output == *"2: the gap before it is reserved"* ]]
  [[ $output == *"release_mapped_pages: 9 call(s), pages gone"* ]]
  [[ $output != *wrong* ]]
}

@test "common: a small link keeps its inputs' pages" {
  mapper
  sparse_files 3 8192
  run -0 ./mapper f0 f1 f2
  [[ $output == *"2 follows"* ]]
  [[ $output == *"release_mapped_pages: 0 call(s), pages kept"* ]]
  [[ $output == *"release_views_pages: 0 call(s)"* ]]
}
