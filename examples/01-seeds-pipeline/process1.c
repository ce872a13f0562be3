/*
 * process1.c - the seed's first object file (seed 004), unchanged in spirit.
 *
 * It shows the two kinds of symbol binding the linker cares about:
 *   func1, local_func1  GLOBAL: other object files may call them, so they
 *                       go into the symbol table for the linker to resolve.
 *   local_func2         LOCAL (static): invisible outside this file.
 *
 * Compiled with -fPIC, as in the seed. Look at `readelf -rW process1.o`:
 * the calls to printf and local_func1 are relocations (R_X86_64_PLT32),
 * because under -fPIC a global function may be replaced by another
 * definition at link time; the call to local_func2 has no relocation at all,
 * because the assembler already knew the distance inside .text.
 */
#include "runtime.h"

void local_func1(void)
{
	printf("local_func1\n");
}

/* The seed writes `void static local_func2()`; `static void` is the same
 * thing in the order C11 recommends (-Wextra warns about the other).
 * noinline keeps the function, and so its LOCAL symbol, in the object:
 * at -O1 gcc would otherwise paste its body into func1, its only caller. */
static __attribute__((noinline)) void local_func2(void)
{
	printf("local_func2\n");
}

void func1(void)
{
	printf("func1\n");
	local_func1();
	local_func2();
}
