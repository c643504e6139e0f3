/* shortlist: the expensive step of shortlisted translation, as an in-browser translator does it,
 * with the 8-bit matrix product sent through wasi-nn.
 *
 *   shortlist [--i8] [run [M K V N SEED]]      (defaults 8 256 4096 256 1)
 *   shortlist [--i8] bench [M K N ITERS TINY]  (defaults 64 512 2048 3 1000)
 *
 * The logic stays in WebAssembly: the guest makes a deterministic toy decoder state from SEED
 * (hidden states f32 [M,K], an int8 output projection W [V,K] with per-token scales and biases, a
 * shortlist of N distinct token ids out of V), quantizes the hidden states per row to uint8
 * (zero point 128), gathers the shortlisted rows of W into B [K,N] as uint8 w + 128 (wasi-nn has no
 * int8 tensor type), and sends A [M,K] . B [K,N] through wasi-nn to the graph preloaded as "mmi"
 * (testdata/wasm/matmul_integer.onnx: one MatMulInteger node with both zero points 128, int32 out).
 * It checks the int32 product against its own plain-wasm int8 GEMM (exact equality), dequantizes,
 * and prints the argmax token of each row. With --i8 it sends B as int8 w instead, tensor type
 * i8 = 129 (an onnxrun extension; the spec has no int8 type), to the graph preloaded as "mmi_s8"
 * (testdata/wasm/matmul_integer_s8.onnx: A uint8 with zero point 128, B int8 without one); the
 * printed rows and checksum are the same as without --i8. All values printed are computed in the guest, so the
 * output does not depend on the host.
 *
 * bench times the same GEMM (random A and B) computed in plain WebAssembly and through wasi-nn
 * (set_input A, set_input B, compute, get_output), checks both agree, and times TINY calls of a
 * 1x1x1 product (compute alone, and the full set_input/compute/get_output round trip).
 *
 * Exit codes: 0 success; 1 the wasi-nn product differs from the wasm GEMM; on a wasi-nn error the
 * errno (1..8; other values 9) after "error: <call>: errno <n> (<name>)" on stderr; 64 bad usage;
 * 65 out of memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasi_nn.h"

/* The graph and B's encoding: "mmi" with B as uint8 w + 128 (spec types only), or with --i8
 * "mmi_s8" with B as int8 w, sent with onnxrun's extension tensor type i8 = 129. */
static const char *GRAPH = "mmi";
static int b_signed;
enum { NN_I8_ONNXRUN = 129 };

static void check(int32_t e, const char *call) {
    if (e == NN_SUCCESS) return;
    fprintf(stderr, "error: %s: errno %d (%s)\n", call, (int)e, nn_errno_name(e));
    exit(e > 0 && e <= 8 ? e : 9);
}

static void usage(const char *why) {
    fprintf(stderr, "error: %s\nusage: shortlist [--i8] [run [M K V N SEED]] | [--i8] bench [M K N ITERS TINY]\n", why);
    exit(64);
}

static void *alloc(size_t count, size_t size) {
    if (size && count > (size_t)0x7FFFFFFF / size) { fprintf(stderr, "error: sizes too large\n"); exit(65); }
    void *p = calloc(count ? count : 1, size);
    if (!p) { fprintf(stderr, "error: out of memory\n"); exit(65); }
    return p;
}

static uint32_t arg(int argc, char **argv, int i, uint32_t fallback, uint32_t lo, uint32_t hi) {
    if (i >= argc) return fallback;
    char *end;
    unsigned long v = strtoul(argv[i], &end, 10);
    if (end == argv[i] || *end || v < lo || v > hi) usage("bad number");
    return (uint32_t)v;
}

/* xorshift32: the deterministic toy data. */
static uint32_t rng_state;
static uint32_t rng(void) {
    uint32_t x = rng_state;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return rng_state = x;
}
static float rng_unit(void) { return (float)(rng() >> 8) * (2.0f / 16777216.0f) - 1.0f; } /* [-1, 1) */

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

