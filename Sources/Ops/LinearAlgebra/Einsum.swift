import ONNXGraph

/// Einsum (opsets 12, 28): `output[out] = Σ_{labels not in out} Π_i input_i[term_i]`.
///
/// Supports explicit (`->`) and implicit output (labels used once, ASCII order, ellipsis dims
/// first), an ellipsis per term (broadcast, right-aligned), repeated labels within a term
/// (diagonals), reductions, and size-1 dims broadcasting against a label's size (as numpy does).
/// Types: every numeric type the spec lists; integers wrap, float16 / bfloat16 accumulate in float.
/// Evaluation is a direct loop over output × reduced index space (correct for any equation; not a
/// contraction-ordering optimizer).
public struct Einsum: Operator, Hashable {
    let equation: EinsumEquation
    let equationText: String

    /// The largest iteration space (output × reduced elements × operands) evaluated directly.
    static let maximumWork = 1 << 36

    public init(_ node: NodeAttributes) throws(OpError) {
        guard let text = try node.string("equation") else { throw OpError(.missingAttribute("equation")) }
        equation = try EinsumEquation(text)
        equationText = text
        guard node.inputCount == equation.inputTerms.count else {
            throw OpError(.wrongInputCount(expected: "\(equation.inputTerms.count) (per the equation)",
                                           actual: node.inputCount))
        }
    }

    /// Output type from the inputs' ranks: each output label takes its first non-1 dim.
    public func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let dataType = inputs.first??.dataType
        var dims: [[Dim]] = []
        for t in inputs {
            guard let d = t?.dims else { return [TensorType(dataType, nil)] }
            dims.append(d)
        }
        let (termLabels, outLabels) = try equation.resolve(ranks: dims.map(\.count))
        var size = [Dim?](repeating: nil, count: EinsumEquation.labelCount(ranks: dims.map(\.count)))
        for (labels, ds) in zip(termLabels, dims) {
            for (l, d) in zip(labels, ds) {
                if size[l] == nil || size[l] == .value(1) { size[l] = d }
                else if let u = size[l]?.value, let v = d.value, v != 1, u != v {
                    throw OpError.shape("Einsum: a label has sizes \(u) and \(v)")
                }
            }
        }
        return [TensorType(dataType, outLabels.map { size[$0] ?? .unknown })]
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        var inputs: [Tensor] = []
        for i in 0..<io.inputCount { inputs.append(try io.required(i)) }
        guard let dtype = inputs.first?.dataType else { throw OpError(.missingInput(index: 0)) }
        for (i, t) in inputs.enumerated() where t.dataType != dtype { throw OpError.type(i, t.dataType) }
        let (termLabels, outLabels) = try equation.resolve(ranks: inputs.map(\.rank))

