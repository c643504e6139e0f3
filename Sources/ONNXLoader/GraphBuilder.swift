import COnnxProto
import ONNXGraph

/// How value names and attribute references resolve where nodes are built: as they are in a
/// model's graphs, or renamed and substituted inside an inlined function body.
struct Scope {
    /// Formal parameter → actual name; nil outside function bodies (names are kept).
    var renames: [String: String]?
    /// Prepended to every other name inside a function body, making it unique in the model.
    var prefix = ""
    /// Attribute values a function call supplies (caller's values over `attribute_proto` defaults);
    /// nil outside function bodies, where `ref_attr_name` is invalid.
    var attributes: [String: AttributeValue]?
    /// Functions being inlined, outermost first (for recursion detection and the depth bound).
    var callStack: [String] = []

    static let model = Scope()

    func name(_ n: String) -> String {
        guard let renames, !n.isEmpty else { return n }
        return renames[n] ?? prefix + n
    }
}

/// GraphProto → `Graph` for one model load: value infos, initializers (dense and sparse), nodes
/// with all attribute types, subgraphs (recursively, depth-bounded) and model-local function calls
/// replaced by their bodies.
final class GraphBuilder {
    let external: ExternalFiles
    let functions: FunctionTable
    /// Deepest chain of nested function calls inlined.
    static let maximumInlineDepth = 32
    /// Most nodes all inlining together may produce (guards against exponential call trees).
    static let maximumInlinedNodes = 1 << 22
    private var inlinedNodes = 0
    private var callCounter = 0

    init(external: ExternalFiles, functions: FunctionTable) {
        self.external = external
        self.functions = functions
    }

    /// Builds `gp`; errors carry `graph '<name>'` in their context. `depth` counts enclosing graphs.
    func graph(_ gp: UnsafeMutablePointer<Onnx__GraphProto>, scope: Scope, depth: Int) throws(LoadError) -> Graph {
        let g = gp.pointee
        do throws(LoadError) {
            guard depth <= Graph.maximumNestingDepth else {
                throw LoadError(.graph(.nestingTooDeep(limit: Graph.maximumNestingDepth)))
            }
            let graph = Graph(name: str(g.name), docString: str(g.doc_string),
                              metadata: entries(g.metadata_props, g.n_metadata_props))
            graph.inputs = try items(g.input, g.n_input).map { (v) throws(LoadError) in try valueInfo(v, scope) }
            graph.outputs = try items(g.output, g.n_output).map { (v) throws(LoadError) in try valueInfo(v, scope) }
            for v in items(g.value_info, g.n_value_info) {
                if let t = try valueInfo(v, scope).type { graph.valueInfo[scope.name(str(v.pointee.name))] = t }
            }
            func add(_ name: String, _ tensor: Tensor) throws(LoadError) {
                guard graph.initializers[name] == nil else {
                    throw LoadError(.graph(.duplicateDefinition(name)), context: ["initializer '\(name)'"])
                }
                graph.addInitializer(name, tensor)
            }
            for tp in items(g.initializer, g.n_initializer) {
                try add(scope.name(str(tp.pointee.name)), try TensorConverter.tensor(tp, external: external))
            }
            for sp in items(g.sparse_initializer, g.n_sparse_initializer) {
                let (name, tensor) = try SparseTensor.densify(sp, external: external)
                try add(scope.name(name), tensor)
            }
            var nodes: [Node] = []
            nodes.reserveCapacity(g.n_node)
            for np in items(g.node, g.n_node) { try appendNode(np, scope: scope, depth: depth, into: &nodes) }
            graph.nodes = nodes
            return graph
        } catch {
            throw error.within("graph '\(str(g.name))'")
        }
    }

    private func valueInfo(_ v: UnsafeMutablePointer<Onnx__ValueInfoProto>, _ scope: Scope) throws(LoadError) -> ValueInfo {
        let name = str(v.pointee.name)
        do throws(LoadError) {
            let type: TensorType? = v.pointee.type == nil ? .unknown : try Types.tensorType(v.pointee.type)
            return ValueInfo(name: scope.name(name), type: type, docString: str(v.pointee.doc_string))
        } catch { throw error.within("value '\(name)'") }
    }

