import ONNXGraph

/// The axes, `keepdims` and `noop_with_empty_axes` of a ReduceXxx node, shared by every reduce op.
///
/// Axes come from the `axes` attribute before `inputSince` and from the optional second input
/// (int64, 1-D) from then on. Empty axes reduce over every axis, or, with `noop_with_empty_axes`,
/// over none (the output is the input).
struct ReductionAxes: Hashable, Sendable {
    var attributeAxes: [Int]?
    var axesFromInput: Bool
    var keepdims: Bool
    var noopWithEmptyAxes: Bool

    init(_ node: NodeAttributes, inputSince: Int) throws(OpError) {
        axesFromInput = node.opset >= inputSince
        attributeAxes = axesFromInput ? nil : try node.ints("axes")
        keepdims = try node.int("keepdims", default: 1) != 0
        noopWithEmptyAxes = axesFromInput ? try node.int("noop_with_empty_axes", default: 0) != 0 : false
        guard node.inputCount >= 1 else { throw OpError(.wrongInputCount(expected: "1 or 2", actual: node.inputCount)) }
        guard node.inputCount <= (axesFromInput ? 2 : 1) else {
            throw OpError(.wrongInputCount(expected: axesFromInput ? "1 or 2" : "1", actual: node.inputCount))
        }
    }

    /// The axes as given (not normalized): the attribute, or input 1 when present.
    func requested(_ io: OpIO) throws(OpError) -> [Int] {
        if !axesFromInput { return attributeAxes ?? [] }
        guard let t = io.input(1) else { return [] }
        guard t.dataType == .int64 else { throw OpError.type(1, t.dataType) }
        guard t.rank <= 1 else { throw OpError.shape("axes must be 1-D, got shape \(t.shape)") }
        let p = t.elements(Int64.self)
        var axes: [Int] = []
        axes.reserveCapacity(t.count)
        for i in 0..<t.count { axes.append(Int(truncatingIfNeeded: p[i])) }
        return axes
    }

    /// Which axes of a rank-`rank` input are reduced; nil means "no reduction" (noop). Throws on an
    /// axis out of [-rank, rank-1] or a repeated axis.
    func mask(_ axes: [Int], rank: Int) throws(OpError) -> [Bool]? {
        if axes.isEmpty {
            return noopWithEmptyAxes ? nil : Array(repeating: true, count: rank)
        }
        var mask = Array(repeating: false, count: rank)
        for a in axes {
            let n = a < 0 ? a + rank : a
            guard n >= 0, n < rank else { throw OpError(.invalidAttribute("axes", "\(a) is out of range for rank \(rank)")) }
            guard !mask[n] else { throw OpError(.invalidAttribute("axes", "axis \(a) is repeated")) }
            mask[n] = true
        }
        return mask
    }

    /// The output shape for `shape` reduced along `mask`.
    func outputShape(_ shape: [Int], mask: [Bool]) -> [Int] {
        var out: [Int] = []
        for (d, r) in zip(shape, mask) {
            if !r { out.append(d) } else if keepdims { out.append(1) }
        }
        return out
    }

    /// Output facts: the input's type; the shape when the axes are known without running
    /// (attribute axes, or no axes input) and the rank otherwise when `keepdims`.
    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes, outputType: DataType? = nil) throws(OpError) -> [TensorType] {
        guard let x = inputs.first ?? nil else { return [.unknown] }
        let dataType = outputType ?? x.dataType
        guard let dims = x.dims else { return [TensorType(dataType, nil)] }
        let axesKnown = !axesFromInput || !node.hasInput(1)
        guard axesKnown else {
            return [TensorType(dataType, keepdims ? Array(repeating: .unknown, count: dims.count) : nil)]
        }
        guard let mask = try mask(attributeAxes ?? [], rank: dims.count) else {
            return [TensorType(dataType, dims)]
        }
        var out: [Dim] = []
        for (d, r) in zip(dims, mask) {
            if !r { out.append(d) } else if keepdims { out.append(.value(1)) }
        }
        return [TensorType(dataType, out)]
    }
}

/// Products of dims that cannot trap: a shape with a 0 dim can hold dims whose product overflows.
enum ReductionShape {
    /// a·b, saturating at Int.max (0 when either is 0).
    static func times(_ a: Int, _ b: Int) -> Int {
        if a == 0 || b == 0 { return 0 }
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : p
    }

    /// The product of `dims`, saturating at Int.max (exact whenever it fits, 0 when a dim is 0).
    static func product<C: Collection<Int>>(_ dims: C) -> Int {
        var p = 1
        for d in dims { p = times(p, d) }
        // A later 0 must win over an earlier saturation.
        return dims.contains(0) ? 0 : p
    }
}

/// A reduction's iteration space: the input dims with extent-1 dims dropped and adjacent dims of
/// the same kind (reduced or kept) merged, so kinds alternate.
struct ReductionLayout {
    var dims: [Int] = []
    var reduced: [Bool] = []
    /// Elements of the output.
    var outCount = 1
    /// Elements folded into each output.
    var reduceCount = 1

    init(shape: [Int], mask: [Bool]) {
        for (d, r) in zip(shape, mask) {
            if r { reduceCount = ReductionShape.times(reduceCount, d) } else { outCount = ReductionShape.times(outCount, d) }
            if d == 1 { continue }
            if let last = reduced.last, last == r {
                dims[dims.count - 1] = ReductionShape.times(dims[dims.count - 1], d)
            } else {
                dims.append(d)
                reduced.append(r)
            }
        }
    }
}
