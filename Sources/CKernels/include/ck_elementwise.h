#pragma once
#include <stddef.h>
#include <stdint.h>

/* Elementwise float32 kernels over contiguous arrays of n elements.
 * Binary: `v` forms read two arrays, `c` forms an array and a scalar constant (`r` forms put the
 * constant on the left). y may alias a or b exactly (in place); no other overlap is allowed.
 * Results are IEEE float32 arithmetic (no reassociation), so they match a scalar loop bit for bit. */
void ck_f32_vadd(const float *a, const float *b, float *y, size_t n);  /* y = a + b */
void ck_f32_vaddc(const float *a, float c, float *y, size_t n);        /* y = a + c */
void ck_f32_vsub(const float *a, const float *b, float *y, size_t n);  /* y = a - b */
void ck_f32_vsubc(const float *a, float c, float *y, size_t n);        /* y = a - c */
void ck_f32_vrsubc(const float *a, float c, float *y, size_t n);       /* y = c - a */
void ck_f32_vmul(const float *a, const float *b, float *y, size_t n);  /* y = a * b */
void ck_f32_vmulc(const float *a, float c, float *y, size_t n);        /* y = a * c */
void ck_f32_vdiv(const float *a, const float *b, float *y, size_t n);  /* y = a / b */
void ck_f32_vdivc(const float *a, float c, float *y, size_t n);        /* y = a / c */
void ck_f32_vrdivc(const float *a, float c, float *y, size_t n);       /* y = c / a */

/* Unary float32 kernels, y = f(x); y may alias x exactly.
 * sqrt, reciprocal, relu: exact IEEE (relu keeps NaN, maps -0 to +0 ... as max(x, 0) with NaN passed through).
 * erf: C library erff; gelu (erf form): C library erfc in double, rounded once to float.
 * sigmoid, tanh, gelu_tanh: vectorizable exp approximation, relative error below 1e-6 where the
 * result is a normal float (absolute error below 1e-38 where it underflows). */
void ck_f32_sqrt(const float *x, float *y, size_t n);
void ck_f32_reciprocal(const float *x, float *y, size_t n);
void ck_f32_relu(const float *x, float *y, size_t n);
void ck_f32_sigmoid(const float *x, float *y, size_t n);
void ck_f32_tanh(const float *x, float *y, size_t n);
void ck_f32_erf(const float *x, float *y, size_t n);
/* gelu(x) = 0.5 x (1 + erf(x / sqrt 2)), computed as 0.5 x erfc(-x / sqrt 2) in double
 * (no cancellation for negative x). */
void ck_f32_gelu(const float *x, float *y, size_t n);
/* gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed as x * sigmoid(2 u). */
void ck_f32_gelu_tanh(const float *x, float *y, size_t n);
