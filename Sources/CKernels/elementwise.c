#include "ck_elementwise.h"
#include <math.h>
#include <string.h>

/* Plain loops that clang vectorizes, instantiated once per tier: the unsuffixed function for the
 * baseline ISA (the scalar reference), `__avx2` and `__avx512` with per-function target attributes.
 * Floating-point contraction is off, so every tier computes the same operations and the tiers
 * agree bit for bit. `y` may alias an input exactly, so pointers are not restrict-qualified; each
 * iteration reads before it writes the same index. */
#pragma clang fp contract(off)

#define CK_AVX2 __attribute__((target("avx2")))
#define CK_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2")))
#define CK_BODY static inline __attribute__((always_inline))

#define CK_TIERS_BINARY(name)                                                                              \
    void ck_f32_##name(const float *a, const float *b, float *y, size_t n) { name##_body(a, b, y, n); }    \
    CK_AVX2 void ck_f32_##name##__avx2(const float *a, const float *b, float *y, size_t n) {             \
        name##_body(a, b, y, n);                                                                           \
    }                                                                                                      \
    CK_AVX512 void ck_f32_##name##__avx512(const float *a, const float *b, float *y, size_t n) {         \
        name##_body(a, b, y, n);                                                                           \
    }

#define CK_TIERS_CONST(name)                                                                               \
    void ck_f32_##name(const float *a, float c, float *y, size_t n) { name##_body(a, c, y, n); }           \
    CK_AVX2 void ck_f32_##name##__avx2(const float *a, float c, float *y, size_t n) {                    \
        name##_body(a, c, y, n);                                                                           \
    }                                                                                                      \
    CK_AVX512 void ck_f32_##name##__avx512(const float *a, float c, float *y, size_t n) {                \
        name##_body(a, c, y, n);                                                                           \
    }

#define CK_TIERS_UNARY(name)                                                                               \
    void ck_f32_##name(const float *x, float *y, size_t n) { name##_body(x, y, n); }                       \
    CK_AVX2 void ck_f32_##name##__avx2(const float *x, float *y, size_t n) { name##_body(x, y, n); }      \
    CK_AVX512 void ck_f32_##name##__avx512(const float *x, float *y, size_t n) { name##_body(x, y, n); }

#define CK_BINARY(name, expr)                                                                              \
    CK_BODY void v##name##_body(const float *a, const float *b, float *y, size_t n) {                      \
        for (size_t i = 0; i < n; i++) { float p = a[i], q = b[i]; y[i] = (expr); }                        \
    }                                                                                                      \
    CK_BODY void v##name##c_body(const float *a, float c, float *y, size_t n) {                            \
        for (size_t i = 0; i < n; i++) { float p = a[i], q = c; y[i] = (expr); }                           \
    }                                                                                                      \
    CK_TIERS_BINARY(v##name)                                                                               \
    CK_TIERS_CONST(v##name##c)

CK_BINARY(add, p + q)
CK_BINARY(sub, p - q)
CK_BINARY(mul, p * q)
CK_BINARY(div, p / q)

CK_BODY void vrsubc_body(const float *a, float c, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = c - a[i];
}
CK_TIERS_CONST(vrsubc)

CK_BODY void vrdivc_body(const float *a, float c, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = c / a[i];
}
CK_TIERS_CONST(vrdivc)

CK_BODY void sqrt_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = __builtin_elementwise_sqrt(x[i]);
}
CK_TIERS_UNARY(sqrt)

CK_BODY void reciprocal_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = 1.0f / x[i];
}
CK_TIERS_UNARY(reciprocal)

CK_BODY void relu_body(const float *x, float *y, size_t n) {
    /* NaN compares false and passes through unchanged. */
    for (size_t i = 0; i < n; i++) { float v = x[i]; y[i] = v < 0.0f ? 0.0f : v; }
}
CK_TIERS_UNARY(relu)

static inline uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* exp(x): Cephes expf polynomial with Cody-Waite reduction; relative error about 2 ulp where the
 * result is a normal float. +inf above 88.72283 (where float overflows); 0 below -104 (true
 * underflow is at -103.97); subnormal results in between carry up to one extra rounding. NaN gives
 * NaN. Branch-free so that loops calling it vectorize. */
CK_BODY float ck_expf(float x) {
    float in = x;
    x = x > 88.72283f ? 88.72283f : x;
    x = x < -104.0f ? -104.0f : x;
    /* n = round(x / ln 2) by the 1.5 * 2^23 trick (valid for |x / ln 2| < 2^22). */
    const float shifter = 12582912.0f;
    float t = x * 1.44269504088896341f + shifter;
    int32_t k = (int32_t)(f2u(t) - f2u(shifter));
    float fn = t - shifter;
    float r = x - fn * 0.693359375f;
    r = r - fn * -2.12194440e-4f;
    float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * z + r + 1.0f;
    /* 2^k for k in [-150, 128] as two normal factors 2^k1 * 2^k2 (k1, k2 in [-75, 64]). */
    int32_t k1 = k >> 1, k2 = k - k1;
    float e = p * u2f((uint32_t)(k1 + 127) << 23) * u2f((uint32_t)(k2 + 127) << 23);
    e = in < -104.0f ? 0.0f : e;
    return in > 88.72283f ? INFINITY : e;
}

CK_BODY void exp_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = ck_expf(x[i]);
}
CK_TIERS_UNARY(exp)

CK_BODY void neg_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = -x[i];
}
CK_TIERS_UNARY(neg)

CK_BODY void abs_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = fabsf(x[i]);
}
CK_TIERS_UNARY(abs)

CK_BODY void ceil_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = ceilf(x[i]);
}
CK_TIERS_UNARY(ceil)

CK_BODY void floor_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = floorf(x[i]);
}
CK_TIERS_UNARY(floor)

CK_BODY void sigmoid_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = 1.0f / (1.0f + ck_expf(-x[i]));
}
CK_TIERS_UNARY(sigmoid)

CK_BODY void tanh_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float a = fabsf(v);
        /* |x| < 0.625: Cephes odd polynomial; otherwise 1 - 2 / (exp(2|x|) + 1) with x's sign. */
        float z = v * v;
        float p = -5.70498872745e-3f;
        p = p * z + 2.06390887954e-2f;
        p = p * z - 5.37397155531e-2f;
        p = p * z + 1.33314422036e-1f;
        p = p * z - 3.33332819422e-1f;
        float small = p * z * v + v;
        float big = 1.0f - 2.0f / (ck_expf(2.0f * a) + 1.0f);
        big = copysignf(big, v);
        y[i] = a < 0.625f ? small : big;
    }
}
CK_TIERS_UNARY(tanh)

CK_BODY void gelu_tanh_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
        y[i] = v / (1.0f + ck_expf(-2.0f * u));
    }
}
CK_TIERS_UNARY(gelu_tanh)

void ck_f32_erf(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = erff(x[i]);
}

void ck_f32_gelu(const float *x, float *y, size_t n) {
    /* In double: erfc's relative conditioning near x = -6 is about x^2, which would amplify the
     * float rounding of x / sqrt 2 past 1e-6. */
    for (size_t i = 0; i < n; i++) {
        double v = (double)x[i];
        y[i] = (float)(0.5 * v * erfc(-v * 0.70710678118654752440));
    }
}

void ck_f32_log(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = logf(x[i]);
}
