import COnnxProto
import ONNXGraph

/// TypeProto and AttributeProto type conversions.
enum Types {
    /// The tensor type `tp` describes; nil for sequence, map, optional, sparse and opaque types.
    /// `elem_type` 0 (undefined) leaves the element type unknown; an absent shape leaves the rank
    /// unknown; a dim with neither value nor parameter (or a negative value) is `.unknown`.
    static func tensorType(_ tp: UnsafeMutablePointer<Onnx__TypeProto>?) throws(LoadError) -> TensorType? {
        guard let tp, tp.pointee.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE,
              let tt = tp.pointee.tensor_type else { return nil }
        var dataType: DataType?
        if tt.pointee.has_elem_type != 0, tt.pointee.elem_type != 0 {
            guard let dt = DataType(rawValue: tt.pointee.elem_type) else {
                throw LoadError(.unknownDataType(tt.pointee.elem_type))
            }
            dataType = dt
        }
        guard let shape = tt.pointee.shape else { return TensorType(dataType, nil) }
        let dims: [Dim] = items(shape.pointee.dim, shape.pointee.n_dim).map { d in
            switch d.pointee.value_case {
            case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE:
                let v = d.pointee.dim_value
                return v >= 0 && v <= Int64(Int.max) ? .value(Int(v)) : .unknown
            case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM:
                let p = str(d.pointee.dim_param)
                return p.isEmpty ? .unknown : .symbol(p)
            default:
                return .unknown
            }
        }
        // A missing entry in the repeated field would shift dims: keep the rank exact.
        guard dims.count == shape.pointee.n_dim else { return TensorType(dataType, nil) }
        return TensorType(dataType, dims)
    }

    /// `AttributeProto.type`, or for writers that leave it unset (IR < 2 style), the type implied
    /// by the field that holds a value; 0 when nothing is set.
    static func attributeType(_ a: Onnx__AttributeProto) -> UInt32 {
        if a.has_type != 0, a.type.rawValue != 0 { return a.type.rawValue }
        if a.t != nil { return 4 }
        if a.g != nil { return 5 }
        if a.sparse_tensor != nil { return 11 }
        if a.tp != nil { return 13 }
        if a.n_floats > 0 { return 6 }
        if a.n_ints > 0 { return 7 }
        if a.n_strings > 0 { return 8 }
        if a.n_tensors > 0 { return 9 }
        if a.n_graphs > 0 { return 10 }
        if a.n_sparse_tensors > 0 { return 12 }
        if a.n_type_protos > 0 { return 14 }
        if a.has_f != 0 { return 1 }
        if a.has_i != 0 { return 2 }
        if a.has_s != 0 { return 3 }
        return 0
    }
}

/// Model-local functions keyed by (domain, name, overload).
struct FunctionTable {
    private var table: [String: UnsafeMutablePointer<Onnx__FunctionProto>] = [:]

    init(_ functions: [UnsafeMutablePointer<Onnx__FunctionProto>]) {
        for f in functions {
            let key = FunctionTable.key(str(f.pointee.domain), str(f.pointee.name), str(f.pointee.overload))
            table[key] = f
        }
    }

    var isEmpty: Bool { table.isEmpty }

    func lookup(domain: String, opType: String, overload: String) -> UnsafeMutablePointer<Onnx__FunctionProto>? {
        table.isEmpty ? nil : table[FunctionTable.key(domain, opType, overload)]
    }

    private static func key(_ domain: String, _ name: String, _ overload: String) -> String {
        Node.normalizedDomain(domain) + "\u{0}" + name + "\u{0}" + overload
    }

    static func describe(domain: String, name: String, overload: String) -> String {
        let d = Node.normalizedDomain(domain)
        return (d.isEmpty ? "" : d + "::") + name + (overload.isEmpty ? "" : ":" + overload)
    }
}
