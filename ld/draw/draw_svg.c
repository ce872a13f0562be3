/*
 * draw_svg.c — one layout picture in plain SVG: the file on the left, memory on the
 * right, a ribbon for each PT_LOAD from its bytes in the file to its pages.
 *
 *   offsets  FILE             ribbons             MEMORY          addresses  notes
 *   0x0      +---------+                          +---------+    0x400000   |LOAD #0 R
 *   page 0   |ehdr     |======================>   |ehdr     |               |p_vaddr ≡ ...
 *   mapped 4x|.text    |==\                       |.text    | (faded)       |
 *            |.rodata  |   \=================>    +---------+    0x401000   |LOAD #1 R X
 *            |.data    |                          | ...     |
 *
 * A ribbon has two layers: a pale one for the whole pages the kernel maps, and a
 * strong one for the segment's own bytes, so a file page mapped four times shows
 * four pale ribbons leaving it. Colours say permissions (orange R X, green R, blue
 * RW); hatching says zero-fill (.bss); faded bands are bytes that come along with a
 * page without belonging to its segment. Plain elements only (rect, path, text,
 * three patterns), so any browser and librsvg draw it; every band carries a <title>
 * a browser shows on hover.
 *
 * Reads an Image and its two Columns (page_rows.c); writes to the caller's FILE.
 */
#include "../ld.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

// Where things go, from the picture's left edge.
enum {
  X_OFFSETS = 92,                      // file offsets end here
  X_FILE = 100,
  COL_W = 250,
  X_MEM = 580,
  X_ADDRS = X_MEM + COL_W + 6,         // addresses start here
  X_BRACKET = X_MEM + COL_W + 118,     // each PT_LOAD's bracket
  X_NOTES = X_BRACKET + 14,
  WIDTH = X_NOTES + 420,
  COL_TOP = 100,                       // where the columns start
};
static const double LINE = 14;

double picture_width(void) { return WIDTH; }

// Text with the XML specials escaped (names were made printable ASCII by the reader).
static void put_escaped(FILE *fp, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", fp); break;
    case '<': fputs("&lt;", fp); break;
    case '>': fputs("&gt;", fp); break;
    case '"': fputs("&quot;", fp); break;
    default: fputc(*s, fp);
    }
  }
}

// <text x y ATTRS>formatted, escaped</text>
static void text(FILE *fp, double x, double y, const char *attrs, const char *fmt, ...)
    FORMAT_PRINTF(5, 6);
static void text(FILE *fp, double x, double y, const char *attrs, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
  put_escaped(fp, buf);
  fputs("</text>\n", fp);
}

static const char *MONO = "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\"";

static const char *hex(Arena *a, uint64_t v) {
  return arena_printf(a, "0x%llx", (unsigned long long)v);
}

// "4 B", "1094 B", "12.5 KiB", "1945.3 KiB", "64.0 TiB": what a reader takes in at a
// glance.
static const char *size_str(Arena *a, uint64_t n) {
  if (n < 10240)
    return arena_printf(a, "%llu B", (unsigned long long)n);
  static const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = (double)n / 1024;
  size_t u = 0;
  while (v >= 10240 && u + 1 < sizeof units / sizeof *units) {
    v /= 1024;
    u++;
  }
  return arena_printf(a, "%.1f %s", v, units[u]);
}

static const char *perm_str(uint32_t flags) {
  static const char *names[8] = {"---", "--X", "-W-", "-WX", "R--", "R-X", "RW-", "RWX"};
  return names[(flags & PF_R ? 4 : 0) | (flags & PF_W ? 2 : 0) | (flags & PF_X ? 1 : 0)];
}

// A segment's colour, by what it lets the program do.
static const char *seg_color(uint32_t flags) {
  if ((flags & PF_W) && (flags & PF_X))
    return "#cc0000";
  if (flags & PF_X)
    return "#e69138";
  if (flags & PF_W)
    return "#3d85c6";
  return "#6aa84f";
}

