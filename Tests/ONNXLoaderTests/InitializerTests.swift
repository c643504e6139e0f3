import Foundation
import Testing
import ONNXGraph
@testable import ONNXLoader

/// Every initializer storage form (raw_data and each typed field, every data type) against the
/// values `onnx.numpy_helper.to_array` decodes, in this runtime's storage convention.
@Suite struct InitializerTests {
    static let model: Model? = try? ModelLoader.load(path: Fixture.path("initializers.onnx"))

    @Test func loads() throws {
        let model = try ModelLoader.load(path: Fixture.path("initializers.onnx"))
        #expect(model.graph.initializers.count == Fixture.initializerNames.count)
        #expect(Fixture.initializerNames.count > 50)
        #expect(model.metadata["purpose"] == "loader fixture")
        #expect(model.producerName == "make_loader_fixtures")
        #expect(model.opset("ai.onnx") == 21)
        #expect(model.irVersion >= 3)
    }

    @Test(arguments: Fixture.initializerNames)
    func matchesNumpy(_ name: String) throws {
        let entry = try #require(Fixture.expected[name] as? [String: Any])
        let tensor = try #require(Self.model?.graph.initializers[name])
        #expect(tensor.dataType.rawValue == Int32(entry["dataType"] as? Int ?? -1))
        #expect(tensor.shape == (entry["shape"] as? [Int] ?? [-1]))
        if let strings = entry["strings"] as? [String] {
            #expect(tensor.storage.strings == strings)
        } else {
            #expect(tensor.hex == entry["hex"] as? String)
        }
    }

    /// Large raw_data is taken over from protobuf-c, 64-byte aligned.
    @Test func largeRawDataIsAligned() throws {
        let tensor = try #require(Self.model?.graph.initializers["raw_big_float"])
        #expect(Int(bitPattern: tensor.data) % TensorStorage.alignment == 0)
        #expect(tensor.elements(Float.self)[2047] == 2047 * 0.25)
    }

    @Test func subByteTypesAreUnpacked() throws {
        let i4 = try #require(Self.model?.graph.initializers["raw_int4"])
        #expect(i4.toArray(Int8.self) == [-8, 7, -1, 0, 3, -5, 6])
        let i2 = try #require(Self.model?.graph.initializers["typed_int2"])
        #expect(i2.toArray(Int8.self) == [-2, 1, -1, 0, 1, -2, 0])
        let u4 = try #require(Self.model?.graph.initializers["typed_uint4"])
        #expect(u4.toArray(UInt8.self) == [0, 15, 1, 8, 9, 2, 7])
    }
}
