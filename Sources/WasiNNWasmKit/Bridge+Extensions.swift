import ONNXGraph
import WasiNN
import WasmKit

extension WasiNNBridge {
    typealias Define = (String, String, Int, @escaping (borrowing Caller, UnsafeBufferPointer<Value>) throws(NNError) -> Void) -> Void

    /// The `onnxrun_nn` imports (signatures on ``WasiNNBridge/extensionModule``).
    func linkExtensions(_ define: Define) {
        let host = self.host
        let m = Self.extensionModule
        define(m, "describe_graph", 4) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[3].i32, 4, "written out-pointer")
            let graph = try host.graph(p[0].i32)
            let blob = graph.describe(numbering: host.options.numbering)
            guard blob.count <= Int(p[2].i32) else {
                mem.storeU32(p[3].i32, UInt32(truncatingIfNeeded: blob.count))
                throw NNError(.tooLarge, "the description needs \(blob.count) bytes, the buffer holds \(p[2].i32)")
            }
            try mem.write(p[1].i32, UInt64(blob.count), "description buffer") { (raw) throws(NNError) in
                blob.withUnsafeBytes { raw.copyMemory(from: $0) }
            }
            mem.storeU32(p[3].i32, UInt32(blob.count))
        }
        define(m, "get_output_shape", 6) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            let typeOut = p[2].i32, dimsPtr = p[3].i32, dimsMax = p[4].i32, rankOut = p[5].i32
            try mem.check(typeOut, 4, "type out-pointer")
            try mem.check(rankOut, 4, "rank out-pointer")
            try mem.check(dimsPtr, UInt64(dimsMax) * 4, "dims buffer")
            let t = try host.output(p[0].i32, index: p[1].i32)
            guard t.rank <= Int(dimsMax) else {
                throw NNError(.tooLarge, "the output has rank \(t.rank), the dims buffer holds \(dimsMax)")
            }
            try mem.write(dimsPtr, UInt64(t.rank) * 4, "dims buffer") { (raw) throws(NNError) in
                for (i, d) in t.shape.enumerated() {
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: d).littleEndian, toByteOffset: i * 4, as: UInt32.self)
                }
            }
            mem.storeU32(typeOut, host.options.numbering.code(of: t.dataType))
            mem.storeU32(rankOut, UInt32(t.rank))
        }
        define(m, "set_input_by_name", 4) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            let name = try mem.string(p[1].i32, p[2].i32, "input name")
            let t = try mem.tensorRecord(p[3].i32)
            try mem.read(t.dataPtr, UInt64(t.dataLen), "tensor data") { (raw) throws(NNError) in
                try host.setInput(p[0].i32, name: name, typeCode: UInt32(t.type), dimensions: t.dims, data: raw)
            }
        }
        define(m, "get_output_by_name", 6) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[5].i32, 4, "bytes-written out-pointer")
            let name = try mem.string(p[1].i32, p[2].i32, "output name")
            let n = try mem.write(p[3].i32, UInt64(p[4].i32), "output buffer") { (raw) throws(NNError) in
                try host.getOutput(p[0].i32, name: name, into: raw)
            }
            mem.storeU32(p[5].i32, UInt32(n))
        }
        define(m, "last_error", 3) { (caller, p) throws(NNError) in
            let mem = try GuestMemory(caller)
            try mem.check(p[2].i32, 4, "written out-pointer")
            let message = Array((host.lastError ?? "").utf8.prefix(Int(p[1].i32)))
            try mem.write(p[0].i32, UInt64(message.count), "message buffer") { (raw) throws(NNError) in
                message.withUnsafeBytes { raw.copyMemory(from: $0) }
            }
            mem.storeU32(p[2].i32, UInt32(message.count))
        }
    }
}
