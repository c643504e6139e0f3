import ONNXGraph

/// Split (opsets 1, 2, 11, 13, 18): cuts `input` along `axis` into the outputs. Sizes come from
/// the `split` attribute (before opset 13; opset 1 also takes them as input #1), the int64 input
/// #1 (opset 13+), or `num_outputs` (opset 18+: parts of ceil(dim / n), the last smaller);
/// otherwise equal parts, one per output. Any element type.
struct Split: Operator, Hashable {
    let axis: Int
    let attributeSplit: [Int]?
    let numOutputs: Int?

    init(_ node: NodeAttributes) throws(OpError) {
        axis = try node.int("axis", default: 0)
        attributeSplit = node.opset < 13 ? try node.ints("split") : nil
        numOutputs = node.opset >= 18 ? try node.int("num_outputs") : nil
        if let numOutputs {
            guard numOutputs >= 1 else { throw OpError(.invalidAttribute("num_outputs", "must be >= 1, got \(numOutputs)")) }
            guard numOutputs == node.outputCount else {
                throw OpError(.invalidAttribute("num_outputs", "\(numOutputs) differs from the node's \(node.outputCount) outputs"))
            }
            if node.hasInput(1) { throw OpError(.invalidAttribute("num_outputs", "given together with the split input")) }
        }
    }

    /// The size of each part of a `dim`-long axis.
    func sizes(dim: Int, given: [Int]?, outputs: Int) throws(OpError) -> [Int] {
        if let given {
            guard given.count == outputs else {
                throw OpError.shape("Split: \(given.count) sizes for \(outputs) outputs")
            }
            guard given.allSatisfy({ $0 >= 0 }), given.reduce(0, +) == dim else {
                throw OpError.shape("Split: sizes \(given) do not add up to \(dim)")
            }
            return given
        }
        guard outputs >= 1 else { throw OpError(.wrongInputCount(expected: "at least 1 output", actual: 0)) }
        if numOutputs == nil {
            guard dim % outputs == 0 else { throw OpError.shape("Split: axis of \(dim) does not split into \(outputs) equal parts") }
            return Array(repeating: dim / outputs, count: outputs)
        }
        let chunk = (dim + outputs - 1) / outputs
        let last = dim - chunk * (outputs - 1)
        guard last >= 0 else { throw OpError.shape("Split: axis of \(dim) cannot make \(outputs) parts of \(chunk)") }
        return Array(repeating: chunk, count: outputs - 1) + [last]
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        let n = node.outputCount
        guard let d = x.dims else { return Array(repeating: TensorType(x.dataType, nil), count: n) }
        let a = try Movement.axis(axis, rank: d.count)
        var sizes: [Dim] = Array(repeating: .unknown, count: n)
        if let dim = d[a].value, attributeSplit != nil || !node.hasInput(1) {
            sizes = try self.sizes(dim: dim, given: attributeSplit, outputs: n).map { .value($0) }
        }
        return sizes.map { s in
            var dims = d
            dims[a] = s
            return TensorType(x.dataType, dims)
        }
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let a = try Movement.axis(axis, rank: x.rank)
        var given = attributeSplit
        if given == nil, let t = io.input(1) {
            given = try Movement.vector(t, input: 1, name: "Split split")
        }
        let parts = try sizes(dim: x.shape[a], given: given, outputs: io.outputCount)
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[(a + 1)...].reduce(1, *)
        let row = x.shape[a] * inner
        var start = 0
        for (i, size) in parts.enumerated() {
            defer { start += size }
            guard io.wantsOutput(i) else { continue }
            var shape = x.shape
            shape[a] = size
            let out = try Movement.copyStrided(x, offset: size == 0 ? 0 : start * inner, shape: [outer, size * inner],
                                               strides: [row, 1], &io)
            io.setOutput(i, try Movement.reshape(out, shape))
        }
    }
}
