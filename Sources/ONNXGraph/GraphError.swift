/// An error in building or checking the IR, with where it happened.
public struct GraphError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case allocationTooLarge(bytes: Int)
        case storageTooSmall(needed: Int, available: Int)
        case negativeDimension([Int])
        case elementCountOverflow([Int])
        case shapeMismatch(expected: [Int], actual: [Int])
        /// A node reads a value that nothing defines (no input, initializer, node output or outer scope).
        case undefinedValue(String)
        /// Two definitions of one value name.
        case duplicateDefinition(String)
        /// The nodes cannot be ordered: they depend on each other in a cycle.
        case cycle(nodes: [String])
        /// A graph output that nothing produces.
        case undefinedOutput(String)
        /// A recorded fact contradicts a tensor or another fact.
        case inconsistentFact(value: String, detail: String)
        /// Subgraphs nested deeper than the limit.
        case nestingTooDeep(limit: Int)
    }

    public var kind: Kind
    /// Outermost first: graph names, then `node 'name' (OpType)`, then a value name.
    public var context: [String]

    public init(_ kind: Kind, context: [String] = []) {
        self.kind = kind
        self.context = context
    }

    /// The same error with `location` prepended to its context.
    public func within(_ location: String) -> GraphError {
        GraphError(kind, context: [location] + context)
    }

    public var description: String {
        let what: String = switch kind {
        case .allocationTooLarge(let b): "cannot allocate \(b) bytes"
        case .storageTooSmall(let n, let a): "storage holds \(a) bytes or strings, \(n) needed"
        case .negativeDimension(let s): "negative dimension in shape \(s)"
        case .elementCountOverflow(let s): "element count of shape \(s) overflows"
        case .shapeMismatch(let e, let a): "shape \(a) does not match \(e)"
        case .undefinedValue(let v): "value '\(v)' is used but never defined"
        case .duplicateDefinition(let v): "value '\(v)' is defined more than once"
        case .cycle(let nodes): "nodes form a cycle: \(nodes.joined(separator: " → "))"
        case .undefinedOutput(let v): "graph output '\(v)' is not produced by any node, input or initializer"
        case .inconsistentFact(let v, let d): "value '\(v)': \(d)"
        case .nestingTooDeep(let limit): "subgraphs nest deeper than \(limit) levels"
        }
        return context.isEmpty ? what : context.joined(separator: ": ") + ": " + what
    }
}