/* C [M,N] = (A - 128) . W, A uint8 [M,K], W int8 [K,N] stored in b as int8 (b_signed) or as
 * uint8 w + 128 (w == (int8_t)(b ^ 0x80)). */
static void wasm_gemm(uint32_t m, uint32_t k, uint32_t n, const uint8_t *a, const uint8_t *b, int32_t *c) {
    if (b_signed) {
        for (uint32_t i = 0; i < m; i++) {
            int32_t *row = c + (size_t)i * n;
            memset(row, 0, n * sizeof(int32_t));
            for (uint32_t p = 0; p < k; p++) {
                int32_t av = (int32_t)a[(size_t)i * k + p] - 128;
                const int8_t *brow = (const int8_t *)b + (size_t)p * n;
                for (uint32_t j = 0; j < n; j++) row[j] += av * (int32_t)brow[j];
            }
        }
        return;
    }
    for (uint32_t i = 0; i < m; i++) {
        int32_t *row = c + (size_t)i * n;
        memset(row, 0, n * sizeof(int32_t));
        for (uint32_t p = 0; p < k; p++) {
            int32_t av = (int32_t)a[(size_t)i * k + p] - 128;
            const uint8_t *brow = b + (size_t)p * n;
            for (uint32_t j = 0; j < n; j++) row[j] += av * (int32_t)(int8_t)(brow[j] ^ 0x80);
        }
    }
}

/* One wasi-nn product through an initialized context; c must hold m*n int32. */
static void nn_gemm(uint32_t ctx, uint32_t m, uint32_t k, uint32_t n, const uint8_t *a, const uint8_t *b,
                    int32_t *c) {
    uint32_t adims[2] = { m, k }, bdims[2] = { k, n };
    nn_tensor ta = { adims, 2, NN_U8, a, m * k };
    nn_tensor tb = { bdims, 2, b_signed ? NN_I8_ONNXRUN : NN_U8, b, k * n };
    check(nn_set_input(ctx, 0, &ta), "set_input A");
    check(nn_set_input(ctx, 1, &tb), "set_input B");
    check(nn_compute(ctx), "compute");
    uint32_t written = 0;
    check(nn_get_output(ctx, 0, c, m * n * (uint32_t)sizeof(int32_t), &written), "get_output");
    if (written != m * n * sizeof(int32_t)) {
        fprintf(stderr, "error: get_output wrote %u bytes, expected %u\n", (unsigned)written,
                (unsigned)(m * n * sizeof(int32_t)));
        exit(1);
    }
}

static uint32_t open_context(void) {
    uint32_t graph, ctx;
    check(nn_load_by_name(GRAPH, (uint32_t)strlen(GRAPH), &graph), "load_by_name");
    check(nn_init_execution_context(graph, &ctx), "init_execution_context");
    return ctx;
}

/* Returns 0 when equal, else prints the first difference and returns 1. */
static int compare(const char *what, uint32_t m, uint32_t n, const int32_t *nn, const int32_t *ref) {
    for (uint32_t i = 0; i < m; i++)
        for (uint32_t j = 0; j < n; j++)
            if (nn[(size_t)i * n + j] != ref[(size_t)i * n + j]) {
                printf("check: MISMATCH (%s) at row %u col %u: wasi-nn %d, wasm %d\n", what, (unsigned)i,
                       (unsigned)j, (int)nn[(size_t)i * n + j], (int)ref[(size_t)i * n + j]);
                return 1;
            }
    return 0;
}

