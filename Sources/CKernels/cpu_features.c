/* CPU feature names for diagnostics (see ck_features.h). */
#include "ck_features.h"
#include <stdio.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static size_t ck_append(char *buf, size_t cap, size_t len, const char *word) {
    size_t w = strlen(word);
    if (len && len + 1 < cap) buf[len] = ' ';
    if (len) len++;
    for (size_t i = 0; i < w; i++)
        if (len + i + 1 < cap) buf[len + i] = word[i];
    len += w;
    if (cap) buf[len < cap ? len : cap - 1] = 0;
    return len;
}

size_t ck_cpu_feature_list(char *buf, size_t cap) {
    size_t len = 0;
    if (cap) buf[0] = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if ((c >> 20) & 1) len = ck_append(buf, cap, len, "sse4.2");
    int osxsave = (c >> 27) & 1;
    if ((c >> 28) & 1) len = ck_append(buf, cap, len, "avx");
    if ((c >> 12) & 1) len = ck_append(buf, cap, len, "fma");
    if ((c >> 29) & 1) len = ck_append(buf, cap, len, "f16c");
    unsigned b7 = 0, c7 = 0, d7 = 0, a71 = 0, b71 = 0, c71 = 0, d71 = 0;
    if (__get_cpuid_count(7, 0, &a, &b7, &c7, &d7)) __get_cpuid_count(7, 1, &a71, &b71, &c71, &d71);
    static const struct { int reg, bit; const char *name; } feats[] = {
        {0, 5, "avx2"},        {0, 16, "avx512f"},       {0, 17, "avx512dq"},   {0, 30, "avx512bw"},
        {0, 31, "avx512vl"},   {1, 11, "avx512vnni"},    {2, 4, "avxvnni"},     {2, 5, "avx512bf16"},
        {1, 1, "avx512vbmi"},  {3, 23, "avx512fp16"},    {4, 24, "amx-tile"},   {4, 25, "amx-int8"},
    };
    unsigned regs[5] = {b7, c7, a71, d7, d7};
    for (size_t i = 0; i < sizeof feats / sizeof feats[0]; i++)
        if ((regs[feats[i].reg] >> feats[i].bit) & 1) len = ck_append(buf, cap, len, feats[i].name);
    if (osxsave) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        if ((lo & 0xe6) != 0xe6 && ((b7 >> 16) & 1)) len = ck_append(buf, cap, len, "os-no-zmm");
    }
#elif defined(__aarch64__)
    len = ck_append(buf, cap, len, "neon");
    if (ck_supported_tiers() & (1u << CK_TIER_NEON_DOTPROD)) len = ck_append(buf, cap, len, "dotprod");
#endif
    return len;
}

void ck_cpu_brand(char *buf, size_t cap) {
    if (!cap) return;
    buf[0] = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned r[12];
    if (__get_cpuid_max(0x80000000, NULL) < 0x80000004) return;
    for (unsigned i = 0; i < 3; i++) __get_cpuid(0x80000002 + i, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
    char s[49];
    memcpy(s, r, 48);
    s[48] = 0;
    const char *p = s;
    while (*p == ' ') p++;
    snprintf(buf, cap, "%s", p);
#endif
}

const char *ck_gemm_kernel_name(CKTier tier, int is_int8) {
    if (is_int8) {
        switch (tier) {
        case CK_TIER_AVX512_VNNI: return "avx512vnni vpdpbusd zmm, 6x64 register tile, fused epilogue";
        case CK_TIER_AVX_VNNI: return "avxvnni vpdpbusd ymm, 4x48 tile";
        case CK_TIER_AVX512BW: return "avx512bw vpmaddwd zmm (exact 16-bit widening), 4x64 tile";
        case CK_TIER_AVX2: return "avx2 vpmaddwd ymm (exact 16-bit widening), 2x16 tile";
#if defined(__aarch64__)
        case CK_TIER_NEON_DOTPROD: return "neon sdot (s8 A domain), 4x16 tile";
#else
        case CK_TIER_NEON_DOTPROD: return "neon sdot emulated in portable C (test only), 4x16 tile";
#endif
        default: return "scalar reference loops";
        }
    }
    switch (tier) {
    case CK_TIER_AVX512_VNNI:
    case CK_TIER_AVX512BW: return "avx512f vfmadd231ps zmm";
    case CK_TIER_AVX_VNNI:
    case CK_TIER_AVX2: return "avx2 vfmadd231ps ymm";
    default: return "scalar loops";
    }
}
