// HTTP ABI test guest for log tails: 50 lines `line 1` .. `line 50` on stderr (one write per
// line, stderr is unbuffered), then `done` on stdout (no header block, no trailing newline).
#include <stdio.h>

int main(void) {
  for (int i = 1; i <= 50; i++) fprintf(stderr, "line %d\n", i);
  fputs("done", stdout);
  return 0;
}
