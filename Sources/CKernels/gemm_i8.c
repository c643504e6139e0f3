/* int8 GEMM with int32 or fused float output: scalar reference, B packing with column sums,
 * a blocked driver per tier, and QLinearMatMul requantization.
 *
 * Operands are normalized to u8 A × s8 B (see ck_gemm.h), so every tier computes Σ a_u·b_s:
 *  - AVX-512 VNNI: register-blocked micro-kernels (up to 6 rows × 64 columns, 24 zmm
 *    accumulators; rows of A read in place when A is uint8) with the zero-point correction and
 *    the output stage fused into the kernel's epilogue; products of at most 6 rows stream B
 *    once in memory order with an in-loop prefetch (gemm_i8_vnni.c);
 *  - AVX-VNNI (ymm) vpdpbusd, AVX-512BW and AVX2 (u8/s8 widened to int16, vpmaddwd, exact),
 *    NEON sdot (gemm_i8_neon.c; A packed as s8 there) and scalar: micro-kernels into a scratch
 *    tile on a packed A, then a shared store pass.
 * All correction terms use uint32 arithmetic (wrapping), so results are identical mod 2^32.
 *
 * Packed B: panels of up to QK_PW = 64 columns; panel p covers columns 64p… and has width
 * w_p = 16·ceil(min(64, n − 64p)/16) (every panel but the last is 64 wide); kq = ceil(k/4)
 * groups of 4 k. Panel p starts at byte p·kq·256; its group g holds w_p·4 bytes: 16-column
 * sub-panel q at +q·64, byte [j*4 + t] = b_s[4g + t][64p + 16q + j] (zero past k or n).
 * Packed A (non-VNNI tiers, R rows): group g holds R×4 bytes: [g*R*4 + r*4 + t] = a_u[r][4g + t]. */
#include "ck_gemm.h"
#include "ck_threads.h"
#include "gemm_i8_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define QK_MR_MAX 4
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

/* The float output stage, shared by every tier and the reference: the scale product in float,
 * then the product with the int32 value, then the bias, each rounded (no contraction). */
static inline float qk_to_float(int32_t v, float a_scale, float b_scale, const float *bias, size_t j) {
    float s = a_scale * b_scale;
    float f = (float)v * s;
    if (bias) f += bias[j];
    return f;
}

void ck_qgemm_ref_f32(int a_signed, int b_signed, size_t m, size_t n, size_t k,
                      const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                      const void *b, size_t ldb, const int32_t *b_zp, size_t b_zp_stride,
                      float a_scale, const float *b_scale, size_t b_scale_stride, const float *bias,
                      float *y, size_t ldy) {
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            int32_t v;
            ck_qgemm_ref(a_signed, b_signed, 1, 1, k, (const uint8_t *)a + i * lda, lda,
                         a_zp ? a_zp + i * a_zp_stride : NULL, 0, (const uint8_t *)b + j, ldb,
                         b_zp ? b_zp + j * b_zp_stride : NULL, 0, &v, 1);
            y[i * ldy + j] = qk_to_float(v, a_scale, b_scale[j * b_scale_stride], bias, j);
        }
}

static inline size_t qk_round16(size_t x) { return (x + QK_NR - 1) / QK_NR * QK_NR; }

size_t ck_qgemm_packed_b_bytes(size_t k, size_t n) {
    size_t kq = (k + 3) / 4;
    return (kq ? kq : 1) * 4 * (n ? qk_round16(n) : QK_NR);
}

void ck_qgemm_pack_b(int b_signed, size_t k, size_t n, const void *b, size_t ldb,
                     int8_t *packed, int32_t *col_sums) {
    size_t kq = (k + 3) / 4;
    for (size_t j = 0; j < n; j++) col_sums[j] = 0;
    for (size_t j0 = 0; j0 < n; j0 += QK_PW) {
        size_t w = n - j0 < QK_PW ? qk_round16(n - j0) : QK_PW;
        int8_t *dst = packed + j0 * kq * 4;
        for (size_t g = 0; g < kq; g++)
            for (size_t jj = 0; jj < w; jj++) {
                size_t j = j0 + jj;
                for (size_t t = 0; t < 4; t++) {
                    size_t p = g * 4 + t;
                    int32_t v = 0;
                    if (j < n && p < k) {
                        v = qk_load(b, b_signed, p * ldb + j) - (b_signed ? 0 : 128);
                        col_sums[j] = (int32_t)((uint32_t)col_sums[j] + (uint32_t)v);
                    }
                    dst[g * w * 4 + (jj / QK_NR) * 64 + (jj % QK_NR) * 4 + t] = (int8_t)v;
                }
            }
    }
}


