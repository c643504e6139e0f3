#include "ck_elementwise.h"
#include <math.h>
#include <string.h>

/* Plain loops; clang vectorizes them for the baseline ISA. `y` may alias an input exactly, so the
 * pointers are not restrict-qualified; each iteration reads before it writes the same index. */

#define CK_BINARY(name, expr)                                                          \
    void ck_f32_v##name(const float *a, const float *b, float *y, size_t n) {         \
        for (size_t i = 0; i < n; i++) { float p = a[i], q = b[i]; y[i] = (expr); }     \
    }                                                                                  \
    void ck_f32_v##name##c(const float *a, float c, float *y, size_t n) {             \
        for (size_t i = 0; i < n; i++) { float p = a[i], q = c; y[i] = (expr); }        \
    }

CK_BINARY(add, p + q)
CK_BINARY(sub, p - q)
CK_BINARY(mul, p * q)
CK_BINARY(div, p / q)

void ck_f32_vrsubc(const float *a, float c, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = c - a[i];
}

void ck_f32_vrdivc(const float *a, float c, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = c / a[i];
}

void ck_f32_sqrt(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = __builtin_elementwise_sqrt(x[i]);
}

void ck_f32_reciprocal(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = 1.0f / x[i];
}

void ck_f32_relu(const float *x, float *y, size_t n) {
    /* NaN compares false and passes through unchanged. */
    for (size_t i = 0; i < n; i++) { float v = x[i]; y[i] = v < 0.0f ? 0.0f : v; }
}

static inline uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* exp(x): Cephes expf polynomial with Cody-Waite reduction, relative error about 2 ulp for x in
 * [-87.3, 88.7]; +inf above 88.7 (true overflow is at 88.72), exp(-87.3) below -87.3 (where the
 * true value is a subnormal or zero). NaN gives NaN. Branch-free so that loops calling it vectorize. */
static inline float ck_expf(float x) {
    float in = x;
    x = x > 88.7f ? 88.7f : x;
    x = x < -87.3f ? -87.3f : x;
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
    /* 2^k for k in [-126, 128): build the exponent in two halves to cover k = 128. */
    int32_t k1 = k >> 1, k2 = k - k1;
    float e = p * u2f((uint32_t)(k1 + 127) << 23) * u2f((uint32_t)(k2 + 127) << 23);
    return in > 88.7f ? INFINITY : e;
}

void ck_f32_sigmoid(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = 1.0f / (1.0f + ck_expf(-x[i]));
}

void ck_f32_tanh(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float a = fabsf(v);
        /* |x| < 0.625: Cephes odd polynomial; otherwise 1 - 2 / (exp(2|x|) + 1). */
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

void ck_f32_gelu_tanh(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
        y[i] = v / (1.0f + ck_expf(-2.0f * u));
    }
}
