/* int8 GEMM with int32 output: scalar reference, B packing with column sums, a blocked driver
 * over per-tier micro-kernels, and QLinearMatMul requantization.
 *
 * Operands are normalized to u8 A × s8 B (see ck_gemm.h), so every tier computes Σ a_u·b_s:
 *  - AVX-512 VNNI: vpdpbusd (u8×s8, four products summed in 32 bits, no saturation);
 *  - AVX2: u8/s8 widened to int16, vpmaddwd (two 16-bit products summed in 32 bits, exact);
 *  - scalar: int32 loops.
 * All correction terms use uint32 arithmetic (wrapping), so results are identical mod 2^32.
 *
 * Packed B: panels of QK_NR = 16 columns; kq = ceil(k/4) groups of 4 k; panel p, group g holds
 * 64 bytes: byte [j*4 + t] = b_s[4g + t][16p + j] (zero past k or n).
 * Packed A (R rows): group g holds R×4 bytes: [g*R*4 + r*4 + t] = a_u[r][4g + t] (zero past k). */
#include "ck_gemm.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define QK_NR 16
#define QK_MR_MAX 12
#define QK_B_BLOCK_BYTES (256 * 1024)

static inline int32_t qk_load(const void *p, int is_signed, size_t idx) {
    return is_signed ? (int32_t)((const int8_t *)p)[idx] : (int32_t)((const uint8_t *)p)[idx];
}

void ck_qgemm_ref(int a_signed, int b_signed, size_t m, size_t n, size_t k,
                  const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                  const void *b, size_t ldb, const int32_t *b_zp, size_t b_zp_stride,
                  int32_t *c, size_t ldc) {
    for (size_t i = 0; i < m; i++) {
        int64_t za = a_zp ? a_zp[i * a_zp_stride] : 0;
        for (size_t j = 0; j < n; j++) {
            int64_t zb = b_zp ? b_zp[j * b_zp_stride] : 0;
            int64_t s = 0;
            for (size_t p = 0; p < k; p++)
                s += ((int64_t)qk_load(a, a_signed, i * lda + p) - za) *
                     ((int64_t)qk_load(b, b_signed, p * ldb + j) - zb);
            c[i * ldc + j] = (int32_t)(uint32_t)(uint64_t)s;
        }
    }
}

size_t ck_qgemm_packed_b_bytes(size_t k, size_t n) {
    size_t kq = (k + 3) / 4;
    return ((n + QK_NR - 1) / QK_NR) * (kq ? kq : 1) * 64;
}

void ck_qgemm_pack_b(int b_signed, size_t k, size_t n, const void *b, size_t ldb,
                     int8_t *packed, int32_t *col_sums) {
    size_t kq = (k + 3) / 4, panels = (n + QK_NR - 1) / QK_NR;
    for (size_t j = 0; j < n; j++) col_sums[j] = 0;
    for (size_t pn = 0; pn < panels; pn++) {
        int8_t *dst = packed + pn * kq * 64;
        for (size_t g = 0; g < kq; g++) {
            for (size_t jj = 0; jj < QK_NR; jj++) {
                size_t j = pn * QK_NR + jj;
                for (size_t t = 0; t < 4; t++) {
                    size_t p = g * 4 + t;
                    int32_t v = 0;
                    if (j < n && p < k) {
                        v = qk_load(b, b_signed, p * ldb + j) - (b_signed ? 0 : 128);
                        col_sums[j] += v;
                    }
                    dst[g * 64 + jj * 4 + t] = (int8_t)v;
                }
            }
        }
    }
}

/* Packs R rows of A (starting at row i0) as u8 in k-groups of 4; writes row sums of a_u. */
static void qk_pack_a(int a_signed, const void *a, size_t lda, size_t i0, size_t R, size_t k,
                      uint8_t *dst, int32_t *row_sums) {
    size_t kq = (k + 3) / 4;
    uint8_t flip = a_signed ? 0x80 : 0;
    const uint8_t *src = a;
    for (size_t r = 0; r < R; r++) {
        const uint8_t *row = src + (i0 + r) * lda;
        int32_t s = 0;
        size_t p = 0;
        for (; p < k; p++) {
            uint8_t v = row[p] ^ flip;
            s += v;
            dst[(p >> 2) * R * 4 + r * 4 + (p & 3)] = v;
        }
        for (; p < kq * 4; p++) dst[(p >> 2) * R * 4 + r * 4 + (p & 3)] = 0;
        row_sums[r] = s;
    }
}

/* Micro-kernel: tile[r*16 + j] = Σ_{g<kq} Σ_t pa[g*R*4 + r*4 + t] · pb[g*64 + j*4 + t]. */
typedef void (*qk_kernel)(size_t kq, const uint8_t *pa, const int8_t *pb, int32_t *tile);

