/// The header of a `.npy` file: `\x93NUMPY`, a version byte pair, a little-endian header length
/// (2 bytes for 1.0, 4 bytes for 2.0 and 3.0), then a Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and ended by
/// `\n` so that the data starts at a multiple of 64 bytes. Shapes are C order (row-major).
package struct NpyHeader: Sendable, Equatable {
    package var dtype: NpyDType
    package var shape: [Int]

    package init(dtype: NpyDType, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// The six magic bytes.
    package static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// Largest dict literal accepted (numpy's own default limit is 10,000).
    package static let maximumHeaderLength = 65536

    /// Number of elements, and bytes of data, that `shape` and `dtype` need; throws on overflow.
    package func dataByteCount() throws(NpyError) -> Int {
        var count = 1
        for d in shape {
            let (m, o) = count.multipliedReportingOverflow(by: d)
            guard !o else { throw NpyError.sizeOverflow(shape) }
            count = m
        }
        let (bytes, o) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !o else { throw NpyError.sizeOverflow(shape) }
        return bytes
    }

    /// Parses the preamble and dict from the first bytes of a file. Returns the header and the offset
    /// at which the data starts. `prefix` must hold at least the preamble and the dict; `fileSize` is
    /// used only for the error message when it does not.
    package static func parse(_ prefix: UnsafeRawBufferPointer, fileSize: Int) throws(NpyError) -> (NpyHeader, Int) {
        guard prefix.count >= 8 else {
            if prefix.count < 6 || !zip(prefix, magic).allSatisfy({ $0 == $1 }) {
                throw NpyError.notNpy("the file is \(fileSize) bytes, shorter than the magic string")
            }
            throw NpyError.truncatedHeader(need: 10, have: fileSize)
        }
        guard zip(prefix.prefix(6), magic).allSatisfy({ $0 == $1 }) else {
            throw NpyError.notNpy("missing the \\x93NUMPY magic string")
        }
        let major = prefix[6], minor = prefix[7]
        guard (major == 1 || major == 2 || major == 3) && minor == 0 else {
            throw NpyError.unsupportedVersion(major: major, minor: minor)
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard prefix.count >= 8 + lengthBytes else { throw NpyError.truncatedHeader(need: 8 + lengthBytes, have: fileSize) }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(prefix[8 + i]) << (8 * i) }
        guard headerLength <= maximumHeaderLength else { throw NpyError.headerTooLarge(headerLength) }
        let start = 8 + lengthBytes, end = start + headerLength
        guard prefix.count >= end else { throw NpyError.truncatedHeader(need: end, have: fileSize) }
        let bytes = Array(prefix[start..<end])
        // 1.0 and 2.0 headers are latin-1, 3.0 headers UTF-8; the keys and values we accept are ASCII.
        let text: String
        if major == 3 {
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        return (try parseDict(text), end)
    }

    /// Parses the dict literal (`descr`, `fortran_order`, `shape`, nothing else).
    package static func parseDict(_ text: String) throws(NpyError) -> NpyHeader {
        var parser = PyLiteralParser(text)
        let value = try parser.parseTopLevel()
        guard case .dict(let entries) = value else { throw NpyError.badHeader("not a dict literal") }
        var descr: PyLiteral?, fortran: PyLiteral?, shape: PyLiteral?
        for (key, v) in entries {
            switch key {
            case "descr": descr = v
            case "fortran_order": fortran = v
            case "shape": shape = v
            default: throw NpyError.badHeader("unexpected key '\(key)'")
            }
        }
        guard let descr, let fortran, let shape else {
            throw NpyError.badHeader("the dict needs the keys 'descr', 'fortran_order' and 'shape'")
        }
        guard case .bool(let isFortran) = fortran else { throw NpyError.badHeader("'fortran_order' is not True or False") }
        let dtype: NpyDType
        switch descr {
        case .string(let s): dtype = try NpyDType(descr: s)
        case .sequence: throw NpyError.unsupportedDType("structured dtype")
        default: throw NpyError.badHeader("'descr' is not a string")
        }
        guard case .sequence(let dims, let isTuple) = shape, isTuple else {
            throw NpyError.badShape("'shape' is not a tuple")
        }
        var result: [Int] = []
        for d in dims {
            guard case .int(let n) = d else { throw NpyError.badShape("a dimension is not an integer") }
            guard n >= 0 else { throw NpyError.badShape("negative dimension \(n)") }
            result.append(n)
        }
        if isFortran { throw NpyError.fortranOrder }
        return NpyHeader(dtype: dtype, shape: result)
    }

    /// The full preamble plus padded dict, version 1.0 when the dict fits in 65,535 bytes, else 2.0.
    package func encoded() -> [UInt8] {
        let dims: String
        switch shape.count {
        case 0: dims = "()"
        case 1: dims = "(\(shape[0]),)"
        default: dims = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        let dict = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(dims), }"
        var body = Array(dict.utf8)
        for version in [1, 2] {
            let preamble = 8 + (version == 1 ? 2 : 4)
            // Pad with spaces so that preamble + body + "\n" is a multiple of 64.
            let unpadded = preamble + body.count + 1
            let padding = (64 - unpadded % 64) % 64
            let length = body.count + padding + 1
            if version == 1 && length > 0xFFFF { continue }
            body += Array(repeating: UInt8(ascii: " "), count: padding)
            body.append(UInt8(ascii: "\n"))
            var out = NpyHeader.magic + [UInt8(version), 0]
            for i in 0..<(version == 1 ? 2 : 4) { out.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
            return out + body
        }
        return []  // Unreachable: a 2.0 header length is 32-bit and shapes never get that long.
    }
}

/// The subset of Python literals a `.npy` header uses.
enum PyLiteral: Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case sequence([PyLiteral], isTuple: Bool)
    case dict([(String, PyLiteral)])

    static func == (a: PyLiteral, b: PyLiteral) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.none, .none): true
        case (.sequence(let x, let t), .sequence(let y, let u)): x == y && t == u
        case (.dict(let x), .dict(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}

/// A recursive-descent parser for `PyLiteral`, nesting at most 8 levels deep.
struct PyLiteralParser {
    private let chars: [Character]
    private var i = 0
    private static let maximumDepth = 8

    init(_ text: String) { chars = Array(text) }

    mutating func parseTopLevel() throws(NpyError) -> PyLiteral {
        let v = try value(depth: 0)
        skipSpace()
        guard i == chars.count else { throw NpyError.badHeader("unexpected text after the dict") }
        return v
    }

    private mutating func skipSpace() {
        while i < chars.count, chars[i] == " " || chars[i] == "\n" || chars[i] == "\t" || chars[i] == "\r" { i += 1 }
    }

    private mutating func expect(_ c: Character) throws(NpyError) {
        skipSpace()
        guard i < chars.count, chars[i] == c else { throw NpyError.badHeader("expected '\(c)'") }
        i += 1
    }

    private mutating func value(depth: Int) throws(NpyError) -> PyLiteral {
        guard depth <= PyLiteralParser.maximumDepth else { throw NpyError.badHeader("nested too deeply") }
        skipSpace()
        guard i < chars.count else { throw NpyError.badHeader("unexpected end") }
        switch chars[i] {
        case "'", "\"": return .string(try string())
        case "{": return try dict(depth: depth)
        case "(": return try sequence(close: ")", depth: depth)
        case "[": return try sequence(close: "]", depth: depth)
        case "0"..."9", "-", "+": return .int(try integer())
        default:
            for (word, v) in [("True", PyLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
                let w = Array(word)
                if i + w.count <= chars.count, Array(chars[i..<i + w.count]) == w {
                    i += w.count
                    return v
                }
            }
            throw NpyError.badHeader("unexpected character '\(chars[i])'")
        }
    }

    private mutating func string() throws(NpyError) -> String {
        let quote = chars[i]
        i += 1
        var s = ""
        while i < chars.count, chars[i] != quote {
            if chars[i] == "\\" { throw NpyError.badHeader("escape sequences in strings are not supported") }
            s.append(chars[i])
            i += 1
        }
        guard i < chars.count else { throw NpyError.badHeader("unterminated string") }
        i += 1
        return s
    }

    private mutating func integer() throws(NpyError) -> Int {
        var negative = false
        if chars[i] == "-" || chars[i] == "+" {
            negative = chars[i] == "-"
            i += 1
        }
        var n = 0, digits = 0
        while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            guard !o1, !o2 else { throw NpyError.badShape("integer too large") }
            n = s
            digits += 1
            i += 1
        }
        // Python 2 headers may write `3L`.
        if i < chars.count, chars[i] == "L" { i += 1 }
        guard digits > 0 else { throw NpyError.badHeader("expected a number") }
        return negative ? -n : n
    }

    private mutating func sequence(close: Character, depth: Int) throws(NpyError) -> PyLiteral {
        i += 1
        var items: [PyLiteral] = []
        var sawComma = false
        while true {
            skipSpace()
            guard i < chars.count else { throw NpyError.badHeader("unterminated sequence") }
            if chars[i] == close { i += 1; break }
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < chars.count else { throw NpyError.badHeader("unterminated sequence") }
            if chars[i] == "," { i += 1; sawComma = true; continue }
            guard chars[i] == close else { throw NpyError.badHeader("expected ',' or '\(close)'") }
            i += 1
            break
        }
        // `(3)` is the integer 3 in Python, not a tuple.
        if close == ")" && items.count == 1 && !sawComma { return items[0] }
        return .sequence(items, isTuple: close == ")")
    }

    private mutating func dict(depth: Int) throws(NpyError) -> PyLiteral {
        i += 1
        var entries: [(String, PyLiteral)] = []
        while true {
            skipSpace()
            guard i < chars.count else { throw NpyError.badHeader("unterminated dict") }
            if chars[i] == "}" { i += 1; break }
            guard chars[i] == "'" || chars[i] == "\"" else { throw NpyError.badHeader("dict keys must be strings") }
            let key = try string()
            guard !entries.contains(where: { $0.0 == key }) else { throw NpyError.badHeader("duplicate key '\(key)'") }
            try expect(":")
            entries.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < chars.count else { throw NpyError.badHeader("unterminated dict") }
            if chars[i] == "," { i += 1; continue }
            guard chars[i] == "}" else { throw NpyError.badHeader("expected ',' or '}'") }
            i += 1
            break
        }
        return .dict(entries)
    }
}
