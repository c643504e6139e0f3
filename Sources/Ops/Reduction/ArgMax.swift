import ONNXGraph

/// ArgMax: int64 indices of the maximum of `data` along `axis` (default 0), with `keepdims`
/// (default 1) and, from opset 12, `select_last_index` (default 0: the first maximum wins).
/// NaN counts as greater than every number (numpy's order). An empty reduced axis is an error.
public struct ArgMax: Operator, Hashable {
    let axis: Int
    let keepdims: Bool
    let selectLast: Bool
    let types: Set<DataType>

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
        axis = try node.int("axis", default: 0)
        keepdims = try node.int("keepdims", default: 1) != 0
        selectLast = node.opset >= 12 ? try node.int("select_last_index", default: 0) != 0 : false
        var t: Set<DataType> = [.float, .double, .float16, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64]
        if node.opset >= 13 { t.insert(.bfloat16) }
        types = t
    }

    /// `axis` normalized against `rank`; throws when out of [-rank, rank-1].
    func normalizedAxis(rank: Int) throws(OpError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw OpError(.invalidAttribute("axis", "\(axis) is out of range for rank \(rank)")) }
        return a
    }

    func outputShape(_ shape: [Int], axis a: Int) -> [Int] {
        var out = shape
        if keepdims { out[a] = 1 } else { out.remove(at: a) }
        return out
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        guard let x = inputs.first ?? nil, var dims = x.dims else { return [TensorType(.int64, nil)] }
        let a = try normalizedAxis(rank: dims.count)
        if keepdims { dims[a] = .value(1) } else { dims.remove(at: a) }
        return [TensorType(.int64, dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard types.contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        let a = try normalizedAxis(rank: x.rank)
        let n = x.shape[a]
        let y = try io.allocate(.int64, outputShape(x.shape, axis: a))
        guard n > 0 || y.count == 0 else { throw OpError.shape("ArgMax over an empty axis \(a) of shape \(x.shape)") }
        defer { io.setOutput(0, y) }
        if y.count == 0 { return }
        let outer = ReductionShape.product(x.shape[..<a])
        let inner = ReductionShape.product(x.shape[(a + 1)...])
        try x.dataType.visitReductionScalar(Visitor(x: x, y: y, outer: outer, n: n, inner: inner, selectLast: selectLast))
    }

    private struct Visitor: ReductionScalarVisitor {
        let x: Tensor, y: Tensor
        let outer: Int, n: Int, inner: Int
        let selectLast: Bool

        func visit<S: ReductionScalar>(_ type: S.Type) throws(OpError) {
            let src = x.elements(S.self)
            let dst = y.elements(Int64.self)
            // Best value so far for each of the `inner` positions of one outer block; rows scanned in order.
            let best = UnsafeMutablePointer<S.Acc>.allocate(capacity: inner)
            defer { best.deallocate() }
            for o in 0..<outer {
                let block = src + o * n * inner
                let out = dst + o * inner
                for j in 0..<inner {
                    best[j] = S.widen(block[j])
                    out[j] = 0
                }
                for r in 1..<max(n, 1) {
                    let row = block + r * inner
                    for j in 0..<inner {
                        let v = S.widen(row[j])
                        let take = selectLast ? !S.Acc.ranksAbove(best[j], v) : S.Acc.ranksAbove(v, best[j])
                        if take {
                            best[j] = v
                            out[j] = Int64(r)
                        }
                    }
                }
            }
        }
    }
}
