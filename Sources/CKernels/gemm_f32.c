/* fp32 GEMM: scalar reference, B packing, and a blocked driver over per-tier micro-kernels.
 *
 * Packed B: panels of SK_NR = 16 columns; panel p holds k rows of 16 floats (row p_k at
 * packed[p*k*16 + p_k*16]), columns past n zero. Packed A (per MC×KC block, in the driver's
 * thread-local buffer): row blocks of R ≤ MR rows, each kc × R floats (k-major).
 * Micro-kernels compute an R×(16·P) tile of Σ_p a·b into a scratch tile; the shared epilogue applies
 * alpha, beta, bias and writes the valid rows/columns. */
#include "ck_gemm.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define SK_NR 16
#define SK_KC 256
#define SK_NC 1024
#define SK_MC_ROWS 128

void ck_sgemm_ref(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
                  const float *a, size_t lda, const float *b, size_t ldb, float beta,
                  float *c, size_t ldc, const float *bias) {
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < n; j++) {
            float s = 0;
            for (size_t p = 0; p < k; p++) {
                float av = trans_a ? a[p * lda + i] : a[i * lda + p];
                float bv = trans_b ? b[j * ldb + p] : b[p * ldb + j];
                s += av * bv;
            }
            float v = alpha * s;
            if (beta != 0) v += beta * c[i * ldc + j];
            if (bias) v += bias[j];
            c[i * ldc + j] = v;
        }
    }
}

size_t ck_sgemm_packed_b_count(size_t k, size_t n) {
    size_t panels = (n + SK_NR - 1) / SK_NR;
    return panels * SK_NR * (k ? k : 1);
}

void ck_sgemm_pack_b(int trans_b, size_t k, size_t n, const float *b, size_t ldb, float *packed) {
    size_t panels = (n + SK_NR - 1) / SK_NR;
    for (size_t pn = 0; pn < panels; pn++) {
        float *dst = packed + pn * k * SK_NR;
        size_t j0 = pn * SK_NR, cols = n - j0 < SK_NR ? n - j0 : SK_NR;
        for (size_t p = 0; p < k; p++) {
            float *row = dst + p * SK_NR;
            size_t j = 0;
            if (trans_b) {
                for (; j < cols; j++) row[j] = b[(j0 + j) * ldb + p];
            } else {
                for (; j < cols; j++) row[j] = b[p * ldb + j0 + j];
            }
            for (; j < SK_NR; j++) row[j] = 0;
        }
    }
}

/* Micro-kernel over R rows × P panels: tile[r*SK_TLD + 16*q + j] = Σ_{p<kc} pa[p*R + r] ·
 * pb[q*pstride + p*16 + j]. Kernel tables are indexed [(R−1)*SK_PMAX + (P−1)]. */
#define SK_PMAX 8
#define SK_TLD (SK_NR * SK_PMAX)
typedef void (*sk_kernel)(size_t kc, const float *pa, const float *pb, size_t pstride, float *tile);

/* Per tier: rows per block and, per row count, the most panels one call covers. */
typedef struct {
    size_t mr;
    unsigned char max_p[12];
    const sk_kernel *table;
} sk_tier;

#define SK_SCALAR_KERNEL(R)                                                                       \
    static void sk_scalar_##R(size_t kc, const float *pa, const float *pb, size_t pstride, float *tile) { \
        (void)pstride;                                                                            \
        float acc[R][SK_NR];                                                                      \
        memset(acc, 0, sizeof acc);                                                               \
        for (size_t p = 0; p < kc; p++)                                                           \
            for (int r = 0; r < R; r++)                                                           \
                for (int j = 0; j < SK_NR; j++) acc[r][j] += pa[p * R + r] * pb[p * SK_NR + j];   \
        for (int r = 0; r < R; r++) memcpy(tile + r * SK_TLD, acc[r], sizeof acc[r]);             \
    }
