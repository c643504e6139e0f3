import ONNXGraph

/// Where an op's output tensors come from. The interpreter's implementation recycles buffers whose
/// values are dead; `HeapAllocator` allocates fresh ones (constant folding, tests).
public protocol TensorAllocator: AnyObject {
    /// An uninitialized tensor of `dataType` and `shape` (64-byte aligned storage).
    func allocate(_ dataType: DataType, shape: [Int]) throws(GraphError) -> Tensor
}

/// Allocates every tensor fresh.
public final class HeapAllocator: TensorAllocator {
    public init() {}
    public func allocate(_ dataType: DataType, shape: [Int]) throws(GraphError) -> Tensor {
        try Tensor(allocating: dataType, shape: shape)
    }
}

/// Runs an op's subgraph attribute (an `If` branch) in the current scope: values the subgraph
/// captures by name are resolved from the enclosing frame.
public protocol SubgraphRunner: AnyObject {
    func run(_ graph: Graph, inputs: [Tensor?]) throws(OpError) -> [Tensor]
}

/// An op's view of one evaluation: its inputs, slots for its outputs, an allocator and, for
/// control-flow ops, a subgraph runner. Allocation-free: it points into the interpreter's value table.
public struct OpIO {
    @usableFromInline let slots: UnsafeMutablePointer<Tensor?>
    @usableFromInline let inputSlots: UnsafeBufferPointer<Int32>
    @usableFromInline let outputSlots: UnsafeBufferPointer<Int32>
    public let allocator: TensorAllocator
    public let subgraphs: SubgraphRunner?

    /// `inputSlots[i]` / `outputSlots[i]` index `slots`; -1 marks an omitted input or an unwanted output.
    public init(slots: UnsafeMutablePointer<Tensor?>, inputSlots: UnsafeBufferPointer<Int32>,
                outputSlots: UnsafeBufferPointer<Int32>, allocator: TensorAllocator, subgraphs: SubgraphRunner?) {
        self.slots = slots
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
        self.allocator = allocator
        self.subgraphs = subgraphs
    }

    public var inputCount: Int { inputSlots.count }
    public var outputCount: Int { outputSlots.count }

    /// Input `i`, or nil when it is omitted or past the node's inputs.
    @inlinable
    public func input(_ i: Int) -> Tensor? {
        guard i < inputSlots.count else { return nil }
        let s = inputSlots[i]
        return s < 0 ? nil : slots[Int(s)]
    }

    /// Input `i`, which the op requires.
    @inlinable
    public func required(_ i: Int) throws(OpError) -> Tensor {
        guard let t = input(i) else { throw OpError(.missingInput(index: i)) }
        return t
    }

    /// True when output `i` exists and someone uses it.
    public func wantsOutput(_ i: Int) -> Bool { i < outputSlots.count && outputSlots[i] >= 0 }

    /// Stores output `i` (ignored when nobody wants it).
    @inlinable
    public func setOutput(_ i: Int, _ tensor: Tensor) {
        guard i < outputSlots.count else { return }
        let s = outputSlots[i]
        if s >= 0 { slots[Int(s)] = tensor }
    }

    /// A fresh output tensor (contents undefined).
    @inlinable
    public func allocate(_ dataType: DataType, _ shape: [Int]) throws(OpError) -> Tensor {
        do { return try allocator.allocate(dataType, shape: shape) } catch { throw OpError(error) }
    }

    /// `t` itself when dense, else a dense copy of its valid rows from this evaluation's allocator
    /// (for ops accepting padded inputs that handle some cases by copying).
    public func dense(_ t: Tensor) throws(OpError) -> Tensor {
        if t.isDense { return t }
        let out = try allocate(t.dataType, t.shape)
        t.copyDense(to: out.data)
        return out
    }
}

extension Operator {
    /// Evaluates the op on `inputs` outside any plan (constant folding, tests). Returns
    /// `outputCount` tensors; throws if the op left one unset. Padded inputs are densified first
    /// unless the op `acceptsPaddedInputs`.
    public func evaluate(_ inputs: [Tensor?], outputCount: Int, allocator: TensorAllocator = HeapAllocator(),
                         subgraphs: SubgraphRunner? = nil) throws(OpError) -> [Tensor] {
        let slots = UnsafeMutablePointer<Tensor?>.allocate(capacity: inputs.count + outputCount)
        slots.initialize(repeating: nil, count: inputs.count + outputCount)
        defer {
            slots.deinitialize(count: inputs.count + outputCount)
            slots.deallocate()
        }
        var inputSlots: [Int32] = []
        for (i, t) in inputs.enumerated() {
            if let t, !t.isDense, !Self.acceptsPaddedInputs {
                do { slots[i] = try t.densified() } catch { throw OpError(error) }
            } else {
                slots[i] = t
            }
            inputSlots.append(t == nil ? -1 : Int32(i))
        }
        let outputSlots = (0..<outputCount).map { Int32(inputs.count + $0) }
        try inputSlots.withUnsafeBufferPointer { (ins) throws(OpError) in
            try outputSlots.withUnsafeBufferPointer { (outs) throws(OpError) in
                var io = OpIO(slots: slots, inputSlots: ins, outputSlots: outs, allocator: allocator, subgraphs: subgraphs)
                try evaluate(&io)
            }
        }
        var results: [Tensor] = []
        for i in 0..<outputCount {
            guard let t = slots[inputs.count + i] else { throw OpError.value("output #\(i) was not produced") }
            results.append(t)
        }
        return results
    }
}
