/*
 * draw_layout.c — --layout=FILE.svg: the picture seed 000 draws by hand.
 *
 * How do a file's bytes become a process's memory? The answer is in the program
 * headers, but readelf -l gives it as numbers. This pass draws it: the file page by
 * page, the address space page by page, and for every PT_LOAD a ribbon from its
 * bytes to its pages, with its permissions, the sections inside it, the file page
 * several segments map, .bss as zero-fill past p_filesz, RELRO, and
 * p_vaddr ≡ p_offset (mod p_align) written out for each segment.
 *
 * It draws from the finished file's own headers, never from the linker's memory,
 * so the same code draws our output after a link, any executable or shared library
 * with --from=EXE (GNU ld's, lld's, /bin/ls), and a second one beside it with
 * --layout-against=EXE2, for comparing two linkers' choices.
 *
 * Reading is as careful as the loader's: every table and every segment's bytes must
 * lie inside the file, or the run stops with one line saying what is wrong. The SVG
 * depends only on the files, so the same input gives the same bytes; it is written
 * like every other output (output_file.c).
 *
 * Reads ctx->opt.layout_svg, layout_from, layout_against and output; runs after
 * write_output, or alone (main.c) when --from says there is nothing to link.
 */
#include "../ld.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

// Is s valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF)?
static bool is_utf8(const unsigned char *s) {
  while (*s) {
    unsigned c = *s++;
    int more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2
                                 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (more < 0)
      return false;
    uint32_t cp = c & (0x3f >> more);
    for (int k = 0; k < more; k++, s++) {
      if ((*s & 0xc0) != 0x80)
        return false;
      cp = cp << 6 | (*s & 0x3f);
    }
    static const uint32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
  }
  return true;
}

// A copy of s that can be XML text: names come from the file (or the command line),
// and a control byte or broken UTF-8 would make the whole SVG unreadable. Such
// bytes become '?'; valid UTF-8 (a file name in Chinese) is kept.
static const char *printable(Arena *arena, const char *s) {
  char *copy = arena_strdup(arena, s);
  bool utf8 = is_utf8((const unsigned char *)copy);
  for (unsigned char *p = (unsigned char *)copy; *p; p++)
    if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && !utf8))
      *p = '?';
  return copy;
}

// The name of section i, or "section I" where the file gives none.
static const char *section_name(Arena *arena, View strtab, uint32_t off, size_t i) {
  const char *s = strtab.size ? view_cstr(strtab, off) : NULL;
  if (!s || !*s)
    return arena_printf(arena, "section %zu", i);
  return printable(arena, s);
}

static bool bad(const char *name, const char *what) {
  error("%s: %s", name, what);
  return false;
}

static bool read_section_headers(Arena *arena, Image *img) {
  const Elf64_Ehdr *eh = &img->ehdr;
  View f = img->file;
  if (!eh->e_shoff)
    return true;  // no section headers: only segments to draw
  if (eh->e_shentsize != sizeof(Elf64_Shdr))
    return bad(img->name, arena_printf(arena, "e_shentsize is %u, not %zu", eh->e_shentsize,
                                       sizeof(Elf64_Shdr)));
  uint64_t shnum = eh->e_shnum;
  // The gABI's escape for many sections: e_shnum 0, the count in section 0's sh_size.
  if (!shnum && view_has(f, eh->e_shoff, sizeof(Elf64_Shdr))) {
    Elf64_Shdr first;
    memcpy(&first, f.data + eh->e_shoff, sizeof first);
    shnum = first.sh_size;
  }
  if (!view_has_table(f, eh->e_shoff, shnum, sizeof(Elf64_Shdr)))
    return bad(img->name, arena_printf(arena, "section header table (%llu entries at 0x%llx) "
                                       "extends past end of file (size 0x%llx)",
                                       (unsigned long long)shnum,
                                       (unsigned long long)eh->e_shoff,
                                       (unsigned long long)f.size));
  img->shnum = shnum;
  img->shdrs = arena_array(arena, shnum + 1, sizeof *img->shdrs);
  if (shnum)
    memcpy(img->shdrs, f.data + eh->e_shoff, shnum * sizeof(Elf64_Shdr));
  img->shnames = arena_array(arena, shnum + 1, sizeof *img->shnames);

  // The names, from e_shstrndx (SHN_XINDEX: the index is section 0's sh_link). A
  // missing or broken name table only costs the names.
  uint64_t stri =
      eh->e_shstrndx == SHN_XINDEX && shnum ? img->shdrs[0].sh_link : eh->e_shstrndx;
  View strtab = {0};
  if (stri && stri < shnum && img->shdrs[stri].sh_type != SHT_NOBITS &&
      view_has(f, img->shdrs[stri].sh_offset, img->shdrs[stri].sh_size))
    strtab = view_slice(f, img->shdrs[stri].sh_offset, img->shdrs[stri].sh_size);
  for (size_t i = 0; i < shnum; i++) {
    const Elf64_Shdr *sh = &img->shdrs[i];
    img->shnames[i] = section_name(arena, strtab, sh->sh_name, i);
    if (i && sh->sh_type != SHT_NOBITS && !view_has(f, sh->sh_offset, sh->sh_size))
      return bad(img->name, arena_printf(arena, "section %s (0x%llx bytes at 0x%llx) extends "
                                         "past end of file (size 0x%llx)", img->shnames[i],
                                         (unsigned long long)sh->sh_size,
                                         (unsigned long long)sh->sh_offset,
                                         (unsigned long long)f.size));
  }
  return true;
}

