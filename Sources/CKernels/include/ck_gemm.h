#pragma once
#include <stddef.h>
#include <stdint.h>
#include "ck_cpu.h"
#include "ck_threads.h"
#include "ck_features.h"

/* GEMM kernels: row-major matrices on raw pointers with leading dimensions (in elements).
 *
 * Tier arguments choose the instruction set explicitly (callers pass the active tier; tests pass
 * each tier the host supports). A tier the host lacks must not be passed (except
 * CK_TIER_NEON_DOTPROD to the int8 GEMM, see below). fp32 uses AVX-512F+FMA
 * at CK_TIER_AVX512BW and CK_TIER_AVX512_VNNI, AVX2+FMA at CK_TIER_AVX2 and CK_TIER_AVX_VNNI, and
 * the scalar code below that. int8 uses AVX-512 VNNI at CK_TIER_AVX512_VNNI, AVX-VNNI (ymm) at
 * CK_TIER_AVX_VNNI, AVX-512BW at CK_TIER_AVX512BW and AVX2 at CK_TIER_AVX2 (both with exact 16-bit
 * widening, no saturating vpmaddubsw), NEON sdot at CK_TIER_NEON_DOTPROD (arm64; on other hosts a
 * portable emulation of the same int8 kernels, for tests only; fp32 runs scalar code at this tier on
 * arm64), and scalar
 * code below. */

/* ---------------------------------------------------------------- fp32 ---------------------------
 * C[m×n] = alpha · op(A) · op(B) + beta · C + bias
 *   op(A) is m×k: A[i*lda + p], or A[p*lda + i] when trans_a (A stored k×m).
 *   op(B) is k×n: B[p*ldb + j], or B[j*ldb + p] when trans_b (B stored n×k).
 *   bias: n floats added to every row, or NULL. When beta == 0, C is not read (may hold NaN).
 * Results differ from the scalar reference only by summation order (tolerance ~K·eps·Σ|a·b|). */

/// Scalar reference: straightforward triple loop, float accumulation in k order.
void ck_sgemm_ref(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
                  const float *a, size_t lda, const float *b, size_t ldb, float beta,
                  float *c, size_t ldc, const float *bias);

/// Floats needed for B (k×n) packed by ck_sgemm_pack_b: k × (n rounded up to 16), zero padded.
size_t ck_sgemm_packed_b_count(size_t k, size_t n);

/// Packs op(B) (k×n) into `packed` (ck_sgemm_packed_b_count(k, n) floats, 64-byte aligned
/// preferred): panels of 64 columns (the last one 16·ceil(cols/16) wide), k rows each. The layout
/// is the same for every tier.
void ck_sgemm_pack_b(int trans_b, size_t k, size_t n, const float *b, size_t ldb, float *packed);

/// C = alpha · op(A) · B + beta · C + bias with B prepacked by ck_sgemm_pack_b(k, n).
/// Runs on up to ck_get_threads() threads of the shared pool when the work is large enough
/// (about 0.5M multiply-adds per thread); each element's sum order does not depend on the split.
void ck_sgemm_packed(CKTier tier, int trans_a, size_t m, size_t n, size_t k, float alpha,
                     const float *a, size_t lda, const float *packed_b, float beta,
                     float *c, size_t ldc, const float *bias);

/// One row: c[j] = Σ_p a[p]·B[p*ldb + j] (+ c[j] when accumulate), B (k×n) read in place, with
/// ONNX Runtime's M == 1 roundings (k in groups of 4, then 2, then 1; products rounded and added
/// left to right within a group, each group's sum then added to c; see gemm_f32.c). The same bits
/// on every tier. k == 0 gives c = 0 (or leaves c when accumulate).
void ck_sgemm_m1(CKTier tier, size_t n, size_t k, const float *a, const float *b, size_t ldb, int accumulate,
                 float *c);

/// C = alpha · op(A) · op(B) + beta · C + bias, packing B on the fly. A one-row product
/// (m == 1, no transposes, alpha == 1, beta 0 or 1, no bias, k > 0) runs ck_sgemm_m1 instead, with
/// no packing. Returns 0, or -1 when the packing buffer could not be allocated (C untouched).
int ck_sgemm(CKTier tier, int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
             const float *a, size_t lda, const float *b, size_t ldb, float beta,
             float *c, size_t ldc, const float *bias);

/// `count` independent products: item i is exactly ck_sgemm(tier, trans_a, trans_b, m, n, k, alpha,
/// a + a_offsets[i], lda, b + b_offsets[i], ldb, beta, c + i·c_stride, ldc, NULL) (same bits), the
/// items spread over up to ck_get_threads() threads of the shared pool when each is small and all
/// together are large enough (about 64K multiply-adds). Offsets are in elements. Output items must
/// not overlap. Returns 0, or -1 when a packing buffer could not be allocated (C then unspecified).
int ck_sgemm_batch(CKTier tier, size_t count, int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
                   const float *a, const size_t *a_offsets, size_t lda,
                   const float *b, const size_t *b_offsets, size_t ldb, float beta,
                   float *c, size_t c_stride, size_t ldc);

