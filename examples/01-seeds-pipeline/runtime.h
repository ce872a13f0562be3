/*
 * runtime.h - the few libc functions this example needs, without libc.
 *
 * The seed's process1.c says `#include <stdio.h>` and calls printf. We link
 * with nothing but our own objects (no crt1.o, no libc.a), so that every
 * byte of the program comes from a file you can read in this directory.
 * runtime.c provides these functions; start.S provides _start.
 */
#ifndef RUNTIME_H
#define RUNTIME_H

/* Understands plain text, %s, %d, %x, %c and %%. Writes to stdout (fd 1)
 * with the write system call and returns the number of bytes written.
 * The format attribute lets -Wall check our calls just as it checks
 * libc's printf. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends the process with the exit system call. Never returns. */
_Noreturn void exit(int status);

#endif
