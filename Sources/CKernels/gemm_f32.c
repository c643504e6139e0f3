/* fp32 GEMM: scalar reference, B packing, a fused AVX-512 path and a tiled driver for the other
 * tiers, split over the shared thread pool when the work pays for it.
 *
 * Packed B: panels of up to SK_PW = 64 columns; panel p covers columns 64p… and has width
 * w_p = 16·ceil(min(64, n − 64p)/16); it starts at float 64p·k and holds k rows of w_p floats
 * (row p_k at + p_k·w_p, the 16-column sub-panel q at + q·16), columns past n zero.
 * AVX-512: micro-kernels of up to 6 rows × 64 columns (24 zmm accumulators) read A in place
 * (broadcast operands) over k blocks of SK_KC_FUSED and apply alpha, beta and bias in their
 * epilogue. Other tiers: A packed per MC×KC block (row blocks of R ≤ MR rows, k-major), a
 * micro-kernel into a scratch tile, and a shared store. */
#include "ck_gemm.h"
#include "ck_tiers.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define SK_NR 16
#define SK_PW 64
#define SK_KC 256
#define SK_NC 1024
#define SK_MC_ROWS 128

static inline size_t sk_round16(size_t x) { return (x + SK_NR - 1) / SK_NR * SK_NR; }

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
    return (k ? k : 1) * (n ? sk_round16(n) : SK_NR);
}

void ck_sgemm_pack_b(int trans_b, size_t k, size_t n, const float *b, size_t ldb, float *packed) {
    for (size_t j0 = 0; j0 < n; j0 += SK_PW) {
        size_t w = n - j0 < SK_PW ? sk_round16(n - j0) : SK_PW, cols = n - j0 < SK_PW ? n - j0 : SK_PW;
        float *dst = packed + j0 * k;
        for (size_t p = 0; p < k; p++) {
            float *row = dst + p * w;
            size_t j = 0;
            if (trans_b) {
                for (; j < cols; j++) row[j] = b[(j0 + j) * ldb + p];
            } else {
                for (; j < cols; j++) row[j] = b[p * ldb + j0 + j];
            }
            for (; j < w; j++) row[j] = 0;
        }
    }
}

/* Micro-kernel over R rows × P panels: tile[r*SK_TLD + 16*q + j] = Σ_{p<kc} pa[p*R + r] ·
 * pb[q*pstride + p*16 + j]. Kernel tables are indexed [(R−1)*SK_PMAX + (P−1)]. */
#define SK_PMAX 4
#define SK_TLD (SK_NR * SK_PMAX)
typedef void (*sk_kernel)(size_t kc, const float *pa, const float *pb, size_t gs, float *tile);

/* Per tier: rows per block and, per row count, the most panels one call covers. */
typedef struct {
    size_t mr;
    unsigned char max_p[12];
    const sk_kernel *table;
} sk_tier;

