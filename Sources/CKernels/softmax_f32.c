/* Float32 softmax and log-softmax along the middle axis of [outer × n × inner] (ck_reduce.h). */
#include <math.h>
#include "include/ck_reduce.h"
#include "reduce_math.h"

/* One contiguous row of n: y = exp(x - m) / Σ. */
CK_INLINE void softmax_row(const float *x, float *y, size_t n) {
    float m = ck_max_f32(x, n);
    for (size_t i = 0; i < n; i++) y[i] = ck_expf(x[i] - m);
    float inv = 1.0f / ck_sum_f32(y, n);
    for (size_t i = 0; i < n; i++) y[i] *= inv;
}

CK_INLINE void log_softmax_row(const float *x, float *y, size_t n) {
    float m = ck_max_f32(x, n);
    float acc[CK_LANES] = {0};
    size_t i = 0;
    for (; i + CK_LANES <= n; i += CK_LANES)
        for (int j = 0; j < CK_LANES; j++) acc[j] += ck_expf(x[i + j] - m);
    float s = 0.0f;
    for (int j = 0; j < CK_LANES; j++) s += acc[j];
    for (; i < n; i++) s += ck_expf(x[i] - m);
    float lse = logf(s);
    for (i = 0; i < n; i++) y[i] = (x[i] - m) - lse;
}

/* One block [n × inner] reduced along n; mx and sm hold inner floats each. */
CK_INLINE void softmax_block(const float *x, float *y, size_t n, size_t inner, float *restrict mx,
                             float *restrict sm, int logarithm) {
    for (size_t j = 0; j < inner; j++) { mx[j] = -__builtin_inff(); sm[j] = 0.0f; }
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * inner;
        for (size_t j = 0; j < inner; j++) mx[j] = (row[j] > mx[j] || row[j] != row[j]) ? row[j] : mx[j];
    }
    if (logarithm) {
        for (size_t r = 0; r < n; r++) {
            const float *row = x + r * inner;
            for (size_t j = 0; j < inner; j++) sm[j] += ck_expf(row[j] - mx[j]);
        }
        for (size_t j = 0; j < inner; j++) sm[j] = logf(sm[j]);
        for (size_t r = 0; r < n; r++) {
            const float *row = x + r * inner;
            float *out = y + r * inner;
            for (size_t j = 0; j < inner; j++) out[j] = (row[j] - mx[j]) - sm[j];
        }
    } else {
        for (size_t r = 0; r < n; r++) {
            const float *row = x + r * inner;
            float *out = y + r * inner;
            for (size_t j = 0; j < inner; j++) {
                float e = ck_expf(row[j] - mx[j]);
                out[j] = e;
                sm[j] += e;
            }
        }
        for (size_t j = 0; j < inner; j++) sm[j] = 1.0f / sm[j];
        for (size_t r = 0; r < n; r++) {
            float *out = y + r * inner;
            for (size_t j = 0; j < inner; j++) out[j] *= sm[j];
        }
    }
}

CK_INLINE void softmax_body(const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch,
                            int logarithm) {
    if (inner == 1) {
        for (size_t o = 0; o < outer; o++) {
            if (logarithm) log_softmax_row(x + o * n, y + o * n, n);
            else softmax_row(x + o * n, y + o * n, n);
        }
        return;
    }
    for (size_t o = 0; o < outer; o++)
        softmax_block(x + o * n * inner, y + o * n * inner, n, inner, scratch, scratch + inner, logarithm);
}

#define SOFTMAX_PARAMS (const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch, int lg)
#define SOFTMAX_ARGS (x, y, outer, n, inner, scratch, lg)
CK_TIERED(softmax, SOFTMAX_PARAMS, SOFTMAX_ARGS, softmax_body)

void ck_softmax_f32(CKTier tier, const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch) {
    int lg = 0;
    CK_DISPATCH(softmax, tier, SOFTMAX_ARGS)
}

void ck_log_softmax_f32(CKTier tier, const float *x, float *y, size_t outer, size_t n, size_t inner, float *scratch) {
    int lg = 1;
    CK_DISPATCH(softmax, tier, SOFTMAX_ARGS)
}
