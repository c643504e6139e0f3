/// Registrations of the Movement family: one line per op.
enum MovementFamily {
    static let schemas: [OpSchema] = [
        OpSchema(Concat.self, "Concat"),
        OpSchema(Constant.self, "Constant"),
        OpSchema(ConstantOfShape.self, "ConstantOfShape", versions: 9...OpRegistry.maximumOpset),
        OpSchema(Expand.self, "Expand", versions: 8...OpRegistry.maximumOpset),
        OpSchema(Flatten.self, "Flatten"),
        OpSchema(Gather.self, "Gather"),
        OpSchema(GatherElements.self, "GatherElements", versions: 11...OpRegistry.maximumOpset),
        OpSchema(Identity.self, "Identity"),
        OpSchema(RangeOp.self, "Range", versions: 11...OpRegistry.maximumOpset),
        OpSchema(Reshape.self, "Reshape"),
        OpSchema(ScatterND.self, "ScatterND", versions: 11...OpRegistry.maximumOpset),
        OpSchema(Shape.self, "Shape"),
        OpSchema(Size.self, "Size"),
        OpSchema(Slice.self, "Slice"),
        OpSchema(Split.self, "Split"),
        OpSchema(Squeeze.self, "Squeeze"),
        OpSchema(Tile.self, "Tile"),
        OpSchema(Transpose.self, "Transpose"),
        OpSchema(Trilu.self, "Trilu", versions: 14...OpRegistry.maximumOpset),
        OpSchema(Unsqueeze.self, "Unsqueeze"),
    ]
}
