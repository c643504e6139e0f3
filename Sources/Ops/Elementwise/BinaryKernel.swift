import ONNXGraph

/// A scalar function of two elements, applied by `runBinary` over broadcast runs. Conformers are
/// caseless enums, so the call is static and specialized into the loop (no closure per element).
protocol BinaryFn {
    associatedtype A: BitwiseCopyable
    associatedtype B: BitwiseCopyable
    associatedtype R: BitwiseCopyable
    static func apply(_ a: A, _ b: B) -> R
}

/// Runs of a binary function: `r[i] = f(a[i * sa], b[i * sb])` for i in 0..<n, strides 0 or 1.
/// Each stride combination has its own loop so the contiguous ones vectorize.
@inline(__always)
func binaryRun<F: BinaryFn>(_: F.Type, _ n: Int, _ a: UnsafePointer<F.A>, _ sa: Int,
                            _ b: UnsafePointer<F.B>, _ sb: Int, _ r: UnsafeMutablePointer<F.R>) {
    switch (sa, sb) {
    case (1, 1): for i in 0..<n { r[i] = F.apply(a[i], b[i]) }
    case (1, _): let y = b[0]; for i in 0..<n { r[i] = F.apply(a[i], y) }
    case (_, 1): let x = a[0]; for i in 0..<n { r[i] = F.apply(x, b[i]) }
    default: let v = F.apply(a[0], b[0]); for i in 0..<n { r[i] = v }
    }
}

/// Evaluates `F` over `a` and `b` broadcast by `plan` into `out` (allocated with `plan.outShape`).
func runBinary<F: BinaryFn>(_ f: F.Type, _ plan: BroadcastPlan, _ a: Tensor, _ b: Tensor, _ out: Tensor) {
    let pa = UnsafePointer(a.elements(F.A.self)), pb = UnsafePointer(b.elements(F.B.self))
    let pr = out.elements(F.R.self)
    let n = plan.inner, sa = plan.innerStride0, sb = plan.innerStride1
    plan.forEachRun { (oa, ob, _, or) in
        binaryRun(f, n, pa + oa, sa, pb + ob, sb, pr + or)
    }
}

/// Reads both inputs of a two-input broadcasting op, checks they exist, and plans the broadcast
/// (with the legacy opset < 7 `broadcast`/`axis` rule when `legacy` is set).
func planBinary(_ io: OpIO, legacy: LegacyBroadcast?) throws(OpError) -> (Tensor, Tensor, BroadcastPlan) {
    let a = try io.required(0)
    var b = try io.required(1)
    if let legacy { b = try legacy.align(b, to: a) }
    let plan = try BroadcastPlan([a.shape, b.shape])
    return (a, b, plan)
}

/// The `broadcast` and `axis` attributes of opset < 7 binary ops: when `broadcast` is 1, B's shape
/// must equal a contiguous run of A's dims starting at `axis` (default: A's trailing dims), or B
/// has one element; the output has A's shape. When `broadcast` is 0 the shapes must be equal.
struct LegacyBroadcast: Hashable, Sendable {
    var enabled: Bool
    var axis: Int?

    /// The legacy rule for `node`, or nil at opset >= 7 (numpy broadcasting).
    static func parse(_ node: NodeAttributes) throws(OpError) -> LegacyBroadcast? {
        guard node.opset < 7 else { return nil }
        let flag = try node.int("broadcast", default: 0)
        guard flag == 0 || flag == 1 else { throw OpError(.invalidAttribute("broadcast", "must be 0 or 1, got \(flag)")) }
        return LegacyBroadcast(enabled: flag == 1, axis: try node.int("axis"))
    }

    /// B as a view of rank A with 1s outside the matched dims; throws when the shapes do not fit.
    func align(_ b: Tensor, to a: Tensor) throws(OpError) -> Tensor {
        if !enabled {
            guard a.shape == b.shape else {
                throw OpError.shape("shapes \(a.shape) and \(b.shape) differ and attribute 'broadcast' is 0")
            }
            return b
        }
        if b.count == 1 {
            return try view(b, Array(repeating: 1, count: a.rank))
        }
        guard b.rank <= a.rank else {
            throw OpError.shape("shape \(b.shape) has higher rank than \(a.shape) under legacy broadcasting")
        }
        var start = a.rank - b.rank
        if let axis {
            start = axis < 0 ? axis + a.rank : axis
            guard start >= 0, start + b.rank <= a.rank else {
                throw OpError(.invalidAttribute("axis", "\(axis) does not place shape \(b.shape) inside \(a.shape)"))
            }
        }
        var shape = Array(repeating: 1, count: a.rank)
        for i in 0..<b.rank {
            guard b.shape[i] == a.shape[start + i] || b.shape[i] == 1 else {
                throw OpError.shape("shape \(b.shape) does not match \(a.shape) at axis \(start) under legacy broadcasting")
            }
            shape[start + i] = b.shape[i]
        }
        return try view(b, shape)
    }

    private func view(_ t: Tensor, _ shape: [Int]) throws(OpError) -> Tensor {
        do { return try t.reshaped(shape) } catch { throw OpError(error) }
    }
}

/// Checks that inputs `0` and `other` have the same element type.
func requireSameType(_ a: Tensor, _ b: Tensor, input: Int) throws(OpError) {
    guard a.dataType == b.dataType else {
        throw OpError.value("input #\(input) has type \(b.dataType) but input #0 has \(a.dataType); they must match")
    }
}