static void qk_scalar(size_t R, size_t kq, const uint8_t *pa, const int8_t *pb, int32_t *tile) {
    for (size_t r = 0; r < R; r++)
        for (size_t j = 0; j < QK_NR; j++) {
            int32_t s = 0;
            for (size_t g = 0; g < kq; g++)
                for (size_t t = 0; t < 4; t++)
                    s += (int32_t)pa[g * R * 4 + r * 4 + t] * (int32_t)pb[g * 64 + j * 4 + t];
            tile[r * QK_NR + j] = s;
        }
}
#define QK_SCALAR_KERNEL(R)                                                                       \
    static void qk_scalar_##R(size_t kq, const uint8_t *pa, const int8_t *pb, int32_t *tile) {     \
        qk_scalar(R, kq, pa, pb, tile);                                                           \
    }
QK_SCALAR_KERNEL(1)
QK_SCALAR_KERNEL(2)
QK_SCALAR_KERNEL(3)
QK_SCALAR_KERNEL(4)
static const qk_kernel qk_scalar_kernels[] = {qk_scalar_1, qk_scalar_2, qk_scalar_3, qk_scalar_4};

#if defined(__x86_64__)
#define QK_VNNI_KERNEL(R)                                                                         \
    __attribute__((target("avx512f,avx512bw,avx512vnni"))) static void qk_vnni_##R(              \
        size_t kq, const uint8_t *pa, const int8_t *pb, int32_t *tile) {                          \
        __m512i acc[R];                                                                           \
        for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_si512();                              \
        for (size_t g = 0; g < kq; g++) {                                                         \
            __m512i bv = _mm512_loadu_si512((const void *)(pb + g * 64));                         \
            for (int r = 0; r < R; r++) {                                                         \
                int32_t av;                                                                       \
                memcpy(&av, pa + g * R * 4 + r * 4, 4);                                           \
                acc[r] = _mm512_dpbusd_epi32(acc[r], _mm512_set1_epi32(av), bv);                  \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++) _mm512_storeu_si512((void *)(tile + r * QK_NR), acc[r]);      \
    }
QK_VNNI_KERNEL(1)
QK_VNNI_KERNEL(2)
QK_VNNI_KERNEL(3)
QK_VNNI_KERNEL(4)
QK_VNNI_KERNEL(5)
QK_VNNI_KERNEL(6)
QK_VNNI_KERNEL(7)
QK_VNNI_KERNEL(8)
QK_VNNI_KERNEL(9)
QK_VNNI_KERNEL(10)
QK_VNNI_KERNEL(11)
QK_VNNI_KERNEL(12)
static const qk_kernel qk_vnni_kernels[] = {qk_vnni_1, qk_vnni_2, qk_vnni_3, qk_vnni_4, qk_vnni_5, qk_vnni_6,
                                            qk_vnni_7, qk_vnni_8, qk_vnni_9, qk_vnni_10, qk_vnni_11, qk_vnni_12};

/* AVX2: per k-group, the 16 columns × 4 k of B are sign-extended to int16 in four ymm (4 columns
 * each, lanes (k0,k1),(k2,k3) per column); A's 4 bytes are zero-extended to int16 and broadcast;
 * vpmaddwd gives per-column pair sums, folded with vphaddd at the end. */
#define QK_AVX2_KERNEL(R)                                                                         \
    __attribute__((target("avx2"))) static void qk_avx2_##R(size_t kq, const uint8_t *pa,          \
                                                            const int8_t *pb, int32_t *tile) {    \
        __m256i acc[R][4];                                                                        \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 4; q++) acc[r][q] = _mm256_setzero_si256();                       \
        for (size_t g = 0; g < kq; g++) {                                                         \
            __m256i bw[4];                                                                        \
            for (int q = 0; q < 4; q++)                                                           \
                bw[q] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(pb + g * 64 + q * 16))); \
            for (int r = 0; r < R; r++) {                                                         \
                int32_t av;                                                                       \
                memcpy(&av, pa + g * R * 4 + r * 4, 4);                                           \
                __m256i aw = _mm256_broadcastq_epi64(_mm_cvtepu8_epi16(_mm_cvtsi32_si128(av)));   \
                for (int q = 0; q < 4; q++) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(aw, bw[q])); \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++) {                                                             \
            __m256i lo = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[r][0], acc[r][1]), 0xD8);  \
            __m256i hi = _mm256_permute4x64_epi64(_mm256_hadd_epi32(acc[r][2], acc[r][3]), 0xD8);  \
            _mm256_storeu_si256((__m256i *)(tile + r * QK_NR), lo);                               \
            _mm256_storeu_si256((__m256i *)(tile + r * QK_NR + 8), hi);                           \
        }                                                                                         \
    }
