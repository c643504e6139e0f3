/// Why a tokenizer file could not be loaded or a text could not be tokenized, and which file.
public struct TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file does not exist.
        case fileNotFound
        /// The file exists but cannot be read (the system's reason), or is larger than the limit.
        case cannotRead(String)
        /// SentencePiece rejected the file as a model (its message).
        case invalidSentencePieceModel(String)
        /// The file is not valid JSON (or not UTF-8) at byte `offset`.
        case malformedJSON(offset: Int, String)
        /// The file is valid JSON but not what the tokenizer needs (e.g. a vocabulary id that is
        /// not an integer).
        case invalidContent(String)
        /// A special token (`<unk>`, `<pad>`) that vocab.json must contain is missing.
        case missingToken(String)
        /// A tokenizer feature this implementation does not provide (e.g. separate vocabularies).
        case unsupported(String)
        /// SentencePiece failed while encoding or decoding (its message).
        case sentencePiece(String)
    }

    public var kind: Kind
    /// The file concerned, when there is one.
    public var file: String?

    public init(_ kind: Kind, file: String? = nil) {
        self.kind = kind
        self.file = file
    }

    /// One line: the file, then what went wrong.
    public var description: String {
        let what: String = switch kind {
        case .fileNotFound: "no such file"
        case .cannotRead(let why): "cannot read: \(why)"
        case .invalidSentencePieceModel(let why): "not a SentencePiece model: \(why)"
        case .malformedJSON(let offset, let why): "malformed JSON at byte \(offset): \(why)"
        case .invalidContent(let why): why
        case .missingToken(let token): "special token '\(token)' is not in the vocabulary"
        case .unsupported(let why): "unsupported: \(why)"
        case .sentencePiece(let why): "SentencePiece: \(why)"
        }
        let line = file.map { "\($0): \(what)" } ?? what
        return line.contains(where: \.isNewline) ? String(line.map { $0.isNewline ? " " : $0 }) : line
    }
}
