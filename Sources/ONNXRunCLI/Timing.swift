/// Wall-clock phases of one command (`--timing`), printed as
/// `timing: load 95.1 ms, plan 3.2 ms, run 120.0 ms`.
struct Timing {
    private var phases: [(String, Duration)] = []
    private var last = ContinuousClock.now

    /// Ends the current phase and names it.
    mutating func mark(_ phase: String) {
        let now = ContinuousClock.now
        phases.append((phase, now - last))
        last = now
    }

    var line: String {
        "timing: " + phases.map { name, d in
            let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            let tenths = Int((ms * 10).rounded())
            return "\(name) \(tenths / 10).\(tenths % 10) ms"
        }.joined(separator: ", ")
    }
}
