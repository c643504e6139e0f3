import CSentencePiece

/// A loaded SentencePiece model (`.spm` / `.model` file), through the `CSentencePiece` shim.
///
/// Ids here are the SentencePiece model's own (0..<``vocabularySize``), not a translation model's
/// ids: Marian exports map pieces to model ids through vocab.json (see ``MarianTokenizer``).
/// The model is immutable once loaded, so one instance may be used from several threads at once.
public final class SentencePieceModel: @unchecked Sendable {
    /// One segment of an encoded text: the piece's UTF-8 bytes and its SentencePiece id.
    public struct Piece: Sendable, Hashable {
        /// The piece's UTF-8 bytes (`▁` marks a word start). Unknown text comes back as its own
        /// normalized surface, with the unknown id.
        public var utf8: [UInt8]
        public var id: Int
        /// The piece as a string.
        public var text: String { String(decoding: utf8, as: UTF8.self) }
    }

    private let handle: OpaquePointer
    /// Where the model came from: its path, or the name given to ``init(bytes:name:)``.
    public let name: String

    /// Loads the model file at `path`; a missing file or one SentencePiece cannot read as a model
    /// throws, with `path` as the error's file.
    public init(path: String) throws(TokenizerError) {
        try requireRegularFile(path)
        var error: UnsafeMutablePointer<CChar>?
        guard let handle = csp_load(path, &error) else {
            throw TokenizerError(.invalidSentencePieceModel(takeMessage(error)), file: path)
        }
        self.handle = handle
        self.name = path
    }

    /// Loads a model from its serialized bytes; `name` labels errors.
    public init(bytes: [UInt8], name: String) throws(TokenizerError) {
        var error: UnsafeMutablePointer<CChar>?
        let loaded = bytes.withUnsafeBytes { csp_load_from_bytes($0.baseAddress, $0.count, &error) }
        guard let handle = loaded else {
            throw TokenizerError(.invalidSentencePieceModel(takeMessage(error)), file: name)
        }
        self.handle = handle
        self.name = name
    }

    deinit { csp_free(handle) }

    /// Number of pieces; SentencePiece ids are 0..<vocabularySize.
    public var vocabularySize: Int { Int(csp_vocab_size(handle)) }

    /// The model's unknown-piece id, if it has one.
    public var unknownID: Int? {
        let id = csp_unk_id(handle)
        return id >= 0 ? Int(id) : nil
    }

    /// The id of `piece`, or ``unknownID`` when the model has no such piece.
    public func id(of piece: String) -> Int {
        let utf8 = Array(piece.utf8)
        return Int(utf8.withUnsafeBufferPointer { csp_piece_to_id(handle, rebound($0.baseAddress), $0.count) })
    }

    /// The piece with id `id`, or nil outside 0..<``vocabularySize``.
    public func piece(of id: Int) -> String? {
        guard let id32 = Int32(exactly: id) else { return nil }
        var length = 0
        guard let bytes = csp_id_to_piece(handle, id32, &length) else { return nil }
        return makeString(bytes, length)
    }

    /// Segments `text` into pieces (no BOS/EOS, no sampling), as SentencePiece's `Encode`.
    public func encode(_ text: String) throws(TokenizerError) -> [Piece] {
        try encode(utf8: Array(text.utf8))
    }

    /// Segments the UTF-8 bytes `utf8` into pieces.
    public func encode(utf8: [UInt8]) throws(TokenizerError) -> [Piece] {
        var error: UnsafeMutablePointer<CChar>?
        let encoding = utf8.withUnsafeBufferPointer { csp_encode(handle, rebound($0.baseAddress), $0.count, &error) }
        guard let encoding else { throw TokenizerError(.sentencePiece(takeMessage(error)), file: name) }
        defer { csp_encoding_free(encoding) }
        let count = csp_encoding_count(encoding)
        var pieces: [Piece] = []
        pieces.reserveCapacity(count)
        for i in 0..<count {
            var length = 0
            let bytes = csp_encoding_piece(encoding, i, &length)
            let utf8 = bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
            pieces.append(Piece(utf8: utf8, id: Int(csp_encoding_id(encoding, i))))
        }
        return pieces
    }

    /// The ids of `text`'s pieces.
    public func encodeIDs(_ text: String) throws(TokenizerError) -> [Int] {
        try encode(text).map(\.id)
    }

    /// Detokenizes pieces as SentencePiece's `DecodePieces` (pieces the model lacks are kept as
    /// they are; the leading `▁` of the first word is dropped).
    public func decode(pieces: [String]) throws(TokenizerError) -> String {
        try decode(utf8Pieces: pieces.map { Array($0.utf8) })
    }

    /// Detokenizes pieces given as UTF-8 bytes.
    public func decode(utf8Pieces pieces: [[UInt8]]) throws(TokenizerError) -> String {
        // One contiguous buffer holds every piece; the pointer table indexes into it.
        var joined: [UInt8] = []
        joined.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        for piece in pieces {
            offsets.append(joined.count)
            lengths.append(piece.count)
            joined.append(contentsOf: piece)
        }
        var error: UnsafeMutablePointer<CChar>?
        var outLength = 0
        let out: UnsafeMutablePointer<CChar>? = joined.withUnsafeBufferPointer { bytes in
            let base = rebound(bytes.baseAddress)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in base.map { $0 + offset } }
            return pointers.withUnsafeBufferPointer { table in
                lengths.withUnsafeBufferPointer { lens in
                    csp_decode_pieces(handle, table.baseAddress, lens.baseAddress, pieces.count, &outLength, &error)
                }
            }
        }
        guard let out else { throw TokenizerError(.sentencePiece(takeMessage(error)), file: name) }
        defer { csp_string_free(out) }
        return makeString(out, outLength)
    }

    /// Detokenizes SentencePiece ids as `DecodeIds`; an id outside 0..<``vocabularySize`` throws.
    public func decode(ids: [Int]) throws(TokenizerError) -> String {
        var ids32: [Int32] = []
        ids32.reserveCapacity(ids.count)
        for id in ids {
            guard let id32 = Int32(exactly: id) else {
                throw TokenizerError(.sentencePiece("id \(id) is outside the vocabulary"), file: name)
            }
            ids32.append(id32)
        }
        var error: UnsafeMutablePointer<CChar>?
        var outLength = 0
        let out = ids32.withUnsafeBufferPointer {
            csp_decode_ids(handle, $0.baseAddress, $0.count, &outLength, &error)
        }
        guard let out else { throw TokenizerError(.sentencePiece(takeMessage(error)), file: name) }
        defer { csp_string_free(out) }
        return makeString(out, outLength)
    }
}

/// Takes ownership of a shim error message: returns it and frees it.
private func takeMessage(_ error: UnsafeMutablePointer<CChar>?) -> String {
    guard let error else { return "unknown error" }
    defer { csp_string_free(error) }
    return String(cString: error)
}

private func rebound(_ pointer: UnsafePointer<UInt8>?) -> UnsafePointer<CChar>? {
    pointer.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
}

/// A string from `length` UTF-8 bytes at `bytes` (they may include NUL; invalid UTF-8 is repaired).
private func makeString(_ bytes: UnsafePointer<CChar>, _ length: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
}