        // Label sizes: equal wherever a label appears, or 1 (broadcast).
        var size = [Int](repeating: -1, count: EinsumEquation.labelCount(ranks: inputs.map(\.rank)))
        for (labels, t) in zip(termLabels, inputs) {
            for (l, d) in zip(labels, t.shape) {
                if size[l] == -1 || size[l] == 1 { size[l] = d }
                else if d != 1 && d != size[l] {
                    throw OpError.shape("Einsum: a label has sizes \(size[l]) and \(d)")
                }
            }
        }
        let outShape = outLabels.map { size[$0] }
        let y = try io.allocate(dtype, outShape)
        io.setOutput(0, y)
        if y.count == 0 { return }
        switch dtype {
        case .float: try compute(inputs, termLabels, outLabels, y, Float.self)
        case .double: try compute(inputs, termLabels, outLabels, y, Double.self)
        case .int8: try compute(inputs, termLabels, outLabels, y, Int8.self)
        case .int16: try compute(inputs, termLabels, outLabels, y, Int16.self)
        case .int32: try compute(inputs, termLabels, outLabels, y, Int32.self)
        case .int64: try compute(inputs, termLabels, outLabels, y, Int64.self)
        case .uint8: try compute(inputs, termLabels, outLabels, y, UInt8.self)
        case .uint16: try compute(inputs, termLabels, outLabels, y, UInt16.self)
        case .uint32: try compute(inputs, termLabels, outLabels, y, UInt32.self)
        case .uint64: try compute(inputs, termLabels, outLabels, y, UInt64.self)
        case .float16, .bfloat16:
            let bf = dtype == .bfloat16
            var wide: [Tensor] = []
            for t in inputs {
                let f = try LinalgLoops.floatScratch(t.shape)
                LinalgLoops.widen(t.elements(UInt16.self), f.elements(Float.self), count: t.count, bfloat: bf)
                wide.append(f)
            }
            let yf = try LinalgLoops.floatScratch(outShape)
            defer { withExtendedLifetime((wide, yf)) {} }
            try compute(wide, termLabels, outLabels, yf, Float.self)
            LinalgLoops.narrow(yf.elements(Float.self), y.elements(UInt16.self), count: y.count, bfloat: bf)
        default: throw OpError.type(0, dtype)
        }
    }

    /// First sums out, per operand, the labels no other operand and not the output uses (so
    /// `i,j->` costs |i| + |j|, not |i|·|j|), then runs the direct loop over what is left.
    private func compute<T: LinalgScalar>(_ inputs: [Tensor], _ terms: [[Int]], _ out: [Int], _ y: Tensor,
                                          _: T.Type) throws(OpError) {
        var operands = inputs, terms = terms
        if operands.count > 1 {
            for i in operands.indices {
                var needed = Set(out)
                for (j, t) in terms.enumerated() where j != i { needed.formUnion(t) }
                var keep: [Int] = []
                for l in terms[i] where needed.contains(l) && !keep.contains(l) { keep.append(l) }
                if keep.count == Set(terms[i]).count { continue }
                let sizes = Self.labelSizes([operands[i]], [terms[i]])
                let reduced: Tensor
                do { reduced = try Tensor(allocating: operands[i].dataType, shape: keep.map { sizes[$0] }) }
                catch { throw OpError(error) }
                try direct([operands[i]], [terms[i]], keep, sizes, reduced, T.self)
                operands[i] = reduced
                terms[i] = keep
            }
        }
        let sizes = Self.labelSizes(operands, terms)
        if operands.count == 2,
           try contractPair(operands[0], terms[0], operands[1], terms[1], out, sizes, y, T.self) { return }
        try direct(operands, terms, out, sizes, y, T.self)
    }

    /// Per label, its extent over `tensors` (the largest; sizes were checked equal or 1).
    private static func labelSizes(_ tensors: [Tensor], _ terms: [[Int]]) -> [Int] {
        var size = [Int](repeating: 1, count: EinsumEquation.labelCount(ranks: tensors.map(\.rank)))
        for (labels, t) in zip(terms, tensors) {
            for (l, d) in zip(labels, t.shape) where d != 1 { size[l] = d }
        }
        return size
    }

    /// y[out] = Σ over the other labels of Π inputs, by one loop nest.
    private func direct<T: LinalgScalar>(_ inputs: [Tensor], _ terms: [[Int]], _ out: [Int], _ size: [Int],
                                         _ y: Tensor, _: T.Type) throws(OpError) {
        let reduced = Set(terms.joined()).subtracting(out).sorted()
        let loopLabels = out + reduced
        var strides: [[Int]] = []   // per input, per loop label
        for (labels, t) in zip(terms, inputs) {
            let cs = Broadcast.contiguousStrides(t.shape)
            strides.append(loopLabels.map { l in
                var s = 0
                for (d, dl) in labels.enumerated() where dl == l && t.shape[d] != 1 { s += cs[d] }
                return s
            })
        }
        // The loop visits output × reduced index space; refuse spaces it cannot finish.
        var work = inputs.count
        for l in loopLabels {
            let (p, o) = work.multipliedReportingOverflow(by: max(size[l], 1))
            guard !o, p <= Self.maximumWork else {
                throw OpError.value("Einsum: \(equationText) needs more than \(Self.maximumWork) multiply-adds")
            }
            work = p
        }
        if y.count == 0 { return }
        Loops(sizes: loopLabels.map { size[$0] }, outRank: out.count, strides: strides).run(inputs, y, T.self)
    }

    /// The loop nest: output labels first (row-major over the output), then reduced labels.
    struct Loops {
        let sizes: [Int]
        let outRank: Int
        let strides: [[Int]]

        func run<T: LinalgScalar>(_ inputs: [Tensor], _ y: Tensor, _: T.Type) {
            let n = inputs.count, rank = sizes.count
            let ptrs = inputs.map { $0.elements(T.self) }
            let yp = y.elements(T.self)
            var redCount = 1
            for d in outRank..<rank { redCount *= sizes[d] }
            var counter = [Int](repeating: 0, count: rank)
            var offsets = [Int](repeating: 0, count: n)
            let outCount = y.count
            for o in 0..<outCount {
                var acc = T.zero
                for _ in 0..<redCount {
                    var prod = ptrs[0][offsets[0]]
                    if n > 1 { for i in 1..<n { prod = T.mul(prod, ptrs[i][offsets[i]]) } }
                    acc = T.add(acc, prod)
                    advance(&counter, &offsets, from: outRank)
                }
                yp[o] = acc
                // The reduced counters wrapped to 0; step the output counters.
                advance(&counter, &offsets, from: 0, limit: outRank)
            }
        }

        /// Odometer step over dims `from..<limit` (innermost last), updating every input's offset.
        @inline(__always)
        private func advance(_ counter: inout [Int], _ offsets: inout [Int], from: Int, limit: Int? = nil) {
            let end = limit ?? sizes.count
            var d = end - 1
            while d >= from {
                counter[d] += 1
                for i in 0..<offsets.count { offsets[i] += strides[i][d] }
                if counter[d] < sizes[d] { return }
                for i in 0..<offsets.count { offsets[i] -= strides[i][d] * sizes[d] }
                counter[d] = 0
                d -= 1
            }
        }
    }
}
