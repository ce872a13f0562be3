/*
 * main.c - prints what it finds on its initial stack: argc, argv, and a
 * few auxiliary vector entries, which sit after envp's NULL:
 *
 *      sp ->  argc
 *             argv[0] ... argv[argc-1], NULL
 *             envp[0] ... NULL
 *             auxv: (type, value) pairs ... (AT_NULL, 0)
 *
 * Whoever starts the program builds that stack: the kernel's execve
 * (create_elf_tables), or mini-loader's build_stack. This program cannot
 * tell which, and prints the same either way.
 */
#define AT_NULL   0
#define AT_PHNUM  5   /* number of program headers */
#define AT_PAGESZ 6   /* page size */
#define AT_ENTRY  9   /* the program's entry point: e_entry, plus the load bias */

void _start(void);

static void print(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(1L), "D"(1L), "S"(s), "d"(n)
			 : "rcx", "r11", "memory");
}

/* One variable in .data and one in .bss, so the RW segment has both file
 * bytes and zero-filled bytes in the same page: the loader's zero_bss step. */
static char argc_label[] = "argc = ";
static char buf[24];

static void print_num(unsigned long v)
{
	int i = sizeof buf - 1;
	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	print(buf + i);
}

/* Called by _start with the stack pointer the program started with. */
int start_c(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;

	print(argc_label);
	print_num((unsigned long)argc);
	print("\n");
	for (long i = 0; i < argc; i++) {
		print("argv[");
		print_num((unsigned long)i);
		print("] = ");
		print(argv[i]);
		print("\n");
	}

	/* The environment differs from run to run: skip it, don't print it. */
	char **p = envp;
	while (*p)
		p++;
	unsigned long *auxv = (unsigned long *)(p + 1);

	for (; auxv[0] != AT_NULL; auxv += 2) {
		switch (auxv[0]) {
		case AT_PHNUM:
			print("AT_PHNUM = ");
			print_num(auxv[1]);
			print("\n");
			break;
		case AT_PAGESZ:
			print("AT_PAGESZ = ");
			print_num(auxv[1]);
			print("\n");
			break;
		case AT_ENTRY:
			/* The address itself depends on the code's size; whether it
			 * is _start does not. */
			print("AT_ENTRY equals _start: ");
			print(auxv[1] == (unsigned long)_start ? "yes\n" : "no\n");
			break;
		}
	}
	return 0;
}

/* _start: passes the initial stack pointer to start_c, then exits with
 * its result (exit is system call 60). */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	movq %rsp, %rdi\n"
	"	andq $-16, %rsp\n"
	"	call start_c\n"
	"	movl %eax, %edi\n"
	"	movl $60, %eax\n"
	"	syscall\n");
