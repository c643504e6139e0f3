/* nn_run: a WASI command that runs one ONNX graph through wasi-nn.
 *
 *   nn_run GRAPH [--dims D0,D1,...] [--outputs K] [V0 V1 ...]
 *   nn_run --file PATH [same options]       (reads PATH through a preopened dir and calls load)
 *
 * Loads GRAPH by name (load_by_name; the host preloads it), sets input 0 to an f32 tensor holding
 * the values V (default 1 2 3 4) with shape --dims (default [count]), computes, and prints outputs
 * 0..K-1 (default K = 1), read as f32, one line each:
 *   output 0: 4 x f32: 2 3 4 5
 * Exit codes: 0 success; on a wasi-nn error the errno (1..8; other values 9), after printing
 * "error: <call>: errno <n> (<name>)" to stderr; 64 bad usage; 66 unreadable --file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

enum { MAX_VALUES = 4096, MAX_DIMS = 8, OUT_BYTES = 1 << 20 };

static float values[MAX_VALUES];
static float out[OUT_BYTES / sizeof(float)];

static void check(int32_t e, const char *call) {
    if (e == NN_SUCCESS) return;
    fprintf(stderr, "error: %s: errno %d (%s)\n", call, (int)e, nn_errno_name(e));
    exit(e > 0 && e <= 8 ? e : 9);
}

static void usage(const char *why) {
    fprintf(stderr, "error: %s\nusage: nn_run GRAPH|--file PATH [--dims D0,D1,...] [--outputs K] [V0 V1 ...]\n", why);
    exit(64);
}

static uint8_t *read_file(const char *path, uint32_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "error: cannot open %s\n", path); exit(66); }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) { cap *= 2; buf = realloc(buf, cap); }
    }
    fclose(f);
    if (!buf) { fprintf(stderr, "error: out of memory reading %s\n", path); exit(66); }
    *len = (uint32_t)n;
    return buf;
}

int main(int argc, char **argv) {
    const char *name = NULL, *file = NULL;
    uint32_t dims[MAX_DIMS], ndims = 0, count = 0, outputs = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--file") == 0) {
            if (++i >= argc) usage("--file needs a path");
            file = argv[i];
        } else if (strcmp(a, "--dims") == 0) {
            if (++i >= argc) usage("--dims needs a list");
            char *p = argv[i];
            while (*p) {
                if (ndims == MAX_DIMS) usage("too many dims");
                char *end;
                unsigned long d = strtoul(p, &end, 10);
                if (end == p || d > 0xFFFFFFFFul) usage("bad --dims");
                dims[ndims++] = (uint32_t)d;
                p = *end == ',' ? end + 1 : end;
                if (*end && *end != ',') usage("bad --dims");
            }
        } else if (strcmp(a, "--outputs") == 0) {
            if (++i >= argc) usage("--outputs needs a count");
            outputs = (uint32_t)strtoul(argv[i], NULL, 10);
        } else if (!name && !file) {
            name = a;
        } else {
            char *end;
            float v = strtof(a, &end);
            if (end == a || *end) usage("bad input value");
            if (count == MAX_VALUES) usage("too many input values");
            values[count++] = v;
        }
    }
    if (file && name) usage("give GRAPH or --file, not both");
    if (!name && !file) usage("missing graph name");
    if (count == 0) { for (count = 0; count < 4; count++) values[count] = (float)(count + 1); }
    if (ndims == 0) { dims[0] = count; ndims = 1; }

    uint32_t graph, ctx;
    if (file) {
        nn_buffer builder;
        builder.data = read_file(file, &builder.len);
        check(nn_load(&builder, 1, NN_ENCODING_ONNX, NN_TARGET_CPU, &graph), "load");
    } else {
        check(nn_load_by_name(name, (uint32_t)strlen(name), &graph), "load_by_name");
    }
    check(nn_init_execution_context(graph, &ctx), "init_execution_context");
    nn_tensor t = { dims, ndims, NN_F32, values, count * (uint32_t)sizeof(float) };
    check(nn_set_input(ctx, 0, &t), "set_input");
    check(nn_compute(ctx), "compute");
    for (uint32_t o = 0; o < outputs; o++) {
        uint32_t written = 0;
        check(nn_get_output(ctx, o, out, sizeof out, &written), "get_output");
        uint32_t n = written / (uint32_t)sizeof(float);
        printf("output %u: %u x f32:", (unsigned)o, (unsigned)n);
        for (uint32_t i = 0; i < n; i++) printf(" %g", (double)out[i]);
        printf("\n");
    }
    return 0;
}
