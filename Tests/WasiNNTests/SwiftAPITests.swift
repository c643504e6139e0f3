import Testing
import WasiNN

/// The Swift API without WebAssembly: numbering tables, errors as `NNError`, preloading.
@Suite struct SwiftAPITests {
    @Test func numberings() {
        for t in NNTensorType.allCases {
            let code = TensorTypeNumbering.spec.code(t)
            #expect(code.flatMap { TensorTypeNumbering.spec.decode($0) } == t)
            if let legacy = TensorTypeNumbering.wasmEdgeLegacy.code(t) {
                #expect(TensorTypeNumbering.wasmEdgeLegacy.decode(legacy) == t)
            }
        }
        #expect((0...5).map { TensorTypeNumbering.spec.decode($0) } == [.f16, .f32, .f64, .u8, .i32, .i64])
        #expect((0...4).map { TensorTypeNumbering.wasmEdgeLegacy.decode($0) } == [.f16, .f32, .u8, .i32, nil])
        #expect(TensorTypeNumbering.spec.decode(6) == nil)
        #expect(TensorTypeNumbering.spec.decode(128) == .bf16 && TensorTypeNumbering.spec.decode(129) == .i8)
        #expect(TensorTypeNumbering.spec.code(of: .bool) == 0xFFFF_FFFF)
        #expect(TensorTypeNumbering.wasmEdgeLegacy.code(of: .int64) == 0xFFFF_FFFF)
        #expect(NNErrno.allCases.map(\.rawValue) == Array(0...8))
    }

    @Test func errorsCarryErrnoAndMessage() throws {
        let host = NNHost(preloaded: ["add": try Fixtures.graph("add_one.onnx")])
        #expect(throws: NNError(.notFound, "no preloaded graph named 'x'")) { try host.loadByName("x") }
        #expect(host.lastError == "no preloaded graph named 'x'")
        let g = try host.loadByName("add")
        let ctx = try host.initExecutionContext(g)
        let bad = NNTensor(.f32, dimensions: [2, 3], values: [Float](repeating: 0, count: 6))
        let e = #expect(throws: NNError.self) { try host.setInput(ctx, index: 0, bad) }
        #expect(e?.errno == .invalidArgument)
        #expect(e?.message.contains("dimension 1 must be 2") == true)
        #expect(throws: NNError.self) { try host.compute(ctx) }
        try host.setInput(ctx, name: "x", NNTensor(.f32, dimensions: [2, 2], values: [Float(0), 1, 2, 3]))
        try host.compute(ctx)
        #expect(try host.getOutput(ctx, index: 0).values(Float.self) == [1, 2, 3, 4])
        #expect(throws: NNError.self) { try host.getOutput(ctx, name: "nope") }
        let legacy = NNHost(options: NNHost.Options(numbering: .wasmEdgeLegacy))
        let lg = try legacy.loadFixture("concat_i64.onnx")
        let lctx = try legacy.initExecutionContext(lg)
        let e2 = #expect(throws: NNError.self) {
            try legacy.setInput(lctx, index: 0, NNTensor(.i64, dimensions: [2, 3], values: [Int64](repeating: 1, count: 6)))
        }
        #expect(e2?.errno == .invalidArgument)
    }

    @Test func preloadAndLoadErrors() throws {
        let host = NNHost()
        host.preload("m", try Fixtures.graph("add_one.onnx"))
        #expect(host.preloadedNames == ["m"])
        let first = try host.loadByName("m")
        host.preload("m", try Fixtures.graph("identity.onnx"))
        let second = try host.loadByName("m")
        #expect(first != second)
        #expect(try host.graph(second).inputs.first?.type?.dims?.count == 1)
        #expect(throws: NNError.self) { try NNGraph(path: Fixtures.path("missing.onnx")) }
        #expect(throws: NNError(.invalidEncoding, "graph encoding tensorflow is not served (only onnx = 1)")) {
            try host.checkEncoding(2, target: 0, builderCount: 1)
        }
    }
}