static const char *section_fill(const Elf64_Shdr *sh) {
  if (!(sh->sh_flags & SHF_ALLOC))
    return "#e6e6e6";
  if (sh->sh_flags & SHF_EXECINSTR)
    return "#f9cb9c";
  if (sh->sh_flags & SHF_WRITE)
    return "#9fc5e8";
  return "#b6d7a8";
}

static const char *band_fill(const Image *img, const Band *b) {
  switch (b->kind) {
  case BAND_EHDR: case BAND_PHDRS: case BAND_SHDRS: return "#cdbfe8";
  case BAND_SECTION: return section_fill(&img->shdrs[b->shndx]);
  case BAND_PAST_EOF: return "url(#past-eof)";
  case BAND_BSS: return "url(#zero-fill)";
  case BAND_ZERO: return "url(#zeros)";
  case BAND_PAD: break;
  }
  return "#ffffff";
}

static const char *band_name(Arena *a, const Image *img, const Band *b) {
  const char *cont = b->cont ? " (continued)" : "";
  switch (b->kind) {
  case BAND_EHDR: return arena_printf(a, "ELF header%s", cont);
  case BAND_PHDRS: return arena_printf(a, "program headers%s", cont);
  case BAND_SHDRS: return arena_printf(a, "section headers%s", cont);
  case BAND_SECTION: return arena_printf(a, "%s%s", img->shnames[b->shndx], cont);
  case BAND_BSS: return arena_printf(a, "%s%s: zero-fill", img->shnames[b->shndx], cont);
  case BAND_PAST_EOF: return b->seg >= 0 ? "past the end of the file: reads as 0"
                                          : "past the end of the file";
  case BAND_ZERO: return b->faded ? "zeros: rest of the page" : "zero-fill";
  case BAND_PAD: break;
  }
  return "padding";
}

// What the band's right edge says: the size of the whole thing it is part of.
static const char *band_size(Arena *a, const Image *img, const Band *b) {
  switch (b->kind) {
  case BAND_SECTION: case BAND_BSS: return size_str(a, img->shdrs[b->shndx].sh_size);
  case BAND_EHDR: return size_str(a, sizeof(Elf64_Ehdr));
  case BAND_PHDRS: return arena_printf(a, "%zu × 56 B", img->phnum);
  case BAND_SHDRS: return arena_printf(a, "%zu × 64 B", img->shnum);
  default: return size_str(a, b->end - b->start);
  }
}

static void draw_band(FILE *fp, Arena *a, const Image *img, const Band *b, double x,
                      double y0, bool memory, bool run) {
  double y = y0 + b->y;
  const char *name = band_name(a, img, b);
  fprintf(fp, "<g><title>");
  put_escaped(fp, arena_printf(a, "%s: %s [%s, %s)%s", name, memory ? "addresses" : "offsets",
                               hex(a, b->start), hex(a, b->end),
                               b->faded ? ", mapped with the page but not part of the segment"
                                        : ""));
  fprintf(fp, "</title><rect x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"%s\"%s "
              "stroke=\"#666\" stroke-width=\"0.5\"/>\n",
          (int)x, y, COL_W, b->h, band_fill(img, b), b->faded ? " fill-opacity=\"0.35\"" : "");
  bool labelled = b->kind == BAND_PAD ? b->h >= 15 : b->h >= (b->faded ? 9.5 : 11);
  if (labelled && run) {
    uint64_t pages = (b->end - b->start) / DRAW_PAGE;
    text(fp, x + COL_W / 2.0, y + b->h / 2 + 4, "text-anchor=\"middle\" font-style=\"italic\"",
         "⋮  %s: %llu pages, %s  ⋮", name, (unsigned long long)pages,
         size_str(a, b->end - b->start));
  } else if (labelled) {
    const char *color = b->faded ? "fill=\"#888\" font-style=\"italic\" font-size=\"8.5\""
                                 : "fill=\"#111\"";
    const char *size = band_size(a, img, b);
    double base = y + b->h / 2 + (b->faded ? 3 : 4);
    // About 40 characters fit across (50 in small print); a longer name is cut (the
    // <title> has it whole).
    int room = (b->faded ? 50 : 40) - (int)strlen(size);
    if ((int)strlen(name) > room)
      text(fp, x + 6, base, color, "%.*s...", room - 3, name);
    else
      text(fp, x + 6, base, color, "%s", name);
    text(fp, x + COL_W - 6, base,
         arena_printf(a, "text-anchor=\"end\" %s %s", MONO,
                      b->faded ? color : arena_printf(a, "%s font-size=\"10\"", color)),
         "%s", size);
  }
  fprintf(fp, "</g>\n");
}

