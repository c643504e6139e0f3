/// A wire-format pass over a serialized `ModelProto` that cuts the `raw_data` payloads of large
/// tensors out before protobuf-c sees the model, so that protobuf-c copies only a small skeleton
/// and each payload is copied once, straight into 64-byte-aligned tensor storage.
///
/// Tensors are found where a model holds them: `graph.initializer`, sparse initializers
/// (`values`, `indices`), node attributes (`t`, `tensors`, `sparse_tensor`, `sparse_tensors`), and
/// the same inside subgraphs (attributes `g`, `graphs`), model-local functions (`node`,
/// `attribute_proto`) and training info graphs. A `raw_data` field of at least `threshold` bytes is
/// replaced by a *marker*: a `raw_data` of `markerLength` bytes holding this load's random nonce
/// and the index of the recorded span. The enclosing length prefixes are rewritten; every other
/// byte is kept as it is. With nothing to cut, no skeleton is made and the input is unpacked as it is.
///
/// The pass must run after the depth guard accepted `bytes`: it recurses once per nested message,
/// and so is bounded by the guard's limit (it also checks `depthLimit` itself). Every length is
/// checked against its enclosing message before use.
struct RawDataSplit {
    /// Smallest `raw_data` payload that is cut out (smaller ones stay on protobuf-c's path).
    static let threshold = 4096
    /// Bytes of a marker's `raw_data` payload: nonce (8, little-endian), span index (8).
    static let markerLength = 16

    /// Where one cut payload lies in the input.
    struct Span: Equatable {
        var offset: Int
        var length: Int
    }

    /// Cut payloads, indexed by the markers.
    private(set) var spans: [Span] = []
    /// The re-encoded model; nil when nothing was cut.
    private(set) var skeleton: [UInt8]?
    /// This load's marker nonce.
    let nonce: UInt64

    private struct Edit {
        var range: Range<Int>
        var replacement: [UInt8]
    }

    private enum Message {
        case model, graph, node, attribute, tensor, sparseTensor, function, trainingInfo
    }

    private let bytes: UnsafeRawBufferPointer
    private let depthLimit: Int
    private var edits: [Edit] = []

    /// Scans `bytes` (a whole ModelProto) and builds the skeleton if any payload was cut.
    init(_ bytes: UnsafeRawBufferPointer, depthLimit: Int = ProtoUnpack.depthLimit,
         nonce: UInt64 = UInt64.random(in: .min ... .max)) throws(LoadError) {
        self.nonce = nonce
        self.depthLimit = depthLimit
        self.bytes = bytes
        let delta = try scan(0, bytes.count, .model, depth: 0)
        guard !edits.isEmpty else { return }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + delta)
        var position = 0
        for edit in edits {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position..<edit.range.lowerBound]))
            out.append(contentsOf: edit.replacement)
            position = edit.range.upperBound
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position...]))
        skeleton = out
    }

    /// The span a marker stands for, or nil when `payload` is not one of this load's markers.
    func span(marker payload: UnsafeRawBufferPointer) -> Span? {
        guard payload.count == Self.markerLength else { return nil }
        let nonce = payload.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        let index = payload.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        guard nonce == self.nonce, index < UInt64(spans.count) else { return nil }
        return spans[Int(index)]
    }

    /// Message type of field `field` of a `parent` message, for the fields that can lead to tensors.
    private static func child(_ parent: Message, _ field: UInt64) -> Message? {
        switch (parent, field) {
        case (.model, 7): .graph                                   // ModelProto.graph
        case (.model, 20): .trainingInfo                           // ModelProto.training_info
        case (.model, 25): .function                               // ModelProto.functions
        case (.trainingInfo, 1), (.trainingInfo, 2): .graph        // initialization, algorithm
        case (.graph, 1): .node                                    // GraphProto.node
        case (.graph, 5): .tensor                                  // GraphProto.initializer
        case (.graph, 15): .sparseTensor                           // GraphProto.sparse_initializer
        case (.function, 7): .node                                 // FunctionProto.node
        case (.function, 11): .attribute                           // FunctionProto.attribute_proto
        case (.node, 5): .attribute                                // NodeProto.attribute
        case (.attribute, 5), (.attribute, 10): .tensor            // AttributeProto.t, tensors
        case (.attribute, 6), (.attribute, 11): .graph             // AttributeProto.g, graphs
        case (.attribute, 22), (.attribute, 23): .sparseTensor     // sparse_tensor, sparse_tensors
        case (.sparseTensor, 1), (.sparseTensor, 2): .tensor       // SparseTensorProto.values, indices
        default: nil
        }
    }

    /// Scans the fields in `start..<end` of a `message`; returns how much the region's encoding
    /// changes in length (zero when nothing inside was cut, negative otherwise).
    private mutating func scan(_ start: Int, _ end: Int, _ message: Message, depth: Int) throws(LoadError) -> Int {
        guard depth <= depthLimit else { throw LoadError(.tooDeep(limit: depthLimit, offset: start)) }
        var i = start, delta = 0
        while i < end {
            let fieldStart = i
            let key = try varint(&i, end, fieldStart)
            switch key & 7 {
            case 0:
                _ = try varint(&i, end, fieldStart)
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard end - i >= width else { throw LoadError(.truncated(offset: fieldStart)) }
                i += width
            case 2:
                let lengthStart = i
                let v = try varint(&i, end, fieldStart)
                guard v <= UInt64(end - i) else { throw LoadError(.truncated(offset: fieldStart)) }
                let length = Int(v), payload = i
                i += length
                let field = key >> 3
                if message == .tensor, field == 9, length >= Self.threshold {   // TensorProto.raw_data
                    let marker = makeMarker(index: spans.count)
                    spans.append(Span(offset: payload, length: length))
                    edits.append(Edit(range: fieldStart..<i, replacement: marker))
                    delta += marker.count - (i - fieldStart)
                } else if let sub = Self.child(message, field) {
                    let at = edits.count
                    edits.append(Edit(range: lengthStart..<payload, replacement: []))
                    let d = try scan(payload, i, sub, depth: depth + 1)
                    if d == 0 {
                        edits.removeLast()   // nothing below was cut: the placeholder is last
                    } else {
                        var prefix: [UInt8] = []
                        Self.putVarint(UInt64(length + d), &prefix)
                        edits[at].replacement = prefix
                        delta += d + prefix.count - (payload - lengthStart)
                    }
                }
            default:
                throw LoadError(.malformed(offset: fieldStart))   // groups (3, 4) are not used by ONNX
            }
        }
        return delta
    }

    /// A whole `raw_data` field (key, length, payload) standing for span `index`.
    private func makeMarker(index: Int) -> [UInt8] {
        var out: [UInt8] = [9 << 3 | 2, UInt8(Self.markerLength)]
        withUnsafeBytes(of: nonce.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(index).littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// Reads a LEB128 varint at `i` (at most 10 bytes) inside `..<end`; errors name `fieldStart`.
    private func varint(_ i: inout Int, _ end: Int, _ fieldStart: Int) throws(LoadError) -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while i < end {
            let b = bytes[i]
            i += 1
            value |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
            guard shift < 64 else { throw LoadError(.malformed(offset: fieldStart)) }
        }
        throw LoadError(.truncated(offset: fieldStart))
    }

    static func putVarint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
