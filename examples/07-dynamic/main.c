/*
 * main.c - calls func1 of libprocess.so twice, and in between looks at its own
 * .got.plt slot for func1: where does a call to func1 really go?
 *
 * The program finds the slot the way the dynamic linker does: through its own
 * .dynamic (the linker-defined _DYNAMIC), whose DT_JMPREL lists one
 * R_X86_64_JUMP_SLOT per function called through the PLT, each naming a .dynsym
 * symbol (DT_SYMTAB, DT_STRTAB). The slot is at r_offset, moved by the load
 * address. dladdr then says which object the slot points into.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

void func1(void);
extern ElfW(Dyn) _DYNAMIC[];

static void **slot_of(const char *name) {
  ElfW(Addr) base = _r_debug.r_map->l_addr;  // the program's load address
  ElfW(Rela) *rela = NULL;
  ElfW(Sym) *syms = NULL;
  const char *strs = NULL;
  size_t size = 0;
  for (ElfW(Dyn) *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
    // glibc's dynamic linker has already turned these into run-time addresses.
    if (d->d_tag == DT_JMPREL) rela = (ElfW(Rela) *)d->d_un.d_ptr;
    if (d->d_tag == DT_PLTRELSZ) size = d->d_un.d_val;
    if (d->d_tag == DT_SYMTAB) syms = (ElfW(Sym) *)d->d_un.d_ptr;
    if (d->d_tag == DT_STRTAB) strs = (const char *)d->d_un.d_ptr;
  }
  for (size_t i = 0; rela && i < size / sizeof *rela; i++)
    if (!strcmp(strs + syms[ELF64_R_SYM(rela[i].r_info)].st_name, name))
      return (void **)(base + rela[i].r_offset);
  return NULL;
}

static void show(const char *when, void **slot) {
  Dl_info info;
  const char *where = "?";
  if (dladdr(*slot, &info) && info.dli_fname) {
    const char *file = strrchr(info.dli_fname, '/');
    where = file ? file + 1 : info.dli_fname;
  }
  if (!strcmp(where, "libprocess.so"))
    printf("%s: GOT[func1] -> libprocess.so: %s\n", when, info.dli_sname);
  else
    printf("%s: GOT[func1] -> the program's own .plt (not bound yet)\n", when);
}

int main(void) {
  void **slot = slot_of("func1");
  if (!slot) {
    printf("no R_X86_64_JUMP_SLOT for func1\n");
    return 1;
  }
  show("before the first call", slot);
  func1();
  show("after the first call ", slot);
  func1();
  return 0;
}
