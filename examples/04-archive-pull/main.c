/*
 * main.c - calls hello(), which is in libfoo.a. Nothing else.
 *
 * The linker reads libfoo.a's symbol index, sees that member hello.o
 * defines hello, and loads it. hello.o calls put(), so put.o is loaded in
 * turn. goodbye.o defines nothing anyone asked for and stays out.
 */
void hello(void);

int main(void)
{
	hello();
	return 0;
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
