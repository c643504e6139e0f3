import ONNXGraph

/// Float32 staging for the float kernels: a float tensor is used in place; double, float16 and
/// bfloat16 tensors are converted into a temporary buffer (rounding to nearest for double).
struct NormFloatStaging {
    let pointer: UnsafeMutablePointer<Float>
    private let owned: Bool

    /// A float32 copy (or the storage itself for float) of `t`, which must be float, double,
    /// float16 or bfloat16.
    init(_ t: Tensor) {
        if t.dataType == .float {
            pointer = t.elements(Float.self)
            owned = false
            return
        }
        pointer = .allocate(capacity: max(t.count, 1))
        owned = true
        NormFloatStaging.load(t, into: pointer)
    }

    /// A fresh, uninitialized buffer of `count` floats.
    init(uninitialized count: Int) {
        pointer = .allocate(capacity: max(count, 1))
        owned = true
    }

    /// The storage of float tensor `t`, to be written (not owned).
    init(uninitializedView t: Tensor) {
        pointer = t.elements(Float.self)
        owned = false
    }

    func release() {
        if owned { pointer.deallocate() }
    }

    /// Converts the elements of `t` (float, double, float16 or bfloat16) to float32 in `out`.
    static func load(_ t: Tensor, into out: UnsafeMutablePointer<Float>) {
        let n = t.count
        switch t.dataType {
        case .float:
            out.update(from: t.elements(Float.self), count: n)
        case .double:
            let p = t.elements(Double.self)
            for i in 0..<n { out[i] = Float(p[i]) }
        case .float16:
            let p = t.elements(Float16.self)
            for i in 0..<n { out[i] = Float(p[i]) }
        case .bfloat16:
            let p = t.elements(UInt16.self)
            for i in 0..<n { out[i] = FloatFormats.bfloat16ToFloat(p[i]) }
        default:
            break
        }
    }

    /// Converts `count` floats into the storage of `t` (float, double, float16 or bfloat16;
    /// narrowing rounds to nearest even).
    static func store(_ src: UnsafePointer<Float>, count n: Int, into t: Tensor) {
        switch t.dataType {
        case .float:
            let p = t.elements(Float.self)
            if UnsafePointer(p) != src { p.update(from: src, count: n) }
        case .double:
            let p = t.elements(Double.self)
            for i in 0..<n { p[i] = Double(src[i]) }
        case .float16:
            let p = t.elements(Float16.self)
            for i in 0..<n { p[i] = Float16(src[i]) }
        case .bfloat16:
            let p = t.elements(UInt16.self)
            for i in 0..<n { p[i] = FloatFormats.floatToBfloat16(src[i]) }
        default:
            break
        }
    }
}
