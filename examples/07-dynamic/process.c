/*
 * process.c - the seed's shared library (seed 004, part 三2): func1 and func2,
 * built with `gcc -shared -fPIC -o libprocess.so process.c`.
 */
#include <stdio.h>

void func1(void) { printf("func1 runs in libprocess.so\n"); }
void func2(void) { printf("func2 runs in libprocess.so\n"); }
