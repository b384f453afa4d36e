// HTTP ABI test guest: echoes the request it was given (CGI/WAGI and OpenFaaS watchdog
// environment, body on stdin) as one JSON object after a `Content-Type: application/json`
// header block. Output (no trailing newline, no spaces):
//   {"method":M,"query":Q,"path":P,"content_type":T,"content_length":L,"body":B,"env":{...}}
// M Q P T L are REQUEST_METHOD QUERY_STRING PATH_INFO CONTENT_TYPE CONTENT_LENGTH as JSON
// strings, or null when unset; B is stdin read to EOF (null if the first read fails). "env"
// holds, sorted by name (byte order), every variable whose name starts with "HTTP_" or
// "Http_", the five CGI names above and every name listed in ECHO_ALSO (comma-separated,
// empty items ignored); a listed name that is unset maps to null. Strings are escaped as
// \" \\ and \u00xx (lower-case hex) for bytes below 0x20; other bytes pass through as is.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void put_escaped(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      putchar('\\');
      putchar(c);
    } else if (c < 0x20) {
      printf("\\u%04x", c);
    } else {
      putchar(c);
    }
  }
}

static void put_string_or_null(const char *s) {
  if (s == NULL) {
    fputs("null", stdout);
    return;
  }
  putchar('"');
  put_escaped(s, strlen(s));
  putchar('"');
}

static void put_field(const char *key, const char *value) {
  printf("\"%s\":", key);
  put_string_or_null(value);
  putchar(',');
}

// The body is streamed: stdin in chunks, escaped as it comes.
static void put_body(void) {
  static char buf[65536];
  fputs("\"body\":", stdout);
  ssize_t n;
  do {
    n = read(0, buf, sizeof buf);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    fputs("null", stdout);
    return;
  }
  putchar('"');
  while (n > 0) {
    put_escaped(buf, (size_t)n);
    do {
      n = read(0, buf, sizeof buf);
    } while (n < 0 && errno == EINTR);
  }
  putchar('"');
}

struct var {
  char *name;
  const char *value;  // NULL: unset
};

static struct var *vars;
static size_t var_count, var_cap;

static struct var *find(const char *name) {
  for (size_t i = 0; i < var_count; i++) {
    if (strcmp(vars[i].name, name) == 0) return &vars[i];
  }
  return NULL;
}

// Adds name once (the first value wins, like getenv).
static void add(const char *name, size_t name_len, const char *value) {
  char *copy = strndup(name, name_len);
  if (copy == NULL) abort();
  if (find(copy) != NULL) {
    free(copy);
    return;
  }
  if (var_count == var_cap) {
    var_cap = var_cap ? var_cap * 2 : 32;
    vars = realloc(vars, var_cap * sizeof *vars);
    if (vars == NULL) abort();
  }
  vars[var_count].name = copy;
  vars[var_count].value = value;
  var_count++;
}

static void add_named(const char *name, size_t name_len) {
  char *copy = strndup(name, name_len);
  if (copy == NULL) abort();
  add(copy, name_len, getenv(copy));
  free(copy);
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct var *)a)->name, ((const struct var *)b)->name);
}

static const char *const CGI[] = {"REQUEST_METHOD", "QUERY_STRING", "PATH_INFO", "CONTENT_TYPE",
                                  "CONTENT_LENGTH"};

int main(void) {
  fputs("Content-Type: application/json\n\n{", stdout);
  put_field("method", getenv("REQUEST_METHOD"));
  put_field("query", getenv("QUERY_STRING"));
  put_field("path", getenv("PATH_INFO"));
  put_field("content_type", getenv("CONTENT_TYPE"));
  put_field("content_length", getenv("CONTENT_LENGTH"));
  put_body();

  for (char **entry = environ; entry != NULL && *entry != NULL; entry++) {
    const char *eq = strchr(*entry, '=');
    if (eq == NULL) continue;
    if (strncmp(*entry, "HTTP_", 5) == 0 || strncmp(*entry, "Http_", 5) == 0) {
      add(*entry, (size_t)(eq - *entry), eq + 1);
    }
  }
  for (size_t i = 0; i < sizeof CGI / sizeof CGI[0]; i++) add_named(CGI[i], strlen(CGI[i]));
  const char *also = getenv("ECHO_ALSO");
  while (also != NULL && *also != '\0') {
    const char *comma = strchr(also, ',');
    size_t len = comma ? (size_t)(comma - also) : strlen(also);
    if (len > 0) add_named(also, len);
    also = comma ? comma + 1 : NULL;
  }
  qsort(vars, var_count, sizeof *vars, by_name);

  fputs(",\"env\":{", stdout);
  for (size_t i = 0; i < var_count; i++) {
    if (i > 0) putchar(',');
    put_string_or_null(vars[i].name);
    putchar(':');
    put_string_or_null(vars[i].value);
  }
  fputs("}}", stdout);
  return fflush(stdout) == 0 ? 0 : 1;
}
