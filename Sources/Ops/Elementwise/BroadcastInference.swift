import ONNXGraph

/// Forward shape inference for multidirectional broadcasting over symbolic dims.
enum BroadcastInference {
    /// The broadcast dims of `inputs`, or nil when any rank is unknown. Per aligned position: known
    /// extents broadcast as numbers (a mismatch other than 1 throws); a known extent > 1 wins over a
    /// symbol or unknown; extent 1 yields the other dim; equal symbols stay; anything else is unknown.
    static func dims(_ inputs: [TensorType?]) throws(OpError) -> [Dim]? {
        var all: [[Dim]] = []
        for t in inputs {
            guard let dims = t?.dims else { return nil }
            all.append(dims)
        }
        let rank = all.map(\.count).max() ?? 0
        var out: [Dim] = Array(repeating: .value(1), count: rank)
        for dims in all {
            let offset = rank - dims.count
            for (i, d) in dims.enumerated() {
                out[offset + i] = try combine(out[offset + i], d)
            }
        }
        return out
    }

    static func combine(_ x: Dim, _ y: Dim) throws(OpError) -> Dim {
        switch (x, y) {
        case (.value(let p), .value(let q)):
            if p == q || q == 1 { return x }
            if p == 1 { return y }
            throw OpError.shape("dims \(p) and \(q) cannot be broadcast together")
        case (.value(1), _): return y
        case (_, .value(1)): return x
        case (.value, _): return x
        case (_, .value): return y
        case (.symbol(let s), .symbol(let t)) where s == t: return x
        default: return .unknown
        }
    }

    /// The output type of a broadcasting op: `dataType` (nil if unknown) over the broadcast dims of
    /// `inputs`. Under the legacy opset < 7 rule the output has input 0's dims.
    static func type(_ dataType: DataType?, _ inputs: [TensorType?], legacy: LegacyBroadcast? = nil) throws(OpError) -> TensorType {
        if legacy != nil { return TensorType(dataType, inputs.first??.dims) }
        return TensorType(dataType, try dims(inputs))
    }

    /// The first known element type among `inputs`.
    static func firstType(_ inputs: [TensorType?]) -> DataType? {
        for t in inputs { if let d = t?.dataType { return d } }
        return nil
    }
}
