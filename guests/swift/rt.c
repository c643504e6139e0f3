/* rt.c: the runtime pieces an Embedded Swift guest needs when linked without libc: a bump
 * allocator over __heap_base (free is a no-op; the reactor's calls are short-lived), mem*
 * functions, and putchar, line-buffered to stdout through WASI fd_write. */
#include <stddef.h>
#include <stdint.h>

extern unsigned char __heap_base;
static uintptr_t heap_top;

int posix_memalign(void **out, size_t align, size_t size) {
    if (!heap_top) heap_top = (uintptr_t)&__heap_base;
    if (align < 8) align = 8;
    uintptr_t p = (heap_top + align - 1) & ~(uintptr_t)(align - 1);
    if (p + size < p) return 12;
    uintptr_t end = p + size, limit = __builtin_wasm_memory_size(0) * 65536u;
    if (end > limit) {
        size_t pages = (end - limit + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 12;
    }
    heap_top = end;
    *out = (void *)p;
    return 0;
}
void free(void *p) { (void)p; }

void *memcpy(void *d, const void *s, size_t n) {
    unsigned char *dd = d; const unsigned char *ss = s;
    while (n--) *dd++ = *ss++;
    return d;
}
void *memmove(void *d, const void *s, size_t n) {
    unsigned char *dd = d; const unsigned char *ss = s;
    if (dd < ss) while (n--) *dd++ = *ss++;
    else while (n--) dd[n] = ss[n];
    return d;
}
void *memset(void *d, int c, size_t n) {
    unsigned char *dd = d;
    while (n--) *dd++ = (unsigned char)c;
    return d;
}
int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
    return 0;
}

typedef struct { const void *buf; size_t len; } ciovec;
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t wasi_fd_write(int32_t fd, const ciovec *iovs, size_t count, size_t *written);

static char line[256];
static size_t line_len;

static void flush(void) {
    size_t off = 0;
    while (off < line_len) {
        ciovec v = { line + off, line_len - off };
        size_t w = 0;
        if (wasi_fd_write(1, &v, 1, &w) != 0 || w == 0) break;
        off += w;
    }
    line_len = 0;
}
int putchar(int c) {
    line[line_len++] = (char)c;
    if (c == '\n' || line_len == sizeof line) flush();
    return c;
}
