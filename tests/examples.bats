#!/usr/bin/env bats
# Every example in examples/NN-*/ runs and prints exactly examples/expected/NN-*.out,
# so the examples' READMEs cannot drift from what the tools do. Each example is
# copied to the test's temp dir and run with `make -s run`, with the tools under
# test passed as LD, MINI_AR and MINI_LOADER.

load helpers

# in_git_copy NAME: copies examples/NAME to repo/examples/NAME, in a git repository
# that has the project's .gitignore and has committed the copy, and enters it.
in_git_copy() {
  mkdir -p repo/examples
  cp "$REPO/.gitignore" repo/
  cp -r "$REPO/examples/$1" repo/examples/
  rm -rf "repo/examples/$1/build"
  cd repo
  git init -q
  git add -A
  git -c user.name=test -c user.email=test@example.com commit -qm copy
  cd "examples/$1"
}

# nothing_left_behind: git sees no new or changed file (what make writes goes to
# build/, which .gitignore names).
nothing_left_behind() {
  local st
  st=$(git status --porcelain)
  [ -z "$st" ] || { echo "left behind: $st" >&2; return 1; }
}

# run_example NAME [TARGET]: `make -s TARGET` (default run) in a copy of
# examples/NAME; its stdout must equal examples/expected/NAME.out, and it must
# leave no file that git would see.
run_example() {
  local name=$1 target=${2:-run}
  in_git_copy "$name"
  make -s LD="$MINI_LD" MINI_AR="$MINI_AR" MINI_LOADER="$MINI_LOADER" "$target" >../../../got.out
  diff -u "$REPO/examples/expected/$name.out" ../../../got.out
  nothing_left_behind
}

@test "examples: 01-seeds-pipeline" {
  # Its run target adds "exit status: 0" to the program's output, which the
  # expected file (shared with examples/run) does not have.
  in_git_copy 01-seeds-pipeline
  make -s LD="$MINI_LD"
  run build/main
  [ "$status" -eq 0 ]
  [ "$output" = "$(cat "$REPO/examples/expected/01-seeds-pipeline.out")" ]
  run make -s LD="$MINI_LD" run
  [ "${lines[-1]}" = "exit status: 0" ]
  nothing_left_behind
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

# A copy of the repository's sources and builds (not .git) in ./repo.
copy_repo() {
  mkdir repo
  (cd "$REPO" && tar --exclude=./.git --exclude=./build-san --exclude=./build-fuzz -cf - .) |
    tar -C repo -xf -
}

@test "examples: make demo prints one line per build step before step 1, commands that fit a line" {
  copy_repo
  # A source newer than its object: make compiles at least that file and links
  # the loader again.
  touch repo/loader/trace.c
  run make -s -C repo demo
  [ "$status" -eq 0 ]
  # Nothing but a blank line before step 0, and in step 0 no compiler command line.
  [ "${lines[0]}" = "=== 0. Build the linker ===" ]
  local step0
  step0=$(sed -n '/^=== 0\./,/^=== 1\./p' <<<"$output")
  [[ "$step0" =~ $'\n'"  compiled "[0-9]+" C file" ]]
  [[ "$step0" == *"  LINK    bin/mini-loader"* ]]
  ! grep -E '(^|[ /])(cc|gcc) .*-c ' <<<"$step0"
  # Step 1 names the flags once, then every command fits in 80 columns.
  ! grep -E '^\$ .{79}' <<<"$(sed -n '/^=== 1\./,/^=== 2\./p' <<<"$output")"
  # The trace folds the environment; the sizes come with their reason.
  [[ "$output" =~ envp\[0\.\.[0-9]+\]:\ [0-9]+\ strings,\ [0-9,]+\ bytes ]]
  grep -qE '^why: +ld\.bfd starts each PT_LOAD on a new page of the file: [0-9]+ bytes of zero padding; mini-ld packs them \([0-9]+ bytes\)' <<<"$output"
}