/* ---------------------------------------------------------------- int8 ---------------------------
 * C_i32[m×n] = Σ_p (A[i,p] − za[i]) · (B[p,j] − zb[j]), exact modulo 2^32 on every tier.
 *   A: m×k bytes, row-major with lda; uint8 when a_signed == 0, int8 otherwise.
 *   B: k×n bytes, row-major with ldb; uint8 when b_signed == 0, int8 otherwise.
 *   Zero points are int32 values in the operand's own range (0…255 or −128…127):
 *   a_zp[i * a_zp_stride] (stride 0: per tensor, 1: per row), b_zp[j * b_zp_stride] (stride 0:
 *   per tensor, 1: per column); NULL means zero.
 * Internally A is read as u8 (int8 A is offset by +128) and B as s8 (uint8 B is offset by −128);
 * the zero points are shifted the same way, so the result is unchanged:
 *   C = Σ a·b − zb·rowsum(a) − za·colsum(b) + k·za·zb   (mod 2^32). */

/// Scalar reference: direct Σ (A − za)(B − zb) in 64-bit, truncated to int32.
void ck_qgemm_ref(int a_signed, int b_signed, size_t m, size_t n, size_t k,
                  const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                  const void *b, size_t ldb, const int32_t *b_zp, size_t b_zp_stride,
                  int32_t *c, size_t ldc);

/// Scalar reference of the fused float output: y[i,j] = float(C[i,j]) · s_j + bias[j] where
/// s_j = a_scale · b_scale[j · b_scale_stride] (float), C the int32 result above; the scale
/// product, the product and the sum are each rounded to float (no fused multiply-add). bias may
/// be NULL.
void ck_qgemm_ref_f32(int a_signed, int b_signed, size_t m, size_t n, size_t k,
                      const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                      const void *b, size_t ldb, const int32_t *b_zp, size_t b_zp_stride,
                      float a_scale, const float *b_scale, size_t b_scale_stride, const float *bias,
                      float *y, size_t ldy);

/// Bytes needed for B (k×n) packed by ck_qgemm_pack_b: panels of 64 columns (the last one
/// 16·ceil(cols/16) wide) × (k rounded up to 4).
size_t ck_qgemm_packed_b_bytes(size_t k, size_t n);

/// Packs B (k×n, row-major, ldb) as s8 (uint8 B offset by −128) into `packed`
/// (ck_qgemm_packed_b_bytes(k, n) bytes) and writes the n column sums of the s8 values to
/// `col_sums`. The layout is the same for every tier.
void ck_qgemm_pack_b(int b_signed, size_t k, size_t n, const void *b, size_t ldb,
                     int8_t *packed, int32_t *col_sums);

/// C_i32 from A and a B packed by ck_qgemm_pack_b (b_signed must be the value used to pack).
/// Runs on up to ck_get_threads() threads of the shared pool when the work is large enough
/// (about 2M multiply-adds per thread). Returns 0, or -1 when a scratch buffer could not be
/// allocated (C then unspecified).
int ck_qgemm_packed(CKTier tier, int a_signed, size_t m, size_t n, size_t k,
                    const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                    const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                    const int32_t *b_zp, size_t b_zp_stride, int32_t *c, size_t ldc);

/// The fused float form of ck_qgemm_packed: y = float(C)·(a_scale·b_scale[j·b_scale_stride]) +
/// bias[j] written as float (ldy), equal bit for bit to ck_qgemm_ref_f32 on every tier. b_scale
/// has stride 0 (per tensor) or 1 (per column); bias is n floats or NULL.
int ck_qgemm_packed_f32(CKTier tier, int a_signed, size_t m, size_t n, size_t k,
                        const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                        const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                        const int32_t *b_zp, size_t b_zp_stride,
                        float a_scale, const float *b_scale, size_t b_scale_stride, const float *bias,
                        float *y, size_t ldy);

/// Requantizes an int32 matrix: y[i,j] = saturate(rint(c[i,j] · m_ij + y_zp)) with
/// m_ij = (a_scale[i·a_scale_stride] · b_scale[j·b_scale_stride]) / y_scale computed in float
/// and the product and rounding (half to even) in double, as ONNX's QLinearMatMul reference does.
/// Output is uint8 (y_signed == 0) or int8, row-major with ldy.
void ck_qgemm_requantize(size_t m, size_t n, const int32_t *c, size_t ldc,
                         const float *a_scale, size_t a_scale_stride,
                         const float *b_scale, size_t b_scale_stride, float y_scale, int32_t y_zp,
                         int y_signed, void *y, size_t ldy);
