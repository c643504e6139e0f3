import Testing
import WasiNN
import WasiNNWasmKit

/// Every error path a guest can reach; each call returns its `nn_errno` and the host survives.
/// Memory is one 64 KiB page; `end` is its first invalid address.
@Suite struct GuestErrorTests {
    static let end: UInt32 = TestGuest.pageSize
    static let record: UInt32 = 0x100, list: UInt32 = 0x1000, model: UInt32 = 0x1100
    static let names: UInt32 = 0x2000, out: UInt32 = 0x3000

    /// A guest with add_one loaded as graph 0 and context 0 ready.
    static func ready() throws -> TestGuest {
        let g = try TestGuest(host: NNHost(preloaded: ["add": try Fixtures.graph("add_one.onnx")]))
        let (p, n) = g.name("add", at: names)
        #expect(try g.call("load_by_name", p, n, 0) == 0)
        #expect(try g.call("init_execution_context", 0, 4) == 0)
        return g
    }

    static let input = [Float(1), 2, 3, 4].bytes

    @Test(arguments: [
        // (builders_ptr, builders_len, encoding, target, graph_out, errno)
        (list, UInt32(1), UInt32(0), UInt32(0), UInt32(0), UInt32(2)),   // openvino
        (list, 1, 99, 0, 0, 2),                                          // unknown encoding
        (list, 1, 0xFFFF_FFFF, 0, 0, 2),
        (list, 1, 1, 1, 0, 6),                                           // gpu
        (list, 1, 1, 3, 0, 1),                                           // unknown target
        (list, 0, 1, 0, 0, 1),                                           // no builder
        (list, 2, 1, 0, 0, 1),                                           // two builders
        (end - 4, 1, 1, 0, 0, 1),                                        // builder list out of bounds
        (0xFFFF_FFF8, 1, 1, 0, 0, 1),                                    // list ptr + 8 overflows u32
        (list, 1, 1, 0, end - 3, 1),                                     // graph out-pointer out of bounds
        (list, 1, 1, 0, 0xFFFF_FFFF, 1),
    ])
    func loadErrors(_ c: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)) throws {
        let g = try TestGuest()
        g.builder(try Fixtures.bytes("add_one.onnx"), list: Self.list, at: Self.model)
        #expect(try g.call("load", c.0, c.1, c.2, c.3, c.4) == c.5)
        #expect(throws: NNError.self) { try g.host.graph(0) }
    }

    @Test(arguments: [
        (model, 0x10_0000),             // bytes past the end
        (0xFFFF_FF00, 0x200),           // ptr + len overflows u32
        (end, 1),
        (model, 5),                     // a truncated ModelProto
    ] as [(UInt32, UInt32)])
    func loadBadBuilderBytes(_ b: (UInt32, UInt32)) throws {
        let g = try TestGuest()
        g.builder(try Fixtures.bytes("add_one.onnx"), list: Self.list, at: Self.model)
        g.write(u32s: [b.0, b.1], at: Self.list)
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 1)
    }

    @Test func loadGarbage() throws {
        let g = try TestGuest()
        g.builder([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], list: Self.list, at: Self.model)  // a tag varint that never ends
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 1)
        g.builder([], list: Self.list, at: Self.model)                              // empty: no graph
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 1)
        g.builder(try Fixtures.bytes("identity.onnx"), list: Self.list, at: Self.model)
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 0)
    }

    @Test func loadByNameErrors() throws {
        let g = try Self.ready()
        let (p, n) = g.name("nope", at: Self.names + 64)
        #expect(try g.call("load_by_name", p, n, 0x40) == 8)
        #expect(try g.call("load_by_name", p, 0, 0x40) == 8)                 // empty name
        #expect(try g.call("load_by_name", Self.end - 2, 3, 0x40) == 1)      // name out of bounds
        #expect(try g.call("load_by_name", 0xFFFF_FFFE, 4, 0x40) == 1)       // ptr + len overflows
        let (a, an) = g.name("add", at: Self.names + 128)
        #expect(try g.call("load_by_name", a, an, Self.end) == 1)            // out-pointer out of bounds
        #expect(try g.call("load_by_name_with_config", a, an, Self.end, 8, 0x40) == 1)  // config out of bounds
        #expect(try g.call("load_by_name_with_config", p, n, 0, 0, 0x40) == 8)
    }

    @Test func initExecutionContextErrors() throws {
        let g = try Self.ready()
        #expect(try g.call("init_execution_context", 1, 0x40) == 1)          // no graph 1
        #expect(try g.call("init_execution_context", 0xFFFF_FFFF, 0x40) == 1)
        #expect(try g.call("init_execution_context", 0, Self.end - 2) == 1)
    }

    @Test func setInputHandleAndPointerErrors() throws {
        let g = try Self.ready()
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Self.input)
        #expect(try g.call("set_input", 1, 0, Self.record) == 1)             // no context 1
        #expect(try g.call("set_input", 0, 1, Self.record) == 1)             // input index out of range
        #expect(try g.call("set_input", 0, 0xFFFF_FFFF, Self.record) == 1)
        #expect(try g.call("set_input", 0, 0, Self.end - 19) == 1)           // record crosses the end
        #expect(try g.call("set_input", 0, 0, 0xFFFF_FFF0) == 1)             // record ptr + 20 overflows
        // dims pointer out of bounds; dims_len so large that dims_len * 4 overflows u32
        g.write(u32s: [Self.end - 4, 2], at: Self.record)
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.write(u32s: [Self.record + 32, 0x4000_0001], at: Self.record)
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.write(u32s: [0xFFFF_FFFC, 2], at: Self.record)
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        // data pointer out of bounds; data ptr + len overflows
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Self.input)
        g.write(u32s: [Self.end - 8, 16], at: Self.record + 12)
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.write(u32s: [0xFFFF_FFF8, 16], at: Self.record + 12)
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        // Nothing was set: compute still misses its input.
        #expect(try g.call("compute", 0) == 1)
    }

    @Test(arguments: [UInt8(0), 2, 3, 4, 5, 6, 7, 100, 127, 128, 129, 130, 255])
    func setInputTypeErrors(_ type: UInt8) throws {
        let g = try Self.ready()
        let width = [0: 2, 2: 8, 3: 1, 4: 4, 5: 8, 128: 2, 129: 1][Int(type)] ?? 4
        g.tensor(at: Self.record, dims: [2, 2], type: type, data: [UInt8](repeating: 0, count: 4 * width))
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)  // unknown values, or not the model's f32
    }

    @Test func setInputShapeAndSizeErrors() throws {
        let g = try Self.ready()
        g.tensor(at: Self.record, dims: [4], type: 1, data: Self.input)             // wrong rank
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.tensor(at: Self.record, dims: [1, 4], type: 1, data: Self.input)          // wrong dims
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Array(Self.input.prefix(15)))  // byte count
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Self.input + [0, 0, 0, 0])
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.tensor(at: Self.record, dims: [0x10000, 0x10000, 0x10000, 0x10000], type: 1, data: Self.input)  // overflow
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
        g.tensor(at: Self.record, dims: [0xFFFF_FFFF, 0xFFFF_FFFF], type: 1, data: Self.input)
        #expect(try g.call("set_input", 0, 0, Self.record) == 1)
    }

    /// The three bytes after the type byte are padding: garbage there is ignored.
    @Test(arguments: [[UInt8(0xFF), 0xFF, 0xFF], [0, 0, 1], [0xAB, 0, 0]])
    func nonZeroPaddingIsIgnored(_ padding: [UInt8]) throws {
        let g = try Self.ready()
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Self.input, padding: padding)
        #expect(try g.call("set_input", 0, 0, Self.record) == 0)
        #expect(try g.call("compute", 0) == 0)
        #expect(try g.call("get_output", 0, 0, Self.out, 16, 8) == 0)
        #expect(floats(g.read(Self.out, 16)) == [2, 3, 4, 5])
    }

    @Test func computeAndGetOutputErrors() throws {
        let g = try Self.ready()
        #expect(try g.call("compute", 7) == 1)                               // no context 7
        #expect(try g.call("get_output", 0, 0, Self.out, 64, 8) == 1)        // before compute
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Self.input)
        #expect(try g.call("set_input", 0, 0, Self.record) == 0)
        #expect(try g.call("compute", 0) == 0)
        #expect(try g.call("get_output", 9, 0, Self.out, 64, 8) == 1)        // no context 9
        #expect(try g.call("get_output", 0, 1, Self.out, 64, 8) == 1)        // no output 1
        #expect(try g.call("get_output", 0, 0, Self.end - 8, 16, 8) == 1)    // buffer crosses the end
        #expect(try g.call("get_output", 0, 0, 0xFFFF_FFF0, 0x20, 8) == 1)   // ptr + max overflows
        #expect(try g.call("get_output", 0, 0, Self.out, 16, Self.end) == 1) // written out-pointer
        // Too small: too_large, and neither the buffer nor bytes_written changes.
        g.write([UInt8](repeating: 0xEE, count: 16), at: Self.out)
        g.write(u32s: [0xDEAD], at: 8)
        #expect(try g.call("get_output", 0, 0, Self.out, 15, 8) == 7)
        #expect(try g.call("get_output", 0, 0, Self.out, 0, 8) == 7)
        #expect(g.read(Self.out, 16) == [UInt8](repeating: 0xEE, count: 16))
        #expect(g.u32(8) == 0xDEAD)
        // A buffer exactly at the end of memory is fine.
        #expect(try g.call("get_output", 0, 0, Self.end - 16, 16, 8) == 0)
        #expect(g.u32(8) == 16)
    }

    @Test func extensionErrors() throws {
        let g = try Self.ready()
        #expect(try g.call("describe_graph", 3, Self.out, 4096, 8) == 1)     // no graph 3
        #expect(try g.call("describe_graph", 0, Self.out, 4096, Self.end) == 1)
        #expect(try g.call("describe_graph", 0, Self.end - 8, 4096, 8) == 1)
        g.write([UInt8](repeating: 0xEE, count: 8), at: Self.out)
        #expect(try g.call("describe_graph", 0, Self.out, 8, 8) == 7)        // too small: size reported
        let needed = try g.host.graph(0).describe(numbering: .spec).count
        #expect(g.u32(8) == UInt32(needed))
        #expect(g.read(Self.out, 8) == [UInt8](repeating: 0xEE, count: 8))
        #expect(try g.call("get_output_shape", 0, 0, 0x40, 0x50, 8, 0x44) == 1)  // before compute
        g.tensor(at: Self.record, dims: [2, 2], type: 1, data: Self.input)
        #expect(try g.call("set_input", 0, 0, Self.record) == 0)
        #expect(try g.call("compute", 0) == 0)
        g.write(u32s: [0xAAAA, 0xBBBB, 0xCCCC], at: 0x40)
        #expect(try g.call("get_output_shape", 0, 0, 0x40, 0x50, 1, 0x44) == 7)  // rank 2 > 1
        #expect(g.u32(0x40) == 0xAAAA && g.u32(0x44) == 0xBBBB && g.u32(0x50) == 0)
        #expect(try g.call("get_output_shape", 0, 0, 0x40, Self.end - 4, 2, 0x44) == 1)
        #expect(try g.call("get_output_shape", 0, 0, Self.end, 0x50, 2, 0x44) == 1)
        #expect(try g.call("get_output_shape", 0, 0, 0x40, 0x50, 0xFFFF_FFFF, 0x44) == 1)
        #expect(try g.call("get_output_shape", 0, 5, 0x40, 0x50, 8, 0x44) == 1)
        let (p, n) = g.name("nope", at: Self.names + 64)
        #expect(try g.call("set_input_by_name", 0, p, n, Self.record) == 8)
        #expect(try g.call("set_input_by_name", 0, Self.end - 1, 2, Self.record) == 1)
        #expect(try g.call("get_output_by_name", 0, p, n, Self.out, 64, 8) == 8)
        #expect(try g.call("get_output_by_name", 0, 0xFFFF_FFFF, 2, Self.out, 64, 8) == 1)
        let (y, yn) = g.name("y", at: Self.names + 128)
        #expect(try g.call("get_output_by_name", 0, y, yn, Self.out, 15, 8) == 7)
        #expect(try g.call("last_error", Self.end - 2, 64, 8) == 1)
        #expect(try g.call("last_error", Self.out, 64, Self.end) == 1)
    }

    /// Without an exported `memory` every call that touches memory answers missing_memory.
    @Test func missingMemory() throws {
        let g = try TestGuest(host: NNHost(preloaded: ["add": try Fixtures.graph("add_one.onnx")]), exportMemory: false)
        #expect(try g.call("load_by_name", 0, 3, 0) == 3)
        #expect(try g.call("load", 0, 1, 1, 0, 0) == 3)
        #expect(try g.call("init_execution_context", 0, 0) == 3)
        #expect(try g.call("set_input", 0, 0, 0) == 3)
        #expect(try g.call("get_output", 0, 0, 0, 0, 0) == 3)
        #expect(try g.call("describe_graph", 0, 0, 0, 0) == 3)
        #expect(try g.call("compute", 0) == 1)  // touches no memory: the bad handle answers
    }

    @Test func preloadedOnlyHostRefusesLoad() throws {
        let g = try TestGuest(host: NNHost(options: NNHost.Options(allowsGuestModels: false)))
        g.builder(try Fixtures.bytes("identity.onnx"), list: Self.list, at: Self.model)
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 6)
    }

    /// Host limits answer too_large instead of growing without bound.
    @Test func limits() throws {
        let g = try TestGuest(host: NNHost(options: NNHost.Options(maxLoadedGraphs: 2, maxContexts: 3)))
        g.builder(try Fixtures.bytes("identity.onnx"), list: Self.list, at: Self.model)
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 0)
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 0)
        #expect(try g.call("load", Self.list, 1, 1, 0, 0) == 7)
        for _ in 0..<3 { #expect(try g.call("init_execution_context", 0, 4) == 0) }
        #expect(try g.call("init_execution_context", 0, 4) == 7)
    }
}
