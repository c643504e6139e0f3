import ONNXGraph

/// How to walk one, two or three inputs broadcast (numpy-style) to a common output shape, in runs.
///
/// The output is visited in row-major order as `runCount` runs of `inner` elements. Within a run each
/// input advances by `innerStride(k)`, which is 0 (the input is broadcast along the run) or 1. Dims of
/// extent 1 are dropped and adjacent dims merged wherever every input is contiguous across both (or
/// broadcast across both), so same-shape and scalar-broadcast cases become a single run.
struct BroadcastPlan {
    /// The broadcast output shape.
    let outShape: [Int]
    /// Elements in the output.
    let count: Int
    /// Length of each innermost run (1 for a rank-0 output).
    let inner: Int
    /// Per-input stride within a run: 0 or 1.
    let innerStride0: Int, innerStride1: Int, innerStride2: Int
    /// Extents of the merged outer dims, outermost first.
    let outer: [Int]
    /// Per-input element strides of the outer dims: `outerStrides[d * 3 + k]` for input k.
    let outerStrides: [Int]

    /// A plan for inputs of `shapes` (one to three). Throws when they do not broadcast together.
    init(_ shapes: [[Int]]) throws(OpError) {
        precondition(shapes.count >= 1 && shapes.count <= 3, "BroadcastPlan takes one to three inputs")
        if let plan = BroadcastPlan.singleRun(shapes) {
            self = plan
            return
        }
        let out = try Broadcast.shape(shapes)
        var count = 1
        for d in out {
            let (m, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw OpError.shape("broadcast shape \(out) has too many elements") }
            count = m
        }
        self.outShape = out
        self.count = count
        let k = shapes.count
        let strides = shapes.map { Broadcast.strides(of: $0, to: out) }
        // Keep dims of extent > 1, then merge each into its outer neighbour when every input's stride
        // there equals (its stride here) × (extent here).
        var ext: [Int] = []
        var st: [[Int]] = Array(repeating: [], count: 3)
        for d in 0..<out.count where out[d] != 1 {
            if let last = ext.last,
               (0..<k).allSatisfy({ st[$0][st[$0].count - 1] == strides[$0][d] * out[d] }) {
                ext[ext.count - 1] = last * out[d]
                for i in 0..<k { st[i][st[i].count - 1] = strides[i][d] }
            } else {
                ext.append(out[d])
                for i in 0..<k { st[i].append(strides[i][d]) }
            }
        }
        for i in k..<3 { st[i] = Array(repeating: 0, count: ext.count) }
        if ext.isEmpty {
            self.inner = 1
            self.innerStride0 = 0; self.innerStride1 = 0; self.innerStride2 = 0
            self.outer = []
            self.outerStrides = []
            return
        }
        self.inner = ext[ext.count - 1]
        self.innerStride0 = st[0][ext.count - 1]
        self.innerStride1 = st[1][ext.count - 1]
        self.innerStride2 = st[2][ext.count - 1]
        let outerRank = ext.count - 1
        self.outer = Array(ext[0..<outerRank])
        var flat = Array(repeating: 0, count: outerRank * 3)
        for d in 0..<outerRank {
            for i in 0..<3 { flat[d * 3 + i] = st[i][d] }
        }
        self.outerStrides = flat
    }

    private init(outShape: [Int], count: Int, strides: (Int, Int, Int)) {
        self.outShape = outShape
        self.count = count
        self.inner = max(count, 1)
        (innerStride0, innerStride1, innerStride2) = strides
        self.outer = []
        self.outerStrides = []
    }

    /// The allocation-free plan for the common cases: every input has the output's shape or holds
    /// one element of rank no higher than the output's (a scalar broadcast). Nil otherwise.
    private static func singleRun(_ shapes: [[Int]]) -> BroadcastPlan? {
        var widest = 0
        for i in 1..<shapes.count where shapes[i].count > shapes[widest].count { widest = i }
        let out = shapes[widest]
        var count = 1
        for d in out {
            guard d >= 0 else { return nil }
            let (m, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { return nil }
            count = m
        }
        var strides = (0, 0, 0)
        for (i, s) in shapes.enumerated() {
            let stride: Int
            if s == out {
                stride = 1
            } else if s.allSatisfy({ $0 == 1 }) {
                stride = 0
            } else {
                return nil
            }
            switch i {
            case 0: strides.0 = stride
            case 1: strides.1 = stride
            default: strides.2 = stride
            }
        }
        return BroadcastPlan(outShape: out, count: count, strides: strides)
    }

    /// Number of runs (0 when the output is empty).
    var runCount: Int { count == 0 ? 0 : count / inner }

    /// Calls `body(offset0, offset1, offset2, outOffset)` once per run, in output order; offsets are
    /// element offsets into each input and the output. Unused inputs get offset 0.
    @inline(__always)
    func forEachRun<E: Error>(_ body: (Int, Int, Int, Int) throws(E) -> Void) throws(E) {
        let runs = runCount
        if runs == 0 { return }
        let rank = outer.count
        if rank == 0 { try body(0, 0, 0, 0); return }
        try outer.withUnsafeBufferPointer { (ext) throws(E) in
            try outerStrides.withUnsafeBufferPointer { (s) throws(E) in
                try withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { (idx) throws(E) in
                    idx.initialize(repeating: 0)
                    var o0 = 0, o1 = 0, o2 = 0, out = 0
                    for _ in 0..<runs {
                        try body(o0, o1, o2, out)
                        out += inner
                        var d = rank - 1
                        while d >= 0 {
                            idx[d] += 1
                            o0 += s[d * 3]; o1 += s[d * 3 + 1]; o2 += s[d * 3 + 2]
                            if idx[d] < ext[d] { break }
                            o0 -= s[d * 3] * ext[d]; o1 -= s[d * 3 + 1] * ext[d]; o2 -= s[d * 3 + 2] * ext[d]
                            idx[d] = 0
                            d -= 1
                        }
                    }
                }
            }
        }
    }
}
