/// A node attribute's value, one case per `AttributeProto.AttributeType`.
public enum AttributeValue: Sendable {
    case float(Float)
    case int(Int)
    /// ONNX strings are bytes; they are decoded as UTF-8 with invalid sequences repaired.
    case string(String)
    case tensor(Tensor)
    case graph(Graph)
    case sparseTensor(Tensor)
    case type(TensorType)
    case floats([Float])
    case ints([Int])
    case strings([String])
    case tensors([Tensor])
    case graphs([Graph])
    case sparseTensors([Tensor])
    case types([TensorType])

    /// The name of the case as the ONNX spec spells the type (`INT`, `FLOATS`, `GRAPH`, ...).
    public var typeName: String {
        switch self {
        case .float: "FLOAT"
        case .int: "INT"
        case .string: "STRING"
        case .tensor: "TENSOR"
        case .graph: "GRAPH"
        case .sparseTensor: "SPARSE_TENSOR"
        case .type: "TYPE_PROTO"
        case .floats: "FLOATS"
        case .ints: "INTS"
        case .strings: "STRINGS"
        case .tensors: "TENSORS"
        case .graphs: "GRAPHS"
        case .sparseTensors: "SPARSE_TENSORS"
        case .types: "TYPE_PROTOS"
        }
    }

    /// The subgraphs this attribute holds (none, one or several).
    public var subgraphs: [Graph] {
        switch self {
        case .graph(let g): [g]
        case .graphs(let gs): gs
        default: []
        }
    }
}
