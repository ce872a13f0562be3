/*
 * elf_versions.c — the version tables of a shared object (GNU symbol versioning).
 *
 * One library can define the same symbol more than once, under different versions:
 * glibc keeps the old `memcpy@GLIBC_2.2.5` for programs linked long ago and offers
 * `memcpy@@GLIBC_2.14` to new links. The scheme is a GNU extension, written down in
 * the LSB Core specification ("Symbol Versioning"). .gnu.version holds a 16-bit
 * version index per dynamic symbol (elf_shared.c checks those); this file reads the
 * two tables the indexes point into and turns each into an array, version index ->
 * name, for read_elf_shared:
 *
 *   .gnu.version_d: the versions the library defines (its defined symbols' indexes)
 *
 *     +-------------------------+  vd_aux   +--------------+
 *     | Elf64_Verdef  vd_ndx 1  |---------->| Elf64_Verdaux |-- vda_name --> "libv.so.1"
 *     | vd_flags VER_FLG_BASE   |           +--------------+
 *     +-------------------------+
 *        | vd_next
 *     +-------------------------+  vd_aux   +--------------+  vda_next  +--------------+
 *     | Elf64_Verdef  vd_ndx 3  |---------->| "VER_2"      |----------->| "VER_1"      |
 *     | vd_cnt 2                |           +--------------+  (parent)  +--------------+
 *     +-------------------------+
 *        vd_next 0: the end (sh_info says how many entries there are)
 *
 *   .gnu.version_r: the versions it needs from other libraries (the indexes of its
 *   undefined symbols): one Elf64_Verneed per library (vn_file "libc.so.6"), each
 *   with a chain of vn_cnt Elf64_Vernaux, one per version ("GLIBC_2.2.5"), whose
 *   vna_other is the version index.
 *
 * The entry with VER_FLG_BASE is the library's own name, not a version its symbols
 * carry; .gnu.version uses index 1 for "global, no version", which is why the base
 * entry has index 1.
 *
 * Both chains are linked by unsigned offsets (vd_next, vd_aux, vn_next, vna_next),
 * so a walk only moves forward, and it must stay inside the section; its length is
 * bounded by a count as well (sh_info entries, vn_cnt versions), and a chain longer
 * than its count is an error, so that readers that trust either one agree. A table
 * never has more than 32768 entries, whatever the file says: the largest version
 * index is 32767, because .gnu.version keeps bit 15 for VERSYM_HIDDEN.
 */
#include "common.h"

#include <string.h>

// Walks the chain of Elf64_Verdef in sec (at most `count` of them, names in
// strtab). With names == NULL it only checks, and sets *max to the largest vd_ndx;
// given names and is_base of *max + 1 entries, it fills them in. `where` starts
// every message: "libv.so: section '.gnu.version_d'".
static bool walk_verdefs(View sec, uint32_t count, View strtab, const char *where,
                         const char **names, bool *is_base, uint16_t *max) {
  uint64_t off = 0;
  for (uint64_t n = 1; n <= count; n++) {
    if (!view_has(sec, off, sizeof(Elf64_Verdef))) {
      error("%s: version definition at 0x%llx is outside the section (size 0x%llx)", where,
            (unsigned long long)off, (unsigned long long)sec.size);
      return false;
    }
    Elf64_Verdef vd;
    memcpy(&vd, sec.data + off, sizeof vd);
    if (vd.vd_version != VER_DEF_CURRENT) {
      error("%s: version definition at 0x%llx has vd_version %u, not 1", where,
            (unsigned long long)off, vd.vd_version);
      return false;
    }
    // The first Elf64_Verdaux holds the version's own name; the other vd_cnt - 1
    // name its parents, which nothing in a link uses, so they are not read.
    if (vd.vd_cnt == 0) {
      error("%s: version definition at 0x%llx has vd_cnt 0, so it has no name", where,
            (unsigned long long)off);
      return false;
    }
    if (vd.vd_ndx == 0 || vd.vd_ndx > VERSYM_VERSION) {
      error("%s: version definition at 0x%llx has index %u, which is not in [1, 32767]", where,
            (unsigned long long)off, vd.vd_ndx);
      return false;
    }
    View rest = view_slice(sec, off, sec.size - off);  // vd_aux counts from here
    if (!view_has(rest, vd.vd_aux, sizeof(Elf64_Verdaux))) {
      error("%s: version definition at 0x%llx: vd_aux 0x%x points outside the section", where,
            (unsigned long long)off, vd.vd_aux);
      return false;
    }
    Elf64_Verdaux aux;
    memcpy(&aux, rest.data + vd.vd_aux, sizeof aux);
    const char *name = view_cstr(strtab, aux.vda_name);
    if (!name) {
      error("%s: version definition at 0x%llx: name offset 0x%x is outside the string table",
            where, (unsigned long long)off, aux.vda_name);
      return false;
    }
    if (!names) {
      if (vd.vd_ndx > *max)
        *max = vd.vd_ndx;
    } else if (names[vd.vd_ndx]) {
      error("%s: version index %u is defined twice ('%s' and '%s')", where, vd.vd_ndx,
            names[vd.vd_ndx], name);
      return false;
    } else {
      names[vd.vd_ndx] = name;
      is_base[vd.vd_ndx] = vd.vd_flags & VER_FLG_BASE;
    }
    if (vd.vd_next == 0)
      return true;
    if (n == count) {
      error("%s: the chain of version definitions is longer than sh_info (%u)", where, count);
      return false;
    }
    if (vd.vd_next >= sec.size - off) {
      error("%s: version definition at 0x%llx: vd_next 0x%x points outside the section "
            "(size 0x%llx)",
            where, (unsigned long long)off, vd.vd_next, (unsigned long long)sec.size);
      return false;
    }
    off += vd.vd_next;
  }
  return true;
}

