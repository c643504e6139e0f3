import ONNXGraph

/// The `raw_data` payloads a `RawDataSplit` cut out of one model, turned into tensors when the
/// loader meets their markers.
///
/// From a file, each payload is read with `pread` straight into 64-byte-aligned tensor storage,
/// so the mapping never holds the weights' pages. From caller's bytes, each is copied. A payload
/// is read each time its marker is converted (a function body inlined twice reads it twice).
final class RawPayloads {
    let split: RawDataSplit
    private let bytes: UnsafeRawBufferPointer
    private let file: MappedFile?

    /// `bytes` are the input `split` scanned, valid while this object is used; `file` is their
    /// mapping when they came from one (with its descriptor kept).
    init(_ split: RawDataSplit, bytes: UnsafeRawBufferPointer, file: MappedFile?) {
        self.split = split
        self.bytes = bytes
        self.file = file
    }

    /// The tensor a marker stands for; nil when `raw` is not one of this load's markers.
    /// `expected` is the packed byte count `dt` and `shape` need.
    func tensor(marker raw: UnsafeRawBufferPointer, _ dt: DataType, _ shape: [Int], _ count: Int,
                expected: Int) throws(LoadError) -> Tensor? {
        guard let span = split.span(marker: raw) else { return nil }
        do throws(LoadError) {
            guard span.length == expected else {
                throw LoadError(.tensorDataSize(expected: expected, actual: span.length))
            }
            // Cannot fail: the split checked every span against the input.
            guard span.offset >= 0, span.length <= bytes.count - span.offset else {
                throw LoadError(.truncated(offset: span.offset))
            }
            if dt.isSubByte || dt == .bool {
                // Storage form differs from wire form: decode from the input bytes.
                guard let base = bytes.baseAddress else { throw LoadError(.truncated(offset: span.offset)) }
                let tensor = try TensorConverter.fromPacked(base + span.offset, dt, shape, count, adopt: nil)
                file?.release(span.offset..<(span.offset + span.length))
                return tensor
            }
            let tensor = try graphResult { () throws(GraphError) in try Tensor(allocating: dt, shape: shape) }
            if let file {
                try file.read(at: span.offset, count: span.length, into: tensor.data)
            } else if let base = bytes.baseAddress, span.length > 0 {
                tensor.data.copyMemory(from: base + span.offset, byteCount: span.length)
            }
            return tensor
        } catch {
            throw error.within("raw_data at byte \(span.offset)")
        }
    }
}
