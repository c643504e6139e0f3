import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

/// Large `raw_data` payloads are cut out before protobuf-c unpacks the model (`RawDataSplit`) and
/// read into tensor storage (`RawPayloads`): the tensors hold exactly the bytes written, wherever
/// the tensor sits (initializer, Constant attribute, subgraph initializer), from a file or bytes.
@Suite struct RawDataSplitTests {
    /// Protobuf wire encoding, just enough to write ModelProtos by hand.
    struct Wire {
        var bytes: [UInt8] = []
        mutating func int(_ field: UInt64, _ value: UInt64) { bytes += varint(field << 3) + varint(value) }
        mutating func data(_ field: UInt64, _ payload: [UInt8]) {
            bytes += varint(field << 3 | 2) + varint(UInt64(payload.count)) + payload
        }
        mutating func string(_ field: UInt64, _ s: String) { data(field, Array(s.utf8)) }
        mutating func message(_ field: UInt64, _ m: Wire) { data(field, m.bytes) }
    }

    /// TensorProto: dims (1), data_type (2), name (8), raw_data (9).
    static func tensor(_ name: String, _ dataType: DataType, _ dims: [Int], raw: [UInt8]) -> Wire {
        var t = Wire()
        for d in dims { t.int(1, UInt64(d)) }
        t.int(2, UInt64(dataType.rawValue))
        t.string(8, name)
        t.data(9, raw)
        return t
    }

    /// NodeProto: input (1), output (2), name (3), op_type (4), attribute (5).
    static func node(_ op: String, _ inputs: [String], _ outputs: [String], attributes: [Wire] = []) -> Wire {
        var n = Wire()
        for i in inputs { n.string(1, i) }
        for o in outputs { n.string(2, o) }
        n.string(3, op.lowercased())
        n.string(4, op)
        for a in attributes { n.message(5, a) }
        return n
    }

    /// GraphProto: node (1), name (2), initializer (5), input (11), output (12) (ValueInfoProto.name (1)).
    static func graph(_ name: String, nodes: [Wire], initializers: [Wire], inputs: [String], outputs: [String]) -> Wire {
        var g = Wire()
        for n in nodes { g.message(1, n) }
        g.string(2, name)
        for t in initializers { g.message(5, t) }
        for (field, names) in [(UInt64(11), inputs), (12, outputs)] {
            for name in names {
                var v = Wire()
                v.string(1, name)
                g.message(field, v)
            }
        }
        return g
    }

    /// ModelProto: ir_version (1) 8, opset_import (8) "" 17, graph (7).
    static func model(_ graph: Wire) -> [UInt8] {
        var m = Wire()
        m.int(1, 8)
        var opset = Wire()
        opset.string(1, "")
        opset.int(2, 17)
        m.message(8, opset)
        m.message(7, graph)
        return m.bytes
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    // Payloads of the sample model, each written once and compared byte for byte.
    static let w = randomBytes(512 * 1024 * 4, seed: 1)     // float [512, 1024], 2 MiB
    static let v = randomBytes(3 * 1024 * 1024, seed: 2)    // uint8 [3 MiB]
    static let small = randomBytes(12, seed: 3)             // float [3]: stays with protobuf-c
    static let edge = randomBytes(RawDataSplit.threshold, seed: 4)   // uint8 at the threshold
    static let q = randomBytes(4501, seed: 5)               // int4 [9001], packed
    static let flags = randomBytes(5000, seed: 6)           // bool [5000], any nonzero is true
    static let c = randomBytes(3000 * 4, seed: 7)           // Constant's float [3000]
    static let t = randomBytes(2048 * 4, seed: 8)           // subgraph initializer float [2048]
    static let sparseValues = randomBytes(1200 * 4, seed: 12)  // sparse initializer: float [1200] values
    static let sparseIndices: [UInt8] = (0..<1200).flatMap { i in withUnsafeBytes(of: Int64(i * 4).littleEndian, Array.init) }

    /// A ~5 MiB model: nine large payloads (initializers, a Constant attribute, an `If` branch's
    /// initializer, a sparse initializer's values and indices) and one small one.
    static let sample: [UInt8] = {
        var value = Wire()
        value.string(1, "value")
        value.message(5, tensor("c", .float, [3000], raw: c))
        value.int(20, 4)                                                      // type TENSOR
        func branch(_ name: String, _ initializers: [Wire]) -> Wire {
            var a = Wire()
            a.string(1, name)
            let source = initializers.isEmpty ? "w" : "t"
            a.message(6, graph(name, nodes: [node("Identity", [source], ["\(name)_out"])],
                               initializers: initializers, inputs: [], outputs: ["\(name)_out"]))
            a.int(20, 5)                                                      // type GRAPH
            return a
        }
        let nodes = [
            node("Constant", [], ["c_out"], attributes: [value]),
            node("Identity", ["w"], ["y"]),
            node("If", ["cond"], ["z"], attributes: [branch("then_branch", [tensor("t", .float, [2048], raw: t)]),
                                                    branch("else_branch", [])]),
        ]
        let initializers = [
            tensor("w", .float, [512, 1024], raw: w), tensor("v", .uint8, [v.count], raw: v),
            tensor("small", .float, [3], raw: small), tensor("edge", .uint8, [edge.count], raw: edge),
            tensor("q", .int4, [9001], raw: q), tensor("flags", .bool, [flags.count], raw: flags),
        ]
        var g = graph("big", nodes: nodes, initializers: initializers, inputs: ["cond"], outputs: ["y", "c_out", "z"])
        var sparse = Wire()                                                   // SparseTensorProto
        sparse.message(1, tensor("s", .float, [1200], raw: sparseValues))     // values
        sparse.message(2, tensor("", .int64, [1200], raw: sparseIndices))    // indices (linear)
        sparse.int(3, 5000)                                                   // dims
        g.message(15, sparse)                                                 // GraphProto.sparse_initializer
        return model(g)
    }()

    static func bytes(_ tensor: Tensor?) -> [UInt8] {
        guard let tensor else { return [] }
        return Array(UnsafeRawBufferPointer(start: tensor.data, count: tensor.byteCount))
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], _ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxrun-rawsplit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    static func removeFile(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    @Test func splitCutsLargePayloadsOnly() throws {
        let split = try withBytes(Self.sample) { (b) throws(LoadError) in try RawDataSplit(b, nonce: 7) }
        // w, v, edge, q, flags, Constant's c, then-branch's t, sparse values and indices; not `small`.
        #expect(split.spans.count == 9)
        #expect(split.spans.map(\.length).sorted() == [Self.edge.count, Self.q.count, Self.flags.count, Self.t.count,
                                                        Self.c.count, Self.w.count, Self.v.count,
                                                        Self.sparseValues.count, Self.sparseIndices.count].sorted())
        let skeleton = try #require(split.skeleton)
        #expect(skeleton.count < 1024)
        // Spans point at the payload bytes of the input.
        let first = try #require(split.spans.first { $0.length == Self.w.count })
        #expect(Array(Self.sample[first.offset..<(first.offset + first.length)]) == Self.w)
    }