    /// Converts one NodeProto into `nodes`: a node, or the inlined body of a model-local function.
    func appendNode(_ np: UnsafeMutablePointer<Onnx__NodeProto>, scope: Scope, depth: Int,
                    into nodes: inout [Node]) throws(LoadError) {
        let n = np.pointee
        let opType = str(n.op_type), domain = Node.normalizedDomain(str(n.domain)), name = str(n.name)
        let label = "node '\(name)' (\(domain.isEmpty ? opType : domain + "::" + opType))"
        do throws(LoadError) {
            guard !opType.isEmpty else { throw LoadError(.missingField("op_type")) }
            let inputs = strings(n.input, n.n_input).map(scope.name)
            let outputs = strings(n.output, n.n_output).map(scope.name)
            var attributes: [String: AttributeValue] = [:]
            for ap in items(n.attribute, n.n_attribute) {
                let attrName = str(ap.pointee.name)
                if let value = try attribute(ap, scope: scope, depth: depth) { attributes[attrName] = value }
            }
            if let function = functions.lookup(domain: domain, opType: opType, overload: str(n.overload)) {
                try inline(function, name: name, inputs: inputs, outputs: outputs, attributes: attributes,
                           scope: scope, depth: depth, into: &nodes)
                return
            }
            let nodeName = scope.renames == nil || name.isEmpty ? name : scope.prefix + name
            nodes.append(Node(name: nodeName, opType: opType, domain: domain, inputs: inputs, outputs: outputs,
                              attributes: attributes, docString: str(n.doc_string)))
        } catch {
            throw error.within(label)
        }
    }

    // MARK: function inlining

    /// Appends `function`'s body with its formal inputs and outputs renamed to the call's actual
    /// names, every internal name made unique with a per-call prefix, and `ref_attr_name`
    /// attributes replaced by the call's values (or the function's defaults, or dropped).
    private func inline(_ function: UnsafeMutablePointer<Onnx__FunctionProto>, name: String, inputs: [String],
                        outputs: [String], attributes: [String: AttributeValue], scope: Scope, depth: Int,
                        into nodes: inout [Node]) throws(LoadError) {
        let f = function.pointee
        let fname = FunctionTable.describe(domain: str(f.domain), name: str(f.name), overload: str(f.overload))
        guard !scope.callStack.contains(fname) else {
            throw LoadError(.functionInlining("\(fname) calls itself (\((scope.callStack + [fname]).joined(separator: " → ")))"))
        }
        guard scope.callStack.count < GraphBuilder.maximumInlineDepth else {
            throw LoadError(.functionInlining("calls nest deeper than \(GraphBuilder.maximumInlineDepth) functions"))
        }
        let formalIn = strings(f.input, f.n_input), formalOut = strings(f.output, f.n_output)
        guard inputs.count <= formalIn.count, outputs.count <= formalOut.count else {
            throw LoadError(.functionInlining(
                "\(fname) takes \(formalIn.count) inputs and \(formalOut.count) outputs, the call has \(inputs.count) and \(outputs.count)"))
        }
        inlinedNodes += f.n_node
        guard inlinedNodes <= GraphBuilder.maximumInlinedNodes else {
            throw LoadError(.functionInlining("inlining produces more than \(GraphBuilder.maximumInlinedNodes) nodes"))
        }
        callCounter += 1
        let prefix = "\(str(f.name))#\(callCounter)/"
        var renames: [String: String] = [:]
        for (i, formal) in formalIn.enumerated() where !formal.isEmpty {
            renames[formal] = i < inputs.count ? inputs[i] : ""
        }
        // A formal output that is also a formal input is passed through by an Identity.
        var passThrough: [(String, String)] = []
        for (j, formal) in formalOut.enumerated() where !formal.isEmpty {
            let actual = j < outputs.count && !outputs[j].isEmpty ? outputs[j] : prefix + formal
            if let input = renames[formal] { passThrough.append((input, actual)) } else { renames[formal] = actual }
        }
        var values: [String: AttributeValue] = [:]
        let defaultsScope = Scope(callStack: scope.callStack + [fname])
        for ap in items(f.attribute_proto, f.n_attribute_proto) {
            if let v = try attribute(ap, scope: defaultsScope, depth: depth) { values[str(ap.pointee.name)] = v }
        }
        values.merge(attributes) { _, caller in caller }
        let body = Scope(renames: renames, prefix: prefix, attributes: values, callStack: scope.callStack + [fname])
        for np in items(f.node, f.n_node) { try appendNode(np, scope: body, depth: depth, into: &nodes) }
        for (input, actual) in passThrough {
            nodes.append(Node(name: prefix + "passthrough", opType: "Identity", inputs: [input], outputs: [actual]))
        }
    }

