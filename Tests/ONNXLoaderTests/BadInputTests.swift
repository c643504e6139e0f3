import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

/// Bad input gets a typed error that says what and where, and never a crash.
@Suite struct BadInputTests {
    static func load(_ file: String) -> LoadError? {
        loadError { () throws(LoadError) in try ModelLoader.load(path: Fixture.path(file)) }
    }

    static func load(bytes: [UInt8], name: String = "mem") -> LoadError? {
        loadError { () throws(LoadError) in
            try withBytes(bytes) { (b) throws(LoadError) in try ModelLoader.load(bytes: b, name: name, baseDirectory: nil) }
        }
    }

    @Test func missingFile() {
        let error = Self.load("does_not_exist.onnx")
        guard case .cannotOpen? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.context == [Fixture.path("does_not_exist.onnx")])
    }

    @Test func truncatedFile() {
        let bytes = Fixture.bytes("initializers.onnx")
        for cut in [bytes.count / 2, bytes.count - 1, 3] {
            let error = Self.load(bytes: Array(bytes.prefix(cut)), name: "cut")
            guard case .truncated(let offset)? = error?.kind else {
                Issue.record("cut at \(cut): got \(String(describing: error))")
                continue
            }
            #expect(offset < cut)
            #expect(error?.description.hasPrefix("cut: input ends inside the field at byte") == true)
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 42)
        for length in [1, 2, 7, 64, 1000, 4096] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                // Any typed error will do; most are malformed or truncated wire format.
                _ = Self.load(bytes: bytes)
            }
        }
        let fixed: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        guard case .malformed(let offset)? = Self.load(bytes: fixed)?.kind else {
            Issue.record("over-long varint accepted")
            return
        }
        #expect(offset == 0)
    }

    /// Single-byte corruptions of valid models: each loads or throws, none crashes.
    @Test(arguments: ["function.onnx", "if.onnx", "symbolic.onnx", "initializers.onnx"])
    func corruptedBytes(_ file: String) {
        let original = Fixture.bytes(file)
        var rng = SplitMix64(seed: UInt64(original.count))
        for _ in 0..<300 {
            var bytes = original
            let i = Int(rng.next() % UInt64(bytes.count))
            bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            _ = Self.load(bytes: bytes)
        }
    }

    /// 3000 nested Graph → Node → Attribute(g) levels crash protobuf-c's recursive unpack; the
    /// guard must reject them first.
    @Test func deeplyNestedSubgraphs() {
        func field(_ number: UInt64, _ payload: [UInt8]) -> [UInt8] {
            varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload
        }
        var graph: [UInt8] = []
        for _ in 0..<3000 {
            let attribute = field(1, Array("g".utf8)) + field(6, graph)   // AttributeProto.name, .g
            let node = field(4, Array("If".utf8)) + field(5, attribute)     // NodeProto.op_type, .attribute
            graph = field(1, node)                                          // GraphProto.node
        }
        let model = [0x08, 0x0a] + field(7, graph)                          // ir_version 10, graph
        #expect(model.count > 30_000)
        let error = Self.load(bytes: model)
        guard case .tooDeep(let limit, let offset)? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(limit == 100 && offset > 0 && offset < model.count)
    }

    @Test func undefinedValue() {
        let error = Self.load("bad_undefined_value.onnx")
        #expect(error?.kind == .graph(.undefinedValue("nowhere")))
        #expect(error?.context == [Fixture.path("bad_undefined_value.onnx"), "graph 'undefined'", "node 'reads_undefined' (Add)"])
    }

    @Test func cycle() {
        let error = Self.load("bad_cycle.onnx")
        guard case .graph(.cycle(let nodes))? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(Set(nodes).isSuperset(of: ["first", "second"]))
        #expect(error?.context.contains("graph 'cyclic'") == true)
    }

    @Test func unsupportedIRVersion() {
        #expect(Self.load("bad_ir_version.onnx")?.kind == .unsupportedIRVersion(15))
    }

    @Test func negativeDimsInInitializer() {
        let error = Self.load("bad_negative_dims.onnx")
        #expect(error?.kind == .negativeDimension([-4]))
        #expect(error?.context == [Fixture.path("bad_negative_dims.onnx"), "graph 'negdims'", "tensor 'w'"])
    }

    @Test(arguments: [
        ("bad_external_dotdot.onnx", "'..'"),
        ("bad_external_absolute.onnx", "absolute path"),
        ("bad_external_past_end.onnx", "past the end of 'external.bin' (112 bytes)"),
        ("bad_external_missing.onnx", "No such file"),
    ])
    func badExternalData(_ file: String, _ detail: String) {
        let error = Self.load(file)
        guard case .externalData(let why)? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(why.contains(detail), "\(why)")
        #expect(error?.context == [Fixture.path(file), "graph 'ext'", "tensor 'w'"])
    }

    @Test func duplicateInitializer() throws {
        let error = Self.load("bad_duplicate_initializer.onnx")
        #expect(error?.kind == .graph(.duplicateDefinition("w")))
        #expect(error?.context == [Fixture.path("bad_duplicate_initializer.onnx"), "graph 'dup'", "initializer 'w'"])
    }

    /// A model without `ir_version` (field 1, the first two bytes as onnx writes them) still loads.
    @Test func missingIRVersionIsLenient() throws {
        let bytes = Fixture.bytes("symbolic.onnx")
        #expect(bytes.first == 0x08)
        let model = try withBytes(Array(bytes.dropFirst(2))) { (b) throws(LoadError) in
            try ModelLoader.load(bytes: b, name: "no_ir", baseDirectory: nil)
        }
        #expect(model.irVersion == 0 && model.graph.nodes.count == 3)
    }

    @Test func descriptionIsOneLine() {
        let error = LoadError(.missingField("graph"), context: ["a\nb.onnx", "graph 'g\r\n'"])
        #expect(error.description == "a b.onnx: graph 'g ': required field 'graph' is missing")
    }

    @Test func emptyInputHasNoGraph() {
        #expect(Self.load(bytes: [])?.kind == .missingField("graph"))
    }
}

func varint(_ v: UInt64) -> [UInt8] {
    var v = v, out: [UInt8] = []
    while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
    out.append(UInt8(v))
    return out
}

/// A small deterministic generator for test inputs.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
