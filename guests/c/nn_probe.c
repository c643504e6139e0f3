/* nn_probe: a WASI command that calls every wasi-nn function with bad arguments, to check that a
 * host answers each with an errno and never crashes, hangs or writes where it must not.
 *
 *   nn_probe [GRAPH]      (default add_one; GRAPH must be preloaded: f32 [N] in, f32 [N] out, Y = X + 1)
 *
 * Prints one line per probe, "<probe>: errno <n> (<name>)", in a fixed order, then "probe: ok" or
 * "probe: FAILED (<count>)". Asserted (independent of the host's errno choices):
 *   - every bad call returns a nonzero errno (a wrong input type or rank may instead be accepted by
 *     set_input and then fail in compute: "<probe>: errno 0 (success), then compute: errno <n> (<name>)");
 *   - a tensor record with non-zero padding bytes after the type byte is accepted (errno 0);
 *   - get_output with a too-small buffer fails and leaves the buffer and bytes_written untouched;
 *   - a normal run afterwards gives [2, 3, 4, 5] for [1, 2, 3, 4].
 * Which nonzero errno each probe gets is the host's choice: a host test pins the exact lines.
 * Exit codes: 0 all assertions hold; 1 some failed; a wasi-nn errno if the normal calls fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_nn.h"

static int failures;

static void probe(const char *what, int32_t e, int want_success) {
    int ok = want_success ? e == 0 : e != 0;
    printf("%s: errno %d (%s)%s\n", what, (int)e, nn_errno_name(e), ok ? "" : "  <-- UNEXPECTED");
    if (!ok) failures++;
}

static void must(int32_t e, const char *call) {
    if (e == NN_SUCCESS) return;
    fprintf(stderr, "error: %s: errno %d (%s)\n", call, (int)e, nn_errno_name(e));
    exit(e > 0 && e <= 8 ? e : 9);
}

/* A bad input that a host may reject at set_input or at compute: one of them must fail. */
static void probe_deferred(const char *what, uint32_t ctx, int32_t set_errno) {
    if (set_errno != 0) { probe(what, set_errno, 0); return; }
    int32_t e = nn_compute(ctx);
    int ok = e != 0;
    printf("%s: errno 0 (success), then compute: errno %d (%s)%s\n", what, (int)e, nn_errno_name(e),
           ok ? "" : "  <-- UNEXPECTED");
    if (!ok) failures++;
}

/* The guest address of a pointer, and pointers at given addresses. */
static uint32_t addr(const void *p) { return (uint32_t)(uintptr_t)p; }
#define AT(type, a) ((type)(uintptr_t)(uint32_t)(a))

