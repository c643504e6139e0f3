/// Registrations of the Normalization family: one line per op.
enum NormalizationFamily {
    static let schemas: [OpSchema] = [
    ]
}