/* Packs R rows of A (starting at row i0) in k-groups of 4, as u8 (to_s8 == 0: int8 A offset by
 * +128) or as s8 (to_s8 != 0: uint8 A offset by −128); writes the row sums of the packed values
 * (mod 2^32). */
static void qk_pack_a(int a_signed, int to_s8, const void *a, size_t lda, size_t i0, size_t R, size_t k,
                      uint8_t *dst, int32_t *row_sums) {
    size_t kq = (k + 3) / 4;
    uint8_t flip = (a_signed != 0) != (to_s8 != 0) ? 0x80 : 0;
    const uint8_t *src = a;
    for (size_t r = 0; r < R; r++) {
        const uint8_t *row = src + (i0 + r) * lda;
        uint32_t s = 0; /* sums wrap mod 2^32 like every other term */
        size_t p = 0;
        for (; p < k; p++) {
            uint8_t v = row[p] ^ flip;
            s += to_s8 ? (uint32_t)(int32_t)(int8_t)v : (uint32_t)v;
            dst[(p >> 2) * R * 4 + r * 4 + (p & 3)] = v;
        }
        for (; p < kq * 4; p++) dst[(p >> 2) * R * 4 + r * 4 + (p & 3)] = 0;
        row_sums[r] = (int32_t)s;
    }
}

static void qk_scalar(size_t R, size_t kq, const uint8_t *pa, const int8_t *pb, size_t gs, int32_t *tile) {
    for (size_t r = 0; r < R; r++)
        for (size_t j = 0; j < QK_NR; j++) {
            uint32_t s = 0;
            for (size_t g = 0; g < kq; g++)
                for (size_t t = 0; t < 4; t++)
                    s += (uint32_t)((int32_t)pa[g * R * 4 + r * 4 + t] * (int32_t)pb[g * gs + j * 4 + t]);
            tile[r * QK_TLD + j] = (int32_t)s;
        }
}
#define QK_SCALAR_KERNEL(R)                                                                       \
    static void qk_scalar_##R(size_t kq, const uint8_t *pa, const int8_t *pb, size_t gs,          \
                              int32_t *tile) {                                                    \
        qk_scalar(R, kq, pa, pb, gs, tile);                                                       \
    }
QK_SCALAR_KERNEL(1)
QK_SCALAR_KERNEL(2)
QK_SCALAR_KERNEL(3)
QK_SCALAR_KERNEL(4)
static const qk_kernel qk_scalar_table[4 * QK_PMAX] = {
    [0 * QK_PMAX] = qk_scalar_1, [1 * QK_PMAX] = qk_scalar_2, [2 * QK_PMAX] = qk_scalar_3, [3 * QK_PMAX] = qk_scalar_4};
static const qk_tier qk_scalar_tier = {4, {1, 1, 1, 1}, qk_scalar_table, 0};

#if defined(__x86_64__)
/* AVX-512BW without VNNI: per k-group and panel, B's 16 columns × 4 k are sign-extended to int16
 * in two zmm (8 columns each, one column per 64-bit lane); A's 4 bytes are zero-extended and
 * broadcast per 64-bit lane; vpmaddwd gives two pair sums per column, folded at the end with a
 * 64-bit shift-add and vpmovqd. Exact: |255·127·2| fits int32 per step. */
