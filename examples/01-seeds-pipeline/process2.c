/*
 * process2.c - the seed's second object file (seed 004).
 *
 * It goes into libprocess.a next to process1.o. main.o calls func2, so
 * the linker pulls this member out of the archive; a member that nobody
 * references would be left out of the program.
 */
#include "runtime.h"

void func2(void)
{
	printf("func2\n");
}