#define SK_SCALAR_KERNEL(R)                                                                       \
    static void sk_scalar_##R(size_t kc, const float *pa, const float *pb, size_t gs, float *tile) { \
        (void)gs;                                                                            \
        float acc[R][SK_NR];                                                                      \
        memset(acc, 0, sizeof acc);                                                               \
        for (size_t p = 0; p < kc; p++)                                                           \
            for (int r = 0; r < R; r++)                                                           \
                for (int j = 0; j < SK_NR; j++) acc[r][j] += pa[p * R + r] * pb[p * gs + j];   \
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
#define SK_AVX2_KERNEL(R, P)                                                                      \
    __attribute__((target("avx2,fma"))) static void sk_avx2_##R##_##P(                             \
        size_t kc, const float *pa, const float *pb, size_t gs, float *tile) {              \
        __m256 acc[R][2 * P];                                                                     \
        for (int r = 0; r < R; r++)                                                               \
            for (int q = 0; q < 2 * P; q++) acc[r][q] = _mm256_setzero_ps();                      \
        for (size_t p = 0; p < kc; p++) {                                                         \
            __m256 bv[2 * P];                                                                     \
            for (int q = 0; q < P; q++) {                                                         \
                bv[2 * q] = _mm256_loadu_ps(pb + p * gs + q * SK_NR);                        \
                bv[2 * q + 1] = _mm256_loadu_ps(pb + p * gs + q * SK_NR + 8);                \
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

/* The tiled driver for rows [0, m) and columns [0, n) of a sub-problem whose packed B starts at
 * panel 0 (pb) with the full k. */
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
    for (size_t jc = 0; jc < n; jc += SK_NC) {
        size_t nc = n - jc < SK_NC ? n - jc : SK_NC;
        for (size_t pc = 0; pc < k; pc += SK_KC) {
            size_t kc = k - pc < SK_KC ? k - pc : SK_KC;
            int first = pc == 0;
            for (size_t ic = 0; ic < m; ic += mc_max) {
                size_t mc = m - ic < mc_max ? m - ic : mc_max;
                sk_pack_a(trans_a, a, lda, ic, mc, pc, kc, mr, abuf);
                size_t group = t->max_p[(mc < mr ? mc : mr) - 1];
                for (size_t pj = jc; pj < jc + nc; pj += SK_PW) {
                    size_t pw = n - pj < SK_PW ? sk_round16(n - pj) : SK_PW;
                    const float *pbase = pb + pj * k + pc * pw;
                    for (size_t s = 0; s < pw / SK_NR; s += group) {
                        size_t panels = pw / SK_NR - s < group ? pw / SK_NR - s : group;
                        size_t j = pj + s * SK_NR, cols = n - j < panels * SK_NR ? n - j : panels * SK_NR;
                        for (size_t ir = 0; ir < mc; ir += mr) {
                            size_t rows = mc - ir < mr ? mc - ir : mr;
                            t->table[(rows - 1) * SK_PMAX + panels - 1](kc, abuf + ir * kc, pbase + s * SK_NR, pw, tile);
                            sk_store(rows, cols, tile, alpha, beta, first, c + (ic + ir) * ldc + j, ldc,
                                     bias && first ? bias + j : NULL);
                        }
                    }
                }
            }
        }
    }
}

#if defined(__x86_64__)
/* ---- AVX-512: fused micro-kernels -------------------------------------------------------------
 * One call: R rows × P sub-panels of one panel over k rows [p0, p0 + kc): acc = Σ a[r][p]·b[p][j]
 * with A read in place, then (first k block) C = alpha·acc + beta·C + bias, C not read when
 * beta == 0, or (later blocks) C += alpha·acc; masked loads and stores past n.
 * Each output is one FMA chain over k in order, the sums ONNX Runtime's MLAS forms: int8 models
 * quantize these floats again (DynamicQuantizeLinear), and a different summation order moves
 * values across rounding boundaries and changes translations. */
typedef struct {
    const float *a;
    size_t lda;
    float alpha, beta;
    const float *bias;
    float *c;
    size_t ldc;
} sv_args;

#define SV_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,fma")))
#define SV_UNROLL _Pragma("clang loop unroll(full)")
typedef void (*sv_kernel)(const sv_args *e, const float *pb, size_t gs, size_t kc, size_t p0, int first,
                          size_t cols, size_t i, size_t j);

SV_TARGET static inline __attribute__((always_inline)) void
sv_store(const sv_args *e, __m512 acc, int first, size_t row, size_t j, size_t valid) {
    __mmask16 mk = valid >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << valid) - 1);
    float *cp = e->c + row * e->ldc + j;
    __m512 v = _mm512_mul_ps(_mm512_set1_ps(e->alpha), acc);
    if (!first) {
        v = _mm512_add_ps(_mm512_maskz_loadu_ps(mk, cp), v);
    } else {
        if (e->beta != 0) v = _mm512_add_ps(v, _mm512_mul_ps(_mm512_set1_ps(e->beta), _mm512_maskz_loadu_ps(mk, cp)));
        if (e->bias) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mk, e->bias + j));
    }
    _mm512_mask_storeu_ps(cp, mk, v);
}

