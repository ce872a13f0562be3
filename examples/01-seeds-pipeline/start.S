/*
 * start.S - the program's entry point, _start.
 *
 * The kernel does not call main. It jumps to the ELF header's e_entry,
 * which the linker sets to the address of _start, with no return address
 * on the stack and the registers empty. This is what rsp points at
 * (x86-64 psABI, section 3.4.1 "Initial Stack and Register State"):
 *
 *      rsp ->  argc                   8 bytes
 *              argv[0] ... argv[argc-1]
 *              NULL
 *              envp[0] ... NULL
 *              auxv pairs ... AT_NULL
 *              (then the strings themselves)
 *
 * Nobody references _start from C. It is still pulled out of libprocess.a,
 * because the linker treats the entry symbol as an undefined reference.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	/* rbp = 0 marks the outermost frame, so a debugger's backtrace
	 * stops here instead of following garbage. */
	xorl	%ebp, %ebp

	/* main(argc, argv): the first two arguments go in rdi and rsi. */
	movq	(%rsp), %rdi
	leaq	8(%rsp), %rsi

	/* The psABI requires rsp to be a multiple of 16 just before a call
	 * (so the callee sees rsp+8 aligned). The kernel already gives us an
	 * aligned rsp, but we do not rely on it: code that uses aligned SSE
	 * loads on the stack would crash. */
	andq	$-16, %rsp
	call	main

	/* exit(main's return value); exit never returns. */
	movl	%eax, %edi
	call	exit
	hlt			/* not reached: crash loudly if it ever is */
	.size	_start, . - _start

/* An empty .note.GNU-stack section says "this code does not need an
 * executable stack". Without it, GNU ld warns and marks the stack RWX. */
	.section .note.GNU-stack, "", @progbits
