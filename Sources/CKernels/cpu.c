#include "ck_cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

CKTier ck_detect_tier(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return CK_TIER_SCALAR;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx || !fma) return CK_TIER_SCALAR;
    uint64_t xcr0 = read_xcr0();
    int ymm_state = (xcr0 & 0x6) == 0x6;
    int zmm_state = (xcr0 & 0xe6) == 0xe6;
    if (!ymm_state) return CK_TIER_SCALAR;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return CK_TIER_SCALAR;
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    int avx512vnni = (c >> 11) & 1;
    unsigned a1 = 0, b1 = 0, c1 = 0, d1 = 0;
    __get_cpuid_count(7, 1, &a1, &b1, &c1, &d1);
    int avxvnni = (a1 >> 4) & 1;
    if (!avx2) return CK_TIER_SCALAR;
    int has512bw = zmm_state && avx512f && avx512bw && avx512vl;
    if (has512bw && avx512vnni) return CK_TIER_AVX512_VNNI;
    if (avxvnni) return CK_TIER_AVX_VNNI;
    if (has512bw) return CK_TIER_AVX512BW;
    return CK_TIER_AVX2;
}
#else
CKTier ck_detect_tier(void) { return CK_TIER_SCALAR; }
#endif