#define SV_KERNEL(R, P)                                                                           \
    SV_TARGET static void sv_##R##_##P(const sv_args *e, const float *pb, size_t gs, size_t kc, size_t p0, \
                                       int first, size_t cols, size_t i, size_t j) {              \
        __m512 acc[R][P];                                                                         \
        SV_UNROLL for (int r = 0; r < R; r++)                                                     \
            SV_UNROLL for (int q = 0; q < P; q++) acc[r][q] = _mm512_setzero_ps();                \
        const float *ar[R];                                                                       \
        SV_UNROLL for (int r = 0; r < R; r++) ar[r] = e->a + (i + r) * e->lda + p0;               \
        for (size_t p = 0; p < kc; p++) {                                                         \
            const float *bp = pb + p * gs;                                                        \
            __m512 bv[P];                                                                         \
            SV_UNROLL for (int q = 0; q < P; q++) bv[q] = _mm512_loadu_ps(bp + q * 16);           \
            SV_UNROLL for (int r = 0; r < R; r++) {                                               \
                __m512 av = _mm512_set1_ps(ar[r][p]);                                             \
                SV_UNROLL for (int q = 0; q < P; q++) acc[r][q] = _mm512_fmadd_ps(av, bv[q], acc[r][q]); \
            }                                                                                     \
        }                                                                                         \
        SV_UNROLL for (int r = 0; r < R; r++)                                                     \
            SV_UNROLL for (int q = 0; q < P; q++)                                                 \
                if (16 * q < (int)cols) sv_store(e, acc[r][q], first, i + (size_t)r, j + 16 * (size_t)q, cols - 16 * (size_t)q); \
    }
#define SV_ROW(R) SV_KERNEL(R, 1) SV_KERNEL(R, 2) SV_KERNEL(R, 3) SV_KERNEL(R, 4)
SV_ROW(1) SV_ROW(2) SV_ROW(3) SV_ROW(4) SV_ROW(5) SV_ROW(6)
#define SV_MR 6
static const sv_kernel sv_table[SV_MR][4] = {
    {sv_1_1, sv_1_2, sv_1_3, sv_1_4}, {sv_2_1, sv_2_2, sv_2_3, sv_2_4}, {sv_3_1, sv_3_2, sv_3_3, sv_3_4},
    {sv_4_1, sv_4_2, sv_4_3, sv_4_4}, {sv_5_1, sv_5_2, sv_5_3, sv_5_4}, {sv_6_1, sv_6_2, sv_6_3, sv_6_4}};

#define SV_KC 512
#define SV_A_BLOCK_BYTES (192 * 1024)
#define SV_B_BLOCK_BYTES (512 * 1024)

/* Rows [i0, i1) × panels [q0, q1) on one thread; A row-major (lda). */
static void sv_drive(size_t i0, size_t i1, size_t q0, size_t q1, size_t n, size_t k, float alpha,
                     const float *a, size_t lda, const float *pb, float beta, float *c, size_t ldc,
                     const float *bias) {
    sv_args e = {a, lda, alpha, beta, bias, c, ldc};
    if (k == 0) { /* C = beta·C + bias through the epilogue with a zero accumulator */
        for (size_t pn = q0; pn < q1; pn++) {
            size_t pj = pn * SK_PW, cols = n - pj < SK_PW ? n - pj : SK_PW;
            for (size_t i = i0; i < i1; i += SV_MR) {
                size_t R = i1 - i < SV_MR ? i1 - i : SV_MR;
                sv_table[R - 1][(cols + 15) / 16 - 1](&e, pb, 0, 0, 0, 1, cols, i, pj);
            }
        }
        return;
    }
    size_t kcb = k < SV_KC ? k : SV_KC;
    size_t mc = SV_A_BLOCK_BYTES / (kcb * sizeof(float)) / SV_MR * SV_MR;
    if (mc < SV_MR) mc = SV_MR;
    size_t qblock = SV_B_BLOCK_BYTES / (kcb * SK_PW * sizeof(float));
    if (qblock == 0) qblock = 1;
    for (size_t qc = q0; qc < q1; qc += qblock) {
        size_t qe = qc + qblock < q1 ? qc + qblock : q1;
        for (size_t pc = 0; pc < k; pc += SV_KC) {
            size_t kc = k - pc < SV_KC ? k - pc : SV_KC;
            for (size_t ic = i0; ic < i1; ic += mc) {
                size_t ie = ic + mc < i1 ? ic + mc : i1;
                for (size_t pn = qc; pn < qe; pn++) {
                    size_t pj = pn * SK_PW, cols = n - pj < SK_PW ? n - pj : SK_PW;
                    size_t sub = (cols + 15) / 16;
                    const float *pbase = pb + pj * k + pc * sub * 16;
                    for (size_t i = ic; i < ie; i += SV_MR) {
                        size_t R = ie - i < SV_MR ? ie - i : SV_MR;
                        sv_table[R - 1][sub - 1](&e, pbase, sub * 16, kc, pc, pc == 0, cols, i, pj);
                    }
                }
            }
        }
    }
}
#endif

