import CKernels

/// The worker pool shared by every kernel (GEMMs split their work over it when the work is large
/// enough to pay for it, about 2M multiply-adds per thread).
///
/// Workers are created on first use and kept; after a job they spin for about 0.2 ms, then sleep.
public enum KernelThreads {
    /// Threads kernels may use, the caller included (>= 1). Setting a value <= 0 restores the
    /// default, `availableCores`. Takes effect at the next kernel call.
    public static var count: Int {
        get { Int(ck_get_threads()) }
        set { ck_set_threads(Int32(clamping: newValue)) }
    }

    /// The cores this process may run on (its CPU affinity mask on Linux).
    public static var availableCores: Int { Int(ck_available_cores()) }

    /// Runs `body(t)` for every `t` in `0..<tasks` on up to `threads` pool threads (the caller
    /// included) and returns when all have run. Tasks are claimed dynamically.
    public static func parallelFor(tasks: Int, threads: Int = count, _ body: (Int) -> Void) {
        guard tasks > 0 else { return }
        withoutActuallyEscaping(body) { body in
            var box = body
            withUnsafeMutablePointer(to: &box) { ctx in
                ck_parallel_for(tasks, max(threads, 1), { raw, task in
                    guard let raw else { return }
                    raw.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(task))
                }, UnsafeMutableRawPointer(ctx))
            }
        }
    }
}
