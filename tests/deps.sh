#!/usr/bin/env bash
# tests/deps.sh [-v] [--layers FILE] [--objdir DIR] [DIR...] — which file calls which.
#
# STYLE.md §2: calls go down, never sideways between passes and never back up, so no
# two files may depend on each other in a circle. This script checks that from the
# objects `make` built: for each .c file under DIR (default: ld ar loader common,
# searched recursively), `nm` on build/DIR/.../FILE.o lists the global functions and
# variables the file defines and the ones it uses. File A depends on file B when A
# uses something B defines. Then it
#
#   - prints every cycle: each strongly connected component of more than one file,
#     one shortest cycle through it, and the dependencies inside it with the symbols
#     that make them;
#   - with --layers FILE, checks each dependency against rules, one a line:
#         # a comment
#         ld/main.c: *
#         ld/passes/*: ld/model/* ld/synthetic/* ld/arch_x86_64.c
#     A file matching a rule's glob (the first rule that matches) may depend only on
#     files matching one of the globs after the colon; `*` matches across `/`. A file
#     that no rule matches is not checked, and is listed as such;
#   - with -v, prints the whole graph.
#
# References are resolved within the file's own tool: ld/, ar/ and loader/ are
# separate programs. common/ is the layer below all of them, so their uses of it are
# not dependencies here; common/ itself is checked like the others, and must not use
# anything a tool defines.
#
# Exit status: 0 when there is no cycle and no broken rule, 1 when there is, 2 when
# the objects are missing or older than their sources (run `make` first) or the
# usage is wrong.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

usage() {
  echo "usage: tests/deps.sh [-v] [--layers FILE] [--objdir DIR] [DIR...]" >&2
  exit 2
}

verbose=0 layers= objdir=build
dirs=()
while (($#)); do
  case $1 in
  -v) verbose=1 ;;
  --layers) layers=${2-}; shift ;;
  --layers=*) layers=${1#*=} ;;
  --objdir) objdir=${2-}; shift ;;
  --objdir=*) objdir=${1#*=} ;;
  -h | --help) usage ;;
  -*) echo "deps: unknown option: $1" >&2; usage ;;
  *) dirs+=("$1") ;;
  esac
  shift