// One column: its rows, bands, page outlines and the offsets or addresses beside it.
static void draw_column(FILE *fp, Arena *a, const Image *img, const Column *col, double x,
                        double y0, bool memory) {
  for (size_t i = 0; i < col->nrows; i++) {
    const PageRow *r = &col->rows[i];
    double y = y0 + r->y;
    if (r->kind == ROW_GAP) {
      text(fp, x + COL_W / 2.0, y + r->h / 2 + 4,
           "text-anchor=\"middle\" fill=\"#777\" font-style=\"italic\"",
           "not mapped: %s", size_str(a, r->end - r->start));
      for (int k = 0; k < 2; k++)
        fprintf(fp, "<path d=\"M%.1f %.1f l10 -4 l10 8 l10 -4\" fill=\"none\" "
                    "stroke=\"#999\"/>\n", x + (k ? COL_W - 30 : 0), y + r->h / 2);
      continue;
    }
    for (size_t k = 0; k < r->nbands; k++)
      draw_band(fp, a, img, &r->bands[k], x, y0, memory, r->kind == ROW_RUN);
    fprintf(fp, "<rect x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"none\" "
                "stroke=\"#222\" stroke-width=\"1.2\"%s/>\n",
            (int)x, y, COL_W, r->h, r->kind == ROW_RUN ? " stroke-dasharray=\"6 3\"" : "");
    const char *where = arena_printf(a, "font-size=\"10\" %s%s", MONO,
                                     memory ? "" : " text-anchor=\"end\"");
    double lx = memory ? X_ADDRS + (x - X_MEM) : x - (X_FILE - X_OFFSETS);
    text(fp, lx, y + 10, where, "%s", hex(a, r->start));
    if (memory || r->kind != ROW_PAGE)
      continue;
    text(fp, lx, y + 22, "font-size=\"9\" fill=\"#666\" text-anchor=\"end\"", "page %llu",
         (unsigned long long)(r->start / DRAW_PAGE));
    int maps = file_page_maps(img, r->start);
    if (maps > 1)
      text(fp, lx, y + 34, "font-size=\"10\" font-weight=\"bold\" fill=\"#b00\" "
           "text-anchor=\"end\"", "mapped %d×", maps);
  }
  if (col->nrows) {
    const PageRow *last = &col->rows[col->nrows - 1];
    double lx = memory ? X_ADDRS + (x - X_MEM) : x - (X_FILE - X_OFFSETS);
    text(fp, lx, y0 + col->height + 4,
         arena_printf(a, "font-size=\"10\" %s%s", MONO, memory ? "" : " text-anchor=\"end\""),
         "%s", hex(a, last->end));
  }
}

// A band of colour from [a0, a1) on the file's edge to [b0, b1) on memory's.
static void ribbon(FILE *fp, double x0, double a0, double a1, double x1, double b0, double b1,
                   const char *color, double opacity, bool outline) {
  double xm = (x0 + x1) / 2;
  fprintf(fp, "<path d=\"M%.1f %.2f C%.1f %.2f %.1f %.2f %.1f %.2f L%.1f %.2f "
              "C%.1f %.2f %.1f %.2f %.1f %.2f Z\" fill=\"%s\" fill-opacity=\"%.2f\"",
          x0, a0, xm, a0, xm, b0, x1, b0, x1, b1, xm, b1, xm, a1, x0, a1, color, opacity);
  if (outline)
    fprintf(fp, " stroke=\"%s\" stroke-width=\"0.8\"", color);
  fprintf(fp, "/>\n");
}

