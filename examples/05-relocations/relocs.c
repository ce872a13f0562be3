/*
 * relocs.c - the object whose relocations we look at. Everything it uses
 * is in lib.c, so in relocs.o every reference is a hole with a relocation:
 *
 *   call twice          R_X86_64_PLT32 twice - 4    (computed like PC32: S + A - P)
 *   answer(%rip)        R_X86_64_PC32  answer - 4   (a rip-relative load)
 *   answer_ptr(%rip)    R_X86_64_PC32  answer_ptr - 4
 *   answer_ptr's value  R_X86_64_64    answer + 0   (an absolute address in .data: S + A)
 */
extern long answer;            /* defined in lib.c */
long twice(long x);            /* defined in lib.c */

long *answer_ptr = &answer;    /* 8 bytes in .data that only the linker can fill in */

long compute(void)
{
	return twice(answer) + *answer_ptr;
}
