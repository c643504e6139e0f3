/// Python `str` operations on Unicode scalars, as transformers' tokenizers apply them.
///
/// Python strings are sequences of code points compared exactly; Swift `String` compares
/// grapheme clusters up to canonical equivalence. Working on `[Unicode.Scalar]` keeps the
/// tokenizer's splitting, stripping and replacing identical to Python's.
enum PythonText {
    /// `str.isspace()` for one code point: Unicode White_Space plus the information separators
    /// U+001C...U+001F (Python's bidirectional classes WS, B, S and category Zs).
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// `str.lstrip()`.
    static func lstrip(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        Array(s.drop(while: isSpace))
    }

    /// `str.rstrip()`.
    static func rstrip(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var end = s.count
        while end > 0, isSpace(s[end - 1]) { end -= 1 }
        return Array(s[..<end])
    }

    /// `str.strip()`.
    static func strip(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        rstrip(lstrip(s))
    }

    /// `str.replace(old, new)`: every non-overlapping occurrence of non-empty `old`, left to right.
    static func replace(_ s: [Unicode.Scalar], _ old: [Unicode.Scalar], _ new: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !old.isEmpty, s.count >= old.count else { return s }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if s.count - i >= old.count, s[i..<(i + old.count)].elementsEqual(old) {
                out.append(contentsOf: new)
                i += old.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    static func string(_ s: some Sequence<Unicode.Scalar>) -> String {
        var out = String()
        out.unicodeScalars.append(contentsOf: s)
        return out
    }

    static func utf8(_ s: some Sequence<Unicode.Scalar>) -> [UInt8] {
        Array(string(s).utf8)
    }
}
