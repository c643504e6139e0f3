/* fp32 GEMM: scalar reference, B packing, and a blocked driver over per-tier micro-kernels.
 *
 * Packed B: panels of SK_NR = 16 columns; panel p holds k rows of 16 floats (row p_k at
 * packed[p*k*16 + p_k*16]), columns past n zero. Packed A (per MC×KC block, in the driver's
 * thread-local buffer): row blocks of R ≤ MR rows, each kc × R floats (k-major).
 * Micro-kernels compute an R×16 tile of Σ_p a·b into a scratch tile; the shared epilogue applies
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

/* Micro-kernel: tile[r*16 + j] = Σ_{p<kc} pa[p*R + r] · pb[p*16 + j] for r < R. */
typedef void (*sk_kernel)(size_t kc, const float *pa, const float *pb, float *tile);

#define SK_SCALAR_KERNEL(R)                                                                       \
    static void sk_scalar_##R(size_t kc, const float *pa, const float *pb, float *tile) {          \
        float acc[R][SK_NR];                                                                      \
        memset(acc, 0, sizeof acc);                                                               \
        for (size_t p = 0; p < kc; p++)                                                           \
            for (int r = 0; r < R; r++)                                                           \
                for (int j = 0; j < SK_NR; j++) acc[r][j] += pa[p * R + r] * pb[p * SK_NR + j];   \
        memcpy(tile, acc, sizeof acc);                                                            \
    }
SK_SCALAR_KERNEL(1)
SK_SCALAR_KERNEL(2)
SK_SCALAR_KERNEL(3)
SK_SCALAR_KERNEL(4)
static const sk_kernel sk_scalar_kernels[] = {sk_scalar_1, sk_scalar_2, sk_scalar_3, sk_scalar_4};

#if defined(__x86_64__)
#define SK_AVX512_KERNEL(R)                                                                       \
    __attribute__((target("avx512f,fma"))) static void sk_avx512_##R(size_t kc, const float *pa,  \
                                                                      const float *pb, float *tile) { \
        __m512 acc[R];                                                                            \
        for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();                                 \
        for (size_t p = 0; p < kc; p++) {                                                         \
            __m512 bv = _mm512_loadu_ps(pb + p * SK_NR);                                          \
            for (int r = 0; r < R; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(pa[p * R + r]), bv, acc[r]); \
        }                                                                                         \
        for (int r = 0; r < R; r++) _mm512_storeu_ps(tile + r * SK_NR, acc[r]);                   \
    }
SK_AVX512_KERNEL(1)
SK_AVX512_KERNEL(2)
SK_AVX512_KERNEL(3)
SK_AVX512_KERNEL(4)
SK_AVX512_KERNEL(5)
SK_AVX512_KERNEL(6)
SK_AVX512_KERNEL(7)
SK_AVX512_KERNEL(8)
SK_AVX512_KERNEL(9)
SK_AVX512_KERNEL(10)
SK_AVX512_KERNEL(11)
SK_AVX512_KERNEL(12)
static const sk_kernel sk_avx512_kernels[] = {sk_avx512_1, sk_avx512_2, sk_avx512_3, sk_avx512_4,
                                              sk_avx512_5, sk_avx512_6, sk_avx512_7, sk_avx512_8,
                                              sk_avx512_9, sk_avx512_10, sk_avx512_11, sk_avx512_12};

#define SK_AVX2_KERNEL(R)                                                                         \
    __attribute__((target("avx2,fma"))) static void sk_avx2_##R(size_t kc, const float *pa,        \
                                                                 const float *pb, float *tile) {  \
        __m256 lo[R], hi[R];                                                                      \
        for (int r = 0; r < R; r++) lo[r] = hi[r] = _mm256_setzero_ps();                          \
        for (size_t p = 0; p < kc; p++) {                                                         \
            __m256 b0 = _mm256_loadu_ps(pb + p * SK_NR), b1 = _mm256_loadu_ps(pb + p * SK_NR + 8); \
            for (int r = 0; r < R; r++) {                                                         \
                __m256 av = _mm256_broadcast_ss(pa + p * R + r);                                  \
                lo[r] = _mm256_fmadd_ps(av, b0, lo[r]);                                           \
                hi[r] = _mm256_fmadd_ps(av, b1, hi[r]);                                           \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++) {                                                             \
            _mm256_storeu_ps(tile + r * SK_NR, lo[r]);                                            \
            _mm256_storeu_ps(tile + r * SK_NR + 8, hi[r]);                                        \
        }                                                                                         \
    }
SK_AVX2_KERNEL(1)
SK_AVX2_KERNEL(2)
SK_AVX2_KERNEL(3)
SK_AVX2_KERNEL(4)
SK_AVX2_KERNEL(5)
SK_AVX2_KERNEL(6)
static const sk_kernel sk_avx2_kernels[] = {sk_avx2_1, sk_avx2_2, sk_avx2_3, sk_avx2_4, sk_avx2_5, sk_avx2_6};
#endif

/* Writes the valid rows × cols of a tile into C. `first` is the first k block: it applies beta
 * (C not read when beta == 0) and the bias; later blocks accumulate. */
static void sk_store(size_t rows, size_t cols, const float *tile, float alpha, float beta, int first,
                     float *c, size_t ldc, const float *bias) {
    for (size_t r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        const float *tr = tile + r * SK_NR;
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

static void sk_drive(const sk_kernel *kernels, size_t mr, int trans_a, size_t m, size_t n, size_t k,
                     float alpha, const float *a, size_t lda, const float *pb, float beta, float *c,
                     size_t ldc, const float *bias) {
    float tile[12 * SK_NR];
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
    float local[12 * SK_KC];
    if (!abuf) { abuf = local; mc_max = mr; } /* degraded but correct when the buffer is unavailable */
    for (size_t jc = 0; jc < n; jc += SK_NC) {
        size_t nc = n - jc < SK_NC ? n - jc : SK_NC;
        for (size_t pc = 0; pc < k; pc += SK_KC) {
            size_t kc = k - pc < SK_KC ? k - pc : SK_KC;
            int first = pc == 0;
            for (size_t ic = 0; ic < m; ic += mc_max) {
                size_t mc = m - ic < mc_max ? m - ic : mc_max;
                sk_pack_a(trans_a, a, lda, ic, mc, pc, kc, mr, abuf);
                for (size_t jr = 0; jr < nc; jr += SK_NR) {
                    size_t j = jc + jr, cols = n - j < SK_NR ? n - j : SK_NR;
                    const float *pbp = pb + (j / SK_NR) * k * SK_NR + pc * SK_NR;
                    for (size_t ir = 0; ir < mc; ir += mr) {
                        size_t rows = mc - ir < mr ? mc - ir : mr;
                        kernels[rows - 1](kc, abuf + ir * kc, pbp, tile);
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
        sk_drive(sk_avx512_kernels, 12, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc, bias);
        return;
    }
    if (tier != CK_TIER_SCALAR) {
        sk_drive(sk_avx2_kernels, 6, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc, bias);
        return;
    }
#endif
    (void)tier;
    sk_drive(sk_scalar_kernels, 4, trans_a, m, n, k, alpha, a, lda, packed_b, beta, c, ldc, bias);
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
