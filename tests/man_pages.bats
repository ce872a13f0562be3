#!/usr/bin/env bats
# The manual pages (man/*.1) cannot drift from the code: every option the tools'
# option tables accept is named in its page, and each page renders without a
# warning from groff or man.

bats_require_minimum_version 1.5.0
load helpers

# The page's roff source with "\-" as "-", so that options read as they are typed.
page_text() {
  sed 's/\\-/-/g' "$REPO/man/$1"
}

# names_missing PAGE PREFIX NAME...: print each NAME that does not appear in PAGE as
# PREFIX NAME followed by something that cannot continue an option's name.
names_missing() {
  local page=$1 prefix=$2 name
  shift 2
  local text
  text=$(page_text "$page")
  for name in "$@"; do
    grep -qE -- "$prefix$name([^A-Za-z0-9_-]|\$)" <<<"$text" || echo "$prefix$name"
  done
}

# The names of ld/passes/parse_args.c's long_opts[] table, one a line.
ld_long_options() {
  sed -n '/^static const LongOpt long_opts\[\] = {/,/^};/p' "$REPO/ld/passes/parse_args.c" |
    grep -oE '^ *\{"[^"]+"' | sed 's/^ *{"//; s/"$//'
}

@test "man: mini-ld.1 names every long option of parse_args.c's table" {
  mapfile -t names < <(ld_long_options)
  ((${#names[@]} >= 90))
  run names_missing mini-ld.1 - "${names[@]}"
  [ "$output" = "" ] || { echo "man/mini-ld.1 does not name:" $output; false; }
}

@test "man: mini-ld.1 names every short option and every -z keyword mini-ld knows" {
  local src=$REPO/ld/passes/parse_args.c
  mapfile -t letters < <(sed -n '/^static bool short_opt/,/^}/p' "$src" |
    grep -oE "case '[A-Za-z]'" | cut -c7)
  ((${#letters[@]} > 20))
  run names_missing mini-ld.1 - "${letters[@]}"
  [ "$output" = "" ] || { echo "man/mini-ld.1 does not name:" $output; false; }
  # -( and -) are not letters.
  page_text mini-ld.1 | grep -qF -- '-( ... -)'
  mapfile -t keywords < <(sed -n '/^static void z_keyword/,/^}/p' "$src" |
    grep -oE 'strn?cmp\(kw, "[^"]+"' | sed 's/.*"\(.*\)"/\1/')
  ((${#keywords[@]} > 25))
  run names_missing mini-ld.1 "-z " "${keywords[@]}"
  [ "$output" = "" ] || { echo "man/mini-ld.1 does not name:" $output; false; }
}

@test "man: mini-ar.1 names every operation, modifier and option of mini-ar and mini-ranlib" {
  local src=$REPO/ar/parse_args.c
  # The letters of apply_letter() and ranlib's, each as a word on a .B/.BR line.
  mapfile -t letters < <(grep -oE "case '[A-Za-z]'" "$src" | cut -c7 | sort -u)
  ((${#letters[@]} > 25))
  local words missing=()
  words=$(page_text mini-ar.1 | grep -E '^\.[BRI]+ ' | tr ' "' '\n\n')
  for l in "${letters[@]}"; do
    grep -qxE -- "-?$l" <<<"$words" || missing+=("$l")
  done
  [ "${missing[*]}" = "" ] || { echo "man/mini-ar.1 does not name: ${missing[*]}"; false; }
  # Long options: GNU ar's (long_option) and ranlib's (parse_ranlib_args).
  mapfile -t longs < <(grep -oE '(strncmp\(arg|strn?cmp\(a), "[a-z-]+' "$src" |
    sed 's/.*"//; s/^--//' | grep -v '^$' | sort -u)
  ((${#longs[@]} >= 7))
  run names_missing mini-ar.1 -- "${longs[@]}"
  [ "$output" = "" ] || { echo "man/mini-ar.1 does not name:" $output; false; }
}

@test "man: mini-loader.1 names every option of mini-loader" {
  mapfile -t opts < <(grep -oE 'strcmp\(opt, "-[-a-z]+"' "$REPO/loader/main.c" |
    sed 's/.*"-\{1,2\}//; s/"$//' | grep -v '^$' | sort -u)
  ((${#opts[@]} >= 5))
  local missing=() o
  for o in "${opts[@]}"; do
    page_text mini-loader.1 | grep -qE -- "-$o([^a-z-]|\$)" || missing+=("$o")
  done
  [ "${missing[*]}" = "" ] || { echo "man/mini-loader.1 does not name: ${missing[*]}"; false; }
}

@test "man: each page states the exit statuses the tools use" {
  # STYLE §5: 0 success, 1 input or link error, 2 usage; the loader 126 and 127.
  for page in mini-ld.1 mini-ar.1; do
    run -0 sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' "$REPO/man/$page"
    for s in 0 1 2 3; do
      grep -qx "\.B $s" <<<"$output"
    done
  done
  run -0 sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' "$REPO/man/mini-loader.1"
  for s in 2 126 127; do
    grep -qx "\.B $s" <<<"$output"
  done
}

# groff and man, installed for this test only when missing and we may (root, apt).
need_man_tools() {
  if ! command -v groff >/dev/null || ! command -v man >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq groff-base man-db >/dev/null
    fi
  fi
  command -v groff >/dev/null && command -v man >/dev/null ||
    skip "needs groff and man (apt-get install groff-base man-db)"
}

@test "man: each page renders with groff and man without a warning, within 80 columns" {
  need_man_tools
  for page in mini-ld.1 mini-ar.1 mini-loader.1; do
    run -0 --separate-stderr groff -man -ww -z "$REPO/man/$page"
    [ "$stderr" = "" ]
    run -0 --separate-stderr env MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings -l "$REPO/man/$page"
    [ "$stderr" = "" ]
    [[ "$output" == *"EXIT STATUS"* ]]
    local long
    long=$(awk 'length($0) > 80' <<<"$output")
    [ "$long" = "" ]
  done
}
