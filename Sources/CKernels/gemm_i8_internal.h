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

/* Micro-kernel over R rows × P sub-panels of one panel (group stride gs bytes):
 * tile[r*QK_TLD + 16*q + j] = Σ_{g<kq} Σ_t pa[g*R*4 + r*4 + t] · pb[g*gs + q*64 + j*4 + t],
 * pa read as u8, or as s8 when the tier's a_s8 is set. Kernel tables are indexed
 * [(R−1)*QK_PMAX + (P−1)]. */
#define QK_PMAX 4
#define QK_TLD (QK_NR * QK_PMAX)
typedef void (*qk_kernel)(size_t kq, const uint8_t *pa, const int8_t *pb, size_t gs, int32_t *tile);

/* Per tier of the tiled driver: rows per block (<= 4), per row count the most sub-panels one
 * call covers, the kernel table, and whether A is packed as s8 (a_s8) instead of u8. */
typedef struct {
    size_t mr;
    unsigned char max_p[4];
    const qk_kernel *table;
    int a_s8;
} qk_tier;

/* The NEON dot-product kernels (gemm_i8_neon.c): sdot on arm64; elsewhere a portable emulation
 * of the same code, so its indexing is tested on any host. */
extern const qk_tier qk_neon_tier;

#if defined(__x86_64__)
/* Rows [i0, i1) × panels [p0, p1) with the AVX-512 VNNI kernels on the calling thread (see
 * gemm_i8_vnni.c). Returns -1 when a scratch buffer is unavailable. */
int qv_drive(int a_signed, size_t i0, size_t i1, size_t p0, size_t p1, size_t n, size_t k,
             const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
             const int8_t *packed_b, const int32_t *col_sums, int b_signed,
             const int32_t *b_zp, size_t b_zp_stride, const qk_out *o);
#endif
