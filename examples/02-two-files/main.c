/*
 * main.c - uses a function and a variable that other.c defines, and has a
 * static function with the same name as one in other.c.
 *
 * `nm main.o` shows add_counter and counter as 'U' (undefined here: the
 * linker must find them in another object), main and _start as 'T', and
 * helper as 't' (LOCAL: it takes part in no resolution at all).
 */
extern int counter;          /* defined in other.c */
int add_counter(int x);      /* defined in other.c */

/* Same name as other.c's helper, different function. Both are LOCAL, so
 * neither clashes with the other and each file's calls go to its own. */
static __attribute__((noinline)) int helper(int x)
{
	return x + 1;
}

/* No libc: write(2) is system call 1 on x86-64. */
static void print(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(1L), "D"(1L), "S"(s), "d"(n)
			 : "rcx", "r11", "memory");
}

/* Prints "name = value\n" for a small non-negative value. */
static void print_value(const char *name, int v)
{
	char buf[16];
	int i = sizeof buf;
	buf[--i] = '\0';
	buf[--i] = '\n';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	print(name);
	print(" = ");
	print(buf + i);
}

int main(void)
{
	print_value("counter (other.c's variable)", counter);
	print_value("add_counter(3) (other.c: its helper(3) + counter)", add_counter(3));
	print_value("helper(3) (main.c's own helper)", helper(3));
	return 0;
}

/* _start: the entry point. Calls main and passes its result to exit(2)
 * (system call 60). */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	call main\n"
	"	movl %eax, %edi\n"
	"	movl $60, %eax\n"
	"	syscall\n");
