/// Registrations of the LinearAlgebra family: one line per op.
enum LinearAlgebraFamily {
    static let schemas: [OpSchema] = [
        OpSchema(MatMul.self, "MatMul"),
        OpSchema(Gemm.self, "Gemm"),
        OpSchema(MatMulInteger.self, "MatMulInteger", versions: 10...OpRegistry.maximumOpset),
        OpSchema(QLinearMatMul.self, "QLinearMatMul", versions: 10...OpRegistry.maximumOpset),
        OpSchema(QuantizedMatMulFloat.self, "QuantizedMatMulFloat", domain: "ai.onnxrun", versions: 1...1),
        OpSchema(FusedMatMul.self, "FusedMatMul", domain: "ai.onnxrun", versions: 1...1),
        OpSchema(Einsum.self, "Einsum", versions: 12...OpRegistry.maximumOpset),
    ]
}
