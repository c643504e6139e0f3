#pragma once
/* One always-inline loop body compiled at three tiers, dispatched on CKTier.
 * Write `CK_BODY void name##_body params { ... }` (params end with `CKTier tier`, which the body
 * ignores), then `CK_TIERED(name, params, args)` defines the public `name` and its tier clones;
 * `args` is the argument list matching `params`. */
#include "ck_cpu.h"

#define CK_BODY static inline __attribute__((always_inline))

#if defined(__x86_64__)
#define CK_TIERED(name, params, args)                                                              \
    __attribute__((target("avx2"))) static void name##_avx2 params { name##_body args; }          \
    __attribute__((target("avx512f,avx512bw,avx512vl"))) static void name##_avx512 params {       \
        name##_body args;                                                                          \
    }                                                                                              \
    static void name##_scalar params { name##_body args; }                                         \
    void name params {                                                                             \
        if (tier == CK_TIER_AVX512BW || tier == CK_TIER_AVX512_VNNI) name##_avx512 args;           \
        else if (tier >= CK_TIER_AVX2) name##_avx2 args;                                           \
        else name##_scalar args;                                                                   \
    }
#else
#define CK_TIERED(name, params, args) \
    void name params { name##_body args; }
#endif
