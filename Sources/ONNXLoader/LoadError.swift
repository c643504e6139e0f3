import ONNXGraph

/// Why a model or tensor file could not be loaded, and where.
///
/// `context` is a path from the outside in: the file, then graph names (`graph 'main'`), the node
/// (`node 'n' (OpType)`), the attribute or tensor (`tensor 'w'`), each as one element.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, stat'ed or mapped (the system's reason).
        case cannotOpen(String)
        /// The input ends inside a field that starts at `offset`.
        case truncated(offset: Int)
        /// The protobuf wire format is invalid at `offset` (nil when protobuf-c rejects the input
        /// without saying where).
        case malformed(offset: Int?)
        /// Messages nest deeper than `limit` (checked before unpacking); `offset` is where the
        /// scan gave up.
        case tooDeep(limit: Int, offset: Int)
        /// `ModelProto.ir_version` outside 3...14.
        case unsupportedIRVersion(Int)
        /// A field the loader needs is absent (e.g. `graph`, a node's `op_type`, a tensor's `data_type`).
        case missingField(String)
        /// A `data_type` or `elem_type` that is not a `TensorProto.DataType`.
        case unknownDataType(Int32)
        /// A dimension below zero.
        case negativeDimension([Int64])
        /// The product of the dimensions does not fit in `Int`.
        case elementCountOverflow([Int64])
        /// The tensor's data does not match its dims and type: bytes for `raw_data` and external
        /// data (packed size for sub-byte types), entries of the typed field otherwise.
        case tensorDataSize(expected: Int, actual: Int)
        /// A tensor form this loader does not read (e.g. `segment`, `raw_data` on a string tensor).
        case unsupportedTensor(String)
        /// An external data reference that is unsafe, malformed or out of its file's bounds.
        case externalData(String)
        /// An attribute whose type or value is invalid.
        case invalidAttribute(name: String, why: String)
        /// A model-local function cannot be inlined (recursion, size or arity).
        case functionInlining(String)
        /// A sparse tensor whose indices do not fit its dims.
        case invalidSparseTensor(String)
        /// The graph breaks an IR invariant (undefined value, cycle, duplicate definition, ...).
        case graph(GraphError.Kind)
    }

    public var kind: Kind
    public var context: [String]

    public init(_ kind: Kind, context: [String] = []) {
        self.kind = kind
        self.context = context
    }

    /// The same error with `location` prepended to its context.
    public func within(_ location: String) -> LoadError {
        LoadError(kind, context: [location] + context)
    }

    /// A `GraphError` from building or checking the IR, its context kept after `location`s.
    init(_ error: GraphError, within location: [String] = []) {
        self.init(.graph(error.kind), context: location + error.context)
    }

    /// One line: the context path, then what went wrong.
    public var description: String {
        let what: String = switch kind {
        case .cannotOpen(let why): "cannot open: \(why)"
        case .truncated(let o): "input ends inside the field at byte \(o) (truncated file?)"
        case .malformed(let o?): "malformed protobuf at byte \(o)"
        case .malformed(nil): "malformed protobuf (rejected by protobuf-c)"
        case .tooDeep(let limit, let o): "messages nest deeper than \(limit) levels (at byte \(o))"
        case .unsupportedIRVersion(let v): "IR version \(v) is not supported (3...14 are)"
        case .missingField(let f): "required field '\(f)' is missing"
        case .unknownDataType(let t): "unknown data type \(t)"
        case .negativeDimension(let d): "negative dimension in dims \(d)"
        case .elementCountOverflow(let d): "element count of dims \(d) overflows"
        case .tensorDataSize(let e, let a): "tensor data holds \(a), its dims and type need \(e)"
        case .unsupportedTensor(let why): "unsupported tensor: \(why)"
        case .externalData(let why): "external data: \(why)"
        case .invalidAttribute(let n, let why): "attribute '\(n)': \(why)"
        case .functionInlining(let why): "cannot inline function: \(why)"
        case .invalidSparseTensor(let why): "invalid sparse tensor: \(why)"
        case .graph(let k): GraphError(k).description
        }
        let line = context.isEmpty ? what : context.joined(separator: ": ") + ": " + what
        // Names come from the file: keep the description on one line whatever they contain.
        return line.contains(where: \.isNewline)
            ? String(line.map { $0.isNewline ? " " : $0 }) : line
    }
}
