import COnnxProto
import ONNXGraph

/// Reads serialized `TensorProto` files, such as the ONNX node tests' `input_N.pb` / `output_N.pb`.
public enum TensorDecoder {
    /// Decodes the TensorProto in the file at `path`. External data is resolved next to the file.
    public static func decodeTensor(path: String) throws(LoadError) -> Tensor {
        try decodeNamedTensor(path: path).tensor
    }

    /// Decodes a TensorProto from `bytes`; `name` labels errors. External data is an error.
    public static func decodeTensor(bytes: UnsafeRawBufferPointer, name: String) throws(LoadError) -> Tensor {
        do { return try decode(bytes, baseDirectory: nil).tensor } catch { throw error.within(name) }
    }

    /// Decodes the TensorProto in the file at `path` and also returns its `name` field.
    public static func decodeNamedTensor(path: String) throws(LoadError) -> (name: String, tensor: Tensor) {
        do {
            let file = try MappedFile(path: path)
            return try decode(file.bytes, baseDirectory: directoryOf(path))
        } catch { throw error.within(path) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, baseDirectory: String?) throws(LoadError) -> (name: String, tensor: Tensor) {
        try ProtoUnpack.withTensor(bytes) { (tp) throws(LoadError) in
            let external = ExternalFiles(baseDirectory: baseDirectory)
            return (str(tp.pointee.name), try TensorConverter.tensor(tp, external: external))
        }
    }
}
