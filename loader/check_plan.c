/*
 * check_plan.c — every program header, before anything is mapped.
 *
 * The kernel discovers some problems only halfway through mapping, after the point
 * where the old program is gone, and can then only kill the process. We check every
 * program header first, so a bad file fails while failing is still clean (STYLE §4):
 *
 *   PT_LOAD       p_offset + p_filesz inside the file; p_filesz <= p_memsz;
 *                 p_vaddr + p_memsz neither wraps nor reaches past the user address
 *                 space; p_vaddr ≡ p_offset (mod page size), because mmap maps whole
 *                 pages: file page p_offset & ~0xfff lands at page p_vaddr & ~0xfff;
 *                 sorted by p_vaddr and not overlapping (gABI: "loadable segment
 *                 entries ... appear in ascending order, sorted on the p_vaddr").
 *                 Both writable and executable (W+X): a warning, or under --strict
 *                 a refusal.
 *   PT_INTERP     a path of sane length ending in NUL (the kernel: 2..PATH_MAX bytes).
 *   PT_GNU_STACK  PF_X asks for an executable stack.
 *   e_entry       inside an executable PT_LOAD.
 *   ET_EXEC       its span clear of mini-loader itself and of the stack (own_space.c).
 *
 * The interpreter is opened and checked here too, with the same rules. It must be a
 * regular file (not a directory or a FIFO), must not be the program itself, and must
 * not want an interpreter of its own.
 *
 * The plan it records, in the file's own addresses (reserve_span adds the bias):
 *
 *   lo = page_down(first PT_LOAD's p_vaddr)           hi = page_up(last one's end)
 *   align = the largest power-of-two p_align          phdr_vaddr = where AT_PHDR points
 *
 * The checks that need only the file's bytes are plan_file.c's (check_phdr,
 * check_span, check_entry); this step runs them in order, narrating each header,
 * and adds those that depend on the process: W+X under --strict, the span against
 * the loader and the stack, the interpreter as a file.
 *
 * Reads img->ehdr, img->phdrs, img->file; fills img->lo, hi, align, phdr_vaddr,
 * exec_stack, interp (and ctx->interp_path, ctx->interp), through runpath.c the
 * program's origin_path, and, through
 * find_own_space, ctx->self_lo, self_hi, stack_lo, stack_top.
 */
#include "loader.h"

#include <stdio.h>
#include <string.h>

// "program header 3 (PT_LOAD): " — every message about a header names it this way.
#define PH_FMT "%sprogram header %llu (%s): "
#define PH_ARGS(img, i, ph) (img)->what, (unsigned long long)(i), phdr_type_name((ph)->p_type)