/* ---- entry points: tier choice and the split over threads ------------------------------------ */
typedef struct {
    CKTier tier;
    int trans_a;
    size_t m, n, k;
    float alpha, beta;
    const float *a;
    size_t lda;
    const float *pb;
    float *c;
    size_t ldc;
    const float *bias;
    int by_rows;
    size_t units, chunks;
} sk_job;

static void sk_range(const sk_job *jb, size_t i0, size_t i1, size_t q0, size_t q1) {
#if defined(__x86_64__)
    if (jb->tier == CK_TIER_AVX512BW || jb->tier == CK_TIER_AVX512_VNNI) {
        if (!jb->trans_a) {
            sv_drive(i0, i1, q0, q1, jb->n, jb->k, jb->alpha, jb->a, jb->lda, jb->pb, jb->beta, jb->c, jb->ldc, jb->bias);
            return;
        }
        /* op(A) = Aᵀ: rows [i0, i1) of it copied row-major, then the same path. */
        size_t rows = i1 - i0, k = jb->k;
        float *at = malloc(sizeof(float) * (rows * k ? rows * k : 1));
        if (at) {
            for (size_t p = 0; p < k; p++)
                for (size_t r = 0; r < rows; r++) at[r * k + p] = jb->a[p * jb->lda + i0 + r];
            sv_drive(0, rows, q0, q1, jb->n, k, jb->alpha, at, k, jb->pb, jb->beta, jb->c + i0 * jb->ldc, jb->ldc,
                     jb->bias);
            free(at);
            return;
        }
    }
#endif
    const sk_tier *t = &sk_scalar_tier;
#if defined(__x86_64__)
    if (jb->tier != CK_TIER_SCALAR) t = &sk_avx2_tier; /* also AVX-512 without memory for Aᵀ */
#endif
    size_t j0 = q0 * SK_PW, j1 = q1 * SK_PW < jb->n ? q1 * SK_PW : jb->n;
    const float *a = jb->trans_a ? jb->a + i0 : jb->a + i0 * jb->lda;
    sk_drive(t, jb->trans_a, i1 - i0, j1 - j0, jb->k, jb->alpha, a, jb->lda, jb->pb + j0 * jb->k, jb->beta,
             jb->c + i0 * jb->ldc + j0, jb->ldc, jb->bias ? jb->bias + j0 : NULL);
}

static void sk_task(void *ctx, size_t task) {
    const sk_job *jb = ctx;
    size_t u0 = task * jb->units / jb->chunks, u1 = (task + 1) * jb->units / jb->chunks;
    size_t panels = (jb->n + SK_PW - 1) / SK_PW;
    if (jb->by_rows) sk_range(jb, u0 * 6, u1 * 6 < jb->m ? u1 * 6 : jb->m, 0, panels);
    else sk_range(jb, 0, jb->m, u0, u1);
}

/* Work (multiply-adds) below which a GEMM stays on one thread, and the least work per thread. */
#define SK_PAR_MIN_MACS ((size_t)1 << 19)

void ck_sgemm_packed(CKTier tier, int trans_a, size_t m, size_t n, size_t k, float alpha,
                     const float *a, size_t lda, const float *packed_b, float beta,
                     float *c, size_t ldc, const float *bias) {
    if (m == 0 || n == 0) return;
    sk_job jb = {tier, trans_a, m, n, k, alpha, beta, a, lda, packed_b, c, ldc, bias, 0, 0, 0};
    size_t panels = (n + SK_PW - 1) / SK_PW, row_units = (m + 5) / 6;
    size_t threads = (size_t)ck_get_threads();
    double macs = (double)m * (double)n * (double)(k ? k : 1);
    if (threads > 1 && macs >= 2.0 * SK_PAR_MIN_MACS) {
        size_t by_work = (size_t)(macs / SK_PAR_MIN_MACS);
        if (threads > by_work) threads = by_work;
        jb.by_rows = panels < 2 * threads && row_units > panels;
        jb.units = jb.by_rows ? row_units : panels;
        /* The AVX-512 path reads A in place, so small tasks cost nothing extra and bound what a
         * descheduled worker can hold up; the other paths pack (or transpose) A per task. */
        int in_place = !trans_a && (tier == CK_TIER_AVX512BW || tier == CK_TIER_AVX512_VNNI);
        size_t chunks = (in_place ? 16 : 4) * threads;
        if (chunks > jb.units) chunks = jb.units;
        if (chunks >= 2) {
            jb.chunks = chunks;
            ck_parallel_for(chunks, threads, sk_task, &jb);
            return;
        }
    }
    sk_range(&jb, 0, m, 0, panels);
}

