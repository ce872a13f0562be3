/* put.c - libfoo.a member: put(s) writes s to stdout with write(2),
 * system call 1. Loaded only because hello.o refers to put. */
void put(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(1L), "D"(1L), "S"(s), "d"(n)
			 : "rcx", "r11", "memory");
}
