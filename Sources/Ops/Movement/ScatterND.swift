import ONNXGraph

/// ScatterND (opsets 11, 13, 16, 18): a copy of `data` (rank r) in which, for each index tuple
/// `indices[i, :]` (int64 or int32, last dim k <= r, negatives count from the end), the slice
/// `out[indices[i]]` (shape data.shape[k...]) is replaced by, or combined with (`reduction` add/mul
/// from opset 16, max/min from 18), `updates[i]`. updates.shape = indices.shape[..<(q-1)] +
/// data.shape[k...]. Updates are applied in index order. Out-of-range indices throw. Strings
/// allow only `none`; bool combines as or (add, max) / and (mul, min).
struct ScatterND: Operator, Hashable {
    enum Reduction: String, Hashable, Sendable { case none, add, mul, max, min }
    let reduction: Reduction

    init(_ node: NodeAttributes) throws(OpError) {
        let name = node.opset >= 16 ? try node.string("reduction", default: "none") : "none"
        guard let r = Reduction(rawValue: name), node.opset >= 18 || (r != .max && r != .min) else {
            throw OpError(.invalidAttribute("reduction", "'\(name)' is not supported at opset \(node.opset)"))
        }
        reduction = r
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [Movement.fact(inputs, 0)]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let data = try io.required(0), indices = try io.required(1), updates = try io.required(2)
        guard indices.dataType == .int64 || indices.dataType == .int32 else { throw OpError.type(1, indices.dataType) }
        guard updates.dataType == data.dataType else { throw OpError.type(2, updates.dataType) }
        guard indices.rank >= 1, let k = indices.shape.last, k <= data.rank else {
            throw OpError.shape("ScatterND: indices shape \(indices.shape) does not fit data shape \(data.shape)")
        }
        let expected = Array(indices.shape.dropLast()) + Array(data.shape[k...])
        guard updates.shape == expected else {
            throw OpError.shape("ScatterND: updates shape \(updates.shape), expected \(expected)")
        }
        let offsets = try ScatterND.offsets(indices, shape: data.shape, k: k)
        let slice = data.shape[k...].reduce(1, *)
        if data.dataType == .string {
            guard reduction == .none else { throw OpError.type(0, data.dataType) }
            var out = data.storage.strings
            let upd = updates.storage.strings
            for (i, o) in offsets.enumerated() {
                for j in 0..<slice { out[o + j] = upd[i * slice + j] }
            }
            io.setOutput(0, try Movement.strings(out, shape: data.shape))
            return
        }
        let out = try io.allocate(data.dataType, data.shape)
        Movement.copyElements(from: data, 0, to: out, 0, count: data.count)
        if reduction == .none {
            for (i, o) in offsets.enumerated() {
                Movement.copyElements(from: updates, i * slice, to: out, o, count: slice)
            }
            io.setOutput(0, out)
            return
        }
        let o = out.data, u = updates.data
        switch data.dataType {
        case .float: combineFloat(o, u, Float.self, offsets, slice)
        case .double: combineFloat(o, u, Double.self, offsets, slice)
        case .float16: combineFloat(o, u, Float16.self, offsets, slice)
        case .bfloat16: combineBfloat16(o, u, offsets, slice)
        case .int8: combineInt(o, u, Int8.self, offsets, slice)
        case .int16: combineInt(o, u, Int16.self, offsets, slice)
        case .int32: combineInt(o, u, Int32.self, offsets, slice)
        case .int64: combineInt(o, u, Int64.self, offsets, slice)
        case .uint8: combineInt(o, u, UInt8.self, offsets, slice)
        case .uint16: combineInt(o, u, UInt16.self, offsets, slice)
        case .uint32: combineInt(o, u, UInt32.self, offsets, slice)
        case .uint64: combineInt(o, u, UInt64.self, offsets, slice)
        case .bool: combineBool(o, u, offsets, slice)
        case .complex64 where reduction == .add: combineFloat(o, u, Float.self, offsets.map { $0 * 2 }, slice * 2)
        case .complex128 where reduction == .add: combineFloat(o, u, Double.self, offsets.map { $0 * 2 }, slice * 2)
        case .complex64 where reduction == .mul: combineComplex(o, u, Float.self, offsets, slice)
        case .complex128 where reduction == .mul: combineComplex(o, u, Double.self, offsets, slice)
        default: throw OpError.type(0, data.dataType)
        }
        io.setOutput(0, out)
    }

