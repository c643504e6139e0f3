/// A parsed Einsum equation: per operand the label of each dim, and the output labels.
///
/// Letters `A`–`Z` are labels 0–25 and `a`–`z` are 26–51 (so label order is ASCII order). The
/// dims an ellipsis stands for get labels 52, 53, … right-aligned across operands: with `E` the
/// largest ellipsis rank, an operand whose ellipsis covers `e` dims uses labels `52 + E − e …`.
struct EinsumEquation: Hashable, Sendable {
    /// Each input term: letters as labels, `nil` marking the ellipsis position.
    let inputTerms: [[Int?]]
    /// The explicit output term (`nil` = ellipsis), or nil in implicit mode.
    let outputTerm: [Int?]?

    static let ellipsisBase = 52

    /// An upper bound on the label values inputs of these ranks can use.
    static func labelCount(ranks: [Int]) -> Int { ellipsisBase + (ranks.max() ?? 0) }

    init(_ equation: String) throws(OpError) {
        let text = equation.filter { $0 != " " }
        let sides = text.split(separator: "->", omittingEmptySubsequences: false).map(String.init)
        guard sides.count <= 2, !text.isEmpty else { throw Self.bad(equation, "expected 'terms' or 'terms->output'") }
        var terms: [[Int?]] = []
        for t in sides[0].split(separator: ",", omittingEmptySubsequences: false) {
            terms.append(try Self.parseTerm(String(t), equation))
        }
        inputTerms = terms
        outputTerm = sides.count == 2 ? try Self.parseTerm(sides[1], equation) : nil
        if let out = outputTerm {
            let letters = out.compactMap { $0 }
            guard Set(letters).count == letters.count else { throw Self.bad(equation, "output repeats a label") }
            let used = Set(terms.joined().compactMap { $0 })
            guard letters.allSatisfy(used.contains) else { throw Self.bad(equation, "output label not in any input") }
        }
    }

    static func bad(_ equation: String, _ why: String) -> OpError {
        OpError(.invalidAttribute("equation", "'\(equation)': \(why)"))
    }

    private static func parseTerm(_ term: String, _ equation: String) throws(OpError) -> [Int?] {
        var out: [Int?] = []
        var dots = 0, sawEllipsis = false
        for u in term.unicodeScalars {
            if u == "." {
                dots += 1
                if dots == 3 {
                    guard !sawEllipsis else { throw bad(equation, "more than one ellipsis in a term") }
                    sawEllipsis = true
                    dots = 0
                    out.append(nil)
                }
                continue
            }
            guard dots == 0 else { throw bad(equation, "'.' outside an ellipsis") }
            switch u.value {
            case 65...90: out.append(Int(u.value) - 65)
            case 97...122: out.append(Int(u.value) - 97 + 26)
            default: throw bad(equation, "invalid character '\(u)'")
            }
        }
        guard dots == 0 else { throw bad(equation, "'.' outside an ellipsis") }
        return out
    }

    /// Resolved labels for inputs of the given ranks: per input one label per dim, and the output labels.
    func resolve(ranks: [Int]) throws(OpError) -> (inputs: [[Int]], output: [Int]) {
        guard ranks.count == inputTerms.count else {
            throw OpError(.wrongInputCount(expected: "\(inputTerms.count) (per the equation)", actual: ranks.count))
        }
        var ellipsisRanks: [Int] = []
        for (term, rank) in zip(inputTerms, ranks) {
            let letters = term.filter { $0 != nil }.count
            let hasEllipsis = term.contains { $0 == nil }
            guard hasEllipsis ? rank >= letters : rank == letters else {
                throw OpError.shape("Einsum: term of \(letters) labels\(hasEllipsis ? " and an ellipsis" : "") for an input of rank \(rank)")
            }
            ellipsisRanks.append(rank - letters)
        }
        let e = ellipsisRanks.max() ?? 0
        var inputs: [[Int]] = []
        for (term, er) in zip(inputTerms, ellipsisRanks) {
            var labels: [Int] = []
            for l in term {
                if let l { labels.append(l) } else { labels += (0..<er).map { Self.ellipsisBase + e - er + $0 } }
            }
            inputs.append(labels)
        }
        let ellipsisLabels = (0..<e).map { Self.ellipsisBase + $0 }
        var output: [Int] = []
        if let out = outputTerm {
            let hasEllipsis = out.contains { $0 == nil }
            if !hasEllipsis && e > 0 {
                throw OpError.shape("Einsum: inputs have ellipsis dims but the output has no '...'")
            }
            for l in out {
                if let l { output.append(l) } else { output += ellipsisLabels }
            }
        } else {
            var counts = [Int](repeating: 0, count: Self.ellipsisBase)
            for term in inputTerms { for case let l? in term { counts[l] += 1 } }
            output = ellipsisLabels + (0..<Self.ellipsisBase).filter { counts[$0] == 1 }
        }
        return (inputs, output)
    }
}
