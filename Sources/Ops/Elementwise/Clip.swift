import ONNXGraph

/// ONNX `Clip` (opsets 1–13): Y = min(max(X, lo), hi) elementwise, so lo > hi gives hi everywhere
/// (as `Min(max, Max(input, min))` and numpy's `clip`). NaN in X stays NaN; a NaN bound makes every
/// output NaN. Before opset 11 the bounds are the float attributes `min`/`max` (converted to X's
/// type, round to nearest even); from opset 11 they are the optional scalar inputs 1 and 2 of X's
/// type. A missing bound does not clip (the type's lowest/highest value, ±inf for floats).
/// Types: float, double, float16; from opset 12 every int and uint width; bfloat16 from opset 13.
public struct Clip: Operator, Hashable {
    /// The `min`/`max` attributes (opset < 11).
    let attributeMin: Float?
    let attributeMax: Float?
    /// Bounds come from inputs 1 and 2 (opset >= 11).
    let boundsFromInputs: Bool
    /// Integer inputs are accepted (opset >= 12).
    let integers: Bool

    public init(_ node: NodeAttributes) throws(OpError) {
        boundsFromInputs = node.opset >= 11
        integers = node.opset >= 12
        if boundsFromInputs {
            attributeMin = nil
            attributeMax = nil
            guard (1...3).contains(node.inputCount) else {
                throw OpError(.wrongInputCount(expected: "1 to 3", actual: node.inputCount))
            }
        } else {
            attributeMin = try node.float("min")
            attributeMax = try node.float("max")
            try requireOneInput(node)
        }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        inferUnary(inputs)
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        switch x.dataType {
        case .float: try clip(Float.self, x, &io)
        case .double: try clip(Double.self, x, &io)
        case .float16: try clip(Float16.self, x, &io)
        case .bfloat16: try clip(OrderedBFloat16.self, x, &io)
        case .int8 where integers: try clip(Int8.self, x, &io)
        case .int16 where integers: try clip(Int16.self, x, &io)
        case .int32 where integers: try clip(Int32.self, x, &io)
        case .int64 where integers: try clip(Int64.self, x, &io)
        case .uint8 where integers: try clip(UInt8.self, x, &io)
        case .uint16 where integers: try clip(UInt16.self, x, &io)
        case .uint32 where integers: try clip(UInt32.self, x, &io)
        case .uint64 where integers: try clip(UInt64.self, x, &io)
        default: throw OpError.type(0, x.dataType)
        }
    }

    private func clip<T: OrderedScalar>(_: T.Type, _ x: Tensor, _ io: inout OpIO) throws(OpError) {
        let lo = try bound(T.self, x, io, index: 1, attribute: attributeMin) ?? T.orderedLowest
        let hi = try bound(T.self, x, io, index: 2, attribute: attributeMax) ?? T.orderedHighest
        let out = try io.allocate(x.dataType, x.shape)
        let p = UnsafePointer(x.elements(T.self)), r = out.elements(T.self)
        let n = x.count
        if lo != lo {
            r.update(repeating: lo, count: n)
        } else if hi != hi {
            r.update(repeating: hi, count: n)
        } else {
            for i in 0..<n {
                var v = p[i]
                v = v < lo ? lo : v
                v = v > hi ? hi : v
                r[i] = v
            }
        }
        io.setOutput(0, out)
    }

    /// Bound `index` (1 = min, 2 = max): the attribute before opset 11, else the input when given.
    private func bound<T: OrderedScalar>(_: T.Type, _ x: Tensor, _ io: OpIO, index: Int,
                                      attribute: Float?) throws(OpError) -> T? {
        if !boundsFromInputs { return attribute.map(T.init(attributeValue:)) }
        guard let t = io.input(index) else { return nil }
        try requireSameType(x, t, input: index)
        guard t.count == 1 else {
            throw OpError.shape("Clip: \(index == 1 ? "min" : "max") must be a scalar, got shape \(t.shape)")
        }
        return t.elements(T.self)[0]
    }
}