static uint64_t page_down(uint64_t v) { return v & ~(uint64_t)(DRAW_PAGE - 1); }
static uint64_t page_up(uint64_t v) { return page_down(v + DRAW_PAGE - 1); }

static void draw_ribbons(FILE *fp, Arena *a, const Image *img, const Column *file,
                         const Column *mem, double x, double y0) {
  double x0 = x + X_FILE + COL_W, x1 = x + X_MEM;
  for (int pass = 0; pass < 3; pass++) {
    for (size_t i = 0; i < img->phnum; i++) {
      const Elf64_Phdr *ph = &img->phdrs[i];
      if (ph->p_type != PT_LOAD || !ph->p_filesz)
        continue;
      const char *color = seg_color(ph->p_flags);
      uint64_t off_end = ph->p_offset + ph->p_filesz, va_end = ph->p_vaddr + ph->p_filesz;
      if (pass == 0) {
        // The whole pages: what mmap really maps.
        ribbon(fp, x0, y0 + column_y(file, page_down(ph->p_offset), false),
               y0 + column_y(file, page_up(off_end), true), x1,
               y0 + column_y(mem, page_down(ph->p_vaddr), false),
               y0 + column_y(mem, page_up(va_end), true), color, 0.10, false);
        continue;
      }
      double a0 = y0 + column_y(file, ph->p_offset, false);
      double a1 = y0 + column_y(file, off_end, true);
      double b0 = y0 + column_y(mem, ph->p_vaddr, false);
      double b1 = y0 + column_y(mem, va_end, true);
      if (pass == 1) {
        ribbon(fp, x0, a0, a1, x1, b0, b1, color, 0.45, true);
        continue;
      }
      // Its name, where the ribbon crosses the middle, on a white halo.
      text(fp, (x0 + x1) / 2, (a0 + a1 + b0 + b1) / 4 + 4,
           arena_printf(a, "text-anchor=\"middle\" font-weight=\"bold\" fill=\"%s\" "
                        "stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\"", color),
           "LOAD #%zu", i);
    }
  }
}

// The notes right of memory: one per PT_LOAD, RELRO and TLS, in address order,
// each below the one before it, joined to its bracket when pushed down.
typedef struct {
  size_t ph;
  double y0, y1;
} Note;

static const char *sections_in(Arena *a, const Image *img, const Elf64_Phdr *ph) {
  const char *list = "";
  for (size_t i = 1; i < img->shnum; i++) {
    const Elf64_Shdr *sh = &img->shdrs[i];
    if (!(sh->sh_flags & SHF_ALLOC))
      continue;
    // .tbss has addresses, but only the TLS template holds it; and the template
    // holds nothing else, though the sections after .tbss share its addresses.
    if ((sh->sh_flags & SHF_TLS) && sh->sh_type == SHT_NOBITS && ph->p_type != PT_TLS)
      continue;
    if (ph->p_type == PT_TLS && !(sh->sh_flags & SHF_TLS))
      continue;
    bool inside = sh->sh_addr >= ph->p_vaddr &&
                  (sh->sh_size ? sh->sh_addr + sh->sh_size - ph->p_vaddr <= ph->p_memsz
                               : sh->sh_addr - ph->p_vaddr < ph->p_memsz);
    if (inside)
      list = arena_printf(a, "%s%s%s", list, *list ? " " : "", img->shnames[i]);
  }
  return list;
}

