import Foundation
import ONNXGraph
@testable import ONNXLoader

/// Paths and readers for the fixtures made by scripts/make_loader_fixtures.py.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { directory + "/" + name }

    static func json(_ name: String) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path(name)),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    /// `expected.json`: initializer name → data type, shape and storage bytes (hex) or strings.
    nonisolated(unsafe) static let expected: [String: Any] = json("expected.json")

    static var initializerNames: [String] { expected.keys.sorted() }

    static func bytes(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: path(name)) ?? Data())
    }
}

extension Tensor {
    /// Storage bytes as lower-case hex.
    var hex: String {
        let p = data.assumingMemoryBound(to: UInt8.self)
        return (0..<byteCount).map { String(format: "%02x", p[$0]) }.joined()
    }
}

/// Runs `body` and returns the LoadError it throws (nil when it succeeds).
func loadError<T>(_ body: () throws(LoadError) -> T) -> LoadError? {
    do { _ = try body(); return nil } catch { return error }
}

/// `bytes.withUnsafeBytes` for a body with a typed throw.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(LoadError) -> R) throws(LoadError) -> R {
    let result: Result<R, LoadError> = bytes.withUnsafeBytes { b in Result { () throws(LoadError) in try body(b) } }
    return try result.get()
}
