// libFuzzer harness: the ar reader (common/ar_format.c), which mini-ld and mini-ar
// share: member headers, long names, thin archives, the symbol index; and the
// linker's lazy way in (read_archive_index, read_archive_member). Any input gives a
// checked archive or an error(); members and index entries are walked.
#include "../../common/common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Arena arena = {NULL, NULL};
  Archive ar;
  View v = {.data = data, .size = size, .name = "fuzz.a"};
  if (is_archive(v) && read_archive(v, &arena, &ar)) {
    volatile size_t sum = 0;
    for (size_t i = 0; i < ar.nmembers; i++) {
      const ArMember *m = &ar.members[i];
      sum += strlen(m->name) + (m->data.size ? m->data.data[m->data.size - 1] : 0);
    }
    for (size_t i = 0; i < ar.nsyms; i++)
      sum += strlen(ar.syms[i].name) + (archive_member_at(&ar, ar.syms[i].offset) != NULL);
    (void)sum;
  }
  // The linker's way in: the index alone, then each member it names, when asked.
  if (is_archive(v) && read_archive_index(v, &arena, &ar)) {
    volatile size_t sum = 0;
    for (size_t i = 0; i < ar.nmembers; i++) {
      ArMember *m = &ar.members[i];
      if (read_archive_member(&ar, &arena, m))
        sum += strlen(m->name) + (m->data.size ? m->data.data[m->data.size - 1] : 0);
    }
    (void)sum;
  }
  arena_free(&arena);
  return 0;
}
