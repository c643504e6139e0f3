#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr, shown only when stderr is a terminal and the input is more
/// than a screenful (more lines than the terminal has rows, or 50 when that is unknown).
final class Progress {
    private let total: Int
    private let enabled: Bool

    init(total: Int) {
        self.total = total
        var size = winsize()
        let rows = ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 ? Int(size.ws_row) : 50
        enabled = isatty(2) != 0 && total > rows
    }

    func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let width = 30, filled = width * min(done, total) / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Output.write("\r[\(bar)] \(done)/\(total) sentences", fd: 2)
    }

    func finish() {
        if enabled { Output.write("\n", fd: 2) }
    }
}
