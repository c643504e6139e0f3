#pragma once
#include <stddef.h>
#include <stdint.h>
#include "ck_cpu.h"

/* Element-type conversions and linear (de)quantization on raw, contiguous buffers.
 *
 * Every kernel takes the CPU tier to run at (`CKTier`, capped by the caller) and computes the same
 * bits at every tier: each tier compiles one scalar loop body with different target attributes,
 * floating-point contraction is off, and rounding is done with IEEE round-to-nearest-even
 * arithmetic (never with fast-math). */

/* ---- 16-bit floats (convert.c) ---- */

/// IEEE binary16 bits -> float, exact (NaN payloads kept, signaling NaNs quietened).
void ck_f16_to_f32(const uint16_t *x, float *y, size_t n, CKTier tier);
/// float -> IEEE binary16 bits, round to nearest even; overflow gives +-inf, NaN stays NaN with
/// the top 10 payload bits kept and the quiet bit set.
void ck_f32_to_f16(const float *x, uint16_t *y, size_t n, CKTier tier);
/// bfloat16 bits -> float, exact.
void ck_bf16_to_f32(const uint16_t *x, float *y, size_t n, CKTier tier);
/// float -> bfloat16 bits, round to nearest even; NaN -> quiet NaN (top bits | 0x40).
void ck_f32_to_bf16(const float *x, uint16_t *y, size_t n, CKTier tier);

/* ---- linear quantization (quantize.c) ----
 * quantize:   y = clamp(rne(x / scale) + zp, qmin, qmax), the division in float; NaN -> qmin.
 *             Needs |qmin|, |qmax|, |zp| < 2^20 (the clamp bounds qmin-zp, qmax-zp are floats).
 * dequantize: y = ((float)x - (float)zp) * scale.
 * `_axis` variants take one scale and zero point per element (x[i] uses scale[i], zp[i]). */

void ck_quantize_f32_u8(const float *x, uint8_t *y, size_t n, float scale, int32_t zp,
                        int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_s8(const float *x, int8_t *y, size_t n, float scale, int32_t zp,
                        int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_u16(const float *x, uint16_t *y, size_t n, float scale, int32_t zp,
                         int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_s16(const float *x, int16_t *y, size_t n, float scale, int32_t zp,
                         int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_u8_axis(const float *x, uint8_t *y, size_t n, const float *scale, const int32_t *zp,
                             int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_s8_axis(const float *x, int8_t *y, size_t n, const float *scale, const int32_t *zp,
                             int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_u16_axis(const float *x, uint16_t *y, size_t n, const float *scale, const int32_t *zp,
                              int32_t qmin, int32_t qmax, CKTier tier);
void ck_quantize_f32_s16_axis(const float *x, int16_t *y, size_t n, const float *scale, const int32_t *zp,
                              int32_t qmin, int32_t qmax, CKTier tier);

void ck_dequantize_u8_f32(const uint8_t *x, float *y, size_t n, float scale, int32_t zp, CKTier tier);
void ck_dequantize_s8_f32(const int8_t *x, float *y, size_t n, float scale, int32_t zp, CKTier tier);
void ck_dequantize_u16_f32(const uint16_t *x, float *y, size_t n, float scale, int32_t zp, CKTier tier);
void ck_dequantize_s16_f32(const int16_t *x, float *y, size_t n, float scale, int32_t zp, CKTier tier);
void ck_dequantize_s32_f32(const int32_t *x, float *y, size_t n, float scale, int32_t zp, CKTier tier);
void ck_dequantize_u8_f32_axis(const uint8_t *x, float *y, size_t n, const float *scale, const int32_t *zp, CKTier tier);
void ck_dequantize_s8_f32_axis(const int8_t *x, float *y, size_t n, const float *scale, const int32_t *zp, CKTier tier);
void ck_dequantize_u16_f32_axis(const uint16_t *x, float *y, size_t n, const float *scale, const int32_t *zp, CKTier tier);
void ck_dequantize_s16_f32_axis(const int16_t *x, float *y, size_t n, const float *scale, const int32_t *zp, CKTier tier);
void ck_dequantize_s32_f32_axis(const int32_t *x, float *y, size_t n, const float *scale, const int32_t *zp, CKTier tier);

/// The range DynamicQuantizeLinear quantizes: *lo = min(0, min x), *hi = max(0, max x), NaNs ignored.
void ck_range_with_zero_f32(const float *x, size_t n, float *lo, float *hi, CKTier tier);