// Words in lines of at most 64 characters, at most three lines (then "..."); returns
// the baseline after the last.
static double wrapped(FILE *fp, double x, double y, const char *attrs,
                      const char *words) {
  enum { WIDTH_CHARS = 64 };
  for (int line = 0; *words && line < 3; line++) {
    size_t len = strlen(words);
    if (len > WIDTH_CHARS) {
      len = WIDTH_CHARS;
      while (len > 0 && words[len] != ' ')
        len--;
      if (len == 0)
        len = WIDTH_CHARS;
    }
    bool more = words[len] && line == 2;
    text(fp, x, y, attrs, "%.*s%s", (int)len, words, more ? " ..." : "");
    words += len;
    while (*words == ' ')
      words++;
    y += LINE;
  }
  return y;
}

static double draw_note(FILE *fp, Arena *a, const Image *img, const Note *n, double x,
                        double ty) {
  const Elf64_Phdr *ph = &img->phdrs[n->ph];
  double tx = x + X_NOTES;
  uint64_t end = ph->p_vaddr + ph->p_memsz;
  if (ph->p_type == PT_GNU_RELRO) {
    text(fp, tx, ty, "font-weight=\"bold\"", "GNU_RELRO [%s, %s): read-only after start-up",
         hex(a, ph->p_vaddr), hex(a, end));
    if (page_down(end) > page_down(ph->p_vaddr))
      text(fp, tx, ty + LINE, "", "the C library calls mprotect(%s, %s, PROT_READ)",
           hex(a, page_down(ph->p_vaddr)), hex(a, page_down(end) - page_down(ph->p_vaddr)));
    else
      text(fp, tx, ty + LINE, "", "(less than a page: nothing is write-protected)");
    return ty + 2 * LINE;
  }
  if (ph->p_type == PT_TLS) {
    text(fp, tx, ty, "font-weight=\"bold\"", "TLS template [%s, %s): %s", hex(a, ph->p_vaddr),
         hex(a, end), sections_in(a, img, ph));
    text(fp, tx, ty + LINE, "", "each thread gets a copy: %s from the file, %s of zeros",
         size_str(a, ph->p_filesz),
         size_str(a, ph->p_memsz > ph->p_filesz ? ph->p_memsz - ph->p_filesz : 0));
    return ty + 2 * LINE;
  }
  const char *color = seg_color(ph->p_flags);
  const char *what = ph->p_flags & PF_X ? "code" : ph->p_flags & PF_W ? "writable data"
                                                                     : "read-only";
  text(fp, tx, ty, arena_printf(a, "font-weight=\"bold\" font-size=\"12\" fill=\"%s\"", color),
       "LOAD #%zu  %s  %s", n->ph, perm_str(ph->p_flags), what);
  ty += LINE;
  const char *secs = sections_in(a, img, ph);
  if (!*secs && ph->p_offset == 0)
    secs = "(the ELF header and the program headers)";
  ty = wrapped(fp, tx, ty, arena_printf(a, "font-weight=\"bold\" fill=\"%s\"", color), secs);
  uint64_t mod = ph->p_align > 1 ? ph->p_align : DRAW_PAGE;
  bool congruent = ph->p_vaddr % mod == ph->p_offset % mod;
  text(fp, tx, ty, congruent ? MONO : arena_printf(a, "%s fill=\"#c00\"", MONO),
       "p_vaddr %s %s p_offset %s (mod %s)%s", hex(a, ph->p_vaddr), congruent ? "≡" : "≢",
       hex(a, ph->p_offset), hex(a, mod), congruent ? "" : ": the kernel refuses this");
  ty += LINE;
  text(fp, tx, ty, "", "file [%s, %s) → memory [%s, %s)", hex(a, ph->p_offset),
       hex(a, ph->p_offset + ph->p_filesz), hex(a, ph->p_vaddr),
       hex(a, ph->p_vaddr + ph->p_filesz));
  ty += LINE;
  if (ph->p_memsz > ph->p_filesz) {
    text(fp, tx, ty, "", "then %s of zero-fill up to p_memsz (.bss: not in the file)",
         size_str(a, ph->p_memsz - ph->p_filesz));
    ty += LINE;
  }
  // The file pages this segment shares with others: mapped again, not copied.
  // "shares file page 0 with LOAD #1, #2; page 120 with LOAD #3"
  const char *shared = "", *prev = "";
  for (size_t i = 0; ph->p_filesz && i < img->phnum; i++) {
    const Elf64_Phdr *o = &img->phdrs[i];
    if (i == n->ph || o->p_type != PT_LOAD || !o->p_filesz)
      continue;
    uint64_t lo = page_down(o->p_offset) > page_down(ph->p_offset) ? page_down(o->p_offset)
                                                                    : page_down(ph->p_offset);
    uint64_t hi = page_up(o->p_offset + o->p_filesz) < page_up(ph->p_offset + ph->p_filesz)
                      ? page_up(o->p_offset + o->p_filesz)
                      : page_up(ph->p_offset + ph->p_filesz);
    if (lo >= hi)
      continue;
    const char *pages =
        hi - lo == DRAW_PAGE
            ? arena_printf(a, "page %llu", (unsigned long long)(lo / DRAW_PAGE))
            : arena_printf(a, "pages %llu-%llu", (unsigned long long)(lo / DRAW_PAGE),
                           (unsigned long long)(hi / DRAW_PAGE - 1));
    if (!strcmp(pages, prev))
      shared = arena_printf(a, "%s, #%zu", shared, i);
    else
      shared = arena_printf(a, "%s%s%s with LOAD #%zu", shared, *shared ? "; " : "", pages, i);
    prev = pages;
  }
  if (*shared) {
    text(fp, tx, ty, "fill=\"#b00\"", "shares file %s", shared);
    ty += LINE;
  }
  return ty;
}