QK_AVX2_KERNEL(1)
QK_AVX2_KERNEL(2)
static const qk_kernel qk_avx2_kernels[] = {qk_avx2_1, qk_avx2_2};
#endif

/* C[r][j] = tile − zb_s[j]·rowsum[r] − za_u[r]·colsum[j] + k·za_u[r]·zb_s[j]   (mod 2^32). */
static void qk_store(size_t rows, size_t cols, const int32_t *tile, const int32_t *row_sums,
                     const uint32_t *za_u, const int32_t *col_sums, const int32_t *b_zp,
                     size_t b_zp_stride, uint32_t zb_shift, uint32_t k, int32_t *c, size_t ldc) {
    for (size_t r = 0; r < rows; r++) {
        uint32_t za = za_u[r], rs = (uint32_t)row_sums[r];
        int32_t *cr = c + r * ldc;
        const int32_t *tr = tile + r * QK_NR;
        for (size_t j = 0; j < cols; j++) {
            uint32_t zb = (b_zp ? (uint32_t)b_zp[j * b_zp_stride] : 0u) - zb_shift;
            uint32_t v = (uint32_t)tr[j] - zb * rs - za * (uint32_t)col_sums[j] + k * za * zb;
            cr[j] = (int32_t)v;
        }
    }
}

int ck_qgemm_packed(CKTier tier, int a_signed, size_t m, size_t n, size_t k,
                    const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                    const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                    const int32_t *b_zp, size_t b_zp_stride, int32_t *c, size_t ldc) {
    if (m == 0 || n == 0) return 0;
    const qk_kernel *kernels = qk_scalar_kernels;
    size_t mr = 4;
#if defined(__x86_64__)
    if (tier == CK_TIER_AVX512_VNNI) { kernels = qk_vnni_kernels; mr = 12; }
    else if (tier != CK_TIER_SCALAR) { kernels = qk_avx2_kernels; mr = 2; }
#endif
    (void)tier;
    size_t kq = (k + 3) / 4, panel_bytes = (kq ? kq : 1) * 64;
    uint8_t *abuf = malloc(mr * kq * 4 + 1);
    if (!abuf) return -1;
    int32_t row_sums[QK_MR_MAX], tile[QK_MR_MAX * QK_NR];
    uint32_t za_u[QK_MR_MAX];
    uint32_t za_shift = a_signed ? 128u : 0u, zb_shift = b_signed ? 0u : 128u;
    size_t panels = (n + QK_NR - 1) / QK_NR;
    size_t block = QK_B_BLOCK_BYTES / panel_bytes;
    if (block == 0) block = 1;
    for (size_t pc = 0; pc < panels; pc += block) {
        size_t pe = pc + block < panels ? pc + block : panels;
        for (size_t i = 0; i < m; i += mr) {
            size_t rows = m - i < mr ? m - i : mr;
            qk_pack_a(a_signed, a, lda, i, rows, k, abuf, row_sums);
            for (size_t r = 0; r < rows; r++)
                za_u[r] = (a_zp ? (uint32_t)a_zp[(i + r) * a_zp_stride] : 0u) + za_shift;
            for (size_t pn = pc; pn < pe; pn++) {
                size_t j = pn * QK_NR, cols = n - j < QK_NR ? n - j : QK_NR;
                kernels[rows - 1](kq, abuf, packed_b + pn * kq * 64, tile);
                qk_store(rows, cols, tile, row_sums, za_u, col_sums + j,
                         b_zp ? b_zp + j * b_zp_stride : NULL, b_zp_stride, zb_shift, (uint32_t)k,
                         c + i * ldc + j, ldc);
            }
        }
    }
    free(abuf);
    return 0;
}

void ck_qgemm_requantize(size_t m, size_t n, const int32_t *c, size_t ldc,
                         const float *a_scale, size_t a_scale_stride,
                         const float *b_scale, size_t b_scale_stride, float y_scale, int32_t y_zp,
                         int y_signed, void *y, size_t ldy) {
    double lo = y_signed ? -128.0 : 0.0, hi = y_signed ? 127.0 : 255.0;
    for (size_t i = 0; i < m; i++) {
        float sa = a_scale[i * a_scale_stride];
        for (size_t j = 0; j < n; j++) {
            float mult = (sa * b_scale[j * b_scale_stride]) / y_scale;
            double v = nearbyint((double)c[i * ldc + j] * (double)mult + (double)y_zp);
            if (!(v >= lo)) v = lo; /* NaN maps to the low end */
            if (v > hi) v = hi;
            if (y_signed) ((int8_t *)y)[i * ldy + j] = (int8_t)v;
            else ((uint8_t *)y)[i * ldy + j] = (uint8_t)v;
        }
    }
}
