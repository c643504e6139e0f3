import Interpreter
import ONNXGraph
import Testing
import WasiNN
import WasiNNWasmKit

/// Graph I/O of every wasi-nn tensor type, and the same outputs through a guest, the Swift API and
/// the interpreter directly.
@Suite struct TensorTypeTests {
    /// (fixture suffix, spec wire code, element bytes)
    static let types: [(String, UInt8, Int)] = [
        ("f16", 0, 2), ("f32", 1, 4), ("f64", 2, 8), ("u8", 3, 1), ("i32", 4, 4), ("i64", 5, 8),
        ("bf16", 128, 2), ("i8", 129, 1),
    ]

    /// x: T[2,3] with distinct bytes; Concat(x, x, axis=1) repeats each 3-element row.
    static func input(width: Int) -> (x: [UInt8], y: [UInt8]) {
        let x = (0..<(6 * width)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var y: [UInt8] = []
        for r in 0..<2 {
            let row = x[(r * 3 * width)..<((r + 1) * 3 * width)]
            y += row + row
        }
        return (x, y)
    }

    @Test(arguments: types)
    func guestIOOfEachType(_ t: (String, UInt8, Int)) throws {
        let g = try TestGuest(host: NNHost(preloaded: ["m": try Fixtures.graph("concat_\(t.0).onnx")]))
        let (p, n) = g.name("m", at: 0x2000)
        #expect(try g.call("load_by_name", p, n, 0) == 0)
        #expect(try g.call("init_execution_context", 0, 4) == 0)
        let (x, y) = Self.input(width: t.2)
        g.tensor(at: 0x100, dims: [2, 3], type: t.1, data: x)
        #expect(try g.call("set_input", 0, 0, 0x100) == 0)
        #expect(try g.call("compute", 0) == 0)
        #expect(try g.call("get_output", 0, 0, 0x3000, 1024, 8) == 0)
        #expect(g.read(0x3000, Int(g.u32(8))) == y)
        #expect(try g.call("get_output_shape", 0, 0, 0x40, 0x50, 4, 0x44) == 0)
        #expect(g.u32(0x40) == UInt32(t.1) && g.u32(0x44) == 2 && g.u32(0x50) == 2 && g.u32(0x54) == 6)
        // Any other type code is refused for this input.
        for (_, other, w) in Self.types where other != t.1 {
            g.tensor(at: 0x100, dims: [2, 3], type: other, data: [UInt8](repeating: 0, count: 6 * w))
            #expect(try g.call("set_input", 0, 0, 0x100) == 1)
        }
    }

    @Test(arguments: types)
    func swiftAPIOfEachType(_ t: (String, UInt8, Int)) throws {
        let host = NNHost()
        let graph = try host.loadFixture("concat_\(t.0).onnx")
        let ctx = try host.initExecutionContext(graph)
        let type = try #require(TensorTypeNumbering.spec.decode(UInt32(t.1)))
        #expect(type.byteWidth == t.2)
        let (x, y) = Self.input(width: t.2)
        try host.setInput(ctx, name: "x", NNTensor(type: type, dimensions: [2, 3], data: x))
        try host.compute(ctx)
        let out = try host.getOutput(ctx, name: "y")
        #expect(out == NNTensor(type: type, dimensions: [2, 6], data: y))
        #expect(try host.getOutput(ctx, index: 0) == out)
    }

    /// mlp.onnx's output is bit-identical through a guest, the Swift API and a plain Session.
    @Test func sameOutputsEverywhere() throws {
        let bytes = try Fixtures.bytes("mlp.onnx")
        let x: [Float] = (0..<8).map { Float($0) * 0.37 - 1.1 }

        let g = try TestGuest()
        g.builder(bytes, list: 0x1000, at: 0x1100)
        #expect(try g.call("load", 0x1000, 1, 1, 0, 0) == 0)
        #expect(try g.call("init_execution_context", 0, 4) == 0)
        g.tensor(at: 0x100, dims: [1, 8], type: 1, data: x.bytes)
        #expect(try g.call("set_input", 0, 0, 0x100) == 0)
        #expect(try g.call("compute", 0) == 0)
        #expect(try g.call("get_output", 0, 0, 0x3000, 64, 8) == 0)
        let viaGuest = g.read(0x3000, Int(g.u32(8)))

        let host = NNHost()
        let h = try bytes.withUnsafeBytes { (raw) throws(NNError) in try host.load(builders: [raw], encoding: 1, target: 0) }
        let ctx = try host.initExecutionContext(h)
        try host.setInput(ctx, index: 0, NNTensor(.f32, dimensions: [1, 8], values: x))
        try host.compute(ctx)
        let viaSwift = try host.getOutput(ctx, index: 0)

        let session = try Session(model: try ModelLoaderShim.load(bytes))
        let direct = try #require(try session.run(["x": try Tensor(.float, shape: [1, 8], values: x)])["y"])

        #expect(viaSwift.dimensions == [1, 4] && viaSwift.type == .f32)
        #expect(viaGuest == viaSwift.data)
        #expect(viaSwift.values(Float.self) == direct.toArray(Float.self))
        #expect(viaSwift.values(Float.self).contains { $0 != 0 })
    }
}

extension NNHost {
    /// `load` (onnx, cpu) of a fixture file's bytes.
    func loadFixture(_ name: String) throws -> UInt32 {
        let bytes = try Fixtures.bytes(name)
        return try bytes.withUnsafeBytes { (raw) throws(NNError) in try load(builders: [raw], encoding: 1, target: 0) }
    }
}
