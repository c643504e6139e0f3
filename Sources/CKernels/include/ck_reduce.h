#pragma once
#include <stddef.h>
#include <stdint.h>
#include "ck_cpu.h"

/* Float32 row kernels for reductions, softmax and layer normalization.
 *
 * Every kernel takes the tier to run at (`CKTier`, from the Swift CPU tier): the AVX-512 tiers run
 * an AVX-512 (F/BW/VL) build of the same loop, AVX2 and AVX-VNNI an `avx2,fma` build, anything else
 * the portable baseline build, which is the scalar reference. All builds compute the same formula
 * in the same association per lane, so results agree across tiers up to the lane count of partial
 * sums.
 *
 * Matrices are contiguous row-major: `rows × n`, or `outer × n × inner` for the strided forms
 * (reduction along the middle axis, the inner axis contiguous). Pointers must not alias unless
 * stated. Sizes may be 0. */

/// y[r] = Σ_i x[r·n + i] for r < rows (y = 0 for n == 0).
void ck_reduce_sum_rows_f32(CKTier tier, const float *x, size_t rows, size_t n, float *y);

/// y[r] = max_i x[r·n + i]; NaN if any element of the row is NaN; -inf for n == 0.
void ck_reduce_max_rows_f32(CKTier tier, const float *x, size_t rows, size_t n, float *y);

/// y[r] = min_i x[r·n + i]; NaN if any element of the row is NaN; +inf for n == 0.
void ck_reduce_min_rows_f32(CKTier tier, const float *x, size_t rows, size_t n, float *y);

/// acc[j] += Σ_r x[r·n + j] for j < n (accumulates: the caller initializes acc).
void ck_accumulate_sum_cols_f32(CKTier tier, const float *x, size_t rows, size_t n, float *acc);

/// acc[j] = max(acc[j], max_r x[r·n + j]), NaN-propagating (accumulates: the caller initializes acc).
void ck_accumulate_max_cols_f32(CKTier tier, const float *x, size_t rows, size_t n, float *acc);

/// acc[j] = min(acc[j], min_r x[r·n + j]), NaN-propagating (accumulates: the caller initializes acc).
void ck_accumulate_min_cols_f32(CKTier tier, const float *x, size_t rows, size_t n, float *acc);

/// Softmax along axis 1 of x[outer × n × inner] into y (may equal x): y = exp(x - max) · (1 / Σ exp(x - max)).
/// `scratch` holds at least 2·inner floats (unused when inner == 1). exp is MLAS's polynomial
/// (within a few ulp of expf; arguments below -103.97 give about 1e-45 instead of 0). With
/// inner == 1 the bits equal ONNX Runtime's MlasComputeSoftmax on AVX-512F (softmax_f32.c) on
/// every tier.
void ck_softmax_f32(CKTier tier, const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch);

/// Log-softmax along axis 1 of x[outer × n × inner] into y (may equal x):
/// y = (x - max) - log Σ exp(x - max). `scratch` as for ck_softmax_f32.
void ck_log_softmax_f32(CKTier tier, const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch);

/// Layer normalization over each row of x[rows × n] into y (may equal x):
/// y = (x - mean) · invstd · gamma + beta with invstd = 1 / sqrt(var + epsilon), var the biased
/// variance (two-pass). gamma and beta (length n) may each be NULL (1 and 0); mean and invstd
/// (length rows) are written when not NULL. With gamma and beta and n >= 8 the bits equal ONNX
/// Runtime's LayerNormalization on AVX-512 machines (layernorm_f32.c), on every tier.
void ck_layer_norm_f32(CKTier tier, const float *x, float *y, size_t rows, size_t n, const float *gamma,
                       const float *beta, float epsilon, float *mean, float *invstd);

/// ONNX Runtime's SkipLayerNormalization (com.microsoft), float: per row r of x[rows × n],
/// v = x[r] + skip[r·skip_stride …] (+ bias), written to `sum` (rows × n) when not NULL, then
/// y = (v - mean) / sqrt(var + epsilon) · gamma + beta with mean and var from a float Welford pass,
/// the bits ONNX Runtime 1.32 computes (layernorm_f32.c). skip_stride is n, or 0 for one row
/// broadcast; bias, gamma, beta (length n) may be NULL; mean and invstd (length rows) are written
/// when not NULL. y may equal x (or skip when skip_stride == n). The kernel of
/// ai.onnxrun::SkipLayerNormalization, which FuseSkipLayerNormalization puts where ONNX Runtime's
/// default level fuses Add + LayerNormalization.
void ck_skip_layer_norm_f32(const float *x, const float *skip, size_t skip_stride, const float *bias,
                            float *y, float *sum, size_t rows, size_t n, const float *gamma, const float *beta,
                            float epsilon, float *mean, float *invstd);
