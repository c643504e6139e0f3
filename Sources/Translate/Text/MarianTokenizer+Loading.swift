/// Loading a ``MarianTokenizer`` from an export folder, resolving special tokens as transformers'
/// `MarianTokenizer.from_pretrained` does.
extension MarianTokenizer {
    /// The special-token attributes of transformers' tokenizers, in its order
    /// (`SPECIAL_TOKENS_ATTRIBUTES`), which fixes the order of `all_special_tokens`.
    private static let specialAttributes = [
        "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token",
    ]

    /// A special token as configured: its text, and its flags when given in `AddedToken` form
    /// (a JSON object); string-form tokens keep the flags an `added_tokens_decoder` entry gave them.
    private struct ConfiguredToken {
        var content: [Unicode.Scalar]
        var flags: AddedToken?
    }

    /// Loads `source.spm`, `target.spm`, `vocab.json` and, when present, `tokenizer_config.json`,
    /// `special_tokens_map.json` and `added_tokens.json` from `directory`.
    ///
    /// As transformers does: when tokenizer_config.json has `added_tokens_decoder`, it alone
    /// defines the added tokens and special_tokens_map.json and added_tokens.json are not read;
    /// otherwise special_tokens_map.json overrides tokenizer_config.json's special tokens and
    /// added_tokens.json (piece → id) lists the added tokens.
    public init(directory: String) throws(TokenizerError) {
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        let configPath = dir + "tokenizer_config.json"
        let config = try Self.optionalJSON(configPath) ?? .object([])
        guard case .object = config else {
            throw TokenizerError(.invalidContent("expected a JSON object, found \(config.typeName)"), file: configPath)
        }
        var mapPath = dir + "special_tokens_map.json"
        var map = JSONValue.object([])
        var legacyAdded: [JSONMember] = []
        if config["added_tokens_decoder"] == nil {
            map = try Self.optionalJSON(mapPath) ?? .object([])
            guard case .object = map else {
                throw TokenizerError(.invalidContent("expected a JSON object, found \(map.typeName)"), file: mapPath)
            }
            let addedPath = dir + "added_tokens.json"
            switch try Self.optionalJSON(addedPath) {
            case nil: break
            case .object(let members)?: legacyAdded = members
            case let other?:
                throw TokenizerError(.invalidContent("expected a JSON object, found \(other.typeName)"), file: addedPath)
            }
            for member in legacyAdded {
                guard case .integer = member.value else {
                    throw TokenizerError(.invalidContent("the id of '\(member.key)' is not an integer"), file: addedPath)
                }
            }
        } else {
            mapPath = configPath
        }
        if case .bool(true) = config["separate_vocabs"] {
            throw TokenizerError(.unsupported("separate_vocabs (a target_vocab.json for decoding)"), file: configPath)
        }
        let vocabPath = dir + "vocab.json"
        let (vocabulary, order) = try Self.readVocabulary(vocabPath)
        let source = try SentencePieceModel(path: dir + "source.spm")
        let target = try SentencePieceModel(path: dir + "target.spm")
        try self.init(source: source, target: target, vocabulary: vocabulary, order: order, config: config,
                      configPath: configPath, map: map, mapPath: mapPath, legacyAdded: legacyAdded,
                      vocabPath: vocabPath)
    }

