// harness.h — what the two whole-tool harnesses (fuzz_link.c, fuzz_ar.c) share:
// noticing a descriptor a run left open, and a scratch directory for the files
// each input is written to and each run writes.
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

// The lowest descriptor not in use: the same before and after a run, or the run
// left one open.
static inline int next_fd(void) {
  int fd = dup(0);
  if (fd >= 0)
    close(fd);
  return fd;
}

// Makes a fresh directory NAME.XXXXXX in /dev/shm when there is one (memory: a run
// there costs a third of what it costs on a disk's filesystem, where creating,
// truncating and removing files is most of a small link's time), else in /tmp.
// Writes its path into dir (size bytes); aborts on failure.
static inline void make_scratch_dir(char *dir, size_t size, const char *name) {
  struct stat st;
  const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
                     access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(dir, size, "%s/%s.XXXXXX", base, name);
  if (!mkdtemp(dir)) {
    perror(dir);
    abort();
  }
}

#endif
