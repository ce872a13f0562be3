/*
 * lib.c - what relocs.c refers to (answer, twice), plus the program around
 * it: _start, main and a way to print, on raw system calls.
 */
long answer = 21;

long twice(long x)
{
	return 2 * x;
}

long compute(void);            /* in relocs.c */

/* write(2) is system call 1 on x86-64. */
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
	long v = compute();
	char digits[] = "compute() = twice(answer) + *answer_ptr = 00\n";
	digits[sizeof digits - 4] = (char)('0' + v / 10 % 10);
	digits[sizeof digits - 3] = (char)('0' + v % 10);
	print(digits);
	return v == 63 ? 0 : 1;
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
