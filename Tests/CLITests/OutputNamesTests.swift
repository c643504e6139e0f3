import ONNXGraph
import Testing
@testable import ONNXRunCLI

@Suite struct OutputNamesTests {
    @Test(arguments: [
        ("logits", "logits"), ("out/logits", "out_logits"), ("../../etc/passwd", "_.._.._etc_passwd"),
        ("..", "_.."), (".", "_."), ("", "_"), (".hidden", "_.hidden"), ("a\\b:c*d", "a_b_c_d"),
        ("tête", "t_te"), ("x y\n", "x_y_"), ("/", "_"), ("a-b_c.1", "a-b_c.1"),
    ])
    func sanitizes(_ name: String, _ expected: String) {
        let s = OutputNames.sanitize(name)
        #expect(s == expected)
        #expect(!s.contains("/") && !s.hasPrefix("."))
    }

    @Test func keepsNamesDistinctAndShort() {
        let files = OutputNames.fileNames(for: ["a/b", "a_b", "a:b", "A_B", String(repeating: "x", count: 500)])
        #expect(files == ["a_b.npy", "a_b_2.npy", "a_b_3.npy", "A_B_4.npy", String(repeating: "x", count: 200) + ".npy"])
    }
}

@Suite struct NpyConversionTests {
    @Test func bfloat16InputsFromFloat32AndBits() throws {
        let f = try Tensor(.float, shape: [3], values: [Float(1.0), -2.5, 1.00390625])
        let b = try NpyConversion.input(f, dtype: .float32, expected: .bfloat16, name: "x")
        // 1.00390625 = 1 + 2^-8 is a tie between bfloat16 1.0 and 1.0078125: rounds to even (1.0).
        #expect(b.dataType == .bfloat16 && b.toArray(UInt16.self) == [0x3F80, 0xC020, 0x3F80])
        let bits = try Tensor(.uint16, shape: [1], values: [UInt16(0x4049)])
        #expect(try NpyConversion.input(bits, dtype: .uint16, expected: .bfloat16, name: "x").dataType == .bfloat16)
        let (dtype, out) = try NpyConversion.output(b, name: "y")
        #expect(dtype == .float32 && out.toArray(Float.self) == [1.0, -2.5, 1.0])
    }

    @Test func rejectsMismatchedTypes() {
        let f = try? Tensor(.float, shape: [1], values: [Float(1)])
        #expect(throws: CLIError.self) { try NpyConversion.input(f!, dtype: .float32, expected: .int64, name: "ids") }
        do {
            _ = try NpyConversion.input(f!, dtype: .float32, expected: .int64, name: "ids")
        } catch {
            #expect(error.message == "input 'ids' is int64 but the .npy file holds <f4 (float); pass a <i8 array")
        }
    }

    @Test func checksSubByteRanges() throws {
        let ok = try Tensor(.int8, shape: [2], values: [Int8(-8), 7])
        #expect(try NpyConversion.input(ok, dtype: .int8, expected: .int4, name: "q").dataType == .int4)
        let bad = try Tensor(.int8, shape: [2], values: [Int8(-8), 8])
        #expect(throws: CLIError.self) { try NpyConversion.input(bad, dtype: .int8, expected: .int4, name: "q") }
        let u = try Tensor(.uint8, shape: [1], values: [UInt8(16)])
        #expect(throws: CLIError.self) { try NpyConversion.input(u, dtype: .uint8, expected: .uint4, name: "q") }
    }
}
