/// A row-major tensor: an element type, a shape and storage, dense unless made padded.
///
/// **Layout.** A dense tensor (what every constructor but the padded ones makes) stores its `count`
/// elements one after another from `data`. A *padded* tensor (rank >= 2, numeric) has spare rows
/// along axis `rank - 2`: for each index of the leading axes (`shape[0..<rank-2]`, row-major) the
/// storage holds a slab of `rowCapacity × shape[rank-1]` elements (`slabPitch`), of which the
/// first `shape[rank-2]` rows are the tensor's; the rest is capacity for appending rows in place
/// (see `appendingRows(_:)`). Element `[i..., r, c]` lives at `slab(i...) * slabPitch + r *
/// shape[rank-1] + c`. `count` and `byteCount` are the logical (valid) element count and bytes,
/// never the capacity. A padded tensor whose capacity is full (`rowCapacity == shape[rank-2]`) is
/// laid out densely (`isDense`) but stays `isPadded`: `Concat` regrows it instead of copying it
/// into a plain tensor. Code that walks `data` contiguously must check `isDense` or use
/// `densified()`; the interpreter densifies non-dense inputs of every op that does not declare it
/// reads them.
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
    /// Number of elements: the product of `shape` (1 for a scalar), padding excluded.
    public let count: Int
    /// Rows of capacity past `shape[rank-2]` in each slab (>= 0) of a padded tensor; -1 for a
    /// plain dense one.
    @usableFromInline let spareRows: Int

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
        self.spareRows = -1
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
        self.spareRows = -1
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

    /// The same storage under another shape with the same element count. A padded tensor is
    /// densified first (a copy, not a view): its elements are not one contiguous run.
    public func reshaped(_ newShape: [Int]) throws(GraphError) -> Tensor {
        let newCount = try Tensor.elementCount(newShape)
        guard newCount == count else { throw GraphError(.shapeMismatch(expected: shape, actual: newShape)) }
        if !isDense { return try densified().reshaped(newShape) }
        return try Tensor(dataType: dataType, shape: newShape, storage: storage)
    }

    /// A copy of the elements (row-major, padding skipped) as a Swift array, for tests and tools
    /// (never on a hot path).
    public func toArray<T>(_: T.Type) -> [T] {
        guard isDense else {
            return (try? densified()).map { Array(UnsafeBufferPointer(start: $0.elements(T.self), count: count)) } ?? []
        }
        return Array(UnsafeBufferPointer(start: elements(T.self), count: count))
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

// MARK: - Padded tensors

extension Tensor {
    /// True when the elements are one contiguous run from `data` (no spare rows): every tensor
    /// but a padded one with spare capacity.
    @inlinable
    public var isDense: Bool { spareRows <= 0 }

    /// True for a tensor made with a row capacity (`init(allocating:shape:rowCapacity:)`,
    /// `padded(rowCapacity:)`, or a view from `appendingRows(_:)`), even when its capacity is full:
    /// rows can be appended to it in place or by regrowing.
    @inlinable
    public var isPadded: Bool { spareRows >= 0 }

    /// Rows each slab holds along axis `rank - 2`: `shape[rank-2]` for a dense tensor, more for a
    /// padded one with spare rows; 0 for rank < 2.
    public var rowCapacity: Int { rank < 2 ? 0 : shape[rank - 2] + max(spareRows, 0) }

    /// Elements from one slab's start to the next: `rowCapacity * shape[rank-1]` (rank >= 2);
    /// `count` for rank < 2.
    public var slabPitch: Int { rank < 2 ? count : rowCapacity * shape[rank - 1] }

    /// Number of slabs: the product of the leading dims `shape[0..<rank-2]` (1 for rank < 2).
    public var slabCount: Int { rank < 2 ? 1 : shape.dropLast(2).reduce(1, *) }

    /// A view of `rowCapacity - shape[rank-2]` spare rows per slab. Internal: padded views are made
    /// by the padded allocator and `appendingRows(_:)` only.
    private init(uncheckedDataType dataType: DataType, shape: [Int], storage: TensorStorage, count: Int, spareRows: Int) {
        self.dataType = dataType
        self.shape = shape
        self.storage = storage
        self.count = count
        self.spareRows = spareRows
    }

    /// Allocates an uninitialized padded tensor of logical `shape` (rank >= 2, not `string`) with
    /// `rowCapacity >= shape[rank-2]` rows per slab. Its storage's append mark is `shape[rank-2]`,
    /// so `appendingRows(_:)` on it succeeds. With `rowCapacity == shape[rank-2]` it is dense
    /// (and padded, with a full capacity).
    public init(allocating dataType: DataType, shape: [Int], rowCapacity: Int) throws(GraphError) {
        let rank = shape.count
        guard rank >= 2, dataType != .string, rowCapacity >= shape[rank - 2] else {
            var wanted = shape
            if rank >= 2 { wanted[rank - 2] = rowCapacity }
            throw GraphError(.shapeMismatch(expected: wanted, actual: shape))
        }
        let count = try Tensor.elementCount(shape)
        var capacityShape = shape
        capacityShape[rank - 2] = rowCapacity
        let elements = try Tensor.elementCount(capacityShape)
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dataType.storageSize)
        guard !overflow else { throw GraphError(.allocationTooLarge(bytes: Int.max)) }
        let storage = try TensorStorage(byteCount: bytes)
        storage.resetAppendMark(shape[rank - 2])
        self.init(uncheckedDataType: dataType, shape: shape, storage: storage, count: count,
                  spareRows: rowCapacity - shape[rank - 2])
    }

    /// The view with `n` more rows along axis `rank - 2`, sharing storage, or nil when they do not
    /// fit in the spare capacity or this view does not end at the storage's append mark (another
    /// view already appended past it: its rows must not be overwritten). On success the mark moves
    /// past the new rows atomically, so of several views of one length only one can append; the
    /// caller must fill rows `shape[rank-2] ..< shape[rank-2] + n` of every slab before anyone
    /// reads the returned view. Rows this view covers are never touched.
    public func appendingRows(_ n: Int) -> Tensor? {
        guard rank >= 2, isPadded, n >= 0, n <= spareRows else { return nil }
        if n == 0 { return self }
        let rows = shape[rank - 2]
        guard storage.claimRows(from: rows, count: n) else { return nil }
        var newShape = shape
        newShape[rank - 2] = rows + n
        return Tensor(uncheckedDataType: dataType, shape: newShape, storage: storage,
                      count: slabCount * (rows + n) * shape[rank - 1], spareRows: spareRows - n)
    }

    /// This tensor if dense, else a dense copy of its valid rows (fresh storage).
    public func densified() throws(GraphError) -> Tensor {
        if isDense { return self }
        let out = try Tensor(allocating: dataType, shape: shape)
        copyDense(to: out.data)
        return out
    }

    /// Writes the elements row-major without padding to `destination`, which holds `byteCount`
    /// bytes. Numeric types only (a `string` tensor is always dense and has no bytes).
    public func copyDense(to destination: UnsafeMutableRawPointer) {
        if isDense {
            if byteCount > 0 { destination.copyMemory(from: data, byteCount: byteCount) }
            return
        }
        let es = dataType.storageSize
        let validBytes = shape[rank - 2] * shape[rank - 1] * es, pitchBytes = slabPitch * es
        guard validBytes > 0 else { return }
        for s in 0..<slabCount {
            (destination + s * validBytes).copyMemory(from: data + s * pitchBytes, byteCount: validBytes)
        }
    }

    /// A padded copy with `rowCapacity` rows per slab (at least `shape[rank-2]`), holding this
    /// tensor's valid rows; the spare rows are uninitialized. Rank >= 2, numeric.
    public func padded(rowCapacity: Int) throws(GraphError) -> Tensor {
        let out = try Tensor(allocating: dataType, shape: shape, rowCapacity: rowCapacity)
        let es = dataType.storageSize
        let validBytes = shape[rank - 2] * shape[rank - 1] * es
        let fromPitch = slabPitch * es, toPitch = out.slabPitch * es
        if validBytes > 0 {
            for s in 0..<slabCount {
                (out.data + s * toPitch).copyMemory(from: data + s * fromPitch, byteCount: validBytes)
            }
        }
        return out
    }
}
