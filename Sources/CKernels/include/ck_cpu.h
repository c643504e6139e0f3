#pragma once
#include <stdint.h>

/// Instruction-set tiers, lowest first. A tier implies every tier below it on x86-64.
typedef enum {
    CK_TIER_SCALAR = 0,
    CK_TIER_AVX2 = 1,
    CK_TIER_AVX512BW = 2,
    CK_TIER_AVX_VNNI = 3,
    CK_TIER_AVX512_VNNI = 4,
    /// arm64 Advanced SIMD with the dot-product extension (FEAT_DotProd: sdot/udot). Only the int8
    /// GEMM has kernels for it (every other kernel runs its baseline build). On other hosts the
    /// int8 GEMM accepts it too and runs a portable emulation of the same kernels (for tests).
    CK_TIER_NEON_DOTPROD = 5,
} CKTier;

/// Tiers are not cumulative past AVX2 (and CK_TIER_NEON_DOTPROD is the arm64 branch): AVX-VNNI CPUs (VEX-encoded VNNI) may lack AVX-512, and
/// AVX-512 VNNI CPUs may lack AVX-VNNI. Kernels dispatch on the exact tier, never with `>=`
/// beyond CK_TIER_AVX2.
///
/// Bit `1 << tier` is set for every tier this CPU and OS support (CPUID plus XGETBV for the
/// OS-enabled register state); CK_TIER_SCALAR is always set.
uint32_t ck_supported_tiers(void);

/// The best supported tier (the highest set bit of `ck_supported_tiers`).
CKTier ck_detect_tier(void);