#define QK_BW_KERNEL(R, P)                                                                        \
    __attribute__((target("avx512f,avx512bw"))) static void qk_bw_##R##_##P(                     \
        size_t kq, const uint8_t *pa, const int8_t *pb, size_t gs, int32_t *tile) {          \
        __m512i acc[R][2 * P];                                                                    \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm512_setzero_si512();                   \
        for (size_t g = 0; g < kq; g++) {                                                         \
            __m512i bw[2 * P];                                                                    \
            for (int q = 0; q < 2 * P; q++)                                                       \
                bw[q] = _mm512_cvtepi8_epi16(                                                     \
                    _mm256_loadu_si256((const __m256i *)(pb + g * gs + (q / 2) * 64 + (q % 2) * 32))); \
            for (int r = 0; r < R; r++) {                                                         \
                int32_t av;                                                                       \
                memcpy(&av, pa + g * R * 4 + r * 4, 4);                                           \
                __m512i aw = _mm512_broadcastq_epi64(_mm_cvtepu8_epi16(_mm_cvtsi32_si128(av)));   \
                for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm512_add_epi32(acc[r][q], _mm512_madd_epi16(aw, bw[q])); \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) {                                                     \
                __m512i s = _mm512_add_epi32(acc[r][q], _mm512_srli_epi64(acc[r][q], 32));        \
                _mm256_storeu_si256((__m256i *)(tile + r * QK_TLD + q * 8), _mm512_cvtepi64_epi32(s)); \
            }                                                                                     \
    }
QK_BW_KERNEL(1, 1) QK_BW_KERNEL(1, 2) QK_BW_KERNEL(1, 3) QK_BW_KERNEL(1, 4)
QK_BW_KERNEL(2, 1) QK_BW_KERNEL(2, 2) QK_BW_KERNEL(2, 3)
QK_BW_KERNEL(3, 1) QK_BW_KERNEL(3, 2)
QK_BW_KERNEL(4, 1) QK_BW_KERNEL(4, 2)
static const qk_kernel qk_bw_table[4 * QK_PMAX] = {
    [0 * QK_PMAX] = qk_bw_1_1, [0 * QK_PMAX + 1] = qk_bw_1_2, [0 * QK_PMAX + 2] = qk_bw_1_3, [0 * QK_PMAX + 3] = qk_bw_1_4,
    [1 * QK_PMAX] = qk_bw_2_1, [1 * QK_PMAX + 1] = qk_bw_2_2, [1 * QK_PMAX + 2] = qk_bw_2_3,
    [2 * QK_PMAX] = qk_bw_3_1, [2 * QK_PMAX + 1] = qk_bw_3_2,
    [3 * QK_PMAX] = qk_bw_4_1, [3 * QK_PMAX + 1] = qk_bw_4_2};
static const qk_tier qk_bw_tier = {4, {4, 3, 2, 2}, qk_bw_table, 0};

/* AVX-VNNI (VEX vpdpbusd on ymm, no AVX-512): per k-group and panel, B's 64 bytes are two ymm
 * (8 columns × 4 k each). */
#define QK_AVXVNNI_KERNEL(R, P)                                                                   \
    __attribute__((target("avx2,avxvnni"))) static void qk_avxvnni_##R##_##P(                    \
        size_t kq, const uint8_t *pa, const int8_t *pb, size_t gs, int32_t *tile) {          \
        __m256i acc[R][2 * P];                                                                    \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm256_setzero_si256();                   \
        for (size_t g = 0; g < kq; g++) {                                                         \
            __m256i bv[2 * P];                                                                    \
            for (int q = 0; q < 2 * P; q++)                                                       \
                bv[q] = _mm256_loadu_si256((const __m256i *)(pb + g * gs + (q / 2) * 64 + (q % 2) * 32)); \
            for (int r = 0; r < R; r++) {                                                         \
                int32_t av;                                                                       \
                memcpy(&av, pa + g * R * 4 + r * 4, 4);                                           \
                __m256i a4 = _mm256_set1_epi32(av);                                               \
                for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm256_dpbusd_avx_epi32(acc[r][q], a4, bv[q]); \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) _mm256_storeu_si256((__m256i *)(tile + r * QK_TLD + q * 8), acc[r][q]); \
    }
QK_AVXVNNI_KERNEL(1, 1) QK_AVXVNNI_KERNEL(1, 2) QK_AVXVNNI_KERNEL(1, 3)
QK_AVXVNNI_KERNEL(2, 1) QK_AVXVNNI_KERNEL(2, 2)
QK_AVXVNNI_KERNEL(3, 1) QK_AVXVNNI_KERNEL(4, 1)
static const qk_kernel qk_avxvnni_table[4 * QK_PMAX] = {
    [0 * QK_PMAX] = qk_avxvnni_1_1, [0 * QK_PMAX + 1] = qk_avxvnni_1_2, [0 * QK_PMAX + 2] = qk_avxvnni_1_3,
    [1 * QK_PMAX] = qk_avxvnni_2_1, [1 * QK_PMAX + 1] = qk_avxvnni_2_2,
    [2 * QK_PMAX] = qk_avxvnni_3_1, [3 * QK_PMAX] = qk_avxvnni_4_1};
static const qk_tier qk_avxvnni_tier = {4, {3, 2, 1, 1}, qk_avxvnni_table, 0};

/* AVX2: per k-group, the 16 columns × 4 k of B are sign-extended to int16 in four ymm (4 columns
 * each, lanes (k0,k1),(k2,k3) per column); A's 4 bytes are zero-extended to int16 and broadcast;
 * vpmaddwd gives per-column pair sums, folded with vphaddd at the end. */
#define QK_AVX2_KERNEL(R)                                                                         \
    __attribute__((target("avx2"))) static void qk_avx2_##R(size_t kq, const uint8_t *pa,          \
                                                            const int8_t *pb, size_t gs,     \
                                                            int32_t *tile) {                      \
                                                                                    \
        __m256i acc[R][4];                                                                        \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 4; q++) acc[r][q] = _mm256_setzero_si256();                       \
        for (size_t g = 0; g < kq; g++) {                                                         \
            __m256i bw[4];                                                                        \
            for (int q = 0; q < 4; q++)                                                           \
                bw[q] = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(pb + g * gs + q * 16))); \
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
            _mm256_storeu_si256((__m256i *)(tile + r * QK_TLD), lo);                              \
            _mm256_storeu_si256((__m256i *)(tile + r * QK_TLD + 8), hi);                          \
        }                                                                                         \
    }
