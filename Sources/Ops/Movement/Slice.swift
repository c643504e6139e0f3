import ONNXGraph

/// Slice (opsets 1, 10, 11, 13): `data[starts:ends:steps]` along `axes`. Before opset 10 starts,
/// ends and axes are attributes (steps 1); after, int32/int64 inputs #1..#4 (axes and steps
/// optional). Negative starts/ends count from the end; they are clamped to [0, dim] (steps > 0) or
/// [-1, dim-1] (steps < 0); a zero step throws. Any element type.
struct Slice: Operator, Hashable {
    /// (starts, ends, axes) from attributes (opset < 10).
    let attributeStarts: [Int]?
    let attributeEnds: [Int]?
    let attributeAxes: [Int]?

    init(_ node: NodeAttributes) throws(OpError) {
        if node.opset < 10 {
            guard let s = try node.ints("starts") else { throw OpError(.missingAttribute("starts")) }
            guard let e = try node.ints("ends") else { throw OpError(.missingAttribute("ends")) }
            attributeStarts = s
            attributeEnds = e
            attributeAxes = try node.ints("axes")
        } else {
            attributeStarts = nil
            attributeEnds = nil
            attributeAxes = nil
        }
    }

    /// The first element index and count along one axis.
    static func range(start: Int, end: Int, step: Int, dim: Int) -> (start: Int, count: Int) {
        var s = start < 0 ? start + dim : start
        var e = end < 0 ? end + dim : end
        if step > 0 {
            s = min(max(s, 0), dim)
            e = min(max(e, 0), dim)
            return (s, e > s ? (e - s - 1) / step + 1 : 0)
        }
        s = min(max(s, 0), dim - 1)
        e = min(max(e, -1), dim - 1)
        return (s, s > e ? Int(UInt(s - e - 1) / step.magnitude) + 1 : 0)
    }

    /// Output shape, first element offset and element strides for `data` of `shape`.
    static func plan(shape: [Int], starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) throws(OpError)
        -> (shape: [Int], offset: Int, strides: [Int]) {
        guard ends.count == starts.count else { throw OpError.shape("Slice: \(starts.count) starts, \(ends.count) ends") }
        let axes = try Movement.normalizeAxes(axes ?? Array(0..<starts.count), rank: shape.count)
        guard axes.count == starts.count else { throw OpError.shape("Slice: \(starts.count) starts, \(axes.count) axes") }
        if let steps, steps.count != starts.count {
            throw OpError.shape("Slice: \(starts.count) starts, \(steps.count) steps")
        }
        let inStrides = Movement.strides(shape)
        var outShape = shape, strides = inStrides, offset = 0
        for (i, a) in axes.enumerated() {
            let step = steps?[i] ?? 1
            guard step != 0 else { throw OpError.value("Slice: step 0 on axis \(a)") }
            let r = range(start: starts[i], end: ends[i], step: step, dim: shape[a])
            outShape[a] = r.count
            strides[a] = r.count > 1 ? inStrides[a] * step : inStrides[a]
            if r.count > 0 { offset += r.start * inStrides[a] }
        }
        return (outShape, outShape.contains(0) ? 0 : offset, strides)
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        guard let d = x.dims else { return [TensorType(x.dataType, nil)] }
        if let attributeStarts, let attributeEnds, let s = x.staticShape {
            let p = try Slice.plan(shape: s, starts: attributeStarts, ends: attributeEnds, axes: attributeAxes, steps: nil)
            return [TensorType(x.dataType, p.shape.map { .value($0) })]
        }
        return [TensorType(x.dataType, Movement.unknownDims(d.count))]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let p: (shape: [Int], offset: Int, strides: [Int])
        if let attributeStarts, let attributeEnds {
            p = try Slice.plan(shape: x.shape, starts: attributeStarts, ends: attributeEnds, axes: attributeAxes, steps: nil)
        } else {
            let starts = try Movement.vector(try io.required(1), input: 1, name: "Slice starts")
            let ends = try Movement.vector(try io.required(2), input: 2, name: "Slice ends")
            let axes = try io.input(3).map { (t) throws(OpError) in try Movement.vector(t, input: 3, name: "Slice axes") }
            let steps = try io.input(4).map { (t) throws(OpError) in try Movement.vector(t, input: 4, name: "Slice steps") }
            p = try Slice.plan(shape: x.shape, starts: starts, ends: ends, axes: axes, steps: steps)
        }
        if p.shape == x.shape && p.strides == Movement.strides(x.shape) {
            io.setOutput(0, x)
            return
        }
        io.setOutput(0, try Movement.copyStrided(x, offset: p.offset, shape: p.shape, strides: p.strides, &io))
    }
}
