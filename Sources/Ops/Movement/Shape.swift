import ONNXGraph

/// Shape (opsets 1..25): the input's shape as a 1-D int64 tensor, optionally only dims
/// [start, end) (opset 15+; negatives count from the end, both clamped to [0, rank]). A padded
/// input gives its logical shape.
struct Shape: Operator, Hashable {
    static var acceptsPaddedInputs: Bool { true }

    let start: Int
    let end: Int?

    init(_ node: NodeAttributes) throws(OpError) {
        start = node.opset >= 15 ? try node.int("start", default: 0) : 0
        end = node.opset >= 15 ? try node.int("end") : nil
    }

    func bounds(rank: Int) -> Range<Int> {
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let s = clamp(start), e = clamp(end ?? rank)
        return s..<max(s, e)
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        guard let r = Movement.fact(inputs, 0).rank else { return [TensorType(.int64, [.unknown])] }
        return [TensorType(.int64, [.value(bounds(rank: r).count)])]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let b = bounds(rank: x.rank)
        let out = try io.allocate(.int64, [b.count])
        let p = out.elements(Int64.self)
        for (i, d) in x.shape[b].enumerated() { p[i] = Int64(d) }
        io.setOutput(0, out)
    }
}
