/*
 * runpath.c — does the program find its libraries through $ORIGIN? (a sub-step of
 * check_plan)
 *
 * A RUNPATH (or the older RPATH) may say "$ORIGIN/../lib": the directory the program
 * itself is in. ld.so learns that directory from /proc/self/exe (glibc's
 * _dl_get_origin readlinks it for the main program), and the kernel points that link
 * at the file it exec'd: here, mini-loader. set_mm can point it at the program, but
 * only with a privilege ordinary users lack (exe_file.c). Without it such a program
 * looks for its libraries next to mini-loader and fails, or worse, finds others. So we
 * find out now whether the program asks for $ORIGIN, and set_mm warns when it does
 * and /proc/self/exe could not be changed.
 *
 * The dynamic section is read from the file: PT_DYNAMIC's entries, DT_STRTAB's
 * address turned into a file offset through the PT_LOAD that holds it, then
 * DT_RUNPATH and DT_RPATH as offsets into that table. Whatever does not add up is
 * ld.so's business, not ours: we just find no $ORIGIN.
 *
 * Reads img->phdrs and img->file (checked by check_image); fills img->origin_path.
 */
#include "loader.h"

#include <string.h>

// The file offset of link-time address vaddr, or UINT64_MAX if no PT_LOAD's file
// bytes hold it.
static uint64_t file_offset_of(const Image *img, uint64_t vaddr) {
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    if (ph->p_type == PT_LOAD && vaddr >= ph->p_vaddr && vaddr - ph->p_vaddr < ph->p_filesz)
      return ph->p_offset + (vaddr - ph->p_vaddr);
  }
  return UINT64_MAX;
}

static bool names_origin(const char *path) {
  return strstr(path, "$ORIGIN") || strstr(path, "${ORIGIN}");
}

void find_origin_runpath(Ctx *ctx, Image *img) {
  const Elf64_Phdr *dyn = NULL;
  for (uint64_t i = 0; i < img->phnum && !dyn; i++)
    if (img->phdrs[i].p_type == PT_DYNAMIC)
      dyn = &img->phdrs[i];
  if (!dyn || !view_has(img->file, dyn->p_offset, dyn->p_filesz))
    return;
  uint64_t n = dyn->p_filesz / sizeof(Elf64_Dyn);
  uint64_t strtab = UINT64_MAX, strsz = 0, paths[2], npaths = 0;
  for (uint64_t i = 0; i < n; i++) {
    Elf64_Dyn d;
    memcpy(&d, img->file.data + dyn->p_offset + i * sizeof d, sizeof d);
    if (d.d_tag == DT_NULL)
      break;
    if (d.d_tag == DT_STRTAB)
      strtab = file_offset_of(img, d.d_un.d_ptr);
    else if (d.d_tag == DT_STRSZ)
      strsz = d.d_un.d_val;
    else if ((d.d_tag == DT_RUNPATH || d.d_tag == DT_RPATH) && npaths < 2)
      paths[npaths++] = d.d_un.d_val;
  }
  if (strtab == UINT64_MAX || !view_has(img->file, strtab, strsz))
    return;
  View strings = view_slice(img->file, strtab, strsz);
  for (uint64_t i = 0; i < npaths; i++) {
    const char *path = view_cstr(strings, paths[i]);
    if (path && names_origin(path)) {
      img->origin_path = path;
      trace(ctx, "check_plan", "%s: its RUNPATH %s needs /proc/self/exe to name it", img->role,
            path);
      return;
    }
  }
}
