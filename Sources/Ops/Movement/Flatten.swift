import ONNXGraph

/// Flatten (opsets 1..25): a 2-D view [d0·…·d(axis-1), d(axis)·…·d(n-1)] of the input (shared
/// storage, no copy); an empty product is 1, so axis 0 gives [1, count]. `axis` (default 1) lies
/// in [0, rank], or from opset 11 in [-rank, rank] (negative counts from the end). Any element type.
struct Flatten: Operator, Hashable {
    let axis: Int
    let allowsNegative: Bool

    init(_ node: NodeAttributes) throws(OpError) {
        guard node.inputCount == 1 else { throw OpError(.wrongInputCount(expected: "1", actual: node.inputCount)) }
        axis = try node.int("axis", default: 1)
        allowsNegative = node.opset >= 11
    }

    /// `axis` in 0...rank; throws when it is out of range for `rank`.
    func split(rank: Int) throws(OpError) -> Int {
        let a = axis < 0 && allowsNegative ? axis + rank : axis
        guard a >= 0, a <= rank else {
            let range = allowsNegative ? "[-\(rank), \(rank)]" : "[0, \(rank)]"
            throw OpError(.invalidAttribute("axis", "\(axis) is outside \(range) for rank \(rank)"))
        }
        return a
    }

    func inferTypes(_ inputs: [TensorType?], _ node: NodeAttributes) throws(OpError) -> [TensorType] {
        let x = Movement.fact(inputs, 0)
        guard let dims = x.dims else { return [TensorType(x.dataType, [.unknown, .unknown])] }
        let a = try split(rank: dims.count)
        return [TensorType(x.dataType, [Flatten.product(dims[..<a]), Flatten.product(dims[a...])])]
    }

    func evaluate(_ io: inout OpIO) throws(OpError) {
        let x = try io.required(0)
        let a = try split(rank: x.rank)
        let outer = try Flatten.product(x.shape[..<a]), inner = try Flatten.product(x.shape[a...])
        io.setOutput(0, try Movement.reshape(x, [outer, inner]))
    }

    /// The product of `dims`; throws on overflow (possible only beside a 0 dim elsewhere).
    static func product(_ dims: ArraySlice<Int>) throws(OpError) -> Int {
        var p = 1
        for d in dims {
            let (m, overflow) = p.multipliedReportingOverflow(by: d)
            guard !overflow else { throw OpError.shape("Flatten: dims \(Array(dims)) overflow") }
            p = m
        }
        return p
    }

    /// The product of dims as a fact: a number when every dim is known (or one is 0); the one
    /// symbolic or unknown dim when all others are 1; otherwise unknown.
    static func product(_ dims: ArraySlice<Dim>) -> Dim {
        if dims.contains(.value(0)) { return .value(0) }
        var p = 1
        var other: Dim? = nil
        for d in dims {
            guard let v = d.value else {
                if other != nil { return .unknown }
                other = d
                continue
            }
            let (m, overflow) = p.multipliedReportingOverflow(by: v)
            guard !overflow else { return .unknown }
            p = m
        }
        guard let other else { return .value(p) }
        return p == 1 ? other : .unknown
    }
}
