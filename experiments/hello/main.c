/* hello (WASI command): prints "Hello, <name>!" (name from args, default "world"). */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "wasi_io.h"

int main(void) {
    const char *json = wasi_args_json();
    const char *name = "world";
    size_t name_len = 5;
    json_str v;
    if (json && json_find(json, strlen(json), "name", 4, &v) == 1) {
        char *buf = malloc(v.n + 1);
        if (!buf) return 1;
        name = buf;
        name_len = json_decode(v, buf);
    }
    if (write_str(1, "Hello, ") || write_all(1, name, name_len) || write_str(1, "!\n")) return 1;
    return 0;
}
