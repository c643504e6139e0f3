import ONNXGraph

/// `CastLike` (opsets 15–25): `Cast` of input 0 to the element type of input 1 (whose values are
/// not read), with `saturate` (19+) and `round_mode` (24+).
public struct CastLike: Operator, Hashable {
    let options: CastOptions

    public init(_ node: NodeAttributes) throws(OpError) {
        options = try CastOptions(node)
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let target = inputs.count > 1 ? inputs[1]?.dataType : nil
        if let t = target, !CastEngine.supports(t) { throw OpError.type(1, t) }
        return [TensorType(target, inputs.first??.dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let to = try io.required(1).dataType
        guard CastEngine.supports(to) else { throw OpError.type(1, to) }
        if x.dataType == to {
            io.setOutput(0, x)
            return
        }
        let y = try io.allocate(to, x.shape)
        try CastEngine.convert(x, into: y, options)
        io.setOutput(0, y)
    }
}
