// HTTP ABI test guest: writes `something broke` to stderr, nothing to stdout, and exits with
// status 3 (the engine answers 500 with the stderr tail).
#include <stdio.h>

int main(void) {
  fputs("something broke\n", stderr);
  return 3;
}
