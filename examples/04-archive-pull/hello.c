/* hello.c - libfoo.a member: hello(), which needs put() from put.o. */
void put(const char *s);

void hello(void)
{
	put("hello from libfoo.a(hello.o)\n");
}
