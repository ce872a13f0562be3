/*
 * build_id.c — .note.gnu.build-id: a name for this exact executable.
 *
 * Debuggers and crash reporters match a core dump or a stripped binary with its
 * debug information by an ID stored in the file. GNU ld computes it as a hash of the
 * output itself, so the same inputs always give the same ID and any change gives a
 * new one. The note is laid out like any other (gABI "Note Section"):
 *
 *   n_namesz = 4 | n_descsz = 20 | n_type = NT_GNU_BUILD_ID (3) | "GNU\0" | 20-byte hash
 *
 * Layout reserves the note with the hash zeroed; once every other byte of the file
 * is final, the writer hashes the whole image and fills the hash in.
 *
 * Styles (--build-id=STYLE, read by parse_args): sha1 (the default, as in GNU ld),
 * uuid (random, not reproducible by design), 0xHEX (given by the user), none.
 * The SHA-1 itself is common/sha1.c.
 */
#include "../ld.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

// The note's bytes, with the hash left zero until the rest of the file is final.
static bool size_build_id(Ctx *ctx, InputSection *isec) {
  if (ctx->opt.build_id == BUILD_ID_NONE)
    return false;
  uint64_t size = 12 + 4 + ctx->opt.build_id_size;
  uint8_t *buf = arena_alloc(&ctx->arena, size);
  write_u32le(buf, 4);
  write_u32le(buf + 4, (uint32_t)ctx->opt.build_id_size);
  write_u32le(buf + 8, NT_GNU_BUILD_ID);
  memcpy(buf + 12, "GNU", 4);
  isec->sh_size = size;
  section_aux(ctx, isec)->synthetic = buf;
  return true;
}

// Fills in the ID. It is last in SYNTHETIC_SECTIONS: every other byte of the image,
// headers and symbol table included, is final by now.
static void write_build_id(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint8_t *desc = buf + 16;
  switch (ctx->opt.build_id) {
  case BUILD_ID_NONE:
    break;
  case BUILD_ID_SHA1:
    sha1(ctx->image, ctx->image_size, desc);
    break;
  case BUILD_ID_UUID:
    if (getrandom(desc, 16, 0) != 16)
      fatal("--build-id=uuid: cannot get random bytes: %s", strerror(errno));
    desc[6] = (uint8_t)((desc[6] & 0x0f) | 0x40);  // RFC 4122 version 4
    desc[8] = (uint8_t)((desc[8] & 0x3f) | 0x80);
    break;
  case BUILD_ID_HEX:
    memcpy(desc, ctx->opt.build_id_hex, ctx->opt.build_id_size);
    break;
  }
}

const SyntheticKind build_id_section = {
  .name = ".note.gnu.build-id",
  .sh_type = SHT_NOTE,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 4,
  .size = size_build_id,
  .write = write_build_id,
};
