/*
 * response_file.c — @FILE arguments.
 *
 * Command lines can outgrow what the kernel accepts, so build systems write the
 * arguments to a file and pass "@FILE" instead; gcc, GNU ld and GNU ar all read
 * them. The rules are libiberty's (expandargv): whitespace separates words, single
 * and double quotes group them, a backslash escapes the next character, a response
 * file may name others, and a word "@FILE" whose file cannot be read stays as it
 * is (it will then fail as a missing input, which says what is wrong).
 */
#include "common.h"

#include <ctype.h>

static void expand(Arena *arena, char *word, PtrVec *out, int depth) {
  View v;
  if (word[0] != '@' || !word[1] || !map_file(word + 1, word + 1, &v)) {
    vec_push(arena, out, word);
    return;
  }
  if (depth > 16)
    usage_error("%s: response files nested too deeply", word + 1);
  char *buf = arena_alloc(arena, v.size + 1);
  uint64_t i = 0;
  while (i < v.size) {
    if (isspace(v.data[i])) {
      i++;
      continue;
    }
    char *w = buf;
    char quote = 0;
    for (; i < v.size && (quote || !isspace(v.data[i])); i++) {
      char c = (char)v.data[i];
      if (c == '\\' && i + 1 < v.size)
        *buf++ = (char)v.data[++i];
      else if (quote && c == quote)
        quote = 0;
      else if (!quote && (c == '\'' || c == '"'))
        quote = c;
      else
        *buf++ = c;
    }
    *buf++ = '\0';
    expand(arena, w, out, depth + 1);
  }
}

void expand_response_file(Arena *arena, char *word, PtrVec *out) {
  expand(arena, word, out, 0);
}
