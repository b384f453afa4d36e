// HTTP ABI test guest: stdout without a header block (the engine answers 200 with the default
// content type) and two log lines on stderr, one write each.
#include <stdio.h>

int main(void) {
  fputs("log line one\n", stderr);
  fputs("plain body", stdout);
  fputs("log line two\n", stderr);
  return 0;
}
