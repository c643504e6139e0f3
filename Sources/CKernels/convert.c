/* 16-bit float <-> float conversions, integer bit manipulation plus exact float adds, so that every
 * tier (and the scalar build) produces identical bits. */
#pragma clang fp contract(off)
#include <string.h>
#include "include/ck_convert.h"
#include "ck_tiers.h"

static inline uint32_t ck_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float ck_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* binary16 -> binary32. Normals and specials by shifting and rebiasing (NaN payloads kept as they
 * are); subnormals by an exact float subtraction of a magic number. */
static inline float ck_h2f(uint16_t h) {
    const uint32_t shifted_exp = 0x7c00u << 13;
    uint32_t o = ((uint32_t)h & 0x7fffu) << 13;
    uint32_t exp = shifted_exp & o;
    o += (uint32_t)(127 - 15) << 23;
    uint32_t special = o + ((uint32_t)(128 - 16) << 23);
    uint32_t sub = ck_bits(ck_float(o + (1u << 23)) - ck_float(113u << 23));
    o = exp == shifted_exp ? special : (exp == 0 ? sub : o);
    return ck_float(o | (((uint32_t)h & 0x8000u) << 16));
}

/* binary32 -> binary16, round to nearest even. */
static inline uint16_t ck_f2h(float f) {
    uint32_t x = ck_bits(f);
    uint32_t sign = x & 0x80000000u;
    x ^= sign;
    /* >= 65536 or inf/NaN */
    uint32_t big = x > 0x7f800000u ? (0x7e00u | ((x >> 13) & 0x3ffu)) : 0x7c00u;
    /* < 2^-14: subnormal or zero, rounded by an exact-magnitude float add */
    const uint32_t denorm_magic = ((127u - 15u) + (23u - 10u) + 1u) << 23;
    uint32_t small = ck_bits(ck_float(x) + ck_float(denorm_magic)) - denorm_magic;
    uint32_t mant_odd = (x >> 13) & 1u;
    uint32_t normal = (x + ((uint32_t)(15 - 127) << 23) + 0xfffu + mant_odd) >> 13;
    uint32_t o = x >= 0x47800000u ? big : (x < 0x38800000u ? small : normal);
    return (uint16_t)(o | (sign >> 16));
}

CK_INLINE void ck_f16_to_f32_body(const uint16_t *x, float *y, size_t n, CKTier tier) {
    (void)tier;
    for (size_t i = 0; i < n; i++) y[i] = ck_h2f(x[i]);
}
CK_TIERED_ENTRY(ck_f16_to_f32, (const uint16_t *x, float *y, size_t n, CKTier tier),
                (x, y, n, tier), ck_f16_to_f32_body, tier)

CK_INLINE void ck_f32_to_f16_body(const float *x, uint16_t *y, size_t n, CKTier tier) {
    (void)tier;
    for (size_t i = 0; i < n; i++) y[i] = ck_f2h(x[i]);
}
CK_TIERED_ENTRY(ck_f32_to_f16, (const float *x, uint16_t *y, size_t n, CKTier tier),
                (x, y, n, tier), ck_f32_to_f16_body, tier)

CK_INLINE void ck_bf16_to_f32_body(const uint16_t *x, float *y, size_t n, CKTier tier) {
    (void)tier;
    for (size_t i = 0; i < n; i++) y[i] = ck_float((uint32_t)x[i] << 16);
}
CK_TIERED_ENTRY(ck_bf16_to_f32, (const uint16_t *x, float *y, size_t n, CKTier tier),
                (x, y, n, tier), ck_bf16_to_f32_body, tier)

CK_INLINE void ck_f32_to_bf16_body(const float *x, uint16_t *y, size_t n, CKTier tier) {
    (void)tier;
    for (size_t i = 0; i < n; i++) {
        uint32_t b = ck_bits(x[i]);
        uint32_t nan = (b >> 16) | 0x40u;
        uint32_t rounded = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
        y[i] = (uint16_t)((b & 0x7fffffffu) > 0x7f800000u ? nan : rounded);
    }
}
CK_TIERED_ENTRY(ck_f32_to_bf16, (const float *x, uint16_t *y, size_t n, CKTier tier),
                (x, y, n, tier), ck_f32_to_bf16_body, tier)
