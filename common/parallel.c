/*
 * parallel.c — running the iterations of a loop on several threads.
 *
 * A linker has long loops whose iterations do not depend on each other: scan the
 * relocations of file i, copy and relocate section i, write the symbols of file i.
 * parallel_for(n, fn, arg) runs fn(arg, i) for every i in [0, n) on the calling
 * thread and on a few workers, and returns when every call has returned:
 *
 *   caller:   parallel_for ──> [claims 0..k) [claims 2k..3k) ... ──> waits ──> return
 *   worker 1:                  [claims k..2k) [claims 3k..4k) ... ──> done
 *
 * Threads take chunks of indices from one atomic counter, so a slow iteration (a
 * huge file) does not hold the others up. Which thread runs which index changes
 * from run to run; callers must make the result independent of that (each
 * iteration writes only its own slot of an array, or its own bytes of the output),
 * which is what keeps the output the same whatever the thread count.
 *
 * The workers are started on first use and then wait for the next loop, so a loop
 * costs a wake-up, not a thread creation; and a worker that wakes after every index
 * was claimed stays out of it, so the caller waits only for those that took part.
 * They are never stopped: exit ends them.
 * A loop inside a loop (fn calling parallel_for) runs on the calling thread alone.
 * The messages a loop's tasks report come out when it ends, in index order
 * (diag.c), so that they too do not depend on the thread count.
 */
#include "common.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };

static struct {
  pthread_mutex_t lock;
  pthread_cond_t work;      // workers wait here for a new loop
  pthread_cond_t idle;      // the caller waits here for the workers to finish
  int threads;              // what set_thread_count asked for (0: not yet decided)
  int started;              // workers running (threads - 1 once started)
  uint64_t generation;      // counts loops, so a worker knows a new one from the last
  int busy;                 // workers still inside the current loop
  // The current loop:
  void (*fn)(void *arg, size_t i);
  void *arg;
  size_t n, chunk;
  _Atomic size_t next;      // first index nobody has claimed yet
} pool = {
  .lock = PTHREAD_MUTEX_INITIALIZER,
  .work = PTHREAD_COND_INITIALIZER,
  .idle = PTHREAD_COND_INITIALIZER,
};

static _Thread_local bool in_loop;  // this thread is running a parallel_for's body

static int online_cpus(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

void set_thread_count(int n) {
  pthread_mutex_lock(&pool.lock);
  if (!pool.started)  // once workers run, their number stays
    pool.threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
  pthread_mutex_unlock(&pool.lock);
}

int thread_count(void) {
  pthread_mutex_lock(&pool.lock);
  if (!pool.threads)
    pool.threads = online_cpus() > MAX_THREADS ? MAX_THREADS : online_cpus();
  int n = pool.threads;
  pthread_mutex_unlock(&pool.lock);
  return n;
}

// Claims chunks of the current loop until none is left.
static void run_chunks(void) {
  in_loop = true;
  for (;;) {
    size_t begin = atomic_fetch_add_explicit(&pool.next, pool.chunk, memory_order_relaxed);
    if (begin >= pool.n)
      break;
    size_t end = begin + pool.chunk < pool.n ? begin + pool.chunk : pool.n;
    for (size_t i = begin; i < end; i++) {
      diag_hold(true, i);
      pool.fn(pool.arg, i);
    }
  }
  diag_hold(false, 0);
  in_loop = false;
}

static void *worker(void *unused) {
  (void)unused;
  uint64_t seen = 0;
  pthread_mutex_lock(&pool.lock);
  for (;;) {
    while (pool.generation == seen)
      pthread_cond_wait(&pool.work, &pool.lock);
    seen = pool.generation;
    // The caller (or another worker) has claimed every index already: this loop
    // needs nobody else. (The caller waits for the workers that join, not for
    // every worker to wake: a small loop costs no more than running it alone.)
    if (atomic_load_explicit(&pool.next, memory_order_relaxed) >= pool.n)
      continue;
    pool.busy++;
    pthread_mutex_unlock(&pool.lock);
    run_chunks();
    pthread_mutex_lock(&pool.lock);
    if (--pool.busy == 0)
      pthread_cond_signal(&pool.idle);
  }
  return NULL;
}

// Starts the workers; called with the lock held. A worker that cannot be created
// is not an error: the loops run on those that could be.
static void start_workers(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (int i = 1; i < pool.threads; i++) {
    pthread_t t;
    if (pthread_create(&t, &attr, worker, NULL) != 0)
      break;
    pool.started++;
  }
  pthread_attr_destroy(&attr);
}


void parallel_for(size_t n, void (*fn)(void *arg, size_t i), void *arg) {
  if (n == 0)
    return;
  int threads = thread_count();
  if (threads == 1 || n == 1 || in_loop) {
    for (size_t i = 0; i < n; i++)
      fn(arg, i);
    return;
  }
  pthread_mutex_lock(&pool.lock);
  if (!pool.started)
    start_workers();
  pool.fn = fn;
  pool.arg = arg;
  pool.n = n;
  // Small chunks balance the load; not so small that the counter becomes the work.
  size_t chunk = n / ((size_t)threads * 16);
  pool.chunk = chunk ? chunk : 1;
  atomic_store(&pool.next, 0);
  pool.busy = 0;
  pool.generation++;
  pthread_cond_broadcast(&pool.work);
  pthread_mutex_unlock(&pool.lock);

  run_chunks();

  pthread_mutex_lock(&pool.lock);
  while (pool.busy > 0)
    pthread_cond_wait(&pool.idle, &pool.lock);
  pthread_mutex_unlock(&pool.lock);
  diag_release();  // the loop's messages, in the order of its indices
}

typedef struct {
  uint8_t *dst;
  const uint8_t *src;
  size_t n;
} CopyChunks;

enum { COPY_CHUNK = 1 << 20 };

static void copy_chunk(void *arg, size_t i) {
  CopyChunks *c = arg;
  size_t off = i * COPY_CHUNK;
  memcpy(c->dst + off, c->src + off, c->n - off < COPY_CHUNK ? c->n - off : COPY_CHUNK);
}

void parallel_memcpy(void *dst, const void *src, size_t n) {
  CopyChunks c = {dst, src, n};
  parallel_for((n + COPY_CHUNK - 1) / COPY_CHUNK, copy_chunk, &c);
}
