#include "include/ck_elementwise.h"
#include "ck_tiers.h"
#include <math.h>
#include <string.h>

/* Plain loops that clang vectorizes, instantiated once per tier: the unsuffixed function for the
 * baseline ISA (the scalar reference), `__avx2` and `__avx512` with the target attributes of
 * ck_tiers.h.
 * Floating-point contraction is off, so every tier computes the same operations and the tiers
 * agree bit for bit. `y` may alias an input exactly, so pointers are not restrict-qualified; each
 * iteration reads before it writes the same index. */
#pragma clang fp contract(off)

/* ck_f32_<name>, ck_f32_<name>__avx2 and ck_f32_<name>__avx512 from <name>_body, by signature. */
#define CK_TIERS_BINARY(name)                                                                      \
    CK_TIERED_EXPORT(ck_f32_##name, (const float *a, const float *b, float *y, size_t n),          \
                     (a, b, y, n), name##_body)
#define CK_TIERS_CONST(name)                                                                       \
    CK_TIERED_EXPORT(ck_f32_##name, (const float *a, float c, float *y, size_t n), (a, c, y, n),   \
                     name##_body)
#define CK_TIERS_UNARY(name)                                                                       \
    CK_TIERED_EXPORT(ck_f32_##name, (const float *x, float *y, size_t n), (x, y, n), name##_body)

#define CK_BINARY(name, expr)                                                                              \
    CK_INLINE void v##name##_body(const float *a, const float *b, float *y, size_t n) {                      \
        for (size_t i = 0; i < n; i++) { float p = a[i], q = b[i]; y[i] = (expr); }                        \
    }                                                                                                      \
    CK_INLINE void v##name##c_body(const float *a, float c, float *y, size_t n) {                            \
        for (size_t i = 0; i < n; i++) { float p = a[i], q = c; y[i] = (expr); }                           \
    }                                                                                                      \
    CK_TIERS_BINARY(v##name)                                                                               \
    CK_TIERS_CONST(v##name##c)

CK_BINARY(add, p + q)
CK_BINARY(sub, p - q)
CK_BINARY(mul, p * q)
CK_BINARY(div, p / q)

CK_INLINE void vrsubc_body(const float *a, float c, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = c - a[i];
}
CK_TIERS_CONST(vrsubc)

CK_INLINE void vrdivc_body(const float *a, float c, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = c / a[i];
}
CK_TIERS_CONST(vrdivc)

CK_INLINE void sqrt_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = __builtin_elementwise_sqrt(x[i]);
}
CK_TIERS_UNARY(sqrt)

CK_INLINE void reciprocal_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = 1.0f / x[i];
}
CK_TIERS_UNARY(reciprocal)

CK_INLINE void relu_body(const float *x, float *y, size_t n) {
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
CK_INLINE float ck_expf(float x) {
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

CK_INLINE void exp_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = ck_expf(x[i]);
}
CK_TIERS_UNARY(exp)

CK_INLINE void neg_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = -x[i];
}
CK_TIERS_UNARY(neg)

CK_INLINE void abs_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = fabsf(x[i]);
}
CK_TIERS_UNARY(abs)

CK_INLINE void ceil_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = ceilf(x[i]);
}
CK_TIERS_UNARY(ceil)

CK_INLINE void floor_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = floorf(x[i]);
}
CK_TIERS_UNARY(floor)

/* erf and erfc in float from polynomials fitted (Chebyshev, in double, with numpy) to the C library's
 * erf/erfc; OpsTests check the kernels against erf/erfc in double. With a = |t|:
 *   erf(a)  = a P(a^2)                     for a < 1,
 *   erfc(a) = exp(-a^2) / a * Q(1 / a)      for a >= 0.5, Q in three pieces (1/a in [1, 2],
 *             [0.5, 1], [0.085, 0.5]: polynomials in 1/a - 1.5, 1/a - 0.75, 1/a - 0.3); erfc(a) is 0
 *             in float past a = 10.1.
 * exp(-a^2) is computed without rounding a^2 (see ck_exp_negsq). */
static const float ck_erf_p[8] = {
    1.128379167e+00f, -3.761263848e-01f, 1.128378262e-01f, -2.686543832e-02f,
    5.221053437e-03f, -8.484396779e-04f, 1.126825477e-04f, -9.673591425e-06f
};
static const float ck_erfc_q0[10] = {
    3.595229385e-01f, -1.183980212e-01f, 3.315697430e-02f, -5.933209493e-03f,
    -1.165487009e-03f, 2.063905407e-03f, -1.484312959e-03f, 8.446226978e-04f,
    -4.537626983e-04f, 1.864262264e-04f
};
static const float ck_erfc_q1[10] = {
    4.681795921e-01f, -1.690809779e-01f, 1.934784790e-02f, 4.029323692e-02f,
    -5.046257895e-02f, 3.768538190e-02f, -1.825765187e-02f, 6.832584937e-04f,
    1.367589018e-02f, -1.819675392e-02f
};
static const float ck_erfc_q2[10] = {
    5.416332028e-01f, -1.346010100e-01f, -1.355835500e-01f, 2.080708802e-01f,
    -8.160367828e-02f, -1.583004563e-01f, 3.452943097e-01f, -2.716598749e-01f,
    -2.944230362e-01f, 9.397938082e-01f
};

