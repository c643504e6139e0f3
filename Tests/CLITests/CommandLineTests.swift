import Foundation
import Testing
@testable import ONNXRunCLI

/// Argument handling and errors that do not need a model to load.
@Suite struct CommandLineTests {
    @Test func helpListsSubcommands() {
        let r = runCLI(["--help"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        for sub in ["translate", "dump", "run", "check"] { #expect(r.stdout.contains("  \(sub) ")) }
    }

    @Test func runHelpDocumentsSanitizingAndBfloat16() {
        let r = runCLI(["run", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("sanitized"))
        #expect(r.stdout.contains("bfloat16"))
    }

    @Test func usageErrorsAreOneLine() {
        expectError(runCLI(["frobnicate"]), contains: "frobnicate: no such file or directory")  // the default command: translate
        expectError(runCLI(["dump"]), contains: "Missing expected argument")
        expectError(runCLI(["run", "m.onnx", "--bogus"]), contains: "--bogus")
        expectError(runCLI(["run", Fixtures.path("tiny.onnx"), "--input", "novalue"]), contains: "is not NAME=FILE.npy")
        expectError(runCLI(["run", Fixtures.path("tiny.onnx"), "--input", "x=a.npy", "--input", "x=b.npy"]),
                    contains: "input 'x' is given twice")
    }

    @Test(arguments: ["dump", "run", "check"])
    func badModelPaths(_ sub: String) throws {
        expectError(runCLI([sub, "/definitely/not/here.onnx"]), contains: "No such file or directory")
        expectError(runCLI([sub, Fixtures.directory]), contains: "is a directory")
    }

    @Test func oneLineFolding() {
        #expect(CLIError("a\n\n==> Context: b\n  c").message == "a ==> Context: b c")
        #expect(CLIError("x\n").message == "x")
    }
}
