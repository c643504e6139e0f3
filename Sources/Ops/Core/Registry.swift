import ONNXGraph

/// How to build one operator: its domain, type and the opset versions it covers.
public struct OpSchema: Sendable {
    public let domain: String
    public let opType: String
    /// Opset versions of `domain` this implementation serves (spec changes are handled inside the op).
    public let versions: ClosedRange<Int>
    public let make: @Sendable (NodeAttributes) throws(OpError) -> any Operator

    public init<Op: Operator>(_ type: Op.Type, _ opType: String, domain: String = "", versions: ClosedRange<Int> = 1...OpRegistry.maximumOpset) {
        self.domain = Node.normalizedDomain(domain)
        self.opType = opType
        self.versions = versions
        self.make = { (node) throws(OpError) in try Op(node) }
    }
}

/// Operators keyed by (domain, op type, opset range).
public struct OpRegistry: Sendable {
    /// The newest ai.onnx opset this runtime knows (onnx 1.23.2).
    public static let maximumOpset = 28

    private var schemas: [String: [OpSchema]] = [:]

    public init(_ schemas: [OpSchema] = []) {
        for s in schemas { register(s) }
    }

    public mutating func register(_ schema: OpSchema) {
        schemas[Self.key(schema.domain, schema.opType), default: []].append(schema)
    }

    private static func key(_ domain: String, _ opType: String) -> String { domain + "::" + opType }

    public func schema(domain: String, opType: String, opset: Int) -> OpSchema? {
        schemas[Self.key(Node.normalizedDomain(domain), opType)]?.first { $0.versions.contains(opset) }
    }

    /// Every registered schema, sorted by domain then op type.
    public var all: [OpSchema] {
        schemas.values.flatMap { $0 }.sorted { ($0.domain, $0.opType) < ($1.domain, $1.opType) }
    }

    /// Builds the op for `node`; an op this registry lacks is an error naming it, its domain and opset.
    public func makeOperator(_ node: Node, opset: Int) throws(OpError) -> any Operator {
        guard let schema = schema(domain: node.domain, opType: node.opType, opset: opset) else {
            throw OpError(.unsupportedOperator(domain: node.domain, opType: node.opType, opset: opset))
        }
        return try schema.make(NodeAttributes(node, opset: opset))
    }

    /// The ops this runtime implements.
    public static let standard = OpRegistry(StandardOps.all)
}
