/*
 * main.c - one initialised array (.data) and one zero-initialised array
 * (.bss), and a check that the program starts with both as written.
 *
 * .data's 32 bytes are in the file: the loader maps them from there.
 * .bss's 8192 bytes are not: the section header says NOBITS, and the RW
 * PT_LOAD says "memsz is larger than filesz"; the loader must provide the
 * difference as zero-filled memory.
 */
long table[4] = { 1, 2, 3, 4 };   /* .data: 4 * 8 = 0x20 bytes of file */
long zeros[1024];                 /* .bss: 0x2000 bytes of memory, none of file */

static void print(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(1L), "D"(1L), "S"(s), "d"(n)
			 : "rcx", "r11", "memory");
}

int main(void)
{
	int status = 0;

	/* .data must hold the initial values, copied from the file. */
	for (int i = 0; i < 4; i++)
		if (table[i] != i + 1)
			status |= 1;
	print(status & 1 ? ".data: table is NOT {1, 2, 3, 4}\n"
			 : ".data: table is {1, 2, 3, 4}\n");

	/* .bss must be zero, all 8192 bytes of it. */
	for (int i = 0; i < 1024; i++)
		if (zeros[i] != 0)
			status |= 2;
	print(status & 2 ? ".bss: zeros has a non-zero byte\n"
			 : ".bss: all 8192 bytes of zeros are 0\n");

	/* And both are writable: they are in the RW segment. */
	table[0] = 100;
	zeros[1023] = 100;
	print(table[0] + zeros[1023] == 200 ? "both are writable\n" : "write failed\n");

	return status;
}

/* _start: calls main and passes its result to exit(2) (system call 60). */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	call main\n"
	"	movl %eax, %edi\n"
	"	movl $60, %eax\n"
	"	syscall\n");
