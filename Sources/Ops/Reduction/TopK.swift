import ONNXGraph

/// TopK: the `k` largest (or, with `largest` = 0, smallest) elements of `X` along `axis` (default
/// -1) and their int64 indices. `k` is the attribute at opset 1 and a one-element int64 input
/// from opset 10; 0 <= k <= the axis extent, else an error. Results are always sorted (best first),
/// which `sorted` = 0 allows. Equal values keep index order (the lower index first); NaN ranks
/// above every number.
public struct TopK: Operator, Hashable {
    let axis: Int
    let largest: Bool
    let attributeK: Int?
    let types: Set<DataType>

    public init(_ node: NodeAttributes) throws(OpError) {
        axis = try node.int("axis", default: -1)
        if node.opset >= 11 {
            largest = try node.int("largest", default: 1) != 0
            _ = try node.int("sorted", default: 1)
        } else {
            largest = true
        }
        if node.opset < 10 {
            guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
            attributeK = try node.requiredInt("k")
        } else {
            guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
            attributeK = nil
        }
        var t: Set<DataType> = [.float, .double, .float16]
        if node.opset >= 11 { t.formUnion([.int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64]) }
        if node.opset >= 24 { t.insert(.bfloat16) }
        types = t
    }

    func normalizedAxis(rank: Int) throws(OpError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw OpError(.invalidAttribute("axis", "\(axis) is out of range for rank \(rank)")) }
        return a
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        guard let x = inputs.first ?? nil, var dims = x.dims else {
            return [TensorType(inputs.first??.dataType, nil), TensorType(.int64, nil)]
        }
        let a = try normalizedAxis(rank: dims.count)
        dims[a] = attributeK.map { .value($0) } ?? .unknown
        return [TensorType(x.dataType, dims), TensorType(.int64, dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard types.contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        let a = try normalizedAxis(rank: x.rank)
        let k: Int
        if let attributeK {
            k = attributeK
        } else {
            let kt = try io.required(1)
            guard kt.dataType == .int64 else { throw OpError.type(1, kt.dataType) }
            guard kt.count == 1, kt.rank <= 1 else { throw OpError.shape("K must hold one value, got shape \(kt.shape)") }
            k = Int(truncatingIfNeeded: kt.elements(Int64.self)[0])
        }
        let n = x.shape[a]
        guard k >= 0, k <= n else { throw OpError.value("k = \(k) is outside 0...\(n) (axis \(a) of shape \(x.shape))") }
        var outShape = x.shape
        outShape[a] = k
        let values = try io.allocate(x.dataType, outShape)
        let indices = try io.allocate(.int64, outShape)
        defer {
            io.setOutput(0, values)
            io.setOutput(1, indices)
        }
        if values.count == 0 { return }
        let outer = ReductionShape.product(x.shape[..<a])
        let inner = ReductionShape.product(x.shape[(a + 1)...])
        try x.dataType.visitReductionScalar(Visitor(x: x, values: values, indices: indices, outer: outer, n: n,
                                                    inner: inner, k: k, largest: largest))
    }

    private struct Visitor: ReductionScalarVisitor {
        let x: Tensor, values: Tensor, indices: Tensor
        let outer: Int, n: Int, inner: Int, k: Int
        let largest: Bool

        func visit<S: ReductionScalar>(_ type: S.Type) throws(OpError) {
            let select = TopKSelector<S.Acc>(capacity: n, largest: largest)
            defer { select.deallocate() }
            let src = x.elements(S.self)
            let vOut = values.elements(S.self)
            let iOut = indices.elements(Int64.self)
            for o in 0..<outer {
                for j in 0..<inner {
                    let base = o * n * inner + j
                    for r in 0..<n {
                        select.vals[r] = S.widen(src[base + r * inner])
                        select.idx[r] = r
                    }
                    select.select(n: n, k: k)
                    let outBase = o * k * inner + j
                    for r in 0..<k {
                        vOut[outBase + r * inner] = S.narrow(select.vals[r])
                        iOut[outBase + r * inner] = Int64(select.idx[r])
                    }
                }
            }
        }
    }
}

/// Partial selection of the best k of n (value, index) pairs by a binary heap of size k, then a
/// heap sort of those k: O(n log k). "Better" is the TopK order: greater (or smaller) value, then
/// lower index.
struct TopKSelector<V: ReductionAccumulator> {
    let vals: UnsafeMutablePointer<V>
    let idx: UnsafeMutablePointer<Int>
    let largest: Bool

    init(capacity: Int, largest: Bool) {
        vals = .allocate(capacity: max(capacity, 1))
        idx = .allocate(capacity: max(capacity, 1))
        self.largest = largest
    }

    func deallocate() {
        vals.deallocate()
        idx.deallocate()
    }

    @inline(__always)
    private func better(_ a: Int, _ b: Int) -> Bool {
        let va = vals[a], vb = vals[b]
        let (hi, lo) = largest ? (va, vb) : (vb, va)
        if V.ranksAbove(hi, lo) { return true }
        if V.ranksAbove(lo, hi) { return false }
        return idx[a] < idx[b]
    }

    @inline(__always)
    private func swapAt(_ a: Int, _ b: Int) {
        let v = vals[a]; vals[a] = vals[b]; vals[b] = v
        let i = idx[a]; idx[a] = idx[b]; idx[b] = i
    }

    /// Restores the heap (worst at the root) below `start` within the first `count` slots.
    private func siftDown(_ start: Int, _ count: Int) {
        var p = start
        while true {
            let l = 2 * p + 1
            if l >= count { return }
            var w = l
            if l + 1 < count && better(l, l + 1) { w = l + 1 }
            if better(p, w) { swapAt(p, w); p = w } else { return }
        }
    }

    /// Leaves the best k of the first n pairs in slots 0..<k, best first. 1 <= k <= n.
    func select(n: Int, k: Int) {
        for s in stride(from: k / 2 - 1, through: 0, by: -1) { siftDown(s, k) }
        if k < n {
            for i in k..<n where better(i, 0) {
                vals[0] = vals[i]
                idx[0] = idx[i]
                siftDown(0, k)
            }
        }
        // Heap sort: move the worst to the end repeatedly.
        var count = k
        while count > 1 {
            swapAt(0, count - 1)
            count -= 1
            siftDown(0, count)
        }
    }
}
