/*
 * mapped_file.c — input files are mapped, not read.
 *
 * A linker touches only parts of its inputs (archive members it does not pull are
 * never read), so mapping costs nothing for bytes we skip and lets the kernel share
 * pages with the page cache. Mappings stay until exit: views point into them.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

bool map_file(const char *path, const char *name, View *out) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return false;
  struct stat st;
  if (fstat(fd, &st) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    errno = EISDIR;
    return false;
  }
  *out = (View){NULL, 0, name};
  if (st.st_size > 0) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      close(fd);
      errno = e;
      return false;
    }
    out->data = p;
    out->size = (uint64_t)st.st_size;
  } else {
    static const uint8_t empty[1];
    out->data = empty;
  }
  close(fd);
  return true;
}
