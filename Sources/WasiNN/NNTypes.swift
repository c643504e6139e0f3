import ONNXGraph

/// wasi-nn's `graph_encoding` (witx numbering). Only `onnx` is served.
public enum GraphEncoding: UInt32, Sendable, Hashable, CaseIterable {
    case openvino = 0, onnx = 1, tensorflow = 2, pytorch = 3, tensorflowlite = 4, autodetect = 5
}

/// wasi-nn's `execution_target` (witx numbering). Only `cpu` is served.
public enum ExecutionTarget: UInt32, Sendable, Hashable, CaseIterable {
    case cpu = 0, gpu = 1, tpu = 2
}

/// An element type a tensor may have at the wasi-nn boundary.
///
/// The spec's six types (witx `tensor_type`, numbered `f16` 0, `f32` 1, `f64` 2, `u8` 3, `i32` 4,
/// `i64` 5 since WebAssembly/wasi-nn#54) plus two onnxrun extensions, numbered outside the spec's
/// range in both numberings: **`bf16` = 128** and **`i8` = 129**. Element bytes are little-endian;
/// `f16` and `bf16` are IEEE binary16 / bfloat16 bit patterns.
public enum NNTensorType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case f16, f32, f64, u8, i32, i64, bf16, i8

    /// The ONNX element type this wasi-nn type carries.
    public var dataType: DataType {
        switch self {
        case .f16: .float16
        case .f32: .float
        case .f64: .double
        case .u8: .uint8
        case .i32: .int32
        case .i64: .int64
        case .bf16: .bfloat16
        case .i8: .int8
        }
    }

    /// Bytes per element.
    public var byteWidth: Int { dataType.storageSize }

    /// The wasi-nn type of an ONNX element type, nil when wasi-nn cannot carry it.
    public init?(_ dataType: DataType) {
        guard let t = NNTensorType.allCases.first(where: { $0.dataType == dataType }) else { return nil }
        self = t
    }

    public var description: String {
        switch self {
        case .f16: "f16"
        case .f32: "f32"
        case .f64: "f64"
        case .u8: "u8"
        case .i32: "i32"
        case .i64: "i64"
        case .bf16: "bf16"
        case .i8: "i8"
        }
    }
}

/// How `tensor_type` values are numbered on the wire.
public enum TensorTypeNumbering: Sendable, Hashable {
    /// The witx numbering since WebAssembly/wasi-nn#54: f16 0, f32 1, f64 2, u8 3, i32 4, i64 5.
    case spec
    /// The pre-#54 numbering WasmEdge still uses: f16 0, f32 1, u8 2, i32 3 (no f64, no i64).
    case wasmEdgeLegacy

    /// The extension codes, the same in both numberings.
    public static let bf16Code: UInt32 = 128
    public static let i8Code: UInt32 = 129
    /// What `describe_graph` and `get_output_shape` report for an element type wasi-nn cannot carry.
    public static let unrepresentableCode: UInt32 = 0xFFFF_FFFF

    /// The type a wire value names, nil for an unknown value.
    public func decode(_ code: UInt32) -> NNTensorType? {
        switch (self, code) {
        case (_, Self.bf16Code): .bf16
        case (_, Self.i8Code): .i8
        case (.spec, 0), (.wasmEdgeLegacy, 0): .f16
        case (.spec, 1), (.wasmEdgeLegacy, 1): .f32
        case (.spec, 2): .f64
        case (.spec, 3), (.wasmEdgeLegacy, 2): .u8
        case (.spec, 4), (.wasmEdgeLegacy, 3): .i32
        case (.spec, 5): .i64
        default: nil
        }
    }

    /// The wire value of `type`, nil when this numbering has none (f64 and i64 in the legacy one).
    public func code(_ type: NNTensorType) -> UInt32? {
        switch (self, type) {
        case (_, .bf16): Self.bf16Code
        case (_, .i8): Self.i8Code
        case (_, .f16): 0
        case (_, .f32): 1
        case (.spec, .f64): 2
        case (.spec, .u8): 3
        case (.spec, .i32): 4
        case (.spec, .i64): 5
        case (.wasmEdgeLegacy, .u8): 2
        case (.wasmEdgeLegacy, .i32): 3
        case (.wasmEdgeLegacy, _): nil
        }
    }

    /// The wire value describing an ONNX element type (`unrepresentableCode` when there is none).
    public func code(of dataType: DataType?) -> UInt32 {
        guard let dataType, let t = NNTensorType(dataType), let c = code(t) else { return Self.unrepresentableCode }
        return c
    }
}

/// A tensor as the Swift API exchanges it: a wasi-nn type, dimensions and raw little-endian bytes.
public struct NNTensor: Sendable, Hashable {
    public var type: NNTensorType
    public var dimensions: [Int]
    public var data: [UInt8]

    public init(type: NNTensorType, dimensions: [Int], data: [UInt8]) {
        self.type = type
        self.dimensions = dimensions
        self.data = data
    }

    /// A tensor holding `values`, whose Swift type must have `type`'s element width.
    public init<T: BitwiseCopyable>(_ type: NNTensorType, dimensions: [Int], values: [T]) {
        precondition(MemoryLayout<T>.stride == type.byteWidth, "element width does not match \(type)")
        self.init(type: type, dimensions: dimensions, data: values.withUnsafeBytes { Array($0) })
    }

    /// The data read as elements of `T` (whose width must be the type's).
    public func values<T: BitwiseCopyable>(_: T.Type) -> [T] {
        precondition(MemoryLayout<T>.stride == type.byteWidth, "element width does not match \(type)")
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / MemoryLayout<T>.stride)).map {
                raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.stride, as: T.self)
            }
        }
    }
}
