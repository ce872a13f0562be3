// libFuzzer harness: mini-ar listing and extracting an archive, in-process. Each
// input is written to a file and given to four runs of ar_main():
//
//   mini-ar tvO IN            every header field, as GNU ar's stat reads them
//   mini-ar xo --output=X IN  every member written out, with its mode and date
//   mini-ar p IN MEMBER       one member named on the command line ("a.o")
//   mini-ranlib -t IN         the symbol index checked against the members
//
// Whatever the input, each run ends with a status (never an exit: ar_main unwinds
// fatal() errors), leaves no descriptor open and writes nothing outside X, which
// is emptied after each input.
//
// Built with -DAR_DRIVER instead, this file is a small program that runs mini-ar
// several times in one process, `ar_driver ARGV... --- ARGV...`, where each ARGV
// starts with the program's name (mini-ar or mini-ranlib), printing each run's exit
// status: tests/ar_in_process.bats checks with it that a run after a failed one
// does what bin/mini-ar does.
//
// ar/main.c is compiled as part of this file, its main() renamed out of the way:
// here the harness (or the driver) is the program.
#define main mini_ar_program_main
#include "../../ar/main.c"
#undef main

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#ifdef AR_DRIVER

int main(int argc, char **argv) {
  char **args = calloc((size_t)argc + 1, sizeof *args);
  int n = 0;
  for (int i = 1; i <= argc; i++) {
    if (i < argc && strcmp(argv[i], "---")) {
      args[n++] = argv[i];
      continue;
    }
    args[n] = NULL;
    int fd = next_fd();
    int status = ar_main(n, args);
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

static char dir[64];
static char input[64], xdir[64], xopt[80];

// Removes every file in path (mini-ar makes no directories).
static void empty_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
        unlinkat(dirfd(d), e->d_name, 0) < 0) {
      perror(e->d_name);
      abort();
    }
  closedir(d);
}

static void remove_all(void) {
  empty_dir(xdir);
  rmdir(xdir);
  unlink(input);
  rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  make_scratch_dir(dir, sizeof dir, "fuzz_ar");
  snprintf(input, sizeof input, "%s/in.a", dir);
  snprintf(xdir, sizeof xdir, "%s/x", dir);
  snprintf(xopt, sizeof xopt, "--output=%s", xdir);
  if (mkdir(xdir, 0700) < 0) {
    perror(xdir);
    abort();
  }
  atexit(remove_all);
  return 0;
}

static void run(char **args) {
  int argc = 0;
  while (args[argc])
    argc++;
  ar_main(argc, args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int fd = next_fd();  // (libFuzzer's own descriptors come and go between inputs)
  FILE *f = fopen(input, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
    abort();

  run((char *[]){"mini-ar", "tvO", input, NULL});
  run((char *[]){"mini-ar", "xo", xopt, input, NULL});
  run((char *[]){"mini-ar", "p", input, "a.o", NULL});
  run((char *[]){"mini-ranlib", "-t", input, NULL});
  fflush(stdout);

  // The extracted files go; anything else in dir (in.a and x are expected) was
  // written where it should not have been.
  empty_dir(xdir);
  DIR *d = opendir(dir);
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "in.a") &&
        strcmp(e->d_name, "x"))
      abort();
  closedir(d);
  if (next_fd() != fd)
    abort();
  return 0;
}

#endif
