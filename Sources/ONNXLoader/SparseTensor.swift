#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COnnxProto
import ONNXGraph

/// SparseTensorProto → dense `Tensor`.
///
/// `values` is a 1-D tensor of NNZ elements; `indices` is int64, either `[NNZ]` (linear indices
/// into the row-major dense tensor) or `[NNZ, rank]` (coordinates); `dims` is the dense shape.
/// Elements not listed are zero (`""` for strings). Densified tensors are capped at
/// `maximumDenseBytes`, since a few bytes of input can name an arbitrarily large dense shape.
enum SparseTensor {
    static let maximumDenseBytes = 1 << 30

    static func densify(_ sp: UnsafeMutablePointer<Onnx__SparseTensorProto>,
                        external: ExternalFiles) throws(LoadError) -> (name: String, tensor: Tensor) {
        let s = sp.pointee
        let name = s.values.map { str($0.pointee.name) } ?? ""
        do throws(LoadError) {
            guard let vp = s.values else { throw LoadError(.missingField("values")) }
            guard let ip = s.indices else { throw LoadError(.missingField("indices")) }
            let values = try TensorConverter.tensor(vp, external: external)
            let indices = try TensorConverter.tensor(ip, external: external)
            let dims64 = s.dims.map { Array(UnsafeBufferPointer(start: $0, count: s.n_dims)) } ?? []
            var count = 1
            for d in dims64 {
                guard d >= 0 else { throw LoadError(.negativeDimension(dims64)) }
                let (m, o) = count.multipliedReportingOverflow(by: Int(d))
                guard !o else { throw LoadError(.elementCountOverflow(dims64)) }
                count = m
            }
            let shape = dims64.map { Int($0) }
            let (bytes, o) = count.multipliedReportingOverflow(by: max(values.dataType.storageSize, 1))
            guard !o, bytes <= maximumDenseBytes else {
                throw LoadError(.invalidSparseTensor("dense shape \(shape) exceeds \(maximumDenseBytes) bytes"))
            }
            let nnz = values.count
            guard values.rank == 1 else { throw LoadError(.invalidSparseTensor("values must be 1-D, not \(values.shape)")) }
            guard indices.dataType == .int64 else {
                throw LoadError(.invalidSparseTensor("indices must be int64, not \(indices.dataType)"))
            }
            let coordinates: Bool
            if indices.shape == [nnz] { coordinates = false }
            else if indices.shape == [nnz, shape.count] { coordinates = true }
            else {
                throw LoadError(.invalidSparseTensor("indices shape \(indices.shape) is neither [\(nnz)] nor [\(nnz), \(shape.count)]"))
            }
            let dense = try graphResult { () throws(GraphError) in
                try Tensor(allocating: values.dataType, shape: shape, zeroed: true)
            }
            let idx = indices.elements(Int64.self)
            let width = values.dataType.storageSize
            for k in 0..<nnz {
                var linear = 0
                if coordinates {
                    for (axis, extent) in shape.enumerated() {
                        let c = idx[k * shape.count + axis]
                        guard c >= 0, c < Int64(extent) else {
                            throw LoadError(.invalidSparseTensor("index \(c) of value \(k) is outside dim \(axis) (\(extent))"))
                        }
                        linear = linear * extent + Int(c)
                    }
                } else {
                    let c = idx[k]
                    guard c >= 0, c < Int64(count) else {
                        throw LoadError(.invalidSparseTensor("linear index \(c) of value \(k) is outside \(count) elements"))
                    }
                    linear = Int(c)
                }
                if values.dataType == .string {
                    dense.storage.strings[linear] = values.storage.strings[k]
                } else {
                    memcpy(dense.data + linear * width, values.data + k * width, width)
                }
            }
            return (name, dense)
        } catch {
            throw error.within("sparse tensor '\(name)'")
        }
    }
}
