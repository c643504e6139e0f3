import ONNXGraph

/// ONNX `Where` (opsets 9–16): output = condition ? X : Y elementwise, the three inputs broadcast
/// together (numpy rules). condition is bool; X and Y share any fixed-width type (numeric, bool,
/// complex64, complex128; bfloat16 from opset 16) or string. Elements are copied as raw bits.
public struct Where: Operator, Hashable {
    public init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 3 else { throw OpError(.wrongInputCount(expected: "3", actual: node.inputCount)) }
    }

    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let dataType = inputs.count > 1 ? (inputs[1]?.dataType ?? inputs.last??.dataType) : nil
        return [try BroadcastInference.type(dataType, inputs)]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        let c = try io.required(0), x = try io.required(1), y = try io.required(2)
        guard c.dataType == .bool else { throw OpError.type(0, c.dataType) }
        try requireSameType(x, y, input: 2)
        let plan = try BroadcastPlan([c.shape, x.shape, y.shape])
        let out = try io.allocate(x.dataType, plan.outShape)
        switch x.dataType {
        case .string:
            selectStrings(plan, c, x, y, out)
        default:
            switch x.dataType.storageSize {
            case 1: select(UInt8.self, plan, c, x, y, out)
            case 2: select(UInt16.self, plan, c, x, y, out)
            case 4: select(UInt32.self, plan, c, x, y, out)
            case 8: select(UInt64.self, plan, c, x, y, out)
            case 16: select(SIMD2<UInt64>.self, plan, c, x, y, out)
            default: throw OpError.type(1, x.dataType)
            }
        }
        io.setOutput(0, out)
    }
}

/// out[i] = c[i] != 0 ? x[i] : y[i] over broadcast runs; all-contiguous runs get their own loop.
private func select<T: BitwiseCopyable>(_: T.Type, _ plan: BroadcastPlan, _ c: Tensor, _ x: Tensor, _ y: Tensor, _ out: Tensor) {
    let pc = c.elements(UInt8.self), px = x.elements(T.self), py = y.elements(T.self), pr = out.elements(T.self)
    let n = plan.inner, sc = plan.innerStride0, sx = plan.innerStride1, sy = plan.innerStride2
    plan.forEachRun { (oc, ox, oy, or) in
        let cc = pc + oc, xx = px + ox, yy = py + oy, rr = pr + or
        if sc == 1 && sx == 1 && sy == 1 {
            for i in 0..<n { rr[i] = cc[i] != 0 ? xx[i] : yy[i] }
        } else if sc == 1 && sx == 0 && sy == 1 {
            // A masked fill (e.g. attention masks): x is one value for the run.
            let v = xx[0]
            for i in 0..<n { rr[i] = cc[i] != 0 ? v : yy[i] }
        } else if sc == 1 && sx == 1 && sy == 0 {
            let v = yy[0]
            for i in 0..<n { rr[i] = cc[i] != 0 ? xx[i] : v }
        } else if sc == 0 {
            // One condition for the whole run: a fill or a copy with stride.
            let src = cc[0] != 0 ? xx : yy, s = cc[0] != 0 ? sx : sy
            if s == 1 { rr.update(from: src, count: n) } else { rr.update(repeating: src[0], count: n) }
        } else {
            for i in 0..<n { rr[i] = cc[i] != 0 ? xx[i * sx] : yy[i * sy] }
        }
    }
}

private func selectStrings(_ plan: BroadcastPlan, _ c: Tensor, _ x: Tensor, _ y: Tensor, _ out: Tensor) {
    let pc = c.elements(UInt8.self), sx = x.storage.strings, sy = y.storage.strings
    var result = Array(repeating: "", count: plan.count)
    let n = plan.inner, dc = plan.innerStride0, dx = plan.innerStride1, dy = plan.innerStride2
    plan.forEachRun { (oc, ox, oy, or) in
        for i in 0..<n { result[or + i] = pc[oc + i * dc] != 0 ? sx[ox + i * dx] : sy[oy + i * dy] }
    }
    out.storage.strings = result
}