    private init(source: SentencePieceModel, target: SentencePieceModel, vocabulary: [[UInt8]: Int],
                 order: [[UInt8]], config: JSONValue, configPath: String, map: JSONValue, mapPath: String,
                 legacyAdded: [JSONMember], vocabPath: String) throws(TokenizerError) {
        self.source = source
        self.target = target
        self.vocabulary = vocabulary
        var pieceForID: [Int: [UInt8]] = [:]
        for piece in order { if let id = vocabulary[piece] { pieceForID[id] = piece } }
        self.pieceForID = pieceForID

        // 1. added_tokens_decoder (tokenizer_config.json): id → token with flags.
        var addedTokens: [Int: AddedToken] = [:]
        var addedIDs: [[UInt8]: Int] = [:]
        if let entries = config["added_tokens_decoder"] {
            guard case .object(let members) = entries else {
                throw TokenizerError(.invalidContent("added_tokens_decoder is not an object"), file: configPath)
            }
            for member in members {
                let (key, value) = (member.key, member.value)
                guard let id = Int(key) else {
                    throw TokenizerError(.invalidContent("added_tokens_decoder key '\(key)' is not an id"), file: configPath)
                }
                guard let token = try Self.configuredToken(value, name: "added_tokens_decoder[\(key)]", file: configPath),
                      let flags = token.flags
                else {
                    throw TokenizerError(.invalidContent("added_tokens_decoder[\(key)] has no content"), file: configPath)
                }
                addedTokens[id] = flags
            }
            for member in members {
                if let id = Int(member.key), let token = addedTokens[id] { addedIDs[token.utf8] = id }
            }
        }
        for member in legacyAdded {
            guard case .integer(let id) = member.value else { continue }
            let token = AddedToken(PythonText.scalars(member.key))
            addedTokens[id] = token
            addedIDs[token.utf8] = id
        }
        // Special tokens whose text is an added_tokens_decoder entry take that entry's flags.
        let decoderContents = config["added_tokens_decoder"] == nil ? [] : Set(addedIDs.keys)

        // 2. Special tokens: tokenizer_config.json, overridden by special_tokens_map.json (an empty
        //    map when added_tokens_decoder is present).
        func setting(_ key: String) -> (JSONValue, String)? {
            if let v = map[key] { return (v, mapPath) }
            if let v = config[key] { return (v, configPath) }
            return nil
        }
        let defaults = ["eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"]
        var named: [String: ConfiguredToken] = [:]
        var extended: [ConfiguredToken] = []
        var seen: Set<[UInt8]> = []
        func note(_ token: ConfiguredToken) {
            let utf8 = PythonText.utf8(token.content)
            if seen.insert(utf8).inserted { extended.append(token) }
        }
        for attribute in Self.specialAttributes {
            var token: ConfiguredToken?
            if let (value, file) = setting(attribute) {
                token = try Self.configuredToken(value, name: attribute, file: file)
                if token == nil, defaults[attribute] != nil {
                    throw TokenizerError(.invalidContent("\(attribute) is null"), file: file)
                }
            } else if let text = defaults[attribute] {
                token = ConfiguredToken(content: PythonText.scalars(text), flags: nil)
            }
            if var token {
                if decoderContents.contains(PythonText.utf8(token.content)) { token.flags = nil }
                named[attribute] = token
                note(token)
            }
        }
        // additional_special_tokens: tokenizer_config.json's list, then special_tokens_map.json's
        // tokens not already in it.
        var additional: [ConfiguredToken] = []
        for (source, file) in [(config, configPath), (map, mapPath)] {
            guard let value = source["additional_special_tokens"] else { continue }
            switch value {
            case .null: break
            case .array(let items):
                for (n, item) in items.enumerated() {
                    guard let token = try Self.configuredToken(item, name: "additional_special_tokens[\(n)]", file: file),
                          !additional.contains(where: { $0.content == token.content })
                    else { continue }
                    additional.append(token)
                }
            default:
                throw TokenizerError(.invalidContent("additional_special_tokens is not a list"), file: file)
            }
            if mapPath == configPath { break }
        }
        for token in additional { note(token) }
        guard let eos = named["eos_token"]?.content, let unk = named["unk_token"]?.content,
              let pad = named["pad_token"]?.content
        else { throw TokenizerError(.invalidContent("eos_token, unk_token and pad_token must be set"), file: configPath) }

        // 3. MarianTokenizer requires <unk> and <pad> in vocab.json.
        guard let unknownPieceID = vocabulary[PythonText.utf8(unk)] else {
            throw TokenizerError(.missingToken(PythonText.string(unk)), file: vocabPath)
        }
        guard vocabulary[PythonText.utf8(pad)] != nil else {
            throw TokenizerError(.missingToken(PythonText.string(pad)), file: vocabPath)
        }

        // 4. Special tokens not yet added are added (transformers' `_add_tokens`): a string-form
        //    token already in added_tokens_decoder is skipped; an AddedToken-form one replaces the
        //    entry with its own flags. Ids come from vocab.json and the added tokens, or are
        //    appended after them.
        var known = vocabulary
        for (content, id) in addedIDs { known[content] = id }
        let nextID = known.count
        var appended = 0
        for token in extended {
            let utf8 = PythonText.utf8(token.content)
            if token.flags == nil, addedIDs[utf8] != nil { continue }
            if utf8.isEmpty { continue }
            let id: Int
            if let existing = known[utf8] {
                id = existing
            } else {
                id = nextID + appended
                known[utf8] = id
                appended += 1
            }
            addedTokens[id] = token.flags ?? AddedToken(token.content)
            addedIDs[utf8] = id
        }
        self.addedTokens = addedTokens
        self.addedIDs = addedIDs
        var contents: [[Unicode.Scalar]] = []
        var contentSet: Set<[UInt8]> = []
        for id in addedTokens.keys.sorted() {
            guard let token = addedTokens[id], !token.content.isEmpty, contentSet.insert(token.utf8).inserted
            else { continue }
            contents.append(token.content)
        }
        self.splitTokens = contents.sorted { $0.count > $1.count }

        // 5. all_special_tokens / ids, the legacy (non-special) added tokens, the public ids.
        let specialTokens = Set(extended.map { PythonText.utf8($0.content) })
        self.specialTokens = specialTokens
        self.unknownPieceID = unknownPieceID
        func tokenID(_ utf8: [UInt8]) -> Int { addedIDs[utf8] ?? vocabulary[utf8] ?? unknownPieceID }
        self.specialIDs = Set(specialTokens.map(tokenID))
        var legacy = Set(addedIDs.keys).subtracting(specialTokens)
        for token in additional {
            let utf8 = PythonText.utf8(token.content)
            if tokenID(utf8) >= vocabulary.count { legacy.insert(utf8) }
        }
        self.legacyAddedTokens = legacy
        self.eosID = tokenID(PythonText.utf8(eos))
        self.unkID = tokenID(PythonText.utf8(unk))
        self.padID = tokenID(PythonText.utf8(pad))
        self.eosToken = PythonText.string(eos)
        self.unkToken = PythonText.string(unk)
        self.padToken = PythonText.string(pad)
        self.cleanUpTokenizationSpaces = try Self.flag(config["clean_up_tokenization_spaces"],
                                                       name: "clean_up_tokenization_spaces", file: configPath)
        self.splitSpecialTokens = try Self.flag(config["split_special_tokens"], name: "split_special_tokens",
                                                file: configPath)
    }

