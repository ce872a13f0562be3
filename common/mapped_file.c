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
 * Letting go is one madvise(MADV_DONTNEED) per range, and each costs more than its
 * pages: every CPU running the link must flush its TLB (an interrupt each, and in a
 * virtual machine an exit to the host each). One call per file and pass cost a big
 * link (1,600 files) a third of its CPU time. So the files are not mapped wherever
 * mmap puts them but side by side, in the order they are opened, in a few big
 * reservations of address space (regions, PROT_NONE: they cost no memory), and
 * letting go of every input, or of a run of neighbouring ones, takes a call per
 * 32 MiB of region (on every thread), not one per file. Every byte of a region is
 * either a file we mapped or still reserved, so dropping the pages of a range of it
 * can only ever touch our inputs.
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
  bool loose;  // not in a region (too big for one, or no address space left)
} Mapping;

typedef struct {
  uint8_t *base;
  size_t used;  // bytes handed out, from base up, page by page
  bool holed;   // a failed mapping left a hole we could not reserve again: its
                // pages are let go mapping by mapping, never as one range
} Region;

enum { REGION_SIZE = 1 << 30 };  // of address space; a file above a quarter of it
                                 // is mapped on its own

static struct {
  pthread_mutex_t lock;
  Mapping *list;
  size_t len, cap;
  Region *regions;
  size_t nregions, regions_cap;
} maps = {.lock = PTHREAD_MUTEX_INITIALIZER};

enum { RELEASE_FROM = 256 << 20 };
static _Atomic size_t mapped_total;  // bytes mapped so far, over every file

static bool worth_releasing(void) {
  return atomic_load_explicit(&mapped_total, memory_order_relaxed) >= RELEASE_FROM;
}

size_t mapped_bytes(void) {
  return atomic_load_explicit(&mapped_total, memory_order_relaxed);
}

static size_t page_size(void) {
  static size_t page;
  if (!page)
    page = (size_t)sysconf(_SC_PAGESIZE);
  return page;
}

