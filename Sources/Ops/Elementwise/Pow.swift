#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import ONNXGraph

/// ONNX `Pow` (opsets 1–15): Z = X ^ Y elementwise, numpy broadcasting (opset >= 7) or the legacy
/// `broadcast`/`axis` rule (opset < 7). The output has X's type. X: int32, int64, float16, float,
/// double, bfloat16; Y (opset >= 12 may differ from X): any integer or float type of those.
///
/// float ^ 2 (exponent of any type holding one element) is x * x; other float ^ float uses `powf`; other float cases compute `pow` in Double and round once to X's type.
/// Integer ^ integer is exact with wrapping on overflow; a negative exponent gives 1 for base 1,
/// ±1 for base -1 and 0 otherwise (truncation of the real result; 0 for base 0). Integer ^ float
/// computes in Double and truncates toward zero, saturating (NaN gives 0).
public struct Pow: Operator, Hashable {
    let legacy: LegacyBroadcast?

    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 2 else { throw OpError(.wrongInputCount(expected: "2", actual: node.inputCount)) }
        legacy = try LegacyBroadcast.parse(node)
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        [try BroadcastInference.type(inputs.first??.dataType, inputs, legacy: legacy)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let (x, y, plan) = try planBinary(io, legacy: legacy)
        switch x.dataType {
        case .float, .double, .float16, .bfloat16, .int32, .int64: break
        default: throw OpError.type(0, x.dataType)
        }
        let out = try io.allocate(x.dataType, plan.outShape)
        if x.dataType == .float, y.count == 1, try withCodec(y.dataType, input: 1, FirstValue(tensor: y)) == 2 {
            // x^2 is x * x exactly (both correctly rounded); y's single element only adds leading 1s.
            let px = x.elements(Float.self)
            F32Tier.pick(ck_f32_vmul, ck_f32_vmul__avx2, ck_f32_vmul__avx512)(px, px, out.elements(Float.self), x.count)
            io.setOutput(0, out)
            return
        }
        switch (x.dataType, y.dataType) {
        case (.float, .float): runBinary(PowFloat.self, plan, x, y, out)
        case (.int32, _) where y.dataType.isInteger:
            try withInteger(y.dataType, input: 1, IntPowVisitor<Int32>(plan: plan, x: x, y: y, out: out))
        case (.int64, _) where y.dataType.isInteger:
            try withInteger(y.dataType, input: 1, IntPowVisitor<Int64>(plan: plan, x: x, y: y, out: out))
        default:
            try withCodec(x.dataType, input: 0, PowBaseVisitor(plan: plan, x: x, y: y, out: out))
        }
        io.setOutput(0, out)
    }
}

enum PowFloat: BinaryFn {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { powf(a, b) }
}

enum PowDouble<BC: DoubleCodec, EC: DoubleCodec>: BinaryFn {
    @inline(__always) static func apply(_ a: BC.Stored, _ b: EC.Stored) -> BC.Stored {
        BC.store(pow(BC.load(a), EC.load(b)))
    }
}

enum PowInt<T: FixedWidthInteger & BitwiseCopyable, E: FixedWidthInteger & BitwiseCopyable>: BinaryFn {
    @inline(__always) static func apply(_ base: T, _ e: E) -> T {
        if e < 0 {
            if base == 1 { return 1 }
            if base == -1 { return e & 1 == 0 ? 1 : base }
            return 0
        }
        var result: T = 1, b = base, k = UInt64(truncatingIfNeeded: e)
        while k != 0 {
            if k & 1 != 0 { result = result &* b }
            k >>= 1
            if k != 0 { b = b &* b }
        }
        return result
    }
}

/// The first element of `tensor` as a Double.
private struct FirstValue: CodecVisitor {
    let tensor: Tensor
    func visit<C: DoubleCodec>(_: C.Type) throws(OpError) -> Double {
        C.load(tensor.elements(C.Stored.self)[0])
    }
}

private struct PowBaseVisitor: CodecVisitor {
    let plan: BroadcastPlan, x: Tensor, y: Tensor, out: Tensor
    func visit<BC: DoubleCodec>(_: BC.Type) throws(OpError) {
        try withCodec(y.dataType, input: 1, PowExponentVisitor<BC>(plan: plan, x: x, y: y, out: out))
    }
}

private struct PowExponentVisitor<BC: DoubleCodec>: CodecVisitor {
    let plan: BroadcastPlan, x: Tensor, y: Tensor, out: Tensor
    func visit<EC: DoubleCodec>(_: EC.Type) throws(OpError) {
        runBinary(PowDouble<BC, EC>.self, plan, x, y, out)
    }
}

private struct IntPowVisitor<T: FixedWidthInteger & BitwiseCopyable>: IntegerVisitor {
    let plan: BroadcastPlan, x: Tensor, y: Tensor, out: Tensor
    func visit<E: FixedWidthInteger & BitwiseCopyable>(_: E.Type) throws(OpError) {
        runBinary(PowInt<T, E>.self, plan, x, y, out)
    }
}