bool read_version_definitions(View sec, uint32_t count, View strtab, const char *where,
                              Arena *arena, ElfShared *so) {
  if (count == 0)
    return true;
  uint16_t max = 0;
  if (!walk_verdefs(sec, count, strtab, where, NULL, NULL, &max))
    return false;
  so->nverdefs = (uint16_t)(max + 1);
  so->verdef_names = arena_array(arena, so->nverdefs, sizeof(char *));
  so->verdef_is_base = arena_array(arena, so->nverdefs, sizeof(bool));
  return walk_verdefs(sec, count, strtab, where, so->verdef_names, so->verdef_is_base, &max);
}

// Walks the chain of Elf64_Verneed in sec (at most `count` of them) and each one's
// chain of Elf64_Vernaux (at most vn_cnt), by the rules of walk_verdefs. The
// Vernaux chains of two libraries could point at the same entries, and one
// library's could be 65535 long, so the walk reads at most as many Vernaux as fit
// in the section: the work stays proportional to the file. With names == NULL it
// only checks and sets *max to the largest vna_other; then it fills names[] (*max
// + 1 entries).
static bool walk_verneeds(View sec, uint32_t count, View strtab, const char *where,
                          const char **names, uint16_t *max) {
  uint64_t budget = sec.size / sizeof(Elf64_Vernaux);
  uint64_t off = 0;
  for (uint64_t n = 1; n <= count; n++) {
    if (!view_has(sec, off, sizeof(Elf64_Verneed))) {
      error("%s: version need at 0x%llx is outside the section (size 0x%llx)", where,
            (unsigned long long)off, (unsigned long long)sec.size);
      return false;
    }
    Elf64_Verneed vn;
    memcpy(&vn, sec.data + off, sizeof vn);
    if (vn.vn_version != VER_NEED_CURRENT) {
      error("%s: version need at 0x%llx has vn_version %u, not 1", where,
            (unsigned long long)off, vn.vn_version);
      return false;
    }
    View rest = view_slice(sec, off, sec.size - off);  // vn_aux and vna_next count from here
    uint64_t aux_off = vn.vn_aux;
    for (uint32_t k = 1; k <= vn.vn_cnt; k++) {
      if (!view_has(rest, aux_off, sizeof(Elf64_Vernaux))) {
        error("%s: version need at 0x%llx: its version at +0x%llx is outside the section", where,
              (unsigned long long)off, (unsigned long long)aux_off);
        return false;
      }
      if (budget == 0) {
        error("%s: more needed versions than fit in the section", where);
        return false;
      }
      budget--;
      Elf64_Vernaux aux;
      memcpy(&aux, rest.data + aux_off, sizeof aux);
      const char *name = view_cstr(strtab, aux.vna_name);
      if (!name) {
        error("%s: version need at 0x%llx: name offset 0x%x is outside the string table", where,
              (unsigned long long)off, aux.vna_name);
        return false;
      }
      // 0 and 1 mean "no version" in .gnu.version, so a needed version starts at 2.
      if (aux.vna_other < 2 || aux.vna_other > VERSYM_VERSION) {
        error("%s: needed version '%s' has index %u, which is not in [2, 32767]", where, name,
              aux.vna_other);
        return false;
      }
      if (!names) {
        if (aux.vna_other > *max)
          *max = aux.vna_other;
      } else if (names[aux.vna_other]) {
        error("%s: version index %u is needed twice ('%s' and '%s')", where, aux.vna_other,
              names[aux.vna_other], name);
        return false;
      } else {
        names[aux.vna_other] = name;
      }
      if (aux.vna_next == 0)
        break;
      if (k == vn.vn_cnt) {
        error("%s: version need at 0x%llx has more versions than its vn_cnt (%u)", where,
              (unsigned long long)off, vn.vn_cnt);
        return false;
      }
      if (aux.vna_next >= rest.size - aux_off) {
        error("%s: version need at 0x%llx: vna_next 0x%x points outside the section", where,
              (unsigned long long)off, aux.vna_next);
        return false;
      }
      aux_off += aux.vna_next;
    }
    if (vn.vn_next == 0)
      return true;
    if (n == count) {
      error("%s: the chain of version needs is longer than sh_info (%u)", where, count);
      return false;
    }
    if (vn.vn_next >= sec.size - off) {
      error("%s: version need at 0x%llx: vn_next 0x%x points outside the section (size 0x%llx)",
            where, (unsigned long long)off, vn.vn_next, (unsigned long long)sec.size);
      return false;
    }
    off += vn.vn_next;
  }
  return true;
}

bool read_version_needs(View sec, uint32_t count, View strtab, const char *where,
                        Arena *arena, ElfShared *so) {
  if (count == 0)
    return true;
  uint16_t max = 0;
  if (!walk_verneeds(sec, count, strtab, where, NULL, &max))
    return false;
  so->nverneeds = (uint16_t)(max + 1);
  so->verneed_names = arena_array(arena, so->nverneeds, sizeof(char *));
  return walk_verneeds(sec, count, strtab, where, so->verneed_names, &max);
}
