/* int8 GEMM, NEON dot-product tier (arm64 FEAT_DotProd): micro-kernels for the tiled driver of
 * gemm_i8.c over the common packed-B layout.
 *
 * sdot multiplies s8 × s8, so this tier packs A as s8 (qk_tier.a_s8: uint8 A offset by −128, its
 * zero point likewise), and the driver's correction C = tile − zb·rowsum(a_s) − za_s·(colsum −
 * k·zb) is the same identity in that domain. Products fit int16 and the sums are int32 (mod 2^32),
 * so results equal the scalar reference bit for bit, with no saturation case.
 *
 * One group g of 4 k: the packed B sub-panel holds 16 columns × 4 k bytes, i.e. four int8x16
 * vectors of 4 columns each with the column's 4 k bytes in one 32-bit lane; the packed A group
 * of R ≤ 4 rows is R × 4 bytes, row r in 32-bit lane r. `vdotq_laneq_s32(acc, b, a, r)` then adds
 * Σ_t b[4c+t]·a[4r+t] to lane c of acc: the 4 columns of one vector for row r.
 *
 * On arm64 this compiles with target("dotprod") (no package flags). Elsewhere the same code is
 * built over a portable scalar emulation of the four intrinsics it uses, so the tier's indexing
 * and domain shift are tested on any host (the real instructions are not). */
#include "gemm_i8_internal.h"
#define memcpy __builtin_memcpy /* no libc headers needed: the arm64 check compiles this file freestanding */

#if defined(__aarch64__)
#include <arm_neon.h>
#define QN_TARGET __attribute__((target("dotprod")))
#define QN_SDOT(acc, b, a, lane) vdotq_laneq_s32(acc, b, a, lane)
#define QN_LOAD_B(p) vld1q_s8(p)
#define QN_STORE(p, v) vst1q_s32(p, v)
#define QN_ZERO() vdupq_n_s32(0)
typedef int8x16_t qn_s8x16;
typedef int32x4_t qn_s32x4;
#else
#define QN_TARGET
typedef struct { int8_t v[16]; } qn_s8x16;
typedef struct { int32_t v[4]; } qn_s32x4;
static inline qn_s8x16 QN_LOAD_B(const int8_t *p) { qn_s8x16 r; memcpy(r.v, p, 16); return r; }
static inline void QN_STORE(int32_t *p, qn_s32x4 v) { memcpy(p, v.v, 16); }
static inline qn_s32x4 QN_ZERO(void) { qn_s32x4 r = {{0, 0, 0, 0}}; return r; }
static inline qn_s32x4 QN_SDOT(qn_s32x4 acc, qn_s8x16 b, qn_s8x16 a, int lane) {
    for (int c = 0; c < 4; c++) {
        uint32_t s = (uint32_t)acc.v[c];
        for (int t = 0; t < 4; t++) s += (uint32_t)((int32_t)b.v[4 * c + t] * (int32_t)a.v[4 * lane + t]);
        acc.v[c] = (int32_t)s;
    }
    return acc;
}
#endif

/* R rows × P sub-panels (16 columns each): R·P·4 accumulators (at most 16 of the 32 registers). */
#define QN_KERNEL(R, P)                                                                           \
    QN_TARGET static void qn_##R##_##P(size_t kq, const uint8_t *pa, const int8_t *pb, size_t gs,  \
                                       int32_t *tile) {                                           \
        qn_s32x4 acc[R][4 * P];                                                                   \
        for (int r = 0; r < R; r++)                                                               \
            for (int c = 0; c < 4 * P; c++) acc[r][c] = QN_ZERO();                                \
        for (size_t g = 0; g < kq; g++) {                                                         \
            int8_t abytes[16] = {0};                                                              \
            memcpy(abytes, pa + g * (R) * 4, (R) * 4);                                            \
            qn_s8x16 av = QN_LOAD_B(abytes);                                                      \
            const int8_t *bp = pb + g * gs;                                                       \
            for (int c = 0; c < 4 * P; c++) {                                                     \
                qn_s8x16 bv = QN_LOAD_B(bp + (c / 4) * 64 + (c % 4) * 16);                        \
                acc[0][c] = QN_SDOT(acc[0][c], bv, av, 0);                                        \
                if (R > 1) acc[R > 1 ? 1 : 0][c] = QN_SDOT(acc[R > 1 ? 1 : 0][c], bv, av, 1);     \
                if (R > 2) acc[R > 2 ? 2 : 0][c] = QN_SDOT(acc[R > 2 ? 2 : 0][c], bv, av, 2);     \
                if (R > 3) acc[R > 3 ? 3 : 0][c] = QN_SDOT(acc[R > 3 ? 3 : 0][c], bv, av, 3);     \
            }                                                                                     \
        }                                                                                         \
        for (int r = 0; r < R; r++)                                                               \
            for (int c = 0; c < 4 * P; c++) QN_STORE(tile + r * QK_TLD + c * 4, acc[r][c]);       \
    }
QN_KERNEL(1, 1) QN_KERNEL(1, 2) QN_KERNEL(1, 3) QN_KERNEL(1, 4)
QN_KERNEL(2, 1) QN_KERNEL(2, 2)
QN_KERNEL(3, 1) QN_KERNEL(4, 1)

static const qk_kernel qn_table[4 * QK_PMAX] = {
    [0 * QK_PMAX] = qn_1_1, [0 * QK_PMAX + 1] = qn_1_2, [0 * QK_PMAX + 2] = qn_1_3, [0 * QK_PMAX + 3] = qn_1_4,
    [1 * QK_PMAX] = qn_2_1, [1 * QK_PMAX + 1] = qn_2_2,
    [2 * QK_PMAX] = qn_3_1, [3 * QK_PMAX] = qn_4_1};

const qk_tier qk_neon_tier = {4, {4, 2, 1, 1}, qn_table, 1};
