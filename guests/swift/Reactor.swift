// swift_reactor: an Embedded Swift reactor with no libc (guests/swift/rt.c supplies the allocator,
// mem* functions and a putchar that writes stdout through WASI fd_write). Its only export besides
// memory is `run` (host: --invoke run).
//
// run() loads the graph preloaded as "add_one", feeds [1, 2, 3, 4] as f32 [4], prints
// "add_one([1.0, 2.0, 3.0, 4.0]) = [2.0, 3.0, 4.0, 5.0]" and returns 0; it returns 100 when the
// output is not x + 1, and the errno (after printing "error: <call>: errno <n>") when a wasi-nn
// call fails.

@_expose(wasm, "run")
@_cdecl("run")
func run() -> UInt32 {
    let input: [Float] = [1, 2, 3, 4]
    do {
        let output = try runF32Graph(name: Array("add_one".utf8), input: input, maxOutputs: 16)
        print("add_one(\(list(input))) = \(list(output))")
        return output == input.map { $0 + 1 } ? 0 : 100
    } catch {
        print("error: \(error.call): errno \(error.errno)")
        return error.errno
    }
}
