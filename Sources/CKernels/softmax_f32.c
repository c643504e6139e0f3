/* Float32 softmax and log-softmax along the middle axis of [outer × n × inner] (ck_reduce.h).
 *
 * Contiguous rows (inner == 1) follow ONNX Runtime's MlasComputeSoftmax as dispatched on AVX-512F
 * (onnxruntime/core/mlas/lib/compute.cpp, x86_64/TransKernelAvx512F.S), so that int8 models, which
 * quantize the probabilities again, round the same way: exp(x - max) by the polynomial below
 * (constants: MlasExpConstants in compute.cpp), summed in 16 lanes (element i in lane i mod 16, in
 * element order) and the lanes combined as that kernel does, then every element multiplied by
 * 1 / sum. Every tier computes exactly this (explicit fused multiply-adds), so tiers agree bit for
 * bit. Strided blocks (inner > 1) use the same exp with sums in row order. */
#include <math.h>
#include "include/ck_reduce.h"
#include "reduce_math.h"

#pragma clang fp contract(off)

/* exp(v) for v <= 0 (x - max), the AVX-512F sum-exp kernel's arithmetic: clamp below at
 * -103.972084 (NaN passes), m = round(v·log2 e) by the 1.5·2^23 bias, v -= m·ln2 in two fused
 * steps, a degree-6 polynomial by fused multiply-adds, then p·2^m as vscalefps rounds it (two
 * exact-or-once-rounded scalings, so results below 2^-126 round once, like vscalefps). */
CK_INLINE float ck_softmax_exp(float v) {
    const float lower = -103.9720840454f, bias = 12582912.0f;
    v = lower > v ? lower : v;
    float biased = __builtin_fmaf(v, 1.44269504088896341f, bias);
    float m = biased - bias;
    v = __builtin_fmaf(m, -6.93145752e-1f, v);
    v = __builtin_fmaf(m, -1.42860677e-6f, v);
    float p = __builtin_fmaf(0x1.694000p-10f, v, 0x1.125edcp-7f);
    p = __builtin_fmaf(p, v, 0x1.555b5ap-5f);
    p = __builtin_fmaf(p, v, 0x1.555450p-3f);
    p = __builtin_fmaf(p, v, 0x1.fffff6p-2f);
    p = __builtin_fmaf(p, v, 1.0f);
    p = __builtin_fmaf(p, v, 1.0f);
    /* m is an integer in [-150, 0] for v <= 0 (read from biased's low bits, defined for NaN too);
     * split so that both powers of two are normal floats. */
    int32_t e = (int32_t)(ck_f32_to_bits(biased) - ck_f32_to_bits(bias)), e1 = e / 2, e2 = e - e1;
    p = p * ck_bits_to_f32((uint32_t)(e1 + 127) << 23);
    return p * ck_bits_to_f32((uint32_t)(e2 + 127) << 23);
}

/* Σ exp(x[i] + neg_max), also stored to y when y != NULL, in the AVX-512F kernel's order: 16 lane
 * sums, then lanes j and j + 8 added, then pairs (0+1)+(2+3) and (4+5)+(6+7), then the two. */
CK_INLINE float ck_softmax_sum_exp(const float *x, float *y, size_t n, float neg_max) {
    float acc[16] = {0};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int j = 0; j < 16; j++) {
            float e = ck_softmax_exp(x[i + (size_t)j] + neg_max);
            if (y) y[i + (size_t)j] = e;
            acc[j] += e;
        }
    }
    for (int j = 0; i + (size_t)j < n; j++) {
        float e = ck_softmax_exp(x[i + (size_t)j] + neg_max);
        if (y) y[i + (size_t)j] = e;
        acc[j] += e;
    }
    float s8[8];
    for (int j = 0; j < 8; j++) s8[j] = acc[j + 8] + acc[j];
    float lo = (s8[0] + s8[1]) + (s8[2] + s8[3]);
    float hi = (s8[4] + s8[5]) + (s8[6] + s8[7]);
    return lo + hi;
}

/* One contiguous row of n: y = exp(x - m) · (1 / Σ). */
CK_INLINE void softmax_row(const float *x, float *y, size_t n) {
    float neg = -ck_max_f32(x, n);
    float scale = 1.0f / ck_softmax_sum_exp(x, y, n, neg);
    for (size_t i = 0; i < n; i++) y[i] *= scale;
}

/* y = (x - m) - log Σ exp(x - m). */
CK_INLINE void log_softmax_row(const float *x, float *y, size_t n) {
    float neg = -ck_max_f32(x, n);
    float lse = logf(ck_softmax_sum_exp(x, NULL, n, neg));
    for (size_t i = 0; i < n; i++) y[i] = (x[i] + neg) - lse;
}

/* One block [n × inner] reduced along n; mx and sm hold inner floats each. */
CK_INLINE void softmax_block(const float *x, float *y, size_t n, size_t inner, float *restrict mx,
                             float *restrict sm, int logarithm) {
    for (size_t j = 0; j < inner; j++) { mx[j] = -__builtin_inff(); sm[j] = 0.0f; }
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * inner;
        for (size_t j = 0; j < inner; j++) mx[j] = (row[j] > mx[j] || row[j] != row[j]) ? row[j] : mx[j];
    }
    for (size_t j = 0; j < inner; j++) mx[j] = -mx[j];
    if (logarithm) {
        for (size_t r = 0; r < n; r++) {
            const float *row = x + r * inner;
            for (size_t j = 0; j < inner; j++) sm[j] += ck_softmax_exp(row[j] + mx[j]);
        }
        for (size_t j = 0; j < inner; j++) sm[j] = logf(sm[j]);
        for (size_t r = 0; r < n; r++) {
            const float *row = x + r * inner;
            float *out = y + r * inner;
            for (size_t j = 0; j < inner; j++) out[j] = (row[j] + mx[j]) - sm[j];
        }
    } else {
        for (size_t r = 0; r < n; r++) {
            const float *row = x + r * inner;
            float *out = y + r * inner;
            for (size_t j = 0; j < inner; j++) {
                float e = ck_softmax_exp(row[j] + mx[j]);
                out[j] = e;
                sm[j] += e;
            }
        }
        for (size_t j = 0; j < inner; j++) sm[j] = 1.0f / sm[j];
        for (size_t r = 0; r < n; r++) {
            float *out = y + r * inner;
            for (size_t j = 0; j < inner; j++) out[j] *= sm[j];
        }
    }
}
CK_INLINE void softmax_body(const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch,
                            int logarithm) {
    if (inner == 1) {
        for (size_t o = 0; o < outer; o++) {
            if (logarithm) log_softmax_row(x + o * n, y + o * n, n);
            else softmax_row(x + o * n, y + o * n, n);
        }
        return;
    }
    for (size_t o = 0; o < outer; o++)
        softmax_block(x + o * n * inner, y + o * n * inner, n, inner, scratch, scratch + inner, logarithm);
}

#define SOFTMAX_PARAMS (const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch, int lg)
#define SOFTMAX_ARGS (x, y, outer, n, inner, scratch, lg)
CK_TIERED(softmax, SOFTMAX_PARAMS, SOFTMAX_ARGS, softmax_body)

void ck_softmax_f32(CKTier tier, const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch) {
    int lg = 0;
    CK_DISPATCH(softmax, tier, SOFTMAX_ARGS)
}

void ck_log_softmax_f32(CKTier tier, const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch) {
    int lg = 1;
    CK_DISPATCH(softmax, tier, SOFTMAX_ARGS)
}
