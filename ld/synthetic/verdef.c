/*
 * verdef.c — .gnu.version_d: the versions a shared library defines.
 *
 * A library built with a version script of named nodes (VER_1 { ... };
 * VER_2 { ... } VER_1;) gives each exported symbol a version, so that a program
 * linked against foo@@VER_1 keeps calling that foo when a later release adds a
 * foo@@VER_2 (and keeps the old one as foo@VER_1). The table lists the versions:
 *
 *   index 1   the library itself (VER_FLG_BASE): its SONAME
 *   index 2.. each node, in the script's order, with the version it extends
 *
 *   Verdef   vd_version=1 vd_flags vd_ndx vd_cnt vd_hash vd_aux=20 vd_next  (20 bytes)
 *   Verdaux  vda_name vda_next                                               (8 bytes)
 *            (a second Verdaux names the parent, if the node has one)
 *
 * .gnu.version gives each .dynsym entry its index here (dynamic_symbols.c).
 */
#include "../ld.h"

#include <string.h>

// The parent version of the node named `name`, or NULL.
static const char *parent_of(Ctx *ctx, const char *name) {
  for (size_t i = 0; i < ctx->opt.version_nodes.len; i++) {
    const VersionNode *node = ctx->opt.version_nodes.data[i];
    if (node->name && !strcmp(node->name, name))
      return node->parent;
  }
  return NULL;
}

static uint64_t entry_size(const char *parent) {
  return sizeof(Elf64_Verdef) + sizeof(Elf64_Verdaux) * (parent ? 2 : 1);
}

static bool size_verdef(Ctx *ctx, InputSection *isec) {
  uint64_t size = entry_size(NULL);
  for (size_t i = 0; i < ctx->verdefs.len; i++)
    size += entry_size(parent_of(ctx, ctx->verdefs.data[i]));
  isec->sh_size = size;
  return ctx->verdefs.len > 0;
}

static uint8_t *put_entry(Ctx *ctx, uint8_t *p, uint16_t index, const char *name,
                          const char *parent, bool last) {
  Elf64_Verdef vd = {
    .vd_version = VER_DEF_CURRENT, .vd_flags = index == VER_NDX_GLOBAL ? VER_FLG_BASE : 0,
    .vd_ndx = index, .vd_cnt = (uint16_t)(parent ? 2 : 1), .vd_hash = elf_hash(name),
    .vd_aux = sizeof vd, .vd_next = last ? 0 : (uint32_t)entry_size(parent),
  };
  memcpy(p, &vd, sizeof vd);
  Elf64_Verdaux aux = {.vda_name = find_string(&ctx->dynstr, name),
                       .vda_next = parent ? sizeof aux : 0};
  memcpy(p + sizeof vd, &aux, sizeof aux);
  if (parent) {
    Elf64_Verdaux up = {.vda_name = find_string(&ctx->dynstr, parent)};
    memcpy(p + sizeof vd + sizeof aux, &up, sizeof up);
  }
  return p + entry_size(parent);
}

static void write_verdef(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint8_t *p = put_entry(ctx, buf, VER_NDX_GLOBAL, version_base_name(ctx), NULL, false);
  for (size_t i = 0; i < ctx->verdefs.len; i++) {
    const char *name = ctx->verdefs.data[i];
    p = put_entry(ctx, p, (uint16_t)(2 + i), name, parent_of(ctx, name),
                  i + 1 == ctx->verdefs.len);
  }
}

// sh_link: the string table; sh_info: how many entries.
static void link_verdef(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSTR]->osec->shndx;
  sh->sh_info = (uint32_t)(1 + ctx->verdefs.len);
}

const SyntheticKind verdef_section = {
  .name = ".gnu.version_d",
  .sh_type = SHT_GNU_verdef,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .size = size_verdef,
  .write = write_verdef,
  .link = link_verdef,
};
