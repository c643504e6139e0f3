#pragma once
#include <stddef.h>
#include <stdint.h>
#include "ck_cpu.h"

/* CPU features as the kernels see them (CPUID plus the OS-enabled register state from XGETBV),
 * for diagnostics such as `onnxrun info`. */

/// Writes a space-separated list of the features found (e.g. "sse4.2 avx avx2 fma avx512f
/// avx512bw avx512vl avx512vnni avxvnni", plus "os-no-zmm" when the OS does not enable the
/// AVX-512 state) into buf (NUL-terminated, truncated to cap bytes). Returns the full length.
size_t ck_cpu_feature_list(char *buf, size_t cap);

/// The CPU's brand string (CPUID 0x80000002–4), or "" when unavailable (cap >= 49 bytes suffices).
void ck_cpu_brand(char *buf, size_t cap);

/// A short name of the int8 (is_int8 != 0) or fp32 GEMM micro-kernel `tier` runs, e.g.
/// "avx512vnni 6x64 fused-epilogue". Static storage.
const char *ck_gemm_kernel_name(CKTier tier, int is_int8);
