#pragma once
/* Private: row helpers shared by reduce_f32.c, softmax_f32.c and layernorm_f32.c, inlined into
 * each tier's build of their bodies (ck_tiers.h). FP contraction is left on in these files. */
#include <stddef.h>
#include <stdint.h>
#include "ck_tiers.h"

/* Lanes of independent partial sums: lets clang vectorize float sums without reassociation. */
#define CK_LANES 16

CK_INLINE float ck_sum_f32(const float *x, size_t n) {
    float acc[CK_LANES] = {0};
    size_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) acc[j] += x[i + j];
    float s = 0.0f;
    for (int j = 0; j < CK_LANES; j++) s += acc[j];
    for (; i < n; i++) s += x[i];
    return s;
}

/* ck_max_f32 and ck_min_f32: NaN in → NaN out (v != v selects v); -inf (max) or +inf (min) for
 * n == 0. Lanes as in ck_sum_f32, combined in lane order, then the tail. */
#define CK_EXTREMUM_F32(NAME, CMP, EMPTY)                                                          \
    CK_INLINE float NAME(const float *x, size_t n) {                                               \
        float acc[CK_LANES];                                                                       \
        for (int j = 0; j < CK_LANES; j++) acc[j] = EMPTY;                                         \
        size_t i = 0;                                                                              \
        for (; i + CK_LANES <= n; i += CK_LANES)                                                   \
            for (int j = 0; j < CK_LANES; j++) {                                                   \
                float v = x[i + j];                                                                \
                acc[j] = (v CMP acc[j] || v != v) ? v : acc[j];                                    \
            }                                                                                      \
        float m = EMPTY;                                                                           \
        for (int j = 0; j < CK_LANES; j++) m = (acc[j] CMP m || acc[j] != acc[j]) ? acc[j] : m;    \
        for (; i < n; i++) m = (x[i] CMP m || x[i] != x[i]) ? x[i] : m;                            \
        return m;                                                                                  \
    }
CK_EXTREMUM_F32(ck_max_f32, >, -__builtin_inff())
CK_EXTREMUM_F32(ck_min_f32, <, __builtin_inff())

static inline float ck_bits_to_f32(uint32_t b) { union { uint32_t u; float f; } c = { .u = b }; return c.f; }
static inline uint32_t ck_f32_to_bits(float f) { union { float f; uint32_t u; } c = { .f = f }; return c.u; }

/* exp(x) by Cephes' expf polynomial: within 2 ulp for x in [-87.3, 88.3]; clamped outside
 * (so exp(-inf) ≈ 1.2e-38, not 0); NaN stays NaN. Branch-free so loops over it vectorize. */
CK_INLINE float ck_expf(float x) {
    x = x < -87.3f ? -87.3f : x;
    x = x > 88.3f ? 88.3f : x;
    const float magic = 12582912.0f; /* 1.5 · 2^23: adding it rounds to an integer in the low bits */
    float t = x * 1.44269504088896341f + magic;
    int32_t n = (int32_t)(ck_f32_to_bits(t) - ck_f32_to_bits(magic));
    float fn = t - magic;
    float r = x - fn * 0.693359375f;
    r = r - fn * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * r * r + r + 1.0f;
    return y * ck_bits_to_f32(((uint32_t)n + 127u) << 23);
}