    /// Element offset of each index tuple's slice in data of `shape`; throws on an index out of range.
    static func offsets(_ indices: Tensor, shape: [Int], k: Int) throws(OpError) -> [Int] {
        let strides = Movement.strides(shape)
        let n = indices.shape.dropLast().reduce(1, *)
        var out = Array(repeating: 0, count: n)
        let i64 = indices.elements(Int64.self), i32 = indices.elements(Int32.self)
        let wide = indices.dataType == .int64
        for i in 0..<n {
            var off = 0
            for j in 0..<k {
                var v = wide ? Int(i64[i * k + j]) : Int(i32[i * k + j])
                let dim = shape[j]
                guard v >= -dim, v < dim else {
                    throw OpError.value("ScatterND index \(v) is out of range for dim \(j) of size \(dim)")
                }
                if v < 0 { v += dim }
                off += v * strides[j]
            }
            out[i] = off
        }
        return out
    }

    private func combineFloat<T: BinaryFloatingPoint>(_ o: UnsafeMutableRawPointer, _ u: UnsafeMutableRawPointer, _: T.Type,
                                                      _ offsets: [Int], _ slice: Int) {
        let out = o.assumingMemoryBound(to: T.self), upd = u.assumingMemoryBound(to: T.self)
        for (i, base) in offsets.enumerated() {
            let d = out + base, s = upd + i * slice
            switch reduction {
            case .add: for j in 0..<slice { d[j] += s[j] }
            case .mul: for j in 0..<slice { d[j] *= s[j] }
            case .max: for j in 0..<slice where !(d[j] >= s[j]) && !d[j].isNaN { d[j] = s[j] }
            case .min: for j in 0..<slice where !(d[j] <= s[j]) && !d[j].isNaN { d[j] = s[j] }
            case .none: break
            }
        }
    }

    private func combineInt<T: FixedWidthInteger>(_ o: UnsafeMutableRawPointer, _ u: UnsafeMutableRawPointer, _: T.Type,
                                                  _ offsets: [Int], _ slice: Int) {
        let out = o.assumingMemoryBound(to: T.self), upd = u.assumingMemoryBound(to: T.self)
        for (i, base) in offsets.enumerated() {
            let d = out + base, s = upd + i * slice
            switch reduction {
            case .add: for j in 0..<slice { d[j] &+= s[j] }
            case .mul: for j in 0..<slice { d[j] &*= s[j] }
            case .max: for j in 0..<slice { d[j] = Swift.max(d[j], s[j]) }
            case .min: for j in 0..<slice { d[j] = Swift.min(d[j], s[j]) }
            case .none: break
            }
        }
    }

    private func combineBool(_ o: UnsafeMutableRawPointer, _ u: UnsafeMutableRawPointer, _ offsets: [Int], _ slice: Int) {
        let out = o.assumingMemoryBound(to: UInt8.self), upd = u.assumingMemoryBound(to: UInt8.self)
        let or = reduction == .add || reduction == .max
        for (i, base) in offsets.enumerated() {
            let d = out + base, s = upd + i * slice
            if or {
                for j in 0..<slice { d[j] = (d[j] | s[j]) != 0 ? 1 : 0 }
            } else {
                for j in 0..<slice { d[j] = (d[j] != 0 && s[j] != 0) ? 1 : 0 }
            }
        }
    }

    private func combineBfloat16(_ o: UnsafeMutableRawPointer, _ u: UnsafeMutableRawPointer, _ offsets: [Int], _ slice: Int) {
        let out = o.assumingMemoryBound(to: UInt16.self), upd = u.assumingMemoryBound(to: UInt16.self)
        for (i, base) in offsets.enumerated() {
            let d = out + base, s = upd + i * slice
            for j in 0..<slice {
                let a = FloatFormats.bfloat16ToFloat(d[j]), b = FloatFormats.bfloat16ToFloat(s[j])
                let r: Float = switch reduction {
                case .add: a + b
                case .mul: a * b
                case .max: a.isNaN || a >= b ? a : b
                case .min: a.isNaN || a <= b ? a : b
                case .none: b
                }
                d[j] = FloatFormats.floatToBfloat16(r)
            }
        }
    }

    private func combineComplex<T: BinaryFloatingPoint>(_ o: UnsafeMutableRawPointer, _ u: UnsafeMutableRawPointer, _: T.Type,
                                                        _ offsets: [Int], _ slice: Int) {
        let out = o.assumingMemoryBound(to: T.self), upd = u.assumingMemoryBound(to: T.self)
        for (i, base) in offsets.enumerated() {
            let d = out + 2 * base, s = upd + 2 * i * slice
            for j in 0..<slice {
                let (a, b, c, e) = (d[2 * j], d[2 * j + 1], s[2 * j], s[2 * j + 1])
                d[2 * j] = a * c - b * e
                d[2 * j + 1] = a * e + b * c
            }
        }
    }
}
