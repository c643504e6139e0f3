import ONNXGraph

/// Identity (opsets 1..25): the input tensor itself (shared storage, no copy; a padded input stays
/// padded). Any element type.
struct Identity: Operator, Hashable {
    static var acceptsPaddedInputs: Bool { true }

    init(_ node: NodeAttributes) throws(OpError) {}

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [Movement.fact(inputs, 0)]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        io.setOutput(0, try io.required(0))
    }
}
