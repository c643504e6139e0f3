import Foundation
import ONNXGraph
import Testing
@testable import ONNXRunCLI

/// The values of Fixtures/npy/<code>.npy (shape (2, 3)), as written by numpy in make_cli_fixtures.py.
private let floatValues: [Double] = [-2.5, -1.0, 0.0, 0.5, 1.5, 1000.0]

private func expectedBytes(_ dtype: NpyDType) -> [UInt8] {
    func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
    switch dtype {
    case .float16: return bytes(floatValues.map { Float16($0).bitPattern })
    case .float32: return bytes(floatValues.map { Float($0) })
    case .float64: return bytes(floatValues)
    case .int8: return bytes([Int8.min, -1, 0, 1, 2, Int8.max])
    case .int16: return bytes([Int16.min, -1, 0, 1, 2, Int16.max])
    case .int32: return bytes([Int32.min, -1, 0, 1, 2, Int32.max])
    case .int64: return bytes([Int64.min, -1, 0, 1, 2, Int64.max])
    case .uint8: return bytes([UInt8(0), 1, 2, 3, 200, UInt8.max])
    case .uint16: return bytes([UInt16(0), 1, 2, 3, 200, UInt16.max])
    case .uint32: return bytes([UInt32(0), 1, 2, 3, 200, UInt32.max])
    case .uint64: return bytes([UInt64(0), 1, 2, 3, 200, UInt64.max])
    case .bool: return [1, 0, 1, 1, 0, 0]
    }
}

private func fileCode(_ d: NpyDType) -> String { String(d.descr.dropFirst()) }

private func tensorBytes(_ t: Tensor) -> [UInt8] {
    Array(UnsafeRawBufferPointer(start: t.data, count: t.byteCount))
}

@Suite struct NpyReadTests {
    @Test(arguments: NpyDType.allCases)
    func readsNumpyFiles(_ dtype: NpyDType) throws {
        let (header, tensor) = try NpyFile.read(Fixtures.path("npy/\(fileCode(dtype)).npy"))
        #expect(header == NpyHeader(dtype: dtype, shape: [2, 3]))
        #expect(tensor.dataType == dtype.dataType)
        #expect(tensor.shape == [2, 3])
        #expect(tensorBytes(tensor) == expectedBytes(dtype))
    }

    /// Writing what was read reproduces numpy's file byte for byte (same header text and padding).
    @Test(arguments: NpyDType.allCases)
    func writesNumpyIdenticalFiles(_ dtype: NpyDType) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let source = Fixtures.path("npy/\(fileCode(dtype)).npy")
        let (_, tensor) = try NpyFile.read(source)
        let copy = dir.file("copy.npy")
        try NpyFile.write(copy, tensor: tensor)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: source)))
        let (header2, again) = try NpyFile.read(copy)
        #expect(header2.dtype == dtype && again.shape == [2, 3])
        #expect(tensorBytes(again) == expectedBytes(dtype))
    }

    @Test(arguments: [[], [0], [0, 3], [7], [1, 1, 1, 1, 5], [3, 1, 2]])
    func roundTripsShapes(_ shape: [Int]) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let count = shape.reduce(1, *)
        let t = try Tensor(.int64, shape: shape, values: (0..<count).map { Int64($0) * -3 })
        try NpyFile.write(dir.file("a.npy"), tensor: t)
        let (h, r) = try NpyFile.read(dir.file("a.npy"))
        #expect(h.shape == shape && r.toArray(Int64.self) == t.toArray(Int64.self))
        // Data starts at a multiple of 64 bytes.
        let size = try FileManager.default.attributesOfItem(atPath: dir.file("a.npy"))[.size] as? Int
        #expect(((size ?? 0) - count * 8) % 64 == 0)
    }

    @Test func readsVersions2And3ScalarsAndEmpty() throws {
        for v in ["v2_f4", "v3_f4"] {
            let (h, t) = try NpyFile.read(Fixtures.path("npy/\(v).npy"))
            #expect(h == NpyHeader(dtype: .float32, shape: [2, 3]))
            #expect(tensorBytes(t) == expectedBytes(.float32))
        }
        let (hs, s) = try NpyFile.read(Fixtures.path("npy/scalar_f8.npy"))
        #expect(hs.shape == [] && s.toArray(Double.self) == [2.75])
        let (he, e) = try NpyFile.read(Fixtures.path("npy/empty_f4.npy"))
        #expect(he.shape == [0, 3] && e.count == 0)
    }

    @Test func normalizesBooleans() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let header = NpyHeader(dtype: .bool, shape: [3]).encoded()
        let p = try dir.write("b.npy", header + [0, 2, 255])
        #expect(try NpyFile.read(p).tensor.toArray(UInt8.self) == [0, 1, 1])
    }

    @Test func writesVersion2WhenTheHeaderIsLong() throws {
        let header = NpyHeader(dtype: .uint8, shape: Array(repeating: 1, count: 30_000)).encoded()
        #expect(Array(header[6..<8]) == [2, 0])
        #expect(header.count % 64 == 0)
        let length = Int(header[8]) | Int(header[9]) << 8 | Int(header[10]) << 16 | Int(header[11]) << 24
        #expect(12 + length == header.count && header.last == 0x0A)
        // The reader caps headers at 64 KiB, so this one is refused rather than parsed.
        let parsed = header.withUnsafeBytes { try? NpyHeader.parse($0, fileSize: header.count) }
        #expect(parsed == nil)
    }
}

