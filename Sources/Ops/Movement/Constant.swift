import ONNXGraph

/// Constant (opsets 1..25): the tensor held by exactly one of `value`, `sparse_value` (densified by
/// the loader), `value_float(s)` (float scalar / 1-D), `value_int(s)` (int64 scalar / 1-D) or
/// `value_string(s)` (string scalar / 1-D). The output shares the attribute's storage.
struct Constant: Operator, Hashable {
    let value: Tensor

    init(_ node: NodeAttributes) throws(OpError) {
        let attributes = node.node.attributes
        let names = ["value", "sparse_value", "value_float", "value_floats", "value_int", "value_ints",
                     "value_string", "value_strings"].filter { attributes[$0] != nil }
        guard names.count == 1, let attribute = attributes[names[0]] else {
            throw OpError(.invalidAttribute("value", "exactly one value attribute is required, found \(names)"))
        }
        do {
            switch (names[0], attribute) {
            case ("value", .tensor(let t)), ("sparse_value", .sparseTensor(let t)), ("sparse_value", .tensor(let t)):
                value = t
            case ("value_float", .float(let f)): value = try Tensor(.float, shape: [], values: [f])
            case ("value_floats", .floats(let v)): value = try Tensor(.float, shape: [v.count], values: v)
            case ("value_int", .int(let i)): value = try Tensor(.int64, shape: [], values: [Int64(i)])
            case ("value_ints", .ints(let v)): value = try Tensor(.int64, shape: [v.count], values: v.map { Int64($0) })
            case ("value_string", .string(let s)): value = try Tensor(strings: [s], shape: [])
            case ("value_strings", .strings(let v)): value = try Tensor(strings: v, shape: [v.count])
            default:
                throw OpError(.invalidAttribute(names[0], "has the wrong type \(attribute.typeName)"))
            }
        } catch let e as OpError {
            throw e
        } catch let e as GraphError {
            throw OpError(e)
        } catch {
            throw OpError.value("Constant: \(error)")
        }
    }

    static func == (a: Constant, b: Constant) -> Bool {
        a.value.dataType == b.value.dataType && a.value.shape == b.value.shape && a.value.storage === b.value.storage
    }

    func hash(into h: inout Hasher) {
        h.combine(value.dataType)
        h.combine(value.shape)
        h.combine(ObjectIdentifier(value.storage))
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [value.type]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        io.setOutput(0, value)
    }
}