done
((${#dirs[@]})) || dirs=(ld ar loader common)
if [ -n "$layers" ] && [ ! -r "$layers" ]; then
  echo "deps: $layers: cannot read" >&2
  exit 2
fi

# The facts, one a line, for the awk program below:
#   F FILE          a source file, in sorted order
#   D FILE SYMBOL   FILE defines SYMBOL (a global, from nm)
#   U FILE SYMBOL   FILE uses SYMBOL (undefined in its object)
#   L GLOB GLOB...  a rule from the layers file
facts=$(mktemp)
trap 'rm -f "$facts"' EXIT
for dir in "${dirs[@]}"; do
  dir=${dir#./}
  dir=${dir%/}
  if [ ! -d "$dir" ]; then
    echo "deps: $dir: no such directory" >&2
    exit 2
  fi
  top=${dir%%/*}
  while IFS= read -r -d '' src; do
    obj=$objdir/${src%.c}.o
    if [ ! -f "$obj" ]; then
      echo "deps: $obj is missing: run make first" >&2
      exit 2
    fi
    # An object older than its source, or than a header it may include, would
    # describe code that is no longer there.
    newer=$src
    [ "$src" -nt "$obj" ] || newer=$(find "$top" common -name '*.h' -newer "$obj" -print -quit 2>/dev/null)
    if [ -n "$newer" ]; then
      echo "deps: $obj is older than $newer: run make first" >&2
      exit 2
    fi
    echo "F $src"
    # nm -P: "NAME TYPE VALUE SIZE"; U and w are uses, the other types definitions.
    nm -g -P "$obj" 2>/dev/null |
      awk -v f="$src" '$2 == "U" || $2 == "w" { print "U", f, $1; next } { print "D", f, $1 }'
  done < <(find "$dir" -name '*.c' -print0 | sort -z)
done >"$facts"
if [ -n "$layers" ]; then
  sed -e 's/#.*//' -e 's/:/ /' -e '/^[[:space:]]*$/d' -e 's/^[[:space:]]*/L /' "$layers" >>"$facts"
fi

awk -v verbose="$verbose" -v layers="$layers" '
function top_of(f) { return substr(f, 1, index(f, "/") - 1) }

# A glob (* and ?; * matches across /) as an anchored regular expression.
function glob_re(g,    re, i, c) {
  re = "^"
  for (i = 1; i <= length(g); i++) {
    c = substr(g, i, 1)
    if (c == "*") re = re ".*"
    else if (c == "?") re = re "."
    else if (index(".+()[]{}|^$\\", c)) re = re "\\" c
    else re = re c
  }
  return re "$"
}

# Tarjan: numbers every node reachable from v; a node whose low link is its own
# number roots a strongly connected component, popped off the stack as one.
function connect(v,    n, list, i, w, members) {
  num[v] = low[v] = ++counter
  stack[++sp] = v
  onstack[v] = 1
  n = split(succ[v], list, " ")
  for (i = 1; i <= n; i++) {
    w = list[i]
    if (!(w in num)) {
      connect(w)
      if (low[w] < low[v]) low[v] = low[w]
    } else if (onstack[w] && num[w] < low[v]) {
      low[v] = num[w]
    }
  }
  if (low[v] == num[v]) {
    ncomp++
    do {
      w = stack[sp--]
      onstack[w] = 0
      comp[w] = ncomp
      size[ncomp]++
    } while (w != v)
  }
}

# One shortest cycle through v, inside its component, as "v -> ... -> v".
function shortest_cycle(v,    queue, head, tail, prev, u, n, list, i, w, path) {
  split("", prev)
  head = 1; tail = 0
  queue[++tail] = v
  while (head <= tail) {
    u = queue[head++]
    n = split(succ[u], list, " ")
    for (i = 1; i <= n; i++) {
      w = list[i]
      if (comp[w] != comp[v]) continue
      if (w == v) {
        path = v
        for (; u != v; u = prev[u]) path = u " -> " path
        return v " -> " path
      }
      if (!(w in prev)) { prev[w] = u; queue[++tail] = w }
    }
  }
}

$1 == "F" { files[++nfiles] = $2; idx[$2] = nfiles; tops[top_of($2)] = 1 }
$1 == "D" { if (!((top_of($2), $3) in def)) def[top_of($2), $3] = $2 }
$1 == "U" { nuse++; use_file[nuse] = $2; use_sym[nuse] = $3 }
$1 == "L" {
  nrules++
  rule_text[nrules] = $2 ":"
  rule_re[nrules] = glob_re($2)
  rule_n[nrules] = NF - 2
  for (i = 3; i <= NF; i++) { rule_target[nrules, i - 2] = glob_re($i); rule_text[nrules] = rule_text[nrules] " " $i }
}

END {
  # Each use becomes a dependency on the file of the same tool that defines it.
  # A use inside common/ of something a tool defines points up, which is wrong.
  for (k = 1; k <= nuse; k++) {
    a = use_file[k]; s = use_sym[k]; t = top_of(a)
    if ((t, s) in def) {
      b = def[t, s]
      if (!((a, b) in syms)) { succ[a] = succ[a] " " b; nedges[t]++ }
      syms[a, b] = syms[a, b] " " s
    } else if (t == "common") {
      for (u in tops)
        if (u != "common" && (u, s) in def) {
          ups++
          print "up from common/: " a " -> " def[u, s] ": uses " s " (common/ is below the tools)"
        }
    }
  }

  if (verbose) {
    print "graph (file -> what it uses from another file):"
    for (i = 1; i <= nfiles; i++) {
      a = files[i]
      if (succ[a] == "") { print a ": uses no other file"; continue }
      print a ":"
      n = split(succ[a], list, " ")
      for (j = 1; j <= n; j++) print "  -> " list[j] ":" syms[a, list[j]]
    }
    print ""
  }

  for (i = 1; i <= nfiles; i++)
    if (!(files[i] in num)) connect(files[i])

  # Report the components in the order of their first file.
  for (i = 1; i <= nfiles; i++) {
    c = comp[files[i]]
    if (size[c] < 2 || (c in reported)) continue
    reported[c] = 1
    cycles++
    line = ""
    for (j = i; j <= nfiles; j++)
      if (comp[files[j]] == c) line = line " " files[j]
    print "cycle of " size[c] " files:" line
    print "  for example: " shortest_cycle(files[i])
    print "  the dependencies inside it:"
    for (j = i; j <= nfiles; j++) {
      a = files[j]
      if (comp[a] != c) continue
      n = split(succ[a], list, " ")
      for (m = 1; m <= n; m++)
        if (comp[list[m]] == c) print "    " a " -> " list[m] ":" syms[a, list[m]]
    }
  }

  # Each dependency against the first rule whose glob matches its file.
  unruled = ""
  for (i = 1; i <= nfiles && nrules; i++) {
    a = files[i]
    for (r = 1; r <= nrules; r++) if (a ~ rule_re[r]) break
    if (r > nrules) { unruled = unruled " " a; continue }
    n = split(succ[a], list, " ")
    for (j = 1; j <= n; j++) {
      ok = 0
      for (m = 1; m <= rule_n[r]; m++) if (list[j] ~ rule_target[r, m]) ok = 1
      if (!ok) {
        broken++
        print "breaks \"" rule_text[r] "\": " a " -> " list[j] ":" syms[a, list[j]]
      }
    }
  }
  if (unruled != "") print "no rule in " layers " covers (not checked):" unruled

  for (t in tops) ntop++
  for (i = 1; i <= nfiles; i++) {
    t = top_of(files[i])
    nf[t]++
    if (size[comp[files[i]]] > 1) incycle[t]++
  }
  for (i = 1; i <= nfiles; i++) {
    t = top_of(files[i])
    if (t in said) continue
    said[t] = 1
    printf "%s/: %d files, %d dependencies, %s\n", t, nf[t], nedges[t] + 0,
      incycle[t] ? incycle[t] " of them in cycles" : "no cycle"
  }
  printf "deps: cycles: %d, broken rules: %d, uses from common/ up into a tool: %d\n",
    cycles, broken, ups
  exit (cycles || broken || ups) ? 1 : 0
}' "$facts"
