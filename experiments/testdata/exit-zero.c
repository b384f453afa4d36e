// A WASI command that ends through proc_exit(0) rather than by returning from main.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("bye\n");
  fflush(stdout);
  exit(0);
}
