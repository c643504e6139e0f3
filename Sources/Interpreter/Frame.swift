import ONNXGraph
import Ops

/// The value table of one running plan: one optional tensor per slot.
final class Frame: SubgraphRunner {
    let plan: ExecutionPlan
    let pool: BufferPool
    let slots: UnsafeMutablePointer<Tensor?>

    init(plan: ExecutionPlan, pool: BufferPool) {
        self.plan = plan
        self.pool = pool
        self.slots = .allocate(capacity: max(plan.slotCount, 1))
        slots.initialize(repeating: nil, count: max(plan.slotCount, 1))
    }

    deinit {
        slots.deinitialize(count: max(plan.slotCount, 1))
        slots.deallocate()
    }

    /// Empties every slot (outputs already handed out keep their own references).
    func clear() {
        for i in 0..<plan.slotCount { slots[i] = nil }
    }

    /// Puts the constants in place, then runs every step, freeing dead values as it goes.
    func execute() throws(InterpreterError) {
        for (s, t) in plan.constants { slots[Int(s)] = t }
        for step in plan.steps {
            var io = OpIO(slots: slots, inputSlots: step.inputs, outputSlots: step.outputs, allocator: pool, subgraphs: self)
            do { try step.op.evaluate(&io) }
            catch { throw InterpreterError(.execution(error.within(step.label).within("graph '\(plan.graphName)'").description)) }
            for s in step.outputs where s >= 0 && slots[Int(s)] == nil {
                throw InterpreterError(.execution("graph '\(plan.graphName)': \(step.label): output slot left empty"))
            }
            for s in step.release {
                guard var storage = slots[Int(s)]?.storage else { continue }
                slots[Int(s)] = nil
                pool.recycle(&storage)
            }
        }
    }

    /// Runs a subgraph of one of this plan's nodes, with its captures bound from this frame.
    func run(_ graph: Graph, inputs: [Tensor?]) throws(OpError) -> [Tensor] {
        guard let sub = plan.subplans[ObjectIdentifier(graph)] else {
            throw OpError(.subgraph("subgraph '\(graph.name)' has no plan"))
        }
        let frame = Frame(plan: sub, pool: pool)
        for (name, s) in sub.captures {
            guard let outer = plan.slotOf[name], let t = slots[Int(outer)] else {
                throw OpError(.subgraph("subgraph '\(graph.name)' captures '\(name)', which has no value"))
            }
            frame.slots[Int(s)] = t
        }
        guard inputs.count <= sub.inputs.count else {
            throw OpError(.subgraph("subgraph '\(graph.name)' takes \(sub.inputs.count) inputs, got \(inputs.count)"))
        }
        for (i, binding) in sub.inputs.enumerated() {
            frame.slots[Int(binding.slot)] = i < inputs.count ? inputs[i] : binding.fallback
        }
        do { try frame.execute() } catch { throw OpError(.subgraph(error.description)) }
        var results: [Tensor] = []
        results.reserveCapacity(sub.outputs.count)
        for (name, s) in sub.outputs {
            guard let t = frame.slots[Int(s)] else { throw OpError(.subgraph("subgraph output '\(name)' has no value")) }
            results.append(t)
        }
        return results
    }
}
