/// The ai.onnx operators this runtime implements, one list per family (each family file holds one
/// registration line per op).
enum StandardOps {
    static var all: [OpSchema] {
        ElementwiseFamily.schemas + ConversionFamily.schemas + QuantizationFamily.schemas
            + LinearAlgebraFamily.schemas + ReductionFamily.schemas + NormalizationFamily.schemas
            + MovementFamily.schemas + ControlFlowFamily.schemas
    }
}
