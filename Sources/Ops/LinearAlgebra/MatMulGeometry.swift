import ONNXGraph

/// numpy `matmul` shape rules shared by MatMul, MatMulInteger and QLinearMatMul.
///
/// A rank-1 A is read as [1, K] and a rank-1 B as [K, 1]; the promoted dim is dropped from the
/// output. Leading (batch) dims broadcast multidirectionally. Every batch is one m×k · k×n product
/// on contiguous row-major matrices at `aOffset(batch)` / `bOffset(batch)` elements.
struct MatMulGeometry {
    let m: Int, k: Int, n: Int
    /// Broadcast batch dims (the output's leading dims).
    let batchShape: [Int]
    let batchCount: Int
    let outputShape: [Int]
    /// Per batch dim, the element step of A and B (0 where that operand is broadcast).
    let aBatchStrides: [Int], bBatchStrides: [Int]

    init(_ a: [Int], _ b: [Int]) throws(OpError) {
        guard !a.isEmpty, !b.isEmpty else { throw OpError.shape("MatMul inputs must have rank >= 1, got \(a) and \(b)") }
        let a2 = a.count == 1 ? [1, a[0]] : a
        let b2 = b.count == 1 ? [b[0], 1] : b
        let m = a2[a2.count - 2], k = a2[a2.count - 1], n = b2[b2.count - 1]
        self.m = m
        self.k = k
        self.n = n
        guard b2[b2.count - 2] == k else {
            throw OpError.shape("MatMul: inner dims differ: \(a) × \(b)")
        }
        let aBatch = Array(a2.dropLast(2)), bBatch = Array(b2.dropLast(2))
        let batchShape = try Broadcast.shape([aBatch, bBatch])
        self.batchShape = batchShape
        var count = 1
        for d in batchShape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            guard !o else { throw OpError.shape("MatMul: batch size overflows") }
            count = p
        }
        batchCount = count
        aBatchStrides = Broadcast.strides(of: aBatch, to: batchShape).map { $0 * m * k }
        bBatchStrides = Broadcast.strides(of: bBatch, to: batchShape).map { $0 * k * n }
        var out = batchShape
        if a.count > 1 { out.append(m) }
        if b.count > 1 { out.append(n) }
        outputShape = out
    }

    /// Element offset of `batch` (linear, row-major over `batchShape`) for the given batch strides.
    func offset(_ batch: Int, _ strides: [Int]) -> Int {
        var rest = batch, off = 0
        for d in stride(from: batchShape.count - 1, through: 0, by: -1) {
            let extent = batchShape[d]
            off += (rest % extent) * strides[d]
            rest /= extent
        }
        return off
    }

    func aOffset(_ batch: Int) -> Int { offset(batch, aBatchStrides) }
    func bOffset(_ batch: Int) -> Int { offset(batch, bBatchStrides) }

    /// Calls `body` with every batch's A and B offsets (`aOffset(i)`, `bOffset(i)` for i in
    /// 0..<batchCount) in a temporary buffer.
    func withBatchOffsets<R>(_ body: (UnsafePointer<Int>, UnsafePointer<Int>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * max(batchCount, 1)) { buf in
            let base = buf.baseAddress!
            for i in 0..<batchCount {
                base[i] = aOffset(i)
                base[batchCount + i] = bOffset(i)
            }
            return body(base, base + batchCount)
        }
    }

    /// True when B is one matrix shared by every batch.
    var sharesB: Bool { bBatchStrides.allSatisfy { $0 == 0 } }

    /// True when B is shared and A's batches are consecutive (size-1 batch dims ignored), so all
    /// batches are one (batchCount·m)×k · k×n product.
    var foldsBatchIntoRows: Bool {
        guard sharesB else { return false }
        var expected = m * k
        for d in stride(from: batchShape.count - 1, through: 0, by: -1) where batchShape[d] != 1 {
            guard aBatchStrides[d] == expected else { return false }
            expected *= batchShape[d]
        }
        return true
    }

    /// Forward shape inference on dims: the output dims, or nil when a rank is unknown.
    static func inferDims(_ a: [Dim]?, _ b: [Dim]?) throws(OpError) -> [Dim]? {
        guard let a, let b, !a.isEmpty, !b.isEmpty else { return nil }
        let a2 = a.count == 1 ? [.value(1), a[0]] : a
        let b2 = b.count == 1 ? [b[0], .value(1)] : b
        if let ka = a2[a2.count - 1].value, let kb = b2[b2.count - 2].value, ka != kb {
            throw OpError.shape("MatMul: inner dims differ: \(ka) and \(kb)")
        }
        let aBatch = Array(a2.dropLast(2)), bBatch = Array(b2.dropLast(2))
        let rank = max(aBatch.count, bBatch.count)
        var out: [Dim] = []
        for i in 0..<rank {
            let x: Dim = i < rank - aBatch.count ? .value(1) : aBatch[i - (rank - aBatch.count)]
            let y: Dim = i < rank - bBatch.count ? .value(1) : bBatch[i - (rank - bBatch.count)]
            out.append(try broadcastDim(x, y))
        }
        if a.count > 1 { out.append(a2[a2.count - 2]) }
        if b.count > 1 { out.append(b2[b2.count - 1]) }
        return out
    }

    static func broadcastDim(_ x: Dim, _ y: Dim) throws(OpError) -> Dim {
        if x == y { return x }
        if x == .value(1) { return y }
        if y == .value(1) { return x }
        if let u = x.value, let v = y.value, u != v { throw OpError.shape("dims \(u) and \(v) cannot be broadcast") }
        if x.value != nil { return x }
        if y.value != nil { return y }
        return .unknown
    }
}

