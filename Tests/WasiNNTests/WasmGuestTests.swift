import Testing
import WAT
import WasiNN
import WasiNNWasmKit

/// Whole guests run through `WasmGuest.run`: a WASI command doing the full wasi-nn round trip in
/// wasm, exit codes, reactors, traps, fuel, and a stream of arbitrary arguments to every import.
@Suite struct WasmGuestTests {
    static let imports = """
          (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
          (import "wasi_ephemeral_nn" "init_execution_context" (func $init (param i32 i32) (result i32)))
          (import "wasi_ephemeral_nn" "set_input" (func $set_input (param i32 i32 i32) (result i32)))
          (import "wasi_ephemeral_nn" "compute" (func $compute (param i32) (result i32)))
          (import "wasi_ephemeral_nn" "get_output" (func $get_output (param i32 i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
        """

    /// A command guest: load_by_name("add"), x = [1,2,3,4] → y, exits 0 when y == [2,3,4,5],
    /// else 100 + the first failing errno, or 99 on a wrong value.
    static let roundTrip = """
        (module
        \(imports)
          (memory (export "memory") 1)
          (data (i32.const 0) "add")
          ;; tensor record @16: dims_ptr 64, dims_len 2, type 1 (padding 0xFF), data_ptr 80, data_len 16
          (data (i32.const 16) "\\40\\00\\00\\00\\02\\00\\00\\00\\01\\ff\\ff\\ff\\50\\00\\00\\00\\10\\00\\00\\00")
          (data (i32.const 64) "\\02\\00\\00\\00\\02\\00\\00\\00")
          (data (i32.const 80) "\\00\\00\\80\\3f\\00\\00\\00\\40\\00\\00\\40\\40\\00\\00\\80\\40")
          (data (i32.const 96) "\\00\\00\\00\\40\\00\\00\\40\\40\\00\\00\\80\\40\\00\\00\\a0\\40")
          (func $check (param i32) (if (local.get 0) (then (call $proc_exit (i32.add (i32.const 100) (local.get 0))))))
          (func (export "_start") (local $i i32)
            (call $check (call $load_by_name (i32.const 0) (i32.const 3) (i32.const 200)))
            (call $check (call $init (i32.load (i32.const 200)) (i32.const 204)))
            (call $check (call $set_input (i32.load (i32.const 204)) (i32.const 0) (i32.const 16)))
            (call $check (call $compute (i32.load (i32.const 204))))
            (call $check (call $get_output (i32.load (i32.const 204)) (i32.const 0) (i32.const 300) (i32.const 16) (i32.const 208)))
            (if (i32.ne (i32.load (i32.const 208)) (i32.const 16)) (then (call $proc_exit (i32.const 98))))
            (loop $l
              (if (i32.ne (i32.load (i32.add (i32.const 300) (local.get $i))) (i32.load (i32.add (i32.const 96) (local.get $i))))
                (then (call $proc_exit (i32.const 99))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 16))))
            (call $proc_exit (i32.const 0))))
        """

    static func host() throws -> NNHost { NNHost(preloaded: ["add": try Fixtures.graph("add_one.onnx")]) }

    @Test func commandRoundTrip() throws {
        #expect(try WasmGuest.run(wasm: try wat2wasm(Self.roundTrip), host: try Self.host()) == .exited(0))
        // Without the preloaded graph the guest reports not_found (8) through its exit code.
        #expect(try WasmGuest.run(wasm: try wat2wasm(Self.roundTrip), host: NNHost()) == .exited(108))
    }

    @Test func exitCodeAndReturn() throws {
        let exits = try wat2wasm("""
            (module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1) (func (export "_start") (call $exit (i32.const 42))))
            """)
        #expect(try WasmGuest.run(wasm: exits, host: NNHost()) == .exited(42))
        let reactor = try wat2wasm("""
            (module \(Self.imports)
              (memory (export "memory") 1) (data (i32.const 0) "add")
              (func (export "run") (result i32) (call $load_by_name (i32.const 0) (i32.const 3) (i32.const 8)))
              (func (export "bad") (result i32) (call $load_by_name (i32.const 65535) (i32.const 3) (i32.const 8))))
            """)
        #expect(try WasmGuest.run(wasm: reactor, host: try Self.host(), invoke: "run") == .returned([.i32(0)]))
        #expect(try WasmGuest.run(wasm: reactor, host: try Self.host(), invoke: "bad") == .returned([.i32(1)]))
        #expect(WasmGuest.format([.i32(0xFFFF_FFFF), .i64(5)]) == ["-1", "5"])
        #expect(throws: WasmGuest.Failure.self) { try WasmGuest.run(wasm: reactor, host: NNHost()) }  // no _start
        #expect(throws: WasmGuest.Failure.self) { try WasmGuest.run(wasm: reactor, host: NNHost(), invoke: "nope") }
        #expect(throws: WasmGuest.Failure.self) { try WasmGuest.run(wasm: [0, 97, 115, 109], host: NNHost()) }
    }

    @Test func trapsAndFuel() throws {
        let trap = try wat2wasm(#"(module (memory (export "memory") 1) (func (export "_start") unreachable))"#)
        #expect(throws: WasmGuest.Failure.self) { try WasmGuest.run(wasm: trap, host: NNHost()) }
        let spin = try wat2wasm(#"(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))"#)
        let error = #expect(throws: WasmGuest.Failure.self) {
            try WasmGuest.run(wasm: spin, host: NNHost(), options: WasmGuest.Options(fuel: 1_000_000))
        }
        #expect(error?.description.contains("fuel") == true)
    }

    /// 20,000 calls with pseudo-random arguments (near-boundary pointers, huge lengths, random
    /// handles and enums) to every import: each returns an errno in 0...8 and the host survives.
    @Test func arbitraryArgumentsNeverCrash() throws {
        let host = try Self.host()
        let g = try TestGuest(host: host)
        g.builder(try Fixtures.bytes("add_one.onnx"), list: 0x1000, at: 0x1100)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = UInt32(truncatingIfNeeded: state >> 33)
            switch r % 8 {
            case 0: return r % 4
            case 1: return 0xFFFF_FFFF - r % 32
            case 2: return TestGuest.pageSize - r % 64
            case 3: return 0x1000
            case 4: return r % 0x4000
            case 5: return 1
            default: return r
            }
        }
        var seen = Set<UInt32>()
        for i in 0..<20_000 {
            let (_, name, arity) = allImports[i % allImports.count]
            let args = (0..<arity).map { _ in next() }
            let f = try #require(g.instance.exports[function: name])
            let errno = try f.invoke(args.map { .i32($0) })[0].i32
            #expect(errno <= 8, "\(name)\(args) → \(errno)")
            seen.insert(errno)
        }
        #expect(seen.contains(1))
    }
}