SK_SCALAR_KERNEL(1)
SK_SCALAR_KERNEL(2)
SK_SCALAR_KERNEL(3)
SK_SCALAR_KERNEL(4)
static const sk_kernel sk_scalar_table[4 * SK_PMAX] = {
    [0 * SK_PMAX] = sk_scalar_1, [1 * SK_PMAX] = sk_scalar_2, [2 * SK_PMAX] = sk_scalar_3, [3 * SK_PMAX] = sk_scalar_4};
static const sk_tier sk_scalar_tier = {4, {1, 1, 1, 1}, sk_scalar_table};

#if defined(__x86_64__)
#define SK_AVX512_KERNEL(R, P)                                                                    \
    __attribute__((target("avx512f,fma"))) static void sk_avx512_##R##_##P(                       \
        size_t kc, const float *pa, const float *pb, size_t pstride, float *tile) {              \
        __m512 acc[R][P];                                                                         \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < P; q++) acc[r][q] = _mm512_setzero_ps();                          \
        for (size_t p = 0; p < kc; p++) {                                                         \
            __m512 bv[P];                                                                         \
            for (int q = 0; q < P; q++) bv[q] = _mm512_loadu_ps(pb + q * pstride + p * SK_NR);    \
            for (int r = 0; r < R; r++) {                                                         \
                __m512 av = _mm512_set1_ps(pa[p * R + r]);                                        \
                for (int q = 0; q < P; q++) acc[r][q] = _mm512_fmadd_ps(av, bv[q], acc[r][q]);    \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < P; q++) _mm512_storeu_ps(tile + r * SK_TLD + q * SK_NR, acc[r][q]); \
    }
SK_AVX512_KERNEL(1, 1) SK_AVX512_KERNEL(1, 2) SK_AVX512_KERNEL(1, 3) SK_AVX512_KERNEL(1, 4)
SK_AVX512_KERNEL(1, 5) SK_AVX512_KERNEL(1, 6) SK_AVX512_KERNEL(1, 7) SK_AVX512_KERNEL(1, 8)
SK_AVX512_KERNEL(2, 1) SK_AVX512_KERNEL(2, 2) SK_AVX512_KERNEL(2, 3) SK_AVX512_KERNEL(2, 4)
SK_AVX512_KERNEL(2, 5) SK_AVX512_KERNEL(2, 6)
SK_AVX512_KERNEL(3, 1) SK_AVX512_KERNEL(3, 2) SK_AVX512_KERNEL(3, 3) SK_AVX512_KERNEL(3, 4)
SK_AVX512_KERNEL(4, 1) SK_AVX512_KERNEL(4, 2) SK_AVX512_KERNEL(4, 3)
static const sk_kernel sk_avx512_table[4 * SK_PMAX] = {
    sk_avx512_1_1, sk_avx512_1_2, sk_avx512_1_3, sk_avx512_1_4, sk_avx512_1_5, sk_avx512_1_6, sk_avx512_1_7, sk_avx512_1_8,
    sk_avx512_2_1, sk_avx512_2_2, sk_avx512_2_3, sk_avx512_2_4, sk_avx512_2_5, sk_avx512_2_6, NULL, NULL,
    sk_avx512_3_1, sk_avx512_3_2, sk_avx512_3_3, sk_avx512_3_4, NULL, NULL, NULL, NULL,
    sk_avx512_4_1, sk_avx512_4_2, sk_avx512_4_3, NULL, NULL, NULL, NULL, NULL};
static const sk_tier sk_avx512_tier = {4, {8, 6, 4, 3}, sk_avx512_table};

