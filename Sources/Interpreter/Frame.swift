import ONNXGraph
import Ops

/// The value table of one running plan: one optional tensor per slot.
///
/// Padded tensors (`Tensor.isPadded`) enter only as bound inputs or captures (`hasPaddedValues`
/// records that) and leave ops only when an op accepting them got one. Before a
/// step whose op does not accept them, padded inputs are copied dense into scratch slots past the
/// plan's own (`plan.slotCount ..< plan.slotCount + plan.maxStepInputs`) for that step only; the
/// value slot keeps the padded tensor for other readers.
final class Frame: SubgraphRunner {
    let plan: ExecutionPlan
    let pool: BufferPool
    let slots: UnsafeMutablePointer<Tensor?>
    /// Set by whoever binds inputs or captures when one of them is padded; while false, no step
    /// looks at its inputs' layout.
    var hasPaddedValues = false
    /// Whether the op of the step now running accepts padded values: subgraph results (`run`) are
    /// densified for ops that do not (`Loop`), forwarded as they are for those that do (`If`).
    private var runningStepAcceptsPadded = true
    /// Input slot indices of a step with densified inputs (`plan.maxStepInputs` entries).
    private let scratchInputs: UnsafeMutableBufferPointer<Int32>
    private var slotCapacity: Int { max(plan.slotCount + plan.maxStepInputs, 1) }

    init(plan: ExecutionPlan, pool: BufferPool) {
        self.plan = plan
        self.pool = pool
        let capacity = max(plan.slotCount + plan.maxStepInputs, 1)
        self.slots = .allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        self.scratchInputs = .allocate(capacity: max(plan.maxStepInputs, 1))
        scratchInputs.initialize(repeating: -1)
    }

    deinit {
        slots.deinitialize(count: slotCapacity)
        slots.deallocate()
        scratchInputs.deallocate()
    }

    /// Empties every slot (outputs already handed out keep their own references).
    func clear() {
        for i in 0..<slotCapacity { slots[i] = nil }
        hasPaddedValues = false
    }

    /// Puts the constants in place, then runs every step, freeing dead values as it goes.
    func execute() throws(InterpreterError) {
        for (s, t) in plan.constants { slots[Int(s)] = t }
        for step in plan.steps {
            var io: OpIO
            let densified = hasPaddedValues && step.densifiesInputs && hasPaddedInput(step)
            if densified {
                io = try densifiedIO(step)
            } else {
                io = OpIO(slots: slots, inputSlots: step.inputs, outputSlots: step.outputs, allocator: pool, subgraphs: self)
            }
            runningStepAcceptsPadded = !step.densifiesInputs
            do { try step.op.evaluate(&io) }
            catch { throw InterpreterError(.execution(error.within(step.label).within("graph '\(plan.graphName)'").description)) }
            if densified { releaseScratch(count: step.inputs.count) }
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

    private func hasPaddedInput(_ step: Step) -> Bool {
        for s in step.inputs where s >= 0 {
            if let t = slots[Int(s)], !t.isDense { return true }
        }
        return false
    }

    /// An `OpIO` whose padded inputs are dense copies in scratch slots (outputs go to the real slots).
    private func densifiedIO(_ step: Step) throws(InterpreterError) -> OpIO {
        for (i, s) in step.inputs.enumerated() {
            scratchInputs[i] = s
            guard s >= 0, let t = slots[Int(s)], !t.isDense else { continue }
            let scratch = plan.slotCount + i
            do {
                let dense = try pool.allocate(t.dataType, shape: t.shape)
                t.copyDense(to: dense.data)
                slots[scratch] = dense
            } catch {
                releaseScratch(count: i)
                throw InterpreterError(.execution("graph '\(plan.graphName)': \(step.label): \(error)"))
            }
            scratchInputs[i] = Int32(scratch)
        }
        return OpIO(slots: slots, inputSlots: UnsafeBufferPointer(rebasing: scratchInputs[0..<step.inputs.count]),
                    outputSlots: step.outputs, allocator: pool, subgraphs: self)
    }

    private func releaseScratch(count: Int) {
        for i in 0..<count {
            let scratch = plan.slotCount + i
            guard var storage = slots[scratch]?.storage else { continue }
            slots[scratch] = nil
            pool.recycle(&storage)
        }
    }

    /// Runs a subgraph of one of this plan's nodes, with its captures bound from this frame.
    /// Results are densified unless the running op accepts padded values.
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
            if t.isPadded { frame.hasPaddedValues = true }
        }
        guard inputs.count <= sub.inputs.count else {
            throw OpError(.subgraph("subgraph '\(graph.name)' takes \(sub.inputs.count) inputs, got \(inputs.count)"))
        }
        for (i, binding) in sub.inputs.enumerated() {
            let t = i < inputs.count ? inputs[i] : binding.fallback
            frame.slots[Int(binding.slot)] = t
            if let t, t.isPadded { frame.hasPaddedValues = true }
        }
        do { try frame.execute() } catch { throw OpError(.subgraph(error.description)) }
        var results: [Tensor] = []
        results.reserveCapacity(sub.outputs.count)
        for (name, s) in sub.outputs {
            guard let t = frame.slots[Int(s)] else { throw OpError(.subgraph("subgraph output '\(name)' has no value")) }
            if t.isDense || runningStepAcceptsPadded {
                results.append(t)
            } else {
                do { results.append(try t.densified()) } catch { throw OpError(error) }
            }
        }
        return results
    }
}
