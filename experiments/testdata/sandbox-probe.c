// A WASI command that reports what the sandbox lets it see, one "key=value" per line.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

static const char *can_open(const char *path) {
  FILE *file = fopen(path, "r");
  if (file == NULL) {
    return "no";
  }
  fclose(file);
  return "yes";
}

static const char *can_list(const char *path) {
  DIR *dir = opendir(path);
  if (dir == NULL) {
    return "no";
  }
  closedir(dir);
  return "yes";
}

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) {
    printf("argv[%d]=%s\n", i, argv[i]);
  }
  int env_count = 0;
  for (char **entry = environ; entry != NULL && *entry != NULL; entry++) {
    printf("env=%s\n", *entry);
    env_count++;
  }
  printf("env_count=%d\n", env_count);
  printf("open_etc_passwd=%s\n", can_open("/etc/passwd"));
  printf("list_root=%s\n", can_list("/"));
  printf("list_cwd=%s\n", can_list("."));
  fprintf(stderr, "probe done\n");
  return 0;
}
