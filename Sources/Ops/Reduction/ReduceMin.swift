import ONNXGraph

/// ReduceMin: the minimum of `data` along `axes`, with `keepdims` (default 1). Axes are an attribute
/// before opset 18 and an optional int64 input from opset 18, which also adds
/// `noop_with_empty_axes`. NaN propagates. The min of an empty set is +inf for floats, the type's
/// maximum for integers and true for bool (bool from opset 20; int8/uint8 from 12, bfloat16 from 13).
public struct ReduceMin: Operator, Hashable {
    let axes: ReductionAxes
    let types: Set<DataType>

    public init(_ node: NodeAttributes) throws(OpError) {
        axes = try ReductionAxes(node, inputSince: 18)
        types = Reduction.maxTypes(opset: node.opset)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        try axes.inferTypes(inputs, node)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard types.contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        guard let mask = try axes.mask(try axes.requested(io), rank: x.rank) else {
            io.setOutput(0, x)
            return
        }
        let y = try io.allocate(x.dataType, axes.outputShape(x.shape, mask: mask))
        let layout = ReductionLayout(shape: x.shape, mask: mask)
        func run<S: ReductionScalar>(_: S.Type, identity: S.Acc) {
            MinReduction<S>(layout: layout, identity: identity).run(UnsafePointer(x.elements(S.self)), y.elements(S.self))
        }
        switch x.dataType {
        case .float: run(Float.self, identity: .infinity)
        case .double: run(Double.self, identity: .infinity)
        case .float16: run(Float16.self, identity: .infinity)
        case .bfloat16: run(ReductionBFloat16.self, identity: .infinity)
        case .int8: run(Int8.self, identity: Int64(Int8.max))
        case .int32: run(Int32.self, identity: Int64(Int32.max))
        case .int64: run(Int64.self, identity: Int64.max)
        case .uint8: run(UInt8.self, identity: UInt64(UInt8.max))
        case .bool: run(UInt8.self, identity: 1)
        case .uint32: run(UInt32.self, identity: UInt64(UInt32.max))
        case .uint64: run(UInt64.self, identity: UInt64.max)
        default: throw OpError.type(0, x.dataType)
        }
        io.setOutput(0, y)
    }
}

/// min(a, b); NaN when either is NaN.
@inline(__always)
private func nanMin<A: ReductionAccumulator>(_ a: A, _ b: A) -> A {
    if a.isNaNValue { return a }
    if b.isNaNValue { return b }
    return b < a ? b : a
}

/// The min fold of `x` (contiguous, element type `S`) into `y` laid out as `layout` says, in the
/// accumulator type (exact: min only selects). Walks the input once in storage order; the innermost
/// two merged dims form a tile: a trailing reduced dim folds contiguous rows, a trailing kept dim
/// folds rows into contiguous outputs. Outputs start at `identity` (the empty-set result).
private struct MinReduction<S: ReductionScalar> {
    let layout: ReductionLayout
    let identity: S.Acc

    func run(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>) {
        let outCount = layout.outCount
        if outCount == 0 { return }
        let inPlace = S.self == S.Acc.self
        let acc = inPlace ? UnsafeMutableRawPointer(y).assumingMemoryBound(to: S.Acc.self)
                          : UnsafeMutablePointer<S.Acc>.allocate(capacity: outCount)
        defer { if !inPlace { acc.deallocate() } }
        acc.initialize(repeating: identity, count: outCount)
        if layout.reduceCount > 0 { fold(x, acc) }
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
        let n = dims[m - 1]
        let lastReduced = layout.reduced[m - 1]
        let rows = m >= 2 ? dims[m - 2] : 1
        let outerRank = max(m - 2, 0)
        // Output strides of the outer dims: 0 along reduced ones; a tile covers `rows` outputs when
        // the last dim is reduced, n when it is kept.
        var outStrides = Array(repeating: 0, count: outerRank)
        var s = lastReduced ? rows : n
        for i in stride(from: outerRank - 1, through: 0, by: -1) where !layout.reduced[i] {
            outStrides[i] = s
            s *= dims[i]
        }
        var index = Array(repeating: 0, count: outerRank)
        var o = 0
        var src = x
        while true {
            let out = acc + o
            var row = src
            if lastReduced {
                for r in 0..<rows {
                    var a = out[r]
                    for i in 0..<n { a = nanMin(a, S.widen(row[i])) }
                    out[r] = a
                    row += n
                }
            } else {
                for _ in 0..<rows {
                    for j in 0..<n { out[j] = nanMin(out[j], S.widen(row[j])) }
                    row += n
                }
            }
            src += rows * n
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
}
