#!/usr/bin/env bats
# Outputs that survive SIGKILL: mini-ld and mini-ar build their output in an unnamed
# file (O_TMPFILE) and name it only when it is complete, so killing them at any
# moment leaves the previous output intact and no stray file at all, but for one
# instant: replacing an old output takes a second name for the new one, for the
# time of two system calls (output_file.c).

bats_require_minimum_version 1.5.0
load helpers
shopt -s extglob

# A 64 MB object: enough that writing the output takes a while.
big_object() {
  printf '\t.data\n\t.globl blob\nblob:\n\t.fill %d,1,7\n\t.text\n\t.globl _start\n_start:\n\tmov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall\n\t.section .note.GNU-stack,"",@progbits\n' \
    $((64 << 20)) >big.s
  cc -c big.s -o big.o
}

# kill_while TOOL ARGS... : runs the command again and again, killed with SIGKILL
# after growing delays; after each, OUT (the last argument's output, $out) must be
# byte for byte the old one (old.copy) or the complete new one (new.copy), and the
# directory must hold nothing else new. At least one run must have been killed.
kill_while() {
  local delay killed=0 pid
  cp old.copy "$out"
  : >after.list
  ls >before.list
  for delay in 0.02 0.05 0.1 0.15 0.2 0.3 0.5 0.8; do
    cp old.copy "$out"
    "$@" &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null || true
    ls >after.list
    if ! diff before.list after.list >/dev/null; then
      # Killed in the last instant of replacing an old output: between giving the
      # whole new file a temporary name and renaming it over the old one (two system
      # calls, output_file.c). Then the new output is there, complete, under that
      # name, and the old one is untouched; anything else is a stray file.
      local extra
      extra=$(comm -13 before.list after.list)
      if [[ $extra == "$out".tmp.+([0-9]).+([0-9]) ]] && cmp -s "$extra" new.copy &&
          cmp -s "$out" old.copy; then
        rm -f "$extra"
      else
        diff before.list after.list >&2
        echo "after ${delay}s: a stray file" >&2
        return 1
      fi
    fi
    cmp -s "$out" old.copy || cmp -s "$out" new.copy ||
      { echo "after ${delay}s: $out is neither the old nor the new output" >&2; return 1; }
  done
  [ "$killed" -gt 0 ] || { echo "the command always finished before the kill" >&2; return 1; }
}

@test "kill: mini-ld killed with SIGKILL while writing leaves the old output and no other file" {
  big_object
  "$MINI_LD" big.o -o new.copy
  echo "the previous output" >old.copy
  out=prog
  kill_while "$MINI_LD" big.o -o prog
}

@test "kill: mini-ar killed with SIGKILL while writing leaves the old archive and no other file" {
  big_object
  "$MINI_AR" rcs old.copy big.s
  cp old.copy new.copy
  "$MINI_AR" rcs new.copy big.o
  out=lib.a
  # rcs adds to an existing archive: start from a fresh copy of the old one each time.
  kill_while sh -c 'exec "$0" rcs lib.a big.o' "$MINI_AR"
}
