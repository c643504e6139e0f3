#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

/// The `onnxrun` command line: `translate` (the default), `dump`, `run` and `check`.
public struct ONNXRun: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "onnxrun",
        abstract: "Load, inspect, validate and run ONNX models.",
        discussion: """
            Errors are printed as one line, 'error: <message>', on stderr, and the exit status is \
            non-zero.
            """,
        subcommands: [TranslateCommand.self, Dump.self, Run.self, Check.self, Wasm.self, Info.self, Bench.self],
        defaultSubcommand: TranslateCommand.self)

    public init() {}

    /// Parses `arguments` (without the program name), runs the chosen subcommand and returns the
    /// process exit status. Normal output goes to `output`; help text to stdout; errors to stderr as
    /// one `error: ` line (also appended to `errors` when given, for tests).
    package static func execute(_ arguments: [String], output: Output, errors: Output? = nil) -> Int32 {
        func fail(_ message: String, _ status: Int32 = 1) -> Int32 {
            output.flush()
            let text = "error: " + CLIError.oneLine(message)
            if let errors { errors.line(text) } else { Output.write(text + "\n", fd: 2) }
            return status
        }
        do {
            var command = try parseAsRoot(arguments)
            if let c = command as? any OutputCommand {
                try c.execute(output)
            } else {
                try command.run()
            }
            output.flush()
            return 0
        } catch let error as CLIError {
            return fail(error.message)
        } catch {
            let status = exitCode(for: error)
            if status == .success {
                // --help, --version, or the root command without a subcommand.
                output.line(fullMessage(for: error))
                output.flush()
                return 0
            }
            // Argument parser messages may add a usage hint on later lines; the first line says it.
            let first = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
            return fail(first + " (see 'onnxrun help')", status.rawValue == 0 ? 1 : status.rawValue)
        }
    }

    /// The process entry point used by `main.swift`.
    public static func runMain() -> Never {
        Glibc.exit(execute(Array(CommandLine.arguments.dropFirst()), output: .standardOutput()))
    }
}
