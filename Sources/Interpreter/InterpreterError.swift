import ONNXGraph
import Ops

/// An error from building a plan or running a session. `description` is one line: what, then where.
public struct InterpreterError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The graph cannot be planned (unsupported op, bad attribute, undefined value, ...).
        case plan(String)
        /// A caller-supplied input is missing, unknown, or has the wrong type or shape.
        case input(name: String, problem: String)
        /// An op failed while running.
        case execution(String)
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    static func plan(_ error: OpError) -> InterpreterError { InterpreterError(.plan(error.description)) }
    static func plan(_ error: GraphError) -> InterpreterError { InterpreterError(.plan(error.description)) }

    public var description: String {
        switch kind {
        case .plan(let m): "cannot plan graph: \(m)"
        case .input(let n, let p): "input '\(n)': \(p)"
        case .execution(let m): m
        }
    }
}
