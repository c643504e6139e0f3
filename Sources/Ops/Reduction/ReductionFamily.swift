/// Registrations of the Reduction family: one line per op.
enum ReductionFamily {
    static let schemas: [OpSchema] = [
    ]
}
