import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

@Suite struct TensorDecoderTests {
    @Test func decodesNamedRawTensor() throws {
        let (name, t) = try TensorDecoder.decodeNamedTensor(path: Fixture.path("tensor_float.pb"))
        #expect(name == "x")
        #expect(t.dataType == .float && t.shape == [1, 3])
        #expect(t.toArray(Float.self) == [1.5, -2.0, 3.25])
    }

    @Test func decodesFromBytes() throws {
        let bytes = Fixture.bytes("tensor_int4_typed.pb")
        let t = try withBytes(bytes) { (b) throws(LoadError) in try TensorDecoder.decodeTensor(bytes: b, name: "i4") }
        #expect(t.dataType == .int4 && t.shape == [5])
        #expect(t.toArray(Int8.self) == [-8, 7, -1, 0, 3])
    }

    @Test(arguments: [
        ("tensor_short_raw.pb", LoadError.Kind.tensorDataSize(expected: 20, actual: 16), "tensor 'short'"),
        ("tensor_short_typed.pb", .tensorDataSize(expected: 3, actual: 2), "tensor 'few'"),
        ("tensor_negative_dims.pb", .negativeDimension([2, -2]), "tensor 'neg'"),
        ("tensor_overflow_dims.pb", .elementCountOverflow([1 << 40, 1 << 40]), "tensor 'huge'"),
        ("tensor_unknown_type.pb", .unknownDataType(99), "tensor 'weird'"),
    ])
    func rejectsBadTensor(_ file: String, _ kind: LoadError.Kind, _ where_: String) {
        let error = loadError { () throws(LoadError) in try TensorDecoder.decodeTensor(path: Fixture.path(file)) }
        #expect(error?.kind == kind)
        #expect(error?.context == [Fixture.path(file), where_])
        #expect(error?.description.contains(file) == true)
    }

    @Test func missingFile() {
        let error = loadError { () throws(LoadError) in try TensorDecoder.decodeTensor(path: Fixture.path("nope.pb")) }
        guard case .cannotOpen(let why)? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(why.contains("No such file"))
    }

    @Test func truncatedTensor() {
        let bytes = Array(Fixture.bytes("tensor_float.pb").dropLast(3))
        let error = loadError { () throws(LoadError) in
            try withBytes(bytes) { (b) throws(LoadError) in try TensorDecoder.decodeTensor(bytes: b, name: "cut") }
        }
        guard case .truncated? = error?.kind else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.context.first == "cut")
    }
}