QK_AVX2_KERNEL(1)
QK_AVX2_KERNEL(2)
static const qk_kernel qk_avx2_table[2 * QK_PMAX] = {[0 * QK_PMAX] = qk_avx2_1, [1 * QK_PMAX] = qk_avx2_2};
static const qk_tier qk_avx2_tier = {2, {1, 1}, qk_avx2_table, 0};

#endif

/* C[r][j] = tile − zb[j]·rowsum[r] − za[r]·ct[j]   (mod 2^32), where, per column of the B
 * block, zb[j] is the s8-domain zero point and ct[j] = colsum[j] − k·zb[j]; this expands to
 * tile − zb·rowsum(a) − za·colsum(b) + k·za·zb. The int32 form is one body compiled per tier so
 * it vectorizes; the float form goes through qk_to_float. */
#define QK_STORE_BODY                                                                             \
    for (size_t r = 0; r < rows; r++) {                                                           \
        uint32_t za = za_u[r], rs = (uint32_t)row_sums[r];                                        \
        const int32_t *restrict tr = tile + r * QK_TLD;                                           \
        if (o->y) {                                                                               \
            float *yr = o->y + (i + r) * o->ldy + j;                                              \
            for (size_t q = 0; q < cols; q++)                                                     \
                yr[q] = qk_to_float((int32_t)((uint32_t)tr[q] - zb[q] * rs - za * ct[q]), o->a_scale, \
                                    o->b_scale[(j + q) * o->b_scale_stride], o->bias ? o->bias + j : NULL, q); \
        } else {                                                                                  \
            int32_t *restrict cr = o->c + (i + r) * o->ldc + j;                                   \
            for (size_t q = 0; q < cols; q++) cr[q] = (int32_t)((uint32_t)tr[q] - zb[q] * rs - za * ct[q]); \
        }                                                                                         \
    }
