/*
 * output_file.c — how every tool writes a file: all of it, or none of it.
 *
 * An output is built in a file with no name (O_TMPFILE) in PATH's directory, and
 * only when it is complete is it given one: PATH itself if PATH did not exist, or
 * else a temporary name renamed over PATH (the same directory, so that rename(2)
 * is atomic). A run that fails or is killed on the way, even by SIGKILL, leaves the
 * old output exactly as it was and no file of its own: an unnamed file vanishes
 * with the process. (But for one instant, when an old output is replaced: killed
 * between linkat and rename, about 0.2 ms, the run leaves the complete new output
 * under its temporary name, and the old one as it was. Linux cannot rename an
 * unnamed file over a name in one step.) Where the file system has no O_TMPFILE, the file is built
 * under a temporary name, "PATH.tmp.XXXXXX", from the start; output_commit() and
 * output_discard() clean up after themselves, and every temporary file still open
 * is removed by diag's cleanup hook when fatal() ends the run from any thread
 * (STYLE §6); only SIGKILL can then leave one behind. When fatal() unwinds an
 * in-process run instead (run_catching), the hook discards every output still
 * open, so that no descriptor, mapping or name outlives the run.
 *
 *   output_open ──> write through fd, or output_map, or output_stream
 *               ──> output_commit (flush, close, rename)  or  output_discard
 *
 * Two kinds of output are written in place instead:
 *   - an existing output that is not a regular file (/dev/null, a pipe, a
 *     terminal): renaming over /dev/null would replace the device with a file,
 *     and a pipe's reader would never see the bytes. GNU ld and ar do the same.
 *   - "-" when the caller asks for OUTPUT_DASH_IS_STDOUT (ld's reports).
 * Such an output cannot be taken back once bytes have reached it, so a mapping of
 * one is anonymous memory that output_commit() writes out.
 *
 * Contents go in one of three ways. Through `fd`, with a buffer of the caller's
 * and write_all (mini-ar: a full disk is then an error we can report, not a
 * SIGBUS). Into output_map's mapping (mini-ld: every section is copied and
 * relocated in place, by as many threads as like; the file's blocks are allocated
 * first, so that a full disk is an error there too, see output_map). Or through output_stream's
 * FILE, for text reports, which collects in memory until the commit. Opening,
 * mapping and committing happen on one thread at a time, in the serial part of a
 * tool.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The outputs opened and not yet committed or discarded, for the cleanup hook.
// The hook may run on any thread (whichever calls fatal()), so the list is guarded
// by a lock, and nothing that can fail is done while holding it.
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static OutputFile *open_outputs;

// The process is ending: exit() closes descriptors and unmaps, and an unnamed file
// vanishes with them; only the named temporary files need removing. The run is
// unwinding and the process goes on: every output is given up, as output_discard
// does. Each OutputFile still lives then, in a frame that fatal() is unwinding
// from but has not yet left.
static void remove_open_outputs(bool unwinding) {
  if (!unwinding) {
    pthread_mutex_lock(&open_lock);
    for (OutputFile *of = open_outputs; of; of = of->next)
      if (of->temp)
        unlink(of->temp);
    pthread_mutex_unlock(&open_lock);
    return;
  }
  for (;;) {
    pthread_mutex_lock(&open_lock);
    OutputFile *of = open_outputs;
    pthread_mutex_unlock(&open_lock);
    if (!of)
      break;
    output_discard(of);  // takes it off the list
  }
}

static void add_open(OutputFile *of) {
  pthread_mutex_lock(&open_lock);
  of->next = open_outputs;
  open_outputs = of;
  pthread_mutex_unlock(&open_lock);
  diag_set_cleanup(remove_open_outputs);
}

// Takes of off the list (if it is there) and frees its names. Afterwards it holds
// nothing, so a second discard does nothing.
static void forget(OutputFile *of) {
  pthread_mutex_lock(&open_lock);
  for (OutputFile **p = &open_outputs; *p; p = &(*p)->next)
    if (*p == of) {
      *p = of->next;
      break;
    }
  pthread_mutex_unlock(&open_lock);
  free(of->temp);
  free(of->target);
  of->temp = of->target = NULL;
}

// The name messages use for the output.
static const char *shown(const OutputFile *of) { return of->to_stdout ? "stdout" : of->path; }

// Reports the failure of `what`, with the errno it left, and gives the output up.
static void fail(OutputFile *of, const char *what) {
  int e = errno;
  error("%s: %s: %s", shown(of), what, strerror(e));
  output_discard(of);
}

// The process's umask. umask(2) can only be read by setting it, so it is set back
// at once; outputs are opened by one thread, while no other creates files.
static mode_t current_umask(void) {
  mode_t mask = umask(0);
  umask(mask);
  return mask;
}

// The file the output is built in, with no name at all (O_TMPFILE) in the target's
// directory: killed at any moment, even by SIGKILL, the run leaves nothing behind,
// since an unnamed file vanishes with its last descriptor. output_commit() names it
// through /proc/self/fd. Returns false, having changed nothing, where that cannot
// work (a file system without O_TMPFILE, no /proc): then a named temporary file it is.
static bool open_unnamed(OutputFile *of, mode_t perm) {
  if (access("/proc/self/fd", X_OK) < 0)
    return false;
  const char *slash = strrchr(of->target, '/');
  char *dir = slash ? strndup(of->target, (size_t)(slash - of->target) + (slash == of->target))
                    : strdup(".");
  if (!dir)
    fatal("out of memory");
  of->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, perm);
  free(dir);
  if (of->fd < 0)
    return false;
  if (fchmod(of->fd, perm) < 0) {  // exactly this mode, whatever the umask
    close(of->fd);
    of->fd = -1;
    return false;
  }
  of->unnamed = true;
  return true;
}

// Gives the unnamed file its name: the target itself if there was none (one atomic
// step), or else a temporary name renamed over the target, as a named temporary
// file would be. Leaves errno set on failure.
static bool name_unnamed(OutputFile *of) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", of->fd);
  if (!of->replaces && linkat(AT_FDCWD, proc, AT_FDCWD, of->target, AT_SYMLINK_FOLLOW) == 0)
    return true;
  size_t len = strlen(of->target) + 32;
  if (!(of->temp = malloc(len)))
    fatal("out of memory");
  for (unsigned n = 0;; n++) {
    snprintf(of->temp, len, "%s.tmp.%ld.%u", of->target, (long)getpid(), n);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, of->temp, AT_SYMLINK_FOLLOW) == 0)
      break;
    if (errno != EEXIST || n == 1000) {
      free(of->temp);
      of->temp = NULL;
      return false;
    }
  }
  return rename(of->temp, of->target) == 0;
}

bool output_open(OutputFile *of, const char *path, mode_t mode, unsigned flags) {
  *of = (OutputFile){.path = path, .fd = -1};
  // On the list from the start: every way out of here but success discards it.
  add_open(of);
  if ((flags & OUTPUT_DASH_IS_STDOUT) && !strcmp(path, "-")) {
    of->to_stdout = true;
    of->fd = STDOUT_FILENO;
    return true;
  }

  // With OUTPUT_FOLLOW_SYMLINK the temporary file goes beside the link's target
  // and replaces it, so the link keeps pointing at the new file. Otherwise (or if
  // the link leads nowhere) a link is replaced like any other file.
  struct stat st;
  if ((flags & OUTPUT_FOLLOW_SYMLINK) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
    of->target = realpath(path, NULL);
  if (!of->target && !(of->target = strdup(path)))
    fatal("out of memory");

  bool exists = stat(of->target, &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    free(of->target);
    of->target = NULL;
    of->fd = open(path, O_WRONLY | O_TRUNC);
    if (of->fd < 0) {
      fail(of, "cannot open");
      return false;
    }
    return true;
  }

  of->replaces = exists;
  mode_t perm = (flags & OUTPUT_KEEP_MODE) && exists ? st.st_mode & 07777
                                                     : mode & ~current_umask();
  if (open_unnamed(of, perm))
    return true;
  size_t len = strlen(of->target) + sizeof ".tmp.XXXXXX";
  if (!(of->temp = malloc(len)))
    fatal("out of memory");
  snprintf(of->temp, len, "%s.tmp.XXXXXX", of->target);
  of->fd = mkstemp(of->temp);
  if (of->fd < 0) {
    int e = errno;
    free(of->temp);  // nothing was created: there is nothing to remove
    of->temp = NULL;
    errno = e;
    fail(of, "cannot create");
    return false;
  }
  // mkstemp made the file 0600; give it the mode the output is to have.
  if (fchmod(of->fd, perm) < 0) {
    fail(of, "cannot set permissions");
    return false;
  }
  return true;
}

uint8_t *output_map(OutputFile *of, uint64_t size) {
  void *p;
  if (!of->temp && !of->unnamed) {
    // In place: a device cannot be sized and mapped like a file. Build the image
    // in memory; output_commit() writes it out.
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  } else {
    if (size > INT64_MAX) {
      errno = EFBIG;
      fail(of, "cannot set size");
      return NULL;
    }
    if (ftruncate(of->fd, (off_t)size) < 0) {
      fail(of, "cannot set size");
      return NULL;
    }
    // The blocks, allocated now (as unwritten extents, without writing them). A full
    // disk is then this one-line error, not a SIGBUS when a thread first writes to a
    // page with nowhere to go. And ext4 has no delayed allocations of ours to force
    // out when rename() replaces the old output (its auto_da_alloc, against empty
    // files after a crash), which made that rename cost 8 ms for a 2.6 MB program;
    // 1.7 ms with the blocks allocated. A file system without fallocate writes as before.
    if (size && fallocate(of->fd, 0, 0, (off_t)size) < 0 && errno != EOPNOTSUPP &&
        errno != ENOSYS) {
      fail(of, "cannot allocate");
      return NULL;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, of->fd, 0);
  }
  if (p == MAP_FAILED) {
    fail(of, "cannot map");
    return NULL;
  }
  of->map = p;
  of->map_size = size;
  return p;
}

// The text collects in memory and goes out in one write_all() at commit. Then a
// failed write is reported with its reason (a FILE on the descriptor would only
// remember that some fwrite failed, not why), and nothing reaches a device before
// the run has succeeded.
FILE *output_stream(OutputFile *of) {
  of->stream = open_memstream(&of->text, &of->text_len);
  if (!of->stream)
    fail(of, "cannot create");
  return of->stream;
}

// Lets go of the mapping, the stream and the descriptor, all of them even after a
// failure. With `finish`, first writes out what is still in memory: the stream's
// text, or the mapping of an output written in place. Returns false, with errno
// from the first failure, if any step failed.
static bool release(OutputFile *of, bool finish) {
  int err = 0;
  if (of->map) {
    if (finish && !of->temp && !of->unnamed && !write_all(of->fd, of->map, of->map_size))
      err = errno;
    if (munmap(of->map, of->map_size) < 0 && !err)
      err = errno;
    of->map = NULL;
  }
  if (of->stream) {
    // A memory stream fails only when memory runs out.
    bool failed = ferror(of->stream);
    if (fclose(of->stream) != 0 || failed)
      err = ENOMEM;
    of->stream = NULL;
    // Whatever the tool printed to stdout before comes first.
    if (finish && !err && of->to_stdout && fflush(stdout) != 0)
      err = errno;
    if (finish && !err && !write_all(of->fd, of->text, of->text_len))
      err = errno;
    free(of->text);
    of->text = NULL;
  }
  // An unnamed file keeps its descriptor until it has a name (output_commit).
  if (of->fd >= 0 && !of->to_stdout && !(finish && of->unnamed) && close(of->fd) < 0 && !err)
    err = errno;
  if (!(finish && of->unnamed))
    of->fd = -1;
  errno = err;
  return !err;
}

bool output_commit(OutputFile *of) {
  if (!release(of, true)) {
    fail(of, "cannot write");
    return false;
  }
  if (of->unnamed) {
    bool named = name_unnamed(of);
    int e = errno;
    close(of->fd);
    of->fd = -1;
    of->unnamed = false;
    if (!named) {
      errno = e;
      fail(of, of->replaces ? "cannot replace" : "cannot create");
      return false;
    }
  } else if (of->temp && rename(of->temp, of->target) < 0) {
    fail(of, of->replaces ? "cannot replace" : "cannot create");
    return false;
  }
  forget(of);
  return true;
}

void output_discard(OutputFile *of) {
  int e = errno;  // so that a caller may discard first and report errno after
  release(of, false);  // an unnamed file vanishes as its descriptor closes
  of->unnamed = false;
  if (of->temp)
    unlink(of->temp);
  forget(of);
  errno = e;
}
