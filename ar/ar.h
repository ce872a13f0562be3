/*
 * ar.h — the map of mini-ar.
 *
 * mini-ar is a short pipeline over one context (Ctx). Each banner below belongs to
 * one .c file, in the order main() runs them:
 *
 *   parse_args → load_archive → apply_command → build_index → write_archive
 *
 * apply_command either answers a question about the archive (t, x, p) and the run
 * ends there, or it edits the list of members (r, q, d, m, s); then the symbol index
 * is computed for the new list and the whole archive is written to a temporary file
 * next to the old one and renamed over it. The old archive is never modified in
 * place, so a failed command leaves it exactly as it was.
 *
 * Byte-for-byte compatibility with GNU ar 2.40 is a goal: the rules that decide a
 * byte (which symbols the index lists, when a name goes to the long-name table, what
 * a header field holds) are written next to the code that applies them.
 */
#ifndef MINI_AR_H
#define MINI_AR_H

#include "../common/common.h"

#define MINI_AR_VERSION "0.1.0"

//
// parse_args.c — GNU ar's command line
//

typedef enum {
  OP_NONE,
  OP_REPLACE,  // r: replace members with the same name in place, add the others
  OP_APPEND,   // q: add at the end without looking for an old copy
  OP_DELETE,   // d
  OP_MOVE,     // m: to the end, or next to the position member (a/b/i)
  OP_LIST,     // t
  OP_EXTRACT,  // x
  OP_PRINT,    // p
  OP_INDEX,    // s alone: rewrite the archive with a fresh index, like ranlib
} Operation;

typedef enum {
  POS_DEFAULT,  // no a/b/i: at the end (or, when replacing, where the old copy was)
  POS_AFTER,    // a
  POS_BEFORE,   // b, i
} Position;

typedef struct {
  Operation op;
  bool quiet_create;    // c: no "creating" message
  int index;            // s: +1 (write it), S: -1 (never), neither: 0 (write it if
                        // there is any object, like GNU ar's default)
  bool newer_only;      // u: replace only members older than the file
  bool verbose;         // v
  bool deterministic;   // D (the default) or U: real dates, owners and modes
  bool explicit_d;      // D was given (GNU ar rejects u together with an explicit D)
  bool counted;         // N: act on the count-th member of that name
  long count;
  bool full_path;       // P: match and store names with their directories
  bool preserve_dates;  // o: extracted files get the member's date
  bool thin;            // T, --thin: store paths, not contents
  bool offsets;         // O: t also prints where each member's data starts
  Position pos;
  const char *posname;  // the member named by a/b/i
  const char *output_dir;  // --output=DIR: where x writes
  bool ranlib;          // run as ranlib: files are the archives to index, archive
                        // is unset, and main() runs the pipeline once for each
  bool touch;           // ranlib -t: check the archive, change nothing
  const char *archive;
  char **files;
  size_t nfiles;
} Options;

typedef struct Ctx Ctx;

// main.c: one whole run of mini-ar (or mini-ranlib, as argv[0] says), in a process
// that may go on: returns the exit status instead of exiting, and frees what the
// run held.
int ar_main(int argc, char **argv);

// Parses ar's command line, or ranlib's when the program's name ends in "ranlib".
void parse_args(Ctx *ctx, int argc, char **argv);

//
// load_archive.c — the archive as it is now, as a list of members
//

// One member of the archive being built. Members taken over from the old archive
// keep their header bytes (old_hdr); members added now get a header made from the
// file's stat() (or from nothing, in deterministic mode).
typedef struct {
  // What GNU ar compares command-line names with: the stored name for members of a
  // normal archive, the path (relative to the current directory) for members of a
  // thin archive, and the path as given on the command line for a member added now.
  const char *filename;
  const char *name;        // the stored name (old members only)
  const char *path;        // the file holding the bytes: new members and thin ones
  const char *label;       // for messages: "lib.a(m.o)" or the path
  View data;               // the bytes; thin members: mapped on demand by member_data()
  bool data_mapped;
  const uint8_t *old_hdr;  // its 60-byte header in the old archive, or NULL if new
  // Members added now: the fields of their header (0/0/0/0644 when deterministic).
  int64_t mtime;
  uint64_t uid, gid, mode;
  uint64_t size;           // the header's size field
  // build_index: the symbols this member defines, in its symbol table's order.
  const char **syms;
  size_t nsyms;
  // write_archive
  char ar_name[16];        // the name field of its header
  uint64_t offset;         // of its header in the new archive
} Member;

struct Ctx {
  Arena arena;
  Options opt;
  bool exists;             // the archive file exists (otherwise it is being created)
  View file;               // the old archive, mapped
  bool thin;               // the archive is, or is to become, thin
  PtrVec members;          // Member *, in archive order
  bool changed;            // apply_command: the archive must be written
  bool want_index;         // build_index: write a symbol index
  size_t nsyms;            // total number of index entries
  uint64_t strsize;        // bytes of NUL-terminated names in the index
};

void load_archive(Ctx *ctx);
// The bytes of m; for a thin archive's member, maps its file the first time.
View member_data(Member *m);
// A member made from the file at path, for r and q; exits with a message if the
// file cannot be read.
Member *new_member(Ctx *ctx, const char *path);
// Fields of a member header, parsed the way GNU ar's stat does (a leading number;
// false if the field does not start with one).
bool header_number(const uint8_t *field, size_t len, int base, int64_t *out);

//
// member_list.c — matching names with members, inserting and removing them
//

// Name matching, as GNU ar does it: a name given on the command line loses its
// directories (unless P), and so does the member's name when `strip_member` is set.
bool name_matches(Ctx *ctx, const Member *m, const char *arg, bool strip_member);
// Removes members[i], or inserts m before members[i] (i == len appends).
void remove_member(Ctx *ctx, size_t i);
void insert_member(Ctx *ctx, size_t i, Member *m);
// Where an added or moved member goes, as an index to insert before: with a/b/i,
// next to the first member whose filename is the position name; otherwise after
// the first member whose filename is dflt_name (POS_AFTER) or at the end
// (POS_DEFAULT). A position name that matches nothing means the end.
size_t insert_position(Ctx *ctx, Position dflt, const char *dflt_name);
_Noreturn void member_not_found(Ctx *ctx, const char *arg);
void report_missing(Ctx *ctx, const char *arg);

//
// apply_command.c — the operation named on the command line
//

void apply_command(Ctx *ctx);

//
// edit_members.c — r, q, d, m: change the list of members
//

void replace_members(Ctx *ctx, bool quick);
void delete_members(Ctx *ctx);
void move_members(Ctx *ctx);

//
// show_members.c — t, x, p: read members without changing the archive
//

void list_members(Ctx *ctx);
void extract_members(Ctx *ctx);
void print_members(Ctx *ctx);

//
// symbol_index.c — which symbols the index lists
//

void build_index(Ctx *ctx);

//
// member_names.c — the name field of each header and the "//" long-name table
//

// Fills every member's ar_name and returns the long-name table ("//" member's
// contents, padded to an even size; *size 0 if there is none).
const char *build_name_table(Ctx *ctx, uint64_t *size);

//
// write_archive.c — the bytes of the new archive
//

void write_archive(Ctx *ctx);

#endif
