import ONNXGraph

/// `Cast` (opsets 1–28): converts every element to the type `to`, same shape.
///
/// Types: every ONNX tensor type except complex, including string (see `StringConversion`), the
/// float8 family with `saturate` (19+), float8e8m0 with `round_mode` (24+), the 4-, 2- and 6-bit
/// types. Opset 1 spells `to` as a type name string (`"FLOAT"`). Semantics: `CastEngine`.
public struct Cast: Operator, Hashable {
    public let to: DataType
    let options: CastOptions

    public init(_ node: NodeAttributes) throws(OpError) {
        switch node.node.attributes["to"] {
        case .int(let v):
            guard let t = DataType(rawValue: Int32(truncatingIfNeeded: v)), Int(t.rawValue) == v, CastEngine.supports(t) else {
                throw OpError(.invalidAttribute("to", "\(v) is not a type Cast supports"))
            }
            to = t
        case .string(let name):
            guard let t = DataType.allCases.first(where: { $0.description == name.lowercased() }), CastEngine.supports(t) else {
                throw OpError(.invalidAttribute("to", "'\(name)' is not a type Cast supports"))
            }
            to = t
        case nil: throw OpError(.missingAttribute("to"))
        case .some(let other): throw OpError(.invalidAttribute("to", "expected INT, found \(other.typeName)"))
        }
        options = try CastOptions(node)
        guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        if let t = inputs.first??.dataType, !CastEngine.supports(t) { throw OpError.type(0, t) }
        return [TensorType(to, inputs.first??.dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        if x.dataType == to {
            io.setOutput(0, x)
            return
        }
        let y = try io.allocate(to, x.shape)
        try CastEngine.convert(x, into: y, options)
        io.setOutput(0, y)
    }
}
