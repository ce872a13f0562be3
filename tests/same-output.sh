#!/usr/bin/env bash
# tests/same-output.sh [BASE_REF] — proves that a change to mini-ld changes no output byte.
#
# A refactoring of ld/ must leave every link exactly as it was. This script builds
# mini-ld twice, from the git ref BASE_REF (default: origin/main if it exists, else
# main) and from the working tree, and runs the whole bats suite once (tests/run) with
# $MINI_BIN pointing at a wrapper. Each time a test links, directly as mini-ld or
# through `gcc -B $MINI_BIN/` as ld, the wrapper
#
#   1. runs the OLD linker with the same arguments in the same directory, and sets
#      aside its exit status, stdout, stderr, output file, -Map file and
#      --why-extract report;
#   2. puts those files back as they were before, so that the new linker sees the
#      same world the test prepared (an existing output, its mode, or no file);
#   3. runs the NEW linker, whose results the test sees: its exit status, its files,
#      and its stdout and stderr, passed on when it has finished;
#   4. compares the two runs and writes one line per comparison:
#        same WHAT: PATH
#        DIFF WHAT: PATH (how): cd DIR && ld ARGS [kept in DIR]
#        skip WHAT: PATH (why)
#      WHAT is status, stdout, stderr (stdout+stderr when the caller sent both to the
#      same place, as bats's `run` does: then their interleaving is compared too),
#      output, map or why-extract. A differing pair is copied to keep/ for inspection.
#
# Not compared, and logged as skipped: the output of a link with --build-id=uuid
# (random by design), and files that are not regular files (-o /dev/null, a symlink;
# `-o /dev/stdout` is compared as stdout). A link whose output is a named pipe runs
# only the new linker: the old one would block on it, or take bytes meant for the test.
#
# At the end it prints the suite's own summary line and
#     compared N links (M outputs, K maps): D differ
# (K counts -Map files and --why-extract reports; M and K leave out failed links
# that wrote nothing)
# and exits 1 if any link differs or if no link was compared at all (the wrapper was
# not used, so nothing was proved). The suite may fail for reasons of its own; that
# alone does not fail this script. It takes about twice as long as tests/run.
#
# The work directory, named at the start and at the end, keeps the merged log, the
# suite's output and the differing pairs.
#
# Internal: `same-output.sh --wrap PATH ARGS...` is the wrapper itself; it runs from a
# copy of this file in the work directory, next to old/ and new/.
set -uo pipefail

# ---------------------------------------------------------------------------------
# The wrapper: one link, run twice.

# expand_word WORD DEPTH: appends WORD to words[], or, for @FILE, the words of FILE.
# xargs splits them with quotes and backslashes, close enough to libiberty's rules to
# find the options we look for. A response file that cannot be read stays a word, as
# it does for the linker.
expand_word() {
  local w=$1 depth=$2 x
  if [[ $w == @?* ]] && ((depth <= 16)) && [ -f "${w#@}" ] && [ -r "${w#@}" ]; then
    local -a inner=()
    mapfile -d '' -t inner < <(xargs -r printf '%s\0' <"${w#@}" 2>/dev/null)
    for x in "${inner[@]}"; do
      expand_word "$x" $((depth + 1))
    done
  else
    words+=("$w")
  fi
}

# is_long NAME MIN: whether the option being parsed ($two, $name) spells the long
# option NAME. As in ld/parse_args.c: with two dashes, any unambiguous prefix (of at
# least MIN characters) will do; with one dash, only the whole name, and never a name
# starting with 'o' (-output is -o utput).
is_long() {
  if ((two)); then
    [ "${#name}" -ge "$2" ] && [[ $1 == "$name"* ]]
  else
    [ "$name" = "$1" ] && [[ $name != o* ]]
  fi
}

