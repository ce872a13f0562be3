/* The seed's main, cut to what this example is about: it calls the library. */
void func1(void);
void func2(void);

int main(void) {
  func1();
  func2();
  return 0;
}
