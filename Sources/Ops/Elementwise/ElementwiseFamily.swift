/// Registrations of the Elementwise family: one line per op.
enum ElementwiseFamily {
    static let schemas: [OpSchema] = [
    ]
}