static int compare_notes(const void *pa, const void *pb) {
  const Note *a = pa, *b = pb;
  if (a->y0 != b->y0)
    return a->y0 < b->y0 ? -1 : 1;
  return a->ph < b->ph ? -1 : a->ph > b->ph;
}

// Brackets and notes; returns where the last note ends.
static double draw_notes(FILE *fp, Arena *a, const Image *img, const Column *mem, double x,
                         double y0) {
  Note *notes = arena_array(a, img->phnum + 1, sizeof *notes);
  size_t n = 0;
  for (size_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    bool load = ph->p_type == PT_LOAD;
    if (!(load || ph->p_type == PT_GNU_RELRO || ph->p_type == PT_TLS) || !ph->p_memsz ||
        ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
      continue;
    notes[n++] = (Note){i, y0 + column_y(mem, ph->p_vaddr, false),
                        y0 + column_y(mem, ph->p_vaddr + ph->p_memsz, true)};
  }
  qsort(notes, n, sizeof *notes, compare_notes);
  double free_y = y0;
  for (size_t i = 0; i < n; i++) {
    const Elf64_Phdr *ph = &img->phdrs[notes[i].ph];
    bool load = ph->p_type == PT_LOAD;
    const char *color = load ? seg_color(ph->p_flags) : "#000";
    double bx = x + X_BRACKET - (load ? 0 : 9);
    double mx = x + X_MEM;
    // The segment itself, outlined on the memory column.
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" fill=\"none\" "
                "stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
            mx - (load ? 1.5 : 4), notes[i].y0, COL_W + (load ? 3 : 8),
            notes[i].y1 - notes[i].y0, color, load ? "2.5" : "1.6",
            load ? "" : ph->p_type == PT_TLS ? " stroke-dasharray=\"2 2\""
                                             : " stroke-dasharray=\"7 3\"");
    fprintf(fp, "<path d=\"M%.1f %.2f H%.1f V%.2f H%.1f\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"2\"%s/>\n",
            bx - 6, notes[i].y0 + 1, bx, notes[i].y1 - 1, bx - 6, color,
            load ? "" : " stroke-dasharray=\"4 2\"");
    double ty = notes[i].y0 + 12 > free_y ? notes[i].y0 + 12 : free_y;
    if (ty - 12 > notes[i].y0 + 1) {
      double from = notes[i].y1 < ty - 4 ? (notes[i].y0 + notes[i].y1) / 2 : notes[i].y0 + 1;
      fprintf(fp, "<path d=\"M%.1f %.2f L%.1f %.2f\" stroke=\"%s\" stroke-width=\"0.8\"/>\n",
              bx, from, x + X_NOTES - 3, ty - 4, color);
    }
    free_y = draw_note(fp, a, img, &notes[i], x, ty) + 6;
  }
  return free_y;
}