    /// A special-token setting: a string, an `AddedToken` object (`content` plus flags), or null
    /// (nil).
    private static func configuredToken(_ value: JSONValue, name: String,
                                        file: String) throws(TokenizerError) -> ConfiguredToken? {
        switch value {
        case .null:
            return nil
        case .string(let s):
            return ConfiguredToken(content: PythonText.scalars(s), flags: nil)
        case .object:
            guard let content = value["content"]?.string else {
                throw TokenizerError(.invalidContent("\(name) has no string 'content'"), file: file)
            }
            let scalars = PythonText.scalars(content)
            let flags = AddedToken(scalars,
                                   lstrip: try flag(value["lstrip"], name: "\(name).lstrip", file: file),
                                   rstrip: try flag(value["rstrip"], name: "\(name).rstrip", file: file),
                                   singleWord: try flag(value["single_word"], name: "\(name).single_word", file: file))
            return ConfiguredToken(content: scalars, flags: flags)
        default:
            throw TokenizerError(.invalidContent("\(name) is \(value.typeName), not a token"), file: file)
        }
    }

    /// A boolean setting; absent or null is false.
    private static func flag(_ value: JSONValue?, name: String, file: String) throws(TokenizerError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .bool(let b)?: return b
        case let other?: throw TokenizerError(.invalidContent("\(name) is \(other.typeName), not a boolean"), file: file)
        }
    }

    /// The parsed JSON file at `path`, or nil when there is no such file.
    private static func optionalJSON(_ path: String) throws(TokenizerError) -> JSONValue? {
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(path, limit: 64 << 20)
        } catch where error.kind == .fileNotFound {
            return nil
        }
        return try JSONReader.parse(bytes, file: path)
    }

    /// vocab.json: a JSON object of piece → integer id. Returns the map and the pieces in file
    /// order (first occurrence; a repeated piece keeps its last id, as Python's json does).
    static func readVocabulary(_ path: String) throws(TokenizerError) -> ([[UInt8]: Int], [[UInt8]]) {
        let json = try JSONReader.parse(try readFileBytes(path, limit: 256 << 20), file: path)
        guard case .object(let members) = json else {
            throw TokenizerError(.invalidContent("expected a JSON object of piece → id, found \(json.typeName)"), file: path)
        }
        var vocabulary: [[UInt8]: Int] = [:]
        vocabulary.reserveCapacity(members.count)
        var order: [[UInt8]] = []
        order.reserveCapacity(members.count)
        for member in members {
            let (key, value) = (member.key, member.value)
            guard case .integer(let id) = value else {
                throw TokenizerError(.invalidContent("the id of '\(key)' is \(value.typeName), not an integer"), file: path)
            }
            let utf8 = Array(key.utf8)
            if vocabulary.updateValue(id, forKey: utf8) == nil { order.append(utf8) }
        }
        return (vocabulary, order)
    }
}
