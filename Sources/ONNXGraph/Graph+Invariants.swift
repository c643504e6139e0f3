extension Graph {
    /// Deepest subgraph nesting any walker in this runtime follows.
    public static let maximumNestingDepth = 100

    /// Checks that every value is defined once, every node input is defined earlier (here or in
    /// `outerScope`), every output is produced, and recorded facts agree with initializers.
    /// Recurses into subgraphs. Run after every change in debug builds and tests.
    public func checkInvariants(outerScope: Set<String> = [], depth: Int = 0) throws(GraphError) {
        guard depth <= Graph.maximumNestingDepth else { throw GraphError(.nestingTooDeep(limit: Graph.maximumNestingDepth)) }
        let where_ = "graph '\(name)'"
        var defined = Set<String>()
        func define(_ v: String) throws(GraphError) {
            guard defined.insert(v).inserted else { throw GraphError(.duplicateDefinition(v), context: [where_]) }
        }
        for i in inputs { try define(i.name) }
        for n in initializerOrder where !defined.contains(n) { try define(n) }
        for (index, node) in nodes.enumerated() {
            for i in node.inputs where !i.isEmpty && !defined.contains(i) && !outerScope.contains(i) {
                throw GraphError(.undefinedValue(i), context: [where_, node.label + " #\(index)"])
            }
            for sub in node.subgraphs {
                do { try sub.checkInvariants(outerScope: outerScope.union(defined), depth: depth + 1) }
                catch { throw error.within(node.label).within(where_) }
            }
            for o in node.outputs where !o.isEmpty {
                do { try define(o) } catch { throw error.within(node.label) }
            }
        }
        for o in outputs where !defined.contains(o.name) && !outerScope.contains(o.name) {
            throw GraphError(.undefinedOutput(o.name), context: [where_])
        }
        for (n, t) in initializers {
            if let fact = valueInfo[n], let dt = fact.dataType, dt != t.dataType {
                throw GraphError(.inconsistentFact(value: n, detail: "fact says \(fact), initializer is \(t.type)"),
                                 context: [where_])
            }
        }
    }

    /// Debug builds check invariants after a change; release builds skip it.
    @inlinable
    public func debugCheckInvariants(outerScope: Set<String> = []) throws(GraphError) {
        #if DEBUG
        try checkInvariants(outerScope: outerScope)
        #endif
    }

    /// Reorders `nodes` topologically (stable: file order among ready nodes). Values not defined in
    /// this graph must be in `outerScope`. Throws `undefinedValue` or `cycle` naming the nodes.
    public func sortTopologically(outerScope: Set<String> = []) throws(GraphError) {
        var producer: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for o in node.outputs where !o.isEmpty {
                guard producer.updateValue(i, forKey: o) == nil else {
                    throw GraphError(.duplicateDefinition(o), context: ["graph '\(name)'", node.label])
                }
            }
        }
        let available = Set(inputs.map(\.name)).union(initializers.keys).union(outerScope)
        var consumers = Array(repeating: [Int](), count: nodes.count)
        var pending = Array(repeating: 0, count: nodes.count)
        for (i, node) in nodes.enumerated() {
            var reads = Set(node.inputs.filter { !$0.isEmpty })
            for sub in node.subgraphs { reads.formUnion(sub.capturedValues) }
            for r in reads {
                if let p = producer[r] {
                    if p == i { throw GraphError(.cycle(nodes: [node.name]), context: ["graph '\(name)'"]) }
                    consumers[p].append(i)
                    pending[i] += 1
                } else if !available.contains(r) {
                    throw GraphError(.undefinedValue(r), context: ["graph '\(name)'", node.label])
                }
            }
        }
        // Kahn's algorithm; among ready nodes the earliest in file order goes first (a min-heap).
        var ready = MinHeap((0..<nodes.count).filter { pending[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let i = ready.pop() {
            order.append(i)
            for c in consumers[i] {
                pending[c] -= 1
                if pending[c] == 0 { ready.push(c) }
            }
        }
        guard order.count == nodes.count else {
            let stuck = (0..<nodes.count).filter { pending[$0] > 0 }.prefix(8).map { nodes[$0].name }
            throw GraphError(.cycle(nodes: Array(stuck)), context: ["graph '\(name)'"])
        }
        if order != Array(0..<nodes.count) { nodes = order.map { nodes[$0] } }
    }
}

/// A binary min-heap of node indices.
private struct MinHeap {
    private var items: [Int]

    init(_ sorted: [Int]) { items = sorted }  // an ascending array is already a heap

    mutating func push(_ v: Int) {
        items.append(v)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] > items[i] else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return top }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count && items[l] < items[smallest] { smallest = l }
            if r < items.count && items[r] < items[smallest] { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}
