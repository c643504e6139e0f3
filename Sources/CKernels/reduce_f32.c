/* Float32 row and column reductions (ck_reduce.h). */
#include "include/ck_reduce.h"
#include "reduce_math.h"

CK_INLINE void sum_rows_body(const float *x, size_t rows, size_t n, float *y) {
    for (size_t r = 0; r < rows; r++) y[r] = ck_sum_f32(x + r * n, n);
}
CK_TIERED(sum_rows, (const float *x, size_t rows, size_t n, float *y), (x, rows, n, y), sum_rows_body)
void ck_reduce_sum_rows_f32(CKTier tier, const float *x, size_t rows, size_t n, float *y) {
    CK_DISPATCH(sum_rows, tier, (x, rows, n, y))
}

CK_INLINE void max_rows_body(const float *x, size_t rows, size_t n, float *y) {
    for (size_t r = 0; r < rows; r++) y[r] = ck_max_f32(x + r * n, n);
}
CK_TIERED(max_rows, (const float *x, size_t rows, size_t n, float *y), (x, rows, n, y), max_rows_body)
void ck_reduce_max_rows_f32(CKTier tier, const float *x, size_t rows, size_t n, float *y) {
    CK_DISPATCH(max_rows, tier, (x, rows, n, y))
}

CK_INLINE void sum_cols_body(const float *x, size_t rows, size_t n, float *restrict acc) {
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = x + r * n;
        for (size_t j = 0; j < n; j++) acc[j] += row[j];
    }
}
CK_TIERED(sum_cols, (const float *x, size_t rows, size_t n, float *acc), (x, rows, n, acc), sum_cols_body)
void ck_accumulate_sum_cols_f32(CKTier tier, const float *x, size_t rows, size_t n, float *acc) {
    CK_DISPATCH(sum_cols, tier, (x, rows, n, acc))
}

CK_INLINE void max_cols_body(const float *x, size_t rows, size_t n, float *restrict acc) {
    for (size_t r = 0; r < rows; r++) {
        const float *restrict row = x + r * n;
        for (size_t j = 0; j < n; j++) {
            float v = row[j], a = acc[j];
            acc[j] = (v > a || v != v) ? v : a;
        }
    }
}
CK_TIERED(max_cols, (const float *x, size_t rows, size_t n, float *acc), (x, rows, n, acc), max_cols_body)
void ck_accumulate_max_cols_f32(CKTier tier, const float *x, size_t rows, size_t n, float *acc) {
    CK_DISPATCH(max_cols, tier, (x, rows, n, acc))
}