/* exp(-s x^2) for s = 0.5 or 1 without rounding x^2: x = xh + xl where xh keeps 12 significant
 * bits, so s xh^2 is exact and exp(-s x^2) = exp(-s xh^2) exp(-s xl (2 xh + xl)). */
CK_INLINE float ck_exp_negsq(float x, float s) {
    float xh = u2f(f2u(x) & 0xFFFFF000u);
    float xl = x - xh;
    return ck_expf(-s * xh * xh) * ck_expf(-s * xl * (xh + xh + xl));
}

/* erf(a) for 0 <= a < 1. */
CK_INLINE float ck_erf_small(float a) {
    float z = a * a;
    float p = ck_erf_p[7];
    for (int i = 6; i >= 0; i--) p = p * z + ck_erf_p[i];
    return a * p;
}

/* erfc(a) for 0.5 <= a <= 12, given e = exp(-a^2). */
CK_INLINE float ck_erfc_big(float a, float e) {
    float q = 1.0f / a;
    int p0 = q >= 1.0f, p2 = q < 0.5f;
    q = q < 0.085f ? 0.085f : q;
    float u = q - (p0 ? 1.5f : p2 ? 0.3f : 0.75f);
    float p = p0 ? ck_erfc_q0[9] : p2 ? ck_erfc_q2[9] : ck_erfc_q1[9];
    for (int i = 8; i >= 0; i--) p = p * u + (p0 ? ck_erfc_q0[i] : p2 ? ck_erfc_q2[i] : ck_erfc_q1[i]);
    return e * (1.0f / a) * p;
}

CK_INLINE void erf_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float a = fabsf(v);
        float small = ck_erf_small(a);
        float ab = a < 1.0f ? 1.0f : a;
        ab = ab > 12.0f ? 12.0f : ab;
        float big = 1.0f - ck_erfc_big(ab, ck_exp_negsq(ab, 1.0f));
        y[i] = copysignf(a < 1.0f ? small : big, v);
    }
}
CK_TIERS_UNARY(erf)

CK_INLINE void gelu_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float a = fabsf(v * 0.70710678118654752f);
        float small = ck_erf_small(a);
        float ab = a < 0.5f ? 0.5f : a;
        ab = ab > 12.0f ? 12.0f : ab;
        /* exp(-a^2) from the exact input: exp(-v^2 / 2), |v| clamped like a. */
        float vb = fabsf(v);
        vb = vb < 0.70710678f ? 0.70710678f : vb;
        vb = vb > 16.9705627f ? 16.9705627f : vb;
        float cbig = ck_erfc_big(ab, ck_exp_negsq(vb, 0.5f));
        /* erfc(a) = 1 - erf(a) only where erfc(a) > 0.47 (a < 0.5), so the subtraction loses little. */
        float erfc_a = a < 0.5f ? 1.0f - small : cbig;
        float erf_a = a < 1.0f ? small : 1.0f - cbig;
        /* 1 + erf(v / sqrt 2): 1 + erf(a) for v >= 0, erfc(a) for v < 0 (no cancellation). */
        float phi2 = v >= 0.0f ? 1.0f + erf_a : erfc_a;
        y[i] = 0.5f * v * phi2;
    }
}
CK_TIERS_UNARY(gelu)

/* ONNX Runtime's logistic as MLAS dispatches it on FMA3 and AVX-512 machines
 * (MlasComputeLogisticF32KernelFma3; constants from onnxruntime/core/mlas/lib/logistic.cpp, as in
 * Eigen): x clamped to [-18, 18], an odd rational function of degree 9/10 in x evaluated with fused
 * multiply-adds, p / q + 0.5 clamped below at 0. int8 models quantize these values again, so the
 * same bits matter; absolute error below 2e-7 (so relative error grows for x < -8). NaN stays NaN. */
CK_INLINE void sigmoid_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        v = v < -18.0f ? -18.0f : v;
        v = v > 18.0f ? 18.0f : v;
        float v2 = v * v;
        float p = __builtin_fmaf(v2, 4.37031012579801e-11f, 1.15627324459942e-07f);
        p = __builtin_fmaf(v2, p, 6.08574864600143e-05f);
        p = __builtin_fmaf(v2, p, 8.51377133304701e-03f);
        p = __builtin_fmaf(v2, p, 2.48287947061529e-01f);
        float q = __builtin_fmaf(v2, 6.10247389755681e-13f, 5.76102136993427e-09f);
        q = __builtin_fmaf(v2, q, 6.29106785017040e-06f);
        q = __builtin_fmaf(v2, q, 1.70198817374094e-03f);
        q = __builtin_fmaf(v2, q, 1.16817656904453e-01f);
        q = __builtin_fmaf(v2, q, 9.93151921023180e-01f);
        float r = (v * p) / q + 0.5f;
        y[i] = r < 0.0f ? 0.0f : r;
    }
}
CK_TIERS_UNARY(sigmoid)

CK_INLINE void tanh_body(const float *x, float *y, size_t n) {
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

CK_INLINE void gelu_tanh_body(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
        y[i] = v / (1.0f + ck_expf(-2.0f * u));
    }
}
CK_TIERS_UNARY(gelu_tanh)

void ck_f32_log(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = logf(x[i]);
}
