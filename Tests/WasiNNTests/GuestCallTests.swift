import Testing
import WasiNN
import WasiNNWasmKit

/// Success paths of every import, called from a WAT guest with arguments the test lays out in
/// guest memory. Slots: graph handle @0, context @4, bytes written @8; tensor record @0x100;
/// builder list @0x1000, model @0x1100; names @0x2000; output buffer @0x3000.
@Suite struct GuestCallTests {
    static let graphOut: UInt32 = 0, ctxOut: UInt32 = 4, written: UInt32 = 8
    static let record: UInt32 = 0x100, list: UInt32 = 0x1000, model: UInt32 = 0x1100
    static let names: UInt32 = 0x2000, out: UInt32 = 0x3000

    /// load → init_execution_context → set_input → compute → get_output on y = x + 1.
    @Test func loadAndRunAddOne() throws {
        let g = try TestGuest()
        g.builder(try Fixtures.bytes("add_one.onnx"), list: Self.list, at: Self.model)
        #expect(try g.call("load", Self.list, 1, 1, 0, Self.graphOut) == 0)
        #expect(try g.call("init_execution_context", g.u32(Self.graphOut), Self.ctxOut) == 0)
        let ctx = g.u32(Self.ctxOut)
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: [Float(1), 2, 3, 4].bytes)
        #expect(try g.call("set_input", ctx, 0, Self.record) == 0)
        #expect(try g.call("compute", ctx) == 0)
        #expect(try g.call("get_output", ctx, 0, Self.out, 64, Self.written) == 0)
        #expect(g.u32(Self.written) == 16)
        #expect(floats(g.read(Self.out, 16)) == [2, 3, 4, 5])
    }

    @Test func loadByNameReturnsOneHandlePerName() throws {
        let host = NNHost(preloaded: ["add": try Fixtures.graph("add_one.onnx"), "mlp": try Fixtures.graph("mlp.onnx")])
        let g = try TestGuest(host: host)
        let (p, n) = g.name("mlp", at: Self.names)
        #expect(try g.call("load_by_name", p, n, 0) == 0)
        #expect(try g.call("load_by_name", p, n, 4) == 0)
        #expect(g.u32(0) == g.u32(4))
        let (p2, n2) = g.name("add", at: Self.names + 16)
        #expect(try g.call("load_by_name_with_config", p2, n2, Self.names + 64, 0, 8) == 0)
        #expect(g.u32(8) != g.u32(0))
        #expect(try host.graph(g.u32(8)).inputs.map(\.name) == ["x"])
    }

    /// describe_graph on two_io: inputs a float[batch,4], ids int64[batch]; outputs doubled, ids_plus.
    @Test func describeGraph() throws {
        let g = try TestGuest(host: NNHost(preloaded: ["m": try Fixtures.graph("two_io.onnx")]))
        let (p, n) = g.name("m", at: Self.names)
        #expect(try g.call("load_by_name", p, n, 0) == 0)
        #expect(try g.call("describe_graph", g.u32(0), Self.out, 4096, Self.written) == 0)
        let size = Int(g.u32(Self.written))
        let blob = g.read(Self.out, size)
        let w = { (i: Int) -> UInt32 in blob.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self) } }
        #expect(w(0) == 1 && w(1) == 2 && w(2) == 2)
        // Records: [name_off, name_len, type, rank, dims...]
        var i = 3
        var described: [(String, UInt32, [Int32])] = []
        for _ in 0..<4 {
            let off = Int(w(i)), len = Int(w(i + 1)), type = w(i + 2), rank = Int(w(i + 3))
            let dims = (0..<rank).map { Int32(bitPattern: w(i + 4 + $0)) }
            described.append((String(decoding: blob[off..<(off + len)], as: UTF8.self), type, dims))
            #expect(blob[off + len] == 0)
            i += 4 + rank
        }
        #expect(described.map(\.0) == ["a", "ids", "doubled", "ids_plus"])
        #expect(described.map(\.1) == [1, 5, 1, 5])
        #expect(described.map(\.2) == [[-1, 4], [-1], [-1, 4], [-1]])
        #expect(size % 4 == 0)
        let expected = try g.host.graph(0).describe(numbering: .spec)
        #expect(blob == expected)
    }

    /// Inputs and outputs by name, get_output_shape, and last_error.
    @Test func byNameShapeAndLastError() throws {
        let g = try TestGuest(host: NNHost(preloaded: ["m": try Fixtures.graph("two_io.onnx")]))
        let (p, n) = g.name("m", at: Self.names)
        #expect(try g.call("load_by_name", p, n, 0) == 0)
        #expect(try g.call("init_execution_context", 0, Self.ctxOut) == 0)
        let ctx = g.u32(Self.ctxOut)
        let (ip, il) = g.name("ids", at: Self.names + 32)
        let ids: [Int64] = [7, -2, 40]
        g.tensor(at: Self.record, dims: [3], type: 5, data: ids.bytes)
        #expect(try g.call("set_input_by_name", ctx, ip, il, Self.record) == 0)
        g.tensor(at: Self.record, dims: [3, 4], type: 1, data: (0..<12).map { Float($0) }.bytes)
        #expect(try g.call("set_input", ctx, 0, Self.record) == 0)
        #expect(try g.call("compute", ctx) == 0)
        let (op, ol) = g.name("ids_plus", at: Self.names + 64)
        #expect(try g.call("get_output_by_name", ctx, op, ol, Self.out, 24, Self.written) == 0)
        #expect(g.u32(Self.written) == 24)
        #expect(g.read(Self.out, 24).withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) } == [8, -1, 41])
        // get_output_shape(ctx, index, type_out, dims_ptr, dims_max, rank_out)
        #expect(try g.call("get_output_shape", ctx, 0, 0x40, 0x50, 8, 0x44) == 0)
        #expect(g.u32(0x40) == 1 && g.u32(0x44) == 2 && g.u32(0x50) == 3 && g.u32(0x54) == 4)
        #expect(try g.call("get_output", ctx, 0, Self.out, 48, Self.written) == 0)
        #expect(floats(g.read(Self.out, 48)) == (0..<12).map { 2 * Float($0) })
        // A failure, then its message.
        #expect(try g.call("get_output", ctx, 0, Self.out, 47, Self.written) == 7)
        #expect(try g.call("last_error", Self.names + 256, 200, Self.written) == 0)
        let msg = String(decoding: g.read(Self.names + 256, Int(g.u32(Self.written))), as: UTF8.self)
        #expect(msg == "output needs 48 bytes, the buffer holds 47")
        #expect(try g.call("last_error", Self.names + 256, 6, Self.written) == 0)
        #expect(g.u32(Self.written) == 6)
    }

    /// WasmEdge's numbering behind the option: u8 = 2; spec i64 (5) unknown there.
    @Test func legacyTensorTypes() throws {
        let host = NNHost(preloaded: ["u8": try Fixtures.graph("concat_u8.onnx"), "f32": try Fixtures.graph("concat_f32.onnx")],
                          options: NNHost.Options(numbering: .wasmEdgeLegacy))
        let g = try TestGuest(host: host)
        let (p, n) = g.name("u8", at: Self.names)
        #expect(try g.call("load_by_name", p, n, 0) == 0)
        #expect(try g.call("init_execution_context", 0, Self.ctxOut) == 0)
        g.tensor(at: Self.record, dims: [2, 3], type: 3, data: [1, 2, 3, 4, 5, 6])
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)  // 3 is i32 in the legacy numbering
        g.tensor(at: Self.record, dims: [2, 3], type: 2, data: [1, 2, 3, 4, 5, 6])
        #expect(try g.call("set_input", 0, 0, Self.record) == 0)
        #expect(try g.call("compute", 0) == 0)
        #expect(try g.call("get_output_shape", 0, 0, 0x40, 0x50, 8, 0x44) == 0)
        #expect(g.u32(0x40) == 2)
        g.tensor(at: Self.record, dims: [2, 3], type: 5, data: [UInt8](repeating: 0, count: 48))
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
    }
}
