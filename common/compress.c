/*
 * compress.c — compressed ELF sections (SHF_COMPRESSED), through the system's zlib
 * and zstd.
 *
 * `gcc -gz` and `ld --compress-debug-sections` store a section as a compression
 * header (Elf64_Chdr: the algorithm, the uncompressed size and alignment) followed
 * by a zlib stream (ELFCOMPRESS_ZLIB) or a zstd frame (ELFCOMPRESS_ZSTD). Writing a
 * deflate or zstd coder of our own would be a project of its own; instead the
 * libraries every Linux system already has (libz.so.1, libzstd.so.1: dpkg, rpm and
 * systemd need them) are loaded when a compressed section first turns up, so
 * building needs nothing but libc and a link without compressed sections loads
 * nothing. A system without them gets a message saying which library is missing.
 *
 * The functions of both libraries used here have had the same C signatures for
 * decades (zlib's uncompress/compress2/compressBound, zstd's stable v1 API).
 */
#include "common.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef int (*ZUncompress)(unsigned char *dst, unsigned long *dstlen, const unsigned char *src,
                           unsigned long srclen);
typedef int (*ZCompress2)(unsigned char *dst, unsigned long *dstlen, const unsigned char *src,
                          unsigned long srclen, int level);
typedef unsigned long (*ZCompressBound)(unsigned long srclen);
typedef size_t (*ZstdDecompress)(void *dst, size_t cap, const void *src, size_t n);
typedef size_t (*ZstdCompress)(void *dst, size_t cap, const void *src, size_t n, int level);
typedef size_t (*ZstdCompressBound)(size_t n);
typedef unsigned (*ZstdIsError)(size_t code);
typedef const char *(*ZstdErrorName)(size_t code);

static struct {
  pthread_once_t once;
  ZUncompress z_uncompress;
  ZCompress2 z_compress2;
  ZCompressBound z_bound;
  ZstdDecompress zstd_decompress;
  ZstdCompress zstd_compress;
  ZstdCompressBound zstd_bound;
  ZstdIsError zstd_is_error;
  ZstdErrorName zstd_error_name;
} lib = {.once = PTHREAD_ONCE_INIT};

// dlsym returns an object pointer; POSIX guarantees it converts to a function's.
#define LOAD(handle, field, type, name) (lib.field = (type)(uintptr_t)dlsym(handle, name))

static void load_libraries(void) {
  void *z = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
  if (z && (!LOAD(z, z_uncompress, ZUncompress, "uncompress") ||
            !LOAD(z, z_compress2, ZCompress2, "compress2") ||
            !LOAD(z, z_bound, ZCompressBound, "compressBound")))
    lib.z_uncompress = NULL;
  void *zs = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);
  if (zs && (!LOAD(zs, zstd_decompress, ZstdDecompress, "ZSTD_decompress") ||
             !LOAD(zs, zstd_compress, ZstdCompress, "ZSTD_compress") ||
             !LOAD(zs, zstd_bound, ZstdCompressBound, "ZSTD_compressBound") ||
             !LOAD(zs, zstd_is_error, ZstdIsError, "ZSTD_isError") ||
             !LOAD(zs, zstd_error_name, ZstdErrorName, "ZSTD_getErrorName")))
    lib.zstd_decompress = NULL;
}

// Is the library for this algorithm there? Sets *why if not.
static bool have(uint32_t type, const char **why) {
  pthread_once(&lib.once, load_libraries);
  if (type == ELFCOMPRESS_ZLIB && lib.z_uncompress)
    return true;
  if (type == ELFCOMPRESS_ZSTD && lib.zstd_decompress)
    return true;
  *why = type == ELFCOMPRESS_ZLIB   ? "zlib (libz.so.1) is not installed"
         : type == ELFCOMPRESS_ZSTD ? "zstd (libzstd.so.1) is not installed"
                                    : "unknown compression type";
  return false;
}

bool decompress(uint32_t type, const uint8_t *in, size_t n, uint8_t *out, size_t size,
                const char **why) {
  if (!have(type, why))
    return false;
  if (type == ELFCOMPRESS_ZLIB) {
    unsigned long got = size;
    if (lib.z_uncompress(out, &got, in, n) != 0 || got != size) {
      *why = "corrupt zlib data, or not the size its header says";
      return false;
    }
    return true;
  }
  size_t got = lib.zstd_decompress(out, size, in, n);
  if (lib.zstd_is_error(got)) {
    *why = lib.zstd_error_name(got);
    return false;
  }
  if (got != size) {
    *why = "zstd data of another size than its header says";
    return false;
  }
  return true;
}

size_t compress_bound(uint32_t type, size_t n, const char **why) {
  if (!have(type, why))
    return 0;
  return type == ELFCOMPRESS_ZLIB ? lib.z_bound(n) : lib.zstd_bound(n);
}

size_t compress(uint32_t type, const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                const char **why) {
  if (!have(type, why))
    return 0;
  if (type == ELFCOMPRESS_ZLIB) {
    unsigned long got = cap;
    if (lib.z_compress2(out, &got, in, n, 1) != 0) {  // level 1: fast, for large debug info
      *why = "zlib could not compress";
      return 0;
    }
    return got;
  }
  size_t got = lib.zstd_compress(out, cap, in, n, 1);
  if (lib.zstd_is_error(got)) {
    *why = lib.zstd_error_name(got);
    return 0;
  }
  return got;
}
