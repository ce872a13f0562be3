/*
 * stats.c — --stats: where a link's time and memory went.
 *
 * GNU ld's --stats prints the link's total time and memory; ours splits them by
 * pass, as main.c names the passes, so a user can see which step a big link waits
 * on (and we can, when we make one faster). Wall time is the clock's; CPU time is
 * the whole process's, every thread's, so a pass that ran on several threads shows
 * more CPU time than wall time. Memory is what the arena grew by: nearly everything
 * a link builds lives there. At the end, what the link read and the most memory it
 * ever held (the kernel's count of resident pages, mapped inputs included).
 *
 * Part of the model: passes call it; it calls nothing of theirs.
 */
#include "../ld.h"

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

static double ms(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void stats_start(Ctx *ctx) {
  LinkStats *s = &ctx->stats;
  s->wall = ms(CLOCK_MONOTONIC);
  s->cpu = ms(CLOCK_PROCESS_CPUTIME_ID);
  s->arena = arena_bytes();
}

void stats_mark(Ctx *ctx, const char *pass) {
  LinkStats *s = &ctx->stats;
  if (!ctx->opt.stats || s->npasses == MAX_STAT_PASSES)
    return;
  double wall = ms(CLOCK_MONOTONIC), cpu = ms(CLOCK_PROCESS_CPUTIME_ID);
  size_t arena = arena_bytes();
  s->passes[s->npasses++] = (PassStat){pass, wall - s->wall, cpu - s->cpu,
                                       arena > s->arena ? arena - s->arena : 0};
  s->wall = wall;
  s->cpu = cpu;
  s->arena = arena;
}

static double mib(double bytes) { return bytes / (1024.0 * 1024.0); }

void print_stats(Ctx *ctx) {
  const LinkStats *s = &ctx->stats;
  if (!ctx->opt.stats)
    return;
  fprintf(stderr, "mini-ld: --stats: where the link's time and memory went\n");
  fprintf(stderr, "  %-32s %10s %10s %10s\n", "pass", "wall ms", "cpu ms", "arena MiB");
  double wall = 0, cpu = 0;
  size_t arena = 0;
  for (int i = 0; i < s->npasses; i++) {
    const PassStat *p = &s->passes[i];
    fprintf(stderr, "  %-32s %10.1f %10.1f %10.1f\n", p->pass, p->wall_ms, p->cpu_ms,
            mib((double)p->arena_bytes));
    wall += p->wall_ms;
    cpu += p->cpu_ms;
    arena += p->arena_bytes;
  }
  fprintf(stderr, "  %-32s %10.1f %10.1f %10.1f\n", "total", wall, cpu, mib((double)arena));

  size_t sections = 0, relocs = 0, locals = 0;
  for (size_t f = 0; f < ctx->files.len; f++) {
    const InputFile *file = ctx->files.data[f];
    for (uint64_t i = 1; i < file->obj.shnum; i++) {
      const InputSection *isec = file->sections[i];
      if (isec) {
        sections++;
        relocs += isec->nrels;
      }
    }
    if (file->obj.first_global > 1)
      locals += file->obj.first_global - 1;
  }
  fprintf(stderr, "  inputs: %zu objects, %zu shared libraries, %.1f MiB mapped\n",
          ctx->files.len, ctx->shared_files.len, mib((double)mapped_bytes()));
  fprintf(stderr, "  %zu input sections, %zu relocations\n", sections, relocs);
  fprintf(stderr, "  symbols: %zu global (a table of %zu entries, %.1f MiB), %zu local\n",
          ctx->symtab.len, ctx->symtab.cap, mib((double)ctx->symtab.cap * sizeof(HashEntry)),
          locals);
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    fprintf(stderr, "  peak resident memory: %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
}
