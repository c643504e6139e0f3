/* Linear quantization kernels. Rounding to nearest even is done with the 1.5*2^23 magic add, exact
 * for the clamped range (|v| < 2^22), so no tier depends on a rounding instruction or mode. */
#pragma clang fp contract(off)
#include "include/ck_convert.h"
#include "ck_tiers.h"

/* clamp(x / scale, lo, hi) rounded to nearest even, as an integer; NaN -> lo. */
static inline int32_t ck_qround(float x, float scale, float lo, float hi) {
    float v = x / scale;
    v = v > lo ? v : lo;
    v = v < hi ? v : hi;
    v = (v + 12582912.0f) - 12582912.0f;
    return (int32_t)v;
}

#define CK_QUANTIZE(suffix, T)                                                                     \
    CK_INLINE void ck_quantize_f32_##suffix##_body(const float *x, T *y, size_t n, float scale,    \
                                                 int32_t zp, int32_t qmin, int32_t qmax,           \
                                                 CKTier tier) {                                    \
        (void)tier;                                                                                \
        const float lo = (float)(qmin - zp), hi = (float)(qmax - zp);                              \
        for (size_t i = 0; i < n; i++) y[i] = (T)(ck_qround(x[i], scale, lo, hi) + zp);            \
    }                                                                                              \
    CK_TIERED_ENTRY(ck_quantize_f32_##suffix,                                                      \
                    (const float *x, T *y, size_t n, float scale, int32_t zp, int32_t qmin,        \
                     int32_t qmax, CKTier tier),                                                   \
                    (x, y, n, scale, zp, qmin, qmax, tier), ck_quantize_f32_##suffix##_body, tier) \
    CK_INLINE void ck_quantize_f32_##suffix##_axis_body(const float *x, T *y, size_t n,            \
                                                      const float *scale, const int32_t *zp,       \
                                                      int32_t qmin, int32_t qmax, CKTier tier) {   \
        (void)tier;                                                                                \
        for (size_t i = 0; i < n; i++) {                                                           \
            const float lo = (float)(qmin - zp[i]), hi = (float)(qmax - zp[i]);                    \
            y[i] = (T)(ck_qround(x[i], scale[i], lo, hi) + zp[i]);                                 \
        }                                                                                          \
    }                                                                                              \
    CK_TIERED_ENTRY(ck_quantize_f32_##suffix##_axis,                                               \
                    (const float *x, T *y, size_t n, const float *scale, const int32_t *zp,        \
                     int32_t qmin, int32_t qmax, CKTier tier),                                     \
                    (x, y, n, scale, zp, qmin, qmax, tier), ck_quantize_f32_##suffix##_axis##_body, tier)

CK_QUANTIZE(u8, uint8_t)
CK_QUANTIZE(s8, int8_t)
CK_QUANTIZE(u16, uint16_t)
CK_QUANTIZE(s16, int16_t)

#define CK_DEQUANTIZE(suffix, T)                                                                   \
    CK_INLINE void ck_dequantize_##suffix##_f32_body(const T *x, float *y, size_t n, float scale,  \
                                                   int32_t zp, CKTier tier) {                      \
        (void)tier;                                                                                \
        const float z = (float)zp;                                                                 \
        for (size_t i = 0; i < n; i++) y[i] = ((float)x[i] - z) * scale;                           \
    }                                                                                              \
    CK_TIERED_ENTRY(ck_dequantize_##suffix##_f32,                                                  \
                    (const T *x, float *y, size_t n, float scale, int32_t zp, CKTier tier),        \
                    (x, y, n, scale, zp, tier), ck_dequantize_##suffix##_f32##_body, tier)         \
    CK_INLINE void ck_dequantize_##suffix##_f32_axis_body(const T *x, float *y, size_t n,          \
                                                        const float *scale, const int32_t *zp,     \
                                                        CKTier tier) {                             \
        (void)tier;                                                                                \
        for (size_t i = 0; i < n; i++) y[i] = ((float)x[i] - (float)zp[i]) * scale[i];             \
    }                                                                                              \
    CK_TIERED_ENTRY(ck_dequantize_##suffix##_f32_axis,                                             \
                    (const T *x, float *y, size_t n, const float *scale, const int32_t *zp,        \
                     CKTier tier),                                                                 \
                    (x, y, n, scale, zp, tier), ck_dequantize_##suffix##_f32_axis##_body, tier)

CK_DEQUANTIZE(u8, uint8_t)
CK_DEQUANTIZE(s8, int8_t)
CK_DEQUANTIZE(u16, uint16_t)
CK_DEQUANTIZE(s16, int16_t)
CK_DEQUANTIZE(s32, int32_t)

/* Sixteen independent lanes so the loop vectorizes without reassociating a reduction; a NaN never
 * wins a comparison, so it is ignored in every lane order. */
CK_INLINE void ck_range_with_zero_f32_body(const float *x, size_t n, float *lo, float *hi, CKTier tier) {
    (void)tier;
    float mn[16], mx[16];
    for (int j = 0; j < 16; j++) { mn[j] = 0.0f; mx[j] = 0.0f; }
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int j = 0; j < 16; j++) {
            float v = x[i + (size_t)j];
            mn[j] = v < mn[j] ? v : mn[j];
            mx[j] = v > mx[j] ? v : mx[j];
        }
    }
    for (; i < n; i++) {
        float v = x[i];
        mn[0] = v < mn[0] ? v : mn[0];
        mx[0] = v > mx[0] ? v : mx[0];
    }
    float a = 0.0f, b = 0.0f;
    for (int j = 0; j < 16; j++) {
        a = mn[j] < a ? mn[j] : a;
        b = mx[j] > b ? mx[j] : b;
    }
    *lo = a;
    *hi = b;
}
CK_TIERED_ENTRY(ck_range_with_zero_f32, (const float *x, size_t n, float *lo, float *hi, CKTier tier),
                (x, n, lo, hi, tier), ck_range_with_zero_f32_body, tier)
