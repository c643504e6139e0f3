/* Stand-alone timing harness for the CKernels GEMMs (same sources, same clang as the package).
 * Usage: kbench [i8|f32] M K N [threads] [seconds]  -> prints one JSON line per run. */
#include "ck_gemm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static int cmpd(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: kbench i8|f32 M K N [threads] [seconds]\n"); return 2; }
    int is8 = strcmp(argv[1], "i8") == 0;
    size_t m = atol(argv[2]), k = atol(argv[3]), n = atol(argv[4]);
    int threads = argc > 5 ? atoi(argv[5]) : 1;
    double secs = argc > 6 ? atof(argv[6]) : 0.5;
    ck_set_threads(threads);
    CKTier tier = ck_detect_tier();
    const char *env = getenv("KB_TIER"); if (env) tier = (CKTier)atoi(env);
    void *a = aligned_alloc(64, m * k * 4 + 64), *b = aligned_alloc(64, k * n * 4 + 64), *c = aligned_alloc(64, m * n * 4 + 64);
    srand(1);
    for (size_t i = 0; i < m * k * 4; i++) ((unsigned char *)a)[i] = rand();
    for (size_t i = 0; i < k * n * 4; i++) ((unsigned char *)b)[i] = rand();
    if (!is8) { for (size_t i = 0; i < m * k; i++) ((float *)a)[i] = (rand() % 200 - 100) / 100.f;
                for (size_t i = 0; i < k * n; i++) ((float *)b)[i] = (rand() % 200 - 100) / 100.f; }
    void *pb; int32_t *cs = malloc(n * 4 + 64);
    if (is8) { pb = aligned_alloc(64, ck_qgemm_packed_b_bytes(k, n) + 64); ck_qgemm_pack_b(1, k, n, b, n, pb, cs); }
    else { pb = aligned_alloc(64, ck_sgemm_packed_b_count(k, n) * 4 + 64); ck_sgemm_pack_b(0, k, n, b, n, pb); }
    int32_t za = 128;
    static double ts[100000], tc[100000]; int nt = 0;
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (;;) {
        double s = now(CLOCK_MONOTONIC), sc = now(CLOCK_THREAD_CPUTIME_ID);
        if (is8) ck_qgemm_packed(tier, 0, m, n, k, a, k, &za, 0, pb, cs, 1, NULL, 0, c, n);
        else ck_sgemm_packed(tier, 0, m, n, k, 1.f, a, k, pb, 0.f, c, n, NULL);
        double ec = now(CLOCK_THREAD_CPUTIME_ID), e = now(CLOCK_MONOTONIC);
        if (nt < 100000) { tc[nt] = ec - sc; ts[nt++] = e - s; }
        if (e - t0 > secs && nt >= 5) break;
    }
    double wall = now(CLOCK_MONOTONIC) - t0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    qsort(ts, nt, sizeof(double), cmpd);
    qsort(tc, nt, sizeof(double), cmpd);
    double med = ts[nt / 2], best = ts[0], medc = tc[nt / 2];
    printf("{\"kind\":\"%s\",\"m\":%zu,\"k\":%zu,\"n\":%zu,\"threads\":%d,\"tier\":%d,\"median_us\":%.3f,\"gops\":%.1f,\"cpu_wall\":%.3f,\"calls\":%d,\"min_us\":%.3f,\"gops_min\":%.1f,\"gops_thread_cpu\":%.1f}\n",
           is8 ? "i8" : "f32", m, k, n, threads, (int)tier, med * 1e6, 2.0 * m * k * n / med / 1e9, cpu / wall, nt, best * 1e6, 2.0 * m * k * n / best / 1e9, 2.0 * m * k * n / medc / 1e9);
    return 0;
}