#define QK_STORE_ARGS                                                                             \
    size_t rows, size_t cols, const int32_t *restrict tile, const int32_t *row_sums,              \
        const uint32_t *za_u, const uint32_t *restrict zb, const uint32_t *restrict ct,           \
        const qk_out *o, size_t i, size_t j
typedef void (*qk_store_fn)(QK_STORE_ARGS);
static void qk_store_plain(QK_STORE_ARGS) { QK_STORE_BODY }
#if defined(__x86_64__)
__attribute__((target("avx2"))) static void qk_store_avx2(QK_STORE_ARGS) { QK_STORE_BODY }
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void qk_store_avx512(QK_STORE_ARGS) { QK_STORE_BODY }
#endif

/* Columns per B block of the tiled driver (a multiple of QK_PW). */
#define QK_BLOCK_COLS 1024

/* The tiled driver (non-VNNI tiers): A packed once, B in blocks of panels, a scratch tile per
 * micro-kernel call, then the store pass. Returns -1 when the A buffer cannot be allocated. */
static int qk_tiled(const qk_tier *t, qk_store_fn store, int a_signed, size_t m, size_t n, size_t k,
                    const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                    const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                    const int32_t *b_zp, size_t b_zp_stride, const qk_out *o) {
    size_t mr = t->mr;
    size_t kq = (k + 3) / 4, panel_bytes = (kq ? kq : 1) * QK_PW * 4;
    /* A packed once: row block i (mr rows) at abuf + i·kq·4, row sums after it. */
    uint8_t *abuf = malloc(m * kq * 4 + m * sizeof(int32_t) + 4);
    if (!abuf) return -1;
    int32_t *row_sums = (int32_t *)(void *)(abuf + ((m * kq * 4 + 3) & ~(size_t)3));
    for (size_t i = 0; i < m; i += mr)
        qk_pack_a(a_signed, t->a_s8, a, lda, i, m - i < mr ? m - i : mr, k, abuf + i * kq * 4, row_sums + i);
    int32_t tile[QK_MR_MAX * QK_TLD];
    uint32_t za_u[QK_MR_MAX];
    /* The zero point of A shifted into the packed domain (u8: +128 for int8 A; s8: −128 for uint8 A). */
    uint32_t za_shift = t->a_s8 ? (a_signed ? 0u : (uint32_t)-128) : (a_signed ? 128u : 0u);
    uint32_t zb_shift = b_signed ? 0u : 128u;
    size_t npanels = (n + QK_PW - 1) / QK_PW;
    size_t block = QK_B_BLOCK_BYTES / panel_bytes;
    if (block == 0) block = 1;
    if (block > QK_BLOCK_COLS / QK_PW) block = QK_BLOCK_COLS / QK_PW;
    uint32_t zb[QK_BLOCK_COLS], ct[QK_BLOCK_COLS];
    for (size_t pc = 0; pc < npanels; pc += block) {
        size_t pe = pc + block < npanels ? pc + block : npanels;
        size_t j0 = pc * QK_PW, j1 = pe * QK_PW < n ? pe * QK_PW : n;
        for (size_t j = j0; j < j1; j++) {
            uint32_t z = (b_zp ? (uint32_t)b_zp[j * b_zp_stride] : 0u) - zb_shift;
            zb[j - j0] = z;
            ct[j - j0] = (uint32_t)col_sums[j] - (uint32_t)k * z;
        }
        for (size_t i = 0; i < m; i += mr) {
            size_t rows = m - i < mr ? m - i : mr;
            size_t pmax = t->max_p[rows - 1];
            for (size_t r = 0; r < rows; r++)
                za_u[r] = (a_zp ? (uint32_t)a_zp[(i + r) * a_zp_stride] : 0u) + za_shift;
            for (size_t pn = pc; pn < pe; pn++) {
                size_t pj = pn * QK_PW, pw = n - pj < QK_PW ? qk_round16(n - pj) : QK_PW;
                const int8_t *pbase = packed_b + pj * kq * 4;
                for (size_t s = 0; s < pw / QK_NR;) {
                    size_t np = pw / QK_NR - s < pmax ? pw / QK_NR - s : pmax;
                    size_t j = pj + s * QK_NR, cols = n - j < np * QK_NR ? n - j : np * QK_NR;
                    t->table[(rows - 1) * QK_PMAX + np - 1](kq, abuf + i * kq * 4, pbase + s * 64, pw * 4, tile);
                    store(rows, cols, tile, row_sums + i, za_u, zb + (j - j0), ct + (j - j0), o, i, j);
                    s += np;
                }
            }
        }
    }
    free(abuf);
    return 0;
}