    // MARK: attributes

    /// The attribute's value; nil for a `ref_attr_name` the function call leaves unset.
    func attribute(_ ap: UnsafeMutablePointer<Onnx__AttributeProto>, scope: Scope, depth: Int) throws(LoadError) -> AttributeValue? {
        let a = ap.pointee
        let name = str(a.name)
        do throws(LoadError) {
            if let ref = a.ref_attr_name, ref.pointee != 0 {
                guard let values = scope.attributes else {
                    throw LoadError(.invalidAttribute(name: name, why: "refers to '\(str(ref))' outside a function body"))
                }
                return values[str(ref)]
            }
            return try value(a, scope: scope, depth: depth)
        } catch { throw error.within("attribute '\(name)'") }
    }

    private func value(_ a: Onnx__AttributeProto, scope: Scope, depth: Int) throws(LoadError) -> AttributeValue {
        let name = str(a.name)
        func list<T, R>(_ p: UnsafeMutablePointer<T>?, _ n: Int, _ f: (T) throws(LoadError) -> R) throws(LoadError) -> [R] {
            guard let p, n > 0 else { return [] }
            var out: [R] = []
            out.reserveCapacity(n)
            for i in 0..<n { out.append(try f(p[i])) }
            return out
        }
        func tensor(_ t: UnsafeMutablePointer<Onnx__TensorProto>?) throws(LoadError) -> Tensor {
            guard let t else { throw LoadError(.invalidAttribute(name: name, why: "tensor missing")) }
            return try TensorConverter.tensor(t, external: external)
        }
        func sparse(_ s: UnsafeMutablePointer<Onnx__SparseTensorProto>?) throws(LoadError) -> Tensor {
            guard let s else { throw LoadError(.invalidAttribute(name: name, why: "sparse tensor missing")) }
            return try SparseTensor.densify(s, external: external).tensor
        }
        func subgraph(_ g: UnsafeMutablePointer<Onnx__GraphProto>?) throws(LoadError) -> Graph {
            guard let g else { throw LoadError(.invalidAttribute(name: name, why: "graph missing")) }
            return try graph(g, scope: scope, depth: depth + 1)
        }
        func type(_ t: UnsafeMutablePointer<Onnx__TypeProto>?) throws(LoadError) -> TensorType {
            try Types.tensorType(t) ?? .unknown
        }
        switch Types.attributeType(a) {
        case 1: return .float(a.f)
        case 2: return .int(Int(a.i))
        case 3: return .string(str(a.s))
        case 4: return .tensor(try tensor(a.t))
        case 5: return .graph(try subgraph(a.g))
        case 11: return .sparseTensor(try sparse(a.sparse_tensor))
        case 13: return .type(try type(a.tp))
        case 6: return .floats(try list(a.floats, a.n_floats) { $0 })
        case 7: return .ints(try list(a.ints, a.n_ints) { Int($0) })
        case 8: return .strings(try list(a.strings, a.n_strings) { str($0) })
        case 9: return .tensors(try list(a.tensors, a.n_tensors) { (t) throws(LoadError) in try tensor(t) })
        case 10: return .graphs(try list(a.graphs, a.n_graphs) { (g) throws(LoadError) in try subgraph(g) })
        case 12: return .sparseTensors(try list(a.sparse_tensors, a.n_sparse_tensors) { (s) throws(LoadError) in try sparse(s) })
        case 14: return .types(try list(a.type_protos, a.n_type_protos) { (t) throws(LoadError) in try type(t) })
        case 0: throw LoadError(.invalidAttribute(name: name, why: "no type and no value"))
        case let t: throw LoadError(.invalidAttribute(name: name, why: "unknown attribute type \(t)"))
        }
    }
}