/* ---- M == 1 with B read in place -------------------------------------------------------------
 * ONNX Runtime's MLAS takes this path for one-row products with a B it did not prepack
 * (MlasSgemmKernelM1Avx, onnxruntime/core/mlas/lib/x86_64/SgemmKernelM1Avx.S): k in groups of 4,
 * then one of 2, then 1; within a group the products are rounded and added left to right (no
 * fused multiply-add), and each group's sum is then added to C (to +0 for the first group when
 * beta == 0). Attention scores and context vectors of a decoder step are such products, and int8
 * models quantize what follows, so the same roundings matter. Elementwise over j, so every tier
 * vectorizes the same arithmetic and the tiers agree bit for bit. */
#pragma clang fp contract(off)
CK_INLINE void sgemm_m1_group(size_t n, size_t g, const float *a, const float *b, size_t ldb, int first,
                              float *c) {
    const float *b0 = b, *b1 = b + ldb, *b2 = b + 2 * ldb, *b3 = b + 3 * ldb;
    const float a0 = a[0], a1 = g > 1 ? a[1] : 0, a2 = g > 2 ? a[2] : 0, a3 = g > 3 ? a[3] : 0;
    for (size_t j = 0; j < n; j++) {
        float t = a0 * b0[j];
        if (g > 1) t = t + a1 * b1[j];
        if (g > 2) {
            t = t + a2 * b2[j];
            t = t + a3 * b3[j];
        }
        c[j] = t + (first ? 0.0f : c[j]);
    }
}

CK_INLINE void sgemm_m1_body(size_t n, size_t k, const float *a, const float *b, size_t ldb, int accumulate,
                             float *c) {
    int first = !accumulate;
    size_t p = 0;
    for (; p + 4 <= k; p += 4, first = 0) sgemm_m1_group(n, 4, a + p, b + p * ldb, ldb, first, c);
    if (k - p >= 2) {
        sgemm_m1_group(n, 2, a + p, b + p * ldb, ldb, first, c);
        first = 0;
        p += 2;
    }
    if (k - p == 1) sgemm_m1_group(n, 1, a + p, b + p * ldb, ldb, first, c);
}

#define SM1_PARAMS (size_t n, size_t k, const float *a, const float *b, size_t ldb, int accumulate, float *c)
#define SM1_ARGS (n, k, a, b, ldb, accumulate, c)
CK_TIERED(sgemm_m1, SM1_PARAMS, SM1_ARGS, sgemm_m1_body)

void ck_sgemm_m1(CKTier tier, size_t n, size_t k, const float *a, const float *b, size_t ldb, int accumulate,
                 float *c) {
    if (n == 0) return;
    if (k == 0) {
        if (!accumulate) memset(c, 0, n * sizeof(float));
        return;
    }
    CK_DISPATCH(sgemm_m1, tier, SM1_ARGS)
}

/* Per-thread scratch for B packed on the fly (ck_sgemm): reused across calls, so small products
 * (attention scores) do not allocate. Freed at thread exit. ck_sgemm holds it only while it runs
 * and never re-enters itself on the same thread. */
#define SK_SCRATCH_MAX ((size_t)1 << 16) /* floats; larger B packs into a fresh allocation */

typedef struct { float *p; size_t cap; } SkScratch;
static pthread_key_t sk_scratch_key;
static pthread_once_t sk_scratch_once = PTHREAD_ONCE_INIT;
static int sk_scratch_ok;

static void sk_scratch_free(void *v) {
    SkScratch *s = v;
    free(s->p);
    free(s);
}

static void sk_scratch_init(void) { sk_scratch_ok = pthread_key_create(&sk_scratch_key, sk_scratch_free) == 0; }

