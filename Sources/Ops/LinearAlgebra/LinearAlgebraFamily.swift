/// Registrations of the LinearAlgebra family: one line per op.
enum LinearAlgebraFamily {
    static let schemas: [OpSchema] = [
    ]
}
