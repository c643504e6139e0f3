/* int8 GEMM, AVX-512 VNNI tier: register-blocked micro-kernels with the zero-point correction
 * and the output stage fused into their epilogue (see gemm_i8.c for the packed-B layout). */
#include "ck_gemm.h"
#include "gemm_i8_internal.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>

/* ---- AVX-512 VNNI: fused micro-kernels ------------------------------------------------------
 * One call computes R rows × P sub-panels (16 columns each) of one panel over all of k, reading
 * the R rows of u8 A in place (broadcast 4 bytes per k group) and the panel's groups in order,
 * then applies C = acc − za[r]·colsum[j] − zb[j]·rs[r] with rs[r] = rowsum[r] − k·za[r]
 * (mod 2^32) and writes int32 C or float Y (masked stores past n). With R·P ≤ 8 the k loop runs
 * two accumulator sets (even and odd groups) so at least 8 vpdpbusd chains are in flight. */
typedef struct {
    const uint8_t *a; /* u8 rows of this block, row r at a + r*lda */
    size_t lda, kq4, ktail;
    size_t row0;             /* output row of the block's row 0 */
    const uint32_t *za, *rs; /* per row of the block (shifted to u8 / s8 domains) */
    const int32_t *colsum;   /* per column, at the call's column 0 */
    const int32_t *b_zp;     /* NULL: zb is the constant zb0 */
    size_t b_zp_stride;
    uint32_t zb0, zb_shift;
    int has_zb;              /* zb not identically 0 */
    const qk_out *o;
} qv_args;

#define QV_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
typedef void (*qv_kernel)(const qv_args *e, const int8_t *pb, size_t gs, size_t cols, size_t i, size_t j);

QV_TARGET static inline __attribute__((always_inline)) void
qv_store(const qv_args *e, __m512i acc, size_t r, size_t i, size_t j, size_t valid) {
    __mmask16 mk = valid >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << valid) - 1);
    __m512i cs = _mm512_maskz_loadu_epi32(mk, e->colsum + j);
    __m512i v = _mm512_sub_epi32(acc, _mm512_mullo_epi32(_mm512_set1_epi32((int)e->za[i + r]), cs));
    if (e->has_zb) {
        __m512i zb;
        if (e->b_zp && e->b_zp_stride)
            zb = _mm512_sub_epi32(_mm512_maskz_loadu_epi32(mk, e->b_zp + j), _mm512_set1_epi32((int)e->zb_shift));
        else
            zb = _mm512_set1_epi32((int)e->zb0);
        v = _mm512_sub_epi32(v, _mm512_mullo_epi32(zb, _mm512_set1_epi32((int)e->rs[i + r])));
    }
    const qk_out *o = e->o;
    if (o->y) {
        __m512 s = o->b_scale_stride ? _mm512_maskz_loadu_ps(mk, o->b_scale + j) : _mm512_set1_ps(o->b_scale[0]);
        s = _mm512_mul_ps(_mm512_set1_ps(o->a_scale), s);
        __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), s);
        if (o->bias) f = _mm512_add_ps(f, _mm512_maskz_loadu_ps(mk, o->bias + j));
        _mm512_mask_storeu_ps(o->y + (e->row0 + i + r) * o->ldy + j, mk, f);
    } else {
        _mm512_mask_storeu_epi32(o->c + (e->row0 + i + r) * o->ldc + j, mk, v);
    }
}

/* The last 1–3 bytes of a row, zero-extended (never reads past them). */
static inline int32_t qv_tail(const uint8_t *p, size_t n) {
    uint32_t v = p[0];
    if (n > 1) v |= (uint32_t)p[1] << 8;
    if (n > 2) v |= (uint32_t)p[2] << 16;
    return (int32_t)v;
}

