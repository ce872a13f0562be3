#!/usr/bin/env bats
# STYLE.md §2: calls go down, never sideways and never back up, so no two files may
# depend on each other in a circle. tests/deps.sh finds the dependencies with nm on
# the objects the build left behind, so this suite needs `make` first (tests/run and
# `make test` always run after it); under `make check` it reads build-san/ instead.

load helpers

objdir() {
  if [ -n "${MINI_SANITIZED:-}" ]; then echo build-san; else echo build; fi
}

@test "ld, ar, loader, common: no two files depend on each other in a circle" {
  "$REPO/tests/deps.sh" --objdir "$(objdir)" ld ar loader common
}

@test "ld: passes call the model, the synthetic-section table and the arch file, never each other's helpers" {
  "$REPO/tests/deps.sh" --objdir "$(objdir)" --layers "$REPO/tests/ld-layers.txt" ld
  # The rules cover every file of ld/: none is left unchecked.
  run "$REPO/tests/deps.sh" --objdir "$(objdir)" --layers "$REPO/tests/ld-layers.txt" ld
  [[ "$output" != *"not checked"* ]]
}
