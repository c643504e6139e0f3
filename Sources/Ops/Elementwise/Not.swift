import ONNXGraph

/// ONNX `Not` (opset 1): Y = ¬X elementwise on bool (any nonzero byte reads as true; Y is 0 or 1).
public struct Not: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        try requireOneInput(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [TensorType(.bool, inputs.first??.dims)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard x.dataType == .bool else { throw OpError.type(0, x.dataType) }
        let out = try io.allocate(.bool, x.shape)
        let p = x.elements(UInt8.self), r = out.elements(UInt8.self)
        for i in 0..<x.count { r[i] = p[i] == 0 ? 1 : 0 }
        io.setOutput(0, out)
    }
}
