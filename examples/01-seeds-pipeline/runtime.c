/*
 * runtime.c - exit and printf on raw Linux system calls, instead of libc.
 *
 * A system call is: number in rax, arguments in rdi, rsi, rdx, then the
 * `syscall` instruction; the result comes back in rax, and the kernel
 * clobbers rcx and r11 (x86-64 psABI, appendix A.2.1). The numbers come
 * from the kernel's arch/x86/entry/syscalls/syscall_64.tbl.
 *
 * This is compiled with -ffreestanding -fno-builtin so that gcc neither
 * expects a libc nor rewrites our printf("text\n") calls into puts("text"),
 * a function that does not exist here.
 */
#include <stdarg.h> /* provided by the compiler, not by libc */

#include "runtime.h"

enum { SYS_write = 1, SYS_exit = 60 };

/* Writes n bytes from buf to file descriptor fd; returns the count written
 * or a negative errno. */
static long sys_write(int fd, const void *buf, unsigned long n)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)SYS_write), "D"((long)fd), "S"(buf), "d"(n)
			 : "rcx", "r11", "memory");
	return ret;
}

_Noreturn void exit(int status)
{
	/* exit (60) ends this thread; our process has only one, so the
	 * process ends with it and status becomes the shell's $?. */
	for (;;)
		__asm__ volatile("syscall"
				 :
				 : "a"((long)SYS_exit), "D"((long)status)
				 : "rcx", "r11", "memory");
}

/* printf collects its output here and writes it with one system call, so
 * a line arrives in one piece even when stdout is a pipe. */
typedef struct {
	char data[256];
	unsigned long len;
	int total;
} OutBuf;

static void flush(OutBuf *out)
{
	unsigned long done = 0;

	/* write may take fewer bytes than asked (a full pipe): loop. */
	while (done < out->len) {
		long n = sys_write(1, out->data + done, out->len - done);
		if (n <= 0)
			break; /* nowhere to report the error: drop the rest */
		done += (unsigned long)n;
	}
	out->len = 0;
}

static void put_char(OutBuf *out, char c)
{
	if (out->len == sizeof out->data)
		flush(out);
	out->data[out->len++] = c;
	out->total++;
}

static void put_string(OutBuf *out, const char *s)
{
	if (s == 0)
		s = "(null)";
	while (*s)
		put_char(out, *s++);
}

/* Writes v in the given base (10 or 16, lowercase digits). Digits are
 * produced backwards, lowest first, so they go through a small stack. */
static void put_unsigned(OutBuf *out, unsigned long v, unsigned base)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (n > 0)
		put_char(out, digits[--n]);
}

int printf(const char *fmt, ...)
{
	OutBuf out;
	va_list ap;

	/* Set the two counters only. `OutBuf out = {0}` would zero all 256
	 * bytes of data, and compilers may do that by calling memset, which
	 * nobody defines here: the link would fail with an undefined symbol. */
	out.len = 0;
	out.total = 0;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || p[1] == '\0') {
			put_char(&out, *p);
			continue;
		}
		p++; /* now at the conversion letter */
		if (*p == 's') {
			put_string(&out, va_arg(ap, const char *));
		} else if (*p == 'd') {
			int v = va_arg(ap, int);
			/* Negate in unsigned arithmetic: -INT_MIN overflows an int. */
			unsigned long mag = v < 0 ? 0 - (unsigned long)v : (unsigned long)v;
			if (v < 0)
				put_char(&out, '-');
			put_unsigned(&out, mag, 10);
		} else if (*p == 'x') {
			put_unsigned(&out, va_arg(ap, unsigned), 16);
		} else if (*p == 'c') {
			put_char(&out, (char)va_arg(ap, int)); /* char is promoted */
		} else {
			/* %% and unknown conversions: print the letter as is. */
			put_char(&out, *p);
		}
	}
	va_end(ap);
	flush(&out);
	return out.total;
}
