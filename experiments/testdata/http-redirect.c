// HTTP ABI test guest: a header block with Location and no Status (the engine answers 302),
// then the body `moved` (no trailing newline).
#include <stdio.h>

int main(void) {
  fputs("Location: https://example.invalid/next\n\nmoved", stdout);
  return 0;
}
