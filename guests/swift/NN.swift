// wasi-nn (witx, preview1) imports for Embedded Swift guests, module "wasi_ephemeral_nn".
// `@_extern(c)` keeps the C calling convention: without it each import gets two extra i32
// parameters and instantiation fails on the signature.

@_extern(wasm, module: "wasi_ephemeral_nn", name: "load_by_name")
@_extern(c)
func nn_load_by_name(_ name: UnsafePointer<UInt8>, _ nameLen: UInt32, _ graph: UnsafeMutablePointer<UInt32>) -> UInt32

@_extern(wasm, module: "wasi_ephemeral_nn", name: "init_execution_context")
@_extern(c)
func nn_init_execution_context(_ graph: UInt32, _ ctx: UnsafeMutablePointer<UInt32>) -> UInt32

@_extern(wasm, module: "wasi_ephemeral_nn", name: "set_input")
@_extern(c)
func nn_set_input(_ ctx: UInt32, _ index: UInt32, _ tensor: UnsafeRawPointer) -> UInt32

@_extern(wasm, module: "wasi_ephemeral_nn", name: "compute")
@_extern(c)
func nn_compute(_ ctx: UInt32) -> UInt32

@_extern(wasm, module: "wasi_ephemeral_nn", name: "get_output")
@_extern(c)
func nn_get_output(_ ctx: UInt32, _ index: UInt32, _ out: UnsafeMutableRawPointer, _ outMax: UInt32,
                   _ written: UnsafeMutablePointer<UInt32>) -> UInt32

/// The 20-byte witx tensor record: dims_ptr @0, dims_len @4, type u8 @8, data_ptr @12, data_len @16.
struct WitxTensor {
    var dimsPtr: UInt32
    var dimsLen: UInt32
    var type: UInt8
    var dataPtr: UInt32
    var dataLen: UInt32
}

/// A wasi-nn call that returned a nonzero errno.
struct NNError: Error {
    var call: StaticString
    var errno: UInt32
}

func guestAddress(_ p: UnsafeRawPointer) -> UInt32 { UInt32(UInt(bitPattern: p)) }

func nnCheck(_ errno: UInt32, _ call: StaticString) throws(NNError) {
    if errno != 0 { throw NNError(call: call, errno: errno) }
}

/// Loads `name` by name, sets input 0 to the f32 tensor `input` of shape [input.count], computes,
/// and returns output 0 read as f32 (at most `maxOutputs` values).
func runF32Graph(name: [UInt8], input: [Float], maxOutputs: Int) throws(NNError) -> [Float] {
    guard MemoryLayout<WitxTensor>.size == 20, MemoryLayout<WitxTensor>.offset(of: \.dataPtr) == 12 else {
        throw NNError(call: "layout", errno: 1)
    }
    var graph: UInt32 = 0
    var ctx: UInt32 = 0
    try nameCall(name, &graph)
    try nnCheck(nn_init_execution_context(graph, &ctx), "init_execution_context")
    var dims: [UInt32] = [UInt32(input.count)]
    let setErrno = dims.withUnsafeMutableBufferPointer { d in
        input.withUnsafeBufferPointer { x in
            var t = WitxTensor(dimsPtr: guestAddress(d.baseAddress!), dimsLen: 1, type: 1,
                               dataPtr: guestAddress(x.baseAddress!), dataLen: UInt32(x.count * 4))
            return withUnsafePointer(to: &t) { nn_set_input(ctx, 0, $0) }
        }
    }
    try nnCheck(setErrno, "set_input")
    try nnCheck(nn_compute(ctx), "compute")
    var out = [Float](repeating: 0, count: maxOutputs)
    var written: UInt32 = 0
    let getErrno = out.withUnsafeMutableBytes { nn_get_output(ctx, 0, $0.baseAddress!, UInt32($0.count), &written) }
    try nnCheck(getErrno, "get_output")
    return Array(out[0..<Int(written / 4)])
}

private func nameCall(_ name: [UInt8], _ graph: inout UInt32) throws(NNError) {
    let e = name.withUnsafeBufferPointer { nn_load_by_name($0.baseAddress!, UInt32($0.count), &graph) }
    try nnCheck(e, "load_by_name")
}

/// "[x0, x1, ...]" with Swift's Float formatting.
func list(_ xs: [Float]) -> String {
    var s = "["
    for (i, x) in xs.enumerated() { s += (i > 0 ? ", " : "") + "\(x)" }
    return s + "]"
}
