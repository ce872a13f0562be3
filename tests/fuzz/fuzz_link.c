// libFuzzer harness: a whole mini-ld link, in-process. The input is one byte of
// options, then a file (an object, an archive or an input script) that is linked
// between two fixed good objects:
//
//   mini-ld -o OUT [options] main.o [--whole-archive] INPUT [--no-whole-archive] lib.o
//
// main.o (_start, calling f and g) and lib.o (g, h, data and TLS that f may use) are
// small crt-free objects that run.sh compiles and embeds (link_inputs.h); the seeds
// are objects and archives that define f. Each link goes through ld_main(), which
// returns its status instead of exiting, and frees what the link held: after
// thousands of links, a leak (LeakSanitizer), a descriptor or a mapping left
// behind, or a temporary output file in the directory is a finding like a crash.
//
// Built with -DLINK_DRIVER instead, this file is a small program that runs several
// links in one process, `link_driver ARGS... --- ARGS... ---...`, printing each
// one's exit status: tests/ld_in_process.bats checks with it that a link after a
// failed one gives the same bytes as bin/mini-ld.
//
// ld/main.c is compiled as part of this file, its main() renamed out of the way:
// here the harness (or the driver) is the program.
#define main mini_ld_program_main
#include "../../ld/main.c"
#undef main

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#ifdef LINK_DRIVER

int main(int argc, char **argv) {
  char **args = calloc((size_t)argc + 1, sizeof *args);
  int n = 0;
  for (int i = 1; i <= argc; i++) {
    if (i < argc && strcmp(argv[i], "---")) {
      args[++n] = argv[i];
      continue;
    }
    args[0] = "mini-ld";
    args[n + 1] = NULL;
    int fd = next_fd();
    int status = ld_main(n + 1, args);
    fflush(stdout);
    printf("status %d\n", status);
    if (next_fd() != fd)
      printf("descriptor %d left open\n", fd);
    fflush(stdout);
    n = 0;
  }
  free(args);
  return 0;
}

#else

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>

#include "link_inputs.h"  // link_main_o[], link_lib_o[] and their _len (run.sh)

static char dir[64];
static char main_o[64], lib_o[64], input[64], out[64], map[64];

static void write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
    perror(path);
    abort();
  }
}

// Removes the directory and what is in it (only files: mini-ld makes no others).
static void remove_dir(void) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      unlinkat(dirfd(d), e->d_name, 0);
  closedir(d);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  make_scratch_dir(dir, sizeof dir, "fuzz_link");
  atexit(remove_dir);
  // A few bytes may ask for a big output (a section aligned to 2^28 puts it 256 MiB
  // into the file), which GNU ld would write too; hashing and writing it takes the
  // harness seconds. Files are capped at 64 MiB: such a link then ends in the
  // "cannot set size: File too large" error, which is a path worth fuzzing as well.
  signal(SIGXFSZ, SIG_IGN);
  if (setrlimit(RLIMIT_FSIZE, &(struct rlimit){64 << 20, 64 << 20}) < 0) {
    perror("setrlimit");
    abort();
  }
  snprintf(main_o, sizeof main_o, "%s/main.o", dir);
  snprintf(lib_o, sizeof lib_o, "%s/lib.o", dir);
  snprintf(input, sizeof input, "%s/input", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(map, sizeof map, "%s/map", dir);
  write_file(main_o, link_main_o, link_main_o_len);
  write_file(lib_o, link_lib_o, link_lib_o_len);
  return 0;
}

// The entries in dir: main.o, lib.o and input, and nothing a link left behind.
static int count_entries(void) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t opts = data[0];
  write_file(input, data + 1, size - 1);

  char map_opt[80];
  snprintf(map_opt, sizeof map_opt, "-Map=%s", map);
  char *args[26];
  int n = 0;
  args[n++] = "mini-ld";
  args[n++] = "-o";
  args[n++] = out;
  args[n++] = "--fatal-warnings";  // warnings end the link too: fewer words on stderr
  args[n++] = "--no-threads";  // only then does every fatal() unwind (run_catching)
  if (opts & 0x80) {
    args[n++] = "-shared";  // a library: main.o, with its _start, stays out
  } else {
    args[n++] = opts & 0x01 ? "-pie" : "-static";
  }
  if (opts & 0x02)
    args[n++] = "--gc-sections";
  if (opts & 0x04)
    args[n++] = "--eh-frame-hdr";
  if (opts & 0x08) {
    args[n++] = "--build-id";
    args[n++] = map_opt;
  }
  if (opts & 0x10)
    args[n++] = "-r";
  if (opts & 0x20)
    args[n++] = "-znorelro";
  if (!(opts & 0x80))
    args[n++] = main_o;
  if (opts & 0x40)
    args[n++] = "--whole-archive";
  args[n++] = input;
  if (opts & 0x40)
    args[n++] = "--no-whole-archive";
  args[n++] = lib_o;
  args[n] = NULL;

  int fd = next_fd();  // (libFuzzer's own descriptors come and go between inputs)
  ld_main(n, args);
  unlink(out);
  unlink(map);
  // A temporary output or a descriptor the link left behind is a finding too.
  if (count_entries() != 3 || next_fd() != fd)
    abort();
  return 0;
}

#endif