static void *reserve(void *at, size_t bytes) {
  void *p = mmap(at, bytes, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (at ? MAP_FIXED : 0), -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

// Where in a region to map `size` bytes, or NULL for anywhere (a mapping of its
// own). Called with maps.lock held.
static uint8_t *claim_place(size_t size, size_t *region) {
  size_t bytes = (size + page_size() - 1) & ~(page_size() - 1);
  if (bytes > REGION_SIZE / 4)
    return NULL;
  Region *r = maps.nregions ? &maps.regions[maps.nregions - 1] : NULL;
  if (!r || REGION_SIZE - r->used < bytes) {
    if (maps.nregions == maps.regions_cap) {
      size_t cap = maps.regions_cap ? 2 * maps.regions_cap : 4;
      Region *list = realloc(maps.regions, cap * sizeof *list);
      if (!list)
        return NULL;
      maps.regions = list;
      maps.regions_cap = cap;
    }
    uint8_t *base = reserve(NULL, REGION_SIZE);
    if (!base)
      return NULL;
    r = &maps.regions[maps.nregions++];
    *r = (Region){base, 0, false};
  }
  uint8_t *at = r->base + r->used;
  r->used += bytes;
  *region = (size_t)(r - maps.regions);
  return at;
}

// Records a mapping, for release_mapped_pages() and unmap_files(); false (with
// the mapping undone) if there is no memory to record it in.
static bool remember(void *addr, size_t size, bool loose) {
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
    maps.list[maps.len++] = (Mapping){addr, size, loose};
    atomic_fetch_add_explicit(&mapped_total, size, memory_order_relaxed);
  }
  pthread_mutex_unlock(&maps.lock);
  if (!ok && (loose || !reserve(addr, size)))
    munmap(addr, size);  // (in a region, reserved again: MAP_FIXED replaces it whole)
  return ok;
}

// Maps size bytes of fd: in a region if there is room, else anywhere.
static void *map_in_place(int fd, size_t size, bool *loose) {
  size_t region = 0;
  pthread_mutex_lock(&maps.lock);
  uint8_t *at = claim_place(size, &region);
  pthread_mutex_unlock(&maps.lock);
  *loose = !at;
  if (!at) {
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    return p == MAP_FAILED ? NULL : p;
  }
  // The place is ours alone: no lock needed to map over its reservation.
  void *p = mmap(at, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  if (p != MAP_FAILED)
    return p;
  // A failed MAP_FIXED may have unmapped the place: reserve it again, or else
  // never treat the region as one range (something else may be mapped there).
  int e = errno;
  if (!reserve(at, size)) {
    pthread_mutex_lock(&maps.lock);
    maps.regions[region].holed = true;
    pthread_mutex_unlock(&maps.lock);
  }
  errno = e;
  return NULL;
}

// The whole pages in [begin, end), dropped.
static void drop_pages(const void *begin, const void *end) {
  uintptr_t b = ((uintptr_t)begin + page_size() - 1) & ~(uintptr_t)(page_size() - 1);
  uintptr_t e = (uintptr_t)end & ~(uintptr_t)(page_size() - 1);
  if (e > b)
    madvise((void *)b, e - b, MADV_DONTNEED);
}

// The region holding all of [begin, end), if it may be let go as one range.
static const Region *whole_region_of(const void *begin, const void *end) {
  for (size_t i = 0; i < maps.nregions; i++) {
    const Region *r = &maps.regions[i];
    if ((const uint8_t *)begin >= r->base && (const uint8_t *)end <= r->base + r->used)
      return r->holed ? NULL : r;
  }
  return NULL;
}

// Dropping the pages of 300 MB of inputs takes the kernel 15 ms (a page table
// entry at a time): the regions go in pieces, on every thread.
enum { RELEASE_PIECE = 32 << 20 };

static void release_piece(void *arg, size_t k) {
  (void)arg;
  for (size_t i = 0, first = 0; i < maps.nregions; i++) {
    const Region *r = &maps.regions[i];
    size_t pieces = r->holed ? 0 : (r->used + RELEASE_PIECE - 1) / RELEASE_PIECE;
    if (k < first + pieces) {
      size_t at = (k - first) * RELEASE_PIECE;
      size_t len = r->used - at < RELEASE_PIECE ? r->used - at : RELEASE_PIECE;
      drop_pages(r->base + at, r->base + at + len);
      return;
    }
    first += pieces;
  }
}

void release_mapped_pages(void) {
  if (!worth_releasing())
    return;
  pthread_mutex_lock(&maps.lock);
  size_t pieces = 0;
  for (size_t i = 0; i < maps.nregions; i++)
    if (!maps.regions[i].holed)
      pieces += (maps.regions[i].used + RELEASE_PIECE - 1) / RELEASE_PIECE;
  parallel_for(pieces, release_piece, NULL);
  for (size_t i = 0; i < maps.len; i++) {
    const Mapping *m = &maps.list[i];
    if (m->loose || !whole_region_of(m->addr, (uint8_t *)m->addr + m->size))
      drop_pages(m->addr, (uint8_t *)m->addr + m->size);
  }
  pthread_mutex_unlock(&maps.lock);
}

void release_views_pages(const View *views, size_t n) {
  if (!worth_releasing())
    return;
  pthread_mutex_lock(&maps.lock);
  for (size_t i = 0; i < n;) {
    // The longest run from views[i] inside one region, let go as one range.
    const uint8_t *begin = views[i].data, *end = begin + views[i].size;
    size_t j = i + 1;
    if (begin && whole_region_of(begin, end)) {
      for (; j < n && views[j].data >= end; j++) {
        const uint8_t *next_end = views[j].data + views[j].size;
        if (whole_region_of(begin, next_end) != whole_region_of(begin, end))
          break;
        end = next_end;
      }
    }
    if (begin)
      drop_pages(begin, end);
    i = j;
  }
  pthread_mutex_unlock(&maps.lock);
}

void unmap_files(void) {
  pthread_mutex_lock(&maps.lock);
  for (size_t i = 0; i < maps.len; i++)
    munmap(maps.list[i].addr, maps.list[i].size);
  for (size_t i = 0; i < maps.nregions; i++)
    munmap(maps.regions[i].base, REGION_SIZE);
  free(maps.list);
  free(maps.regions);
  maps.list = NULL;
  maps.len = maps.cap = 0;
  maps.regions = NULL;
  maps.nregions = maps.regions_cap = 0;
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
    bool loose;
    void *p = map_in_place(fd, (size_t)st.st_size, &loose);
    if (!p) {
      int e = errno;
      close(fd);
      errno = e;
      return false;
    }
    if (!remember(p, (size_t)st.st_size, loose)) {
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
