#!/usr/bin/env bats
# `make test` must pass as an ordinary user too, with the tests that need root
# skipped, each saying why. Run as root, this file checks that for the tests whose
# outcome depends on privileges, by running them again as the user nobody. (For the
# whole suite: tests/README.md, "As an ordinary user".)

load helpers

tmp=
teardown() {
  [ -z "$tmp" ] || rm -rf "$tmp"
}

@test "tests: as an ordinary user, the loader's tests that need root skip with the reason" {
  [ "$(id -u)" = 0 ] || skip "already an ordinary user: the whole suite is this check"
  [ -z "${MINI_SANITIZED:-}" ] || skip "the sanitizer build does not run these programs"
  command -v setpriv >/dev/null || skip "setpriv is not installed (Debian: util-linux)"
  id nobody >/dev/null 2>&1 || skip "there is no user nobody"
  # nobody can read the repository, but needs a directory of its own to write in
  # (outside ours, which only root may enter).
  tmp=$(mktemp -d)
  chmod 777 "$tmp"
  cd "$tmp"
  setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --reset-env -- \
    env TMPDIR="$tmp" MINI_BIN="$MINI_BIN" PATH=/usr/local/bin:/usr/bin:/bin \
    bats --tap -f '/proc/self/exe|\$ORIGIN' "$REPO/tests/loader_run.bats" "$REPO/tests/loader_process.bats" \
    >tap.out 2>&1 || { cat tap.out >&2; return 1; }
  cat tap.out
  ! grep -q '^not ok' tap.out
  # Each of the three that need root says so; the warning test runs.
  [ "$(grep -c '# skip needs root: pointing /proc/self/exe at the program needs CAP_CHECKPOINT_RESTORE' tap.out)" -eq 3 ]
  grep -q '^ok .* a \$ORIGIN program gets a one-line warning$' tap.out
}
