/* Small helpers for the WASI command (ABI 2) builds: raw fd writes, no stdio. */
#ifndef EXP_WASI_IO_H
#define EXP_WASI_IO_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

/*
 * The JSON args are the only argv entry (argv[0]); taking the last entry also copes with
 * runners that prepend a program name. Returns NULL if there are no arguments at all.
 * Read with the WASI args_* calls directly (the programs use `int main(void)`), because
 * wasi-libc's own argv setup exits with code 71 when argc == 0.
 */
static inline const char *wasi_args_json(void) {
    __wasi_size_t argc, size;
    if (__wasi_args_sizes_get(&argc, &size) != 0 || argc == 0) return 0;
    char **argv = malloc(argc * sizeof *argv);
    char *buf = malloc(size);
    if (!argv || !buf || __wasi_args_get((uint8_t **)argv, (uint8_t *)buf) != 0) return 0;
    return argv[argc - 1];
}

static inline int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static inline int write_str(int fd, const char *s) { return write_all(fd, s, strlen(s)); }

#endif