// Below the picture: readelf -l's table, in short, naming every segment's sections.
static double draw_phdr_table(FILE *fp, Arena *a, const Image *img, double x, double y) {
  static const char *types[] = {
      [PT_NULL] = "NULL", [PT_LOAD] = "LOAD", [PT_DYNAMIC] = "DYNAMIC", [PT_INTERP] = "INTERP",
      [PT_NOTE] = "NOTE", [PT_SHLIB] = "SHLIB", [PT_PHDR] = "PHDR",     [PT_TLS] = "TLS"};
  text(fp, x, y, "font-weight=\"bold\" font-size=\"12\"", "Program headers");
  y += LINE + 2;
  const char *attrs = arena_printf(a, "font-size=\"10.5\" %s xml:space=\"preserve\"", MONO);
  text(fp, x, y, attrs, "%-3s %-13s %-10s %-18s %-10s %-10s %-4s %-8s %s", "#", "type",
       "offset", "vaddr", "filesz", "memsz", "flg", "align", "sections");
  for (size_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    const char *type;
    switch (ph->p_type) {
    case PT_GNU_EH_FRAME: type = "GNU_EH_FRAME"; break;
    case PT_GNU_STACK: type = "GNU_STACK"; break;
    case PT_GNU_RELRO: type = "GNU_RELRO"; break;
    case 0x6474e553: type = "GNU_PROPERTY"; break;
    default:
      type = ph->p_type < sizeof types / sizeof *types && types[ph->p_type]
                 ? types[ph->p_type]
                 : arena_printf(a, "0x%x", ph->p_type);
    }
    y += LINE;
    const char *secs = ph->p_memsz && ph->p_type != PT_GNU_STACK ? sections_in(a, img, ph) : "";
    if (strlen(secs) > 60)
      secs = arena_printf(a, "%.57s...", secs);
    const char *weight = ph->p_type == PT_LOAD ? " font-weight=\"bold\"" : "";
    text(fp, x, y, arena_printf(a, "%s%s", attrs, weight),
         "%-3zu %-13s %-10s %-18s %-10s %-10s %-4s %-8s %s", i, type, hex(a, ph->p_offset),
         hex(a, ph->p_vaddr), hex(a, ph->p_filesz), hex(a, ph->p_memsz), perm_str(ph->p_flags),
         hex(a, ph->p_align), secs);
  }
  return y + LINE;
}

static double draw_legend(FILE *fp, double x, double y) {
  static const struct { const char *fill, *label; } keys[] = {
      {"#cdbfe8", "ELF headers"},       {"#f9cb9c", "code (R X)"},
      {"#b6d7a8", "read-only (R)"},     {"#9fc5e8", "writable (RW)"},
      {"url(#zero-fill)", ".bss: zero-fill"}, {"#e6e6e6", "not loaded"},
      {"url(#past-eof)", "past end of file"},
  };
  double lx = x;
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"12\" fill=\"%s\" "
                "stroke=\"#666\" stroke-width=\"0.5\"/>\n", lx, y - 10, keys[i].fill);
    text(fp, lx + 27, y, "", "%s", keys[i].label);
    lx += 150;
  }
  y += LINE + 6;
  fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"12\" fill=\"#f9cb9c\" "
              "fill-opacity=\"0.35\" stroke=\"#666\" stroke-width=\"0.5\"/>\n", x, y - 10);
  text(fp, x + 27, y, "fill=\"#555\"",
       "faded: in a mapped page, but not part of that segment (mmap maps whole pages)");
  fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"12\" fill=\"none\" "
              "stroke=\"#000\" stroke-width=\"1.6\" stroke-dasharray=\"7 3\"/>\n",
          x + 600, y - 10);
  text(fp, x + 627, y, "", "RELRO: write-protected after start-up");
  return y + LINE;
}