// The checks of plan_file.c, one by one, with the narration and the checks that
// depend on this process in between.
static void check_image(Ctx *ctx, Image *img) {
  char why[WHY_SIZE];
  const Elf64_Phdr *prev = NULL;
  const Elf64_Phdr *first = NULL;
  img->align = PAGESZ;
  for (uint64_t i = 0; i < img->phnum; i++) {
    const Elf64_Phdr *ph = &img->phdrs[i];
    trace(ctx, "check_plan",
          "%s: #%-2llu %-15s offset 0x%06llx vaddr 0x%08llx filesz 0x%06llx memsz 0x%06llx "
          "%s align 0x%llx",
          img->role, (unsigned long long)i, phdr_type_name(ph->p_type),
          (unsigned long long)ph->p_offset, (unsigned long long)ph->p_vaddr,
          (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz,
          prot_name(prot_of(ph->p_flags)), (unsigned long long)ph->p_align);
    if (!check_phdr(img, i, prev, why))
      fail(ctx, "%s%s", img->what, why);
    if (ph->p_type != PT_LOAD)
      continue;
    // A segment that is writable and executable lets any memory-corruption bug
    // write code and run it; linkers keep the two apart (DESIGN: no segment is
    // both). The kernel maps it all the same, with exactly the protections p_flags
    // asks for (elf_map: no W^X rule for ELF segments), and so do we, but we say
    // so, and --strict refuses it.
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X)) {
      if (ctx->strict)
        fail(ctx, PH_FMT "both writable and executable (W+X): refused under --strict",
             PH_ARGS(img, i, ph));
      warning(ctx, PH_FMT "both writable and executable (W+X)", PH_ARGS(img, i, ph));
    }
    if (!first)
      first = ph;
    prev = ph;
  }
  if (!check_span(img, first, prev, why))
    fail(ctx, "%s%s", img->what, why);
  // A program linked for fixed addresses goes exactly there, so we can tell now
  // whether that is where the loader or the stack is. (The kernel, whose address
  // space is empty at this point, would find only the stack in the way.)
  if (img->ehdr.e_type == ET_EXEC)
    check_clear_of_loader(ctx, img, img->lo, img->hi);
  if (!check_entry(img, why))
    fail(ctx, "%s%s", img->what, why);

  if (img->interp && img == &ctx->interp)
    fail(ctx, "%shas an interpreter of its own (%s)", img->what, img->interp);
  if (img->interp) {
    memcpy(ctx->interp_path, img->interp, strlen(img->interp) + 1);  // fits: at most PATH_MAX
    img->interp = ctx->interp_path;
  }

  trace(ctx, "check_plan", "%s: PT_LOADs span [0x%llx, 0x%llx) (%llu pages), largest p_align 0x%llx",
        img->role, (unsigned long long)img->lo, (unsigned long long)img->hi,
        (unsigned long long)((img->hi - img->lo) / PAGESZ), (unsigned long long)img->align);
  if (img->phdr_vaddr)
    trace(ctx, "check_plan", "%s: the program headers are loaded at 0x%llx (AT_PHDR, before the bias)",
          img->role, (unsigned long long)img->phdr_vaddr);
  else
    trace(ctx, "check_plan", "%s: no PT_LOAD contains the program headers: AT_PHDR will be 0",
          img->role);
  trace(ctx, "check_plan", "%s: entry 0x%llx is in an executable segment; stack %s", img->role,
        (unsigned long long)img->ehdr.e_entry,
        img->exec_stack ? "executable (PT_GNU_STACK has PF_X)" : "not executable");
}

void check_plan(Ctx *ctx) {
  find_own_space(ctx);
  check_image(ctx, &ctx->exe);
  find_origin_runpath(ctx, &ctx->exe);
  if (!ctx->exe.interp) {
    trace(ctx, "check_plan", "program: no PT_INTERP: statically linked, it starts itself");
    return;
  }

  // The kernel opens the interpreter before it commits to the new program
  // (open_exec in load_elf_binary), so a missing ld.so is a clean ENOENT.
  Image *in = &ctx->interp;
  in->path = ctx->interp_path;
  in->role = "interpreter";
  snprintf(ctx->interp_what, sizeof ctx->interp_what, "interpreter %s: ", ctx->interp_path);
  in->what = ctx->interp_what;
  trace(ctx, "check_plan", "program: PT_INTERP asks for %s: it will link the program, then jump to it",
        ctx->interp_path);
  // Like open_exec: a directory, a FIFO or a device is refused by name before it is
  // opened (opening a FIFO would wait for a writer, for ever).
  int err = check_executable(in->path);
  if (err)
    fail(ctx, "%s%s", in->what, exec_error(in->path, err));
  read_headers(ctx, in);
  // A program that names itself as its interpreter would be loaded twice, the
  // second copy started as if it were ld.so. The kernel does not look (it ignores an
  // interpreter's own PT_INTERP), so this shows up as a crash at best. Compared by
  // device and inode of the files we opened, so that no other path to the same file
  // (a symlink, "..") hides it.
  if (in->dev == ctx->exe.dev && in->ino == ctx->exe.ino)
    fail(ctx, "%sis the program itself", in->what);
  check_image(ctx, in);
}
