#!/usr/bin/env bats
# STYLE.md §2: calls go down, never sideways and never back up, so no two files may
# depend on each other in a circle. tests/deps.sh finds the dependencies with nm on
# the objects the build left behind, so this suite needs `make` first (tests/run and
# `make test` always run after it); under `make check` it reads build-san/ instead.

load helpers

@test "loader, common: no two files depend on each other in a circle" {
  # ld/ joins this list when its restructuring lands (today it has a cycle of 12
  # files), and ar/ when apply_command.c stops lending helpers to edit_members.c and
  # show_members.c, which it calls (a cycle of 3); then the name says "ld, ar, ...".
  local objdir=build
  [ -z "${MINI_SANITIZED:-}" ] || objdir=build-san
  "$REPO/tests/deps.sh" --objdir "$objdir" loader common
}