/* This thread's scratch of at least `count` floats (64-byte aligned), or NULL. */
static float *sk_scratch_get(size_t count) {
    if (count > SK_SCRATCH_MAX) return NULL;
    pthread_once(&sk_scratch_once, sk_scratch_init);
    if (!sk_scratch_ok) return NULL;
    SkScratch *s = pthread_getspecific(sk_scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s) return NULL;
        if (pthread_setspecific(sk_scratch_key, s) != 0) { free(s); return NULL; }
    }
    if (s->cap < count) {
        size_t want = count < 4096 ? 4096 : count;
        void *p = NULL;
        if (posix_memalign(&p, 64, sizeof(float) * want) != 0) return NULL;
        free(s->p);
        s->p = p;
        s->cap = want;
    }
    return s->p;
}

int ck_sgemm(CKTier tier, int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
             const float *a, size_t lda, const float *b, size_t ldb, float beta,
             float *c, size_t ldc, const float *bias) {
    if (m == 0 || n == 0) return 0;
    if (m == 1 && !trans_a && !trans_b && alpha == 1.0f && (beta == 0.0f || beta == 1.0f) && !bias && k > 0) {
        ck_sgemm_m1(tier, n, k, a, b, ldb, beta == 1.0f, c);
        return 0;
    }
    size_t count = ck_sgemm_packed_b_count(k, n);
    float *scratch = sk_scratch_get(count);
    void *p = scratch;
    if (!p && posix_memalign(&p, 64, sizeof(float) * count) != 0) return -1;
    ck_sgemm_pack_b(trans_b, k, n, b, ldb, p);
    ck_sgemm_packed(tier, trans_a, m, n, k, alpha, a, lda, p, beta, c, ldc, bias);
    if (!scratch) free(p);
    return 0;
}

/* ---- batches of independent products over the pool ------------------------------------------ */

/* Below this many multiply-adds in all, the batch runs on the caller (a pool wake-up costs a few
 * microseconds; a 1×64×64 product about one). */
#define SK_BATCH_PAR_MIN_MACS ((size_t)1 << 16)

typedef struct {
    CKTier tier;
    int trans_a, trans_b;
    size_t count, m, n, k, per_task;
    float alpha, beta;
    const float *a, *b;
    const size_t *a_off, *b_off;
    size_t lda, ldb;
    float *c;
    size_t c_stride, ldc;
    int failed; /* written only with a relaxed store of 1 */
} SkBatchJob;

static void sk_batch_run(const SkBatchJob *j, size_t lo, size_t hi, int *failed) {
    for (size_t i = lo; i < hi; i++) {
        if (ck_sgemm(j->tier, j->trans_a, j->trans_b, j->m, j->n, j->k, j->alpha, j->a + j->a_off[i], j->lda,
                     j->b + j->b_off[i], j->ldb, j->beta, j->c + i * j->c_stride, j->ldc, NULL) != 0)
            *failed = 1;
    }
}

static void sk_batch_task(void *ctx, size_t task) {
    SkBatchJob *j = ctx;
    size_t lo = task * j->per_task, hi = lo + j->per_task;
    if (hi > j->count) hi = j->count;
    int failed = 0;
    sk_batch_run(j, lo, hi, &failed);
    if (failed) __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
}

int ck_sgemm_batch(CKTier tier, size_t count, int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha,
                   const float *a, const size_t *a_offsets, size_t lda,
                   const float *b, const size_t *b_offsets, size_t ldb, float beta,
                   float *c, size_t c_stride, size_t ldc) {
    if (count == 0 || m == 0 || n == 0) return 0;
    SkBatchJob j = {tier, trans_a, trans_b, count, m, n, k, count, alpha, beta, a, b, a_offsets, b_offsets,
                    lda, ldb, c, c_stride, ldc, 0};
    size_t threads = (size_t)ck_get_threads();
    double item_macs = (double)m * (double)n * (double)(k ? k : 1);
    /* An item big enough to split itself is left to ck_sgemm's own split. */
    if (threads > 1 && count >= 2 && item_macs < (double)SK_PAR_MIN_MACS &&
        item_macs * (double)count >= (double)SK_BATCH_PAR_MIN_MACS) {
        size_t tasks = 4 * threads;
        if (tasks > count) tasks = count;
        j.per_task = (count + tasks - 1) / tasks;
        tasks = (count + j.per_task - 1) / j.per_task;
        ck_parallel_for(tasks, threads, sk_batch_task, &j);
        return __atomic_load_n(&j.failed, __ATOMIC_RELAXED) ? -1 : 0;
    }
    int failed = 0;
    sk_batch_run(&j, 0, count, &failed);
    return failed ? -1 : 0;
}
