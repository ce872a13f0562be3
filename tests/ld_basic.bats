#!/usr/bin/env bats
# The first links: a freestanding program from objects, then from an archive.

load helpers

@test "ld: a two-object program runs like its GNU ld link" {
  runtime
  obj main <<'C'
void print(const char *);
int twice(int);
int main(void) { print("hello from mini-ld\n"); return twice(21); }
C
  obj lib <<'C'
int twice(int x) { return 2 * x; }
C
  link_both prog rt.o main.o lib.o
  run_both prog
  [ "$status" -eq 42 ]
  [ "$output" = "hello from mini-ld" ]
  check_layout prog
}

@test "ld: the seeds' example links with the seeds' command line" {
  cp -r "$REPO/examples/01-seeds-pipeline" ex
  cd ex
  make -s LD="$MINI_LD" build/main
  run build/main
  [ "$status" -eq 0 ]
  [ "$output" = "$(cat "$REPO/examples/expected/01-seeds-pipeline.out")" ]
  check_layout build/main
}