static int run(uint32_t M, uint32_t K, uint32_t V, uint32_t N, uint32_t seed) {
    if (N > V) usage("N must be <= V");
    rng_state = seed * 2654435761u + 1u;
    float *hidden = alloc((size_t)M * K, sizeof(float));
    int8_t *w = alloc((size_t)V * K, 1);
    float *w_scale = alloc(V, sizeof(float)), *bias = alloc(V, sizeof(float));
    uint32_t *ids = alloc(V, sizeof(uint32_t));
    for (size_t i = 0; i < (size_t)M * K; i++) hidden[i] = rng_unit();
    for (size_t i = 0; i < (size_t)V * K; i++) w[i] = (int8_t)((int32_t)(rng() % 255u) - 127);
    for (uint32_t v = 0; v < V; v++) { w_scale[v] = 0.001f * (1.0f + (float)(rng() % 16u)); bias[v] = 0.1f * rng_unit(); }
    /* shortlist: N distinct ids (partial Fisher-Yates), ascending as shortlists are */
    for (uint32_t v = 0; v < V; v++) ids[v] = v;
    for (uint32_t j = 0; j < N; j++) {
        uint32_t r = j + rng() % (V - j), t = ids[j];
        ids[j] = ids[r]; ids[r] = t;
    }
    for (uint32_t j = 1; j < N; j++) {
        uint32_t x = ids[j], i = j;
        while (i > 0 && ids[i - 1] > x) { ids[i] = ids[i - 1]; i--; }
        ids[i] = x;
    }

    /* quantize each hidden row: a = round(x / s) + 128, s = max|x| / 127 */
    uint8_t *a = alloc((size_t)M * K, 1);
    float *a_scale = alloc(M, sizeof(float));
    for (uint32_t i = 0; i < M; i++) {
        float mx = 0;
        for (uint32_t p = 0; p < K; p++) mx = fmaxf(mx, fabsf(hidden[(size_t)i * K + p]));
        float s = mx > 0 ? mx / 127.0f : 1.0f;
        a_scale[i] = s;
        for (uint32_t p = 0; p < K; p++) {
            float q = nearbyintf(hidden[(size_t)i * K + p] / s);
            a[(size_t)i * K + p] = (uint8_t)((int32_t)fminf(fmaxf(q, -127.0f), 127.0f) + 128);
        }
    }
    /* gather the shortlisted rows of W, transposed: B[p][j] = W[ids[j]][p] + 128 */
    uint8_t *b = alloc((size_t)K * N, 1);
    for (uint32_t j = 0; j < N; j++) {
        const int8_t *row = w + (size_t)ids[j] * K;
        for (uint32_t p = 0; p < K; p++) b[(size_t)p * N + j] = (uint8_t)row[p] ^ (b_signed ? 0 : 0x80);
    }

    int32_t *c = alloc((size_t)M * N, sizeof(int32_t)), *ref = alloc((size_t)M * N, sizeof(int32_t));
    nn_gemm(open_context(), M, K, N, a, b, c);
    wasm_gemm(M, K, N, a, b, ref);

    printf("shortlist: M=%u K=%u V=%u N=%u seed=%u graph=%s\n", (unsigned)M, (unsigned)K, (unsigned)V,
           (unsigned)N, (unsigned)seed, GRAPH);
    int bad = compare("run", M, N, c, ref);
    int64_t checksum = 0;
    for (size_t i = 0; i < (size_t)M * N; i++) checksum += (int64_t)c[i] * (int64_t)(i % 7 + 1);
    for (uint32_t i = 0; i < M; i++) {
        uint32_t best = 0;
        float best_logit = -INFINITY;
        for (uint32_t j = 0; j < N; j++) {
            uint32_t t = ids[j];
            float logit = (float)c[(size_t)i * N + j] * a_scale[i] * w_scale[t] + bias[t];
            if (logit > best_logit) { best_logit = logit; best = j; }
        }
        printf("row %u: token %u (shortlist slot %u) logit %.4f\n", (unsigned)i, (unsigned)ids[best], (unsigned)best,
               (double)best_logit);
    }
    if (bad) return 1;
    printf("check: wasi-nn MatMulInteger == wasm int8 GEMM (%u int32 values, checksum %lld)\n", (unsigned)(M * N),
           (long long)checksum);
    return 0;
}

