#pragma once
#include <stddef.h>
#include <stdint.h>

/* Elementwise float32 kernels over contiguous arrays of n elements; y may alias an input exactly
 * (in place), no other overlap is allowed.
 *
 * Tiers: most kernels also exist as `<name>__avx2` (call only on AVX2 CPUs) and `<name>__avx512`
 * (AVX-512 F/BW/VL). Floating-point contraction is off in every tier, so all tiers return results
 * bit-identical to the unsuffixed baseline function, which is the scalar reference. */

/* Binary: `v` forms read two arrays, `c` forms an array and a scalar constant (`r` forms put the
 * constant on the left). IEEE float32 arithmetic, bit for bit a scalar loop's. */
void ck_f32_vadd(const float *a, const float *b, float *y, size_t n);  /* y = a + b */
void ck_f32_vadd__avx2(const float *a, const float *b, float *y, size_t n);
void ck_f32_vadd__avx512(const float *a, const float *b, float *y, size_t n);
void ck_f32_vaddc(const float *a, float c, float *y, size_t n);  /* y = a + c */
void ck_f32_vaddc__avx2(const float *a, float c, float *y, size_t n);
void ck_f32_vaddc__avx512(const float *a, float c, float *y, size_t n);
void ck_f32_vsub(const float *a, const float *b, float *y, size_t n);  /* y = a - b */
void ck_f32_vsub__avx2(const float *a, const float *b, float *y, size_t n);
void ck_f32_vsub__avx512(const float *a, const float *b, float *y, size_t n);
void ck_f32_vsubc(const float *a, float c, float *y, size_t n);  /* y = a - c */
void ck_f32_vsubc__avx2(const float *a, float c, float *y, size_t n);
void ck_f32_vsubc__avx512(const float *a, float c, float *y, size_t n);
void ck_f32_vrsubc(const float *a, float c, float *y, size_t n);  /* y = c - a */
void ck_f32_vrsubc__avx2(const float *a, float c, float *y, size_t n);
void ck_f32_vrsubc__avx512(const float *a, float c, float *y, size_t n);
void ck_f32_vmul(const float *a, const float *b, float *y, size_t n);  /* y = a * b */
void ck_f32_vmul__avx2(const float *a, const float *b, float *y, size_t n);
void ck_f32_vmul__avx512(const float *a, const float *b, float *y, size_t n);
void ck_f32_vmulc(const float *a, float c, float *y, size_t n);  /* y = a * c */
void ck_f32_vmulc__avx2(const float *a, float c, float *y, size_t n);
void ck_f32_vmulc__avx512(const float *a, float c, float *y, size_t n);
void ck_f32_vdiv(const float *a, const float *b, float *y, size_t n);  /* y = a / b */
void ck_f32_vdiv__avx2(const float *a, const float *b, float *y, size_t n);
void ck_f32_vdiv__avx512(const float *a, const float *b, float *y, size_t n);
void ck_f32_vdivc(const float *a, float c, float *y, size_t n);  /* y = a / c */
void ck_f32_vdivc__avx2(const float *a, float c, float *y, size_t n);
void ck_f32_vdivc__avx512(const float *a, float c, float *y, size_t n);
void ck_f32_vrdivc(const float *a, float c, float *y, size_t n);  /* y = c / a */
void ck_f32_vrdivc__avx2(const float *a, float c, float *y, size_t n);
void ck_f32_vrdivc__avx512(const float *a, float c, float *y, size_t n);

/* Unary, y = f(x). sqrt, reciprocal: IEEE. relu: x < 0 ? 0 : x (NaN passes through). */
void ck_f32_sqrt(const float *x, float *y, size_t n);
void ck_f32_sqrt__avx2(const float *x, float *y, size_t n);
void ck_f32_sqrt__avx512(const float *x, float *y, size_t n);
void ck_f32_reciprocal(const float *x, float *y, size_t n);
void ck_f32_reciprocal__avx2(const float *x, float *y, size_t n);
void ck_f32_reciprocal__avx512(const float *x, float *y, size_t n);
void ck_f32_relu(const float *x, float *y, size_t n);
void ck_f32_relu__avx2(const float *x, float *y, size_t n);
void ck_f32_relu__avx512(const float *x, float *y, size_t n);

/* neg, abs, ceil, floor: exact. */
void ck_f32_neg(const float *x, float *y, size_t n);
void ck_f32_neg__avx2(const float *x, float *y, size_t n);
void ck_f32_neg__avx512(const float *x, float *y, size_t n);
void ck_f32_abs(const float *x, float *y, size_t n);
void ck_f32_abs__avx2(const float *x, float *y, size_t n);
void ck_f32_abs__avx512(const float *x, float *y, size_t n);
void ck_f32_ceil(const float *x, float *y, size_t n);
void ck_f32_ceil__avx2(const float *x, float *y, size_t n);
void ck_f32_ceil__avx512(const float *x, float *y, size_t n);
void ck_f32_floor(const float *x, float *y, size_t n);
void ck_f32_floor__avx2(const float *x, float *y, size_t n);
void ck_f32_floor__avx512(const float *x, float *y, size_t n);

/* sigmoid: ONNX Runtime's MLAS logistic bit for bit (a rational approximation on x clamped to
 * [-18, 18]; absolute error below 2e-7, 0 for x <= -18, see elementwise.c).
 * exp, tanh, gelu_tanh: a vectorizable exp approximation; relative error below 1e-6 where
 * the result is a normal float (absolute error below 1e-38 where it underflows). exp is +inf above
 * 88.72283 and 0 below -104. gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as
 * x / (1 + exp(-2u)) (no cancellation for negative x; its relative conditioning grows like 2u,
 * about 25 at x = -6). */
void ck_f32_exp(const float *x, float *y, size_t n);
void ck_f32_exp__avx2(const float *x, float *y, size_t n);
void ck_f32_exp__avx512(const float *x, float *y, size_t n);
void ck_f32_sigmoid(const float *x, float *y, size_t n);
void ck_f32_sigmoid__avx2(const float *x, float *y, size_t n);
void ck_f32_sigmoid__avx512(const float *x, float *y, size_t n);
void ck_f32_tanh(const float *x, float *y, size_t n);
void ck_f32_tanh__avx2(const float *x, float *y, size_t n);
void ck_f32_tanh__avx512(const float *x, float *y, size_t n);
void ck_f32_gelu_tanh(const float *x, float *y, size_t n);
void ck_f32_gelu_tanh__avx2(const float *x, float *y, size_t n);
void ck_f32_gelu_tanh__avx512(const float *x, float *y, size_t n);

/* erf: relative error below 3e-7. gelu(x) = 0.5 x (1 + erf(x / sqrt 2)), computed as 0.5 x erfc(-x / sqrt 2)
 * for negative x (no cancellation); relative error below 1e-6 where the result is a normal float.
 * Polynomial fits, see elementwise.c. */
void ck_f32_erf(const float *x, float *y, size_t n);
void ck_f32_erf__avx2(const float *x, float *y, size_t n);
void ck_f32_erf__avx512(const float *x, float *y, size_t n);
void ck_f32_gelu(const float *x, float *y, size_t n);
void ck_f32_gelu__avx2(const float *x, float *y, size_t n);
void ck_f32_gelu__avx512(const float *x, float *y, size_t n);

/* Baseline only (C library logf). */
void ck_f32_log(const float *x, float *y, size_t n);