// The loader's checks on each PT_LOAD (loader/ checks the same before mapping).
static bool check_loads(Arena *arena, Image *img) {
  size_t nloads = 0;
  for (size_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type != PT_LOAD)
      continue;
    const char *what = NULL;
    if (ph->p_filesz > ph->p_memsz)
      what = "p_filesz is larger than p_memsz";
    else if (!view_has(img->file, ph->p_offset, ph->p_filesz))
      what = arena_printf(arena, "its bytes [0x%llx, 0x%llx) extend past end of file "
                          "(size 0x%llx)", (unsigned long long)ph->p_offset,
                          (unsigned long long)ph->p_offset + ph->p_filesz,
                          (unsigned long long)img->file.size);
    // (Two pages of room, so that rounding its end up to a page cannot wrap.)
    else if (ph->p_memsz > UINT64_MAX - 2 * DRAW_PAGE - ph->p_vaddr)
      what = "p_vaddr + p_memsz wraps around the address space";
    if (what)
      return bad(img->name, arena_printf(arena, "program header %zu (PT_LOAD): %s", i, what));
    nloads += ph->p_memsz != 0;
  }
  if (!nloads)
    return bad(img->name, "has no PT_LOAD segment to draw");
  return true;
}

// Maps path and reads its headers; false (after an error) if it cannot be drawn.
static bool read_image(Ctx *ctx, const char *path, Image *img) {
  Arena *arena = &ctx->arena;
  *img = (Image){.name = path};
  if (!map_file(path, path, &img->file)) {
    error("%s: cannot open: %s", path, strerror(errno));
    return false;
  }
  View f = img->file;
  if (!is_elf(f))
    return bad(path, "not an ELF file");
  if (f.size < sizeof(Elf64_Ehdr))
    return bad(path, "file is too small for an ELF header");
  memcpy(&img->ehdr, f.data, sizeof img->ehdr);
  const Elf64_Ehdr *eh = &img->ehdr;
  if (eh->e_ident[EI_CLASS] != ELFCLASS64)
    return bad(path, "not a 64-bit ELF file");
  if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
    return bad(path, "not a little-endian ELF file");
  if (eh->e_type == ET_REL)
    return bad(path, "is a relocatable object (ET_REL): it has no segments to draw until "
                     "it is linked");
  if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
    return bad(path, "not an executable or shared library");
  if (eh->e_phnum == PN_XNUM)
    return bad(path, "more than 65534 program headers (PN_XNUM) are not supported");
  if (eh->e_phnum && eh->e_phentsize != sizeof(Elf64_Phdr))
    return bad(path, arena_printf(arena, "e_phentsize is %u, not %zu", eh->e_phentsize,
                                  sizeof(Elf64_Phdr)));
  if (!view_has_table(f, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr)))
    return bad(path, arena_printf(arena, "program header table (%u entries at 0x%llx) "
                                  "extends past end of file (size 0x%llx)", eh->e_phnum,
                                  (unsigned long long)eh->e_phoff,
                                  (unsigned long long)f.size));
  img->phnum = eh->e_phnum;
  img->phdrs = arena_array(arena, img->phnum + 1, sizeof *img->phdrs);
  if (img->phnum)
    memcpy(img->phdrs, f.data + eh->e_phoff, img->phnum * sizeof(Elf64_Phdr));
  return read_section_headers(arena, img) && check_loads(arena, img);
}

void draw_layout(Ctx *ctx) {
  const Options *opt = &ctx->opt;
  if (!opt->layout_svg)
    return;
  const char *paths[2] = {opt->layout_from ? opt->layout_from : opt->output,
                          opt->layout_against};
  Image imgs[2];
  Column files[2], mems[2];
  size_t n = 0;
  for (size_t i = 0; i < 2; i++)
    if (paths[i] && read_image(ctx, paths[i], &imgs[n]))
      n++;
  if (error_count())
    return;
  for (size_t i = 0; i < n; i++)
    imgs[i].name = printable(&ctx->arena, imgs[i].name);

  // The pictures side by side, drawn into memory first: the document's size, which
  // comes first, is known only once they are drawn.
  char *body = NULL;
  size_t body_len = 0;
  FILE *fp = open_memstream(&body, &body_len);
  if (!fp)
    fatal("out of memory");
  double x = 20, height = 0;
  for (size_t i = 0; i < n; i++) {
    build_columns(&ctx->arena, &imgs[i], &files[i], &mems[i]);
    double h = draw_picture(fp, &ctx->arena, &imgs[i], &files[i], &mems[i], x, 16);
    if (h > height)
      height = h;
    x += picture_width() + 40;
  }
  if (fclose(fp) != 0)
    fatal("out of memory");

  OutputFile of;
  if (!output_open(&of, opt->layout_svg, 0666, 0)) {
    free(body);
    return;
  }
  FILE *out = output_stream(&of);
  if (out) {
    const char *title = n == 2 ? arena_printf(&ctx->arena, "Layout of %s beside %s",
                                              imgs[0].name, imgs[1].name)
                               : arena_printf(&ctx->arena, "Layout of %s", imgs[0].name);
    svg_begin(out, x - 20, height + 32, title);
    fwrite(body, 1, body_len, out);
    svg_end(out);
    output_commit(&of);
  }
  free(body);
}
