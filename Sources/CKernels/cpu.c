#include "ck_cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t ck_supported_tiers(void) {
    uint32_t tiers = 1u << CK_TIER_SCALAR;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return tiers;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx || !fma) return tiers;
    uint64_t xcr0 = read_xcr0();
    int ymm_state = (xcr0 & 0x6) == 0x6;
    int zmm_state = (xcr0 & 0xe6) == 0xe6;
    if (!ymm_state || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return tiers;
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    int avx512vnni = (c >> 11) & 1;
    unsigned a1 = 0, b1 = 0, c1 = 0, d1 = 0;
    __get_cpuid_count(7, 1, &a1, &b1, &c1, &d1);
    int avxvnni = (a1 >> 4) & 1;
    if (!avx2) return tiers;
    tiers |= 1u << CK_TIER_AVX2;
    if (avxvnni) tiers |= 1u << CK_TIER_AVX_VNNI;
    if (zmm_state && avx512f && avx512bw && avx512vl) {
        tiers |= 1u << CK_TIER_AVX512BW;
        if (avx512vnni) tiers |= 1u << CK_TIER_AVX512_VNNI;
    }
    return tiers;
}
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1UL << 20)
#endif
uint32_t ck_supported_tiers(void) {
    uint32_t tiers = 1u << CK_TIER_SCALAR;
    if (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) tiers |= 1u << CK_TIER_NEON_DOTPROD;
    return tiers;
}
#elif defined(__aarch64__) && defined(__APPLE__)
#include <sys/sysctl.h>
uint32_t ck_supported_tiers(void) {
    uint32_t tiers = 1u << CK_TIER_SCALAR;
    int v = 0;
    size_t len = sizeof v;
    if (sysctlbyname("hw.optional.arm.FEAT_DotProd", &v, &len, NULL, 0) == 0 && v) tiers |= 1u << CK_TIER_NEON_DOTPROD;
    return tiers;
}
#else
uint32_t ck_supported_tiers(void) { return 1u << CK_TIER_SCALAR; }
#endif

CKTier ck_detect_tier(void) {
    uint32_t tiers = ck_supported_tiers();
    CKTier best = CK_TIER_SCALAR;
    for (int t = CK_TIER_SCALAR; t <= CK_TIER_NEON_DOTPROD; t++)
        if (tiers & (1u << t)) best = (CKTier)t;
    return best;
}
