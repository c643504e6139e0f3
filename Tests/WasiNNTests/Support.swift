import Foundation
import ONNXGraph
import Testing
import WAT
import WasiNN
import WasiNNWasmKit
import WasmKit

/// Fixture models from scripts/make_wasinn_fixtures.py.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }
    static func graph(_ name: String) throws -> NNGraph { try NNGraph(path: path(name)) }
}

/// Every wasi-nn import the bridge serves: (module, name, arity).
let allImports: [(String, String, Int)] = [
    ("wasi_ephemeral_nn", "load", 5), ("wasi_ephemeral_nn", "load_by_name", 3),
    ("wasi_ephemeral_nn", "load_by_name_with_config", 5), ("wasi_ephemeral_nn", "init_execution_context", 2),
    ("wasi_ephemeral_nn", "set_input", 3), ("wasi_ephemeral_nn", "compute", 1), ("wasi_ephemeral_nn", "get_output", 5),
    ("onnxrun_nn", "describe_graph", 4), ("onnxrun_nn", "get_output_shape", 6), ("onnxrun_nn", "set_input_by_name", 4),
    ("onnxrun_nn", "get_output_by_name", 6), ("onnxrun_nn", "last_error", 3),
]

/// A WAT guest that re-exports every wasi-nn import as `<name>` so tests can call each one from
/// wasm with chosen arguments, and exports 1 page (64 KiB) of memory the test fills directly.
final class TestGuest {
    static let pageSize: UInt32 = 65536
    let host: NNHost
    let instance: Instance
    let memory: Memory?

    init(host: NNHost = NNHost(), exportMemory: Bool = true) throws {
        var wat = "(module\n"
        for (m, n, arity) in allImports {
            let params = String(repeating: " i32", count: arity)
            wat += "  (import \"\(m)\" \"\(n)\" (func $\(n) (param\(params)) (result i32)))\n"
        }
        wat += exportMemory ? "  (memory (export \"memory\") 1)\n" : "  (memory 1)\n"
        for (_, n, arity) in allImports {
            let params = String(repeating: " i32", count: arity)
            let args = (0..<arity).map { "(local.get \($0))" }.joined(separator: " ")
            wat += "  (func (export \"\(n)\") (param\(params)) (result i32) (call $\(n) \(args)))\n"
        }
        wat += ")\n"
        let engine = Engine()
        let store = Store(engine: engine)
        var imports = Imports()
        WasiNNBridge(host: host).link(to: &imports, store: store)
        instance = try parseWasm(bytes: try wat2wasm(wat)).instantiate(store: store, imports: imports)
        memory = instance.exports[memory: "memory"]
        self.host = host
    }

    /// Calls the re-export `name` and returns the errno.
    func call(_ name: String, _ args: UInt32...) throws -> UInt32 {
        let f = try #require(instance.exports[function: name])
        let r = try f.invoke(args.map { .i32($0) })
        return r[0].i32
    }

    func write(_ bytes: [UInt8], at p: UInt32) {
        guard !bytes.isEmpty else { return }
        memory!.withUnsafeMutableBufferPointer(offset: UInt(p), count: bytes.count) { d in
            bytes.withUnsafeBytes { d.copyMemory(from: $0) }
        }
    }

    func write(u32s: [UInt32], at p: UInt32) {
        write(u32s.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }, at: p)
    }

    func read(_ p: UInt32, _ n: Int) -> [UInt8] {
        memory!.withUnsafeBufferPointer(offset: UInt(p), count: n) { Array($0) }
    }

    func u32(_ p: UInt32) -> UInt32 {
        read(p, 4).withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    /// Writes a witx tensor record at `at` with its dims at `at + 32` and data at `at + 64`.
    func tensor(at t: UInt32, dims: [UInt32], type: UInt8, data: [UInt8], padding: [UInt8] = [0, 0, 0]) {
        let dimsPtr = t + 32, dataPtr = t + 64
        write(u32s: dims, at: dimsPtr)
        write(data, at: dataPtr)
        write(u32s: [dimsPtr, UInt32(dims.count)], at: t)
        write([type] + padding, at: t + 8)
        write(u32s: [dataPtr, UInt32(data.count)], at: t + 12)
    }

    /// Copies `bytes` to `at` and a one-entry builder list pointing at it to `list`.
    func builder(_ bytes: [UInt8], list: UInt32, at p: UInt32) {
        write(bytes, at: p)
        write(u32s: [p, UInt32(bytes.count)], at: list)
    }

    /// Writes `name` at `at` and returns (ptr, len).
    func name(_ s: String, at p: UInt32) -> (UInt32, UInt32) {
        let b = Array(s.utf8)
        write(b, at: p)
        return (p, UInt32(b.count))
    }
}

extension Array where Element: BitwiseCopyable {
    /// The elements' little-endian bytes.
    var bytes: [UInt8] { withUnsafeBytes { [UInt8]($0) } }
}

func floats(_ bytes: [UInt8]) -> [Float] {
    bytes.withUnsafeBytes { raw in (0..<(raw.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
}

import ONNXLoader

enum ModelLoaderShim {
    static func load(_ bytes: [UInt8]) throws -> ONNXGraph.Model {
        try bytes.withUnsafeBytes { (raw) throws(LoadError) in try ModelLoader.load(bytes: raw, name: "test", baseDirectory: nil) }
    }
}
