/*
 * other.c - defines what main.c only declares.
 *
 *   counter      global, initialised: a 'D' in `nm other.o`, main.c reads it
 *   add_counter  global function: a 'T', main.c calls it
 *   helper       static: a 't', LOCAL, invisible outside this file
 */
int counter = 7;

/* noinline: at -O1 gcc would fold a small static function into its
 * caller, and there would be no 'helper' symbol left to look at. */
static __attribute__((noinline)) int helper(int x)
{
	return x * 10;
}

int add_counter(int x)
{
	return helper(x) + counter;
}
