#pragma once
#include <stddef.h>

/* A persistent worker pool shared by every kernel.
 *
 * Workers are created on first use and kept; after a job they spin briefly (so back-to-back calls,
 * as in a decoder step, wake them in well under a microsecond), then sleep on a condition variable.
 * One job runs at a time: a call made while another thread's job is running executes serially on
 * the caller, so nested or concurrent use never deadlocks. */

/// Sets the thread count kernels may use (the caller included). n <= 0 restores the default:
/// the number of cores this process may run on.
void ck_set_threads(int n);

/// The thread count kernels may use (>= 1).
int ck_get_threads(void);

/// The number of cores this process may run on (sched_getaffinity on Linux), >= 1.
int ck_available_cores(void);

typedef void (*ck_task_fn)(void *ctx, size_t task);

/// Runs fn(ctx, t) for every t in 0..<tasks on at most `threads` threads (the caller is one of
/// them; tasks are claimed dynamically, so a descheduled worker delays at most one task) and
/// returns when all have finished. threads <= 1 or tasks <= 1 runs on the caller.
void ck_parallel_for(size_t tasks, size_t threads, ck_task_fn fn, void *ctx);
