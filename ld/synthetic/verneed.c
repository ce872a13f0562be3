/*
 * verneed.c — .gnu.version_r: the versions the program needs, library by library.
 *
 * For each needed library whose versioned symbols the program uses, an
 * Elf64_Verneed naming the library, followed by one Elf64_Vernaux per version
 * (its name, the gABI hash of the name, and the index .gnu.version uses for it).
 * At start-up the dynamic linker checks that each library provides each version,
 * and stops with "version `GLIBC_2.34' not found" if one does not.
 *
 *   Verneed  vn_version=1 vn_cnt vn_file vn_aux=16 vn_next   (16 bytes)
 *   Vernaux  vna_hash vna_flags=0 vna_other=index vna_name vna_next   (16 bytes) ...
 */
#include "../ld.h"

#include <string.h>

static bool size_verneed(Ctx *ctx, InputSection *isec) {
  uint64_t size = 0;
  for (size_t i = 0; i < ctx->verneeds.len; i++)
    size += sizeof(Elf64_Verneed) +
            sizeof(Elf64_Vernaux) * ((Verneed *)ctx->verneeds.data[i])->versions.len;
  isec->sh_size = size;
  return ctx->dynamic && ctx->verneeds.len > 0;
}

static void write_verneed(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint8_t *p = buf;
  for (size_t i = 0; i < ctx->verneeds.len; i++) {
    Verneed *vn = ctx->verneeds.data[i];
    size_t n = vn->versions.len;
    uint32_t size = (uint32_t)(sizeof(Elf64_Verneed) + sizeof(Elf64_Vernaux) * n);
    Elf64_Verneed need = {
      .vn_version = VER_NEED_CURRENT, .vn_cnt = (uint16_t)n,
      .vn_file = find_string(&ctx->dynstr, vn->file->soname), .vn_aux = sizeof need,
      .vn_next = i + 1 < ctx->verneeds.len ? size : 0,
    };
    memcpy(p, &need, sizeof need);
    for (size_t j = 0; j < n; j++) {
      const char *name = vn->versions.data[j];
      Elf64_Vernaux aux = {
        .vna_hash = elf_hash(name), .vna_other = (uint16_t)(vn->first_index + j),
        .vna_name = find_string(&ctx->dynstr, name),
        .vna_next = j + 1 < n ? sizeof aux : 0,
      };
      memcpy(p + sizeof need + sizeof aux * j, &aux, sizeof aux);
    }
    p += size;
  }
}

// sh_link: the string table; sh_info: how many Verneed entries.
static void link_verneed(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSTR]->osec->shndx;
  sh->sh_info = (uint32_t)ctx->verneeds.len;
}

const SyntheticKind verneed_section = {
  .name = ".gnu.version_r",
  .sh_type = SHT_GNU_verneed,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .size = size_verneed,
  .write = write_verneed,
  .link = link_verneed,
};
