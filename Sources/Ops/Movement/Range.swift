import ONNXGraph

/// Range (opsets 11, 27): `[start, start + delta, ...)` up to `limit` (exclusive) from three scalar
/// inputs of one type: float, double, int16, int32, int64, and (opset 27) float16 / bfloat16,
/// computed in the `stash_type` precision (1 = float, 11 = double; ignored for other types). Element count is
/// max(ceil((limit - start) / delta), 0); a zero delta, non-finite bounds, or a count whose bytes
/// exceed `maximumBytes` throw. Named `RangeOp` to leave Swift's `Range` unshadowed.
struct RangeOp: Operator, Hashable {
    /// The largest output this op allocates.
    static let maximumBytes = 1 << 30
    let stashType: Int

    init(_ node: NodeAttributes) throws(OpError) {
        stashType = try node.int("stash_type", default: Int(DataType.float.rawValue))
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [TensorType(Movement.fact(inputs, 0).dataType, [.unknown])]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let start = try io.required(0), limit = try io.required(1), delta = try io.required(2)
        let type = start.dataType
        for (i, t) in [start, limit, delta].enumerated() {
            guard t.dataType == type else { throw OpError.type(i, t.dataType) }
            guard t.count == 1 else { throw OpError.shape("Range: input #\(i) must be a scalar, got shape \(t.shape)") }
        }
        switch type {
        case .int64: try integers(Int64.self, start, limit, delta, &io)
        case .int32: try integers(Int32.self, start, limit, delta, &io)
        case .int16: try integers(Int16.self, start, limit, delta, &io)
        case .double:
            try floats(start.elements(Double.self)[0], limit.elements(Double.self)[0], delta.elements(Double.self)[0],
                       type, &io) { (p: UnsafeMutablePointer<Double>, v: Double) in p.pointee = v }
        case .float:
            try floats(Double(start.elements(Float.self)[0]), Double(limit.elements(Float.self)[0]),
                       Double(delta.elements(Float.self)[0]), type, &io) { (p: UnsafeMutablePointer<Float>, v: Double) in p.pointee = Float(v) }
        case .float16, .bfloat16:
            let convert = type == .float16 ? FloatFormats.float16ToFloat : FloatFormats.bfloat16ToFloat
            let s = convert(start.elements(UInt16.self)[0]), l = convert(limit.elements(UInt16.self)[0])
            let d = convert(delta.elements(UInt16.self)[0])
            guard stashType == Int(DataType.float.rawValue) || stashType == Int(DataType.double.rawValue) else {
                throw OpError(.invalidAttribute("stash_type", "must be 1 (float) or 11 (double), got \(stashType)"))
            }
            if stashType == Int(DataType.double.rawValue) {
                try halves(Double(s), Double(l), Double(d), type, &io)
            } else {
                try halves(s, l, d, type, &io)
            }
        default:
            throw OpError.type(0, type)
        }
    }

    private func checkedCount(_ n: Int, _ type: DataType) throws(OpError) -> Int {
        guard n <= RangeOp.maximumBytes / max(type.storageSize, 1) else {
            throw OpError.value("Range: \(n) elements exceed the limit of \(RangeOp.maximumBytes) bytes")
        }
        return max(n, 0)
    }

    private func count<F: BinaryFloatingPoint>(_ s: F, _ l: F, _ d: F, _ type: DataType) throws(OpError) -> Int {
        guard s.isFinite, l.isFinite, d.isFinite, d != 0 else {
            throw OpError.value("Range: start \(s), limit \(l), delta \(d) do not give a finite range")
        }
        let n = ((l - s) / d).rounded(.up)
        guard n <= F(RangeOp.maximumBytes) else {
            throw OpError.value("Range: \(n) elements exceed the limit of \(RangeOp.maximumBytes) bytes")
        }
        return try checkedCount(n <= 0 ? 0 : Int(n), type)
    }

    private func floats<T>(_ s: Double, _ l: Double, _ d: Double, _ type: DataType, _ io: inout OpIO,
                           _ store: (UnsafeMutablePointer<T>, Double) -> Void) throws(OpError) {
        let n = try count(s, l, d, type)
        let out = try io.allocate(type, [n])
        let p = out.elements(T.self)
        let step = RangeOp.numpyStep(s, d)
        for i in 0..<n { store(p + i, i == 1 ? s + d : s + Double(i) * step) }
        io.setOutput(0, out)
    }

    /// numpy's arange step: element i >= 2 is start + i * ((start + delta) - start), which the
    /// ONNX reference (np.arange) produces and its node tests expect.
    static func numpyStep<F: BinaryFloatingPoint>(_ s: F, _ d: F) -> F { (s + d) - s }

    private func halves<F: BinaryFloatingPoint>(_ s: F, _ l: F, _ d: F, _ type: DataType, _ io: inout OpIO) throws(OpError) {
        let n = try count(s, l, d, type)
        let out = try io.allocate(type, [n])
        let p = out.elements(UInt16.self)
        let step = RangeOp.numpyStep(s, d)
        if type == .float16 {
            for i in 0..<n { p[i] = FloatFormats.floatToFloat16(Float(i == 1 ? s + d : s + F(i) * step)) }
        } else {
            for i in 0..<n { p[i] = FloatFormats.floatToBfloat16(Float(i == 1 ? s + d : s + F(i) * step)) }
        }
        io.setOutput(0, out)
    }

    private func integers<T: FixedWidthInteger & SignedInteger>(_: T.Type, _ start: Tensor, _ limit: Tensor, _ delta: Tensor,
                                                               _ io: inout OpIO) throws(OpError) {
        let s = Int(start.elements(T.self)[0]), l = Int(limit.elements(T.self)[0]), d = Int(delta.elements(T.self)[0])
        guard d != 0 else { throw OpError.value("Range: delta is 0") }
        let (diff, o) = l.subtractingReportingOverflow(s)
        guard !o else { throw OpError.value("Range: limit - start overflows") }
        let (q, qo) = diff.dividedReportingOverflow(by: d)
        guard !qo else { throw OpError.value("Range: (limit - start) / delta overflows") }
        var n = q
        if diff % d != 0 && (diff > 0) == (d > 0) { n += 1 }
        n = try checkedCount(n, start.dataType)
        let out = try io.allocate(start.dataType, [n])
        let p = out.elements(T.self)
        for i in 0..<n { p[i] = T(truncatingIfNeeded: s + i * d) }
        io.setOutput(0, out)
    }
}