@Suite struct NpyRejectTests {
    static let f4Header = NpyHeader(dtype: .float32, shape: [2, 3]).encoded()

    /// A v1.0 file whose dict is `dict` (padded like numpy's).
    static func file(dict: String, data: [UInt8] = []) -> [UInt8] {
        var body = Array(dict.utf8)
        while (10 + body.count + 1) % 64 != 0 { body.append(0x20) }
        body.append(0x0A)
        return NpyHeader.magic + [1, 0, UInt8(body.count & 0xFF), UInt8(body.count >> 8)] + body + data
    }

    func rejects(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let p = try dir.write("bad.npy", bytes)
        do {
            _ = try NpyFile.read(p)
            Issue.record("accepted a bad file (\(fragment))", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
    }

    @Test func truncatedHeaders() throws {
        let h = Self.f4Header
        try rejects([], "not a .npy file")
        try rejects(Array(h.prefix(4)), "not a .npy file")
        try rejects(Array(h.prefix(8)), "truncated .npy header")
        try rejects(Array(h.prefix(9)), "truncated .npy header")
        try rejects(Array(h.prefix(40)), "truncated .npy header")
        try rejects(Array(h.prefix(h.count - 1)), "truncated .npy header")
    }

    @Test func lyingShapes() throws {
        let h = Self.f4Header
        try rejects(h + [UInt8](repeating: 0, count: 23), "needs 24")        // one byte short
        try rejects(h + [UInt8](repeating: 0, count: 25), "needs 24")        // trailing byte
        try rejects(h, ".npy data is 0 bytes")
    }

    @Test func hugeShapes() throws {
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"),
                    "too large")
        try rejects(Self.file(dict: "{'descr': '<f8', 'fortran_order': False, 'shape': (1152921504606846976,), }"),
                    "too large")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
                    "integer too large")
        // Fits in Int but the file is tiny: rejected before allocating 4 TB.
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"),
                    "needs 4000000000000")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }"), "negative")
    }

    @Test func refusedLayoutsAndDtypes() throws {
        try rejects(try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("npy/fortran.npy")))), "Fortran")
        try rejects(try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("npy/unicode.npy")))),
                    "string/unicode")
        try rejects(try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("npy/object.npy")))), "object")
        try rejects(try Array(Data(contentsOf: URL(fileURLWithPath: Fixtures.path("npy/big_endian.npy")))),
                    "big-endian")
        try rejects(Self.file(dict: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"), "unsupported .npy dtype")
        try rejects(Self.file(dict: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
                    "structured")
    }

    @Test func malformedHeaders() throws {
        try rejects(Array("\u{93}NUMPX".utf8) + [1, 0, 0, 0], "magic")
        try rejects(NpyHeader.magic + [4, 0, 0, 0], "version 4.0")
        try rejects(NpyHeader.magic + [1, 0, 0xFF, 0xFF] + Array(repeating: 0x20, count: 100), "truncated")
        try rejects(NpyHeader.magic + [1, 0, 0xFF, 0xFF] + Array(repeating: 0x20, count: 0xFFFF), "unexpected end")
        try rejects(NpyHeader.magic + [2, 0, 0xFF, 0xFF, 0xFF, 0x7F], "larger than the 65536-byte limit")
        try rejects(Self.file(dict: "{'descr': '<f4', 'shape': (1,), }"), "needs the keys")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': [1], }"), "not a tuple")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,), }"), "malformed")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }"), "True or False")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"), "unexpected key")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)"), "malformed")
        try rejects(Self.file(dict: "{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((1,),),),),),),),),),), }"),
                    "nested too deeply")
        try rejects(Self.file(dict: "[1, 2]"), "not a dict")
    }

    @Test func directoriesAndMissingFiles() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        #expect(throws: NpyError.self) { try NpyFile.read(dir.path) }
        do { _ = try NpyFile.read(dir.path) } catch { #expect(error.description.contains("is a directory")) }
        do { _ = try NpyFile.read(dir.file("nope.npy")) } catch { #expect(error.description.contains("cannot open")) }
    }
}
