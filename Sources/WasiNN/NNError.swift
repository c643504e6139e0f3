/// wasi-nn's `nn_errno` (witx `u16`), numbered as in `wasi-nn.witx`.
public enum NNErrno: UInt16, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case success = 0
    /// A pointer, length, handle, index, dimension list, byte count or enum value is wrong.
    case invalidArgument = 1
    /// The graph encoding is not `onnx` (1).
    case invalidEncoding = 2
    /// The caller exports no memory named `memory`.
    case missingMemory = 3
    case busy = 4
    /// The model failed while running.
    case runtimeError = 5
    /// The model uses something this runtime does not run (an op, a target other than cpu, an I/O type).
    case unsupportedOperation = 6
    /// A destination buffer is too small, or a host limit (graphs, contexts) is reached.
    case tooLarge = 7
    /// No graph, input or output has that name.
    case notFound = 8

    public var description: String {
        switch self {
        case .success: "success"
        case .invalidArgument: "invalid_argument"
        case .invalidEncoding: "invalid_encoding"
        case .missingMemory: "missing_memory"
        case .busy: "busy"
        case .runtimeError: "runtime_error"
        case .unsupportedOperation: "unsupported_operation"
        case .tooLarge: "too_large"
        case .notFound: "not_found"
        }
    }
}

/// A failed wasi-nn call: the `nn_errno` a guest sees and a one-line message for the host.
public struct NNError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errno: NNErrno
    public var message: String

    public init(_ errno: NNErrno, _ message: String) {
        self.errno = errno
        self.message = message
    }

    public var description: String { "\(errno): \(message)" }

    package static func argument(_ message: String) -> NNError { NNError(.invalidArgument, message) }
}