#define QV_UNROLL _Pragma("clang loop unroll(full)")
#define QV_KERNEL(R, P)                                                                           \
    QV_TARGET static void qv_##R##_##P(const qv_args *e, const int8_t *pb, size_t gs, size_t cols, \
                                       size_t i, size_t j) {                                      \
        enum { S = (R) * (P) <= 8 ? 2 : 1 };                                                      \
        __m512i acc[S][R][P];                                                                     \
        QV_UNROLL for (int s = 0; s < S; s++)                                                               \
            QV_UNROLL for (int r = 0; r < R; r++)                                                           \
                QV_UNROLL for (int q = 0; q < P; q++) acc[s][r][q] = _mm512_setzero_si512();                \
        const uint8_t *ar[R];                                                                     \
        QV_UNROLL for (int r = 0; r < R; r++) ar[r] = e->a + (i + r) * e->lda;                              \
        size_t kq4 = e->kq4, g = 0;                                                               \
        for (; g + S <= kq4; g += S) {                                                            \
            QV_UNROLL for (int s = 0; s < S; s++) {                                                         \
                const int8_t *bp = pb + (g + s) * gs;                                             \
                __m512i bv[P];                                                                    \
                QV_UNROLL for (int q = 0; q < P; q++) bv[q] = _mm512_loadu_si512((const void *)(bp + q * 64)); \
                QV_UNROLL for (int r = 0; r < R; r++) {                                                     \
                    int32_t av;                                                                   \
                    memcpy(&av, ar[r] + 4 * (g + s), 4);                                          \
                    __m512i a4 = _mm512_set1_epi32(av);                                           \
                    QV_UNROLL for (int q = 0; q < P; q++) acc[s][r][q] = _mm512_dpbusd_epi32(acc[s][r][q], a4, bv[q]); \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
        if (S == 2 && g < kq4) {                                                                  \
            const int8_t *bp = pb + g * gs;                                                       \
            __m512i bv[P];                                                                        \
            QV_UNROLL for (int q = 0; q < P; q++) bv[q] = _mm512_loadu_si512((const void *)(bp + q * 64)); \
            QV_UNROLL for (int r = 0; r < R; r++) {                                               \
                int32_t av;                                                                       \
                memcpy(&av, ar[r] + 4 * g, 4);                                                    \
                __m512i a4 = _mm512_set1_epi32(av);                                               \
                QV_UNROLL for (int q = 0; q < P; q++) acc[0][r][q] = _mm512_dpbusd_epi32(acc[0][r][q], a4, bv[q]); \
            }                                                                                     \
            g++;                                                                                  \
        }                                                                                         \
        if (e->ktail) {                                                                           \
            const int8_t *bp = pb + g * gs;                                                       \
            __m512i bv[P];                                                                        \
            QV_UNROLL for (int q = 0; q < P; q++) bv[q] = _mm512_loadu_si512((const void *)(bp + q * 64)); \
            QV_UNROLL for (int r = 0; r < R; r++) {                                               \
                __m512i a4 = _mm512_set1_epi32(qv_tail(ar[r] + 4 * g, e->ktail));                 \
                QV_UNROLL for (int q = 0; q < P; q++) acc[0][r][q] = _mm512_dpbusd_epi32(acc[0][r][q], a4, bv[q]); \
            }                                                                                     \
        }                                                                                         \
        QV_UNROLL for (int r = 0; r < R; r++)                                                               \
            QV_UNROLL for (int q = 0; q < P; q++) {                                                         \
                __m512i v = acc[0][r][q];                                                         \
                if (S == 2) v = _mm512_add_epi32(v, acc[S - 1][r][q]);                            \
                if (16 * q < (int)cols) qv_store(e, v, (size_t)r, i, j + 16 * (size_t)q, cols - 16 * (size_t)q); \
            }                                                                                     \
    }
#define QV_ROW(R) QV_KERNEL(R, 1) QV_KERNEL(R, 2) QV_KERNEL(R, 3) QV_KERNEL(R, 4)
QV_ROW(1) QV_ROW(2) QV_ROW(3) QV_ROW(4) QV_ROW(5) QV_ROW(6)
#define QV_MR 6
static const qv_kernel qv_table[QV_MR][4] = {
    {qv_1_1, qv_1_2, qv_1_3, qv_1_4}, {qv_2_1, qv_2_2, qv_2_3, qv_2_4}, {qv_3_1, qv_3_2, qv_3_3, qv_3_4},
    {qv_4_1, qv_4_2, qv_4_3, qv_4_4}, {qv_5_1, qv_5_2, qv_5_3, qv_5_4}, {qv_6_1, qv_6_2, qv_6_3, qv_6_4}};

static inline size_t qk_round16_(size_t x) { return (x + QK_NR - 1) / QK_NR * QK_NR; }

/* Row sums of u8 rows (mod 2^32). */
QV_TARGET static uint32_t qv_row_sum(const uint8_t *row, size_t k) {
    __m512i acc = _mm512_setzero_si512();
    size_t p = 0;
    for (; p + 64 <= k; p += 64)
        acc = _mm512_add_epi64(acc, _mm512_sad_epu8(_mm512_loadu_si512((const void *)(row + p)), _mm512_setzero_si512()));
    uint64_t s = (uint64_t)_mm512_reduce_add_epi64(acc);
    for (; p < k; p++) s += row[p];
    return (uint32_t)s;
}

/* Few rows of A (R ≤ QV_STREAM_ROWS: a GEMV-like product bound by streaming B): the panels
 * [p0, p1) are walked as one sequential stream (they are contiguous in the packed layout), each
 * full 64-column panel with R·4 accumulator chains (two k-group sets for R = 1, so 8 chains) and a
 * software prefetch of the lines QV_STREAM_DIST bytes ahead, which runs on into the next panel; a
 * partial last panel goes through the micro-kernel of its width. */
#define QV_STREAM_DIST 1024
#define QV_STREAM_ROWS 6
#define QV_STREAM(R)                                                                              \
    QV_TARGET static void qv_stream_##R(const qv_args *e, const int8_t *packed_b, size_t p0, size_t p1, \
                                        size_t n, size_t kq) {                                    \
        enum { S = (R) == 1 ? 2 : 1 };                                                            \
        const uint8_t *ar[R];                                                                     \
        QV_UNROLL for (int r = 0; r < R; r++) ar[r] = e->a + (size_t)r * e->lda;                  \
        size_t kq4 = e->kq4;                                                                      \
        for (size_t pn = p0; pn < p1; pn++) {                                                     \
            size_t pj = pn * QK_PW, cols = n - pj < QK_PW ? n - pj : QK_PW;                       \
            const int8_t *pb = packed_b + pj * kq * 4;                                            \
            if (cols < QK_PW) {                                                                   \
                qv_table[(R) - 1][(cols + QK_NR - 1) / QK_NR - 1](e, pb, qk_round16_(cols) * 4, cols, 0, pj); \
                continue;                                                                         \
            }                                                                                     \
            __m512i acc[S][R][4];                                                                 \
            QV_UNROLL for (int s = 0; s < S; s++)                                                 \
                QV_UNROLL for (int r = 0; r < R; r++)                                             \
                    QV_UNROLL for (int q = 0; q < 4; q++) acc[s][r][q] = _mm512_setzero_si512();  \
            size_t g = 0;                                                                         \
            for (; g + S <= kq4; g += S) {                                                        \
                const char *bp = (const char *)(pb + g * 256);                                    \
                QV_UNROLL for (int l = 0; l < 4 * S; l++) _mm_prefetch(bp + QV_STREAM_DIST + 64 * l, _MM_HINT_T0); \
                QV_UNROLL for (int s = 0; s < S; s++) {                                           \
                    __m512i bv[4];                                                                \
                    QV_UNROLL for (int q = 0; q < 4; q++)                                         \
                        bv[q] = _mm512_loadu_si512((const void *)(bp + 256 * s + 64 * q));        \
                    QV_UNROLL for (int r = 0; r < R; r++) {                                       \
                        int32_t av;                                                               \
                        memcpy(&av, ar[r] + 4 * (g + s), 4);                                      \
                        __m512i a4 = _mm512_set1_epi32(av);                                       \
                        QV_UNROLL for (int q = 0; q < 4; q++) acc[s][r][q] = _mm512_dpbusd_epi32(acc[s][r][q], a4, bv[q]); \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
            for (; g < kq; g++) {                                                                 \
                const char *bp = (const char *)(pb + g * 256);                                    \
                __m512i bv[4];                                                                    \
                QV_UNROLL for (int q = 0; q < 4; q++) bv[q] = _mm512_loadu_si512((const void *)(bp + 64 * q)); \
                QV_UNROLL for (int r = 0; r < R; r++) {                                           \
                    int32_t av;                                                                   \
                    if (g < kq4) memcpy(&av, ar[r] + 4 * g, 4);                                   \
                    else av = qv_tail(ar[r] + 4 * g, e->ktail);                                   \
                    __m512i a4 = _mm512_set1_epi32(av);                                           \
                    QV_UNROLL for (int q = 0; q < 4; q++) acc[0][r][q] = _mm512_dpbusd_epi32(acc[0][r][q], a4, bv[q]); \
                }                                                                                 \
            }                                                                                     \
            QV_UNROLL for (int r = 0; r < R; r++)                                                 \
                QV_UNROLL for (int q = 0; q < 4; q++) {                                           \
                    __m512i v = acc[0][r][q];                                                     \
                    if (S == 2) v = _mm512_add_epi32(v, acc[S - 1][r][q]);                        \
                    qv_store(e, v, (size_t)r, 0, pj + 16 * (size_t)q, 64 - 16 * (size_t)q);       \
                }                                                                                 \
        }                                                                                         \
    }
QV_STREAM(1) QV_STREAM(2) QV_STREAM(3) QV_STREAM(4) QV_STREAM(5) QV_STREAM(6)
typedef void (*qv_stream_fn)(const qv_args *e, const int8_t *packed_b, size_t p0, size_t p1, size_t n, size_t kq);
static const qv_stream_fn qv_stream_table[QV_STREAM_ROWS] = {qv_stream_1, qv_stream_2, qv_stream_3,
                                                            qv_stream_4, qv_stream_5, qv_stream_6};

/* Rows per A block (A block of QV_MC·k bytes stays in L2) and panels per B block. */
#define QV_A_BLOCK_BYTES (192 * 1024)
#define QV_B_BLOCK_BYTES (384 * 1024)
#define QV_MC_MAX 384

/* Rows [i0, i1) × panels [p0, p1) on one thread. Returns -1 when a buffer is unavailable. */
int qv_drive(int a_signed, size_t i0, size_t i1, size_t p0, size_t p1, size_t n, size_t k,
                    const void *a, size_t lda, const int32_t *a_zp, size_t a_zp_stride,
                    const int8_t *packed_b, const int32_t *col_sums, int b_signed,
                    const int32_t *b_zp, size_t b_zp_stride, const qk_out *o) {
    size_t kq = (k + 3) / 4, kqp = kq ? kq : 1;
    size_t mc = QV_A_BLOCK_BYTES / (k ? k : 1);
    mc = mc / QV_MR * QV_MR;
    if (mc < QV_MR) mc = QV_MR;
    if (mc > QV_MC_MAX) mc = QV_MC_MAX;
    size_t pb_block = QV_B_BLOCK_BYTES / (kqp * QK_PW * 4);
    if (pb_block == 0) pb_block = 1;
    uint32_t za_shift = a_signed ? 128u : 0u, zb_shift = b_signed ? 0u : 128u;
    uint32_t za_u[QV_MC_MAX], rs[QV_MC_MAX];
    uint8_t *abuf = NULL;
    if (a_signed) {
        abuf = malloc(mc * (k ? k : 1));
        if (!abuf) return -1;
    }
    qv_args e;
    e.kq4 = k / 4;
    e.ktail = k % 4;
    e.za = za_u;
    e.rs = rs;
    e.row0 = 0;
    e.a = NULL;
    e.lda = 0;
    e.colsum = col_sums;
    e.b_zp = b_zp;
    e.b_zp_stride = b_zp ? b_zp_stride : 0;
    e.zb_shift = zb_shift;
    e.zb0 = (b_zp ? (uint32_t)b_zp[0] : 0u) - zb_shift;
    e.has_zb = (b_zp && b_zp_stride) || e.zb0 != 0;
    e.o = o;
    if (i1 - i0 <= QV_STREAM_ROWS && p1 > p0) {
        /* Few rows: no blocking, B streamed once in memory order. */
        pb_block = p1 - p0;
    }
    for (size_t pc = p0; pc < p1; pc += pb_block) {
        size_t pe = pc + pb_block < p1 ? pc + pb_block : p1;
        for (size_t ic = i0; ic < i1; ic += mc) {
            size_t rows = i1 - ic < mc ? i1 - ic : mc;
            if (a_signed) {
                for (size_t r = 0; r < rows; r++) {
                    const uint8_t *src = (const uint8_t *)a + (ic + r) * lda;
                    for (size_t p = 0; p < k; p++) abuf[r * k + p] = src[p] ^ 0x80;
                }
                e.a = abuf;
                e.lda = k;
            } else {
                e.a = (const uint8_t *)a + ic * lda;
                e.lda = lda;
            }
            e.row0 = ic;
            for (size_t r = 0; r < rows; r++) {
                uint32_t za = (a_zp ? (uint32_t)a_zp[(ic + r) * a_zp_stride] : 0u) + za_shift;
                za_u[r] = za;
                rs[r] = e.has_zb ? qv_row_sum(e.a + r * e.lda, k) - (uint32_t)k * za : 0u;
            }
            if (rows <= QV_STREAM_ROWS) {
                qv_stream_table[rows - 1](&e, packed_b, pc, pe, n, kq);
                continue;
            }
            for (size_t pn = pc; pn < pe; pn++) {
                size_t pj = pn * QK_PW, cols = n - pj < QK_PW ? n - pj : QK_PW;
                size_t sub = (cols + QK_NR - 1) / QK_NR;
                const int8_t *pbase = packed_b + pj * kq * 4;
                /* Spread prefetches of the next panel over this panel's row blocks, so it comes
                 * from L3 or memory while the current one is computed. */
                size_t next_bytes = pn + 1 < pe ? kq * 4 * (n - pj - cols < QK_PW ? qk_round16_(n - pj - cols) : QK_PW) : 0;
                size_t blocks = (rows + QV_MR - 1) / QV_MR, per = (next_bytes / 64 + blocks - 1) / blocks;
                const char *next = (const char *)(pbase + kq * 4 * sub * 16), *next_end = next + next_bytes;
                for (size_t ir = 0; ir < rows; ir += QV_MR) {
                    size_t R = rows - ir < QV_MR ? rows - ir : QV_MR;
                    for (size_t l = 0; l < per && next < next_end; l++, next += 64) _mm_prefetch(next, _MM_HINT_T1);
                    qv_table[R - 1][sub - 1](&e, pbase, sub * 64, cols, ir, pj);
                }
            }
        }
    }
    free(abuf);
    return 0;
}
#endif