/* ---- entry points: tier choice and the split over threads ------------------------------------ */
typedef struct {
    CKTier tier;
    int a_signed, b_signed;
    size_t m, n, k;
    const void *a;
    size_t lda;
    const int32_t *a_zp;
    size_t a_zp_stride;
    const int8_t *packed_b;
    const int32_t *col_sums;
    const int32_t *b_zp;
    size_t b_zp_stride;
    qk_out o;
    int by_rows;        /* split rows (in blocks of 6) instead of panels */
    size_t units, chunks;
    volatile int failed;
} qk_job;

/* Rows [i0, i1) × panels [p0, p1) of the job on the calling thread. */
static int qk_range(const qk_job *jb, size_t i0, size_t i1, size_t p0, size_t p1) {
    size_t kq = (jb->k + 3) / 4;
#if defined(__x86_64__)
    if (jb->tier == CK_TIER_AVX512_VNNI)
        return qv_drive(jb->a_signed, i0, i1, p0, p1, jb->n, jb->k, jb->a, jb->lda, jb->a_zp, jb->a_zp_stride,
                        jb->packed_b, jb->col_sums, jb->b_signed, jb->b_zp, jb->b_zp_stride, &jb->o);
#endif
    const qk_tier *t = &qk_scalar_tier;
    qk_store_fn store = qk_store_plain;
#if defined(__x86_64__)
    if (jb->tier == CK_TIER_AVX512BW) { t = &qk_bw_tier; store = qk_store_avx512; }
    else if (jb->tier == CK_TIER_AVX_VNNI) { t = &qk_avxvnni_tier; store = qk_store_avx2; }
    else if (jb->tier == CK_TIER_AVX2) { t = &qk_avx2_tier; store = qk_store_avx2; }
#endif
    if (jb->tier == CK_TIER_NEON_DOTPROD) t = &qk_neon_tier;
    size_t j0 = p0 * QK_PW, j1 = p1 * QK_PW < jb->n ? p1 * QK_PW : jb->n;
    qk_out o = jb->o;
    if (o.y) {
        o.y += i0 * o.ldy + j0;
        o.b_scale += j0 * o.b_scale_stride;
        if (o.bias) o.bias += j0;
    } else {
        o.c += i0 * o.ldc + j0;
    }
    return qk_tiled(t, store, jb->a_signed, i1 - i0, j1 - j0, jb->k, (const uint8_t *)jb->a + i0 * jb->lda, jb->lda,
                    jb->a_zp ? jb->a_zp + i0 * jb->a_zp_stride : NULL, jb->a_zp_stride, jb->packed_b + j0 * kq * 4,
                    jb->col_sums + j0, jb->b_signed, jb->b_zp ? jb->b_zp + j0 * jb->b_zp_stride : NULL,
                    jb->b_zp_stride, &o);
}

static void qk_task(void *ctx, size_t task) {
    qk_job *jb = ctx;
    size_t u0 = task * jb->units / jb->chunks, u1 = (task + 1) * jb->units / jb->chunks;
    size_t npanels = (jb->n + QK_PW - 1) / QK_PW;
    int rc = jb->by_rows ? qk_range(jb, u0 * 6, u1 * 6 < jb->m ? u1 * 6 : jb->m, 0, npanels)
                         : qk_range(jb, 0, jb->m, u0, u1);
    if (rc != 0) jb->failed = 1;
}

/* Work (multiply-adds) below which a GEMM stays on one thread, and the least work per thread. */
#define QK_PAR_MIN_MACS ((size_t)1 << 20)
/* Tasks per thread for products of up to 6 rows (B streamed once): few, so each streams a long contiguous part of B, but
 * more than one, so a thread that was descheduled does not hold up the others. */
#define QK_GEMV_CHUNKS 4

