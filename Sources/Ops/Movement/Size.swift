import ONNXGraph

/// Size (opsets 1..25): the number of elements of the input, as an int64 scalar (shape []).
/// Any element type (strings and sub-byte types included).
struct Size: Operator, Hashable {
    init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [TensorType(.int64, shape: [])]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let out = try io.allocate(.int64, [])
        out.elements(Int64.self)[0] = Int64(x.count)
        io.setOutput(0, out)
    }
}
