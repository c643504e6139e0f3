import CKernels
import ONNXGraph

/// ConstantOfShape (opsets 9..25): a tensor of the shape given by the int64 1-D input, every element
/// the one-element `value` attribute (default float 0). An empty shape gives a scalar; negative
/// dims throw. Any non-string value type.
struct ConstantOfShape: Operator, Hashable {
    let dataType: DataType
    /// The value's storage bytes.
    let pattern: [UInt8]

    init(_ node: NodeAttributes) throws(OpError) {
        guard let v = try node.tensor("value") else {
            dataType = .float
            pattern = [0, 0, 0, 0]
            return
        }
        guard v.count == 1 else { throw OpError(.invalidAttribute("value", "must hold one element, has \(v.count)")) }
        guard v.dataType != .string else { throw OpError(.invalidAttribute("value", "string values are not allowed")) }
        dataType = v.dataType
        pattern = Array(UnsafeRawBufferPointer(start: v.data, count: v.dataType.storageSize))
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let s = Movement.fact(inputs, 0)
        guard s.rank == 1, let n = Movement.vectorLength(s) else { return [TensorType(dataType, nil)] }
        return [TensorType(dataType, Movement.unknownDims(n))]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let s = try io.required(0)
        guard s.dataType == .int64 else { throw OpError.type(0, s.dataType) }
        let shape = try Movement.vector(s, input: 0, name: "ConstantOfShape input")
        guard shape.allSatisfy({ $0 >= 0 }) else { throw OpError.shape("ConstantOfShape: negative dim in \(shape)") }
        let out = try io.allocate(dataType, shape)
        pattern.withUnsafeBytes { ck_fill(out.data, $0.baseAddress, pattern.count, Int64(out.count)) }
        io.setOutput(0, out)
    }
}
