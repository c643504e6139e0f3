import ONNXGraph

/// Numbers ↔ strings for `Cast`, following the ONNX reference (numpy `astype(str)` / `astype(float)`).
///
/// Formatting: the shortest decimal that round-trips in the source type; positional when
/// 1e-4 ≤ |x| < 10^k (k = 16 for double, 6 for float and the narrower float types converted through
/// float, 3 for float16), otherwise scientific with a signed exponent of at least two digits
/// (`1e-07`, `1.5e+16`); `nan`, `inf`, `-inf`, `-0.0`. Integers print in decimal, bools as
/// `True` / `False`.
/// Parsing: optional surrounding whitespace, decimal or scientific notation, and the case-insensitive
/// literals `inf`, `+inf`, `-inf`, `infinity`, `nan`; `true` / `false` for bools.
enum StringConversion {
    static func bad(_ s: String, _ t: DataType) -> OpError {
        OpError.value("cannot convert string '\(s.prefix(40))' to \(t)")
    }

    static func trimmed(_ s: String) -> Substring {
        var t = Substring(s)
        while let f = t.first, f.isWhitespace { t.removeFirst() }
        while let l = t.last, l.isWhitespace { t.removeLast() }
        return t
    }

    private static func special(_ s: Substring) -> Double? {
        switch s.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": .infinity
        case "-inf", "-infinity": -.infinity
        case "nan", "+nan": .nan
        case "-nan": -.nan
        case "true": 1
        case "false": 0
        default: nil
        }
    }

    private static func isNumeric(_ s: Substring) -> Bool {
        // Reject hexadecimal and other forms strtod accepts but numpy does not.
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
    }

    static func parseDouble(_ s: String) -> Double? {
        let t = trimmed(s)
        if let v = special(t) { return v }
        guard isNumeric(t) else { return nil }
        return Double(t)
    }

    static func parseFloat(_ s: String) -> Float? {
        let t = trimmed(s)
        if let v = special(t) { return Float(v) }
        guard isNumeric(t) else { return nil }
        return Float(t)
    }

    /// numpy's `str()` of one value, from Swift's shortest round-trip `description` of it.
    static func numpyStyle(_ description: String, magnitude: Double, positionalLimit: Double) -> String {
        if magnitude.isNaN { return "nan" }
        let negative = description.hasPrefix("-")
        let body = negative ? String(description.dropFirst()) : description
        if magnitude.isInfinite { return negative ? "-inf" : "inf" }
        if magnitude == 0 { return negative ? "-0.0" : "0.0" }
        // Decompose into significant digits and the decimal exponent of the first digit.
        var digits = "", exponent = 0
        let parts = body.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let shift = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let dot = mantissa.firstIndex(of: ".") ?? mantissa.endIndex
        let intPart = mantissa[..<dot]
        let fracPart = dot < mantissa.endIndex ? mantissa[mantissa.index(after: dot)...] : Substring()
        let all = String(intPart) + String(fracPart)
        let leading = all.prefix { $0 == "0" }.count
        digits = String(all.dropFirst(leading))
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        exponent = intPart.count - 1 - leading + shift
        let sign = negative ? "-" : ""
        if magnitude >= 1e-4 && magnitude < positionalLimit {
            if exponent >= 0 {
                let padded = digits.count <= exponent ? digits + String(repeating: "0", count: exponent + 1 - digits.count) : digits
                let ip = padded.prefix(exponent + 1), fp = padded.dropFirst(exponent + 1)
                return sign + ip + "." + (fp.isEmpty ? "0" : fp)
            }
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let rest = digits.dropFirst()
        let e = abs(exponent)
        return sign + digits.prefix(1) + (rest.isEmpty ? "" : "." + rest) + "e" + (exponent < 0 ? "-" : "+")
            + (e < 10 ? "0" : "") + String(e)
    }

    /// The shortest decimal that reads back as `v`. Swift prints float16 integers above 2048 with
    /// all their digits (65504.0); numpy prints the shortest round-trip form (6.55e+04).
    static func shortest(_ v: Float16) -> String {
        let a = Double(v.magnitude)
        guard v.isFinite, a >= 2048 else { return v.description }
        let digits = String(Int(a)).count
        for p in 1..<digits {
            let unit = Double(sign: .plus, exponent: 0, significand: 1) * pow10(digits - p)
            let r = (a / unit).rounded(.toNearestOrAwayFromZero) * unit
            if Float16(r) == v.magnitude {
                return (v.sign == .minus ? "-" : "") + String(Int(r)) + ".0"
            }
        }
        return v.description
    }

    private static func pow10(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<k { r *= 10 }
        return r
    }

    /// Every element of a non-string tensor as numpy prints it.
    static func format(_ x: Tensor) -> [String] {
        let n = x.count
        var out: [String] = []
        out.reserveCapacity(n)
        func floats(_ limit: Double, _ value: (Int) -> (String, Double)) {
            for i in 0..<n {
                let (d, v) = value(i)
                out.append(numpyStyle(d, magnitude: v.magnitude, positionalLimit: limit))
            }
        }
        switch x.dataType {
        case .float:
            let p = x.elements(Float.self)
            floats(1e6) { (p[$0].description, Double(p[$0])) }
        case .double:
            let p = x.elements(Double.self)
            floats(1e16) { (p[$0].description, p[$0]) }
        case .float16:
            let p = x.elements(Float16.self)
            floats(1e3) { (shortest(p[$0]), Double(p[$0])) }
        case .bool:
            let p = x.elements(UInt8.self)
            for i in 0..<n { out.append(p[i] != 0 ? "True" : "False") }
        case .uint64:
            let p = x.elements(UInt64.self)
            for i in 0..<n { out.append(String(p[i])) }
        default:
            if x.dataType.isFloatingPoint {
                withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { buf in
                    let b = buf.baseAddress!
                    CastEngine.readFloats(x, 0, n, b)
                    floats(1e6) { (Float(b[$0]).description, b[$0]) }
                }
            } else {
                withUnsafeTemporaryAllocation(of: Int64.self, capacity: n) { buf in
                    let b = buf.baseAddress!
                    CastEngine.readInts(x, 0, n, b)
                    for i in 0..<n { out.append(String(b[i])) }
                }
            }
        }
        return out
    }
}
