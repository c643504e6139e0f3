/// Registrations of the Reduction family: one line per op.
enum ReductionFamily {
    static let schemas: [OpSchema] = [
        OpSchema(ReduceSum.self, "ReduceSum"),
        OpSchema(ReduceMean.self, "ReduceMean"),
        OpSchema(ReduceMax.self, "ReduceMax"),
        OpSchema(ReduceMin.self, "ReduceMin"),
        OpSchema(ArgMax.self, "ArgMax"),
        OpSchema(TopK.self, "TopK"),
    ]
}
