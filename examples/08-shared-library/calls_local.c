/* Calls a function that libprocess.so exports and libprocess2.so hides. */
void local_func1(void);

int main(void) {
  local_func1();
  return 0;
}
