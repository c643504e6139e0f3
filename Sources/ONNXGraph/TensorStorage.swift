#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Bytes behind one or more tensors: owned (64-byte aligned, freed on deinit) or a view into memory
/// someone else owns (an `mmap` of a model file), which `owner` keeps alive.
///
/// Storage is shared by views (`Tensor.reshaped`); code that writes into a storage must be the only
/// holder of it (`isKnownUniquelyReferenced`) or have allocated it itself. The one exception is
/// appending rows to a padded tensor (`Tensor.appendingRows(_:)`): the storage's *append mark*
/// (rows per slab handed out so far) is claimed atomically, so a writer only ever writes rows no
/// existing view covers.
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
    /// Rows per slab that padded views of this storage cover (-1 for storage no padded tensor was
    /// allocated on).
    private let appendMark = Atomic<Int>(-1)

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

    /// Rows per slab handed out to padded views so far; -1 unless a padded tensor was allocated here.
    public var appendedRows: Int { appendMark.load(ordering: .acquiring) }

    /// Starts the append mark of freshly allocated padded storage at `rows`.
    func resetAppendMark(_ rows: Int) { appendMark.store(rows, ordering: .releasing) }

    /// Moves the append mark from `rows` to `rows + count` if it is at `rows`; false otherwise.
    func claimRows(from rows: Int, count: Int) -> Bool {
        appendMark.compareExchange(expected: rows, desired: rows + count, ordering: .acquiringAndReleasing).exchanged
    }

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
