import CKernels
import Kernels
import ONNXGraph

/// Which fold a ReduceXxx op applies.
enum ReductionKind: Hashable, Sendable {
    case sum, mean, max, min
}

/// The tier the reduce, softmax and layer-norm C kernels run at: `CPUTier.active` as the C enum.
enum ReduceKernelTier {
    static var current: CKTier { CPUTier.active.ck }
}

/// Runs a reduction of `x` (contiguous, element type `S`) into `y` laid out as `layout` says.
///
/// Walks the input once in storage order. The innermost two merged dims form a tile: a trailing
/// reduced dim folds contiguous rows, a trailing kept dim accumulates rows into contiguous outputs.
/// Accumulates in `S.Acc` (Float for 16-bit floats, 64-bit for integers, wrapping); the empty set
/// gives 0 (sum), NaN or 0 (mean of floats or integers), `S.maxIdentity` (max), `S.minIdentity` (min).
/// Float32 tiles run in C.
struct ReductionEngine<S: ReductionScalar> {
    let kind: ReductionKind
    let layout: ReductionLayout

    func run(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>) {
        let outCount = layout.outCount
        if outCount == 0 { return }
        // Accumulate in y itself when the accumulator is the storage type.
        let inPlace = S.self == S.Acc.self
        let acc = inPlace ? UnsafeMutableRawPointer(y).assumingMemoryBound(to: S.Acc.self)
                          : UnsafeMutablePointer<S.Acc>.allocate(capacity: outCount)
        defer { if !inPlace { acc.deallocate() } }
        let identity: S.Acc = switch kind {
        case .sum, .mean: .zero
        case .max: S.maxIdentity
        case .min: S.minIdentity
        }
        acc.initialize(repeating: identity, count: outCount)
        if layout.reduceCount > 0 { fold(x, acc) }
        if kind == .mean {
            for i in 0..<outCount { acc[i] = S.Acc.meanOf(acc[i], count: layout.reduceCount) }
        }
        if !inPlace {
            for i in 0..<outCount { y[i] = S.narrow(acc[i]) }
        }
    }

    private func fold(_ x: UnsafePointer<S>, _ acc: UnsafeMutablePointer<S.Acc>) {
        let dims = layout.dims
        let m = dims.count
        guard m > 0 else {
            // Every dim has extent 1: one element in, one out.
            acc[0] = S.widen(x[0])
            return
        }
        // Tile: the last dim (n) and the one before (rows; 1 when there is none). Kinds alternate,
        // so a reduced last dim has kept rows (one output each) and a kept one reduced rows.
        let n = dims[m - 1]
        let lastReduced = layout.reduced[m - 1]
        let rows = m >= 2 ? dims[m - 2] : 1
        let outerRank = max(m - 2, 0)
        // Output strides of the outer dims: 0 along reduced ones; a tile writes `rows` outputs
        // when the last dim is reduced, n when it is kept.
        var outStrides = Array(repeating: 0, count: outerRank)
        var s = lastReduced ? rows : n
        for i in stride(from: outerRank - 1, through: 0, by: -1) where !layout.reduced[i] {
            outStrides[i] = s
            s *= dims[i]
        }
        let hasOuterReduced = layout.reduced[0..<outerRank].contains(true)
        let tileCount = rows * n
        var index = Array(repeating: 0, count: outerRank)
        var o = 0
        var src = x
        var scratch: UnsafeMutablePointer<S.Acc>? = nil
        defer { scratch?.deallocate() }
        while true {
            if lastReduced {
                if hasOuterReduced {
                    let t = scratch ?? UnsafeMutablePointer<S.Acc>.allocate(capacity: rows)
                    scratch = t
                    S.reduceRows(kind, src, rows: rows, n: n, into: t)
                    combine(acc + o, t, rows)
                } else {
                    S.reduceRows(kind, src, rows: rows, n: n, into: acc + o)
                }
            } else {
                S.accumulateCols(kind, src, rows: rows, n: n, into: acc + o)
            }
            src += tileCount
            // Advance the outer odometer.
            var d = outerRank - 1
            while d >= 0 {
                index[d] += 1
                o += outStrides[d]
                if index[d] < dims[d] { break }
                o -= outStrides[d] * dims[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    private func combine(_ acc: UnsafeMutablePointer<S.Acc>, _ t: UnsafePointer<S.Acc>, _ count: Int) {
        switch kind {
        case .max: for i in 0..<count { acc[i] = S.Acc.nanMax(acc[i], t[i]) }
        case .min: for i in 0..<count { acc[i] = S.Acc.nanMin(acc[i], t[i]) }
        case .sum, .mean: for i in 0..<count { acc[i] = S.Acc.add(acc[i], t[i]) }
        }
    }
}

extension ReductionScalar {
    /// Default tiles: plain loops over `load`ed elements.
    /// out[r] = fold of x[r·n ..< r·n + n] for r < rows (sum for .sum/.mean, max, min); n >= 1.
    static func reduceRows(_ kind: ReductionKind, _ x: UnsafePointer<Self>, rows: Int, n: Int,
                           into out: UnsafeMutablePointer<Acc>) {
        var row = x
        for r in 0..<rows {
            var a = widen(row[0])
            switch kind {
            case .max: for i in 1..<n { a = Acc.nanMax(a, widen(row[i])) }
            case .min: for i in 1..<n { a = Acc.nanMin(a, widen(row[i])) }
            case .sum, .mean: for i in 1..<n { a = Acc.add(a, widen(row[i])) }
            }
            out[r] = a
            row += n
        }
    }

    /// acc[j] = fold(acc[j], x[r·n + j] for every r < rows) for j < n.
    static func accumulateCols(_ kind: ReductionKind, _ x: UnsafePointer<Self>, rows: Int, n: Int,
                               into acc: UnsafeMutablePointer<Acc>) {
        var row = x
        for _ in 0..<rows {
            switch kind {
            case .max: for j in 0..<n { acc[j] = Acc.nanMax(acc[j], widen(row[j])) }
            case .min: for j in 0..<n { acc[j] = Acc.nanMin(acc[j], widen(row[j])) }
            case .sum, .mean: for j in 0..<n { acc[j] = Acc.add(acc[j], widen(row[j])) }
            }
            row += n
        }
    }
}

extension Float {
    static func reduceRows(_ kind: ReductionKind, _ x: UnsafePointer<Float>, rows: Int, n: Int,
                           into out: UnsafeMutablePointer<Float>) {
        switch kind {
        case .max: ck_reduce_max_rows_f32(ReduceKernelTier.current, x, rows, n, out)
        case .min: ck_reduce_min_rows_f32(ReduceKernelTier.current, x, rows, n, out)
        case .sum, .mean: ck_reduce_sum_rows_f32(ReduceKernelTier.current, x, rows, n, out)
        }
    }

    static func accumulateCols(_ kind: ReductionKind, _ x: UnsafePointer<Float>, rows: Int, n: Int,
                               into acc: UnsafeMutablePointer<Float>) {
        switch kind {
        case .max: ck_accumulate_max_cols_f32(ReduceKernelTier.current, x, rows, n, acc)
        case .min: ck_accumulate_min_cols_f32(ReduceKernelTier.current, x, rows, n, acc)
        case .sum, .mean: ck_accumulate_sum_cols_f32(ReduceKernelTier.current, x, rows, n, acc)
        }
    }
}
