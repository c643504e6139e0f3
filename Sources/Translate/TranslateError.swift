import Interpreter
import ONNXLoader

/// An error from setting up or running translation. `description` is one line naming what and where.
public struct TranslateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A model or configuration file could not be read or loaded.
        case file(path: String, problem: String)
        /// The graphs do not fit together (a decoder input the encoder cannot feed, no logits, ...).
        case layout(String)
        /// A source sentence cannot be translated (id outside the vocabulary, too long, ...).
        case input(line: Int, problem: String)
        /// A graph failed while running.
        case run(String)
    }

    public var kind: Kind
    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .file(let path, let problem): "\(path): \(problem)"
        case .layout(let m): "the graphs do not fit together: \(m)"
        case .input(let line, let problem): "line \(line): \(problem)"
        case .run(let m): m
        }
    }

    static func run(_ error: InterpreterError, _ graph: String) -> TranslateError {
        TranslateError(.run("\(graph): \(error)"))
    }
}