/* Sets input 0 from a raw 20-byte record. */
static int32_t set_raw(uint32_t ctx, uint32_t dims, uint32_t ndims, uint32_t type_word, uint32_t data,
                       uint32_t len) {
    uint32_t rec[5] = { dims, ndims, type_word, data, len };
    return nn_set_input(ctx, 0, AT(const nn_tensor *, addr(rec)));
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "add_one";
    uint32_t mem_end = (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
    uint32_t graph = 0xDEAD, ctx = 0xDEAD, written = 0xDEAD;
    static float x[4] = { 1, 2, 3, 4 };
    static uint32_t dims[1] = { 4 };

    /* load / load_by_name */
    static const uint8_t junk[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    nn_buffer b = { junk, sizeof junk };
    probe("load encoding 99", nn_load(&b, 1, 99, NN_TARGET_CPU, &graph), 0);
    probe("load target 9", nn_load(&b, 1, NN_ENCODING_ONNX, 9, &graph), 0);
    probe("load garbage bytes", nn_load(&b, 1, NN_ENCODING_ONNX, NN_TARGET_CPU, &graph), 0);
    probe("load builders out of bounds", nn_load(AT(const nn_buffer *, mem_end - 4), 1, NN_ENCODING_ONNX,
                                                 NN_TARGET_CPU, &graph), 0);
    nn_buffer wrap = { AT(const uint8_t *, 0xFFFFFFF0u), 0x20 };
    probe("load builder ptr+len overflows", nn_load(&wrap, 1, NN_ENCODING_ONNX, NN_TARGET_CPU, &graph), 0);
    probe("load_by_name unknown", nn_load_by_name("no-such-graph", 13, &graph), 0);
    probe("load_by_name name out of bounds", nn_load_by_name(AT(const char *, mem_end - 2), 8, &graph), 0);
    probe("load_by_name ptr+len overflows", nn_load_by_name(AT(const char *, 0xFFFFFFFFu), 2, &graph), 0);
    probe("load_by_name graph_out out of bounds", nn_load_by_name(name, (uint32_t)strlen(name),
                                                                  AT(uint32_t *, mem_end - 2)), 0);
    must(nn_load_by_name(name, (uint32_t)strlen(name), &graph), "load_by_name");

    /* init_execution_context */
    probe("init_execution_context bad graph", nn_init_execution_context(graph + 1000, &ctx), 0);
    probe("init_execution_context ctx_out out of bounds", nn_init_execution_context(graph, AT(uint32_t *, mem_end)), 0);
    must(nn_init_execution_context(graph, &ctx), "init_execution_context");

    /* set_input */
    uint32_t xa = addr(x), da = addr(dims);
    probe("set_input bad context", nn_set_input(ctx + 1000, 0, &(nn_tensor){ dims, 1, NN_F32, x, 16 }), 0);
    probe("set_input bad index", nn_set_input(ctx, 7, &(nn_tensor){ dims, 1, NN_F32, x, 16 }), 0);
    probe("set_input record out of bounds", nn_set_input(ctx, 0, AT(const nn_tensor *, mem_end - 8)), 0);
    probe("set_input record ptr overflows", nn_set_input(ctx, 0, AT(const nn_tensor *, 0xFFFFFFFCu)), 0);
    probe("set_input type 6", set_raw(ctx, da, 1, 6, xa, 16), 0);
    probe("set_input type 255", set_raw(ctx, da, 1, 255, xa, 16), 0);
    probe_deferred("set_input type u8 for f32 input", ctx, set_raw(ctx, da, 1, NN_U8, xa, 4));
    probe("set_input dims out of bounds", set_raw(ctx, mem_end - 2, 1, NN_F32, xa, 16), 0);
    probe("set_input dims_len huge", set_raw(ctx, da, 0x40000000u, NN_F32, xa, 16), 0);
    probe("set_input data out of bounds", set_raw(ctx, da, 1, NN_F32, mem_end - 8, 16), 0);
    probe("set_input data ptr+len overflows", set_raw(ctx, da, 1, NN_F32, 0xFFFFFFF8u, 16), 0);
    probe("set_input data_len != dims", set_raw(ctx, da, 1, NN_F32, xa, 12), 0);
    static uint32_t dims2[2] = { 2, 2 };
    probe_deferred("set_input wrong rank", ctx, set_raw(ctx, addr(dims2), 2, NN_F32, xa, 16));
    probe("set_input padding bytes nonzero", set_raw(ctx, da, 1, 0xA5A5A500u | NN_F32, xa, 16), 1);

    /* compute / get_output */
    probe("compute bad context", nn_compute(ctx + 1000), 0);
    must(set_raw(ctx, da, 1, NN_F32, xa, 16), "set_input");
    must(nn_compute(ctx), "compute");
    static float out[8];
    memset(out, 0x7F, sizeof out);
    written = 0xDEAD;
    int32_t e = nn_get_output(ctx, 0, out, 8, &written);
    probe("get_output buffer too small", e, 0);
    int untouched = written == 0xDEAD;
    for (size_t i = 0; i < sizeof out; i++) untouched &= ((unsigned char *)out)[i] == 0x7F;
    printf("get_output buffer too small: buffer and bytes_written untouched: %s\n", untouched ? "yes" : "NO");
    if (!untouched) failures++;
    probe("get_output bad context", nn_get_output(ctx + 1000, 0, out, sizeof out, &written), 0);
    probe("get_output bad index", nn_get_output(ctx, 9, out, sizeof out, &written), 0);
    probe("get_output buffer out of bounds", nn_get_output(ctx, 0, AT(void *, mem_end - 8), 16, &written), 0);
    probe("get_output buffer ptr+len overflows", nn_get_output(ctx, 0, AT(void *, 0xFFFFFFF8u), 16, &written), 0);
    probe("get_output bytes_written out of bounds", nn_get_output(ctx, 0, out, sizeof out, AT(uint32_t *, mem_end - 2)), 0);

    /* a normal run still works */
    must(nn_get_output(ctx, 0, out, sizeof out, &written), "get_output");
    int right = written == 16 && out[0] == 2 && out[1] == 3 && out[2] == 4 && out[3] == 5;
    printf("normal run: %u bytes: %g %g %g %g%s\n", (unsigned)written, (double)out[0], (double)out[1],
           (double)out[2], (double)out[3], right ? "" : "  <-- UNEXPECTED");
    if (!right) failures++;
    if (failures) printf("probe: FAILED (%d)\n", failures); else printf("probe: ok\n");
    return failures ? 1 : 0;
}
