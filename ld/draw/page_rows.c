/*
 * page_rows.c — the two columns of a layout picture, cut into rows of pages.
 *
 * The kernel maps files a page at a time, so the picture counts in pages too. Each
 * column (the file by offset, the address space by address) is cut at every place
 * something begins or ends: a section, a header table, a segment, its p_filesz and
 * p_memsz. A page with such a cut inside it becomes a row of bands, one per thing
 * it holds, each as tall as its share of the page but never too thin for its
 * label (so a 4-byte .data can be read next to a 3 KiB .text). A page with no cut
 * inside is all one thing; a run of such pages shrinks to one short row ("126 pages
 * of .text"), which keeps a 2 MB static program about as tall as a small one.
 *
 *     file                    memory
 *     page 0  ehdr phdrs ...  0x400000  the same page, once for each PT_LOAD that
 *             .text .rodata   0x401000  maps it: the segment's own bytes strong,
 *             .data ...       0x402000  the rest of the page (which comes along,
 *                             0x403000  since mmap maps whole pages) faded
 *
 * What a memory page holds follows load_elf_binary: a PT_LOAD maps the file pages
 * from page_down(p_offset) to page_up(p_offset + p_filesz) at page_down(p_vaddr);
 * when p_memsz > p_filesz, the bytes from p_filesz to the end of that page are
 * cleared, and the pages after it are anonymous zeros. The cuts of a file page are
 * also made in every memory page that maps it, and the other way round, so the two
 * pictures of one page are cut alike (in memory, the bands outside the segment are
 * drawn in small print, so that the segment's own stand out).
 *
 * Reads an Image (checked by draw_layout.c); fills two Columns from the arena.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

// How tall things are drawn, in SVG pixels.
enum { PAGE_H = 160 };                 // a whole page
static const double LABEL_H = 15;      // the least a labelled band gets
static const double FADED_H = 10;      // ... in small print, outside its segment
static const double RUN_H = 46;        // a run of pages that hold one thing
static const double GAP_H = 30;        // addresses no segment maps

static uint64_t page_down(uint64_t v) { return v & ~(uint64_t)(DRAW_PAGE - 1); }
// draw_layout.c has checked that no segment or file ends in the last page of the
// address space, so this cannot wrap.
static uint64_t page_up(uint64_t v) { return page_down(v + DRAW_PAGE - 1); }

// A sorted set of cut points, in the arena, grown by copying.
typedef struct {
  uint64_t *v;
  size_t len, cap;
} Points;

static void add_point(Arena *arena, Points *pts, uint64_t v) {
  if (pts->len == pts->cap) {
    size_t cap = pts->cap ? pts->cap * 2 : 64;
    uint64_t *v2 = arena_array(arena, cap, sizeof *v2);
    if (pts->len)
      memcpy(v2, pts->v, pts->len * sizeof *v2);
    pts->v = v2;
    pts->cap = cap;
  }
  pts->v[pts->len++] = v;
}

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void sort_points(Points *pts) {
  if (pts->len > 1)
    qsort(pts->v, pts->len, sizeof *pts->v, compare_u64);
  size_t n = 0;
  for (size_t i = 0; i < pts->len; i++)
    if (!n || pts->v[i] != pts->v[n - 1])
      pts->v[n++] = pts->v[i];
  pts->len = n;
}

// Something with a name that occupies [start, end) of the file or of memory.
typedef struct {
  uint64_t start, end;
  BandKind kind;
  size_t shndx;
  uint64_t reach;  // once sorted: the largest end of this item and those before it
} Item;

// One PT_LOAD as the kernel maps it.
typedef struct {
  int index;             // in phdrs
  uint64_t vaddr, filesz_end, memsz_end;  // p_vaddr, and where its file bytes and
                                          // its memory end
  uint64_t span_lo, span_hi;  // the pages it occupies
  uint64_t map_lo, map_hi;    // the pages mapped from the file (map_hi == map_lo: none)
  uint64_t file_base;         // the file offset mapped at map_lo
} Load;

typedef struct {
  const Image *img;
  Item *items;   // the file's, by offset
  size_t nitems;
  Item *bss;     // SHT_NOBITS sections, by address
  size_t nbss;
  Load *loads;
  size_t nloads;
} Model;

// Items by start, and of those starting together the longer first; then each
// one's reach. (Sorted, a lookup is a binary search and a short walk back, not a
// scan of every section: a file may have 65,535 of them.)
static int compare_items(const void *pa, const void *pb) {
  const Item *a = pa, *b = pb;
  if (a->start != b->start)
    return a->start < b->start ? -1 : 1;
  uint64_t la = a->end - a->start, lb = b->end - b->start;
  return la > lb ? -1 : la < lb;
}

static void sort_items(Item *items, size_t n) {
  if (n > 1)
    qsort(items, n, sizeof *items, compare_items);
  for (size_t i = 0; i < n; i++)
    items[i].reach = i && items[i - 1].reach > items[i].end ? items[i - 1].reach : items[i].end;
}

// The item covering v: of several, the one that starts last (a section inside the
// headers' range is the more precise name), then the shorter. Walking back from
// the last item that starts at or before v, the first that covers v is that one;
// once no item so far reaches past v, none can cover it.
static const Item *find_item(const Item *items, size_t n, uint64_t v) {
  size_t lo = 0, hi = n;  // the first item starting after v is in [lo, hi]
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (items[mid].start <= v)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i > 0 && items[i - 1].reach > v; i--)
    if (v < items[i - 1].end)
      return &items[i - 1];
  return NULL;
}

static void file_content(const Model *m, uint64_t off, Band *b) {
  const Item *it = find_item(m->items, m->nitems, off);
  b->kind = it ? it->kind : BAND_PAD;
  b->shndx = it ? it->shndx : 0;
  b->cont = it && off > it->start;
  b->seg = -1;
  b->faded = false;
}

// The PT_LOAD whose pages hold addr: of two, the later, whose mmap replaces the
// earlier one's. NULL if none does.
static const Load *owner(const Model *m, uint64_t addr) {
  const Load *found = NULL;
  for (size_t i = 0; i < m->nloads; i++)
    if (addr >= m->loads[i].span_lo && addr < m->loads[i].span_hi)
      found = &m->loads[i];
  return found;
}

static void memory_content(const Model *m, uint64_t addr, Band *b) {
  const Load *l = owner(m, addr);
  memset(b, 0, sizeof *b);
  b->seg = -1;
  if (!l) {
    b->kind = BAND_ZERO;
    b->faded = true;
    return;
  }
  bool from_file = addr >= l->map_lo && addr < l->map_hi;
  bool zeroed = l->memsz_end > l->filesz_end && addr >= l->filesz_end;
  if (from_file && !zeroed) {
    // The file's bytes: the segment's own, or the rest of a page they share.
    file_content(m, addr - l->map_lo + l->file_base, b);
    b->faded = addr < l->vaddr || addr >= l->filesz_end;
  } else if (addr >= l->vaddr && addr < l->memsz_end) {
    const Item *it = find_item(m->bss, m->nbss, addr);
    b->kind = it ? BAND_BSS : BAND_ZERO;
    b->shndx = it ? it->shndx : 0;
    b->cont = it && addr > it->start;
  } else {
    b->kind = BAND_ZERO;  // cleared with the page, or anonymous, but no segment's
    b->faded = true;
  }
  b->seg = l->index;
}

static bool same_content(const Band *a, const Band *b) {
  return a->kind == b->kind && a->shndx == b->shndx && a->seg == b->seg &&
         a->faded == b->faded;
}

static double band_height(const Band *b) {
  double h = (double)(b->end - b->start) * PAGE_H / DRAW_PAGE;
  double least = b->kind == BAND_PAD ? 0 : b->faded ? FADED_H : LABEL_H;
  return h >= least ? h : least;
}

typedef void ContentFn(const Model *m, uint64_t v, Band *b);

// Rows in the making, in the arena.
typedef struct {
  PageRow *rows;
  size_t len, cap;
  double y;
} Rows;

static PageRow *new_row(Arena *arena, Rows *rs, PageRowKind kind, uint64_t start,
                        uint64_t end) {
  if (rs->len == rs->cap) {
    size_t cap = rs->cap ? rs->cap * 2 : 32;
    PageRow *r2 = arena_array(arena, cap, sizeof *r2);
    if (rs->len)
      memcpy(r2, rs->rows, rs->len * sizeof *r2);
    rs->rows = r2;
    rs->cap = cap;
  }
  PageRow *r = &rs->rows[rs->len++];
  *r = (PageRow){.kind = kind, .start = start, .end = end, .y = rs->y};
  return r;
}

// One page with cuts inside: a band from each cut to the next, neighbours with the
// same content merged. pts[*i...] are the cuts after p.
static void page_row(Arena *arena, Rows *rs, const Model *m, ContentFn *content,
                     const Points *pts, size_t i, uint64_t p) {
  size_t ncuts = 0;
  while (i + ncuts < pts->len && pts->v[i + ncuts] < p + DRAW_PAGE)
    ncuts++;
  PageRow *r = new_row(arena, rs, ROW_PAGE, p, p + DRAW_PAGE);
  r->bands = arena_array(arena, ncuts + 1, sizeof *r->bands);
  uint64_t from = p;
  for (size_t k = 0; k <= ncuts; k++) {
    uint64_t to = k < ncuts ? pts->v[i + k] : p + DRAW_PAGE;
    Band b;
    content(m, from, &b);
    b.start = from;
    b.end = to;
    if (r->nbands && same_content(&r->bands[r->nbands - 1], &b))
      r->bands[r->nbands - 1].end = to;
    else
      r->bands[r->nbands++] = b;
    from = to;
  }
  double y = rs->y;
  for (size_t k = 0; k < r->nbands; k++) {
    r->bands[k].y = y;
    r->bands[k].h = band_height(&r->bands[k]);
    y += r->bands[k].h;
  }
  r->h = y - rs->y;
  rs->y = y;
}

// The rows for [lo, hi) (both page-aligned), given the sorted cuts.
static void add_rows(Arena *arena, Rows *rs, const Model *m, ContentFn *content,
                     const Points *pts, uint64_t lo, uint64_t hi) {
  size_t i = 0;
  for (uint64_t p = lo; p < hi;) {
    while (i < pts->len && pts->v[i] <= p)
      i++;
    uint64_t next = i < pts->len ? pts->v[i] : UINT64_MAX;
    if (next < p + DRAW_PAGE) {
      page_row(arena, rs, m, content, pts, i, p);
      p += DRAW_PAGE;
      continue;
    }
    // No cut before `next`: every page up to it holds one thing alone.
    uint64_t q = next >= hi ? hi : page_down(next);
    if (q - p == DRAW_PAGE) {
      page_row(arena, rs, m, content, pts, i, p);
    } else {
      PageRow *r = new_row(arena, rs, ROW_RUN, p, q);
      r->bands = arena_alloc(arena, sizeof *r->bands);
      content(m, p, &r->bands[0]);
      r->bands[0].start = p;
      r->bands[0].end = q;
      r->bands[0].y = rs->y;
      r->bands[0].h = r->h = RUN_H;
      r->nbands = 1;
      rs->y += RUN_H;
    }
    p = q;
  }
}

// The Model: what the file holds, and how each PT_LOAD maps it.
static void build_model(Arena *arena, const Image *img, Model *m) {
  const Elf64_Ehdr *eh = &img->ehdr;
  m->img = img;
  m->items = arena_array(arena, img->shnum + 4, sizeof *m->items);
  m->bss = arena_array(arena, img->shnum + 1, sizeof *m->bss);
  m->loads = arena_array(arena, img->phnum + 1, sizeof *m->loads);
  m->items[m->nitems++] = (Item){0, eh->e_ehsize ? eh->e_ehsize : sizeof *eh, BAND_EHDR, 0, 0};
  if (img->phnum)
    m->items[m->nitems++] =
        (Item){eh->e_phoff, eh->e_phoff + img->phnum * sizeof(Elf64_Phdr), BAND_PHDRS, 0, 0};
  if (img->shnum)
    m->items[m->nitems++] =
        (Item){eh->e_shoff, eh->e_shoff + img->shnum * sizeof(Elf64_Shdr), BAND_SHDRS, 0, 0};
  for (size_t i = 1; i < img->shnum; i++) {
    const Elf64_Shdr *sh = &img->shdrs[i];
    if (!sh->sh_size)
      continue;
    if (sh->sh_type != SHT_NOBITS)
      m->items[m->nitems++] =
          (Item){sh->sh_offset, sh->sh_offset + sh->sh_size, BAND_SECTION, i, 0};
    else if ((sh->sh_flags & SHF_ALLOC) && !(sh->sh_flags & SHF_TLS))
      // (.tbss takes no room in the image: its addresses are the next section's.)
      m->bss[m->nbss++] = (Item){sh->sh_addr, sh->sh_addr + sh->sh_size, BAND_BSS, i, 0};
  }
  m->items[m->nitems++] = (Item){img->file.size, page_up(img->file.size), BAND_PAST_EOF, 0, 0};
  sort_items(m->items, m->nitems);
  sort_items(m->bss, m->nbss);

  for (size_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type != PT_LOAD || !ph->p_memsz)
      continue;
    Load *l = &m->loads[m->nloads++];
    l->index = (int)i;
    l->vaddr = ph->p_vaddr;
    l->filesz_end = ph->p_vaddr + ph->p_filesz;
    l->memsz_end = ph->p_vaddr + ph->p_memsz;
    l->span_lo = l->map_lo = page_down(ph->p_vaddr);
    l->span_hi = page_up(l->memsz_end);
    l->map_hi = ph->p_filesz ? page_up(l->filesz_end) : l->map_lo;
    l->file_base = page_down(ph->p_offset);
  }
}

// Every cut of both columns; each file cut also in each memory page that maps it,
// and each memory cut in the file page it maps.
static void build_cuts(Arena *arena, const Model *m, Points *fcuts, Points *mcuts) {
  for (size_t i = 0; i < m->nitems; i++) {
    add_point(arena, fcuts, m->items[i].start);
    add_point(arena, fcuts, m->items[i].end);
  }
  for (size_t i = 0; i < m->nloads; i++) {
    const Load *l = &m->loads[i];
    uint64_t own[] = {l->vaddr, l->filesz_end, l->memsz_end, l->span_lo, l->span_hi, l->map_hi};
    for (size_t k = 0; k < sizeof own / sizeof *own; k++)
      add_point(arena, mcuts, own[k]);
  }
  for (size_t i = 0; i < m->nbss; i++) {
    add_point(arena, mcuts, m->bss[i].start);
    add_point(arena, mcuts, m->bss[i].end);
  }
  size_t nfile = fcuts->len, nmem = mcuts->len;
  for (size_t i = 0; i < m->nloads; i++) {
    const Load *l = &m->loads[i];
    uint64_t len = l->map_hi - l->map_lo;
    for (size_t k = 0; k < nfile; k++) {
      uint64_t f = fcuts->v[k];
      if (f >= l->file_base && f - l->file_base <= len)
        add_point(arena, mcuts, f - l->file_base + l->map_lo);
    }
    for (size_t k = 0; k < nmem; k++) {
      uint64_t a = mcuts->v[k];
      if (a >= l->map_lo && a - l->map_lo <= len)
        add_point(arena, fcuts, a - l->map_lo + l->file_base);
    }
  }
  sort_points(fcuts);
  sort_points(mcuts);
}

static int compare_spans(const void *a, const void *b) {
  const Load *x = a, *y = b;
  return x->span_lo < y->span_lo ? -1 : x->span_lo > y->span_lo;
}

void build_columns(Arena *arena, const Image *img, Column *file, Column *mem) {
  Model m = {0};
  build_model(arena, img, &m);
  Points fcuts = {0}, mcuts = {0};
  build_cuts(arena, &m, &fcuts, &mcuts);

  Rows rs = {0};
  add_rows(arena, &rs, &m, file_content, &fcuts, 0, page_up(img->file.size));
  *file = (Column){rs.rows, rs.len, rs.y};

  // The address space: the pages of each PT_LOAD, joined where they touch or
  // overlap, with a gap row between the stretches.
  Load *spans = arena_array(arena, m.nloads + 1, sizeof *spans);
  if (m.nloads)
    memcpy(spans, m.loads, m.nloads * sizeof *spans);
  qsort(spans, m.nloads, sizeof *spans, compare_spans);
  rs = (Rows){0};
  for (size_t i = 0; i < m.nloads;) {
    uint64_t lo = spans[i].span_lo, hi = spans[i].span_hi;
    for (i++; i < m.nloads && spans[i].span_lo <= hi; i++)
      if (spans[i].span_hi > hi)
        hi = spans[i].span_hi;
    if (rs.len) {
      uint64_t prev = rs.rows[rs.len - 1].end;
      PageRow *gap = new_row(arena, &rs, ROW_GAP, prev, lo);
      gap->h = GAP_H;
      rs.y += GAP_H;
    }
    add_rows(arena, &rs, &m, memory_content, &mcuts, lo, hi);
  }
  *mem = (Column){rs.rows, rs.len, rs.y};
}

double column_y(const Column *col, uint64_t v, bool end) {
  if (!col->nrows || v < col->rows[0].start)
    return 0;
  for (size_t i = 0; i < col->nrows; i++) {
    const PageRow *r = &col->rows[i];
    bool inside = end ? v > r->start && v <= r->end : v >= r->start && v < r->end;
    if (!inside)
      continue;
    if (r->kind == ROW_GAP)
      return end ? r->y : r->y + r->h;
    for (size_t k = 0; k < r->nbands; k++) {
      const Band *b = &r->bands[k];
      if (end ? v > b->start && v <= b->end : v >= b->start && v < b->end)
        return b->y + b->h * (double)(v - b->start) / (double)(b->end - b->start);
    }
  }
  return col->height;
}

int file_page_maps(const Image *img, uint64_t off) {
  int n = 0;
  for (size_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type == PT_LOAD && ph->p_filesz && off >= page_down(ph->p_offset) &&
        off < page_up(ph->p_offset + ph->p_filesz))
      n++;
  }
  return n;
}
