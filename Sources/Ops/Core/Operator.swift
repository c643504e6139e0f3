import ONNXGraph

/// An ONNX operator, parsed from a node's attributes once, when a plan is built.
///
/// Ops are value types (`Hashable & Sendable` structs); passes match them with `op as? Softmax`.
/// One op per file under `Sources/Ops/<Family>/`, one registration line in its family's list.
public protocol Operator: Sendable {
    /// Parses and validates the node's attributes (and input/output counts) at `opset`.
    init(_ node: NodeAttributes) throws(OpError)

    /// Forward type inference: the output facts given the input facts (nil = omitted input or
    /// nothing known). Return `TensorType.unknown` for what cannot be derived. The default knows nothing.
    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType]

    /// Computes the outputs. Inputs are read through `io`, outputs allocated and stored through it.
    func evaluate(_ io: inout OpIO) throws(OpError)

    /// True when `evaluate` reads padded inputs (`Tensor.isDense == false`) correctly, through their
    /// slab pitch. The interpreter (and `evaluate(_:outputCount:)`) hands every other op dense
    /// copies instead. An op returns padded outputs (`Tensor.isPadded`) only when given padded
    /// inputs. Default false.
    static var acceptsPaddedInputs: Bool { get }
}

extension Operator {
    public static var acceptsPaddedInputs: Bool { false }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        Array(repeating: .unknown, count: node.outputCount)
    }
}
