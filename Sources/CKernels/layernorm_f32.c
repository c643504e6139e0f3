/* Float32 layer normalization over rows (ck_reduce.h). */
#include <math.h>
#include "include/ck_reduce.h"
#include "reduce_math.h"

CK_INLINE void layer_norm_body(const float *x, float *y, size_t rows, size_t n, const float *gamma,
                               const float *beta, float epsilon, float *mean, float *invstd) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * n;
        float *out = y + r * n;
        float mu = ck_sum_f32(row, n) / (float)n;
        float acc[CK_LANES] = {0};
        size_t i = 0;
        for (; i + CK_LANES <= n; i += CK_LANES)
            for (int j = 0; j < CK_LANES; j++) {
                float d = row[i + j] - mu;
                acc[j] += d * d;
            }
        float ss = 0.0f;
        for (int j = 0; j < CK_LANES; j++) ss += acc[j];
        for (; i < n; i++) {
            float d = row[i] - mu;
            ss += d * d;
        }
        float is = 1.0f / sqrtf(ss / (float)n + epsilon);
        if (mean) mean[r] = mu;
        if (invstd) invstd[r] = is;
        if (gamma && beta) {
            for (i = 0; i < n; i++) out[i] = (row[i] - mu) * is * gamma[i] + beta[i];
        } else if (gamma) {
            for (i = 0; i < n; i++) out[i] = (row[i] - mu) * is * gamma[i];
        } else if (beta) {
            for (i = 0; i < n; i++) out[i] = (row[i] - mu) * is + beta[i];
        } else {
            for (i = 0; i < n; i++) out[i] = (row[i] - mu) * is;
        }
    }
}

#define LN_PARAMS (const float *x, float *y, size_t rows, size_t n, const float *gamma, const float *beta, \
                   float epsilon, float *mean, float *invstd)
#define LN_ARGS (x, y, rows, n, gamma, beta, epsilon, mean, invstd)
CK_TIERED(layer_norm, LN_PARAMS, LN_ARGS, layer_norm_body)

void ck_layer_norm_f32(CKTier tier, const float *x, float *y, size_t rows, size_t n, const float *gamma,
                       const float *beta, float epsilon, float *mean, float *invstd) {
    CK_DISPATCH(layer_norm, tier, LN_ARGS)
}