#define SK_AVX2_KERNEL(R, P)                                                                      \
    __attribute__((target("avx2,fma"))) static void sk_avx2_##R##_##P(                             \
        size_t kc, const float *pa, const float *pb, size_t pstride, float *tile) {              \
        __m256 acc[R][2 * P];                                                                     \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm256_setzero_ps();                      \
        for (size_t p = 0; p < kc; p++) {                                                         \
            __m256 bv[2 * P];                                                                     \
            for (int q = 0; q < P; q++) {                                                         \
                bv[2 * q] = _mm256_loadu_ps(pb + q * pstride + p * SK_NR);                        \
                bv[2 * q + 1] = _mm256_loadu_ps(pb + q * pstride + p * SK_NR + 8);                \
            }                                                                                     \
            for (int r = 0; r < R; r++) {                                                         \
                __m256 av = _mm256_broadcast_ss(pa + p * R + r);                                  \
                for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm256_fmadd_ps(av, bv[q], acc[r][q]); \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) _mm256_storeu_ps(tile + r * SK_TLD + q * 8, acc[r][q]); \
    }
SK_AVX2_KERNEL(1, 1) SK_AVX2_KERNEL(1, 2) SK_AVX2_KERNEL(1, 3) SK_AVX2_KERNEL(1, 4)
SK_AVX2_KERNEL(2, 1) SK_AVX2_KERNEL(2, 2)
SK_AVX2_KERNEL(3, 1) SK_AVX2_KERNEL(4, 1) SK_AVX2_KERNEL(5, 1) SK_AVX2_KERNEL(6, 1)
static const sk_kernel sk_avx2_table[6 * SK_PMAX] = {
    [0 * SK_PMAX] = sk_avx2_1_1, [0 * SK_PMAX + 1] = sk_avx2_1_2, [0 * SK_PMAX + 2] = sk_avx2_1_3,
    [0 * SK_PMAX + 3] = sk_avx2_1_4, [1 * SK_PMAX] = sk_avx2_2_1, [1 * SK_PMAX + 1] = sk_avx2_2_2,
    [2 * SK_PMAX] = sk_avx2_3_1, [3 * SK_PMAX] = sk_avx2_4_1, [4 * SK_PMAX] = sk_avx2_5_1, [5 * SK_PMAX] = sk_avx2_6_1};
static const sk_tier sk_avx2_tier = {6, {4, 2, 1, 1, 1, 1}, sk_avx2_table};
#endif

/* Writes the valid rows × cols of a tile into C. `first` is the first k block: it applies beta
 * (C not read when beta == 0) and the bias; later blocks accumulate. */
static void sk_store(size_t rows, size_t cols, const float *tile, float alpha, float beta, int first,
                     float *c, size_t ldc, const float *bias) {
    for (size_t r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        const float *tr = tile + r * SK_TLD;
        if (!first) {
            for (size_t j = 0; j < cols; j++) cr[j] += alpha * tr[j];
        } else if (beta == 0) {
            if (bias) for (size_t j = 0; j < cols; j++) cr[j] = alpha * tr[j] + bias[j];
            else for (size_t j = 0; j < cols; j++) cr[j] = alpha * tr[j];
        } else {
            if (bias) for (size_t j = 0; j < cols; j++) cr[j] = alpha * tr[j] + beta * cr[j] + bias[j];
            else for (size_t j = 0; j < cols; j++) cr[j] = alpha * tr[j] + beta * cr[j];
        }
    }
}

/* The A-block buffer: SK_MC_ROWS × SK_KC floats per thread, allocated on first use and kept. */
static _Thread_local float *sk_abuf;

static float *sk_a_buffer(void) {
    if (!sk_abuf) {
        void *p = NULL;
        if (posix_memalign(&p, 64, sizeof(float) * SK_MC_ROWS * SK_KC) != 0) return NULL;
        sk_abuf = p;
    }
    return sk_abuf;
}

static void sk_pack_a(int trans_a, const float *a, size_t lda, size_t i0, size_t rows, size_t p0,
                      size_t kc, size_t mr, float *dst) {
    for (size_t ir = 0; ir < rows; ir += mr) {
        size_t R = rows - ir < mr ? rows - ir : mr;
        float *blk = dst + ir * kc;
        for (size_t p = 0; p < kc; p++)
            for (size_t r = 0; r < R; r++) {
                size_t i = i0 + ir + r, q = p0 + p;
                blk[p * R + r] = trans_a ? a[q * lda + i] : a[i * lda + q];
            }
    }
}

static void sk_drive(const sk_tier *t, int trans_a, size_t m, size_t n, size_t k, float alpha,
                     const float *a, size_t lda, const float *pb, float beta, float *c, size_t ldc,
                     const float *bias) {
    float tile[6 * SK_TLD];
    size_t mr = t->mr;
    if (m == 0 || n == 0) return;
    if (k == 0) {
        memset(tile, 0, sizeof tile);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j += SK_NR)
                sk_store(1, n - j < SK_NR ? n - j : SK_NR, tile, alpha, beta, 1, c + i * ldc + j, ldc,
                         bias ? bias + j : NULL);
        return;
    }
    float *abuf = sk_a_buffer();
    size_t mc_max = SK_MC_ROWS / mr * mr;
    float local[6 * SK_KC];
    if (!abuf) { abuf = local; mc_max = mr; } /* degraded but correct when the buffer is unavailable */
    size_t pstride = k * SK_NR;
    for (size_t jc = 0; jc < n; jc += SK_NC) {
        size_t nc = n - jc < SK_NC ? n - jc : SK_NC;
        for (size_t pc = 0; pc < k; pc += SK_KC) {
            size_t kc = k - pc < SK_KC ? k - pc : SK_KC;
            int first = pc == 0;
            for (size_t ic = 0; ic < m; ic += mc_max) {
                size_t mc = m - ic < mc_max ? m - ic : mc_max;
                sk_pack_a(trans_a, a, lda, ic, mc, pc, kc, mr, abuf);
                /* Panel groups outer (B group stays in L1), row blocks inner (A block in L2). */
                size_t group = t->max_p[(mc < mr ? mc : mr) - 1];
                for (size_t jr = 0; jr < nc; jr += group * SK_NR) {
                    size_t j = jc + jr, end = jc + nc, left = (end - j + SK_NR - 1) / SK_NR;
                    size_t panels = left < group ? left : group;
                    size_t cols = end - j < panels * SK_NR ? end - j : panels * SK_NR;
                    const float *pbp = pb + (j / SK_NR) * pstride + pc * SK_NR;
                    for (size_t ir = 0; ir < mc; ir += mr) {
                        size_t rows = mc - ir < mr ? mc - ir : mr;
                        t->table[(rows - 1) * SK_PMAX + panels - 1](kc, abuf + ir * kc, pbp, pstride, tile);
                        sk_store(rows, cols, tile, alpha, beta, first, c + (ic + ir) * ldc + j, ldc,
                                 bias && first ? bias + j : NULL);
                    }
                }
            }
        }
    }
}

