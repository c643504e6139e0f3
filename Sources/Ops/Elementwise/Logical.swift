import ONNXGraph

/// A binary logical op on bool (any nonzero byte reads as true; results are 0 or 1).
protocol LogicKind {
    static func apply(_ a: Bool, _ b: Bool) -> Bool
}

enum AndKind: LogicKind {
    @inline(__always) static func apply(_ a: Bool, _ b: Bool) -> Bool { a && b }
}

enum OrKind: LogicKind {
    @inline(__always) static func apply(_ a: Bool, _ b: Bool) -> Bool { a || b }
}

enum XorKind: LogicKind {
    @inline(__always) static func apply(_ a: Bool, _ b: Bool) -> Bool { a != b }
}

enum BoolLogic<K: LogicKind>: BinaryFn {
    @inline(__always) static func apply(_ a: UInt8, _ b: UInt8) -> UInt8 { K.apply(a != 0, b != 0) ? 1 : 0 }
}

/// Evaluates logical op `K` on the node's two bool inputs (numpy broadcasting, or the legacy rule).
func evaluateLogic<K: LogicKind>(_: K.Type, _ io: inout OpIO, legacy: LegacyBroadcast?) throws(OpError) {
    let (a, b, plan) = try planBinary(io, legacy: legacy)
    guard a.dataType == .bool else { throw OpError.type(0, a.dataType) }
    guard b.dataType == .bool else { throw OpError.type(1, b.dataType) }
    let out = try io.allocate(.bool, plan.outShape)
    runBinary(BoolLogic<K>.self, plan, a, b, out)
    io.setOutput(0, out)
}
