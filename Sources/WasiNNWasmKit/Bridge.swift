import WasiNN
import WasmKit

/// Serves `wasi_ephemeral_nn` (witx / preview1) and the `onnxrun_nn` extensions from an ``NNHost``
/// to one WasmKit instance.
///
/// Every import returns an `i32` `nn_errno` and never traps: the guest's exported `memory` is looked
/// up per call (`missing_memory` without it), every pointer and length is bounds-checked before any
/// access (`invalid_argument`), all out-pointers are checked before any state changes, and results
/// are written only on success. Host functions use WasmKit's allocation-free `raw:` form.
///
/// Standard imports (module `wasi_ephemeral_nn`, all parameters and the result `i32`):
/// ```
/// load(builders_ptr, builders_len, encoding, target, graph_out) ; builders: builders_len × {ptr u32, len u32}
/// load_by_name(name_ptr, name_len, graph_out)
/// load_by_name_with_config(name_ptr, name_len, config_ptr, config_len, graph_out) ; WasmEdge's; config checked, ignored
/// init_execution_context(graph, ctx_out)
/// set_input(ctx, index, tensor_ptr)       ; tensor: dims_ptr u32 @0, dims_len u32 @4, type u8 @8, data_ptr u32 @12, data_len u32 @16
/// compute(ctx)
/// get_output(ctx, index, out_ptr, out_max, bytes_written_out)
/// ```
/// The extensions are listed on ``WasiNNBridge/extensionModule``.
public final class WasiNNBridge {
    /// `wasi_ephemeral_nn`.
    public static let module = "wasi_ephemeral_nn"

    /// `onnxrun_nn`: calls beyond the standard (all parameters and the result `i32`, `nn_errno`):
    /// ```
    /// describe_graph(graph, buf_ptr, buf_max, written_out)
    ///     writes NNGraph.describe's layout (inputs and outputs: names, types, shapes); when buf_max is
    ///     too small: too_large, the buffer untouched, and the needed size stored at written_out
    /// get_output_shape(ctx, index, type_out, dims_ptr, dims_max, rank_out)
    ///     after compute: the output's tensor_type code (u32; 0xFFFFFFFF when wasi-nn has none) at
    ///     type_out, its rank (u32) at rank_out, its dims (rank × u32) at dims_ptr; rank > dims_max:
    ///     too_large, nothing written
    /// set_input_by_name(ctx, name_ptr, name_len, tensor_ptr)
    /// get_output_by_name(ctx, name_ptr, name_len, out_ptr, out_max, bytes_written_out)
    /// last_error(buf_ptr, buf_max, written_out)
    ///     the host's message for the last failed call (UTF-8, no NUL), truncated to buf_max
    /// ```
    public static let extensionModule = "onnxrun_nn"

    public let host: NNHost

    public init(host: NNHost) {
        self.host = host
    }

    /// Defines every standard and extension import in `imports`.
    public func link(to imports: inout Imports, store: Store) {
        let host = self.host
        func define(_ module: String, _ name: String, _ arity: Int,
                    _ body: @escaping (borrowing Caller, UnsafeBufferPointer<Value>) throws(NNError) -> Void) {
            imports.define(module: module, name: name, Function(
                store: store, parameters: Array(repeating: .i32, count: arity), results: [.i32],
                raw: { caller, params, results in
                    do throws(NNError) {
                        try body(caller, params)
                        results[0] = .i32(0)
                    } catch {
                        host.recordFailure(error)
                        results[0] = .i32(UInt32(error.errno.rawValue))
                    }
                }))
        }
        let m = Self.module
        define(m, "load", 5) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            let count = p[1].i32
            try host.checkEncoding(p[2].i32, target: p[3].i32, builderCount: Int(count))
            let out = p[4].i32
            try mem.check(out, 4, "graph out-pointer")
            try mem.check(p[0].i32, UInt64(count) * 8, "builder list")
            let ptr = try mem.u32(p[0].i32, "builder"), len = try mem.u32(p[0].i32 &+ 4, "builder")
            let graph = try mem.read(ptr, UInt64(len), "builder bytes") { (raw) throws(NNError) in
                try host.load(builders: [raw], encoding: p[2].i32, target: p[3].i32)
            }
            mem.storeU32(out, graph)
        }
        define(m, "load_by_name", 3) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[2].i32, 4, "graph out-pointer")
            let graph = try mem.read(p[0].i32, UInt64(p[1].i32), "graph name") { (raw) throws(NNError) in
                try host.loadByName(utf8: raw)
            }
            mem.storeU32(p[2].i32, graph)
        }
        define(m, "load_by_name_with_config", 5) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[4].i32, 4, "graph out-pointer")
            try mem.check(p[2].i32, UInt64(p[3].i32), "config")
            let graph = try mem.read(p[0].i32, UInt64(p[1].i32), "graph name") { (raw) throws(NNError) in
                try host.loadByName(utf8: raw)
            }
            mem.storeU32(p[4].i32, graph)
        }
        define(m, "init_execution_context", 2) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[1].i32, 4, "context out-pointer")
            let ctx = try host.initExecutionContext(p[0].i32)
            mem.storeU32(p[1].i32, ctx)
        }
        define(m, "set_input", 3) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            let t = try mem.tensorRecord(p[2].i32)
            try mem.read(t.dataPtr, UInt64(t.dataLen), "tensor data") { (raw) throws(NNError) in
                try host.setInput(p[0].i32, index: p[1].i32, typeCode: UInt32(t.type), dimensions: t.dims, data: raw)
            }
        }
        define(m, "compute", 1) { (_, p) throws(NNError) in
            try host.compute(p[0].i32)
        }
        define(m, "get_output", 5) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[4].i32, 4, "bytes-written out-pointer")
            let n = try mem.write(p[2].i32, UInt64(p[3].i32), "output buffer") { (raw) throws(NNError) in
                try host.getOutput(p[0].i32, index: p[1].i32, into: raw)
            }
            mem.storeU32(p[4].i32, UInt32(n))
        }
        linkExtensions(define)
    }
}
