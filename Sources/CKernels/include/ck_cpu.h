#pragma once
#include <stdint.h>

/// Instruction-set tiers, lowest first. A tier implies every tier below it on x86-64.
typedef enum {
    CK_TIER_SCALAR = 0,
    CK_TIER_AVX2 = 1,
    CK_TIER_AVX512BW = 2,
    CK_TIER_AVX_VNNI = 3,
    CK_TIER_AVX512_VNNI = 4,
} CKTier;

/// The best tier this CPU and OS support (CPUID plus XGETBV for the OS-enabled register state).
CKTier ck_detect_tier(void);