# takes_value NAME: whether the long option NAME (spelled out in full) takes a value,
# which may then be the next word. Abbreviations of these are not recognized; a value
# they take is then parsed as a word of its own, which is harmless unless it looks
# like one of the options we look for.
takes_value() {
  case $1 in
  entry | library-path | library | undefined | defsym | image-base | Ttext-segment | \
    require-defined | trace-symbol | hash-style | plugin | plugin-opt | dynamic-linker | \
    rpath | rpath-link)
    return 0 ;;
  esac
  return 1
}

# find_outputs: from words[], sets out (default a.out), map and why (empty: none,
# -: stdout) and uuid (1 if the link asks for a random build-id). The last option of
# a kind wins, as in the linker.
find_outputs() {
  out=a.out map= why= uuid=0
  local i n=${#words[@]} a body name two val
  for ((i = 0; i < n; i++)); do
    a=${words[i]}
    [[ $a == -?* ]] || continue
    if [[ $a == --* ]]; then two=1 body=${a#--}; else two=0 body=${a#-}; fi
    name=${body%%=*}
    if is_long output 1 || is_long Map 1 || is_long why-extract 3; then
      if [[ $body == *=* ]]; then val=${body#*=}; else val=${words[i + 1]-}; ((i++)); fi
      case $name in
      o*) out=$val ;;
      M*) map=$val ;;
      *) why=$val ;;
      esac
    elif is_long build-id 1; then
      [ "$body" = "$name=uuid" ] && uuid=1 || uuid=0
    elif [[ $body != *=* ]] && takes_value "$name"; then
      ((i++))  # the option's value is the next word: not an input, not an option
    elif ((!two)); then
      # A short option: a value is attached (-ofile) or the next word (-o file).
      case ${body:0:1} in
      o | e | L | l | m | y | u | O | z)
        if [ -n "${body:1}" ]; then val=${body:1}; else val=${words[i + 1]-}; ((i++)); fi
        [ "${body:0:1}" = o ] && out=$val
        ;;
      M) map=- ;;
      esac
    fi
  done
}

# run_linker WHICH BIN ARGS...: runs BIN as the caller ran us (same argv[0]) and
# saves its stdout, stderr and exit status in $dir/WHICH.{stdout,stderr,status}; when
# the caller merged the two streams, they arrive merged in WHICH.stdout. Both streams
# are pipes, never files, so that `-o /dev/stdout` (or /dev/stderr) is written
# through, as it would be for the test, and never renamed over.
run_linker() {
  local which=$1 bin=$2
  shift 2
  if ((merged)); then
    exec -a "$self" "$bin" "$@" 2>&1 | cat >"$dir/$which.stdout"
    echo "${PIPESTATUS[0]}" >"$dir/$which.status"
  else
    { exec -a "$self" "$bin" "$@" 2>&1 >&3 3>&- | cat >"$dir/$which.stderr"
      echo "${PIPESTATUS[0]}" >"$dir/$which.status"; } 3>&1 | cat >"$dir/$which.stdout"
  fi
}

