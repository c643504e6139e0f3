/// Registrations of the ControlFlow family: one line per op.
enum ControlFlowFamily {
    static let schemas: [OpSchema] = [
        OpSchema(If.self, "If"),
        OpSchema(Loop.self, "Loop"),
    ]
}
