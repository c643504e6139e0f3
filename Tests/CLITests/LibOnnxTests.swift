import Testing
@testable import ONNXRunCLI

/// The COnnxChecker shim over Debian's libonnx 1.12, on the fixtures.
@Suite struct LibOnnxTests {
    @Test func reportsLibraryRange() {
        #expect(LibOnnx.version == "1.12.0")
        #expect(LibOnnx.maxIRVersion == 8)
        #expect(LibOnnx.maxOpset("") == 17)
        #expect(LibOnnx.maxOpset("ai.onnx") == 17)
        #expect(LibOnnx.maxOpset("ai.onnx.ml") == 3)
        #expect(LibOnnx.maxOpset("com.example") == nil)
    }

    @Test func acceptsValidModels() {
        for name in ["tiny.onnx", "if_subgraph.onnx", "unknown_op.onnx"] {
            #expect(LibOnnx.checkModel(path: Fixtures.path(name)) == nil, "\(name)")
        }
        #expect(LibOnnx.inferShapes(path: Fixtures.path("tiny.onnx")) == nil)
        #expect(LibOnnx.inferShapes(path: Fixtures.path("if_subgraph.onnx")) == nil)
    }

    @Test func checkerCatchesUndefinedInputs() throws {
        let message = try #require(LibOnnx.checkModel(path: Fixtures.path("unsorted.onnx")))
        #expect(message.contains("topologically sorted"))
        #expect(message.contains("missing"))
        #expect(!message.contains("\n"))
    }

    @Test func strictShapeInferenceCatchesWrongDeclaredShapes() throws {
        #expect(LibOnnx.checkModel(path: Fixtures.path("bad_output_shape.onnx")) == nil)
        let message = try #require(LibOnnx.inferShapes(path: Fixtures.path("bad_output_shape.onnx")))
        #expect(message.contains("Inferred shape and existing shape differ"))
    }

    @Test func exceptionsBecomeMessages() throws {
        let missing = try #require(LibOnnx.checkModel(path: Fixtures.path("no-such-file.onnx")))
        #expect(missing.contains("Unable to open"))
        let notProto = try #require(LibOnnx.inferShapes(path: Fixtures.path("npy/f4.npy")))
        #expect(notProto.contains("Unable to parse"))
        #expect(LibOnnx.checkModel(path: Fixtures.directory) != nil)
    }
}
