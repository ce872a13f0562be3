// libFuzzer harness: the shared-library reader (common/elf_shared.c and
// elf_versions.c): .dynsym, the version tables, DT_SONAME and DT_NEEDED of a .so.
// Any input gives a checked library or an error(); every table it promises is
// walked to prove it.
#include "../../common/common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena arena = {NULL, NULL};
  ElfShared so;
  View v = {.data = data, .size = size, .name = "fuzz.so"};
  if (is_elf_shared(v) && read_elf_shared(v, &arena, &so)) {
    volatile size_t sum = so.soname ? strlen(so.soname) : 0;
    for (size_t i = 0; i < so.nneeded; i++)
      sum += strlen(so.needed[i]);
    for (uint64_t i = 0; i < so.nsyms; i++) {
      const char *ver = elf_shared_version(&so, i);
      sum += strlen(so.symnames[i]) + (ver ? strlen(ver) : 0) + (so.versym ? so.versym[i] : 0);
    }
    (void)sum;
  }
  arena_free(&arena);
  return 0;
}
