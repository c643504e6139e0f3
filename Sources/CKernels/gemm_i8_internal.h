/* Private to the int8 GEMM sources: the packed-B geometry, the output description shared by the
 * tiers, and the AVX-512 VNNI driver (gemm_i8_vnni.c). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define QK_NR 16 /* columns per sub-panel (one zmm of int32) */
#define QK_PW 64 /* columns per packed panel */

/* The output of one call: int32 C, or float Y = float(C)·(a_scale·b_scale[j]) + bias[j]. Every
 * pointer here is already offset to the call's first row / column. */
typedef struct {
    int32_t *c;
    size_t ldc;
    float *y;
    size_t ldy;
    float a_scale;
    const float *b_scale;
    size_t b_scale_stride;
    const float *bias;
} qk_out;

#if defined(__x86_64__)
/* Rows [i0, i1) × panels [p0, p1) with the AVX-512 VNNI kernels on the calling thread (see
 * gemm_i8_vnni.c). Returns -1 when a scratch buffer is unavailable. */
int qv_drive(int a_signed, size_t i0, size_t i1, size_t p0, size_t p1, size_t n, size_t k,
             const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
             const int8_t *packed_b, const int32_t *col_sums, int b_signed,
             const int32_t *b_zp, size_t b_zp_stride, const qk_out *o);
#endif
