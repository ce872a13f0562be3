/*
 * hash.c — .hash: the gABI's symbol hash table (--hash-style=sysv or both).
 *
 * The older way for the dynamic linker to find a name in .dynsym (DT_HASH), which
 * every dynamic linker understands; .gnu.hash (gnu_hash.c) is faster and the
 * default. The gABI ("Hash Table"):
 *
 *   nbucket | nchain (= the number of .dynsym entries) | bucket[nbucket] | chain[nchain]
 *
 * A name hashes (elf_hash) to bucket[h % nbucket], the first .dynsym index to try;
 * chain[i] is the next index after i with the same bucket, 0 ending the chain.
 * Every entry is hashed, imports too.
 */
#include "../ld.h"

static uint32_t nbuckets(Ctx *ctx) {
  uint32_t n = (uint32_t)ctx->dynsyms.len / 2;
  return n ? n : 1;
}

static bool size_hash(Ctx *ctx, InputSection *isec) {
  uint64_t nchain = 1 + (uint64_t)ctx->dynsyms.len;
  isec->sh_size = 4 * (2 + (uint64_t)nbuckets(ctx) + nchain);
  return ctx->dynamic && ctx->opt.hash_sysv;
}

static void write_hash(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint32_t nb = nbuckets(ctx), nchain = 1 + (uint32_t)ctx->dynsyms.len;
  uint8_t *bucket = buf + 8, *chain = bucket + 4 * (uint64_t)nb;
  write_u32le(buf, nb);
  write_u32le(buf + 4, nchain);
  for (uint32_t i = 1; i < nchain; i++) {
    uint8_t *b = bucket + 4 * (elf_hash(dynamic_name(ctx->dynsyms.data[i - 1])) % nb);
    write_u32le(chain + 4 * i, read_u32le(b));
    write_u32le(b, i);
  }
}

static void link_hash(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSYM]->osec->shndx;
}

const SyntheticKind hash_section = {
  .name = ".hash",
  .sh_type = SHT_HASH,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .sh_entsize = 4,
  .size = size_hash,
  .write = write_hash,
  .link = link_hash,
};
