/// A failure the CLI reports as one `error: <message>` line on stderr, exiting with status 1.
package struct CLIError: Error, CustomStringConvertible, Equatable {
    package var message: String

    package init(_ message: String) { self.message = CLIError.oneLine(message) }

    package var description: String { message }

    /// `text` with every run of line breaks and the indentation after them folded into one space,
    /// so that multi-line library messages still print as one line.
    package static func oneLine(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in text {
            if ch.isNewline || ch == "\t" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                if ch == " " { continue }
                out.append(" ")
                pendingSpace = false
            }
            out.append(ch)
        }
        return out.trimmingTrailingSpaces()
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
