/*
 * eh_frame_hdr.c — .eh_frame_hdr: a sorted index of the unwind tables.
 *
 * .eh_frame holds, for every function, how to unwind its stack frame (a Frame
 * Description Entry, FDE) plus shared preambles (Common Information Entries, CIEs).
 * To throw a C++ exception, the unwinder must find the FDE covering a return
 * address. Scanning .eh_frame from the start is slow, so with --eh-frame-hdr the
 * linker adds a binary-search table (the LSB's "Exception Frames" chapter) and a
 * PT_GNU_EH_FRAME program header pointing at it:
 *
 *   u8 version = 1 | u8 eh_frame_ptr_enc | u8 fde_count_enc | u8 table_enc
 *   eh_frame_ptr   (pcrel sdata4: where .eh_frame is)
 *   fde_count      (udata4)
 *   fde_count pairs of (initial_location, fde_address), sdata4 relative to the start
 *   of .eh_frame_hdr, sorted by initial_location
 *
 * Each record of .eh_frame:  u32 length (0 ends the list; 0xffffffff: a u64 follows),
 * u32 CIE id (0 for a CIE, else the distance back to this FDE's CIE), then the body.
 * An FDE's initial_location is encoded as its CIE's augmentation 'R' says.
 */
#include "../ld.h"

#include <stdlib.h>
#include <string.h>

enum {
  DW_EH_PE_absptr = 0x00, DW_EH_PE_uleb128 = 0x01, DW_EH_PE_udata2 = 0x02,
  DW_EH_PE_udata4 = 0x03, DW_EH_PE_udata8 = 0x04, DW_EH_PE_sleb128 = 0x09,
  DW_EH_PE_sdata2 = 0x0a, DW_EH_PE_sdata4 = 0x0b, DW_EH_PE_sdata8 = 0x0c,
  DW_EH_PE_pcrel = 0x10, DW_EH_PE_datarel = 0x30, DW_EH_PE_omit = 0xff,
};

// Walks the records of one .eh_frame image; calls fn for each FDE with the offset of
// its record and of its CIE. Returns false if a record is malformed.
typedef void FdeFn(void *arg, uint64_t fde, uint64_t cie);

static bool walk_records(View v, FdeFn *fn, void *arg) {
  uint64_t size, hdr;
  int r;
  for (uint64_t off = 0; (r = eh_record_at(v, off, &size, &hdr)) > 0; off += size) {
    uint32_t id = read_u32le(v.data + off + hdr);
    if (id != 0) {
      uint64_t id_pos = off + hdr;
      if (id > id_pos)
        return false;
      if (fn)
        fn(arg, off, id_pos - id);
    }
  }
  return r == 0;
}

static uint64_t read_uleb(View v, uint64_t *off) {
  uint64_t r = 0;
  for (int shift = 0; *off < v.size && shift < 64; shift += 7) {
    uint8_t b = v.data[(*off)++];
    r |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      break;
  }
  return r;
}

static int encoded_size(uint8_t enc) {
  switch (enc & 0x0f) {
  case DW_EH_PE_absptr: case DW_EH_PE_udata8: case DW_EH_PE_sdata8: return 8;
  case DW_EH_PE_udata2: case DW_EH_PE_sdata2: return 2;
  case DW_EH_PE_udata4: case DW_EH_PE_sdata4: return 4;
  }
  return -1;
}

// The 'R' encoding of the CIE at off (how its FDEs encode addresses).
static int fde_encoding(View v, uint64_t off) {
  uint64_t len = read_u32le(v.data + off);
  uint64_t p = off + (len == 0xffffffff ? 12 : 4) + 4;  // past length and CIE id
  if (p >= v.size)
    return -1;
  uint8_t version = v.data[p++];
  const char *aug = view_cstr(v, p);
  if (!aug)
    return -1;
  p += strlen(aug) + 1;
  if (strstr(aug, "eh"))
    p += 8;
  read_uleb(v, &p);  // code alignment
  read_uleb(v, &p);  // data alignment (sleb, same length)
  if (version == 1)
    p++;
  else
    read_uleb(v, &p);  // return address register
  if (aug[0] != 'z')
    return DW_EH_PE_absptr;
  read_uleb(v, &p);  // augmentation data length
  for (const char *a = aug + 1; *a; a++) {
    if (p >= v.size)
      return -1;
    switch (*a) {
    case 'R':
      return v.data[p];
    case 'L':
      p++;
      break;
    case 'P': {
      uint8_t enc = v.data[p++];
      int n = encoded_size(enc);
      if (n < 0)
        return -1;
      p += (uint64_t)n;
      break;
    }
    case 'S': case 'B':
      break;
    default:
      return -1;
    }
  }
  return DW_EH_PE_absptr;
}

