#!/usr/bin/env bats
# Self-hosting: mini-ld links mini-ld (a dynamically linked PIE against libc.so.6,
# `make self`), and the mini-ld it makes links as well as the one GNU ld made:
# it passes the link suites, and it makes itself again byte for byte.

bats_require_minimum_version 1.5.0
load helpers

@test "self: mini-ld links itself, and that mini-ld passes the link tests" {
  make -C "$REPO" -s build/self/mini-ld >/dev/null
  local self=$REPO/build/self/mini-ld
  # A PIE with an interpreter, needing what GNU ld's link of the same objects needs.
  [ "$(readelf -hW "$self" | awk '/Type:/ { print $2 }')" = DYN ]
  readelf -lW "$self" | grep -q 'Requesting program interpreter: /lib64/ld-linux-x86-64.so.2'
  diff <(readelf -dW "$REPO/bin/mini-ld" | grep NEEDED) <(readelf -dW "$self" | grep NEEDED)
  check_layout "$self"

  # The self-linked mini-ld links the same objects into the same bytes (it is the
  # same linker, whoever linked it).
  mkdir -p stage2
  ln -s "$self" stage2/mini-ld
  ln -s mini-ld stage2/ld
  ln -s "$REPO/bin/mini-ar" stage2/mini-ar
  ln -s "$REPO/bin/mini-loader" stage2/mini-loader
  local objs
  objs=$(find "$REPO/build/common" "$REPO/build/ld" -name '*.o' | LC_ALL=C sort)
  # shellcheck disable=SC2086
  cc -B "$PWD/stage2/" $objs -o stage3
  # shellcheck disable=SC2086
  cc -B "$REPO/bin/" $objs -o stage3.ref
  cmp stage3 stage3.ref
  ./stage3 --version | grep -q mini-ld

  # And it passes the link suites.
  run env MINI_BIN="$PWD/stage2" bats "$REPO/tests/ld_basic.bats" "$REPO/tests/ld_relocs.bats" \
    "$REPO/tests/ld_dynamic.bats" "$REPO/tests/ld_shared.bats"
  if [ "$status" -ne 0 ]; then
    printf '%s\n' "$output" | grep -A3 '^not ok' >&2
    return 1
  fi
}
