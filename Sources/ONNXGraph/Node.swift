/// One operator application. Value names connect nodes; an empty input name marks an omitted
/// optional input, and an empty output name an output nobody wants.
public struct Node: Sendable {
    public var name: String
    public var opType: String
    /// The operator set domain, normalized: `""` for the default `ai.onnx` domain.
    public var domain: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: AttributeValue]
    public var docString: String

    public init(name: String = "", opType: String, domain: String = "", inputs: [String], outputs: [String],
                attributes: [String: AttributeValue] = [:], docString: String = "") {
        self.name = name
        self.opType = opType
        self.domain = Node.normalizedDomain(domain)
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
        self.docString = docString
    }

    /// `ai.onnx` and `""` name the same domain; this runtime spells it `""`.
    public static func normalizedDomain(_ domain: String) -> String {
        domain == "ai.onnx" ? "" : domain
    }

    /// `node 'name' (Domain::OpType)`, or for an unnamed node `node → 'first output' (OpType)`,
    /// for error contexts.
    public var label: String {
        let op = domain.isEmpty ? opType : "\(domain)::\(opType)"
        if name.isEmpty, let output = outputs.first(where: { !$0.isEmpty }) { return "node → '\(output)' (\(op))" }
        return "node '\(name)' (\(op))"
    }

    /// Every subgraph held by an attribute, in attribute-name order.
    public var subgraphs: [Graph] {
        guard attributes.values.contains(where: { !$0.subgraphs.isEmpty }) else { return [] }
        return attributes.sorted { $0.key < $1.key }.flatMap { $0.value.subgraphs }
    }
}
