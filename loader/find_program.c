/*
 * find_program.c — which file does PROG name?
 *
 * execve(2) itself takes a path. Finding "ls" in PATH is the caller's job: the shell's,
 * or execvp(3)'s. We do what glibc's execvp does, so that `mini-loader ls` runs the
 * same file as `ls`:
 *
 *   - a PROG containing '/' is used as it is ("./hello", "/bin/ls");
 *   - otherwise each directory of PATH is tried in order ("/usr/local/bin/ls",
 *     "/usr/bin/ls", ...); an empty entry means the current directory; without PATH,
 *     glibc's default "/bin:/usr/bin" is searched;
 *   - the first candidate that is an executable regular file wins; one that exists but
 *     may not be executed is remembered and the search goes on.
 *
 * The path found becomes AT_EXECFN, as the string execvp passes to execve does.
 * Exit status, like a shell's or env(1)'s: 127 when nothing is found, 126 when
 * something is found that we may not execute.
 *
 * Reads ctx->prog; fills ctx->path.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Can the kernel execute this file? It wants a regular file with execute permission
// (do_open_execat: S_ISREG, MAY_EXEC). Returns 0 or the errno execve would give.
int check_executable(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0)
    return errno;
  if (S_ISDIR(st.st_mode))
    return EISDIR;  // execve says EACCES; a shell says "Is a directory", more helpfully
  if (!S_ISREG(st.st_mode))
    return EACCES;
  if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
    return errno;
  return 0;
}

// What kind of file the mode says, for "not a regular file: a FIFO".
static const char *file_kind(mode_t mode) {
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  return "a file of another kind";
}

const char *exec_error(const char *path, int err) {
  // check_executable said EACCES for anything not regular, as execve does; stat
  // again to tell that case from a missing execute permission.
  struct stat st;
  if (err == EACCES && stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    static char why[64];  // one message at a time: the caller fails right away
    snprintf(why, sizeof why, "not a regular file: %s", file_kind(st.st_mode));
    return why;
  }
  return strerror(err);
}

static void use_path(Ctx *ctx, const char *path) {
  size_t len = strlen(path);
  if (len >= sizeof ctx->path)
    fail(ctx, "%s", strerror(ENAMETOOLONG));
  memcpy(ctx->path, path, len + 1);
  ctx->exe.path = ctx->path;
  ctx->exe.role = "program";
  ctx->exe.what = "";
}

void find_program(Ctx *ctx) {
  const char *prog = ctx->prog;
  if (*prog == '\0')
    fail_with(ctx, 127, "%s", strerror(ENOENT));

  if (strchr(prog, '/')) {
    int err = check_executable(prog);
    if (err)
      fail_with(ctx, err == ENOENT || err == ENOTDIR ? 127 : 126, "%s", exec_error(prog, err));
    use_path(ctx, prog);
    trace(ctx, "find_program", "%s: a path, used as it is", prog);
    return;
  }

  const char *path_env = getenv("PATH");
  if (!path_env)
    path_env = "/bin:/usr/bin";  // confstr(_CS_PATH), what execvp uses without PATH
  size_t prog_len = strlen(prog);
  int denied = 0;  // the first "exists but cannot be executed" reason, if any
  for (const char *dir = path_env;; dir++) {
    const char *end = strchrnul(dir, ':');
    size_t dir_len = (size_t)(end - dir);
    // DIR + '/' + PROG + NUL; an empty DIR means PROG itself, relative to the cwd.
    if (dir_len + 1 + prog_len + 1 <= sizeof ctx->path) {
      char cand[PATH_MAX];
      memcpy(cand, dir, dir_len);
      size_t n = dir_len;
      if (dir_len)
        cand[n++] = '/';
      memcpy(cand + n, prog, prog_len + 1);
      int err = check_executable(cand);
      if (!err) {
        use_path(ctx, cand);
        trace(ctx, "find_program", "%s: found in PATH as %s", prog, cand);
        return;
      }
      if (err != ENOENT && err != ENOTDIR && !denied)
        denied = err;
    }
    dir = end;
    if (*dir == '\0')
      break;
  }
  if (denied)
    fail(ctx, "%s", strerror(denied));
  fail_with(ctx, 127, "not found in PATH");
}