/// Where a per-tensor / per-row (A side) / per-column (B side) quantization parameter lives.
///
/// Accepted shapes: one element (per tensor); `[m]` (rows) or `[n]` (columns), the same for every
/// batch; `[..., m, 1]` (rows) or `[..., 1, n]` (columns) whose leading dims broadcast to the batch.
struct QuantParamLayout {
    /// 0 (one value per matrix) or 1 (consecutive per row / column).
    let stride: Int
    /// Per batch dim, the element step of the parameter tensor (all 0 when shared).
    let batchStrides: [Int]

    enum Role { case rows, columns }

    init(shape: [Int], count: Int, role: Role, geometry g: MatMulGeometry, name: String) throws(OpError) {
        let extent = role == .rows ? g.m : g.n
        if count == 1 {
            stride = 0
            batchStrides = Array(repeating: 0, count: g.batchShape.count)
            return
        }
        if shape.count == 1 {
            guard shape[0] == extent else {
                throw OpError.shape("\(name) has \(shape[0]) elements, expected 1 or \(extent)")
            }
            stride = 1
            batchStrides = Array(repeating: 0, count: g.batchShape.count)
            return
        }
        let inner = shape.suffix(2)
        let expected = role == .rows ? [extent, 1] : [1, extent]
        let lead = Array(shape.dropLast(2))
        guard Array(inner) == expected || Array(inner) == [1, 1], lead.count <= g.batchShape.count,
              (try? Broadcast.shape([lead, g.batchShape])) == g.batchShape else {
            throw OpError.shape("\(name) of shape \(shape) does not fit a matmul of batch \(g.batchShape), m \(g.m), n \(g.n)")
        }
        let perMatrix = Array(inner) == [1, 1] ? 1 : extent
        stride = perMatrix == 1 ? 0 : 1
        batchStrides = Broadcast.strides(of: lead, to: g.batchShape).map { $0 * perMatrix }
    }

    func offset(_ batch: Int, _ g: MatMulGeometry) -> Int { g.offset(batch, batchStrides) }
    var isShared: Bool { batchStrides.allSatisfy { $0 == 0 } }
}
