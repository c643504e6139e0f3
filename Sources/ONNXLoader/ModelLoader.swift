import COnnxProto
import ONNXGraph

/// Loads ONNX models (`ModelProto`) into the IR.
///
/// The file is mapped, scanned by the nesting-depth guard (limit 100), unpacked with protobuf-c
/// and converted: graphs, initializers (raw, typed, sparse and external data), attributes of
/// every type including subgraphs, opset imports, metadata. Calls to model-local functions are
/// replaced by the functions' bodies. The result is sorted topologically and its invariants are
/// checked. `raw_data` of 4 KiB and more is cut out of the model before protobuf-c unpacks it
/// (`RawDataSplit`) and copied once into aligned tensor storage; external data stays mapped and is
/// viewed in place when 64-byte aligned.
public enum ModelLoader {
    /// IR versions this loader accepts (0, i.e. unset, is accepted as unknown).
    public static let supportedIRVersions = 3...14

    /// mmaps the file, runs the depth guard (limit 100), unpacks with protobuf-c, builds the IR.
    /// External data is resolved relative to the file's folder. Large `raw_data` payloads are read
    /// from the file straight into tensor storage, never through protobuf-c or the mapping.
    public static func load(path: String) throws(LoadError) -> Model {
        do {
            let file = try MappedFile(path: path, keepDescriptor: true)
            return try load(file.bytes, file: file, baseDirectory: directoryOf(path))
        } catch {
            throw error.within(path)
        }
    }

    /// Same from bytes; `baseDirectory` resolves external data (nil: external data is an error).
    /// `name` (a file name or label) begins the context of every error.
    public static func load(bytes: UnsafeRawBufferPointer, name: String, baseDirectory: String?) throws(LoadError) -> Model {
        do { return try load(bytes, file: nil, baseDirectory: baseDirectory) } catch { throw error.within(name) }
    }

    /// Guard, then `RawDataSplit`: with payloads cut out, protobuf-c unpacks the skeleton and
    /// `RawPayloads` fills the large tensors from `bytes` (read from `file` when it is their mapping).
    private static func load(_ bytes: UnsafeRawBufferPointer, file: MappedFile?,
                             baseDirectory: String?) throws(LoadError) -> Model {
        try ProtoUnpack.checkModelDepth(bytes)
        let split = try RawDataSplit(bytes)
        guard let skeleton = split.skeleton else {
            return try ProtoUnpack.withModel(bytes, guarded: true) { (mp) throws(LoadError) in
                try build(mp, external: ExternalFiles(baseDirectory: baseDirectory))
            }
        }
        // Only the skeleton is read from here on: drop the pages the scans touched.
        file?.release(0..<bytes.count)
        let external = ExternalFiles(baseDirectory: baseDirectory,
                                     payloads: RawPayloads(split, bytes: bytes, file: file))
        let result: Result<Model, LoadError> = skeleton.withUnsafeBytes { s in
            Result { () throws(LoadError) in
                try ProtoUnpack.withModel(s, guarded: true) { (mp) throws(LoadError) in try build(mp, external: external) }
            }
        }
        return try result.get()
    }

    private static func build(_ mp: UnsafeMutablePointer<Onnx__ModelProto>, external: ExternalFiles) throws(LoadError) -> Model {
        let m = mp.pointee
        let ir = m.has_ir_version != 0 ? m.ir_version : 0
        guard ir == 0 || (ir >= Int64(supportedIRVersions.lowerBound) && ir <= Int64(supportedIRVersions.upperBound)) else {
            throw LoadError(.unsupportedIRVersion(Int(clamping: ir)))
        }
        var opsets = opsetImports(m.opset_import, m.n_opset_import)
        let functionList = items(m.functions, m.n_functions)
        let functions = FunctionTable(functionList)
        guard let gp = m.graph else { throw LoadError(.missingField("graph")) }
        let builder = GraphBuilder(external: external, functions: functions)
        let graph = try builder.graph(gp, scope: .model, depth: 0)
        // Inlined bodies may use domains only their function imports.
        for f in functionList {
            for (domain, version) in opsetImports(f.pointee.opset_import, f.pointee.n_opset_import) where opsets[domain] == nil {
                opsets[domain] = version
            }
        }
        try sortAll(graph, outerScope: [])
        do { try graph.checkInvariants() } catch { throw LoadError(error) }
        return Model(irVersion: Int(ir), opsetImports: opsets, producerName: str(m.producer_name),
                     producerVersion: str(m.producer_version), domain: str(m.domain),
                     modelVersion: Int(m.model_version), docString: str(m.doc_string),
                     metadata: entries(m.metadata_props, m.n_metadata_props), graph: graph)
    }

    /// Opset version per normalized domain (`ai.onnx` → `""`).
    static func opsetImports(_ p: UnsafeMutablePointer<UnsafeMutablePointer<Onnx__OperatorSetIdProto>?>?,
                             _ n: Int) -> [String: Int] {
        var opsets: [String: Int] = [:]
        for o in items(p, n) {
            opsets[Node.normalizedDomain(str(o.pointee.domain))] = Int(clamping: o.pointee.version)
        }
        return opsets
    }

    /// Sorts `graph` and, recursively, every subgraph, each with the names visible around it.
    private static func sortAll(_ graph: Graph, outerScope: Set<String>) throws(LoadError) {
        do { try graph.sortTopologically(outerScope: outerScope) } catch { throw LoadError(error) }
        let holders = graph.nodes.filter { $0.attributes.values.contains { !$0.subgraphs.isEmpty } }
        guard !holders.isEmpty else { return }
        var visible = outerScope.union(graph.inputs.map(\.name)).union(graph.initializers.keys)
        for node in graph.nodes { visible.formUnion(node.outputs.filter { !$0.isEmpty }) }
        for node in holders {
            for sub in node.subgraphs {
                do { try sortAll(sub, outerScope: visible) }
                catch { throw error.within(node.label).within("graph '\(graph.name)'") }
            }
        }
    }
}
