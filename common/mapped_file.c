/*
 * mapped_file.c — input files are mapped, not read.
 *
 * A linker touches only parts of its inputs (archive members it does not pull are
 * never read), so mapping costs nothing for bytes we skip and lets the kernel share
 * pages with the page cache. Mappings stay until exit: views point into them.
 *
 * A page of a mapping we have read counts in our resident memory until we say we
 * are done with it, even though the page cache holds it anyway. A big link reads
 * each input twice, far apart (the tables when it reads the objects, the contents
 * and relocations when it writes the output), so between the two it lets go of
 * every page (release_mapped_pages): a page read again comes back from the page
 * cache with a minor fault, and peak memory holds only what the second reading
 * touches. (The kernel maps up to 64 KiB around a faulting page, so a pass that
 * reads one name of each file brings back much of every file.) Only a big link
 * does: below RELEASE_FROM bytes of inputs the faults of the second reading cost
 * more time (15% of a static glibc link) than the few megabytes are worth.
 *
 * A pipe or FIFO (`mini-ld main.o <(cat f.o)`) cannot be mapped: its bytes are
 * copied into a memory file (memfd), which is then mapped like any file, so that
 * dropping its pages is as harmless as for the others. A FIFO is opened without
 * waiting for a writer: with none, it reads as an empty file instead of hanging.
 *
 * A program that runs a tool more than once (a fuzz harness) gives the mappings
 * back with unmap_files() when a run is over, from the same list.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  void *addr;
  size_t size;
} Mapping;

static struct {
  pthread_mutex_t lock;
  Mapping *list;
  size_t len, cap;
} maps = {.lock = PTHREAD_MUTEX_INITIALIZER};

enum { RELEASE_FROM = 256 << 20 };
static _Atomic size_t mapped_total;  // bytes mapped so far, over every file

static bool worth_releasing(void) {
  return atomic_load_explicit(&mapped_total, memory_order_relaxed) >= RELEASE_FROM;
}

// Records a mapping, for release_mapped_pages() and unmap_files(); false (with
// the mapping undone) if there is no memory to record it in.
static bool remember(void *addr, size_t size) {
  pthread_mutex_lock(&maps.lock);
  if (maps.len == maps.cap) {
    size_t cap = maps.cap ? 2 * maps.cap : 256;
    Mapping *list = realloc(maps.list, cap * sizeof *list);
    if (list) {
      maps.list = list;
      maps.cap = cap;
    }
  }
  bool ok = maps.len < maps.cap;
  if (ok) {
    maps.list[maps.len++] = (Mapping){addr, size};
    atomic_fetch_add_explicit(&mapped_total, size, memory_order_relaxed);
  }
  pthread_mutex_unlock(&maps.lock);
  if (!ok)
    munmap(addr, size);
  return ok;
}

static void release_mapping(void *arg, size_t i) {
  (void)arg;
  madvise(maps.list[i].addr, maps.list[i].size, MADV_DONTNEED);
}

// (On every thread: dropping a big link's pages, 1,600 mappings, was 10 ms a time
// on one.)
void release_mapped_pages(void) {
  if (!worth_releasing())
    return;
  pthread_mutex_lock(&maps.lock);
  parallel_for(maps.len, release_mapping, NULL);
  pthread_mutex_unlock(&maps.lock);
}

void release_view_pages(View v) {
  if (!worth_releasing())
    return;
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t begin = ((uintptr_t)v.data + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
  uintptr_t end = ((uintptr_t)v.data + v.size) & ~((uintptr_t)page - 1);
  if (v.data && end > begin) {
    madvise((void *)begin, end - begin, MADV_DONTNEED);
  }
}

void unmap_files(void) {
  pthread_mutex_lock(&maps.lock);
  for (size_t i = 0; i < maps.len; i++)
    munmap(maps.list[i].addr, maps.list[i].size);
  free(maps.list);
  maps.list = NULL;
  maps.len = maps.cap = 0;
  atomic_store_explicit(&mapped_total, 0, memory_order_relaxed);
  pthread_mutex_unlock(&maps.lock);
}

// The bytes of a pipe, copied into a new memory file; returns its descriptor (and
// closes fd), or -1 with errno set.
static int copy_pipe(int fd) {
  int mem = memfd_create("mini-input", MFD_CLOEXEC);
  int flags = fcntl(fd, F_GETFL);
  if (mem < 0 || flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    goto fail;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      goto fail;
    if (n == 0)
      break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(mem, buf + done, (size_t)(n - done));
      if (w < 0 && errno != EINTR)
        goto fail;
      done += w > 0 ? w : 0;
    }
  }
  close(fd);
  return mem;
fail:;
  int e = errno;
  close(fd);
  if (mem >= 0)
    close(mem);
  errno = e;
  return -1;
}

bool map_file(const char *path, const char *name, View *out) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
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
  if (S_ISFIFO(st.st_mode) && ((fd = copy_pipe(fd)) < 0 || fstat(fd, &st) < 0)) {
    int e = errno;
    if (fd >= 0)
      close(fd);
    errno = e;
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
    if (!remember(p, (size_t)st.st_size)) {
      close(fd);
      errno = ENOMEM;
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