    @Test func markersNeedThisLoadsNonce() throws {
        let split = try withBytes(Self.sample) { (b) throws(LoadError) in try RawDataSplit(b, nonce: 0x1234) }
        func marker(_ nonce: UInt64, _ index: UInt64) -> [UInt8] {
            withUnsafeBytes(of: nonce.littleEndian, Array.init) + withUnsafeBytes(of: index.littleEndian, Array.init)
        }
        #expect(marker(0x1234, 0).withUnsafeBytes { split.span(marker: $0) } == split.spans[0])
        #expect(marker(0x1235, 0).withUnsafeBytes { split.span(marker: $0) } == nil)
        #expect(marker(0x1234, UInt64(split.spans.count)).withUnsafeBytes { split.span(marker: $0) } == nil)
        #expect(Array(marker(0x1234, 0).dropLast()).withUnsafeBytes { split.span(marker: $0) } == nil)
    }

    @Test func nothingToCutKeepsTheInput() throws {
        let split = try withBytes(Fixture.bytes("if.onnx")) { (b) throws(LoadError) in try RawDataSplit(b) }
        #expect(split.skeleton == nil && split.spans.isEmpty)
    }

    @Test(arguments: [true, false])
    func largeTensorsHoldTheirBytes(fromFile: Bool) throws {
        let model: Model
        if fromFile {
            let path = try Self.temporaryFile(Self.sample, "big.onnx")
            defer { Self.removeFile(path) }
            model = try ModelLoader.load(path: path)
        } else {
            model = try withBytes(Self.sample) { (b) throws(LoadError) in
                try ModelLoader.load(bytes: b, name: "big", baseDirectory: nil)
            }
        }
        let g = model.graph
        #expect(Self.bytes(g.initializers["w"]) == Self.w)
        #expect(g.initializers["w"]?.shape == [512, 1024] && g.initializers["w"]?.dataType == .float)
        #expect(Self.bytes(g.initializers["v"]) == Self.v)
        #expect(Self.bytes(g.initializers["small"]) == Self.small)
        #expect(Self.bytes(g.initializers["edge"]) == Self.edge)
        for name in ["w", "v", "edge"] {
            let tensor = try #require(g.initializers[name])
            #expect(Int(bitPattern: tensor.data) % TensorStorage.alignment == 0)
        }
        // int4: low nibble first, sign-extended; bool: nonzero is 1.
        let int4 = (0..<9001).map { i -> UInt8 in
            let nibble = (i & 1 == 0 ? Self.q[i >> 1] : Self.q[i >> 1] >> 4) & 0x0F
            return UInt8(bitPattern: Int8(bitPattern: nibble << 4) >> 4)
        }
        #expect(Self.bytes(g.initializers["q"]) == int4)
        #expect(Self.bytes(g.initializers["flags"]) == Self.flags.map { $0 != 0 ? 1 : 0 })
        let constant = try #require(g.nodes.first { $0.opType == "Constant" })
        guard case .tensor(let c)? = constant.attributes["value"] else { Issue.record("no Constant value"); return }
        #expect(Self.bytes(c) == Self.c && c.shape == [3000])
        let ifNode = try #require(g.nodes.first { $0.opType == "If" })
        guard case .graph(let then)? = ifNode.attributes["then_branch"] else { Issue.record("no then_branch"); return }
        #expect(Self.bytes(then.initializers["t"]) == Self.t)
        // Sparse: value k lands at element 4k of float [5000], zeros elsewhere.
        var dense = [UInt8](repeating: 0, count: 5000 * 4)
        for k in 0..<1200 { dense.replaceSubrange((16 * k)..<(16 * k + 4), with: Self.sparseValues[(4 * k)..<(4 * k + 4)]) }
        #expect(Self.bytes(g.initializers["s"]) == dense)
    }

