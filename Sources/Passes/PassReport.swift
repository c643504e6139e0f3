/// What a pipeline run did: rewrites per pass (in pipeline order), each with a one-line summary,
/// the number of iterations, and whether it reached a fixpoint.
public struct PassReport: Sendable, Equatable {
    /// One applied rewrite.
    public struct Entry: Sendable, Equatable {
        public var pass: String
        /// The graph (scope) it changed.
        public var graph: String
        public var summary: String
    }

    /// Pass names in pipeline order.
    public var passes: [String]
    public var entries: [Entry] = []
    public var iterations = 0
    public var converged = true

    public init(passes: [String] = []) { self.passes = passes }

    mutating func record(_ pass: String, graph: String, _ summary: String) {
        entries.append(Entry(pass: pass, graph: graph, summary: summary))
    }

    /// Rewrites applied by `pass`.
    public func rewrites(_ pass: String) -> Int { entries.count { $0.pass == pass } }

    /// Total rewrites applied.
    public var totalRewrites: Int { entries.count }

    /// `passes: 1 iteration, 12 rewrites` then `  FuseX: 12` per pass; with `trace`, one indented
    /// line per rewrite.
    public func lines(trace: Bool = false) -> [String] {
        let its = "\(iterations) iteration\(iterations == 1 ? "" : "s")"
        var out = ["passes: \(its), \(totalRewrites) rewrite\(totalRewrites == 1 ? "" : "s")"
                   + (converged ? "" : " (no fixpoint: stopped at the iteration bound)")]
        for pass in passes {
            out.append("  \(pass): \(rewrites(pass))")
            if trace {
                for e in entries where e.pass == pass {
                    out.append("    \(e.graph.isEmpty ? "" : "graph '\(e.graph)': ")\(e.summary)")
                }
            }
        }
        return out
    }
}