static int qk_split(qk_job *jb, size_t threads) {
    size_t npanels = (jb->n + QK_PW - 1) / QK_PW, row_units = (jb->m + 5) / 6;
    jb->by_rows = npanels < 2 * threads && row_units > npanels;
    jb->units = jb->by_rows ? row_units : npanels;
    /* The VNNI path reads u8 A in place, so small tasks cost nothing extra and bound what a
     * descheduled worker can hold up; the tiled tiers pack A per task, so they take fewer. */
    size_t chunks = (jb->tier == CK_TIER_AVX512_VNNI && !jb->a_signed ? 16 : 4) * threads;
    /* Up to 6 rows stream B once: tasks are long contiguous panel ranges (see QK_GEMV_CHUNKS). */
    if (jb->m <= 6) chunks = QK_GEMV_CHUNKS * threads;
    if (chunks > jb->units) chunks = jb->units;
    if (chunks < 2) return qk_range(jb, 0, jb->m, 0, npanels);
    jb->chunks = chunks;
    jb->failed = 0;
    ck_parallel_for(chunks, threads, qk_task, jb);
    return jb->failed ? -1 : 0;
}

static int qk_run(qk_job *jb) {
    size_t m = jb->m, n = jb->n, k = jb->k ? jb->k : 1;
    if (m == 0 || n == 0) return 0;
    size_t threads = (size_t)ck_get_threads();
    double macs = (double)m * (double)n * (double)k;
    if (threads <= 1 || macs < 2.0 * QK_PAR_MIN_MACS) return qk_range(jb, 0, m, 0, (n + QK_PW - 1) / QK_PW);
    size_t by_work = (size_t)(macs / QK_PAR_MIN_MACS);
    if (threads > by_work) threads = by_work;
#if defined(__x86_64__)
    if (jb->tier == CK_TIER_AVX512_VNNI && jb->a_signed) {
        /* int8 A: offset to u8 once (a + 128, zero points likewise) so tasks read it in place. */
        uint8_t *au = malloc(m * jb->k + m * sizeof(int32_t) + 4);
        if (au) {
            int32_t *za = (int32_t *)(void *)(au + ((m * jb->k + 3) & ~(size_t)3));
            for (size_t i = 0; i < m; i++) {
                const uint8_t *src = (const uint8_t *)jb->a + i * jb->lda;
                for (size_t p = 0; p < jb->k; p++) au[i * jb->k + p] = src[p] ^ 0x80;
                za[i] = (jb->a_zp ? jb->a_zp[i * jb->a_zp_stride] : 0) + 128;
            }
            qk_job ju = *jb;
            ju.a_signed = 0;
            ju.a = au;
            ju.lda = jb->k;
            ju.a_zp = za;
            ju.a_zp_stride = 1;
            int rc = qk_split(&ju, threads);
            free(au);
            return rc;
        }
    }
#endif
    return qk_split(jb, threads);
}

int ck_qgemm_packed(CKTier tier, int a_signed, size_t m, size_t n, size_t k,
                    const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                    const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                    const int32_t *b_zp, size_t b_zp_stride, int32_t *c, size_t ldc) {
    qk_job jb = {tier, a_signed, b_signed, m, n, k, a, lda, a_zp, a_zp_stride, packed_b, col_sums, b_zp, b_zp_stride,
                 {c, ldc, NULL, 0, 1.0f, NULL, 0, NULL}, 0, 0, 0, 0};
    return qk_run(&jb);
}

int ck_qgemm_packed_f32(CKTier tier, int a_signed, size_t m, size_t n, size_t k,
                        const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                        const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                        const int32_t *b_zp, size_t b_zp_stride,
                        float a_scale, const float *b_scale, size_t b_scale_stride, const float *bias,
                        float *y, size_t ldy) {
    qk_job jb = {tier, a_signed, b_signed, m, n, k, a, lda, a_zp, a_zp_stride, packed_b, col_sums, b_zp, b_zp_stride,
                 {NULL, 0, y, ldy, a_scale, b_scale, b_scale_stride, bias}, 0, 0, 0, 0};
    return qk_run(&jb);
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
