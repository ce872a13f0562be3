/*
 * apply_command.c — run the operation named on the command line.
 *
 * Each operation is a small function over the list of members (edit_members.c for
 * r, q, d, m; show_members.c for t, x, p); what they share, how a name is matched
 * with a member and where a member is inserted, is in member_list.c.
 *
 * Reads ctx->opt and ctx->members; the operations edit ctx->members and set
 * ctx->changed when the archive must be written.
 */
#include "ar.h"

void apply_command(Ctx *ctx) {
  switch (ctx->opt.op) {
  case OP_LIST:
    list_members(ctx);
    break;
  case OP_EXTRACT:
    // The members of a thin archive are files already; GNU ar refuses too.
    if (ctx->thin)
      fatal("%s: cannot extract from a thin archive", ctx->opt.archive);
    extract_members(ctx);
    break;
  case OP_PRINT:
    print_members(ctx);
    break;
  case OP_REPLACE:
    replace_members(ctx, false);
    break;
  case OP_APPEND:
    replace_members(ctx, true);
    break;
  case OP_DELETE:
    delete_members(ctx);
    break;
  case OP_MOVE:
    move_members(ctx);
    break;
  case OP_INDEX:
    // ranlib: the members stay as they are; writing the archive adds the index.
    // ranlib -t only sets the index's date, which GNU ranlib does for BSD archives
    // alone: loading the archive was the whole job.
    ctx->changed = !ctx->opt.touch;
    break;
  case OP_NONE:
    internal_error("no operation");
  }
  // An edit of an archive that did not exist creates it, even if nothing was
  // added: `mini-ar rc lib.a` makes an empty library, as GNU ar does.
  if (!ctx->exists && ctx->opt.op != OP_LIST && ctx->opt.op != OP_EXTRACT &&
      ctx->opt.op != OP_PRINT)
    ctx->changed = true;
}
