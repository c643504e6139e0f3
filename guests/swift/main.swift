// swift_command: an Embedded Swift WASI command (wasi-libc) that runs an f32 graph through wasi-nn.
//
//   swift_command [GRAPH [V0 V1 ...]]     (defaults: add_one, 1 2 3 4)
//
// Prints "GRAPH([inputs]) = [outputs]" and exits 0; on a wasi-nn error prints
// "error: <call>: errno <n>" and exits with the errno (1..8; other values 9). Values are decimal
// numbers (sign, digits, optional fraction); a bad value exits 64.

@_extern(wasm, module: "wasi_snapshot_preview1", name: "args_sizes_get")
@_extern(c)
func wasi_args_sizes_get(_ argc: UnsafeMutablePointer<UInt32>, _ bufSize: UnsafeMutablePointer<UInt32>) -> UInt16

@_extern(wasm, module: "wasi_snapshot_preview1", name: "args_get")
@_extern(c)
func wasi_args_get(_ argv: UnsafeMutablePointer<UInt32>, _ buf: UnsafeMutablePointer<UInt8>) -> UInt16

@_extern(wasm, module: "wasi_snapshot_preview1", name: "proc_exit")
@_extern(c)
func wasi_proc_exit(_ code: UInt32)

/// Ends the command with `code` (WASI proc_exit does not return; a host that did return traps here).
func exit(_ code: UInt32) -> Never {
    wasi_proc_exit(code)
    fatalError("proc_exit returned")
}

/// The command's arguments as byte arrays, argv[0] included.
func arguments() -> [[UInt8]] {
    var argc: UInt32 = 0, size: UInt32 = 0
    guard wasi_args_sizes_get(&argc, &size) == 0, argc > 0 else { return [] }
    var ptrs = [UInt32](repeating: 0, count: Int(argc))
    var buf = [UInt8](repeating: 0, count: Int(size))
    let ok = ptrs.withUnsafeMutableBufferPointer { p in
        buf.withUnsafeMutableBufferPointer { b in wasi_args_get(p.baseAddress!, b.baseAddress!) == 0 }
    }
    guard ok else { return [] }
    let base = buf.withUnsafeBufferPointer { UInt32(UInt(bitPattern: $0.baseAddress!)) }
    var result: [[UInt8]] = []
    for p in ptrs {
        var i = Int(p - base), arg: [UInt8] = []
        while i < buf.count, buf[i] != 0 { arg.append(buf[i]); i += 1 }
        result.append(arg)
    }
    return result
}

func parseNumber(_ s: [UInt8]) -> Float? {
    var i = 0, sign: Float = 1, value: Float = 0, scale: Float = 1, digits = 0, inFraction = false
    if i < s.count, s[i] == 45 || s[i] == 43 { sign = s[i] == 45 ? -1 : 1; i += 1 }
    while i < s.count {
        let c = s[i]
        if c == 46, !inFraction { inFraction = true } else if c >= 48, c <= 57 {
            value = value * 10 + Float(c - 48); digits += 1
            if inFraction { scale *= 10 }
        } else { return nil }
        i += 1
    }
    return digits > 0 ? sign * value / scale : nil
}

func text(_ bytes: [UInt8]) -> String {
    var s = ""
    for b in bytes { s.append(Character(Unicode.Scalar(b))) }
    return s
}

let args = arguments()
let name: [UInt8] = args.count > 1 ? args[1] : Array("add_one".utf8)
var input: [Float] = []
for a in args.dropFirst(2) {
    guard let v = parseNumber(a) else { print("error: bad value \(text(a))"); exit(64) }
    input.append(v)
}
if input.isEmpty { input = [1, 2, 3, 4] }
do {
    let output = try runF32Graph(name: name, input: input, maxOutputs: 4096)
    print("\(text(name))(\(list(input))) = \(list(output))")
} catch {
    print("error: \(error.call): errno \(error.errno)")
    exit(error.errno >= 1 && error.errno <= 8 ? error.errno : UInt32(9))
}
