/* goodbye.c - libfoo.a member that nobody calls: it is never loaded. */
void put(const char *s);

void goodbye(void)
{
	put("goodbye from libfoo.a(goodbye.o)\n");
}
