/*
 * gnu_hash.c — .gnu.hash: how the dynamic linker finds the symbols a program exports.
 *
 * When a library refers to a symbol the program defines (a copied variable, a
 * callback, everything with -E), the dynamic linker looks the name up in the
 * program's .dynsym through this table (DT_GNU_HASH), the GNU format every current
 * dynamic linker prefers to the gABI's .hash:
 *
 *   nbuckets | symoffset | bloom_size | bloom_shift        four u32
 *   bloom[bloom_size]                                      u64 words: a Bloom filter
 *   buckets[nbuckets]                                      u32: first .dynsym index
 *   chain[nsyms - symoffset]                               u32: hash, low bit = last
 *
 * Only .dynsym entries from symoffset on are hashed (the exported ones; imports come
 * first), sorted by bucket, hash % nbuckets, which dynamic_symbols.c did. A lookup
 * tests two bits of the filter (most names a program does not define stop there),
 * then walks its bucket's run of the chain comparing hashes, then names.
 */
#include "../ld.h"

enum { BLOOM_SHIFT = 26 };

// The filter's size in 64-bit words: a power of two, about 8 bits per symbol.
static uint32_t bloom_words(uint64_t nhashed) {
  uint32_t words = 1;
  while ((uint64_t)words * 8 < nhashed)
    words <<= 1;
  return words;
}

static uint64_t nhashed(Ctx *ctx) { return ctx->dynsyms.len + 1 - ctx->dynsym_defined; }

static bool size_gnu_hash(Ctx *ctx, InputSection *isec) {
  uint64_t n = nhashed(ctx);
  isec->sh_size = 16 + 8 * (uint64_t)bloom_words(n) + 4 * (uint64_t)ctx->gnu_hash_buckets + 4 * n;
  return ctx->dynamic && ctx->opt.hash_gnu;
}

static void write_gnu_hash(Ctx *ctx, InputSection *isec, uint8_t *buf) {
  (void)isec;
  uint64_t n = nhashed(ctx);
  uint32_t nbuckets = ctx->gnu_hash_buckets, words = bloom_words(n);
  uint32_t first = ctx->dynsym_defined;
  write_u32le(buf, nbuckets);
  write_u32le(buf + 4, first);
  write_u32le(buf + 8, words);
  write_u32le(buf + 12, BLOOM_SHIFT);
  uint8_t *bloom = buf + 16, *buckets = bloom + 8 * (uint64_t)words;
  uint8_t *chain = buckets + 4 * (uint64_t)nbuckets;
  for (uint64_t i = 0; i < n; i++) {
    Symbol *sym = ctx->dynsyms.data[first - 1 + i];
    uint32_t h = gnu_hash(dynamic_name(sym)), b = h % nbuckets;
    uint8_t *word = bloom + 8 * ((h / 64) % words);
    write_u64le(word, read_u64le(word) | (uint64_t)1 << (h % 64) |
                          (uint64_t)1 << ((h >> BLOOM_SHIFT) % 64));
    if (!read_u32le(buckets + 4 * b))
      write_u32le(buckets + 4 * b, first + (uint32_t)i);
    // The last symbol of a bucket has the low bit set.
    bool last = i + 1 == n ||
                gnu_hash(dynamic_name(ctx->dynsyms.data[first + i])) % nbuckets != b;
    write_u32le(chain + 4 * i, (h & ~1u) | last);
  }
}

static void link_gnu_hash(Ctx *ctx, Elf64_Shdr *sh) {
  sh->sh_link = ctx->synth[SYN_DYNSYM]->osec->shndx;
}

const SyntheticKind gnu_hash_section = {
  .name = ".gnu.hash",
  .sh_type = SHT_GNU_HASH,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 8,
  .size = size_gnu_hash,
  .write = write_gnu_hash,
  .link = link_gnu_hash,
};
