#!/usr/bin/env bats
# common/sha1.c: the SHA-1 of --build-id, in plain C and with the CPU's SHA
# instructions, each compared with sha1sum on every length around the padding's
# edges and on a few megabytes.

bats_require_minimum_version 1.5.0
load helpers

sha1_program() {
  with_common sha1 <<'C'
#include "common.h"
#include <stdio.h>
#include <stdlib.h>

// sha1 FILE: the digest of the file's bytes, as sha1sum prints it.
int main(int argc, char **argv) {
  (void)argc;
  View v;
  if (!map_file(argv[1], argv[1], &v))
    return 2;
  uint8_t d[20];
  sha1(v.data, v.size, d);
  for (int i = 0; i < 20; i++)
    printf("%02x", d[i]);
  printf("\n");
  return 0;
}
C
}

check_lengths() {
  local n want got
  head -c 5000000 /dev/urandom >big
  for n in 0 1 3 55 56 57 63 64 65 119 120 121 127 128 129 1000 4096 65537 5000000; do
    head -c "$n" big >in
    want=$(sha1sum in | cut -d' ' -f1)
    got=$(./sha1 in)
    [ "$got" = "$want" ] || { echo "length $n: $got, sha1sum says $want"; return 1; }
  done
}

@test "common: sha1 with the SHA instructions (when the CPU has them) agrees with sha1sum" {
  grep -qw sha_ni /proc/cpuinfo || skip "this CPU has no SHA instructions (the C version is tested below)"
  sha1_program
  check_lengths
}

@test "common: sha1 in plain C (MINI_SHA1=c) agrees with sha1sum" {
  sha1_program
  MINI_SHA1=c check_lengths
}
