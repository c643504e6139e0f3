import ONNXGraph

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `Loop(M?, cond?, v_initial...) → (v_final..., scan_outputs...)`: runs `body` while
/// `i < M` (when M is given) and `cond` is true (when given). The body takes
/// `(iteration_num: int64, cond: bool, v...)` and returns `(cond, v..., scan...)`; each scan output
/// is stacked along a new leading axis (all iterations must agree on its type and shape; zero
/// iterations give shape [0]). A loop with neither M nor cond runs until the body's cond is false.
public struct Loop: Operator, Hashable {
    let body: GraphIdentity

    public init(_ node: NodeAttributes) throws(OpError) {
        body = GraphIdentity(try node.requiredGraph("body"))
        let carried = max(node.inputCount - 2, 0)
        guard body.graph.inputs.count == carried + 2 else {
            throw OpError(.invalidAttribute("body", "takes \(body.graph.inputs.count) inputs, expected \(carried + 2)"))
        }
        guard body.graph.outputs.count == node.outputCount + 1, node.outputCount >= carried else {
            throw OpError(.invalidAttribute("body", "returns \(body.graph.outputs.count) outputs for a node with \(node.outputCount)"))
        }
    }

    private static func scalar(_ t: Tensor?, _ what: String) throws(OpError) -> Tensor? {
        guard let t else { return nil }
        guard t.count == 1 else { throw OpError.value("\(what) must hold one element, got shape \(t.shape)") }
        return t
    }

    public func evaluate(_ io: inout OpIO) throws(OpError) {
        guard let runner = io.subgraphs else { throw OpError(.subgraph("Loop needs a subgraph runner")) }
        let tripCount = try Loop.scalar(io.input(0), "M")
        if let tripCount, tripCount.dataType != .int64 { throw OpError.type(0, tripCount.dataType) }
        let condition = try Loop.scalar(io.input(1), "cond")
        if let condition, condition.dataType != .bool { throw OpError.type(1, condition.dataType) }
        let limit: Int64? = tripCount.map { $0.elements(Int64.self)[0] }
        var running = condition.map { $0.elements(UInt8.self)[0] != 0 } ?? true

        var carried: [Tensor] = []
        for i in 2..<max(io.inputCount, 2) { carried.append(try io.required(i)) }
        let scanCount = io.outputCount - carried.count
        var scans = Array(repeating: [Tensor](), count: scanCount)

        var iteration: Int64 = 0
        while running, limit.map({ iteration < $0 }) ?? true {
            let outputs: [Tensor]
            do {
                let index = try Tensor(.int64, shape: [], values: [iteration])
                let flag = try Tensor(.bool, shape: [], values: [UInt8(1)])
                outputs = try runner.run(body.graph, inputs: [index, flag] + carried)
            } catch let error as OpError { throw error } catch { throw OpError(.subgraph("\(error)")) }
            guard outputs.count == 1 + carried.count + scanCount else {
                throw OpError(.subgraph("Loop body returned \(outputs.count) outputs, expected \(1 + carried.count + scanCount)"))
            }
            let next = try Loop.scalar(outputs[0], "the body's cond output")
            guard let next, next.dataType == .bool else { throw OpError.value("the body's cond output must be bool") }
            running = next.elements(UInt8.self)[0] != 0
            carried = Array(outputs[1..<(1 + carried.count)])
            for s in 0..<scanCount { scans[s].append(outputs[1 + carried.count + s]) }
            iteration += 1
        }
        for (i, t) in carried.enumerated() { io.setOutput(i, t) }
        for (s, parts) in scans.enumerated() { io.setOutput(carried.count + s, try Loop.stack(parts, &io)) }
    }

    /// Stacks same-typed, same-shaped tensors along a new leading axis.
    private static func stack(_ parts: [Tensor], _ io: inout OpIO) throws(OpError) -> Tensor {
        guard let first = parts.first else { return try io.allocate(.float, [0]) }
        for p in parts where p.dataType != first.dataType || p.shape != first.shape {
            throw OpError.shape("scan output changes from \(first.type) to \(p.type) between iterations")
        }
        let out = try io.allocate(first.dataType, [parts.count] + first.shape)
        if first.dataType == .string {
            out.storage.strings = parts.flatMap { $0.storage.strings }
        } else {
            let size = first.byteCount
            for (i, p) in parts.enumerated() { memcpy(out.data + i * size, p.data, size) }
        }
        return out
    }
}