wrap() {
  local self=$1
  shift
  local work name=${self##*/}
  work=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  local old=$work/old/$name new=$work/new/$name
  local id=${EPOCHREALTIME/./}.$$
  local dir=$work/links/$id keep=$work/keep/$id
  # Whatever goes wrong in here, the test must still get the new linker's run.
  if ! mkdir -p "$dir"; then
    exec -a "$self" "$new" "$@"
  fi
  local cmd
  printf -v cmd ' %q' "$name" "$@"
  cmd="cd $(printf %q "$PWD") &&$cmd"
  log() { printf '%s\n' "$*" >>"$dir/log"; }

  local -a words=()
  local a out map why uuid
  for a in "$@"; do
    expand_word "$a" 0
  done
  find_outputs

  # The files the link writes, and what each one was before: absent, regular (saved
  # in pre.I, to be put back) or special (left alone).
  local -a what=(output) path=("$out") pre=()
  [ -n "$map" ] && [ "$map" != - ] && what+=(map) path+=("$map")
  [ -n "$why" ] && [ "$why" != - ] && what+=(why-extract) path+=("$why")
  local i p shown
  for i in "${!path[@]}"; do
    p=${path[i]}
    # A named pipe would block the old linker, or feed the test its bytes. A path
    # such as /dev/stdout is safe: it names each process's own fd, and the old
    # linker's fds are ours.
    if [ -p "$p" ] && [[ $p != /dev/std* && $p != /dev/fd/* && $p != /proc/self/fd/* ]]; then
      [[ $p == /* ]] || p=$PWD/$p
      log "skip link: $p (${what[i]} is a pipe): $cmd"
      exec -a "$self" "$new" "$@"
    elif [ -L "$p" ] || { [ -e "$p" ] && [ ! -f "$p" ]; }; then
      pre[i]=special
    elif [ -f "$p" ]; then
      pre[i]=regular
      cp -p -- "$p" "$dir/pre.$i"
    else
      pre[i]=absent
    fi
  done

  # bats's `run` sends stdout and stderr into one pipe; then both linkers do too, and
  # the order in which their lines arrive is part of what is compared.
  local merged=0 old_status new_status
  [ /dev/fd/1 -ef /dev/fd/2 ] && merged=1
  run_linker old "$old" "$@" </dev/null
  read -r old_status <"$dir/old.status"

  # Set the old linker's files aside and put back what was there before.
  for i in "${!path[@]}"; do
    [ "${pre[i]}" = special ] && continue
    p=${path[i]}
    if [ -f "$p" ] && [ ! -L "$p" ]; then
      mv -f -- "$p" "$dir/old.$i"
    fi
    if [ "${pre[i]}" = regular ]; then
      mv -f -- "$dir/pre.$i" "$p"
    fi
  done

  run_linker new "$new" "$@"
  read -r new_status <"$dir/new.status"

  shown=$out
  [[ $shown == /* ]] || shown=$PWD/$out
  # compare WHAT OLD NEW SHOWN: one log line; a differing pair goes to keep/.
  compare() {
    local how
    if [ -f "$2" ] && [ -f "$3" ] && how=$(cmp -- "$2" "$3" 2>&1); then
      log "same $1: $4"
      return
    fi
    if [ ! -f "$2" ]; then
      how="only the new link wrote it"
    elif [ ! -f "$3" ]; then
      how="only the old link wrote it"
    else
      how=${how##*differ: }
    fi
    mkdir -p "$keep"
    printf '%s\n' "$cmd" >"$keep/cmd"
    [ -f "$2" ] && cp -- "$2" "$keep/old.$1"
    [ -f "$3" ] && cp -- "$3" "$keep/new.$1"
    log "DIFF $1: $4 ($how): $cmd [kept in $keep]"
  }

  if [ "$old_status" = "$new_status" ]; then
    log "same status $new_status: $shown"
  else
    mkdir -p "$keep"
    printf '%s\n' "$cmd" >"$keep/cmd"
    log "DIFF status: $shown (old $old_status, new $new_status): $cmd [kept in $keep]"
  fi
  if ((merged)); then
    compare stdout+stderr "$dir/old.stdout" "$dir/new.stdout" "$shown"
  else
    compare stdout "$dir/old.stdout" "$dir/new.stdout" "$shown"
    compare stderr "$dir/old.stderr" "$dir/new.stderr" "$shown"
  fi
  for i in "${!path[@]}"; do
    p=${path[i]}
    [[ $p == /* ]] || p=$PWD/$p
    if [ "${pre[i]}" = special ]; then
      log "skip ${what[i]}: $p (not a regular file)"
    elif [ "${what[i]}" = output ] && ((uuid)); then
      log "skip output: $p (--build-id=uuid is random by design)"
    elif [ ! -f "$dir/old.$i" ] && { [ ! -f "$p" ] || [ -L "$p" ]; }; then
      log "same ${what[i]}: $p (neither link wrote it)"
    else
      compare "${what[i]}" "$dir/old.$i" "$p" "$p"
    fi
  done

  # Only the log stays; differing pairs were copied to keep/.
  rm -f -- "$dir"/old.* "$dir"/pre.*
  cat "$dir/new.stdout"
  ((merged)) || cat "$dir/new.stderr" >&2
  rm -f -- "$dir"/new.*
  exit "$new_status"
}

if [ "${1-}" = --wrap ]; then
  shift
  wrap "$@"
fi

# ---------------------------------------------------------------------------------
# The driver: build both linkers, run the suite through the wrapper, count.

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$self")/.." || exit 2
repo=$PWD
base=${1-}
if [ -z "$base" ]; then
  base=main
  git rev-parse --verify -q origin/main >/dev/null && base=origin/main
fi
if ! base_commit=$(git rev-parse --verify -q "$base^{commit}"); then
  echo "same-output: '$base' is not a git commit" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX") || exit 2
echo "same-output: old: $base (${base_commit:0:12}), new: the working tree; work dir: $work"

# build WHAT DIR TARGETS...: make, quietly unless it fails.
build() {
  local what=$1 dir=$2
  shift 2
  if ! make -C "$dir" -j"$(nproc)" "$@" >"$work/build-$what.log" 2>&1; then
    tail -20 "$work/build-$what.log" >&2
    echo "same-output: building the $what mini-ld failed (log: $work/build-$what.log)" >&2
    exit 2
  fi
}
mkdir -p "$work/old-src" "$work/old" "$work/new" "$work/bin" "$work/links"
git archive "$base_commit" | tar -x -C "$work/old-src" || exit 2
build old "$work/old-src" bin/mini-ld bin/ld
build new "$repo"
# Copies, so that a `make` in the tree during the run cannot mix two linkers.
cp "$work/old-src/bin/mini-ld" "$work/old/mini-ld"
cp "$repo/bin/mini-ld" "$work/new/mini-ld"
ln -s mini-ld "$work/old/ld"
ln -s mini-ld "$work/new/ld"
rm -rf "$work/old-src"

cp "$self" "$work/same-output.sh"
bash=$(command -v bash)
printf '#!%s\n# Made by tests/same-output.sh: run the old and the new mini-ld, compare.\nexec %q %q --wrap "$0" "$@"\n' \
  "$bash" "$bash" "$work/same-output.sh" >"$work/bin/mini-ld"
chmod +x "$work/bin/mini-ld"
ln -s mini-ld "$work/bin/ld"
ln -s "$repo/bin/mini-ar" "$work/bin/mini-ar"
ln -s "$repo/bin/mini-loader" "$work/bin/mini-loader"

MINI_BIN=$work/bin tests/run 2>&1 | tee "$work/tests.log"
suite=$(tail -n 1 "$work/tests.log")

# Merge the per-link logs in the order the links ran (their names start with the time).
log=$work/log
find "$work/links" -name log | sort | xargs -r cat >"$log"
links=$(grep -c '^[a-zA-Z]* status' "$log")
outputs=$(grep -E '^(same|DIFF) output:' "$log" | grep -vc '(neither link wrote it)$')
maps=$(grep -E '^(same|DIFF) (map|why-extract):' "$log" | grep -vc '(neither link wrote it)$')
skipped=$(grep -c '^skip link:' "$log")
differ=$(find "$work/links" -name log -exec grep -l '^DIFF' {} + | wc -l)
rm -rf "$work/links" "$work/old" "$work/new" "$work/bin" "$work/same-output.sh"

echo
echo "tests: $suite"
grep '^DIFF' "$log" | head -20
((skipped)) && echo "skipped $skipped links whose output is a pipe"
echo "log: $log"
((differ)) && echo "differing pairs: $work/keep/"
echo "compared $links links ($outputs outputs, $maps maps): $differ differ"
[ "$links" -gt 0 ] && [ "$differ" -eq 0 ]