void ck_sgemm_packed(CKTier tier, int trans_a, size_t m, size_t n, size_t k, float alpha,
                     const float *a, size_t lda, const float *packed_b, float beta,
                     float *c, size_t ldc, const float *bias) {
#if defined(__x86_64__)
    if (tier == CK_TIER_AVX512BW || tier == CK_TIER_AVX512_VNNI) {
        sk_drive(&sk_avx512_tier, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc, bias);
        return;
    }
    if (tier != CK_TIER_SCALAR) {
        sk_drive(&sk_avx2_tier, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc, bias);
        return;
    }
#endif
    (void)tier;
    sk_drive(&sk_scalar_tier, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc, bias);
}

int ck_sgemm(CKTier tier, int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
             const float *a, size_t lda, const float *b, size_t ldb, float beta,
             float *c, size_t ldc, const float *bias) {
    if (m == 0 || n == 0) return 0;
    void *p = NULL;
    if (posix_memalign(&p, 64, sizeof(float) * ck_sgemm_packed_b_count(k, n)) != 0) return -1;
    ck_sgemm_pack_b(trans_b, k, n, b, ldb, p);
    ck_sgemm_packed(tier, trans_a, m, n, k, alpha, a, lda, p, beta, c, ldc, bias);
    free(p);
    return 0;
}