    /// A raw_data whose length runs past the end of the file: the loader names the file and the
    /// byte where the field starts, and reads nothing past the end.
    @Test func rawDataPastEndOfFile() throws {
        // Enclosing lengths intact, raw_data's own length 1 MiB past its tensor and the file.
        let name = Array("w".utf8)
        var tensor: [UInt8] = [0x10, 0x01] + [0x42] + varint(UInt64(name.count)) + name   // data_type 1, name
        let rawStart = tensor.count
        tensor += [0x4A] + varint(1 << 20) + Self.randomBytes(5000, seed: 9)            // raw_data: 5000 of 1 MiB
        var graph = Wire()
        graph.data(5, tensor)
        let bytes = Self.model(graph)
        let path = try Self.temporaryFile(bytes, "past_end.onnx")
        defer { Self.removeFile(path) }
        let error = loadError { () throws(LoadError) in try ModelLoader.load(path: path) }
        guard case .truncated(let offset)? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        let tensorStart = bytes.count - tensor.count
        #expect(offset == tensorStart + rawStart)
        #expect(error?.context == [path])

        // The file cut inside the payload of a large raw_data.
        let cut = Array(Self.sample.prefix(Self.sample.count / 2))
        let cutPath = try Self.temporaryFile(cut, "cut.onnx")
        defer { Self.removeFile(cutPath) }
        let cutError = loadError { () throws(LoadError) in try ModelLoader.load(path: cutPath) }
        guard case .truncated(let at)? = cutError?.kind else { Issue.record("got \(String(describing: cutError))"); return }
        #expect(at < cut.count)
        #expect(cutError?.description.hasPrefix("\(cutPath): input ends inside the field at byte") == true)
    }

    /// Single-byte corruptions of the sample's wire structure (never inside a payload): each load
    /// succeeds or throws, none crashes or reads out of bounds.
    @Test func corruptedStructure() throws {
        let original = Self.sample
        let split = try withBytes(original) { (b) throws(LoadError) in try RawDataSplit(b) }
        let payloads = split.spans.map { $0.offset..<($0.offset + $0.length) }
        var rng = SplitMix64(seed: 99)
        var tried = 0
        while tried < 120 {
            let i = Int(rng.next() % UInt64(original.count))
            guard !payloads.contains(where: { $0.contains(i) }) else { continue }
            tried += 1
            var bytes = original
            bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            _ = loadError { () throws(LoadError) in
                try withBytes(bytes) { (b) throws(LoadError) in try ModelLoader.load(bytes: b, name: "c", baseDirectory: nil) }
            }
        }
    }

    /// A large raw_data of the wrong size for its dims fails naming the tensor and the payload's byte.
    @Test func largeRawDataOfWrongSize() throws {
        var graph = Wire()
        graph.message(5, Self.tensor("w", .float, [1000], raw: Self.randomBytes(8192, seed: 10)))
        graph.string(2, "g")
        let bytes = Self.model(graph)
        let error = loadError { () throws(LoadError) in
            try withBytes(bytes) { (b) throws(LoadError) in try ModelLoader.load(bytes: b, name: "m", baseDirectory: nil) }
        }
        #expect(error?.kind == .tensorDataSize(expected: 4000, actual: 8192))
        let split = try withBytes(bytes) { (b) throws(LoadError) in try RawDataSplit(b) }
        let offset = try #require(split.spans.first?.offset)
        #expect(error?.context == ["m", "graph 'g'", "tensor 'w'", "raw_data at byte \(offset)"])
    }

    /// A file that shrinks after it was mapped gives an error on read, not SIGBUS.
    @Test func readPastShrunkFileThrows() throws {
        let path = try Self.temporaryFile(Self.randomBytes(3 * 4096, seed: 11), "shrink.bin")
        defer { Self.removeFile(path) }
        let file = try MappedFile(path: path, keepDescriptor: true)
        #expect(truncate(path, 4096) == 0)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8192, alignment: 64)
        defer { buffer.deallocate() }
        let error = loadError { () throws(LoadError) in try file.read(at: 2048, count: 8192, into: buffer) }
        #expect(error?.kind == .truncated(offset: 4096))
    }
}
