// HTTP ABI test guest: a header block with a Status line and two headers, then a body
// (no trailing newline): the engine answers 418 with those headers.
#include <stdio.h>

int main(void) {
  fputs("Status: 418 I'm a teapot\n"
        "Content-Type: text/plain\n"
        "X-Guest: yes\n"
        "\n"
        "short and stout",
        stdout);
  return 0;
}
