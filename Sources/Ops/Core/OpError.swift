import ONNXGraph

/// An error from building or running an operator. The interpreter adds the node to `context`.
public struct OpError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No registered op for this (domain, op type, opset).
        case unsupportedOperator(domain: String, opType: String, opset: Int)
        case missingAttribute(String)
        case invalidAttribute(String, String)
        case missingInput(index: Int)
        case wrongInputCount(expected: String, actual: Int)
        /// An input has a type this op (at this opset) does not accept.
        case unsupportedType(input: Int, DataType)
        case invalidShape(String)
        case invalidValue(String)
        /// A failure from the IR (allocation, shapes).
        case graph(GraphError.Kind)
        /// A subgraph (If branch) failed; the message carries its own context.
        case subgraph(String)
    }

    public var kind: Kind
    public var context: [String]

    public init(_ kind: Kind, context: [String] = []) {
        self.kind = kind
        self.context = context
    }

    public init(_ error: GraphError) {
        self.init(.graph(error.kind), context: error.context)
    }

    public func within(_ location: String) -> OpError {
        OpError(kind, context: [location] + context)
    }

    public var description: String {
        let what: String = switch kind {
        case .unsupportedOperator(let d, let t, let v):
            "operator \(t) of domain '\(d.isEmpty ? "ai.onnx" : d)' at opset \(v) is not supported"
        case .missingAttribute(let a): "required attribute '\(a)' is missing"
        case .invalidAttribute(let a, let why): "attribute '\(a)': \(why)"
        case .missingInput(let i): "required input #\(i) is missing"
        case .wrongInputCount(let e, let a): "expects \(e) inputs, got \(a)"
        case .unsupportedType(let i, let t): "input #\(i) has unsupported type \(t)"
        case .invalidShape(let s): s
        case .invalidValue(let s): s
        case .graph(let k): GraphError(k).description
        case .subgraph(let s): s
        }
        return context.isEmpty ? what : context.joined(separator: ": ") + ": " + what
    }
}

/// Shorthand for ops: `throw OpError.shape("...")`.
extension OpError {
    public static func shape(_ message: String) -> OpError { OpError(.invalidShape(message)) }
    public static func value(_ message: String) -> OpError { OpError(.invalidValue(message)) }
    public static func type(_ input: Int, _ t: DataType) -> OpError { OpError(.unsupportedType(input: input, t)) }
}
