// A WASI command (ABI 2) that reports what it can see of its OpenFaaS secrets, one fact a line:
//   secret <name>=<content>   or   no secret <name>     fopen("/var/openfaas/secrets/<name>", "r")
//   listing: then the names in /var/openfaas/secrets, sorted, one a line ("." and ".." left out),
//            or "listing: none" when opendir fails
//   write: refused | allowed                             fopen(that same path, "w")
//   host: no | yes                                       fopen("/etc/passwd", "r")
// argv[0] is the JSON args {"name":"<secret name>"}; the name is used as is (a name like "../x"
// is not rejected here: containing it is the engine's job). Without a string "name": stderr, exit 1.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRETS "/var/openfaas/secrets"

// The string value of "name" in a flat JSON object (escapes \" \\ \/ \n \t handled), or NULL.
static char *json_name(const char *json) {
  const char *p = strstr(json, "\"name\"");
  if (p == NULL) return NULL;
  p += 6;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  if (*p++ != ':') return NULL;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  if (*p++ != '"') return NULL;
  char *out = malloc(strlen(p) + 1);
  if (out == NULL) return NULL;
  size_t n = 0;
  for (; *p != '"'; p++) {
    if (*p == '\0') {
      free(out);
      return NULL;
    }
    if (*p == '\\') {
      p++;
      switch (*p) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case '"': case '\\': case '/': out[n++] = *p; break;
        default: free(out); return NULL;
      }
    } else {
      out[n++] = *p;
    }
  }
  out[n] = '\0';
  return out;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_secrets(void) {
  DIR *dir = opendir(SECRETS);
  if (dir == NULL) {
    printf("listing: none\n");
    return;
  }
  char **names = NULL;
  size_t count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    names = realloc(names, (count + 1) * sizeof *names);
    if (names == NULL || (names[count] = strdup(entry->d_name)) == NULL) exit(2);
    count++;
  }
  closedir(dir);
  qsort(names, count, sizeof *names, by_name);
  printf("listing:\n");
  for (size_t i = 0; i < count; i++) {
    printf("%s\n", names[i]);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  char *name = argc > 0 ? json_name(argv[0]) : NULL;
  if (name == NULL) {
    fprintf(stderr, "secret-reader: args must be {\"name\":\"<secret name>\"}\n");
    return 1;
  }
  char *path = malloc(sizeof SECRETS "/" + strlen(name));
  if (path == NULL) return 2;
  strcpy(path, SECRETS "/");
  strcat(path, name);

  FILE *file = fopen(path, "r");
  if (file != NULL) {
    size_t cap = 256, len = 0;
    char *content = malloc(cap);
    for (;;) {
      if (content == NULL) return 2;
      len += fread(content + len, 1, cap - len, file);
      if (len < cap) break;
      cap *= 2;
      content = realloc(content, cap);
    }
    int failed = ferror(file);
    fclose(file);
    if (failed) {
      printf("no secret %s\n", name);
    } else {
      printf("secret %s=%.*s\n", name, (int)len, content);
    }
    free(content);
  } else {
    printf("no secret %s\n", name);
  }

  list_secrets();

  FILE *out = fopen(path, "w");
  printf("write: %s\n", out == NULL ? "refused" : "allowed");
  if (out != NULL) fclose(out);

  FILE *host = fopen("/etc/passwd", "r");
  printf("host: %s\n", host == NULL ? "no" : "yes");
  if (host != NULL) fclose(host);

  free(path);
  free(name);
  return fflush(stdout) == 0 ? 0 : 1;
}
