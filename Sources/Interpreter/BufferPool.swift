import ONNXGraph
import Ops

/// Recycles tensor storage by size class (powers of two, at least 64 bytes), so that a session's
/// steady state allocates nothing: a dead value's storage goes back here when no view shares it.
final class BufferPool: TensorAllocator {
    /// Buffers kept per size class; more are freed.
    static let buffersPerClass = 16
    private var free: [Int: [TensorStorage]] = [:]

    static func sizeClass(_ bytes: Int) -> Int {
        bytes <= 64 ? 64 : 1 << (Int.bitWidth - (bytes - 1).leadingZeroBitCount)
    }

    func allocate(_ dataType: DataType, shape: [Int]) throws(GraphError) -> Tensor {
        if dataType == .string { return try Tensor(allocating: dataType, shape: shape) }
        let count = try Tensor.elementCount(shape)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dataType.storageSize)
        guard !overflow, bytes <= TensorStorage.maximumByteCount else { throw GraphError(.allocationTooLarge(bytes: bytes)) }
        let cls = BufferPool.sizeClass(bytes)
        let storage: TensorStorage
        if let reused = free[cls]?.popLast() { storage = reused } else { storage = try TensorStorage(byteCount: cls) }
        return try Tensor(dataType: dataType, shape: shape, storage: storage)
    }

    /// Takes back `storage` if it is a pool-sized buffer nobody else references.
    func recycle(_ storage: inout TensorStorage) {
        guard storage.ownsMemory, storage.byteCount >= 64, storage.byteCount & (storage.byteCount - 1) == 0,
              isKnownUniquelyReferenced(&storage) else { return }
        if free[storage.byteCount, default: []].count < BufferPool.buffersPerClass {
            free[storage.byteCount, default: []].append(storage)
        }
    }
}
