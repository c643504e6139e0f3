/// Registrations of the Elementwise family: one line per op.
enum ElementwiseFamily {
    static let schemas: [OpSchema] = [
        OpSchema(Add.self, "Add"),
        OpSchema(Sub.self, "Sub"),
        OpSchema(Mul.self, "Mul"),
        OpSchema(Div.self, "Div"),
        OpSchema(Pow.self, "Pow"),
        OpSchema(Sqrt.self, "Sqrt"),
        OpSchema(Reciprocal.self, "Reciprocal"),
        OpSchema(Erf.self, "Erf", versions: 9...OpRegistry.maximumOpset),
        OpSchema(Tanh.self, "Tanh"),
        OpSchema(Sigmoid.self, "Sigmoid"),
        OpSchema(Relu.self, "Relu"),
        OpSchema(Gelu.self, "Gelu", versions: 20...OpRegistry.maximumOpset),
        OpSchema(Not.self, "Not"),
        OpSchema(Equal.self, "Equal"),
        OpSchema(Less.self, "Less"),
        OpSchema(Greater.self, "Greater"),
        OpSchema(Where.self, "Where", versions: 9...OpRegistry.maximumOpset),
    ]
}
