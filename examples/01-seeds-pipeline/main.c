/*
 * main.c - the seed's main program (seed 004), made to check its own memory.
 *
 * func1 and func2 are not defined here: in `readelf -s main.o` they are
 * UND, and the linker must find them in libprocess.a.
 *
 * The two globals are the seed's, and they land in different sections:
 *   global_var_init    = 42 -> .data: the 42 is stored in the file.
 *   global_val_uninit       -> .bss:  only its size is recorded; the loader
 *                              must hand us zeroed memory (p_memsz > p_filesz
 *                              in the RW PT_LOAD).
 * (The seed's older gcc made global_val_uninit a COMMON symbol; gcc 10 and
 * later default to -fno-common, which puts it straight into .bss.)
 *
 * main returns 0 only if both started with the right value, so a linker
 * that lays out .data or .bss wrongly gets a non-zero exit status.
 */
#include "runtime.h"

void func1(void);
void func2(void);

int global_var_init = 42;
int global_val_uninit;

int main(int argc, char **argv)
{
	int status = 0;

	/* _start passed these from the process stack the kernel built:
	 * argc, then argv[0..argc-1], then a NULL pointer. */
	printf("main: argc=%d, argv[argc] is %s\n", argc,
	       argv[argc] == 0 ? "NULL" : "not NULL");

	func1();
	func2();

	if (global_var_init != 42)
		status |= 1; /* .data was not copied from the file */
	if (global_val_uninit != 0)
		status |= 2; /* .bss was not zero-filled */

	/* Writing proves the .bss page is mapped writable. */
	global_val_uninit = global_var_init * 2;
	printf("global_var_init=%d global_val_uninit=%d (0x%x)\n",
	       global_var_init, global_val_uninit, global_val_uninit);

	printf("main: returning %d\n", status);
	return status;
}
