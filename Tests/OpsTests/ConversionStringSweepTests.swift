import ONNXGraph
import Testing
@testable import Ops

/// Number → string formatting over bit-pattern sweeps, against numpy `astype(str)` joined with
/// newlines and hashed (FNV-1a 64 of the UTF-8).
@Suite("Conversion: string formatting sweeps")
struct ConversionStringSweepTests {
    static func hash(_ t: Tensor) throws -> UInt64 {
        let s = try CQ.cast(t, to: .string).storage.strings.joined(separator: "\n")
        return Array(s.utf8).withUnsafeBytes { CQ.fnv($0) }
    }

    @Test func float32() throws {
        let v = (0..<20000).map { Float(bitPattern: UInt32(truncatingIfNeeded: UInt64($0) &* 2654435761)) }
        #expect(try Self.hash(try CQ.floats(v)) == 0x55fc_87fb_b97d_97b0)
        let d = (-5000..<5000).map { Float($0) * Float(0.37) }
        #expect(try Self.hash(try CQ.floats(d)) == 0x31a9_2596_f425_792d)
    }

    @Test func float64() throws {
        let v = (0..<20000).map { Double(bitPattern: UInt64($0) &* 11400714819323198485) }
        #expect(try Self.hash(try Tensor(.double, shape: [v.count], values: v)) == 0x22aa_3b6a_9a33_df6a)
    }

    @Test func float16() throws {
        let h = try Tensor(.float16, shape: [65536], values: (0..<65536).map { UInt16($0) })
        #expect(try Self.hash(h) == 0x7563_6774_db3f_c6a2)
    }
}