static int bench(uint32_t M, uint32_t K, uint32_t N, uint32_t iters, uint32_t tiny) {
    rng_state = 12345u;
    uint8_t *a = alloc((size_t)M * K, 1), *b = alloc((size_t)K * N, 1);
    for (size_t i = 0; i < (size_t)M * K; i++) a[i] = (uint8_t)rng();
    for (size_t i = 0; i < (size_t)K * N; i++) b[i] = (uint8_t)rng() ^ (b_signed ? 0x80 : 0); /* the same W either way */
    int32_t *c = alloc((size_t)M * N, sizeof(int32_t)), *ref = alloc((size_t)M * N, sizeof(int32_t));
    double macs = (double)M * K * N;
    printf("bench: M=%u K=%u N=%u iters=%u tiny=%u graph=%s\n", (unsigned)M, (unsigned)K, (unsigned)N,
           (unsigned)iters, (unsigned)tiny, GRAPH);

    double t0 = now_ms();
    uint32_t ctx = open_context();
    nn_gemm(ctx, M, K, N, a, b, c); /* first call: plan building, warm-up */
    double first = now_ms() - t0;
    t0 = now_ms();
    for (uint32_t i = 0; i < iters; i++) nn_gemm(ctx, M, K, N, a, b, c);
    double nn = (now_ms() - t0) / iters;
    t0 = now_ms();
    for (uint32_t i = 0; i < iters; i++) wasm_gemm(M, K, N, a, b, ref);
    double wasm = (now_ms() - t0) / iters;
    if (compare("bench", M, N, c, ref)) return 1;

    printf("wasm    gemm: %10.3f ms/iter  %8.3f GMAC/s\n", wasm, macs / wasm * 1e-6);
    printf("wasi-nn gemm: %10.3f ms/iter  %8.3f GMAC/s  (set_input x2 + compute + get_output; first call %.3f ms)\n",
           nn, macs / nn * 1e-6, first);
    printf("ratio wasm/wasi-nn: %.3g\n", wasm / nn);

    if (tiny > 0) {
        uint8_t ta = 200, tb = (uint8_t)(b_signed ? 3 ^ 0x80 : 3); /* w = -125 either way */
        int32_t tc = 0;
        uint32_t tctx = open_context();
        nn_gemm(tctx, 1, 1, 1, &ta, &tb, &tc);
        if (tc != (200 - 128) * (3 - 128)) { printf("check: MISMATCH (tiny): %d\n", (int)tc); return 1; }
        t0 = now_ms();
        for (uint32_t i = 0; i < tiny; i++) check(nn_compute(tctx), "compute");
        double compute_us = (now_ms() - t0) * 1e3 / tiny;
        t0 = now_ms();
        for (uint32_t i = 0; i < tiny; i++) nn_gemm(tctx, 1, 1, 1, &ta, &tb, &tc);
        double round_us = (now_ms() - t0) * 1e3 / tiny;
        printf("wasi-nn tiny 1x1x1 compute: %.2f us/call; set_input x2 + compute + get_output: %.2f us/call\n",
               compute_us, round_us);
    }
    printf("check: wasi-nn MatMulInteger == wasm int8 GEMM (%u int32 values)\n", (unsigned)(M * N));
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--i8") == 0) {
        GRAPH = "mmi_s8";
        b_signed = 1;
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    const char *mode = argc > 1 ? argv[1] : "run";
    if (strcmp(mode, "run") == 0)
        return run(arg(argc, argv, 2, 8, 1, 4096), arg(argc, argv, 3, 256, 1, 65536), arg(argc, argv, 4, 4096, 1, 1u << 20),
                   arg(argc, argv, 5, 256, 1, 1u << 20), arg(argc, argv, 6, 1, 0, 0xFFFFFFFFu));
    if (strcmp(mode, "bench") == 0)
        return bench(arg(argc, argv, 2, 64, 1, 4096), arg(argc, argv, 3, 512, 1, 65536), arg(argc, argv, 4, 2048, 1, 65536),
                     arg(argc, argv, 5, 3, 1, 1000000), arg(argc, argv, 6, 1000, 0, 100000000));
    usage("unknown mode");
    return 64;
}
