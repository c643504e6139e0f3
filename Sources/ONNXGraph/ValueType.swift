/// One dimension of a value's shape as the model declares or inference derives it.
public enum Dim: Hashable, Sendable, CustomStringConvertible {
    /// A known extent (>= 0).
    case value(Int)
    /// A named extent (`dim_param`, e.g. `batch`), equal wherever the same name appears in one graph.
    case symbol(String)
    /// Nothing known.
    case unknown

    public var description: String {
        switch self {
        case .value(let v): String(v)
        case .symbol(let s): s
        case .unknown: "?"
        }
    }

    /// The extent when it is known.
    public var value: Int? {
        if case .value(let v) = self { return v }
        return nil
    }
}

/// What is known about a value before it is computed: its element type and shape, each possibly unknown.
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    public var dataType: DataType?
    /// nil when even the rank is unknown.
    public var dims: [Dim]?

    public init(_ dataType: DataType?, _ dims: [Dim]?) {
        self.dataType = dataType
        self.dims = dims
    }

    /// A fully static type.
    public init(_ dataType: DataType, shape: [Int]) {
        self.dataType = dataType
        self.dims = shape.map { .value($0) }
    }

    public static let unknown = TensorType(nil, nil)

    public var rank: Int? { dims?.count }

    /// The shape when every dimension is known.
    public var staticShape: [Int]? {
        guard let dims else { return nil }
        var shape: [Int] = []
        shape.reserveCapacity(dims.count)
        for d in dims {
            guard let v = d.value else { return nil }
            shape.append(v)
        }
        return shape
    }

    /// `float[batch,8,?,64]`, `int64[?]`, or `?` when nothing is known.
    public var description: String {
        let type = dataType.map(String.init(describing:)) ?? "?"
        guard let dims else { return dataType == nil ? "?" : "\(type)[...]" }
        return "\(type)[\(dims.map(\.description).joined(separator: ","))]"
    }
}

/// A named graph input, output or annotated intermediate value.
public struct ValueInfo: Sendable, Hashable {
    public var name: String
    /// nil for non-tensor values (sequences, maps, optionals), which this runtime does not run.
    public var type: TensorType?
    public var docString: String

    public init(name: String, type: TensorType?, docString: String = "") {
        self.name = name
        self.type = type
        self.docString = docString
    }
}
