// libFuzzer harness: the ELF relocatable-object reader (common/elf_object.c), the
// first code every byte of an object given to mini-ld meets. Any input must give a
// checked object or an error(), never a crash, a hang or a read out of bounds; when
// it gives an object, every table the reader promises is walked to prove it.
#include "../../common/common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena arena = {NULL, NULL};
  ElfObject obj;
  View v = {.data = data, .size = size, .name = "fuzz.o"};
  if (is_elf(v) && read_elf_object(v, &arena, &obj)) {
    volatile size_t sum = 0;
    for (uint64_t i = 1; i < obj.shnum; i++) {  // section 0 has no contents
      View s = elf_section_data(&obj, i);
      sum += strlen(elf_section_name(&obj, i)) + (s.size ? s.data[s.size - 1] : 0);
    }
    for (uint64_t i = 0; i < obj.nsyms; i++)
      sum += strlen(elf_symbol_name(&obj, i)) + elf_symbol_section(&obj, i);
    (void)sum;
  }
  arena_free(&arena);
  return 0;
}