typedef struct {
  View v;              // the relocated .eh_frame in the output
  uint64_t addr;       // its address
  uint64_t hdr_addr;   // .eh_frame_hdr's address
  uint8_t *table;      // where the pairs go
  uint64_t n, max;
  bool ok;
} HdrBuilder;

static void add_fde(void *arg, uint64_t fde, uint64_t cie) {
  HdrBuilder *b = arg;
  int enc = fde_encoding(b->v, cie);
  uint64_t len = read_u32le(b->v.data + fde);
  uint64_t p = fde + (len == 0xffffffff ? 12 : 4) + 4;  // initial_location
  int size = enc < 0 ? -1 : encoded_size((uint8_t)enc);
  if (size < 0 || !view_has(b->v, p, (uint64_t)size) || b->n == b->max ||
      ((enc & 0x70) != 0 && (enc & 0x70) != DW_EH_PE_pcrel)) {
    b->ok = false;
    return;
  }
  uint64_t pc = size == 8 ? read_u64le(b->v.data + p)
                          : size == 4 ? read_u32le(b->v.data + p) : read_u16le(b->v.data + p);
  if ((enc & 0x0f) == DW_EH_PE_sdata4)
    pc = (uint64_t)(int64_t)(int32_t)pc;
  else if ((enc & 0x0f) == DW_EH_PE_sdata2)
    pc = (uint64_t)(int64_t)(int16_t)pc;
  if ((enc & 0x70) == DW_EH_PE_pcrel)
    pc += b->addr + p;
  uint8_t *e = b->table + 8 * b->n++;
  write_u32le(e, (uint32_t)(pc - b->hdr_addr));
  write_u32le(e + 4, (uint32_t)(b->addr + fde - b->hdr_addr));
}

static int compare_entries(const void *a, const void *b) {
  int32_t x = (int32_t)read_u32le(a), y = (int32_t)read_u32le(b);
  return x < y ? -1 : x > y;
}

// Exists with --eh-frame-hdr when the output has an allocated .eh_frame; one
// table entry per FDE that split_eh_frame kept.
static bool size_eh_frame_hdr(Ctx *ctx, InputSection *isec) {
  if (!ctx->opt.eh_frame_hdr || !ctx->eh_frame_osec)
    return false;
  isec->sh_size = 12 + 8 * ctx->eh_frame_fdes;
  return true;
}

// Fills the table once .eh_frame has been copied and relocated: it reads the
// output's own FDEs, so what it indexes is exactly what the unwinder will see.
static void write_eh_frame_hdr(Ctx *ctx, InputSection *hdr, uint8_t *p) {
  OutputSection *eh = ctx->eh_frame_osec;
  uint8_t *out = ctx->image;
  uint64_t hdr_addr = isec_address(hdr);
  HdrBuilder b = {
    .v = {out + eh->offset, eh->size, ".eh_frame"},
    .addr = eh->addr,
    .hdr_addr = hdr_addr,
    .table = p + 12,
    .max = (hdr->sh_size - 12) / 8,
    .ok = true,
  };
  p[0] = 1;
  p[1] = DW_EH_PE_pcrel | DW_EH_PE_sdata4;
  p[2] = DW_EH_PE_udata4;
  p[3] = DW_EH_PE_datarel | DW_EH_PE_sdata4;
  write_u32le(p + 4, (uint32_t)(eh->addr - (hdr_addr + 4)));
  if (!walk_records(b.v, add_fde, &b) || !b.ok) {
    // Not an error: without a table the unwinder falls back to a linear search.
    warn(".eh_frame: a record could not be decoded; .eh_frame_hdr has no search table");
    b.n = 0;
    p[3] = DW_EH_PE_omit;
  }
  write_u32le(p + 8, (uint32_t)b.n);
  if (b.n > 1)
    qsort(b.table, b.n, 8, compare_entries);
}

const SyntheticKind eh_frame_hdr_section = {
  .name = ".eh_frame_hdr",
  .sh_type = SHT_PROGBITS,
  .sh_flags = SHF_ALLOC,
  .sh_addralign = 4,
  .size = size_eh_frame_hdr,
  .write = write_eh_frame_hdr,
  .p_type = PT_GNU_EH_FRAME,
  .p_flags = PF_R,
  .p_align = 4,
};
