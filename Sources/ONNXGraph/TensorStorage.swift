#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes behind one or more tensors: owned (64-byte aligned, freed on deinit) or a view into memory
/// someone else owns (an `mmap` of a model file), which `owner` keeps alive.
///
/// Storage is shared by views (`Tensor.reshaped`); code that writes into a storage must be the only
/// holder of it (`isKnownUniquelyReferenced`) or have allocated it itself.
public final class TensorStorage: @unchecked Sendable {
    /// Alignment of owned storage, enough for any AVX-512 load.
    public static let alignment = 64

    /// The first byte. Never nil: empty storage points at a one-byte allocation.
    public let bytes: UnsafeMutableRawPointer
    public let byteCount: Int
    /// Elements of a `string` tensor (whose `bytes` are empty).
    public var strings: [String]
    private let ownsBytes: Bool
    /// True when this storage allocated `bytes` itself (and frees them); false for views.
    public var ownsMemory: Bool { ownsBytes && byteCount > 0 }
    private let owner: AnyObject?

    /// Allocates `byteCount` bytes, 64-byte aligned, not initialized unless `zeroed`.
    /// Throws instead of trapping when the size is negative, larger than physical memory, or the
    /// allocation fails.
    public init(byteCount: Int, zeroed: Bool = false) throws(GraphError) {
        guard byteCount >= 0, byteCount <= TensorStorage.maximumByteCount else {
            throw GraphError(.allocationTooLarge(bytes: byteCount))
        }
        var raw: UnsafeMutableRawPointer?
        let rounded = (max(byteCount, 1) + TensorStorage.alignment - 1) & ~(TensorStorage.alignment - 1)
        guard posix_memalign(&raw, TensorStorage.alignment, rounded) == 0, let raw else {
            throw GraphError(.allocationTooLarge(bytes: byteCount))
        }
        if zeroed { memset(raw, 0, rounded) }
        self.bytes = raw
        self.byteCount = byteCount
        self.strings = []
        self.ownsBytes = true
        self.owner = nil
    }

    /// A view of `byteCount` bytes at `bytes` that stay valid while `owner` lives.
    public init(viewing bytes: UnsafeMutableRawPointer, byteCount: Int, owner: AnyObject?) {
        self.bytes = bytes
        self.byteCount = byteCount
        self.strings = []
        self.ownsBytes = false
        self.owner = owner
    }

    /// Storage for a `string` tensor (its `bytes` point at a shared, never-written placeholder).
    public init(strings: [String]) {
        self.bytes = TensorStorage.placeholder
        self.byteCount = 0
        self.strings = strings
        self.ownsBytes = false
        self.owner = nil
    }

    /// Where `bytes` points for storage that has none of its own; allocated once, never freed.
    nonisolated(unsafe) private static let placeholder = UnsafeMutableRawPointer.allocate(byteCount: alignment, alignment: alignment)

    deinit {
        if ownsBytes { free(bytes) }
    }

    /// The largest single allocation this runtime attempts: the machine's physical memory.
    public static let maximumByteCount: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 1 << 34 }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
    }()
}
