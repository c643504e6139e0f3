/* The persistent worker pool behind ck_parallel_for (see ck_threads.h).
 *
 * Publication protocol (a seqlock): the caller owns the pool while `busy` is set. It makes `gen`
 * odd, waits until no worker is inside (`inflight` == 0), fills `job`, and makes `gen` even again
 * (all seq_cst). A worker that sees a new even generation registers in `inflight`, then re-checks
 * the generation: if it still matches, the caller cannot rewrite `job` until the worker leaves.
 * Tasks are claimed with fetch_add on `next`; the caller returns when every task is done. */
#define _GNU_SOURCE
#include "ck_threads.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define CK_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define CK_PAUSE() __asm__ volatile("yield")
#else
#define CK_PAUSE() ((void)0)
#endif

#define CK_MAX_WORKERS 255
#define CK_SPIN_NS 200000L /* workers spin this long after a job before sleeping */

static atomic_int ck_threads_setting; /* 0: default (available cores) */
static atomic_int ck_busy;
static atomic_uint_fast64_t ck_gen;
static atomic_int ck_inflight;
static atomic_int ck_sleepers;
static pthread_mutex_t ck_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ck_cv = PTHREAD_COND_INITIALIZER;
static int ck_nworkers; /* created so far; guarded by ck_busy ownership */

static struct {
    ck_task_fn fn;
    void *ctx;
    size_t tasks;
    size_t workers; /* workers with index < this participate */
    atomic_size_t next;
    atomic_size_t done;
} ck_job;

static long ck_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

int ck_available_cores(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void ck_set_threads(int n) {
    if (n > CK_MAX_WORKERS + 1) n = CK_MAX_WORKERS + 1;
    atomic_store(&ck_threads_setting, n > 0 ? n : 0);
}

int ck_get_threads(void) {
    int n = atomic_load(&ck_threads_setting);
    if (n > 0) return n;
    n = ck_available_cores();
    return n > CK_MAX_WORKERS + 1 ? CK_MAX_WORKERS + 1 : n;
}

static void ck_run_tasks(void) {
    size_t tasks = ck_job.tasks;
    for (;;) {
        size_t t = atomic_fetch_add(&ck_job.next, 1);
        if (t >= tasks) break;
        ck_job.fn(ck_job.ctx, t);
        atomic_fetch_add(&ck_job.done, 1);
    }
}

static void *ck_worker(void *arg) {
    size_t index = (size_t)(uintptr_t)arg;
    uint_fast64_t seen = atomic_load(&ck_gen) & ~(uint_fast64_t)1;
    for (;;) {
        long start = ck_now_ns();
        for (int i = 0; atomic_load_explicit(&ck_gen, memory_order_acquire) == seen; i++) {
            CK_PAUSE();
            if ((i & 255) == 255 && ck_now_ns() - start > CK_SPIN_NS) break;
        }
        if (atomic_load(&ck_gen) == seen) {
            pthread_mutex_lock(&ck_mu);
            atomic_fetch_add(&ck_sleepers, 1);
            while (atomic_load(&ck_gen) == seen) pthread_cond_wait(&ck_cv, &ck_mu);
            atomic_fetch_sub(&ck_sleepers, 1);
            pthread_mutex_unlock(&ck_mu);
        }
        uint_fast64_t g = atomic_load(&ck_gen);
        if (g & 1) { /* being rewritten: wait for the even value */
            CK_PAUSE();
            continue;
        }
        seen = g;
        atomic_fetch_add(&ck_inflight, 1);
        if (atomic_load(&ck_gen) == g && index < ck_job.workers) ck_run_tasks();
        atomic_fetch_sub(&ck_inflight, 1);
    }
    return NULL;
}

void ck_parallel_for(size_t tasks, size_t threads, ck_task_fn fn, void *ctx) {
    size_t limit = (size_t)ck_get_threads();
    if (threads > limit) threads = limit;
    if (threads > tasks) threads = tasks;
    int expected = 0;
    if (threads <= 1 || !atomic_compare_exchange_strong(&ck_busy, &expected, 1)) {
        for (size_t t = 0; t < tasks; t++) fn(ctx, t);
        return;
    }
    size_t want = threads - 1;
    while ((size_t)ck_nworkers < want) {
        pthread_t th;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int rc = pthread_create(&th, &attr, ck_worker, (void *)(uintptr_t)ck_nworkers);
        pthread_attr_destroy(&attr);
        if (rc != 0) break;
        ck_nworkers++;
    }
    if (want > (size_t)ck_nworkers) want = (size_t)ck_nworkers;
    atomic_fetch_add(&ck_gen, 1); /* odd: job being rewritten */
    for (int i = 0; atomic_load(&ck_inflight) > 0; i++) {
        CK_PAUSE();
        if (i > 4096) sched_yield();
    }
    ck_job.fn = fn;
    ck_job.ctx = ctx;
    ck_job.tasks = tasks;
    ck_job.workers = want;
    atomic_store(&ck_job.next, 0);
    atomic_store(&ck_job.done, 0);
    atomic_fetch_add(&ck_gen, 1);
    if (atomic_load(&ck_sleepers) > 0) {
        pthread_mutex_lock(&ck_mu);
        pthread_cond_broadcast(&ck_cv);
        pthread_mutex_unlock(&ck_mu);
    }
    ck_run_tasks();
    for (int i = 0; atomic_load(&ck_job.done) < tasks; i++) {
        CK_PAUSE();
        if (i > 4096) sched_yield();
    }
    atomic_store(&ck_busy, 0);
}