double draw_picture(FILE *fp, Arena *a, const Image *img, const Column *file,
                    const Column *mem, double x, double y) {
  size_t nloads = 0;
  for (size_t i = 0; i < img->phnum; i++)
    nloads += img->phdrs[i].p_type == PT_LOAD;
  const char *type = img->ehdr.e_type == ET_EXEC ? "ET_EXEC: an executable at fixed addresses"
                     : "ET_DYN: position-independent, addresses relative to its load base";
  fprintf(fp, "<g>\n");
  text(fp, x, y + 20, "font-size=\"17\" font-weight=\"bold\"", "%s", img->name);
  text(fp, x, y + 40, "font-size=\"12\" fill=\"#333\"", "%s; %s in the file, %zu PT_LOAD%s; "
       "entry point %s", type, size_str(a, img->file.size), nloads, nloads == 1 ? "" : "s",
       hex(a, img->ehdr.e_entry));
  text(fp, x + X_FILE, y + COL_TOP - 12, "font-size=\"13\" font-weight=\"bold\"",
       "the file, by offset");
  text(fp, x + X_MEM, y + COL_TOP - 12, "font-size=\"13\" font-weight=\"bold\"",
       "virtual memory, by address");
  text(fp, x + X_FILE, y + COL_TOP - 28, "font-size=\"10\" fill=\"#666\"",
       "one box per 4 KiB page (runs of like pages shortened)");

  double top = y + COL_TOP;
  draw_ribbons(fp, a, img, file, mem, x, top);
  draw_column(fp, a, img, file, x + X_FILE, top, false);
  draw_column(fp, a, img, mem, x + X_MEM, top, true);

  // The entry point: where execution starts.
  double ey = top + column_y(mem, img->ehdr.e_entry, false);
  if (img->ehdr.e_entry && ey > top && ey < top + mem->height) {
    fprintf(fp, "<path d=\"M%.1f %.2f l-9 -5 v10 z\" fill=\"#b00\"/>\n", x + X_MEM - 1, ey);
    text(fp, x + X_MEM - 12, ey + 4, "text-anchor=\"end\" font-size=\"10\" fill=\"#b00\" "
         "font-weight=\"bold\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\"",
         "entry %s", hex(a, img->ehdr.e_entry));
  }
  double bottom = draw_notes(fp, a, img, mem, x, top);
  if (top + file->height > bottom)
    bottom = top + file->height;
  if (top + mem->height > bottom)
    bottom = top + mem->height;
  bottom = draw_phdr_table(fp, a, img, x, bottom + 40);
  bottom = draw_legend(fp, x, bottom + 14);
  fprintf(fp, "</g>\n");
  return bottom + 10 - y;
}

void svg_begin(FILE *fp, double width, double height, const char *title) {
  fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
              "viewBox=\"0 0 %.0f %.0f\" "
              "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"11\">\n"
              "<title>", width, height, width, height);
  put_escaped(fp, title);
  fputs("</title>\n<defs>\n"
        "<pattern id=\"zero-fill\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#dbe9f7\"/>"
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#3d85c6\" stroke-width=\"2\"/>"
        "</pattern>\n"
        "<pattern id=\"zeros\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>"
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#bbbbbb\" stroke-width=\"1\"/>"
        "</pattern>\n"
        "<pattern id=\"past-eof\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
        "<rect width=\"8\" height=\"8\" fill=\"#f4f4f4\"/>"
        "<circle cx=\"4\" cy=\"4\" r=\"1\" fill=\"#aaaaaa\"/></pattern>\n"
        "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", fp);
}

void svg_end(FILE *fp) { fputs("</svg>\n", fp); }
