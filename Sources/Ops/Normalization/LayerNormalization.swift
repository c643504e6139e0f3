import CKernels
import Kernels
import ONNXGraph

/// LayerNormalization (opset 17): normalizes `X` over the axes [axis, rank) (default axis -1):
/// Y = (X - Mean) · InvStdDev · Scale + B, InvStdDev = 1 / sqrt(Var + epsilon) (default 1e-5),
/// Var the biased variance. `Scale` and the optional `B` broadcast unidirectionally to `X`.
/// Optional outputs `Mean` and `InvStdDev` have shape [d0, …, d(axis-1), 1, …, 1] and the type
/// `stash_type` names (1 = float, the default; 16 = bfloat16).
///
/// X, Scale, B: float, double, float16 or bfloat16 (all the same). Stage one runs in float32 as
/// `stash_type` = 1 prescribes (double and 16-bit inputs are converted), in the C kernel; Y is
/// rounded once to X's type. float32 rows of 8 or more elements round exactly as ONNX Runtime's
/// CPU kernel on AVX-512 machines (ck_reduce.h; int8 models quantize these values again); within a
/// few ulp of a two-pass float32 reference.
public struct LayerNormalization: Operator, Hashable {
    let axis: Int
    let epsilon: Float
    let stashType: DataType

    public init(_ node: NodeAttributes) throws(OpError) {
        guard (2...3).contains(node.inputCount) else {
            throw OpError(.wrongInputCount(expected: "2 or 3", actual: node.inputCount))
        }
        axis = try node.int("axis", default: -1)
        epsilon = try node.float("epsilon", default: 1e-5)
        let stash = try node.int("stash_type", default: 1)
        switch stash {
        case 1: stashType = .float
        case 16: stashType = .bfloat16
        default: throw OpError(.invalidAttribute("stash_type", "\(stash) is not float (1) or bfloat16 (16)"))
        }
    }

    static let types: Set<DataType> = [.float, .double, .float16, .bfloat16]

    func normalizedAxis(rank: Int) throws(OpError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw OpError(.invalidAttribute("axis", "\(axis) is out of range for rank \(rank)")) }
        return a
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        guard let x = inputs.first ?? nil else {
            return Array(repeating: .unknown, count: node.outputCount)
        }
        var out = [x]
        var statDims: [Dim]? = nil
        if let dims = x.dims {
            let a = try normalizedAxis(rank: dims.count)
            statDims = Array(dims[..<a]) + Array(repeating: .value(1), count: dims.count - a)
        }
        while out.count < node.outputCount { out.append(TensorType(stashType, statDims)) }
        return out
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let scale = try io.required(1)
        let bias = io.input(2)
        guard Self.types.contains(x.dataType) else { throw OpError.type(0, x.dataType) }
        guard scale.dataType == x.dataType else { throw OpError.type(1, scale.dataType) }
        if let bias, bias.dataType != x.dataType { throw OpError.type(2, bias.dataType) }
        let a = try normalizedAxis(rank: x.rank)
        let rows = ReductionShape.product(x.shape[..<a])
        let n = ReductionShape.product(x.shape[a...])
        // Scale and B: a contiguous vector over the normalized axes when they broadcast only along
        // [0, axis); otherwise a general unidirectional broadcast applied after normalization.
        let scaleRowwise = try Self.isRowwise(scale, x.shape, axis: a, input: 1)
        let biasRowwise = try bias.map { (b) throws(OpError) in try Self.isRowwise(b, x.shape, axis: a, input: 2) } ?? true
        let fast = scaleRowwise && biasRowwise

        let y = try io.allocate(x.dataType, x.shape)
        let statShape = Array(x.shape[..<a]) + Array(repeating: 1, count: x.rank - a)
        let mean = io.wantsOutput(1) ? try io.allocate(stashType, statShape) : nil
        let invStd = io.wantsOutput(2) ? try io.allocate(stashType, statShape) : nil
        defer {
            io.setOutput(0, y)
            if let mean { io.setOutput(1, mean) }
            if let invStd { io.setOutput(2, invStd) }
        }
        if x.count == 0 {
            // Rows of no elements: mean and deviation are 0/0.
            for stat in [mean, invStd].compactMap({ $0 }) where stat.count > 0 {
                let nan = NormFloatStaging(uninitialized: stat.count)
                defer { nan.release() }
                nan.pointer.initialize(repeating: .nan, count: stat.count)
                NormFloatStaging.store(nan.pointer, count: stat.count, into: stat)
            }
            return
        }

