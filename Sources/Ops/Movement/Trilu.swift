import ONNXGraph

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Trilu (opset 14): keeps the upper (`upper` = 1, default: j - i >= k) or lower (j - i <= k)
/// triangle of each matrix in the last two dims and zeroes the rest; `k` is an optional int64
/// scalar input (default 0). Input rank >= 2, any element type (strings zero to "").
struct Trilu: Operator, Hashable {
    let upper: Bool

    init(_ node: NodeAttributes) throws(OpError) {
        upper = try node.int("upper", default: 1) != 0
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [Movement.fact(inputs, 0)]
    }

    /// The kept column range [lo, hi) of row `i` in a `cols`-wide matrix.
    @inline(__always)
    func kept(row i: Int, cols: Int, k: Int) -> (Int, Int) {
        // Clamp i + k without overflow for extreme k.
        let (ik, o) = i.addingReportingOverflow(k)
        let edge = o ? (k > 0 ? Int.max : Int.min) : ik
        if upper { return (min(max(edge, 0), cols), cols) }
        return (0, min(max(edge == Int.max ? cols : edge + 1, 0), cols))
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        guard x.rank >= 2 else { throw OpError.shape("Trilu: input rank must be >= 2, got shape \(x.shape)") }
        var k = 0
        if let t = io.input(1) {
            guard t.dataType == .int64 else { throw OpError.type(1, t.dataType) }
            k = try Movement.scalar(t, input: 1, name: "Trilu k")
        }
        let rows = x.shape[x.rank - 2], cols = x.shape[x.rank - 1]
        let matrices = rows * cols == 0 ? 0 : x.count / (rows * cols)
        if x.dataType == .string {
            var out = x.storage.strings
            for m in 0..<matrices {
                for i in 0..<rows {
                    let (lo, hi) = kept(row: i, cols: cols, k: k)
                    let base = (m * rows + i) * cols
                    for j in 0..<cols where j < lo || j >= hi { out[base + j] = "" }
                }
            }
            io.setOutput(0, try Movement.strings(out, shape: x.shape))
            return
        }
        let out = try io.allocate(x.dataType, x.shape)
        let es = x.dataType.storageSize
        for m in 0..<matrices {
            for i in 0..<rows {
                let (lo, hi) = kept(row: i, cols: cols, k: k)
                let base = ((m * rows + i) * cols) * es
                let d = out.data + base, s = x.data + base
                if lo > 0 { memset(d, 0, lo * es) }
                if hi > lo { memcpy(d + lo * es, s + lo * es, (hi - lo) * es) }
                if hi < cols { memset(d + max(hi, lo) * es, 0, (cols - max(hi, lo)) * es) }
            }
        }
        io.setOutput(0, out)
    }
}
