#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

/// Where a command writes its normal output: the process's stdout, or a buffer (tests).
package final class Output {
    /// The text written so far when buffering; empty when writing to stdout.
    package private(set) var text = ""
    private let toStdout: Bool

    private init(toStdout: Bool) { self.toStdout = toStdout }

    /// Writes through to the process's standard output.
    package static func standardOutput() -> Output { Output(toStdout: true) }

    /// Collects everything in `text`.
    package static func buffer() -> Output { Output(toStdout: false) }

    /// Writes `s` followed by a newline.
    package func line(_ s: String = "") {
        if toStdout {
            Output.write(s + "\n", fd: 1)
        } else {
            text += s
            text += "\n"
        }
    }

    /// Output is unbuffered; kept so callers state where output must be complete.
    package func flush() {}

    /// Writes all of `s` to file descriptor `fd`, retrying on interruption; gives up on other errors
    /// (a closed pipe must not turn into a crash).
    package static func write(_ s: String, fd: Int32) {
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var done = 0
            while done < buf.count, let base = buf.baseAddress {
                let n = Glibc.write(fd, base + done, buf.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
        }
    }
}

/// A subcommand whose work writes to an `Output` and reports failures as `CLIError`.
package protocol OutputCommand: ParsableCommand {
    func execute(_ out: Output) throws(CLIError)
}

extension OutputCommand {
    package mutating func run() throws { try execute(.standardOutput()) }
}
