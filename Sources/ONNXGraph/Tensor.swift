/// A dense, row-major tensor: an element type, a shape and storage.
///
/// Numeric elements are stored one after another in their natural width, little-endian.
/// Sub-byte types (int4, uint4, int2, uint2, float4e2m1) are stored **unpacked**, one element per
/// byte: signed ones sign-extended to int8, the others as their raw code in the low bits.
/// `float16`, `bfloat16` and the float8 types are stored as their bit patterns (UInt16 / UInt8).
/// `bool` is one byte, 0 or 1. `string` elements live in `storage.strings`.
public struct Tensor: Sendable {
    public let dataType: DataType
    public let shape: [Int]
    public let storage: TensorStorage
    /// Number of elements: the product of `shape` (1 for a scalar).
    public let count: Int

    /// Wraps existing storage. Throws when the storage is smaller than the shape needs.
    public init(dataType: DataType, shape: [Int], storage: TensorStorage) throws(GraphError) {
        let count = try Tensor.elementCount(shape)
        if dataType == .string {
            guard storage.strings.count == count else {
                throw GraphError(.storageTooSmall(needed: count, available: storage.strings.count))
            }
        } else {
            let (needed, overflow) = count.multipliedReportingOverflow(by: dataType.storageSize)
            guard !overflow, needed <= storage.byteCount else {
                throw GraphError(.storageTooSmall(needed: needed, available: storage.byteCount))
            }
        }
        self.dataType = dataType
        self.shape = shape
        self.storage = storage
        self.count = count
    }

    /// Allocates an uninitialized tensor (zeroed when asked).
    public init(allocating dataType: DataType, shape: [Int], zeroed: Bool = false) throws(GraphError) {
        let count = try Tensor.elementCount(shape)
        if dataType == .string {
            self.storage = TensorStorage(strings: Array(repeating: "", count: count))
        } else {
            let (bytes, overflow) = count.multipliedReportingOverflow(by: dataType.storageSize)
            guard !overflow else { throw GraphError(.allocationTooLarge(bytes: Int.max)) }
            self.storage = try TensorStorage(byteCount: bytes, zeroed: zeroed)
        }
        self.dataType = dataType
        self.shape = shape
        self.count = count
    }

    /// A tensor of `strings`.
    public init(strings: [String], shape: [Int]) throws(GraphError) {
        try self.init(dataType: .string, shape: shape, storage: TensorStorage(strings: strings))
    }

    /// A tensor holding a copy of `values`, whose Swift type must match `dataType`'s storage width.
    public init<T: BitwiseCopyable>(_ dataType: DataType, shape: [Int], values: [T]) throws(GraphError) {
        try self.init(allocating: dataType, shape: shape)
        guard values.count == count, MemoryLayout<T>.stride == dataType.storageSize else {
            throw GraphError(.storageTooSmall(needed: count * dataType.storageSize,
                                              available: values.count * MemoryLayout<T>.stride))
        }
        values.withUnsafeBytes { storage.bytes.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// Bytes the elements occupy in storage (0 for strings).
    public var byteCount: Int { count * dataType.storageSize }

    public var rank: Int { shape.count }

    /// The first element's address.
    public var data: UnsafeMutableRawPointer { storage.bytes }

    /// The elements as `T`, which must have the storage width of `dataType`.
    public func elements<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        storage.bytes.assumingMemoryBound(to: T.self)
    }

    /// The same storage under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) throws(GraphError) -> Tensor {
        let newCount = try Tensor.elementCount(newShape)
        guard newCount == count else { throw GraphError(.shapeMismatch(expected: shape, actual: newShape)) }
        return try Tensor(dataType: dataType, shape: newShape, storage: storage)
    }

    /// A copy of the elements as a Swift array, for tests and tools (never on a hot path).
    public func toArray<T>(_: T.Type) -> [T] {
        Array(UnsafeBufferPointer(start: elements(T.self), count: count))
    }

    /// The type of this tensor as a value fact.
    public var type: TensorType { TensorType(dataType, shape: shape) }

    /// Product of the dims; throws on a negative dim or overflow rather than trapping.
    public static func elementCount(_ shape: [Int]) throws(GraphError) -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw GraphError(.negativeDimension(shape)) }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow else { throw GraphError(.elementCountOverflow(shape)) }
            n = m
        }
        return n
    }
}
