#!/usr/bin/env bats
# common/output_file.c: an output is written whole or not at all. A small program
# writes "hello" to each PATH the way WAY says, through the same calls the tools
# make; mini-ar's own tests (ar_errors.bats) check the same through the tool.

bats_require_minimum_version 1.5.0
load helpers

# ./out WAY PATH...: WAY is fd (write_all), map (output_map), stream
# (output_stream), discard (fd, then output_discard) or die (fd, then fatal()
# with every output still open). $FLAGS adds follow and keep (OUTPUT_*).
writer() {
  with_common out <<'C'
#include "common.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  diag_set_tool("t");
  const char *way = argv[1], *flags = getenv("FLAGS") ? getenv("FLAGS") : "";
  unsigned f = OUTPUT_DASH_IS_STDOUT;
  if (strstr(flags, "follow"))
    f |= OUTPUT_FOLLOW_SYMLINK;
  if (strstr(flags, "keep"))
    f |= OUTPUT_KEEP_MODE;
  // Text of the size $SIZE (default 6): "hello\n", then x's.
  size_t n = getenv("SIZE") ? strtoul(getenv("SIZE"), NULL, 0) : 6;
  char *text = malloc(n);
  memset(text, 'x', n);
  memcpy(text, "hello\n", n < 6 ? n : 6);
  OutputFile of[4];
  for (int i = 0; i < argc - 2 && i < 4; i++) {
    if (!output_open(&of[i], argv[2 + i], 0666, f))
      return 1;
    if (!strcmp(way, "map")) {
      uint8_t *p = output_map(&of[i], n);
      if (!p)
        return 1;
      memcpy(p, text, n);
    } else if (!strcmp(way, "stream")) {
      FILE *fp = output_stream(&of[i]);
      if (!fp)
        return 1;
      fwrite(text, 1, n, fp);
    } else if (!write_all(of[i].fd, text, n)) {
      fatal("%s: cannot write: %s", argv[2 + i], strerror(errno));
    }
  }
  if (!strcmp(way, "die"))
    fatal("%s: stopping", argv[2]);
  for (int i = 0; i < argc - 2 && i < 4; i++) {
    if (!strcmp(way, "discard"))
      output_discard(&of[i]);
    else if (!output_commit(&of[i]))
      return 1;
  }
  free(text);
  return 0;
}
C
}

no_temp_files() {
  ! compgen -G '*.tmp.*' && ! compgen -G '*/*.tmp.*'
}

@test "common: an output written through fd, a map or a stream gets 0666 minus the umask" {
  writer
  local way
  for way in fd map stream; do
    (umask 027 && ./out "$way" "$way.txt")
    [ "$(cat "$way.txt")" = hello ]
    [ "$(stat -c %a "$way.txt")" = 640 ]
  done
  no_temp_files
}

@test "common: an output replaces the old file, which keeps its mode only when asked" {
  writer
  echo old >a.txt
  echo old >b.txt
  chmod 600 a.txt b.txt
  (umask 022 && ./out fd a.txt && FLAGS=keep ./out fd b.txt)
  [ "$(cat a.txt b.txt)" = "hello
hello" ]
  [ "$(stat -c %a a.txt) $(stat -c %a b.txt)" = "644 600" ]
}

@test "common: a symbolic link is replaced, or with follow its target" {
  writer
  mkdir dir
  echo old >dir/real.txt
  ln -s dir/real.txt plain.txt
  ln -s dir/real.txt followed.txt
  ./out fd plain.txt
  [ ! -L plain.txt ] && [ "$(cat plain.txt)" = hello ] && [ "$(cat dir/real.txt)" = old ]
  FLAGS=follow ./out fd followed.txt
  [ -L followed.txt ] && [ "$(cat dir/real.txt)" = hello ]
  no_temp_files
}

@test "common: a device, a pipe and - are written in place, never replaced" {
  writer
  ln -s /dev/null null.txt
  local way
  for way in fd map stream; do
    ./out "$way" null.txt
    [ -L null.txt ] && [ -c null.txt ]
    [ "$(./out "$way" /dev/stdout | cat)" = hello ]
    [ "$(./out "$way" - | cat)" = hello ]
  done
  [ -c /dev/null ]
  no_temp_files
}

@test "common: fatal() with two outputs open removes both temporary files" {
  writer
  echo old >a.txt
  run -1 ./out die a.txt b.txt
  [ "$output" = "t: a.txt: stopping" ]
  [ "$(cat a.txt)" = old ] && [ ! -e b.txt ]
  no_temp_files
}

@test "common: a discarded output leaves the old file and no temporary file" {
  writer
  echo old >a.txt
  ./out discard a.txt new.txt
  [ "$(cat a.txt)" = old ] && [ ! -e new.txt ]
  no_temp_files
}

@test "common: a failed write is reported, and the old file is kept" {
  writer
  echo old >a.txt
  # With SIGXFSZ ignored, writing past the file size limit fails with EFBIG: in
  # the stream's flush at commit, or in sizing the file for a map.
  run -1 bash -c "trap '' XFSZ; ulimit -f 2; SIZE=5000 exec ./out stream a.txt"
  [ "$output" = "t: a.txt: cannot write: File too large" ]
  run -1 bash -c "trap '' XFSZ; ulimit -f 2; SIZE=5000 exec ./out map a.txt"
  [ "$output" = "t: a.txt: cannot set size: File too large" ]
  run -1 bash -c "trap '' XFSZ; ulimit -f 2; SIZE=5000 exec ./out fd a.txt"
  [ "$output" = "t: a.txt: cannot write: File too large" ]
  [ "$(cat a.txt)" = old ]
  run -1 ./out fd nodir/a.txt
  [ "$output" = "t: nodir/a.txt: cannot create: No such file or directory" ]
  mkdir dir.txt
  run -1 ./out fd dir.txt
  [ "$output" = "t: dir.txt: cannot open: Is a directory" ]
  no_temp_files
}

teardown() {
  if [[ -n ${SMALL_FS:-} ]] && mountpoint -q "$SMALL_FS"; then umount "$SMALL_FS"; fi
}

@test "common: a mapped output on a full disk is a one-line error, not a SIGBUS, and the old file stays" {
  [ "$(id -u)" -eq 0 ] || skip "needs root: mounting a small tmpfs"
  writer
  SMALL_FS=$PWD/small
  mkdir small
  mount -t tmpfs -o size=64k tmpfs small || skip "cannot mount a tmpfs here"
  echo old >small/a.txt
  # The blocks are allocated before the first write through the mapping.
  run -1 env SIZE=1000000 ./out map small/a.txt
  [ "$output" = "t: small/a.txt: cannot allocate: No space left on device" ]
  [ "$(cat small/a.txt)" = old ]
  [ "$(ls small)" = a.txt ]
  # And through mini-ld, a whole link: no output, no temporary file.
  runtime
  obj big <<'C'
char blob[1 << 20] = {1};
int main(void) { return blob[0]; }
C
  run -1 "$MINI_LD" rt.o big.o -o small/prog
  [ "$output" = "mini-ld: small/prog: cannot allocate: No space left on device" ]
  [ "$(ls small)" = a.txt ]
}