        let src = NormFloatStaging(x)
        defer { src.release() }
        let dst = x.dataType == .float ? y.elements(Float.self) : src.pointer
        let gamma = fast ? NormFloatStaging(scale) : nil
        let beta = fast ? bias.map { NormFloatStaging($0) } : nil
        defer {
            gamma?.release()
            beta?.release()
        }
        let floatStats = stashType == .float
        let meanOut = mean.map { floatStats ? NormFloatStaging(uninitializedView: $0) : NormFloatStaging(uninitialized: rows) }
        let invOut = invStd.map { floatStats ? NormFloatStaging(uninitializedView: $0) : NormFloatStaging(uninitialized: rows) }
        defer {
            meanOut?.release()
            invOut?.release()
        }
        ck_layer_norm_f32(ReduceKernelTier.current, src.pointer, dst, rows, n, gamma?.pointer, beta?.pointer, epsilon,
                          meanOut?.pointer, invOut?.pointer)
        if !fast { try Self.applyBroadcast(dst, x.shape, scale: scale, bias: bias) }
        if x.dataType != .float { NormFloatStaging.store(dst, count: x.count, into: y) }
        if !floatStats {
            if let mean, let meanOut { NormFloatStaging.store(meanOut.pointer, count: rows, into: mean) }
            if let invStd, let invOut { NormFloatStaging.store(invOut.pointer, count: rows, into: invStd) }
        }
    }

    /// True when `t` broadcast to `shape` repeats one vector per row of [prod(<axis), prod(>=axis)];
    /// throws when `t` does not broadcast unidirectionally to `shape`.
    static func isRowwise(_ t: Tensor, _ shape: [Int], axis: Int, input: Int) throws(OpError) -> Bool {
        guard t.rank <= shape.count else {
            throw OpError.shape("input #\(input) of shape \(t.shape) does not broadcast to \(shape)")
        }
        let offset = shape.count - t.rank
        var rowwise = true
        for (i, d) in t.shape.enumerated() {
            let target = shape[offset + i]
            guard d == target || d == 1 else {
                throw OpError.shape("input #\(input) of shape \(t.shape) does not broadcast to \(shape)")
            }
            let pos = offset + i
            if pos < axis { if d != 1 { rowwise = false } } else if d != target { rowwise = false }
        }
        // Dims of X at positions >= axis that `t` lacks (left of its rank) must be 1 in X.
        if offset > axis {
            for pos in axis..<offset where shape[pos] != 1 { rowwise = false }
        }
        return rowwise
    }

    /// y = y · scale + bias in place over `shape`, with `scale` and `bias` broadcast to it.
    static func applyBroadcast(_ y: UnsafeMutablePointer<Float>, _ shape: [Int], scale: Tensor, bias: Tensor?) throws(OpError) {
        let s = NormFloatStaging(scale)
        let b = bias.map { NormFloatStaging($0) }
        defer {
            s.release()
            b?.release()
        }
        let sStrides = Broadcast.strides(of: scale.shape, to: shape)
        let bStrides = bias.map { Broadcast.strides(of: $0.shape, to: shape) } ?? Array(repeating: 0, count: shape.count)
        let count = ReductionShape.product(shape)
        var index = Array(repeating: 0, count: shape.count)
        var so = 0, bo = 0
        for i in 0..<count {
            y[i] = y[i] * s.pointer[so] + (b?.pointer[bo] ?? 0)
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                so += sStrides[d]
                bo += bStrides[d]
                if index[d] < shape[d] { break }
                so -= sStrides[d] * shape[d]
                bo -= bStrides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}
