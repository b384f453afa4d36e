// HTTP ABI test guest (no header block): the value of GREETING (or `unset`), a newline, then
// the bytes of /var/openfaas/secrets/<SECRET_NAME> unchanged, or `no secret` when SECRET_NAME
// is unset or empty or the file cannot be opened or read. SECRET_NAME is used as is (a name
// like `../x` is not rejected here: containing it is the engine's job).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  const char *greeting = getenv("GREETING");
  printf("%s\n", greeting != NULL ? greeting : "unset");

  const char *name = getenv("SECRET_NAME");
  char *content = NULL;
  size_t len = 0;
  if (name != NULL && *name != '\0') {
    static const char dir[] = "/var/openfaas/secrets/";
    char *path = malloc(sizeof dir + strlen(name));
    if (path == NULL) return 1;
    strcpy(path, dir);
    strcat(path, name);
    FILE *file = fopen(path, "rb");
    free(path);
    if (file != NULL) {
      size_t cap = 4096;
      content = malloc(cap);
      for (;;) {
        if (content == NULL) return 1;
        len += fread(content + len, 1, cap - len, file);
        if (len < cap) break;
        cap *= 2;
        content = realloc(content, cap);
      }
      if (ferror(file)) {
        free(content);
        content = NULL;
      }
      fclose(file);
    }
  }
  if (content != NULL) {
    fwrite(content, 1, len, stdout);
  } else {
    fputs("no secret", stdout);
  }
  return fflush(stdout) == 0 ? 0 : 1;
}
