/* Float32 layer normalization over rows (ck_reduce.h), with ONNX Runtime's CPU arithmetic for
 * float (found, and checked bit for bit, against onnxruntime 1.32's LayerNormalization on this
 * project's models with scripts/parity/): the mean accumulates in double and is rounded to float;
 * the variance is Σ (x - mean)² in eight float lanes of fused multiply-adds divided by n in float;
 * invstd = 1 / sqrtf(var + epsilon); y = fmaf((x - mean) · invstd, gamma, beta). int8 models quantize these outputs again, so a
 * one-ulp difference moves quantized values. Explicit fused multiply-adds keep every tier's bits
 * the same. */
#include "ck_threads.h"
#include <math.h>
#include "include/ck_reduce.h"
#include "reduce_math.h"

#pragma clang fp contract(off)

/* Eight double lanes, combined in order, then the tail: the order only matters when a row's |x|
 * span more than 2^29, and then far below the float rounding of the mean. */
CK_INLINE double ln_sum_f64(const float *x, size_t n) {
    double acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += (double)x[i + (size_t)j];
    double s = 0;
    for (int j = 0; j < 8; j++) s += acc[j];
    for (; i < n; i++) s += (double)x[i];
    return s;
}

/* Σ (x - mu)² in float: eight lanes of fused multiply-adds (element i in lane i mod 8), the lanes
 * halved pairwise ((0..3 + 4..7), then (0,1 + 2,3), then the two), then the tail n mod 8 added
 * in order. */
CK_INLINE float ln_sum_sq_dev_f32(const float *x, size_t n, float mu) {
    float acc[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) {
            float d = x[i + (size_t)j] - mu;
            acc[j] = __builtin_fmaf(d, d, acc[j]);
        }
    float h4[4], h2[2];
    for (int j = 0; j < 4; j++) h4[j] = acc[j] + acc[j + 4];
    for (int j = 0; j < 2; j++) h2[j] = h4[j] + h4[j + 2];
    float s = h2[0] + h2[1];
    for (; i < n; i++) {
        float d = x[i] - mu;
        s = __builtin_fmaf(d, d, s);
    }
    return s;
}

CK_INLINE void layer_norm_body(const float *x, float *y, size_t rows, size_t n, const float *gamma,
                               const float *beta, float epsilon, float *mean, float *invstd) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * n;
        float *out = y + r * n;
        float mu = (float)(ln_sum_f64(row, n) / (double)n);
        float var = ln_sum_sq_dev_f32(row, n, mu) / (float)n;
        float is = 1.0f / sqrtf(var + epsilon);
        if (mean) mean[r] = mu;
        if (invstd) invstd[r] = is;
        size_t i;
        if (gamma && beta) {
            for (i = 0; i < n; i++) out[i] = __builtin_fmaf((row[i] - mu) * is, gamma[i], beta[i]);
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

/* ONNX Runtime's SkipLayerNormalization (com.microsoft) for float, which its default optimization
 * level substitutes for Add + LayerNormalization where its SkipLayerNormFusion applies (found, and
 * checked bit for bit, against onnxruntime 1.32 with scripts/parity/): v = (x + skip) + bias, then
 * a scalar Welford pass in float (delta = v - mean; mean += delta / k for k = 1…n;
 * m2 += delta · (v - mean), product and sum each rounded), var = m2 / n, sd = sqrtf(var + eps),
 * y = ((v - mean) / sd) · gamma + beta. Sequential by nature, so one build serves every tier. */
typedef struct {
    const float *x, *skip, *bias, *gamma, *beta;
    size_t skip_stride, rows, n, per_task;
    float *y, *sum, *mean, *invstd;
    float epsilon;
} SlnJob;

/* Rows r0..<r1; each row's arithmetic depends only on that row, so any split gives the same bits. */
static void sln_rows(const SlnJob *j, size_t r0, size_t r1) {
    const float *x = j->x, *skip = j->skip, *bias = j->bias, *gamma = j->gamma, *beta = j->beta;
    float *y = j->y, *sum = j->sum, *mean = j->mean, *invstd = j->invstd;
    size_t n = j->n, skip_stride = j->skip_stride;
    float epsilon = j->epsilon;
    for (size_t r = r0; r < r1; r++) {
        const float *xr = x + r * n, *sr = skip + r * skip_stride;
        float *out = y + r * n;
        float mu = 0.0f, m2 = 0.0f;
        for (size_t i = 0; i < n; i++) {
            float v = xr[i] + sr[i];
            if (bias) v = v + bias[i];
            if (sum) sum[r * n + i] = v;
            out[i] = v;
            float delta = v - mu;
            mu = mu + delta / (float)(i + 1);
            float prod = delta * (v - mu);
            m2 = m2 + prod;
        }
        float sd = sqrtf(m2 / (float)n + epsilon);
        if (mean) mean[r] = mu;
        if (invstd) invstd[r] = 1.0f / sd;
        for (size_t i = 0; i < n; i++) {
            float t = (out[i] - mu) / sd;
            t = gamma ? t * gamma[i] : t;
            out[i] = beta ? t + beta[i] : t;
        }
    }
}

static void sln_task(void *ctx, size_t task) {
    const SlnJob *j = ctx;
    size_t r0 = task * j->per_task, r1 = r0 + j->per_task;
    sln_rows(j, r0, r1 < j->rows ? r1 : j->rows);
}

/* Below this many elements in all, rows run on the caller (a pool wake-up costs microseconds). */
#define SLN_PAR_MIN_ELEMS ((size_t)1 << 14)

void ck_skip_layer_norm_f32(const float *x, const float *skip, size_t skip_stride, const float *bias,
                            float *y, float *sum, size_t rows, size_t n, const float *gamma, const float *beta,
                            float epsilon, float *mean, float *invstd) {
    SlnJob j = {x, skip, bias, gamma, beta, skip_stride, rows, n, rows, y, sum, mean, invstd, epsilon};
    size_t threads = (size_t)ck_get_threads();
    if (threads > 1 && rows >= 2 && rows * n >= SLN_PAR_MIN_ELEMS) {
        size_t tasks = 4 * threads;
        if (tasks > rows) tasks = rows;
        j.per_task = (rows + tasks - 1) / tasks;
        tasks = (rows + j.per_task - 1) / j.per_task;
        ck_parallel_for(tasks, threads, sln_task, &j);
        return;
    }
    sln_rows(&j, 0, rows);
}
