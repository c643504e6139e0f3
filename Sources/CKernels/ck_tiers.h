#pragma once
/* Private (not under include/, so not part of the module's API): one loop body compiled at three
 * CPU tiers and picked by CKTier. Used by every tiered kernel file except the GEMMs.
 *
 * A body is a `CK_INLINE` function; each build is a function calling it, so the body is inlined
 * and vectorized under that build's target attributes:
 *   baseline  the compiler's default ISA (the scalar reference),
 *   avx2      target("avx2,fma"),
 *   avx512    target("avx512f,avx512bw,avx512vl,avx2,fma").
 * FP contraction is whatever the including file sets (`#pragma clang fp contract(off)` before the
 * bodies makes every build compute the same bits; left on, the avx2/avx512 builds may fuse a·b + c).
 *
 * Dispatch is by exact tier, since tiers are not cumulative past AVX2 (ck_cpu.h):
 * AVX512BW and AVX512_VNNI run the avx512 build, AVX2 and AVX_VNNI the avx2 build, anything else
 * the baseline build.
 *
 *   CK_TIERED(NAME, PARAMS, ARGS, BODY)   static NAME##__base, NAME##__avx2, NAME##__avx512
 *   CK_DISPATCH(NAME, TIER, ARGS)         statement calling the build TIER selects
 *   CK_TIERED_ENTRY(NAME, PARAMS, ARGS, BODY, TIER)
 *                                         CK_TIERED plus the public `void NAME PARAMS` dispatching
 *                                         on TIER (one of PARAMS)
 *   CK_TIERED_EXPORT(NAME, PARAMS, ARGS, BODY)
 *                                         the three builds as public functions NAME (baseline),
 *                                         NAME##__avx2 and NAME##__avx512, for callers that pick
 *
 * PARAMS is a parenthesized parameter list, ARGS the matching parenthesized argument list. */
#include "include/ck_cpu.h"

#define CK_INLINE static inline __attribute__((always_inline))

#if defined(__x86_64__) || defined(__i386__)
#define CK_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define CK_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma")))
#define CK_HAS_TIERS 1
#else
#define CK_TARGET_AVX2
#define CK_TARGET_AVX512
#define CK_HAS_TIERS 0
#endif

enum { CK_BUILD_BASE = 0, CK_BUILD_AVX2 = 1, CK_BUILD_AVX512 = 2 };

/* The build a tier runs, by exact tier (never `>=` past AVX2). */
static inline int ck_tier_build(CKTier tier) {
    if (!CK_HAS_TIERS) return CK_BUILD_BASE;
    switch (tier) {
    case CK_TIER_AVX512BW:
    case CK_TIER_AVX512_VNNI: return CK_BUILD_AVX512;
    case CK_TIER_AVX2:
    case CK_TIER_AVX_VNNI: return CK_BUILD_AVX2;
    default: return CK_BUILD_BASE;
    }
}

#define CK_BUILDS_(LINKAGE, BASE, AVX2, AVX512, PARAMS, ARGS, BODY) \
    LINKAGE void BASE PARAMS { BODY ARGS; }                        \
    LINKAGE CK_TARGET_AVX2 void AVX2 PARAMS { BODY ARGS; }         \
    LINKAGE CK_TARGET_AVX512 void AVX512 PARAMS { BODY ARGS; }

#define CK_TIERED(NAME, PARAMS, ARGS, BODY) \
    CK_BUILDS_(static, NAME##__base, NAME##__avx2, NAME##__avx512, PARAMS, ARGS, BODY)

#define CK_DISPATCH(NAME, TIER, ARGS)                 \
    switch (ck_tier_build(TIER)) {                    \
    case CK_BUILD_AVX512: NAME##__avx512 ARGS; break; \
    case CK_BUILD_AVX2: NAME##__avx2 ARGS; break;     \
    default: NAME##__base ARGS; break;                \
    }

#define CK_TIERED_ENTRY(NAME, PARAMS, ARGS, BODY, TIER) \
    CK_TIERED(NAME, PARAMS, ARGS, BODY)                 \
    void NAME PARAMS { CK_DISPATCH(NAME, TIER, ARGS) }

#define CK_TIERED_EXPORT(NAME, PARAMS, ARGS, BODY) \
    CK_BUILDS_(, NAME, NAME##__avx2, NAME##__avx512, PARAMS, ARGS, BODY)
