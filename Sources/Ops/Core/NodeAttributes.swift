import ONNXGraph

/// What an op sees of its node when it is built: attributes with typed getters, the opset of its
/// domain, and which inputs and outputs are present.
public struct NodeAttributes: Sendable {
    public let node: Node
    /// The model's opset version for the node's domain.
    public let opset: Int

    public init(_ node: Node, opset: Int) {
        self.node = node
        self.opset = opset
    }

    public var inputCount: Int { node.inputs.count }
    public var outputCount: Int { node.outputs.count }
    /// True when input `i` is given (not past the end, not an empty name).
    public func hasInput(_ i: Int) -> Bool { i < node.inputs.count && !node.inputs[i].isEmpty }
    public func hasOutput(_ i: Int) -> Bool { i < node.outputs.count && !node.outputs[i].isEmpty }
    public func has(_ name: String) -> Bool { node.attributes[name] != nil }

    private func mismatch(_ name: String, _ expected: String) -> OpError {
        OpError(.invalidAttribute(name, "expected \(expected), found \(node.attributes[name]?.typeName ?? "nothing")"))
    }

    public func int(_ name: String) throws(OpError) -> Int? {
        switch node.attributes[name] {
        case nil: return nil
        case .int(let v): return v
        default: throw mismatch(name, "INT")
        }
    }
    public func int(_ name: String, default value: Int) throws(OpError) -> Int { try int(name) ?? value }
    public func requiredInt(_ name: String) throws(OpError) -> Int {
        guard let v = try int(name) else { throw OpError(.missingAttribute(name)) }
        return v
    }

    public func float(_ name: String) throws(OpError) -> Float? {
        switch node.attributes[name] {
        case nil: return nil
        case .float(let v): return v
        default: throw mismatch(name, "FLOAT")
        }
    }
    public func float(_ name: String, default value: Float) throws(OpError) -> Float { try float(name) ?? value }

    public func string(_ name: String) throws(OpError) -> String? {
        switch node.attributes[name] {
        case nil: return nil
        case .string(let v): return v
        default: throw mismatch(name, "STRING")
        }
    }
    public func string(_ name: String, default value: String) throws(OpError) -> String { try string(name) ?? value }

    public func ints(_ name: String) throws(OpError) -> [Int]? {
        switch node.attributes[name] {
        case nil: return nil
        case .ints(let v): return v
        default: throw mismatch(name, "INTS")
        }
    }

    public func floats(_ name: String) throws(OpError) -> [Float]? {
        switch node.attributes[name] {
        case nil: return nil
        case .floats(let v): return v
        default: throw mismatch(name, "FLOATS")
        }
    }

    public func strings(_ name: String) throws(OpError) -> [String]? {
        switch node.attributes[name] {
        case nil: return nil
        case .strings(let v): return v
        default: throw mismatch(name, "STRINGS")
        }
    }

    public func tensor(_ name: String) throws(OpError) -> Tensor? {
        switch node.attributes[name] {
        case nil: return nil
        case .tensor(let v): return v
        default: throw mismatch(name, "TENSOR")
        }
    }

    public func graph(_ name: String) throws(OpError) -> Graph? {
        switch node.attributes[name] {
        case nil: return nil
        case .graph(let v): return v
        default: throw mismatch(name, "GRAPH")
        }
    }
    public func requiredGraph(_ name: String) throws(OpError) -> Graph {
        guard let g = try graph(name) else { throw OpError(.missingAttribute(name)) }
        return g
    }

    /// `axis` normalized into 0..<rank (negative counts from the end); throws when out of range.
    public static func normalizeAxis(_ axis: Int, rank: Int, name: String = "axis") throws(OpError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < max(rank, 1) else {
            throw OpError(.invalidAttribute(name, "\(axis) is out of range for rank \(rank)"))
        }
        return a
    }
}
