/* Float32 row and column reductions (ck_reduce.h). */
#include "include/ck_reduce.h"
#include "reduce_math.h"

/* ck_reduce_<KIND>_rows_f32: y[r] = ROW(x + r·n, n). */
#define CK_ROWS_KERNEL(KIND, ROW)                                                                  \
    CK_INLINE void KIND##_rows_body(const float *x, size_t rows, size_t n, float *y) {             \
        for (size_t r = 0; r < rows; r++) y[r] = ROW(x + r * n, n);                                \
    }                                                                                              \
    CK_TIERED(KIND##_rows, (const float *x, size_t rows, size_t n, float *y), (x, rows, n, y),     \
              KIND##_rows_body)                                                                    \
    void ck_reduce_##KIND##_rows_f32(CKTier tier, const float *x, size_t rows, size_t n, float *y) { \
        CK_DISPATCH(KIND##_rows, tier, (x, rows, n, y))                                            \
    }

/* ck_accumulate_<KIND>_cols_f32: acc[j] = FOLD(v, a) with v = x[r·n + j], a = acc[j], r ascending. */
#define CK_COLS_KERNEL(KIND, FOLD)                                                                 \
    CK_INLINE void KIND##_cols_body(const float *x, size_t rows, size_t n, float *restrict acc) {  \
        for (size_t r = 0; r < rows; r++) {                                                        \
            const float *restrict row = x + r * n;                                                 \
            for (size_t j = 0; j < n; j++) {                                                       \
                float v = row[j], a = acc[j];                                                      \
                acc[j] = FOLD(v, a);                                                               \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
    CK_TIERED(KIND##_cols, (const float *x, size_t rows, size_t n, float *acc), (x, rows, n, acc), \
              KIND##_cols_body)                                                                    \
    void ck_accumulate_##KIND##_cols_f32(CKTier tier, const float *x, size_t rows, size_t n,      \
                                         float *acc) {                                             \
        CK_DISPATCH(KIND##_cols, tier, (x, rows, n, acc))                                          \
    }

#define CK_FOLD_SUM(v, a) ((a) + (v))
/* NaN-propagating: a NaN v replaces a, and a NaN a is never replaced by a number. */
#define CK_FOLD_MAX(v, a) (((v) > (a) || (v) != (v)) ? (v) : (a))
#define CK_FOLD_MIN(v, a) (((v) < (a) || (v) != (v)) ? (v) : (a))

CK_ROWS_KERNEL(sum, ck_sum_f32)
CK_ROWS_KERNEL(max, ck_max_f32)
CK_ROWS_KERNEL(min, ck_min_f32)
CK_COLS_KERNEL(sum, CK_FOLD_SUM)
CK_COLS_KERNEL(max, CK_FOLD_MAX)
CK_COLS_KERNEL(min, CK_FOLD_MIN)
