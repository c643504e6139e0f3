import ONNXGraph

/// Reshape (opsets 1..25): a view of `data` with a new shape. Before opset 5 the shape is the
/// `shape` attribute, after it the int64 input #1. A 0 entry copies the input's dim (or means a
/// zero-size dim when `allowzero` = 1, opset 14+); one -1 entry is inferred. Any element type.
struct Reshape: Operator, Hashable {
    /// The `shape` attribute (opset < 5).
    let attributeShape: [Int]?
    let allowZero: Bool

    init(_ node: NodeAttributes) throws(OpError) {
        if node.opset < 5 {
            guard let s = try node.ints("shape") else { throw OpError(.missingAttribute("shape")) }
            attributeShape = s
        } else {
            attributeShape = nil
        }
        allowZero = try node.int("allowzero", default: 0) != 0
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let data = Movement.fact(inputs, 0)
        if let attributeShape {
            if let s = data.staticShape {
                return [TensorType(data.dataType, try Reshape.resolve(attributeShape, input: s, allowZero: allowZero).map { .value($0) })]
            }
            var dims: [Dim] = attributeShape.map { $0 > 0 ? .value($0) : .unknown }
            if let d = data.dims, !allowZero {
                for (i, v) in attributeShape.enumerated() where v == 0 && i < d.count { dims[i] = d[i] }
            }
            return [TensorType(data.dataType, dims)]
        }
        guard let n = Movement.vectorLength(Movement.fact(inputs, 1)), Movement.fact(inputs, 1).rank == 1 else {
            return [TensorType(data.dataType, nil)]
        }
        // A 1-D result can only hold every element.
        if n == 1, let s = data.staticShape, let total = try? Tensor.elementCount(s) {
            return [TensorType(data.dataType, [.value(total)])]
        }
        return [TensorType(data.dataType, Movement.unknownDims(n))]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let data = try io.required(0)
        let requested: [Int]
        if let attributeShape {
            requested = attributeShape
        } else {
            let shape = try io.required(1)
            guard shape.dataType == .int64 else { throw OpError.type(1, shape.dataType) }
            requested = try Movement.vector(shape, input: 1, name: "Reshape shape")
        }
        io.setOutput(0, try Movement.reshape(data, Reshape.resolve(requested, input: data.shape, allowZero: allowZero)))
    }

    /// The output shape for `requested` applied to a tensor of `input` shape.
    static func resolve(_ requested: [Int], input: [Int], allowZero: Bool) throws(OpError) -> [Int] {
        var out = requested
        var inferred: Int? = nil
        var known = 1
        for (i, d) in requested.enumerated() {
            switch d {
            case -1:
                guard inferred == nil else { throw OpError.shape("Reshape: more than one -1 in \(requested)") }
                inferred = i
            case 0 where !allowZero:
                guard i < input.count else {
                    throw OpError.shape("Reshape: 0 at position \(i) of \(requested) but the input \(input) has rank \(input.count)")
                }
                out[i] = input[i]
            case ..<0:
                throw OpError.shape("Reshape: invalid dim \(d) in \(requested)")
            default:
                break
            }
            if i != inferred {
                let (m, o) = known.multipliedReportingOverflow(by: out[i])
                guard !o else { throw OpError.shape("Reshape: \(requested) overflows") }
                known = m
            }
        }
        let total = try Movement.elementCount(input)
        if let inferred {
            if allowZero, requested.contains(0) {
                throw OpError.shape("Reshape: allowzero with both 0 and -1 in \(requested)")
            }
            guard known != 0, total % known == 0 else {
                throw OpError.shape("Reshape: cannot reshape \(input) into \(requested)")
            }
            out[inferred] = total / known
        } else if known != total {
            throw OpError.shape("Reshape: cannot reshape \(input) (\(total) elements) into \(requested)")
        }
        return out
    }
}
