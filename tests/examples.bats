#!/usr/bin/env bats
# Every example in examples/NN-*/ runs and prints exactly examples/expected/NN-*.out,
# so the examples' READMEs cannot drift from what the tools do. Each example is
# copied to the test's temp dir and run with `make -s run`, with the tools under
# test passed as LD, MINI_AR and MINI_LOADER.

load helpers

# run_example NAME [TARGET]: `make -s TARGET` (default run) in a copy of
# examples/NAME; its stdout must equal examples/expected/NAME.out.
run_example() {
  local name=$1 target=${2:-run}
  cp -r "$REPO/examples/$name" ex
  cd ex
  make -s LD="$MINI_LD" MINI_AR="$MINI_AR" MINI_LOADER="$MINI_LOADER" "$target" >got.out
  diff -u "$REPO/examples/expected/$name.out" got.out
}

@test "examples: 01-seeds-pipeline" {
  # Its run target adds "exit status: 0" to the program's output, which the
  # expected file (shared with examples/run) does not have.
  cp -r "$REPO/examples/01-seeds-pipeline" ex
  cd ex
  make -s LD="$MINI_LD" main
  run ./main
  [ "$status" -eq 0 ]
  [ "$output" = "$(cat "$REPO/examples/expected/01-seeds-pipeline.out")" ]
}

@test "examples: 02-two-files" {
  run_example 02-two-files
}

@test "examples: 03-data-and-bss" {
  run_example 03-data-and-bss
}

@test "examples: 04-archive-pull" {
  run_example 04-archive-pull
}

@test "examples: 05-relocations" {
  run_example 05-relocations
}

@test "examples: 06-load-it-yourself" {
  run_example 06-load-it-yourself
}

@test "examples: 07-dynamic" {
  run_example 07-dynamic
}

@test "examples: 08-shared-library" {
  run_example 08-shared-library
}

@test "examples: every example has an expected output and a test" {
  local dir name
  for dir in "$REPO"/examples/[0-9][0-9]-*/; do
    name=$(basename "$dir")
    [ -f "$REPO/examples/expected/$name.out" ] || { echo "no expected output: $name" >&2; return 1; }
    grep -q "@test \"examples: $name\"" "$BATS_TEST_FILENAME" ||
      { echo "no test for $name" >&2; return 1; }
  done
}
